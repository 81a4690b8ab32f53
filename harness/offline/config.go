package offline

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"gopkg.in/yaml.v3"

	"github.com/acme/platform/internal/check"
)

// SecretPlaceholder is what a `secure:` value in a stack file becomes offline:
// there is no passphrase or KMS key to decrypt it with, and the program must
// treat it as a secret anyway.
const SecretPlaceholder = check.SecretPlaceholder

// StackConfig is the configuration the engine would hand the program for one
// stack: namespaced keys to string values (objects and arrays as JSON), and
// which keys are secret.
type StackConfig struct {
	Project    string
	Stack      string
	Values     map[string]string
	SecretKeys []string
	// Caller is the IAM role the run acts as; default Identity's choice.
	Caller string
	// File is the stack file the configuration was read from, "" when it
	// was built in code; lines maps each configuration path in it
	// ("platform:network.azCount", "platform:cluster.nodeGroups[0].name")
	// to its line.
	File  string
	lines map[string]int
}

// Region returns aws:region, or "" if unset.
func (c StackConfig) Region() string { return c.Values["aws:region"] }

// Identity is the IAM role an offline run acts as: the first of the
// cluster's admin roles (<project>:cluster.adminRoleArns), the role `pulumi
// up` is documented to run as; "" when the stack names none, and the
// recorder's default then.
func (c StackConfig) Identity() string {
	if c.Caller != "" {
		return c.Caller
	}
	var cluster struct {
		AdminRoleARNs []string `json:"adminRoleArns"`
	}
	if json.Unmarshal([]byte(c.Values[c.Project+":cluster"]), &cluster) != nil || len(cluster.AdminRoleARNs) == 0 {
		return ""
	}
	return cluster.AdminRoleARNs[0]
}

// With returns a copy with key set to value (objects and arrays are encoded as
// JSON, as the engine does). Tests use it to vary one key of a real stack.
func (c StackConfig) With(key string, value any) StackConfig {
	out := c.clone()
	out.Values[key] = encodeValue(value)
	return out
}

// Without returns a copy without key.
func (c StackConfig) Without(key string) StackConfig {
	out := c.clone()
	delete(out.Values, key)
	return out
}

func (c StackConfig) clone() StackConfig {
	out := c
	out.Values = make(map[string]string, len(c.Values))
	for k, v := range c.Values {
		out.Values[k] = v
	}
	out.SecretKeys = slices.Clone(c.SecretKeys)
	return out
}

// RunOption hands the configuration to pulumi.RunErr as the engine would.
func (c StackConfig) RunOption() pulumi.RunOption {
	return func(info *pulumi.RunInfo) {
		info.Config = c.Values
		info.ConfigSecretKeys = c.SecretKeys
	}
}

type projectFile struct {
	Name   string                   `yaml:"name"`
	Config map[string]projectConfig `yaml:"config"`
}

type projectConfig struct {
	Default any `yaml:"default"`
	Value   any `yaml:"value"`
}

type stackFile struct {
	Config map[string]any `yaml:"config"`
}

// LoadStackConfig reads Pulumi.yaml and Pulumi.<stack>.yaml from dir the way
// the Pulumi CLI combines them: project defaults first, the stack file on top.
// Keys declared in Pulumi.yaml without a namespace belong to the project.
func LoadStackConfig(dir, stack string) (StackConfig, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "Pulumi.yaml"))
	if err != nil {
		return StackConfig{}, fmt.Errorf("reading project file: %w", err)
	}
	var proj projectFile
	if err := yaml.Unmarshal(raw, &proj); err != nil {
		return StackConfig{}, fmt.Errorf("parsing Pulumi.yaml: %w", err)
	}
	if proj.Name == "" {
		return StackConfig{}, fmt.Errorf("parsing Pulumi.yaml: no project name")
	}
	out := StackConfig{Project: proj.Name, Stack: stack, Values: map[string]string{}}
	for key, decl := range proj.Config {
		v := decl.Default
		if v == nil {
			v = decl.Value
		}
		if v == nil {
			continue
		}
		out.Values[qualify(proj.Name, key)] = encodeValue(v)
	}

	path := filepath.Join(dir, "Pulumi."+stack+".yaml")
	raw, err = os.ReadFile(path)
	if err != nil {
		return StackConfig{}, fmt.Errorf("reading stack file: %w", err)
	}
	var sf stackFile
	if err := yaml.Unmarshal(raw, &sf); err != nil {
		return StackConfig{}, yamlError(filepath.Base(path), raw, err)
	}
	out.File = filepath.Base(path)
	out.lines = keyLines(proj.Name, raw)
	for key, v := range sf.Config {
		k := qualify(proj.Name, key)
		val, secret := replaceSecure(v)
		out.Values[k] = encodeValue(val)
		if secret {
			out.SecretKeys = append(out.SecretKeys, k)
		}
	}
	slices.Sort(out.SecretKeys)
	return out, nil
}

func qualify(project, key string) string {
	if strings.Contains(key, ":") {
		return key
	}
	return project + ":" + key
}

// replaceSecure swaps every {secure: ...} value for the placeholder and
// reports whether there was one.
func replaceSecure(v any) (any, bool) {
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 1 {
			if _, ok := t["secure"]; ok {
				return SecretPlaceholder, true
			}
		}
		out := make(map[string]any, len(t))
		secret := false
		for k, e := range t {
			var s bool
			out[k], s = replaceSecure(e)
			secret = secret || s
		}
		return out, secret
	case []any:
		out := make([]any, len(t))
		secret := false
		for i, e := range t {
			var s bool
			out[i], s = replaceSecure(e)
			secret = secret || s
		}
		return out, secret
	default:
		return v, false
	}
}

// encodeValue renders a config value as the engine passes it to programs:
// strings as they are, other scalars in their YAML spelling, objects and
// arrays as JSON.
func encodeValue(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case bool:
		return strconv.FormatBool(t)
	case int:
		return strconv.Itoa(t)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case nil:
		return ""
	default:
		b, err := json.Marshal(t)
		if err != nil {
			return fmt.Sprint(t)
		}
		return string(b)
	}
}
