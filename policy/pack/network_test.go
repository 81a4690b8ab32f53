package pack_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/policy/pack"
)

// "Open to the internet" is the union of a source's CIDRs, however split.
func TestPublicSourcesAreUnions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		cidrs []string
		open  bool
	}{
		{"the whole internet", []string{"0.0.0.0/0"}, true},
		{"two halves", []string{"0.0.0.0/1", "128.0.0.0/1"}, true},
		{"one half", []string{"128.0.0.0/1"}, true},
		{"public /8s", []string{"3.0.0.0/8", "13.0.0.0/8", "52.0.0.0/8"}, true},
		{"a public /15", []string{"52.94.0.0/15"}, true},
		{"a public /16 is an allowlist", []string{"52.94.0.0/16"}, false},
		{"two /17s make a /16", []string{"52.94.0.0/17", "52.94.128.0/17"}, false},
		{"overlaps count once", []string{"52.94.0.0/16", "52.94.1.0/24", "52.94.0.0/17"}, false},
		{"office and VPN", []string{"198.51.100.0/24", "203.0.113.7/32", "81.2.69.0/28"}, false},
		{"private ranges are not public", []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"}, false},
		{"private plus the rest of the internet", []string{"10.0.0.0/8", "11.0.0.0/8", "12.0.0.0/6"}, true},
		{"IPv6 world", []string{"::/0"}, true},
		{"IPv6 global unicast", []string{"2000::/3"}, true},
		{"IPv6 split", []string{"2000::/4", "3000::/4"}, true},
		{"IPv6 site", []string{"2001:db9:1234::/48"}, false},
		{"IPv6 ULA", []string{"fc00::/7"}, false},
		{"bare addresses", []string{"52.94.1.1", "2001:db9::1"}, false},
		{"junk is skipped", []string{"not-a-cidr", "10.0.0.0/8"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.open, pack.OpenToInternet(tc.cidrs, 16, 48))
		})
	}
}

func TestSplitPublicIngress(t *testing.T) {
	t.Parallel()
	rule := func(name string, props map[string]any) edit {
		base := map[string]any{"securityGroupId": unknown, "description": "test", "ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432}
		for k, v := range props {
			base[k] = v
		}
		return add(res{typ: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: name, props: base, deps: map[string][]string{"securityGroupId": {"db-sg"}}})
	}
	runCases(t, "aws-ec2-securitygroup-disallow-public-ingress", []ruleCase{
		{name: "one half of the internet in one rule", edits: []edit{rule("half", map[string]any{"cidrIpv4": "0.0.0.0/1"})}, want: "together cover the internet"},
		{name: "split inside one inline rule", edits: []edit{set("db-sg", "ingress", []any{map[string]any{"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": []any{"0.0.0.0/1", "128.0.0.0/1"}}})}, want: "22"},
		{name: "split inside a legacy rule", edits: []edit{add(res{typ: "aws:ec2/securityGroupRule:SecurityGroupRule", name: "legacy", props: map[string]any{
			"type": "ingress", "securityGroupId": unknown, "protocol": "tcp", "fromPort": 3389, "toPort": 3389, "cidrBlocks": []any{"1.0.0.0/8", "2.0.0.0/7", "4.0.0.0/6", "8.0.0.0/5"},
		}})}, want: "3389"},
		{name: "each half alone is caught here", edits: []edit{rule("a", map[string]any{"cidrIpv4": "0.0.0.0/1"}), rule("b", map[string]any{"cidrIpv4": "128.0.0.0/1"})}, want: "together cover the internet", nWant: 2},
		{name: "an office is fine", edits: []edit{rule("office", map[string]any{"cidrIpv4": "198.51.100.0/24", "fromPort": 443, "toPort": 443})}},
	})
	quarter := func(name, cidr string, from, to int) edit {
		return rule(name, map[string]any{"cidrIpv4": cidr, "fromPort": from, "toPort": to})
	}
	// Public /16s and /17s, each an allowlist on its own, together more
	// than a /16: only the stack policy sees them together.
	runCases(t, "aws-ec2-securitygroup-split-public-ingress", []ruleCase{
		{name: "compliant (one rule, referenced groups)"},
		{name: "the internet split over /17s", edits: []edit{
			quarter("a", "52.94.0.0/17", 5432, 5432), quarter("b", "52.94.128.0/17", 5432, 5432), quarter("c", "52.95.0.0/17", 5432, 5432),
		}, want: "together cover the internet, including database", on: "db-sg"},
		{name: "split over rules and an inline entry", edits: []edit{
			quarter("a", "52.94.0.0/16", 22, 22),
			set("db-sg", "ingress", []any{map[string]any{"protocol": "tcp", "fromPort": 20, "toPort": 25, "cidrBlocks": []any{"52.95.0.0/16"}, "description": "x"}}),
		}, want: "port(s) 22", on: "db-sg"},
		{name: "different ports do not add up", edits: []edit{quarter("a", "52.94.0.0/16", 5432, 5432), quarter("b", "52.95.0.0/16", 6379, 6379)}},
		{name: "443 is allowlisted", edits: []edit{quarter("a", "52.94.0.0/16", 443, 443), quarter("b", "52.95.0.0/16", 443, 443)}},
		{name: "sources inside the VPC", edits: []edit{quarter("a", "10.20.0.0/17", 5432, 5432), quarter("b", "10.20.128.0/17", 5432, 5432)}},
		{name: "rules of another group", edits: []edit{
			add(res{typ: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "a", props: map[string]any{"securityGroupId": "sg-other", "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "52.94.0.0/16"}}),
			add(res{typ: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "b", props: map[string]any{"securityGroupId": "sg-other", "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "52.95.0.0/16"}}),
		}},
		{name: "computed CIDR", edits: []edit{quarter("a", "52.94.0.0/16", 22, 22), rule("b", map[string]any{"cidrIpv4": unknown, "fromPort": 22, "toPort": 22})}},
		{name: "other type ignored", edits: []edit{quarter("a", "52.94.0.0/16", 22, 22), quarter("b", "52.95.0.0/16", 22, 22), retype("db-sg", otherType)}},
	})
	runCases(t, "aws-eks-cluster-endpoint-restricted", []ruleCase{
		{name: "public endpoint split in halves", edits: []edit{set("eks", "vpcConfig.endpointPublicAccess", true), set("eks", "vpcConfig.publicAccessCidrs", []any{"0.0.0.0/1", "128.0.0.0/1"})}, want: "together cover the internet", on: "eks"},
		{name: "public endpoint over public /8s", edits: []edit{set("eks", "vpcConfig.endpointPublicAccess", true), set("eks", "vpcConfig.publicAccessCidrs", []any{"3.0.0.0/8", "52.0.0.0/8"})}, want: "together cover the internet"},
		{name: "an office", edits: []edit{set("eks", "vpcConfig.endpointPublicAccess", true), set("eks", "vpcConfig.publicAccessCidrs", []any{"81.2.69.0/28"})}},
		{name: "IPv6 world", edits: []edit{set("eks", "vpcConfig.endpointPublicAccess", true), set("eks", "vpcConfig.publicAccessCidrs", []any{"::/0"})}, want: "::/0"},
		{name: "one CIDR not yet known", edits: []edit{set("eks", "vpcConfig.endpointPublicAccess", true), set("eks", "vpcConfig.publicAccessCidrs", []any{"81.2.69.0/28", unknown})}},
	})
}
