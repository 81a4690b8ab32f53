package catalog

import "github.com/pulumi/pulumi/sdk/v3/go/common/resource"

// Providers. When a provider is replaced, the engine replaces every resource
// it manages: "If the resource's provider reference changed, the resource
// must be replaced", decided by the new provider's DiffConfig
// (pulumi/pulumi pkg/resource/deploy/step_generator.go, providerChanged).
func init() {
	register(
		&Type{
			Token: "pulumi:providers:aws",
			// pulumi-aws v6 sets ForcesProviderReplace on region
			// (pulumi/pulumi-aws#4000, since v6.38): moving a provider to
			// another region replaces it and everything it manages, in the
			// new region. v7 drops this (pulumi/pulumi-aws#5652); the
			// platform pins v6.
			Source:  "pulumi/pulumi-aws provider/resources.go (Config: region, ForcesProviderReplace)",
			Replace: always("region"),
		},
		&Type{
			Token: "pulumi:providers:kubernetes",
			// DiffConfig plans a replacement iff the active cluster of the
			// kubeconfig changes (or the kubeconfig becomes unknown), or the
			// YAML render directory changes; a fixed clusterIdentifier
			// decides instead when set.
			Source: "pulumi/pulumi-kubernetes provider/pkg/provider/provider.go (DiffConfig)",
			Replace: append(always("renderYamlToDirectory", "clusterIdentifier"), Rule{
				Path: path("kubeconfig"),
				Why:  "a changed kubeconfig points at another cluster, unless clusterIdentifier pins the identity",
				If: func(before, after resource.PropertyMap) bool {
					return Str(before, "clusterIdentifier") == "" && Str(after, "clusterIdentifier") == ""
				},
			}),
		},
		&Type{
			Token: "pulumi:providers:random",
		},
		// The command provider has no configuration the program sets: it
		// runs the cluster's local commands on the machine `pulumi up` runs
		// on.
		&Type{
			Token: "pulumi:providers:command",
		},
	)
}
