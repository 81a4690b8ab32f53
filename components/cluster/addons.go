package cluster

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/internal/parts"
)

// phase says whether an add-on is installed before the node groups (nodes
// stay NotReady without a CNI and kube-proxy, and pods cannot use Pod
// Identity before its agent runs) or after them (CoreDNS and the EBS CSI
// controller are Deployments: they need nodes, and EKS reports them degraded
// until they are scheduled).
type phase int

const (
	preCompute phase = iota
	postCompute
)

func addonPhase(name string) phase {
	switch name {
	case "coredns", "aws-ebs-csi-driver":
		return postCompute
	default:
		return preCompute
	}
}

// coreDNS returns the CoreDNS add-on, if it is installed.
func (b *builder) coreDNS() []pulumi.Resource {
	if b.coreDNSAddon == nil {
		return nil
	}
	return []pulumi.Resource{b.coreDNSAddon}
}

// addons creates the enabled add-ons of one phase, each after deps.
func (b *builder) addons(ph phase, deps []pulumi.Resource) ([]pulumi.Resource, error) {
	var out []pulumi.Resource
	for _, a := range b.cfg.Addons.list() {
		if addonPhase(a.name) != ph || !a.cfg.Enabled {
			continue
		}
		args := &eks.AddonArgs{
			ClusterName:  b.cluster.Name,
			AddonName:    pulumi.String(a.name),
			AddonVersion: pulumi.String(a.cfg.Version),
			// The add-ons' settings are owned here: whatever was changed in
			// the cluster by hand is overwritten, on creation (over a
			// self-managed copy) and on every update.
			ResolveConflictsOnCreate: pulumi.String("OVERWRITE"),
			ResolveConflictsOnUpdate: pulumi.String("OVERWRITE"),
			Tags:                     b.tags("-"+a.name, nil),
		}
		if conf := mergeValues(b.addonConfiguration(a.name), a.cfg.Configuration); len(conf) > 0 {
			doc, err := json.Marshal(conf)
			if err != nil {
				return nil, fmt.Errorf("%s configuration: %w", a.name, err)
			}
			args.ConfigurationValues = parts.ConfigString(b.cfg.Secret, string(doc))
		}
		waitFor := append([]pulumi.Resource{}, deps...)
		switch a.name {
		case "vpc-cni":
			role, ready, err := b.irsaRole("vpc-cni", VPCCNIServiceAccount,
				"VPC CNI of "+b.clusterName+": assigns pod IP addresses",
				[]string{"AmazonEKS_CNI_Policy"}, nil)
			if err != nil {
				return nil, err
			}
			args.ServiceAccountRoleArn = role.Arn
			waitFor = append(waitFor, ready...)
		case "aws-ebs-csi-driver":
			role, ready, err := b.irsaRole("ebs-csi", EBSCSIServiceAccount,
				"EBS CSI driver of "+b.clusterName+": creates and attaches encrypted volumes",
				[]string{"service-role/AmazonEBSCSIDriverPolicy"},
				b.volumeKey.ARN.ApplyT(func(arn string) (string, error) {
					return volumeKeyUserPolicy(arn).JSON()
				}).(pulumi.StringOutput))
			if err != nil {
				return nil, err
			}
			args.ServiceAccountRoleArn = role.Arn
			waitFor = append(waitFor, ready...)
		}
		opts := []pulumi.ResourceOption{b.parent}
		if len(waitFor) > 0 {
			// The role's policies must be attached before the add-on's pods
			// start using it, and nodes (for the post-compute add-ons) must
			// exist: neither is visible in the add-on's inputs.
			opts = append(opts, pulumi.DependsOn(waitFor))
		}
		addon, err := eks.NewAddon(b.ctx, b.name+"-"+a.name, args, opts...)
		if err != nil {
			return nil, fmt.Errorf("%s add-on: %w", a.name, err)
		}
		if a.name == "coredns" {
			b.coreDNSAddon = addon
		}
		out = append(out, addon)
	}
	return out, nil
}

// addonConfiguration is the platform's part of an add-on's configuration
// (the keys of `aws eks describe-addon-configuration`, which follow the
// add-ons' Helm charts); the stack's configuration is merged over it.
//
//   - CoreDNS and the EBS CSI controller run on the system group, when there
//     is one (nodeSelector, tolerations).
//   - The EBS CSI controller tags every volume it creates with the stack's
//     tags (controller.extraVolumeTags, aws-ebs-csi-driver chart values.yaml),
//     which no default-tags mechanism reaches.
//   - The EBS CSI controller's socket-dir is an emptyDir (chart
//     templates/controller.yaml), and the Cluster Autoscaler never removes a
//     node running a pod with a non-memory emptyDir unless the pod says the
//     volume may go (FAQ, "cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes").
func (b *builder) addonConfiguration(name string) map[string]any {
	sched := b.cfg.SystemScheduling().Values()
	switch name {
	case "coredns":
		return sched
	case "aws-ebs-csi-driver":
		controller := map[string]any{
			"podAnnotations": map[string]any{safeToEvictLocalVolumes: "socket-dir"},
		}
		if len(b.args.InstanceTags)+len(b.args.Tags) > 0 {
			tags := map[string]any{}
			for k, v := range b.args.InstanceTags {
				tags[k] = v
			}
			for k, v := range b.args.Tags {
				tags[k] = v
			}
			controller["extraVolumeTags"] = tags
		}
		for k, v := range sched {
			controller[k] = v
		}
		return map[string]any{"controller": controller}
	}
	return nil
}

// safeToEvictLocalVolumes is the pod annotation that lists the emptyDir
// volumes the Cluster Autoscaler may discard when it drains the node.
const safeToEvictLocalVolumes = "cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes"

// mergeValues returns base with over laid on top: nested objects merge key
// by key, anything else in over replaces what base has.
func mergeValues(base, over map[string]any) map[string]any {
	if len(base) == 0 && len(over) == 0 {
		return nil
	}
	out := make(map[string]any, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		if bm, ok := out[k].(map[string]any); ok {
			if om, ok := v.(map[string]any); ok {
				out[k] = mergeValues(bm, om)
				continue
			}
		}
		out[k] = v
	}
	return out
}
