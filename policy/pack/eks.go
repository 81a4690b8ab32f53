package pack

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

const (
	eksCluster   = "aws:eks/cluster:Cluster"
	eksNodeGroup = "aws:eks/nodeGroup:NodeGroup"
)

func eksRules() []*rule {
	cluster := []string{eksCluster}
	return []*rule{
		{
			// Closes: Kubernetes Secrets readable from etcd backups.
			name:        "aws-eks-cluster-secrets-encrypted",
			description: "EKS clusters envelope-encrypt Kubernetes secrets with a customer-managed KMS key.",
			level:       policyx.EnforcementLevelMandatory,
			types:       cluster,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				const fix = "set `encryptionConfig: {resources: [\"secrets\"], provider: {keyArn: <customer-managed key ARN>}}` (components/cluster does this)."
				ec := at(r.Properties, "encryptionConfig")
				if ec.isUnknown() {
					return nil
				}
				configs, _ := ec.list()
				for _, c := range configs {
					res := c.get("resources")
					if res.isUnknown() {
						return nil
					}
					vals, hasUnknown, _ := res.strings()
					if !slices.Contains(vals, "secrets") {
						if hasUnknown {
							return nil
						}
						continue
					}
					return collect(requireCMK(c.get("provider").get("keyArn"), "Kubernetes secrets encryption", fix))
				}
				return []string{"Kubernetes secrets are not envelope-encrypted; " + fix}
			},
		},
		{
			// Closes: the Kubernetes API reachable from the whole internet.
			name:        "aws-eks-cluster-endpoint-restricted",
			description: "The EKS API endpoint is private, or public only to the listed CIDRs and never to the whole internet.",
			level:       policyx.EnforcementLevelMandatory,
			types:       cluster,
			schema: schemaProps{
				"allowedPublicAccessCidrs": stringListProp("CIDRs a public endpoint may be opened to; when empty, any CIDR except 0.0.0.0/0 and ::/0.", nil),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				vpc := at(r.Properties, "vpcConfig")
				pub := vpc.get("endpointPublicAccess")
				if pub.isUnknown() {
					return nil
				}
				if b, ok := pub.bool(); pub.known() && ok && !b {
					return nil
				}
				// Unset means public: the EKS default.
				cidrsNode := vpc.get("publicAccessCidrs")
				cidrs, hasUnknown, _ := cidrsNode.strings()
				if cidrsNode.isUnknown() || hasUnknown {
					return nil
				}
				const fix = "set `vpcConfig.endpointPublicAccess: false` (platform:cluster.endpointPublicAccess) or list the operators' CIDRs in `vpcConfig.publicAccessCidrs`."
				if len(cidrs) == 0 {
					return []string{"The Kubernetes API is public to the whole internet (no `publicAccessCidrs` means 0.0.0.0/0); " + fix}
				}
				allowed := s.strs("allowedPublicAccessCidrs")
				var out []string
				for _, c := range cidrs {
					switch {
					case isWorld(c):
						out = append(out, fmt.Sprintf("The Kubernetes API is public to the whole internet (%s in `vpcConfig.publicAccessCidrs`); %s", c, fix))
					case len(allowed) > 0 && !withinAny(c, allowed):
						out = append(out, fmt.Sprintf("`vpcConfig.publicAccessCidrs` opens the API to %s, which is not within the allowed CIDRs (%s); remove it or add it to the policy's allowedPublicAccessCidrs.", c, strings.Join(allowed, ", ")))
					}
				}
				return out
			},
		},
		{
			name:        "aws-eks-cluster-private-endpoint-enabled",
			description: "EKS clusters have the private API endpoint on, so nodes and in-VPC tools reach the API without leaving the VPC.",
			level:       policyx.EnforcementLevelAdvisory,
			types:       cluster,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return collect(requireTrue(at(r.Properties, "vpcConfig.endpointPrivateAccess"),
					"The private endpoint is off; set `vpcConfig.endpointPrivateAccess: true`."))
			},
		},
		{
			name:        "aws-eks-cluster-control-plane-logging",
			description: "EKS clusters send the configured control-plane log types to CloudWatch Logs.",
			level:       policyx.EnforcementLevelAdvisory,
			types:       cluster,
			schema: schemaProps{
				"requiredLogTypes": stringListProp("Control-plane log types that must be enabled.", []string{"api", "audit", "authenticator", "controllerManager", "scheduler"}),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				n := at(r.Properties, "enabledClusterLogTypes")
				got, hasUnknown, _ := n.strings()
				if n.isUnknown() || hasUnknown {
					return nil
				}
				var missing []string
				for _, w := range s.strs("requiredLogTypes") {
					if !slices.Contains(got, w) {
						missing = append(missing, w)
					}
				}
				if len(missing) > 0 {
					return []string{fmt.Sprintf("Control-plane logs %s are not enabled; add them to `enabledClusterLogTypes` (with a pre-created /aws/eks/<name>/cluster log group).", quoteList(missing))}
				}
				return nil
			},
		},
		{
			name:        "aws-eks-cluster-version-supported",
			description: "EKS clusters run at least the configured Kubernetes version.",
			level:       policyx.EnforcementLevelAdvisory,
			types:       cluster,
			schema: schemaProps{
				"minimumVersion": stringProp("Oldest Kubernetes version (1.NN) allowed.", "1.30", `^[0-9]+\.[0-9]+$`),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				v, ok := at(r.Properties, "version").str()
				if !ok {
					return nil
				}
				if minimum := s.str("minimumVersion"); versionLess(v, minimum) {
					return []string{fmt.Sprintf("Kubernetes %s is older than %s; upgrade the control plane one minor version at a time (platform:cluster.version).", v, minimum)}
				}
				return nil
			},
		},
		{
			// Closes: SSH to every node from anywhere, which is what an SSH key
			// without source security groups opens.
			name:        "aws-eks-nodegroup-ssh-restricted",
			description: "EKS node groups do not open SSH to the world.",
			level:       policyx.EnforcementLevelMandatory,
			types:       []string{eksNodeGroup},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				ra := at(r.Properties, "remoteAccess")
				key := ra.get("ec2SshKey")
				if !key.nonEmpty() {
					return nil
				}
				sgs := ra.get("sourceSecurityGroupIds")
				if ids, hasUnknown, _ := sgs.strings(); sgs.isUnknown() || hasUnknown || len(ids) > 0 {
					return nil
				}
				return []string{"`remoteAccess.ec2SshKey` without `remoteAccess.sourceSecurityGroupIds` opens port 22 on every node to 0.0.0.0/0; remove `remoteAccess` (use SSM) or list source security groups."}
			},
		},
	}
}

// isWorld reports a CIDR that covers every address (a /0).
func isWorld(cidr string) bool {
	p, err := netip.ParsePrefix(strings.TrimSpace(cidr))
	return err == nil && p.Bits() == 0
}

// withinAny reports whether cidr lies inside one of the allowed prefixes.
func withinAny(cidr string, allowed []string) bool {
	p, err := netip.ParsePrefix(strings.TrimSpace(cidr))
	if err != nil {
		return false
	}
	for _, a := range allowed {
		ap, err := netip.ParsePrefix(strings.TrimSpace(a))
		if err == nil && ap.Bits() <= p.Bits() && ap.Contains(p.Addr()) {
			return true
		}
	}
	return false
}
