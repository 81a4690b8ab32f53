package stacks_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/stacks"
)

// registration is what the engine is sent for one resource, the part a
// restructuring must not change: its identity (type, name, URN, parent,
// provider, aliases), its inputs as values (secrets marked, unknowns
// marked) and its options.
type registration struct {
	URN                     string              `json:"urn"`
	Parent                  string              `json:"parent"`
	Provider                string              `json:"provider,omitempty"`
	Version                 string              `json:"version,omitempty"`
	Inputs                  any                 `json:"inputs"`
	Dependencies            []string            `json:"dependencies,omitempty"`
	PropertyDependencies    map[string][]string `json:"propertyDependencies,omitempty"`
	Protect                 bool                `json:"protect,omitempty"`
	RetainOnDelete          bool                `json:"retainOnDelete,omitempty"`
	DeleteBeforeReplace     bool                `json:"deleteBeforeReplace,omitempty"`
	IgnoreChanges           []string            `json:"ignoreChanges,omitempty"`
	ReplaceOnChanges        []string            `json:"replaceOnChanges,omitempty"`
	AdditionalSecretOutputs []string            `json:"additionalSecretOutputs,omitempty"`
	AliasURNs               []string            `json:"aliasUrns,omitempty"`
	AliasSpecs              []offline.AliasSpec `json:"aliasSpecs,omitempty"`
}

// plainValue renders a property value as JSON-able data, secrets and
// unknowns marked, so that two runs compare as values.
func plainValue(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return map[string]any{"secret": plainValue(v.SecretValue().Element)}
	case v.IsComputed():
		return "<unknown>"
	case v.IsOutput():
		o := v.OutputValue()
		if !o.Known {
			return "<unknown>"
		}
		if o.Secret {
			return map[string]any{"secret": plainValue(o.Element)}
		}
		return plainValue(o.Element)
	case v.IsObject():
		out := map[string]any{}
		for k, e := range v.ObjectValue() {
			out[string(k)] = plainValue(e)
		}
		return out
	case v.IsArray():
		out := []any{}
		for _, e := range v.ArrayValue() {
			out = append(out, plainValue(e))
		}
		return out
	case v.IsNull():
		return nil
	case v.IsString():
		// A JSON document (a policy, a Helm values file) compares as its
		// value: key order and spacing are the encoder's, not behavior.
		if s := strings.TrimSpace(v.StringValue()); strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[") {
			var doc any
			if json.Unmarshal([]byte(s), &doc) == nil {
				return map[string]any{"json": doc}
			}
		}
		return v.V
	default:
		return v.V
	}
}

func registrations(t *testing.T, stack string) []byte {
	t.Helper()
	// As an update, so values built from other resources' outputs (the
	// policies naming ARNs) are known and compared too.
	rec, err := offline.Run(offlinetest.StackConfig(t, stack), false, stacks.Run)
	require.NoError(t, err)
	var regs []registration
	for _, r := range rec.Resources() {
		deps := slices.Clone(r.Dependencies)
		slices.Sort(deps)
		regs = append(regs, registration{
			URN: r.URN, Parent: r.Parent, Provider: r.Provider, Version: r.Version,
			Inputs: plainValue(resource.NewProperty(r.Inputs)), Dependencies: deps, PropertyDependencies: r.PropertyDependencies,
			Protect: r.Protect, RetainOnDelete: r.RetainOnDelete, DeleteBeforeReplace: r.DeleteBeforeReplace,
			IgnoreChanges: r.IgnoreChanges, ReplaceOnChanges: r.ReplaceOnChanges,
			AdditionalSecretOutputs: r.AdditionalSecretOutputs, AliasURNs: r.AliasURNs, AliasSpecs: r.AliasSpecs,
		})
	}
	slices.SortFunc(regs, func(a, b registration) int { return strings.Compare(a.URN, b.URN) })
	out, err := json.MarshalIndent(regs, "", " ")
	require.NoError(t, err)
	return append(out, '\n')
}

// Both stacks register exactly what testdata/registrations-<stack>.json
// records: a restructuring of the code (issue 18) changes no URN, alias,
// input or option. A deliberate change of behavior regenerates the files
// (UPDATE_REGISTRATIONS=1 go test ./stacks -run TestRegistrationsUnchanged)
// and the diff shows it in review.
func TestRegistrationsUnchanged(t *testing.T) {
	t.Parallel()
	for _, stack := range []string{"dev", "prod"} {
		got := registrations(t, stack)
		path := filepath.Join("testdata", "registrations-"+stack+".json")
		if os.Getenv("UPDATE_REGISTRATIONS") == "1" {
			require.NoError(t, os.MkdirAll("testdata", 0o755))
			require.NoError(t, os.WriteFile(path, got, 0o600))
			continue
		}
		want, err := os.ReadFile(path)
		require.NoError(t, err)
		if diff := diffRegistrations(t, want, got); len(diff) > 0 {
			t.Errorf("%s registers something else than %s:\n%s", stack, path, strings.Join(diff, "\n"))
		}
		again := registrations(t, stack)
		require.JSONEq(t, string(got), string(again), "%s registers the same on every run", stack)
	}
}

// diffRegistrations names the resources whose registration differs (at
// most 20), and for each the top-level fields and inputs that do.
func diffRegistrations(t *testing.T, want, got []byte) []string {
	t.Helper()
	index := func(raw []byte) map[string]map[string]any {
		var regs []map[string]any
		require.NoError(t, json.Unmarshal(raw, &regs))
		out := map[string]map[string]any{}
		for _, r := range regs {
			out[r["urn"].(string)] = r
		}
		return out
	}
	w, g := index(want), index(got)
	var out []string
	for _, urn := range slices.Sorted(maps.Keys(w)) {
		gr, ok := g[urn]
		if !ok {
			out = append(out, "  no longer registered: "+urn)
			continue
		}
		var fields []string
		for _, k := range slices.Sorted(maps.Keys(mergeKeys(w[urn], gr))) {
			if k == "inputs" {
				wi, _ := w[urn][k].(map[string]any)
				gi, _ := gr[k].(map[string]any)
				for _, ik := range slices.Sorted(maps.Keys(mergeKeys(wi, gi))) {
					if !reflect.DeepEqual(wi[ik], gi[ik]) {
						fields = append(fields, "inputs."+ik)
					}
				}
				continue
			}
			if !reflect.DeepEqual(w[urn][k], gr[k]) {
				fields = append(fields, k)
			}
		}
		if len(fields) > 0 {
			out = append(out, "  "+urn+": "+strings.Join(fields, ", "))
		}
	}
	for _, urn := range slices.Sorted(maps.Keys(g)) {
		if _, ok := w[urn]; !ok {
			out = append(out, "  newly registered: "+urn)
		}
	}
	if len(out) > 20 {
		out = append(out[:20], fmt.Sprintf("  ... and %d more", len(out)-20))
	}
	return out
}

func mergeKeys(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k := range a {
		out[k] = nil
	}
	for k := range b {
		out[k] = nil
	}
	return out
}
