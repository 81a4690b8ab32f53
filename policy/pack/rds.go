package pack

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

const (
	rdsInstance       = "aws:rds/instance:Instance"
	rdsCluster        = "aws:rds/cluster:Cluster"
	rdsParameterGroup = "aws:rds/parameterGroup:ParameterGroup"
)

// isReplica reports an instance that copies another (replicateSourceDb):
// it inherits encryption, credentials and backups from its source.
func isReplica(r policyx.AnalyzerResource) bool {
	n := at(r.Properties, "replicateSourceDb")
	return n.isUnknown() || n.nonEmpty()
}

func isPostgres(r policyx.AnalyzerResource) bool {
	s, _ := at(r.Properties, "engine").str()
	return strings.HasPrefix(strings.ToLower(s), "postgres")
}

func rdsRules() []*rule {
	inst := []string{rdsInstance}
	return []*rule{
		{
			// Closes: database files, snapshots and backups readable by anyone
			// who gets the underlying storage.
			name:        "aws-rds-instance-storage-encrypted",
			description: "RDS instances encrypt their storage at rest.",
			level:       Mandatory,
			severity:    Medium,
			types:       inst,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				n := at(r.Properties, "storageEncrypted")
				if isReplica(r) && n.missing() {
					return nil
				}
				return collect(requireTrue(n, "RDS instance storage is not encrypted; set `storageEncrypted: true` with `kmsKeyId` = a customer-managed key (components/postgres does this). Encryption cannot be added later without a snapshot restore."))
			},
		},
		{
			// Closes: an AWS-managed key, whose policy the account cannot
			// restrict or audit, and which cannot be shared for snapshot copies.
			name:        "aws-rds-instance-storage-customer-managed-key",
			description: "Encrypted RDS storage uses a customer-managed KMS key.",
			level:       Mandatory,
			severity:    Low,
			types:       inst,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				if !at(r.Properties, "storageEncrypted").isTrue() {
					return nil
				}
				return collect(requireCMK(at(r.Properties, "kmsKeyId"), "RDS instance storage",
					"set `kmsKeyId` to a customer-managed KMS key ARN (components/postgres does this)."))
			},
		},
		{
			// Closes: query texts and statistics readable through an
			// AWS-managed key.
			name:        "aws-rds-instance-performance-insights-encrypted",
			description: "RDS Performance Insights data is encrypted with a customer-managed KMS key.",
			level:       Mandatory,
			severity:    High,
			types:       inst,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				if !at(r.Properties, "performanceInsightsEnabled").isTrue() {
					return nil
				}
				return collect(requireCMK(at(r.Properties, "performanceInsightsKmsKeyId"), "RDS Performance Insights",
					"set `performanceInsightsKmsKeyId` to a customer-managed KMS key ARN."))
			},
		},
		{
			name:        "aws-rds-instance-performance-insights-enabled",
			description: "RDS instances have Performance Insights on, so slow queries can be diagnosed.",
			level:       Advisory,
			severity:    Low,
			types:       inst,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return collect(requireTrue(at(r.Properties, "performanceInsightsEnabled"),
					"Performance Insights is off; set `performanceInsightsEnabled: true` with `performanceInsightsKmsKeyId`."))
			},
		},
		{
			// Closes: a master password in plaintext in the Pulumi state.
			name:        "aws-rds-instance-master-password-secret",
			description: "The RDS master password is managed by RDS in Secrets Manager or is a Pulumi secret.",
			level:       Mandatory,
			severity:    High,
			types:       inst,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				manage := at(r.Properties, "manageMasterUserPassword")
				if manage.isUnknown() || manage.isTrue() {
					return nil
				}
				pw := at(r.Properties, "password")
				const fix = "set `manageMasterUserPassword: true` so no master password exists in code, config or state (components/postgres does this), or pass a `random.RandomPassword` result."
				if pw.known() {
					return collect(requireSecret(pw, "The RDS master password", fix))
				}
				if pw.missing() && !isReplica(r) && at(r.Properties, "snapshotIdentifier").missing() {
					return []string{"The RDS instance has no master credential; " + fix}
				}
				return nil
			},
		},
		{
			// Closes: the RDS-managed master secret encrypted with the
			// AWS-managed Secrets Manager key.
			name:        "aws-rds-instance-master-secret-customer-managed-key",
			description: "The RDS-managed master secret is encrypted with a customer-managed KMS key.",
			level:       Mandatory,
			severity:    Low,
			types:       inst,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				if !at(r.Properties, "manageMasterUserPassword").isTrue() {
					return nil
				}
				return collect(requireCMK(at(r.Properties, "masterUserSecretKmsKeyId"), "The RDS-managed master secret",
					"set `masterUserSecretKmsKeyId` to a customer-managed KMS key ARN."))
			},
		},
		{
			// Closes: a database endpoint resolvable and reachable from the
			// internet.
			name:        "aws-rds-instance-not-publicly-accessible",
			description: "RDS instances are not publicly accessible.",
			level:       Mandatory,
			severity:    Critical,
			types:       inst,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return collect(forbidTrue(at(r.Properties, "publiclyAccessible"),
					"The RDS instance is publicly accessible; set `publiclyAccessible: false` and reach it from inside the VPC."))
			},
		},
		{
			// Closes: too short a window to notice and recover from data loss.
			name:        "aws-rds-instance-backup-retention",
			description: "RDS automated backups are kept for at least the configured number of days.",
			level:       Mandatory,
			severity:    Medium,
			types:       inst,
			schema: schemaProps{
				"minimumDays": intProp("Fewest days of automated backups (backupRetentionPeriod) an instance may keep.", 7, 1, 35),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				if isReplica(r) {
					return nil
				}
				minimum := s.int("minimumDays")
				n := at(r.Properties, "backupRetentionPeriod")
				fix := fmt.Sprintf("set `backupRetentionPeriod` to at least %d (platform:database.backupRetentionDays).", minimum)
				if n.missing() {
					if minimum > 1 {
						return []string{"`backupRetentionPeriod` is not set, so RDS keeps 1 day of backups; " + fix}
					}
					return nil
				}
				// 0 means no backups at all: aws-stack-datastores-backups-enabled
				// reports that, so one mistake fails one policy.
				if f, ok := n.num(); ok && f == 0 {
					return nil
				}
				return collect(atLeast(n, minimum, "`backupRetentionPeriod`", fix))
			},
		},
		{
			// Closes: losing the last state of the data when the instance is
			// deleted or replaced.
			name:        "aws-rds-instance-final-snapshot",
			description: "RDS instances take a final snapshot when deleted.",
			level:       Advisory,
			severity:    Medium,
			types:       inst,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				skip := at(r.Properties, "skipFinalSnapshot")
				if skip.isUnknown() {
					return nil
				}
				if m := forbidTrue(skip, "`skipFinalSnapshot` is true, so deleting the instance loses its data; set it false and set a unique `finalSnapshotIdentifier`."); m != "" {
					return []string{m}
				}
				id := at(r.Properties, "finalSnapshotIdentifier")
				if id.isUnknown() || id.nonEmpty() {
					return nil
				}
				return []string{"`finalSnapshotIdentifier` is not set, so RDS cannot take the final snapshot on delete; set a unique identifier."}
			},
		},
		{
			// Closes: point-in-time recovery lost together with the instance.
			name:        "aws-rds-instance-automated-backups-retained",
			description: "RDS automated backups are kept after the instance is deleted.",
			level:       Mandatory,
			severity:    Medium,
			types:       inst,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				n := at(r.Properties, "deleteAutomatedBackups")
				if n.missing() {
					return []string{"`deleteAutomatedBackups` is not set and defaults to true, so deleting the instance deletes its automated backups; set `deleteAutomatedBackups: false`."}
				}
				return collect(forbidTrue(n, "`deleteAutomatedBackups` is true, so deleting the instance deletes its automated backups; set it false."))
			},
		},
		{
			// Closes: deleting a production database by accident (a replaced
			// resource, a mistaken destroy).
			name:        "aws-rds-instance-deletion-protection",
			description: "RDS instances have deletion protection on.",
			level:       Advisory,
			severity:    Low,
			types:       inst,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return collect(requireTrue(at(r.Properties, "deletionProtection"),
					"Deletion protection is off; set `deletionProtection: true` (platform:database.deletionProtection) and protect the resource."))
			},
		},
		{
			name:        "aws-rds-instance-multi-az",
			description: "RDS instances run Multi-AZ, so a zone failure fails over instead of taking the database down.",
			level:       Advisory,
			severity:    Medium,
			types:       inst,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				if isReplica(r) {
					return nil
				}
				return collect(requireTrue(at(r.Properties, "multiAz"), "The instance is single-AZ; set `multiAz: true` (platform:database.multiAz)."))
			},
		},
		{
			name:        "aws-rds-instance-iam-authentication",
			description: "RDS instances accept IAM database authentication, so workloads need no long-lived password.",
			level:       Advisory,
			severity:    Medium,
			types:       inst,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return collect(requireTrue(at(r.Properties, "iamDatabaseAuthenticationEnabled"),
					"IAM database authentication is off; set `iamDatabaseAuthenticationEnabled: true`."))
			},
		},
		{
			name:        "aws-rds-instance-logs-exported",
			description: "RDS instances export their database logs to CloudWatch Logs.",
			level:       Advisory,
			severity:    Medium,
			types:       inst,
			schema: schemaProps{
				"postgresLogTypes": stringListProp("Log types a PostgreSQL instance must export.", []string{"postgresql", "upgrade"}),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				n := at(r.Properties, "enabledCloudwatchLogsExports")
				if n.isUnknown() {
					return nil
				}
				got, hasUnknown, _ := n.strings()
				if hasUnknown {
					return nil
				}
				var want []string
				if isPostgres(r) {
					want = s.strs("postgresLogTypes")
				}
				if len(got) == 0 {
					return []string{fmt.Sprintf("No database logs are exported; set `enabledCloudwatchLogsExports` to %s.", quoteList(orDefault(want, []string{"the engine's log types"})))}
				}
				var missing []string
				for _, w := range want {
					if !slices.Contains(got, w) {
						missing = append(missing, w)
					}
				}
				if len(missing) > 0 {
					return []string{fmt.Sprintf("`enabledCloudwatchLogsExports` lacks %s; add them.", quoteList(missing))}
				}
				return nil
			},
		},
		{
			name:        "aws-rds-instance-auto-minor-version-upgrade",
			description: "RDS instances take minor engine upgrades (security fixes) automatically.",
			level:       Advisory,
			severity:    High,
			types:       inst,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				n := at(r.Properties, "autoMinorVersionUpgrade")
				if b, ok := n.bool(); n.known() && (!ok || !b) {
					return []string{"`autoMinorVersionUpgrade` is false; set it true (or leave it unset) so security fixes are applied in the maintenance window."}
				}
				return nil
			},
		},
		{
			name:        "aws-rds-instance-copy-tags-to-snapshot",
			description: "RDS instances copy their tags to snapshots, so snapshots keep their owner and environment.",
			level:       Advisory,
			severity:    Low,
			types:       inst,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return collect(requireTrue(at(r.Properties, "copyTagsToSnapshot"), "Snapshots will carry no tags; set `copyTagsToSnapshot: true`."))
			},
		},
		{
			name:        "aws-rds-instance-enhanced-monitoring",
			description: "RDS instances have enhanced monitoring at the configured interval or finer.",
			level:       Advisory,
			severity:    Low,
			types:       inst,
			schema: schemaProps{
				"maximumIntervalSeconds": intProp("Coarsest enhanced-monitoring interval allowed, in seconds.", 60, 1, 60),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				n := at(r.Properties, "monitoringInterval")
				if n.isUnknown() {
					return nil
				}
				maxi := s.int("maximumIntervalSeconds")
				f, ok := n.num()
				if !ok || f <= 0 || int(f) > maxi {
					return []string{fmt.Sprintf("Enhanced monitoring is off or coarser than %ds; set `monitoringInterval` (1, 5, 10, 15, 30 or 60, at most %d) and `monitoringRoleArn`.", maxi, maxi)}
				}
				role := at(r.Properties, "monitoringRoleArn")
				if role.isUnknown() || role.nonEmpty() {
					return nil
				}
				return []string{"`monitoringRoleArn` is not set, so RDS cannot publish enhanced monitoring; create the monitoring role and set it."}
			},
		},
		{
			name:        "aws-rds-instance-ca-certificate-current",
			description: "RDS instances use a current CA certificate for TLS.",
			level:       Advisory,
			severity:    Medium,
			types:       inst,
			schema: schemaProps{
				"allowedCaCertificates": stringListProp("CA certificate identifiers instances may use.", []string{"rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"}),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				n := at(r.Properties, "caCertIdentifier")
				allowed := s.strs("allowedCaCertificates")
				if n.isUnknown() {
					return nil
				}
				v, _ := n.str()
				if slices.Contains(allowed, v) {
					return nil
				}
				if n.missing() {
					return []string{fmt.Sprintf("`caCertIdentifier` is not set, so RDS picks its default; set one of %s.", quoteList(allowed))}
				}
				return []string{fmt.Sprintf("`caCertIdentifier` %q is not current; use one of %s.", v, quoteList(allowed))}
			},
		},
		{
			name:        "aws-rds-instance-custom-master-username",
			description: "RDS instances do not use the engine's well-known master username.",
			level:       Advisory,
			severity:    Medium,
			types:       inst,
			schema: schemaProps{
				"reservedUsernames": stringListProp("Master usernames attackers try first.", []string{"postgres", "admin", "root", "rdsadmin", "master"}),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				v, ok := at(r.Properties, "username").str()
				if !ok {
					return nil
				}
				for _, res := range s.strs("reservedUsernames") {
					if strings.EqualFold(v, res) {
						return []string{fmt.Sprintf("The master username %q is the first one attackers try; set `username` to another name (platform:database.masterUsername).", v)}
					}
				}
				return nil
			},
		},
		{
			name:        "aws-rds-instance-in-subnet-group",
			description: "RDS instances are placed in a DB subnet group of our VPC, not the default VPC.",
			level:       Advisory,
			severity:    High,
			types:       inst,
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				n := at(r.Properties, "dbSubnetGroupName")
				if n.isUnknown() || isReplica(r) {
					return nil
				}
				if v, _ := n.str(); strings.EqualFold(strings.TrimSpace(v), "default") {
					return []string{"`dbSubnetGroupName` is \"default\", the default VPC's subnet group; set it to a subnet group over the data-tier subnets of our VPC."}
				}
				if n.nonEmpty() {
					return nil
				}
				return []string{"`dbSubnetGroupName` is not set, so the instance lands in the default VPC; set it to a subnet group over the data-tier subnets."}
			},
		},
		{
			name:        "aws-rds-parametergroup-statement-logging",
			description: "PostgreSQL parameter groups log slow statements (log_min_duration_statement).",
			level:       Advisory,
			severity:    Low,
			types:       []string{rdsParameterGroup},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				fam, _ := at(r.Properties, "family").str()
				if !strings.HasPrefix(fam, "postgres") {
					return nil
				}
				v, st := parameterValue(at(r.Properties, "parameters"), "log_min_duration_statement")
				if st == unknown || (st == present && strings.TrimSpace(v) != "-1") {
					return nil
				}
				return []string{"Slow statements are not logged; add the parameter `log_min_duration_statement` with a threshold in milliseconds (platform:database.slowQueryMs)."}
			},
		},
		{
			// Closes: passwords stored as MD5 hashes, which PostgreSQL itself
			// calls insecure: password_encryption = md5, or a family before
			// PostgreSQL 14 (whose default is md5) that does not set
			// scram-sha-256. https://www.postgresql.org/docs/current/auth-password.html
			name:        "aws-rds-parametergroup-no-md5-passwords",
			description: "PostgreSQL parameter groups store passwords as SCRAM-SHA-256, never MD5.",
			level:       Mandatory,
			severity:    Medium,
			types:       []string{rdsParameterGroup},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				fam, _ := at(r.Properties, "family").str()
				if !strings.HasPrefix(fam, "postgres") {
					return nil
				}
				v, st := parameterValue(at(r.Properties, "parameters"), "password_encryption")
				const fix = "add the parameter `password_encryption` = `scram-sha-256` (components/postgres does this)."
				switch {
				case st == unknown:
					return nil
				case st == present && strings.EqualFold(strings.TrimSpace(v), "md5"):
					return []string{"`password_encryption` is md5, so role passwords are stored as MD5 hashes; " + fix}
				case st == absent && versionLess(strings.TrimPrefix(fam, "postgres"), "14"):
					return []string{fmt.Sprintf("Family %s stores passwords as MD5 unless told otherwise; %s", fam, fix)}
				}
				return nil
			},
		},
	}
}

// parameterValue finds a parameter by name in a parameter group's
// `parameters` list.
func parameterValue(params node, name string) (string, status) {
	if params.isUnknown() {
		return "", unknown
	}
	items, ok := params.items()
	if !ok {
		return "", absent
	}
	sawUnknown := false
	for _, p := range items {
		pn := p.get("name")
		if pn.isUnknown() {
			sawUnknown = true
			continue
		}
		if s, _ := pn.str(); s != name {
			continue
		}
		v := p.get("value")
		if v.isUnknown() {
			return "", unknown
		}
		if s, ok := v.str(); ok {
			return s, present
		}
		if f, ok := v.num(); ok {
			return fmt.Sprintf("%g", f), present
		}
		return "", present
	}
	if sawUnknown {
		return "", unknown
	}
	return "", absent
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = "`" + x + "`"
	}
	return strings.Join(q, ", ")
}

func orDefault(xs, def []string) []string {
	if len(xs) == 0 {
		return def
	}
	return xs
}
