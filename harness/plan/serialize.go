package plan

import (
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
)

// toJSON serializes a property value as `pulumi preview --json` writes
// state: secrets as "[secret]" (pkg/backend/display/json.go,
// massagePropertyValue), unknowns as the engine's placeholder
// (pkg/resource/stack/deployment.go, computedValuePlaceholder, the same as
// plugin.UnknownStringValue), resource references by URN.
func toJSON(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return Redacted
	case v.IsComputed():
		return plugin.UnknownStringValue
	case v.IsOutput():
		o := v.OutputValue()
		switch {
		case o.Secret:
			return Redacted
		case !o.Known:
			return plugin.UnknownStringValue
		}
		return toJSON(o.Element)
	case v.IsObject():
		return mapToJSON(v.ObjectValue())
	case v.IsArray():
		out := make([]any, 0, len(v.ArrayValue()))
		for _, e := range v.ArrayValue() {
			out = append(out, toJSON(e))
		}
		return out
	case v.IsString():
		return v.StringValue()
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsResourceReference():
		ref := v.ResourceReferenceValue()
		out := map[string]any{resource.SigKey: resource.ResourceReferenceSig, "urn": string(ref.URN)}
		if id, ok := ref.IDString(); ok {
			out["id"] = id
		}
		return out
	case v.IsAsset(), v.IsArchive():
		return "[asset]"
	default:
		return nil
	}
}

// mapToJSON is toJSON for a property map.
func mapToJSON(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[string(k)] = toJSON(v)
	}
	return out
}

// fromJSON reads serialized inputs back: the unknown placeholder becomes
// an unknown again; "[secret]" stays the string it was written as, so that
// the two plans of a comparison both show a secret the same way.
func fromJSON(m map[string]any) resource.PropertyMap {
	return markUnknowns(resource.NewPropertyMapFromMap(m))
}

func markUnknowns(m resource.PropertyMap) resource.PropertyMap {
	out := make(resource.PropertyMap, len(m))
	for k, v := range m {
		out[k] = markUnknown(v)
	}
	return out
}

func markUnknown(v resource.PropertyValue) resource.PropertyValue {
	switch {
	case v.IsString() && v.StringValue() == plugin.UnknownStringValue:
		return resource.MakeComputed(resource.NewProperty(""))
	case v.IsObject():
		return resource.NewProperty(markUnknowns(v.ObjectValue()))
	case v.IsArray():
		out := make([]resource.PropertyValue, len(v.ArrayValue()))
		for i, e := range v.ArrayValue() {
			out[i] = markUnknown(e)
		}
		return resource.NewProperty(out)
	}
	return v
}

// sortedKeys returns a property map's keys in order.
func sortedKeys(m resource.PropertyMap) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, string(k))
	}
	sort.Strings(out)
	return out
}
