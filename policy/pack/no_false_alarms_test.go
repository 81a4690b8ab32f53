package pack_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/policy/pack"
)

// Stricter and otherwise compliant variants of the baseline stay silent
// under every policy, at prod's configuration: longer retention, sources
// inside the VPC, referenced security groups, other valid customer keys,
// properly conditioned statements, narrow public allowlists.
func TestNoFalseAlarms(t *testing.T) {
	t.Parallel()
	vpcRule := func(name string, props map[string]any) edit {
		base := map[string]any{"securityGroupId": unknown, "description": "test", "ipProtocol": "tcp"}
		for k, v := range props {
			base[k] = v
		}
		return add(res{typ: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: name, props: base, deps: map[string][]string{"securityGroupId": {"db-sg"}}})
	}
	aliasARN := "arn:aws:kms:us-east-1:123456789012:alias/platform-db"
	keyID := "5555aaaa-2222-bbbb-3333-cccc4444dddd"
	mrk := "arn:aws:kms:us-east-1:123456789012:key/mrk-1234567890abcdef1234567890abcdef"
	root := `{"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}`
	cases := []struct {
		name  string
		edits []edit
	}{
		{"longer retention everywhere", []edit{
			set("db", "backupRetentionPeriod", 35), set("cache", "snapshotRetentionLimit", 35), set("db-postgresql", "retentionInDays", 3653),
			set("backup-plan", "rules[0].lifecycle.deleteAfter", 3650), set("backup-plan", "rules[0].copyActions[0].lifecycle.deleteAfter", 400),
			set("backup-vault-lock", "minRetentionDays", 30), set("backup-dr-vault-lock", "minRetentionDays", 30),
		}},
		{"sources inside the VPC", []edit{
			vpcRule("vpc-5432", map[string]any{"fromPort": 5432, "toPort": 5432, "cidrIpv4": "10.20.0.0/16"}),
			vpcRule("corp-22", map[string]any{"fromPort": 22, "toPort": 22, "cidrIpv4": "172.16.0.0/12"}),
			vpcRule("ula-6379", map[string]any{"fromPort": 6379, "toPort": 6379, "cidrIpv6": "fd00::/8"}),
			set("vpc-endpoints", "ingress", []any{map[string]any{"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrBlocks": []any{"10.20.0.0/17", "10.20.128.0/17", "100.64.0.0/10"}, "description": "pods"}}),
		}},
		{"referenced security groups", []edit{
			vpcRule("from-nodes", map[string]any{"fromPort": 6379, "toPort": 6379, "referencedSecurityGroupId": "sg-nodes"}),
			add(res{typ: "aws:ec2/securityGroupRule:SecurityGroupRule", name: "legacy", props: map[string]any{
				"type": "ingress", "securityGroupId": "sg-db", "protocol": "tcp", "fromPort": 5432, "toPort": 5432, "sourceSecurityGroupId": "sg-nodes", "description": "x",
			}}),
		}},
		{"HTTPS from the internet and small public allowlists", []edit{
			vpcRule("web", map[string]any{"fromPort": 443, "toPort": 443, "cidrIpv4": "0.0.0.0/0"}),
			vpcRule("office-ssh", map[string]any{"fromPort": 22, "toPort": 22, "cidrIpv4": "81.2.69.0/28"}),
			vpcRule("partner", map[string]any{"fromPort": 5671, "toPort": 5671, "cidrIpv4": "52.94.0.0/16"}),
			set("eks", "vpcConfig.endpointPublicAccess", true), set("eks", "vpcConfig.publicAccessCidrs", []any{"81.2.69.0/28", "52.94.10.0/24", "2001:db9:1::/48"}),
		}},
		{"other valid customer keys", []edit{
			set("db", "kmsKeyId", aliasARN), set("db", "performanceInsightsKmsKeyId", keyID), set("db", "masterUserSecretKmsKeyId", mrk),
			set("cache", "kmsKeyId", mrk), set("db-app-rw", "kmsKeyId", aliasARN), set("monitoring-topic", "kmsMasterKeyId", "alias/platform-alarms"),
			set("backup-vault", "kmsKeyArn", mrk), set("db-postgresql", "kmsKeyId", aliasARN),
			set("db-app-rw", "replicas", []any{map[string]any{"region": "us-west-2", "kmsKeyId": drKeyARN}}),
		}},
		{"properly conditioned statements", []edit{
			set("db-key", "policy", doc(root,
				`{"Sid":"ThroughRDS","Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"123456789012","kms:ViaService":"rds.us-east-1.amazonaws.com"}}}`,
				`{"Sid":"Org","Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}`)),
			set("monitoring-topic-policy", "policy", doc(`{"Sid":"Bucket","Effect":"Allow","Principal":"*","Action":"SNS:Publish","Resource":"*","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:s3:::platform-events"},"StringEquals":{"aws:SourceAccount":"123456789012"}}}`)),
			set("vpc-flowlogs-role", "assumeRolePolicy", doc(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}`)),
			set("db-bootstrap-role", "assumeRolePolicy", doc(`{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"oidc.eks.us-east-1.amazonaws.com/id/ABC:sub":"system:serviceaccount:platform-system:*"},"StringEquals":{"oidc.eks.us-east-1.amazonaws.com/id/ABC:aud":"sts.amazonaws.com"}}}`)),
			set("db-bootstrap-policy", "policy", doc(`{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"secretsmanager.us-east-1.amazonaws.com"}}}`,
				`{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":["arn:aws:secretsmanager:us-east-1:123456789012:secret:platform/db-*"]}`,
				`{"Effect":"Allow","Action":["ec2:Describe*","autoscaling:Describe*","s3:List*"],"Resource":"*"}`)),
			set("db-app-rw", "policy", doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}`)),
		}},
		{"credentials by reference", []edit{
			set("db-bootstrap-3f9a2c1b", "spec.template.spec.containers[0].env", []any{
				map[string]any{"name": "PASSWORD_FILE", "value": "/run/secrets/pw"},
				map[string]any{"name": "KMS_KEY_ID", "value": keyID},
				map[string]any{"name": "DB_SECRET_NAME", "value": "platform/db"},
				map[string]any{"name": "TOKEN_TTL", "value": "3600"},
				map[string]any{"name": "PGPASSWORD", "valueFrom": map[string]any{"secretKeyRef": map[string]any{"name": "db", "key": "pw"}}},
				map[string]any{"name": "DATABASE_URL", "value": "postgres://app@db:5432/app?sslmode=verify-full"},
			}),
			set("db-bootstrap-3f9a2c1b", "spec.template.spec.containers[0].args", []any{"--password-file", "/run/secrets/pw", "--token=$(TOKEN)", "--secret-arn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:x"}),
			set("db-bootstrap-sql", "data.settings.env", "PGPASSWORD=${PGPASSWORD}\nAPI_KEY_FILE=/run/secrets/key\n"),
		}},
		{"hardened workloads", []edit{
			set("db-bootstrap-3f9a2c1b", "spec.template.spec.containers[0].securityContext.runAsUser", 1000),
			set("db-bootstrap-3f9a2c1b", "spec.template.spec.containers[0].securityContext.capabilities", map[string]any{"drop": []any{"ALL"}, "add": []any{"NET_BIND_SERVICE"}}),
			set("db-bootstrap-3f9a2c1b", "spec.template.spec.hostNetwork", false),
			set("platform-system", "metadata.labels", map[string]any{"pod-security.kubernetes.io/enforce": "baseline"}),
		}},
		{"rotation schedules", []edit{set("db-master-rotation", "rotationRules", map[string]any{"scheduleExpression": "rate(7 days)"})}},
		{"locked in compliance mode", []edit{set("backup-vault-lock", "changeableForDays", 3), set("backup-dr-vault-lock", "changeableForDays", 3)}},
		{"tagged backup selection", []edit{set("backup-selection", "resources", []any{}), set("backup-selection", "selectionTags", []any{map[string]any{"type": "STRINGEQUALS", "key": "Environment", "value": "prod"}})}},
	}
	cfg := loadConfig(t, "prod")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vs, err := pack.Evaluate(build(t, apply(t, tc.edits...)), cfg)
			require.NoError(t, err)
			require.Empty(t, vs)
		})
	}
}
