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
			level:       Mandatory,
			severity:    High,
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
			// Closes: the Kubernetes API reachable from the whole internet,
			// however its CIDRs are split. Security Hub EKS.1 (high),
			// Checkov CKV_AWS_38/39.
			name:        "aws-eks-cluster-endpoint-restricted",
			description: "The EKS API endpoint is private, or public only to listed CIDRs that together do not cover the internet.",
			level:       Mandatory,
			severity:    High,
			types:       cluster,
			schema: func() schemaProps {
				sp := publicSourceProps()
				sp["allowedPublicAccessCidrs"] = stringListProp("CIDRs a public endpoint may be opened to; when empty, any CIDRs that together do not cover the internet.", nil)
				return sp
			}(),
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
				const fix = "set `vpcConfig.endpointPublicAccess: false` (platform:cluster.endpointPublicAccess) or list the operators' CIDRs in `vpcConfig.publicAccessCidrs`."
				if cidrsNode.isUnknown() {
					return nil
				}
				if len(cidrs) == 0 && !hasUnknown {
					return []string{"The Kubernetes API is public to the whole internet (no `publicAccessCidrs` means 0.0.0.0/0); " + fix}
				}
				if s.open(cidrs) {
					return []string{fmt.Sprintf("The Kubernetes API is public to %s, which together cover the internet; %s", strings.Join(cidrs, ", "), fix)}
				}
				allowed := s.strs("allowedPublicAccessCidrs")
				var out []string
				for _, c := range cidrs {
					if len(allowed) > 0 && !withinAny(c, allowed) {
						out = append(out, fmt.Sprintf("`vpcConfig.publicAccessCidrs` opens the API to %s, which is not within the allowed CIDRs (%s); remove it or add it to the policy's allowedPublicAccessCidrs.", c, strings.Join(allowed, ", ")))
					}
				}
				return out
			},
		},
		{
			name:        "aws-eks-cluster-private-endpoint-enabled",
			description: "EKS clusters have the private API endpoint on, so nodes and in-VPC tools reach the API without leaving the VPC.",
			level:       Advisory,
			severity:    Low,
			types:       cluster,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return collect(requireTrue(at(r.Properties, "vpcConfig.endpointPrivateAccess"),
					"The private endpoint is off; set `vpcConfig.endpointPrivateAccess: true`."))
			},
		},
		{
			name:        "aws-eks-cluster-control-plane-logging",
			description: "EKS clusters send the configured control-plane log types to CloudWatch Logs.",
			level:       Advisory,
			severity:    Medium,
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
			level:       Advisory,
			severity:    High,
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
			// Closes: an invisible cluster admin: with
			// bootstrapClusterCreatorAdminPermissions, EKS makes whoever
			// created the cluster (the CI role) an admin through an access
			// entry this stack does not manage. Unset means true: the EKS
			// API's default (API_CreateAccessConfigRequest), which the
			// provider applies when the field is omitted since
			// hashicorp/terraform-provider-aws#38295 (its docs said "false"
			// until #43483; the v6.83 SDK comment still does).
			name:        "aws-eks-cluster-no-creator-admin",
			description: "EKS clusters do not grant their creator implicit cluster-admin; admins are explicit access entries.",
			level:       Mandatory,
			severity:    Medium,
			types:       cluster,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				ac := at(r.Properties, "accessConfig")
				n := ac.get("bootstrapClusterCreatorAdminPermissions")
				if ac.isUnknown() || n.isUnknown() {
					return nil
				}
				if b, ok := n.bool(); ok && !b {
					return nil
				}
				return []string{"The cluster's creator gets cluster-admin outside this stack (`accessConfig.bootstrapClusterCreatorAdminPermissions` is true or unset); set it false and list the admins (platform:cluster.adminRoleArns)."}
			},
		},
		{
			// Closes: SSH to every node from anywhere, which is what an SSH key
			// without source security groups opens.
			name:        "aws-eks-nodegroup-ssh-restricted",
			description: "EKS node groups do not open SSH to the world.",
			level:       Mandatory,
			severity:    High,
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
