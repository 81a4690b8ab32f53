package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/harness/plan"
	"github.com/acme/platform/internal/parts"
	"github.com/acme/platform/policy/pack"
)

// exampleStack is the account whose stack file ships with the bootstrap.
const exampleStack = "acme-main"

func bootstrapDir(t testing.TB) string {
	return filepath.Join(offlinetest.RepoRoot(t), "bootstrap")
}

func exampleConfig(t testing.TB) offline.StackConfig {
	t.Helper()
	cfg, err := offline.LoadStackConfig(bootstrapDir(t), exampleStack)
	require.NoError(t, err)
	return cfg
}

// result is one bootstrap run under mocks.
type result struct {
	rec     *offline.Recorder
	outputs map[string]offlinetest.Output
	cfg     offline.StackConfig
}

func runBootstrap(t testing.TB, cfg offline.StackConfig) result {
	t.Helper()
	res, err := runBootstrapErr(t, cfg)
	require.NoError(t, err)
	return res
}

func runBootstrapErr(t testing.TB, cfg offline.StackConfig) (result, error) {
	t.Helper()
	var outputs pulumi.Map
	var programErr error
	rec, err := offline.Run(cfg, true, func(ctx *pulumi.Context) error {
		outputs, programErr = run(ctx)
		return programErr
	})
	if programErr != nil {
		return result{rec: rec}, programErr
	}
	if err != nil {
		return result{rec: rec}, err
	}
	out := map[string]offlinetest.Output{}
	for k, v := range outputs {
		out[k] = offlinetest.Await(t, pulumi.ToOutput(v))
	}
	return result{rec: rec, outputs: out, cfg: cfg}, nil
}

func TestBootstrapResources(t *testing.T) {
	t.Parallel()
	res := runBootstrap(t, exampleConfig(t))
	require.Equal(t, map[string]int{
		"aws:kms/key:Key":                              2,
		"aws:kms/alias:Alias":                          2,
		"aws:s3/bucketV2:BucketV2":                     1,
		"aws:s3/bucketVersioningV2:BucketVersioningV2": 1,
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": 1,
		"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":                                     1,
		"aws:s3/bucketOwnershipControls:BucketOwnershipControls":                                     1,
		"aws:s3/bucketPolicy:BucketPolicy":                                                           1,
		"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":                       1,
		"aws:iam/openIdConnectProvider:OpenIdConnectProvider":                                        1,
		"aws:iam/role:Role":             4,
		"aws:iam/rolePolicy:RolePolicy": 4,
	}, res.rec.CountByType())
	for _, r := range res.rec.Resources() {
		for k := range r.Inputs {
			_, secret, _ := offline.Get(r.Inputs, string(k))
			require.False(t, secret, "%s %s: %s is secret; the bootstrap holds no secrets, so its state moves between backends as is", r.Type, r.Name, k)
		}
	}
}

func TestStateBucket(t *testing.T) {
	t.Parallel()
	res := runBootstrap(t, exampleConfig(t))
	rec := res.rec
	bucket := offlinetest.Only(t, rec, "aws:s3/bucketV2:BucketV2")
	require.Equal(t, "platform-pulumi-state-123456789012-us-east-1", offlinetest.Str(t, bucket, "bucket"))
	require.True(t, bucket.Protect, "losing the bucket loses every stack's state")
	require.False(t, offlinetest.Bool(t, bucket, "forceDestroy"))

	stateKey := offlinetest.Find(t, rec, "aws:kms/key:Key", "state-key")
	require.True(t, stateKey.Protect)
	require.True(t, offlinetest.Bool(t, stateKey, "enableKeyRotation"))
	sse := offlinetest.Only(t, rec, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2")
	require.Equal(t, "aws:kms", offlinetest.Str(t, sse, "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm"))
	require.Equal(t, offlinetest.OutputString(t, stateKey, "arn"), offlinetest.Str(t, sse, "rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId"), "the customer-managed state key")
	require.True(t, offlinetest.Bool(t, sse, "rules[0].bucketKeyEnabled"))

	versioning := offlinetest.Only(t, rec, "aws:s3/bucketVersioningV2:BucketVersioningV2")
	require.Equal(t, "Enabled", offlinetest.Str(t, versioning, "versioningConfiguration.status"))

	pab := offlinetest.Only(t, rec, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		require.True(t, offlinetest.Bool(t, pab, k), k)
	}
	own := offlinetest.Only(t, rec, "aws:s3/bucketOwnershipControls:BucketOwnershipControls")
	require.Equal(t, "BucketOwnerEnforced", offlinetest.Str(t, own, "rule.objectOwnership"))

	pol := offlinetest.Only(t, rec, "aws:s3/bucketPolicy:BucketPolicy")
	deny := offlinetest.Statement(t, offlinetest.Policy(t, pol, "policy"), "DenyInsecureTransport")
	require.Equal(t, parts.Deny, deny.Effect)
	require.Equal(t, &parts.Principal{Anyone: true}, deny.Principal)
	require.Equal(t, parts.List("s3:*"), deny.Action)
	require.Equal(t, parts.List("arn:aws:s3:::platform-pulumi-state-123456789012-us-east-1", "arn:aws:s3:::platform-pulumi-state-123456789012-us-east-1/*"), deny.Resource)
	require.Equal(t, parts.Conditions{"Bool": {"aws:SecureTransport": parts.List("false")}}, deny.Condition)
	require.Contains(t, pol.Dependencies, pab.URN, "the policy waits for the public access block")

	lc := offlinetest.Only(t, rec, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2")
	require.Equal(t, "Enabled", offlinetest.Str(t, lc, "rules[0].status"))
	require.Equal(t, ".pulumi/", offlinetest.Str(t, lc, "rules[0].filter.prefix"))
	require.EqualValues(t, 90, offlinetest.Num(t, lc, "rules[0].noncurrentVersionExpiration.noncurrentDays"))
	require.True(t, offlinetest.Bool(t, lc, "rules[0].expiration.expiredObjectDeleteMarker"))
	require.EqualValues(t, 7, offlinetest.Num(t, lc, "rules[0].abortIncompleteMultipartUpload.daysAfterInitiation"))
	require.Contains(t, lc.Dependencies, versioning.URN, "noncurrent-version rules need versioning first")

	secretsKey := offlinetest.Find(t, rec, "aws:kms/key:Key", "secrets-key")
	require.True(t, secretsKey.Protect)
	require.True(t, offlinetest.Bool(t, secretsKey, "enableKeyRotation"))
	alias := offlinetest.Find(t, rec, "aws:kms/alias:Alias", "secrets-key")
	require.Equal(t, "alias/platform-pulumi-secrets", offlinetest.Str(t, alias, "name"))
}

func TestGitHubOIDCProvider(t *testing.T) {
	t.Parallel()
	res := runBootstrap(t, exampleConfig(t))
	p := offlinetest.Only(t, res.rec, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")
	require.Equal(t, "https://token.actions.githubusercontent.com", offlinetest.Str(t, p, "url"))
	require.Equal(t, []string{"sts.amazonaws.com"}, offlinetest.Strs(t, p, "clientIdLists"))
	require.True(t, p.Protect)

	// An account that already has the provider names it instead.
	existing := "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
	cfg := exampleConfig(t).With("platform-bootstrap:github", map[string]any{"repository": "acme/platform", "oidcProviderArn": existing})
	res = runBootstrap(t, cfg)
	require.Empty(t, res.rec.ByType("aws:iam/openIdConnectProvider:OpenIdConnectProvider"))
	role := offlinetest.Find(t, res.rec, "aws:iam/role:Role", "deploy-dev")
	require.Equal(t, parts.One(existing), offlinetest.Statement(t, offlinetest.Policy(t, role, "assumeRolePolicy"), "GitHubActions").Principal.Federated)
}

func TestTrustPolicies(t *testing.T) {
	t.Parallel()
	res := runBootstrap(t, exampleConfig(t))
	provider := offlinetest.OutputString(t, offlinetest.Only(t, res.rec, "aws:iam/openIdConnectProvider:OpenIdConnectProvider"), "arn")
	for _, tc := range []struct {
		role, name string
		subjects   []string
		maxSession float64
	}{
		{"deploy-dev", "platform-deploy-dev", []string{"repo:acme/platform:environment:dev"}, 14400},
		{"deploy-prod", "platform-deploy-prod", []string{"repo:acme/platform:environment:prod"}, 14400},
		{"preview-dev", "platform-preview-dev", []string{"repo:acme/platform:environment:dev-preview", "repo:acme/platform:pull_request"}, 3600},
		// prod's preview role: its protected environment only, never a
		// pull request.
		{"preview-prod", "platform-preview-prod", []string{"repo:acme/platform:environment:prod-preview"}, 3600},
	} {
		role := offlinetest.Find(t, res.rec, "aws:iam/role:Role", tc.role)
		require.Equal(t, tc.name, offlinetest.Str(t, role, "name"))
		require.EqualValues(t, tc.maxSession, offlinetest.Num(t, role, "maxSessionDuration"), tc.role)
		trust := offlinetest.Policy(t, role, "assumeRolePolicy")
		require.Len(t, trust.Statement, 1)
		st := trust.Statement[0]
		require.Equal(t, parts.Allow, st.Effect)
		require.Equal(t, &parts.Principal{Federated: parts.One(provider)}, st.Principal)
		require.Equal(t, parts.List("sts:AssumeRoleWithWebIdentity"), st.Action)
		require.Equal(t, parts.Conditions{"StringEquals": {
			"token.actions.githubusercontent.com:aud": parts.List("sts.amazonaws.com"),
			"token.actions.githubusercontent.com:sub": parts.List(tc.subjects...),
		}}, st.Condition, tc.role)
	}
}

// rolePolicy returns the permission policy of a role.
func rolePolicy(t testing.TB, res result, name string) parts.PolicyDocument {
	t.Helper()
	return offlinetest.Policy(t, offlinetest.Find(t, res.rec, "aws:iam/rolePolicy:RolePolicy", name), "policy")
}

// The preview role changes nothing: every action it is allowed is a read
// (Describe, Get, List), a decrypt, or reading the state.
func TestPreviewRoleIsReadOnly(t *testing.T) {
	t.Parallel()
	res := runBootstrap(t, exampleConfig(t))
	for _, stack := range []string{"dev", "prod"} {
		doc := rolePolicy(t, res, "preview-"+stack)
		var actions []string
		for _, st := range doc.Statement {
			require.Equal(t, parts.Allow, st.Effect)
			require.True(t, st.NotAction.IsZero())
			actions = append(actions, st.Action.Strings()...)
		}
		for _, a := range actions {
			_, verb, ok := strings.Cut(a, ":")
			require.True(t, ok, a)
			read := strings.HasPrefix(verb, "Describe") || strings.HasPrefix(verb, "Get") || strings.HasPrefix(verb, "List") || verb == "Decrypt"
			require.True(t, read, "%s: %s is not read-only", stack, a)
		}
		require.Contains(t, actions, "eks:DescribeCluster", "pulumi preview reads the cluster")
		dec := offlinetest.Statement(t, doc, "DecryptSecretsProviderKey")
		require.Equal(t, parts.List("arn:aws:kms:us-east-1:123456789012:key/secrets-key-id"), dec.Resource)
		require.Contains(t, dec.Action.Strings(), "kms:Decrypt")
		state := offlinetest.Statement(t, doc, "ReadThisStacksState")
		require.Equal(t, parts.List(
			"arn:aws:s3:::platform-pulumi-state-123456789012-us-east-1/.pulumi/meta.yaml",
			"arn:aws:s3:::platform-pulumi-state-123456789012-us-east-1/.pulumi/stacks/platform/"+stack+".json*",
		), state.Resource)
		secrets := offlinetest.Statement(t, doc, "ReadThisEnvironmentsSecretValues")
		require.Equal(t, parts.List(stack), secrets.Condition["StringEquals"]["aws:ResourceTag/Environment"], "only its own environment's secrets")
	}
}

func TestDeployRolePermissions(t *testing.T) {
	t.Parallel()
	res := runBootstrap(t, exampleConfig(t))
	const bucket = "arn:aws:s3:::platform-pulumi-state-123456789012-us-east-1"
	for _, tc := range []struct {
		stack   string
		regions []string
	}{{"dev", []string{"us-east-1"}}, {"prod", []string{"us-east-1", "us-west-2"}}} {
		doc := rolePolicy(t, res, "deploy-"+tc.stack)
		for _, st := range doc.Statement {
			if st.Effect == parts.Allow {
				require.NotContains(t, st.Action.Strings(), "*", st.Sid)
				for _, a := range st.Action.Strings() {
					require.NotEqual(t, "iam:*", a, st.Sid)
				}
			}
		}
		services := offlinetest.Statement(t, doc, "ManagePlatformServices")
		require.Equal(t, parts.List(tc.regions...), services.Condition["StringEquals"]["aws:RequestedRegion"])
		eks := offlinetest.Statement(t, doc, "ManageEKSClustersByName")
		require.Contains(t, eks.Resource.Strings(), "arn:aws:eks:us-east-1:123456789012:*/platform-"+tc.stack+"-*")

		state := offlinetest.Statement(t, doc, "WriteThisStacksState")
		require.Equal(t, parts.List(
			bucket+"/.pulumi/stacks/platform/"+tc.stack+".json*",
			bucket+"/.pulumi/history/platform/"+tc.stack+"/*",
			bucket+"/.pulumi/backups/platform/"+tc.stack+"/*",
			bucket+"/.pulumi/locks/organization/platform/"+tc.stack+"/*",
		), state.Resource, "this stack's state only")

		create := offlinetest.Statement(t, doc, "CreateRolesOfThisEnvironment")
		require.Equal(t, parts.Conditions{"StringEquals": {"aws:RequestTag/Environment": parts.List(tc.stack)}}, create.Condition)
		manage := offlinetest.Statement(t, doc, "ManageRolesOfThisEnvironment")
		require.Contains(t, manage.Action.Strings(), "iam:PassRole")
		require.Equal(t, parts.Conditions{"StringEquals": {"aws:ResourceTag/Environment": parts.List(tc.stack)}}, manage.Condition)
		attach := offlinetest.Statement(t, doc, "AttachThePlatformsManagedPolicies")
		require.NotContains(t, attach.Condition["ArnEquals"]["iam:PolicyARN"].Strings(), "arn:aws:iam::aws:policy/AdministratorAccess")
		require.Len(t, attach.Condition["ArnEquals"]["iam:PolicyARN"].Strings(), len(attachablePolicies))

		guard := offlinetest.Statement(t, doc, "DenyOtherEnvironments")
		require.Equal(t, parts.Deny, guard.Effect)
		require.Equal(t, parts.Conditions{
			"Null":            {"aws:ResourceTag/Environment": parts.List("false")},
			"StringNotEquals": {"aws:ResourceTag/Environment": parts.List(tc.stack)},
		}, guard.Condition)
		require.ElementsMatch(t, []string{bucket, bucket + "/*",
			"arn:aws:kms:us-east-1:123456789012:key/state-key-id", "arn:aws:kms:us-east-1:123456789012:key/secrets-key-id"}, guard.NotResource.Strings())

		ids := offlinetest.Statement(t, doc, "DenyBootstrapIdentities")
		require.Contains(t, ids.Resource.Strings(), "arn:aws:iam::123456789012:role/platform-deploy-prod")
		require.Contains(t, ids.Resource.Strings(), "arn:aws:iam::123456789012:role/platform-preview-dev")
		require.Contains(t, ids.Resource.Strings(), offlinetest.OutputString(t, offlinetest.Only(t, res.rec, "aws:iam/openIdConnectProvider:OpenIdConnectProvider"), "arn"))
		keys := offlinetest.Statement(t, doc, "DenyBootstrapKeyAdministration")
		require.Contains(t, keys.NotAction.Strings(), "kms:Decrypt")
		require.NotContains(t, keys.NotAction.Strings(), "kms:PutKeyPolicy")
	}
}

// IAM counts a role's inline policies together, without whitespace, against
// 10,240 characters.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length
func TestPoliciesFitIAMQuota(t *testing.T) {
	t.Parallel()
	res := runBootstrap(t, exampleConfig(t))
	for _, rp := range res.rec.ByType("aws:iam/rolePolicy:RolePolicy") {
		n := len(offlinetest.Str(t, rp, "policy"))
		require.LessOrEqual(t, n, 10240, "%s: %d characters", rp.Name, n)
	}
	for _, r := range res.rec.ByType("aws:iam/role:Role") {
		require.LessOrEqual(t, len(offlinetest.Str(t, r, "assumeRolePolicy")), 2048, "trust policies have 2,048 characters")
	}
}

// The outputs are the workflows' repository variables, named as the
// workflows read them, plus the role ARNs the platform's stack files need.
func TestOutputs(t *testing.T) {
	t.Parallel()
	res := runBootstrap(t, exampleConfig(t))
	deployDev := offlinetest.OutputString(t, offlinetest.Find(t, res.rec, "aws:iam/role:Role", "deploy-dev"), "arn")
	previewProd := offlinetest.OutputString(t, offlinetest.Find(t, res.rec, "aws:iam/role:Role", "preview-prod"), "arn")
	values := map[string]any{}
	for k, o := range res.outputs {
		require.True(t, o.Known, k)
		require.False(t, o.Secret, "%s: nothing the bootstrap exports is secret", k)
		values[k] = o.Value
	}
	require.Equal(t, "s3://platform-pulumi-state-123456789012-us-east-1?region=us-east-1", values["PULUMI_BACKEND_URL"])
	require.Equal(t, "awskms://alias/platform-pulumi-secrets?region=us-east-1", values["PULUMI_KMS_URL"])
	require.Equal(t, "us-east-1", values["AWS_REGION"])
	require.Equal(t, deployDev, values["AWS_DEPLOY_ROLE_DEV"])
	require.Equal(t, previewProd, values["AWS_PREVIEW_ROLE_PROD"])
	roles := values["clusterRoles"].(map[string]any)
	require.Equal(t, []string{deployDev}, roles["dev"].(map[string]any)["adminRoleArns"])
	require.Equal(t, []string{previewProd}, roles["prod"].(map[string]any)["viewerRoleArns"])

	var names []string
	for k := range values {
		if k != "clusterRoles" {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	require.Equal(t, requiredWorkflowVariables(t), names, "every repository variable the workflows need, and nothing else")
}

// deployRoleExceptions are the policy pack's findings the bootstrap accepts,
// each for the same reason: the deploy role administers the platform's
// services (statement ManagePlatformServices), so it holds their service
// wildcards, reads their secrets and decrypts with their keys, bounded by
// the stack's regions, names, tags and explicit denies rather than by
// action (bootstrap/README.md, "What the policy pack says about the deploy
// roles").
var deployRoleExceptions = []string{
	"aws-iam-policy-no-wildcard-grants",
	"aws-iam-policy-no-read-all-secrets",
	"aws-iam-policy-no-decrypt-all-keys",
}

// The policy pack passes the bootstrap as it passes the platform, with
// prod's configuration: nothing but the deploy roles' documented
// exceptions, on their one statement.
func TestPolicyPack(t *testing.T) {
	t.Parallel()
	cfg := exampleConfig(t)
	res := runBootstrap(t, cfg)
	outputs := map[string]plan.Output{}
	for k, o := range res.outputs {
		outputs[k] = plan.Output{Value: o.Value, Secret: o.Secret, Known: o.Known}
	}
	r := &plan.Result{Project: cfg.Project, Stack: cfg.Stack, Resources: res.rec.Resources(), Outputs: outputs, Config: cfg}
	packCfg, err := pack.LoadConfig(filepath.Join(offlinetest.RepoRoot(t), "policy", "config", "prod.json"))
	require.NoError(t, err)
	violations, err := pack.Evaluate(r.AnalyzerResources(), packCfg)
	require.NoError(t, err)
	excepted := map[string]int{}
	for _, v := range violations {
		isDeployPolicy := strings.HasSuffix(v.URN, "aws:iam/rolePolicy:RolePolicy::deploy-dev") || strings.HasSuffix(v.URN, "aws:iam/rolePolicy:RolePolicy::deploy-prod")
		if isDeployPolicy && slices.Contains(deployRoleExceptions, v.Policy) && strings.Contains(v.Message, `statement "ManagePlatformServices"`) {
			excepted[v.Policy]++
			continue
		}
		t.Errorf("%s %s %s: %s", v.Level, v.Policy, v.URN, v.Message)
	}
	for _, p := range deployRoleExceptions {
		require.Equal(t, 2, excepted[p], "%s: an exception nothing needs any more is removed from deployRoleExceptions", p)
	}

	// The gate is live on these resources: a deploy role trusting anyone
	// is refused.
	broken := r.AnalyzerResources()
	for i, ar := range broken {
		if ar.Type == "aws:iam/role:Role" && ar.Name == "deploy-prod" {
			doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}`
			broken[i].Properties = ar.Properties.Set("assumeRolePolicy", property.New(doc))
		}
	}
	violations, err = pack.Evaluate(broken, packCfg)
	require.NoError(t, err)
	var fresh []pack.Violation
	for _, v := range violations {
		if !slices.Contains(deployRoleExceptions, v.Policy) {
			fresh = append(fresh, v)
		}
	}
	require.Len(t, fresh, 1)
	require.Equal(t, "aws-iam-role-trust-restricted", fresh[0].Policy)
	require.Equal(t, pack.Mandatory, fresh[0].Level)
}
