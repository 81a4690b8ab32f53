package pack

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

const (
	kmsKey   = "aws:kms/key:Key"
	kmsGrant = "aws:kms/grant:Grant"
)

// keyAdminAccounts are the accounts whose root principal a key policy gives
// kms:* (the account that owns and administers the key).
func keyAdminAccounts(doc node) []string {
	var out []string
	for _, st := range statements(doc) {
		if g, _ := grants(st, "kms:PutKeyPolicy"); !g {
			continue
		}
		vals, _ := awsPrincipals(st)
		for _, v := range vals {
			if a, ok := principalAccount(v); ok && (accountIDRE.MatchString(v) || strings.HasSuffix(v, ":root")) {
				out = append(out, a)
			}
		}
	}
	return out
}

// symmetric reports a key whose material AWS can rotate (asymmetric and
// HMAC keys cannot be rotated automatically).
func symmetric(r policyx.AnalyzerResource) bool {
	spec, ok := at(r.Properties, "customerMasterKeySpec").str()
	return !ok || spec == "" || spec == "SYMMETRIC_DEFAULT"
}

func kmsRules() []*rule {
	key := []string{kmsKey}
	return []*rule{
		{
			// Closes: one key version protecting data forever.
			name:        "aws-kms-key-rotation-enabled",
			description: "Symmetric customer-managed KMS keys rotate automatically.",
			level:       Mandatory,
			severity:    Medium,
			types:       key,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				if !symmetric(r) {
					return nil
				}
				return collect(requireTrue(at(r.Properties, "enableKeyRotation"),
					"Key rotation is off; set `enableKeyRotation: true` (parts.NewKey does this)."))
			},
		},
		{
			// Closes: a key policy that locks the account out of its own key.
			name:        "aws-kms-key-no-policy-lockout-bypass",
			description: "KMS keys keep the policy lockout safety check.",
			level:       Mandatory,
			severity:    Critical,
			types:       key,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return collect(forbidTrue(at(r.Properties, "bypassPolicyLockoutSafetyCheck"),
					"`bypassPolicyLockoutSafetyCheck` is true, which can make the key unmanageable; remove it."))
			},
		},
		{
			// Closes: a key any AWS principal can use or administer. A "*"
			// principal is fine only with a condition that binds it to an
			// account, organization, source or the service the key is used
			// through (the shape of AWS's own default key policies).
			// Security Hub KMS.5 (critical), Checkov CKV_AWS_33.
			name:        "aws-kms-key-not-public",
			description: "KMS key policies never grant a wildcard principal without a condition that restricts it to an account, organization, source or service.",
			level:       Mandatory,
			severity:    Critical,
			types:       key,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				var out []string
				for _, name := range openStatements(at(r.Properties, "policy")) {
					out = append(out, fmt.Sprintf("Key policy statement %s allows any principal (\"*\") without a condition that restricts it; name the account root or the service principal instead (parts.KeyPolicy), or add a fixed aws:SourceAccount, kms:CallerAccount, kms:ViaService or aws:PrincipalOrgID condition.", name))
				}
				return out
			},
		},
		{
			// Closes: another account decrypting the data the key protects
			// (and, with kms:*, administering it). The home account is the
			// one whose root administers the key (a key policy must name it
			// or the key is unmanageable), the provider's allowedAccountIds
			// and trustedAccountIds.
			name:        "aws-kms-key-no-foreign-accounts",
			description: "KMS key policies grant nothing to accounts outside the stack's own and the trusted ones.",
			level:       Mandatory,
			severity:    High,
			types:       key,
			schema:      schemaProps{"trustedAccountIds": trustedAccountsProp()},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				doc := at(r.Properties, "policy")
				home := homeAccounts(r, s, keyAdminAccounts(doc)...)
				var out []string
				for _, p := range foreignPrincipals(doc, home) {
					out = append(out, fmt.Sprintf("The key policy grants %s, outside this stack's account; remove it, or add its account to trustedAccountIds if it is yours.", p))
				}
				return out
			},
		},
		{
			// Closes: a grant that lets another account use the key outside
			// its key policy (grants are not shown in the policy).
			name:        "aws-kms-grant-no-foreign-accounts",
			description: "KMS grants name no grantee or retiring principal outside the key's account and the trusted ones.",
			level:       Mandatory,
			severity:    High,
			types:       []string{kmsGrant},
			schema:      schemaProps{"trustedAccountIds": trustedAccountsProp()},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				keyID, _ := at(r.Properties, "keyId").str()
				own, _ := arnAccount(keyID)
				home := homeAccounts(r, s, own)
				if len(home) == 0 {
					return nil
				}
				var out []string
				for _, prop := range []string{"granteePrincipal", "retiringPrincipal"} {
					v, ok := at(r.Properties, prop).str()
					if !ok {
						continue
					}
					if a, ok := principalAccount(v); ok && !home[a] {
						out = append(out, fmt.Sprintf("`%s` %s is outside the key's account; grant the key to principals of this account, or add the account to trustedAccountIds if it is yours.", prop, v))
					}
				}
				return out
			},
		},
		{
			name:        "aws-kms-key-policy-defined",
			description: "KMS keys carry an explicit key policy rather than the default one.",
			level:       Advisory,
			severity:    Low,
			types:       key,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				p := at(r.Properties, "policy")
				if p.isUnknown() || p.nonEmpty() {
					return nil
				}
				return []string{"No `policy`, so the key gets AWS's default policy; set one (parts.KeyPolicy) that says who administers and who uses the key."}
			},
		},
		{
			name:        "aws-kms-key-description",
			description: "KMS keys say what they protect.",
			level:       Advisory,
			severity:    Low,
			types:       key,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				d := at(r.Properties, "description")
				if d.isUnknown() {
					return nil
				}
				if s, _ := d.str(); len(strings.TrimSpace(s)) < 6 {
					return []string{"`description` is missing or shorter than 6 characters; say what the key protects."}
				}
				return nil
			},
		},
		{
			name:        "aws-kms-key-enabled",
			description: "KMS keys are enabled, so the data they protect stays readable.",
			level:       Advisory,
			severity:    Medium,
			types:       key,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				n := at(r.Properties, "isEnabled")
				if b, ok := n.bool(); n.known() && (!ok || !b) {
					return []string{"`isEnabled` is false, so everything encrypted with the key is unreadable; remove it or set it true."}
				}
				return nil
			},
		},
		{
			name:        "aws-kms-key-deletion-window",
			description: "KMS keys keep the configured recovery window before deletion.",
			level:       Advisory,
			severity:    Critical,
			types:       key,
			schema: schemaProps{
				"minimumDays": intProp("Fewest days a scheduled key deletion can still be canceled (7-30; unset means 30).", 30, 7, 30),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				minimum := s.int("minimumDays")
				return collect(atLeast(at(r.Properties, "deletionWindowInDays"), minimum, "`deletionWindowInDays`",
					fmt.Sprintf("set it to at least %d (parts.NewKey defaults to 30), and protect keys of stateful resources.", minimum)))
			},
		},
	}
}
