package workflows_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/cluster"
	"github.com/acme/platform/components/postgres"
	"github.com/acme/platform/harness/offline/offlinetest"
)

// renovateConfig is renovate.json as far as the custom managers go.
type renovateConfig struct {
	CustomManagers []customManager `json:"customManagers"`
}

type customManager struct {
	CustomType           string   `json:"customType"`
	ManagerFilePatterns  []string `json:"managerFilePatterns"`
	MatchStrings         []string `json:"matchStrings"`
	MatchStringsStrategy string   `json:"matchStringsStrategy"`
	DatasourceTemplate   string   `json:"datasourceTemplate"`
	DepNameTemplate      string   `json:"depNameTemplate"`
	PackageNameTemplate  string   `json:"packageNameTemplate"`
	RegistryURLTemplate  string   `json:"registryUrlTemplate"`
}

func loadRenovate(t *testing.T) (renovateConfig, []byte) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(root(t), "renovate.json"))
	require.NoError(t, err)
	var cfg renovateConfig
	dec := json.NewDecoder(bytes.NewReader(raw))
	require.NoError(t, dec.Decode(&cfg))
	return cfg, raw
}

// TestRenovateSchema validates renovate.json against the JSON schema that
// ships with the renovate npm package (renovate-schema.json). .ci/run
// installs the package for renovate-config-validator and passes the
// schema's path in RENOVATE_SCHEMA; the validator checks option names and
// values, the schema the shapes and enumerations the validator leaves out
// (an unknown matchStringsStrategy passes the validator).
func TestRenovateSchema(t *testing.T) {
	t.Parallel()
	path := os.Getenv("RENOVATE_SCHEMA")
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("RENOVATE_SCHEMA is required in CI (.ci/run sets it to the renovate package's renovate-schema.json)")
		}
		t.Skip("RENOVATE_SCHEMA unset: .ci/run installs Renovate and sets it to its renovate-schema.json")
	}
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("renovate-schema.json", doc))
	schema, err := c.Compile("renovate-schema.json")
	require.NoError(t, err)

	_, raw = loadRenovate(t)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	require.NoError(t, err)
	require.NoError(t, schema.Validate(inst), "renovate.json")

	// The check is live: a strategy Renovate does not know is refused.
	broken := bytes.Replace(raw, []byte(`"recursive"`), []byte(`"recurse"`), 1)
	require.NotEqual(t, raw, broken)
	inst, err = jsonschema.UnmarshalJSON(bytes.NewReader(broken))
	require.NoError(t, err)
	require.Error(t, schema.Validate(inst))
}

// dep is what a custom manager extracts.
type dep struct {
	file, datasource, depName, packageName, registryURL, currentValue string
}

var placeholder = regexp.MustCompile(`\{\{\s*(\w+)\s*\}\}`)

func fill(tmpl string, groups map[string]string) string {
	return placeholder.ReplaceAllStringFunc(tmpl, func(m string) string {
		return groups[placeholder.FindStringSubmatch(m)[1]]
	})
}

// extract runs a regex custom manager over one file the way Renovate does
// (lib/modules/manager/custom/regex/strategies.ts): "any" applies each
// match string to the whole file, "recursive" applies each to the matches
// of the previous one and merges their named groups. Renovate compiles the
// match strings with only the "g" flag, which is Go's default behavior for
// ^, $ and "."; Go (RE2) accepts the (?<name>...) groups Renovate uses.
func extract(t *testing.T, m customManager, file string, content string) []dep {
	t.Helper()
	res := make([]*regexp.Regexp, len(m.MatchStrings))
	for i, s := range m.MatchStrings {
		re, err := regexp.Compile(s)
		require.NoError(t, err, "matchStrings[%d] %q must also be valid RE2 (Renovate prefers RE2)", i, s)
		res[i] = re
	}
	var groupsets []map[string]string
	var walk func(i int, text string, groups map[string]string)
	walk = func(i int, text string, groups map[string]string) {
		if i == len(res) {
			groupsets = append(groupsets, groups)
			return
		}
		for _, sub := range res[i].FindAllStringSubmatch(text, -1) {
			g := map[string]string{}
			for k, v := range groups {
				g[k] = v
			}
			for j, name := range res[i].SubexpNames() {
				if name != "" && sub[j] != "" {
					g[name] = sub[j]
				}
			}
			walk(i+1, sub[0], g)
		}
	}
	switch m.MatchStringsStrategy {
	case "recursive":
		walk(0, content, map[string]string{})
	case "", "any":
		for _, re := range res {
			for _, sub := range re.FindAllStringSubmatch(content, -1) {
				g := map[string]string{}
				for j, name := range re.SubexpNames() {
					if name != "" && sub[j] != "" {
						g[name] = sub[j]
					}
				}
				groupsets = append(groupsets, g)
			}
		}
	default:
		require.Failf(t, "strategy", "the test knows no strategy %q", m.MatchStringsStrategy)
	}
	var out []dep
	for _, g := range groupsets {
		field := func(tmpl, group string) string {
			if tmpl != "" {
				return fill(tmpl, g)
			}
			return g[group]
		}
		out = append(out, dep{
			file:         file,
			datasource:   field(m.DatasourceTemplate, "datasource"),
			depName:      field(m.DepNameTemplate, "depName"),
			packageName:  field(m.PackageNameTemplate, "packageName"),
			registryURL:  field(m.RegistryURLTemplate, "registryUrl"),
			currentValue: g["currentValue"],
		})
	}
	return out
}

// renovateDeps runs every custom manager over the repository's files.
func renovateDeps(t *testing.T) []dep {
	t.Helper()
	cfg, _ := loadRenovate(t)
	base := root(t)
	var files []string
	require.NoError(t, filepath.WalkDir(base, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(base, path)
		if d.IsDir() {
			if rel == ".git" || rel == "bin" || strings.HasPrefix(rel, ".cache") {
				return filepath.SkipDir
			}
			return nil
		}
		files = append(files, filepath.ToSlash(rel))
		return nil
	}))
	var deps []dep
	for i, m := range cfg.CustomManagers {
		require.Equal(t, "regex", m.CustomType)
		var patterns []*regexp.Regexp
		for _, p := range m.ManagerFilePatterns {
			require.True(t, strings.HasPrefix(p, "/") && strings.HasSuffix(p, "/"), "customManagers[%d]: file patterns are /regex/", i)
			patterns = append(patterns, regexp.MustCompile(p[1:len(p)-1]))
		}
		matched := 0
		for _, f := range files {
			for _, p := range patterns {
				if p.MatchString(f) {
					raw, err := os.ReadFile(filepath.Join(base, f))
					require.NoError(t, err)
					found := extract(t, m, f, string(raw))
					matched += len(found)
					deps = append(deps, found...)
					break
				}
			}
		}
		require.Positive(t, matched, "customManagers[%d] (%v) finds nothing", i, m.ManagerFilePatterns)
	}
	return deps
}

func findDep(deps []dep, file, depName string) []dep {
	var out []dep
	for _, d := range deps {
		if d.file == file && d.depName == depName {
			out = append(out, d)
		}
	}
	return out
}

// Every pin the custom managers are for is found where it is, with the
// value it has: a change in a file's layout that hides a pin from Renovate
// fails here instead of going stale.
func TestRenovateFindsEveryPin(t *testing.T) {
	t.Parallel()
	deps := renovateDeps(t)
	for _, d := range deps {
		require.NotEmpty(t, d.datasource, "%+v", d)
		require.NotEmpty(t, d.depName, "%+v", d)
		require.NotEmpty(t, d.currentValue, "%+v", d)
	}

	version, err := os.ReadFile(filepath.Join(root(t), ".pulumi-version"))
	require.NoError(t, err)
	cli := findDep(deps, ".pulumi-version", "pulumi/pulumi")
	require.Len(t, cli, 1)
	require.Equal(t, strings.TrimSpace(string(version)), cli[0].currentValue)
	require.Equal(t, "github-releases", cli[0].datasource)

	validator := findDep(deps, ".ci/run", "renovate")
	require.Len(t, validator, 1)
	require.Equal(t, "npm", validator[0].datasource)

	for _, stack := range []string{"dev", "prod"} {
		file := "Pulumi." + stack + ".yaml"
		cfg := offlinetest.StackConfig(t, stack)
		var c struct {
			Version string `json:"version"`
			Addons  map[string]struct {
				Version string `json:"version"`
			} `json:"addons"`
			Autoscaler struct {
				ChartVersion string `json:"chartVersion"`
				ImageTag     string `json:"imageTag"`
			} `json:"autoscaler"`
			MetricsServer struct {
				ChartVersion string `json:"chartVersion"`
			} `json:"metricsServer"`
		}
		require.NoError(t, json.Unmarshal([]byte(cfg.Values["platform:cluster"]), &c))
		require.NotEmpty(t, c.Addons)
		for name, a := range c.Addons {
			found := findDep(deps, file, name)
			require.Len(t, found, 1, "%s: add-on %s", file, name)
			require.Equal(t, "aws-eks-addon", found[0].datasource)
			require.Equal(t, a.Version, found[0].currentValue, "%s: add-on %s", file, name)
			var pkg struct{ KubernetesVersion, AddonName string }
			require.NoError(t, json.Unmarshal([]byte(found[0].packageName), &pkg), found[0].packageName)
			require.Equal(t, c.Version, pkg.KubernetesVersion, "%s: %s is looked up for the cluster's version", file, name)
			require.Equal(t, name, pkg.AddonName)
		}
		chart := findDep(deps, file, "cluster-autoscaler")
		require.Len(t, chart, 1, file)
		require.Equal(t, c.Autoscaler.ChartVersion, chart[0].currentValue)
		require.Equal(t, "helm", chart[0].datasource)
		require.Equal(t, cluster.AutoscalerChartRepo, chart[0].registryURL, "the repository the program installs from")
		image := findDep(deps, file, "registry.k8s.io/autoscaling/cluster-autoscaler")
		require.Len(t, image, 1, file)
		require.Equal(t, c.Autoscaler.ImageTag, image[0].currentValue)
		ms := findDep(deps, file, "metrics-server")
		require.Len(t, ms, 1, file)
		require.Equal(t, c.MetricsServer.ChartVersion, ms[0].currentValue)
		require.Equal(t, cluster.MetricsServerChartRepo, ms[0].registryURL)
	}

	// The components' own defaults.
	cd := cluster.DefaultConfig()
	for name, want := range map[string]string{
		"cluster-autoscaler":                             cd.Autoscaler.ChartVersion,
		"registry.k8s.io/autoscaling/cluster-autoscaler": cd.Autoscaler.ImageTag,
		"metrics-server":                                 cd.MetricsServer.ChartVersion,
	} {
		found := findDep(deps, "components/cluster/config.go", name)
		require.Len(t, found, 1, name)
		require.Equal(t, want, found[0].currentValue, name)
	}
	pd := postgres.DefaultConfig()
	for _, image := range []string{pd.BootstrapImage, pd.AWSCLIImage} {
		name, tag, ok := strings.Cut(image, ":")
		require.True(t, ok, image)
		found := findDep(deps, "components/postgres/config.go", name)
		require.NotEmpty(t, found, image)
		for _, d := range found {
			require.Equal(t, tag, d.currentValue, image)
			require.Equal(t, "docker", d.datasource)
		}
	}
}

// Renovate's own rules that the tests above rely on.
func TestRenovateRules(t *testing.T) {
	t.Parallel()
	_, raw := loadRenovate(t)
	var cfg struct {
		Extends      []string `json:"extends"`
		PackageRules []struct {
			MatchPackageNames []string `json:"matchPackageNames"`
			MatchDepNames     []string `json:"matchDepNames"`
			MatchUpdateTypes  []string `json:"matchUpdateTypes"`
			Enabled           *bool    `json:"enabled"`
			GroupName         string   `json:"groupName"`
		} `json:"packageRules"`
	}
	require.NoError(t, json.Unmarshal(raw, &cfg))
	require.Contains(t, cfg.Extends, "helpers:pinGitHubActionDigestsToSemver", "actions stay pinned by commit, with the version in a comment")
	require.NotContains(t, string(raw), "automerge", "every update goes through review and the checks")
	var awsMajorOff, pulumiGroup bool
	for _, r := range cfg.PackageRules {
		if r.Enabled != nil && !*r.Enabled && strings.Contains(strings.Join(r.MatchPackageNames, ","), "pulumi-aws/sdk") && strings.Contains(strings.Join(r.MatchUpdateTypes, ","), "major") {
			awsMajorOff = true
		}
		if r.GroupName == "Pulumi" && strings.Contains(strings.Join(r.MatchPackageNames, ","), "pulumi/pulumi") {
			pulumiGroup = true
		}
	}
	require.True(t, awsMajorOff, "pulumi-aws stays on v6")
	require.True(t, pulumiGroup, "the CLI moves with the SDK")
}
