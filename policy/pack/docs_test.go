package pack_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/policy/pack"
)

func TestPolicyMetadata(t *testing.T) {
	t.Parallel()
	nameRE := regexp.MustCompile(`^(aws|kubernetes|pulumi)-[a-z0-9]+(-[a-z0-9]+)+$`)
	seen := map[string]bool{}
	rules := pack.Rules()
	require.Len(t, pack.Policies(), len(rules))
	for _, r := range rules {
		require.Regexp(t, nameRE, r.Name)
		require.False(t, seen[r.Name], "duplicate policy %s", r.Name)
		seen[r.Name] = true
		require.True(t, strings.HasSuffix(r.Description, "."), "%s: one sentence ending with a period", r.Name)
		require.NotContains(t, strings.TrimSuffix(r.Description, "."), ". ", "%s: one sentence", r.Name)
		require.NotEmpty(t, r.Types, r.Name)
		require.Contains(t, []pack.Level{pack.Advisory, pack.Mandatory}, r.Level, r.Name)
		for prop, schema := range r.Schema {
			require.Contains(t, schema, "default", "%s.%s", r.Name, prop)
			require.NotEmpty(t, schema["description"], "%s.%s", r.Name, prop)
		}
		// The defaults are valid against the schema (the pack skips
		// validating a configuration equal to them).
		require.NoError(t, pack.ValidateDefaults(r.Name), r.Name)
		require.Contains(t, []pack.Severity{pack.Low, pack.Medium, pack.High, pack.Critical}, r.Severity, r.Name)
	}
}

func TestPulumiPolicyYAMLMatchesThePack(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "PulumiPolicy.yaml"))
	require.NoError(t, err)
	require.Contains(t, string(b), "runtime: go\n")
	require.Contains(t, string(b), "version: "+pack.Version.String()+"\n")
	require.Contains(t, string(b), "description:")
}

func TestREADMECoversEveryRuleAndAnchor(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	readme := string(b)

	known := map[string]bool{}
	for _, r := range pack.Rules() {
		known[r.Name] = true
		require.Contains(t, readme, fmt.Sprintf("| `%s` | %s |", r.Name, r.Level), "README's rule table lists %s with its level", r.Name)
	}
	for _, m := range regexp.MustCompile("`((?:aws|kubernetes|pulumi)-[a-z0-9-]+)`").FindAllStringSubmatch(readme, -1) {
		require.True(t, known[m[1]], "README names %s, which is not a policy", m[1])
	}

	anchors := map[string]int{"RDS": 23, "EC": 8, "MQ": 8, "EKS": 6, "VPC": 4, "SG": 7, "LT": 6, "ASG": 1, "EBS": 3, "EC2": 4, "KMS": 8, "SM": 5, "CWL": 3, "IAM": 8}
	total := 0
	for prefix, n := range anchors {
		for i := 1; i <= n; i++ {
			id := fmt.Sprintf("%s-%02d", prefix, i)
			require.Contains(t, readme, "| "+id+" |", "coverage table row for %s", id)
			total++
		}
	}
	require.Equal(t, 94, total)
}
