package pack

import (
	"math/big"
	"net/netip"
	"sort"
	"strings"
)

// "Open to the internet" is judged on the union of a source's CIDRs, not on
// each one: 0.0.0.0/1 plus 128.0.0.0/1, or a hundred /8s, are the internet
// as much as 0.0.0.0/0 is. A set of CIDRs is open when the public addresses
// its union covers outnumber one prefix of the configured length (/16 for
// IPv4, /48 for IPv6 by default): an office, a VPN or a partner's range
// fits; a slice of the internet does not.

// nonPublicV4 are the IPv4 special-purpose ranges (IANA IPv4 Special-Purpose
// Address Registry, RFC 6890 and its updates): private, shared (CGNAT),
// loopback, link-local, documentation, benchmarking, multicast, reserved.
var nonPublicV4 = mustPrefixes(
	"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
	"192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
	"203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
)

// publicV6 is the IPv6 global unicast space (2000::/3, RFC 4291) minus the
// documentation prefix (RFC 3849); the rest (ULA fc00::/7, link-local,
// multicast, loopback) is not reachable from the internet.
var (
	globalV6  = mustPrefixes("2000::/3")
	nonPublic = mustPrefixes("2001:db8::/32")
)

func mustPrefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

// interval is a closed range of addresses as integers.
type interval struct{ lo, hi *big.Int }

func prefixInterval(p netip.Prefix) interval {
	p = p.Masked()
	lo := new(big.Int).SetBytes(p.Addr().AsSlice())
	bits := p.Addr().BitLen()
	size := new(big.Int).Lsh(big.NewInt(1), uint(bits-p.Bits()))
	hi := new(big.Int).Sub(new(big.Int).Add(lo, size), big.NewInt(1))
	return interval{lo, hi}
}

// merge sorts and joins overlapping or adjacent intervals.
func merge(in []interval) []interval {
	sort.Slice(in, func(i, j int) bool { return in[i].lo.Cmp(in[j].lo) < 0 })
	var out []interval
	one := big.NewInt(1)
	for _, iv := range in {
		if n := len(out); n > 0 && new(big.Int).Add(out[n-1].hi, one).Cmp(iv.lo) >= 0 {
			if iv.hi.Cmp(out[n-1].hi) > 0 {
				out[n-1].hi = iv.hi
			}
			continue
		}
		out = append(out, interval{new(big.Int).Set(iv.lo), new(big.Int).Set(iv.hi)})
	}
	return out
}

// overlap counts the addresses two merged interval sets share.
func overlap(a, b []interval) *big.Int {
	total := new(big.Int)
	for _, x := range a {
		for _, y := range b {
			lo, hi := x.lo, x.hi
			if y.lo.Cmp(lo) > 0 {
				lo = y.lo
			}
			if y.hi.Cmp(hi) < 0 {
				hi = y.hi
			}
			if lo.Cmp(hi) <= 0 {
				total.Add(total, new(big.Int).Add(new(big.Int).Sub(hi, lo), big.NewInt(1)))
			}
		}
	}
	return total
}

func intervals(ps []netip.Prefix) []interval {
	out := make([]interval, len(ps))
	for i, p := range ps {
		out[i] = prefixInterval(p)
	}
	return merge(out)
}

var (
	nonPublicV4Intervals = intervals(nonPublicV4)
	globalV6Intervals    = intervals(globalV6)
	nonPublicV6Intervals = intervals(nonPublic)
)

// publicCount returns how many public IPv4 and IPv6 addresses the union of
// cidrs covers; strings that are not CIDRs (or bare addresses) are
// skipped.
func publicCount(cidrs []string) (v4, v6 *big.Int) {
	var in4, in6 []interval
	for _, c := range cidrs {
		c = strings.TrimSpace(c)
		p, err := netip.ParsePrefix(c)
		if err != nil {
			a, aerr := netip.ParseAddr(c)
			if aerr != nil {
				continue
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if p.Addr().Is4() || p.Addr().Is4In6() {
			if p.Addr().Is4In6() {
				p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
			}
			in4 = append(in4, prefixInterval(p))
		} else {
			in6 = append(in6, prefixInterval(p))
		}
	}
	m4, m6 := merge(in4), merge(in6)
	total4 := new(big.Int)
	for _, iv := range m4 {
		total4.Add(total4, new(big.Int).Add(new(big.Int).Sub(iv.hi, iv.lo), big.NewInt(1)))
	}
	v4 = total4.Sub(total4, overlap(m4, nonPublicV4Intervals))
	v6 = new(big.Int).Sub(overlap(m6, globalV6Intervals), overlap(m6, nonPublicV6Intervals))
	return v4, v6
}

// openToInternet reports whether a set of CIDRs covers more public addresses
// than one IPv4 prefix of length v4Bits or one IPv6 prefix of length
// v6Bits.
func openToInternet(cidrs []string, v4Bits, v6Bits int) bool {
	v4, v6 := publicCount(cidrs)
	max4 := new(big.Int).Lsh(big.NewInt(1), uint(32-v4Bits))
	max6 := new(big.Int).Lsh(big.NewInt(1), uint(128-v6Bits))
	return v4.Cmp(max4) > 0 || v6.Cmp(max6) > 0
}

// publicSourceProps are the settings that say how large a public source may
// be before it counts as the internet.
func publicSourceProps() schemaProps {
	return schemaProps{
		"largestPublicIpv4Prefix": intProp("A source counts as the internet when its CIDRs together cover more public IPv4 addresses than one prefix of this length.", 16, 1, 32),
		"largestPublicIpv6Prefix": intProp("A source counts as the internet when its CIDRs together cover more public IPv6 addresses than one prefix of this length.", 48, 1, 128),
	}
}

func (s settings) open(cidrs []string) bool {
	return openToInternet(cidrs, s.int("largestPublicIpv4Prefix"), s.int("largestPublicIpv6Prefix"))
}
