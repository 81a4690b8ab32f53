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
			c.WeeklyRetentionDays = new(0)
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
