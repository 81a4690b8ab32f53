package pack_test

import (
	"fmt"
	"testing"
)

// doc builds a policy document from statements.
func doc(statements ...string) string {
	out := `{"Version":"2012-10-17","Statement":[`
	for i, s := range statements {
		if i > 0 {
			out += ","
		}
		out += s
	}
	return out + "]}"
}

func allow(action, resource string) string {
	return fmt.Sprintf(`{"Effect":"Allow","Action":%s,"Resource":%s}`, action, resource)
}

func TestIAMLeastPrivilege(t *testing.T) {
	t.Parallel()
	p := "eks-autoscaler"
	runCases(t, "aws-iam-policy-no-wildcard-grants", []ruleCase{
		{name: "compliant (Describe* on *, scoped writes)"},
		{name: "service wildcard on everything", edits: []edit{set(p, "policy", doc(allow(`"s3:*"`, `"*"`)))}, want: "`s3:*` on every resource", on: p},
		{name: "partial wildcard on everything", edits: []edit{set(p, "policy", doc(allow(`["ec2:Describe*","s3:Put*"]`, `["*"]`)))}, want: "`s3:Put*`"},
		{name: "NotAction on everything", edits: []edit{set(p, "policy", doc(`{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`))}, want: "everything except its NotAction"},
		{name: "wildcard on a scoped resource is this rule's business no more", edits: []edit{set(p, "policy", doc(allow(`"s3:*"`, `"arn:aws:s3:::platform-assets/*"`)))}},
		{name: "List* is read-only", edits: []edit{set(p, "policy", doc(allow(`"s3:List*"`, `"*"`)))}},
		{name: "Get* only when configured", edits: []edit{set(p, "policy", doc(allow(`"ssm:Get*"`, `"*"`)))}, props: map[string]any{"readOnlyWildcardVerbs": []any{"Describe", "List", "Get"}}},
		{name: "full admin is the other rule's", edits: []edit{set(p, "policy", adminDoc)}},
		{name: "deny is fine", edits: []edit{set(p, "policy", doc(`{"Effect":"Deny","Action":"s3:*","Resource":"*"}`))}},
		{name: "inline role policy", edits: []edit{set("eks-nodes", "inlinePolicies", []any{map[string]any{"name": "x", "policy": doc(allow(`"ec2:*"`, `"*"`))}})}, want: "`ec2:*`", on: "eks-nodes"},
		{name: "computed", edits: []edit{set(p, "policy", unknown)}},
		{name: "other type ignored", edits: []edit{set(p, "policy", doc(allow(`"s3:*"`, `"*"`))), retype(p, otherType)}},
	})
	runCases(t, "aws-iam-policy-no-iam-full-access", []ruleCase{
		{name: "compliant"},
		{name: "iam:*", edits: []edit{set(p, "policy", doc(allow(`"iam:*"`, `"arn:aws:iam::123456789012:role/*"`)))}, want: "grants iam:*", on: p},
		{name: "case-insensitive", edits: []edit{set(p, "policy", doc(allow(`["IAM:*"]`, `"*"`)))}, want: "iam:*"},
		{name: "scoped IAM actions are fine", edits: []edit{set(p, "policy", doc(allow(`["iam:PassRole"]`, `"arn:aws:iam::123456789012:role/app"`)))}},
		{name: "computed", edits: []edit{set(p, "policy", unknown)}},
		{name: "other type ignored", edits: []edit{set(p, "policy", doc(allow(`"iam:*"`, `"*"`))), retype(p, otherType)}},
	})
	bp := "db-bootstrap-policy"
	runCases(t, "aws-iam-policy-no-read-all-secrets", []ruleCase{
		{name: "compliant (one secret ARN)"},
		{name: "every secret", edits: []edit{set(bp, "policy", doc(allow(`"secretsmanager:GetSecretValue"`, `"*"`)))}, want: "on every secret", on: bp},
		{name: "every secret by ARN pattern", edits: []edit{set(bp, "policy", doc(allow(`"secretsmanager:Get*"`, `"arn:aws:secretsmanager:us-east-1:123456789012:secret:*"`)))}, want: "every secret"},
		{name: "service wildcard", edits: []edit{set(bp, "policy", doc(allow(`"secretsmanager:*"`, `"arn:aws:secretsmanager:*:*:*"`)))}, want: "every secret"},
		{name: "a name prefix is narrower", edits: []edit{set(bp, "policy", doc(allow(`"secretsmanager:GetSecretValue"`, `"arn:aws:secretsmanager:us-east-1:123456789012:secret:platform/db-*"`)))}},
		{name: "describe only", edits: []edit{set(bp, "policy", doc(allow(`"secretsmanager:DescribeSecret"`, `"*"`)))}},
		{name: "secrets of one environment by tag", edits: []edit{set(bp, "policy", doc(`{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/Environment":"dev"}}}`))}},
		{name: "a tag condition that does not restrict", edits: []edit{set(bp, "policy", doc(`{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:ResourceTag/Environment":"dev"}}}`))}, want: "every secret"},
		{name: "computed", edits: []edit{set(bp, "policy", unknown)}},
		{name: "other type ignored", edits: []edit{set(bp, "policy", doc(allow(`"secretsmanager:GetSecretValue"`, `"*"`))), retype(bp, otherType)}},
	})
	runCases(t, "aws-iam-policy-no-decrypt-all-keys", []ruleCase{
		{name: "compliant (one key, through Secrets Manager)"},
		{name: "decrypt every key", edits: []edit{set(bp, "policy", doc(allow(`"kms:Decrypt"`, `"*"`)))}, want: "kms:Decrypt on every KMS key", on: bp},
		{name: "ReEncrypt* every key by ARN", edits: []edit{set(bp, "policy", doc(allow(`"kms:ReEncrypt*"`, `"arn:aws:kms:us-east-1:123456789012:key/*"`)))}, want: "kms:ReEncryptFrom"},
		{name: "kms:* on every key", edits: []edit{set(bp, "policy", doc(allow(`"kms:*"`, `"arn:aws:kms:*:*:*"`)))}, want: "every KMS key"},
		{name: "narrowed by the service it goes through", edits: []edit{set(bp, "policy", doc(`{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"secretsmanager.us-east-1.amazonaws.com"}}}`))}},
		{name: "a negated condition does not narrow", edits: []edit{set(bp, "policy", doc(`{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringNotEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}`))}, want: "every KMS key"},
		{name: "encrypt only", edits: []edit{set(bp, "policy", doc(allow(`["kms:Encrypt","kms:GenerateDataKey*"]`, `"*"`)))}},
		{name: "computed", edits: []edit{set(bp, "policy", unknown)}},
		{name: "other type ignored", edits: []edit{set(bp, "policy", doc(allow(`"kms:Decrypt"`, `"*"`))), retype(bp, otherType)}},
	})
	role := "db-bootstrap-role"
	foreign := `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"sts:AssumeRole"}`
	runCases(t, "aws-iam-role-trust-no-foreign-accounts", []ruleCase{
		{name: "compliant (its own OIDC provider)"},
		{name: "another account", edits: []edit{set(role, "assumeRolePolicy", doc(`{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/x"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"x:sub":"system:serviceaccount:a:b"}}}`, foreign))},
			want: "arn:aws:iam::999988887777:root, outside this stack's account", on: role},
		{name: "another account's role by ID", edits: []edit{set("vpc-flowlogs-role", "assumeRolePolicy", doc(`{"Effect":"Allow","Principal":{"Service":"vpc-flow-logs.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}}`,
			`{"Effect":"Allow","Principal":{"AWS":["999988887777"]},"Action":"sts:AssumeRole"}`))}, want: "999988887777"},
		{name: "trusted by config", edits: []edit{set(role, "assumeRolePolicy", doc(`{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/x"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"x:sub":"system:serviceaccount:a:b"}}}`, foreign))},
			props: map[string]any{"trustedAccountIds": []any{"999988887777"}}},
		{name: "trusted by the provider's allowedAccountIds", edits: []edit{set(role, "assumeRolePolicy", doc(foreign)),
			withProvider(role, map[string]any{"region": "us-east-1", "allowedAccountIds": `["123456789012","999988887777"]`})}},
		{name: "no home account known: silent", edits: []edit{set(role, "assumeRolePolicy", doc(foreign))}},
		{name: "home from the provider", edits: []edit{set(role, "assumeRolePolicy", doc(foreign)), withProvider(role, map[string]any{"region": "us-east-1", "allowedAccountIds": []any{"123456789012"}})}, want: "999988887777"},
		{name: "computed", edits: []edit{set(role, "assumeRolePolicy", unknown)}},
		{name: "other type ignored", edits: []edit{set(role, "assumeRolePolicy", doc(foreign)), withProvider(role, map[string]any{"allowedAccountIds": []any{"123456789012"}}), retype(role, otherType)}},
	})
	irsa := func(cond string) string {
		return doc(`{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"},"Action":"sts:AssumeRoleWithWebIdentity"` + cond + `}`)
	}
	runCases(t, "aws-iam-role-irsa-trust-subject", []ruleCase{
		{name: "compliant (one service account)"},
		{name: "no condition", edits: []edit{set(role, "assumeRolePolicy", irsa(""))}, want: "any service account", on: role},
		{name: "audience only", edits: []edit{set(role, "assumeRolePolicy", irsa(`,"Condition":{"StringEquals":{"oidc.eks.us-east-1.amazonaws.com/id/ABC:aud":"sts.amazonaws.com"}}`))}, want: "any service account"},
		{name: "every service account by pattern", edits: []edit{set(role, "assumeRolePolicy", irsa(`,"Condition":{"StringLike":{"oidc.eks.us-east-1.amazonaws.com/id/ABC:sub":"system:serviceaccount:*"}}`))}, want: "any service account"},
		{name: "one namespace by pattern", edits: []edit{set(role, "assumeRolePolicy", irsa(`,"Condition":{"StringLike":{"oidc.eks.us-east-1.amazonaws.com/id/ABC:sub":"system:serviceaccount:platform-system:*"}}`))}},
		{name: "wildcard under StringEquals matches nothing but says nothing", edits: []edit{set(role, "assumeRolePolicy", irsa(`,"Condition":{"StringEquals":{"oidc.eks.us-east-1.amazonaws.com/id/ABC:sub":"system:serviceaccount:*:*"}}`))}, want: "any service account"},
		{name: "service roles are not IRSA", edits: []edit{set(role, "assumeRolePolicy", roleTrust)}},
		{name: "GitHub Actions' web identity is not IRSA", edits: []edit{set(role, "assumeRolePolicy", doc(`{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:sub":"repo:acme/platform:environment:prod"}}}`))}},
		{name: "computed", edits: []edit{set(role, "assumeRolePolicy", unknown)}},
		{name: "other type ignored", edits: []edit{set(role, "assumeRolePolicy", irsa("")), retype(role, otherType)}},
	})
	runCases(t, "aws-iam-role-trust-restricted", []ruleCase{
		{name: "wildcard with IfExists does not restrict", edits: []edit{set("eks-nodes", "assumeRolePolicy", doc(`{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringEqualsIfExists":{"aws:SourceAccount":"123456789012"}}}`))}, want: "any principal"},
		{name: "wildcard with a pattern does not restrict", edits: []edit{set("eks-nodes", "assumeRolePolicy", doc(`{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringLike":{"aws:PrincipalAccount":"*"}}}`))}, want: "any principal"},
		{name: "wildcard with a transport condition does not restrict", edits: []edit{set("eks-nodes", "assumeRolePolicy", doc(`{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`))}, want: "any principal"},
		{name: "wildcard bound to an account", edits: []edit{set("eks-nodes", "assumeRolePolicy", doc(`{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalAccount":"123456789012"}}}`))}},
	})
	runCases(t, "aws-iam-role-workload-no-broad-managed-policies", []ruleCase{
		{name: "compliant (worker node policy)"},
		{name: "S3 full access on the nodes", edits: []edit{set("eks-nodes-worker", "policyArn", "arn:aws:iam::aws:policy/AmazonS3FullAccess"),
			withDeps("eks-nodes-worker", map[string][]string{"role": {"eks-nodes"}})}, want: "AmazonS3FullAccess to urn:pulumi:prod::platform::aws:iam/role:Role::eks-nodes", on: "eks-nodes-worker"},
		{name: "read everything on a pod role, by name", edits: []edit{
			set(role, "name", "platform-db-bootstrap"),
			add(res{typ: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", name: "ro", props: map[string]any{"role": "platform-db-bootstrap", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}}),
		}, want: "ReadOnlyAccess"},
		{name: "managed list on the role", edits: []edit{set("eks-nodes", "managedPolicyArns", []any{"arn:aws:iam::aws:policy/SecretsManagerReadWrite"})}, want: "SecretsManagerReadWrite", on: "eks-nodes"},
		{name: "policy attachment listing roles", edits: []edit{set(role, "name", "r1"),
			add(res{typ: "aws:iam/policyAttachment:PolicyAttachment", name: "pa", props: map[string]any{"roles": []any{"other", "r1"}, "policyArn": "arn:aws:iam::aws:policy/AmazonEC2FullAccess"}})}, want: "AmazonEC2FullAccess"},
		{name: "service roles may carry service policies", edits: []edit{set("vpc-flowlogs-role", "name", "fl"),
			add(res{typ: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", name: "fl-logs", props: map[string]any{"role": "fl", "policyArn": "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"}})}},
		{name: "computed role", edits: []edit{set("eks-nodes-worker", "policyArn", "arn:aws:iam::aws:policy/AmazonS3FullAccess")}},
		{name: "other type ignored", edits: []edit{set("eks-nodes-worker", "policyArn", "arn:aws:iam::aws:policy/AmazonS3FullAccess"),
			withDeps("eks-nodes-worker", map[string][]string{"role": {"eks-nodes"}}), retype("eks-nodes-worker", otherType)}},
	})
}

func TestKMSAccess(t *testing.T) {
	t.Parallel()
	k := "db-key"
	root := `{"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}`
	runCases(t, "aws-kms-key-not-public", []ruleCase{
		{name: "bound to the caller account", edits: []edit{set(k, "policy", doc(root, `{"Sid":"Via","Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"123456789012","kms:ViaService":"rds.us-east-1.amazonaws.com"}}}`))}},
		{name: "bound to the organization", edits: []edit{set(k, "policy", doc(root, `{"Sid":"Org","Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}`))}},
		{name: "a condition that binds nothing", edits: []edit{set(k, "policy", doc(root, `{"Sid":"Tls","Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`))}, want: `"Tls"`},
		{name: "an account pattern binds nothing", edits: []edit{set(k, "policy", doc(root, `{"Sid":"Any","Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringLike":{"kms:CallerAccount":"*"}}}`))}, want: `"Any"`},
		{name: "IfExists binds nothing", edits: []edit{set(k, "policy", doc(root, `{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:SourceAccount":"123456789012"}}}`))}, want: "#1"},
		{name: "a negated account binds nothing", edits: []edit{set(k, "policy", doc(root, `{"Sid":"Not","Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":"999988887777"}}}`))}, want: `"Not"`},
		{name: "computed condition", edits: []edit{set(k, "policy", doc(root, `{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}`)), set(k, "policy", unknown)}},
	})
	runCases(t, "aws-kms-key-no-foreign-accounts", []ruleCase{
		{name: "compliant (its own root and a service)"},
		{name: "another account", edits: []edit{set(k, "policy", doc(root, `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:role/reader"},"Action":"kms:Decrypt","Resource":"*"}`))}, want: "arn:aws:iam::999988887777:role/reader", on: k},
		{name: "trusted by config", edits: []edit{set(k, "policy", doc(root, `{"Effect":"Allow","Principal":{"AWS":"999988887777"},"Action":"kms:Decrypt","Resource":"*"}`))}, props: map[string]any{"trustedAccountIds": []any{"999988887777"}}},
		{name: "no administering root: home unknown", edits: []edit{set(k, "policy", doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"kms:Decrypt","Resource":"*"}`))}},
		{name: "computed", edits: []edit{set(k, "policy", unknown)}},
		{name: "other type ignored", edits: []edit{set(k, "policy", doc(root, `{"Effect":"Allow","Principal":{"AWS":"999988887777"},"Action":"kms:Decrypt","Resource":"*"}`)), retype(k, otherType)}},
	})
	grant := func(props map[string]any) edit {
		base := map[string]any{"keyId": dbKeyARN, "granteePrincipal": "arn:aws:iam::123456789012:role/app", "operations": []any{"Decrypt"}}
		for key, v := range props {
			base[key] = v
		}
		return add(res{typ: "aws:kms/grant:Grant", name: "grant", props: base})
	}
	runCases(t, "aws-kms-grant-no-foreign-accounts", []ruleCase{
		{name: "compliant"},
		{name: "own account", edits: []edit{grant(nil)}},
		{name: "foreign grantee", edits: []edit{grant(map[string]any{"granteePrincipal": "arn:aws:iam::999988887777:role/x"})}, want: "`granteePrincipal` arn:aws:iam::999988887777:role/x"},
		{name: "foreign retiring principal", edits: []edit{grant(map[string]any{"retiringPrincipal": "999988887777"})}, want: "`retiringPrincipal`"},
		{name: "service grantee", edits: []edit{grant(map[string]any{"granteePrincipal": "logs.us-east-1.amazonaws.com"})}},
		{name: "trusted by config", edits: []edit{grant(map[string]any{"granteePrincipal": "arn:aws:iam::999988887777:role/x"})}, props: map[string]any{"trustedAccountIds": []any{"999988887777"}}},
		{name: "key unknown, no home", edits: []edit{grant(map[string]any{"keyId": unknown, "granteePrincipal": "arn:aws:iam::999988887777:role/x"})}},
		{name: "computed grantee", edits: []edit{grant(map[string]any{"granteePrincipal": unknown})}},
		{name: "other type ignored", edits: []edit{add(res{typ: otherType, name: "grant", props: map[string]any{"keyId": dbKeyARN, "granteePrincipal": "999988887777"}})}},
	})
}

func TestSecretsManagerLifecycle(t *testing.T) {
	t.Parallel()
	s := "db-app-rw"
	runCases(t, "aws-secretsmanager-secret-recovery-window", []ruleCase{
		{name: "compliant (30 days)"},
		{name: "unset means 30", edits: []edit{del(s, "recoveryWindowInDays")}},
		{name: "deleted at once", edits: []edit{set(s, "recoveryWindowInDays", 0)}, want: "destroys it at once", on: s},
		{name: "shorter than configured", edits: []edit{set(s, "recoveryWindowInDays", 7)}, props: map[string]any{"minimumDays": 14}, want: "below the minimum of 14"},
		{name: "computed", edits: []edit{set(s, "recoveryWindowInDays", unknown)}},
		{name: "wrong shape", edits: []edit{set(s, "recoveryWindowInDays", "month")}, want: "must be a number"},
		{name: "other type ignored", edits: []edit{set(s, "recoveryWindowInDays", 0), retype(s, otherType)}},
	})
	public := doc(`{"Sid":"Everyone","Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}`)
	runCases(t, "aws-secretsmanager-secret-policy-not-public", []ruleCase{
		{name: "compliant (no policy)"},
		{name: "public", edits: []edit{set(s, "policy", public)}, want: `statement "Everyone"`, on: s},
		{name: "public through a SecretPolicy", edits: []edit{add(res{typ: "aws:secretsmanager/secretPolicy:SecretPolicy", name: "sp", props: map[string]any{"secretArn": unknown, "policy": public}})}, want: "Everyone"},
		{name: "another account", edits: []edit{add(res{typ: "aws:secretsmanager/secretPolicy:SecretPolicy", name: "sp", props: map[string]any{
			"secretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:x", "policy": doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`),
		}})}, want: "999988887777"},
		{name: "own role", edits: []edit{set(s, "policy", doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`))}},
		{name: "restricted wildcard", edits: []edit{set(s, "policy", doc(`{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"123456789012"}}}`))}},
		{name: "computed", edits: []edit{set(s, "policy", unknown)}},
		{name: "other type ignored", edits: []edit{set(s, "policy", public), retype(s, otherType)}},
	})
	rot := "db-master-rotation"
	runCases(t, "aws-secretsmanager-secretrotation-interval", []ruleCase{
		{name: "compliant (30 days)"},
		{name: "yearly", edits: []edit{set(rot, "rotationRules.automaticallyAfterDays", 365)}, want: "above the maximum of 90", on: rot},
		{name: "rate in days", edits: []edit{set(rot, "rotationRules", map[string]any{"scheduleExpression": "rate(120 days)"})}, want: "every 120 days"},
		{name: "rate in hours", edits: []edit{set(rot, "rotationRules", map[string]any{"scheduleExpression": "rate(4 hours)"})}},
		{name: "monthly cron", edits: []edit{set(rot, "rotationRules", map[string]any{"scheduleExpression": "cron(0 4 1 * ? *)"})}},
		{name: "cron in some months only", edits: []edit{set(rot, "rotationRules", map[string]any{"scheduleExpression": "cron(0 4 1 1 ? *)"})}, want: "cannot be shown"},
		{name: "no schedule", edits: []edit{set(rot, "rotationRules", map[string]any{})}, want: "no schedule"},
		{name: "stricter config", edits: []edit{}, props: map[string]any{"maximumDays": 14}, want: "above the maximum of 14"},
		{name: "computed", edits: []edit{set(rot, "rotationRules.automaticallyAfterDays", unknown)}},
		{name: "other type ignored", edits: []edit{set(rot, "rotationRules.automaticallyAfterDays", 365), retype(rot, otherType)}},
	})
	runCases(t, "aws-secretsmanager-secret-replicas-customer-managed-key", []ruleCase{
		{name: "compliant (no replicas)"},
		{name: "replica under its region's CMK", edits: []edit{set(s, "replicas", []any{map[string]any{"region": "us-west-2", "kmsKeyId": drKeyARN}})}},
		{name: "replica under the AWS-managed key", edits: []edit{set(s, "replicas", []any{map[string]any{"region": "us-west-2"}})}, want: "Replica 0 uses the AWS-managed key", on: s},
		{name: "replica under an AWS alias", edits: []edit{set(s, "replicas", []any{map[string]any{"region": "us-west-2", "kmsKeyId": "alias/aws/secretsmanager"}})}, want: "AWS-managed"},
		{name: "computed", edits: []edit{set(s, "replicas", []any{map[string]any{"region": "us-west-2", "kmsKeyId": unknown}})}},
		{name: "other type ignored", edits: []edit{set(s, "replicas", []any{map[string]any{"region": "us-west-2"}}), retype(s, otherType)}},
	})
}

func TestSNS(t *testing.T) {
	t.Parallel()
	topic, tp := "monitoring-topic", "monitoring-topic-policy"
	runCases(t, "aws-sns-topic-customer-managed-key", []ruleCase{
		{name: "compliant"},
		{name: "another customer key", edits: []edit{set(topic, "kmsMasterKeyId", "arn:aws:kms:us-east-1:123456789012:alias/alarms")}},
		{name: "unencrypted", edits: []edit{del(topic, "kmsMasterKeyId")}, want: "`kmsMasterKeyId` is not set", on: topic},
		{name: "AWS-managed key", edits: []edit{set(topic, "kmsMasterKeyId", "alias/aws/sns")}, want: "AWS-managed"},
		{name: "computed", edits: []edit{set(topic, "kmsMasterKeyId", unknown)}},
		{name: "other type ignored", edits: []edit{del(topic, "kmsMasterKeyId"), retype(topic, otherType)}},
	})
	runCases(t, "aws-sns-topic-policy-not-public", []ruleCase{
		{name: "compliant (account root and CloudWatch bound to the account)"},
		{name: "anyone may publish", edits: []edit{set(tp, "policy", doc(`{"Sid":"Anyone","Effect":"Allow","Principal":{"AWS":"*"},"Action":"SNS:Publish","Resource":"*"}`))}, want: `"Anyone"`, on: tp},
		{name: "inline topic policy", edits: []edit{set(topic, "policy", doc(`{"Effect":"Allow","Principal":"*","Action":"SNS:Subscribe","Resource":"*"}`))}, want: "#0", on: topic},
		{name: "bound to a source bucket", edits: []edit{set(tp, "policy", doc(`{"Effect":"Allow","Principal":"*","Action":"SNS:Publish","Resource":"*","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:s3:::platform-events"}}}`))}},
		{name: "a source pattern does not bind", edits: []edit{set(tp, "policy", doc(`{"Effect":"Allow","Principal":"*","Action":"SNS:Publish","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::*"}}}`))}, want: "#0"},
		{name: "computed", edits: []edit{set(tp, "policy", unknown)}},
		{name: "other type ignored", edits: []edit{set(tp, "policy", doc(`{"Effect":"Allow","Principal":"*","Action":"SNS:Publish"}`)), retype(tp, otherType)}},
	})
}
