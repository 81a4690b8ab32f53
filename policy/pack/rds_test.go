package pack_test

import "testing"

// otherType is a type no rule judges: rules must ignore it whatever its
// properties say.
const otherType = "random:index/randomPassword:RandomPassword"

func TestRDSStorageEncrypted(t *testing.T) {
	t.Parallel()
	runCases(t, "aws-rds-instance-storage-encrypted", []ruleCase{
		{name: "compliant"},
		{name: "false", edits: []edit{set("db", "storageEncrypted", false)}, want: "storageEncrypted: true", on: "db"},
		{name: "missing", edits: []edit{del("db", "storageEncrypted")}, want: "not encrypted"},
		{name: "computed", edits: []edit{set("db", "storageEncrypted", unknown)}},
		{name: "wrong shape", edits: []edit{set("db", "storageEncrypted", "yes")}, want: "`storageEncrypted` must be true, got a string"},
		{name: "string true counts", edits: []edit{set("db", "storageEncrypted", "true")}},
		{name: "secret true is judged by content", edits: []edit{set("db", "storageEncrypted", sec(true))}},
		{name: "replica inherits", edits: []edit{del("db", "storageEncrypted"), set("db", "replicateSourceDb", "platform-prod-db")}},
		{name: "other type ignored", edits: []edit{set("db", "storageEncrypted", false), retype("db", otherType)}},
	})
}

func TestRDSStorageCustomerManagedKey(t *testing.T) {
	t.Parallel()
	runCases(t, "aws-rds-instance-storage-customer-managed-key", []ruleCase{
		{name: "compliant"},
		{name: "missing", edits: []edit{del("db", "kmsKeyId")}, want: "set `kmsKeyId`", on: "db"},
		{name: "empty", edits: []edit{set("db", "kmsKeyId", "")}, want: "is empty"},
		{name: "aws-managed alias", edits: []edit{set("db", "kmsKeyId", "arn:aws:kms:us-east-1:123456789012:alias/aws/rds")}, want: "AWS-managed key"},
		{name: "computed", edits: []edit{set("db", "kmsKeyId", unknown)}},
		{name: "wrong shape", edits: []edit{set("db", "kmsKeyId", 42)}, want: "must be a KMS key ARN, got a number"},
		{name: "not encrypted is another policy's", edits: []edit{set("db", "storageEncrypted", false), del("db", "kmsKeyId")}},
		{name: "other type ignored", edits: []edit{del("db", "kmsKeyId"), retype("db", otherType)}},
	})
}

func TestRDSPerformanceInsights(t *testing.T) {
	t.Parallel()
	runCases(t, "aws-rds-instance-performance-insights-encrypted", []ruleCase{
		{name: "compliant"},
		{name: "missing key", edits: []edit{del("db", "performanceInsightsKmsKeyId")}, want: "performanceInsightsKmsKeyId"},
		{name: "aws-managed", edits: []edit{set("db", "performanceInsightsKmsKeyId", "alias/aws/rds")}, want: "AWS-managed"},
		{name: "computed", edits: []edit{set("db", "performanceInsightsKmsKeyId", unknown)}},
		{name: "wrong shape", edits: []edit{set("db", "performanceInsightsKmsKeyId", []any{"x"})}, want: "got a list"},
		{name: "PI off", edits: []edit{set("db", "performanceInsightsEnabled", false), del("db", "performanceInsightsKmsKeyId")}},
		{name: "other type ignored", edits: []edit{del("db", "performanceInsightsKmsKeyId"), retype("db", otherType)}},
	})
	runCases(t, "aws-rds-instance-performance-insights-enabled", []ruleCase{
		{name: "compliant"},
		{name: "off", edits: []edit{set("db", "performanceInsightsEnabled", false)}, want: "performanceInsightsEnabled: true"},
		{name: "missing", edits: []edit{del("db", "performanceInsightsEnabled")}, want: "Performance Insights is off"},
		{name: "computed", edits: []edit{set("db", "performanceInsightsEnabled", unknown)}},
		{name: "wrong shape", edits: []edit{set("db", "performanceInsightsEnabled", 1)}, want: "got a number"},
		{name: "other type ignored", edits: []edit{set("db", "performanceInsightsEnabled", false), retype("db", otherType)}},
	})
}

func TestRDSMasterPassword(t *testing.T) {
	t.Parallel()
	runCases(t, "aws-rds-instance-master-password-secret", []ruleCase{
		{name: "managed by RDS"},
		{name: "secret password", edits: []edit{del("db", "manageMasterUserPassword"), set("db", "password", sec("Zq8vN3kP0xR7tL2mW9cB4yH6"))}},
		{name: "plain password", edits: []edit{del("db", "manageMasterUserPassword"), set("db", "password", "hunter2hunter2")}, want: "not a Pulumi secret", on: "db"},
		{name: "plain password with manage off", edits: []edit{set("db", "manageMasterUserPassword", false), set("db", "password", "hunter2hunter2")}, want: "manageMasterUserPassword: true"},
		{name: "no credential at all", edits: []edit{del("db", "manageMasterUserPassword")}, want: "no master credential"},
		{name: "computed password", edits: []edit{del("db", "manageMasterUserPassword"), set("db", "password", unknown)}},
		{name: "computed switch", edits: []edit{set("db", "manageMasterUserPassword", unknown), set("db", "password", "x")}},
		{name: "wrong shape password is still plain", edits: []edit{del("db", "manageMasterUserPassword"), set("db", "password", 12345678)}, want: "not a Pulumi secret"},
		{name: "replica needs none", edits: []edit{del("db", "manageMasterUserPassword"), set("db", "replicateSourceDb", "src")}},
		{name: "other type ignored", edits: []edit{del("db", "manageMasterUserPassword"), set("db", "password", "plain"), retype("db", otherType)}},
	})
	runCases(t, "aws-rds-instance-master-secret-customer-managed-key", []ruleCase{
		{name: "compliant"},
		{name: "missing", edits: []edit{del("db", "masterUserSecretKmsKeyId")}, want: "masterUserSecretKmsKeyId"},
		{name: "computed", edits: []edit{set("db", "masterUserSecretKmsKeyId", unknown)}},
		{name: "wrong shape", edits: []edit{set("db", "masterUserSecretKmsKeyId", true)}, want: "got a boolean"},
		{name: "not managed", edits: []edit{set("db", "manageMasterUserPassword", false), del("db", "masterUserSecretKmsKeyId")}},
		{name: "other type ignored", edits: []edit{del("db", "masterUserSecretKmsKeyId"), retype("db", otherType)}},
	})
}

func TestRDSPublicAccess(t *testing.T) {
	t.Parallel()
	runCases(t, "aws-rds-instance-not-publicly-accessible", []ruleCase{
		{name: "compliant"},
		{name: "public", edits: []edit{set("db", "publiclyAccessible", true)}, want: "publiclyAccessible: false", on: "db"},
		{name: "missing is private", edits: []edit{del("db", "publiclyAccessible")}},
		{name: "computed", edits: []edit{set("db", "publiclyAccessible", unknown)}},
		{name: "wrong shape", edits: []edit{set("db", "publiclyAccessible", map[string]any{"a": 1})}, want: "must be false, got an object"},
		{name: "string true", edits: []edit{set("db", "publiclyAccessible", "true")}, want: "publicly accessible"},
		{name: "other type ignored", edits: []edit{set("db", "publiclyAccessible", true), retype("db", otherType)}},
	})
}

func TestRDSBackups(t *testing.T) {
	t.Parallel()
	runCases(t, "aws-rds-instance-backup-retention", []ruleCase{
		{name: "compliant"},
		{name: "too short", edits: []edit{set("db", "backupRetentionPeriod", 3)}, want: "is 3, below the minimum of 7"},
		{name: "too short for prod", edits: []edit{set("db", "backupRetentionPeriod", 14)}, props: map[string]any{"minimumDays": 30}, want: "below the minimum of 30"},
		{name: "missing means one day", edits: []edit{del("db", "backupRetentionPeriod")}, want: "RDS keeps 1 day"},
		{name: "zero is the stack policy's", edits: []edit{set("db", "backupRetentionPeriod", 0)}},
		{name: "computed", edits: []edit{set("db", "backupRetentionPeriod", unknown)}},
		{name: "wrong shape", edits: []edit{set("db", "backupRetentionPeriod", "lots")}, want: "must be a number, got a string"},
		{name: "replica skipped", edits: []edit{set("db", "backupRetentionPeriod", 1), set("db", "replicateSourceDb", "src")}},
		{name: "other type ignored", edits: []edit{set("db", "backupRetentionPeriod", 1), retype("db", otherType)}},
	})
	runCases(t, "aws-rds-instance-final-snapshot", []ruleCase{
		{name: "compliant"},
		{name: "skipped", edits: []edit{set("db", "skipFinalSnapshot", true)}, want: "`skipFinalSnapshot` is true"},
		{name: "no identifier", edits: []edit{del("db", "finalSnapshotIdentifier")}, want: "`finalSnapshotIdentifier` is not set"},
		{name: "missing skip flag defaults to taking one", edits: []edit{del("db", "skipFinalSnapshot")}},
		{name: "computed", edits: []edit{set("db", "skipFinalSnapshot", unknown), del("db", "finalSnapshotIdentifier")}},
		{name: "computed identifier", edits: []edit{set("db", "finalSnapshotIdentifier", unknown)}},
		{name: "wrong shape", edits: []edit{set("db", "skipFinalSnapshot", 0)}, want: "must be false, got a number"},
		{name: "other type ignored", edits: []edit{set("db", "skipFinalSnapshot", true), retype("db", otherType)}},
	})
	runCases(t, "aws-rds-instance-automated-backups-retained", []ruleCase{
		{name: "compliant"},
		{name: "deleted", edits: []edit{set("db", "deleteAutomatedBackups", true)}, want: "deleteAutomatedBackups` is true"},
		{name: "missing defaults to deleting", edits: []edit{del("db", "deleteAutomatedBackups")}, want: "defaults to true"},
		{name: "computed", edits: []edit{set("db", "deleteAutomatedBackups", unknown)}},
		{name: "wrong shape", edits: []edit{set("db", "deleteAutomatedBackups", "maybe")}, want: "must be false, got a string"},
		{name: "other type ignored", edits: []edit{set("db", "deleteAutomatedBackups", true), retype("db", otherType)}},
	})
	runCases(t, "aws-rds-instance-deletion-protection", []ruleCase{
		{name: "compliant"},
		{name: "off", edits: []edit{set("db", "deletionProtection", false)}, want: "deletionProtection: true"},
		{name: "missing", edits: []edit{del("db", "deletionProtection")}, want: "Deletion protection is off"},
		{name: "computed", edits: []edit{set("db", "deletionProtection", unknown)}},
		{name: "wrong shape", edits: []edit{set("db", "deletionProtection", []any{})}, want: "got a list"},
		{name: "other type ignored", edits: []edit{set("db", "deletionProtection", false), retype("db", otherType)}},
	})
}

func TestRDSOperations(t *testing.T) {
	t.Parallel()
	runCases(t, "aws-rds-instance-multi-az", []ruleCase{
		{name: "compliant"},
		{name: "single AZ", edits: []edit{set("db", "multiAz", false)}, want: "multiAz: true"},
		{name: "missing", edits: []edit{del("db", "multiAz")}, want: "single-AZ"},
		{name: "computed", edits: []edit{set("db", "multiAz", unknown)}},
		{name: "wrong shape", edits: []edit{set("db", "multiAz", "two")}, want: "got a string"},
		{name: "other type ignored", edits: []edit{set("db", "multiAz", false), retype("db", otherType)}},
	})
	runCases(t, "aws-rds-instance-iam-authentication", []ruleCase{
		{name: "compliant"},
		{name: "off", edits: []edit{set("db", "iamDatabaseAuthenticationEnabled", false)}, want: "iamDatabaseAuthenticationEnabled: true"},
		{name: "missing", edits: []edit{del("db", "iamDatabaseAuthenticationEnabled")}, want: "IAM database authentication is off"},
		{name: "computed", edits: []edit{set("db", "iamDatabaseAuthenticationEnabled", unknown)}},
		{name: "wrong shape", edits: []edit{set("db", "iamDatabaseAuthenticationEnabled", 3)}, want: "got a number"},
		{name: "other type ignored", edits: []edit{set("db", "iamDatabaseAuthenticationEnabled", false), retype("db", otherType)}},
	})
	runCases(t, "aws-rds-instance-logs-exported", []ruleCase{
		{name: "compliant"},
		{name: "lacks upgrade", edits: []edit{set("db", "enabledCloudwatchLogsExports", []any{"postgresql"})}, want: "lacks `upgrade`"},
		{name: "configured types", edits: []edit{set("db", "enabledCloudwatchLogsExports", []any{"postgresql"})}, props: map[string]any{"postgresLogTypes": []any{"postgresql"}}},
		{name: "missing", edits: []edit{del("db", "enabledCloudwatchLogsExports")}, want: "No database logs are exported"},
		{name: "computed", edits: []edit{set("db", "enabledCloudwatchLogsExports", unknown)}},
		{name: "computed element", edits: []edit{set("db", "enabledCloudwatchLogsExports", []any{unknown})}},
		{name: "wrong shape", edits: []edit{set("db", "enabledCloudwatchLogsExports", "postgresql")}, want: "No database logs are exported"},
		{name: "other type ignored", edits: []edit{del("db", "enabledCloudwatchLogsExports"), retype("db", otherType)}},
	})
	runCases(t, "aws-rds-instance-auto-minor-version-upgrade", []ruleCase{
		{name: "compliant"},
		{name: "off", edits: []edit{set("db", "autoMinorVersionUpgrade", false)}, want: "`autoMinorVersionUpgrade` is false"},
		{name: "missing is the provider's true", edits: []edit{del("db", "autoMinorVersionUpgrade")}},
		{name: "computed", edits: []edit{set("db", "autoMinorVersionUpgrade", unknown)}},
		{name: "wrong shape", edits: []edit{set("db", "autoMinorVersionUpgrade", "sometimes")}, want: "autoMinorVersionUpgrade"},
		{name: "other type ignored", edits: []edit{set("db", "autoMinorVersionUpgrade", false), retype("db", otherType)}},
	})
	runCases(t, "aws-rds-instance-copy-tags-to-snapshot", []ruleCase{
		{name: "compliant"},
		{name: "off", edits: []edit{set("db", "copyTagsToSnapshot", false)}, want: "copyTagsToSnapshot: true"},
		{name: "missing", edits: []edit{del("db", "copyTagsToSnapshot")}, want: "copyTagsToSnapshot"},
		{name: "computed", edits: []edit{set("db", "copyTagsToSnapshot", unknown)}},
		{name: "wrong shape", edits: []edit{set("db", "copyTagsToSnapshot", 1)}, want: "got a number"},
		{name: "other type ignored", edits: []edit{set("db", "copyTagsToSnapshot", false), retype("db", otherType)}},
	})
	runCases(t, "aws-rds-instance-enhanced-monitoring", []ruleCase{
		{name: "compliant"},
		{name: "off", edits: []edit{set("db", "monitoringInterval", 0)}, want: "Enhanced monitoring is off"},
		{name: "too coarse for config", edits: []edit{set("db", "monitoringInterval", 60)}, props: map[string]any{"maximumIntervalSeconds": 30}, want: "coarser than 30s"},
		{name: "missing", edits: []edit{del("db", "monitoringInterval")}, want: "monitoringInterval"},
		{name: "no role", edits: []edit{del("db", "monitoringRoleArn")}, want: "`monitoringRoleArn` is not set"},
		{name: "computed", edits: []edit{set("db", "monitoringInterval", unknown)}},
		{name: "wrong shape", edits: []edit{set("db", "monitoringInterval", "often")}, want: "monitoringInterval"},
		{name: "other type ignored", edits: []edit{del("db", "monitoringInterval"), retype("db", otherType)}},
	})
	runCases(t, "aws-rds-instance-ca-certificate-current", []ruleCase{
		{name: "compliant"},
		{name: "old", edits: []edit{set("db", "caCertIdentifier", "rds-ca-2019")}, want: `"rds-ca-2019" is not current`},
		{name: "missing", edits: []edit{del("db", "caCertIdentifier")}, want: "is not set"},
		{name: "computed", edits: []edit{set("db", "caCertIdentifier", unknown)}},
		{name: "wrong shape", edits: []edit{set("db", "caCertIdentifier", 2019)}, want: "is not current"},
		{name: "other type ignored", edits: []edit{set("db", "caCertIdentifier", "rds-ca-2019"), retype("db", otherType)}},
	})
	runCases(t, "aws-rds-instance-custom-master-username", []ruleCase{
		{name: "compliant"},
		{name: "postgres", edits: []edit{set("db", "username", "postgres")}, want: `"postgres" is the first one attackers try`},
		{name: "case-insensitive", edits: []edit{set("db", "username", "Admin")}, want: "attackers"},
		{name: "missing", edits: []edit{del("db", "username")}},
		{name: "computed", edits: []edit{set("db", "username", unknown)}},
		{name: "wrong shape", edits: []edit{set("db", "username", 7)}},
		{name: "other type ignored", edits: []edit{set("db", "username", "postgres"), retype("db", otherType)}},
	})
	runCases(t, "aws-rds-instance-in-subnet-group", []ruleCase{
		{name: "compliant"},
		{name: "missing", edits: []edit{del("db", "dbSubnetGroupName")}, want: "default VPC"},
		{name: "empty", edits: []edit{set("db", "dbSubnetGroupName", "")}, want: "default VPC"},
		{name: "named", edits: []edit{set("db", "dbSubnetGroupName", "platform-prod-db")}},
		{name: "wrong shape", edits: []edit{set("db", "dbSubnetGroupName", 1)}, want: "default VPC"},
		{name: "other type ignored", edits: []edit{del("db", "dbSubnetGroupName"), retype("db", otherType)}},
	})
	runCases(t, "aws-rds-parametergroup-statement-logging", []ruleCase{
		{name: "compliant"},
		{name: "disabled", edits: []edit{set("db-postgres16", "parameters[2].value", "-1")}, want: "log_min_duration_statement"},
		{name: "missing", edits: []edit{set("db-postgres16", "parameters", []any{})}, want: "Slow statements are not logged"},
		{name: "computed", edits: []edit{set("db-postgres16", "parameters", unknown)}},
		{name: "computed value", edits: []edit{set("db-postgres16", "parameters[2].value", unknown)}},
		{name: "numeric value", edits: []edit{set("db-postgres16", "parameters[2].value", 250)}},
		{name: "wrong shape", edits: []edit{set("db-postgres16", "parameters", "log everything")}, want: "Slow statements"},
		{name: "not postgres", edits: []edit{set("db-postgres16", "family", "mysql8.0"), set("db-postgres16", "parameters", []any{})}},
		{name: "other type ignored", edits: []edit{set("db-postgres16", "parameters", []any{}), retype("db-postgres16", otherType)}},
	})
}
