package stacks

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/acme/platform/internal/catalog"
	"github.com/acme/platform/internal/check"
)

// AWSKeys are the configuration keys of the AWS provider (pulumi-aws
// sdk/v6 v6.83.4, go/aws/config/config.go: one getter per key).
var AWSKeys = []string{
	"accessKey", "allowedAccountIds", "assumeRole", "assumeRoleWithWebIdentity", "customCaBundle",
	"defaultTags", "ec2MetadataServiceEndpoint", "ec2MetadataServiceEndpointMode", "endpoints",
	"forbiddenAccountIds", "httpProxy", "httpsProxy", "ignoreTags", "insecure", "maxRetries",
	"noProxy", "profile", "region", "retryMode", "s3UsEast1RegionalEndpoint", "s3UsePathStyle",
	"secretKey", "sharedConfigFiles", "sharedCredentialsFiles", "skipCredentialsValidation",
	"skipMetadataApiCheck", "skipRegionValidation", "skipRequestingAccountId", "stsRegion", "token",
	"tokenBucketRateLimiterCapacity", "useDualstackEndpoint", "useFipsEndpoint",
}

// KubernetesKeys are the configuration keys of the Kubernetes provider
// (pulumi-kubernetes sdk/v4 v4.32.0, go/kubernetes/config/config.go). The
// program builds its own provider from the cluster's kubeconfig; these keys
// configure the default provider, which nothing here uses.
var KubernetesKeys = []string{
	"alwaysRender", "cluster", "clusterIdentifier", "context", "deleteUnreachable",
	"enableConfigMapMutable", "enablePatchForce", "enableReplaceCRD", "enableSecretMutable",
	"enableServerSideApply", "kubeconfig", "namespace", "renderYamlToDirectory",
	"skipUpdateUnreachable", "strictMode", "suppressDeprecationWarnings",
	"suppressHelmHookWarnings", "upsertExistingObjects",
}

// PulumiKeys are the engine's own keys a stack file may set
// ("pulumi:disable-default-providers", Pulumi docs, "Disabling default
// providers").
var PulumiKeys = []string{"disable-default-providers"}

// checkTopLevelKeys requires every key the stack sets to be one something
// reads: a section or scalar of the program (with "did you mean" for near
// misses), or a documented key of the AWS or Kubernetes provider or of the
// engine. A misspelled section would otherwise leave the stack silently on
// its defaults.
func checkTopLevelKeys(p *check.Problems, project string, keys []string) {
	ours := append(slices.Clone(ObjectKeys), ScalarKeys...)
	slices.Sort(ours)
	for _, key := range keys {
		ns, name, found := strings.Cut(key, ":")
		if !found {
			p.Addf(key, "is not a namespaced key; use %s:%s for the program's own settings", project, key)
			continue
		}
		var known []string
		switch ns {
		case project:
			known = ours
		case "aws":
			known = AWSKeys
		case "kubernetes":
			known = KubernetesKeys
		case "pulumi":
			known = PulumiKeys
		default:
			msg := fmt.Sprintf("nothing reads the %q namespace: the program reads %s:*, the providers aws:* and kubernetes:*", ns, project)
			if guess := closest(ns, []string{project, "aws", "kubernetes", "pulumi"}); guess != "" {
				msg = fmt.Sprintf("nothing reads the %q namespace (did you mean %s:%s?)", ns, guess, name)
			}
			p.Addf(key, "%s", msg)
			continue
		}
		if slices.Contains(known, name) {
			continue
		}
		if object, _, flat := strings.Cut(name, "."); flat && ns == project && slices.Contains(ObjectKeys, object) {
			continue // a flat key inside an object, as `pulumi new` writes them
		}
		msg := fmt.Sprintf("unknown key; the %s keys are %s", ns, strings.Join(known, ", "))
		if object, rest, flat := strings.Cut(name, "."); flat && ns == project {
			if guess := closest(object, ObjectKeys); guess != "" {
				msg = fmt.Sprintf("unknown key (did you mean %s:%s.%s?); the %s keys are %s", ns, guess, rest, ns, strings.Join(known, ", "))
			}
		} else if guess := closest(name, known); guess != "" {
			msg = fmt.Sprintf("unknown key (did you mean %s:%s?); the %s keys are %s", ns, guess, ns, strings.Join(known, ", "))
		}
		p.Addf(key, "%s", msg)
	}
}

// maxDefaultTags leaves room, under AWS's 50 tags per resource, for the
// tags the program adds itself (Name, Tier, the Kubernetes and autoscaler
// discovery tags).
const maxDefaultTags = 40

// tagCharsRE are the characters AWS accepts in tag keys and values across
// services ("Tag naming limits and requirements", AWS Tagging Best Practices
// and the Tag Editor user guide: letters, numbers, spaces and _ . : / = + - @).
var tagCharsRE = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// loadAWS reads and checks the AWS provider's keys that the program needs
// too, and refuses credentials written in the stack file.
func loadAWS(ctx *pulumi.Context, p *check.Problems, cfg *Config) {
	aws := config.New(ctx, "aws")
	switch region, err := aws.Try("region"); {
	case errors.Is(err, config.ErrMissingVar):
		p.Addf("aws:region", "is required: every stack names its region (e.g. us-east-1), so a deploy never lands where the deployer's environment happens to point")
	case strings.TrimSpace(region) == "":
		p.Addf("aws:region", "is present but empty: set the stack's region, e.g. us-east-1")
	case !catalog.IsRegion(region):
		msg := fmt.Sprintf("%q is not a region the AWS provider accepts (%s)", region, strings.Join(catalog.Regions, ", "))
		if guess := closest(region, catalog.Regions); guess != "" {
			msg = fmt.Sprintf("%q is not a region the AWS provider accepts (did you mean %q?)", region, guess)
		}
		p.Addf("aws:region", "%s", msg)
	default:
		cfg.Region = region
	}
	for _, k := range []string{"accessKey", "secretKey", "token"} {
		if _, err := aws.Try(k); err == nil && !ctx.IsConfigSecret("aws:"+k) {
			p.Addf("aws:"+k, "holds a credential in plain text in the stack file: remove it, and let the deploy role's OIDC session (or `pulumi config set --secret aws:%s`, never committed) provide it", k)
		}
	}
	cfg.CLI.Profile = aws.Get("profile")
	if raw := aws.Get("assumeRole"); raw != "" {
		var role struct {
			RoleARN string `json:"roleArn"`
		}
		if err := json.Unmarshal([]byte(raw), &role); err != nil || role.RoleARN == "" {
			p.Addf("aws:assumeRole", "must be an object with a roleArn, e.g. {roleArn: arn:aws:iam::123456789012:role/deployer}")
		}
		cfg.CLI.RoleARN = role.RoleARN
	}
	raw, err := aws.Try("defaultTags")
	if errors.Is(err, config.ErrMissingVar) {
		return
	}
	var tags struct {
		Tags map[string]*string `json:"tags"`
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	if err != nil || dec.Decode(&tags) != nil || tags.Tags == nil {
		p.Addf("aws:defaultTags", "must be an object with a tags map, e.g. {tags: {Owner: team, Environment: dev}}")
		return
	}
	if len(tags.Tags) > maxDefaultTags {
		p.Addf("aws:defaultTags.tags", "has %d tags; at most %d, leaving room under AWS's 50 per resource for the tags the platform adds", len(tags.Tags), maxDefaultTags)
	}
	cfg.DefaultTags = map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(tags.Tags)) {
		path := fmt.Sprintf("aws:defaultTags.tags[%q]", k)
		v := tags.Tags[k]
		switch {
		case utf8.RuneCountInString(k) < 1 || utf8.RuneCountInString(k) > 128:
			p.Addf(path, "a tag key is 1 to 128 characters")
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			p.Addf(path, "a tag key must not start with \"aws:\": AWS reserves that prefix")
		case !tagCharsRE.MatchString(k):
			p.Addf(path, "a tag key may hold letters, digits, spaces and _ . : / = + - @ only")
		}
		switch {
		case v == nil:
			p.Addf(path, "is present but empty: give the tag a value, or remove it")
			continue
		case utf8.RuneCountInString(*v) > 256:
			p.Addf(path, "a tag value is at most 256 characters, got %d", utf8.RuneCountInString(*v))
		case !tagCharsRE.MatchString(*v):
			p.Addf(path, "a tag value may hold letters, digits, spaces and _ . : / = + - @ only, got %q", *v)
		}
		cfg.DefaultTags[k] = *v
	}
}
