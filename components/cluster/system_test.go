package cluster_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/cluster"
	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
)

const (
	tNamespace    = "kubernetes:core/v1:Namespace"
	tStorageClass = "kubernetes:storage.k8s.io/v1:StorageClass"
	tRelease      = "kubernetes:helm.sh/v3:Release"
	tK8sProvider  = "pulumi:providers:kubernetes"
)

// runPlatform runs the cluster, a Kubernetes provider built from its
// kubeconfig (as the stack does) and the system layer on top.
func runPlatform(t *testing.T, mutate func(*cluster.Config)) (*offline.Recorder, *cluster.Cluster, *cluster.System) {
	t.Helper()
	cfg := validConfig()
	cfg.Namespaces = []string{"apps", "jobs"}
	if mutate != nil {
		mutate(&cfg)
	}
	var c *cluster.Cluster
	var s *cluster.System
	rec := offlinetest.Run(t, func(ctx *pulumi.Context) error {
		args := validArgs()
		args.Config = cfg
		var err error
		if c, err = cluster.NewCluster(ctx, "eks", args); err != nil {
			return err
		}
		k8s, err := kubernetes.NewProvider(ctx, "k8s", &kubernetes.ProviderArgs{Kubeconfig: c.Kubeconfig})
		if err != nil {
			return err
		}
		s, err = cluster.NewSystem(ctx, "system", &cluster.SystemArgs{
			Config:            cfg,
			ClusterName:       c.ClusterName,
			Region:            c.Region,
			AutoscalerRoleARN: c.AutoscalerRoleARN,
			VolumeKMSKeyARN:   c.VolumeKMSKeyARN,
			DependsOn:         append(append([]pulumi.Resource{}, c.NodeGroups...), c.Addons...),
		}, pulumi.Provider(k8s))
		return err
	})
	return rec, c, s
}

func TestProviderIsBuiltFromTheSecretKubeconfig(t *testing.T) {
	t.Parallel()
	rec, _, _ := runPlatform(t, nil)
	p := offlinetest.Find(t, rec, tK8sProvider, "k8s")
	require.True(t, offlinetest.IsSecret(t, p, "kubeconfig"), "the provider's kubeconfig is a secret input")
	kc, ex := parseKubeconfig(t, offlinetest.Str(t, p, "kubeconfig"))
	require.Equal(t, clusterName, kc.CurrentContext)
	require.Equal(t, "aws", ex.Command)
}

func TestEveryInClusterResourceUsesTheClusterProvider(t *testing.T) {
	t.Parallel()
	rec, _, _ := runPlatform(t, nil)
	p := offlinetest.Find(t, rec, tK8sProvider, "k8s")
	comps := rec.ByType(cluster.SystemTypeToken)
	require.Len(t, comps, 1)
	children := rec.Descendants(comps[0].URN)
	require.NotEmpty(t, children)
	for _, r := range children {
		require.Truef(t, strings.HasPrefix(r.Provider, p.URN+"::"), "%s %s uses provider %q", r.Type, r.Name, r.Provider)
		require.Truef(t, strings.HasPrefix(r.Name, "system-"), "%s %s is not named after the component", r.Type, r.Name)
		require.Truef(t, strings.HasPrefix(r.Type, "kubernetes:"), "%s %s: the system layer creates Kubernetes objects only", r.Type, r.Name)
	}
}

func TestNamespacesEnforceRestrictedPodSecurity(t *testing.T) {
	t.Parallel()
	rec, _, s := runPlatform(t, nil)
	namespaces := rec.ByType(tNamespace)
	require.Len(t, namespaces, 3)
	var names []string
	for _, ns := range namespaces {
		names = append(names, offlinetest.Str(t, ns, "metadata.name"))
		for _, mode := range []string{"enforce", "audit", "warn"} {
			require.Equal(t, "restricted", offlinetest.Str(t, ns, `metadata.labels["pod-security.kubernetes.io/`+mode+`"]`), "%s %s", ns.Name, mode)
		}
	}
	require.ElementsMatch(t, []string{"platform-system", "apps", "jobs"}, names)
	require.Equal(t, "platform-system", offlinetest.Await(t, s.PlatformNamespace).Value)
	require.Equal(t, []string{"apps", "jobs"}, offlinetest.Await(t, s.Namespaces).Value)
	for _, ns := range namespaces {
		require.Empty(t, ns.Dependencies, "namespaces need no nodes")
	}
}

func TestClusterAutoscalerRelease(t *testing.T) {
	t.Parallel()
	rec, c, _ := runPlatform(t, nil)
	r := offlinetest.Find(t, rec, tRelease, "system-cluster-autoscaler")
	require.Equal(t, "cluster-autoscaler", offlinetest.Str(t, r, "chart"))
	require.Equal(t, cluster.AutoscalerChartVersion, offlinetest.Str(t, r, "version"))
	require.Equal(t, "https://kubernetes.github.io/autoscaler", offlinetest.Str(t, r, "repositoryOpts.repo"))
	require.Equal(t, "kube-system", offlinetest.Str(t, r, "namespace"))
	// Registered as pulumi-kubernetes' helm/v3.NewRelease would register it.
	require.Equal(t, "true", offlinetest.Str(t, r, "compat"))
	require.Equal(t, pinnedKubernetesSDK(t), r.Version, "the Kubernetes provider pinned in go.mod")
	require.True(t, offlinetest.Bool(t, r, "cleanupOnFail"))
	require.Equal(t, 600.0, offlinetest.Num(t, r, "timeout"))

	require.Equal(t, clusterName, offlinetest.Str(t, r, "values.autoDiscovery.clusterName"))
	require.Equal(t, []string{"k8s.io/cluster-autoscaler/enabled", "k8s.io/cluster-autoscaler/" + clusterName}, offlinetest.Strs(t, r, "values.autoDiscovery.tags"))
	require.Equal(t, "us-east-1", offlinetest.Str(t, r, "values.awsRegion"))
	require.Equal(t, "aws", offlinetest.Str(t, r, "values.cloudProvider"))
	require.Equal(t, cluster.AutoscalerImageTag, offlinetest.Str(t, r, "values.image.tag"))
	require.Equal(t, "cluster-autoscaler", offlinetest.Str(t, r, "values.rbac.serviceAccount.name"))
	role := offlinetest.Find(t, rec, tRole, "eks-autoscaler")
	require.Equal(t, offlinetest.OutputString(t, role, "arn"), offlinetest.Str(t, r, `values.rbac.serviceAccount.annotations["eks.amazonaws.com/role-arn"]`))
	require.Equal(t, "system:serviceaccount:kube-system:"+offlinetest.Str(t, r, "values.rbac.serviceAccount.name"), trustedServiceAccount(t, role),
		"the role trusts exactly the service account the chart creates")
	require.Equal(t, "system-cluster-critical", offlinetest.Str(t, r, "values.priorityClassName"))
	require.Equal(t, 1.0, offlinetest.Num(t, r, "values.podDisruptionBudget.maxUnavailable"))
	require.True(t, offlinetest.Bool(t, r, `values.extraArgs["balance-similar-node-groups"]`))
	require.Equal(t, "least-waste", offlinetest.Str(t, r, "values.extraArgs.expander"))
	require.True(t, offlinetest.Bool(t, r, "values.securityContext.runAsNonRoot"))

	// The autoscaler discovers exactly the tags the node groups carry.
	ng := offlinetest.Find(t, rec, tNodeGroup, "eks-general")
	for _, tag := range offlinetest.Strs(t, r, "values.autoDiscovery.tags") {
		require.True(t, offlinetest.Has(ng, `tags["`+tag+`"]`), "node group lacks %s", tag)
	}
	// Its pods need nodes.
	for _, dep := range c.NodeGroups {
		urn := offlinetest.Await(t, dep.URN()).Value.(pulumi.URN)
		require.Contains(t, r.Dependencies, string(urn))
	}
}

func TestMetricsServerRelease(t *testing.T) {
	t.Parallel()
	rec, _, _ := runPlatform(t, func(c *cluster.Config) { c.MetricsServer.Replicas = 3 })
	r := offlinetest.Find(t, rec, tRelease, "system-metrics-server")
	require.Equal(t, "metrics-server", offlinetest.Str(t, r, "chart"))
	require.Equal(t, cluster.MetricsServerChartVersion, offlinetest.Str(t, r, "version"))
	require.Equal(t, "https://kubernetes-sigs.github.io/metrics-server/", offlinetest.Str(t, r, "repositoryOpts.repo"))
	require.Equal(t, "kube-system", offlinetest.Str(t, r, "namespace"))
	require.Equal(t, 3.0, offlinetest.Num(t, r, "values.replicas"))
	require.True(t, offlinetest.Bool(t, r, "values.podDisruptionBudget.enabled"))
	require.Equal(t, "system-cluster-critical", offlinetest.Str(t, r, "values.priorityClassName"))
	require.Contains(t, r.Dependencies, offlinetest.Find(t, rec, tNodeGroup, "eks-general").URN)
}

func TestDefaultStorageClassIsEncryptedWithTheVolumeKey(t *testing.T) {
	t.Parallel()
	rec, _, _ := runPlatform(t, nil)
	sc := offlinetest.Find(t, rec, tStorageClass, "system-gp3-encrypted")
	require.Equal(t, "gp3-encrypted", offlinetest.Str(t, sc, "metadata.name"))
	require.Equal(t, "true", offlinetest.Str(t, sc, `metadata.annotations["storageclass.kubernetes.io/is-default-class"]`))
	require.Equal(t, "ebs.csi.aws.com", offlinetest.Str(t, sc, "provisioner"))
	require.Equal(t, "gp3", offlinetest.Str(t, sc, "parameters.type"))
	require.Equal(t, "true", offlinetest.Str(t, sc, "parameters.encrypted"))
	require.Equal(t, offlinetest.OutputString(t, offlinetest.Find(t, rec, tKey, "eks-volumes"), "arn"), offlinetest.Str(t, sc, "parameters.kmsKeyId"))
	require.Equal(t, "WaitForFirstConsumer", offlinetest.Str(t, sc, "volumeBindingMode"))
	require.True(t, sc.DeleteBeforeReplace)
}

func TestSystemSwitches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                     string
		mutate                   func(*cluster.Config)
		autoscaler, metrics, gp3 bool
		namespaces               int
	}{
		{"defaults", nil, true, true, true, 3},
		{"autoscaler off", func(c *cluster.Config) { c.Autoscaler.Enabled = false }, false, true, true, 3},
		{"metrics-server off", func(c *cluster.Config) { c.MetricsServer.Enabled = false }, true, false, true, 3},
		{"storage class off", func(c *cluster.Config) { c.DefaultStorageClass = false }, true, true, false, 3},
		{"no workload namespaces", func(c *cluster.Config) { c.Namespaces = nil }, true, true, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec, _, _ := runPlatform(t, tt.mutate)
			require.Equal(t, tt.autoscaler, rec.Find(tRelease, "system-cluster-autoscaler") != nil)
			require.Equal(t, tt.metrics, rec.Find(tRelease, "system-metrics-server") != nil)
			require.Equal(t, tt.gp3, rec.Find(tStorageClass, "system-gp3-encrypted") != nil)
			require.Len(t, rec.ByType(tNamespace), tt.namespaces)
		})
	}
}

func TestSystemRefusesBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     func() *cluster.SystemArgs
		provider bool
		want     string
	}{
		{"nil args", func() *cluster.SystemArgs { return nil }, true, "args are required"},
		{"no provider", func() *cluster.SystemArgs { return systemArgs() }, false, "need the cluster's Kubernetes provider"},
		{"no cluster name", func() *cluster.SystemArgs { a := systemArgs(); a.ClusterName = nil; return a }, true, "clusterName: is required"},
		{"no region", func() *cluster.SystemArgs { a := systemArgs(); a.Region = ""; return a }, true, "region: is required"},
		{"autoscaler without role", func() *cluster.SystemArgs { a := systemArgs(); a.AutoscalerRoleARN = nil; return a }, true, "autoscalerRoleArn: is required"},
		{"storage class without key", func() *cluster.SystemArgs { a := systemArgs(); a.VolumeKMSKeyARN = nil; return a }, true, "volumeKmsKeyArn: is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec, err := offlinetest.RunErr(func(ctx *pulumi.Context) error {
				var opts []pulumi.ResourceOption
				if tt.provider {
					k8s, err := kubernetes.NewProvider(ctx, "k8s", &kubernetes.ProviderArgs{Kubeconfig: pulumi.String("{}")})
					if err != nil {
						return err
					}
					opts = append(opts, pulumi.Providers(k8s))
				}
				_, err := cluster.NewSystem(ctx, "system", tt.args(), opts...)
				return err
			})
			require.ErrorContains(t, err, tt.want)
			for _, r := range rec.Resources() {
				require.Equal(t, tK8sProvider, r.Type, "only the test's provider may be registered, got %s %s", r.Type, r.Name)
			}
		})
	}
}

func TestSystemWithoutOptionalParts(t *testing.T) {
	t.Parallel()
	// With the autoscaler and the storage class off, neither the role nor
	// the key is needed.
	rec := offlinetest.Run(t, func(ctx *pulumi.Context) error {
		k8s, err := kubernetes.NewProvider(ctx, "k8s", &kubernetes.ProviderArgs{Kubeconfig: pulumi.String("{}")})
		if err != nil {
			return err
		}
		a := systemArgs()
		a.Autoscaler.Enabled = false
		a.DefaultStorageClass = false
		a.AutoscalerRoleARN, a.VolumeKMSKeyARN = nil, nil
		_, err = cluster.NewSystem(ctx, "system", a, pulumi.Providers(k8s))
		return err
	})
	require.Len(t, rec.ByType(tRelease), 1)
	require.Len(t, rec.ByType(tNamespace), 1)
}

func systemArgs() *cluster.SystemArgs {
	return &cluster.SystemArgs{
		Config:            validConfig(),
		ClusterName:       pulumi.String(clusterName),
		Region:            "us-east-1",
		AutoscalerRoleARN: pulumi.String("arn:aws:iam::123456789012:role/autoscaler"),
		VolumeKMSKeyARN:   pulumi.String("arn:aws:kms:us-east-1:123456789012:key/k"),
	}
}

// pinnedKubernetesSDK reads the pulumi-kubernetes version from go.mod.
func pinnedKubernetesSDK(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(offlinetest.RepoRoot(t), "go.mod"))
	require.NoError(t, err)
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "github.com/pulumi/pulumi-kubernetes/sdk/v4" {
			return strings.TrimPrefix(f[1], "v")
		}
	}
	t.Fatal("go.mod does not require pulumi-kubernetes")
	return ""
}
