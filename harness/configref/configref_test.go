package configref_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	jsonschemav "github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/acme/platform/harness/configref"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/stacks"
)

// docs/configuration.md's reference is exactly what the code and the stack
// files say: `go run ./cmd/configref` rewrites it.
func TestConfigurationReferenceIsUpToDate(t *testing.T) {
	t.Parallel()
	root := offlinetest.RepoRoot(t)
	readme, err := os.ReadFile(filepath.Join(root, "docs", "configuration.md"))
	require.NoError(t, err)
	want, err := configref.Update(root, string(readme))
	require.NoError(t, err)
	if want != string(readme) {
		got, exp := strings.Split(string(readme), "\n"), strings.Split(want, "\n")
		for i := range min(len(got), len(exp)) {
			if got[i] != exp[i] {
				t.Fatalf("docs/configuration.md's reference is out of date (run `go run ./cmd/configref`); line %d is\n%s\nbut should be\n%s", i+1, got[i], exp[i])
			}
		}
		t.Fatalf("docs/configuration.md's reference is out of date (run `go run ./cmd/configref`)")
	}
}

// policy/README.md's rule table is exactly what the pack says.
func TestPolicyReadmeTableIsUpToDate(t *testing.T) {
	t.Parallel()
	path := filepath.Join(offlinetest.RepoRoot(t), "policy", "README.md")
	readme, err := os.ReadFile(path)
	require.NoError(t, err)
	want, err := configref.UpdatePolicyReadme(string(readme))
	require.NoError(t, err)
	require.Equal(t, want, string(readme), "policy/README.md's rule table is out of date (run `go run ./cmd/configref`)")
	require.Contains(t, want, "| `aws-iam-role-irsa-trust-subject` | mandatory | high | resource | iam/role:Role |")
}

// Every object the program reads is documented, with every key, and every
// documented key has its meaning.
func TestEveryKeyIsDocumented(t *testing.T) {
	t.Parallel()
	body, err := configref.Render(offlinetest.RepoRoot(t))
	require.NoError(t, err)
	for _, key := range stacks.ObjectKeys {
		require.Contains(t, body, "#### `platform:"+key+"`")
	}
	keys := configref.Keys(body)
	require.Greater(t, len(keys), 100)
	for _, k := range []string{"azCount", "nodeGroups[].maxSize", "instanceClass", "roles.readOnly.connectionLimit", "snapshotRetentionDays", "deploymentMode", "drRegion", "database.readLatencyP95Ms"} {
		require.Contains(t, keys, k)
	}
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, "| `") {
			cells := strings.Split(line, " | ")
			require.NotEmpty(t, strings.TrimSpace(strings.TrimSuffix(cells[len(cells)-1], "|")), "no meaning for %s", cells[0])
		}
	}
}

func TestSpliceNeedsTheMarkers(t *testing.T) {
	t.Parallel()
	_, err := configref.Splice("# no markers", "x")
	require.Error(t, err)
	out, err := configref.Splice("a\n"+configref.Begin+"\nold\n"+configref.End+"\nb", "new\n")
	require.NoError(t, err)
	require.Equal(t, "a\n"+configref.Begin+"\n\nnew\n"+configref.End+"\nb", out)
}

// docs/dr.md states the configuration its figures assume; it must be what
// the stack files say.
func TestDRDocAssumesTheRealStackFiles(t *testing.T) {
	t.Parallel()
	root := offlinetest.RepoRoot(t)
	doc, err := os.ReadFile(filepath.Join(root, "docs", "dr.md"))
	require.NoError(t, err)
	_, table, ok := strings.Cut(string(doc), "## Configuration this page assumes")
	require.True(t, ok)
	values := map[string]map[string]any{}
	for _, stack := range []string{"dev", "prod"} {
		cfg := offlinetest.StackConfig(t, stack)
		values[stack] = map[string]any{}
		for k, v := range cfg.Values {
			var decoded any
			if json.Unmarshal([]byte(v), &decoded) != nil {
				decoded = v
			}
			values[stack][k] = decoded
		}
	}
	checked := 0
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) != 5 || !strings.Contains(cells[1], "platform:") {
			continue
		}
		keys := strings.Split(strings.Trim(cells[1], " `"), "` / `")
		for col, stack := range map[int]string{2: "dev", 3: "prod"} {
			shown := strings.Split(strings.TrimSpace(cells[col]), " / ")
			if len(shown) != len(keys) || shown[0] == "—" {
				continue // not set in that stack, or a note rather than one value per key
			}
			for i, key := range keys {
				if i > 0 && !strings.Contains(key, ":") {
					key = keys[0][:strings.LastIndex(keys[0], ".")+1] + key
				}
				want := strings.Trim(strings.Fields(shown[i])[0], "`")
				got, found := lookupKey(values[stack], key)
				require.True(t, found, "docs/dr.md assumes %s in %s, which the stack file does not set", key, stack)
				require.Equal(t, want, fmt.Sprint(got), "docs/dr.md assumes %s = %s in %s", key, want, stack)
				checked++
			}
		}
	}
	require.Greater(t, checked, 10)
}

func lookupKey(values map[string]any, key string) (any, bool) {
	obj, path, _ := strings.Cut(key, ".")
	cur, ok := values[obj]
	if !ok {
		return nil, false
	}
	if path == "" {
		return cur, true
	}
	for _, part := range strings.Split(path, ".") {
		m, isMap := cur.(map[string]any)
		if !isMap {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	if s, isString := cur.(string); isString && s == "" {
		return `""`, true
	}
	return cur, true
}

// The editor schema is generated from the components' types and kept
// current; the stack files name it in their modeline and validate against
// it, and it catches what an editor should underline as one types.
func TestEditorSchema(t *testing.T) {
	t.Parallel()
	root := offlinetest.RepoRoot(t)
	want, err := stacks.EditorSchema(root, "platform")
	require.NoError(t, err)
	got, err := os.ReadFile(filepath.Join(root, stacks.EditorSchemaPath))
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "%s is out of date; run `go run ./cmd/configref`", stacks.EditorSchemaPath)

	c := jsonschemav.NewCompiler()
	doc, err := jsonschemav.UnmarshalJSON(bytes.NewReader(got))
	require.NoError(t, err)
	require.NoError(t, c.AddResource("schema.json", doc))
	schema, err := c.Compile("schema.json")
	require.NoError(t, err)
	validate := func(yamlText string) error {
		var v any
		require.NoError(t, yaml.Unmarshal([]byte(yamlText), &v))
		b, err := json.Marshal(v)
		require.NoError(t, err)
		inst, err := jsonschemav.UnmarshalJSON(bytes.NewReader(b))
		require.NoError(t, err)
		return schema.Validate(inst)
	}
	for _, stack := range []string{"dev", "prod"} {
		raw, err := os.ReadFile(filepath.Join(root, "Pulumi."+stack+".yaml"))
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(string(raw), "# yaml-language-server: $schema=./"+stacks.EditorSchemaPath+"\n"), "Pulumi.%s.yaml names the schema on its first line", stack)
		require.NoError(t, validate(string(raw)), "Pulumi.%s.yaml", stack)
	}
	for name, bad := range map[string]string{
		"misspelled section":  "config:\n  platform:netwrok: {azCount: 3}\n",
		"misspelled field":    "config:\n  platform:network: {azcount: 3}\n",
		"wrong type":          "config:\n  platform:network: {azCount: three}\n",
		"empty value":         "config:\n  platform:network: {natMode: \"\"}\n",
		"unknown region":      "config:\n  aws:region: us-east-7\n",
		"reserved tag prefix": "config:\n  aws:defaultTags: {tags: {\"aws:owner\": me}}\n",
		"tags map missing":    "config:\n  aws:defaultTags: {Owner: me}\n",
	} {
		require.Error(t, validate(bad), name)
	}
	for name, good := range map[string]string{
		"a secure value inside an object": "config:\n  platform:monitoring:\n    subscriptions:\n      - protocol: https\n        endpoint:\n          secure: AAABAJx\n",
		"a flat key from pulumi new":      "config:\n  platform:cluster.viewerRoleArns: '[\"arn:aws:iam::111122223333:role/x\"]'\n",
	} {
		require.NoError(t, validate(good), name)
	}
}
