package catalog

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Type is everything the plan knows about one resource type.
type Type struct {
	// Token is the type token, e.g. "aws:rds/instance:Instance".
	Token string

	// Loses says what replacing or deleting a resource of this type loses
	// (its data, credentials, recovery points, availability). Empty when
	// nothing is lost that the configuration does not recreate: the gate
	// reports such replacements but does not fail on them.
	Loses string
	// Supersedable marks types whose deletion loses nothing when the same
	// change creates a successor of the same type under the same parent and
	// every resource that used the old one uses the successor: a parameter
	// group per engine family after a major upgrade, a launch template
	// replaced by a new one. The gate reports such a deletion as superseded
	// and does not fail on it.
	Supersedable bool

	// Source is the provider source that decides the type's replacements:
	// for AWS types the terraform-provider-aws file (under internal/service/)
	// whose schema marks attributes ForceNew, as pulumi-aws v6 bridges
	// terraform-provider-aws v5.
	Source string
	// Replace are the inputs whose change replaces the resource.
	Replace []Rule
	// NoUpdate is set when the provider has no update for the type: any
	// change of an input but those of InPlace replaces the resource.
	NoUpdate bool
	// InPlace are, for a NoUpdate type, the inputs that still change in
	// place (tags, handled by the provider's tagging interceptor).
	InPlace []resource.PropertyPath
	// Sets are the inputs the provider holds as unordered sets: the same
	// elements in another order are no change.
	Sets []resource.PropertyPath

	// Create is how long creating one typically takes.
	Create Timing
	// Highlights are the inputs a reviewer wants to see in the plan.
	Highlights []resource.PropertyPath
	// State adds what the provider computes to the offline mock's state.
	State func(*State)
	// Cost prices one resource per month; nil when the type costs nothing
	// by itself.
	Cost func(Usage) []Charge
	// Usage lists what the type is billed for by use, which the estimate
	// cannot know and leaves out ("NAT data processed, per GB").
	Usage []string
}

// Rule is one input whose change replaces the resource.
type Rule struct {
	Path resource.PropertyPath
	// If, when set, decides whether a change of Path replaces: given the
	// inputs before and after. Nil: every change replaces.
	If func(before, after resource.PropertyMap) bool
	// Why explains a conditional rule.
	Why string
}

// Timing is a typical creation time with where the figure comes from.
type Timing struct {
	Typical func(inputs resource.PropertyMap) time.Duration
	Source  string
}

// DefaultCreate is the creation time of a type without a Timing: one API
// call and the provider's read-after-create.
const DefaultCreate = 2 * time.Second

// Duration is how long creating a resource with these inputs takes.
func (t *Type) Duration(inputs resource.PropertyMap) time.Duration {
	if t == nil || t.Create.Typical == nil {
		return DefaultCreate
	}
	return t.Create.Typical(inputs)
}

// Stateful reports whether replacing or deleting one loses something.
func (t *Type) Stateful() bool { return t != nil && t.Loses != "" }

var (
	registry = map[string]*Type{}
	problems []error
)

// register adds types to the catalog; a duplicate is a problem (see
// Problems), not a panic.
func register(ts ...*Type) {
	for _, t := range ts {
		if _, dup := registry[t.Token]; dup {
			problems = append(problems, fmt.Errorf("catalog: %s registered twice", t.Token))
			continue
		}
		for _, r := range t.Replace {
			if len(r.Path) == 0 {
				problems = append(problems, fmt.Errorf("catalog: %s has an empty replace path", t.Token))
			}
		}
		if len(t.Replace) > 0 || t.NoUpdate {
			if t.Source == "" {
				problems = append(problems, fmt.Errorf("catalog: %s replaces without naming its source", t.Token))
			}
		}
		registry[t.Token] = t
	}
}

// Lookup returns the record of a type token.
func Lookup(token string) (*Type, bool) {
	t, ok := registry[token]
	return t, ok
}

// Tokens returns every type token in the catalog, sorted.
func Tokens() []string { return slices.Sorted(maps.Keys(registry)) }

// Problems returns what is wrong with the catalog itself: malformed paths,
// duplicate entries, replacements without a source. A test keeps it empty.
func Problems() []error { return slices.Clone(problems) }

// path parses a property path ("vpcConfig.subnetIds", "rules[*].lifecycle");
// a malformed one is recorded as a problem.
func path(s string) resource.PropertyPath {
	p, err := resource.ParsePropertyPath(s)
	if err != nil {
		problems = append(problems, fmt.Errorf("catalog: path %q: %w", s, err))
		return nil
	}
	return p
}

// paths parses several property paths.
func paths(ss ...string) []resource.PropertyPath {
	out := make([]resource.PropertyPath, 0, len(ss))
	for _, s := range ss {
		out = append(out, path(s))
	}
	return out
}

// always are rules that replace on every change of their paths.
func always(ss ...string) []Rule {
	out := make([]Rule, 0, len(ss))
	for _, s := range ss {
		out = append(out, Rule{Path: path(s)})
	}
	return out
}

// fixed is a Timing that does not depend on the inputs.
func fixed(d time.Duration, source string) Timing {
	return Timing{Typical: func(resource.PropertyMap) time.Duration { return d }, Source: source}
}

// tfaws names a terraform-provider-aws source file.
func tfaws(file string) string {
	return "hashicorp/terraform-provider-aws internal/service/" + file
}

// tags are the inputs the provider's tagging updates in place on any type.
var tags = paths("tags", "tagsAll")

// Get reads a value at a path through secrets and known outputs; ok is false
// when a step is missing.
func Get(m resource.PropertyMap, p resource.PropertyPath) (resource.PropertyValue, bool) {
	v := resource.NewProperty(m)
	for _, step := range p {
		next, found := resource.PropertyPath{step}.Get(Plain(v))
		if !found {
			return resource.PropertyValue{}, false
		}
		v = next
	}
	return Plain(v), true
}

// Plain looks through secrets and known outputs.
func Plain(v resource.PropertyValue) resource.PropertyValue {
	for {
		switch {
		case v.IsSecret():
			v = v.SecretValue().Element
		case v.IsOutput() && v.OutputValue().Known:
			v = v.OutputValue().Element
		default:
			return v
		}
	}
}

// at reads the value at a path given as text; a path that does not parse
// reads as absent.
func at(m resource.PropertyMap, p string) (resource.PropertyValue, bool) {
	pp, err := resource.ParsePropertyPath(p)
	if err != nil {
		return resource.PropertyValue{}, false
	}
	return Get(m, pp)
}

// Str reads a string input ("" when absent or not a string).
func Str(m resource.PropertyMap, p string) string {
	v, ok := at(m, p)
	if !ok || !v.IsString() {
		return ""
	}
	return v.StringValue()
}

// Num reads a number input.
func Num(m resource.PropertyMap, p string) (float64, bool) {
	v, ok := at(m, p)
	if !ok || !v.IsNumber() {
		return 0, false
	}
	return v.NumberValue(), true
}

// Bool reads a boolean input (false when absent).
func Bool(m resource.PropertyMap, p string) bool {
	v, ok := at(m, p)
	return ok && v.IsBool() && v.BoolValue()
}

// Strs reads an array of strings; elements that are not known strings are
// left out.
func Strs(m resource.PropertyMap, p string) []string {
	v, ok := at(m, p)
	if !ok || !v.IsArray() {
		return nil
	}
	var out []string
	for _, e := range v.ArrayValue() {
		if e = Plain(e); e.IsString() {
			out = append(out, e.StringValue())
		}
	}
	return out
}

// Len is the length of an array input (0 when absent).
func Len(m resource.PropertyMap, p string) int {
	v, ok := at(m, p)
	if !ok || !v.IsArray() {
		return 0
	}
	return len(v.ArrayValue())
}

// versionLess compares dotted versions numerically ("6.2" < "7.0.5");
// non-numeric parts (the "x" of "6.x") count as 0.
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			_, _ = fmt.Sscanf(as[i], "%d", &x)
		}
		if i < len(bs) {
			_, _ = fmt.Sscanf(bs[i], "%d", &y)
		}
		if x != y {
			return x < y
		}
	}
	return false
}
