package check_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/internal/check"
)

func TestProblemsCollectsEveryProblemWithItsPath(t *testing.T) {
	t.Parallel()
	var p check.Problems
	p.Between("azCount", 9, 2, 6)
	p.OneOf("natMode", "two", "none", "single", "perAz")
	p.IntOneOf("interval", 5, 60, 600)
	p.NotEmpty("name", " ")
	var inner check.Problems
	inner.Addf("maxSize", "must be at least minSize (3), got 2")
	p.Merge("nodeGroups[1]", inner.Err())
	p.Merge("ignored", nil)

	require.Equal(t, 5, p.Len())
	got := check.Prefix("platform:network", p.Err())
	var msgs []string
	for _, e := range check.Flatten(got) {
		msgs = append(msgs, e.Error())
	}
	require.Equal(t, []string{
		"platform:network.azCount: must be between 2 and 6, got 9",
		`platform:network.natMode: must be one of "none", "single", "perAz", got "two"`,
		"platform:network.interval: must be one of 60, 600, got 5",
		"platform:network.name: is required",
		"platform:network.nodeGroups[1].maxSize: must be at least minSize (3), got 2",
	}, msgs)
}

func TestPrefixKeepsPlainErrorsUnderThePrefix(t *testing.T) {
	t.Parallel()
	err := check.Prefix("platform:cache", errors.New("boom"))
	require.EqualError(t, err, "platform:cache: boom")
	require.NoError(t, check.Prefix("x", nil))
	var ok check.Problems
	require.NoError(t, ok.Err())
}

func TestWindows(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		daily   string
		weekly  string
		min     int
		wantErr string
	}{
		{name: "apart", daily: "03:00-04:00", weekly: "sun:05:00-sun:06:00", min: 30},
		{name: "touching is not overlapping", daily: "03:00-04:00", weekly: "mon:04:00-mon:05:00", min: 30},
		{name: "overlap on one day", daily: "03:00-04:00", weekly: "wed:03:30-wed:04:30", min: 30, wantErr: "maintenance: must not overlap backup"},
		{name: "daily wraps midnight", daily: "23:30-00:30", weekly: "tue:00:00-tue:01:00", min: 30, wantErr: "must not overlap"},
		{name: "weekly wraps the week", daily: "00:10-00:50", weekly: "sun:23:00-mon:01:00", min: 30, wantErr: "must not overlap"},
		{name: "malformed daily", daily: "3:00-4:00", weekly: "sun:05:00-sun:06:00", min: 30, wantErr: "backup: must be of the form hh24:mi-hh24:mi"},
		{name: "malformed weekly", daily: "03:00-04:00", weekly: "Sun:05:00-sun:06:00", min: 30, wantErr: "maintenance: must be of the form ddd:hh24:mi-ddd:hh24:mi"},
		{name: "bad hour", daily: "24:00-01:00", weekly: "sun:05:00-sun:06:00", min: 30, wantErr: "backup: must be of the form"},
		{name: "too short", daily: "03:00-03:20", weekly: "sun:05:00-sun:06:00", min: 30, wantErr: "backup: must be at least 30 minutes long, got 20"},
		{name: "weekly too short", daily: "03:00-04:00", weekly: "sun:05:00-sun:05:30", min: 60, wantErr: "maintenance: must be at least 60 minutes long, got 30"},
		{name: "empty", daily: "", weekly: "", min: 30, wantErr: "backup: must be of the form"},
		{name: "zero length", daily: "03:00-03:00", weekly: "sun:05:00-sun:06:00", min: 30, wantErr: "must not start and end at the same time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var p check.Problems
			p.Windows("backup", tt.daily, "maintenance", tt.weekly, tt.min)
			if tt.wantErr == "" {
				require.NoError(t, p.Err())
				return
			}
			require.ErrorContains(t, p.Err(), tt.wantErr)
		})
	}
}

func TestWindowLengthAcrossMidnight(t *testing.T) {
	t.Parallel()
	w, err := check.ParseDailyWindow("23:30-00:30")
	require.NoError(t, err)
	require.Equal(t, 60, w.Minutes)
	wk, err := check.ParseWeeklyWindow("sun:23:00-mon:01:00")
	require.NoError(t, err)
	require.Equal(t, 120, wk.Minutes)
}
