package parts_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/internal/parts"
)

func TestValidateSources(t *testing.T) {
	t.Parallel()
	require.NoError(t, parts.ValidateSources(nil))
	require.NoError(t, parts.ValidateSources(map[string]pulumi.StringInput{
		"eks-nodes": pulumi.String("sg-1"), "bastion": pulumi.String("sg-2"), "a1": pulumi.String("sg-3"),
	}))
	tests := []struct {
		name string
		want string
	}{
		{"EKS", `ingressFrom["EKS"]: source names must be lower-case`},
		{"eks nodes", `ingressFrom["eks nodes"]: source names must be lower-case`},
		{"-x", `ingressFrom["-x"]: source names must be lower-case`},
		{"x-", `ingressFrom["x-"]: source names must be lower-case`},
		{"", `ingressFrom[""]: source names must be lower-case`},
	}
	for _, tt := range tests {
		err := parts.ValidateSources(map[string]pulumi.StringInput{tt.name: pulumi.String("sg-1")})
		require.ErrorContains(t, err, tt.want)
	}
	require.ErrorContains(t, parts.ValidateSources(map[string]pulumi.StringInput{"ok": nil}), `ingressFrom["ok"]: needs a security group ID`)
}
