package backup_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/backup"
)

func TestDefaultConfigIsValid(t *testing.T) {
	t.Parallel()
	require.NoError(t, backup.DefaultConfig().Validate())

	// Each call hands out its own values: decoding one stack's value over
	// the defaults must not change the next caller's defaults.
	a, b := backup.DefaultConfig(), backup.DefaultConfig()
	a.WeeklyRetentionDays = 0
	require.Equal(t, 90, b.WeeklyRetentionDays)
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		mutate  func(c *backup.Config)
		wantErr string // "" means valid
	}{
		{name: "prod-like", mutate: func(c *backup.Config) {
			c.DRRegion, c.VaultLock, c.MonthlyRetentionDays = "us-west-2", true, 400
		}},
		{name: "weekly and monthly off", mutate: func(c *backup.Config) {
			c.WeeklyRetentionDays, c.MonthlyRetentionDays = 0, 0
			// Schedules of rules that are off are not judged.
			c.WeeklySchedule, c.MonthlySchedule = "nonsense", "nonsense"
		}},
		{name: "cold storage with room", mutate: func(c *backup.Config) { c.MonthlyColdStorageAfterDays = 275 }},
		{name: "daily retention zero", mutate: func(c *backup.Config) { c.DailyRetentionDays = 0 }, wantErr: "dailyRetentionDays: must be between 1 and 36500, got 0"},
		{name: "daily schedule", mutate: func(c *backup.Config) { c.DailySchedule = "0 23 * * *" }, wantErr: `dailySchedule: must be an AWS Backup cron expression`},
		{name: "weekly schedule", mutate: func(c *backup.Config) { c.WeeklySchedule = "cron(0 23 * * SAT *)" }, wantErr: `weeklySchedule: must have "?" in exactly one of day-of-month and day-of-week`},
		{name: "monthly schedule", mutate: func(c *backup.Config) { c.MonthlySchedule = "cron(*/5 23 1 * ? *)" }, wantErr: `monthlySchedule: must start at a fixed minute`},
		{name: "weekly shorter than daily", mutate: func(c *backup.Config) { c.WeeklyRetentionDays = 30 }, wantErr: "weeklyRetentionDays: must be 0 (off) or between dailyRetentionDays (35) and 36500, got 30"},
		{name: "weekly negative", mutate: func(c *backup.Config) { c.WeeklyRetentionDays = -1 }, wantErr: "weeklyRetentionDays: must be 0 (off) or between"},
		{name: "monthly shorter than weekly", mutate: func(c *backup.Config) { c.MonthlyRetentionDays = 60 }, wantErr: "monthlyRetentionDays: must be 0 (off) or between weeklyRetentionDays (90) and 36500, got 60"},
		{name: "monthly shorter than daily", mutate: func(c *backup.Config) {
			c.WeeklyRetentionDays, c.MonthlyRetentionDays = 0, 30
		}, wantErr: "monthlyRetentionDays: must be 0 (off) or between dailyRetentionDays (35) and 36500, got 30"},
		{name: "cold storage too late", mutate: func(c *backup.Config) { c.MonthlyColdStorageAfterDays = 300 }, wantErr: "monthlyColdStorageAfterDays: leaves 65 days in cold storage before monthlyRetentionDays (365) deletes the recovery point; AWS Backup needs at least 90, so set it to at most 275 or raise monthlyRetentionDays to at least 390"},
		{name: "cold storage without monthly", mutate: func(c *backup.Config) {
			c.MonthlyRetentionDays, c.MonthlyColdStorageAfterDays = 0, 30
		}, wantErr: "monthlyColdStorageAfterDays: needs the monthly rule"},
		{name: "cold storage negative", mutate: func(c *backup.Config) { c.MonthlyColdStorageAfterDays = -1 }, wantErr: "monthlyColdStorageAfterDays: must be 0 (never) or a positive number of days, got -1"},
		{name: "start window", mutate: func(c *backup.Config) { c.StartWindowMinutes = 30 }, wantErr: "startWindowMinutes: must be between 60 and 720, got 30"},
		{name: "completion window", mutate: func(c *backup.Config) { c.CompletionWindowMinutes = 90 }, wantErr: "completionWindowMinutes: must be between startWindowMinutes + 60 (120) and 10080 (a week), got 90"},
		{name: "dr region", mutate: func(c *backup.Config) { c.DRRegion = "US West" }, wantErr: `drRegion: must be "" (no DR copies) or an AWS region such as "us-west-2", got "US West"`},
		{name: "lock mode", mutate: func(c *backup.Config) { c.VaultLock, c.VaultLockMode = true, "strict" }, wantErr: `vaultLockMode: must be one of "governance", "compliance", got "strict"`},
		{name: "compliance grace period", mutate: func(c *backup.Config) {
			c.VaultLock, c.VaultLockMode, c.VaultLockChangeableForDays = true, backup.LockCompliance, 2
		}, wantErr: "vaultLockChangeableForDays: must be between 3 and 36500, got 2"},
		{name: "replication retention", mutate: func(c *backup.Config) { c.AutomatedBackupReplicationRetentionDays = 36 }, wantErr: "automatedBackupReplicationRetentionDays: must be between 1 and 35, got 36"},
		{name: "lock min", mutate: func(c *backup.Config) { c.VaultLock, c.VaultLockMinRetentionDays = true, -1 }, wantErr: "vaultLockMinRetentionDays: must be between 1 and 36500, got -1"},
		{name: "lock max below min", mutate: func(c *backup.Config) {
			c.VaultLock, c.VaultLockMinRetentionDays, c.VaultLockMaxRetentionDays = true, 30, 20
		}, wantErr: "vaultLockMaxRetentionDays: must be between vaultLockMinRetentionDays (30) and 36500, got 20"},
		{name: "lock max below monthly", mutate: func(c *backup.Config) { c.VaultLock, c.VaultLockMaxRetentionDays = true, 300 }, wantErr: "monthlyRetentionDays: is 365, outside the vault lock's 7 to 300 days"},
		{name: "lock min above daily", mutate: func(c *backup.Config) { c.VaultLock, c.VaultLockMinRetentionDays = true, 36 }, wantErr: "dailyRetentionDays: is 35, outside the vault lock's 36 to 400 days"},
		{name: "lock and DR copy", mutate: func(c *backup.Config) {
			c.VaultLock, c.DRRegion, c.VaultLockMaxRetentionDays = true, "us-west-2", 200
		}, wantErr: "monthlyRetentionDays: is 365, outside the vault lock's 7 to 200 days (vaultLockMinRetentionDays, vaultLockMaxRetentionDays); AWS Backup would fail every monthly job (and its DR copy)"},
		{name: "retention outside an unlocked vault's bounds is fine", mutate: func(c *backup.Config) {
			c.DRRegion, c.DailyRetentionDays = "us-west-2", 3
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := backup.DefaultConfig()
			tt.mutate(&c)
			err := c.Validate()
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestConfigValidateReportsEverything(t *testing.T) {
	t.Parallel()
	c := backup.DefaultConfig()
	c.DailyRetentionDays, c.DRRegion, c.StartWindowMinutes = 0, "mars", 10
	err := c.Validate()
	for _, want := range []string{"dailyRetentionDays:", "drRegion:", "startWindowMinutes:"} {
		require.ErrorContains(t, err, want)
	}
}

func TestConfigValidateSeveralProblems(t *testing.T) {
	t.Parallel()
	c := backup.DefaultConfig()
	c.DailySchedule, c.WeeklyRetentionDays = "rate(1 day)", 10
	c.VaultLock, c.VaultLockMinRetentionDays = true, 40
	err := c.Validate()
	for _, want := range []string{
		`dailySchedule: must be an AWS Backup cron expression`,
		"weeklyRetentionDays: must be 0 (off) or between dailyRetentionDays (35) and 36500, got 10",
		"dailyRetentionDays: is 35, outside the vault lock's 40 to 400 days",
	} {
		require.ErrorContains(t, err, want)
	}
}
