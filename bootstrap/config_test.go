package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDefaults(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	cfg.GitHub.Repository = "acme/platform"
	cfg.Platform.Stacks = []Stack{{Name: "dev", Regions: []string{"eu-west-1"}}}
	got := cfg.withDefaults("123456789012", "eu-west-1")
	require.NoError(t, got.Validate())
	require.True(t, got.Protect)
	require.Equal(t, "platform-pulumi-state-123456789012-eu-west-1", got.State.BucketName)
	require.Equal(t, "platform-pulumi-secrets", got.State.SecretsKeyAlias)
	require.Equal(t, 90, got.State.NoncurrentVersionDays)
	require.Equal(t, Stack{
		Name: "dev", EnvironmentTag: "dev", Regions: []string{"eu-west-1"},
		DeployEnvironment: "dev", PreviewEnvironment: "dev-preview",
	}, got.Platform.Stacks[0])
	require.Empty(t, cfg.Platform.Stacks[0].DeployEnvironment, "withDefaults works on a copy")
}

// Every bad value is refused before anything is registered, with an error
// that names its key and says what is allowed.
func TestBadConfig(t *testing.T) {
	t.Parallel()
	stacks := func(edit func([]map[string]any)) map[string]any {
		s := []map[string]any{
			{"name": "dev", "regions": []any{"us-east-1"}, "previewEnvironment": "dev-preview", "previewPullRequests": true},
			{"name": "prod", "regions": []any{"us-east-1", "us-west-2"}, "previewEnvironment": "prod-preview", "protected": true},
		}
		edit(s)
		return map[string]any{"project": "platform", "stacks": s}
	}
	for _, tc := range []struct {
		name, key string
		value     any
		want      string
	}{
		{"repository missing", "platform-bootstrap:github", map[string]any{}, "platform-bootstrap:github.repository: must be \"<owner>/<name>\""},
		{"repository without owner", "platform-bootstrap:github", map[string]any{"repository": "platform"}, "platform-bootstrap:github.repository"},
		{"misspelled field", "platform-bootstrap:github", map[string]any{"repo": "acme/platform"}, "platform-bootstrap:github.repo: unknown field; allowed: repository, oidcProviderArn"},
		{"field in the wrong case", "platform-bootstrap:github", map[string]any{"Repository": "acme/platform"}, "platform-bootstrap:github.Repository: unknown field"},
		{"provider of another issuer", "platform-bootstrap:github", map[string]any{"repository": "acme/platform", "oidcProviderArn": "arn:aws:iam::123456789012:oidc-provider/gitlab.com"}, "platform-bootstrap:github.oidcProviderArn"},
		{"bucket name with capitals", "platform-bootstrap:state", map[string]any{"bucketName": "Acme-State"}, "platform-bootstrap:state.bucketName"},
		{"no noncurrent versions kept", "platform-bootstrap:state", map[string]any{"noncurrentVersionDays": 0}, "platform-bootstrap:state.noncurrentVersionDays: must be between 1 and 3650, got 0"},
		{"AWS-reserved alias", "platform-bootstrap:state", map[string]any{"secretsKeyAlias": "aws/pulumi"}, "platform-bootstrap:state.secretsKeyAlias"},
		{"days as a string", "platform-bootstrap:state", map[string]any{"noncurrentVersionDays": "90"}, "platform-bootstrap:state.noncurrentVersionDays: must be int"},
		{"no stacks", "platform-bootstrap:platform", map[string]any{"project": "platform", "stacks": []any{}}, "platform-bootstrap:platform.stacks: must list at least one stack"},
		{"misspelled stack field", "platform-bootstrap:platform", stacks(func(s []map[string]any) { s[0]["region"] = "us-east-1" }), "platform-bootstrap:platform.stacks[0].region: unknown field"},
		{"regions as a string", "platform-bootstrap:platform", stacks(func(s []map[string]any) { s[0]["regions"] = "us-east-1" }), "platform-bootstrap:platform.stacks.regions: must be []string"},
		{"no regions", "platform-bootstrap:platform", stacks(func(s []map[string]any) { s[0]["regions"] = []any{} }), "platform-bootstrap:platform.stacks[0].regions: must list the stack's aws:region"},
		{"not a region", "platform-bootstrap:platform", stacks(func(s []map[string]any) { s[1]["regions"] = []any{"us-east-1", "US West"} }), "platform-bootstrap:platform.stacks[1].regions[1]: must be an AWS region"},
		{"stack twice", "platform-bootstrap:platform", stacks(func(s []map[string]any) { s[1]["name"] = "dev"; s[1]["deployEnvironment"] = "dev2" }), "platform-bootstrap:platform.stacks[1].name: \"dev\" is listed twice"},
		{"shared deploy environment", "platform-bootstrap:platform", stacks(func(s []map[string]any) { s[1]["deployEnvironment"] = "dev" }), "platform-bootstrap:platform.stacks[1].deployEnvironment: \"dev\" is already the deploy environment of stack \"dev\""},
		{"preview from the deploy environment", "platform-bootstrap:platform", stacks(func(s []map[string]any) { s[0]["previewEnvironment"] = "dev" }), "platform-bootstrap:platform.stacks[0].previewEnvironment: must differ from deployEnvironment"},
		{"preview from another stack's deploy environment", "platform-bootstrap:platform", stacks(func(s []map[string]any) { s[0]["previewEnvironment"] = "prod" }), "platform-bootstrap:platform.stacks[0].previewEnvironment: \"prod\" is the deploy environment of stack \"prod\""},
		{"protected stack previewed by pull requests", "platform-bootstrap:platform", stacks(func(s []map[string]any) { s[1]["previewPullRequests"] = true }), "platform-bootstrap:platform.stacks[1].previewPullRequests: must be false for a protected stack"},
		{"environment with a quote", "platform-bootstrap:platform", stacks(func(s []map[string]any) { s[1]["deployEnvironment"] = "prod'" }), "platform-bootstrap:platform.stacks[1].deployEnvironment"},
		{"role name too long", "platform-bootstrap:platform", map[string]any{"project": "a-very-long-platform-project-nam", "stacks": []any{map[string]any{"name": "a-very-long-stack-name-too-long", "regions": []any{"us-east-1"}}}}, "longer than IAM's 64 characters"},
		{"bootstrap tagged like a stack", "aws:defaultTags", map[string]any{"tags": map[string]any{"Environment": "prod", "Owner": "platform-team"}}, "platform-bootstrap:platform.stacks[1].environmentTag: \"prod\" is also the bootstrap's own Environment tag"},
		{"protect not a boolean", "platform-bootstrap:protect", "maybe", "platform-bootstrap:protect: must be true or false"},
		{"not an object", "platform-bootstrap:state", "s3://bucket", "platform-bootstrap:state: must be an object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := runBootstrapErr(t, exampleConfig(t).With(tc.key, tc.value))
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
			require.Empty(t, res.rec.Resources(), "nothing is registered with a bad configuration")
		})
	}
}

// Every problem is reported at once.
func TestBadConfigReportsEverything(t *testing.T) {
	t.Parallel()
	cfg := exampleConfig(t).
		With("platform-bootstrap:github", map[string]any{"repository": "nope"}).
		With("platform-bootstrap:state", map[string]any{"noncurrentVersionDays": -1})
	_, err := runBootstrapErr(t, cfg)
	require.ErrorContains(t, err, "platform-bootstrap:github.repository")
	require.ErrorContains(t, err, "platform-bootstrap:state.noncurrentVersionDays")
}
