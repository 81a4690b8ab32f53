package backup

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

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
	if w := deref(c.WeeklyRetentionDays); w != 0 {
		out = append(out, Rule{Name: "weekly", Schedule: c.WeeklySchedule, RetentionDays: w})
	}
	if m := deref(c.MonthlyRetentionDays); m != 0 {
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

var (
	cronRE       = regexp.MustCompile(`^cron\((.*)\)$`)
	cronFieldRes = []struct {
		name string
		re   *regexp.Regexp
	}{
		{"minute", regexp.MustCompile(`^\d{1,2}$`)},
		{"hour", regexp.MustCompile(`^(\*|[0-9]{1,2}([,\-/][0-9]{1,2})*)$`)},
		{"day-of-month", regexp.MustCompile(`^(\?|\*|L|[0-9]{1,2}W?([,\-/][0-9]{1,2})*)$`)},
		{"month", regexp.MustCompile(`^(\*|[0-9A-Za-z]{1,3}([,\-/][0-9A-Za-z]{1,3})*)$`)},
		{"day-of-week", regexp.MustCompile(`^(\?|\*|[0-9A-Za-z]{1,3}(L|#[1-5])?([,\-/][0-9A-Za-z]{1,3})*)$`)},
		{"year", regexp.MustCompile(`^(\*|[0-9]{4}([,\-/][0-9]{1,4})*)$`)},
	}
)

// ValidateSchedule checks an AWS Backup schedule: "cron(minute hour
// day-of-month month day-of-week year)" in UTC, with a fixed minute (AWS
// Backup runs a rule at most once an hour) and "?" in exactly one of the two
// day fields. It catches the mistakes AWS would only report at deploy time.
func ValidateSchedule(s string) error {
	m := cronRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return fmt.Errorf("must be an AWS Backup cron expression such as \"cron(0 23 * * ? *)\" (minute hour day-of-month month day-of-week year, UTC), got %q", s)
	}
	fields := strings.Fields(m[1])
	if len(fields) != 6 {
		return fmt.Errorf("must have six fields (minute hour day-of-month month day-of-week year), got %d in %q", len(fields), s)
	}
	for i, f := range cronFieldRes {
		if !f.re.MatchString(fields[i]) {
			if i == 0 {
				return fmt.Errorf("must start at a fixed minute (AWS Backup runs a rule at most hourly), got %q in %q", fields[i], s)
			}
			return fmt.Errorf("has an invalid %s field %q in %q", f.name, fields[i], s)
		}
	}
	if minute, _ := strconv.Atoi(fields[0]); minute > 59 {
		return fmt.Errorf("has minute %d; it must be 0 to 59, in %q", minute, s)
	}
	if (fields[2] == "?") == (fields[4] == "?") {
		return fmt.Errorf("must have \"?\" in exactly one of day-of-month and day-of-week, got %q and %q in %q", fields[2], fields[4], s)
	}
	return nil
}
