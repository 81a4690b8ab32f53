package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/harness/plan"
	"github.com/acme/platform/internal/parts"
)

// optionalVariables are repository variables the workflows read with a
// fallback; the bootstrap does not set them.
var optionalVariables = []string{"DEPLOY_RUNNER", "PREVIEW_RUNNER", "PROD_UPDATE_PLAN"}

var varsRef = regexp.MustCompile(`vars\.([A-Z][A-Z0-9_]*)`)

// requiredWorkflowVariables lists the repository variables the workflows
// read without a fallback, sorted.
func requiredWorkflowVariables(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(offlinetest.RepoRoot(t), ".github", "workflows", "*.yml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	var out []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range varsRef.FindAllStringSubmatch(string(raw), -1) {
			if !slices.Contains(optionalVariables, m[1]) {
				out = append(out, m[1])
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Each optional variable is only ever read with a fallback.
func TestOptionalVariablesHaveFallbacks(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(offlinetest.RepoRoot(t), ".github", "workflows", "*.yml"))
	require.NoError(t, err)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, v := range optionalVariables {
			uses := regexp.MustCompile(`vars\.`+v+`\b`).FindAllStringIndex(string(raw), -1)
			safe := regexp.MustCompile(`vars\.`+v+`( \|\| | != 'off')`).FindAllStringIndex(string(raw), -1)
			require.Len(t, safe, len(uses), "%s: vars.%s without a fallback", filepath.Base(f), v)
		}
	}
}

// workflowJob is a job as far as its cloud identity goes.
type workflowJob struct {
	Environment string `yaml:"environment"`
	Strategy    struct {
		Matrix map[string]any `yaml:"matrix"`
	} `yaml:"strategy"`
	Steps []struct {
		Uses string            `yaml:"uses"`
		With map[string]string `yaml:"with"`
	} `yaml:"steps"`
}

// matrixRows returns the combinations of a job's matrix as string maps
// (one empty row without a matrix). Only "include" lists and one-key
// lists are used by these workflows.
func matrixRows(t testing.TB, m map[string]any) []map[string]string {
	t.Helper()
	if len(m) == 0 {
		return []map[string]string{{}}
	}
	var rows []map[string]string
	if inc, ok := m["include"].([]any); ok {
		for _, e := range inc {
			row := map[string]string{}
			for k, v := range e.(map[string]any) {
				row[k] = v.(string)
			}
			rows = append(rows, row)
		}
		return rows
	}
	require.Len(t, m, 1, "one matrix key")
	for k, vs := range m {
		for _, v := range vs.([]any) {
			rows = append(rows, map[string]string{k: v.(string)})
		}
	}
	return rows
}

var matrixRef = regexp.MustCompile(`\$\{\{ matrix\.([a-z-]+) \}\}`)

func expand(s string, row map[string]string) string {
	return matrixRef.ReplaceAllStringFunc(s, func(m string) string {
		return row[matrixRef.FindStringSubmatch(m)[1]]
	})
}

var roleVar = regexp.MustCompile(`^\$\{\{ vars\.AWS_(DEPLOY|PREVIEW)_ROLE_([A-Z0-9_]+) \}\}$`)

// Every job that assumes a role does so from a GitHub context that role
// trusts in the shipped bootstrap configuration: a deploy role from its
// stack's deploy environment, a preview role from its preview environment
// or (without one) from a pull request, when the stack allows that.
func TestWorkflowsAssumeRolesFromTrustedContexts(t *testing.T) {
	t.Parallel()
	res := runBootstrap(t, exampleConfig(t))
	trust := map[string]parts.Statement{}
	for _, r := range res.rec.ByType("aws:iam/role:Role") {
		doc := offlinetest.Policy(t, r, "assumeRolePolicy")
		trust[offlinetest.OutputString(t, r, "name")] = doc.Statement[0]
	}
	files, err := filepath.Glob(filepath.Join(offlinetest.RepoRoot(t), ".github", "workflows", "*.yml"))
	require.NoError(t, err)
	assumed := map[string]bool{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		var w struct {
			On   map[string]any         `yaml:"on"`
			Jobs map[string]workflowJob `yaml:"jobs"`
		}
		require.NoError(t, yaml.Unmarshal(raw, &w))
		_, onPullRequest := w.On["pull_request"]
		for name, job := range w.Jobs {
			for _, row := range matrixRows(t, job.Strategy.Matrix) {
				for _, s := range job.Steps {
					if !strings.HasPrefix(s.Uses, "aws-actions/configure-aws-credentials@") {
						continue
					}
					ref := expand(s.With["role-to-assume"], row)
					m := roleVar.FindStringSubmatch(ref)
					require.NotNil(t, m, "%s/%s: role-to-assume %q is not a bootstrap output", filepath.Base(f), name, ref)
					role := "platform-" + strings.ToLower(m[1]) + "-" + strings.ToLower(strings.ReplaceAll(m[2], "_", "-"))
					st, ok := trust[role]
					require.True(t, ok, "%s/%s: no role %s", filepath.Base(f), name, role)
					subjects := st.Condition["StringEquals"]["token.actions.githubusercontent.com:sub"].Strings()
					env := expand(job.Environment, row)
					var sub string
					switch {
					case env != "":
						sub = environmentSubject("acme/platform", env)
					case onPullRequest:
						sub = pullRequestSubject("acme/platform")
					default:
						require.Failf(t, "untrusted context", "%s/%s assumes %s outside an environment and a pull request", filepath.Base(f), name, role)
					}
					require.Contains(t, subjects, sub, "%s/%s (%v): %s does not trust %s", filepath.Base(f), name, row, role, sub)
					assumed[role] = true
				}
			}
		}
	}
	require.Len(t, assumed, len(trust), "every role the bootstrap creates is used by a workflow: %v", assumed)
}

// platformStack is what the roles' scope depends on in a platform stack
// file.
type platformStack struct {
	region, drRegion, environment string
}

func loadPlatformStack(t testing.TB, stack string) platformStack {
	t.Helper()
	cfg := offlinetest.StackConfig(t, stack)
	var tags struct {
		Tags map[string]string `json:"tags"`
	}
	require.NoError(t, json.Unmarshal([]byte(cfg.Values["aws:defaultTags"]), &tags))
	var backup struct {
		DRRegion string `json:"drRegion"`
	}
	if raw, ok := cfg.Values["platform:backup"]; ok {
		require.NoError(t, json.Unmarshal([]byte(raw), &backup))
	}
	return platformStack{region: cfg.Values["aws:region"], drRegion: backup.DRRegion, environment: tags.Tags["Environment"]}
}

// Every bootstrap stack file in the repository describes the platform's
// stacks as their own files do: the regions they deploy to and the
// Environment tag they put on their resources. A mismatch would fail the
// first deploy (region) or let the role touch nothing (tag).
func TestBootstrapStackFilesMatchPlatformStacks(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(bootstrapDir(t), "Pulumi.*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	root := offlinetest.RepoRoot(t)
	project, err := offline.LoadStackConfig(root, "dev")
	require.NoError(t, err)
	for _, f := range files {
		stack := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "Pulumi."), ".yaml")
		cfg, err := offline.LoadStackConfig(bootstrapDir(t), stack)
		require.NoError(t, err)
		var p Platform
		require.NoError(t, json.Unmarshal([]byte(cfg.Values["platform-bootstrap:platform"]), &p), f)
		require.Equal(t, project.Project, p.Project, "%s: platform.project is the platform's project name", f)
		for _, s := range p.Stacks {
			want := loadPlatformStack(t, s.Name)
			regions := []string{want.region}
			if want.drRegion != "" {
				regions = append(regions, want.drRegion)
			}
			require.Equal(t, regions, s.Regions, "%s: %s's regions are Pulumi.%s.yaml's aws:region and backup.drRegion", f, s.Name, s.Name)
			require.Equal(t, want.environment, cmpOr(s.EnvironmentTag, s.Name), "%s: %s's environmentTag is its aws:defaultTags Environment", f, s.Name)
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// The deploy role's scope is written from what the platform registers. The
// offline plans of both stacks keep it honest: every AWS service is one the
// role may use, every EKS cluster, alarm and dashboard carries the name
// prefix the role is limited to, and every managed policy attached is one
// it may attach.
func TestDeployScopeCoversThePlatform(t *testing.T) {
	t.Parallel()
	for _, stack := range []string{"dev", "prod"} {
		res, err := plan.Run(plan.Options{Dir: offlinetest.RepoRoot(t), Stack: stack})
		require.NoError(t, err)
		prefix := "platform-" + stack + "-"
		for _, r := range res.Resources {
			if !strings.HasPrefix(r.Type, "aws:") {
				continue
			}
			svc := iamService(r.Type)
			allowed := slices.Contains(managedServices, svc) || slices.Contains([]string{"iam", "eks", "cloudwatch"}, svc)
			require.True(t, allowed, "%s: %s resources need %s:* in managedServices (bootstrap/policy.go)", stack, r.Type, svc)
			switch r.Type {
			case "aws:eks/cluster:Cluster":
				require.True(t, strings.HasPrefix(offlinetest.Str(t, r, "name"), prefix), r.Name)
			case "aws:cloudwatch/metricAlarm:MetricAlarm":
				require.True(t, strings.HasPrefix(offlinetest.Str(t, r, "name"), prefix), "%s: alarm %s is outside the deploy role's alarm:%s*", stack, r.Name, prefix)
			case "aws:cloudwatch/dashboard:Dashboard":
				require.True(t, strings.HasPrefix(offlinetest.Str(t, r, "dashboardName"), prefix), r.Name)
			case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
				arn := offlinetest.Str(t, r, "policyArn")
				name := strings.TrimPrefix(arn, "arn:aws:iam::aws:policy/")
				require.Contains(t, attachablePolicies, name, "%s: %s attaches %s, which the deploy role may not", stack, r.Name, arn)
			}
		}
	}
}

// iamService maps a Pulumi AWS type to the IAM service prefix its API
// calls use (Pulumi's "cloudwatch" module holds CloudWatch Logs and
// EventBridge resources too; "vpc" resources are EC2 API calls).
func iamService(typ string) string {
	module, rest, _ := strings.Cut(strings.TrimPrefix(typ, "aws:"), "/")
	resource, _, _ := strings.Cut(rest, ":")
	switch {
	case module == "vpc":
		return "ec2"
	case module == "cloudwatch" && strings.HasPrefix(resource, "log"):
		return "logs"
	case module == "cloudwatch" && strings.HasPrefix(resource, "event"):
		return "events"
	}
	return module
}
