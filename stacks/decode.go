package stacks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/acme/platform/internal/check"
)

// validator is implemented by every component's Config.
type validatable interface{ Validate() error }

// loadObject reads the config object at key (e.g. "network") over the
// defaults already in into, and reports whether it is usable: present and
// valid, or absent (the defaults stand). Problems are recorded under
// "platform:<key>": every shape problem the schema finds (unknown or
// misspelled keys, wrong types, empty values), and every problem the
// component's Validate finds in the rest of the object (withoutShapeErrors).
// It returns the object's JSON as read (nil when absent), flat keys
// included.
func loadObject(ctx *pulumi.Context, p *check.Problems, key string, flat []string, into any) (bool, []byte) {
	full := ctx.Project() + ":" + key
	raw, err := sectionJSON(ctx, key, flat)
	if err != nil {
		p.Merge(full, err)
		return false, nil
	}
	if raw == nil {
		return validateInto(p, full, into), nil
	}
	if err := DecodeStrict(key, raw, into); err != nil {
		p.Merge(full, err)
		withoutShapeErrors(p, full, raw, err, into)
		return false, raw
	}
	return validateInto(p, full, into), raw
}

// withoutShapeErrors decodes the fields the schema accepted (the others
// keep their defaults) and reports what the component's Validate finds in
// them, so that one misspelled or mistyped field does not hide the others'
// problems. A problem at, under or naming a field the schema refused is
// left out: it would be about the default standing in for it.
func withoutShapeErrors(p *check.Problems, full string, raw []byte, shapeErr error, into any) {
	var doc any
	if decodeJSON(raw, &doc) != nil {
		return
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return
	}
	var failed []string
	for _, e := range check.Flatten(shapeErr) {
		var fe *check.FieldError
		if !errors.As(e, &fe) || fe.Path == "" {
			return // the whole object is unusable
		}
		failed = append(failed, fe.Path)
		deletePath(obj, fe.Path)
	}
	clean, err := json.Marshal(obj)
	if err != nil || json.Unmarshal(clean, into) != nil {
		return
	}
	v, ok := into.(validatable)
	if !ok {
		return
	}
	for _, e := range check.Flatten(v.Validate()) {
		var fe *check.FieldError
		if errors.As(e, &fe) && !touches(fe, failed) {
			p.Merge(full, fe)
		}
	}
}

// touches reports a problem at, under or above a failed path, or one whose
// message names a failed field.
func touches(fe *check.FieldError, failed []string) bool {
	for _, f := range failed {
		if fe.Path == f || strings.HasPrefix(fe.Path, f+".") || strings.HasPrefix(fe.Path, f+"[") ||
			strings.HasPrefix(f, fe.Path+".") || strings.HasPrefix(f, fe.Path+"[") {
			return true
		}
		if name := lastSegment(f); name != "" && strings.Contains(fe.Message, name) {
			return true
		}
	}
	return false
}

// pathSegRE splits a field path: names, [index] and ["key"].
var pathSegRE = regexp.MustCompile(`\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]|([^.\[\]]+)`)

func pathSegments(path string) []string {
	var out []string
	for _, m := range pathSegRE.FindAllStringSubmatch(path, -1) {
		switch {
		case m[1] != "":
			k, err := strconv.Unquote(`"` + m[1] + `"`)
			if err != nil {
				k = m[1]
			}
			out = append(out, k)
		case m[2] != "":
			out = append(out, "#"+m[2])
		default:
			out = append(out, m[3])
		}
	}
	return out
}

func lastSegment(path string) string {
	segs := pathSegments(path)
	if len(segs) == 0 || strings.HasPrefix(segs[len(segs)-1], "#") {
		return ""
	}
	return segs[len(segs)-1]
}

// deletePath removes the value at a field path from a decoded object.
func deletePath(obj map[string]any, path string) {
	segs := pathSegments(path)
	var cur any = obj
	for i, seg := range segs {
		last := i == len(segs)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				delete(c, seg)
				return
			}
			cur = c[seg]
		case []any:
			n, err := strconv.Atoi(strings.TrimPrefix(seg, "#"))
			if err != nil || n < 0 || n >= len(c) {
				return
			}
			if last {
				c[n] = nil
				return
			}
			cur = c[n]
		default:
			return
		}
	}
}

// sectionJSON returns the JSON of the config object key, with the flat keys
// ("platform:cluster.adminRoleArns", as `pulumi new` writes a template's
// answers) set at their paths inside it; nil when neither is present. A flat
// key's value is read as JSON, or as a string when it is not JSON. A path
// the object sets too is refused: the file would say two things.
func sectionJSON(ctx *pulumi.Context, key string, flat []string) ([]byte, error) {
	raw, err := config.Try(ctx, key)
	present := err == nil
	if err != nil && !errors.Is(err, config.ErrMissingVar) {
		return nil, err
	}
	if len(flat) == 0 {
		if !present {
			return nil, nil
		}
		return []byte(raw), nil
	}
	obj := map[string]any{}
	if present {
		if err := decodeJSON([]byte(raw), &obj); err != nil {
			return []byte(raw), nil // the schema reports the shape
		}
	}
	var p check.Problems
	for _, fk := range flat {
		path := strings.Split(strings.TrimPrefix(fk, key+"."), ".")
		text, _ := config.Try(ctx, fk)
		var v any
		if decodeJSON([]byte(text), &v) != nil {
			v = text
		}
		if err := setPath(obj, path, v); err != nil {
			p.Addf(strings.Join(path, "."), "is set both as %s:%s and inside %s:%s: keep one", ctx.Project(), fk, ctx.Project(), key)
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return json.Marshal(obj)
}

func decodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

// setPath sets obj[path...] = v, creating objects on the way; an existing
// value at the path is an error.
func setPath(obj map[string]any, path []string, v any) error {
	for _, seg := range path[:len(path)-1] {
		next, ok := obj[seg].(map[string]any)
		if !ok {
			if _, exists := obj[seg]; exists {
				return errors.New("set twice")
			}
			next = map[string]any{}
			obj[seg] = next
		}
		obj = next
	}
	last := path[len(path)-1]
	if _, exists := obj[last]; exists {
		return errors.New("set twice")
	}
	obj[last] = v
	return nil
}

func validateInto(p *check.Problems, full string, into any) bool {
	v, ok := into.(validatable)
	if !ok {
		return true
	}
	err := v.Validate()
	p.Merge(full, err)
	return err == nil
}

// DecodeStrict decodes the JSON of the configuration object key
// ("network") into out, which already holds defaults: keys present in data
// replace them, absent ones stay. It first checks data against the object's
// schema and reports every problem at its path.
func DecodeStrict(key string, data []byte, out any) error {
	vs, err := sectionValidators()
	if err != nil {
		return err
	}
	v, ok := vs[key]
	if !ok {
		return fmt.Errorf("no configuration object %q", key)
	}
	if err := v.validate(data); err != nil {
		return err
	}
	if err := json.NewDecoder(bytes.NewReader(bytes.TrimSpace(data))).Decode(out); err != nil {
		return &check.FieldError{Message: fmt.Sprintf("cannot be decoded: %v", err)}
	}
	return nil
}

// loadBool reads a boolean scalar, keeping *into when the key is missing.
func loadBool(ctx *pulumi.Context, p *check.Problems, key string, into *bool) {
	raw, err := config.Try(ctx, key)
	if errors.Is(err, config.ErrMissingVar) {
		return
	}
	full := ctx.Project() + ":" + key
	if err != nil {
		p.Addf(full, "%s", err.Error())
		return
	}
	if strings.TrimSpace(raw) == "" {
		p.Addf(full, "is present but empty: remove the key to keep its default, or set true or false")
		return
	}
	v, err := strconv.ParseBool(strings.TrimSpace(raw))
	if err != nil {
		p.Addf(full, "must be true or false, got %q", raw)
		return
	}
	*into = v
}
