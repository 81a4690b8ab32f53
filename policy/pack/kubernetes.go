package pack

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

const (
	k8sSecret         = "kubernetes:core/v1:Secret"
	k8sSecretPatch    = "kubernetes:core/v1:SecretPatch"
	k8sConfigMap      = "kubernetes:core/v1:ConfigMap"
	k8sConfigMapPatch = "kubernetes:core/v1:ConfigMapPatch"
	k8sNamespace      = "kubernetes:core/v1:Namespace"
	k8sStorageClass   = "kubernetes:storage.k8s.io/v1:StorageClass"
)

// containerGroups are the container lists of a pod spec.
var containerGroups = []string{"initContainers", "containers", "ephemeralContainers"}

// podContainers calls f for each container of r's pod spec.
func podContainers(r policyx.AnalyzerResource, f func(c node, name string)) {
	spec := at(r.Properties, podSpecPaths[r.Type])
	for _, group := range containerGroups {
		containers, _ := spec.get(group).items()
		for _, c := range containers {
			name, _ := c.get("name").str()
			f(c, name)
		}
	}
}

// podSpec is r's pod spec.
func podSpec(r policyx.AnalyzerResource) node { return at(r.Properties, podSpecPaths[r.Type]) }

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
			level:       Mandatory,
			severity:    High,
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
			level:       Mandatory,
			severity:    High,
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
			level:       Mandatory,
			severity:    High,
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
		{
			// Closes: credentials on a command line, readable in the pod
			// spec, in `ps` on the node and in the state.
			name:        "kubernetes-workload-args-no-plain-credentials",
			description: "Container commands and arguments carry no literal credentials (flags named for one, or values shaped like one).",
			level:       Mandatory,
			severity:    High,
			types:       workloadTypes(),
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				var out []string
				podContainers(r, func(c node, cname string) {
					for _, field := range []string{"command", "args"} {
						args, _, _ := c.get(field).strings()
						for _, why := range flagCredentials(args) {
							out = append(out, fmt.Sprintf("Container %q `%s` holds %s; pass it from a Secret (an environment variable with valueFrom.secretKeyRef, or a mounted file).", cname, field, why))
						}
					}
				})
				return out
			},
		},
		{
			// Closes: a container with every capability and device of the
			// node. Pod Security Standards, baseline: "Privileged Pods
			// disable most security mechanisms and must be disallowed".
			// https://kubernetes.io/docs/concepts/security/pod-security-standards/
			name:        "kubernetes-workload-no-privileged",
			description: "Containers do not run privileged.",
			level:       Mandatory,
			severity:    High,
			types:       workloadTypes(),
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				var out []string
				podContainers(r, func(c node, cname string) {
					if m := forbidTrue(c.get("securityContext").get("privileged"), fmt.Sprintf("Container %q is privileged, so it owns the node; remove `securityContext.privileged`.", cname)); m != "" {
						out = append(out, m)
					}
				})
				return out
			},
		},
		{
			// Closes: pods that see the node's network, processes or IPC
			// (Pod Security Standards, baseline: host namespaces).
			name:        "kubernetes-workload-no-host-namespaces",
			description: "Pods do not share the node's network, process or IPC namespaces.",
			level:       Mandatory,
			severity:    High,
			types:       workloadTypes(),
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				spec := podSpec(r)
				var out []string
				for _, f := range []string{"hostNetwork", "hostPID", "hostIPC"} {
					out = append(out, forbidTrue(spec.get(f), fmt.Sprintf("`%s` is true, so the pod shares the node's namespace; remove it.", f)))
				}
				return collect(out...)
			},
		},
		{
			// Closes: processes running as root in the container, one
			// kernel bug away from root on the node (Pod Security Standards,
			// restricted: runAsNonRoot must be true, runAsUser not 0).
			name:        "kubernetes-workload-non-root",
			description: "Containers run as a non-root user (runAsNonRoot: true, no runAsUser 0).",
			level:       Mandatory,
			severity:    Medium,
			types:       workloadTypes(),
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				pod := podSpec(r).get("securityContext")
				if pod.isUnknown() {
					return nil
				}
				var out []string
				podContainers(r, func(c node, cname string) {
					sc := c.get("securityContext")
					nonRoot, user := sc.get("runAsNonRoot"), sc.get("runAsUser")
					if sc.isUnknown() || nonRoot.isUnknown() || user.isUnknown() {
						return
					}
					if nonRoot.missing() {
						nonRoot = pod.get("runAsNonRoot")
					}
					if user.missing() {
						user = pod.get("runAsUser")
					}
					if f, ok := user.num(); ok && f == 0 {
						out = append(out, fmt.Sprintf("Container %q runs as user 0 (root); set `runAsUser` to a non-zero UID.", cname))
						return
					}
					// A patch leaves what it does not set as it was.
					if strings.HasSuffix(r.Type, "Patch") && nonRoot.missing() {
						return
					}
					if m := requireTrue(nonRoot, fmt.Sprintf("Container %q may run as root; set `securityContext.runAsNonRoot: true` (and a non-zero runAsUser) on the container or the pod.", cname)); m != "" {
						out = append(out, m)
					}
				})
				return out
			},
		},
		{
			// Closes: capabilities beyond what an unprivileged process has
			// (Pod Security Standards, restricted: only NET_BIND_SERVICE
			// may be added).
			name:        "kubernetes-workload-no-added-capabilities",
			description: "Containers add no Linux capabilities beyond the allowed ones (NET_BIND_SERVICE by default).",
			level:       Mandatory,
			severity:    High,
			types:       workloadTypes(),
			schema: schemaProps{
				"allowedCapabilities": stringListProp("Capabilities containers may add.", []string{"NET_BIND_SERVICE"}),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				allowed := s.strs("allowedCapabilities")
				var out []string
				podContainers(r, func(c node, cname string) {
					added, _, _ := c.get("securityContext").get("capabilities").get("add").strings()
					var bad []string
					for _, a := range added {
						if !slices.Contains(allowed, strings.TrimPrefix(strings.ToUpper(a), "CAP_")) {
							bad = append(bad, a)
						}
					}
					if len(bad) > 0 {
						out = append(out, fmt.Sprintf("Container %q adds capabilities %s; drop them (only %s may be added).", cname, quoteList(bad), quoteList(allowed)))
					}
				})
				return out
			},
		},
		{
			// Closes: pods reading or writing the node's files (kubelet
			// credentials, other pods' volumes). Pod Security Standards,
			// baseline: HostPath volumes must be forbidden.
			name:        "kubernetes-workload-no-host-path",
			description: "Pods mount no hostPath volumes.",
			level:       Mandatory,
			severity:    High,
			types:       workloadTypes(),
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				vols, _ := podSpec(r).get("volumes").items()
				var out []string
				for _, v := range vols {
					if hp := v.get("hostPath"); hp.known() {
						name, _ := v.get("name").str()
						path, _ := hp.get("path").str()
						out = append(out, fmt.Sprintf("Volume %q mounts the node's %s; use an emptyDir, a PersistentVolumeClaim, a ConfigMap or a Secret instead.", name, orDefault([]string{path}, []string{"filesystem"})[0]))
					}
				}
				return out
			},
		},
		{
			// Closes: a namespace where anything can run: without an
			// enforce label, Pod Security Admission admits privileged pods.
			// https://kubernetes.io/docs/concepts/security/pod-security-admission/
			name:        "kubernetes-core-namespace-pod-security-enforced",
			description: "Namespaces enforce a Pod Security Standard (restricted or baseline).",
			level:       Mandatory,
			severity:    Medium,
			types:       []string{k8sNamespace},
			schema: schemaProps{
				"allowedLevels": stringListProp("Pod Security levels a namespace may enforce.", []string{"restricted", "baseline"}),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				labels := at(r.Properties, "metadata.labels")
				n := labels.get("pod-security.kubernetes.io/enforce")
				if labels.isUnknown() || n.isUnknown() {
					return nil
				}
				allowed := s.strs("allowedLevels")
				v, _ := n.str()
				if slices.Contains(allowed, v) {
					return nil
				}
				if n.missing() {
					return []string{fmt.Sprintf("The namespace enforces no Pod Security Standard, so privileged pods are admitted; label it `pod-security.kubernetes.io/enforce: %s` (components/cluster does this).", allowed[0])}
				}
				return []string{fmt.Sprintf("The namespace enforces %q; enforce one of %s.", v, quoteList(allowed))}
			},
		},
		{
			// Closes: persistent volumes written unencrypted: an EBS
			// StorageClass without `encrypted: "true"` provisions
			// unencrypted volumes unless the account encrypts EBS by
			// default, and the default StorageClass is what every claim
			// without one gets. https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/master/docs/parameters.md
			name:        "kubernetes-storage-storageclass-encrypted",
			description: "EBS StorageClasses (the default one above all) provision encrypted volumes.",
			level:       Mandatory,
			severity:    Medium,
			types:       []string{k8sStorageClass},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				prov, _ := at(r.Properties, "provisioner").str()
				isDefault := at(r.Properties, "metadata.annotations").get("storageclass.kubernetes.io/is-default-class").isTrue()
				if prov != "ebs.csi.aws.com" && prov != "kubernetes.io/aws-ebs" && !isDefault {
					return nil
				}
				what := "The StorageClass"
				if isDefault {
					what = "The default StorageClass"
				}
				return collect(requireTrue(at(r.Properties, "parameters.encrypted"),
					what+" provisions unencrypted volumes; set `parameters.encrypted: \"true\"` with `kmsKeyId` (components/cluster does this)."))
			},
		},
	}
}
