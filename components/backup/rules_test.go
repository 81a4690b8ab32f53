package backup_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/backup"
)

func TestRules(t *testing.T) {
	t.Parallel()
	d := backup.DefaultConfig()
	tests := []struct {
		name string
		cfg  func() backup.Config
		dr   bool
		want []backup.Rule
	}{
		{name: "defaults", cfg: backup.DefaultConfig, want: []backup.Rule{
			{Name: "daily", Schedule: d.DailySchedule, RetentionDays: 35},
			{Name: "weekly", Schedule: d.WeeklySchedule, RetentionDays: 90},
			{Name: "monthly", Schedule: d.MonthlySchedule, RetentionDays: 365},
		}},
		{name: "DR copies every rule with its own retention", dr: true, cfg: backup.DefaultConfig, want: []backup.Rule{
			{Name: "daily", Schedule: d.DailySchedule, RetentionDays: 35, CopyRetentionDays: 35},
			{Name: "weekly", Schedule: d.WeeklySchedule, RetentionDays: 90, CopyRetentionDays: 90},
			{Name: "monthly", Schedule: d.MonthlySchedule, RetentionDays: 365, CopyRetentionDays: 365},
		}},
		{name: "off rules and cold storage", cfg: func() backup.Config {
			c := backup.DefaultConfig()
			c.WeeklyRetentionDays = 0
			c.MonthlyColdStorageAfterDays = 30
			return c
		}, want: []backup.Rule{
			{Name: "daily", Schedule: d.DailySchedule, RetentionDays: 35},
			{Name: "monthly", Schedule: d.MonthlySchedule, RetentionDays: 365, ColdStorageAfterDays: 30},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, tt.cfg().Rules(tt.dr))
		})
	}
}

func TestValidateSchedule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr    string
		wantErr string
	}{
		{expr: "cron(0 23 * * ? *)"},
		{expr: "cron(15 3 ? * SUN *)"},
		{expr: "cron(0 5 1 * ? *)"},
		{expr: "cron(0 5 L * ? *)"},
		{expr: "cron(0 0/12 * * ? *)"},
		{expr: "cron(0 2 ? * MON-FRI *)"},
		{expr: "cron(0 2 ? * 6#1 *)"},
		{expr: "cron(0 2 ? JAN,JUL * 2027)"},
		{expr: "rate(1 day)", wantErr: "must be an AWS Backup cron expression"},
		{expr: "", wantErr: "must be an AWS Backup cron expression"},
		{expr: "cron(0 23 * * ?)", wantErr: "must have six fields"},
		{expr: "cron(* 23 * * ? *)", wantErr: "must start at a fixed minute"},
		{expr: "cron(0/15 23 * * ? *)", wantErr: "must start at a fixed minute"},
		{expr: "cron(60 23 * * ? *)", wantErr: "has minute 60"},
		{expr: "cron(0 twenty * * ? *)", wantErr: `invalid hour field "twenty"`},
		{expr: "cron(0 23 * * * *)", wantErr: `must have "?" in exactly one`},
		{expr: "cron(0 23 ? * ? *)", wantErr: `must have "?" in exactly one`},
		{expr: "cron(0 23 * * ? 27)", wantErr: `invalid year field "27"`},
		// Field by field: each value within its range, each form where
		// EventBridge takes it.
		{expr: "cron(0 24 * * ? *)", wantErr: `invalid hour field "24"`},
		{expr: "cron(0 22-2 * * ? *)", wantErr: "runs backwards"},
		{expr: "cron(0 0/0 * * ? *)", wantErr: "the step"},
		{expr: "cron(0 23 32 * ? *)", wantErr: `invalid day-of-month field "32"`},
		{expr: "cron(0 23 0 * ? *)", wantErr: `invalid day-of-month field "0"`},
		{expr: "cron(0 23 30 2 ? *)", wantErr: "never runs"},
		{expr: "cron(0 23 * 13 ? *)", wantErr: `invalid month field "13"`},
		{expr: "cron(0 23 * JANUARY ? *)", wantErr: `invalid month field "JANUARY"`},
		{expr: "cron(0 23 ? * 8 *)", wantErr: `invalid day-of-week field "8"`},
		{expr: "cron(0 23 ? * 0 *)", wantErr: `invalid day-of-week field "0"`},
		{expr: "cron(0 23 ? * MON#6 *)", wantErr: "week of the month must be 1 to 5"},
		{expr: "cron(0 23 ? * * 1969)", wantErr: `invalid year field "1969"`},
		{expr: "cron(0 23 L * ? 2027-2026)", wantErr: "runs backwards"},
		{expr: "cron(0 -1 * * ? *)", wantErr: "invalid hour field"},
		{expr: "cron(0 23 15W * ? *)"},
		{expr: "cron(0 23 LW * ? *)"},
		{expr: "cron(0 23 L-3 * ? *)"},
		{expr: "cron(0 23 ? * 6L *)"},
		{expr: "cron(0 23 29 2 ? *)"},
		{expr: "cron(0 23 1,15 * ? *)"},
		{expr: "cron(0 8-18/2 ? * mon-fri 2026-2199)"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			t.Parallel()
			err := backup.ValidateSchedule(tt.expr)
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestScheduleStartMinutes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr string
		want []int
	}{
		// Daily at 23:00: every day of the week.
		{"cron(0 23 * * ? *)", []int{23 * 60, 1*1440 + 23*60, 2*1440 + 23*60, 3*1440 + 23*60, 4*1440 + 23*60, 5*1440 + 23*60, 6*1440 + 23*60}},
		// Saturday (7) at 23:00.
		{"cron(0 23 ? * SAT *)", []int{6*1440 + 23*60}},
		// Monday and Wednesday, twice a day.
		{"cron(30 0/12 ? * 2,4 *)", []int{1*1440 + 30, 1*1440 + 12*60 + 30, 3*1440 + 30, 3*1440 + 12*60 + 30}},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			t.Parallel()
			s, err := backup.ParseSchedule(tt.expr)
			require.NoError(t, err)
			require.Equal(t, tt.want, s.StartMinutes())
		})
	}
}
