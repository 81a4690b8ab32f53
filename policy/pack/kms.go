package pack

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

const kmsKey = "aws:kms/key:Key"

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
			level:       policyx.EnforcementLevelMandatory,
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
			level:       policyx.EnforcementLevelMandatory,
			types:       key,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return collect(forbidTrue(at(r.Properties, "bypassPolicyLockoutSafetyCheck"),
					"`bypassPolicyLockoutSafetyCheck` is true, which can make the key unmanageable; remove it."))
			},
		},
		{
			// Closes: a key any AWS principal can use or administer.
			name:        "aws-kms-key-not-public",
			description: "KMS key policies never grant an unconditioned wildcard principal.",
			level:       policyx.EnforcementLevelMandatory,
			types:       key,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				var out []string
				for _, st := range statements(at(r.Properties, "policy")) {
					if isAllow(st) && wildcardPrincipal(st.get("Principal")) && st.get("Condition").missing() {
						sid, _ := st.get("Sid").str()
						out = append(out, fmt.Sprintf("Key policy statement %q allows any principal (\"*\") without a condition; name the account root or the service principal instead (parts.KeyPolicy).", sid))
					}
				}
				return out
			},
		},
		{
			name:        "aws-kms-key-policy-defined",
			description: "KMS keys carry an explicit key policy rather than the default one.",
			level:       policyx.EnforcementLevelAdvisory,
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
			level:       policyx.EnforcementLevelAdvisory,
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
			level:       policyx.EnforcementLevelAdvisory,
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
			level:       policyx.EnforcementLevelAdvisory,
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
