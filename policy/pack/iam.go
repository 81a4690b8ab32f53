package pack

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

const (
	iamRole                    = "aws:iam/role:Role"
	iamPolicy                  = "aws:iam/policy:Policy"
	iamRolePolicy              = "aws:iam/rolePolicy:RolePolicy"
	iamUserPolicy              = "aws:iam/userPolicy:UserPolicy"
	iamGroupPolicy             = "aws:iam/groupPolicy:GroupPolicy"
	iamRolePolicyAttachment    = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	iamPolicyAttachment        = "aws:iam/policyAttachment:PolicyAttachment"
	iamUserPolicyAttachment    = "aws:iam/userPolicyAttachment:UserPolicyAttachment"
	iamGroupPolicyAttachment   = "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"
	administratorPolicySuffix  = ":policy/AdministratorAccess"
	iamFullAccessPolicySuffix  = ":policy/IAMFullAccess"
	powerUserAccessPolicySuffx = ":policy/PowerUserAccess"
)

func iamRules() []*rule {
	return []*rule{
		{
			// Closes: one compromised role owning the whole account.
			name:        "aws-iam-policy-no-full-admin",
			description: "IAM policy documents never allow every action on every resource.",
			level:       policyx.EnforcementLevelMandatory,
			types:       []string{iamPolicy, iamRolePolicy, iamUserPolicy, iamGroupPolicy, iamRole},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				var docs []node
				if r.Type == iamRole {
					inline, _ := at(r.Properties, "inlinePolicies").items()
					for _, p := range inline {
						docs = append(docs, p.get("policy"))
					}
				} else {
					docs = append(docs, at(r.Properties, "policy"))
				}
				var out []string
				for _, d := range docs {
					for _, st := range statements(d) {
						if isAllow(st) && hasWildcard(st.get("Action")) && hasWildcard(st.get("Resource")) {
							out = append(out, fmt.Sprintf("`%s` allows \"Action\": \"*\" on \"Resource\": \"*\" (full administrator); list the actions and resources the workload needs.", d.path))
						}
					}
				}
				return out
			},
		},
		{
			name:        "aws-iam-role-no-administrator-access",
			description: "No role, user or group is given the AdministratorAccess, IAMFullAccess or PowerUserAccess managed policy.",
			level:       policyx.EnforcementLevelMandatory,
			types:       []string{iamRole, iamRolePolicyAttachment, iamPolicyAttachment, iamUserPolicyAttachment, iamGroupPolicyAttachment},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				var arns []string
				if r.Type == iamRole {
					arns, _, _ = at(r.Properties, "managedPolicyArns").strings()
				} else if s, ok := at(r.Properties, "policyArn").str(); ok {
					arns = []string{s}
				}
				var out []string
				for _, a := range arns {
					if strings.HasSuffix(a, administratorPolicySuffix) || strings.HasSuffix(a, iamFullAccessPolicySuffix) || strings.HasSuffix(a, powerUserAccessPolicySuffx) {
						out = append(out, fmt.Sprintf("Attaches %s; attach a policy scoped to what the workload needs.", a))
					}
				}
				return out
			},
		},
		{
			// Closes: a role any AWS principal (of any account) can assume.
			name:        "aws-iam-role-trust-restricted",
			description: "IAM role trust policies never let an unconditioned wildcard principal assume the role.",
			level:       policyx.EnforcementLevelMandatory,
			types:       []string{iamRole},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				var out []string
				for _, st := range statements(at(r.Properties, "assumeRolePolicy")) {
					if isAllow(st) && wildcardPrincipal(st.get("Principal")) && st.get("Condition").missing() {
						out = append(out, "The trust policy lets any principal (\"*\") assume the role; name the service, account role or OIDC provider allowed, with conditions (parts.ServiceTrust, parts.IRSATrust).")
					}
				}
				return out
			},
		},
	}
}

// statements parses a policy document (a JSON string or an object) into its
// statements; an unknown or malformed document has none to judge.
func statements(doc node) []node {
	d, ok := doc.json()
	if !ok {
		return nil
	}
	sts, _ := d.get("Statement").list()
	return sts
}

func isAllow(st node) bool {
	e, _ := st.get("Effect").str()
	return e == "Allow"
}

// hasWildcard reports "*" as the value or one of the values.
func hasWildcard(n node) bool {
	if s, ok := n.str(); ok {
		return s == "*"
	}
	vals, _, _ := n.strings()
	for _, v := range vals {
		if v == "*" {
			return true
		}
	}
	return false
}

// wildcardPrincipal reports "*" or {"AWS": "*"}.
func wildcardPrincipal(p node) bool {
	if hasWildcard(p) {
		return true
	}
	return hasWildcard(p.get("AWS"))
}
