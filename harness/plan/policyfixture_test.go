package plan_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/harness/plan"
)

// policy/testdata/prod-graph.json is the prod stack as the engine presents
// it to a policy pack: one pulumirpc.AnalyzerResource per resource (the
// stack resource with its outputs first, then by URN), properties marshaled as the
// engine marshals them (unknowns and secrets kept, every secret's value
// replaced by a placeholder). The policy module's benchmarks replay it over
// gRPC without importing this module. This test keeps it current;
//
//	UPDATE_POLICY_FIXTURE=1 go test ./harness/plan -run TestPolicyFixture
//
// rewrites it.
func TestPolicyFixture(t *testing.T) {
	t.Parallel()
	root := offlinetest.RepoRoot(t)
	res, err := plan.Run(plan.Options{Dir: root, Stack: "prod"})
	require.NoError(t, err)
	rs := res.AnalyzerResources()
	// Registration order varies from run to run; the stack resource first,
	// then by URN.
	slices.SortStableFunc(rs[1:], func(a, b policyx.AnalyzerResource) int { return strings.Compare(a.URN, b.URN) })
	got := policyFixture(t, rs)
	path := filepath.Join(root, "policy", "testdata", "prod-graph.json")
	if os.Getenv("UPDATE_POLICY_FIXTURE") != "" {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644)) //nolint:gosec // a test fixture
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, bytes.Equal(want, got), "policy/testdata/prod-graph.json is out of date: run UPDATE_POLICY_FIXTURE=1 go test ./harness/plan -run TestPolicyFixture")
	require.NotContains(t, string(got), gatePlainPassword)
}

// policyFixture encodes resources as an indented JSON array of
// pulumirpc.AnalyzerResource (protojson, keys sorted for stable diffs).
func policyFixture(t *testing.T, rs []policyx.AnalyzerResource) []byte {
	t.Helper()
	opts := plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipInternalKeys: true}
	items := make([]any, 0, len(rs))
	for _, r := range rs {
		props, err := plugin.MarshalProperties(redactSecrets(resource.ToResourcePropertyMap(r.Properties)), opts)
		require.NoError(t, err)
		ar := &pulumirpc.AnalyzerResource{
			Urn: r.URN, Type: r.Type, Name: r.Name, Properties: props, Parent: r.Parent, Dependencies: r.Dependencies,
			Options: &pulumirpc.AnalyzerResourceOptions{
				Protect: r.Options.Protect, IgnoreChanges: r.Options.IgnoreChanges, AdditionalSecretOutputs: r.Options.AdditionalSecretOutputs,
				DeleteBeforeReplace: r.Options.DeleteBeforeReplace, Parent: r.Parent,
			},
			PropertyDependencies: map[string]*pulumirpc.AnalyzerPropertyDependencies{},
		}
		for k, urns := range r.PropertyDependencies {
			if len(urns) > 0 {
				ar.PropertyDependencies[k] = &pulumirpc.AnalyzerPropertyDependencies{Urns: urns}
			}
		}
		if r.Provider.Type != "" {
			pp, err := plugin.MarshalProperties(redactSecrets(resource.ToResourcePropertyMap(r.Provider.Properties)), opts)
			require.NoError(t, err)
			ar.Provider = &pulumirpc.AnalyzerProviderResource{Type: r.Provider.Type, Name: r.Provider.Name, Urn: r.Provider.URN, Properties: pp}
		}
		b, err := protojson.Marshal(ar)
		require.NoError(t, err)
		var v any
		require.NoError(t, json.Unmarshal(b, &v))
		items = append(items, v)
	}
	out, err := json.MarshalIndent(items, "", " ")
	require.NoError(t, err)
	return append(out, '\n')
}

// redactSecrets keeps every secret a secret but replaces its value, so the
// fixture carries no credential (the mock's included).
func redactSecrets(m resource.PropertyMap) resource.PropertyMap {
	out := make(resource.PropertyMap, len(m))
	for k, v := range m {
		out[k] = redactValue(v)
	}
	return out
}

func redactValue(v resource.PropertyValue) resource.PropertyValue {
	switch {
	case v.IsSecret():
		return resource.MakeSecret(resource.NewProperty("[secret]"))
	case v.IsOutput() && v.OutputValue().Secret:
		return resource.MakeSecret(resource.NewProperty("[secret]"))
	case v.IsObject():
		return resource.NewProperty(redactSecrets(v.ObjectValue()))
	case v.IsArray():
		arr := make([]resource.PropertyValue, len(v.ArrayValue()))
		for i, e := range v.ArrayValue() {
			arr[i] = redactValue(e)
		}
		return resource.NewProperty(arr)
	}
	return v
}
