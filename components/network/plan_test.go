package network_test

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/network"
)

func layout(cidr string, azs ...string) network.LayoutArgs {
	return network.LayoutArgs{
		VPCCIDR:       cidr,
		AZs:           azs,
		PrefixLengths: map[network.Tier]int{network.Public: 24, network.Private: 20, network.Data: 24},
	}
}

func byKey(subnets []network.PlannedSubnet) map[string]string {
	out := map[string]string{}
	for _, s := range subnets {
		out[s.Key()] = s.CIDR.String()
	}
	return out
}

func TestPlanSubnetsDefaultLayout(t *testing.T) {
	t.Parallel()
	got, err := network.PlanSubnets(layout("10.0.0.0/16", "us-east-1a", "us-east-1b", "us-east-1c"))
	require.NoError(t, err)
	require.Equal(t, map[string]string{
		"private-us-east-1a": "10.0.0.0/20",
		"private-us-east-1b": "10.0.16.0/20",
		"private-us-east-1c": "10.0.32.0/20",
		"public-us-east-1a":  "10.0.128.0/24",
		"public-us-east-1b":  "10.0.129.0/24",
		"public-us-east-1c":  "10.0.130.0/24",
		"data-us-east-1a":    "10.0.136.0/24",
		"data-us-east-1b":    "10.0.137.0/24",
		"data-us-east-1c":    "10.0.138.0/24",
	}, byKey(got))
}

// Raising the AZ count must only add subnets: every subnet planned for fewer
// zones keeps its CIDR when zones are added, whichever zones they are.
func TestPlanSubnetsAddingZonesNeverMovesASubnet(t *testing.T) {
	t.Parallel()
	zones := []string{"eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1d", "eu-west-1e", "eu-west-1f"}
	for n := 2; n < len(zones); n++ {
		before, err := network.PlanSubnets(layout("10.20.0.0/16", zones[:n]...))
		require.NoError(t, err)
		after, err := network.PlanSubnets(layout("10.20.0.0/16", zones[:n+1]...))
		require.NoError(t, err)
		b, a := byKey(before), byKey(after)
		require.Len(t, a, len(b)+3, "one subnet per tier added")
		for k, cidr := range b {
			require.Equal(t, cidr, a[k], "subnet %s moved when going from %d to %d zones", k, n, n+1)
		}
	}
	// A zone that is not the next letter (1a, 1c → 1a, 1b, 1c) does not move
	// the others either: slots belong to letters.
	gap, err := network.PlanSubnets(layout("10.20.0.0/16", "eu-west-1a", "eu-west-1c"))
	require.NoError(t, err)
	full, err := network.PlanSubnets(layout("10.20.0.0/16", "eu-west-1a", "eu-west-1b", "eu-west-1c"))
	require.NoError(t, err)
	for k, cidr := range byKey(gap) {
		require.Equal(t, cidr, byKey(full)[k])
	}
}

func TestPlanSubnetsExplicitCIDRs(t *testing.T) {
	t.Parallel()
	args := layout("10.0.0.0/16", "us-east-1a", "us-east-1b")
	args.Explicit = map[network.Tier]map[string]string{network.Data: {"us-east-1b": "10.0.200.0/24"}}
	got, err := network.PlanSubnets(args)
	require.NoError(t, err)
	require.Equal(t, "10.0.200.0/24", byKey(got)["data-us-east-1b"])
	require.Equal(t, "10.0.136.0/24", byKey(got)["data-us-east-1a"], "the others are carved as usual")
}

func TestPlanSubnetsRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    network.LayoutArgs
		wantErr string
	}{
		{"not a CIDR", layout("10.0.0.0", "us-east-1a"), `VPC CIDR "10.0.0.0" is not an IPv4 CIDR block`},
		{"IPv6", layout("fd00::/56", "us-east-1a"), "is not an IPv4 CIDR block"},
		{"host bits", layout("10.0.1.0/16", "us-east-1a"), "has host bits set; did you mean 10.0.0.0/16?"},
		{"too small for the tiers", func() network.LayoutArgs {
			a := layout("10.0.0.0/20", "us-east-1a")
			a.PrefixLengths[network.Private] = 22
			return a
		}(), "private tier: 8 subnets of /22 do not fit in the VPC's /20"},
		{"no room left after the private tier", func() network.LayoutArgs {
			a := layout("10.0.0.0/18", "us-east-1a")
			a.PrefixLengths[network.Private] = 21
			return a
		}(), "public tier: the VPC's /18 has no room left for 8 subnets of /24"},
		{"prefix not longer than the VPC", func() network.LayoutArgs {
			a := layout("10.0.0.0/16", "us-east-1a")
			a.PrefixLengths[network.Public] = 16
			return a
		}(), "public tier: prefix length /16 must be longer than the VPC's /16"},
		{"zone letter beyond the slots", layout("10.0.0.0/16", "us-east-1a", "us-east-1z"), `availability zone "us-east-1z": only zones ending in a to h`},
		{"explicit outside the VPC", func() network.LayoutArgs {
			a := layout("10.0.0.0/16", "us-east-1a")
			a.Explicit = map[network.Tier]map[string]string{network.Public: {"us-east-1a": "10.1.0.0/24"}}
			return a
		}(), "public subnet in us-east-1a: 10.1.0.0/24 is outside the VPC CIDR 10.0.0.0/16"},
		{"explicit overlapping a carved subnet", func() network.LayoutArgs {
			a := layout("10.0.0.0/16", "us-east-1a", "us-east-1b")
			a.Explicit = map[network.Tier]map[string]string{network.Data: {"us-east-1b": "10.0.0.0/24"}}
			return a
		}(), "data subnet in us-east-1b (10.0.0.0/24) overlaps private subnet in us-east-1a (10.0.0.0/20)"},
		{"explicit malformed", func() network.LayoutArgs {
			a := layout("10.0.0.0/16", "us-east-1a")
			a.Explicit = map[network.Tier]map[string]string{network.Data: {"us-east-1a": "10.0.0.5/24"}}
			return a
		}(), `data subnet in us-east-1a: "10.0.0.5/24" is not an IPv4 CIDR block without host bits`},
		{"explicit for a zone not in use", func() network.LayoutArgs {
			a := layout("10.0.0.0/16", "us-east-1a")
			a.Explicit = map[network.Tier]map[string]string{network.Data: {"us-east-1c": "10.0.200.0/24"}}
			return a
		}(), "data subnet CIDR given for us-east-1c, which is not one of the zones in use"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := network.PlanSubnets(tt.args)
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
}

// Whatever the VPC size, prefix lengths and zones, a successful plan has one
// subnet per tier and zone, all inside the VPC, none overlapping.
func TestPlanSubnetsInvariants(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	letters := "abcdefgh"
	planned := 0
	for range 2000 {
		bits := 16 + rng.IntN(9)
		vpc := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(rng.IntN(256)), 0, 0}), bits).Masked()
		n := 1 + rng.IntN(6)
		perm := rng.Perm(len(letters))[:n]
		var azs []string
		for _, i := range perm {
			azs = append(azs, fmt.Sprintf("ap-south-2%c", letters[i]))
		}
		args := network.LayoutArgs{
			VPCCIDR: vpc.String(),
			AZs:     azs,
			PrefixLengths: map[network.Tier]int{
				network.Private: bits + 1 + rng.IntN(8),
				network.Public:  bits + 1 + rng.IntN(8),
				network.Data:    bits + 1 + rng.IntN(8),
			},
		}
		got, err := network.PlanSubnets(args)
		if err != nil {
			continue
		}
		planned++
		require.Len(t, got, 3*n)
		require.NoError(t, network.CheckLayout(vpc, got))
		for i, s := range got {
			require.True(t, vpc.Contains(s.CIDR.Addr()) && s.CIDR.Bits() >= vpc.Bits(), "%s outside %s", s.CIDR, vpc)
			for _, o := range got[:i] {
				require.False(t, s.CIDR.Overlaps(o.CIDR), "%s overlaps %s", s.CIDR, o.CIDR)
			}
		}
	}
	require.Greater(t, planned, 200, "the generator should produce many valid layouts")
}

func TestAZSlot(t *testing.T) {
	t.Parallel()
	for az, want := range map[string]int{"us-east-1a": 0, "us-east-1f": 5, "eu-west-3h": 7} {
		got, err := network.AZSlot(az)
		require.NoError(t, err)
		require.Equal(t, want, got, az)
	}
	_, err := network.AZSlot("")
	require.Error(t, err)
	_, err = network.AZSlot("us-east-1i")
	require.Error(t, err)
}
