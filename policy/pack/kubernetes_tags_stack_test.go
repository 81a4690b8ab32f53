package pack_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/policy/pack"
)

func TestKubernetes(t *testing.T) {
	t.Parallel()
	runCases(t, "kubernetes-core-secret-data-secret", []ruleCase{
		{name: "compliant (each value secret)"},
		{name: "whole map secret", edits: []edit{set("db-bootstrap", "stringData", sec(map[string]any{"A": "plain-inside-secret"}))}},
		{name: "plain value", edits: []edit{set("db-bootstrap", "stringData.APP_RW_PASSWORD", "Zq8vN3kP0xR7tL2mW9cB4yH6")}, want: `Secret key "APP_RW_PASSWORD"`, on: "db-bootstrap"},
		{name: "plain data value", edits: []edit{set("db-bootstrap", "data", map[string]any{"token": "c2VjcmV0"})}, want: `"token"`},
		{name: "empty value", edits: []edit{set("db-bootstrap", "stringData.EMPTY", "")}},
		{name: "missing data", edits: []edit{del("db-bootstrap", "stringData")}},
		{name: "computed", edits: []edit{set("db-bootstrap", "stringData.APP_RW_PASSWORD", unknown)}},
		{name: "wrong shape", edits: []edit{set("db-bootstrap", "stringData", "a=b")}},
		{name: "patch resources too", edits: []edit{set("db-bootstrap", "stringData.X", "plain"), retype("db-bootstrap", "kubernetes:core/v1:SecretPatch")}, want: `"X"`},
		{name: "other type ignored", edits: []edit{set("db-bootstrap", "stringData.X", "plain"), retype("db-bootstrap", otherType)}},
	})
	runCases(t, "kubernetes-core-configmap-no-credentials", []ruleCase{
		{name: "compliant (SQL with psql variables)"},
		{name: "credential key", edits: []edit{set("db-bootstrap-sql", "data.DB_PASSWORD", "hunter2")}, want: `key "DB_PASSWORD" holds a credential`, on: "db-bootstrap-sql"},
		{name: "literal SQL password", edits: []edit{set("db-bootstrap-sql", "data", map[string]any{"apply.sql": "ALTER ROLE app_rw PASSWORD 'hunter2';"})}, want: "a literal SQL PASSWORD"},
		{name: "connection string", edits: []edit{set("db-bootstrap-sql", "data.settings", "url=postgres://app:hunter2@db:5432/app")}, want: "a URL with a password"},
		{name: "secret value is still in a ConfigMap", edits: []edit{set("db-bootstrap-sql", "data.API_TOKEN", sec("abc"))}, want: "API_TOKEN"},
		{name: "computed", edits: []edit{set("db-bootstrap-sql", "data.DB_PASSWORD", unknown)}},
		{name: "missing", edits: []edit{del("db-bootstrap-sql", "data")}},
		{name: "wrong shape", edits: []edit{set("db-bootstrap-sql", "data", []any{"password=x"})}},
		{name: "other type ignored", edits: []edit{set("db-bootstrap-sql", "data.DB_PASSWORD", "x"), retype("db-bootstrap-sql", otherType)}},
	})
	job := "db-bootstrap-3f9a2c1b"
	env := "spec.template.spec.containers[0].env"
	runCases(t, "kubernetes-workload-env-no-plain-credentials", []ruleCase{
		{name: "compliant (secretKeyRef)"},
		{name: "literal password", edits: []edit{set(job, env+"[2]", map[string]any{"name": "APP_RW_PASSWORD", "value": "hunter2"})}, want: `Container "psql" sets APP_RW_PASSWORD`, on: job},
		{name: "secret literal is still in the pod spec", edits: []edit{set(job, env+"[2]", map[string]any{"name": "PGPASSWORD", "value": sec("hunter2")})}, want: "PGPASSWORD"},
		{name: "connection string content", edits: []edit{set(job, env+"[1].value", "postgres://admin:hunter2@db/app")}, want: "a URL with a password"},
		{name: "init container", edits: []edit{set(job, "spec.template.spec.initContainers[0].env[1]", map[string]any{"name": "AWS_SECRET_ACCESS_KEY", "value": "abc"})}, want: `"fetch-master"`},
		{name: "reference names are fine", edits: []edit{set(job, env+"[1]", map[string]any{"name": "PASSWORD_FILE", "value": "/secrets/pw"})}},
		{name: "computed", edits: []edit{set(job, env+"[2]", map[string]any{"name": "PGPASSWORD", "value": unknown})}},
		{name: "computed spec", edits: []edit{set(job, "spec", unknown)}},
		{name: "missing env", edits: []edit{del(job, "spec.template.spec.containers[0].env")}},
		{name: "wrong shape", edits: []edit{set(job, env, "PGPASSWORD=x")}},
		{name: "deployment", edits: []edit{set(job, env+"[2]", map[string]any{"name": "API_TOKEN", "value": "abc"}), retype(job, "kubernetes:apps/v1:Deployment")}, want: "API_TOKEN"},
		{name: "cron job", edits: []edit{add(res{typ: "kubernetes:batch/v1:CronJob", name: "nightly", props: map[string]any{
			"spec": map[string]any{"jobTemplate": map[string]any{"spec": map[string]any{"template": map[string]any{"spec": map[string]any{
				"containers": []any{map[string]any{"name": "c", "env": []any{map[string]any{"name": "API_TOKEN", "value": "abc"}}}},
			}}}}},
		}})}, want: "API_TOKEN"},
		{name: "other type ignored", edits: []edit{set(job, env+"[2]", map[string]any{"name": "PGPASSWORD", "value": "x"}), retype(job, otherType)}},
	})
}

func TestOwnershipTags(t *testing.T) {
	t.Parallel()
	runCases(t, "aws-resources-ownership-tags", []ruleCase{
		{name: "compliant (from defaultTags as a JSON string)"},
		{name: "defaultTags as an object", edits: []edit{withProvider("db", map[string]any{"defaultTags": map[string]any{"tags": map[string]any{"Owner": "a", "Environment": "b"}}})}},
		{name: "tags on the resource", edits: []edit{withProvider("db", map[string]any{}), set("db", "tags", map[string]any{"Owner": "a", "Environment": "b"})}},
		{name: "no default tags", edits: []edit{withProvider("db", map[string]any{"region": "us-east-1"})}, want: "`Owner`, `Environment`", on: "db"},
		{name: "one missing", edits: []edit{withProvider("db", map[string]any{"defaultTags": `{"tags":{"Owner":"a"}}`})}, want: "`Environment` are missing"},
		{name: "empty value", edits: []edit{withProvider("db", map[string]any{"defaultTags": `{"tags":{"Owner":"","Environment":"x"}}`})}, want: "`Owner`"},
		{name: "configured tags", edits: []edit{withProvider("db", map[string]any{"defaultTags": `{"tags":{"Owner":"a","Project":"p"}}`})}, props: map[string]any{"requiredTags": []any{"Owner", "Project"}}},
		{name: "configured tags missing", edits: []edit{withProvider("db", map[string]any{"defaultTags": `{"tags":{"Owner":"a","Environment":"b"}}`})}, props: map[string]any{"requiredTags": []any{"Owner", "CostCenter"}}, want: "`CostCenter`", nWant: 30},
		{name: "untaggable resource", edits: []edit{withProvider("vpc-flowlogs-policy", map[string]any{})}},
		{name: "resource without tags input but taggable", edits: []edit{withProvider("vpc-endpoints-https", map[string]any{})}, want: "missing"},
		{name: "unlisted type carrying tags", edits: []edit{add(res{typ: "aws:dynamodb/table:Table", name: "t", props: map[string]any{"tags": map[string]any{}}, provider: map[string]any{}})}, want: "missing"},
		{name: "computed tags", edits: []edit{withProvider("db", map[string]any{}), set("db", "tags", unknown)}},
		{name: "computed tag value", edits: []edit{withProvider("db", map[string]any{}), set("db", "tags", map[string]any{"Owner": unknown, "Environment": "x"})}},
		{name: "computed provider tags", edits: []edit{withProvider("db", map[string]any{"defaultTags": unknown})}},
		{name: "wrong shape defaultTags", edits: []edit{withProvider("db", map[string]any{"defaultTags": "Owner=a"})}, want: "missing"},
		{name: "kubernetes resources ignored", edits: []edit{withProvider("db-bootstrap", map[string]any{})}},
	})
}

func TestForceSSL(t *testing.T) {
	t.Parallel()
	runCases(t, "aws-rds-instance-force-ssl", []ruleCase{
		{name: "compliant (linked by dependency and name)"},
		{name: "linked by name only", edits: []edit{withDeps("db", nil)}},
		{name: "linked by dependency only (preview)", edits: []edit{set("db", "parameterGroupName", unknown), del("db-postgres16", "name")}},
		{name: "force_ssl 0", edits: []edit{set("db-postgres16", "parameters[0].value", "0")}, want: "does not set `rds.force_ssl = 1`", on: "db"},
		{name: "force_ssl missing", edits: []edit{set("db-postgres16", "parameters", []any{})}, want: "rds.force_ssl"},
		{name: "numeric 1", edits: []edit{set("db-postgres16", "parameters[0].value", 1)}},
		{name: "default group", edits: []edit{del("db", "parameterGroupName"), withDeps("db", nil)}, want: "default parameter group"},
		{name: "group outside the stack", edits: []edit{set("db", "parameterGroupName", "shared-pg"), withDeps("db", nil)}, want: `"shared-pg" is not a parameter group of this stack`},
		{name: "unknown link", edits: []edit{set("db", "parameterGroupName", unknown), withDeps("db", nil)}},
		{name: "computed parameters", edits: []edit{set("db-postgres16", "parameters", unknown)}},
		{name: "wrong shape parameters", edits: []edit{set("db-postgres16", "parameters", "rds.force_ssl=1")}, want: "rds.force_ssl"},
		{name: "not postgres", edits: []edit{set("db", "engine", "mysql"), del("db", "parameterGroupName")}},
		{name: "other type ignored", edits: []edit{del("db", "parameterGroupName"), retype("db", otherType)}},
	})
}

func TestBackupsEverywhere(t *testing.T) {
	t.Parallel()
	runCases(t, "aws-stack-datastores-backups-enabled", []ruleCase{
		{name: "compliant"},
		{name: "database without backups", edits: []edit{set("db", "backupRetentionPeriod", 0)}, want: "`backupRetentionPeriod` is 0", on: "db"},
		{name: "unset means the AWS default of one day", edits: []edit{del("db", "backupRetentionPeriod")}},
		{name: "AWS Backup does not excuse it", edits: []edit{set("db", "backupRetentionPeriod", 0), add(res{typ: "aws:backup/selection:Selection", name: "plan", props: map[string]any{"resources": []any{unknown}}, deps: map[string][]string{"resources": {"db"}}})}, want: "no point-in-time recovery"},
		{name: "cache without snapshots", edits: []edit{set("cache", "snapshotRetentionLimit", 0)}, want: "`snapshotRetentionLimit` is 0 or unset", on: "cache"},
		{name: "cache unset", edits: []edit{del("cache", "snapshotRetentionLimit")}, want: "no snapshots"},
		{name: "standalone redis cluster", edits: []edit{add(res{typ: "aws:elasticache/cluster:Cluster", name: "solo", props: map[string]any{"engine": "redis"}})}, want: "no snapshots"},
		{name: "memcached has no backups to take", edits: []edit{add(res{typ: "aws:elasticache/cluster:Cluster", name: "mc", props: map[string]any{"engine": "memcached"}})}},
		{name: "member cluster of a group", edits: []edit{add(res{typ: "aws:elasticache/cluster:Cluster", name: "member", props: map[string]any{"replicationGroupId": "cache"}})}},
		{name: "computed", edits: []edit{set("cache", "snapshotRetentionLimit", unknown), set("db", "backupRetentionPeriod", unknown)}},
		{name: "wrong shape", edits: []edit{set("cache", "snapshotRetentionLimit", "daily")}},
		{name: "replica", edits: []edit{set("db", "backupRetentionPeriod", 0), set("db", "replicateSourceDb", "src")}},
		{name: "other type ignored", edits: []edit{set("db", "backupRetentionPeriod", 0), retype("db", otherType)}},
	})
}

func TestStackOutputs(t *testing.T) {
	t.Parallel()
	st := "platform-prod"
	runCases(t, "pulumi-stack-outputs-credentials-secret", []ruleCase{
		{name: "compliant (kubeconfig secret, ARNs plain)"},
		{name: "plain kubeconfig", edits: []edit{set(st, "kubeconfig", "apiVersion: v1\nkind: Config\n")}, want: "`kubeconfig` carries a credential", on: st},
		{name: "plain password", edits: []edit{set(st, "cachePassword", "x")}, want: "cachePassword"},
		{name: "connection string by content", edits: []edit{set(st, "databaseUrl", "postgresql://app:hunter2@db:5432/app")}, want: "a URL with a password"},
		{name: "nested", edits: []edit{set(st, "database", map[string]any{"host": "db", "password": "x"})}, want: "`database.password`"},
		{name: "nested under a secret", edits: []edit{set(st, "database", sec(map[string]any{"host": "db", "password": "x"}))}},
		{name: "computed", edits: []edit{set(st, "kubeconfig", unknown)}},
		{name: "reference keys are fine", edits: []edit{set(st, "brokerSecretArn", "arn:aws:secretsmanager:x"), set(st, "tokenSecretName", "x")}},
		{name: "wrong shape", edits: []edit{set(st, "kubeconfig", 42)}, want: "kubeconfig"},
		{name: "other type ignored", edits: []edit{set(st, "kubeconfig", "plain"), retype(st, otherType)}},
	})
}

// Stack policies receive their own configuration, through Evaluate as
// through the server.
func TestStackPolicyReceivesItsOwnConfig(t *testing.T) {
	t.Parallel()
	rs := build(t, apply(t, set("backup-vault-lock", "minRetentionDays", 14)))
	vs, err := pack.Evaluate(rs, pack.Config{"aws-backup-vault-locked": {EnforcementLevel: pack.Mandatory, Properties: map[string]any{"minimumRetentionDays": 21}}})
	require.NoError(t, err)
	var got []string
	for _, v := range vs {
		if v.Policy == "aws-backup-vault-locked" {
			got = append(got, v.Message)
		}
	}
	require.Len(t, got, 2, "both vaults' locks allow less than 21 days")
	require.Contains(t, got[0], "below the minimum of 21")

	vs, err = pack.RunPolicy("aws-backup-vault-locked", rs, nil)
	require.NoError(t, err)
	require.Empty(t, vs, "the default minimum is 7 days")
}
