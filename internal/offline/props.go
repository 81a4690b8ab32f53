package offline

import (
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Get walks a dotted path ("vpcConfig.subnetIds[0]", "tags.Name") through a
// property map. Secrets are looked through; secret reports whether any value
// on the way was secret. ok is false when a step is missing or of the wrong
// shape.
func Get(m resource.PropertyMap, path string) (v resource.PropertyValue, secret, ok bool) {
	v = resource.NewProperty(m)
	for _, step := range splitPath(path) {
		for v.IsSecret() {
			secret = true
			v = v.SecretValue().Element
		}
		if v.IsOutput() {
			o := v.OutputValue()
			secret = secret || o.Secret
			if !o.Known {
				return resource.MakeComputed(resource.NewProperty("")), secret, true
			}
			v = o.Element
		}
		if idx, isIndex := step.index(); isIndex {
			if !v.IsArray() || idx >= len(v.ArrayValue()) {
				return resource.PropertyValue{}, secret, false
			}
			v = v.ArrayValue()[idx]
			continue
		}
		if !v.IsObject() {
			return resource.PropertyValue{}, secret, false
		}
		next, found := v.ObjectValue()[resource.PropertyKey(step.key)]
		if !found {
			return resource.PropertyValue{}, secret, false
		}
		v = next
	}
	for v.IsSecret() {
		secret = true
		v = v.SecretValue().Element
	}
	return v, secret, true
}

// GetString is Get for string values; ok is false for any other shape.
func GetString(m resource.PropertyMap, path string) (string, bool) {
	v, _, ok := Get(m, path)
	if !ok || !v.IsString() {
		return "", false
	}
	return v.StringValue(), true
}

// GetBool is Get for booleans.
func GetBool(m resource.PropertyMap, path string) (value, ok bool) {
	v, _, ok := Get(m, path)
	if !ok || !v.IsBool() {
		return false, false
	}
	return v.BoolValue(), true
}

// GetNumber is Get for numbers.
func GetNumber(m resource.PropertyMap, path string) (float64, bool) {
	v, _, ok := Get(m, path)
	if !ok || !v.IsNumber() {
		return 0, false
	}
	return v.NumberValue(), true
}

// GetStrings is Get for arrays of strings.
func GetStrings(m resource.PropertyMap, path string) ([]string, bool) {
	v, _, ok := Get(m, path)
	if !ok || !v.IsArray() {
		return nil, false
	}
	var out []string
	for _, e := range v.ArrayValue() {
		for e.IsSecret() {
			e = e.SecretValue().Element
		}
		if !e.IsString() {
			return nil, false
		}
		out = append(out, e.StringValue())
	}
	return out, true
}

type pathStep struct{ key string }

func (s pathStep) index() (int, bool) {
	if !strings.HasPrefix(s.key, "[") {
		return 0, false
	}
	n, err := strconv.Atoi(strings.Trim(s.key, "[]"))
	return n, err == nil
}

// splitPath splits "a.b[0].c" into a, b, [0], c. A key containing dots can
// be written in brackets and quotes: tags["kubernetes.io/role/elb"].
func splitPath(path string) []pathStep {
	var out []pathStep
	for len(path) > 0 {
		switch {
		case strings.HasPrefix(path, `["`):
			end := strings.Index(path, `"]`)
			if end < 0 {
				return append(out, pathStep{path})
			}
			out = append(out, pathStep{path[2:end]})
			path = strings.TrimPrefix(path[end+2:], ".")
		case path[0] == '[':
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return append(out, pathStep{path})
			}
			out = append(out, pathStep{path[:end+1]})
			path = strings.TrimPrefix(path[end+1:], ".")
		default:
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				return append(out, pathStep{path})
			}
			out = append(out, pathStep{path[:end]})
			path = strings.TrimPrefix(path[end:], ".")
		}
	}
	return out
}
