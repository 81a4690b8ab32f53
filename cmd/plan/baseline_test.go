package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/harness/plan"
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

func TestBaselineGatesReplacements(t *testing.T) {
	t.Parallel()
	root := offlinetest.RepoRoot(t)
	base := writeBaseline(t, root, "dev")
	rotation := func(s string) string {
		return strings.Replace(s, "    logRetentionDays: 14\n", "    logRetentionDays: 14\n    authTokenVersion: 2\n    authTokenUpdateStrategy: ROTATE\n", 1)
	}
	approvals := filepath.Join(t.TempDir(), "replacements.allow")
	require.NoError(t, os.WriteFile(approvals, []byte("# the AUTH token rotation of docs/operations.md, step 1\n"+
		"--allow-replace urn:pulumi:dev::platform::platform:data:Cache$random:index/randomPassword:RandomPassword::cache-auth-token  rotate the cache AUTH token\n"), 0o600))

	t.Run("no change", func(t *testing.T) {
		t.Parallel()
		code, out, errOut := runPlan(t, "--stack", "dev", "--dir", root, "--baseline", base)
		require.Equal(t, 0, code, errOut)
		require.Contains(t, out, "Replacement gate, against the baseline (0 changes):")
		require.Contains(t, out, "    170 unchanged")
		require.Contains(t, out, "  monthly difference from the baseline: +$0.00")
		require.Regexp(t, `(?m)^PASS: .* Replacement gate: 0 blocking, 0 approved, 0 superseded\.$`, out)
	})
	t.Run("a bigger database changes in place and costs more", func(t *testing.T) {
		t.Parallel()
		dir := changedDev(t, func(s string) string {
			return strings.Replace(s, "instanceClass: db.t4g.micro", "instanceClass: db.t4g.small", 1)
		})
		code, out, errOut := runPlan(t, "--stack", "dev", "--dir", dir, "--baseline", base)
		require.Equal(t, 0, code, errOut)
		require.Regexp(t, `(?m)^ ~   [│ ]  [├└]─ aws:rds:Instance +db +update +\[diff: ~instanceClass\]$`, out, "only what changes, under its parents")
		require.NotRegexp(t, `(?m)^ .*[├└]─ aws:ec2:Vpc `, out, "unchanged subtrees are left out")
		require.Contains(t, out, "  monthly difference from the baseline: +$11.68 (from $179.45 to $234.70)\n    aws:rds:Instance db: $13.98 → $25.66\n")
		require.Regexp(t, `(?m)^    ~ 1 to update$`, out)
	})
	t.Run("a new database name replaces the database", func(t *testing.T) {
		t.Parallel()
		dir := changedDev(t, func(s string) string {
			return strings.Replace(s, "    instanceClass: db.t4g.micro", "    databaseName: shop\n    instanceClass: db.t4g.micro", 1)
		})
		code, out, _ := runPlan(t, "--stack", "dev", "--dir", dir, "--baseline", base)
		require.Equal(t, 1, code)
		require.Contains(t, out, `aws:rds/instance:Instance db would be REPLACED: dbName changed ("app" → "shop")`)
		require.Contains(t, out, "        loses the database and everything in it (a replacement starts empty)")
		require.Regexp(t, `(?m)^ \+-  [│ ]  [├└]─ aws:rds:Instance +db +replace +\[diff: ~dbName\]$`, out)
		require.Contains(t, out, "0 mandatory", "the policy pack has nothing against it; the replacement gate does")
	})
	t.Run("the same change as JSON", func(t *testing.T) {
		t.Parallel()
		dir := changedDev(t, func(s string) string {
			return strings.Replace(s, "    instanceClass: db.t4g.micro", "    databaseName: shop\n    instanceClass: db.t4g.micro", 1)
		})
		code, out, errOut := runPlan(t, "--stack", "dev", "--dir", dir, "--baseline", base, "--json")
		require.Equal(t, 1, code)
		require.Contains(t, errOut, "the replacement gate blocks 1 change(s)")
		var doc plan.Document
		require.NoError(t, json.Unmarshal([]byte(out), &doc))
		require.NotNil(t, doc.Replacements)
		require.False(t, doc.Replacements.Passed)
		require.Len(t, doc.Replacements.Blocking, 1)
		require.Equal(t, "db", doc.Replacements.Blocking[0].Name)
		ops := map[plan.ChangeKind]int{}
		for _, s := range doc.Steps {
			ops[s.Op]++
			if strings.HasSuffix(s.URN, "aws:rds/instance:Instance::db") {
				require.Equal(t, plan.Replace, s.Op)
				require.Equal(t, []string{"dbName"}, s.ReplaceReasons)
				require.Equal(t, "update-replace", s.DetailedDiff["dbName"].Kind)
				require.True(t, s.DetailedDiff["dbName"].InputDiff)
				require.NotNil(t, s.OldState)
				require.Equal(t, "app", s.OldState.Inputs["dbName"])
				require.Equal(t, "shop", s.NewState.Inputs["dbName"])
			}
		}
		require.Equal(t, doc.ChangeSummary, ops)
		require.Positive(t, ops[plan.Same])
	})
	t.Run("a rotation without approval", func(t *testing.T) {
		t.Parallel()
		code, out, _ := runPlan(t, "--stack", "dev", "--dir", changedDev(t, rotation), "--baseline", base)
		require.Equal(t, 1, code)
		require.Contains(t, out, "random:index/randomPassword:RandomPassword cache-auth-token would be REPLACED")
		require.Contains(t, out, "BLOCKED:")
	})
	t.Run("a rotation, approved", func(t *testing.T) {
		t.Parallel()
		code, out, errOut := runPlan(t, "--stack", "dev", "--dir", changedDev(t, rotation), "--baseline", base, "--approvals", approvals)
		require.Equal(t, 0, code, errOut)
		require.Contains(t, out, "  approved:\n    random:index/randomPassword:RandomPassword cache-auth-token would be REPLACED")
		require.Contains(t, out, "approved at "+approvals+":2: rotate the cache AUTH token")
	})
	t.Run("an approval that matches nothing", func(t *testing.T) {
		t.Parallel()
		code, out, errOut := runPlan(t, "--stack", "dev", "--dir", root, "--baseline", base, "--approvals", approvals)
		require.Equal(t, 0, code, errOut)
		require.Contains(t, out, "warning: the approval at "+approvals+":2 (replace urn:pulumi:dev::platform::platform:data:Cache$random:index/randomPassword:RandomPassword::cache-auth-token) matches no replacement or deletion: remove it")
	})
	t.Run("a baseline of another stack", func(t *testing.T) {
		t.Parallel()
		code, _, errOut := runPlan(t, "--stack", "prod", "--dir", root, "--baseline", base)
		require.Equal(t, 2, code)
		require.Contains(t, errOut, "baseline is a plan of platform/dev, not of platform/prod")
	})
	t.Run("not a plan", func(t *testing.T) {
		t.Parallel()
		bad := filepath.Join(t.TempDir(), "bad.json")
		require.NoError(t, os.WriteFile(bad, []byte(`{"hello": "world"}`), 0o600))
		code, out, errOut := runPlan(t, "--stack", "dev", "--dir", root, "--baseline", bad)
		require.Equal(t, 2, code)
		require.Empty(t, out)
		require.Contains(t, errOut, "not a JSON plan")
	})
	t.Run("a malformed approvals file", func(t *testing.T) {
		t.Parallel()
		bad := filepath.Join(t.TempDir(), "bad.allow")
		require.NoError(t, os.WriteFile(bad, []byte("--allow-replace urn:pulumi:dev::platform::a:b:C::x\n"), 0o600))
		code, out, errOut := runPlan(t, "--stack", "dev", "--dir", root, "--baseline", base, "--approvals", bad)
		require.Equal(t, 2, code)
		require.Empty(t, out)
		require.Contains(t, errOut, "bad.allow:1: say why after the URN")
	})
}

// A baseline in the plan's format before the preview-shaped document was
// planned as an identity no stack lists: it is refused with what to do,
// never compared.
func TestBaselineInThePreviousFormatIsRefused(t *testing.T) {
	t.Parallel()
	old := filepath.Join(t.TempDir(), "old.json")
	require.NoError(t, os.WriteFile(old, []byte(`{"project": "platform", "stack": "dev", "resources": []}`), 0o600))
	code, out, errOut := runPlan(t, "--stack", "dev", "--dir", offlinetest.RepoRoot(t), "--baseline", old)
	require.Equal(t, 2, code)
	require.Empty(t, out)
	require.Contains(t, errOut, "in the plan's format before the preview-shaped document: regenerate it")
}
