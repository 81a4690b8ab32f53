package network

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"

	"github.com/acme/platform/internal/check"
	"github.com/acme/platform/internal/parts"
)

// NAT modes.
const (
	NATNone   = "none"   // no internet egress from private subnets
	NATSingle = "single" // one NAT gateway for the VPC (cheap; one AZ is a single point of failure)
	NATPerAZ  = "perAz"  // one NAT gateway per AZ (highly available)
)

// Config is the part of the VPC's arguments that decides which resources
// exist. It is what the stack reads from the platform:network config object;
// JSON names are the config keys.
type Config struct {
	// CIDR is the VPC's IPv4 block; default "10.0.0.0/16".
	CIDR string `json:"cidr"`
	// AZCount is how many availability zones to use, 2 to 6; default 3.
	AZCount int `json:"azCount"`
	// AvailabilityZones names the zones explicitly; default the first AZCount
	// of the region's zones (in name order). When set, its length must equal
	// AZCount.
	AvailabilityZones []string `json:"availabilityZones,omitempty"`
	// NATMode is "none", "single" or "perAz"; default "perAz".
	NATMode string `json:"natMode"`
	// PublicPrefixLength, PrivatePrefixLength and DataPrefixLength size the
	// subnets; defaults 24, 20 and 24.
	PublicPrefixLength  int `json:"publicPrefixLength"`
	PrivatePrefixLength int `json:"privatePrefixLength"`
	DataPrefixLength    int `json:"dataPrefixLength"`
	// SubnetCIDRs pins subnets: tier ("public", "private", "data") to AZ name
	// to CIDR. Default none (all carved).
	SubnetCIDRs map[string]map[string]string `json:"subnetCidrs,omitempty"`
	// GatewayEndpoints are the gateway endpoints attached to the private and
	// data route tables; default ["s3", "dynamodb"].
	GatewayEndpoints []string `json:"gatewayEndpoints"`
	// InterfaceEndpoints are AWS service names ("ecr.api", "sts", ...) that
	// get an interface endpoint in the private subnets; default none.
	InterfaceEndpoints []string `json:"interfaceEndpoints"`
	// FlowLogRetentionDays is how long flow logs are kept; default 90. Must be
	// a value CloudWatch Logs accepts.
	FlowLogRetentionDays int `json:"flowLogRetentionDays"`
	// FlowLogAggregationSeconds is 60 or 600; default 600.
	FlowLogAggregationSeconds int `json:"flowLogAggregationSeconds"`
}

// DefaultConfig returns the configuration of a stack that sets nothing in
// platform:network: the one place its defaults are written. The stack decodes
// the stack file's object over it, so an absent key keeps its default and a
// present one (0 and false included) is meant. A Go caller starts from it and
// changes fields: a Config literal's zero fields are zeros, not defaults.
func DefaultConfig() Config {
	return Config{
		CIDR:                      "10.0.0.0/16",
		AZCount:                   3,
		NATMode:                   NATPerAZ,
		PublicPrefixLength:        24,
		PrivatePrefixLength:       20,
		DataPrefixLength:          24,
		GatewayEndpoints:          []string{"s3", "dynamodb"},
		InterfaceEndpoints:        []string{},
		FlowLogRetentionDays:      90,
		FlowLogAggregationSeconds: 600,
	}
}

var (
	azNameRE      = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d[a-z]$`)
	serviceNameRE = regexp.MustCompile(`^[a-z0-9-]+(\.[a-z0-9-]+)*$`)
)

// Validate reports every problem with c, each naming its field. It checks the
// whole layout (CIDR carving included) when the zones are known from the
// config; NewVpc lays the subnets out again in the zones it is given or
// looks up. The stack runs Validate when it loads platform:network, before
// anything is registered; NewVpc does not run it again, so a Go caller that
// builds a Config runs it first.
func (c Config) Validate() error {
	var p check.Problems
	vpc, err := netip.ParsePrefix(c.CIDR)
	switch {
	case err != nil || !vpc.Addr().Is4():
		p.Addf("cidr", "must be an IPv4 CIDR block such as \"10.0.0.0/16\", got %q", c.CIDR)
	case vpc.Masked() != vpc:
		p.Addf("cidr", "must not have host bits set, got %q (did you mean %q?)", c.CIDR, vpc.Masked().String())
	case vpc.Bits() < 16 || vpc.Bits() > 24:
		p.Addf("cidr", "must have a prefix length between /16 and /24 (what AWS allows for a VPC, with room for three tiers), got /%d", vpc.Bits())
	case !isPrivate(vpc):
		p.Addf("cidr", "must be inside the RFC 1918 ranges 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, got %q", c.CIDR)
	}
	p.Between("azCount", c.AZCount, 2, 6)
	if n := len(c.AvailabilityZones); n > 0 {
		if n != c.AZCount {
			p.Addf("availabilityZones", "lists %d zones but azCount is %d; set azCount to %d or list %d zones", n, c.AZCount, n, c.AZCount)
		}
		seen := map[string]bool{}
		for i, az := range c.AvailabilityZones {
			if !azNameRE.MatchString(az) {
				p.Addf(fmt.Sprintf("availabilityZones[%d]", i), "must be an availability zone name such as \"eu-west-1a\", got %q", az)
			}
			if seen[az] {
				p.Addf(fmt.Sprintf("availabilityZones[%d]", i), "%q is listed twice", az)
			}
			seen[az] = true
		}
	}
	p.OneOf("natMode", c.NATMode, NATNone, NATSingle, NATPerAZ)
	p.Between("publicPrefixLength", c.PublicPrefixLength, 16, 28)
	p.Between("privatePrefixLength", c.PrivatePrefixLength, 16, 28)
	p.Between("dataPrefixLength", c.DataPrefixLength, 16, 28)
	for tier := range c.SubnetCIDRs {
		if !slices.Contains(Tiers, Tier(tier)) {
			p.Addf("subnetCidrs", "unknown tier %q: must be one of \"public\", \"private\", \"data\"", tier)
		}
	}
	for i, e := range c.GatewayEndpoints {
		p.OneOf(fmt.Sprintf("gatewayEndpoints[%d]", i), e, "s3", "dynamodb")
	}
	seen := map[string]bool{}
	for i, e := range c.InterfaceEndpoints {
		path := fmt.Sprintf("interfaceEndpoints[%d]", i)
		if !serviceNameRE.MatchString(e) {
			p.Addf(path, "must be an AWS service name such as \"ecr.api\" or \"sts\", got %q", e)
		}
		if seen[e] {
			p.Addf(path, "%q is listed twice", e)
		}
		seen[e] = true
	}
	if !parts.ValidRetention(c.FlowLogRetentionDays) {
		p.Addf("flowLogRetentionDays", "must be one of the retention periods CloudWatch Logs accepts (%v), got %d", parts.LogRetentionDays, c.FlowLogRetentionDays)
	}
	p.IntOneOf("flowLogAggregationSeconds", c.FlowLogAggregationSeconds, 60, 600)

	if p.Len() == 0 {
		// The zones may only be known once the region is asked (NewVpc checks
		// again then); the tier blocks and pinned CIDRs can be checked now.
		azs := c.AvailabilityZones
		if len(azs) == 0 {
			azs = pinnedZones(c.SubnetCIDRs)
		}
		if _, err := planSubnets(c.layoutArgs(azs)); err != nil {
			path := "cidr"
			if len(c.SubnetCIDRs) > 0 {
				path = "subnetCidrs"
			}
			p.Addf(path, "%s", err.Error())
		}
	}
	return p.Err()
}

// pinnedZones returns the AZ names that have an explicit CIDR, sorted.
func pinnedZones(cidrs map[string]map[string]string) []string {
	var out []string
	for _, byAZ := range cidrs {
		for az := range byAZ {
			if !slices.Contains(out, az) {
				out = append(out, az)
			}
		}
	}
	slices.Sort(out)
	return out
}

func (c Config) layoutArgs(azs []string) layoutArgs {
	explicit := map[Tier]map[string]string{}
	for tier, byAZ := range c.SubnetCIDRs {
		explicit[Tier(tier)] = byAZ
	}
	return layoutArgs{
		VPCCIDR: c.CIDR,
		AZs:     azs,
		PrefixLengths: map[Tier]int{
			Public:  c.PublicPrefixLength,
			Private: c.PrivatePrefixLength,
			Data:    c.DataPrefixLength,
		},
		Explicit: explicit,
	}
}

var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

func isPrivate(p netip.Prefix) bool {
	for _, r := range privateRanges {
		if r.Bits() <= p.Bits() && r.Contains(p.Addr()) {
			return true
		}
	}
	return false
}
