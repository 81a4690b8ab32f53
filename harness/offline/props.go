package offline

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Get walks a property path ("vpcConfig.subnetIds[0]",
// `tags["kubernetes.io/role/elb"]`, resource.ParsePropertyPath's syntax)
// through a property map. Secrets are looked through; secret reports whether
// any value on the way was secret. A value unknown on the way is returned as
// an unknown. ok is false when a step is missing, of the wrong shape, or the
// path does not parse.
func Get(m resource.PropertyMap, path string) (v resource.PropertyValue, secret, ok bool) {
	p, err := resource.ParsePropertyPath(path)
	if err != nil {
		return resource.PropertyValue{}, false, false
	}
	v = resource.NewProperty(m)
	for _, step := range p {
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
		next, found := resource.PropertyPath{step}.Get(v)
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
