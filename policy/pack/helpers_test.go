package pack_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/policy/pack"
)

// Resources are written as plain Go maps; these markers stand for what the
// engine sends besides plain values.
type (
	secretV   struct{ v any }
	computedV struct{}
)

// sec marks a value secret; unknown is a value not known until deployment.
func sec(v any) any { return secretV{v} }

var unknown = computedV{}

func toValue(t testing.TB, v any) property.Value {
	t.Helper()
	switch x := v.(type) {
	case secretV:
		return toValue(t, x.v).WithSecret(true)
	case computedV:
		return property.New(property.Computed)
	case nil:
		return property.Value{}
	case bool:
		return property.New(x)
	case int:
		return property.New(float64(x))
	case float64:
		return property.New(x)
	case string:
		return property.New(x)
	case []any:
		out := make([]property.Value, len(x))
		for i, e := range x {
			out[i] = toValue(t, e)
		}
		return property.New(out)
	case map[string]any:
		out := make(map[string]property.Value, len(x))
		for k, e := range x {
			out[k] = toValue(t, e)
		}
		return property.New(out)
	}
	t.Fatalf("unsupported test value %T", v)
	return property.Value{}
}

// res is a resource as written in a test.
type res struct {
	typ, name string
	props     map[string]any
	deps      map[string][]string // property -> names of resources it depends on
	provider  map[string]any      // nil: the stack's default AWS provider
	protect   bool
}

func urnOf(typ, name string) string {
	return fmt.Sprintf("urn:pulumi:prod::platform::%s::%s", typ, name)
}

// defaultProvider is the default AWS provider as the engine describes it:
// its inputs come from stack config, so defaultTags is a JSON string.
func defaultProvider() map[string]any {
	return map[string]any{
		"region":      "us-east-1",
		"defaultTags": `{"tags":{"Environment":"prod","Owner":"platform-team","Project":"platform","ManagedBy":"pulumi"}}`,
	}
}

func build(t testing.TB, rs []res) []policyx.AnalyzerResource {
	t.Helper()
	byName := map[string]res{}
	for _, r := range rs {
		_, dup := byName[r.name]
		require.Falsef(t, dup, "test resource names must be unique: %q", r.name)
		byName[r.name] = r
	}
	out := make([]policyx.AnalyzerResource, 0, len(rs))
	for _, r := range rs {
		ar := policyx.AnalyzerResource{
			Type:       r.typ,
			Name:       r.name,
			URN:        urnOf(r.typ, r.name),
			Properties: toValue(t, deepCopy(r.props)).AsMap(),
			Options:    pulumi.ResourceOptions{Protect: r.protect},
		}
		if strings.HasPrefix(r.typ, "aws:") {
			p := r.provider
			if p == nil {
				p = defaultProvider()
			}
			ar.Provider = policyx.AnalyzerProviderResource{
				Type: "pulumi:providers:aws", Name: "default", URN: "urn:pulumi:prod::platform::pulumi:providers:aws::default",
				Properties: toValue(t, p).AsMap(),
			}
		}
		if len(r.deps) > 0 {
			ar.PropertyDependencies = map[string][]string{}
			for prop, names := range r.deps {
				for _, n := range names {
					dep, ok := byName[n]
					require.Truef(t, ok, "dependency %q of %q", n, r.name)
					ar.PropertyDependencies[prop] = append(ar.PropertyDependencies[prop], urnOf(dep.typ, dep.name))
					ar.Dependencies = append(ar.Dependencies, urnOf(dep.typ, dep.name))
				}
			}
		}
		out = append(out, ar)
	}
	return out
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	case secretV:
		return secretV{deepCopy(x.v)}
	}
	return v
}

// edit changes one resource of a copied baseline.
type edit func(t testing.TB, rs []res) []res

var segRE = regexp.MustCompile(`^([^\[]*)((?:\[\d+\])*)$`)

// walk returns the container holding the last segment of path and that
// segment (a key or an index), creating maps along the way.
func walk(t testing.TB, m map[string]any, path string) (container any, last string) {
	t.Helper()
	var cur any = m
	parts := strings.Split(path, ".")
	for i, p := range parts {
		sm := segRE.FindStringSubmatch(p)
		require.NotNil(t, sm, "path %q", path)
		key := sm[1]
		idx := regexp.MustCompile(`\d+`).FindAllString(sm[2], -1)
		steps := []string{key}
		for _, ix := range idx {
			steps = append(steps, "["+ix+"]")
		}
		for j, s := range steps {
			final := i == len(parts)-1 && j == len(steps)-1
			if final {
				return cur, s
			}
			cur = step(t, cur, s, path)
		}
	}
	return nil, ""
}

func step(t testing.TB, cur any, s, path string) any {
	t.Helper()
	if strings.HasPrefix(s, "[") {
		i, _ := strconv.Atoi(strings.Trim(s, "[]"))
		arr, ok := cur.([]any)
		require.Truef(t, ok && i < len(arr), "path %q: no element %s", path, s)
		return arr[i]
	}
	mm, ok := cur.(map[string]any)
	require.Truef(t, ok, "path %q: %s is not in a map", path, s)
	next, ok := mm[s]
	if !ok {
		next = map[string]any{}
		mm[s] = next
	}
	return next
}

// set sets path in resource name's inputs.
func set(name, path string, v any) edit {
	return func(t testing.TB, rs []res) []res {
		t.Helper()
		r := find(t, rs, name)
		c, last := walk(t, r.props, path)
		if strings.HasPrefix(last, "[") {
			i, _ := strconv.Atoi(strings.Trim(last, "[]"))
			c.([]any)[i] = v
		} else {
			c.(map[string]any)[last] = v
		}
		return rs
	}
}

// del removes path from resource name's inputs.
func del(name, path string) edit {
	return func(t testing.TB, rs []res) []res {
		t.Helper()
		r := find(t, rs, name)
		c, last := walk(t, r.props, path)
		delete(c.(map[string]any), last)
		return rs
	}
}

// retype gives resource name another type: rules of the old type must
// ignore it.
func retype(name, typ string) edit {
	return func(t testing.TB, rs []res) []res {
		t.Helper()
		for i := range rs {
			if rs[i].name == name {
				rs[i].typ = typ
				return rs
			}
		}
		t.Fatalf("no resource %q", name)
		return rs
	}
}

// add appends a resource.
func add(r res) edit {
	return func(_ testing.TB, rs []res) []res { return append(rs, r) }
}

// drop removes a resource.
func drop(name string) edit {
	return func(t testing.TB, rs []res) []res {
		for i := range rs {
			if rs[i].name == name {
				return append(rs[:i], rs[i+1:]...)
			}
		}
		t.Fatalf("no resource %q", name)
		return rs
	}
}

// withDeps replaces a resource's property dependencies.
func withDeps(name string, deps map[string][]string) edit {
	return func(t testing.TB, rs []res) []res {
		find(t, rs, name).deps = deps
		return rs
	}
}

// withProvider replaces a resource's provider inputs.
func withProvider(name string, p map[string]any) edit {
	return func(t testing.TB, rs []res) []res {
		find(t, rs, name).provider = p
		return rs
	}
}

func find(t testing.TB, rs []res, name string) *res {
	t.Helper()
	for i := range rs {
		if rs[i].name == name {
			return &rs[i]
		}
	}
	t.Fatalf("no resource %q", name)
	return nil
}

// apply copies the baseline and applies the edits.
func apply(t testing.TB, edits ...edit) []res {
	t.Helper()
	rs := baseline()
	for i := range rs {
		rs[i].props = deepCopy(rs[i].props).(map[string]any)
	}
	for _, e := range edits {
		rs = e(t, rs)
	}
	return rs
}

// ruleCase is one table row: edit the baseline, run one policy, expect no
// violation (want == "") or violations whose messages contain want, on the
// resource named on (default: the edited one the case names).
type ruleCase struct {
	name   string
	edits  []edit
	want   string
	on     string
	props  map[string]any // policy configuration
	nWant  int            // expected number of violations when want != "" (default 1)
	policy string
}

func runCases(t *testing.T, policy string, cases []ruleCase) {
	t.Helper()
	t.Run(policy, func(t *testing.T) { runCasesIn(t, policy, cases) })
}

func runCasesIn(t *testing.T, policy string, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := policy
			if tc.policy != "" {
				p = tc.policy
			}
			rs := build(t, apply(t, tc.edits...))
			vs, err := pack.RunPolicy(p, rs, tc.props)
			require.NoError(t, err)
			if tc.want == "" {
				require.Empty(t, vs, "want no violation of %s", p)
				return
			}
			n := tc.nWant
			if n == 0 {
				n = 1
			}
			require.Len(t, vs, n, "violations of %s: %+v", p, vs)
			for _, v := range vs {
				require.Contains(t, v.Message, tc.want)
				require.Equal(t, p, v.Policy)
				if tc.on != "" {
					require.Equal(t, urnOfName(t, tc.on), v.URN)
				}
			}
		})
	}
}

func urnOfName(t testing.TB, name string) string {
	t.Helper()
	for _, r := range baseline() {
		if r.name == name {
			return urnOf(r.typ, r.name)
		}
	}
	t.Fatalf("no baseline resource %q", name)
	return ""
}
