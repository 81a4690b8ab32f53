// Package offlinetest holds the small helpers the tests share on top of the
// offline recorder: run a program, read an output, read a property.
package offlinetest

import (
	"context"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/internal/parts"
)

// Project and Stack are what component tests run as.
const (
	Project = "platform"
	Stack   = "test"
)

// Account is the AWS account component tests deploy into: the one the
// recorder's mocked getCallerIdentity answers with.
var Account = parts.Account{ID: "123456789012", Region: "us-east-1", Partition: "aws", DNSSuffix: "amazonaws.com"}

// Run runs program under mocks with no stack config (component tests) and
// fails the test if it returns an error.
func Run(t testing.TB, program pulumi.RunFunc) *offline.Recorder {
	t.Helper()
	rec, err := RunErr(program)
	require.NoError(t, err)
	return rec
}

// RunErr runs program under mocks with no stack config and returns its error.
func RunErr(program pulumi.RunFunc) (*offline.Recorder, error) {
	cfg := offline.StackConfig{Project: Project, Stack: Stack, Values: map[string]string{"aws:region": "us-east-1"}}
	return offline.Run(cfg, true, program)
}

// RepoRoot returns the directory holding Pulumi.yaml.
func RepoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	require.True(t, ok)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// StackConfig loads the real configuration of a stack (dev, prod).
func StackConfig(t testing.TB, stack string) offline.StackConfig {
	t.Helper()
	cfg, err := offline.LoadStackConfig(RepoRoot(t), stack)
	require.NoError(t, err)
	return cfg
}

// Output is a resolved output value.
type Output struct {
	Value  any
	Known  bool
	Secret bool
}

// Await reads an output after the program has run.
func Await(t testing.TB, o pulumi.Output) Output {
	t.Helper()
	res, err := internals.UnsafeAwaitOutput(context.Background(), o)
	require.NoError(t, err)
	return Output{Value: res.Value, Known: res.Known, Secret: res.Secret}
}

// Only returns the one resource of type typ and fails the test unless exactly
// one was registered.
func Only(t testing.TB, rec *offline.Recorder, typ string) *offline.Resource {
	t.Helper()
	rs := rec.ByType(typ)
	require.Len(t, rs, 1, typ)
	return rs[0]
}

// Find returns the resource of type typ named name and fails the test if it
// was not registered.
func Find(t testing.TB, rec *offline.Recorder, typ, name string) *offline.Resource {
	t.Helper()
	r := rec.Find(typ, name)
	require.NotNilf(t, r, "%s %q not registered", typ, name)
	return r
}

// OutputString reads a string output of a recorded resource (its mocked state) and
// fails the test if it has none.
func OutputString(t testing.TB, r *offline.Resource, key string) string {
	t.Helper()
	v, ok := offline.GetString(r.Outputs, key)
	require.Truef(t, ok, "%s %s has no output %q", r.Type, r.Name, key)
	return v
}

// Prop reads a property of a recorded resource's inputs and fails the test if
// it is missing.
func Prop(t testing.TB, r *offline.Resource, path string) resource.PropertyValue {
	t.Helper()
	require.NotNil(t, r, "resource not registered")
	v, _, ok := offline.Get(r.Inputs, path)
	require.Truef(t, ok, "%s %s: no input %q in %v", r.Type, r.Name, path, r.Inputs)
	return v
}

// Policy decodes the policy document in a string input (a role's
// assumeRolePolicy, a key's or a role policy's policy) into its typed form,
// and fails the test if the input is not one.
func Policy(t testing.TB, r *offline.Resource, path string) parts.PolicyDocument {
	t.Helper()
	d, err := parts.ParsePolicy(Str(t, r, path))
	require.NoErrorf(t, err, "%s %s: %s", r.Type, r.Name, path)
	return d
}

// Statement returns the statement of d with the given Sid and fails the
// test if there is none.
func Statement(t testing.TB, d parts.PolicyDocument, sid string) parts.Statement {
	t.Helper()
	for _, s := range d.Statement {
		if s.Sid == sid {
			return s
		}
	}
	require.Failf(t, "no statement", "no statement %q in %+v", sid, d)
	return parts.Statement{}
}

// Str reads a string input.
func Str(t testing.TB, r *offline.Resource, path string) string {
	t.Helper()
	v := Prop(t, r, path)
	require.Truef(t, v.IsString(), "%s %s: %q is %v, not a string", r.Type, r.Name, path, v)
	return v.StringValue()
}

// Bool reads a boolean input.
func Bool(t testing.TB, r *offline.Resource, path string) bool {
	t.Helper()
	v := Prop(t, r, path)
	require.Truef(t, v.IsBool(), "%s %s: %q is %v, not a bool", r.Type, r.Name, path, v)
	return v.BoolValue()
}

// Num reads a numeric input.
func Num(t testing.TB, r *offline.Resource, path string) float64 {
	t.Helper()
	v := Prop(t, r, path)
	require.Truef(t, v.IsNumber(), "%s %s: %q is %v, not a number", r.Type, r.Name, path, v)
	return v.NumberValue()
}

// Strs reads an array-of-strings input.
func Strs(t testing.TB, r *offline.Resource, path string) []string {
	t.Helper()
	require.NotNil(t, r, "resource not registered")
	v, ok := offline.GetStrings(r.Inputs, path)
	require.Truef(t, ok, "%s %s: %q is not an array of strings in %v", r.Type, r.Name, path, r.Inputs)
	return v
}

// IsSecret reports whether the input at path is (or sits inside) a secret.
func IsSecret(t testing.TB, r *offline.Resource, path string) bool {
	t.Helper()
	require.NotNil(t, r, "resource not registered")
	_, secret, ok := offline.Get(r.Inputs, path)
	require.Truef(t, ok, "%s %s: no input %q", r.Type, r.Name, path)
	return secret
}

// Has reports whether the input at path is present.
func Has(r *offline.Resource, path string) bool {
	if r == nil {
		return false
	}
	_, _, ok := offline.Get(r.Inputs, path)
	return ok
}

// RequireParentedAndTagged checks the component conventions on everything a
// component registered: every resource except those of the excluded types
// (e.g. a provider the test itself built) sits directly under the component
// with a name derived from the component's, and every resource that takes
// tags carries the given ones (untagged lists types whose tags are not the
// component's to set, such as rules tagged by their own scheme).
func RequireParentedAndTagged(t testing.TB, rec *offline.Recorder, typeToken, name string, tags map[string]string, untagged []string, excluded ...string) {
	t.Helper()
	comp := rec.Find(typeToken, name)
	require.NotNil(t, comp, "component %s %s not registered", typeToken, name)
	outside := 1 // the component itself
	for _, r := range rec.Resources() {
		for _, ex := range excluded {
			if r.Type == ex {
				outside++
			}
		}
	}
	children := rec.Descendants(comp.URN)
	require.Len(t, children, len(rec.Resources())-outside, "every resource is below the component")
	for _, r := range children {
		require.Equal(t, comp.URN, r.Parent, "%s %s", r.Type, r.Name)
		require.True(t, strings.HasPrefix(r.Name, name), "child names derive from the component's: %s", r.Name)
		if !Has(r, "tags") || slices.Contains(untagged, r.Type) {
			continue
		}
		for k, v := range tags {
			require.Equal(t, v, Str(t, r, "tags."+k), "%s %s", r.Type, r.Name)
		}
		require.NotEmpty(t, Str(t, r, "tags.Name"), "%s %s", r.Type, r.Name)
	}
}
