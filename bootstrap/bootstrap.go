package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/acme/platform/internal/check"
	"github.com/acme/platform/internal/parts"
)

// Session lengths. A prod `pulumi up` that creates the cluster, a Multi-AZ
// database and a clustered broker runs well past the one-hour default, and
// AssumeRoleWithWebIdentity cannot outlast the role's maximum.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html (DurationSeconds)
const (
	deploySessionSeconds  = 4 * 3600
	previewSessionSeconds = 3600
)

// Role names, "<project>-deploy-<stack>" and "<project>-preview-<stack>" (the
// names the platform's stack files show); IAM role names have at most 64
// characters.
func deployRoleName(project, stack string) string  { return project + "-deploy-" + stack }
func previewRoleName(project, stack string) string { return project + "-preview-" + stack }

// VariableSuffix turns a stack name into the suffix of its repository
// variables: "dev" -> "DEV" (AWS_DEPLOY_ROLE_DEV).
func VariableSuffix(stack string) string {
	return strings.ToUpper(strings.ReplaceAll(stack, "-", "_"))
}

// run reads and checks the configuration, creates the resources and exports
// the outputs, which it also returns.
func run(ctx *pulumi.Context) (pulumi.Map, error) {
	cfg, err := loadConfig(ctx)
	if err != nil {
		return nil, err
	}
	acct, err := parts.LookupAccount(ctx)
	if err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults(acct.ID, acct.Region)
	if err := cfg.Validate(); err != nil {
		return nil, namespaced(ctx.Project(), err)
	}
	if err := checkOwnEnvironmentTag(ctx, cfg); err != nil {
		return nil, err
	}
	outputs, err := newBootstrap(ctx, cfg, acct)
	if err != nil {
		return nil, err
	}
	for k, v := range outputs {
		ctx.Export(k, v)
	}
	return outputs, nil
}

// namespaced turns Validate's field paths ("github.repository") into config
// keys ("platform-bootstrap:github.repository").
func namespaced(ns string, err error) error {
	var out []error
	for _, e := range check.Flatten(err) {
		var fe *check.FieldError
		if errors.As(e, &fe) {
			out = append(out, &check.FieldError{Path: ns + ":" + fe.Path, Message: fe.Message})
			continue
		}
		out = append(out, e)
	}
	return errors.Join(out...)
}

// checkOwnEnvironmentTag refuses a bootstrap whose own Environment tag (from
// aws:defaultTags) equals a platform stack's: that stack's deploy role could
// then change the bootstrap's roles through its tag-scoped IAM statements.
func checkOwnEnvironmentTag(ctx *pulumi.Context, cfg Config) error {
	raw, err := config.Try(ctx, "aws:defaultTags")
	if err != nil {
		return nil // no default tags: nothing the stacks' tags could match
	}
	var dt struct {
		Tags map[string]string `json:"tags"`
	}
	if err := json.Unmarshal([]byte(raw), &dt); err != nil {
		return fmt.Errorf("aws:defaultTags: must be {tags: {...}}: %w", err)
	}
	own, ok := dt.Tags[environmentTagKey]
	if !ok {
		return nil
	}
	var p check.Problems
	for i, s := range cfg.Platform.Stacks {
		if s.EnvironmentTag == own {
			p.Addf(fmt.Sprintf("%s:platform.stacks[%d].environmentTag", ctx.Project(), i),
				"%q is also the bootstrap's own Environment tag (aws:defaultTags); give the bootstrap a tag of its own such as \"shared\"", own)
		}
	}
	return p.Err()
}

func newBootstrap(ctx *pulumi.Context, cfg Config, acct parts.Account) (pulumi.Map, error) {
	project := cfg.Platform.Project
	protect := pulumi.Protect(cfg.Protect)
	stateAlias := project + "-pulumi-state"

	stateKey, err := parts.NewKey(ctx, "state-key", parts.KeyArgs{
		Account:     acct,
		Description: "Encrypts the Pulumi state bucket " + cfg.State.BucketName,
		AliasName:   stateAlias,
		Protect:     cfg.Protect,
	})
	if err != nil {
		return nil, fmt.Errorf("bootstrap: %w", err)
	}
	secretsKey, err := parts.NewKey(ctx, "secrets-key", parts.KeyArgs{
		Account:     acct,
		Description: "Pulumi secrets provider of the " + project + " stacks",
		AliasName:   cfg.State.SecretsKeyAlias,
		Protect:     cfg.Protect,
	})
	if err != nil {
		return nil, fmt.Errorf("bootstrap: %w", err)
	}

	bucket, err := newStateBucket(ctx, cfg, acct, stateKey.ARN, protect)
	if err != nil {
		return nil, err
	}

	providerARN := pulumi.String(cfg.GitHub.OIDCProviderARN).ToStringOutput()
	if cfg.GitHub.OIDCProviderARN == "" {
		// IAM verifies token.actions.githubusercontent.com against its own
		// library of trusted root CAs, so no thumbprint is pinned here (the
		// API makes ThumbprintList optional).
		// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html
		provider, err := iam.NewOpenIdConnectProvider(ctx, "github", &iam.OpenIdConnectProviderArgs{
			Url:           pulumi.String(githubIssuerURL),
			ClientIdLists: pulumi.StringArray{pulumi.String(stsAudience)},
			Tags:          parts.Tags(project + "-github-actions"),
		}, protect)
		if err != nil {
			return nil, fmt.Errorf("bootstrap: GitHub OIDC provider: %w", err)
		}
		providerARN = provider.Arn
	}

	var protectedRoles []string
	for _, s := range cfg.Platform.Stacks {
		protectedRoles = append(protectedRoles, deployRoleName(project, s.Name), previewRoleName(project, s.Name))
	}

	outputs := pulumi.Map{
		"PULUMI_BACKEND_URL": bucket.Bucket.ApplyT(func(b string) string {
			return "s3://" + b + "?region=" + acct.Region
		}).(pulumi.StringOutput),
		"PULUMI_KMS_URL": secretsKey.Alias.Name.ApplyT(func(alias string) string {
			return "awskms://" + alias + "?region=" + acct.Region
		}).(pulumi.StringOutput),
		"AWS_REGION": pulumi.String(acct.Region),
	}
	clusterRoles := pulumi.Map{}
	for _, s := range cfg.Platform.Stacks {
		sc := scope{
			Account:          acct,
			Project:          project,
			Stack:            s,
			Bucket:           cfg.State.BucketName,
			ProtectedAliases: []string{stateAlias, cfg.State.SecretsKeyAlias},
			ProtectedRoles:   protectedRoles,
		}
		deploy, preview, err := newStackRoles(ctx, cfg, sc, providerARN, stateKey.ARN, secretsKey.ARN)
		if err != nil {
			return nil, err
		}
		suffix := VariableSuffix(s.Name)
		outputs["AWS_DEPLOY_ROLE_"+suffix] = deploy.Arn
		outputs["AWS_PREVIEW_ROLE_"+suffix] = preview.Arn
		// What Pulumi.<stack>.yaml needs: the deploy role administers the
		// cluster (it runs `pulumi up`), the preview role reads it.
		clusterRoles[s.Name] = pulumi.Map{
			"adminRoleArns":  pulumi.StringArray{deploy.Arn},
			"viewerRoleArns": pulumi.StringArray{preview.Arn},
		}
	}
	outputs["clusterRoles"] = clusterRoles
	return outputs, nil
}

// newStateBucket creates the state bucket: versioned, encrypted with the
// state key (S3 Bucket Keys cut the KMS requests of Pulumi's many small
// writes), public access blocked, ACLs disabled, TLS only, old versions
// expired.
func newStateBucket(ctx *pulumi.Context, cfg Config, acct parts.Account, keyARN pulumi.StringOutput, protect pulumi.ResourceOption) (*s3.BucketV2, error) {
	name := cfg.State.BucketName
	wrap := func(what string, err error) error {
		return fmt.Errorf("bootstrap: state bucket %s: %s: %w", name, what, err)
	}
	bucket, err := s3.NewBucketV2(ctx, "state", &s3.BucketV2Args{
		Bucket:       pulumi.String(name),
		ForceDestroy: pulumi.Bool(false),
		Tags:         parts.Tags(name),
	}, protect)
	if err != nil {
		return nil, wrap("bucket", err)
	}
	versioning, err := s3.NewBucketVersioningV2(ctx, "state-versioning", &s3.BucketVersioningV2Args{
		Bucket: bucket.ID(),
		VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{
			Status: pulumi.String("Enabled"),
		},
	})
	if err != nil {
		return nil, wrap("versioning", err)
	}
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, "state-encryption", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm:   pulumi.String("aws:kms"),
				KmsMasterKeyId: keyARN,
			},
			BucketKeyEnabled: pulumi.Bool(true),
		}},
	}); err != nil {
		return nil, wrap("encryption", err)
	}
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
	publicAccess, err := s3.NewBucketPublicAccessBlock(ctx, "state-public-access", &s3.BucketPublicAccessBlockArgs{
		Bucket:                bucket.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	})
	if err != nil {
		return nil, wrap("public access block", err)
	}
	// BucketOwnerEnforced disables ACLs: the bucket owner owns every object
	// and only policies decide access.
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
	if _, err := s3.NewBucketOwnershipControls(ctx, "state-ownership", &s3.BucketOwnershipControlsArgs{
		Bucket: bucket.ID(),
		Rule: &s3.BucketOwnershipControlsRuleArgs{
			ObjectOwnership: pulumi.String("BucketOwnerEnforced"),
		},
	}); err != nil {
		return nil, wrap("ownership controls", err)
	}
	policy, err := bucketPolicy(acct, name).JSON()
	if err != nil {
		return nil, wrap("policy", err)
	}
	// After the public access block, so that S3 never sees two changes to
	// the bucket's access configuration at once.
	if _, err := s3.NewBucketPolicy(ctx, "state-policy", &s3.BucketPolicyArgs{
		Bucket: bucket.ID(),
		Policy: pulumi.String(policy),
	}, pulumi.DependsOn([]pulumi.Resource{publicAccess})); err != nil {
		return nil, wrap("policy", err)
	}
	// Noncurrent versions (every checkpoint write makes one) expire after
	// noncurrentVersionDays; delete markers left with no versions behind
	// them are removed; abandoned multipart uploads are cleaned up.
	// Lifecycle rules on noncurrent versions need versioning first.
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html
	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, "state-lifecycle", &s3.BucketLifecycleConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{&s3.BucketLifecycleConfigurationV2RuleArgs{
			Id:     pulumi.String("expire-old-state-versions"),
			Status: pulumi.String("Enabled"),
			Filter: &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String(".pulumi/")},
			NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
				NoncurrentDays: pulumi.Int(cfg.State.NoncurrentVersionDays),
			},
			Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{
				ExpiredObjectDeleteMarker: pulumi.Bool(true),
			},
			AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
				DaysAfterInitiation: pulumi.Int(7),
			},
		}},
	}, pulumi.DependsOn([]pulumi.Resource{versioning})); err != nil {
		return nil, wrap("lifecycle", err)
	}
	return bucket, nil
}

// newStackRoles creates one stack's deploy and preview roles with their
// trust and permission policies.
func newStackRoles(ctx *pulumi.Context, cfg Config, sc scope, providerARN, stateKeyARN, secretsKeyARN pulumi.StringOutput) (*iam.Role, *iam.Role, error) {
	s := sc.Stack
	repo := cfg.GitHub.Repository
	wrap := func(what string, err error) error {
		return fmt.Errorf("bootstrap: stack %q: %s: %w", s.Name, what, err)
	}

	// The policies name the keys and the provider, known once they exist.
	render := func(build func(scope) parts.PolicyDocument) pulumi.StringOutput {
		return pulumi.All(stateKeyARN, secretsKeyARN, providerARN).ApplyT(func(v []any) (string, error) {
			c := sc
			c.StateKeyARN, c.SecretsKeyARN, c.GitHubProviderARN = v[0].(string), v[1].(string), v[2].(string)
			return build(c).JSON()
		}).(pulumi.StringOutput)
	}
	trust := func(subjects []string) pulumi.StringOutput {
		return providerARN.ApplyT(func(arn string) (string, error) {
			return trustPolicy(arn, subjects).JSON()
		}).(pulumi.StringOutput)
	}

	deployName := deployRoleName(cfg.Platform.Project, s.Name)
	deploy, err := iam.NewRole(ctx, "deploy-"+s.Name, &iam.RoleArgs{
		Name:               pulumi.String(deployName),
		Description:        pulumi.String(fmt.Sprintf("pulumi up of %s/%s from GitHub environment %q of %s", cfg.Platform.Project, s.Name, s.DeployEnvironment, repo)),
		AssumeRolePolicy:   trust([]string{environmentSubject(repo, s.DeployEnvironment)}),
		MaxSessionDuration: pulumi.Int(deploySessionSeconds),
		Tags:               parts.Tags(deployName),
	})
	if err != nil {
		return nil, nil, wrap("deploy role", err)
	}
	if _, err := iam.NewRolePolicy(ctx, "deploy-"+s.Name, &iam.RolePolicyArgs{
		Role:   deploy.ID(),
		Name:   pulumi.String("deploy-" + s.Name),
		Policy: render(deployPolicy),
	}); err != nil {
		return nil, nil, wrap("deploy policy", err)
	}

	subjects := []string{environmentSubject(repo, s.PreviewEnvironment)}
	if s.PreviewPullRequests {
		subjects = append(subjects, pullRequestSubject(repo))
	}
	previewName := previewRoleName(cfg.Platform.Project, s.Name)
	preview, err := iam.NewRole(ctx, "preview-"+s.Name, &iam.RoleArgs{
		Name:               pulumi.String(previewName),
		Description:        pulumi.String(fmt.Sprintf("pulumi preview of %s/%s (read-only) from %s", cfg.Platform.Project, s.Name, strings.Join(subjects, ", "))),
		AssumeRolePolicy:   trust(subjects),
		MaxSessionDuration: pulumi.Int(previewSessionSeconds),
		Tags:               parts.Tags(previewName),
	})
	if err != nil {
		return nil, nil, wrap("preview role", err)
	}
	if _, err := iam.NewRolePolicy(ctx, "preview-"+s.Name, &iam.RolePolicyArgs{
		Role:   preview.ID(),
		Name:   pulumi.String("preview-" + s.Name),
		Policy: render(previewPolicy),
	}); err != nil {
		return nil, nil, wrap("preview policy", err)
	}
	return deploy, preview, nil
}
