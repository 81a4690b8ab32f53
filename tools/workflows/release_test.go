package workflows_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/mod/semver"
	"gopkg.in/yaml.v3"

	"github.com/acme/platform/policy/pack"
)

func readFile(t *testing.T, rel string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(root(t), rel))
	require.NoError(t, err, rel)
	return string(raw)
}

// The pack's version is written in PulumiPolicy.yaml and in pack.Version;
// they are one number (docs/releasing.md).
func TestPolicyPackVersionAgrees(t *testing.T) {
	t.Parallel()
	var meta struct {
		Version string `yaml:"version"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(readFile(t, "policy/PulumiPolicy.yaml")), &meta))
	require.True(t, semver.IsValid("v"+meta.Version), "PulumiPolicy.yaml version %q is SemVer", meta.Version)
	require.Equal(t, pack.Version.String(), meta.Version, "policy/PulumiPolicy.yaml and policy/pack.Version")
}

var (
	releaseHeading = regexp.MustCompile(`^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$`)
	linkRef        = regexp.MustCompile(`^\[([^\]]+)\]: https://`)
	sectionHeading = regexp.MustCompile(`^### (.+)$`)
)

// CHANGELOG.md keeps Keep a Changelog's form: an Unreleased section first,
// then releases, newest first, each dated (not in the future) and with a
// link, and only the standard kinds of change.
func TestChangelog(t *testing.T) {
	t.Parallel()
	sc := bufio.NewScanner(strings.NewReader(readFile(t, "CHANGELOG.md")))
	var headings, versions []string
	links := map[string]bool{}
	kinds := []string{"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			headings = append(headings, line)
			if line == "## [Unreleased]" {
				continue
			}
			m := releaseHeading.FindStringSubmatch(line)
			require.NotNil(t, m, "release heading %q is `## [X.Y.Z] - YYYY-MM-DD`", line)
			date, err := time.Parse(time.DateOnly, m[2])
			require.NoError(t, err, line)
			require.False(t, date.After(time.Now()), "%s is dated in the future", line)
			versions = append(versions, m[1])
		case sectionHeading.MatchString(line):
			require.Contains(t, kinds, sectionHeading.FindStringSubmatch(line)[1], "Keep a Changelog's kinds of change")
		case linkRef.MatchString(line):
			links[linkRef.FindStringSubmatch(line)[1]] = true
		}
	}
	require.NotEmpty(t, headings)
	require.Equal(t, "## [Unreleased]", headings[0], "Unreleased comes first")
	require.NotEmpty(t, versions, "at least one release")
	for i := 1; i < len(versions); i++ {
		require.Positive(t, semver.Compare("v"+versions[i-1], "v"+versions[i]), "newest first: %s before %s", versions[i-1], versions[i])
	}
	require.True(t, links["Unreleased"], "a compare link for Unreleased")
	for _, v := range versions {
		require.True(t, links[v], "a link for %s", v)
	}
}

// LICENSE is the Apache License 2.0, word for word: the SHA-256 of
// https://www.apache.org/licenses/LICENSE-2.0.txt.
func TestLicense(t *testing.T) {
	t.Parallel()
	sum := sha256.Sum256([]byte(readFile(t, "LICENSE")))
	require.Equal(t, "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30", hex.EncodeToString(sum[:]))
}

// Every path CODEOWNERS names exists (a renamed directory would silently
// lose its reviewers), and every line has an owner.
func TestCodeowners(t *testing.T) {
	t.Parallel()
	sc := bufio.NewScanner(strings.NewReader(readFile(t, ".github/CODEOWNERS")))
	owner := regexp.MustCompile(`^@[\w-]+(/[\w-]+)?$`)
	lines := 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		lines++
		fields := strings.Fields(line)
		require.GreaterOrEqual(t, len(fields), 2, "%q has no owner", line)
		for _, o := range fields[1:] {
			require.Regexp(t, owner, o)
		}
		if fields[0] == "*" {
			continue
		}
		_, err := os.Stat(filepath.Join(root(t), strings.Trim(fields[0], "/")))
		require.NoError(t, err, "CODEOWNERS names %s", fields[0])
	}
	require.Positive(t, lines)
}

// SECURITY.md says how to report and what is in scope.
func TestSecurityPolicy(t *testing.T) {
	t.Parallel()
	s := readFile(t, "SECURITY.md")
	for _, h := range []string{"## Reporting a vulnerability", "## Supported versions", "## In scope", "## Out of scope"} {
		require.Contains(t, s, h)
	}
	require.Contains(t, s, "Report a vulnerability", "GitHub's private vulnerability reporting")
}
