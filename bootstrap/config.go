package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/acme/platform/internal/check"
)

// Config is the bootstrap stack's configuration (Pulumi.<account>.yaml).
// Every key lives in the project's namespace, "platform-bootstrap:".
type Config struct {
	// GitHub is the repository whose workflows assume the roles; required.
	GitHub GitHub `json:"github"`
	// State configures the state bucket and the secrets-provider key.
	State State `json:"state"`
	// Platform names the platform project and its stacks; required.
	Platform Platform `json:"platform"`
	// Protect makes the engine refuse to delete the bucket and the keys;
	// default true. (Deleting the state bucket loses every stack's state.)
	Protect bool `json:"protect"`
}

// GitHub identifies the repository and the account's GitHub OIDC provider.
type GitHub struct {
	// Repository is "<owner>/<name>"; required. It is compared exactly with
	// the repository in the OIDC token's sub claim.
	Repository string `json:"repository"`
	// OIDCProviderARN is the account's existing provider for
	// token.actions.githubusercontent.com; default "" creates one. IAM
	// refuses a second provider with the same URL, so an account that
	// already has one must name it here.
	OIDCProviderARN string `json:"oidcProviderArn"`
}

// State configures where Pulumi keeps state and how it encrypts secrets.
type State struct {
	// BucketName is the state bucket's name; default
	// "<project>-pulumi-state-<account ID>-<region>" (globally unique).
	BucketName string `json:"bucketName"`
	// NoncurrentVersionDays is how long an overwritten or deleted state file
	// stays recoverable; default 90. Every `pulumi up` writes the checkpoint
	// many times, so old versions must expire.
	NoncurrentVersionDays int `json:"noncurrentVersionDays"`
	// SecretsKeyAlias is the alias of the secrets-provider key, without
	// "alias/"; default "<project>-pulumi-secrets".
	SecretsKeyAlias string `json:"secretsKeyAlias"`
}

// Platform names the platform project whose stacks the roles deploy.
type Platform struct {
	// Project is the platform's Pulumi project name (its Pulumi.yaml
	// `name`); default "platform". State paths and resource-name prefixes
	// derive from it.
	Project string `json:"project"`
	// Stacks are the platform's stacks; required, at least one.
	Stacks []Stack `json:"stacks"`
}

// Stack is one platform stack and the GitHub contexts that may act on it.
type Stack struct {
	// Name is the stack name (dev, prod); required.
	Name string `json:"name"`
	// EnvironmentTag is the value of the Environment tag the stack puts on
	// its resources (aws:defaultTags in Pulumi.<stack>.yaml); default Name.
	// The deploy role may change only resources that carry it (or none).
	EnvironmentTag string `json:"environmentTag"`
	// Regions are the regions the stack deploys to: its aws:region and, if
	// set, its platform:backup.drRegion; required.
	Regions []string `json:"regions"`
	// DeployEnvironment is the GitHub environment whose jobs may assume the
	// deploy role; default Name. Give it required reviewers (prod) and a
	// deployment-branch rule (main).
	DeployEnvironment string `json:"deployEnvironment"`
	// PreviewEnvironment is a GitHub environment whose jobs may assume the
	// preview role (the deploy workflow's preview, the drift check); default
	// Name+"-preview". Restrict its deployment branches to main.
	PreviewEnvironment string `json:"previewEnvironment"`
	// PreviewPullRequests lets pull-request jobs of this repository (any
	// branch, not forks) assume the preview role; default false.
	PreviewPullRequests bool `json:"previewPullRequests"`
	// Protected marks a stack whose preview role must not be reachable from
	// pull requests (its state holds production secrets that the preview
	// role can decrypt); default false.
	Protected bool `json:"protected"`
}

// DefaultConfig returns the defaults that need no account information.
func DefaultConfig() Config {
	return Config{
		State:    State{NoncurrentVersionDays: 90},
		Platform: Platform{Project: "platform"},
		Protect:  true,
	}
}

// withDefaults fills what derives from other fields and the account. The
// result is a copy.
func (c Config) withDefaults(accountID, region string) Config {
	out := c
	if out.State.BucketName == "" {
		out.State.BucketName = fmt.Sprintf("%s-pulumi-state-%s-%s", out.Platform.Project, accountID, region)
	}
	if out.State.SecretsKeyAlias == "" {
		out.State.SecretsKeyAlias = out.Platform.Project + "-pulumi-secrets"
	}
	out.Platform.Stacks = slices.Clone(c.Platform.Stacks)
	for i, s := range out.Platform.Stacks {
		if s.EnvironmentTag == "" {
			s.EnvironmentTag = s.Name
		}
		if s.DeployEnvironment == "" {
			s.DeployEnvironment = s.Name
		}
		if s.PreviewEnvironment == "" {
			s.PreviewEnvironment = s.Name + "-preview"
		}
		out.Platform.Stacks[i] = s
	}
	return out
}

var (
	// GitHub owner and repository names: letters, digits, hyphens (owner),
	// plus dots and underscores (repository).
	repositoryPattern = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$`)
	// Environment names that need no quoting in a sub claim or a workflow.
	environmentPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,255}$`)
	stackPattern       = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,30}$`)
	projectPattern     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,30}$`)
	regionPattern      = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$`)
	aliasPattern       = regexp.MustCompile(`^[A-Za-z0-9/_-]{1,200}$`)
	oidcARNPattern     = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:oidc-provider/token\.actions\.githubusercontent\.com$`)
	tagValuePattern    = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$`)
	// S3 general purpose bucket names: 3-63 lower-case letters, digits,
	// hyphens and dots, starting and ending with a letter or digit
	// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
	bucketPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
)

// Validate reports every problem at once, each under its field path.
func (c Config) Validate() error {
	var p check.Problems
	if !repositoryPattern.MatchString(c.GitHub.Repository) {
		p.Addf("github.repository", `must be "<owner>/<name>" as GitHub spells it, got %q`, c.GitHub.Repository)
	}
	if c.GitHub.OIDCProviderARN != "" && !oidcARNPattern.MatchString(c.GitHub.OIDCProviderARN) {
		p.Addf("github.oidcProviderArn", `must be the ARN of the account's token.actions.githubusercontent.com provider, or empty to create one; got %q`, c.GitHub.OIDCProviderARN)
	}
	if n := c.State.BucketName; n != "" && (!bucketPattern.MatchString(n) || strings.Contains(n, "..")) {
		p.Addf("state.bucketName", "must be 3-63 lower-case letters, digits, hyphens and dots, starting and ending with a letter or digit; got %q", n)
	}
	p.Between("state.noncurrentVersionDays", c.State.NoncurrentVersionDays, 1, 3650)
	if a := c.State.SecretsKeyAlias; a != "" && (!aliasPattern.MatchString(a) || strings.HasPrefix(a, "aws/")) {
		p.Addf("state.secretsKeyAlias", `must be letters, digits, "/", "_" and "-" without the "alias/" prefix, not starting with "aws/"; got %q`, a)
	}
	if !projectPattern.MatchString(c.Platform.Project) {
		p.Addf("platform.project", "must be the platform's Pulumi project name (lower-case letters, digits, hyphens), got %q", c.Platform.Project)
	}
	if len(c.Platform.Stacks) == 0 {
		p.Addf("platform.stacks", "must list at least one stack (dev, prod)")
	}
	names, deployEnvs := map[string]bool{}, map[string]string{}
	for i, s := range c.Platform.Stacks {
		path := fmt.Sprintf("platform.stacks[%d]", i)
		p.Merge(path, s.validate())
		if names[s.Name] {
			p.Addf(path+".name", "%q is listed twice", s.Name)
		}
		names[s.Name] = true
		if n := previewRoleName(c.Platform.Project, s.Name); len(n) > 64 {
			p.Addf(path+".name", "makes the role name %q longer than IAM's 64 characters; shorten the stack or platform.project name", n)
		}
		if s.DeployEnvironment != "" {
			if other, ok := deployEnvs[s.DeployEnvironment]; ok {
				p.Addf(path+".deployEnvironment", "%q is already the deploy environment of stack %q: each stack needs its own, or one approval deploys both", s.DeployEnvironment, other)
			}
			deployEnvs[s.DeployEnvironment] = s.Name
		}
	}
	for i, s := range c.Platform.Stacks {
		// A preview environment that is another stack's deploy environment
		// would let that stack's deployers read this one.
		if other, ok := deployEnvs[s.PreviewEnvironment]; ok && s.PreviewEnvironment != "" {
			p.Addf(fmt.Sprintf("platform.stacks[%d].previewEnvironment", i), "%q is the deploy environment of stack %q; use an environment of its own (e.g. %q)", s.PreviewEnvironment, other, s.Name+"-preview")
		}
	}
	return p.Err()
}

func (s Stack) validate() error {
	var p check.Problems
	if !stackPattern.MatchString(s.Name) {
		p.Addf("name", "must be a stack name (lower-case letters, digits, hyphens; at most 31 characters), got %q", s.Name)
	}
	if s.EnvironmentTag != "" && !tagValuePattern.MatchString(s.EnvironmentTag) {
		p.Addf("environmentTag", "must be a valid tag value (the stack's aws:defaultTags Environment), got %q", s.EnvironmentTag)
	}
	if len(s.Regions) == 0 {
		p.Addf("regions", "must list the stack's aws:region (and its platform:backup.drRegion, if set)")
	}
	seen := map[string]bool{}
	for j, r := range s.Regions {
		if !regionPattern.MatchString(r) {
			p.Addf(fmt.Sprintf("regions[%d]", j), "must be an AWS region such as us-east-1, got %q", r)
		}
		if seen[r] {
			p.Addf(fmt.Sprintf("regions[%d]", j), "%q is listed twice", r)
		}
		seen[r] = true
	}
	for _, e := range []struct{ path, v string }{{"deployEnvironment", s.DeployEnvironment}, {"previewEnvironment", s.PreviewEnvironment}} {
		if e.v != "" && !environmentPattern.MatchString(e.v) {
			p.Addf(e.path, "must be a GitHub environment name of letters, digits, '.', '_' and '-', got %q", e.v)
		}
	}
	if s.DeployEnvironment != "" && s.DeployEnvironment == s.PreviewEnvironment {
		p.Addf("previewEnvironment", "must differ from deployEnvironment (%q): the preview role is for jobs that must not deploy", s.DeployEnvironment)
	}
	if s.Protected && s.PreviewPullRequests {
		p.Addf("previewPullRequests", "must be false for a protected stack: any branch's pull request could then read its state and decrypt its secrets; preview it from previewEnvironment (main only) instead")
	}
	return p.Err()
}

// loadConfig reads the stack configuration: defaults first, each key decoded
// strictly over them. Every problem names its key
// ("platform-bootstrap:platform.stacks[1].regions"). The caller applies the
// defaults that need the account (withDefaults) and validates the result.
func loadConfig(ctx *pulumi.Context) (Config, error) {
	cfg := DefaultConfig()
	var p check.Problems
	ns := ctx.Project()
	objects := []struct {
		key    string
		into   any
		fields []string
	}{
		{"github", &cfg.GitHub, []string{"repository", "oidcProviderArn"}},
		{"state", &cfg.State, []string{"bucketName", "noncurrentVersionDays", "secretsKeyAlias"}},
		{"platform", &cfg.Platform, []string{"project", "stacks"}},
	}
	for _, o := range objects {
		raw, err := config.Try(ctx, o.key)
		if errors.Is(err, config.ErrMissingVar) {
			continue
		}
		if err != nil {
			p.Addf(ns+":"+o.key, "%s", err.Error())
			continue
		}
		p.Merge(ns+":"+o.key, decodeStrict([]byte(raw), o.into, o.fields))
	}
	if raw, err := config.Try(ctx, "protect"); err == nil {
		v, perr := strconv.ParseBool(strings.TrimSpace(raw))
		if perr != nil {
			p.Addf(ns+":protect", "must be true or false, got %q", raw)
		}
		cfg.Protect = v
	} else if !errors.Is(err, config.ErrMissingVar) {
		p.Addf(ns+":protect", "%s", err.Error())
	}
	return cfg, p.Err()
}

// stackFields are the keys of one platform.stacks entry.
var stackFields = []string{"name", "environmentTag", "regions", "deployEnvironment", "previewEnvironment", "previewPullRequests", "protected"}

// decodeStrict decodes a JSON object over the defaults in out. encoding/json
// matches names case-insensitively and ignores unknown ones; config keys are
// exact, so every key is checked first against the known ones (fields, and
// stackFields inside "stacks").
func decodeStrict(data []byte, out any, fields []string) error {
	var p check.Problems
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return &check.FieldError{Message: "must be an object (a YAML mapping): " + err.Error()}
	}
	for k, v := range top {
		if !slices.Contains(fields, k) {
			p.Addf(k, "unknown field; allowed: %s", strings.Join(fields, ", "))
			continue
		}
		if k != "stacks" {
			continue
		}
		var entries []map[string]json.RawMessage
		if err := json.Unmarshal(v, &entries); err != nil {
			continue // reported by the typed decode below
		}
		for i, e := range entries {
			for f := range e {
				if !slices.Contains(stackFields, f) {
					p.Addf(fmt.Sprintf("stacks[%d].%s", i, f), "unknown field; allowed: %s", strings.Join(stackFields, ", "))
				}
			}
		}
	}
	if p.Len() > 0 {
		return p.Err()
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(out); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return &check.FieldError{Path: te.Field, Message: fmt.Sprintf("must be %s, got %s", te.Type, te.Value)}
		}
		return &check.FieldError{Message: err.Error()}
	}
	return nil
}
