package offline_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/offline"
)

func writeProject(t *testing.T, project, stack string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte(project), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.test.yaml"), []byte(stack), 0o600))
	return dir
}

func TestLoadStackConfigMergesProjectDefaultsAndStackValues(t *testing.T) {
	t.Parallel()
	dir := writeProject(t, `
name: demo
runtime: go
config:
  protect:
    type: boolean
    default: false
  retention:
    type: integer
    default: 7
  aws:region:
    value: eu-west-1
`, `
config:
  demo:retention: 30
  aws:region: us-east-1
  demo:network:
    azCount: 2
    endpoints: [sts, ecr.api]
  demo:dbPassword:
    secure: AAABAMZ0bGFrZQ==
  demo:nested:
    user: admin
    password:
      secure: AAABAPnotreal
`)
	cfg, err := offline.LoadStackConfig(dir, "test")
	require.NoError(t, err)
	require.Equal(t, "demo", cfg.Project)
	require.Equal(t, "false", cfg.Values["demo:protect"], "project default")
	require.Equal(t, "30", cfg.Values["demo:retention"], "the stack file wins")
	require.Equal(t, "us-east-1", cfg.Region())
	require.JSONEq(t, `{"azCount":2,"endpoints":["sts","ecr.api"]}`, cfg.Values["demo:network"], "objects are JSON")
	require.Equal(t, offline.SecretPlaceholder, cfg.Values["demo:dbPassword"])
	require.JSONEq(t, `{"user":"admin","password":"`+offline.SecretPlaceholder+`"}`, cfg.Values["demo:nested"])
	require.Equal(t, []string{"demo:dbPassword", "demo:nested"}, cfg.SecretKeys)

	// The program sees them as the engine would hand them over.
	_, err = offline.Run(cfg, true, func(ctx *pulumi.Context) error {
		require.Equal(t, 30, config.GetInt(ctx, "retention"))
		require.True(t, ctx.IsConfigSecret("demo:dbPassword"))
		pw := config.GetSecret(ctx, "dbPassword")
		pw.ApplyT(func(s string) string {
			require.Equal(t, offline.SecretPlaceholder, s)
			return s
		})
		return nil
	})
	require.NoError(t, err)
}

func TestLoadStackConfigErrors(t *testing.T) {
	t.Parallel()
	_, err := offline.LoadStackConfig(t.TempDir(), "dev")
	require.ErrorContains(t, err, "reading project file")

	dir := writeProject(t, "name: demo\n", "config: [unclosed\n")
	_, err = offline.LoadStackConfig(dir, "test")
	require.ErrorContains(t, err, "Pulumi.test.yaml:1: not valid YAML")

	dir = writeProject(t, "runtime: go\n", "config: {}\n")
	_, err = offline.LoadStackConfig(dir, "test")
	require.ErrorContains(t, err, "no project name")

	_, err = offline.LoadStackConfig(dir, "missing")
	require.Error(t, err)
}

func TestWithAndWithoutCopy(t *testing.T) {
	t.Parallel()
	base := offline.StackConfig{Project: "p", Stack: "s", Values: map[string]string{"p:a": "1"}}
	changed := base.With("p:b", map[string]any{"x": 1}).Without("p:a")
	require.Equal(t, "1", base.Values["p:a"], "With and Without do not touch the original")
	require.NotContains(t, changed.Values, "p:a")
	require.JSONEq(t, `{"x":1}`, changed.Values["p:b"])
}

func TestRecorderKeepsWhatWasSent(t *testing.T) {
	t.Parallel()
	cfg := offline.StackConfig{Project: "p", Stack: "s", Values: map[string]string{"aws:region": "eu-west-1"}}
	rec, err := offline.Run(cfg, true, func(ctx *pulumi.Context) error {
		parent := &struct{ pulumi.ResourceState }{}
		if err := ctx.RegisterComponentResource("test:index:Parent", "parent", parent); err != nil {
			return err
		}
		var a struct{ pulumi.CustomResourceState }
		if err := ctx.RegisterResource("aws:ec2/vpc:Vpc", "a", pulumi.Map{
			"cidrBlock": pulumi.String("10.0.0.0/16"),
			"secret":    pulumi.ToSecret(pulumi.String("s3cr3t")),
		}, &a, pulumi.Parent(parent), pulumi.Protect(true), pulumi.IgnoreChanges([]string{"tags"})); err != nil {
			return err
		}
		var b struct{ pulumi.CustomResourceState }
		return ctx.RegisterResource("aws:ec2/subnet:Subnet", "b", pulumi.Map{"vpcId": a.ID()}, &b, pulumi.Parent(parent))
	})
	require.NoError(t, err)

	parent := rec.Find("test:index:Parent", "parent")
	require.Equal(t, "urn:pulumi:s::p::test:index:Parent::parent", parent.URN)
	a := rec.Find("aws:ec2/vpc:Vpc", "a")
	require.Equal(t, "urn:pulumi:s::p::test:index:Parent$aws:ec2/vpc:Vpc::a", a.URN)
	require.Equal(t, parent.URN, a.Parent)
	require.True(t, a.Protect)
	require.Equal(t, []string{"tags"}, a.IgnoreChanges)
	require.Equal(t, "a-id", a.ID)
	require.Equal(t, "arn:aws:ec2:eu-west-1:123456789012:vpc/a-id", a.Outputs["arn"].StringValue())
	v, secret, ok := offline.Get(a.Inputs, "secret")
	require.True(t, ok)
	require.True(t, secret, "secrets stay secret in the record")
	require.Equal(t, "s3cr3t", v.StringValue())

	b := rec.Find("aws:ec2/subnet:Subnet", "b")
	require.Equal(t, []string{a.URN}, b.PropertyDependencies["vpcId"])
	require.Contains(t, b.Dependencies, a.URN, "property dependencies count as dependencies")
	require.Equal(t, []*offline.Resource{a, b}, rec.Children(parent.URN))
	require.Len(t, rec.Descendants(parent.URN), 2)
	require.Equal(t, map[string]int{"test:index:Parent": 1, "aws:ec2/vpc:Vpc": 1, "aws:ec2/subnet:Subnet": 1}, rec.CountByType())
	require.Equal(t, a, rec.ByURN(a.URN))
}

func TestUnknownInvokeFailsLoudly(t *testing.T) {
	t.Parallel()
	cfg := offline.StackConfig{Project: "p", Stack: "s", Values: map[string]string{}}
	_, err := offline.Run(cfg, true, func(ctx *pulumi.Context) error {
		var out map[string]any
		return ctx.Invoke("aws:ec2/getAmi:getAmi", nil, &out)
	})
	require.ErrorContains(t, err, `no mock for invoke "aws:ec2/getAmi:getAmi"`)
}

func TestGetPaths(t *testing.T) {
	t.Parallel()
	m := resource.NewPropertyMapFromMap(map[string]any{
		"tags":   map[string]any{"kubernetes.io/role/elb": "1", "Name": "x"},
		"list":   []any{map[string]any{"a": 1.0}, "two"},
		"nested": map[string]any{"b": []any{"x", "y"}},
	})
	m["secret"] = resource.MakeSecret(resource.NewObjectProperty(resource.NewPropertyMapFromMap(map[string]any{"inner": "v"})))
	m["unknown"] = resource.MakeComputed(resource.NewProperty(""))

	s, ok := offline.GetString(m, `tags["kubernetes.io/role/elb"]`)
	require.True(t, ok)
	require.Equal(t, "1", s)
	n, ok := offline.GetNumber(m, "list[0].a")
	require.True(t, ok)
	require.Equal(t, 1.0, n)
	strs, ok := offline.GetStrings(m, "nested.b")
	require.True(t, ok)
	require.Equal(t, []string{"x", "y"}, strs)
	v, secret, ok := offline.Get(m, "secret.inner")
	require.True(t, ok)
	require.True(t, secret)
	require.Equal(t, "v", v.StringValue())
	_, _, ok = offline.Get(m, "list[5]")
	require.False(t, ok)
	_, _, ok = offline.Get(m, "tags.Missing")
	require.False(t, ok)
	_, ok = offline.GetBool(m, "tags.Name")
	require.False(t, ok, "wrong shape")
	u, _, ok := offline.Get(m, "unknown")
	require.True(t, ok)
	require.True(t, u.IsComputed())
}

// The mock answers as the identity the run assumes: getCallerIdentity
// reports the role's session, getSessionContext its issuer, and the ARNs
// the mock makes are in that account.
func TestRecorderAnswersAsTheAssumedIdentity(t *testing.T) {
	t.Parallel()
	id, err := offline.IdentityFromRole("arn:aws:iam::111122223333:role/ci/platform-deployer-dev", "offline-plan")
	require.NoError(t, err)
	cfg := offline.StackConfig{Project: "p", Stack: "s", Values: map[string]string{"aws:region": "us-east-1"}}
	var caller, issuer map[string]any
	rec, err := offline.Run(cfg, true, func(ctx *pulumi.Context) error {
		if err := ctx.Invoke("aws:index/getCallerIdentity:getCallerIdentity", nil, &caller); err != nil {
			return err
		}
		if err := ctx.Invoke("aws:iam/getSessionContext:getSessionContext", map[string]any{"arn": caller["arn"]}, &issuer); err != nil {
			return err
		}
		var v struct{ pulumi.CustomResourceState }
		return ctx.RegisterResource("aws:ec2/vpc:Vpc", "a", pulumi.Map{"cidrBlock": pulumi.String("10.0.0.0/16")}, &v)
	}, offline.WithIdentity(id))
	require.NoError(t, err)
	require.Equal(t, "111122223333", caller["accountId"])
	require.Equal(t, "arn:aws:sts::111122223333:assumed-role/platform-deployer-dev/offline-plan", caller["arn"])
	require.Regexp(t, `^AROA[0-9A-F]{17}:offline-plan$`, caller["userId"])
	require.Equal(t, "arn:aws:iam::111122223333:role/ci/platform-deployer-dev", issuer["issuerArn"])
	require.Equal(t, "platform-deployer-dev", issuer["issuerName"])
	vpc := rec.Find("aws:ec2/vpc:Vpc", "a")
	require.Equal(t, "arn:aws:ec2:us-east-1:111122223333:vpc/a-id", vpc.Outputs["arn"].StringValue())
	require.Contains(t, vpc.Computed, "arn", "the mock says which of its values it made up")
	require.NotContains(t, vpc.Computed, "cidrBlock")

	for _, bad := range []string{"", "arn:aws:iam::111122223333:user/alice", "arn:aws:iam::1111:role/x", "role/x"} {
		_, err := offline.IdentityFromRole(bad, "s")
		require.ErrorContains(t, err, "is not an IAM role ARN", bad)
	}
}
