package pack

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Level is an enforcement level as written in a --policy-pack-config file.
type Level string

// The enforcement levels this pack accepts. The engine also knows
// "remediate", which only applies to remediation policies; this pack has none.
const (
	Advisory  Level = "advisory"
	Mandatory Level = "mandatory"
	Disabled  Level = "disabled"
)

func (l Level) valid() bool { return l == Advisory || l == Mandatory || l == Disabled }

// PolicyConfig is one policy's entry in a --policy-pack-config file.
type PolicyConfig struct {
	// EnforcementLevel overrides the policy's own level; empty keeps it.
	EnforcementLevel Level
	// Properties override the defaults of the policy's config schema.
	Properties map[string]any
}

// Config is a --policy-pack-config file: entries keyed by policy name, or
// "all" for an enforcement level applied to every policy first.
type Config map[string]PolicyConfig

// LoadConfig reads and validates a --policy-pack-config file.
func LoadConfig(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("policy config: %w", err)
	}
	cfg, err := ParseConfig(b)
	if err != nil {
		return nil, fmt.Errorf("policy config %s: %w", path, err)
	}
	return cfg, nil
}

// ParseConfig reads a --policy-pack-config document: a JSON object whose
// keys are policy names (or "all") and whose values are an enforcement level
// string or an object {"enforcementLevel": ..., <properties>}. It is stricter
// than the engine, which ignores what it does not know: an unknown policy,
// an unknown property, "remediate" or a value outside a property's schema is
// an error naming it, so a typo cannot silently weaken the gate.
func ParseConfig(b []byte) (Config, error) {
	cfg := Config{}
	if len(bytes.TrimSpace(b)) == 0 {
		return cfg, nil
	}
	var raw map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("must be a JSON object of policy names: %w", err)
	}
	rules := New().byName
	var problems []string
	for _, name := range slices.Sorted(maps.Keys(raw)) {
		pc, err := parseEntry(name, raw[name])
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if name == "all" {
			if len(pc.Properties) > 0 {
				problems = append(problems, `"all": takes only an enforcement level, not properties`)
				continue
			}
			cfg[name] = pc
			continue
		}
		r, ok := rules[name]
		if !ok {
			problems = append(problems, fmt.Sprintf("%q: unknown policy; see policy/README.md for the list", name))
			continue
		}
		if _, err := r.settings(pc.Properties); err != nil {
			problems = append(problems, fmt.Sprintf("%q: %v", name, err))
			continue
		}
		cfg[name] = pc
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "; "))
	}
	return cfg, nil
}

func parseEntry(name string, v any) (PolicyConfig, error) {
	switch t := v.(type) {
	case string:
		l := Level(t)
		if !l.valid() {
			return PolicyConfig{}, fmt.Errorf("%q: enforcement level must be advisory, mandatory or disabled, got %q", name, t)
		}
		return PolicyConfig{EnforcementLevel: l}, nil
	case map[string]any:
		pc := PolicyConfig{}
		props := maps.Clone(t)
		if el, ok := props["enforcementLevel"]; ok {
			s, _ := el.(string)
			if !Level(s).valid() {
				return PolicyConfig{}, fmt.Errorf("%q: enforcementLevel must be advisory, mandatory or disabled, got %v", name, el)
			}
			pc.EnforcementLevel = Level(s)
			delete(props, "enforcementLevel")
		}
		if len(props) > 0 {
			pc.Properties = props
		}
		return pc, nil
	}
	return PolicyConfig{}, fmt.Errorf("%q: must be an enforcement level string or an object, got %v", name, v)
}

// effective reconciles cfg with the policies' own levels and schema defaults
// the way the engine's ReconcilePolicyPackConfig does before it calls
// Configure: start from each policy's level and defaults, apply "all", then
// each policy's entry. Properties go through JSON, as they do on the wire,
// so numbers are float64 on both paths.
func (p *Pack) effective(cfg Config) (map[string]PolicyConfig, error) {
	for name, pc := range cfg {
		if pc.EnforcementLevel != "" && !pc.EnforcementLevel.valid() {
			return nil, fmt.Errorf("policy %s: enforcement level must be advisory, mandatory or disabled, got %q", name, pc.EnforcementLevel)
		}
	}
	out := make(map[string]PolicyConfig, len(p.rules))
	for _, r := range p.rules {
		level := r.level
		if all, ok := cfg["all"]; ok && all.EnforcementLevel != "" {
			level = all.EnforcementLevel
		}
		props := r.defaults()
		if pc, ok := cfg[r.name]; ok {
			if pc.EnforcementLevel != "" {
				level = pc.EnforcementLevel
			}
			if len(pc.Properties) > 0 && props == nil {
				props = map[string]any{}
			}
			maps.Copy(props, pc.Properties)
		}
		wire, err := viaJSON(props)
		if err != nil {
			return nil, fmt.Errorf("policy %s: %w", r.name, err)
		}
		out[r.name] = PolicyConfig{EnforcementLevel: level, Properties: wire}
	}
	return out, nil
}

func viaJSON(m map[string]any) (map[string]any, error) {
	if m == nil {
		return nil, nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// schemaProps is a policy's config schema: property name to JSON schema.
type schemaProps map[string]map[string]any

// settings are a policy's configuration values: the schema defaults with the
// configured values over them, validated against the schema.
type settings map[string]any

// defaults returns the schema defaults, or nil when the rule has no config.
func (r *rule) defaults() map[string]any {
	if len(r.schema) == 0 {
		return nil
	}
	out := map[string]any{}
	for k, p := range r.schema {
		if d, ok := p["default"]; ok {
			out[k] = d
		}
	}
	return out
}

// settings merges configured values over the defaults and validates them
// against the rule's schema, rejecting properties the schema does not know.
func (r *rule) settings(configured map[string]any) (settings, error) {
	for k := range configured {
		if _, ok := r.schema[k]; !ok {
			known := slices.Sorted(maps.Keys(r.schema))
			if len(known) == 0 {
				return nil, fmt.Errorf("unknown property %q: this policy takes no configuration besides enforcementLevel", k)
			}
			return nil, fmt.Errorf("unknown property %q; known properties are %s", k, strings.Join(known, ", "))
		}
	}
	merged := r.defaults()
	if merged == nil {
		merged = map[string]any{}
	}
	maps.Copy(merged, configured)
	doc, err := viaJSON(merged)
	if err != nil {
		return nil, err
	}
	// The defaults are the pack's own (TestPolicyMetadata validates them):
	// a configuration that changes nothing needs no schema compiled, which
	// keeps the pack's start and the engine's Configure fast.
	if defaults, err := viaJSON(r.defaults()); err == nil && (len(doc) == 0 || reflect.DeepEqual(doc, defaults)) {
		return settings(doc), nil
	}
	schema, err := r.compiled()
	if err != nil {
		return nil, err
	}
	if err := schema.Validate(doc); err != nil {
		return nil, describeSchemaError(err)
	}
	return settings(doc), nil
}

// compiled compiles the rule's schema once, in the shape the engine
// validates against (an object with these properties).
func (r *rule) compiled() (*jsonschema.Schema, error) {
	r.once.Do(func() {
		doc := map[string]any{"type": "object", "properties": map[string]any{}}
		for k, p := range r.schema {
			doc["properties"].(map[string]any)[k] = p
		}
		b, err := json.Marshal(doc)
		if err != nil {
			r.schemaErr = err
			return
		}
		r.schemaVal, r.schemaErr = jsonschema.CompileString(r.name+".json", string(b))
	})
	return r.schemaVal, r.schemaErr
}

func describeSchemaError(err error) error {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	var msgs []string
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			loc := strings.TrimPrefix(e.InstanceLocation, "/")
			msgs = append(msgs, fmt.Sprintf("%s: %s", strings.ReplaceAll(loc, "/", "."), e.Message))
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	sort.Strings(msgs)
	return errors.New(strings.Join(msgs, "; "))
}

// int reads an integer setting (validated by the schema, so present).
func (s settings) int(key string) int {
	switch v := s[key].(type) {
	case float64:
		return int(v)
	case int:
		return v
	}
	return 0
}

// ints reads a list of integers.
func (s settings) ints(key string) []int {
	arr, _ := s[key].([]any)
	out := make([]int, 0, len(arr))
	for _, e := range arr {
		switch v := e.(type) {
		case float64:
			out = append(out, int(v))
		case int:
			out = append(out, v)
		}
	}
	return out
}

// strs reads a list of strings.
func (s settings) strs(key string) []string {
	arr, _ := s[key].([]any)
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		if v, ok := e.(string); ok {
			out = append(out, v)
		}
	}
	return out
}

// str reads a string setting.
func (s settings) str(key string) string {
	v, _ := s[key].(string)
	return v
}

// schema helpers keep the rule files short. Every default is a JSON value
// (float64-free ints are fine: structpb and JSON both accept them; lists
// must be []any for structpb).
func intProp(desc string, def, minimum, maximum int) map[string]any {
	return map[string]any{"type": "integer", "description": desc, "default": def, "minimum": minimum, "maximum": maximum}
}

func intListProp(desc string, def []int, minimum, maximum int) map[string]any {
	d := make([]any, len(def))
	for i, v := range def {
		d[i] = v
	}
	return map[string]any{
		"type": "array", "description": desc, "default": d,
		"items": map[string]any{"type": "integer", "minimum": minimum, "maximum": maximum},
	}
}

func stringListProp(desc string, def []string) map[string]any {
	d := make([]any, len(def))
	for i, v := range def {
		d[i] = v
	}
	return map[string]any{
		"type": "array", "description": desc, "default": d,
		"items": map[string]any{"type": "string", "minLength": 1},
	}
}

func boolProp(desc string, def bool) map[string]any {
	return map[string]any{"type": "boolean", "description": desc, "default": def}
}

func stringProp(desc, def, pattern string) map[string]any {
	p := map[string]any{"type": "string", "description": desc, "default": def}
	if pattern != "" {
		p["pattern"] = pattern
	}
	return p
}
