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

// The plan output shown in README.md is real: every line of the excerpt
// (but the elisions) is a line the dev plan prints.
func TestReadmeShowsRealPlanOutput(t *testing.T) {
	t.Parallel()
	root := offlinetest.RepoRoot(t)
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run([]string{"--stack", "dev", "--dir", root}, &out, &errOut), errOut.String())
	printed := map[string]bool{}
	for _, line := range strings.Split(out.String(), "\n") {
		printed[strings.TrimRight(line, " ")] = true
	}

	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(readme), "What the first command prints (abbreviated):\n\n```text\n")
	require.True(t, ok, "README.md shows the plan's output")
	excerpt, _, ok := strings.Cut(rest, "```")
	require.True(t, ok)
	lines := 0
	for _, line := range strings.Split(excerpt, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || trimmed == "..." || strings.HasSuffix(trimmed, "...") && strings.Trim(trimmed, "+│├└─ .") == "" {
			continue
		}
		require.True(t, printed[strings.TrimRight(line, " ")], "README.md shows a line the plan does not print:\n%q", line)
		lines++
	}
	require.Greater(t, lines, 15)
}
