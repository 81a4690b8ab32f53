package pack

import (
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

const (
	ec2SecurityGroup        = "aws:ec2/securityGroup:SecurityGroup"
	ec2DefaultSecurityGroup = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	ec2SecurityGroupRule    = "aws:ec2/securityGroupRule:SecurityGroupRule"
	vpcIngressRule          = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	vpcEgressRule           = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	ec2LaunchTemplate       = "aws:ec2/launchTemplate:LaunchTemplate"
	ec2Subnet               = "aws:ec2/subnet:Subnet"
	ec2Vpc                  = "aws:ec2/vpc:Vpc"
	ec2FlowLog              = "aws:ec2/flowLog:FlowLog"
)

// defaultForbiddenPorts are never to be open to the internet, whatever the
// allowlist says: databases, caches, brokers and remote administration.
var defaultForbiddenPorts = []int{
	22, 3389, // SSH, RDP
	5432, 3306, 1433, 1521, 27017, // PostgreSQL, MySQL, SQL Server, Oracle, MongoDB
	6379, 6380, 11211, // Redis, Memcached
	5671, 5672, 15671, 15672, 61614, 61616, 61617, 8883, 8162, // RabbitMQ (AMQP, management), ActiveMQ, MQTT
	9200, 9300, 2049, 445, // OpenSearch, NFS, SMB
}

func ec2Rules() []*rule {
	lt := []string{ec2LaunchTemplate}
	return []*rule{
		{
			// Closes: services reachable from the whole internet, databases,
			// caches and brokers above all. "The internet" is any set of
			// CIDRs whose union covers more public addresses than the
			// configured prefix (0.0.0.0/0, or 0.0.0.0/1 + 128.0.0.0/1, or
			// a hundred public /8s alike). Security Hub EC2.18 (high) and
			// EC2.19 (critical).
			name:        "aws-ec2-securitygroup-disallow-public-ingress",
			description: "Security groups admit traffic from the internet (any set of CIDRs covering a large public range) only on allowlisted ports, and never on database, cache, broker or admin ports.",
			level:       Mandatory,
			severity:    Critical,
			types:       []string{ec2SecurityGroup, ec2DefaultSecurityGroup, ec2SecurityGroupRule, vpcIngressRule},
			schema:      publicIngressSchema(),
			check: func(r policyx.AnalyzerResource, s settings) []string {
				var out []string
				for _, e := range ingressEntries(r) {
					src, open, unknown := e.source(s)
					if !open || unknown {
						continue
					}
					if m := judgePublicIngress(e, src, s.ints("allowedPorts"), s.ints("forbiddenPorts")); m != "" {
						out = append(out, m)
					}
				}
				return out
			},
		},
		{
			// Closes: the same exposure split over several rules, none open
			// on its own: 0.0.0.0/1 in one ingress rule resource and
			// 128.0.0.0/1 in another, on the same group and port.
			name:        "aws-ec2-securitygroup-split-public-ingress",
			description: "The ingress rules of a security group, taken together, do not open a port to the internet that no single rule opens.",
			level:       Mandatory,
			severity:    Critical,
			types:       []string{ec2SecurityGroup, ec2SecurityGroupRule, vpcIngressRule},
			schema:      publicIngressSchema(),
			stack:       judgeSplitIngress,
		},
		{
			// Closes: anything launched without a security group silently
			// getting the VPC's default one, and its rules.
			name:        "aws-ec2-defaultsecuritygroup-no-rules",
			description: "A VPC's default security group has no rules.",
			level:       Mandatory,
			severity:    High,
			types:       []string{ec2DefaultSecurityGroup},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				var out []string
				for _, dir := range []string{"ingress", "egress"} {
					if items, ok := at(r.Properties, dir).items(); ok && len(items) > 0 {
						out = append(out, fmt.Sprintf("The default security group has %d %s rule(s); remove `%s` so resources left in the default group can reach nothing.", len(items), dir, dir))
					}
				}
				return out
			},
		},
		{
			name:        "aws-ec2-securitygroup-descriptions",
			description: "Security groups and their rules say what they are for.",
			level:       Advisory,
			severity:    Low,
			types:       []string{ec2SecurityGroup, ec2SecurityGroupRule, vpcIngressRule, vpcEgressRule},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				desc := at(r.Properties, "description")
				var out []string
				if !desc.isUnknown() && (!desc.nonEmpty() || strings.EqualFold(mustStr(desc), "Managed by Pulumi")) {
					out = append(out, "`description` is missing or the provider's default; say what the group or rule admits and why.")
				}
				if r.Type == ec2SecurityGroup {
					for _, dir := range []string{"ingress", "egress"} {
						items, _ := at(r.Properties, dir).items()
						for i, e := range items {
							d := e.get("description")
							if !d.isUnknown() && !d.nonEmpty() {
								out = append(out, fmt.Sprintf("`%s[%d].description` is missing; describe the rule.", dir, i))
							}
						}
					}
				}
				return out
			},
		},
		{
			// Closes: stolen instance credentials through SSRF against IMDSv1.
			name:        "aws-ec2-launchtemplate-imdsv2-required",
			description: "Launch templates require IMDSv2 session tokens for the instance metadata service.",
			level:       Mandatory,
			severity:    High,
			types:       lt,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				mo := at(r.Properties, "metadataOptions")
				tokens, endpoint := mo.get("httpTokens"), mo.get("httpEndpoint")
				if tokens.isUnknown() || endpoint.isUnknown() {
					return nil
				}
				if v, _ := tokens.str(); v == "required" {
					return nil
				}
				if v, _ := endpoint.str(); v == "disabled" {
					return nil
				}
				return []string{"IMDSv1 is allowed, so an SSRF bug can steal the node's credentials; set `metadataOptions: {httpTokens: \"required\"}` (components/cluster does this)."}
			},
		},
		{
			// Closes: node disks (container images, emptyDir, logs) readable
			// from the volume or its snapshots.
			name:        "aws-ec2-launchtemplate-volumes-encrypted",
			description: "Launch templates declare their EBS volumes encrypted.",
			level:       Mandatory,
			severity:    Medium,
			types:       lt,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				bdm := at(r.Properties, "blockDeviceMappings")
				if bdm.isUnknown() {
					return nil
				}
				maps, _ := bdm.items()
				if len(maps) == 0 {
					return []string{"No `blockDeviceMappings`, so the root volume follows the AMI's default, which is unencrypted; declare the root device with `ebs: {encrypted: \"true\", kmsKeyId: <customer-managed key ARN>}`."}
				}
				var out []string
				for i, m := range maps {
					ebs := m.get("ebs")
					if ebs.missing() {
						continue
					}
					out = append(out, requireTrue(ebs.get("encrypted"),
						fmt.Sprintf("`blockDeviceMappings[%d].ebs.encrypted` is not \"true\"; set it (a string in the v6 SDK) with `kmsKeyId`.", i)))
				}
				return collect(out...)
			},
		},
		{
			name:        "aws-ec2-launchtemplate-volumes-customer-managed-key",
			description: "Encrypted launch-template volumes use a customer-managed KMS key.",
			level:       Mandatory,
			severity:    Low,
			types:       lt,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				maps, _ := at(r.Properties, "blockDeviceMappings").items()
				var out []string
				for i, m := range maps {
					ebs := m.get("ebs")
					if !ebs.get("encrypted").isTrue() {
						continue
					}
					out = append(out, requireCMK(ebs.get("kmsKeyId"), fmt.Sprintf("Volume %d", i),
						"set `kmsKeyId` to a customer-managed KMS key ARN whose policy lets the Auto Scaling service-linked role use it."))
				}
				return collect(out...)
			},
		},
		{
			// Closes: nodes with public addresses, reachable around the NAT.
			name:        "aws-ec2-launchtemplate-no-public-ip",
			description: "Launch templates do not give instances public IP addresses.",
			level:       Mandatory,
			severity:    High,
			types:       lt,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				nis, _ := at(r.Properties, "networkInterfaces").items()
				var out []string
				for i, ni := range nis {
					out = append(out, forbidTrue(ni.get("associatePublicIpAddress"),
						fmt.Sprintf("`networkInterfaces[%d].associatePublicIpAddress` is true; remove it and launch into private subnets.", i)))
				}
				return collect(out...)
			},
		},
		{
			name:        "aws-ec2-launchtemplate-metadata-hop-limit",
			description: "Launch templates keep the metadata hop limit low, so pods cannot reach the node's credentials.",
			level:       Advisory,
			severity:    Low,
			types:       lt,
			schema: schemaProps{
				"maximumHopLimit": intProp("Highest httpPutResponseHopLimit allowed (1 keeps IMDS away from pods; IRSA replaces it).", 1, 1, 64),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				n := at(r.Properties, "metadataOptions.httpPutResponseHopLimit")
				f, ok := n.num()
				if !ok {
					return nil
				}
				if maxi := s.int("maximumHopLimit"); int(f) > maxi {
					return []string{fmt.Sprintf("`metadataOptions.httpPutResponseHopLimit` is %d, so pods can reach the node's instance credentials; set it to %d and give pods IRSA roles.", int(f), maxi)}
				}
				return nil
			},
		},
		{
			// Closes: credentials baked into user data, which anyone with
			// ec2:DescribeLaunchTemplateVersions can read.
			name:        "aws-ec2-launchtemplate-no-secrets-in-user-data",
			description: "Launch-template user data holds no credentials.",
			level:       Mandatory,
			severity:    High,
			types:       lt,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				s, ok := at(r.Properties, "userData").str()
				if !ok {
					return nil
				}
				text := s
				if b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s)); err == nil {
					text = string(b)
				}
				if why := credentialContent(text); why != "" {
					return []string{fmt.Sprintf("`userData` contains %s; fetch credentials at boot from Secrets Manager with the instance role instead.", why)}
				}
				return nil
			},
		},
		{
			name:        "aws-ec2-subnet-no-public-ip-on-launch",
			description: "Subnets do not give instances public IP addresses by default.",
			level:       Advisory,
			severity:    Medium,
			types:       []string{ec2Subnet},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return collect(forbidTrue(at(r.Properties, "mapPublicIpOnLaunch"),
					"`mapPublicIpOnLaunch` is true, so anything launched here is on the internet; set it false (NAT and load balancers do not need it)."))
			},
		},
		{
			name:        "aws-ec2-vpc-flow-logs-enabled",
			description: "Every VPC records its traffic with a flow log (ALL or REJECT).",
			level:       Advisory,
			severity:    Medium,
			types:       []string{ec2Vpc, ec2FlowLog},
			stack: func(rs []policyx.AnalyzerResource, _ settings) []finding {
				vpcs := ofType(rs, ec2Vpc)
				ix := newLinkIndex(vpcs, "id")
				covered := make([]bool, len(vpcs))
				unsure := false
				for _, fl := range ofType(rs, ec2FlowLog) {
					found, undecided := ix.find(fl, "vpcId")
					unsure = unsure || undecided
					t := at(fl.Properties, "trafficType")
					if s, _ := t.str(); s != "ALL" && s != "REJECT" && !t.isUnknown() {
						continue
					}
					for _, i := range found {
						covered[i] = true
					}
				}
				var out []finding
				for i, v := range vpcs {
					if !covered[i] && !unsure {
						out = append(out, finding{urn: v.URN, message: "The VPC has no flow log; add an `aws.ec2.FlowLog` with `vpcId` = this VPC and `trafficType: ALL` to an encrypted log group (components/network does this)."})
					}
				}
				return out
			},
		},
		{
			name:        "aws-ec2-vpc-default-security-group-adopted",
			description: "Every VPC adopts its default security group (aws.ec2.DefaultSecurityGroup), so its rules are managed and empty.",
			level:       Advisory,
			severity:    High,
			types:       []string{ec2Vpc, ec2DefaultSecurityGroup},
			stack: func(rs []policyx.AnalyzerResource, _ settings) []finding {
				vpcs := ofType(rs, ec2Vpc)
				ix := newLinkIndex(vpcs, "id")
				adopted := make([]bool, len(vpcs))
				unsure := false
				for _, g := range ofType(rs, ec2DefaultSecurityGroup) {
					found, undecided := ix.find(g, "vpcId")
					unsure = unsure || undecided
					for _, i := range found {
						adopted[i] = true
					}
				}
				var out []finding
				for i, v := range vpcs {
					if !adopted[i] && !unsure {
						out = append(out, finding{urn: v.URN, message: "The VPC's default security group keeps AWS's allow-all-within-group rules; adopt it with an `aws.ec2.DefaultSecurityGroup` for this VPC and no rules."})
					}
				}
				return out
			},
		},
		{
			name:        "aws-ec2-securitygroup-no-mixed-rule-management",
			description: "A security group's rules are managed either inline or as rule resources, never both (they overwrite each other).",
			level:       Advisory,
			severity:    Low,
			types:       []string{ec2SecurityGroup, ec2SecurityGroupRule, vpcIngressRule, vpcEgressRule},
			stack: func(rs []policyx.AnalyzerResource, _ settings) []finding {
				var rules []policyx.AnalyzerResource
				for _, t := range []string{ec2SecurityGroupRule, vpcIngressRule, vpcEgressRule} {
					rules = append(rules, ofType(rs, t)...)
				}
				groups := ofType(rs, ec2SecurityGroup)
				ix := newLinkIndex(groups, "id")
				managedBy := make([]string, len(groups))
				for _, rule := range rules {
					found, _ := ix.find(rule, "securityGroupId")
					for _, gi := range found {
						if managedBy[gi] == "" {
							managedBy[gi] = rule.URN
						}
					}
				}
				var out []finding
				for gi, g := range groups {
					in, _ := at(g.Properties, "ingress").items()
					eg, _ := at(g.Properties, "egress").items()
					if len(in)+len(eg) == 0 || managedBy[gi] == "" {
						continue
					}
					out = append(out, finding{urn: g.URN, message: fmt.Sprintf("The group has inline rules and is also managed by %s; move every rule to rule resources (parts.AllowFrom) and drop `ingress`/`egress`.", managedBy[gi])})
				}
				return out
			},
		},
	}
}

func mustStr(n node) string {
	s, _ := n.str()
	return s
}

// ingress is one ingress permission, whichever resource declared it.
type ingress struct {
	where    string // for messages: "ingress[0]" or "the rule"
	protocol node
	from, to node
	cidrs    []node
}

// source returns an ingress's known CIDRs, whether they open it to the
// internet, and whether some CIDR is not known yet (and might).
func (e ingress) source(s settings) (cidrs []string, open, unknown bool) {
	for _, c := range e.cidrs {
		if c.isUnknown() {
			unknown = true
			continue
		}
		if v, ok := c.str(); ok && v != "" {
			cidrs = append(cidrs, v)
		}
	}
	open = len(cidrs) > 0 && s.open(cidrs)
	return cidrs, open, unknown && !open
}

// ports returns the protocol class ("tcp", "udp", "icmp" or "all") and the
// port range an ingress opens; ok is false while they are unknown.
func (e ingress) ports() (proto string, lo, hi int, ok bool) {
	if e.protocol.isUnknown() || e.from.isUnknown() || e.to.isUnknown() {
		return "", 0, 0, false
	}
	p := strings.ToLower(mustStr(e.protocol))
	if p == "" {
		if f, ok := e.protocol.num(); ok {
			p = strconv.Itoa(int(f))
		}
	}
	switch p {
	case "tcp", "6":
		proto = "tcp"
	case "udp", "17":
		proto = "udp"
	case "icmp", "1", "icmpv6", "58":
		return "icmp", 0, 65535, true
	default: // "-1", "all" and every other protocol number
		return "all", 0, 65535, true
	}
	lo, hi = 0, 65535
	f, okf := e.from.num()
	t, okt := e.to.num()
	if okf && okt && f >= 0 && t >= f {
		lo, hi = int(f), int(t)
	}
	return proto, lo, hi, true
}

// ingressEntries extracts the ingress permissions of the four resource
// kinds that can declare them.
func ingressEntries(r policyx.AnalyzerResource) []ingress {
	p := r.Properties
	switch r.Type {
	case ec2SecurityGroup, ec2DefaultSecurityGroup:
		items, _ := at(p, "ingress").items()
		out := make([]ingress, 0, len(items))
		for i, e := range items {
			out = append(out, ingress{
				where:    fmt.Sprintf("`ingress[%d]`", i),
				protocol: e.get("protocol"), from: e.get("fromPort"), to: e.get("toPort"),
				cidrs: append(listOf(e.get("cidrBlocks")), listOf(e.get("ipv6CidrBlocks"))...),
			})
		}
		return out
	case ec2SecurityGroupRule:
		if t, _ := at(p, "type").str(); t != "ingress" {
			return nil
		}
		return []ingress{{
			where:    "the rule",
			protocol: at(p, "protocol"), from: at(p, "fromPort"), to: at(p, "toPort"),
			cidrs: append(listOf(at(p, "cidrBlocks")), listOf(at(p, "ipv6CidrBlocks"))...),
		}}
	case vpcIngressRule:
		return []ingress{{
			where:    "the rule",
			protocol: at(p, "ipProtocol"), from: at(p, "fromPort"), to: at(p, "toPort"),
			cidrs: []node{at(p, "cidrIpv4"), at(p, "cidrIpv6")},
		}}
	}
	return nil
}

func listOf(n node) []node {
	if n.isUnknown() {
		return []node{n}
	}
	items, _ := n.items()
	return items
}

func publicIngressSchema() schemaProps {
	s := schemaProps{
		"allowedPorts":   intListProp("Ports that may be open to the internet.", []int{443}, 0, 65535),
		"forbiddenPorts": intListProp("Ports never open to the internet, even if allowlisted.", defaultForbiddenPorts, 0, 65535),
	}
	maps.Copy(s, publicSourceProps())
	return s
}

// judgePublicIngress reports an ingress permission open to the internet on
// a port that is forbidden or not allowlisted.
func judgePublicIngress(e ingress, src []string, allowed, forbidden []int) string {
	proto, lo, hi, ok := e.ports()
	if !ok {
		return ""
	}
	return judgeOpenPorts(e.where, strings.Join(src, ", "), proto, lo, hi, allowed, forbidden)
}

// judgeOpenPorts reports a port range of a protocol open to an
// internet-sized source, unless every port is allowlisted and none
// forbidden.
func judgeOpenPorts(where, src, proto string, lo, hi int, allowed, forbidden []int) string {
	const fix = "admit a source security group instead (parts.AllowFrom) or a VPC CIDR."
	if proto == "icmp" {
		return fmt.Sprintf("%s admits ICMP from %s, which together cover the internet; only allowlisted ports may be open to it: %s", where, src, fix)
	}
	var hit []string
	for _, p := range forbidden {
		if p >= lo && p <= hi {
			hit = append(hit, strconv.Itoa(p))
		}
	}
	ports := fmt.Sprintf("%d-%d", lo, hi)
	if lo == hi {
		ports = strconv.Itoa(lo)
	}
	if len(hit) > 0 {
		return fmt.Sprintf("%s opens port(s) %s to %s, which together cover the internet, including database, cache, broker or admin port(s) %s that must never be public; %s", where, ports, src, strings.Join(hit, ", "), fix)
	}
	if proto != "all" && hi-lo+1 <= len(allowed) {
		all := true
		for p := lo; p <= hi; p++ {
			if !slices.Contains(allowed, p) {
				all = false
				break
			}
		}
		if all {
			return ""
		}
	}
	return fmt.Sprintf("%s opens port(s) %s to %s, which together cover the internet; only %s may be open to it: %s", where, ports, src, intList(allowed), fix)
}

// judgeSplitIngress gathers every ingress of each security group (inline,
// and rule resources linked by securityGroupId) and reports the ports that
// only their union opens to the internet.
func judgeSplitIngress(rs []policyx.AnalyzerResource, s settings) []finding {
	groups := ofType(rs, ec2SecurityGroup)
	type sourced struct {
		e   ingress
		src []string
	}
	byGroup := make([][]sourced, len(groups))
	add := func(gi int, r policyx.AnalyzerResource) {
		for _, e := range ingressEntries(r) {
			src, open, unknown := e.source(s)
			if open || unknown || len(src) == 0 {
				// Open alone: the resource policy reports it.
				continue
			}
			byGroup[gi] = append(byGroup[gi], sourced{e, src})
		}
	}
	for gi, g := range groups {
		add(gi, g)
	}
	ix := newLinkIndex(groups, "id")
	for _, t := range []string{ec2SecurityGroupRule, vpcIngressRule} {
		for _, r := range ofType(rs, t) {
			found, _ := ix.find(r, "securityGroupId")
			for _, gi := range found {
				add(gi, r)
			}
		}
	}
	allowed, forbidden := s.ints("allowedPorts"), s.ints("forbiddenPorts")
	var out []finding
	for gi, entries := range byGroup {
		if len(entries) < 2 {
			continue
		}
		for _, proto := range []string{"tcp", "udp", "icmp"} {
			// Elementary port segments: between consecutive boundaries,
			// every entry either covers the whole segment or none of it.
			cuts := map[int]bool{0: true, 65536: true}
			type span struct {
				lo, hi int
				src    []string
			}
			var spans []span
			for _, x := range entries {
				p, lo, hi, ok := x.e.ports()
				if !ok || (p != proto && p != "all") {
					continue
				}
				cuts[lo], cuts[hi+1] = true, true
				spans = append(spans, span{lo, hi, x.src})
			}
			if len(spans) < 2 {
				continue
			}
			bounds := slices.Sorted(maps.Keys(cuts))
			for i := 0; i+1 < len(bounds); i++ {
				lo, hi := bounds[i], bounds[i+1]-1
				var union []string
				n := 0
				for _, sp := range spans {
					if sp.lo <= lo && hi <= sp.hi {
						union = append(union, sp.src...)
						n++
					}
				}
				if n < 2 || !s.open(union) {
					continue
				}
				if m := judgeOpenPorts("The group's ingress rules together", strings.Join(union, ", "), proto, lo, hi, allowed, forbidden); m != "" {
					out = append(out, finding{urn: groups[gi].URN, message: m})
				}
			}
		}
	}
	return out
}

func intList(xs []int) string {
	if len(xs) == 0 {
		return "no port"
	}
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprintf("%d", x)
	}
	return "port(s) " + strings.Join(s, ", ")
}
