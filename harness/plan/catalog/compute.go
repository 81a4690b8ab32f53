package catalog

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// fakeCA is what the offline cluster presents as its certificate authority:
// a PEM shape, not a real certificate.
const fakeCA = "-----BEGIN CERTIFICATE-----\nTUlJT0ZGTElORUVLU0NMVVNURVJDQQ==\n-----END CERTIFICATE-----\n"

// The cluster: EKS, its nodes and add-ons, IAM, and what runs on it.
func init() {
	register(
		&Type{
			Token: "aws:eks/cluster:Cluster",
			Loses: "the control plane and everything stored in it (etcd: workloads, Secrets, Helm releases); " +
				"every node group, add-on and access entry goes with it",
			// version, vpcConfig (subnetIds and securityGroupIds too, in
			// place since provider v5.25.0), logging, upgradePolicy and
			// accessConfig.authenticationMode change in place.
			Source: tfaws("eks/cluster.go"),
			Replace: append(always("name", "roleArn", "bootstrapSelfManagedAddons",
				"accessConfig.bootstrapClusterCreatorAdminPermissions", "kubernetesNetworkConfig.ipFamily",
				"kubernetesNetworkConfig.serviceIpv4Cidr", "outpostConfig"),
				Rule{
					Path: path("encryptionConfig"),
					Why: "envelope encryption can be added to a cluster but never removed (ForceNewIfChange on " +
						"encryption_config), and EKS has no API to change the key of an encrypted cluster",
					If: func(before, after resource.PropertyMap) bool {
						o, oOK := at(before, "encryptionConfig")
						if !oOK || o.IsNull() {
							return false
						}
						n, nOK := at(after, "encryptionConfig")
						if !nOK || n.IsNull() {
							return true
						}
						return Str(before, "encryptionConfig.provider.keyArn") != Str(after, "encryptionConfig.provider.keyArn")
					},
				}),
			Sets: paths("enabledClusterLogTypes", "vpcConfig.subnetIds", "vpcConfig.securityGroupIds",
				"vpcConfig.publicAccessCidrs", "encryptionConfig.resources"),
			Create: fixed(10*time.Minute, "the control plane \"usually takes between 10 and 15 minutes\" "+
				"(docs.aws.amazon.com/eks/latest/userguide/create-cluster.html); terraform-provider-aws create timeout 30m"),
			Highlights: paths("version", "vpcConfig.endpointPublicAccess", "upgradePolicy.supportType"),
			State: func(s *State) {
				name := s.Str("name")
				if name == "" {
					name = s.Name
					s.Default("name", resource.NewProperty(name))
				}
				hash := hashOf(name)
				s.Computed("arn", resource.NewProperty(s.ARN("eks", "cluster/"+name)))
				s.ComputedDefault("endpoint", resource.NewProperty(fmt.Sprintf("https://%s.gr7.%s.eks.amazonaws.com", hash, s.Env.Region)))
				ca := props(map[string]any{"data": base64.StdEncoding.EncodeToString([]byte(fakeCA))})
				s.ComputedDefault("certificateAuthority", ca)
				s.ComputedDefault("certificateAuthorities", resource.NewProperty([]resource.PropertyValue{ca}))
				s.ComputedDefault("identities", resource.NewProperty([]resource.PropertyValue{props(map[string]any{
					"oidcs": []any{map[string]any{
						"issuer": fmt.Sprintf("https://oidc.eks.%s.amazonaws.com/id/%s", s.Env.Region, hash),
					}},
				})}))
				if v, ok := s.Props["vpcConfig"]; ok && v.IsObject() {
					vc := v.ObjectValue().Copy()
					if _, set := vc["clusterSecurityGroupId"]; !set {
						vc["clusterSecurityGroupId"] = resource.NewProperty("sg-eks-" + strings.ToLower(hash[:12]))
					}
					if _, set := vc["vpcId"]; !set {
						vc["vpcId"] = resource.NewProperty("vpc-offline")
					}
					// The object's computed members make it unknown as a
					// whole in a preview of a new cluster.
					s.Computed("vpcConfig", resource.NewProperty(vc))
				}
				s.Default("version", resource.NewProperty("1.33"))
				s.ComputedDefault("platformVersion", resource.NewProperty("eks.1"))
				s.ComputedDefault("status", resource.NewProperty("ACTIVE"))
				s.ComputedDefault("clusterId", resource.NewProperty(s.ID))
			},
			Cost: func(u Usage) []Charge {
				p, missing := u.prices("EKS control plane")
				if missing != nil {
					return unpriced(missing)
				}
				if Str(u.Inputs, "upgradePolicy.supportType") == "EXTENDED" {
					// Billed at the extended rate only once the version has
					// left standard support.
					c := hourly("EKS control plane, standard support", "eks", p.EKSClusterHour, 1)
					c.What = fmt.Sprintf("EKS control plane: $%s/h in standard support, $%s/h once version %s "+
						"is in extended support (upgradeSupportType EXTENDED)", usd(p.EKSClusterHour), usd(p.EKSExtendedClusterHour),
						Str(u.Inputs, "version"))
					c.MaxUSD = p.EKSExtendedClusterHour * HoursPerMonth
					return one(c)
				}
				return one(hourly("EKS control plane, standard support", "eks", p.EKSClusterHour, 1))
			},
		},
		&Type{
			Token: "aws:eks/nodeGroup:NodeGroup",
			Loses: "its nodes: EKS brings up a new group, then drains and deletes the old one, rescheduling its pods",
			// scalingConfig, updateConfig, labels, taints, version,
			// releaseVersion, launchTemplate.version and nodeRepairConfig
			// change in place (a launch template version rolls the nodes).
			Source: tfaws("eks/node_group.go"),
			Replace: always("amiType", "capacityType", "clusterName", "diskSize", "instanceTypes",
				"launchTemplate.id", "launchTemplate.name", "nodeGroupName", "nodeGroupNamePrefix", "nodeRoleArn",
				"remoteAccess", "subnetIds"),
			Sets: paths("subnetIds", "taints", "remoteAccess.sourceSecurityGroupIds"),
			Create: fixed(4*time.Minute, "a managed node group takes 3 to 5 minutes until its nodes are Ready; "+
				"terraform-provider-aws create timeout 60m"),
			Highlights: paths("capacityType", "instanceTypes", "scalingConfig.minSize", "scalingConfig.desiredSize",
				"scalingConfig.maxSize"),
			State: func(s *State) {
				s.Default("nodeGroupName", resource.NewProperty(s.Name))
				s.ComputedDefault("status", resource.NewProperty("ACTIVE"))
				s.ComputedDefault("resources", resource.NewProperty([]resource.PropertyValue{props(map[string]any{
					"autoscalingGroups": []any{map[string]any{"name": "eks-" + s.Name + "-" + hashOf(s.Name)[:8]}},
				})}))
			},
			Cost:  nodeGroupCost,
			Usage: []string{"EBS snapshots and volumes created by pods (persistent volumes)", "data transfer between zones (per GB)"},
		},
		&Type{
			Token: "aws:ec2/launchTemplate:LaunchTemplate",
			// Every change but the name is a new version of the same
			// template; a replaced template holds no data.
			Supersedable: true,
			Source:       tfaws("ec2/ec2_launch_template.go"),
			Replace:      always("name", "namePrefix"),
			Highlights: paths("instanceType", "metadataOptions.httpTokens", "blockDeviceMappings[0].ebs.volumeSize",
				"blockDeviceMappings[0].ebs.encrypted"),
			State: func(s *State) {
				s.ComputedDefault("latestVersion", resource.NewProperty(1.0))
				s.ComputedDefault("defaultVersion", resource.NewProperty(1.0))
			},
		},
		&Type{
			Token:  "aws:eks/addon:Addon",
			Source: tfaws("eks/addon.go"),
			// The version, configuration and role change in place.
			Replace: always("addonName", "clusterName"),
			Create: Timing{
				Typical: func(in resource.PropertyMap) time.Duration {
					if name := Str(in, "addonName"); name == "coredns" || name == "aws-ebs-csi-driver" {
						return 90 * time.Second
					}
					return time.Minute
				},
				Source: "an add-on becomes ACTIVE in about a minute; CoreDNS and the EBS CSI controller wait for nodes " +
					"to schedule on",
			},
			Highlights: paths("addonName", "addonVersion"),
			State: func(s *State) {
				s.Computed("arn", resource.NewProperty(s.ARN("eks", "addon/"+s.Str("clusterName")+"/"+s.Str("addonName")+"/offline")))
			},
		},
		&Type{
			Token: "aws:eks/accessEntry:AccessEntry",
			// Kubernetes groups and the user name change in place.
			Source:  tfaws("eks/access_entry.go"),
			Replace: always("clusterName", "principalArn", "type"),
			Sets:    paths("kubernetesGroups"),
		},
		&Type{
			Token: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
			// No update: cluster, principal, policy and scope are all
			// ForceNew.
			Source:   tfaws("eks/access_policy_association.go"),
			NoUpdate: true,
			Sets:     paths("accessScope.namespaces"),
		},
		&Type{
			Token: "aws:iam/role:Role",
			// Policies, description, session duration and tags change in
			// place.
			Source:  tfaws("iam/role.go"),
			Replace: always("name", "namePrefix", "path"),
			Sets:    paths("managedPolicyArns", "inlinePolicies"),
			Create:  fixed(10*time.Second, "IAM is eventually consistent: a new role is usable after seconds"),
		},
		&Type{
			Token:   "aws:iam/rolePolicy:RolePolicy",
			Source:  tfaws("iam/role_policy.go"),
			Replace: always("name", "namePrefix", "role"),
		},
		&Type{
			Token: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
			// No update: role and policy ARN are both ForceNew.
			Source:   tfaws("iam/role_policy_attachment.go"),
			NoUpdate: true,
		},
		&Type{
			Token: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
			// Thumbprints change in place.
			Source:  tfaws("iam/openid_connect_provider.go"),
			Replace: always("url", "clientIdLists"),
			Sets:    paths("clientIdLists"),
			State: func(s *State) {
				url := strings.TrimPrefix(s.Str("url"), "https://")
				s.Computed("arn", resource.NewProperty(s.ARN("iam", "oidc-provider/"+url)))
			},
		},
		&Type{
			Token: "aws:iam/serviceLinkedRole:ServiceLinkedRole",
			// The description changes in place. AWS creates one role per
			// service and suffix; a replacement deletes the role the
			// service uses.
			Source:  tfaws("iam/service_linked_role.go"),
			Replace: always("awsServiceName", "customSuffix"),
			State: func(s *State) {
				svc := s.Str("awsServiceName")
				name := "AWSServiceRoleFor" + serviceRoleSuffix(svc) + s.Str("customSuffix")
				s.Computed("arn", resource.NewProperty(s.ARN("iam", "role/aws-service-role/"+svc+"/"+name)))
				s.Default("name", resource.NewProperty(name))
				s.Default("path", resource.NewProperty("/aws-service-role/"+svc+"/"))
			},
		},
		kubernetes("kubernetes:core/v1:Namespace",
			"every object in it: Kubernetes deletes a namespace's contents with it"),
		kubernetes("kubernetes:core/v1:ServiceAccount", ""),
		// ConfigMaps are immutable in pulumi-kubernetes unless the provider
		// sets enableConfigMapMutable (default false, provider Configure):
		// new data is a new ConfigMap.
		kubernetes("kubernetes:core/v1:ConfigMap", "", "data", "binaryData"),
		kubernetes("kubernetes:core/v1:Secret", "", "type"),
		// The pod template and selector of a Job are immutable once
		// created.
		withTiming(kubernetes("kubernetes:batch/v1:Job", "", "spec.selector", "spec.template"),
			fixed(time.Minute, "the Job runs to completion: image pull, a short script")),
		// Kubernetes rejects changes to a StorageClass's provisioner,
		// parameters, reclaim policy and binding mode.
		kubernetes("kubernetes:storage.k8s.io/v1:StorageClass", "", "provisioner", "parameters", "reclaimPolicy",
			"volumeBindingMode"),
		// The cluster's local commands: the access-entry propagation wait
		// (sleep cluster.AccessPropagationSeconds, then "echo ready") and
		// one `aws autoscaling enable-metrics-collection` per node group.
		// Without an update command, a change of triggers replaces (reruns
		// create) and a change of any other input reruns create in place
		// (pulumi-command sdk v1.2.0, local.Command Triggers and Update).
		&Type{
			Token:   "command:local:Command",
			Source:  "pulumi/pulumi-command sdk/go/command/local/command.go (Triggers, Update)",
			Replace: always("triggers"),
			Create: Timing{Source: "the propagation wait sleeps 30 s; an AWS CLI call takes a few seconds",
				Typical: func(in resource.PropertyMap) time.Duration {
					if c, _ := Get(in, path("create")); c.IsString() && strings.HasPrefix(c.StringValue(), "sleep ") {
						return 30 * time.Second
					}
					return 5 * time.Second
				}},
			State: func(s *State) {
				out := ""
				if strings.HasSuffix(s.Str("create"), "echo ready") {
					out = "ready"
				}
				s.Default("stdout", resource.NewProperty(out))
				s.Default("stderr", resource.NewProperty(""))
			},
		},
		&Type{
			Token: "kubernetes:helm.sh/v3:Release",
			// A release is identified by its name and namespace; the chart,
			// version and values upgrade it in place.
			Source:     "pulumi/pulumi-kubernetes provider/pkg/provider/helm_release.go",
			Replace:    always("name", "namespace"),
			Create:     fixed(time.Minute, "helm install with --wait: the chart's pods become Ready"),
			Highlights: paths("chart", "version"),
		},
	)
}

// kubernetes is the record of a Kubernetes type: every Kubernetes object is
// replaced when its name or namespace changes (pulumi-kubernetes,
// metadataForceNewProperties), and some kinds on more.
func kubernetes(token, loses string, more ...string) *Type {
	return &Type{
		Token:   token,
		Loses:   loses,
		Source:  "pulumi/pulumi-kubernetes provider/pkg/provider (forceNewProperties)",
		Replace: always(append([]string{"metadata.name", "metadata.namespace"}, more...)...),
	}
}

func withTiming(t *Type, timing Timing) *Type {
	t.Create = timing
	return t
}

// serviceRoleSuffix names a service-linked role the way IAM does for the
// services the platform uses ("autoscaling.amazonaws.com" →
// "AutoScaling").
func serviceRoleSuffix(service string) string {
	switch service {
	case "autoscaling.amazonaws.com":
		return "AutoScaling"
	case "eks.amazonaws.com":
		return "AmazonEKS"
	case "eks-nodegroup.amazonaws.com":
		return "AmazonEKSNodegroup"
	case "rds.amazonaws.com":
		return "RDS"
	case "elasticache.amazonaws.com":
		return "ElastiCache"
	}
	name, _, _ := strings.Cut(service, ".")
	return name
}

// nodeGroupCost prices a node group at its desired size: its instances and
// their root volumes. Spot capacity is a range from the largest advertised
// discount to the On-Demand price.
func nodeGroupCost(u Usage) []Charge {
	p, missing := u.prices("node group")
	if missing != nil {
		return unpriced(missing)
	}
	desired, ok := Num(u.Inputs, "scalingConfig.desiredSize")
	if !ok {
		desired, _ = Num(u.Inputs, "scalingConfig.minSize")
	}
	var lt resource.PropertyMap
	if u.From != nil {
		lt = u.From("launchTemplate")
	}
	types := Strs(u.Inputs, "instanceTypes")
	if len(types) == 0 && lt != nil {
		if t := Str(lt, "instanceType"); t != "" {
			types = []string{t}
		}
	}
	if len(types) == 0 {
		return one(Charge{What: "node group instances", Unpriced: "no instance type in the node group or its launch template"})
	}
	low, high := 0.0, 0.0
	for i, t := range types {
		rate, missing := lookup(p.EC2Hour, t, t+" instances", u.Region)
		if missing != nil {
			return unpriced(missing)
		}
		if i == 0 || rate < low {
			low = rate
		}
		high = max(high, rate)
	}
	list := strings.Join(types, ", ")
	var out []Charge
	if Str(u.Inputs, "capacityType") == "SPOT" {
		out = append(out, Charge{
			What: fmt.Sprintf("Spot capacity (%s): %s × %d h × $%s to $%s (up to 90%% off On-Demand, at most "+
				"On-Demand)", list, count(desired), HoursPerMonth, usd(low*(1-SpotDiscountMax)), usd(high)),
			USD:    desired * low * (1 - SpotDiscountMax) * HoursPerMonth,
			MaxUSD: desired * high * HoursPerMonth,
			Groups: []string{"ec2"},
		})
	} else {
		c := hourly(fmt.Sprintf("On-Demand instances (%s)", list), "ec2", low, desired)
		if high > low {
			c.What = fmt.Sprintf("On-Demand instances (%s): %s × %d h × $%s to $%s", list, count(desired), HoursPerMonth, usd(low), usd(high))
			c.MaxUSD = desired * high * HoursPerMonth
		}
		out = append(out, c)
	}
	gb, ok := Num(lt, "blockDeviceMappings[0].ebs.volumeSize")
	if !ok {
		gb, ok = Num(u.Inputs, "diskSize")
	}
	if ok {
		out = append(out, Charge{
			What:   fmt.Sprintf("%s × %g GB gp3 root volumes × $%s/GB-month", count(desired), gb, usd(p.GP3GBMonth)),
			USD:    desired * gb * p.GP3GBMonth,
			Groups: []string{"ebs"},
		})
	}
	return out
}
