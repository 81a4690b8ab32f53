package main

// The command line of the offline plan, driven through run as `go run
// ./cmd/plan` would drive it: what it prints, what it writes as JSON (and
// what it must never write), and its exit status: 0 clean, 1 on a mandatory
// violation, 2 on a configuration or program error naming the key.

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/harness/plan"
)

// runPlan runs the command with args and returns its exit status and output.
func runPlan(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// writeFile writes a file into dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// projectDir returns a temporary directory holding a copy of the real
// Pulumi.yaml and a stack file Pulumi.<stack>.yaml made from the real dev
// stack file with old replaced by new.
func projectDir(t *testing.T, stack, old, replacement string) string {
	t.Helper()
	root := offlinetest.RepoRoot(t)
	dir := t.TempDir()
	project, err := os.ReadFile(filepath.Join(root, "Pulumi.yaml"))
	require.NoError(t, err)
	writeFile(t, dir, "Pulumi.yaml", string(project))
	dev, err := os.ReadFile(filepath.Join(root, "Pulumi.dev.yaml"))
	require.NoError(t, err)
	require.Equal(t, 1, strings.Count(string(dev), old), "Pulumi.dev.yaml holds %q once", old)
	writeFile(t, dir, "Pulumi."+stack+".yaml", strings.Replace(string(dev), old, replacement, 1))
	return dir
}

// The README's first command: the dev plan prints, as `pulumi preview` of a
// new stack would, the tree by parent with preview's short type names and
// markers and each resource's highlights; then the outputs, the counts, the
// estimated duration and monthly cost, the policy verdicts; and exits 0.
func TestRunPrintsTheDevPlan(t *testing.T) {
	t.Parallel()
	code, out, errOut := runPlan(t, "--stack", "dev", "--dir", offlinetest.RepoRoot(t))
	require.Equal(t, 0, code, "stderr: %s", errOut)
	require.Empty(t, errOut)

	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^Previewing update \(dev\), offline: the real program under mocks, no cloud calls, no credentials\.$`),
		regexp.MustCompile(`(?m)^Assumed identity: arn:aws:sts::111122223333:assumed-role/platform-deploy-dev/offline-plan$`),
		regexp.MustCompile(`(?m)^     Type +Name +Plan +Info$`),
		regexp.MustCompile(`(?m)^ \+   pulumi:pulumi:Stack +platform-dev +create$`),
		// Components hang off the stack, their children off them.
		regexp.MustCompile(`(?m)^ \+   [├└]─ platform:network:Vpc +vpc +create$`),
		regexp.MustCompile(`(?m)^ \+   [├└]─ platform:data:Postgres +db +create$`),
		regexp.MustCompile(`(?m)^ \+   │  [├└]─ aws:rds:Instance +db +create +engineVersion=16 instanceClass=db\.t4g\.micro .*multiAz=false storageEncrypted=true backupRetentionPeriod=7 deletionProtection=false$`),
		regexp.MustCompile(`(?m)^ \+   │  [├└]─ aws:elasticache:ReplicationGroup +cache +create +.*transitEncryptionEnabled=true`),
		regexp.MustCompile(`(?m)^ \+   │  [├└]─ aws:ec2:Vpc +vpc +create +cidrBlock=10\.10\.0\.0/16$`),
		// A value known only once another resource exists.
		regexp.MustCompile(`(?m)^ \+   │  [├└]─ aws:vpc:SecurityGroupIngressRule +db-sg-eks-nodes-5432 +create +fromPort=5432 referencedSecurityGroupId=\[unknown\]$`),
		regexp.MustCompile(`(?m)^Outputs:$`),
		regexp.MustCompile(`(?m)^    kubeconfig +: \[secret\]$`),
		regexp.MustCompile(`(?m)^    vpcId +: \[unknown\]$`),
		regexp.MustCompile(`(?m)^    clusterName +: "platform-dev-eks"$`),
		regexp.MustCompile(`(?m)^Resources:\n    \+ 170 to create$`),
		regexp.MustCompile(`(?m)^Resources by type \(169 in all\):$`),
		regexp.MustCompile(`(?m)^ +1  aws:rds:Instance$`),
		regexp.MustCompile(`(?m)^ +6  aws:ec2:Subnet$`),
		regexp.MustCompile(`(?m)^Estimated duration of ` + "`pulumi up`" + ` for a new stack: ≈ \d+ min \(the data requires at least ≈ \d+ min\), along:$`),
		regexp.MustCompile(`(?m)^    ≈ 10 min  aws:eks:Cluster eks$`),
		regexp.MustCompile(`(?m)^Estimated monthly cost: \$\d+\.\d\d to \$\d+\.\d\d \(on-demand list prices, us-east-1, prices as of \d{4}-\d\d-\d\d\)$`),
		regexp.MustCompile(`(?m)^ +\$73\.00  aws:eks:Cluster eks: EKS control plane, standard support: 1 × 730 h × \$0\.1$`),
		regexp.MustCompile(`(?m)^  not included, billed by use:$`),
		regexp.MustCompile(`(?m)^    NAT gateway data processed \(per GB, both directions\)$`),
		regexp.MustCompile(`(?m)^Policy violations, mandatory \(0\):\n  none$`),
		regexp.MustCompile(`(?m)^Policy violations, advisory \(\d+\):$`),
		regexp.MustCompile(`(?m)^PASS: 169 resources, 0 mandatory and \d+ advisory policy violations\.$`),
	} {
		require.Regexp(t, want, out)
	}
	require.NotContains(t, out, "FAIL")
	require.NotRegexp(t, `(?m)^ \+ .*aws:rds/instance:Instance`, out, "the tree shows preview's short type names")
	require.NotContains(t, out, "output<", "unknowns as [unknown], as pulumi preview shows them since v3.163")
}

// secretValues returns every string held inside a secret in the real dev
// plan (random passwords and tokens, secret inputs, secret outputs, the
// kubeconfig), plus the placeholder a `secure:` config value becomes:
// none of them may appear in what the command writes.
func secretValues(t *testing.T) []string {
	t.Helper()
	res, err := plan.Run(plan.Options{Dir: offlinetest.RepoRoot(t), Stack: "dev"})
	require.NoError(t, err)
	seen := map[string]bool{offline.SecretPlaceholder: true}
	var walk func(v resource.PropertyValue, inSecret bool)
	walk = func(v resource.PropertyValue, inSecret bool) {
		switch {
		case v.IsSecret():
			walk(v.SecretValue().Element, true)
		case v.IsOutput():
			walk(v.OutputValue().Element, inSecret || v.OutputValue().Secret)
		case v.IsObject():
			for _, e := range v.ObjectValue() {
				walk(e, inSecret)
			}
		case v.IsArray():
			for _, e := range v.ArrayValue() {
				walk(e, inSecret)
			}
		case v.IsString() && inSecret:
			// Short leaves ("5432", "true") are not credentials and would
			// match innocently elsewhere.
			if len(v.StringValue()) >= 12 {
				seen[v.StringValue()] = true
			}
		}
	}
	passwords := 0
	for _, r := range res.Resources {
		walk(resource.NewProperty(r.Inputs), false)
		walk(resource.NewProperty(r.Outputs), false)
		if r.Type == "random:index/randomPassword:RandomPassword" {
			result := r.Outputs["result"]
			require.True(t, result.IsSecret(), "%s result", r.Name)
			require.True(t, seen[result.SecretValue().Element.StringValue()], "%s result collected", r.Name)
			passwords++
		}
	}
	secretOutputs := 0
	for _, o := range res.Outputs {
		if o.Secret {
			walk(resource.NewPropertyValue(o.Value), true)
			secretOutputs++
		}
	}
	require.Positive(t, secretOutputs, "the kubeconfig output is secret")
	// The check below is only as good as this list: the dev plan draws the
	// role, cache and broker passwords.
	require.GreaterOrEqual(t, passwords, 5)
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	return out
}

// jsonStrings returns every string (keys included) in a decoded JSON value.
func jsonStrings(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, jsonStrings(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for k, e := range t {
			out = append(out, k)
			out = append(out, jsonStrings(e)...)
		}
		return out
	default:
		return nil
	}
}

// --json writes one document in the shape of `pulumi preview --json`,
// with every secret redacted.
func TestRunWritesTheDevPlanAsJSON(t *testing.T) {
	t.Parallel()
	code, out, errOut := runPlan(t, "--stack", "dev", "--dir", offlinetest.RepoRoot(t), "--json")
	require.Equal(t, 0, code, "stderr: %s", errOut)
	require.Empty(t, errOut)

	var doc plan.Document
	require.NoError(t, json.Unmarshal([]byte(out), &doc), "stdout is one JSON document")
	require.True(t, doc.Policy.Passed)
	require.Zero(t, doc.Policy.Mandatory)
	require.Len(t, doc.Diagnostics, doc.Policy.Advisory)
	require.NotEmpty(t, doc.CriticalPath.Steps)
	require.Equal(t, "urn:pulumi:dev::platform::pulumi:pulumi:Stack::platform-dev", doc.Steps[0].URN)
	require.Equal(t, plan.Redacted, doc.Steps[0].NewState.Outputs["kubeconfig"])

	byName := map[string]*apitype.ResourceV3{}
	for _, s := range doc.Steps {
		byName[string(s.NewState.Type)+" "+s.NewState.URN.Name()] = s.NewState
	}
	db, ok := byName["aws:rds/instance:Instance db"]
	require.True(t, ok, "the database is in the document")
	require.Equal(t, true, db.Inputs["storageEncrypted"])
	require.Equal(t, 7.0, db.Inputs["backupRetentionPeriod"])
	require.Equal(t, byName["platform:data:Postgres db"].URN, db.Parent, "resources keep their parent")
	require.NotEmpty(t, db.Dependencies)

	// Credential inputs are there, redacted.
	redacted := []struct{ resource, path string }{
		{"aws:elasticache/replicationGroup:ReplicationGroup cache", "authToken"},
		{"aws:mq/broker:Broker broker", "users.0.password"},
		{"aws:secretsmanager/secretVersion:SecretVersion db-migrator", "secretString"},
		{"aws:secretsmanager/secretVersion:SecretVersion cache-auth", "secretString"},
		{"kubernetes:core/v1:Secret db-bootstrap", "stringData"},
	}
	for _, rd := range redacted {
		r, ok := byName[rd.resource]
		require.True(t, ok, "%s is in the document", rd.resource)
		var v any = r.Inputs
		for _, step := range strings.Split(rd.path, ".") {
			switch c := v.(type) {
			case map[string]any:
				v = c[step]
			case []any:
				require.Equal(t, "0", step)
				require.NotEmpty(t, c)
				v = c[0]
			}
		}
		require.Equal(t, plan.Redacted, v, "%s %s", rd.resource, rd.path)
	}

	// And no secret value appears anywhere, in any form.
	var raw any
	require.NoError(t, json.Unmarshal([]byte(out), &raw))
	secrets := secretValues(t)
	requireNoSecret(t, "the JSON document", out, secrets)
	// Decoded too, in case the encoder escaped a secret's characters.
	for _, s := range jsonStrings(raw) {
		requireNoSecret(t, "a JSON string", s, secrets)
	}
}

// requireNoSecret fails if text holds one of secrets; it shows only the
// start of the secret found, not the whole output.
func requireNoSecret(t *testing.T, where, text string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		i := strings.Index(text, s)
		require.Negativef(t, i, "%s holds a secret value (%.8q...) at byte %d", where, s, i)
	}
}

// The text plan redacts secrets too.
func TestRunPrintsNoSecret(t *testing.T) {
	t.Parallel()
	code, out, errOut := runPlan(t, "--stack", "dev", "--dir", offlinetest.RepoRoot(t))
	require.Equal(t, 0, code, "stderr: %s", errOut)
	requireNoSecret(t, "the text plan", out, secretValues(t))
}

// A mandatory violation exits 1 and says FAIL, whether a policy config
// raises a policy dev violates on purpose, or dev is judged by prod's
// config.
func TestRunExitsOneOnAMandatoryViolation(t *testing.T) {
	t.Parallel()
	root := offlinetest.RepoRoot(t)
	raised := writeFile(t, t.TempDir(), "policy.json", `{"aws-rds-instance-multi-az": "mandatory"}`)
	tests := []struct {
		name         string
		policyConfig string
		json         bool
		mandatory    []string
	}{
		{name: "multi-AZ raised", policyConfig: raised, mandatory: []string{"aws-rds-instance-multi-az"}},
		{name: "multi-AZ raised, JSON", policyConfig: raised, json: true, mandatory: []string{"aws-rds-instance-multi-az"}},
		{name: "prod's config", policyConfig: filepath.Join(root, "policy", "config", "prod.json"), mandatory: []string{
			"aws-backup-plan-cross-region-copy", "aws-backup-plan-minimum-retention", "aws-backup-vault-locked",
			"aws-cloudwatch-loggroup-retention", "aws-elasticache-replicationgroup-automatic-failover",
			"aws-elasticache-replicationgroup-snapshot-retention", "aws-mq-broker-multi-az",
			"aws-rds-instance-backup-retention", "aws-rds-instance-backups-replicated", "aws-rds-instance-deletion-protection",
			"aws-rds-instance-multi-az", "aws-resources-stateful-protected",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := []string{"--stack", "dev", "--dir", root, "--policy-pack-config", tt.policyConfig}
			if tt.json {
				args = append(args, "--json")
			}
			code, out, errOut := runPlan(t, args...)
			require.Equal(t, 1, code, "stderr: %s", errOut)
			require.Empty(t, errOut)
			if tt.json {
				var doc plan.Document
				require.NoError(t, json.Unmarshal([]byte(out), &doc))
				require.False(t, doc.Policy.Passed)
				require.Equal(t, len(tt.mandatory), doc.Policy.Mandatory)
				require.Equal(t, "error", doc.Diagnostics[0].Severity, "a mandatory violation is an error diagnostic")
				require.Contains(t, doc.Diagnostics[0].Message, "mandatory violation: ["+tt.mandatory[0]+"]")
				return
			}
			section := regexp.MustCompile(`(?s)Policy violations, mandatory \(\d+\):\n(.*?)\n\nPolicy violations, advisory`).FindStringSubmatch(out)
			require.Len(t, section, 2, "the mandatory section is printed")
			got := map[string]bool{}
			for _, m := range regexp.MustCompile(`(?m)^  \[([a-z0-9-]+)\] urn:`).FindAllStringSubmatch(section[1], -1) {
				got[m[1]] = true
			}
			want := map[string]bool{}
			for _, p := range tt.mandatory {
				want[p] = true
			}
			require.Equal(t, want, got)
			require.Regexp(t, `(?m)^FAIL: \d+ resources, [1-9]\d* mandatory and \d+ advisory policy violations\.$`, out)
		})
	}
}

// Anything that keeps the plan from being made exits 2 with a message on
// stderr that names what is wrong (for configuration, the key), and prints
// no half plan.
func TestRunExitsTwoOnAConfigOrProgramError(t *testing.T) {
	t.Parallel()
	root := offlinetest.RepoRoot(t)
	policyDir := t.TempDir()
	tests := []struct {
		name string
		args func(t *testing.T) []string
		want []string // fragments of stderr
	}{
		{
			name: "out-of-range value",
			args: func(t *testing.T) []string {
				return []string{"--stack", "broken", "--dir", projectDir(t, "broken", "azCount: 2", "azCount: 9")}
			},
			want: []string{"stack broken", "platform:network.azCount", "9"},
		},
		{
			name: "the problem's line in the stack file",
			args: func(t *testing.T) []string {
				return []string{"--stack", "broken", "--dir", projectDir(t, "broken", "azCount: 2", "azCount: two")}
			},
			want: []string{"Pulumi.broken.yaml:17: platform:network.azCount: must be a whole number, got string \"two\""},
		},
		{
			name: "a YAML slip at its line",
			args: func(t *testing.T) []string {
				return []string{"--stack", "broken", "--dir", projectDir(t, "broken", "azCount: 2", "azCount: 2\n   natGateways: 1")}
			},
			want: []string{"Pulumi.broken.yaml:18: not valid YAML"},
		},
		{
			name: "unknown key",
			args: func(t *testing.T) []string {
				return []string{"--stack", "broken", "--dir", projectDir(t, "broken", "natMode: single", "natMode: single\n    natGateways: 1")}
			},
			want: []string{"platform:network.natGateways"},
		},
		{
			name: "missing stack file",
			args: func(*testing.T) []string { return []string{"--stack", "staging", "--dir", root} },
			want: []string{"Pulumi.staging.yaml"},
		},
		{
			name: "no stack",
			args: func(*testing.T) []string { return []string{"--dir", root} },
			want: []string{"--stack is required"},
		},
		{
			name: "unknown policy in the policy config",
			args: func(t *testing.T) []string {
				return []string{"--stack", "dev", "--dir", root, "--policy-pack-config", writeFile(t, policyDir, "unknown.json", `{"aws-rds-instance-multi-zone": "mandatory"}`)}
			},
			want: []string{"aws-rds-instance-multi-zone"},
		},
		{
			name: "policy config that is not JSON",
			args: func(t *testing.T) []string {
				return []string{"--stack", "dev", "--dir", root, "--policy-pack-config", writeFile(t, policyDir, "broken.json", `{"aws-rds-instance-multi-az": `)}
			},
			want: []string{"policy config", "broken.json"},
		},
		{
			name: "missing policy config",
			args: func(*testing.T) []string {
				return []string{"--stack", "dev", "--dir", root, "--policy-pack-config", filepath.Join(policyDir, "absent.json")}
			},
			want: []string{"absent.json"},
		},
		{
			name: "unknown flag",
			args: func(*testing.T) []string { return []string{"--stack", "dev", "--dir", root, "--bogus"} },
			want: []string{"flag provided but not defined: -bogus"},
		},
		{
			name: "a stray argument",
			args: func(*testing.T) []string { return []string{"--stack", "dev", "--dir", root, "prod"} },
			want: []string{`unexpected argument "prod"`},
		},
		{
			name: "an assumed role that is not a role",
			args: func(*testing.T) []string {
				return []string{"--stack", "dev", "--dir", root, "--assume-role", "arn:aws:iam::111122223333:user/alice"}
			},
			want: []string{"--assume-role", "is not an IAM role ARN"},
		},
		{
			name: "approvals without a baseline",
			args: func(t *testing.T) []string {
				return []string{"--stack", "dev", "--dir", root, "--approvals", writeFile(t, policyDir, "a.allow", "")}
			},
			want: []string{"--approvals needs --baseline"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runPlan(t, tt.args(t)...)
			require.Equal(t, 2, code, "stdout: %s\nstderr: %s", out, errOut)
			require.Empty(t, out, "no plan is printed")
			for _, w := range tt.want {
				require.Contains(t, errOut, w)
			}
		})
	}
}

// -h says what the plan does, its flags, examples and exit codes, on
// stdout, and exits 0.
func TestHelp(t *testing.T) {
	t.Parallel()
	for _, flag := range []string{"-h", "--help"} {
		code, out, errOut := runPlan(t, flag)
		require.Equal(t, 0, code)
		require.Empty(t, errOut)
		for _, want := range []string{
			"Runs the real program", "Usage:", "-stack", "-baseline", "-approvals", "-assume-role", "-json",
			"Examples:", "bin/plan --stack dev", "Exit status:", "  0  ", "  1  ", "  2  ",
		} {
			require.Contains(t, out, want)
		}
	}
}

// The plan runs as the role it is told to assume, and says so; a role the
// cluster does not list is refused, as a real preview as that role would be
// (and another account than the stack files' example one refuses their
// placeholders).
func TestAssumedRole(t *testing.T) {
	t.Parallel()
	code, out, errOut := runPlan(t, "--stack", "dev", "--dir", offlinetest.RepoRoot(t), "--assume-role", "arn:aws:iam::111122223333:role/platform-preview-dev")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "Assumed identity: arn:aws:sts::111122223333:assumed-role/platform-preview-dev/offline-plan\n    (--assume-role;")

	code, _, errOut = runPlan(t, "--stack", "dev", "--dir", offlinetest.RepoRoot(t), "--assume-role", "arn:aws:iam::444455556666:role/ci-preview")
	require.NotEqual(t, 0, code)
	require.Contains(t, errOut, "the caller arn:aws:iam::444455556666:role/ci-preview is neither an admin nor a viewer of the cluster")
	require.Contains(t, errOut, "the AWS documentation's example account")
}
