package cluster_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/cluster"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/internal/parts"
)

const (
	tCommand = "command:local:Command"
	tSLR     = "aws:iam/serviceLinkedRole:ServiceLinkedRole"
)

// Preview roles get read access to everything, Secrets included (Helm keeps
// release state there), through their own access entries.
func TestViewerRolesGetAdminViewAccess(t *testing.T) {
	t.Parallel()
	viewer := "arn:aws:iam::123456789012:role/ci/platform-preview"
	rec, _ := runCluster(t, func(a *cluster.ClusterArgs) { a.ViewerRoleARNs = []string{viewer} })
	entry := offlinetest.Find(t, rec, tAccessEntry, "eks-viewer-123456789012-platform-preview")
	require.Equal(t, viewer, offlinetest.Str(t, entry, "principalArn"))
	require.Equal(t, "STANDARD", offlinetest.Str(t, entry, "type"))
	assoc := offlinetest.Find(t, rec, tAccessAssoc, "eks-viewer-123456789012-platform-preview")
	require.Equal(t, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy", offlinetest.Str(t, assoc, "policyArn"))
	require.Equal(t, "cluster", offlinetest.Str(t, assoc, "accessScope.type"))
	admin := offlinetest.Find(t, rec, tAccessAssoc, "eks-admin-123456789012-platform-deployer")
	require.Equal(t, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", offlinetest.Str(t, admin, "policyArn"))
	require.Len(t, rec.ByType(tAccessAssoc), 2)
}

// A fresh account has no Auto Scaling service-linked role, and KMS refuses
// a key policy that names a principal that does not exist: the role comes
// first, and the volume key waits for it.
func TestAutoScalingServiceRoleComesBeforeTheVolumeKey(t *testing.T) {
	t.Parallel()
	rec, _ := runCluster(t, func(a *cluster.ClusterArgs) { a.CreateAutoScalingServiceRole = true })
	slr := offlinetest.Only(t, rec, tSLR)
	require.Equal(t, "autoscaling.amazonaws.com", offlinetest.Str(t, slr, "awsServiceName"))
	require.True(t, slr.RetainOnDelete, "the role is the account's: the stack never deletes it")
	key := offlinetest.Find(t, rec, tKey, "eks-volumes")
	require.Contains(t, key.Dependencies, slr.URN)
	slrPrincipal := &parts.Principal{AWS: parts.One(cluster.AutoScalingServiceRoleARN(offlinetest.Account))}
	require.Equal(t, slrPrincipal, offlinetest.Statement(t, offlinetest.Policy(t, key, "policy"), "AutoScalingUsesKeyForNodeVolumes").Principal)

	// Where the role exists already, creating it would fail: nothing is
	// registered.
	rec2, _ := runCluster(t, nil)
	require.Empty(t, rec2.ByType(tSLR))
}

// The cluster key serves the control-plane log group and nothing else.
func TestClusterKeyServesItsLogGroupOnly(t *testing.T) {
	t.Parallel()
	rec, _ := runCluster(t, nil)
	policy := offlinetest.Policy(t, offlinetest.Find(t, rec, tKey, "eks-cluster"), "policy")
	var logs *parts.Statement
	for _, st := range policy.Statement {
		if st.Principal != nil && slices.Equal(st.Principal.Service.Strings(), []string{"logs.us-east-1.amazonaws.com"}) {
			logs = &st
		}
	}
	require.NotNil(t, logs)
	require.Equal(t, parts.Conditions{"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": parts.List(
		"arn:aws:logs:us-east-1:123456789012:log-group:/aws/eks/" + clusterName + "/cluster",
	)}}, logs.Condition)
}

// zoneArgs gives the cluster three zones' private subnets.
func zoneArgs(a *cluster.ClusterArgs) {
	for _, z := range []string{"us-east-1a", "us-east-1b", "us-east-1d"} {
		a.ZoneSubnets = append(a.ZoneSubnets, cluster.ZoneSubnet{Zone: z, SubnetID: pulumi.String("subnet-" + z)})
	}
}

// A per-zone group becomes one managed node group per zone, identical but
// for its subnet, so the autoscaler can grow the zone a pending pod's EBS
// volume lives in; each publishes its Auto Scaling group metrics.
func TestPerZoneNodeGroups(t *testing.T) {
	t.Parallel()
	rec, c := runCluster(t, func(a *cluster.ClusterArgs) {
		zoneArgs(a)
		a.NodeGroups[0].PerAZ = true
		a.NodeGroups[0].Labels = map[string]string{"workload": "stateful"}
		a.NodeGroups[0].MinSize, a.NodeGroups[0].MaxSize = 1, 4
	})
	groups := rec.ByType(tNodeGroup)
	require.Len(t, groups, 3)
	require.Len(t, rec.ByType(tLT), 1, "one launch template serves the group's zones")
	for _, z := range []string{"us-east-1a", "us-east-1b", "us-east-1d"} {
		g := offlinetest.Find(t, rec, tNodeGroup, "eks-general-"+z)
		require.Equal(t, []string{"subnet-" + z}, offlinetest.Strs(t, g, "subnetIds"))
		require.Equal(t, "stateful", offlinetest.Str(t, g, "labels.workload"), "identical labels, so the autoscaler balances them")
		require.Equal(t, 1.0, offlinetest.Num(t, g, "scalingConfig.minSize"))
		require.Equal(t, 4.0, offlinetest.Num(t, g, "scalingConfig.maxSize"))
		cmd := offlinetest.Find(t, rec, tCommand, "eks-general-"+z+"-group-metrics")
		require.Contains(t, cmd.Dependencies, g.URN)
	}
	require.Len(t, c.Groups, 3)
	require.Equal(t, "general-us-east-1a", c.Groups[0].Name)
	require.True(t, c.Groups[0].ASGName != pulumi.StringOutput{})
}

// EKS creates managed node groups' Auto Scaling groups without metrics
// collection; the "at max" alarms need GroupDesiredCapacity, so every group
// turns it on, once, as the provider's identity.
func TestNodeGroupsPublishGroupMetrics(t *testing.T) {
	t.Parallel()
	rec, _ := runCluster(t, func(a *cluster.ClusterArgs) {
		a.CLI = cluster.AWSCLI{Profile: "platform", RoleARN: "arn:aws:iam::123456789012:role/deployer"}
	})
	ng := offlinetest.Find(t, rec, tNodeGroup, "eks-general")
	cmd := offlinetest.Find(t, rec, tCommand, "eks-general-group-metrics")
	script := offlinetest.Str(t, cmd, "create")
	require.Contains(t, script, `aws autoscaling enable-metrics-collection --region "$REGION" --auto-scaling-group-name "$ASG" --granularity 1Minute --metrics GroupDesiredCapacity`)
	require.Contains(t, script, "aws sts assume-role --role-arn \"arn:aws:iam::123456789012:role/deployer\"", "as the AWS provider's role")
	require.Equal(t, "platform", offlinetest.Str(t, cmd, "environment.AWS_PROFILE"))
	require.Equal(t, "us-east-1", offlinetest.Str(t, cmd, "environment.REGION"))
	asg := offlinetest.Str(t, cmd, "environment.ASG")
	require.NotEmpty(t, asg)
	require.Equal(t, []string{asg}, offlinetest.Strs(t, cmd, "triggers"), "a new Auto Scaling group runs it again")
	require.Contains(t, cmd.Dependencies, ng.URN)
	require.False(t, offlinetest.Has(cmd, "delete"), "the Auto Scaling group goes with its node group")
}

// The system group is dedicated: tainted and labeled, and the system
// components (CoreDNS, the EBS CSI controller, the autoscaler,
// metrics-server) tolerate the taint and select the label.
func TestSystemGroupIsDedicated(t *testing.T) {
	t.Parallel()
	rec, c, _ := runPlatform(t, func(cfg *cluster.Config) {
		sys := cluster.DefaultNodeGroup()
		sys.Name, sys.System = "system", true
		sys.InstanceTypes = []string{"m6i.large"}
		sys.MinSize, sys.MaxSize = 2, 3
		cfg.NodeGroups = append([]cluster.NodeGroup{sys}, cfg.NodeGroups...)
	})
	sys := offlinetest.Find(t, rec, tNodeGroup, "eks-system")
	require.Equal(t, "system", offlinetest.Str(t, sys, `labels["platform/node-role"]`))
	require.Equal(t, "CriticalAddonsOnly", offlinetest.Str(t, sys, "taints[0].key"))
	require.Equal(t, "NO_SCHEDULE", offlinetest.Str(t, sys, "taints[0].effect"))
	general := offlinetest.Find(t, rec, tNodeGroup, "eks-general")
	require.False(t, offlinetest.Has(general, "taints"))
	require.False(t, offlinetest.Has(general, `labels["platform/node-role"]`))

	wantSelector := map[string]any{"platform/node-role": "system"}
	wantTolerations := []any{map[string]any{"key": "CriticalAddonsOnly", "operator": "Exists"}}
	addonConfig := func(name string) map[string]any {
		var conf map[string]any
		require.NoError(t, json.Unmarshal([]byte(offlinetest.Str(t, offlinetest.Find(t, rec, tAddon, "eks-"+name), "configurationValues")), &conf))
		return conf
	}
	coredns := addonConfig("coredns")
	require.Equal(t, wantSelector, coredns["nodeSelector"])
	require.Equal(t, wantTolerations, coredns["tolerations"])
	ebs := addonConfig("aws-ebs-csi-driver")["controller"].(map[string]any)
	require.Equal(t, wantSelector, ebs["nodeSelector"])
	require.Equal(t, wantTolerations, ebs["tolerations"])

	for _, rel := range []string{"system-cluster-autoscaler", "system-metrics-server"} {
		r := offlinetest.Find(t, rec, tRelease, rel)
		require.Equal(t, "system", offlinetest.Str(t, r, `values.nodeSelector["platform/node-role"]`), rel)
		require.Equal(t, "CriticalAddonsOnly", offlinetest.Str(t, r, "values.tolerations[0].key"), rel)
		require.Equal(t, "Exists", offlinetest.Str(t, r, "values.tolerations[0].operator"), rel)
	}
	require.NotNil(t, c)
}

// Without a system group the components run anywhere: no selector a node
// could fail to match.
func TestNoSystemGroupNoSelector(t *testing.T) {
	t.Parallel()
	rec, _, _ := runPlatform(t, nil)
	r := offlinetest.Find(t, rec, tRelease, "system-cluster-autoscaler")
	require.False(t, offlinetest.Has(r, "values.nodeSelector"))
	require.False(t, offlinetest.Has(r, "values.tolerations"))
	var conf map[string]any
	if coredns := offlinetest.Find(t, rec, tAddon, "eks-coredns"); offlinetest.Has(coredns, "configurationValues") {
		require.NoError(t, json.Unmarshal([]byte(offlinetest.Str(t, coredns, "configurationValues")), &conf))
	}
	require.NotContains(t, conf, "nodeSelector")
}

// The autoscaler keeps any node running a pod with a non-memory emptyDir;
// metrics-server's "tmp" and the EBS CSI controller's "socket-dir" are
// marked safe to lose, so their nodes can be scaled down.
func TestSystemPodsDoNotPinTheirNodes(t *testing.T) {
	t.Parallel()
	rec, _, _ := runPlatform(t, nil)
	ms := offlinetest.Find(t, rec, tRelease, "system-metrics-server")
	require.Equal(t, "tmp", offlinetest.Str(t, ms, `values.podAnnotations["`+cluster.SafeToEvictLocalVolumes+`"]`))
	var conf map[string]any
	require.NoError(t, json.Unmarshal([]byte(offlinetest.Str(t, offlinetest.Find(t, rec, tAddon, "eks-aws-ebs-csi-driver"), "configurationValues")), &conf))
	require.Equal(t, "socket-dir", conf["controller"].(map[string]any)["podAnnotations"].(map[string]any)[cluster.SafeToEvictLocalVolumes])
}

// The provider's default tags never reach what EKS launches: the stack
// passes them as instance tags, and they land on instances, volumes and
// network interfaces (launch-template tag specifications) and on the EBS
// CSI driver's volumes. The stack's own configuration of the add-on wins.
func TestInstanceTagsReachWhatEKSLaunches(t *testing.T) {
	t.Parallel()
	rec, _ := runCluster(t, func(a *cluster.ClusterArgs) {
		a.InstanceTags = map[string]string{"Environment": "prod", "CostCenter": "eng"}
		a.Addons.EBSCSIDriver.Configuration = map[string]any{"controller": map[string]any{"extraVolumeTags": map[string]any{"Backup": "daily"}}}
	})
	lt := offlinetest.Find(t, rec, tLT, "eks-general")
	kinds := map[string]bool{}
	for i := range 3 {
		p := "tagSpecifications[" + string(rune('0'+i)) + "]"
		kinds[offlinetest.Str(t, lt, p+".resourceType")] = true
		require.Equal(t, "prod", offlinetest.Str(t, lt, p+".tags.Environment"))
		require.Equal(t, "eng", offlinetest.Str(t, lt, p+".tags.CostCenter"))
		require.Equal(t, "platform", offlinetest.Str(t, lt, p+".tags.team"), "the component's own tags too")
		require.Equal(t, "platform-test-eks-general", offlinetest.Str(t, lt, p+".tags.Name"))
	}
	require.Equal(t, map[string]bool{"instance": true, "volume": true, "network-interface": true}, kinds)
	require.False(t, offlinetest.Has(lt, "tags.Environment"), "the provider's default tags apply to the template itself")

	var conf map[string]any
	require.NoError(t, json.Unmarshal([]byte(offlinetest.Str(t, offlinetest.Find(t, rec, tAddon, "eks-aws-ebs-csi-driver"), "configurationValues")), &conf))
	tags := conf["controller"].(map[string]any)["extraVolumeTags"].(map[string]any)
	require.Equal(t, map[string]any{"Environment": "prod", "CostCenter": "eng", "team": "platform", "Backup": "daily"}, tags)
}

// Nodes wait for the private subnets' egress (NAT routes, endpoints) so they
// can pull images; in-cluster workloads wait for nodes and CoreDNS only.
func TestNodesWaitForEgressAndPodsForDNS(t *testing.T) {
	t.Parallel()
	var egress pulumi.Resource
	var c *cluster.Cluster
	rec := offlinetest.Run(t, func(ctx *pulumi.Context) error {
		route, err := kubernetes.NewProvider(ctx, "stand-in-route", &kubernetes.ProviderArgs{})
		if err != nil {
			return err
		}
		egress = route
		args := validArgs()
		args.NodeDependsOn = []pulumi.Resource{egress}
		c, err = cluster.NewCluster(ctx, "eks", args)
		return err
	})
	stand := rec.Find(tK8sProvider, "stand-in-route")
	require.NotNil(t, stand)
	require.Contains(t, offlinetest.Find(t, rec, tNodeGroup, "eks-general").Dependencies, stand.URN)

	var ready []string
	for _, r := range c.PodsReady {
		ready = append(ready, string(offlinetest.Await(t, r.URN()).Value.(pulumi.URN)))
	}
	require.ElementsMatch(t, []string{
		offlinetest.Find(t, rec, tNodeGroup, "eks-general").URN,
		offlinetest.Find(t, rec, tAddon, "eks-coredns").URN,
	}, ready, "pods need nodes and DNS, not the EBS CSI driver")
}

// The kubeconfig's exec plugin authenticates as the AWS provider does.
func TestKubeconfigActsAsTheProvider(t *testing.T) {
	t.Parallel()
	doc, err := cluster.RenderKubeconfig(cluster.KubeconfigArgs{
		ClusterName: "c", Endpoint: "https://x", CertificateAuthority: "Q0E=", Region: "eu-west-1",
		CLI: cluster.AWSCLI{Profile: "platform", RoleARN: "arn:aws:iam::123456789012:role/deployer"},
	})
	require.NoError(t, err)
	var kc struct {
		Users []struct {
			User struct {
				Exec struct {
					Args []string
					Env  []map[string]string
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(doc), &kc))
	exec := kc.Users[0].User.Exec
	i := slices.Index(exec.Args, "--role-arn")
	require.GreaterOrEqual(t, i, 0)
	require.Equal(t, "arn:aws:iam::123456789012:role/deployer", exec.Args[i+1])
	require.Equal(t, []map[string]string{{"name": "AWS_PROFILE", "value": "platform"}}, exec.Env)
}
