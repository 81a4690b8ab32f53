package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/internal/offline/offlinetest"
)

// writeBaseline writes the --json plan of a stack, as the base branch's CI
// job does.
func writeBaseline(t *testing.T, dir, stack string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run([]string{"--stack", stack, "--dir", dir, "--json"}, &out, &errOut), errOut.String())
	path := filepath.Join(t.TempDir(), "base.json")
	require.NoError(t, os.WriteFile(path, out.Bytes(), 0o600))
	return path
}

// changedDev is a copy of the project whose dev stack differs from the real
// one by edit.
func changedDev(t *testing.T, edit func(string) string) string {
	t.Helper()
	root := offlinetest.RepoRoot(t)
	dir := t.TempDir()
	for _, f := range []string{"Pulumi.yaml", "Pulumi.dev.yaml"} {
		raw, err := os.ReadFile(filepath.Join(root, f))
		require.NoError(t, err)
		content := string(raw)
		if f == "Pulumi.dev.yaml" {
			edited := edit(content)
			require.NotEqual(t, content, edited, "the edit must change the stack file")
			content = edited
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), []byte(content), 0o600))
	}
	return dir
}

func TestBaselineGatesReplacementsOfStatefulResources(t *testing.T) {
	t.Parallel()
	root := offlinetest.RepoRoot(t)
	base := writeBaseline(t, root, "dev")

	t.Run("no change", func(t *testing.T) {
		t.Parallel()
		var out, errOut bytes.Buffer
		require.Equal(t, 0, run([]string{"--stack", "dev", "--dir", root, "--baseline", base}, &out, &errOut))
		require.Contains(t, errOut.String(), "no stateful resource is replaced or deleted")
	})
	t.Run("resizing replaces nothing", func(t *testing.T) {
		t.Parallel()
		dir := changedDev(t, func(s string) string {
			return strings.Replace(s, "instanceClass: db.t4g.micro", "instanceClass: db.t4g.small", 1)
		})
		var out, errOut bytes.Buffer
		require.Equal(t, 0, run([]string{"--stack", "dev", "--dir", dir, "--baseline", base}, &out, &errOut), errOut.String())
		require.Contains(t, errOut.String(), "no stateful resource is replaced or deleted")
	})
	t.Run("a new database name replaces the database", func(t *testing.T) {
		t.Parallel()
		dir := changedDev(t, func(s string) string {
			return strings.Replace(s, "    instanceClass: db.t4g.micro", "    databaseName: shop\n    instanceClass: db.t4g.micro", 1)
		})
		var out, errOut bytes.Buffer
		require.Equal(t, 1, run([]string{"--stack", "dev", "--dir", dir, "--baseline", base}, &out, &errOut))
		require.Contains(t, errOut.String(), `aws:rds/instance:Instance db would be REPLACED: dbName changed ("app" → "shop")`)
		require.Contains(t, out.String(), "PASS:", "the policy pack has nothing against it; the baseline does")
	})
	t.Run("a baseline of another stack", func(t *testing.T) {
		t.Parallel()
		var out, errOut bytes.Buffer
		require.Equal(t, 2, run([]string{"--stack", "prod", "--dir", root, "--baseline", base}, &out, &errOut))
		require.Contains(t, errOut.String(), "baseline is a plan of platform/dev, not of platform/prod")
	})
	t.Run("not a plan", func(t *testing.T) {
		t.Parallel()
		bad := filepath.Join(t.TempDir(), "bad.json")
		require.NoError(t, os.WriteFile(bad, []byte(`{"hello": "world"}`), 0o600))
		var out, errOut bytes.Buffer
		require.Equal(t, 2, run([]string{"--stack", "dev", "--dir", root, "--baseline", bad}, &out, &errOut))
		require.Contains(t, errOut.String(), "not a JSON plan")
	})
}
