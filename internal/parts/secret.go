package parts

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// SecretArgs configures a Secrets Manager secret holding a JSON document.
type SecretArgs struct {
	Description string             // required; at least six characters (SM-05)
	KMSKeyARN   pulumi.StringInput // required: a customer-managed key
	// Value is the document to store; it becomes a Pulumi secret whatever it
	// was, so it never reaches the state in plaintext.
	Value pulumi.MapInput
	// RecoveryWindowInDays is how long a deleted secret can be restored;
	// default 30 (the maximum).
	RecoveryWindowInDays int
	Protect              bool
	Tags                 map[string]string
}

// Secret is a secret and its current version.
type Secret struct {
	Secret *secretsmanager.Secret
	ARN    pulumi.StringOutput
}

// NewSecret creates a secret encrypted with a customer-managed key and
// stores Value as its JSON string.
func NewSecret(ctx *pulumi.Context, name string, args SecretArgs, opts ...pulumi.ResourceOption) (*Secret, error) {
	if len(args.Description) < 6 {
		return nil, fmt.Errorf("secret %q: description must be at least 6 characters", name)
	}
	if args.KMSKeyARN == nil || args.Value == nil {
		return nil, fmt.Errorf("secret %q: a KMS key and a value are required", name)
	}
	window := args.RecoveryWindowInDays
	if window == 0 {
		window = 30
	}
	s, err := secretsmanager.NewSecret(ctx, name, &secretsmanager.SecretArgs{
		Description:          pulumi.String(args.Description),
		KmsKeyId:             args.KMSKeyARN,
		RecoveryWindowInDays: pulumi.Int(window),
		Tags:                 TagsFor(ctx, name, args.Tags),
	}, append(opts, pulumi.Protect(args.Protect))...)
	if err != nil {
		return nil, fmt.Errorf("secret %q: %w", name, err)
	}
	doc := args.Value.ToMapOutput().ApplyT(func(m map[string]any) (string, error) {
		b, err := json.Marshal(m)
		return string(b), err
	}).(pulumi.StringOutput)
	if _, err := secretsmanager.NewSecretVersion(ctx, name, &secretsmanager.SecretVersionArgs{
		SecretId:     s.ID(),
		SecretString: pulumi.ToSecret(doc).(pulumi.StringOutput),
	}, opts...); err != nil {
		return nil, fmt.Errorf("secret %q: version: %w", name, err)
	}
	return &Secret{Secret: s, ARN: s.Arn}, nil
}

// ConfigString is a value read from a configuration object: a Pulumi secret
// when the object holds a `secure:` value (the engine marks the whole object
// secret, and the value may be the credential), a plain string otherwise.
func ConfigString(secret bool, v string) pulumi.StringInput {
	if secret {
		return pulumi.ToSecret(pulumi.String(v)).(pulumi.StringOutput)
	}
	return pulumi.String(v)
}
