package pack_test

import "testing"

func TestElastiCacheEncryption(t *testing.T) {
	t.Parallel()
	runCases(t, "aws-elasticache-replicationgroup-encrypted-at-rest", []ruleCase{
		{name: "compliant"},
		{name: "off", edits: []edit{set("cache", "atRestEncryptionEnabled", false)}, want: "atRestEncryptionEnabled: true", on: "cache"},
		{name: "missing", edits: []edit{del("cache", "atRestEncryptionEnabled")}, want: "At-rest encryption is off"},
		{name: "computed", edits: []edit{set("cache", "atRestEncryptionEnabled", unknown)}},
		{name: "wrong shape", edits: []edit{set("cache", "atRestEncryptionEnabled", 1)}, want: "got a number"},
		{name: "other type ignored", edits: []edit{set("cache", "atRestEncryptionEnabled", false), retype("cache", otherType)}},
	})
	runCases(t, "aws-elasticache-replicationgroup-customer-managed-key", []ruleCase{
		{name: "compliant"},
		{name: "missing", edits: []edit{del("cache", "kmsKeyId")}, want: "set `kmsKeyId`"},
		{name: "aws-managed", edits: []edit{set("cache", "kmsKeyId", "alias/aws/elasticache")}, want: "AWS-managed key"},
		{name: "computed", edits: []edit{set("cache", "kmsKeyId", unknown)}},
		{name: "wrong shape", edits: []edit{set("cache", "kmsKeyId", false)}, want: "got a boolean"},
		{name: "unencrypted is another policy's", edits: []edit{set("cache", "atRestEncryptionEnabled", false), del("cache", "kmsKeyId")}},
		{name: "other type ignored", edits: []edit{del("cache", "kmsKeyId"), retype("cache", otherType)}},
	})
	runCases(t, "aws-elasticache-replicationgroup-encrypted-in-transit", []ruleCase{
		{name: "compliant"},
		{name: "off", edits: []edit{set("cache", "transitEncryptionEnabled", false)}, want: "transitEncryptionEnabled: true"},
		{name: "missing", edits: []edit{del("cache", "transitEncryptionEnabled")}, want: "In-transit encryption is off"},
		{name: "preferred mode", edits: []edit{set("cache", "transitEncryptionMode", "preferred")}, want: `"preferred"`},
		{name: "mode unset defaults to required", edits: []edit{del("cache", "transitEncryptionMode")}},
		{name: "computed", edits: []edit{set("cache", "transitEncryptionEnabled", unknown)}},
		{name: "computed mode", edits: []edit{set("cache", "transitEncryptionMode", unknown)}},
		{name: "wrong shape", edits: []edit{set("cache", "transitEncryptionEnabled", "on")}, want: "got a string"},
		{name: "other type ignored", edits: []edit{set("cache", "transitEncryptionEnabled", false), retype("cache", otherType)}},
	})
}

func TestElastiCacheAuth(t *testing.T) {
	t.Parallel()
	runCases(t, "aws-elasticache-replicationgroup-auth-enabled", []ruleCase{
		{name: "compliant"},
		{name: "no token", edits: []edit{del("cache", "authToken")}, want: "Clients need no credentials"},
		{name: "empty token", edits: []edit{set("cache", "authToken", sec(""))}, want: "authToken"},
		{name: "RBAC instead", edits: []edit{del("cache", "authToken"), set("cache", "userGroupIds", []any{"app-users"})}},
		{name: "computed token", edits: []edit{set("cache", "authToken", unknown)}},
		{name: "computed groups", edits: []edit{del("cache", "authToken"), set("cache", "userGroupIds", unknown)}},
		{name: "wrong shape", edits: []edit{set("cache", "authToken", 5)}, want: "Clients need no credentials"},
		{name: "other type ignored", edits: []edit{del("cache", "authToken"), retype("cache", otherType)}},
	})
	runCases(t, "aws-elasticache-replicationgroup-auth-token-secret", []ruleCase{
		{name: "compliant"},
		{name: "plain token", edits: []edit{set("cache", "authToken", "Wq3eR5tY7uI9oP1aS3dF5gH7")}, want: "not a Pulumi secret", on: "cache"},
		{name: "missing is the auth policy's", edits: []edit{del("cache", "authToken")}},
		{name: "computed", edits: []edit{set("cache", "authToken", unknown)}},
		{name: "wrong shape still plain", edits: []edit{set("cache", "authToken", []any{"a"})}, want: "not a Pulumi secret"},
		{name: "other type ignored", edits: []edit{set("cache", "authToken", "plain"), retype("cache", otherType)}},
	})
}

func TestElastiCacheResilience(t *testing.T) {
	t.Parallel()
	runCases(t, "aws-elasticache-replicationgroup-snapshot-retention", []ruleCase{
		{name: "compliant"},
		{name: "below prod minimum", edits: []edit{set("cache", "snapshotRetentionLimit", 3)}, props: map[string]any{"minimumDays": 7}, want: "is 3, below the minimum of 7"},
		{name: "zero is the stack policy's", edits: []edit{set("cache", "snapshotRetentionLimit", 0)}},
		{name: "missing is the stack policy's", edits: []edit{del("cache", "snapshotRetentionLimit")}},
		{name: "computed", edits: []edit{set("cache", "snapshotRetentionLimit", unknown)}, props: map[string]any{"minimumDays": 30}},
		{name: "wrong shape", edits: []edit{set("cache", "snapshotRetentionLimit", "weekly")}, want: "must be a number"},
		{name: "other type ignored", edits: []edit{set("cache", "snapshotRetentionLimit", 1), retype("cache", otherType)}, props: map[string]any{"minimumDays": 7}},
	})
	runCases(t, "aws-elasticache-replicationgroup-automatic-failover", []ruleCase{
		{name: "compliant"},
		{name: "single node", edits: []edit{set("cache", "numCacheClusters", 1)}, want: "single node"},
		{name: "failover off", edits: []edit{set("cache", "automaticFailoverEnabled", false)}, want: "automaticFailoverEnabled"},
		{name: "multi-AZ missing", edits: []edit{del("cache", "multiAzEnabled")}, want: "multiAzEnabled"},
		{name: "both off", edits: []edit{del("cache", "multiAzEnabled"), del("cache", "automaticFailoverEnabled")}, want: "set it true", nWant: 2},
		{name: "computed", edits: []edit{set("cache", "automaticFailoverEnabled", unknown), set("cache", "multiAzEnabled", unknown)}},
		{name: "wrong shape", edits: []edit{set("cache", "multiAzEnabled", "yes please")}, want: "got a string"},
		{name: "other type ignored", edits: []edit{set("cache", "numCacheClusters", 1), retype("cache", otherType)}},
	})
	runCases(t, "aws-elasticache-replicationgroup-auto-minor-version-upgrade", []ruleCase{
		{name: "compliant"},
		{name: "off", edits: []edit{set("cache", "autoMinorVersionUpgrade", false)}, want: "autoMinorVersionUpgrade"},
		{name: "missing", edits: []edit{del("cache", "autoMinorVersionUpgrade")}},
		{name: "computed", edits: []edit{set("cache", "autoMinorVersionUpgrade", unknown)}},
		{name: "wrong shape", edits: []edit{set("cache", "autoMinorVersionUpgrade", 0)}, want: "autoMinorVersionUpgrade"},
		{name: "other type ignored", edits: []edit{set("cache", "autoMinorVersionUpgrade", false), retype("cache", otherType)}},
	})
	runCases(t, "aws-elasticache-replicationgroup-subnet-group", []ruleCase{
		{name: "compliant"},
		{name: "default", edits: []edit{set("cache", "subnetGroupName", "default")}, want: "default subnet group"},
		{name: "missing", edits: []edit{del("cache", "subnetGroupName")}, want: "default subnet group"},
		{name: "named", edits: []edit{set("cache", "subnetGroupName", "platform-prod-cache")}},
		{name: "wrong shape", edits: []edit{set("cache", "subnetGroupName", 3)}, want: "default subnet group"},
		{name: "other type ignored", edits: []edit{del("cache", "subnetGroupName"), retype("cache", otherType)}},
	})
	runCases(t, "aws-elasticache-replicationgroup-final-snapshot", []ruleCase{
		{name: "compliant"},
		{name: "missing", edits: []edit{del("cache", "finalSnapshotIdentifier")}, want: "finalSnapshotIdentifier"},
		{name: "computed", edits: []edit{set("cache", "finalSnapshotIdentifier", unknown)}},
		{name: "wrong shape", edits: []edit{set("cache", "finalSnapshotIdentifier", true)}, want: "finalSnapshotIdentifier"},
		{name: "other type ignored", edits: []edit{del("cache", "finalSnapshotIdentifier"), retype("cache", otherType)}},
	})
}

func TestMQ(t *testing.T) {
	t.Parallel()
	runCases(t, "aws-mq-broker-not-publicly-accessible", []ruleCase{
		{name: "compliant"},
		{name: "public", edits: []edit{set("broker", "publiclyAccessible", true)}, want: "publiclyAccessible: false", on: "broker"},
		{name: "missing is private", edits: []edit{del("broker", "publiclyAccessible")}},
		{name: "computed", edits: []edit{set("broker", "publiclyAccessible", unknown)}},
		{name: "wrong shape", edits: []edit{set("broker", "publiclyAccessible", 1)}, want: "must be false, got a number"},
		{name: "other type ignored", edits: []edit{set("broker", "publiclyAccessible", true), retype("broker", otherType)}},
	})
	runCases(t, "aws-mq-broker-user-passwords-secret", []ruleCase{
		{name: "compliant"},
		{name: "plain password", edits: []edit{set("broker", "users[0].password", "Mn4bV6cX8zL0kJ2hG4fD6sA8")}, want: `broker user "platform_admin"`, on: "broker"},
		{name: "users list secret as a whole", edits: []edit{set("broker", "users", sec([]any{map[string]any{"username": "a", "password": "p4ssw0rd-long-enough"}}))}},
		{name: "two plain users", edits: []edit{set("broker", "users", []any{
			map[string]any{"username": "a", "password": "p4ssw0rd-long-enough"},
			map[string]any{"username": "b", "password": "p4ssw0rd-long-enough"},
		})}, want: "not a Pulumi secret", nWant: 2},
		{name: "single user object", edits: []edit{set("broker", "users", map[string]any{"username": "a", "password": "plain-password-1"})}, want: "not a Pulumi secret"},
		{name: "missing users", edits: []edit{del("broker", "users")}},
		{name: "computed", edits: []edit{set("broker", "users[0].password", unknown)}},
		{name: "computed users", edits: []edit{set("broker", "users", unknown)}},
		{name: "wrong shape", edits: []edit{set("broker", "users", "admin:password")}},
		{name: "other type ignored", edits: []edit{set("broker", "users[0].password", "plain"), retype("broker", otherType)}},
	})
	runCases(t, "aws-mq-broker-general-logs", []ruleCase{
		{name: "compliant"},
		{name: "off", edits: []edit{set("broker", "logs.general", false)}, want: "general: true"},
		{name: "missing", edits: []edit{del("broker", "logs")}, want: "General logs are off"},
		{name: "computed", edits: []edit{set("broker", "logs", unknown)}},
		{name: "wrong shape", edits: []edit{set("broker", "logs", "all")}, want: "General logs are off"},
		{name: "other type ignored", edits: []edit{del("broker", "logs"), retype("broker", otherType)}},
	})
	runCases(t, "aws-mq-broker-audit-logs", []ruleCase{
		{name: "RabbitMQ has none"},
		{name: "ActiveMQ without audit", edits: []edit{set("broker", "engineType", "ActiveMQ")}, want: "audit: true"},
		{name: "ActiveMQ with audit", edits: []edit{set("broker", "engineType", "ActiveMQ"), set("broker", "logs.audit", true)}},
		{name: "computed", edits: []edit{set("broker", "engineType", "ActiveMQ"), set("broker", "logs.audit", unknown)}},
		{name: "other type ignored", edits: []edit{set("broker", "engineType", "ActiveMQ"), retype("broker", otherType)}},
	})
	runCases(t, "aws-mq-broker-auto-minor-version-upgrade", []ruleCase{
		{name: "compliant"},
		{name: "off", edits: []edit{set("broker", "autoMinorVersionUpgrade", false)}, want: "autoMinorVersionUpgrade"},
		{name: "missing", edits: []edit{del("broker", "autoMinorVersionUpgrade")}, want: "autoMinorVersionUpgrade"},
		{name: "computed", edits: []edit{set("broker", "autoMinorVersionUpgrade", unknown)}},
		{name: "wrong shape", edits: []edit{set("broker", "autoMinorVersionUpgrade", "auto")}, want: "got a string"},
		{name: "other type ignored", edits: []edit{set("broker", "autoMinorVersionUpgrade", false), retype("broker", otherType)}},
	})
	runCases(t, "aws-mq-broker-engine-version-current", []ruleCase{
		{name: "compliant"},
		{name: "old RabbitMQ", edits: []edit{set("broker", "engineVersion", "3.11.20")}, want: `"3.11.20" is older than 3.13`},
		{name: "newer minor compares numerically", edits: []edit{set("broker", "engineVersion", "3.9")}, want: "older than 3.13"},
		{name: "configured minimum", edits: []edit{set("broker", "engineVersion", "3.13")}, props: map[string]any{"minimumRabbitmqVersion": "4.0"}, want: "older than 4.0"},
		{name: "ActiveMQ minimum", edits: []edit{set("broker", "engineType", "ActiveMQ"), set("broker", "engineVersion", "5.16.7")}, want: "older than 5.17"},
		{name: "missing", edits: []edit{del("broker", "engineVersion")}},
		{name: "computed", edits: []edit{set("broker", "engineVersion", unknown)}},
		{name: "wrong shape", edits: []edit{set("broker", "engineVersion", 3.13)}},
		{name: "other type ignored", edits: []edit{set("broker", "engineVersion", "3.8"), retype("broker", otherType)}},
	})
	runCases(t, "aws-mq-broker-multi-az", []ruleCase{
		{name: "compliant"},
		{name: "single instance", edits: []edit{set("broker", "deploymentMode", "SINGLE_INSTANCE")}, want: "CLUSTER_MULTI_AZ"},
		{name: "missing", edits: []edit{del("broker", "deploymentMode")}, want: "SINGLE_INSTANCE (the default)"},
		{name: "ActiveMQ wants active/standby", edits: []edit{set("broker", "engineType", "ActiveMQ")}, want: "ACTIVE_STANDBY_MULTI_AZ"},
		{name: "computed", edits: []edit{set("broker", "deploymentMode", unknown)}},
		{name: "wrong shape", edits: []edit{set("broker", "deploymentMode", 3)}, want: "deploymentMode"},
		{name: "other type ignored", edits: []edit{set("broker", "deploymentMode", "SINGLE_INSTANCE"), retype("broker", otherType)}},
	})
	runCases(t, "aws-mq-broker-customer-managed-key", []ruleCase{
		{name: "RabbitMQ waived (AWS-owned keys only)"},
		{name: "ActiveMQ on the AWS-owned key", edits: []edit{set("broker", "engineType", "ActiveMQ")}, want: "AWS-owned key"},
		{name: "ActiveMQ with a CMK", edits: []edit{set("broker", "engineType", "ActiveMQ"), set("broker", "encryptionOptions", map[string]any{"useAwsOwnedKey": false, "kmsKeyId": keyARN})}},
		{name: "ActiveMQ without the key ARN", edits: []edit{set("broker", "engineType", "ActiveMQ"), set("broker", "encryptionOptions", map[string]any{"useAwsOwnedKey": false})}, want: "encryptionOptions.kmsKeyId"},
		{name: "computed", edits: []edit{set("broker", "engineType", "ActiveMQ"), set("broker", "encryptionOptions", map[string]any{"useAwsOwnedKey": unknown})}},
		{name: "wrong shape", edits: []edit{set("broker", "engineType", "ActiveMQ"), set("broker", "encryptionOptions", map[string]any{"useAwsOwnedKey": "no"})}, want: "AWS-owned key"},
		{name: "other type ignored", edits: []edit{set("broker", "engineType", "ActiveMQ"), retype("broker", otherType)}},
	})
}
