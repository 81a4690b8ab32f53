package pack

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

const (
	smSecret        = "aws:secretsmanager/secret:Secret"
	smSecretVersion = "aws:secretsmanager/secretVersion:SecretVersion"
)

func secretsManagerRules() []*rule {
	return []*rule{
		{
			// Closes: secrets readable by anyone the AWS-managed key lets in,
			// and not shareable across accounts.
			name:        "aws-secretsmanager-secret-customer-managed-key",
			description: "Secrets Manager secrets are encrypted with a customer-managed KMS key.",
			level:       policyx.EnforcementLevelMandatory,
			types:       []string{smSecret},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return collect(requireCMK(at(r.Properties, "kmsKeyId"), "The secret",
					"set `kmsKeyId` to a customer-managed KMS key ARN (parts.NewSecret does this)."))
			},
		},
		{
			// Closes: the secret's value in plaintext in the Pulumi state.
			name:        "aws-secretsmanager-secretversion-value-secret",
			description: "Secrets Manager secret values are Pulumi secrets.",
			level:       policyx.EnforcementLevelMandatory,
			types:       []string{smSecretVersion},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				const fix = "wrap the value with `pulumi.ToSecret` (parts.NewSecret does this)."
				return collect(
					requireSecret(at(r.Properties, "secretString"), "The secret value", fix),
					requireSecret(at(r.Properties, "secretBinary"), "The secret value", fix),
				)
			},
		},
		{
			name:        "aws-secretsmanager-secret-description",
			description: "Secrets Manager secrets say what they hold.",
			level:       policyx.EnforcementLevelAdvisory,
			types:       []string{smSecret},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				d := at(r.Properties, "description")
				if d.isUnknown() {
					return nil
				}
				if s, _ := d.str(); len(strings.TrimSpace(s)) < 6 {
					return []string{"`description` is missing or shorter than 6 characters; say what the secret holds and who reads it."}
				}
				return nil
			},
		},
	}
}
