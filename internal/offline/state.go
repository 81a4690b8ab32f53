package offline

import (
	"fmt"
	"hash/fnv"
	"maps"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// stateFunc adds the values a provider would compute for one resource type to
// state, which already holds the inputs and the generic id/arn.
type stateFunc func(r *Recorder, name, id string, state resource.PropertyMap)

// stateFuncs lists the computed values per type token, one table per area of
// the platform (state_<area>.go) so each component keeps its own.
func stateFuncs() []map[string]stateFunc {
	return []map[string]stateFunc{
		networkState,
		clusterState,
		databaseState,
		cacheState,
		brokerState,
		reliabilityState,
	}
}

var stateByType = func() map[string]stateFunc {
	out := map[string]stateFunc{}
	for _, m := range stateFuncs() {
		maps.Copy(out, m)
	}
	return out
}()

// computed returns the state the mock reports for a custom resource: its
// inputs, an id, an ARN in the recorder's account and region, tagsAll, and
// whatever the type's stateFunc adds.
func computed(r *Recorder, typ, name, id string, inputs resource.PropertyMap) resource.PropertyMap {
	state := inputs.Copy()
	if strings.HasPrefix(typ, "aws:") {
		// Pulumi auto-names resources that take a name: logical name plus a
		// random suffix (here a stable one).
		if _, ok := state["name"]; !ok {
			if _, prefixed := state["namePrefix"]; !prefixed {
				state["name"] = resource.NewProperty(name + "-" + shortHash(name))
			}
		}
		if _, ok := state["arn"]; !ok {
			state["arn"] = resource.NewProperty(r.ARN(serviceOf(typ), resourceOf(typ)+"/"+id))
		}
		if tags, ok := state["tags"]; ok {
			state["tagsAll"] = tags
		}
	}
	if f, ok := stateByType[typ]; ok {
		f(r, name, id, state)
	}
	return state
}

// shortHash is a stable seven-character suffix for auto-names.
func shortHash(s string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return fmt.Sprintf("%07x", h.Sum32())[:7]
}

// ARN builds an ARN in the recorder's partition, region and account.
func (r *Recorder) ARN(service, res string) string {
	region := r.Region
	if service == "iam" {
		region = ""
	}
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, region, r.AccountID, res)
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

// setDefault sets key in state unless the inputs already carry it.
func setDefault(state resource.PropertyMap, key string, v resource.PropertyValue) {
	if _, ok := state[resource.PropertyKey(key)]; !ok {
		state[resource.PropertyKey(key)] = v
	}
}

// str returns the string value of key in state ("" if absent, unknown or not a
// string); secrets are looked through.
func str(state resource.PropertyMap, key string) string {
	v, ok := state[resource.PropertyKey(key)]
	if !ok {
		return ""
	}
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}
