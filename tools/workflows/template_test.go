package workflows_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/stacks"
)

// Both project files load and validate as the Pulumi CLI loads them
// (workspace.LoadProject checks the project JSON schema).
func TestProjectFilesLoad(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"Pulumi.yaml", filepath.Join("bootstrap", "Pulumi.yaml")} {
		proj, err := workspace.LoadProject(filepath.Join(root(t), f))
		require.NoError(t, err, f)
		require.Equal(t, "go", proj.Runtime.Name(), f)
	}
}

// field returns the struct field of typ at a JSON path ("apiAccess.publicCidrs").
func field(typ reflect.Type, path string) (reflect.Type, bool) {
	for _, name := range strings.Split(path, ".") {
		for typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct {
			return nil, false
		}
		found := false
		for i := range typ.NumField() {
			tag, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			if tag == name {
				typ, found = typ.Field(i).Type, true
				break
			}
		}
		if !found {
			return nil, false
		}
	}
	return typ, true
}

// example finds each example a description gives: a JSON list or object
// after "e.g.", ending at a comma or the end of the text.
var example = regexp.MustCompile(`e\.g\. (\[[^\]]*\]|\{.*?\}(?:\]\})?)(?:,|$| \()`)

// `pulumi new` prompts for what a team must set: the region, the cluster's
// admin and viewer roles, the API access path, and who the alarms reach.
// Every prompted key names a real field of the stack configuration, and
// the example each description gives decodes into that field.
func TestNewTemplate(t *testing.T) {
	t.Parallel()
	proj, err := workspace.LoadProject(filepath.Join(root(t), "Pulumi.yaml"))
	require.NoError(t, err)
	require.Equal(t, "platform", string(proj.Name), "the stack files' keys live in the platform namespace")
	tmpl := proj.Template
	require.NotNil(t, tmpl, "Pulumi.yaml has a template section")
	require.NotEmpty(t, tmpl.DisplayName)
	require.NotEmpty(t, tmpl.Description)

	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range tmpl.Config {
			if !yield(k) {
				return
			}
		}
	})
	require.Equal(t, []string{
		"aws:region",
		"platform:cluster.adminRoleArns",
		"platform:cluster.apiAccess",
		"platform:cluster.viewerRoleArns",
		"platform:monitoring.subscriptions",
	}, keys)
	require.Equal(t, "us-east-1", tmpl.Config["aws:region"].Default)

	defaults := reflect.ValueOf(stacks.Defaults())
	for _, k := range keys {
		if k == "aws:region" {
			continue
		}
		v := tmpl.Config[k]
		require.False(t, v.Secret, k)
		key, err := config.ParseKey(k)
		require.NoError(t, err, k)
		require.Equal(t, "platform", key.Namespace(), k)
		object, path, ok := strings.Cut(key.Name(), ".")
		require.True(t, ok, k)
		require.Contains(t, stacks.ObjectKeys, object, "%s: %s is a config object the program reads", k, object)
		obj := defaults.FieldByNameFunc(func(n string) bool { return strings.EqualFold(n, object) })
		require.True(t, obj.IsValid(), object)

		typ, ok := field(obj.Type(), path)
		require.True(t, ok, "%s: %s has no field %s", k, obj.Type(), path)
		examples := example.FindAllStringSubmatch(v.Description, -1)
		require.NotEmpty(t, examples, "%s: the description gives an example (e.g. [...] or {...})", k)
		for _, m := range examples {
			into := reflect.New(typ)
			dec := json.NewDecoder(strings.NewReader(m[1]))
			dec.DisallowUnknownFields()
			require.NoError(t, dec.Decode(into.Interface()), "%s: example %s", k, m[1])
			require.False(t, into.Elem().IsZero(), fmt.Sprint(k))
		}
	}
}
