package pack

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

const (
	k8sSecret         = "kubernetes:core/v1:Secret"
	k8sSecretPatch    = "kubernetes:core/v1:SecretPatch"
	k8sConfigMap      = "kubernetes:core/v1:ConfigMap"
	k8sConfigMapPatch = "kubernetes:core/v1:ConfigMapPatch"
)

// podSpecPaths maps each workload kind to where its pod spec sits.
var podSpecPaths = map[string]string{
	"kubernetes:core/v1:Pod":                   "spec",
	"kubernetes:core/v1:PodPatch":              "spec",
	"kubernetes:core/v1:PodTemplate":           "template.spec",
	"kubernetes:core/v1:ReplicationController": "spec.template.spec",
	"kubernetes:apps/v1:Deployment":            "spec.template.spec",
	"kubernetes:apps/v1:DeploymentPatch":       "spec.template.spec",
	"kubernetes:apps/v1:StatefulSet":           "spec.template.spec",
	"kubernetes:apps/v1:StatefulSetPatch":      "spec.template.spec",
	"kubernetes:apps/v1:DaemonSet":             "spec.template.spec",
	"kubernetes:apps/v1:DaemonSetPatch":        "spec.template.spec",
	"kubernetes:apps/v1:ReplicaSet":            "spec.template.spec",
	"kubernetes:batch/v1:Job":                  "spec.template.spec",
	"kubernetes:batch/v1:JobPatch":             "spec.template.spec",
	"kubernetes:batch/v1:CronJob":              "spec.jobTemplate.spec.template.spec",
	"kubernetes:batch/v1:CronJobPatch":         "spec.jobTemplate.spec.template.spec",
}

func workloadTypes() []string {
	out := make([]string, 0, len(podSpecPaths))
	for t := range podSpecPaths {
		out = append(out, t)
	}
	return sortedStrings(out)
}

func kubernetesRules() []*rule {
	return []*rule{
		{
			// Closes: Secret data in plaintext in the Pulumi state and diffs.
			name:        "kubernetes-core-secret-data-secret",
			description: "Kubernetes Secret data is made of Pulumi secrets.",
			level:       policyx.EnforcementLevelMandatory,
			types:       []string{k8sSecret, k8sSecretPatch},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				var out []string
				for _, field := range []string{"data", "stringData"} {
					m := at(r.Properties, field)
					keys, ok := m.keys()
					if !ok || m.secret {
						continue
					}
					for _, k := range keys {
						out = append(out, requireSecret(m.get(k), fmt.Sprintf("Secret key %q", k),
							"build the value from secret outputs (random.RandomPassword, pulumi.ToSecret)."))
					}
				}
				return collect(out...)
			},
		},
		{
			// Closes: credentials in a ConfigMap, which any reader of the
			// namespace's ConfigMaps (and every pod mounting it) sees.
			name:        "kubernetes-core-configmap-no-credentials",
			description: "Kubernetes ConfigMaps hold no credentials, by key name or by content.",
			level:       policyx.EnforcementLevelMandatory,
			types:       []string{k8sConfigMap, k8sConfigMapPatch},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				m := at(r.Properties, "data")
				keys, _ := m.keys()
				var out []string
				for _, k := range keys {
					v, ok := m.get(k).str()
					if !ok || v == "" {
						continue
					}
					if isAssignmentKey(k) {
						out = append(out, fmt.Sprintf("ConfigMap key %q holds a credential; move it to a Kubernetes Secret.", k))
						continue
					}
					if why := credentialContent(v); why != "" {
						out = append(out, fmt.Sprintf("ConfigMap key %q contains %s; move the credential to a Kubernetes Secret and pass it in at run time (psql variables, environment from secretKeyRef).", k, why))
					}
				}
				return out
			},
		},
		{
			// Closes: credentials in pod specs, readable by anyone who can
			// get the workload, and in the state.
			name:        "kubernetes-workload-env-no-plain-credentials",
			description: "Container environment variables take credentials from Secrets (valueFrom.secretKeyRef), never as literal values.",
			level:       policyx.EnforcementLevelMandatory,
			types:       workloadTypes(),
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				spec := at(r.Properties, podSpecPaths[r.Type])
				var out []string
				for _, group := range []string{"initContainers", "containers", "ephemeralContainers"} {
					containers, _ := spec.get(group).items()
					for _, c := range containers {
						cname, _ := c.get("name").str()
						env, _ := c.get("env").items()
						for _, e := range env {
							name, _ := e.get("name").str()
							v, ok := e.get("value").str()
							if !ok || v == "" {
								continue
							}
							if isAssignmentKey(name) {
								out = append(out, fmt.Sprintf("Container %q sets %s as a literal value; use `valueFrom: {secretKeyRef: ...}`.", cname, name))
								continue
							}
							if why := credentialContent(v); why != "" {
								out = append(out, fmt.Sprintf("Container %q variable %s contains %s; take it from a Secret with `valueFrom.secretKeyRef`.", cname, name, why))
							}
						}
					}
				}
				return out
			},
		},
	}
}
