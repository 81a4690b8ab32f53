package pack

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// status says whether a property can be judged.
type status int

const (
	// absent: the property is missing or null.
	absent status = iota
	// unknown: the value (or a container on its path) is computed, as
	// happens during preview; such values are never judged.
	unknown
	// present: a known value, which may still have an unexpected shape.
	present
)

// node is one value read from a resource's properties: nil-safe, aware of
// values unknown during preview, and of secrecy (its own or that of any
// container on the path). Content is always readable, secret or not: rules
// judge secret values by their content and, separately, by their secrecy.
type node struct {
	v      property.Value
	st     status
	secret bool
	path   string
}

// root wraps a whole property map.
func root(m property.Map) node {
	return node{v: property.New(m), st: present}
}

// at reads a dotted path ("vpcConfig.endpointPublicAccess") from m.
func at(m property.Map, path string) node {
	n := root(m)
	for {
		key, rest, more := strings.Cut(path, ".")
		n = n.get(key)
		if !more {
			return n
		}
		path = rest
	}
}

// get reads one key of a map node. Reading through something that is not a
// map yields an absent node: rules treat it as not configured.
func (n node) get(key string) node {
	child := n.path + "." + key
	if n.path == "" {
		child = key
	}
	switch {
	case n.st == unknown:
		return node{st: unknown, secret: n.secret, path: child}
	case n.st == absent || !n.v.IsMap():
		return node{st: absent, secret: n.secret, path: child}
	}
	return wrap(n.v.AsMap().Get(key), n.secret, child)
}

func wrap(v property.Value, secretAbove bool, path string) node {
	out := node{v: v, secret: secretAbove || v.Secret(), path: path}
	switch {
	case v.IsComputed():
		out.st = unknown
	case v.IsNull():
		out.st = absent
	default:
		out.st = present
	}
	return out
}

func (n node) known() bool   { return n.st == present }
func (n node) missing() bool { return n.st == absent }
func (n node) isUnknown() bool {
	return n.st == unknown
}

// bool reads a boolean; "true"/"false" strings count (some v6 inputs, such
// as launch-template EBS flags, are strings). ok is false for another shape.
func (n node) bool() (val, ok bool) {
	if !n.known() {
		return false, false
	}
	switch {
	case n.v.IsBool():
		return n.v.AsBool(), true
	case n.v.IsString():
		b, err := strconv.ParseBool(strings.TrimSpace(n.v.AsString()))
		return b, err == nil
	}
	return false, false
}

// isTrue reports a known true value.
func (n node) isTrue() bool {
	b, ok := n.bool()
	return ok && b
}

// str reads a string; ok is false for another shape.
func (n node) str() (string, bool) {
	if !n.known() || !n.v.IsString() {
		return "", false
	}
	return n.v.AsString(), true
}

// nonEmpty reports a known, non-blank string.
func (n node) nonEmpty() bool {
	s, ok := n.str()
	return ok && strings.TrimSpace(s) != ""
}

// num reads a number; numeric strings count. ok is false for another shape.
func (n node) num() (float64, bool) {
	if !n.known() {
		return 0, false
	}
	switch {
	case n.v.IsNumber():
		return n.v.AsNumber(), true
	case n.v.IsString():
		f, err := strconv.ParseFloat(strings.TrimSpace(n.v.AsString()), 64)
		return f, err == nil
	}
	return 0, false
}

// items returns the elements of an array, each inheriting the array's
// secrecy; ok is false for another shape.
func (n node) items() ([]node, bool) {
	if !n.known() || !n.v.IsArray() {
		return nil, false
	}
	arr := n.v.AsArray()
	out := make([]node, 0, arr.Len())
	for i, v := range arr.All {
		out = append(out, wrap(v, n.secret, fmt.Sprintf("%s[%d]", n.path, i)))
	}
	return out, true
}

// list reads an array, or treats a single map as a one-element list (some
// nested blocks arrive either way depending on the provider version).
func (n node) list() ([]node, bool) {
	if items, ok := n.items(); ok {
		return items, true
	}
	if n.known() && n.v.IsMap() {
		return []node{n}, true
	}
	return nil, false
}

// keys returns the keys of a map node in a stable order; ok is false for
// another shape.
func (n node) keys() ([]string, bool) {
	if !n.known() || !n.v.IsMap() {
		return nil, false
	}
	var out []string
	for k := range n.v.AsMap().AllStable {
		out = append(out, k)
	}
	return out, true
}

// strings reads an array of strings, skipping elements that are unknown;
// hasUnknown reports whether any were.
func (n node) strings() (vals []string, hasUnknown, ok bool) {
	items, ok := n.items()
	if !ok {
		return nil, n.isUnknown(), false
	}
	for _, it := range items {
		if it.isUnknown() {
			hasUnknown = true
			continue
		}
		if s, ok := it.str(); ok {
			vals = append(vals, s)
		}
	}
	return vals, hasUnknown, true
}

// json reads a value that may be either an object or a JSON string holding
// one (IAM documents, the provider's defaultTags, secret strings). A string
// that is not JSON yields ok=false.
func (n node) json() (node, bool) {
	if !n.known() {
		return n, false
	}
	if n.v.IsMap() || n.v.IsArray() {
		return n, true
	}
	s, ok := n.str()
	if !ok {
		return n, false
	}
	v, ok := parsedJSON(s)
	if !ok {
		return n, false
	}
	return wrap(v, n.secret, n.path), true
}

// parsed remembers the documents parsed for the value being judged: a
// resource's policy document is read by a dozen rules in one Analyze call,
// and parsed once. Entries are keyed by the string's memory, not its
// content, so two resources with the same document (the copies of a
// synthetic stack) each pay their own parse, as in a real stack; holding
// the string keeps its memory from being reused by another. The map is
// emptied when it grows past a few thousand documents.
var parsed = struct {
	sync.Mutex
	m map[parsedKey]parsedDoc
}{m: map[parsedKey]parsedDoc{}}

type parsedKey struct {
	p *byte
	n int
}

type parsedDoc struct {
	s  string
	v  property.Value
	ok bool
}

func parsedJSON(s string) (property.Value, bool) {
	if s == "" {
		return property.Value{}, false
	}
	key := parsedKey{unsafe.StringData(s), len(s)}
	parsed.Lock()
	d, hit := parsed.m[key]
	parsed.Unlock()
	if hit && d.s == s {
		return d.v, d.ok
	}
	var raw any
	d = parsedDoc{s: s}
	if err := json.Unmarshal([]byte(s), &raw); err == nil {
		if v, err := fromJSON(raw); err == nil {
			d.v, d.ok = v, true
		}
	}
	parsed.Lock()
	if len(parsed.m) > 4096 {
		clear(parsed.m)
	}
	parsed.m[key] = d
	parsed.Unlock()
	return d.v, d.ok
}

// fromJSON converts a decoded JSON value into a property value.
func fromJSON(raw any) (property.Value, error) {
	switch t := raw.(type) {
	case nil:
		return property.Value{}, nil
	case bool:
		return property.New(t), nil
	case float64:
		return property.New(t), nil
	case string:
		return property.New(t), nil
	case []any:
		out := make([]property.Value, len(t))
		for i, e := range t {
			v, err := fromJSON(e)
			if err != nil {
				return property.Value{}, err
			}
			out[i] = v
		}
		return property.New(out), nil
	case map[string]any:
		out := make(map[string]property.Value, len(t))
		for k, e := range t {
			v, err := fromJSON(e)
			if err != nil {
				return property.Value{}, err
			}
			out[k] = v
		}
		return property.New(out), nil
	}
	return property.Value{}, fmt.Errorf("unsupported JSON value %T", raw)
}

// describe renders a value's shape for messages without its content, so a
// secret never reaches a diagnostic.
func (n node) describe() string {
	switch {
	case n.st == absent:
		return "not set"
	case n.st == unknown:
		return "unknown"
	case n.v.IsBool():
		return "a boolean"
	case n.v.IsNumber():
		return "a number"
	case n.v.IsString():
		return "a string"
	case n.v.IsArray():
		return "a list"
	case n.v.IsMap():
		return "an object"
	}
	return "an unsupported value"
}
