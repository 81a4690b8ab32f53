package offline_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/offline"
)

const project = "name: demo\nruntime: go\n"

// stackFile writes a project and a stack file and loads them.
func stackFile(t *testing.T, body string) (offline.StackConfig, error) {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte(project), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.dev.yaml"), []byte(body), 0o600))
	return offline.LoadStackConfig(dir, "dev")
}

// A stack file that is not YAML is reported at the line to fix, not where
// the YAML parser's enclosing mapping began.
func TestYAMLErrorsPointAtTheLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, want string
	}{
		{"indentation slip", "config:\n  aws:region: us-east-1\n  demo:network:\n    azCount: 2\n    natMode: single\n   cidr: 10.0.0.0/16\n",
			`Pulumi.dev.yaml:6: not valid YAML`},
		{"tab indentation", "config:\n  aws:region: us-east-1\n  demo:network:\n\tazCount: 2\n",
			`Pulumi.dev.yaml:4: not valid YAML`},
		{"unclosed quote", "config:\n  aws:region: \"us-east-1\n  demo:protect: true\n",
			`Pulumi.dev.yaml:2: not valid YAML`},
		{"key defined twice", "config:\n  aws:region: us-east-1\n  demo:protect: true\n  demo:protect: false\n",
			`Pulumi.dev.yaml:4: not valid YAML (mapping key "demo:protect" already defined at line 3)`},
		{"unclosed flow list", "config:\n  demo:network:\n    availabilityZones: [us-east-1a,\n      us-east-1b\n  demo:protect: true\n",
			`Pulumi.dev.yaml:3: not valid YAML`},
		// A flow list over several lines is fine; the slip after it is
		// what is reported.
		{"slip after a multi-line list", "config:\n  demo:network:\n    availabilityZones: [us-east-1a,\n      us-east-1b]\n    azCount: 2\n   natMode: single\n",
			`Pulumi.dev.yaml:6: not valid YAML`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := stackFile(t, tt.body)
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.want)
		})
	}
}

// A problem the program reports about a key is located where the stack
// file sets it, or at the nearest enclosing key it does set.
func TestProblemsAreLocatedInTheStackFile(t *testing.T) {
	t.Parallel()
	cfg, err := stackFile(t, "config:\n  aws:region: us-east-1\n  demo:network:\n    azCount: two\n    subnetCidrs:\n      data:\n        us-east-1a: 10.0.0.0/24\n  demo:cluster:\n    nodeGroups:\n      - name: general\n        instanceTypes: [t3.large]\n")
	require.NoError(t, err)
	problems := errors.New(strings.Join([]string{
		"invalid stack configuration:",
		"demo:network.azCount: must be a whole number",
		`demo:network.subnetCidrs.data["us-east-1a"]: is outside the VPC`,
		"demo:cluster.nodeGroups[0].instanceTypes[0]: is not offered",
		"demo:cluster.nodeGroups[0].maxSize: is required",
		"demo:cache: something about a key the file does not set",
	}, "\n"))
	got := cfg.Locate(problems).Error()
	require.Contains(t, got, "\nPulumi.dev.yaml:4: demo:network.azCount: must be a whole number\n")
	require.Contains(t, got, "\nPulumi.dev.yaml:7: demo:network.subnetCidrs.data[\"us-east-1a\"]: is outside the VPC\n")
	require.Contains(t, got, "\nPulumi.dev.yaml:11: demo:cluster.nodeGroups[0].instanceTypes[0]: is not offered\n")
	require.Contains(t, got, "\nPulumi.dev.yaml:10: demo:cluster.nodeGroups[0].maxSize: is required\n")
	require.Contains(t, got, "\ndemo:cache: something about a key the file does not set")
	require.ErrorIs(t, cfg.Locate(problems), problems)
}
