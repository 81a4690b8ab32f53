package cluster

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/acme/platform/internal/catalog"
	"github.com/acme/platform/internal/check"
	"github.com/acme/platform/internal/parts"
)

// Support tiers of the control plane (upgradePolicy.supportType).
const (
	// SupportStandard upgrades the cluster automatically when its version
	// leaves standard support: no extended-support charges.
	SupportStandard = "STANDARD"
	// SupportExtended keeps an old version running for up to 12 more months
	// at a per-cluster-hour surcharge: a deliberate, paid choice.
	SupportExtended = "EXTENDED"
)

// Capacity types of a node group.
const (
	OnDemand = "ON_DEMAND"
	Spot     = "SPOT"
)

// AMITypes are the AMI types a node group may use: Amazon Linux 2023 only
// (AL2 is not offered from Kubernetes 1.33 on).
var AMITypes = []string{"AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "AL2023_x86_64_NVIDIA", "AL2023_ARM_64_NVIDIA", "AL2023_x86_64_NEURON"}

// TaintEffects are the effects EKS accepts for a node-group taint.
var TaintEffects = []string{"NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"}

// Expanders are the Cluster Autoscaler expanders that need no extra
// configuration.
var Expanders = []string{"least-waste", "random", "most-pods", "price"}

// PlatformNamespace is the namespace for the platform's own jobs (database
// role bootstrap and the like).
const PlatformNamespace = "platform-system"

// Config is the part of the cluster's arguments that decides which resources
// exist and how they are sized. The stack reads it from the platform:cluster
// config object; JSON names are the config keys. The in-cluster layer
// (NewSystem) reads the same object.
type Config struct {
	// Version is the Kubernetes minor version of the control plane, "1.NN";
	// default DefaultVersion. Node groups follow it. With
	// UpgradeSupportType "STANDARD" it must be in EKS standard support
	// (KubernetesVersions).
	Version string `json:"version"`
	// UpgradeSupportType is "STANDARD" or "EXTENDED"; default "STANDARD".
	// EXTENDED costs money once the version leaves standard support.
	UpgradeSupportType string `json:"upgradeSupportType"`
	// APIAccess says how whoever runs `pulumi up` and `pulumi preview`
	// reaches the Kubernetes API server; default neither path, which is
	// only valid with InClusterLayer off. The private endpoint is always on
	// (nodes use it).
	APIAccess APIAccess `json:"apiAccess"`
	// AdminRoleARNs are the IAM roles given cluster-admin through access
	// entries; required, at least one. The role `pulumi up` runs as must be
	// among them: the cluster grants its creator nothing implicitly, and the
	// in-cluster layer is deployed with that role's token.
	AdminRoleARNs []string `json:"adminRoleArns"`
	// ViewerRoleARNs are IAM roles given read access to every Kubernetes
	// resource, Secrets included (AmazonEKSAdminViewPolicy): the roles that
	// run `pulumi preview` in pull requests, whose refresh of the Helm
	// releases reads the release Secrets, and read-only operators. Default
	// none. A role is either an admin or a viewer.
	ViewerRoleARNs []string `json:"viewerRoleArns"`
	// InClusterLayer deploys what lives inside the cluster through the
	// Kubernetes provider: namespaces, the StorageClass, the Cluster
	// Autoscaler and metrics-server releases and the database role
	// bootstrap Job. Default true; it needs an APIAccess path.
	InClusterLayer bool `json:"inClusterLayer"`
	// LogRetentionDays is how long control-plane logs are kept; default 90.
	LogRetentionDays int `json:"logRetentionDays"`
	// Addons pins the managed add-ons; see DefaultConfig for the versions.
	Addons Addons `json:"addons"`
	// Secret is set by the stack when the configuration object holds a
	// `secure:` value somewhere: the add-ons' configuration values, which
	// may carry a credential, are then registered as Pulumi secrets. Not
	// read from the configuration.
	Secret bool `json:"-"`
	// NodeGroups are the managed node groups; default one "general" group.
	// At least one is required (CoreDNS needs somewhere to run).
	NodeGroups []NodeGroup `json:"nodeGroups"`
	// Autoscaler configures the Cluster Autoscaler.
	Autoscaler Autoscaler `json:"autoscaler"`
	// MetricsServer configures metrics-server (needed by
	// HorizontalPodAutoscalers).
	MetricsServer MetricsServer `json:"metricsServer"`
	// Namespaces are workload namespaces created besides platform-system,
	// all enforcing the "restricted" Pod Security Standard; default none.
	Namespaces []string `json:"namespaces"`
	// DefaultStorageClass creates "gp3-encrypted", the default StorageClass:
	// gp3 volumes encrypted with the cluster's volume key through the EBS CSI
	// driver; default true. Needs the aws-ebs-csi-driver add-on.
	DefaultStorageClass bool `json:"defaultStorageClass"`
}

// APIAccess is how deployers reach the API server. Either path (or both)
// gives `pulumi up` a way in; EKS's own defaults give none to a runner
// outside the VPC (cluster-endpoint.adoc: a private-only endpoint takes
// traffic "from within your cluster's VPC or a connected network", and the
// cluster security group admits only itself, sec-group-reqs.adoc).
type APIAccess struct {
	// PublicCIDRs opens the public endpoint to exactly these IPv4 blocks:
	// the deployers' egress addresses (self-hosted or static-IP runners, an
	// office, a VPN's egress). Public, non-reserved addresses only, at most
	// 40 blocks (the EKS quota "public endpoint access CIDR ranges per
	// cluster"), together covering at most MaxPublicAddresses addresses
	// however they are split. Default none: the public endpoint is off.
	PublicCIDRs []string `json:"publicCidrs"`
	// PrivateSources may reach the private endpoint on 443: each becomes an
	// ingress rule on the EKS cluster security group (EKS UG
	// cluster-endpoint.adoc: for a connected network "you must ensure that
	// your Amazon EKS control plane security group contains rules to allow
	// ingress traffic on port 443"). Default none.
	PrivateSources []AccessSource `json:"privateSources"`
}

// AccessSource is one network allowed to the private endpoint: a private
// CIDR (a runner subnet in a peered VPC, a VPN's client range) or a security
// group in the cluster's VPC (self-hosted runners inside it).
type AccessSource struct {
	// CIDR is a private IPv4 block; exactly one of CIDR and
	// SecurityGroupID is required.
	CIDR string `json:"cidr,omitempty"`
	// SecurityGroupID is "sg-..." in the cluster's VPC.
	SecurityGroupID string `json:"securityGroupId,omitempty"`
	// Description says who is behind the source; required.
	Description string `json:"description"`
}

// hasPath reports whether deployers have any way to the API server.
func (a APIAccess) hasPath() bool { return len(a.PublicCIDRs) > 0 || len(a.PrivateSources) > 0 }

// Addons are the five managed add-ons the platform installs. JSON names are
// the EKS add-on names.
type Addons struct {
	VPCCNI           Addon `json:"vpc-cni"`
	KubeProxy        Addon `json:"kube-proxy"`
	PodIdentityAgent Addon `json:"eks-pod-identity-agent"`
	CoreDNS          Addon `json:"coredns"`
	EBSCSIDriver     Addon `json:"aws-ebs-csi-driver"`
}

// Addon pins one managed add-on.
type Addon struct {
	// Enabled installs the add-on; default true.
	Enabled bool `json:"enabled"`
	// Version is the add-on version ("v1.19.5-eksbuild.1"); required while
	// the add-on is enabled, so nothing floats to "latest".
	Version string `json:"version"`
	// Configuration is the add-on's configuration values (the JSON schema
	// of `aws eks describe-addon-configuration`); default none.
	Configuration map[string]any `json:"configuration,omitempty"`
}

// NodeGroup configures one managed node group.
type NodeGroup struct {
	// Name identifies the group; required, lower-case letters, digits and
	// hyphens, at most 32 characters, unique.
	Name string `json:"name"`
	// InstanceTypes are the EC2 instance types; required, at least one.
	InstanceTypes []string `json:"instanceTypes"`
	// CapacityType is "ON_DEMAND" or "SPOT"; default "ON_DEMAND".
	CapacityType string `json:"capacityType"`
	// AMIType is one of AMITypes; default "AL2023_x86_64_STANDARD".
	AMIType string `json:"amiType"`
	// ReleaseVersion pins the EKS-optimized AMI release
	// ("1.35.3-20260801"); default none (the latest at creation; later
	// releases only through a change here).
	ReleaseVersion string `json:"releaseVersion,omitempty"`
	// MinSize and MaxSize bound the group; required, 0 <= minSize <= maxSize,
	// maxSize >= 1.
	MinSize int `json:"minSize"`
	MaxSize int `json:"maxSize"`
	// DesiredSize is the initial size; default minSize. While the
	// autoscaler is enabled it only applies at creation.
	DesiredSize *int `json:"desiredSize,omitempty"`
	// DiskSizeGiB is the encrypted gp3 root volume's size; default 50.
	DiskSizeGiB int `json:"diskSizeGiB"`
	// Labels are Kubernetes node labels; default none.
	Labels map[string]string `json:"labels,omitempty"`
	// Taints are Kubernetes node taints; default none.
	Taints []Taint `json:"taints,omitempty"`
	// MaxUnavailable is how many nodes a rolling update may take down at
	// once; default 1.
	MaxUnavailable int `json:"maxUnavailable"`
	// MetadataHopLimit is the IMDSv2 PUT response hop limit; default 1, so
	// pods (one hop further) cannot reach the node's credentials. 2 only
	// for workloads that need IMDS and cannot use IRSA or Pod Identity.
	MetadataHopLimit int `json:"metadataHopLimit"`
	// AutoRepair lets EKS replace nodes that report unhealthy; default true.
	AutoRepair bool `json:"autoRepair"`
	// PerAZ creates one managed node group per availability zone instead
	// of one spanning them all, each with the group's sizes and identical
	// labels, so that the Cluster Autoscaler (balance-similar-node-groups)
	// grows the zone a pending pod's EBS volume lives in. Default false. Use
	// it for groups that run pods with persistent volumes: EKS UG
	// managed-node-groups.adoc ("If you are running a stateful application
	// across multiple Availability Zones that is backed by Amazon EBS
	// volumes and using the Kubernetes Cluster Autoscaler, you should
	// configure multiple node groups, each scoped to a single Availability
	// Zone") and the autoscaler's AWS README say the same.
	PerAZ bool `json:"perAz"`
	// System dedicates the group to the platform's system components:
	// its nodes carry the taint SystemTaint and the label SystemLabel, and
	// CoreDNS, the EBS CSI controller, the Cluster Autoscaler,
	// metrics-server and the database bootstrap Job tolerate the taint and
	// select the label. At most one group; default false.
	System bool `json:"system"`
}

// SystemTaint keeps everything but the system components off a System
// group's nodes. CriticalAddonsOnly is the key the add-ons already tolerate:
// the EBS CSI chart's controller tolerations and the CoreDNS add-on's
// deployment carry `CriticalAddonsOnly: Exists`.
var SystemTaint = Taint{Key: "CriticalAddonsOnly", Value: "true", Effect: "NO_SCHEDULE"}

// SystemLabel marks a System group's nodes; the system components select it.
var SystemLabel = [2]string{"platform/node-role", "system"}

// SystemScheduling is where the system components run: on the System group
// when there is one (selecting its label, tolerating its taint), anywhere
// otherwise.
func (c Config) SystemScheduling() parts.Scheduling {
	for _, g := range c.NodeGroups {
		if g.System {
			return parts.Scheduling{
				NodeSelector: map[string]string{SystemLabel[0]: SystemLabel[1]},
				Tolerations:  []parts.Toleration{{Key: SystemTaint.Key, Operator: "Exists"}},
			}
		}
	}
	return parts.Scheduling{}
}

// Taint is a Kubernetes taint on every node of a group.
type Taint struct {
	Key    string `json:"key"`   // required
	Value  string `json:"value"` // default none
	Effect string `json:"effect"`
}

// Autoscaler configures the Cluster Autoscaler.
type Autoscaler struct {
	// Enabled installs the autoscaler (Helm chart and IRSA role) and makes
	// node groups ignore desiredSize after creation; default true.
	Enabled bool `json:"enabled"`
	// ChartVersion pins the kubernetes/autoscaler chart; default
	// AutoscalerChartVersion.
	ChartVersion string `json:"chartVersion"`
	// ImageTag pins the autoscaler image; its minor version must match the
	// cluster's. Default AutoscalerImageTag.
	ImageTag string `json:"imageTag"`
	// Expander chooses which node group grows; one of Expanders; default
	// "least-waste".
	Expander string `json:"expander"`
}

// MetricsServer configures metrics-server.
type MetricsServer struct {
	// Enabled installs metrics-server; default true.
	Enabled bool `json:"enabled"`
	// ChartVersion pins the kubernetes-sigs/metrics-server chart; default
	// MetricsServerChartVersion.
	ChartVersion string `json:"chartVersion"`
	// Replicas is how many metrics-server pods run; default 2, so the
	// metrics API survives a node drain.
	Replicas int `json:"replicas"`
}

// DefaultConfig returns the configuration of a stack that sets nothing in
// platform:cluster: the one place its defaults are written (a node-group
// entry's are DefaultNodeGroup's). The stack decodes the stack file's object
// over it, so an absent key keeps its default and a present one (0 and false
// included) is meant. A Go caller starts from it and changes fields: a Config
// literal's zero fields are zeros, not defaults.
//
// Chart and image versions are pinned to releases for DefaultVersion.
// Add-on versions and AdminRoleARNs have no default: every stack pins its
// add-ons (an enabled add-on without a version is an error; DefaultAddons
// has a set to pin) and names its admins, so the defaults alone do not
// validate.
func DefaultConfig() Config {
	on := Addon{Enabled: true}
	return Config{
		Version:            DefaultVersion,
		UpgradeSupportType: SupportStandard,
		APIAccess:          APIAccess{PublicCIDRs: []string{}, PrivateSources: []AccessSource{}},
		AdminRoleARNs:      []string{},
		ViewerRoleARNs:     []string{},
		InClusterLayer:     true,
		LogRetentionDays:   90,
		Addons:             Addons{VPCCNI: on, KubeProxy: on, PodIdentityAgent: on, CoreDNS: on, EBSCSIDriver: on},
		NodeGroups: []NodeGroup{func() NodeGroup {
			g := DefaultNodeGroup()
			g.Name = "general"
			g.InstanceTypes = []string{"m6i.large"}
			g.MinSize, g.MaxSize = 2, 6
			return g
		}()},
		Autoscaler:          Autoscaler{Enabled: true, ChartVersion: AutoscalerChartVersion, ImageTag: AutoscalerImageTag, Expander: "least-waste"},
		MetricsServer:       MetricsServer{Enabled: true, ChartVersion: MetricsServerChartVersion, Replicas: 2},
		Namespaces:          []string{},
		DefaultStorageClass: true,
	}
}

// Versions for Kubernetes 1.35 (DefaultVersion), as of versionsAsOf.
const (
	// DefaultVersion is in EKS standard support until 2027-03-27
	// (KubernetesVersions).
	DefaultVersion = "1.35"
	// AutoscalerChartVersion is kubernetes/autoscaler's chart
	// cluster-autoscaler-chart-9.59.0 (2026-07-21), the newest release,
	// whose appVersion is 1.35.0.
	AutoscalerChartVersion = "9.59.0"
	// AutoscalerImageTag is the newest 1.35 patch release of the
	// autoscaler (tag cluster-autoscaler-1.35.2, 2026-07-22): its minor must
	// match the control plane's (the autoscaler's README, "Releases").
	AutoscalerImageTag = "v1.35.2"
	// MetricsServerChartVersion is kubernetes-sigs/metrics-server's
	// metrics-server-helm-chart-3.13.1 (2026-06-11, appVersion 0.8.1).
	MetricsServerChartVersion = "3.13.1"
)

// DefaultAddons returns add-on versions for Kubernetes 1.35
// (DefaultVersion), all enabled: a set to pin in a stack file (DefaultConfig
// pins none), from the dated table catalog.EKSAddonVersions, which names its
// sources.
// With real credentials `pulumi preview` checks every pin against
// `eks.GetAddonVersion` for the cluster's version before anything is
// registered, so a pin EKS does not offer fails there, naming the key.
func DefaultAddons() Addons {
	v := catalog.EKSAddonVersions[DefaultVersion]
	a := DefaultConfig().Addons
	a.VPCCNI.Version = v["vpc-cni"]
	a.KubeProxy.Version = v["kube-proxy"]
	a.PodIdentityAgent.Version = v["eks-pod-identity-agent"]
	a.CoreDNS.Version = v["coredns"]
	a.EBSCSIDriver.Version = v["aws-ebs-csi-driver"]
	return a
}

// DefaultNodeGroup returns the defaults of a node-group entry; Name,
// InstanceTypes and the sizes have none.
func DefaultNodeGroup() NodeGroup {
	return NodeGroup{
		CapacityType:     OnDemand,
		AMIType:          AMITypes[0],
		DiskSizeGiB:      50,
		MaxUnavailable:   1,
		MetadataHopLimit: 1,
		AutoRepair:       true,
	}
}

// UnmarshalJSON decodes a node-group entry over DefaultNodeGroup, strictly:
// a mistyped key is an error, not a default silently kept.
func (g *NodeGroup) UnmarshalJSON(data []byte) error {
	type plain NodeGroup
	v := plain(DefaultNodeGroup())
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	*g = NodeGroup(v)
	return nil
}

// UnmarshalJSON decodes a taint strictly.
func (t *Taint) UnmarshalJSON(data []byte) error {
	type plain Taint
	var v plain
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	*t = Taint(v)
	return nil
}

// desired returns the group's initial size: DesiredSize, or MinSize.
func (g NodeGroup) desired() int {
	if g.DesiredSize != nil {
		return *g.DesiredSize
	}
	return g.MinSize
}

var (
	versionRE        = regexp.MustCompile(`^1\.(\d{2})$`)
	addonVersionRE   = regexp.MustCompile(`^v(\d+)\.(\d+)\.\d+-eksbuild\.\d+$`)
	chartVersionRE   = regexp.MustCompile(`^\d+\.\d+\.\d+$`)
	imageTagRE       = regexp.MustCompile(`^v1\.(\d+)\.\d+$`)
	releaseVersionRE = regexp.MustCompile(`^1\.(\d+)\.\d+-\d{8}$`)
	groupNameRE      = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$`)
	instanceTypeRE   = regexp.MustCompile(`^[a-z][a-z0-9-]*\.[a-z0-9]+$`)
	roleARNRE        = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role/([\w+=,.@/-]{1,512})$`)
	dnsLabelRE       = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	labelNameRE      = regexp.MustCompile(`^([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$`)
	labelPrefixRE    = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
)

// reservedNamespaces exist in every cluster or are created by this package.
var reservedNamespaces = []string{"default", "kube-system", "kube-public", "kube-node-lease", PlatformNamespace}

// Validate reports every problem with c, each naming its field. The stack runs
// it when it loads platform:cluster, before anything is registered; NewCluster
// and NewSystem do not run it again, so a Go caller that builds a Config runs
// it first.
func (c Config) Validate() error {
	var p check.Problems
	minor, versionOK := kubeMinor(c.Version)
	if !versionOK {
		p.Addf("version", "must be a Kubernetes minor version of the form \"1.NN\" such as %q, got %q", DefaultVersion, c.Version)
	}
	p.OneOf("upgradeSupportType", c.UpgradeSupportType, SupportStandard, SupportExtended)
	if versionOK {
		if msg := supportProblem(c.Version, c.UpgradeSupportType, Now()); msg != "" {
			p.Addf("version", "%s", msg)
		}
	}
	c.validateAPIAccess(&p)
	c.validateRoles(&p)
	if !parts.ValidRetention(c.LogRetentionDays) {
		p.Addf("logRetentionDays", "must be one of the retention periods CloudWatch Logs accepts (%v), got %d", parts.LogRetentionDays, c.LogRetentionDays)
	}
	c.validateAddons(&p, minor, versionOK)

	if len(c.NodeGroups) == 0 {
		p.Addf("nodeGroups", "at least one node group is required (CoreDNS and the platform's controllers need nodes)")
	}
	seen := map[string]int{}
	system := -1
	for i, g := range c.NodeGroups {
		path := fmt.Sprintf("nodeGroups[%d]", i)
		p.Merge(path, g.validate(minor, versionOK))
		if j, dup := seen[g.Name]; dup && g.Name != "" {
			p.Addf(path+".name", "%q is already the name of nodeGroups[%d]; node group names must be unique", g.Name, j)
		} else {
			seen[g.Name] = i
		}
		if g.System {
			if system >= 0 {
				p.Addf(path+".system", "nodeGroups[%d] is already the system group; at most one group is dedicated to the system components", system)
			}
			system = i
		}
	}
	if system >= 0 && len(c.NodeGroups) == 1 {
		p.Addf(fmt.Sprintf("nodeGroups[%d].system", system), "the only node group cannot be dedicated to the system components: its taint would keep every workload off the cluster; add a group for workloads")
	}

	if c.Autoscaler.Enabled {
		if !chartVersionRE.MatchString(c.Autoscaler.ChartVersion) {
			p.Addf("autoscaler.chartVersion", "must pin a chart version such as %q, got %q", AutoscalerChartVersion, c.Autoscaler.ChartVersion)
		}
		if m := imageTagRE.FindStringSubmatch(c.Autoscaler.ImageTag); m == nil {
			p.Addf("autoscaler.imageTag", "must be a Cluster Autoscaler release tag such as %q, got %q", AutoscalerImageTag, c.Autoscaler.ImageTag)
		} else if versionOK && m[1] != strconv.Itoa(minor) {
			p.Addf("autoscaler.imageTag", "%s is for Kubernetes 1.%s but the cluster runs %s; the autoscaler's minor version must match the control plane's", c.Autoscaler.ImageTag, m[1], c.Version)
		}
		p.OneOf("autoscaler.expander", c.Autoscaler.Expander, Expanders...)
	}
	if c.MetricsServer.Enabled {
		if !chartVersionRE.MatchString(c.MetricsServer.ChartVersion) {
			p.Addf("metricsServer.chartVersion", "must pin a chart version such as %q, got %q", MetricsServerChartVersion, c.MetricsServer.ChartVersion)
		}
		p.Between("metricsServer.replicas", c.MetricsServer.Replicas, 1, 5)
	}

	nsSeen := map[string]bool{}
	for i, ns := range c.Namespaces {
		path := fmt.Sprintf("namespaces[%d]", i)
		switch {
		case !dnsLabelRE.MatchString(ns):
			p.Addf(path, "must be a namespace name (lower-case letters, digits and hyphens, at most 63 characters), got %q", ns)
		case slices.Contains(reservedNamespaces, ns):
			p.Addf(path, "%q exists already or is created by the platform; choose another name", ns)
		case nsSeen[ns]:
			p.Addf(path, "%q is listed twice", ns)
		}
		nsSeen[ns] = true
	}
	if c.DefaultStorageClass && !c.Addons.EBSCSIDriver.Enabled {
		p.Addf("defaultStorageClass", "needs the aws-ebs-csi-driver add-on; enable addons.aws-ebs-csi-driver or set defaultStorageClass to false")
	}
	return p.Err()
}

func (c Config) validateRoles(p *check.Problems) {
	if len(c.AdminRoleARNs) == 0 {
		p.Addf("adminRoleArns", "at least one IAM role ARN is required: the role `pulumi up` runs as, and your operators' role (the cluster grants its creator nothing)")
	}
	// Resources are named after account and role name, so two paths to the
	// same role name would collide; and a role is an admin or a viewer.
	seen := map[string]string{}
	for _, list := range []struct {
		key  string
		arns []string
	}{{"adminRoleArns", c.AdminRoleARNs}, {"viewerRoleArns", c.ViewerRoleARNs}} {
		for i, arn := range list.arns {
			path := fmt.Sprintf("%s[%d]", list.key, i)
			if !roleARNRE.MatchString(arn) {
				p.Addf(path, "must be an IAM role ARN such as \"arn:aws:iam::123456789012:role/platform-admin\", got %q", arn)
				continue
			}
			key := accessEntryKey(arn)
			if prev, dup := seen[key]; dup {
				p.Addf(path, "%q names the same role as %s; list each role once, as an admin or as a viewer", arn, prev)
				continue
			}
			seen[key] = path
		}
	}
}

func (c Config) validateAddons(p *check.Problems, minor int, versionOK bool) {
	for _, a := range c.Addons.list() {
		if !a.cfg.Enabled {
			continue
		}
		path := "addons." + a.name
		m := addonVersionRE.FindStringSubmatch(a.cfg.Version)
		switch {
		case a.cfg.Version == "":
			p.Addf(path+".version", "is required while the add-on is enabled; pin one of `aws eks describe-addon-versions --addon-name %s --kubernetes-version %s`", a.name, c.Version)
		case m == nil:
			p.Addf(path+".version", "must be an EKS add-on version such as \"v1.19.5-eksbuild.1\", got %q", a.cfg.Version)
		case a.name == "kube-proxy" && versionOK && (m[1] != "1" || m[2] != strconv.Itoa(minor)):
			p.Addf(path+".version", "%s is not a kube-proxy build for Kubernetes %s; kube-proxy must match the control plane's minor version", a.cfg.Version, c.Version)
		}
		if a.cfg.Configuration != nil {
			if _, err := json.Marshal(a.cfg.Configuration); err != nil {
				p.Addf(path+".configuration", "cannot be rendered as JSON: %v", err)
			}
		}
	}
}

func (g NodeGroup) validate(minor int, versionOK bool) error {
	var p check.Problems
	if !groupNameRE.MatchString(g.Name) {
		p.Addf("name", "must be 1 to 32 lower-case letters, digits and hyphens, starting and ending with a letter or digit, got %q", g.Name)
	}
	if len(g.InstanceTypes) == 0 {
		p.Addf("instanceTypes", "at least one instance type is required, such as [\"m6i.large\"]")
	}
	seen := map[string]bool{}
	wantArch, wantAccel := catalog.AMIRequirement(g.AMIType)
	for i, it := range g.InstanceTypes {
		path := fmt.Sprintf("instanceTypes[%d]", i)
		t, known := catalog.LookupEC2(it)
		switch {
		case !instanceTypeRE.MatchString(it):
			p.Addf(path, "must be an EC2 instance type such as \"m6i.large\", got %q", it)
		case seen[it]:
			p.Addf(path, "%q is listed twice", it)
		case !known:
			p.Addf(path, "%q is not an instance type of the families node groups use (%s; internal/catalog, as of %s): check the name; if AWS offers it, add it to the catalog with its source",
				it, strings.Join(catalog.EC2Families(), ", "), catalog.AsOf)
		case slices.Contains(AMITypes, g.AMIType) && t.Arch != wantArch:
			p.Addf(path, "%q is %s, but amiType %s boots %s instances only: use a type of that architecture or the matching AMI type", it, t.Arch, g.AMIType, wantArch)
		case slices.Contains(AMITypes, g.AMIType) && wantAccel != "" && t.Accelerator != wantAccel:
			p.Addf(path, "%q has no %s accelerator, which amiType %s is for: use an accelerated type (e.g. g5 for NVIDIA, inf2 for Neuron) or a STANDARD AMI type", it, wantAccel, g.AMIType)
		}
		seen[it] = true
	}
	p.OneOf("capacityType", g.CapacityType, OnDemand, Spot)
	p.OneOf("amiType", g.AMIType, AMITypes...)
	if g.ReleaseVersion != "" {
		m := releaseVersionRE.FindStringSubmatch(g.ReleaseVersion)
		switch {
		case m == nil:
			p.Addf("releaseVersion", "must be an EKS-optimized AMI release such as \"1.35.3-20260801\", got %q", g.ReleaseVersion)
		case versionOK && m[1] != strconv.Itoa(minor):
			p.Addf("releaseVersion", "%s is an AMI release for Kubernetes 1.%s but the cluster runs 1.%d", g.ReleaseVersion, m[1], minor)
		}
	}
	if g.MinSize < 0 {
		p.Addf("minSize", "must be at least 0, got %d", g.MinSize)
	}
	switch {
	case g.MaxSize < 1:
		p.Addf("maxSize", "must be at least 1, got %d", g.MaxSize)
	case g.MaxSize < g.MinSize:
		p.Addf("maxSize", "must be at least minSize (%d), got %d", g.MinSize, g.MaxSize)
	}
	if g.DesiredSize != nil && (*g.DesiredSize < g.MinSize || *g.DesiredSize > g.MaxSize) {
		p.Addf("desiredSize", "must be between minSize (%d) and maxSize (%d), got %d", g.MinSize, g.MaxSize, *g.DesiredSize)
	}
	// The AL2023 AMIs' root snapshot is 20 GiB; 16 TiB is the gp3 maximum.
	p.Between("diskSizeGiB", g.DiskSizeGiB, 20, 16384)
	p.Between("maxUnavailable", g.MaxUnavailable, 1, 100)
	if g.MetadataHopLimit != 1 && g.MetadataHopLimit != 2 {
		p.Addf("metadataHopLimit", "must be 1 (pods cannot reach the node's instance metadata) or 2 (they can), got %d", g.MetadataHopLimit)
	}
	for k, v := range g.Labels {
		if !validLabelKey(k) {
			p.Addf(fmt.Sprintf("labels[%q]", k), "is not a valid Kubernetes label key")
		}
		if v != "" && !labelNameRE.MatchString(v) {
			p.Addf(fmt.Sprintf("labels[%q]", k), "value %q is not a valid Kubernetes label value (at most 63 letters, digits, '-', '_' or '.')", v)
		}
	}
	if len(g.Taints) > 50 {
		p.Addf("taints", "EKS allows at most 50 taints per node group, got %d", len(g.Taints))
	}
	if v, ok := g.Labels[SystemLabel[0]]; ok && (!g.System || v != SystemLabel[1]) {
		p.Addf(fmt.Sprintf("labels[%q]", SystemLabel[0]), "is set by the platform on the system group (system: true); remove it")
	}
	for i, t := range g.Taints {
		path := fmt.Sprintf("taints[%d]", i)
		if !validLabelKey(t.Key) {
			p.Addf(path+".key", "must be a valid Kubernetes taint key, got %q", t.Key)
		}
		if g.System && t.Key == SystemTaint.Key {
			p.Addf(path+".key", "%s is the system group's own taint, which the platform sets; remove it", t.Key)
		}
		if t.Value != "" && !labelNameRE.MatchString(t.Value) {
			p.Addf(path+".value", "must be at most 63 letters, digits, '-', '_' or '.', got %q", t.Value)
		}
		p.OneOf(path+".effect", t.Effect, TaintEffects...)
	}
	return p.Err()
}

// validLabelKey checks "[prefix/]name" as Kubernetes does.
func validLabelKey(k string) bool {
	prefix, name, found := strings.Cut(k, "/")
	if !found {
		name, prefix = prefix, ""
	}
	if found && (prefix == "" || len(prefix) > 253 || !labelPrefixRE.MatchString(prefix)) {
		return false
	}
	return labelNameRE.MatchString(name)
}

// kubeMinor returns NN of "1.NN".
func kubeMinor(version string) (int, bool) {
	m := versionRE.FindStringSubmatch(version)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

type namedAddon struct {
	name string
	cfg  Addon
}

// Pins returns the enabled add-ons' pinned versions by their EKS names.
func (a Addons) Pins() map[string]string {
	out := map[string]string{}
	for _, n := range a.list() {
		if n.cfg.Enabled {
			out[n.name] = n.cfg.Version
		}
	}
	return out
}

// list returns the add-ons with their EKS names, in installation order.
func (a Addons) list() []namedAddon {
	return []namedAddon{
		{"vpc-cni", a.VPCCNI},
		{"kube-proxy", a.KubeProxy},
		{"eks-pod-identity-agent", a.PodIdentityAgent},
		{"coredns", a.CoreDNS},
		{"aws-ebs-csi-driver", a.EBSCSIDriver},
	}
}
