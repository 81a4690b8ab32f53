package workflows_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/acme/platform/internal/offline/offlinetest"
)

func workflowFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(offlinetest.RepoRoot(t), ".github", "workflows", "*.yml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

func TestActionlint(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	linter, err := actionlint.NewLinter(&out, &actionlint.LinterOptions{})
	require.NoError(t, err)
	for _, f := range workflowFiles(t) {
		errs, err := linter.LintFile(f, nil)
		require.NoError(t, err)
		require.Empty(t, errs, "actionlint %s:\n%s", filepath.Base(f), out.String())
	}
}

// The linter is live: a workflow with a typo in an expression and a job that
// needs a missing job is rejected.
func TestActionlintCatchesMistakes(t *testing.T) {
	t.Parallel()
	linter, err := actionlint.NewLinter(&bytes.Buffer{}, &actionlint.LinterOptions{})
	require.NoError(t, err)
	broken := []byte(`on: push
jobs:
  a:
    runs-on: ubuntu-24.04
    needs: [missing]
    steps:
      - run: echo "${{ matrix.stack }"
`)
	errs, err := linter.Lint("broken.yml", broken, nil)
	require.NoError(t, err)
	require.NotEmpty(t, errs)
}

// A workflow as far as the house rules care.
type workflow struct {
	On          map[string]any    `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		Permissions map[string]string `yaml:"permissions"`
		Environment any               `yaml:"environment"`
		Concurrency *struct {
			Group            string `yaml:"group"`
			CancelInProgress bool   `yaml:"cancel-in-progress"`
		} `yaml:"concurrency"`
		Steps []struct {
			Uses string            `yaml:"uses"`
			With map[string]string `yaml:"with"`
			Run  string            `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func load(t *testing.T, path string) (workflow, string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var w workflow
	require.NoError(t, yaml.Unmarshal(raw, &w))
	return w, string(raw)
}

var pinned = regexp.MustCompile(`^[\w.-]+/[\w.-]+(/[\w./-]+)?@(v\d+\.\d+\.\d+|[0-9a-f]{40})$`)

func TestHouseRules(t *testing.T) {
	t.Parallel()
	for _, f := range workflowFiles(t) {
		w, raw := load(t, f)
		name := filepath.Base(f)
		require.Equal(t, map[string]string{"contents": "read"}, w.Permissions, "%s: the default token may only read", name)
		require.NotContains(t, raw, "secrets.", "%s: no long-lived secrets; credentials come from OIDC", name)
		require.NotContains(t, raw, "write-all", name)
		for jobName, job := range w.Jobs {
			usesAWS := false
			for _, s := range job.Steps {
				if s.Uses == "" {
					continue
				}
				require.Regexp(t, pinned, s.Uses, "%s/%s: actions are pinned to an exact version", name, jobName)
				if strings.HasPrefix(s.Uses, "aws-actions/configure-aws-credentials@") {
					usesAWS = true
					require.NotEmpty(t, s.With["role-to-assume"], "%s/%s: AWS access by role, not keys", name, jobName)
					require.NotContains(t, s.With, "aws-access-key-id")
				}
			}
			if usesAWS {
				require.Equal(t, "write", job.Permissions["id-token"], "%s/%s: OIDC needs id-token: write", name, jobName)
			} else {
				require.NotEqual(t, "write", job.Permissions["id-token"], "%s/%s: no OIDC token without a use for it", name, jobName)
			}
			for scope, level := range job.Permissions {
				if level == "write" {
					require.Contains(t, []string{"id-token", "pull-requests"}, scope, "%s/%s: %s: write", name, jobName, scope)
				}
			}
		}
	}
}

func TestPullRequestWorkflow(t *testing.T) {
	t.Parallel()
	w, raw := load(t, filepath.Join(offlinetest.RepoRoot(t), ".github", "workflows", "pull-request.yml"))
	require.Contains(t, w.On, "pull_request")
	require.Contains(t, raw, "bash .ci/run", "lint and tests")
	require.Contains(t, raw, "make bin/plan", "the offline plan needs no credentials")
	require.NotContains(t, raw, "go run ./cmd/plan", "a built binary keeps the plan's exit status; go run reports every failure as 1")
	require.Contains(t, raw, "--baseline", "stateful replacements are gated against the base branch's plan")
	require.Contains(t, raw, "head.repo.full_name == github.repository", "forks get the offline gate only")
	var preview bool
	for _, job := range w.Jobs {
		for _, s := range job.Steps {
			if strings.HasPrefix(s.Uses, "pulumi/actions@") {
				preview = true
				require.Equal(t, "preview", s.With["command"])
				require.Equal(t, "policy", s.With["policyPacks"])
				require.Equal(t, "policy/config/${{ matrix.stack }}.json", s.With["policyPackConfigs"])
				require.Equal(t, "true", s.With["comment-on-pr"])
				require.Equal(t, "true", s.With["diff"])
			}
		}
	}
	require.True(t, preview)
}

func TestDeployWorkflow(t *testing.T) {
	t.Parallel()
	w, _ := load(t, filepath.Join(offlinetest.RepoRoot(t), ".github", "workflows", "deploy.yml"))
	require.Contains(t, w.On, "push")
	for _, stack := range []string{"dev", "prod"} {
		job, ok := w.Jobs[stack]
		require.True(t, ok, "a job per stack")
		require.Equal(t, stack, job.Environment, "%s runs in its GitHub environment (prod has required reviewers)", stack)
		require.NotNil(t, job.Concurrency)
		require.Equal(t, "pulumi-up-"+stack, job.Concurrency.Group, "one concurrency group per stack")
		require.False(t, job.Concurrency.CancelInProgress, "never cancel an update in flight")
		var up bool
		for _, s := range job.Steps {
			if strings.HasPrefix(s.Uses, "pulumi/actions@") {
				up = true
				require.Equal(t, "up", s.With["command"])
				require.Equal(t, stack, s.With["stack-name"])
				require.Equal(t, "policy", s.With["policyPacks"])
				require.Equal(t, "policy/config/"+stack+".json", s.With["policyPackConfigs"])
			}
		}
		require.True(t, up, "%s runs pulumi up", stack)
	}
	prodNeeds, _ := os.ReadFile(filepath.Join(offlinetest.RepoRoot(t), ".github", "workflows", "deploy.yml"))
	require.Regexp(t, `(?s)\n  prod:.*?needs: \[dev\]`, string(prodNeeds), "prod only after dev")
}
