package cluster

import (
	"encoding/json"
	"fmt"
)

// kubeconfigArgs are the cluster facts a kubeconfig is rendered from.
type kubeconfigArgs struct {
	ClusterName          string // required
	Endpoint             string // required; https://...
	CertificateAuthority string // required; base64 PEM, as EKS returns it
	Region               string // required
	// CLI makes `aws eks get-token` authenticate as the AWS provider does
	// (aws:profile, aws:assumeRole); default the ambient credentials.
	CLI AWSCLI
}

// renderKubeconfig returns a kubeconfig (JSON, which is YAML too) whose user
// authenticates with `aws eks get-token`: every use gets a fresh, short-lived
// token for whatever AWS identity runs it, and the file itself holds no
// credential. It is exported as a secret all the same, since it tells where
// the API server is and which role-bound identity it trusts.
func renderKubeconfig(a kubeconfigArgs) (string, error) {
	if a.ClusterName == "" || a.Endpoint == "" || a.CertificateAuthority == "" || a.Region == "" {
		return "", fmt.Errorf("kubeconfig: cluster name, endpoint, certificate authority and region are required, got %+v", a)
	}
	name := a.ClusterName
	args := []string{"eks", "get-token", "--cluster-name", name, "--region", a.Region, "--output", "json"}
	if a.CLI.RoleARN != "" {
		args = append(args, "--role-arn", a.CLI.RoleARN)
	}
	exec := map[string]any{
		"apiVersion":      "client.authentication.k8s.io/v1beta1",
		"command":         "aws",
		"args":            args,
		"interactiveMode": "Never",
	}
	if a.CLI.Profile != "" {
		exec["env"] = []any{map[string]any{"name": "AWS_PROFILE", "value": a.CLI.Profile}}
	}
	doc := map[string]any{
		"apiVersion":      "v1",
		"kind":            "Config",
		"current-context": name,
		"clusters": []any{map[string]any{
			"name": name,
			"cluster": map[string]any{
				"server":                     a.Endpoint,
				"certificate-authority-data": a.CertificateAuthority,
			},
		}},
		"contexts": []any{map[string]any{
			"name":    name,
			"context": map[string]any{"cluster": name, "user": name},
		}},
		"users": []any{map[string]any{
			"name": name,
			"user": map[string]any{"exec": exec},
		}},
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return "", fmt.Errorf("kubeconfig: %w", err)
	}
	return string(b), nil
}
