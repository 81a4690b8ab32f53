package pack_test

import "testing"

const adminDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

func TestIAM(t *testing.T) {
	t.Parallel()
	runCases(t, "aws-iam-policy-no-full-admin", []ruleCase{
		{name: "compliant"},
		{name: "admin document", edits: []edit{set("eks-autoscaler", "policy", adminDoc)}, want: "full administrator", on: "eks-autoscaler"},
		{name: "admin as lists", edits: []edit{set("eks-autoscaler", "policy", `{"Statement":[{"Effect":"Allow","Action":["s3:GetObject","*"],"Resource":["*"]}]}`)}, want: "full administrator"},
		{name: "admin as an object", edits: []edit{set("eks-autoscaler", "policy", map[string]any{"Statement": map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"}})}, want: "full administrator"},
		{name: "deny is fine", edits: []edit{set("eks-autoscaler", "policy", `{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`)}},
		{name: "inline role policy", edits: []edit{set("eks-nodes", "inlinePolicies", []any{map[string]any{"name": "x", "policy": adminDoc}})}, want: "inlinePolicies[0].policy"},
		{name: "missing", edits: []edit{del("eks-autoscaler", "policy")}},
		{name: "computed", edits: []edit{set("eks-autoscaler", "policy", unknown)}},
		{name: "wrong shape", edits: []edit{set("eks-autoscaler", "policy", "not json")}},
		{name: "other type ignored", edits: []edit{set("eks-autoscaler", "policy", adminDoc), retype("eks-autoscaler", otherType)}},
	})
	runCases(t, "aws-iam-role-no-administrator-access", []ruleCase{
		{name: "compliant"},
		{name: "attachment", edits: []edit{set("eks-nodes-worker", "policyArn", "arn:aws:iam::aws:policy/AdministratorAccess")}, want: "AdministratorAccess"},
		{name: "managed list", edits: []edit{set("eks-nodes", "managedPolicyArns", []any{"arn:aws:iam::aws:policy/IAMFullAccess"})}, want: "IAMFullAccess"},
		{name: "computed", edits: []edit{set("eks-nodes-worker", "policyArn", unknown)}},
		{name: "wrong shape", edits: []edit{set("eks-nodes-worker", "policyArn", 3)}},
		{name: "other type ignored", edits: []edit{set("eks-nodes-worker", "policyArn", "arn:aws:iam::aws:policy/AdministratorAccess"), retype("eks-nodes-worker", otherType)}},
	})
	runCases(t, "aws-iam-role-trust-restricted", []ruleCase{
		{name: "compliant"},
		{name: "anyone", edits: []edit{set("eks-nodes", "assumeRolePolicy", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}`)}, want: "any principal"},
		{name: "any AWS principal", edits: []edit{set("eks-nodes", "assumeRolePolicy", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`)}, want: "any principal"},
		{name: "conditioned wildcard", edits: []edit{set("eks-nodes", "assumeRolePolicy", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}`)}},
		{name: "missing", edits: []edit{del("eks-nodes", "assumeRolePolicy")}},
		{name: "computed", edits: []edit{set("eks-nodes", "assumeRolePolicy", unknown)}},
		{name: "wrong shape", edits: []edit{set("eks-nodes", "assumeRolePolicy", 1)}},
		{name: "other type ignored", edits: []edit{set("eks-nodes", "assumeRolePolicy", `{"Statement":[{"Effect":"Allow","Principal":"*"}]}`), retype("eks-nodes", otherType)}},
	})
}

func TestKMS(t *testing.T) {
	t.Parallel()
	k := "db-key"
	runCases(t, "aws-kms-key-rotation-enabled", []ruleCase{
		{name: "compliant"},
		{name: "off", edits: []edit{set(k, "enableKeyRotation", false)}, want: "enableKeyRotation: true", on: k},
		{name: "missing", edits: []edit{del(k, "enableKeyRotation")}, want: "Key rotation is off"},
		{name: "asymmetric keys cannot rotate", edits: []edit{del(k, "enableKeyRotation"), set(k, "customerMasterKeySpec", "RSA_2048")}},
		{name: "computed", edits: []edit{set(k, "enableKeyRotation", unknown)}},
		{name: "wrong shape", edits: []edit{set(k, "enableKeyRotation", "yearly")}, want: "got a string"},
		{name: "other type ignored", edits: []edit{set(k, "enableKeyRotation", false), retype(k, otherType)}},
	})
	runCases(t, "aws-kms-key-no-policy-lockout-bypass", []ruleCase{
		{name: "compliant"},
		{name: "bypassed", edits: []edit{set(k, "bypassPolicyLockoutSafetyCheck", true)}, want: "bypassPolicyLockoutSafetyCheck"},
		{name: "computed", edits: []edit{set(k, "bypassPolicyLockoutSafetyCheck", unknown)}},
		{name: "wrong shape", edits: []edit{set(k, "bypassPolicyLockoutSafetyCheck", 1)}, want: "must be false"},
		{name: "other type ignored", edits: []edit{set(k, "bypassPolicyLockoutSafetyCheck", true), retype(k, otherType)}},
	})
	runCases(t, "aws-kms-key-not-public", []ruleCase{
		{name: "compliant (root and conditioned service)"},
		{name: "wildcard", edits: []edit{set(k, "policy", `{"Statement":[{"Sid":"Everyone","Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*"}]}`)}, want: `statement "Everyone"`},
		{name: "missing", edits: []edit{del(k, "policy")}},
		{name: "computed", edits: []edit{set(k, "policy", unknown)}},
		{name: "wrong shape", edits: []edit{set(k, "policy", []any{"*"})}},
		{name: "other type ignored", edits: []edit{set(k, "policy", `{"Statement":[{"Effect":"Allow","Principal":"*"}]}`), retype(k, otherType)}},
	})
	runCases(t, "aws-kms-key-policy-defined", []ruleCase{
		{name: "compliant"},
		{name: "missing", edits: []edit{del(k, "policy")}, want: "default policy"},
		{name: "computed", edits: []edit{set(k, "policy", unknown)}},
		{name: "wrong shape", edits: []edit{set(k, "policy", 1)}, want: "default policy"},
		{name: "other type ignored", edits: []edit{del(k, "policy"), retype(k, otherType)}},
	})
	runCases(t, "aws-kms-key-description", []ruleCase{
		{name: "compliant"},
		{name: "short", edits: []edit{set(k, "description", "db")}, want: "shorter than 6"},
		{name: "missing", edits: []edit{del(k, "description")}, want: "missing"},
		{name: "computed", edits: []edit{set(k, "description", unknown)}},
		{name: "wrong shape", edits: []edit{set(k, "description", 123456)}, want: "missing"},
		{name: "other type ignored", edits: []edit{del(k, "description"), retype(k, otherType)}},
	})
	runCases(t, "aws-kms-key-enabled", []ruleCase{
		{name: "compliant"},
		{name: "disabled", edits: []edit{set(k, "isEnabled", false)}, want: "`isEnabled` is false"},
		{name: "computed", edits: []edit{set(k, "isEnabled", unknown)}},
		{name: "wrong shape", edits: []edit{set(k, "isEnabled", "no")}, want: "isEnabled"},
		{name: "other type ignored", edits: []edit{set(k, "isEnabled", false), retype(k, otherType)}},
	})
	runCases(t, "aws-kms-key-deletion-window", []ruleCase{
		{name: "compliant"},
		{name: "short", edits: []edit{set(k, "deletionWindowInDays", 7)}, want: "is 7, below the minimum of 30"},
		{name: "allowed by config", edits: []edit{set(k, "deletionWindowInDays", 7)}, props: map[string]any{"minimumDays": 7}},
		{name: "missing means 30", edits: []edit{del(k, "deletionWindowInDays")}},
		{name: "computed", edits: []edit{set(k, "deletionWindowInDays", unknown)}},
		{name: "wrong shape", edits: []edit{set(k, "deletionWindowInDays", "month")}, want: "must be a number"},
		{name: "other type ignored", edits: []edit{set(k, "deletionWindowInDays", 7), retype(k, otherType)}},
	})
}

func TestSecretsManagerAndLogs(t *testing.T) {
	t.Parallel()
	runCases(t, "aws-secretsmanager-secret-customer-managed-key", []ruleCase{
		{name: "compliant"},
		{name: "missing", edits: []edit{del("db-app-rw", "kmsKeyId")}, want: "set `kmsKeyId`", on: "db-app-rw"},
		{name: "aws-managed", edits: []edit{set("db-app-rw", "kmsKeyId", "alias/aws/secretsmanager")}, want: "AWS-managed"},
		{name: "computed", edits: []edit{set("db-app-rw", "kmsKeyId", unknown)}},
		{name: "wrong shape", edits: []edit{set("db-app-rw", "kmsKeyId", map[string]any{})}, want: "got an object"},
		{name: "other type ignored", edits: []edit{del("db-app-rw", "kmsKeyId"), retype("db-app-rw", otherType)}},
	})
	runCases(t, "aws-secretsmanager-secretversion-value-secret", []ruleCase{
		{name: "compliant"},
		{name: "plain string", edits: []edit{set("db-app-rw-version", "secretString", `{"password":"x"}`)}, want: "`secretString`", on: "db-app-rw-version"},
		{name: "plain binary", edits: []edit{set("db-app-rw-version", "secretBinary", "aGVsbG8=")}, want: "`secretBinary`"},
		{name: "missing", edits: []edit{del("db-app-rw-version", "secretString")}},
		{name: "computed", edits: []edit{set("db-app-rw-version", "secretString", unknown)}},
		{name: "wrong shape still plain", edits: []edit{set("db-app-rw-version", "secretString", map[string]any{"password": "x"})}, want: "not a Pulumi secret"},
		{name: "other type ignored", edits: []edit{set("db-app-rw-version", "secretString", "plain"), retype("db-app-rw-version", otherType)}},
	})
	runCases(t, "aws-secretsmanager-secret-description", []ruleCase{
		{name: "compliant"},
		{name: "missing", edits: []edit{del("db-app-rw", "description")}, want: "description"},
		{name: "computed", edits: []edit{set("db-app-rw", "description", unknown)}},
		{name: "wrong shape", edits: []edit{set("db-app-rw", "description", true)}, want: "description"},
		{name: "other type ignored", edits: []edit{del("db-app-rw", "description"), retype("db-app-rw", otherType)}},
	})
	runCases(t, "aws-cloudwatch-loggroup-encrypted", []ruleCase{
		{name: "compliant (key known or computed)"},
		{name: "missing", edits: []edit{del("db-postgresql", "kmsKeyId")}, want: "AllowCloudWatchLogs", on: "db-postgresql"},
		{name: "computed", edits: []edit{set("db-postgresql", "kmsKeyId", unknown)}},
		{name: "wrong shape", edits: []edit{set("db-postgresql", "kmsKeyId", 1)}, want: "got a number"},
		{name: "other type ignored", edits: []edit{del("db-postgresql", "kmsKeyId"), retype("db-postgresql", otherType)}},
	})
	runCases(t, "aws-cloudwatch-loggroup-retention", []ruleCase{
		{name: "compliant"},
		{name: "never expires", edits: []edit{del("db-postgresql", "retentionInDays")}, want: "never expire"},
		{name: "zero", edits: []edit{set("db-postgresql", "retentionInDays", 0)}, want: "is 0"},
		{name: "below prod minimum", edits: []edit{set("db-postgresql", "retentionInDays", 14)}, props: map[string]any{"minimumDays": 30}, want: "is 14, below the minimum of 30"},
		{name: "computed", edits: []edit{set("db-postgresql", "retentionInDays", unknown)}},
		{name: "wrong shape", edits: []edit{set("db-postgresql", "retentionInDays", "forever")}, want: "must be a number"},
		{name: "other type ignored", edits: []edit{del("db-postgresql", "retentionInDays"), retype("db-postgresql", otherType)}},
	})
}
