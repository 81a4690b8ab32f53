package stacks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/invopop/jsonschema"
	validator "github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/acme/platform/internal/check"
)

// The configuration's shape is the components' Go types, published as JSON
// Schema: one schema per platform:<key> object, generated from the type
// (github.com/invopop/jsonschema) and enforced with a JSON Schema validator
// (github.com/santhosh-tekuri/jsonschema), so a misspelled key, a wrong type
// or an empty value is reported at its path, every one of them at once,
// before anything is decoded. The same schemas, with the types' doc comments,
// make the editor schema of the stack files (EditorSchema).

// Integers in the configuration are bounded so that no arithmetic on them
// can wrap around: nothing the program configures needs more than 32 bits.
const (
	minConfigInt = math.MinInt32
	maxConfigInt = math.MaxInt32
)

// reflectSchema returns the schema of a configuration type: objects admit
// only their fields, nothing is required (absent keys keep their defaults),
// every string field must be non-empty and every integer fits 32 bits.
func reflectSchema(v any, comments func(*jsonschema.Reflector)) *jsonschema.Schema {
	r := &jsonschema.Reflector{
		DoNotReference:             true,
		ExpandedStruct:             true,
		RequiredFromJSONSchemaTags: true,
		Anonymous:                  true,
	}
	if comments != nil {
		comments(r)
	}
	s := r.Reflect(v)
	s.Version, s.ID = "", ""
	tighten(s)
	return s
}

// tighten walks a generated schema: the string fields of objects get
// minLength 1 ("present means meant": an empty value is an error, not a
// default), integers get 32-bit bounds.
func tighten(s *jsonschema.Schema) {
	if s == nil {
		return
	}
	if s.Type == "integer" && s.Minimum == "" && s.Maximum == "" {
		s.Minimum, s.Maximum = json.Number(strconv.Itoa(minConfigInt)), json.Number(strconv.Itoa(maxConfigInt))
	}
	if s.Properties != nil {
		for pair := s.Properties.Oldest(); pair != nil; pair = pair.Next() {
			if p := pair.Value; p.Type == "string" && p.MinLength == nil {
				one := uint64(1)
				p.MinLength = &one
			}
			tighten(pair.Value)
		}
	}
	tighten(s.Items)
	if s.AdditionalProperties != nil && s.AdditionalProperties != jsonschema.FalseSchema && s.AdditionalProperties != jsonschema.TrueSchema {
		tighten(s.AdditionalProperties)
	}
}

// sectionValidator is a compiled schema of one configuration object, with
// the generated schema it came from (to name the known keys of an object).
type sectionValidator struct {
	schema   *jsonschema.Schema
	compiled *validator.Schema
}

var (
	validatorsOnce sync.Once
	validators     map[string]*sectionValidator
	validatorsErr  error
)

// sectionValidators compiles the schema of every configuration object once.
func sectionValidators() (map[string]*sectionValidator, error) {
	validatorsOnce.Do(func() {
		validators = map[string]*sectionValidator{}
		for _, s := range sections() {
			gen := reflectSchema(s.value(), nil)
			doc, err := schemaDocument(gen)
			if err != nil {
				validatorsErr = err
				return
			}
			url := "mem://platform/" + s.key + ".json"
			c := validator.NewCompiler()
			if err := c.AddResource(url, doc); err != nil {
				validatorsErr = fmt.Errorf("schema of platform:%s: %w", s.key, err)
				return
			}
			compiled, err := c.Compile(url)
			if err != nil {
				validatorsErr = fmt.Errorf("schema of platform:%s: %w", s.key, err)
				return
			}
			validators[s.key] = &sectionValidator{schema: gen, compiled: compiled}
		}
	})
	return validators, validatorsErr
}

// schemaDocument renders a generated schema as the validator reads it.
func schemaDocument(s *jsonschema.Schema) (any, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("rendering schema: %w", err)
	}
	return validator.UnmarshalJSON(bytes.NewReader(b))
}

// validate checks one configuration object's JSON against its schema and
// returns every problem, each at its path ("nodeGroups[0].maxSize").
func (v *sectionValidator) validate(raw []byte) error {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return &check.FieldError{Message: fmt.Sprintf("must be an object (a YAML mapping), got %s", preview(trimmed))}
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return &check.FieldError{Message: fmt.Sprintf("malformed value: %v", err)}
	}
	if dec.More() {
		return &check.FieldError{Message: "must be a single object; found more after it"}
	}
	doc = jsonNumbers(doc)
	err := v.compiled.Validate(doc)
	if err == nil {
		return nil
	}
	var ve *validator.ValidationError
	if !asValidationError(err, &ve) {
		return &check.FieldError{Message: err.Error()}
	}
	var p check.Problems
	v.collect(&p, doc, ve)
	return p.Err()
}

func asValidationError(err error, out **validator.ValidationError) bool {
	return errors.As(err, out)
}

// jsonNumbers turns encoding/json's json.Number into the validator's own
// representation of numbers.
func jsonNumbers(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = jsonNumbers(e)
		}
		return t
	case []any:
		for i, e := range t {
			t[i] = jsonNumbers(e)
		}
		return t
	case json.Number:
		return t
	default:
		return v
	}
}

var printer = message.NewPrinter(language.English)

// collect turns the validator's error tree into problems at the leaves.
func (v *sectionValidator) collect(p *check.Problems, doc any, ve *validator.ValidationError) {
	if len(ve.Causes) > 0 {
		for _, c := range ve.Causes {
			v.collect(p, doc, c)
		}
		return
	}
	path := instancePath(doc, ve.InstanceLocation)
	switch k := ve.ErrorKind.(type) {
	case *kind.AdditionalProperties:
		known := knownKeys(v.schema, ve.InstanceLocation)
		for _, name := range k.Properties {
			msg := "unknown key; known keys are " + strings.Join(known, ", ")
			if guess := closest(name, known); guess != "" {
				msg = fmt.Sprintf("unknown key (did you mean %q?); known keys are %s", guess, strings.Join(known, ", "))
			}
			p.Addf(joinPath(path, name), "%s", msg)
		}
	case *kind.Type:
		if k.Got == "null" {
			p.Addf(path, "is present but empty: remove the key to keep its default, or give it a value")
			return
		}
		got := k.Got
		switch v := valueAt(doc, ve.InstanceLocation); k.Got {
		case "number", "boolean":
			got += " " + v
		case "string":
			got += " " + preview([]byte(v))
		}
		p.Addf(path, "must be %s, got %s", describeWant(k.Want), got)
	case *kind.MinLength:
		if k.Got == 0 {
			p.Addf(path, "is present but empty: remove the key to keep its default, or give it a value")
			return
		}
		p.Addf(path, "%s", k.LocalizedString(printer))
	case *kind.Minimum, *kind.Maximum:
		p.Addf(path, "must be a whole number between %d and %d, got %s", minConfigInt, maxConfigInt, valueAt(doc, ve.InstanceLocation))
	default:
		p.Addf(path, "%s", ve.ErrorKind.LocalizedString(printer))
	}
}

func describeWant(want []string) string {
	names := make([]string, 0, len(want))
	for _, w := range want {
		switch w {
		case "integer":
			names = append(names, "a whole number")
		case "number":
			names = append(names, "a number")
		case "string":
			names = append(names, "a string")
		case "boolean":
			names = append(names, "true or false")
		case "array":
			names = append(names, "a list")
		case "object":
			names = append(names, "an object")
		default:
			names = append(names, w)
		}
	}
	return strings.Join(names, " or ")
}

// instancePath renders a JSON pointer's segments as the configuration's
// paths: "nodeGroups[0].taints[1].key", `labels["a.b/c"]`.
func instancePath(doc any, loc []string) string {
	var b strings.Builder
	cur := doc
	for _, seg := range loc {
		switch t := cur.(type) {
		case []any:
			i, _ := strconv.Atoi(seg)
			fmt.Fprintf(&b, "[%d]", i)
			if i >= 0 && i < len(t) {
				cur = t[i]
			}
		case map[string]any:
			if b.Len() > 0 && strings.ContainsAny(seg, "./ ") {
				fmt.Fprintf(&b, "[%q]", seg)
			} else {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(seg)
			}
			cur = t[seg]
		}
	}
	return b.String()
}

func valueAt(doc any, loc []string) string {
	cur := doc
	for _, seg := range loc {
		switch t := cur.(type) {
		case []any:
			i, _ := strconv.Atoi(seg)
			if i >= 0 && i < len(t) {
				cur = t[i]
			}
		case map[string]any:
			cur = t[seg]
		}
	}
	return fmt.Sprint(cur)
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// knownKeys returns the property names of the object schema at loc.
func knownKeys(s *jsonschema.Schema, loc []string) []string {
	cur := s
	for _, seg := range loc {
		switch {
		case cur == nil:
			return nil
		case cur.Type == "array":
			cur = cur.Items
		case cur.Properties != nil:
			if p, ok := cur.Properties.Get(seg); ok {
				cur = p
				continue
			}
			cur = nil
		default:
			cur = cur.AdditionalProperties
		}
	}
	if cur == nil || cur.Properties == nil {
		return nil
	}
	var out []string
	for pair := cur.Properties.Oldest(); pair != nil; pair = pair.Next() {
		out = append(out, pair.Key)
	}
	slices.Sort(out)
	return out
}

// closest returns the known key nearest to name when it is near enough to
// be a misspelling (case differences, a letter or two off), or "".
func closest(name string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if strings.EqualFold(k, name) {
			return k
		}
		if d := editDistance(strings.ToLower(name), strings.ToLower(k)); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func preview(b []byte) string {
	s := string(b)
	if s == "" {
		return "nothing"
	}
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return strconv.Quote(s)
}

// section is one platform:<key> configuration object and its Go value.
type section struct {
	key   string
	value func() any // a pointer to the object inside a Config
	ptr   func(*Config) any
}

// sections are the platform's configuration objects, in the order Load
// reads them.
func sections() []section {
	mk := func(key string, ptr func(*Config) any) section {
		return section{key: key, ptr: ptr, value: func() any { c := Defaults(); return ptr(&c) }}
	}
	return []section{
		mk("network", func(c *Config) any { return &c.Network }),
		mk("cluster", func(c *Config) any { return &c.Cluster }),
		mk("database", func(c *Config) any { return &c.Database }),
		mk("cache", func(c *Config) any { return &c.Cache }),
		mk("broker", func(c *Config) any { return &c.Broker }),
		mk("backup", func(c *Config) any { return &c.Backup }),
		mk("monitoring", func(c *Config) any { return &c.Monitoring }),
	}
}
