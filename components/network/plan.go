package network

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// Tier is a subnet tier.
type Tier string

// The three tiers, in the order their address blocks are laid out.
const (
	Private Tier = "private" // workloads: EKS nodes, the broker; egress through NAT
	Public  Tier = "public"  // NAT gateways and internet-facing load balancers
	Data    Tier = "data"    // databases and caches: no route to the internet
)

// Tiers lists every tier in layout order.
var Tiers = []Tier{Private, Public, Data}

// SlotsPerTier is how many availability zones each tier's block has room for.
// An AZ's slot is the index of its letter (us-east-1a is 0, 1c is 2), so it
// never depends on how many or which other zones are in use.
const SlotsPerTier = 8

// plannedSubnet is one subnet of the layout.
type plannedSubnet struct {
	Tier Tier
	AZ   string
	CIDR netip.Prefix
}

// Key is the subnet's stable identity: tier and AZ name.
func (s plannedSubnet) Key() string { return string(s.Tier) + "-" + s.AZ }

// layoutArgs is the input of planSubnets.
type layoutArgs struct {
	VPCCIDR string
	AZs     []string
	// PrefixLengths per tier (e.g. private 20, public 24, data 24).
	PrefixLengths map[Tier]int
	// Explicit CIDRs per tier and AZ name take precedence over carving.
	Explicit map[Tier]map[string]string
}

// planSubnets carves the VPC CIDR into one subnet per tier and AZ.
//
// Each tier owns a block of SlotsPerTier subnets of its prefix length; blocks
// are laid out in Tiers order, each aligned to its own size. Within a block,
// an AZ always takes the slot of its letter. So the CIDR of an existing subnet
// depends only on the VPC CIDR, the prefix lengths and its AZ's letter: adding
// zones adds subnets and never moves one. Explicit CIDRs are used as given and
// checked like the rest: inside the VPC and overlapping nothing.
func planSubnets(args layoutArgs) ([]plannedSubnet, error) {
	vpc, err := netip.ParsePrefix(args.VPCCIDR)
	if err != nil || !vpc.Addr().Is4() {
		return nil, fmt.Errorf("VPC CIDR %q is not an IPv4 CIDR block", args.VPCCIDR)
	}
	if vpc.Masked() != vpc {
		return nil, fmt.Errorf("VPC CIDR %q has host bits set; did you mean %s?", args.VPCCIDR, vpc.Masked())
	}

	next := vpc.Addr() // where the next tier block may start
	var out []plannedSubnet
	for _, tier := range Tiers {
		bits, ok := args.PrefixLengths[tier]
		if !ok {
			return nil, fmt.Errorf("%s tier: no prefix length", tier)
		}
		if bits <= vpc.Bits() || bits > 28 {
			return nil, fmt.Errorf("%s tier: prefix length /%d must be longer than the VPC's /%d and at most /28", tier, bits, vpc.Bits())
		}
		blockBits := bits - 3 // room for SlotsPerTier = 2^3 subnets
		if blockBits < vpc.Bits() {
			return nil, fmt.Errorf("%s tier: %d subnets of /%d do not fit in the VPC's /%d", tier, SlotsPerTier, bits, vpc.Bits())
		}
		block, err := alignedBlock(next, blockBits)
		if err != nil || !vpc.Contains(block.Addr()) || !vpc.Contains(lastAddr(block)) {
			return nil, fmt.Errorf("%s tier: the VPC's /%d has no room left for %d subnets of /%d; use a larger VPC CIDR or longer prefix lengths", tier, vpc.Bits(), SlotsPerTier, bits)
		}
		next = lastAddr(block).Next()

		for _, az := range args.AZs {
			if cidr, ok := args.Explicit[tier][az]; ok {
				p, err := netip.ParsePrefix(cidr)
				if err != nil || !p.Addr().Is4() || p.Masked() != p {
					return nil, fmt.Errorf("%s subnet in %s: %q is not an IPv4 CIDR block without host bits", tier, az, cidr)
				}
				out = append(out, plannedSubnet{Tier: tier, AZ: az, CIDR: p})
				continue
			}
			slot, err := azSlot(az)
			if err != nil {
				return nil, err
			}
			out = append(out, plannedSubnet{Tier: tier, AZ: az, CIDR: nthSubnet(block, bits, slot)})
		}
	}
	for tier, byAZ := range args.Explicit {
		for az := range byAZ {
			if !slices.Contains(args.AZs, az) {
				return nil, fmt.Errorf("%s subnet CIDR given for %s, which is not one of the zones in use (%s)", tier, az, strings.Join(args.AZs, ", "))
			}
		}
	}
	if err := checkLayout(vpc, out); err != nil {
		return nil, err
	}
	return out, nil
}

// checkLayout verifies that every subnet lies inside the VPC and that no two
// overlap.
func checkLayout(vpc netip.Prefix, subnets []plannedSubnet) error {
	for i, s := range subnets {
		if s.CIDR.Bits() < vpc.Bits() || !vpc.Contains(s.CIDR.Addr()) {
			return fmt.Errorf("%s subnet in %s: %s is outside the VPC CIDR %s", s.Tier, s.AZ, s.CIDR, vpc)
		}
		for _, o := range subnets[:i] {
			if s.CIDR.Overlaps(o.CIDR) {
				return fmt.Errorf("%s subnet in %s (%s) overlaps %s subnet in %s (%s)", s.Tier, s.AZ, s.CIDR, o.Tier, o.AZ, o.CIDR)
			}
		}
	}
	return nil
}

// azSlot returns the slot of an availability zone: the index of its final
// letter (a → 0). Zone names end in a letter in every region.
func azSlot(az string) (int, error) {
	if az == "" {
		return 0, fmt.Errorf("empty availability zone name")
	}
	c := az[len(az)-1]
	if c < 'a' || int(c-'a') >= SlotsPerTier {
		return 0, fmt.Errorf("availability zone %q: only zones ending in a to %c can be carved automatically; give its subnets explicit CIDRs", az, 'a'+SlotsPerTier-1)
	}
	return int(c - 'a'), nil
}

// alignedBlock returns the first block of the given prefix length starting at
// or after addr.
func alignedBlock(addr netip.Addr, bits int) (netip.Prefix, error) {
	p, err := addr.Prefix(bits)
	if err != nil {
		return netip.Prefix{}, err
	}
	if p.Addr() == addr {
		return p, nil
	}
	after := lastAddr(p).Next()
	if !after.IsValid() {
		return netip.Prefix{}, fmt.Errorf("address space exhausted")
	}
	return after.Prefix(bits)
}

// nthSubnet returns the n-th subnet of length bits inside block.
func nthSubnet(block netip.Prefix, bits, n int) netip.Prefix {
	base := ipToUint(block.Addr())
	size := uint32(1) << (32 - bits)
	return netip.PrefixFrom(uintToIP(base+uint32(n)*size), bits)
}

func lastAddr(p netip.Prefix) netip.Addr {
	size := uint32(1) << (32 - p.Bits())
	return uintToIP(ipToUint(p.Masked().Addr()) + size - 1)
}

func ipToUint(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func uintToIP(u uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(u >> 24), byte(u >> 16), byte(u >> 8), byte(u)})
}
