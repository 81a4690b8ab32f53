package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/harness/plan"
)

func readme(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(offlinetest.RepoRoot(t), "README.md"))
	require.NoError(t, err)
	return string(raw)
}

// The plan output shown in README.md is real: every line of the excerpt
// (but the elisions) is a line the README's command prints.
func TestReadmeShowsRealPlanOutput(t *testing.T) {
	t.Parallel()
	root := offlinetest.RepoRoot(t)
	quoted := regexp.MustCompile("(?m)^make bin/plan && bin/plan ([^#`\n]*?)\\s*(#.*)?$").FindStringSubmatch(readme(t))
	require.NotNil(t, quoted, "the README quotes the plan's command")
	args := strings.Fields(quoted[1])
	for i := range args {
		if i > 0 && args[i-1] == "--policy-pack-config" {
			args[i] = filepath.Join(root, args[i]) // the README runs from the repository's root
		}
	}
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run(append(args, "--dir", root), &out, &errOut), errOut.String())
	printed := map[string]bool{}
	for _, line := range strings.Split(out.String(), "\n") {
		printed[strings.TrimRight(line, " ")] = true
	}

	_, rest, ok := strings.Cut(readme(t), "What the first command prints (abbreviated):\n\n```text\n")
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

// The README's commands and exit codes hold for the binary they name: the
// make target builds bin/plan, the quoted command exits 0, and the exit
// codes the README states are the ones the binary returns.
func TestReadmeCommandsAndExitCodes(t *testing.T) {
	t.Parallel()
	root := offlinetest.RepoRoot(t)
	text := readme(t)

	dry, err := exec.Command("make", "-n", "-C", root, "bin/plan").CombinedOutput()
	require.NoError(t, err, string(dry))
	require.Contains(t, string(dry), "build -o bin/plan ./cmd/plan", "make bin/plan builds the binary the README runs")

	bin := filepath.Join(t.TempDir(), "plan")
	build := exec.Command("go", "build", "-o", bin, "./cmd/plan")
	build.Dir = root
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))
	status := func(args ...string) int {
		cmd := exec.Command(bin, args...)
		cmd.Dir = root
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode()
		}
		require.NoError(t, err)
		return 0
	}

	commands := regexp.MustCompile("(?m)^make bin/plan && bin/plan ([^#`\n]*?)\\s*(#.*)?$").FindAllStringSubmatch(text, -1)
	require.NotEmpty(t, commands, "the README quotes the plan's command")
	for _, c := range commands {
		require.Equal(t, 0, status(strings.Fields(c[1])...), "the README's command %q", c[0])
	}

	for _, claim := range []struct {
		said string
		args []string
		code int
	}{
		{"exits 0 when", []string{"--stack", "dev"}, 0},
		{"1 when a mandatory policy is violated", []string{"--stack", "dev", "--policy-pack-config", "policy/config/prod.json"}, 1},
		{"2 when no plan can be made", []string{"--stack", "staging"}, 2},
		{"`bin/plan -h`", []string{"-h"}, 0},
	} {
		require.True(t, strings.Contains(text, claim.said), "README.md says %q", claim.said)
		require.Equal(t, claim.code, status(claim.args...), claim.said)
	}
}

// The monthly cost of each stack in the README is the plan's, with the
// plan's price date.
func TestReadmeStatesTheCostOfEachStack(t *testing.T) {
	t.Parallel()
	text := readme(t)
	for _, stack := range []string{"dev", "prod"} {
		res, err := plan.Run(plan.Options{Dir: offlinetest.RepoRoot(t), Stack: stack})
		require.NoError(t, err)
		c := res.Cost
		figure := costSpan(c.MonthlyUSD, c.MonthlyUSDMax)
		require.True(t, strings.Contains(text, "**"+stack+" "+figure+"**"), "README.md states %s's monthly cost: **%s %s**", stack, stack, figure)
		require.True(t, strings.Contains(text, "prices as of\n"+c.PriceDate) || strings.Contains(text, "prices as of "+c.PriceDate), "README.md dates the prices %s", c.PriceDate)
	}
}

func costSpan(low, high float64) string {
	s := fmt.Sprintf("$%.2f", low)
	if high > low {
		s += fmt.Sprintf(" to $%.2f", high)
	}
	return s
}

// The README stays a newcomer's page: short, in the order a newcomer needs
// it, with the reference material elsewhere.
func TestReadmeIsShortAndInOrder(t *testing.T) {
	t.Parallel()
	text := readme(t)
	require.LessOrEqual(t, strings.Count(text, "\n"), 250, "README.md stays at most ~250 lines; move reference material to docs/")
	last := -1
	for _, h := range []string{"## The two commands", "## Deploy for real", "## Day 2 and clean-up", "## More"} {
		i := strings.Index(text, "\n"+h+"\n")
		require.Greater(t, i, last, "README.md has %q after the previous section", h)
		last = i
	}
	require.NotContains(t, text, "BEGIN CONFIG REFERENCE", "the configuration reference lives in docs/configuration.md")
	require.NotContains(t, text, "| `aws-rds-instance-storage-encrypted` |", "the policy list lives in policy/README.md")
}
