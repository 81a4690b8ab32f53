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
	var sels []selection
	for _, sel := range ofType(rs, backupSelection) {
		sels = append(sels, readSelection(sel))
	}
	var out []finding
	for _, typ := range s.strs("datastoreTypes") {
		for _, r := range ofType(rs, typ) {
			if r.Type == rdsInstance && isReplica(r) {
				continue
			}
			covered, unsure := false, false
			own := datastoreARN(r)
			for _, sel := range sels {
				switch sel.covers(r, own) {
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

// selection is what a backup selection selects, read once.
type selection struct {
	deps    []string
	arns    []string
	unknown bool // some resource is not known yet and no dependency says which
	tags    [][2]string
}

func readSelection(sel policyx.AnalyzerResource) selection {
	out := selection{deps: sel.PropertyDependencies["resources"]}
	arns, unk := values(at(sel.Properties, "resources"))
	out.arns, out.unknown = arns, unk && len(out.deps) == 0
	tags, _ := at(sel.Properties, "selectionTags").list()
	for _, t := range tags {
		if key := mustStr(t.get("key")); key != "" {
			out.tags = append(out.tags, [2]string{key, mustStr(t.get("value"))})
		}
	}
	return out
}

// covers reports whether the selection covers r, whose ARN (or ARN
// pattern) is own ("" when it cannot be told).
func (sel selection) covers(r policyx.AnalyzerResource, own string) linkState {
	if slices.Contains(sel.deps, r.URN) {
		return linked
	}
	state := notLinked
	if sel.unknown {
		state = undecided
	}
	for _, a := range sel.arns {
		if a == "*" || (own != "" && (wildMatch(a, own, false) || wildMatch(own, a, false))) {
			return linked
		}
		if own == "" && strings.Contains(a, "*") {
			state = undecided
		}
	}
	for _, t := range sel.tags {
		if v, ok := resourceTag(r, t[0]); ok && (v == t[1] || v == "") {
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
	vaults := ofType(rs, backupVault)
	ix := newLinkIndex(vaults, "name", "id")
	lockOf := make([]*policyx.AnalyzerResource, len(vaults))
	unsure := false
	for i := range locks {
		found, undecided := ix.find(locks[i], "backupVaultName")
		unsure = unsure || undecided
		for _, vi := range found {
			lockOf[vi] = &locks[i]
		}
	}
	for vi, v := range vaults {
		lock := lockOf[vi]
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
	byName := map[string]string{} // vault name -> its provider's region
	byURN := map[string]string{}
	for _, v := range vaults {
		if n, ok := at(v.Properties, "name").str(); ok {
			byName[n] = providerRegion(v)
		}
		byURN[v.URN] = providerRegion(v)
	}
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
				region, known := destinationRegion(p, c.get("destinationVaultArn"), byName, byURN)
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
// dependency while the ARN is unknown), else the ARN's region field.
func destinationRegion(plan policyx.AnalyzerResource, arnNode node, byName, byURN map[string]string) (string, bool) {
	if arnNode.isUnknown() {
		// One dependency on a vault elsewhere is the copy's destination
		// when the plan's own vault is in its region.
		for _, d := range plan.PropertyDependencies["rules"] {
			if r, ok := byURN[d]; ok && r != "" && r != providerRegion(plan) {
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
	if r := byName[strings.TrimPrefix(f[5], "backup-vault:")]; r != "" {
		return r, true
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
	insts := ofType(rs, rdsInstance)
	ix := newLinkIndex(insts, "arn")
	byID := map[string]int{}
	for i, inst := range insts {
		if id, ok := at(inst.Properties, "identifier").str(); ok {
			byID[id] = i
		}
	}
	replicated := make([]bool, len(insts))
	unsure := false
	for _, rep := range ofType(rs, rdsReplication) {
		found, undecided := ix.find(rep, "sourceDbInstanceArn")
		if arn, ok := at(rep.Properties, "sourceDbInstanceArn").str(); ok {
			// The instance's ARN ends with its identifier.
			if _, id, ok := strings.Cut(arn, ":db:"); ok {
				if i, ok := byID[id]; ok {
					found = append(found, i)
				}
			}
		}
		unsure = unsure || (undecided && len(found) == 0)
		for _, i := range found {
			if r := providerRegion(rep); r == "" || r != providerRegion(insts[i]) {
				replicated[i] = true
			}
		}
	}
	var out []finding
	for i, inst := range insts {
		if isReplica(inst) || replicated[i] || unsure {
			continue
		}
		out = append(out, finding{urn: inst.URN, message: "The instance's automated backups stay in its region; add an aws.rds.InstanceAutomatedBackupsReplication in the DR region (platform:backup.automatedBackupReplicationRetentionDays)."})
	}
	return out
}
