package cluster

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
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

// addons creates the enabled add-ons of one phase, each after deps.
func (b *builder) addons(ph phase, deps []pulumi.Resource) ([]pulumi.Resource, error) {
	var out []pulumi.Resource
	for _, a := range b.cfg.Addons.list() {
		if addonPhase(a.name) != ph || !a.cfg.On() {
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
		if a.cfg.Configuration != nil {
			doc, err := json.Marshal(a.cfg.Configuration)
			if err != nil {
				return nil, fmt.Errorf("%s configuration: %w", a.name, err)
			}
			args.ConfigurationValues = pulumi.String(string(doc))
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
				b.volumeKey.ARN.ApplyT(VolumeKeyUserPolicy).(pulumi.StringOutput))
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
		out = append(out, addon)
	}
	return out, nil
}
