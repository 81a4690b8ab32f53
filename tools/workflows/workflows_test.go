package workflows_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"
	"gopkg.in/yaml.v3"
)

// root returns the repository's top directory: this module lives in
// tools/, and the files it checks (workflows, Renovate's configuration,
// the release files) are the repository's, two directories up from this
// file. It fails the test unless Pulumi.yaml is there.
func root(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	require.True(t, ok)
	dir := filepath.Join(filepath.Dir(file), "..", "..")
	require.FileExists(t, filepath.Join(dir, "Pulumi.yaml"), "the repository's top directory")
	return dir
}

func workflowFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(root(t), ".github", "workflows", "*.yml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

func lint(t *testing.T, opts *actionlint.LinterOptions) {
	t.Helper()
	var out bytes.Buffer
	linter, err := actionlint.NewLinter(&out, opts)
	require.NoError(t, err)
	for _, f := range workflowFiles(t) {
		errs, err := linter.LintFile(f, nil)
		require.NoError(t, err)
		require.Empty(t, errs, "actionlint %s:\n%s", filepath.Base(f), out.String())
	}
}

func TestActionlint(t *testing.T) {
	t.Parallel()
	lint(t, &actionlint.LinterOptions{})
}

// shellcheckPath finds shellcheck. CI installs it (.ci/run) and must have
// it; elsewhere the shell checks are skipped, and `make test` reports the
// skip.
func shellcheckPath(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("shellcheck")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shellcheck is required in CI (.ci/run installs it): %v", err)
		}
		t.Skipf("no shellcheck on PATH (apt-get install shellcheck; brew install shellcheck): %v", err)
	}
	return path
}

// actionlint runs every `run:` script through shellcheck.
func TestActionlintShellcheck(t *testing.T) {
	t.Parallel()
	lint(t, &actionlint.LinterOptions{Shellcheck: shellcheckPath(t)})
}

// The scripts the workflows call pass shellcheck too (all of its checks
// for the workflows' own scripts and the CI entry point; warnings and
// errors for the other CI scripts).
func TestScriptsShellcheck(t *testing.T) {
	t.Parallel()
	sc := shellcheckPath(t)
	scripts, err := filepath.Glob(filepath.Join(root(t), ".github", "scripts", "*.sh"))
	require.NoError(t, err)
	require.NotEmpty(t, scripts)
	ci, err := filepath.Glob(filepath.Join(root(t), ".ci", "*.sh"))
	require.NoError(t, err)
	check := func(f string, args ...string) {
		out, err := exec.Command(sc, append(args, "--shell=bash", f)...).CombinedOutput()
		require.NoError(t, err, "shellcheck %s:\n%s", f, out)
	}
	for _, f := range append(scripts, filepath.Join(root(t), ".ci", "run")) {
		check(f)
	}
	for _, f := range ci {
		check(f, "--severity=warning")
	}
}

// The linters are live: a workflow with a typo in an expression, a job that
// needs a missing job, and an unquoted variable in a script is rejected.
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

	linter, err = actionlint.NewLinter(&bytes.Buffer{}, &actionlint.LinterOptions{Shellcheck: shellcheckPath(t)})
	require.NoError(t, err)
	errs, err = linter.Lint("unquoted.yml", []byte(`on: push
jobs:
  a:
    runs-on: ubuntu-24.04
    steps:
      - run: rm -rf $RUNNER_TEMP/x
`), nil)
	require.NoError(t, err)
	require.NotEmpty(t, errs, "shellcheck SC2086 (unquoted expansion)")
}

// A workflow as far as the house rules care.
type workflow struct {
	On          map[string]any    `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Env         map[string]string `yaml:"env"`
	Jobs        map[string]job    `yaml:"jobs"`
}

type job struct {
	Name        string            `yaml:"name"`
	If          string            `yaml:"if"`
	Needs       []string          `yaml:"needs"`
	RunsOn      string            `yaml:"runs-on"`
	Permissions map[string]string `yaml:"permissions"`
	Environment string            `yaml:"environment"`
	Concurrency *struct {
		Group            string `yaml:"group"`
		CancelInProgress bool   `yaml:"cancel-in-progress"`
	} `yaml:"concurrency"`
	Steps []step `yaml:"steps"`
}

type step struct {
	ID   string            `yaml:"id"`
	Uses string            `yaml:"uses"`
	With map[string]string `yaml:"with"`
	Run  string            `yaml:"run"`
}

// usesAWS reports whether the job assumes an AWS role.
func (j job) usesAWS() bool {
	return slices.ContainsFunc(j.Steps, func(s step) bool {
		return strings.HasPrefix(s.Uses, "aws-actions/configure-aws-credentials@")
	})
}

func (j job) stepsUsing(action string) []step {
	var out []step
	for _, s := range j.Steps {
		if strings.HasPrefix(s.Uses, action+"@") {
			out = append(out, s)
		}
	}
	return out
}

func load(t *testing.T, path string) (workflow, string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var w workflow
	require.NoError(t, yaml.Unmarshal(raw, &w))
	return w, string(raw)
}

func loadNamed(t *testing.T, name string) (workflow, string) {
	t.Helper()
	return load(t, filepath.Join(root(t), ".github", "workflows", name))
}

// An action is pinned by the full commit SHA of a release, with the
// release in a comment: `uses: owner/repo@<40 hex> # vX.Y.Z`. A tag can be
// moved; a commit cannot.
var pinnedUses = regexp.MustCompile(`^\s*(?:- )?uses: ([\w.-]+/[\w.-]+(?:/[\w./-]+)?)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$`)

func TestActionsPinnedBySHA(t *testing.T) {
	t.Parallel()
	type pin struct{ sha, version string }
	pins := map[string]pin{}
	for _, f := range workflowFiles(t) {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		for i, line := range strings.Split(string(raw), "\n") {
			if !regexp.MustCompile(`^\s*(- )?uses:`).MatchString(line) {
				continue
			}
			m := pinnedUses.FindStringSubmatch(line)
			require.NotNil(t, m, "%s:%d: %q is not pinned as `owner/repo@<commit SHA> # vX.Y.Z`", filepath.Base(f), i+1, strings.TrimSpace(line))
			p := pin{m[2], m[3]}
			if prev, ok := pins[m[1]]; ok {
				require.Equal(t, prev, p, "%s:%d: %s is pinned to two different commits or versions", filepath.Base(f), i+1, m[1])
			}
			pins[m[1]] = p
		}
	}
	require.Contains(t, pins, "actions/checkout")
}

func TestHouseRules(t *testing.T) {
	t.Parallel()
	for _, f := range workflowFiles(t) {
		w, raw := load(t, f)
		name := filepath.Base(f)
		require.Equal(t, map[string]string{"contents": "read"}, w.Permissions, "%s: the default token may only read", name)
		require.NotContains(t, raw, "secrets.", "%s: no long-lived secrets; credentials come from OIDC", name)
		require.NotContains(t, raw, "write-all", name)
		for jobName, j := range w.Jobs {
			for _, s := range j.stepsUsing("aws-actions/configure-aws-credentials") {
				require.NotEmpty(t, s.With["role-to-assume"], "%s/%s: AWS access by role, not keys", name, jobName)
				require.NotContains(t, s.With, "aws-access-key-id")
			}
			if j.usesAWS() {
				require.Equal(t, "write", j.Permissions["id-token"], "%s/%s: OIDC needs id-token: write", name, jobName)
				require.NotEqual(t, "write", j.Permissions["issues"], "%s/%s: a job with cloud credentials writes no issues", name, jobName)
			} else {
				require.NotEqual(t, "write", j.Permissions["id-token"], "%s/%s: no OIDC token without a use for it", name, jobName)
			}
			for scope, level := range j.Permissions {
				if level == "write" {
					require.Contains(t, []string{"id-token", "pull-requests", "issues"}, scope, "%s/%s: %s: write", name, jobName, scope)
				}
			}
			for _, s := range j.stepsUsing("actions/checkout") {
				if jobName != "offline-plan" { // its steps belong to the plan gate
					require.Equal(t, "false", s.With["persist-credentials"], "%s/%s: the checkout leaves no token in .git/config", name, jobName)
				}
			}
		}
	}
}

// Jobs that reach the cluster API (every job with AWS credentials runs
// `pulumi`) run where the repository variable says, GitHub-hosted by
// default; the others stay on GitHub's runners.
func TestRunners(t *testing.T) {
	t.Parallel()
	for _, f := range workflowFiles(t) {
		w, _ := load(t, f)
		for name, j := range w.Jobs {
			if j.usesAWS() {
				require.Contains(t, j.RunsOn, "vars.DEPLOY_RUNNER || 'ubuntu-24.04'", "%s/%s: deploy and preview jobs run on the runner that can reach the cluster API", filepath.Base(f), name)
			} else {
				require.Equal(t, "ubuntu-24.04", j.RunsOn, "%s/%s", filepath.Base(f), name)
			}
		}
	}
}

// The Pulumi CLI version comes from one place, .pulumi-version, and is at
// least the SDK's in go.mod (a CLI older than the SDK may not speak its
// protocol).
func TestPulumiVersion(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join(root(t), ".pulumi-version"))
	require.NoError(t, err)
	cli := "v" + strings.TrimSpace(string(raw))
	require.True(t, semver.IsValid(cli), ".pulumi-version holds an exact version, got %q", raw)
	require.Equal(t, semver.Canonical(cli), cli, "an exact X.Y.Z")

	gomod, err := os.ReadFile(filepath.Join(root(t), "go.mod"))
	require.NoError(t, err)
	mf, err := modfile.ParseLax("go.mod", gomod, nil)
	require.NoError(t, err)
	var sdk string
	for _, r := range mf.Require {
		if r.Mod.Path == "github.com/pulumi/pulumi/sdk/v3" {
			sdk = r.Mod.Version
		}
	}
	require.NotEmpty(t, sdk)
	require.GreaterOrEqual(t, semver.Compare(cli, sdk), 0, "the CLI (%s) is at least the SDK (%s)", cli, sdk)

	installs := 0
	for _, f := range workflowFiles(t) {
		w, raw := load(t, f)
		require.NotContains(t, raw, "pulumi-version:", "%s: the CLI version comes from .pulumi-version", filepath.Base(f))
		require.NotContains(t, raw, "PULUMI_VERSION", filepath.Base(f))
		for name, j := range w.Jobs {
			for _, s := range j.stepsUsing("pulumi/actions") {
				installs++
				require.Equal(t, ".pulumi-version", s.With["pulumi-version-file"], "%s/%s", filepath.Base(f), name)
			}
		}
	}
	require.Positive(t, installs)
}

func TestPullRequestWorkflow(t *testing.T) {
	t.Parallel()
	w, raw := loadNamed(t, "pull-request.yml")
	require.Contains(t, w.On, "pull_request")
	require.Contains(t, raw, "bash .ci/run", "lint and tests")
	require.Contains(t, raw, "make bin/plan", "the offline plan needs no credentials")
	require.NotContains(t, raw, "go run ./cmd/plan", "a built binary keeps the plan's exit status; go run reports every failure as 1")
	require.Contains(t, raw, "--baseline", "stateful replacements are gated against the base branch's plan")
	require.Contains(t, raw, "head.repo.full_name == github.repository", "forks get the offline gate only")
	require.NotContains(t, raw, "AWS_PREVIEW_ROLE_PROD", "no pull request may assume prod's preview role")
	require.NotContains(t, raw, "AWS_DEPLOY_ROLE", "pull requests deploy nothing")
	var previews int
	for name, j := range w.Jobs {
		for _, s := range j.stepsUsing("pulumi/actions") {
			previews++
			require.Equal(t, "preview", s.With["command"], name)
			require.Equal(t, "dev", s.With["stack-name"])
			require.Equal(t, "policy", s.With["policyPacks"])
			require.Equal(t, "policy/config/dev.json", s.With["policyPackConfigs"])
			require.Equal(t, "true", s.With["comment-on-pr"])
			require.Equal(t, "true", s.With["diff"])
			require.Empty(t, j.Environment, "a pull-request preview assumes the dev preview role as a pull request")
		}
	}
	require.Equal(t, 1, previews)
}

func TestDeployWorkflow(t *testing.T) {
	t.Parallel()
	w, raw := loadNamed(t, "deploy.yml")
	require.Contains(t, w.On, "push")
	require.NotContains(t, raw, ".ci/run", "deploys rely on the pull-request checks, not a second run of the suite")
	require.NotContains(t, raw, "go test", "deploys rely on the pull-request checks")

	up := func(name, stack string) step {
		j, ok := w.Jobs[name]
		require.True(t, ok, name)
		s := j.stepsUsing("pulumi/actions")
		require.Len(t, s, 1, name)
		require.Equal(t, stack, s[0].With["stack-name"], name)
		require.Equal(t, "policy", s[0].With["policyPacks"], name)
		require.Equal(t, "policy/config/"+stack+".json", s[0].With["policyPackConfigs"], name)
		require.Equal(t, "true", s[0].With["refresh"], name)
		require.NotNil(t, j.Concurrency, name)
		require.Equal(t, "pulumi-up-"+stack, j.Concurrency.Group, "%s: one concurrency group per stack", name)
		require.False(t, j.Concurrency.CancelInProgress, "%s: never cancel an update in flight", name)
		for _, c := range j.stepsUsing("actions/checkout") {
			require.Empty(t, c.With["ref"], "%s: every job checks out the pushed commit (github.sha)", name)
		}
		return s[0]
	}

	dev := up("dev", "dev")
	require.Equal(t, "up", dev.With["command"])
	require.Equal(t, "dev", w.Jobs["dev"].Environment)
	require.Equal(t, []string{"build"}, w.Jobs["dev"].Needs)

	// prod: a preview of this commit saved as a plan, then, after the
	// approval, an update constrained to it.
	preview := up("prod-preview", "prod")
	require.Equal(t, "preview", preview.With["command"])
	require.Equal(t, "prod-preview", w.Jobs["prod-preview"].Environment, "the prod preview role is assumed from its protected environment")
	require.Equal(t, []string{"dev"}, w.Jobs["prod-preview"].Needs, "prod only after dev")
	require.Equal(t, "${{ runner.temp }}/prod-plan.json", preview.With["plan"], "pulumi preview --save-plan")
	require.Equal(t, "true", preview.With["comment-on-summary"], "the approver sees the preview in the run's summary")
	uploads := w.Jobs["prod-preview"].stepsUsing("actions/upload-artifact")
	require.Len(t, uploads, 1)
	require.Equal(t, "prod-plan", uploads[0].With["name"])

	apply := up("prod", "prod")
	require.Equal(t, "up", apply.With["command"])
	require.Equal(t, "prod", w.Jobs["prod"].Environment, "prod has required reviewers")
	require.Equal(t, []string{"prod-preview"}, w.Jobs["prod"].Needs)
	downloads := w.Jobs["prod"].stepsUsing("actions/download-artifact")
	require.Len(t, downloads, 1)
	require.Equal(t, "prod-plan", downloads[0].With["name"])
	require.Equal(t, "${{ vars.PROD_UPDATE_PLAN != 'off' && format('{0}/prod-plan.json', runner.temp) || '' }}", apply.With["plan"], "pulumi up --plan with the previewed plan")
	require.Contains(t, w.Jobs["prod"].Steps[len(w.Jobs["prod"].Steps)-1].Uses, "pulumi/actions@", "the update is the last step")
}

func TestDriftWorkflow(t *testing.T) {
	t.Parallel()
	w, _ := loadNamed(t, "drift.yml")
	require.Contains(t, w.On, "schedule")
	check := w.Jobs["check"]
	var preview string
	for _, s := range check.Steps {
		if strings.Contains(s.Run, "pulumi preview") {
			preview = s.Run
		}
	}
	for _, flag := range []string{"--refresh", "--expect-no-changes", "--json"} {
		require.Contains(t, preview, flag)
	}
	require.Equal(t, "${{ matrix.environment }}", check.Environment, "the preview roles are assumed from their environments")
	require.NotContains(t, check.Permissions, "issues")

	report := w.Jobs["report"]
	require.Equal(t, []string{"check"}, report.Needs)
	require.Equal(t, "always()", report.If, "report drift and failed checks alike")
	require.Equal(t, "write", report.Permissions["issues"])
	require.False(t, report.usesAWS())
	require.Contains(t, report.Steps[len(report.Steps)-1].Run, ".github/scripts/drift-issue.sh")
}
