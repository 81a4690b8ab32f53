package plan

import (
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"

	"github.com/acme/platform/harness/offline"
)

// AnalyzerResources presents the plan to the policy pack as the engine would:
// every registration with its inputs, options, parent and dependencies; the
// provider each one uses (the default AWS provider configured from the
// stack's aws:* keys, as the engine configures it); and the stack resource
// carrying the stack outputs.
func (r *Result) AnalyzerResources() []policyx.AnalyzerResource {
	byURN := map[string]*offline.Resource{}
	for _, res := range r.Resources {
		byURN[res.URN] = res
	}
	out := make([]policyx.AnalyzerResource, 0, len(r.Resources)+1)
	out = append(out, policyx.AnalyzerResource{
		Type:       "pulumi:pulumi:Stack",
		Name:       r.Project + "-" + r.Stack,
		URN:        r.StackURN(),
		Properties: resource.FromResourcePropertyMap(r.outputProperties(false)),
	})
	for _, res := range r.Resources {
		out = append(out, analyzerResource(res, r.providerOf(res, byURN)))
	}
	return out
}

// analyzerResource is one recorded registration as the pack receives it:
// its inputs (with the mock's values, so that documents built from them are
// judged), its options, parent and dependencies.
func analyzerResource(res *offline.Resource, provider policyx.AnalyzerProviderResource) policyx.AnalyzerResource {
	return policyx.AnalyzerResource{
		Type:       res.Type,
		Name:       res.Name,
		URN:        res.URN,
		Properties: resource.FromResourcePropertyMap(res.Inputs),
		Options: pulumi.ResourceOptions{
			Protect:                 res.Protect,
			IgnoreChanges:           res.IgnoreChanges,
			DeleteBeforeReplace:     res.DeleteBeforeReplace,
			AdditionalSecretOutputs: res.AdditionalSecretOutputs,
			ReplaceOnChanges:        res.ReplaceOnChanges,
			RetainOnDelete:          res.RetainOnDelete,
		},
		Provider:             provider,
		Parent:               res.Parent,
		Dependencies:         res.Dependencies,
		PropertyDependencies: res.PropertyDependencies,
	}
}

// providerOf returns the provider a resource is managed by.
func (r *Result) providerOf(res *offline.Resource, byURN map[string]*offline.Resource) policyx.AnalyzerProviderResource {
	if !res.Custom || strings.HasPrefix(res.Type, "pulumi:providers:") {
		return policyx.AnalyzerProviderResource{}
	}
	if i := strings.LastIndex(res.Provider, "::"); i > 0 {
		// An explicit provider reference is "<provider URN>::<provider ID>".
		if p, ok := byURN[res.Provider[:i]]; ok {
			return policyx.AnalyzerProviderResource{
				Type:       p.Type,
				Name:       p.Name,
				URN:        p.URN,
				Properties: resource.FromResourcePropertyMap(p.Inputs),
			}
		}
	}
	pkg, _, _ := strings.Cut(res.Type, ":")
	props := resource.PropertyMap{}
	for k, v := range r.Config.Values {
		if name, ok := strings.CutPrefix(k, pkg+":"); ok {
			// Default providers get their configuration as the engine
			// passes it: strings, objects as JSON, secrets as secrets.
			pv := resource.NewProperty(v)
			if slices.Contains(r.Config.SecretKeys, k) {
				pv = resource.MakeSecret(pv)
			}
			props[resource.PropertyKey(name)] = pv
		}
	}
	return policyx.AnalyzerProviderResource{
		Type:       "pulumi:providers:" + pkg,
		Name:       "default",
		URN:        "urn:pulumi:" + r.Stack + "::" + r.Project + "::pulumi:providers:" + pkg + "::default",
		Properties: resource.FromResourcePropertyMap(props),
	}
}
