package pack_test

import (
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/policy/pack"
)

func loadConfig(t *testing.T, stack string) pack.Config {
	t.Helper()
	cfg, err := pack.LoadConfig(filepath.Join("..", "config", stack+".json"))
	require.NoError(t, err)
	return cfg
}

// devStack is the baseline with dev's cheaper settings.
func devStack() []edit {
	return []edit{
		set("db", "multiAz", false), set("db", "backupRetentionPeriod", 7), set("db", "deletionProtection", false), set("db", "skipFinalSnapshot", true),
		set("cache", "numCacheClusters", 1), set("cache", "automaticFailoverEnabled", false), set("cache", "multiAzEnabled", false), set("cache", "snapshotRetentionLimit", 1),
		set("broker", "deploymentMode", "SINGLE_INSTANCE"), set("vpc-flowlogs-lg", "retentionInDays", 30),
	}
}

func byLevel(vs []pack.Violation) map[pack.Level][]string {
	out := map[pack.Level][]string{}
	seen := map[string]bool{}
	for _, v := range vs {
		if seen[string(v.Level)+v.Policy] {
			continue
		}
		seen[string(v.Level)+v.Policy] = true
		out[v.Level] = append(out[v.Level], v.Policy)
	}
	for _, l := range out {
		sort.Strings(l)
	}
	return out
}

func TestStacksAgainstTheirConfigs(t *testing.T) {
	t.Parallel()
	relaxed := []string{
		"aws-elasticache-replicationgroup-automatic-failover",
		"aws-mq-broker-multi-az",
		"aws-rds-instance-deletion-protection",
		"aws-rds-instance-final-snapshot",
		"aws-rds-instance-multi-az",
	}
	cases := []struct {
		name      string
		edits     []edit
		config    string
		mandatory []string
		advisory  []string
	}{
		{name: "prod stack, prod config", config: "prod"},
		{name: "prod stack, dev config", config: "dev"},
		{name: "dev stack, dev config: advice only", edits: devStack(), config: "dev", advisory: relaxed},
		{name: "dev stack, prod config: prod is stricter", edits: devStack(), config: "prod", mandatory: append([]string{
			"aws-elasticache-replicationgroup-snapshot-retention",
			"aws-rds-instance-backup-retention",
		}, relaxed...)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vs, err := pack.Evaluate(build(t, apply(t, tc.edits...)), loadConfig(t, tc.config))
			require.NoError(t, err)
			got := byLevel(vs)
			sort.Strings(tc.mandatory)
			require.Equal(t, tc.mandatory, got[pack.Mandatory], "mandatory")
			require.Equal(t, tc.advisory, got[pack.Advisory], "advisory")
		})
	}
}

// Each deliberate breakage fails the prod gate with its rule and only it.
func TestBrokenVariantsFailWithTheirRuleOnly(t *testing.T) {
	t.Parallel()
	lt := "eks-general-lt"
	job := "db-bootstrap-3f9a2c1b"
	cases := []struct {
		policy string
		edits  []edit
	}{
		{"aws-rds-instance-storage-encrypted", []edit{set("db", "storageEncrypted", false)}},
		{"aws-rds-instance-not-publicly-accessible", []edit{set("db", "publiclyAccessible", true)}},
		{"aws-rds-instance-master-password-secret", []edit{del("db", "manageMasterUserPassword"), del("db", "masterUserSecretKmsKeyId"), set("db", "password", "hunter2hunter2")}},
		{"aws-rds-instance-backup-retention", []edit{set("db", "backupRetentionPeriod", 14)}},
		{"aws-stack-datastores-backups-enabled", []edit{set("db", "backupRetentionPeriod", 0)}},
		{"aws-rds-instance-force-ssl", []edit{set("db-postgres16", "parameters[0].value", "0")}},
		{"aws-rds-instance-deletion-protection", []edit{set("db", "deletionProtection", false)}},
		{"aws-elasticache-replicationgroup-encrypted-in-transit", []edit{set("cache", "transitEncryptionEnabled", false)}},
		{"aws-elasticache-replicationgroup-encrypted-at-rest", []edit{set("cache", "atRestEncryptionEnabled", false)}},
		{"aws-elasticache-replicationgroup-auth-token-secret", []edit{set("cache", "authToken", "Wq3eR5tY7uI9oP1aS3dF5gH7")}},
		{"aws-mq-broker-not-publicly-accessible", []edit{set("broker", "publiclyAccessible", true)}},
		{"aws-mq-broker-user-passwords-secret", []edit{set("broker", "users[0].password", "Mn4bV6cX8zL0kJ2hG4fD6sA8")}},
		{"aws-eks-cluster-endpoint-restricted", []edit{set("eks", "vpcConfig.endpointPublicAccess", true)}},
		{"aws-eks-cluster-secrets-encrypted", []edit{del("eks", "encryptionConfig")}},
		{"aws-eks-nodegroup-ssh-restricted", []edit{set("eks-general", "remoteAccess", map[string]any{"ec2SshKey": "ops"})}},
		{"aws-ec2-launchtemplate-imdsv2-required", []edit{set(lt, "metadataOptions.httpTokens", "optional")}},
		{"aws-ec2-launchtemplate-volumes-encrypted", []edit{set(lt, "blockDeviceMappings[0].ebs.encrypted", "false")}},
		{"aws-ec2-securitygroup-disallow-public-ingress", []edit{set("db-sg-eks-nodes-5432", "cidrIpv4", "0.0.0.0/0")}},
		{"aws-ec2-defaultsecuritygroup-no-rules", []edit{set("vpc-default", "ingress", []any{map[string]any{"protocol": "-1", "self": true, "fromPort": 0, "toPort": 0}})}},
		{"aws-ec2-vpc-flow-logs-enabled", []edit{drop("vpc-flowlog")}},
		{"aws-kms-key-rotation-enabled", []edit{set("db-key", "enableKeyRotation", false)}},
		{"aws-cloudwatch-loggroup-encrypted", []edit{del("db-postgresql", "kmsKeyId")}},
		{"aws-cloudwatch-loggroup-retention", []edit{set("db-postgresql", "retentionInDays", 14)}},
		{"aws-secretsmanager-secret-customer-managed-key", []edit{del("db-app-rw", "kmsKeyId")}},
		{"aws-secretsmanager-secretversion-value-secret", []edit{set("db-app-rw-version", "secretString", `{"password":"x"}`)}},
		{"aws-iam-policy-no-full-admin", []edit{set("eks-autoscaler", "policy", adminDoc)}},
		{"kubernetes-core-secret-data-secret", []edit{set("db-bootstrap", "stringData.APP_RW_PASSWORD", "Zq8vN3kP0xR7tL2mW9cB4yH6")}},
		{"kubernetes-core-configmap-no-credentials", []edit{set("db-bootstrap-sql", "data.DB_PASSWORD", "hunter2")}},
		{"kubernetes-workload-env-no-plain-credentials", []edit{set(job, "spec.template.spec.containers[0].env[2]", map[string]any{"name": "APP_RW_PASSWORD", "value": "hunter2"})}},
		{"pulumi-stack-outputs-credentials-secret", []edit{set("platform-prod", "kubeconfig", "apiVersion: v1\nkind: Config\n")}},
	}
	require.GreaterOrEqual(t, len(cases), 12)
	for _, tc := range cases {
		t.Run(tc.policy, func(t *testing.T) {
			t.Parallel()
			vs, err := pack.Evaluate(build(t, apply(t, tc.edits...)), loadConfig(t, "prod"))
			require.NoError(t, err)
			require.NotEmpty(t, vs)
			for _, v := range vs {
				require.Equal(t, tc.policy, v.Policy, "%s", v.Message)
				require.Equal(t, pack.Mandatory, v.Level)
				for _, s := range []string{"hunter2", "Wq3eR5tY7uI9oP1aS3dF5gH7", "Mn4bV6cX8zL0kJ2hG4fD6sA8", "Zq8vN3kP0xR7tL2mW9cB4yH6"} {
					require.NotContains(t, v.Message, s, "a diagnostic must never repeat a credential")
				}
			}
		})
	}
}
