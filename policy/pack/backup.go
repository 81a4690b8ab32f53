package pack

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

const (
	backupVault     = "aws:backup/vault:Vault"
	backupVaultLock = "aws:backup/vaultLockConfiguration:VaultLockConfiguration"
	backupPlan      = "aws:backup/plan:Plan"
	rdsReplication  = "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication"
	dynamodbTable   = "aws:dynamodb/table:Table"
	efsFileSystem   = "aws:efs/fileSystem:FileSystem"
	ebsVolume       = "aws:ebs/volume:Volume"
)

// defaultBackupDatastores are the data stores of kinds AWS Backup protects
// (https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-feature-availability.html);
// ElastiCache and Amazon MQ are not among them.
var defaultBackupDatastores = []string{rdsInstance, rdsCluster, dynamodbTable, efsFileSystem, ebsVolume}

func backupRules() []*rule {
	return []*rule{
		{
			// Closes: recovery points readable through the AWS-managed
			// backup key, which cannot be shared for cross-account or
			// cross-region restores. Security Hub Backup.1 (medium).
			name:        "aws-backup-vault-customer-managed-key",
			description: "AWS Backup vaults encrypt recovery points with a customer-managed KMS key.",
			level:       Mandatory,
			severity:    Medium,
			types:       []string{backupVault},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return collect(requireCMK(at(r.Properties, "kmsKeyArn"), "The vault",
					"set `kmsKeyArn` to a customer-managed key (components/backup does this)."))
			},
		},
		{
			// Closes: `pulumi destroy` (or a replaced vault) deleting every
			// recovery point with the vault.
			name:        "aws-backup-vault-no-force-destroy",
			description: "AWS Backup vaults are not force-destroyed with their recovery points.",
			level:       Mandatory,
			severity:    High,
			types:       []string{backupVault},
			check: func(r policyx.AnalyzerResource, _ settings) []string {
				return collect(forbidTrue(at(r.Properties, "forceDestroy"),
					"`forceDestroy` is true, so deleting the vault deletes every recovery point in it; remove it."))
			},
		},
		{
			// Closes: backups that expire before anyone notices the loss,
			// and DR copies kept shorter than the backups they copy.
			name:        "aws-backup-plan-minimum-retention",
			description: "AWS Backup plan rules and their copies keep recovery points for at least the configured number of days.",
			level:       Mandatory,
			severity:    Medium,
			types:       []string{backupPlan},
			schema: schemaProps{
				"minimumDays": intProp("Fewest days a backup rule or copy may keep its recovery points.", 7, 1, 36500),
			},
			check: func(r policyx.AnalyzerResource, s settings) []string {
				minimum := s.int("minimumDays")
				rules, _ := at(r.Properties, "rules").list()
				var out []string
				for i, rule := range rules {
					name := mustStr(rule.get("ruleName"))
					what := fmt.Sprintf("Rule %d (%s) keeps recovery points", i, name)
					out = append(out, lifecycleAtLeast(rule.get("lifecycle"), minimum, what))
					copies, _ := rule.get("copyActions").list()
					for j, c := range copies {
						out = append(out, lifecycleAtLeast(c.get("lifecycle"), minimum, fmt.Sprintf("Rule %d (%s) copy %d keeps copies", i, name, j)))
					}
				}
				return collect(out...)
			},
		},
		{
			// Closes: a data store nobody backs up: point-in-time recovery
			// alone lives and dies with the instance and its region.
			// Security Hub RDS.26 (medium, NIST), Checkov CKV2_AWS_8.
			name:         "aws-backup-selection-covers-datastores",
			description:  "Every stateful data store of a kind AWS Backup protects is in a backup selection of the stack.",
			level:        Mandatory,
			severity:     Medium,
			types:        []string{backupSelection},
			typesSetting: "datastoreTypes",
			schema: schemaProps{
				"datastoreTypes": stringListProp("Resource types every one of which must be in an AWS Backup selection (those this stack may register).", defaultBackupDatastores),
			},
			stack: judgeBackupSelections,
		},
		{
			// Closes: a vault whose recovery points anyone with enough
			// permissions (or ransomware holding them) can delete. A lock in
			// compliance mode (changeableForDays) cannot be removed even by
			// the root user once its grace time ends.
			// https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html
			name:        "aws-backup-vault-locked",
			description: "Every AWS Backup vault has a vault lock with at least the configured minimum retention.",
			level:       Advisory,
			severity:    High,
			types:       []string{backupVault, backupVaultLock},
			schema: schemaProps{
				"minimumRetentionDays":  intProp("Fewest days the lock's minRetentionDays may allow.", 7, 1, 36500),
				"requireComplianceMode": boolProp("Require compliance mode (changeableForDays set), which no one can remove after its grace time.", false),
			},
			stack: judgeVaultLocks,
		},
		{
			// Closes: every backup in the region it protects: a regional
			// outage or an account-wide deletion there takes both.
			// https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html
			name:        "aws-backup-plan-cross-region-copy",
			description: "Every AWS Backup plan rule copies its recovery points to a vault in another region.",
			level:       Advisory,
			severity:    High,
			types:       []string{backupPlan, backupVault},
			stack:       judgeCrossRegionCopies,
		},
		{
			// Closes: point-in-time recovery lost with the region: RDS can
			// replicate automated backups (and transaction logs) to another
			// region. https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReplicateBackups.html
			name:        "aws-rds-instance-backups-replicated",
			description: "Every RDS instance replicates its automated backups to another region.",
			level:       Advisory,
			severity:    Medium,
			types:       []string{rdsInstance, rdsReplication},
			stack:       judgeBackupReplication,
		},
	}
}

// lifecycleAtLeast judges a backup lifecycle: no lifecycle (or no
// deleteAfter) keeps recovery points forever.
func lifecycleAtLeast(lc node, minimum int, what string) string {
	n := lc.get("deleteAfter")
	if !n.known() {
		return ""
	}
	f, ok := n.num()
	if !ok {
		return fmt.Sprintf("`%s` must be a number of days, got %s.", n.path, n.describe())
	}
	if int(f) < minimum {
		return fmt.Sprintf("%s for %d days, below the minimum of %d; raise `%s` (platform:backup).", what, int(f), minimum, n.path)
	}
	return ""
}

// judgeBackupSelections reports data stores no selection covers: by ARN
// (a pattern), by dependency, or by tags.
func judgeBackupSelections(rs []policyx.AnalyzerResource, s settings) []finding {
	selections := ofType(rs, backupSelection)
	var out []finding
	for _, typ := range s.strs("datastoreTypes") {
		for _, r := range ofType(rs, typ) {
			if r.Type == rdsInstance && isReplica(r) {
				continue
			}
			covered, unsure := false, false
			for _, sel := range selections {
				switch selects(sel, r) {
				case linked:
					covered = true
				case undecided:
					unsure = true
				}
			}
			if !covered && !unsure {
				out = append(out, finding{urn: r.URN, message: "No AWS Backup selection of this stack covers this data store; add its ARN to a selection's `resources` (components/backup takes the database) or tag it for a tag-based selection."})
			}
		}
	}
	return out
}

// selects reports whether a backup selection covers r.
func selects(sel, r policyx.AnalyzerResource) linkState {
	if slices.Contains(sel.PropertyDependencies["resources"], r.URN) {
		return linked
	}
	state := notLinked
	arns, unk := values(at(sel.Properties, "resources"))
	if unk && len(sel.PropertyDependencies["resources"]) == 0 {
		state = undecided
	}
	own := datastoreARN(r)
	for _, a := range arns {
		if a == "*" || (own != "" && (wildMatch(a, own, false) || wildMatch(own, a, false))) {
			return linked
		}
		if own == "" && strings.Contains(a, "*") {
			state = max(state, undecided)
		}
	}
	tags, _ := at(sel.Properties, "selectionTags").list()
	for _, t := range tags {
		key, val := mustStr(t.get("key")), mustStr(t.get("value"))
		if key == "" {
			continue
		}
		if v, ok := resourceTag(r, key); ok && (v == val || v == "") {
			return linked
		}
	}
	return state
}

// datastoreARN is r's ARN: its output when present, else what its
// identifier makes it ("" when it cannot be told).
func datastoreARN(r policyx.AnalyzerResource) string {
	if a, ok := at(r.Properties, "arn").str(); ok {
		return a
	}
	region := providerRegion(r)
	switch r.Type {
	case rdsInstance:
		if id, ok := at(r.Properties, "identifier").str(); ok && region != "" {
			return fmt.Sprintf("arn:aws:rds:%s:*:db:%s", region, id)
		}
	case rdsCluster:
		if id, ok := at(r.Properties, "clusterIdentifier").str(); ok && region != "" {
			return fmt.Sprintf("arn:aws:rds:%s:*:cluster:%s", region, id)
		}
	case dynamodbTable:
		if id, ok := at(r.Properties, "name").str(); ok && region != "" {
			return fmt.Sprintf("arn:aws:dynamodb:%s:*:table/%s", region, id)
		}
	}
	return ""
}

// resourceTag reads a tag of r, its own or from the provider's defaultTags
// (a value not known yet reads as "").
func resourceTag(r policyx.AnalyzerResource, key string) (string, bool) {
	if v := at(r.Properties, "tags").get(key); v.known() || v.isUnknown() {
		s, _ := v.str()
		return s, true
	}
	defaults := root(r.Provider.Properties).get("defaultTags")
	if d, ok := defaults.json(); ok {
		defaults = d
	}
	if v := defaults.get("tags").get(key); v.known() {
		s, _ := v.str()
		return s, true
	}
	return "", false
}

// providerRegion is the region of the provider that manages r ("" when not
// known).
func providerRegion(r policyx.AnalyzerResource) string {
	s, _ := root(r.Provider.Properties).get("region").str()
	return s
}

func judgeVaultLocks(rs []policyx.AnalyzerResource, s settings) []finding {
	locks := ofType(rs, backupVaultLock)
	minimum := s.int("minimumRetentionDays")
	compliance, _ := s["requireComplianceMode"].(bool)
	var out []finding
	for _, v := range ofType(rs, backupVault) {
		var lock *policyx.AnalyzerResource
		unsure := false
		for i := range locks {
			switch link(locks[i], "backupVaultName", v, "name", "id") {
			case linked:
				lock = &locks[i]
			case undecided:
				unsure = true
			}
		}
		if lock == nil {
			if !unsure {
				out = append(out, finding{urn: v.URN, message: "The vault has no vault lock, so its recovery points can be deleted; add an aws.backup.VaultLockConfiguration for it (platform:backup.vaultLock)."})
			}
			continue
		}
		if m := atLeast(at(lock.Properties, "minRetentionDays"), minimum, "The vault lock's `minRetentionDays`", fmt.Sprintf("set it to at least %d (platform:backup.vaultLockMinRetentionDays).", minimum)); m != "" {
			out = append(out, finding{urn: v.URN, message: m})
		} else if at(lock.Properties, "minRetentionDays").missing() {
			out = append(out, finding{urn: v.URN, message: fmt.Sprintf("The vault lock sets no `minRetentionDays`, so recovery points can be deleted at any age; set it to at least %d.", minimum)})
		}
		cd := at(lock.Properties, "changeableForDays")
		if compliance && cd.missing() {
			out = append(out, finding{urn: v.URN, message: "The vault lock is in governance mode, which privileged users can remove; set `changeableForDays` (compliance mode) once the retention is settled."})
		}
	}
	return out
}

func judgeCrossRegionCopies(rs []policyx.AnalyzerResource, _ settings) []finding {
	vaults := ofType(rs, backupVault)
	var out []finding
	for _, p := range ofType(rs, backupPlan) {
		home := providerRegion(p)
		rulesNode := at(p.Properties, "rules")
		if rulesNode.isUnknown() {
			continue
		}
		rules, _ := rulesNode.list()
		for i, rule := range rules {
			name := mustStr(rule.get("ruleName"))
			copies, _ := rule.get("copyActions").list()
			elsewhere, unsure := false, rule.get("copyActions").isUnknown()
			for _, c := range copies {
				region, known := destinationRegion(p, c.get("destinationVaultArn"), vaults)
				switch {
				case !known:
					unsure = true
				case region != home:
					elsewhere = true
				}
			}
			if !elsewhere && !unsure {
				out = append(out, finding{urn: p.URN, message: fmt.Sprintf("Rule %d (%s) keeps every copy in %s; add a copy action to a vault in another region (platform:backup.drRegion).", i, name, orUnknown(home))})
			}
		}
	}
	return out
}

// destinationRegion tells where a copy action's vault is: the region of the
// provider of the vault of this stack it names (by name in the ARN, or by
// dependency), else the ARN's region field.
func destinationRegion(plan policyx.AnalyzerResource, arnNode node, vaults []policyx.AnalyzerResource) (string, bool) {
	if arnNode.isUnknown() {
		deps := plan.PropertyDependencies["rules"]
		var regions []string
		for _, v := range vaults {
			if slices.Contains(deps, v.URN) {
				regions = append(regions, providerRegion(v))
			}
		}
		// One dependency on a vault elsewhere is the copy's destination
		// when the plan's own vault is in its region.
		for _, r := range regions {
			if r != providerRegion(plan) && r != "" {
				return r, true
			}
		}
		return "", false
	}
	arn, ok := arnNode.str()
	if !ok {
		return "", true
	}
	f := strings.SplitN(arn, ":", 6)
	if len(f) != 6 {
		return "", true
	}
	name := strings.TrimPrefix(f[5], "backup-vault:")
	for _, v := range vaults {
		if n, ok := at(v.Properties, "name").str(); ok && n == name {
			if r := providerRegion(v); r != "" {
				return r, true
			}
		}
	}
	return f[3], true
}

func orUnknown(s string) string {
	if s == "" {
		return "the plan's region"
	}
	return s
}

func judgeBackupReplication(rs []policyx.AnalyzerResource, _ settings) []finding {
	reps := ofType(rs, rdsReplication)
	var out []finding
	for _, inst := range ofType(rs, rdsInstance) {
		if isReplica(inst) {
			continue
		}
		replicated, unsure := false, false
		for _, rep := range reps {
			switch replicates(rep, inst) {
			case linked:
				if r := providerRegion(rep); r == "" || r != providerRegion(inst) {
					replicated = true
				}
			case undecided:
				unsure = true
			}
		}
		if !replicated && !unsure {
			out = append(out, finding{urn: inst.URN, message: "The instance's automated backups stay in its region; add an aws.rds.InstanceAutomatedBackupsReplication in the DR region (platform:backup.automatedBackupReplicationRetentionDays)."})
		}
	}
	return out
}

// replicates reports whether an automated-backups replication copies inst:
// by dependency, by ARN output, or by the identifier at the end of the ARN.
func replicates(rep, inst policyx.AnalyzerResource) linkState {
	if l := link(rep, "sourceDbInstanceArn", inst, "arn"); l != notLinked {
		return l
	}
	arn, ok := at(rep.Properties, "sourceDbInstanceArn").str()
	id, idOK := at(inst.Properties, "identifier").str()
	if ok && idOK && strings.HasSuffix(arn, ":db:"+id) {
		return linked
	}
	return notLinked
}
