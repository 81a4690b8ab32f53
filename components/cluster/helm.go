package cluster

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// kubernetesSDKVersion is the pulumi-kubernetes version pinned in go.mod: the
// provider plugin a Release is registered for, as the SDK's own constructors
// do.
const kubernetesSDKVersion = "4.32.0"

// releaseType is the type token of a Helm release managed by the Kubernetes
// provider.
const releaseType = "kubernetes:helm.sh/v3:Release"

// release is a Helm release. It is registered exactly as pulumi-kubernetes'
// helm/v3.NewRelease registers one (same type token, inputs and provider
// version, `compat: "true"`), without importing that package: helm/v3
// imports kubernetes/yaml, which imports every Kubernetes API group, and
// compiling them took six of the seventeen minutes of a cold CI build
// (docs/performance.md).
type release struct {
	pulumi.CustomResourceState
}

// releaseArgs are the inputs of a release from a chart repository.
type releaseArgs struct {
	Name      string          // the Helm release name; required
	Chart     string          // required
	Version   string          // the chart version; required
	Repo      string          // the chart repository URL; required
	Namespace string          // required
	Values    pulumi.MapInput // default none
}

func newRelease(ctx *pulumi.Context, name string, a releaseArgs, opts ...pulumi.ResourceOption) (*release, error) {
	if a.Name == "" || a.Chart == "" || a.Version == "" || a.Repo == "" || a.Namespace == "" {
		return nil, fmt.Errorf("helm release %q: name, chart, version, repository and namespace are required", name)
	}
	props := pulumi.Map{
		"name":           pulumi.String(a.Name),
		"chart":          pulumi.String(a.Chart),
		"version":        pulumi.String(a.Version),
		"repositoryOpts": pulumi.Map{"repo": pulumi.String(a.Repo)},
		"namespace":      pulumi.String(a.Namespace),
		"cleanupOnFail":  pulumi.Bool(true),
		"maxHistory":     pulumi.Int(10),
		"timeout":        pulumi.Int(600),
		"compat":         pulumi.String("true"),
	}
	if a.Values != nil {
		props["values"] = a.Values
	}
	var r release
	if err := ctx.RegisterResource(releaseType, name, props, &r,
		append([]pulumi.ResourceOption{pulumi.Version(kubernetesSDKVersion)}, opts...)...); err != nil {
		return nil, fmt.Errorf("helm release %q: %w", name, err)
	}
	return &r, nil
}
