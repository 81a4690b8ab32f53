package pack

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

const (
	smSecret         = "aws:secretsmanager/secret:Secret"
	smSecretVersion  = "aws:secretsmanager/secretVersion:SecretVersion"
	smSecretPolicy   = "aws:secretsmanager/secretPolicy:SecretPolicy"
	smSecretRotation = "aws:secretsmanager/secretRotation:SecretRotation"
)

// rateRE reads a Secrets Manager rotation schedule of the rate() form:
// https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html
var rateRE = regexp.MustCompile(`^rate\(\s*(\d+)\s+(hours?|days?)\s*\)$`)

func secretsManagerRules() []*rule {
	return []*rule{
		{
			// Closes: secrets readable by anyone the AWS-managed key lets in,
			// and not shareable across accounts.
			name:        "aws-secretsmanager-secret-customer-managed-key",
			description: "Secrets Manager secrets are encrypted with a customer-managed KMS key.",
			level:       Mandatory,
			severity:    Low,
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
			level:       Mandatory,
			severity:    High,
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
			// Closes: a secret deleted at once (recoveryWindowInDays: 0), or
			// with less time to notice than the team needs; AWS's default
			// is 30 days, its minimum 7.
			// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html
			name:        "aws-secretsmanager-secret-recovery-window",
			description: "Secrets Manager secrets keep a recovery window of at least the configured days before deletion.",
			level:       Mandatory,
			severity:    Medium,
			types:       []string{smSecret},
			schema: schemaProps{
				"minimumDays": intProp("Fewest days a deleted secret can still be restored (7-30; unset means 30).", 7, 7, 30),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				minimum := s.int("minimumDays")
				n := at(r.Properties, "recoveryWindowInDays")
				if f, ok := n.num(); ok && f == 0 {
					return []string{fmt.Sprintf("`recoveryWindowInDays` is 0, so deleting the secret destroys it at once; set it to at least %d (parts.NewSecret uses 30).", minimum)}
				}
				return collect(atLeast(n, minimum, "`recoveryWindowInDays`", fmt.Sprintf("set it to at least %d.", minimum)))
			},
		},
		{
			// Closes: a secret readable by anyone (a "*" principal without a
			// restricting condition) or by another account, through its
			// resource policy: what IAM Access Analyzer reports as public or
			// external access to a secret
			// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html).
			name:        "aws-secretsmanager-secret-policy-not-public",
			description: "Secrets Manager resource policies grant nothing to everyone or to accounts outside the stack's own and the trusted ones.",
			level:       Mandatory,
			severity:    Critical,
			types:       []string{smSecret, smSecretPolicy},
			schema:      schemaProps{"trustedAccountIds": trustedAccountsProp()},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				doc := at(r.Properties, "policy")
				var out []string
				for _, name := range openStatements(doc) {
					out = append(out, fmt.Sprintf("Secret policy statement %s lets any principal (\"*\") in without a condition that restricts it; name the roles that read the secret.", name))
				}
				own, _ := arnAccount(mustStr(at(r.Properties, "secretArn")))
				for _, p := range foreignPrincipals(doc, homeAccounts(r, s, own)) {
					out = append(out, fmt.Sprintf("The secret policy grants %s, outside this stack's account; remove it, or add its account to trustedAccountIds if it is yours.", p))
				}
				return out
			},
		},
		{
			// Closes: credentials that live for years. Security Hub
			// SecretsManager.4 (medium): rotated within 90 days by default.
			name:        "aws-secretsmanager-secretrotation-interval",
			description: "Secrets Manager rotation schedules rotate at least every configured number of days.",
			level:       Mandatory,
			severity:    Medium,
			types:       []string{smSecretRotation},
			schema: schemaProps{
				"maximumDays": intProp("Longest interval between two rotations, in days.", 90, 1, 1000),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				maxi := s.int("maximumDays")
				rules := at(r.Properties, "rotationRules")
				after, expr := rules.get("automaticallyAfterDays"), rules.get("scheduleExpression")
				if rules.isUnknown() || after.isUnknown() || expr.isUnknown() {
					return nil
				}
				fix := fmt.Sprintf("set `rotationRules.automaticallyAfterDays` to at most %d (platform:database.masterPasswordRotationDays).", maxi)
				if !after.missing() {
					return collect(atMost(after, maxi, "`rotationRules.automaticallyAfterDays`", fix))
				}
				e, ok := expr.str()
				if !ok {
					return []string{"The rotation has no schedule; " + fix}
				}
				if days, ok := scheduleDays(e); ok && days > float64(maxi) {
					return []string{fmt.Sprintf("`rotationRules.scheduleExpression` %q rotates every %g days, more than %d; %s", e, days, maxi, fix)}
				} else if !ok {
					return []string{fmt.Sprintf("`rotationRules.scheduleExpression` %q cannot be shown to rotate within %d days; use rate(N days) or a cron() that runs every month; %s", e, maxi, fix)}
				}
				return nil
			},
		},
		{
			// Closes: replicas of a secret in other regions encrypted with
			// the AWS-managed key of that region.
			name:        "aws-secretsmanager-secret-replicas-customer-managed-key",
			description: "Secrets Manager replicas are encrypted with a customer-managed KMS key of their region.",
			level:       Mandatory,
			severity:    Medium,
			types:       []string{smSecret},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				replicas, _ := at(r.Properties, "replicas").list()
				var out []string
				for i, rep := range replicas {
					out = append(out, requireCMK(rep.get("kmsKeyId"), fmt.Sprintf("Replica %d", i),
						"set `replicas[].kmsKeyId` to a customer-managed key in the replica's region."))
				}
				return collect(out...)
			},
		},
		{
			name:        "aws-secretsmanager-secret-description",
			description: "Secrets Manager secrets say what they hold.",
			level:       Advisory,
			severity:    Low,
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

// scheduleDays returns the longest interval, in days, between two runs of a
// rotation schedule: rate(N days|hours), or a cron() whose month field runs
// every month (at most 31 days apart); ok is false for other schedules.
func scheduleDays(expr string) (float64, bool) {
	e := strings.TrimSpace(expr)
	if m := rateRE.FindStringSubmatch(e); m != nil {
		n, _ := strconv.Atoi(m[1])
		if strings.HasPrefix(m[2], "hour") {
			return float64(n) / 24, true
		}
		return float64(n), true
	}
	if inner, ok := strings.CutPrefix(e, "cron("); ok {
		f := strings.Fields(strings.TrimSuffix(inner, ")"))
		// The fields of cron(minutes hours day-of-month month day-of-week year).
		if len(f) >= 5 && (f[3] == "*" || f[3] == "?") {
			return 31, true
		}
	}
	return 0, false
}
