package catalog

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Env is where the offline mock pretends to deploy: it shapes the ARNs,
// endpoints and names it returns.
type Env struct {
	Region    string
	AccountID string
}

// State is the state the offline mock returns for one registration: the
// inputs plus what the provider computes. Each computed value is either
// known when `pulumi preview` runs (a schema default, a name Pulumi
// generates) or known only once the resource exists (IDs, ARNs, endpoints,
// addresses); the plan shows the latter as unknown rather than as the
// mock's made-up values.
type State struct {
	Env  Env
	Name string // the logical name
	ID   string
	// Props is the state: the inputs, then what the type's State adds.
	Props    resource.PropertyMap
	computed map[resource.PropertyKey]bool
}

// Computed sets a value the provider knows only once the resource exists.
func (s *State) Computed(key string, v resource.PropertyValue) {
	s.Props[resource.PropertyKey(key)] = v
	s.computed[resource.PropertyKey(key)] = true
}

// ComputedDefault is Computed unless the inputs already carry the key.
func (s *State) ComputedDefault(key string, v resource.PropertyValue) {
	if _, ok := s.Props[resource.PropertyKey(key)]; !ok {
		s.Computed(key, v)
	}
}

// Default sets a value the provider knows at preview (a schema default)
// unless the inputs carry it.
func (s *State) Default(key string, v resource.PropertyValue) {
	if _, ok := s.Props[resource.PropertyKey(key)]; !ok {
		s.Props[resource.PropertyKey(key)] = v
	}
}

// Str is the string value of key ("" if absent or not a string).
func (s *State) Str(key string) string { return Str(s.Props, key) }

// ARN builds an ARN in the mock's account and region (IAM is global).
func (s *State) ARN(service, res string) string {
	region := s.Env.Region
	if service == "iam" {
		region = ""
	}
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, region, s.Env.AccountID, res)
}

// MockState returns the state the offline mock reports for a custom
// resource, and the keys of it that are known only once the resource
// exists. AWS resources get what every one of them has (an auto-name, an
// ARN, tagsAll); then the type's State adds its own.
func MockState(env Env, typ, name, id string, inputs resource.PropertyMap) (resource.PropertyMap, []string) {
	s := &State{Env: env, Name: name, ID: id, Props: inputs.Copy(), computed: map[resource.PropertyKey]bool{}}
	if strings.HasPrefix(typ, "aws:") {
		// Pulumi auto-names resources that take a name: the logical name
		// plus a random suffix (here a stable one), generated when the
		// program is previewed.
		if _, ok := s.Props["name"]; !ok {
			if _, prefixed := s.Props["namePrefix"]; !prefixed {
				s.Props["name"] = resource.NewProperty(name + "-" + ShortHash(name))
			}
		}
		s.ComputedDefault("arn", resource.NewProperty(s.ARN(serviceOf(typ), resourceOf(typ)+"/"+id)))
		if tags, ok := s.Props["tags"]; ok {
			s.Props["tagsAll"] = tags
		}
	}
	if t, ok := Lookup(typ); ok && t.State != nil {
		t.State(s)
	}
	keys := make([]string, 0, len(s.computed))
	for k := range s.computed {
		keys = append(keys, string(k))
	}
	slices.Sort(keys)
	return s.Props, keys
}

// ShortHash is a stable seven-character suffix for auto-names.
func ShortHash(s string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return fmt.Sprintf("%07x", h.Sum32())[:7]
}

// hashOf returns a stable upper-case hex string derived from s, shaped like
// the IDs EKS puts in endpoints and issuer URLs.
func hashOf(s string) string {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	v := h.Sum64()
	return strings.ToUpper(fmt.Sprintf("%016X%016X", v, v^0x9E3779B97F4A7C15))
}

// serviceOf returns "ec2" for "aws:ec2/vpc:Vpc".
func serviceOf(typ string) string {
	parts := strings.SplitN(typ, ":", 3)
	if len(parts) < 3 {
		return "unknown"
	}
	return strings.SplitN(parts[1], "/", 2)[0]
}

// resourceOf returns "vpc" for "aws:ec2/vpc:Vpc".
func resourceOf(typ string) string {
	parts := strings.SplitN(typ, ":", 3)
	if len(parts) < 3 {
		return "resource"
	}
	return strings.ToLower(parts[2])
}

// regionCode shortens a region the way ElastiCache host names do
// ("us-east-1" → "use1").
func regionCode(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) != 3 {
		return region
	}
	dir := parts[1]
	if len(dir) > 1 {
		dir = dir[:1]
	}
	return parts[0] + dir + parts[2]
}

// props builds a property map from plain values.
func props(m map[string]any) resource.PropertyValue {
	return resource.NewProperty(resource.NewPropertyMapFromMap(m))
}

// stringArray builds an array of strings.
func stringArray(ss ...string) resource.PropertyValue {
	out := make([]resource.PropertyValue, 0, len(ss))
	for _, s := range ss {
		out = append(out, resource.NewProperty(s))
	}
	return resource.NewProperty(out)
}
