package pack

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

const (
	iamRole                  = "aws:iam/role:Role"
	iamPolicy                = "aws:iam/policy:Policy"
	iamRolePolicy            = "aws:iam/rolePolicy:RolePolicy"
	iamUserPolicy            = "aws:iam/userPolicy:UserPolicy"
	iamGroupPolicy           = "aws:iam/groupPolicy:GroupPolicy"
	iamRolePolicyAttachment  = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	iamPolicyAttachment      = "aws:iam/policyAttachment:PolicyAttachment"
	iamUserPolicyAttachment  = "aws:iam/userPolicyAttachment:UserPolicyAttachment"
	iamGroupPolicyAttachment = "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"
)

// adminManagedPolicies are the AWS-managed policies that hand over the
// account (or its IAM, which is the same).
var adminManagedPolicies = []string{"AdministratorAccess", "IAMFullAccess", "PowerUserAccess"}

// defaultBroadManagedPolicies are AWS-managed policies that reach every
// resource of a service (or every service): attached to a node or a pod,
// they hand whatever runs there all the data of the account. Names from
// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html
var defaultBroadManagedPolicies = []string{
	"ReadOnlyAccess", "AmazonS3FullAccess", "AmazonS3ReadOnlyAccess", "AmazonEC2FullAccess", "AmazonRDSFullAccess",
	"AmazonDynamoDBFullAccess", "AmazonElastiCacheFullAccess", "AmazonMQFullAccess", "AmazonSQSFullAccess",
	"AmazonSNSFullAccess", "AmazonSSMFullAccess", "AmazonVPCFullAccess", "SecretsManagerReadWrite",
	"AWSKeyManagementServicePowerUser", "CloudWatchFullAccess", "CloudWatchLogsFullAccess", "AWSLambda_FullAccess",
}

// identityPolicyTypes are the resources whose documents grant permissions
// to the identity they belong to.
var identityPolicyTypes = []string{iamPolicy, iamRolePolicy, iamUserPolicy, iamGroupPolicy, iamRole}

// identityDocs returns a resource's permission documents: `policy`, or a
// role's `inlinePolicies[].policy`.
func identityDocs(r policyx.AnalyzerResource) []node {
	if r.Type != iamRole {
		return []node{at(r.Properties, "policy")}
	}
	var docs []node
	inline, _ := at(r.Properties, "inlinePolicies").items()
	for _, p := range inline {
		docs = append(docs, p.get("policy"))
	}
	return docs
}

// eachStatement judges every statement of the resource's identity policy
// documents and collects what judge reports; judge gets the document's
// path and the statement's name for its messages.
func eachStatement(r policyx.AnalyzerResource, judge func(path, name string, st node) []string) []string {
	var out []string
	for _, d := range identityDocs(r) {
		for i, st := range statements(d) {
			out = append(out, judge(d.path, statementName(st, i), st)...)
		}
	}
	return out
}

// fullAdmin reports an Allow of every action on every resource.
func fullAdmin(st node) bool {
	return isAllow(st) && hasWildcard(st.get("Action")) && hasWildcard(st.get("Resource"))
}

// Probe ARNs: resources no policy names, used to ask "does this statement
// cover every secret / every key?".
const (
	probeSecretARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:zz-probe-AbCdEf"
	probeKeyARN    = "arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000"
)

func iamRules() []*rule {
	return []*rule{
		{
			// Closes: one compromised role owning the whole account.
			// Security Hub IAM.1 (high).
			name:        "aws-iam-policy-no-full-admin",
			description: "IAM policy documents never allow every action on every resource.",
			level:       Mandatory,
			severity:    High,
			types:       identityPolicyTypes,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return eachStatement(r, func(path, _ string, st node) []string {
					if !fullAdmin(st) {
						return nil
					}
					return []string{fmt.Sprintf("`%s` allows \"Action\": \"*\" on \"Resource\": \"*\" (full administrator); list the actions and resources the workload needs.", path)}
				})
			},
		},
		{
			// Closes: grants whose reach nobody reviewed: every action of a
			// service, or everything but a few (NotAction), on every
			// resource. Security Hub IAM.21 (low) flags service wildcards;
			// Checkov CKV_AWS_355 flags "*" resources. Read-only verbs
			// (Describe*, List*) reveal configuration, not data.
			name:        "aws-iam-policy-no-wildcard-grants",
			description: "IAM policy documents never grant wildcard actions (service:*, partial wildcards other than read-only verbs) or NotAction on every resource.",
			level:       Mandatory,
			severity:    Medium,
			types:       identityPolicyTypes,
			schema: schemaProps{
				"readOnlyWildcardVerbs": stringListProp("Action prefixes a wildcard may complete on every resource (service:Describe*, service:List*).", []string{"Describe", "List"}),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				verbs := s.strs("readOnlyWildcardVerbs")
				return eachStatement(r, func(path, name string, st node) []string {
					if !isAllow(st) || fullAdmin(st) || !hasWildcard(st.get("Resource")) {
						return nil
					}
					if !st.get("NotAction").missing() {
						return []string{fmt.Sprintf("`%s` statement %s allows everything except its NotAction on every resource; list the actions it needs instead.", path, name)}
					}
					actions, _ := values(st.get("Action"))
					var wild []string
					for _, a := range actions {
						if a != "*" && strings.ContainsAny(a, "*?") && !readOnlyWildcard(a, verbs) {
							wild = append(wild, a)
						}
					}
					if len(wild) == 0 {
						return nil
					}
					return []string{fmt.Sprintf("`%s` statement %s grants %s on every resource; name the actions, or scope `Resource` to the ARNs the workload uses.", path, name, quoteList(wild))}
				})
			},
		},
		{
			// Closes: privilege escalation: whoever may change IAM may grant
			// itself anything. Checkov CKV2_AWS_40.
			name:        "aws-iam-policy-no-iam-full-access",
			description: "IAM policy documents never grant iam:* (the power to grant any permission).",
			level:       Mandatory,
			severity:    High,
			types:       identityPolicyTypes,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return eachStatement(r, func(path, name string, st node) []string {
					if !isAllow(st) || fullAdmin(st) {
						return nil
					}
					var out []string
					actions, _ := values(st.get("Action"))
					for _, a := range actions {
						if strings.EqualFold(a, "iam:*") {
							out = append(out, fmt.Sprintf("`%s` statement %s grants iam:*, so the identity can give itself any permission; grant the IAM actions it needs on the roles it manages.", path, name))
						}
					}
					return out
				})
			},
		},
		{
			// Closes: one identity able to read every secret of the account.
			name:        "aws-iam-policy-no-read-all-secrets",
			description: "IAM policy documents never allow reading every Secrets Manager secret.",
			level:       Mandatory,
			severity:    High,
			types:       identityPolicyTypes,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return eachStatement(r, func(path, name string, st node) []string {
					if fullAdmin(st) || tagNarrowed(st) {
						return nil
					}
					g, _ := grants(st, "secretsmanager:GetSecretValue")
					all, _ := coversAll(st, probeSecretARN)
					if !g || !all {
						return nil
					}
					return []string{fmt.Sprintf("`%s` statement %s allows secretsmanager:GetSecretValue on every secret; scope `Resource` to the secret ARNs the workload reads.", path, name)}
				})
			},
		},
		{
			// Closes: one identity able to decrypt whatever any key protects.
			// Security Hub KMS.1 / KMS.2 (medium): kms:Decrypt and
			// kms:ReEncryptFrom on all keys. A condition naming the service
			// the key is used through, the encryption context or a resource
			// tag narrows it to some keys' data.
			name:        "aws-iam-policy-no-decrypt-all-keys",
			description: "IAM policy documents never allow kms:Decrypt or kms:ReEncryptFrom on every KMS key without a condition that narrows it.",
			level:       Mandatory,
			severity:    Medium,
			types:       identityPolicyTypes,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return eachStatement(r, func(path, name string, st node) []string {
					if fullAdmin(st) || kmsNarrowed(st) {
						return nil
					}
					if all, _ := coversAll(st, probeKeyARN); !all {
						return nil
					}
					for _, a := range []string{"kms:Decrypt", "kms:ReEncryptFrom"} {
						if g, _ := grants(st, a); g {
							return []string{fmt.Sprintf("`%s` statement %s allows %s on every KMS key; scope `Resource` to the key ARNs (or add a kms:ViaService condition).", path, name, a)}
						}
					}
					return nil
				})
			},
		},
		{
			name:        "aws-iam-role-no-administrator-access",
			description: "No role, user or group is given the AdministratorAccess, IAMFullAccess or PowerUserAccess managed policy.",
			level:       Mandatory,
			severity:    High,
			types:       []string{iamRole, iamRolePolicyAttachment, iamPolicyAttachment, iamUserPolicyAttachment, iamGroupPolicyAttachment},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				var out []string
				for _, a := range attachedPolicyARNs(r) {
					if slices.Contains(adminManagedPolicies, managedPolicyName(a)) {
						out = append(out, fmt.Sprintf("Attaches %s; attach a policy scoped to what the workload needs.", a))
					}
				}
				return out
			},
		},
		{
			// Closes: a role any AWS principal (of any account) can assume.
			name:        "aws-iam-role-trust-restricted",
			description: "IAM role trust policies never let a wildcard principal assume the role without a condition that restricts it.",
			level:       Mandatory,
			severity:    Critical,
			types:       []string{iamRole},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				var out []string
				for _, name := range openStatements(at(r.Properties, "assumeRolePolicy")) {
					out = append(out, fmt.Sprintf("Trust statement %s lets any principal (\"*\") assume the role; name the service, account role or OIDC provider allowed, with conditions (parts.ServiceTrust, parts.IRSATrust).", name))
				}
				return out
			},
		},
		{
			// Closes: a role another account can assume, which AWS's own
			// Access Analyzer reports as external access. The home account
			// comes from the trust policy itself (the OIDC provider's ARN,
			// aws:SourceAccount of service statements), the provider's
			// allowedAccountIds and trustedAccountIds.
			name:        "aws-iam-role-trust-no-foreign-accounts",
			description: "IAM role trust policies let no account outside the stack's own and the trusted ones assume the role.",
			level:       Mandatory,
			severity:    High,
			types:       []string{iamRole},
			schema:      schemaProps{"trustedAccountIds": trustedAccountsProp()},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				doc := at(r.Properties, "assumeRolePolicy")
				home := homeAccounts(r, s, trustAccounts(doc)...)
				var out []string
				for _, p := range foreignPrincipals(doc, home) {
					out = append(out, fmt.Sprintf("The trust policy lets %s, outside this stack's account, assume the role; remove it, or add its account to trustedAccountIds if it is yours.", p))
				}
				return out
			},
		},
		{
			// Closes: any pod of the cluster assuming a workload's role: IRSA
			// trust without a `sub` condition admits every service account
			// the OIDC provider vouches for.
			// https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
			name:        "aws-iam-role-irsa-trust-subject",
			description: "IAM roles assumed through an EKS OIDC provider name the service account allowed (a fixed `sub` condition).",
			level:       Mandatory,
			severity:    High,
			types:       []string{iamRole},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				var out []string
				for i, st := range statements(at(r.Properties, "assumeRolePolicy")) {
					if !isAllow(st) || !oidcTrust(st) {
						continue
					}
					ok, unk := subjectPinned(st)
					if ok || unk {
						continue
					}
					out = append(out, fmt.Sprintf("Trust statement %s lets any service account of the cluster assume the role; add a StringEquals condition on `<provider>:sub` = system:serviceaccount:<namespace>:<name> (parts.IRSATrust).", statementName(st, i)))
				}
				return out
			},
		},
		{
			// Closes: a node or a pod holding a policy that reaches every
			// resource of a service: whatever runs there (a compromised
			// container, a curious tenant) reads the account's data. Node
			// roles are assumed by ec2.amazonaws.com, pod roles through an
			// OIDC provider (IRSA) or pods.eks.amazonaws.com (Pod Identity).
			name:        "aws-iam-role-workload-no-broad-managed-policies",
			description: "Node and pod roles carry no broad AWS-managed policy (full access to a service, or read access to everything).",
			level:       Mandatory,
			severity:    High,
			types:       []string{iamRole, iamRolePolicyAttachment, iamPolicyAttachment},
			schema: schemaProps{
				"broadManagedPolicies": stringListProp("AWS-managed policy names node and pod roles must not carry.", defaultBroadManagedPolicies),
			},
			stack: judgeWorkloadManagedPolicies,
		},
	}
}

// judgeWorkloadManagedPolicies links each attachment to its role and
// reports broad managed policies on node and pod roles.
func judgeWorkloadManagedPolicies(rs []policyx.AnalyzerResource, s settings) []finding {
	broad := s.strs("broadManagedPolicies")
	roles := ofType(rs, iamRole)
	workload := make([]bool, len(roles))
	for i, role := range roles {
		workload[i] = workloadRole(role)
	}
	var out []finding
	report := func(urn, arn, role string) {
		out = append(out, finding{urn: urn, message: fmt.Sprintf("Attaches %s to %s, a node or pod role, so whatever runs there can use it on every resource; write a policy for the resources the workload uses.", arn, role)})
	}
	for i, role := range roles {
		for _, a := range attachedPolicyARNs(role) {
			if workload[i] && slices.Contains(broad, managedPolicyName(a)) {
				report(role.URN, a, "the role")
			}
		}
	}
	ix := newLinkIndex(roles, "name", "id")
	for _, att := range append(ofType(rs, iamRolePolicyAttachment), ofType(rs, iamPolicyAttachment)...) {
		arns := attachedPolicyARNs(att)
		if len(arns) == 0 || !slices.Contains(broad, managedPolicyName(arns[0])) {
			continue
		}
		prop := "role"
		if att.Type == iamPolicyAttachment {
			prop = "roles"
		}
		found, _ := ix.find(att, prop)
		for _, i := range found {
			if workload[i] {
				report(att.URN, arns[0], roles[i].URN)
			}
		}
	}
	return out
}

// workloadRole reports a role assumed by EC2 instances (nodes) or by pods
// (an OIDC provider, or EKS Pod Identity).
func workloadRole(role policyx.AnalyzerResource) bool {
	for _, st := range statements(at(role.Properties, "assumeRolePolicy")) {
		if !isAllow(st) {
			continue
		}
		if oidcTrust(st) {
			return true
		}
		svc, _ := values(st.get("Principal").get("Service"))
		for _, s := range svc {
			if s == "ec2.amazonaws.com" || s == "pods.eks.amazonaws.com" {
				return true
			}
		}
	}
	return false
}

// readOnlyWildcard reports "service:Verb*" for an allowed read-only verb.
func readOnlyWildcard(action string, verbs []string) bool {
	_, op, ok := strings.Cut(action, ":")
	if !ok || strings.Count(op, "*") != 1 || !strings.HasSuffix(op, "*") || strings.Contains(op, "?") {
		return false
	}
	prefix := strings.TrimSuffix(op, "*")
	for _, v := range verbs {
		if strings.HasPrefix(strings.ToLower(prefix), strings.ToLower(v)) {
			return true
		}
	}
	return false
}

// kmsNarrowed reports a condition that limits a KMS grant to the data of
// some keys: the service it goes through, the encryption context, or tags.
// tagNarrowed reports a restricting condition on the resource's tags
// (aws:ResourceTag/<key>, or the service's own <service>:ResourceTag/<key>):
// the statement reaches the resources so tagged, not every resource.
func tagNarrowed(st node) bool {
	for _, c := range conditions(st) {
		if c.unknown || !restrictingOperators[strings.ToLower(c.operator)] {
			continue
		}
		if strings.Contains(strings.ToLower(c.key), ":resourcetag/") {
			return true
		}
	}
	return false
}

func kmsNarrowed(st node) bool {
	for _, c := range conditions(st) {
		k := strings.ToLower(c.key)
		if c.unknown || !restrictingOperators[strings.ToLower(c.operator)] {
			continue
		}
		if k == "kms:viaservice" || strings.HasPrefix(k, "kms:encryptioncontext") || strings.HasPrefix(k, "aws:resourcetag/") {
			return true
		}
	}
	return false
}

// attachedPolicyARNs are the managed policies a resource attaches.
func attachedPolicyARNs(r policyx.AnalyzerResource) []string {
	if r.Type == iamRole {
		arns, _, _ := at(r.Properties, "managedPolicyArns").strings()
		return arns
	}
	if s, ok := at(r.Properties, "policyArn").str(); ok {
		return []string{s}
	}
	return nil
}

// managedPolicyName returns the name of an AWS-managed policy ARN
// (arn:aws:iam::aws:policy[/path]/Name), or "" for a customer policy.
func managedPolicyName(arn string) string {
	rest, ok := strings.CutPrefix(arn, "arn:aws:iam::aws:policy/")
	if !ok {
		for _, partition := range []string{"aws-us-gov", "aws-cn"} {
			if rest, ok = strings.CutPrefix(arn, "arn:"+partition+":iam::aws:policy/"); ok {
				break
			}
		}
	}
	if !ok {
		return ""
	}
	return rest[strings.LastIndex(rest, "/")+1:]
}

// trustAccounts are the accounts a trust policy shows to be the role's
// own: those of OIDC providers (created in the role's account) and of the
// aws:SourceAccount conditions on service principals.
func trustAccounts(doc node) []string {
	var out []string
	for _, st := range statements(doc) {
		fed, _ := values(st.get("Principal").get("Federated"))
		for _, f := range fed {
			if a, ok := arnAccount(f); ok {
				out = append(out, a)
			}
		}
		for _, c := range conditions(st) {
			if strings.EqualFold(c.key, "aws:SourceAccount") {
				out = append(out, c.values...)
			}
		}
	}
	return out
}

// oidcTrust reports a statement that trusts an EKS cluster's IAM OIDC
// provider for web identity (IRSA): its ARN names the cluster's issuer,
// oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id>. Other web
// identities (GitHub Actions' token.actions.githubusercontent.com) have no
// service accounts.
// https://docs.aws.amazon.com/eks/latest/userguide/enable-iam-roles-for-service-accounts.html
func oidcTrust(st node) bool {
	fed, unk := values(st.get("Principal").get("Federated"))
	if unk {
		return false
	}
	for _, f := range fed {
		if strings.Contains(f, ":oidc-provider/oidc.eks.") {
			return true
		}
	}
	return false
}

// subjectPinned reports a `<provider>:sub` condition with a fixed service
// account, or one namespace's service accounts (StringLike
// system:serviceaccount:<namespace>:*).
func subjectPinned(st node) (ok, unknown bool) {
	for _, c := range conditions(st) {
		if c.unknown {
			unknown = true
			continue
		}
		if !strings.HasSuffix(strings.ToLower(c.key), ":sub") || len(c.values) == 0 {
			continue
		}
		op := strings.ToLower(c.operator)
		if op != "stringequals" && op != "stringlike" {
			continue
		}
		pinned := true
		for _, v := range c.values {
			ns, _, found := strings.Cut(strings.TrimPrefix(v, "system:serviceaccount:"), ":")
			if !strings.HasPrefix(v, "system:serviceaccount:") || !found || ns == "" || strings.ContainsAny(ns, "*?") {
				pinned = false
			}
			if op == "stringequals" && strings.ContainsAny(v, "*?") {
				pinned = false
			}
		}
		if pinned {
			return true, false
		}
	}
	return false, unknown
}
