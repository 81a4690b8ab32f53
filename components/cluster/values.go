package cluster

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/internal/parts"
)

// AutoscalerValues are the cluster-autoscaler chart's values: auto-discovery
// of this cluster's tagged groups, the IRSA role on the service account
// (whose name the role's trust policy names), critical priority, a
// disruption budget, pods that run as nobody on a read-only root, and the
// system group's scheduling (chart values.yaml: nodeSelector, tolerations).
func AutoscalerValues(a Autoscaler, clusterName pulumi.StringInput, region string, roleARN pulumi.StringInput, sched parts.Scheduling) pulumi.Map {
	ownerTag := clusterName.ToStringOutput().ApplyT(AutoscalerOwnerTag).(pulumi.StringOutput)
	values := pulumi.Map{
		"cloudProvider":    pulumi.String("aws"),
		"awsRegion":        pulumi.String(region),
		"fullnameOverride": pulumi.String("cluster-autoscaler"),
		"autoDiscovery": pulumi.Map{
			"clusterName": clusterName,
			"tags":        pulumi.Array{pulumi.String(AutoscalerTagEnabled), ownerTag},
		},
		"image": pulumi.Map{"tag": pulumi.String(a.ImageTag)},
		"rbac": pulumi.Map{
			"serviceAccount": pulumi.Map{
				"create": pulumi.Bool(true),
				"name":   pulumi.String(AutoscalerServiceAccount),
				"annotations": pulumi.Map{
					"eks.amazonaws.com/role-arn": roleARN,
				},
			},
		},
		"priorityClassName":   pulumi.String("system-cluster-critical"),
		"replicaCount":        pulumi.Int(1),
		"podDisruptionBudget": pulumi.Map{"maxUnavailable": pulumi.Int(1)},
		// The autoscaler must not evict itself while draining its node.
		"podAnnotations": pulumi.Map{
			"cluster-autoscaler.kubernetes.io/safe-to-evict": pulumi.String("false"),
		},
		"extraArgs": pulumi.Map{
			"balance-similar-node-groups": pulumi.Bool(true),
			"expander":                    pulumi.String(a.Expander),
			// System pods with a disruption budget can move; without this
			// no node running CoreDNS would ever be scaled down.
			"skip-nodes-with-system-pods": pulumi.Bool(false),
		},
		"resources": pulumi.Map{
			"requests": pulumi.Map{"cpu": pulumi.String("100m"), "memory": pulumi.String("300Mi")},
			"limits":   pulumi.Map{"memory": pulumi.String("600Mi")},
		},
		"securityContext": pulumi.Map{
			"runAsNonRoot":   pulumi.Bool(true),
			"runAsUser":      pulumi.Int(65534),
			"runAsGroup":     pulumi.Int(65534),
			"seccompProfile": pulumi.Map{"type": pulumi.String("RuntimeDefault")},
		},
		"containerSecurityContext": pulumi.Map{
			"allowPrivilegeEscalation": pulumi.Bool(false),
			"readOnlyRootFilesystem":   pulumi.Bool(true),
			"capabilities":             pulumi.Map{"drop": pulumi.Array{pulumi.String("ALL")}},
		},
	}
	addScheduling(values, sched)
	return values
}

// addScheduling sets the chart's nodeSelector and tolerations values.
func addScheduling(values pulumi.Map, sched parts.Scheduling) {
	for k, v := range sched.Values() {
		values[k] = pulumi.Any(v)
	}
}

// MetricsServerValues are the metrics-server chart's values: several
// replicas behind a disruption budget, so the metrics API (and with it every
// HorizontalPodAutoscaler) survives a node drain; its "tmp" emptyDir
// (values.yaml tmpVolume) marked safe to lose, so the Cluster Autoscaler can
// scale its nodes down (by default it keeps any node running a pod with a
// non-memory emptyDir: FAQ, skip-nodes-with-local-storage); and the system
// group's scheduling.
func MetricsServerValues(m MetricsServer, sched parts.Scheduling) pulumi.Map {
	values := pulumi.Map{
		"replicas":          pulumi.Int(m.Replicas),
		"priorityClassName": pulumi.String("system-cluster-critical"),
		"podDisruptionBudget": pulumi.Map{
			"enabled":        pulumi.Bool(true),
			"maxUnavailable": pulumi.Int(1),
		},
		"podAnnotations": pulumi.Map{
			safeToEvictLocalVolumes: pulumi.String("tmp"),
		},
	}
	addScheduling(values, sched)
	return values
}
