package pack_test

import "testing"

func TestBackupVaultsAndPlans(t *testing.T) {
	t.Parallel()
	v, plan := "backup-vault", "backup-plan"
	runCases(t, "aws-backup-vault-customer-managed-key", []ruleCase{
		{name: "compliant"},
		{name: "AWS-managed key", edits: []edit{del(v, "kmsKeyArn")}, want: "`kmsKeyArn` is not set", on: v},
		{name: "AWS-managed alias", edits: []edit{set(v, "kmsKeyArn", "arn:aws:kms:us-east-1:123456789012:alias/aws/backup")}, want: "AWS-managed"},
		{name: "computed", edits: []edit{set(v, "kmsKeyArn", unknown)}},
		{name: "other type ignored", edits: []edit{del(v, "kmsKeyArn"), retype(v, otherType)}},
	})
	runCases(t, "aws-backup-vault-no-force-destroy", []ruleCase{
		{name: "compliant"},
		{name: "unset is false", edits: []edit{del(v, "forceDestroy")}},
		{name: "force-destroyed", edits: []edit{set(v, "forceDestroy", true)}, want: "deletes every recovery point", on: v},
		{name: "computed", edits: []edit{set(v, "forceDestroy", unknown)}},
		{name: "wrong shape", edits: []edit{set(v, "forceDestroy", "yes")}, want: "must be false"},
		{name: "other type ignored", edits: []edit{set(v, "forceDestroy", true), retype(v, otherType)}},
	})
	runCases(t, "aws-backup-plan-minimum-retention", []ruleCase{
		{name: "compliant (35 days, copies 35)"},
		{name: "short rule", edits: []edit{set(plan, "rules[0].lifecycle.deleteAfter", 3)}, want: "Rule 0 (daily) keeps recovery points for 3 days", on: plan},
		{name: "short copy", edits: []edit{set(plan, "rules[0].copyActions[0].lifecycle.deleteAfter", 1)}, want: "copy 0 keeps copies for 1 days"},
		{name: "prod's minimum", edits: []edit{}, props: map[string]any{"minimumDays": 30}},
		{name: "stricter than the plan", edits: []edit{}, props: map[string]any{"minimumDays": 90}, want: "below the minimum of 90", nWant: 2},
		{name: "no lifecycle keeps them forever", edits: []edit{del(plan, "rules[0].lifecycle")}},
		{name: "computed", edits: []edit{set(plan, "rules[0].lifecycle.deleteAfter", unknown)}},
		{name: "wrong shape", edits: []edit{set(plan, "rules[0].lifecycle.deleteAfter", "month")}, want: "must be a number of days"},
		{name: "other type ignored", edits: []edit{set(plan, "rules[0].lifecycle.deleteAfter", 1), retype(plan, otherType)}},
	})
	runCases(t, "aws-backup-vault-locked", []ruleCase{
		{name: "compliant (both vaults locked for 7 days, in compliance mode)"},
		{name: "no lock", edits: []edit{drop("backup-vault-lock")}, want: "has no vault lock", on: v},
		{name: "lock without minimum", edits: []edit{del("backup-vault-lock", "minRetentionDays")}, want: "sets no `minRetentionDays`", on: v},
		{name: "lock too short", edits: []edit{set("backup-vault-lock", "minRetentionDays", 1)}, want: "is 1, below the minimum of 7", on: v},
		{name: "compliance mode required", edits: []edit{del("backup-vault-lock", "changeableForDays"), del("backup-dr-vault-lock", "changeableForDays")}, props: map[string]any{"requireComplianceMode": true}, want: "governance mode", nWant: 2},
		{name: "compliance mode", edits: []edit{set("backup-vault-lock", "changeableForDays", 3), set("backup-dr-vault-lock", "changeableForDays", 3)}, props: map[string]any{"requireComplianceMode": true}},
		{name: "linked by dependency (preview)", edits: []edit{set("backup-vault-lock", "backupVaultName", unknown), withDeps("backup-vault-lock", map[string][]string{"backupVaultName": {v}})}},
		{name: "computed link", edits: []edit{set("backup-vault-lock", "backupVaultName", unknown)}},
		{name: "other type ignored", edits: []edit{drop("backup-vault-lock"), retype(v, otherType)}},
	})
	runCases(t, "aws-backup-plan-cross-region-copy", []ruleCase{
		{name: "compliant (a copy to the DR vault, by dependency)"},
		{name: "by the vault's name in the ARN", edits: []edit{withDeps(plan, nil), set(plan, "rules[0].copyActions[0].destinationVaultArn", "arn:aws:backup:us-east-1:123456789012:backup-vault:platform-prod-backup-dr")}},
		{name: "by the ARN's region", edits: []edit{withDeps(plan, nil), set(plan, "rules[0].copyActions[0].destinationVaultArn", "arn:aws:backup:eu-west-1:123456789012:backup-vault:elsewhere")}},
		{name: "no copy", edits: []edit{del(plan, "rules[0].copyActions")}, want: "Rule 0 (daily) keeps every copy in us-east-1", on: plan},
		{name: "copy in the same region", edits: []edit{withDeps(plan, nil), set(plan, "rules[0].copyActions[0].destinationVaultArn", "arn:aws:backup:us-east-1:123456789012:backup-vault:platform-prod-backup")}, want: "keeps every copy in us-east-1"},
		{name: "copy to the home vault by dependency", edits: []edit{withDeps(plan, map[string][]string{"rules": {v}})}},
		{name: "computed rules", edits: []edit{set(plan, "rules", unknown)}},
		{name: "other type ignored", edits: []edit{del(plan, "rules[0].copyActions"), retype(plan, otherType)}},
	})
	rep := "backup-database-replication"
	runCases(t, "aws-rds-instance-backups-replicated", []ruleCase{
		{name: "compliant (replicated to the DR region)"},
		{name: "no replication", edits: []edit{drop(rep)}, want: "stay in its region", on: "db"},
		{name: "replicated in the same region", edits: []edit{withProvider(rep, defaultProvider())}, want: "stay in its region"},
		{name: "linked by ARN", edits: []edit{withDeps(rep, nil), set(rep, "sourceDbInstanceArn", "arn:aws:rds:us-east-1:123456789012:db:platform-prod-db")}},
		{name: "another instance's", edits: []edit{withDeps(rep, nil), set(rep, "sourceDbInstanceArn", "arn:aws:rds:us-east-1:123456789012:db:other")}, want: "stay in its region"},
		{name: "read replicas inherit", edits: []edit{drop(rep), set("db", "replicateSourceDb", "platform-prod-db-primary")}},
		{name: "computed link", edits: []edit{withDeps(rep, nil)}},
		{name: "other type ignored", edits: []edit{drop(rep), retype("db", otherType)}},
	})
	sel := "backup-selection"
	runCases(t, "aws-backup-selection-covers-datastores", []ruleCase{
		{name: "compliant (the database by ARN)"},
		{name: "no selection", edits: []edit{drop(sel)}, want: "No AWS Backup selection", on: "db"},
		{name: "selection of another database", edits: []edit{set(sel, "resources", []any{"arn:aws:rds:us-east-1:123456789012:db:other"})}, want: "No AWS Backup selection"},
		{name: "by dependency (preview)", edits: []edit{set(sel, "resources", []any{unknown}), withDeps(sel, map[string][]string{"resources": {"db"}})}},
		{name: "by pattern", edits: []edit{set(sel, "resources", []any{"arn:aws:rds:*:*:db:*"})}},
		{name: "by tag", edits: []edit{set(sel, "resources", []any{}), set(sel, "selectionTags", []any{map[string]any{"type": "STRINGEQUALS", "key": "Environment", "value": "prod"}})}},
		{name: "by a tag it lacks", edits: []edit{set(sel, "resources", []any{}), set(sel, "selectionTags", []any{map[string]any{"type": "STRINGEQUALS", "key": "Backup", "value": "daily"}})}, want: "No AWS Backup selection"},
		{name: "DynamoDB tables too", edits: []edit{add(res{typ: "aws:dynamodb/table:Table", name: "sessions", props: map[string]any{"name": "sessions"}})}, want: "No AWS Backup selection"},
		{name: "only the configured types", edits: []edit{add(res{typ: "aws:dynamodb/table:Table", name: "sessions", props: map[string]any{"name": "sessions"}})}, props: map[string]any{"datastoreTypes": []any{"aws:rds/instance:Instance"}}},
		{name: "computed selection", edits: []edit{set(sel, "resources", unknown)}},
		{name: "other type ignored", edits: []edit{drop(sel), retype("db", otherType)}},
	})
}

func TestResilience(t *testing.T) {
	t.Parallel()
	runCases(t, "aws-resources-stateful-protected", []ruleCase{
		{name: "compliant (every stateful resource protected)"},
		{name: "database unprotected", edits: []edit{unprotect("db")}, want: "not protected", on: "db"},
		{name: "key unprotected", edits: []edit{unprotect("db-key")}, want: "not protected", on: "db-key"},
		{name: "vault unprotected", edits: []edit{unprotect("backup-vault")}, want: "not protected", on: "backup-vault"},
		{name: "configured types only", edits: []edit{unprotect("db-key")}, props: map[string]any{"statefulTypes": []any{"aws:rds/instance:Instance"}}},
		{name: "a configured type is judged", edits: []edit{}, props: map[string]any{"statefulTypes": []any{"aws:iam/role:Role"}}, want: "not protected", nWant: 3},
		{name: "stateless resources need none", edits: []edit{unprotect("db-sg")}},
		{name: "other type ignored", edits: []edit{unprotect("db"), retype("db", otherType)}},
	})
}

// unprotect removes the protect option of a resource.
func unprotect(name string) edit {
	return func(t testing.TB, rs []res) []res {
		find(t, rs, name).protect = false
		return rs
	}
}
