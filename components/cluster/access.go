package cluster

import (
	"cmp"
	"fmt"
	"net/netip"
	"regexp"
	"slices"

	"github.com/acme/platform/internal/check"
)

// MaxPublicAddresses bounds how many addresses the public endpoint's CIDRs
// may cover together: a /16. Deployers' egress is a handful of addresses;
// anything wider is "a large part of the internet", however it is split.
const MaxPublicAddresses = 1 << 16

// MaxPublicCIDRs is the EKS quota "Public endpoint access CIDR ranges per
// cluster" (EKS service quotas page; not adjustable).
const MaxPublicCIDRs = 40

// reservedIPv4 are the IANA special-purpose blocks (RFC 6890 and its
// registry): EKS refuses them as public access CIDRs ("The block cannot
// include reserved addresses", EKS UG cluster-endpoint.adoc), and no
// deployer's egress comes from them.
var reservedIPv4 = prefixes(
	"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
	"172.16.0.0/12", "192.0.0.0/24", "192.88.99.0/24", "192.168.0.0/16",
	"198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
)

// DocumentationIPv4 are the RFC 5737 documentation blocks (TEST-NET-1, -2
// and -3). The stack files use them as placeholders for the deployers'
// egress; validation accepts them so the offline plan runs, and the
// preflight refuses them when deploying for real (EKS would too: they are
// reserved).
var DocumentationIPv4 = prefixes("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")

// privateIPv4 are the blocks a network connected to the VPC uses: RFC 1918
// and the RFC 6598 shared space (VPNs and carrier-grade NAT).
var privateIPv4 = prefixes("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")

var (
	securityGroupIDRE = regexp.MustCompile(`^sg-([0-9a-f]{8}|[0-9a-f]{17})$`)
	// ruleDescriptionRE is what EC2 accepts in a security-group rule's
	// description (EC2 API IpRange.Description: "Constraints: Up to 255
	// characters in length. Allowed characters are a-z, A-Z, 0-9, spaces,
	// and ._-:/()#,@[]+=&;{}!$*").
	ruleDescriptionRE = regexp.MustCompile(`^[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]{1,255}$`)
)

func prefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

func within(p netip.Prefix, blocks []netip.Prefix) bool {
	for _, b := range blocks {
		if b.Bits() <= p.Bits() && b.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

func overlapsAny(p netip.Prefix, blocks []netip.Prefix) bool {
	for _, b := range blocks {
		if b.Overlaps(p) {
			return true
		}
	}
	return false
}

// IsDocumentation reports whether cidr lies inside an RFC 5737 block.
func IsDocumentation(cidr string) bool {
	p, err := netip.ParsePrefix(cidr)
	return err == nil && within(p, DocumentationIPv4)
}

// addressCount returns how many IPv4 addresses the union of the prefixes
// covers: overlapping or adjacent blocks count once, so a /0 split into 256
// /8s counts the same as the /0.
func addressCount(ps []netip.Prefix) uint64 {
	type span struct{ lo, hi uint64 }
	spans := make([]span, 0, len(ps))
	for _, p := range ps {
		if !p.Addr().Is4() {
			continue
		}
		a := p.Masked().Addr().As4()
		lo := uint64(a[0])<<24 | uint64(a[1])<<16 | uint64(a[2])<<8 | uint64(a[3])
		spans = append(spans, span{lo, lo + (uint64(1) << (32 - p.Bits())) - 1})
	}
	slices.SortFunc(spans, func(x, y span) int { return cmp.Compare(x.lo, y.lo) })
	var total uint64
	for i := 0; i < len(spans); {
		cur := spans[i]
		j := i + 1
		for ; j < len(spans) && spans[j].lo <= cur.hi+1; j++ {
			cur.hi = max(cur.hi, spans[j].hi)
		}
		total += cur.hi - cur.lo + 1
		i = j
	}
	return total
}

// validateAPIAccess checks both paths and that the in-cluster layer has one.
func (c Config) validateAPIAccess(p *check.Problems) {
	a := c.APIAccess
	if c.InClusterLayer && !a.hasPath() {
		p.Addf("apiAccess", "gives whoever runs `pulumi up` no way to the Kubernetes API, which the in-cluster layer (namespaces, Helm releases, the database bootstrap Job) is deployed through: "+
			"set apiAccess.publicCidrs to your deploy runners' static egress CIDRs (public endpoint, restricted), "+
			"or apiAccess.privateSources to the runners' subnet or VPN CIDR or security group (private endpoint, 443 from them; the runners must be in the VPC or a connected network), "+
			"or set inClusterLayer: false")
	}
	if len(a.PublicCIDRs) > MaxPublicCIDRs {
		p.Addf("apiAccess.publicCidrs", "EKS accepts at most %d public access CIDRs per cluster, got %d", MaxPublicCIDRs, len(a.PublicCIDRs))
	}
	var public []netip.Prefix
	seen := map[netip.Prefix]int{}
	for i, cidr := range a.PublicCIDRs {
		path := fmt.Sprintf("apiAccess.publicCidrs[%d]", i)
		pfx, err := netip.ParsePrefix(cidr)
		switch {
		case err != nil || !pfx.Addr().Is4():
			p.Addf(path, "must be an IPv4 CIDR block such as \"198.51.100.7/32\" (your runners' egress address), got %q", cidr)
			continue
		case pfx.Masked() != pfx:
			p.Addf(path, "must not have host bits set, got %q (did you mean %q?)", cidr, pfx.Masked().String())
			continue
		case within(pfx, DocumentationIPv4):
			// A placeholder: accepted here, refused by the preflight when
			// deploying for real.
		case within(pfx, privateIPv4):
			p.Addf(path, "%s is a private block, which never reaches the public endpoint; put the runners' network in apiAccess.privateSources instead", cidr)
			continue
		case overlapsAny(pfx, reservedIPv4):
			p.Addf(path, "%s covers reserved addresses, which EKS refuses as public access CIDRs; list your runners' public egress addresses", cidr)
			continue
		}
		if j, dup := seen[pfx]; dup {
			p.Addf(path, "%s is already apiAccess.publicCidrs[%d]", cidr, j)
			continue
		}
		seen[pfx] = i
		public = append(public, pfx)
	}
	if n := addressCount(public); n > MaxPublicAddresses {
		p.Addf("apiAccess.publicCidrs", "together cover %d addresses, more than %d (a /16): that opens the Kubernetes API to a large part of the internet however the blocks are split; list only your runners' and operators' egress addresses", n, MaxPublicAddresses)
	}

	for i, s := range a.PrivateSources {
		path := fmt.Sprintf("apiAccess.privateSources[%d]", i)
		switch {
		case (s.CIDR == "") == (s.SecurityGroupID == ""):
			p.Addf(path, "needs exactly one of cidr (a private IPv4 block such as \"10.100.0.0/24\") and securityGroupId (\"sg-...\")")
		case s.CIDR != "":
			pfx, err := netip.ParsePrefix(s.CIDR)
			switch {
			case err != nil || !pfx.Addr().Is4():
				p.Addf(path+".cidr", "must be an IPv4 CIDR block such as \"10.100.0.0/24\", got %q", s.CIDR)
			case pfx.Masked() != pfx:
				p.Addf(path+".cidr", "must not have host bits set, got %q (did you mean %q?)", s.CIDR, pfx.Masked().String())
			case !within(pfx, privateIPv4):
				p.Addf(path+".cidr", "must be inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10: the private endpoint is reached from the VPC or a network connected to it, got %q", s.CIDR)
			}
		default:
			if !securityGroupIDRE.MatchString(s.SecurityGroupID) {
				p.Addf(path+".securityGroupId", "must be a security group ID such as \"sg-0123456789abcdef0\", got %q", s.SecurityGroupID)
			}
		}
		if !ruleDescriptionRE.MatchString(s.Description) {
			p.Addf(path+".description", "is required: 1 to 255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* saying who is behind the source (it becomes the security-group rule's description), got %q", s.Description)
		}
	}
}
