package backup

import (
	"regexp"

	"github.com/acme/platform/internal/check"
)

// maxRetentionDays is the longest lifecycle AWS Backup accepts (100 years).
const maxRetentionDays = 36500

// coldStorageMinimumDays is how long AWS Backup bills (and so requires) a
// recovery point to stay in cold storage before it may be deleted.
const coldStorageMinimumDays = 90

// Config is the part of the backup's arguments that decides which resources
// exist and how long recovery points live. It is what the stack reads from
// the platform:backup config object; JSON names are the config keys.
type Config struct {
	// DailySchedule is when the daily backup starts, an AWS Backup cron
	// expression in UTC with a fixed minute (AWS Backup runs at most hourly);
	// default "cron(0 23 * * ? *)", clear of the database's default backup
	// window (03:00-04:00) and maintenance window (Sunday 05:00-06:00), with
	// which a snapshot must not collide.
	DailySchedule string `json:"dailySchedule"`
	// DailyRetentionDays is how long daily recovery points are kept, 1 to
	// 36500; default 35.
	DailyRetentionDays int `json:"dailyRetentionDays"`
	// WeeklySchedule is when the weekly backup starts; default
	// "cron(0 23 ? * SAT *)".
	WeeklySchedule string `json:"weeklySchedule"`
	// WeeklyRetentionDays is how long weekly recovery points are kept, at
	// least dailyRetentionDays; 0 turns the weekly rule off; default 90.
	WeeklyRetentionDays int `json:"weeklyRetentionDays"`
	// MonthlySchedule is when the monthly backup starts; default
	// "cron(0 23 1 * ? *)".
	MonthlySchedule string `json:"monthlySchedule"`
	// MonthlyRetentionDays is how long monthly recovery points are kept, at
	// least dailyRetentionDays and weeklyRetentionDays; 0 turns the monthly
	// rule off; default 365.
	MonthlyRetentionDays int `json:"monthlyRetentionDays"`
	// MonthlyColdStorageAfterDays moves monthly recovery points to cold
	// storage after this many days, for resource types that support it (RDS
	// snapshots do not: they stay warm whatever this says). AWS Backup needs
	// at least 90 days in cold storage before deletion. Default 0 (never).
	MonthlyColdStorageAfterDays int `json:"monthlyColdStorageAfterDays"`
	// StartWindowMinutes is how late after its schedule a job may still
	// start, 60 to 720; default 60 (AWS's own default of eight hours would let
	// a job drift into the database's backup window).
	StartWindowMinutes int `json:"startWindowMinutes"`
	// CompletionWindowMinutes is how long a started job may run before AWS
	// Backup cancels it, from startWindowMinutes + 60 to 10080; default 1440.
	CompletionWindowMinutes int `json:"completionWindowMinutes"`
	// DRRegion is the disaster-recovery region that receives a copy of every
	// recovery point and the database's replicated automated backups, e.g.
	// "us-west-2"; default "" (no copies). The stack builds the DR provider
	// from it.
	DRRegion string `json:"drRegion"`
	// AutomatedBackupReplicationRetentionDays is how long RDS keeps the
	// replicated automated backups (point-in-time restore) in the DR region,
	// 1 to 35; default 7. Changing it replaces the replication, which starts
	// over empty.
	AutomatedBackupReplicationRetentionDays int `json:"automatedBackupReplicationRetentionDays"`
	// VaultLock locks both vaults (and the DR vault) with a Backup Vault
	// Lock: no recovery point can be deleted before vaultLockMinRetentionDays
	// or kept past vaultLockMaxRetentionDays, and no lifecycle shortened;
	// default false.
	VaultLock bool `json:"vaultLock"`
	// VaultLockMode is "governance" or "compliance"; default "governance".
	// A governance lock can be removed by anyone allowed
	// backup:DeleteBackupVaultLockConfiguration (the deployer role, an admin,
	// a stolen CI credential), and with it the protection (AWS Backup
	// Developer Guide, "AWS Backup Vault Lock": governance mode "allows
	// authorized users some flexibility to modify or delete"). A compliance
	// lock becomes immutable once vaultLockChangeableForDays have passed: not
	// even the account root can remove it or change its bounds, so the
	// recovery points outlive any credential.
	VaultLockMode string `json:"vaultLockMode"`
	// VaultLockChangeableForDays is a compliance lock's grace period, during
	// which it can still be removed (and its bounds changed), 3 to 36500
	// (terraform-provider-aws backup vault_lock_configuration.go:
	// changeable_for_days IntAtLeast(3)); default 3. Only with
	// vaultLockMode "compliance".
	VaultLockChangeableForDays int `json:"vaultLockChangeableForDays"`
	// VaultLockMinRetentionDays and VaultLockMaxRetentionDays bound every
	// rule's (and copy's) retention while VaultLock is on; AWS Backup fails
	// jobs outside them. Defaults 7 and 400.
	VaultLockMinRetentionDays int `json:"vaultLockMinRetentionDays"`
	VaultLockMaxRetentionDays int `json:"vaultLockMaxRetentionDays"`
}

// DefaultConfig returns the configuration of a stack that sets nothing in
// platform:backup: the one place its defaults are written. The stack decodes
// the stack file's object over it, so an absent key keeps its default and a
// present one (0 and false included) is meant. A Go caller starts from it and
// changes fields: a Config literal's zero fields are zeros, not defaults.
func DefaultConfig() Config {
	return Config{
		DailySchedule:                           "cron(0 23 * * ? *)",
		DailyRetentionDays:                      35,
		WeeklySchedule:                          "cron(0 23 ? * SAT *)",
		WeeklyRetentionDays:                     90,
		MonthlySchedule:                         "cron(0 23 1 * ? *)",
		MonthlyRetentionDays:                    365,
		StartWindowMinutes:                      60,
		CompletionWindowMinutes:                 1440,
		AutomatedBackupReplicationRetentionDays: 7,
		VaultLockMinRetentionDays:               7,
		VaultLockMaxRetentionDays:               400,
		VaultLockMode:                           LockGovernance,
		VaultLockChangeableForDays:              3,
	}
}

// Vault lock modes.
const (
	LockGovernance = "governance"
	LockCompliance = "compliance"
)

var regionRE = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d$`)

// Validate reports every problem with c, each naming its field. The stack runs
// it when it loads platform:backup, before anything is registered; NewBackup
// does not run it again, so a Go caller that builds a Config runs it first.
func (c Config) Validate() error {
	var p check.Problems
	p.Between("dailyRetentionDays", c.DailyRetentionDays, 1, maxRetentionDays)
	if err := validateSchedule(c.DailySchedule); err != nil {
		p.Addf("dailySchedule", "%s", err.Error())
	}
	weekly, monthly := c.WeeklyRetentionDays, c.MonthlyRetentionDays
	if weekly != 0 {
		if err := validateSchedule(c.WeeklySchedule); err != nil {
			p.Addf("weeklySchedule", "%s", err.Error())
		}
		if weekly < c.DailyRetentionDays || weekly > maxRetentionDays {
			p.Addf("weeklyRetentionDays", "must be 0 (off) or between dailyRetentionDays (%d) and %d, got %d", c.DailyRetentionDays, maxRetentionDays, weekly)
		}
	}
	if monthly != 0 {
		if err := validateSchedule(c.MonthlySchedule); err != nil {
			p.Addf("monthlySchedule", "%s", err.Error())
		}
		floor, what := c.DailyRetentionDays, "dailyRetentionDays"
		if weekly > floor {
			floor, what = weekly, "weeklyRetentionDays"
		}
		if monthly < floor || monthly > maxRetentionDays {
			p.Addf("monthlyRetentionDays", "must be 0 (off) or between %s (%d) and %d, got %d", what, floor, maxRetentionDays, monthly)
		}
	}
	switch cold := c.MonthlyColdStorageAfterDays; {
	case cold < 0:
		p.Addf("monthlyColdStorageAfterDays", "must be 0 (never) or a positive number of days, got %d", cold)
	case cold > 0 && monthly == 0:
		p.Addf("monthlyColdStorageAfterDays", "needs the monthly rule: set monthlyRetentionDays, or set this to 0")
	case cold > 0 && monthly < cold+coldStorageMinimumDays:
		p.Addf("monthlyColdStorageAfterDays", "leaves %d days in cold storage before monthlyRetentionDays (%d) deletes the recovery point; AWS Backup needs at least %d, so set it to at most %d or raise monthlyRetentionDays to at least %d",
			monthly-cold, monthly, coldStorageMinimumDays, max(monthly-coldStorageMinimumDays, 0), cold+coldStorageMinimumDays)
	}
	p.Between("startWindowMinutes", c.StartWindowMinutes, 60, 720)
	if c.CompletionWindowMinutes < c.StartWindowMinutes+60 || c.CompletionWindowMinutes > 10080 {
		p.Addf("completionWindowMinutes", "must be between startWindowMinutes + 60 (%d) and 10080 (a week), got %d", c.StartWindowMinutes+60, c.CompletionWindowMinutes)
	}
	if c.DRRegion != "" && !regionRE.MatchString(c.DRRegion) {
		p.Addf("drRegion", "must be \"\" (no DR copies) or an AWS region such as \"us-west-2\", got %q", c.DRRegion)
	}
	p.Between("automatedBackupReplicationRetentionDays", c.AutomatedBackupReplicationRetentionDays, 1, 35)
	if c.VaultLock {
		c.validateLock(&p)
	}
	return p.Err()
}

// validateLock checks the lock's bounds and that every retention the plan
// asks for fits them: AWS Backup fails a job whose lifecycle a locked vault
// rejects, silently as far as Pulumi is concerned.
func (c Config) validateLock(p *check.Problems) {
	lo, hi := c.VaultLockMinRetentionDays, c.VaultLockMaxRetentionDays
	p.OneOf("vaultLockMode", c.VaultLockMode, LockGovernance, LockCompliance)
	if c.VaultLockMode == LockCompliance {
		p.Between("vaultLockChangeableForDays", c.VaultLockChangeableForDays, 3, maxRetentionDays)
	}
	p.Between("vaultLockMinRetentionDays", lo, 1, maxRetentionDays)
	if hi < lo || hi > maxRetentionDays {
		p.Addf("vaultLockMaxRetentionDays", "must be between vaultLockMinRetentionDays (%d) and %d, got %d", lo, maxRetentionDays, hi)
		return
	}
	for _, r := range c.Rules(c.DRRegion != "") {
		if r.RetentionDays < lo || r.RetentionDays > hi {
			p.Addf(r.Name+"RetentionDays", "is %d, outside the vault lock's %d to %d days (vaultLockMinRetentionDays, vaultLockMaxRetentionDays); AWS Backup would fail every %s job (and its DR copy)", r.RetentionDays, lo, hi, r.Name)
		}
	}
}
