package parts

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// KeyArgs configures a customer-managed KMS key.
type KeyArgs struct {
	Account     Account // required
	Description string  // required; at least six characters (KMS-07)
	// AliasName is the alias without "alias/"; default PhysicalName(name).
	AliasName string
	// LogGroupNames are the log groups (in the key's account and region)
	// CloudWatch Logs may encrypt with the key: it cannot use a key
	// otherwise, and naming each group keeps the key from serving any other
	// (the AWS CloudWatch Logs guide, "Encrypt log data in CloudWatch Logs
	// using AWS KMS", scopes the statement with
	// kms:EncryptionContext:aws:logs:arn set to the log group's ARN).
	// Default none.
	LogGroupNames []string
	// Statements are extra key-policy statements (e.g. for a service-linked
	// role that must create grants).
	Statements []Statement
	// DeletionWindowInDays is how long a deleted key can still be recovered;
	// default 30, the maximum.
	DeletionWindowInDays int
	// Protect makes the engine refuse to delete or replace the key (prod).
	Protect bool
	Tags    map[string]string
}

// Key is a customer-managed key and its alias.
type Key struct {
	Key   *kms.Key
	Alias *kms.Alias
	ARN   pulumi.StringOutput
}

// NewKey creates a symmetric key with yearly automatic rotation, a key policy
// that keeps the account root in control, and an alias. opts must carry the
// parent.
func NewKey(ctx *pulumi.Context, name string, args KeyArgs, opts ...pulumi.ResourceOption) (*Key, error) {
	if err := args.Account.Validate(); err != nil {
		return nil, fmt.Errorf("key %q: %w", name, err)
	}
	if len(args.Description) < 6 {
		return nil, fmt.Errorf("key %q: description must be at least 6 characters", name)
	}
	window := args.DeletionWindowInDays
	if window == 0 {
		window = 30
	}
	if window < 7 || window > 30 {
		return nil, fmt.Errorf("key %q: deletion window must be between 7 and 30 days, got %d", name, window)
	}
	policy, err := KeyPolicy(args.Account, args.LogGroupNames, args.Statements...).JSON()
	if err != nil {
		return nil, fmt.Errorf("key %q: %w", name, err)
	}
	aliasName := args.AliasName
	if aliasName == "" {
		aliasName = PhysicalName(ctx, name, 250)
	}
	key, err := kms.NewKey(ctx, name, &kms.KeyArgs{
		Description:          pulumi.String(args.Description),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(window),
		KeyUsage:             pulumi.String("ENCRYPT_DECRYPT"),
		Policy:               pulumi.String(policy),
		// A key has no name of its own: its alias is the name it is known by.
		Tags: Tags(aliasName, args.Tags),
	}, append(opts, pulumi.Protect(args.Protect))...)
	if err != nil {
		return nil, fmt.Errorf("key %q: %w", name, err)
	}
	alias, err := kms.NewAlias(ctx, name, &kms.AliasArgs{
		Name:        pulumi.String("alias/" + aliasName),
		TargetKeyId: key.KeyId,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("key %q: alias: %w", name, err)
	}
	return &Key{Key: key, Alias: alias, ARN: key.Arn}, nil
}

// KeyPolicy is a key policy: the account root may administer and use the
// key (so IAM policies can grant use), CloudWatch Logs may use it for the
// named log groups of this account and region, plus extra statements.
func KeyPolicy(a Account, logGroups []string, extra ...Statement) PolicyDocument {
	statements := []Statement{{
		Sid:       "AccountRootAdministers",
		Effect:    Allow,
		Principal: &Principal{AWS: One(a.RootARN())},
		Action:    One("kms:*"),
		Resource:  One("*"),
	}}
	if len(logGroups) > 0 {
		arns := make([]string, len(logGroups))
		for i, g := range logGroups {
			arns[i] = a.ARN("logs", a.Region, "log-group:"+g)
		}
		statements = append(statements, Statement{
			Sid:       "CloudWatchLogsUsesKey",
			Effect:    Allow,
			Principal: &Principal{Service: One(a.ServicePrincipal("logs"))},
			Action:    List("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"),
			Resource:  One("*"),
			Condition: Conditions{
				"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": List(arns...)},
			},
		})
	}
	return Policy(append(statements, extra...)...)
}
