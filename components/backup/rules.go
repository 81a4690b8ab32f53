package backup

// Rule is one rule of the backup plan, as planned from the configuration.
type Rule struct {
	// Name is "daily", "weekly" or "monthly"; it names the plan rule and the
	// config keys of its schedule and retention.
	Name     string
	Schedule string
	// RetentionDays is when AWS Backup deletes the recovery point.
	RetentionDays int
	// ColdStorageAfterDays moves the recovery point to cold storage; 0 never.
	ColdStorageAfterDays int
	// CopyRetentionDays is how long the copy in the DR vault lives: the
	// rule's own retention, so a regional loss costs no history; 0 means no
	// copy.
	CopyRetentionDays int
}

// Rules plans the backup plan's rules: daily always, weekly and monthly when
// their retention is not 0. With dr, every rule copies its recovery point to
// the DR vault: AWS Backup runs one job when rules coincide (keeping the one
// with the longest retention), so a copy on the daily rule alone would skip
// the DR region on weekly and monthly days.
func (c Config) Rules(dr bool) []Rule {
	out := []Rule{{Name: "daily", Schedule: c.DailySchedule, RetentionDays: c.DailyRetentionDays}}
	if w := c.WeeklyRetentionDays; w != 0 {
		out = append(out, Rule{Name: "weekly", Schedule: c.WeeklySchedule, RetentionDays: w})
	}
	if m := c.MonthlyRetentionDays; m != 0 {
		out = append(out, Rule{Name: "monthly", Schedule: c.MonthlySchedule, RetentionDays: m,
			ColdStorageAfterDays: c.MonthlyColdStorageAfterDays})
	}
	if dr {
		for i := range out {
			out[i].CopyRetentionDays = out[i].RetentionDays
		}
	}
	return out
}
