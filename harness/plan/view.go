package plan

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/plan/catalog"
)

// What `pulumi preview` knows before anything exists. The offline mock has
// to answer every registration with an ID and state, so it makes values up
// (IDs, ARNs, endpoints, addresses); they keep the program running, and the
// policy pack judges the documents built from them, but they must not reach
// a reader as if they were real. The view replaces every input and output
// built from a made-up value with an unknown, as a preview of a new stack
// would show it.

// Unknown is how the text plan shows a value known only after `pulumi up`:
// as `pulumi preview` shows one since Pulumi v3.163.0 (pulumi/pulumi#19204,
// "Display [unknown] rather than output<T>"; the workflows pin 3.200.0).
const Unknown = "[unknown]"

// Redacted replaces secret values wherever the plan shows or writes them,
// as `pulumi preview` does.
const Redacted = "[secret]"

// unknownID is the ID of a resource `pulumi up` has yet to create.
const unknownID = plugin.UnknownStringValue

// minInvented is the shortest made-up string the view looks for inside
// other strings; shorter ones ("1") would match by accident.
const minInvented = 5

// invented is what the mock made up for one run.
type invented struct {
	strings []string
	// numbers are made-up numeric outputs per resource URN (a launch
	// template's latest version), matched only in inputs that come from
	// that resource.
	numbers map[string][]float64
}

// collectInvented gathers the made-up values: every custom resource's ID
// and the parts of its computed outputs that are not its own inputs.
func collectInvented(rs []*offline.Resource) invented {
	seen := map[string]bool{}
	inv := invented{numbers: map[string][]float64{}}
	addString := func(s string) {
		// Identifiers, addresses and ARNs: words like "available" (a
		// status) are made up too, but they build no other value and would
		// match innocent text.
		if len(s) >= minInvented && strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) && !seen[s] {
			seen[s] = true
			inv.strings = append(inv.strings, s)
		}
	}
	for _, r := range rs {
		if !r.Custom {
			continue
		}
		addString(r.ID)
		for _, k := range r.Computed {
			key := resource.PropertyKey(k)
			out, ok := r.Outputs[key]
			if !ok {
				continue
			}
			in, hasIn := r.Inputs[key]
			walkNew(out, in, hasIn, func(v resource.PropertyValue) {
				switch {
				case v.IsString():
					addString(v.StringValue())
				case v.IsNumber():
					inv.numbers[r.URN] = append(inv.numbers[r.URN], v.NumberValue())
				}
			})
		}
	}
	// Longest first, so that a match reports the widest made-up value.
	slices.SortFunc(inv.strings, func(a, b string) int { return len(b) - len(a) })
	return inv
}

// walkNew calls f on every scalar of out that is not the same scalar at the
// same place in in.
func walkNew(out, in resource.PropertyValue, hasIn bool, f func(resource.PropertyValue)) {
	out, in = catalog.Plain(out), catalog.Plain(in)
	switch {
	case out.IsObject():
		var inObj resource.PropertyMap
		if hasIn && in.IsObject() {
			inObj = in.ObjectValue()
		}
		for k, v := range out.ObjectValue() {
			iv, ok := inObj[k]
			walkNew(v, iv, ok, f)
		}
	case out.IsArray():
		var inArr []resource.PropertyValue
		if hasIn && in.IsArray() {
			inArr = in.ArrayValue()
		}
		for i, v := range out.ArrayValue() {
			if i < len(inArr) {
				walkNew(v, inArr[i], true, f)
			} else {
				walkNew(v, resource.PropertyValue{}, false, f)
			}
		}
	default:
		if hasIn && in.DeepEquals(out) {
			return
		}
		f(out)
	}
}

// contains reports whether s is, or holds as a whole word, a made-up value.
func (inv invented) contains(s string) bool {
	if len(s) < minInvented {
		return false
	}
	for _, m := range inv.strings {
		if len(m) > len(s) {
			continue
		}
		for from := 0; ; {
			i := strings.Index(s[from:], m)
			if i < 0 {
				break
			}
			i += from
			end := i + len(m)
			if (i == 0 || !wordByte(s[i-1])) && (end == len(s) || !wordByte(s[end])) {
				return true
			}
			from = i + 1
		}
	}
	return false
}

func wordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// mask returns v with every value built from a made-up one replaced by an
// unknown. deps are the resources the value comes from.
func (inv invented) mask(v resource.PropertyValue, deps []string) resource.PropertyValue {
	switch {
	case v.IsSecret():
		return resource.MakeSecret(inv.mask(v.SecretValue().Element, deps))
	case v.IsOutput():
		o := v.OutputValue()
		if !o.Known {
			return resource.MakeComputed(resource.NewProperty(""))
		}
		m := inv.mask(o.Element, deps)
		if o.Secret {
			return resource.MakeSecret(m)
		}
		return m
	case v.IsObject():
		out := make(resource.PropertyMap, len(v.ObjectValue()))
		for k, e := range v.ObjectValue() {
			out[k] = inv.mask(e, deps)
		}
		return resource.NewProperty(out)
	case v.IsArray():
		out := make([]resource.PropertyValue, len(v.ArrayValue()))
		for i, e := range v.ArrayValue() {
			out[i] = inv.mask(e, deps)
		}
		return resource.NewProperty(out)
	case v.IsString():
		if inv.contains(v.StringValue()) || inv.numberFrom(v.StringValue(), deps) {
			return resource.MakeComputed(resource.NewProperty(""))
		}
	case v.IsNumber():
		if inv.numberFrom(strconv.FormatFloat(v.NumberValue(), 'f', -1, 64), deps) {
			return resource.MakeComputed(resource.NewProperty(""))
		}
	}
	return v
}

// numberFrom reports whether s is a made-up number of one of deps.
func (inv invented) numberFrom(s string, deps []string) bool {
	for _, d := range deps {
		for _, n := range inv.numbers[d] {
			if s == strconv.FormatFloat(n, 'f', -1, 64) {
				return true
			}
		}
	}
	return false
}

// maskInputs is mask for a resource's inputs: each top-level input is
// matched against the numbers of the resources it comes from.
func (inv invented) maskInputs(r *offline.Resource) resource.PropertyMap {
	out := make(resource.PropertyMap, len(r.Inputs))
	for k, v := range r.Inputs {
		out[k] = inv.mask(v, r.PropertyDependencies[string(k)])
	}
	return out
}

// Default providers. The engine creates one per package and version for the
// resources that name no provider, configured from the stack's <package>:*
// keys; the mocks never register them. The plan adds them so that a change
// of their configuration (aws:region) is seen like that of an explicit
// provider.

// defaultProviderName is the engine's name for a default provider:
// "default_6_83_4" for version 6.83.4.
func defaultProviderName(version string) string {
	if version == "" {
		return "default"
	}
	return "default_" + strings.NewReplacer(".", "_", "-", "_", "+", "_").Replace(version)
}

// withDefaultProviders returns the default providers the resources use, and
// the resources with their provider reference filled in (copies; the record
// itself is left alone).
func withDefaultProviders(project, stack string, cfg offline.StackConfig, rs []*offline.Resource) (providers, out []*offline.Resource) {
	byKey := map[string]*offline.Resource{}
	out = make([]*offline.Resource, 0, len(rs))
	for _, r := range rs {
		if !r.Custom || strings.HasPrefix(r.Type, "pulumi:providers:") || r.Provider != "" {
			out = append(out, r)
			continue
		}
		pkg, _, _ := strings.Cut(r.Type, ":")
		key := pkg + "@" + r.Version
		p, ok := byKey[key]
		if !ok {
			name := defaultProviderName(r.Version)
			inputs := resource.PropertyMap{}
			for k, v := range cfg.Values {
				if n, ok := strings.CutPrefix(k, pkg+":"); ok {
					// The engine passes a default provider its config as
					// strings, objects as JSON; secrets stay secret.
					pv := resource.NewProperty(v)
					if slices.Contains(cfg.SecretKeys, k) {
						pv = resource.MakeSecret(pv)
					}
					inputs[resource.PropertyKey(n)] = pv
				}
			}
			if r.Version != "" {
				inputs["version"] = resource.NewProperty(r.Version)
			}
			p = &offline.Resource{
				Type:   "pulumi:providers:" + pkg,
				Name:   name,
				URN:    "urn:pulumi:" + stack + "::" + project + "::pulumi:providers:" + pkg + "::" + name,
				Custom: true,
				Inputs: inputs,
				Seq:    -1 - len(providers),
			}
			byKey[key] = p
			providers = append(providers, p)
		}
		c := *r
		c.Provider = p.URN + "::" + plugin.UnknownStringValue
		out = append(out, &c)
	}
	return providers, out
}

// providerURN strips the ID from a provider reference ("<urn>::<id>").
func providerURN(ref string) string {
	if i := strings.LastIndex(ref, "::"); i > 0 && strings.Count(ref[:i], "::") >= 3 {
		return ref[:i]
	}
	return ref
}
