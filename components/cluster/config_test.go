package cluster_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/cluster"
	"github.com/acme/platform/internal/check"
)

const adminARN = "arn:aws:iam::123456789012:role/platform-deployer"

func validConfig() cluster.Config {
	c := cluster.DefaultConfig()
	c.AdminRoleARNs = []string{adminARN}
	c.Addons = cluster.DefaultAddons()
	c.APIAccess.PrivateSources = []cluster.AccessSource{{CIDR: "10.100.0.0/24", Description: "deploy runners"}}
	return c
}

// A stack must name its admins and pin every enabled add-on: nothing floats.
func TestDefaultConfigNeedsAdminRolesAndAddonVersions(t *testing.T) {
	t.Parallel()
	err := cluster.DefaultConfig().Validate()
	require.Error(t, err)
	errs := check.Flatten(err)
	require.Len(t, errs, 7, "%v", err)
	require.Contains(t, err.Error(), "adminRoleArns: at least one IAM role ARN is required")
	require.Contains(t, err.Error(), "apiAccess: gives whoever runs `pulumi up` no way to the Kubernetes API")
	for _, addon := range []string{"vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns", "aws-ebs-csi-driver"} {
		require.Contains(t, err.Error(), "addons."+addon+".version: is required while the add-on is enabled")
	}

	disabled := validConfig()
	disabled.Addons.EBSCSIDriver = cluster.Addon{Enabled: false}
	disabled.DefaultStorageClass = false // the class needs the driver
	require.NoError(t, disabled.Validate(), "a disabled add-on needs no version")

	require.NoError(t, validConfig().Validate())
}

func TestDefaultConfigValues(t *testing.T) {
	t.Parallel()
	c := cluster.DefaultConfig()
	require.Equal(t, "1.35", c.Version)
	require.Equal(t, cluster.SupportStandard, c.UpgradeSupportType)
	require.False(t, c.APIAccess.HasPath(), "no path by default: the stack must choose one")
	require.True(t, c.InClusterLayer)
	require.Equal(t, 90, c.LogRetentionDays)
	require.True(t, c.Autoscaler.Enabled)
	require.True(t, c.MetricsServer.Enabled)
	require.True(t, c.DefaultStorageClass)
	for _, a := range []cluster.Addon{c.Addons.VPCCNI, c.Addons.KubeProxy, c.Addons.PodIdentityAgent, c.Addons.CoreDNS, c.Addons.EBSCSIDriver} {
		require.True(t, a.Enabled, "every add-on is on by default")
		require.Empty(t, a.Version, "but its version is the stack's to pin")
	}
	require.Len(t, c.NodeGroups, 1)
	g := c.NodeGroups[0]
	require.Equal(t, cluster.OnDemand, g.CapacityType)
	require.Equal(t, "AL2023_x86_64_STANDARD", g.AMIType)
	require.Equal(t, 50, g.DiskSizeGiB)
	require.Equal(t, 1, g.MaxUnavailable)
	require.Equal(t, 1, g.MetadataHopLimit)
	require.Equal(t, g.MinSize, g.Desired())
}

func TestValidateReportsEachProblemWithItsField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(*cluster.Config)
		path   string
		want   string
	}{
		{"version with patch", func(c *cluster.Config) { c.Version = "1.35.1" }, "version", `of the form "1.NN"`},
		{"version with v", func(c *cluster.Config) { c.Version = "v1.35" }, "version", `of the form "1.NN"`},
		{"version EKS does not offer", func(c *cluster.Config) { c.Version = "1.42" }, "version", `"1.42" is not a version Amazon EKS offers`},
		{"version past standard support", func(c *cluster.Config) { c.Version = "1.33" }, "version", "left EKS standard support on 2026-07-29"},
		{"version past extended support", func(c *cluster.Config) {
			c.Version, c.UpgradeSupportType = "1.29", cluster.SupportExtended
		}, "version", "left extended support on 2026-03-23"},
		{"support type", func(c *cluster.Config) { c.UpgradeSupportType = "extended" }, "upgradeSupportType", `"STANDARD", "EXTENDED"`},
		{"no way to the API", func(c *cluster.Config) { c.APIAccess = cluster.APIAccess{} }, "apiAccess", "gives whoever runs `pulumi up` no way to the Kubernetes API"},
		{"public endpoint open to the world", func(c *cluster.Config) {
			c.APIAccess.PublicCIDRs = []string{"198.51.100.0/24", "0.0.0.0/0"}
		}, "apiAccess.publicCidrs[1]", "reserved addresses"},
		{"a large public range split in two", func(c *cluster.Config) {
			c.APIAccess.PublicCIDRs = []string{"52.0.0.0/9", "52.128.0.0/9"}
		}, "apiAccess.publicCidrs", "a large part of the internet however the blocks are split"},
		{"the internet split in two", func(c *cluster.Config) {
			c.APIAccess.PublicCIDRs = []string{"0.0.0.0/1", "128.0.0.0/1"}
		}, "apiAccess.publicCidrs[1]", "covers reserved addresses"},
		{"a /15 of public addresses", func(c *cluster.Config) {
			c.APIAccess.PublicCIDRs = []string{"52.0.0.0/16", "52.1.0.0/16"}
		}, "apiAccess.publicCidrs", "together cover 131072 addresses"},
		{"too many public CIDRs", func(c *cluster.Config) {
			for i := range 41 {
				c.APIAccess.PublicCIDRs = append(c.APIAccess.PublicCIDRs, fmt.Sprintf("52.0.%d.1/32", i))
			}
		}, "apiAccess.publicCidrs", "at most 40"},
		{"private block as public egress", func(c *cluster.Config) { c.APIAccess.PublicCIDRs = []string{"10.0.0.0/24"} }, "apiAccess.publicCidrs[0]", "private block"},
		{"bad public CIDR", func(c *cluster.Config) { c.APIAccess.PublicCIDRs = []string{"198.51.100.7"} }, "apiAccess.publicCidrs[0]", "IPv4 CIDR"},
		{"public CIDR with host bits", func(c *cluster.Config) { c.APIAccess.PublicCIDRs = []string{"52.1.2.3/24"} }, "apiAccess.publicCidrs[0]", `did you mean "52.1.2.0/24"`},
		{"private source both", func(c *cluster.Config) {
			c.APIAccess.PrivateSources = []cluster.AccessSource{{CIDR: "10.1.0.0/24", SecurityGroupID: "sg-0123456789abcdef0", Description: "x"}}
		}, "apiAccess.privateSources[0]", "exactly one of cidr"},
		{"private source public CIDR", func(c *cluster.Config) {
			c.APIAccess.PrivateSources = []cluster.AccessSource{{CIDR: "52.1.0.0/24", Description: "x"}}
		}, "apiAccess.privateSources[0].cidr", "must be inside 10.0.0.0/8"},
		{"private source bad group", func(c *cluster.Config) {
			c.APIAccess.PrivateSources = []cluster.AccessSource{{SecurityGroupID: "sg-xyz", Description: "x"}}
		}, "apiAccess.privateSources[0].securityGroupId", "security group ID"},
		{"private source without description", func(c *cluster.Config) {
			c.APIAccess.PrivateSources = []cluster.AccessSource{{CIDR: "10.1.0.0/24"}}
		}, "apiAccess.privateSources[0].description", "is required"},
		{"no admins", func(c *cluster.Config) { c.AdminRoleARNs = nil }, "adminRoleArns", "at least one"},
		{"admin is a user", func(c *cluster.Config) { c.AdminRoleARNs = []string{"arn:aws:iam::123456789012:user/alice"} }, "adminRoleArns[0]", "IAM role ARN"},
		{"admin listed twice", func(c *cluster.Config) { c.AdminRoleARNs = []string{adminARN, adminARN} }, "adminRoleArns[1]", "same role"},
		{"viewer is a user", func(c *cluster.Config) { c.ViewerRoleARNs = []string{"arn:aws:iam::123456789012:user/bob"} }, "viewerRoleArns[0]", "IAM role ARN"},
		{"viewer is also an admin", func(c *cluster.Config) { c.ViewerRoleARNs = []string{adminARN} }, "viewerRoleArns[0]", "as an admin or as a viewer"},
		{"two system groups", func(c *cluster.Config) {
			g := c.NodeGroups[0]
			g.Name, g.System = "system", true
			h := g
			h.Name = "system2"
			c.NodeGroups = append(c.NodeGroups, g, h)
		}, "nodeGroups[2].system", "already the system group"},
		{"the only group is the system group", func(c *cluster.Config) { c.NodeGroups[0].System = true }, "nodeGroups[0].system", "keep every workload off the cluster"},
		{"system label on a workload group", func(c *cluster.Config) {
			c.NodeGroups[0].Labels = map[string]string{"platform/node-role": "system"}
		}, `nodeGroups[0].labels["platform/node-role"]`, "is set by the platform"},
		{"retention", func(c *cluster.Config) { c.LogRetentionDays = 45 }, "logRetentionDays", "retention periods"},
		{"addon version missing", func(c *cluster.Config) { c.Addons.CoreDNS.Version = "" }, "addons.coredns.version", "is required while the add-on is enabled"},
		{"addon version malformed", func(c *cluster.Config) { c.Addons.VPCCNI.Version = "1.19.5" }, "addons.vpc-cni.version", "EKS add-on version"},
		{"kube-proxy for another minor", func(c *cluster.Config) { c.Addons.KubeProxy.Version = "v1.32.0-eksbuild.1" }, "addons.kube-proxy.version", "must match the control plane"},
		{"no node groups", func(c *cluster.Config) { c.NodeGroups = nil }, "nodeGroups", "at least one node group"},
		{"min above max", func(c *cluster.Config) { c.NodeGroups[0].MinSize, c.NodeGroups[0].MaxSize = 3, 2 }, "nodeGroups[0].maxSize", "must be at least minSize (3), got 2"},
		{"desired above max", func(c *cluster.Config) { c.NodeGroups[0].DesiredSize = new(7) }, "nodeGroups[0].desiredSize", "between minSize (2) and maxSize (6), got 7"},
		{"desired below min", func(c *cluster.Config) { c.NodeGroups[0].DesiredSize = new(1) }, "nodeGroups[0].desiredSize", "got 1"},
		{"max zero", func(c *cluster.Config) { c.NodeGroups[0].MinSize, c.NodeGroups[0].MaxSize = 0, 0 }, "nodeGroups[0].maxSize", "at least 1"},
		{"negative min", func(c *cluster.Config) { c.NodeGroups[0].MinSize = -1 }, "nodeGroups[0].minSize", "at least 0"},
		{"no instance types", func(c *cluster.Config) { c.NodeGroups[0].InstanceTypes = nil }, "nodeGroups[0].instanceTypes", "at least one instance type"},
		{"bad instance type", func(c *cluster.Config) { c.NodeGroups[0].InstanceTypes = []string{"large"} }, "nodeGroups[0].instanceTypes[0]", "EC2 instance type"},
		{"capacity type", func(c *cluster.Config) { c.NodeGroups[0].CapacityType = "spot" }, "nodeGroups[0].capacityType", `"ON_DEMAND", "SPOT"`},
		{"AL2 AMI", func(c *cluster.Config) { c.NodeGroups[0].AMIType = "AL2_x86_64" }, "nodeGroups[0].amiType", "AL2023_x86_64_STANDARD"},
		{"release of another minor", func(c *cluster.Config) { c.NodeGroups[0].ReleaseVersion = "1.32.3-20250501" }, "nodeGroups[0].releaseVersion", "Kubernetes 1.32"},
		{"disk too small", func(c *cluster.Config) { c.NodeGroups[0].DiskSizeGiB = 8 }, "nodeGroups[0].diskSizeGiB", "between 20 and 16384"},
		{"max unavailable", func(c *cluster.Config) { c.NodeGroups[0].MaxUnavailable = 0 }, "nodeGroups[0].maxUnavailable", "between 1 and 100"},
		{"hop limit", func(c *cluster.Config) { c.NodeGroups[0].MetadataHopLimit = 3 }, "nodeGroups[0].metadataHopLimit", "must be 1"},
		{"bad group name", func(c *cluster.Config) { c.NodeGroups[0].Name = "General_Pool" }, "nodeGroups[0].name", "lower-case"},
		{"duplicate group names", func(c *cluster.Config) {
			g := c.NodeGroups[0]
			c.NodeGroups = append(c.NodeGroups, g)
		}, "nodeGroups[1].name", `"general" is already the name of nodeGroups[0]`},
		{"taint effect", func(c *cluster.Config) {
			c.NodeGroups[0].Taints = []cluster.Taint{{Key: "dedicated", Value: "batch", Effect: "NoSchedule"}}
		}, "nodeGroups[0].taints[0].effect", `"NO_SCHEDULE"`},
		{"taint key", func(c *cluster.Config) {
			c.NodeGroups[0].Taints = []cluster.Taint{{Key: "", Effect: "NO_SCHEDULE"}}
		}, "nodeGroups[0].taints[0].key", "taint key"},
		{"label key", func(c *cluster.Config) { c.NodeGroups[0].Labels = map[string]string{"bad key": "x"} }, `nodeGroups[0].labels["bad key"]`, "label key"},
		{"autoscaler chart unpinned", func(c *cluster.Config) { c.Autoscaler.ChartVersion = "latest" }, "autoscaler.chartVersion", "must pin"},
		{"autoscaler image for another minor", func(c *cluster.Config) { c.Autoscaler.ImageTag = "v1.32.1" }, "autoscaler.imageTag", "must match the control plane"},
		{"autoscaler expander", func(c *cluster.Config) { c.Autoscaler.Expander = "priority" }, "autoscaler.expander", `"least-waste"`},
		{"metrics-server chart", func(c *cluster.Config) { c.MetricsServer.ChartVersion = "" }, "metricsServer.chartVersion", "must pin"},
		{"metrics-server replicas", func(c *cluster.Config) { c.MetricsServer.Replicas = 0 }, "metricsServer.replicas", "between 1 and 5"},
		{"reserved namespace", func(c *cluster.Config) { c.Namespaces = []string{"kube-system"} }, "namespaces[0]", "exists already"},
		{"namespace default", func(c *cluster.Config) { c.Namespaces = []string{"default"} }, "namespaces[0]", "exists already"},
		{"bad namespace", func(c *cluster.Config) { c.Namespaces = []string{"Apps"} }, "namespaces[0]", "namespace name"},
		{"duplicate namespace", func(c *cluster.Config) { c.Namespaces = []string{"apps", "apps"} }, "namespaces[1]", "listed twice"},
		{"storage class without EBS CSI", func(c *cluster.Config) { c.Addons.EBSCSIDriver.Enabled = false }, "defaultStorageClass", "aws-ebs-csi-driver"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := validConfig()
			c.NodeGroups = append([]cluster.NodeGroup(nil), c.NodeGroups...)
			tt.mutate(&c)
			err := c.Validate()
			require.Error(t, err)
			requireFieldError(t, err, tt.path, tt.want)
		})
	}
}

// The problems a stack's value can have, each reported with its path.
func TestConfigValidateRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(*cluster.Config)
		want   string
	}{
		{"min above max", func(c *cluster.Config) { c.NodeGroups[0].MinSize, c.NodeGroups[0].MaxSize = 5, 3 }, "nodeGroups[0].maxSize: must be at least minSize (5), got 3"},
		{"desired outside", func(c *cluster.Config) { c.NodeGroups[0].DesiredSize = new(9) }, "nodeGroups[0].desiredSize: must be between minSize (2) and maxSize (6), got 9"},
		{"no instance types", func(c *cluster.Config) { c.NodeGroups[0].InstanceTypes = []string{} }, "nodeGroups[0].instanceTypes: at least one instance type"},
		{"capacity type", func(c *cluster.Config) { c.NodeGroups[0].CapacityType = "RESERVED" }, "nodeGroups[0].capacityType: must be one of"},
		{"version", func(c *cluster.Config) { c.Version = "1.3" }, "version: must be a Kubernetes minor version"},
		{"no API path", func(c *cluster.Config) { c.APIAccess = cluster.APIAccess{} }, "apiAccess: gives whoever runs `pulumi up` no way to the Kubernetes API"},
		{"public to the world", func(c *cluster.Config) {
			c.APIAccess.PublicCIDRs = []string{"0.0.0.0/0"}
		}, "apiAccess.publicCidrs[0]: 0.0.0.0/0 covers reserved addresses"},
		{"duplicate node groups", func(c *cluster.Config) { c.NodeGroups = append(c.NodeGroups, c.NodeGroups[0]) }, "nodeGroups[1].name"},
		{"addon without version", func(c *cluster.Config) {
			c.Addons.EBSCSIDriver = cluster.Addon{Enabled: true}
		}, "addons.aws-ebs-csi-driver.version: is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := validConfig()
			tt.mutate(&c)
			require.ErrorContains(t, c.Validate(), tt.want)
		})
	}
}

// requireFieldError asserts that err holds a problem at exactly path whose
// message contains want.
func requireFieldError(t *testing.T, err error, path, want string) {
	t.Helper()
	var got []string
	for _, e := range check.Flatten(err) {
		got = append(got, e.Error())
		if strings.HasPrefix(e.Error(), path+": ") && strings.Contains(e.Error(), want) {
			return
		}
	}
	t.Fatalf("no problem at %q containing %q; got:\n%s", path, want, strings.Join(got, "\n"))
}

func TestValidateReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	c := validConfig()
	c.Version = "133"
	c.NodeGroups = []cluster.NodeGroup{{Name: "a", MinSize: 2, MaxSize: 1, CapacityType: "X", AMIType: "AL2023_x86_64_STANDARD", DiskSizeGiB: 50, MaxUnavailable: 1, MetadataHopLimit: 1}}
	errs := check.Flatten(c.Validate())
	require.GreaterOrEqual(t, len(errs), 4, "%v", errs)
}

func TestDisabledAddonNeedsNoVersion(t *testing.T) {
	t.Parallel()
	c := validConfig()
	c.Addons.CoreDNS = cluster.Addon{Enabled: false}
	require.NoError(t, c.Validate())
}

func TestAPIAccessShapesThatAreValid(t *testing.T) {
	t.Parallel()
	for name, a := range map[string]cluster.APIAccess{
		"public, restricted":                    {PublicCIDRs: []string{"52.95.110.1/32", "198.51.100.0/24"}},
		"public, a /16 at most":                 {PublicCIDRs: []string{"52.94.0.0/16"}},
		"public, overlapping blocks count once": {PublicCIDRs: []string{"52.94.0.0/16", "52.94.1.0/24"}},
		"private, by CIDR and group": {PrivateSources: []cluster.AccessSource{
			{CIDR: "10.100.0.0/24", Description: "runners"}, {SecurityGroupID: "sg-0123456789abcdef0", Description: "VPN (office)"},
		}},
		"both": {PublicCIDRs: []string{"52.95.110.1/32"}, PrivateSources: []cluster.AccessSource{{CIDR: "100.64.0.0/16", Description: "VPN"}}},
	} {
		c := validConfig()
		c.APIAccess = a
		require.NoError(t, c.Validate(), name)
	}
	// Without the in-cluster layer, nothing needs the API.
	c := validConfig()
	c.APIAccess = cluster.APIAccess{}
	c.InClusterLayer = false
	require.NoError(t, c.Validate())
}

func TestAddressCountMergesOverlapsAndSplits(t *testing.T) {
	t.Parallel()
	p := func(ss ...string) []netip.Prefix {
		var out []netip.Prefix
		for _, s := range ss {
			out = append(out, netip.MustParsePrefix(s))
		}
		return out
	}
	require.Equal(t, uint64(1)<<32, cluster.AddressCount(p("0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/2")))
	require.Equal(t, uint64(256), cluster.AddressCount(p("52.0.0.0/24", "52.0.0.0/25", "52.0.0.128/25")))
	require.Equal(t, uint64(512), cluster.AddressCount(p("52.0.0.0/24", "52.0.1.0/24")))
	require.Equal(t, uint64(2), cluster.AddressCount(p("52.0.0.1/32", "52.0.0.9/32")))
}

// The support calendar is judged at Now: a version in standard support
// today is refused once its standard support ends, unless the stack pays
// for extended support.
func TestSupportWindowFollowsTheCalendar(t *testing.T) {
	t.Parallel()
	c := validConfig()
	c.Version = cluster.DefaultVersion
	require.NoError(t, c.Validate())
	v, ok := cluster.LookupVersion(cluster.DefaultVersion)
	require.True(t, ok)
	require.True(t, cluster.VersionsAsOf.Before(v.EndOfStandardSupport), "the default version is in standard support on the calendar's date")
	for _, k := range cluster.KubernetesVersions {
		require.True(t, k.EndOfStandardSupport.Before(k.EndOfExtendedSupport), k.Minor)
	}
}

// decodeStrict decodes the way the stack does: over the defaults, unknown
// keys rejected.
func decodeStrict(t *testing.T, doc string) (cluster.Config, error) {
	t.Helper()
	c := cluster.DefaultConfig()
	dec := json.NewDecoder(bytes.NewReader([]byte(doc)))
	dec.DisallowUnknownFields()
	err := dec.Decode(&c)
	return c, err
}

func TestDecodeFillsElementDefaults(t *testing.T) {
	t.Parallel()
	c, err := decodeStrict(t, `{
		"adminRoleArns": ["`+adminARN+`"],
		"apiAccess": {"privateSources": [{"securityGroupId": "sg-0123456789abcdef0", "description": "runners"}]},
		"addons": {
			"vpc-cni": {"version": "v1.20.4-eksbuild.1"},
			"kube-proxy": {"version": "v1.35.3-eksbuild.13"},
			"eks-pod-identity-agent": {"version": "v1.3.8-eksbuild.2"},
			"coredns": {"version": "v1.14.3-eksbuild.3"},
			"aws-ebs-csi-driver": {"enabled": false}
		},
		"defaultStorageClass": false,
		"autoscaler": {"enabled": false},
		"nodeGroups": [
			{"name": "system", "instanceTypes": ["m6i.large"], "minSize": 2, "maxSize": 3},
			{"name": "spot", "instanceTypes": ["m6i.large", "m5.large"], "capacityType": "SPOT", "minSize": 0, "maxSize": 10, "desiredSize": 1, "diskSizeGiB": 100,
			 "taints": [{"key": "spot", "value": "true", "effect": "NO_SCHEDULE"}]}
		]
	}`)
	require.NoError(t, err)
	require.NoError(t, c.Validate())
	require.Len(t, c.NodeGroups, 2)
	require.Equal(t, 50, c.NodeGroups[0].DiskSizeGiB)
	require.Equal(t, cluster.OnDemand, c.NodeGroups[0].CapacityType)
	require.Equal(t, 1, c.NodeGroups[0].MetadataHopLimit)
	require.Equal(t, 2, c.NodeGroups[0].Desired())
	require.Equal(t, 100, c.NodeGroups[1].DiskSizeGiB)
	require.Equal(t, 1, c.NodeGroups[1].Desired())
	require.Equal(t, 1, c.NodeGroups[1].MaxUnavailable)
	require.Equal(t, "v1.14.3-eksbuild.3", c.Addons.CoreDNS.Version)
	require.False(t, c.Addons.EBSCSIDriver.Enabled)
	require.False(t, c.Autoscaler.Enabled)
	require.Equal(t, cluster.AutoscalerChartVersion, c.Autoscaler.ChartVersion)
}

func TestDecodeRejectsUnknownKeys(t *testing.T) {
	t.Parallel()
	for name, doc := range map[string]string{
		"node group":  `{"nodeGroups": [{"name": "a", "instanceType": "m6i.large"}]}`,
		"taint":       `{"nodeGroups": [{"name": "a", "taints": [{"key": "k", "effekt": "NO_SCHEDULE"}]}]}`,
		"addon name":  `{"addons": {"vpc_cni": {"version": "v1.19.5-eksbuild.1"}}}`,
		"addon field": `{"addons": {"coredns": {"release": "v1"}}}`,
		"autoscaler":  `{"autoscaler": {"chart": "9.50.1"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := decodeStrict(t, doc)
			require.ErrorContains(t, err, "unknown field")
		})
	}
}

func TestDecodedAddonWithoutVersionIsAnError(t *testing.T) {
	t.Parallel()
	c, err := decodeStrict(t, `{"adminRoleArns": ["`+adminARN+`"], "addons": {"coredns": {"version": ""}}}`)
	require.NoError(t, err)
	requireFieldError(t, c.Validate(), "addons.coredns.version", "is required")
}
