package backup_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/backup"
	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/internal/parts"
)

// drAccount is the test account in the DR region.
var drAccount = parts.Account{ID: offlinetest.Account.ID, Region: "us-west-2", Partition: "aws", DNSSuffix: "amazonaws.com"}

const (
	dbARN = "arn:aws:rds:us-east-1:123456789012:db:platform-test-db"

	tVault       = "aws:backup/vault:Vault"
	tLock        = "aws:backup/vaultLockConfiguration:VaultLockConfiguration"
	tPlan        = "aws:backup/plan:Plan"
	tSelection   = "aws:backup/selection:Selection"
	tReplication = "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication"
	tKey         = "aws:kms/key:Key"
	tAlias       = "aws:kms/alias:Alias"
	tRole        = "aws:iam/role:Role"
	tAttachment  = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	tProvider    = "pulumi:providers:aws"
)

// config is how a Go caller builds a Config: the defaults, with edit applied.
func config(edit func(*backup.Config)) backup.Config {
	c := backup.DefaultConfig()
	edit(&c)
	return c
}

// deploy runs NewBackup with cfg; withDR adds a provider for us-west-2 the way
// the stack does (and sets drRegion).
func deploy(t *testing.T, cfg backup.Config, withDR bool, mutate ...func(*backup.BackupArgs)) (*offline.Recorder, *backup.Backup) {
	t.Helper()
	var b *backup.Backup
	rec := offlinetest.Run(t, func(ctx *pulumi.Context) error {
		args := &backup.BackupArgs{Config: cfg, Account: offlinetest.Account, DatabaseARN: pulumi.String(dbARN)}
		if withDR {
			p, err := aws.NewProvider(ctx, "dr", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
			if err != nil {
				return err
			}
			args.DRRegion = "us-west-2"
			args.DR = &backup.DRArgs{Provider: p, Account: drAccount}
		}
		for _, m := range mutate {
			m(args)
		}
		var err error
		b, err = backup.NewBackup(ctx, "backup", args)
		return err
	})
	return rec, b
}

// drProvider returns the provider reference resources in the DR region carry.
func drProvider(t *testing.T, rec *offline.Recorder) string {
	t.Helper()
	p := rec.Find(tProvider, "dr")
	require.NotNil(t, p)
	return p.URN + "::" + p.ID
}

type planRule struct {
	RuleName                   string `json:"ruleName"`
	TargetVaultName            string `json:"targetVaultName"`
	Schedule                   string `json:"schedule"`
	ScheduleExpressionTimezone string `json:"scheduleExpressionTimezone"`
	StartWindow                int    `json:"startWindow"`
	CompletionWindow           int    `json:"completionWindow"`
	EnableContinuousBackup     bool   `json:"enableContinuousBackup"`
	Lifecycle                  struct {
		ColdStorageAfter *int `json:"coldStorageAfter"`
		DeleteAfter      int  `json:"deleteAfter"`
	} `json:"lifecycle"`
	CopyActions []struct {
		DestinationVaultArn string `json:"destinationVaultArn"`
		Lifecycle           struct {
			DeleteAfter int `json:"deleteAfter"`
		} `json:"lifecycle"`
	} `json:"copyActions"`
}

// rules decodes the plan's rules as they were sent.
func rules(t *testing.T, rec *offline.Recorder) map[string]planRule {
	t.Helper()
	plan := offlinetest.Find(t, rec, tPlan, "backup-plan")
	raw, err := json.Marshal(plan.Inputs["rules"].Mappable())
	require.NoError(t, err)
	var list []planRule
	require.NoError(t, json.Unmarshal(raw, &list))
	out := map[string]planRule{}
	for _, r := range list {
		out[r.RuleName] = r
	}
	require.Len(t, out, len(list), "rule names are unique")
	return out
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, backup.DefaultConfig(), false)

	counts := rec.CountByType()
	require.Equal(t, 1, counts[backup.TypeToken])
	require.Equal(t, 1, counts[tKey])
	require.Equal(t, 1, counts[tVault])
	require.Equal(t, 1, counts[tPlan])
	require.Equal(t, 1, counts[tSelection])
	require.Zero(t, counts[tLock], "vault lock is off by default")
	require.Zero(t, counts[tReplication], "no DR region, no replication")

	key := offlinetest.Find(t, rec, tKey, "backup-key")
	vault := offlinetest.Find(t, rec, tVault, "backup-vault")
	require.Equal(t, "platform-test-backup", offlinetest.Str(t, vault, "name"))
	require.Equal(t, offlinetest.OutputString(t, key, "arn"), offlinetest.Str(t, vault, "kmsKeyArn"), "the vault uses our customer-managed key")
	require.False(t, offlinetest.Bool(t, vault, "forceDestroy"), "a vault with recovery points must refuse deletion")
	require.True(t, offlinetest.Bool(t, key, "enableKeyRotation"))
	require.Equal(t, 30.0, offlinetest.Num(t, key, "deletionWindowInDays"))

	got := rules(t, rec)
	want := map[string]struct {
		schedule  string
		retention int
	}{
		"daily":   {"cron(0 23 * * ? *)", 35},
		"weekly":  {"cron(0 23 ? * SAT *)", 90},
		"monthly": {"cron(0 23 1 * ? *)", 365},
	}
	require.Len(t, got, len(want))
	for name, w := range want {
		r := got[name]
		require.Equal(t, w.schedule, r.Schedule, name)
		require.Equal(t, w.retention, r.Lifecycle.DeleteAfter, name)
		require.Nil(t, r.Lifecycle.ColdStorageAfter, name)
		require.Equal(t, "platform-test-backup", r.TargetVaultName, name)
		require.Equal(t, "Etc/UTC", r.ScheduleExpressionTimezone, name)
		require.Equal(t, 60, r.StartWindow, name)
		require.Equal(t, 1440, r.CompletionWindow, name)
		require.False(t, r.EnableContinuousBackup, "%s: continuous backup would take over the instance's retention", name)
		require.Empty(t, r.CopyActions, "%s: no copies without a DR region", name)
	}

	sel := offlinetest.Find(t, rec, tSelection, "backup-selection")
	require.Equal(t, []string{dbARN}, offlinetest.Strs(t, sel, "resources"), "the selection covers the database")
	require.Equal(t, "backup-plan-id", offlinetest.Str(t, sel, "planId"))
	require.Equal(t, offlinetest.OutputString(t, offlinetest.Find(t, rec, tRole, "backup-role"), "arn"), offlinetest.Str(t, sel, "iamRoleArn"))
	require.True(t, sel.DeleteBeforeReplace, "a replacement selection takes over the fixed name")

	for _, r := range rec.Resources() {
		require.Empty(t, r.Provider, "%s %s: everything uses the default provider without DR", r.Type, r.Name)
	}
}

func TestRole(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, backup.DefaultConfig(), false)
	role := offlinetest.Find(t, rec, tRole, "backup-role")
	trust := offlinetest.Policy(t, role, "assumeRolePolicy")
	require.Len(t, trust.Statement, 1)
	require.Equal(t, &parts.Principal{Service: parts.One("backup.amazonaws.com")}, trust.Statement[0].Principal)
	require.Equal(t, parts.One("sts:AssumeRole"), trust.Statement[0].Action)

	var policies []string
	var attachmentURNs []string
	for _, a := range rec.ByType(tAttachment) {
		require.Equal(t, offlinetest.OutputString(t, role, "name"), offlinetest.Str(t, a, "role"))
		policies = append(policies, offlinetest.Str(t, a, "policyArn"))
		attachmentURNs = append(attachmentURNs, a.URN)
	}
	require.ElementsMatch(t, []string{
		"arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
		"arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
	}, policies)
	sel := offlinetest.Find(t, rec, tSelection, "backup-selection")
	require.Subset(t, sel.Dependencies, attachmentURNs, "the selection waits for the role's policies")
}

func TestDisasterRecoveryRegion(t *testing.T) {
	t.Parallel()
	rec, b := deploy(t, config(func(c *backup.Config) { c.AutomatedBackupReplicationRetentionDays = 14 }), true)
	dr := drProvider(t, rec)

	drKey := offlinetest.Find(t, rec, tKey, "backup-dr-key")
	drVault := offlinetest.Find(t, rec, tVault, "backup-dr-vault")
	repl := offlinetest.Find(t, rec, tReplication, "backup-database-replication")
	for _, r := range []*offline.Resource{drKey, offlinetest.Find(t, rec, tAlias, "backup-dr-key"), drVault, repl} {
		require.Equal(t, dr, r.Provider, "%s %s lives in the DR region", r.Type, r.Name)
	}
	for _, name := range []string{"backup-key", "backup-vault", "backup-plan", "backup-selection", "backup-role"} {
		for _, r := range rec.Resources() {
			if r.Name == name && r.Custom {
				require.Empty(t, r.Provider, "%s %s stays in the primary region", r.Type, r.Name)
			}
		}
	}

	require.Equal(t, "platform-test-backup-dr", offlinetest.Str(t, drVault, "name"))
	require.Equal(t, offlinetest.OutputString(t, drKey, "arn"), offlinetest.Str(t, drVault, "kmsKeyArn"), "the DR vault uses the DR region's own key")
	require.NotEqual(t, offlinetest.Str(t, offlinetest.Find(t, rec, tVault, "backup-vault"), "kmsKeyArn"), offlinetest.Str(t, drVault, "kmsKeyArn"))
	policy := offlinetest.Policy(t, drKey, "policy")
	require.Equal(t, &parts.Principal{AWS: parts.One("arn:aws:iam::123456789012:root")}, policy.Statement[0].Principal, "same account administers the DR key")

	// RDS replicates point-in-time backups into the DR region under the DR key.
	require.Equal(t, dbARN, offlinetest.Str(t, repl, "sourceDbInstanceArn"))
	require.Equal(t, offlinetest.OutputString(t, drKey, "arn"), offlinetest.Str(t, repl, "kmsKeyId"))
	require.Equal(t, 14.0, offlinetest.Num(t, repl, "retentionPeriod"))
	require.True(t, repl.DeleteBeforeReplace, "an instance replicates its backups to a region only once")

	// Every rule copies to the DR vault, keeping the rule's own retention:
	// the weekly and monthly history survives a regional loss too.
	got := rules(t, rec)
	require.Len(t, got, 3)
	for name, r := range got {
		require.Len(t, r.CopyActions, 1, name)
		require.Equal(t, offlinetest.OutputString(t, drVault, "arn"), r.CopyActions[0].DestinationVaultArn, name)
		require.Equal(t, r.Lifecycle.DeleteAfter, r.CopyActions[0].Lifecycle.DeleteAfter, name)
	}
	require.Equal(t, 365, got["monthly"].CopyActions[0].Lifecycle.DeleteAfter)
	require.Equal(t, 90, got["weekly"].CopyActions[0].Lifecycle.DeleteAfter)

	require.Equal(t, offlinetest.OutputString(t, drVault, "arn"), offlinetest.Await(t, b.DRVaultARN).Value)
	require.Equal(t, offlinetest.OutputString(t, drKey, "arn"), offlinetest.Await(t, b.DRKMSKeyARN).Value)
	require.Equal(t, repl.ID, offlinetest.Await(t, b.ReplicatedBackupsARN).Value)
}

func TestVaultLock(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		lock   bool
		mode   string
		withDR bool
		locks  map[string]bool // lock resource name -> in the DR region
	}{
		{name: "off", lock: false, withDR: true, locks: map[string]bool{}},
		{name: "on", lock: true, locks: map[string]bool{"backup-vault-lock": false}},
		{name: "on with DR", lock: true, withDR: true, locks: map[string]bool{"backup-vault-lock": false, "backup-dr-vault-lock": true}},
		{name: "compliance with DR", lock: true, mode: backup.LockCompliance, withDR: true, locks: map[string]bool{"backup-vault-lock": false, "backup-dr-vault-lock": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec, _ := deploy(t, config(func(c *backup.Config) {
				c.VaultLock, c.VaultLockChangeableForDays, c.VaultLockMinRetentionDays, c.VaultLockMaxRetentionDays = tt.lock, 10, 14, 730
				if tt.mode != "" {
					c.VaultLockMode = tt.mode
				}
			}), tt.withDR)
			locks := rec.ByType(tLock)
			require.Len(t, locks, len(tt.locks))
			for _, l := range locks {
				inDR, ok := tt.locks[l.Name]
				require.True(t, ok, l.Name)
				if tt.mode == backup.LockCompliance {
					// changeableForDays is what makes AWS lock in compliance
					// mode: immutable once the grace period ends.
					require.Equal(t, 10.0, offlinetest.Num(t, l, "changeableForDays"))
				} else {
					require.False(t, offlinetest.Has(l, "changeableForDays"), "without it the lock is in governance mode")
				}
				require.True(t, l.DeleteBeforeReplace, "a new lock created first would be removed with the old one")
				require.Equal(t, 14.0, offlinetest.Num(t, l, "minRetentionDays"))
				require.Equal(t, 730.0, offlinetest.Num(t, l, "maxRetentionDays"))
				vault := "backup-vault"
				if inDR {
					vault = "backup-dr-vault"
					require.Equal(t, drProvider(t, rec), l.Provider)
				} else {
					require.Empty(t, l.Provider)
				}
				require.Equal(t, offlinetest.OutputString(t, offlinetest.Find(t, rec, tVault, vault), "name"), offlinetest.Str(t, l, "backupVaultName"))
			}
		})
	}
}

func TestRuleSwitches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		cfg   backup.Config
		rules []string
		check func(t *testing.T, got map[string]planRule)
	}{
		{name: "daily only", cfg: config(func(c *backup.Config) { c.WeeklyRetentionDays, c.MonthlyRetentionDays = 0, 0 }), rules: []string{"daily"}},
		{name: "no weekly", cfg: config(func(c *backup.Config) { c.WeeklyRetentionDays = 0 }), rules: []string{"daily", "monthly"}},
		{name: "custom schedules and retentions", cfg: config(func(c *backup.Config) {
			c.DailySchedule, c.DailyRetentionDays = "cron(30 1 * * ? *)", 14
			c.WeeklySchedule, c.WeeklyRetentionDays = "cron(30 1 ? * MON *)", 60
			c.MonthlySchedule, c.MonthlyRetentionDays, c.MonthlyColdStorageAfterDays = "cron(30 1 L * ? *)", 730, 180
			c.StartWindowMinutes, c.CompletionWindowMinutes = 120, 600
		}), rules: []string{"daily", "weekly", "monthly"}, check: func(t *testing.T, got map[string]planRule) {
			require.Equal(t, "cron(30 1 * * ? *)", got["daily"].Schedule)
			require.Equal(t, 14, got["daily"].Lifecycle.DeleteAfter)
			require.Equal(t, "cron(30 1 ? * MON *)", got["weekly"].Schedule)
			require.Equal(t, 60, got["weekly"].Lifecycle.DeleteAfter)
			require.Equal(t, "cron(30 1 L * ? *)", got["monthly"].Schedule)
			require.Equal(t, 730, got["monthly"].Lifecycle.DeleteAfter)
			require.Equal(t, 180, *got["monthly"].Lifecycle.ColdStorageAfter)
			require.Nil(t, got["weekly"].Lifecycle.ColdStorageAfter, "cold storage applies to the monthly rule only")
			for _, r := range got {
				require.Equal(t, 120, r.StartWindow)
				require.Equal(t, 600, r.CompletionWindow)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec, b := deploy(t, tt.cfg, false)
			got := rules(t, rec)
			var names []string
			for n := range got {
				names = append(names, n)
			}
			require.ElementsMatch(t, tt.rules, names)
			require.Len(t, b.Rules, len(tt.rules))
			if tt.check != nil {
				tt.check(t, got)
			}
		})
	}
}

func TestProtect(t *testing.T) {
	t.Parallel()
	for _, protect := range []bool{false, true} {
		t.Run(fmt.Sprint(protect), func(t *testing.T) {
			t.Parallel()
			rec, _ := deploy(t, config(func(c *backup.Config) { c.VaultLock = true }), true, func(a *backup.BackupArgs) { a.Protect = protect })
			stateful := map[string]bool{tKey: true, tVault: true, tLock: true, tReplication: true}
			seen := map[string]int{}
			for _, r := range rec.Resources() {
				if stateful[r.Type] {
					seen[r.Type]++
					require.Equal(t, protect, r.Protect, "%s %s", r.Type, r.Name)
				}
			}
			require.Equal(t, map[string]int{tKey: 2, tVault: 2, tLock: 2, tReplication: 1}, seen)
			for _, typ := range []string{tPlan, tSelection, tRole} {
				for _, r := range rec.ByType(typ) {
					require.False(t, r.Protect, "%s holds no data and may be replaced", typ)
				}
			}
		})
	}
}

func TestEveryChildIsParentedAndTagged(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, config(func(c *backup.Config) { c.VaultLock = true }), true, func(a *backup.BackupArgs) {
		a.Tags = map[string]string{"Team": "platform"}
	})
	// The DR provider is the test's own, outside the component.
	offlinetest.RequireParentedAndTagged(t, rec, backup.TypeToken, "backup", map[string]string{"Team": "platform"}, nil, "pulumi:providers:aws")
	for _, typ := range []string{tVault, tPlan, tKey, tRole} {
		require.NotEmpty(t, rec.ByType(typ), "%s is among the checked resources", typ)
	}
}

func TestOutputs(t *testing.T) {
	t.Parallel()
	for _, withDR := range []bool{false, true} {
		t.Run(fmt.Sprint(withDR), func(t *testing.T) {
			t.Parallel()
			rec, b := deploy(t, backup.DefaultConfig(), withDR)
			vault := offlinetest.Find(t, rec, tVault, "backup-vault")
			require.Equal(t, offlinetest.OutputString(t, vault, "name"), offlinetest.Await(t, b.VaultName).Value)
			require.Equal(t, offlinetest.OutputString(t, vault, "arn"), offlinetest.Await(t, b.VaultARN).Value)
			require.Equal(t, offlinetest.OutputString(t, offlinetest.Find(t, rec, tKey, "backup-key"), "arn"), offlinetest.Await(t, b.KMSKeyARN).Value)
			plan := offlinetest.Find(t, rec, tPlan, "backup-plan")
			require.Equal(t, plan.ID, offlinetest.Await(t, b.PlanID).Value)
			require.Equal(t, offlinetest.OutputString(t, plan, "arn"), offlinetest.Await(t, b.PlanARN).Value)
			require.Equal(t, offlinetest.OutputString(t, offlinetest.Find(t, rec, tRole, "backup-role"), "arn"), offlinetest.Await(t, b.RoleARN).Value)
			if !withDR {
				for _, o := range []pulumi.StringOutput{b.DRVaultName, b.DRVaultARN, b.DRKMSKeyARN, b.ReplicatedBackupsARN} {
					require.Equal(t, "", offlinetest.Await(t, o).Value)
				}
			} else {
				require.Equal(t, "platform-test-backup-dr", offlinetest.Await(t, b.DRVaultName).Value)
			}
		})
	}
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cname   string
		withDR  bool
		mutate  func(a *backup.BackupArgs)
		nilArgs bool
		wantErr []string
	}{
		{name: "nil args", nilArgs: true, wantErr: []string{`backup "backup": args are required`}},
		{name: "no account", mutate: func(a *backup.BackupArgs) { a.Account = parts.Account{} }, wantErr: []string{"account: ID, Region and Partition are required"}},
		{name: "no database", mutate: func(a *backup.BackupArgs) { a.DatabaseARN = nil }, wantErr: []string{"databaseArn: is required"}},
		{name: "drRegion without provider", mutate: func(a *backup.BackupArgs) { a.DRRegion = "us-west-2" }, wantErr: []string{
			`drRegion: is "us-west-2" but no DR provider was passed`,
		}},
		{name: "provider without drRegion", withDR: true, mutate: func(a *backup.BackupArgs) { a.DRRegion = "" }, wantErr: []string{
			"drRegion: is empty but a DR provider was passed",
		}},
		{name: "provider in another region", withDR: true, mutate: func(a *backup.BackupArgs) { a.DRRegion = "eu-west-1" }, wantErr: []string{
			`dr.account: is in "us-west-2" but drRegion is "eu-west-1"`,
		}},
		{name: "DR in the primary region", withDR: true, mutate: func(a *backup.BackupArgs) {
			a.DRRegion = "us-east-1"
			a.DR.Account.Region = "us-east-1"
		}, wantErr: []string{`drRegion: must differ from the stack's region "us-east-1"`}},
		{name: "DR in another account", withDR: true, mutate: func(a *backup.BackupArgs) { a.DR.Account.ID = "210987654321" }, wantErr: []string{
			"dr.account: must be the same account and partition as the primary",
		}},
		{name: "DR without provider", withDR: true, mutate: func(a *backup.BackupArgs) { a.DR.Provider = nil }, wantErr: []string{"dr.provider: is required"}},
		{name: "bad name", cname: "my.backup", wantErr: []string{`name: the vault name "platform-test-my.backup"`}},
		{name: "several problems at once", cname: "my.backup", mutate: func(a *backup.BackupArgs) {
			a.DatabaseARN = nil
			a.DRRegion = "us-west-2"
		}, wantErr: []string{
			`name: the vault name "platform-test-my.backup"`, "databaseArn: is required", `drRegion: is "us-west-2" but no DR provider was passed`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			name := tt.cname
			if name == "" {
				name = "backup"
			}
			rec, err := offlinetest.RunErr(func(ctx *pulumi.Context) error {
				var args *backup.BackupArgs
				if !tt.nilArgs {
					args = &backup.BackupArgs{Config: backup.DefaultConfig(), Account: offlinetest.Account, DatabaseARN: pulumi.String(dbARN)}
					if tt.withDR {
						args.DRRegion = "us-west-2"
						args.DR = &backup.DRArgs{Provider: &unregisteredProvider{}, Account: drAccount}
					}
					if tt.mutate != nil {
						tt.mutate(args)
					}
				}
				_, err := backup.NewBackup(ctx, name, args)
				return err
			})
			require.Error(t, err)
			for _, want := range tt.wantErr {
				require.ErrorContains(t, err, want)
			}
			require.Empty(t, rec.Resources(), "nothing may be registered on bad input")
		})
	}
}

// unregisteredProvider stands in for the DR provider where the test must
// register nothing at all (a real aws.Provider would itself be a resource).
type unregisteredProvider struct{ pulumi.ProviderResourceState }
