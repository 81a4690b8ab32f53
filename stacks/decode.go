package stacks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/acme/platform/internal/check"
)

// validator is implemented by every component's Config.
type validator interface{ Validate() error }

// loadObject decodes the config object at key (e.g. "network") over the
// defaults already in *into, then validates it. A missing key keeps the
// defaults. Problems are recorded under "platform:<key>".
//
// It reads the raw value with config.Try rather than config.TryObject so it
// can decode strictly: a misspelled field is an error naming it, not a default
// silently kept.
func loadObject[T validator](ctx *pulumi.Context, p *check.Problems, key string, into *T) {
	full := ctx.Project() + ":" + key
	raw, err := config.Try(ctx, key)
	if errors.Is(err, config.ErrMissingVar) {
		p.Merge(full, (*into).Validate())
		return
	}
	if err != nil {
		p.Addf(full, "%s", err.Error())
		return
	}
	if err := DecodeStrict([]byte(raw), into); err != nil {
		p.Merge(full, err)
		return
	}
	p.Merge(full, (*into).Validate())
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
	v, err := strconv.ParseBool(strings.TrimSpace(raw))
	if err != nil {
		p.Addf(full, "must be true or false, got %q", raw)
		return
	}
	*into = v
}

// DecodeStrict decodes one JSON object into out, which already holds
// defaults: fields present in data replace them, absent ones stay. Unknown
// fields, wrong types, trailing data and anything but an object are errors
// whose paths are JSON field names.
func DecodeStrict(data []byte, out any) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return &check.FieldError{Message: fmt.Sprintf("must be an object (a YAML mapping), got %s", preview(trimmed))}
	}
	// encoding/json matches field names case-insensitively; config keys are
	// exact, so "azcount" must be reported rather than taken for "azCount".
	if err := checkKeys(trimmed, reflect.TypeOf(out), ""); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		return describeJSONError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &check.FieldError{Message: "must be a single object; found more after it"}
	}
	return nil
}

// checkKeys walks data alongside the Go type it will decode into and reports
// the first object key that is not exactly a JSON field name of its struct.
// Values that do not parse or do not fit the type are left to the decoder,
// which reports them with their own messages.
func checkKeys(data []byte, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(data, &obj) != nil {
			return nil
		}
		fields := structFields(t)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ft, ok := fields[k]
			if !ok {
				return &check.FieldError{
					Path:    joinPath(path, k),
					Message: fmt.Sprintf("unknown key; known keys are %s", strings.Join(slices.Sorted(maps.Keys(fields)), ", ")),
				}
			}
			if err := checkKeys(obj[k], ft, joinPath(path, k)); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		var list []json.RawMessage
		if json.Unmarshal(data, &list) != nil {
			return nil
		}
		for i, e := range list {
			if err := checkKeys(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		var obj map[string]json.RawMessage
		if json.Unmarshal(data, &obj) != nil {
			return nil
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if err := checkKeys(obj[k], t.Elem(), joinPath(path, k)); err != nil {
				return err
			}
		}
	}
	return nil
}

// structFields maps the JSON names of a struct's fields (embedded structs
// included) to their types.
func structFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("json"), ",")[0]
		if f.Anonymous && tag == "" {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range structFields(ft) {
					out[k] = v
				}
			}
			continue
		}
		if tag == "-" || !f.IsExported() {
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		out[tag] = f.Type
	}
	return out
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func describeJSONError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		return &check.FieldError{
			Path:    typeErr.Field,
			Message: fmt.Sprintf("must be %s, got %s", describeType(typeErr.Type), typeErr.Value),
		}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &check.FieldError{Message: "malformed value: unexpected end of input"}
	case errors.As(err, &syntaxErr):
		return &check.FieldError{Message: fmt.Sprintf("malformed value: %s (at byte %d)", syntaxErr.Error(), syntaxErr.Offset)}
	default:
		var fe *check.FieldError
		if errors.As(err, &fe) {
			return fe
		}
		return &check.FieldError{Message: err.Error()}
	}
}

func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Pointer:
		return describeType(t.Elem())
	default:
		return t.String()
	}
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
