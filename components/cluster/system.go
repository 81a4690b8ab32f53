package cluster

import (
	"fmt"

	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	storagev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/storage/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/internal/check"
)

// systemTypeToken is the in-cluster layer's type; changing it needs
// pulumi.Aliases.
const systemTypeToken = "platform:compute:ClusterSystem"

// Chart repositories of the releases NewSystem installs.
const (
	AutoscalerChartRepo    = "https://kubernetes.github.io/autoscaler"
	MetricsServerChartRepo = "https://kubernetes-sigs.github.io/metrics-server/"
)

// StorageClassName is the default StorageClass NewSystem creates.
const StorageClassName = "gp3-encrypted"

// SystemArgs configures a System. Pass the Kubernetes provider built from
// Cluster.Kubeconfig in the options (pulumi.Provider or pulumi.Providers):
// NewSystem refuses to run against whatever cluster the ambient kubeconfig
// points at.
type SystemArgs struct {
	// Config is the cluster's configuration (platform:cluster), the one
	// NewCluster got; NewSystem reads Namespaces, Autoscaler, MetricsServer
	// and DefaultStorageClass, as given.
	Config
	// ClusterName is Cluster.ClusterName; required.
	ClusterName pulumi.StringInput
	// Region is the cluster's region (Cluster.Region); required.
	Region string
	// AutoscalerRoleARN is Cluster.AutoscalerRoleARN; required while the
	// autoscaler is enabled.
	AutoscalerRoleARN pulumi.StringInput
	// VolumeKMSKeyARN is Cluster.VolumeKMSKeyARN; required while
	// DefaultStorageClass is on.
	VolumeKMSKeyARN pulumi.StringInput
	// DependsOn are what the Helm releases' pods need first: pass
	// Cluster.PodsReady (nodes and cluster DNS). Default none.
	DependsOn []pulumi.Resource
}

// System is the platform's in-cluster layer: namespaces, the Cluster
// Autoscaler, metrics-server and the default StorageClass.
type System struct {
	pulumi.ResourceState

	// PlatformNamespace is the platform-system namespace's name, as an
	// output of the namespace: whatever uses it waits for it to exist.
	PlatformNamespace pulumi.StringOutput `pulumi:"platformNamespace"`
	// Namespaces are the workload namespaces' names, in config order.
	Namespaces pulumi.StringArrayOutput `pulumi:"namespaces"`
}

// PodSecurityLabels enforce, audit and warn on the "restricted" Pod Security
// Standard.
var PodSecurityLabels = map[string]string{
	"pod-security.kubernetes.io/enforce": "restricted",
	"pod-security.kubernetes.io/audit":   "restricted",
	"pod-security.kubernetes.io/warn":    "restricted",
}

// NewSystem creates the in-cluster layer with the Kubernetes provider passed
// in opts.
func NewSystem(ctx *pulumi.Context, name string, args *SystemArgs, opts ...pulumi.ResourceOption) (*System, error) {
	if args == nil {
		return nil, fmt.Errorf("cluster system %q: args are required", name)
	}
	cfg := args.Config
	if err := validateSystemArgs(cfg, args, opts); err != nil {
		return nil, fmt.Errorf("cluster system %q: %w", name, err)
	}

	s := &System{}
	if err := ctx.RegisterComponentResource(systemTypeToken, name, s, opts...); err != nil {
		return nil, fmt.Errorf("cluster system %q: %w", name, err)
	}
	parent := pulumi.Parent(s)

	platform, err := namespace(ctx, name+"-"+PlatformNamespace, PlatformNamespace, parent)
	if err != nil {
		return nil, fmt.Errorf("cluster system %q: %w", name, err)
	}
	s.PlatformNamespace = platform.Metadata.Name().Elem()
	var names pulumi.StringArray
	for _, ns := range cfg.Namespaces {
		n, err := namespace(ctx, name+"-ns-"+ns, ns, parent)
		if err != nil {
			return nil, fmt.Errorf("cluster system %q: %w", name, err)
		}
		names = append(names, n.Metadata.Name().Elem())
	}
	s.Namespaces = names.ToStringArrayOutput()

	if cfg.DefaultStorageClass {
		if _, err := storagev1.NewStorageClass(ctx, name+"-"+StorageClassName, &storagev1.StorageClassArgs{
			Metadata: &metav1.ObjectMetaArgs{
				Name: pulumi.String(StorageClassName),
				Annotations: pulumi.StringMap{
					"storageclass.kubernetes.io/is-default-class": pulumi.String("true"),
				},
			},
			Provisioner: pulumi.String("ebs.csi.aws.com"),
			Parameters: pulumi.StringMap{
				"type":                      pulumi.String("gp3"),
				"encrypted":                 pulumi.String("true"),
				"kmsKeyId":                  args.VolumeKMSKeyARN,
				"csi.storage.k8s.io/fstype": pulumi.String("ext4"),
			},
			ReclaimPolicy:        pulumi.String("Delete"),
			VolumeBindingMode:    pulumi.String("WaitForFirstConsumer"),
			AllowVolumeExpansion: pulumi.Bool(true),
		}, parent,
			// A StorageClass's parameters are immutable and its name is
			// fixed: a change must delete the old one first.
			pulumi.DeleteBeforeReplace(true)); err != nil {
			return nil, fmt.Errorf("cluster system %q: storage class: %w", name, err)
		}
	}

	releaseOpts := []pulumi.ResourceOption{parent}
	if len(args.DependsOn) > 0 {
		releaseOpts = append(releaseOpts, pulumi.DependsOn(args.DependsOn))
	}
	if cfg.Autoscaler.Enabled {
		if _, err := newRelease(ctx, name+"-cluster-autoscaler", releaseArgs{
			Name:      "cluster-autoscaler",
			Chart:     "cluster-autoscaler",
			Version:   cfg.Autoscaler.ChartVersion,
			Repo:      AutoscalerChartRepo,
			Namespace: SystemNamespace,
			Values:    AutoscalerValues(cfg.Autoscaler, args.ClusterName, args.Region, args.AutoscalerRoleARN, cfg.SystemScheduling()),
		}, releaseOpts...); err != nil {
			return nil, fmt.Errorf("cluster system %q: cluster autoscaler: %w", name, err)
		}
	}
	if cfg.MetricsServer.Enabled {
		if _, err := newRelease(ctx, name+"-metrics-server", releaseArgs{
			Name:      "metrics-server",
			Chart:     "metrics-server",
			Version:   cfg.MetricsServer.ChartVersion,
			Repo:      MetricsServerChartRepo,
			Namespace: SystemNamespace,
			Values:    MetricsServerValues(cfg.MetricsServer, cfg.SystemScheduling()),
		}, releaseOpts...); err != nil {
			return nil, fmt.Errorf("cluster system %q: metrics-server: %w", name, err)
		}
	}

	if err := ctx.RegisterResourceOutputs(s, pulumi.Map{
		"platformNamespace": s.PlatformNamespace,
		"namespaces":        s.Namespaces,
	}); err != nil {
		return nil, fmt.Errorf("cluster system %q: registering outputs: %w", name, err)
	}
	return s, nil
}

func validateSystemArgs(cfg Config, args *SystemArgs, opts []pulumi.ResourceOption) error {
	var p check.Problems
	if args.ClusterName == nil {
		p.Addf("clusterName", "is required (Cluster.ClusterName)")
	}
	if args.Region == "" {
		p.Addf("region", "is required (Cluster.Region)")
	}
	if cfg.Autoscaler.Enabled && args.AutoscalerRoleARN == nil {
		p.Addf("autoscalerRoleArn", "is required while the autoscaler is enabled (Cluster.AutoscalerRoleARN)")
	}
	if cfg.DefaultStorageClass && args.VolumeKMSKeyARN == nil {
		p.Addf("volumeKmsKeyArn", "is required while defaultStorageClass is on (Cluster.VolumeKMSKeyARN)")
	}
	if !hasKubernetesProvider(opts) {
		p.Addf("opts", "need the cluster's Kubernetes provider (pulumi.Provider(k8s) or pulumi.Providers(k8s)); without it the ambient kubeconfig's cluster would be changed")
	}
	return p.Err()
}

func hasKubernetesProvider(opts []pulumi.ResourceOption) bool {
	ro, err := pulumi.NewResourceOptions(opts...)
	if err != nil {
		return false
	}
	if _, ok := ro.Provider.(*kubernetes.Provider); ok {
		return true
	}
	for _, p := range ro.Providers {
		if _, ok := p.(*kubernetes.Provider); ok {
			return true
		}
	}
	return false
}

func namespace(ctx *pulumi.Context, res, name string, opts ...pulumi.ResourceOption) (*corev1.Namespace, error) {
	labels := pulumi.StringMap{"app.kubernetes.io/managed-by": pulumi.String("pulumi")}
	for k, v := range PodSecurityLabels {
		labels[k] = pulumi.String(v)
	}
	ns, err := corev1.NewNamespace(ctx, res, &corev1.NamespaceArgs{
		Metadata: &metav1.ObjectMetaArgs{
			Name:   pulumi.String(name),
			Labels: labels,
		},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("namespace %s: %w", name, err)
	}
	return ns, nil
}
