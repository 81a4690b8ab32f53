package check

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

const (
	minutesPerDay  = 24 * 60
	minutesPerWeek = 7 * minutesPerDay
)

var (
	dailyRE  = regexp.MustCompile(`^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$`)
	weeklyRE = regexp.MustCompile(`^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)$`)
	days     = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
)

// Window is a recurring UTC time window in minutes of the week. A daily window
// ("03:00-04:00", the form of RDS backupWindow and ElastiCache snapshotWindow)
// recurs on all seven days; a weekly window ("sun:05:00-sun:06:00", the form of
// maintenance windows) recurs once. Windows may wrap past midnight or the week.
type Window struct {
	spans [][2]int // [start, end) in minutes of the week, end may exceed a week
	// Minutes is the length of one occurrence.
	Minutes int
}

// ParseDailyWindow parses "hh24:mi-hh24:mi" (UTC).
func ParseDailyWindow(s string) (Window, error) {
	m := dailyRE.FindStringSubmatch(s)
	if m == nil {
		return Window{}, fmt.Errorf("must be of the form hh24:mi-hh24:mi in UTC (e.g. \"03:00-04:00\"), got %q", s)
	}
	start := atoi(m[1])*60 + atoi(m[2])
	end := atoi(m[3])*60 + atoi(m[4])
	length := (end - start + minutesPerDay) % minutesPerDay
	if length == 0 {
		return Window{}, fmt.Errorf("must not start and end at the same time, got %q", s)
	}
	w := Window{Minutes: length}
	for d := range 7 {
		w.spans = append(w.spans, [2]int{d*minutesPerDay + start, d*minutesPerDay + start + length})
	}
	return w, nil
}

// ParseWeeklyWindow parses "ddd:hh24:mi-ddd:hh24:mi" (UTC, lower-case days).
func ParseWeeklyWindow(s string) (Window, error) {
	m := weeklyRE.FindStringSubmatch(strings.ToLower(s))
	if m == nil || s != strings.ToLower(s) {
		return Window{}, fmt.Errorf("must be of the form ddd:hh24:mi-ddd:hh24:mi in UTC with lower-case days (e.g. \"sun:05:00-sun:06:00\"), got %q", s)
	}
	start := dayIndex(m[1])*minutesPerDay + atoi(m[2])*60 + atoi(m[3])
	end := dayIndex(m[4])*minutesPerDay + atoi(m[5])*60 + atoi(m[6])
	length := (end - start + minutesPerWeek) % minutesPerWeek
	if length == 0 {
		return Window{}, fmt.Errorf("must not start and end at the same time, got %q", s)
	}
	return Window{spans: [][2]int{{start, start + length}}, Minutes: length}, nil
}

// StartWindows is the window of jobs that may start at any of the given
// minutes of the week (0 is Sunday 00:00 UTC) and run for length minutes.
func StartWindows(starts []int, length int) Window {
	w := Window{Minutes: length}
	for _, s := range starts {
		w.spans = append(w.spans, [2]int{s, s + length})
	}
	return w
}

// Ahead returns w widened to begin minutes earlier: the window plus the
// lead-up to it in which a service refuses other work.
func (w Window) Ahead(minutes int) Window {
	out := Window{Minutes: w.Minutes + minutes}
	for _, s := range w.spans {
		out.spans = append(out.spans, [2]int{s[0] - minutes, s[1]})
	}
	return out
}

// Overlaps reports whether any occurrence of w intersects any occurrence of o.
func (w Window) Overlaps(o Window) bool {
	for _, a := range w.spans {
		for _, b := range o.spans {
			// Compare in the week and shifted by one week either way, so spans
			// that wrap past Sunday midnight are seen.
			for _, shift := range []int{-minutesPerWeek, 0, minutesPerWeek} {
				if a[0] < b[1]+shift && b[0]+shift < a[1] {
					return true
				}
			}
		}
	}
	return false
}

// Windows validates a daily window (backups, snapshots) and a weekly
// maintenance window: each well formed, each at least minMinutes long, and not
// overlapping. It records problems against the two field paths.
func (p *Problems) Windows(dailyPath, daily, weeklyPath, weekly string, minMinutes int) {
	d, derr := ParseDailyWindow(daily)
	if derr != nil {
		p.Addf(dailyPath, "%s", derr.Error())
	} else if d.Minutes < minMinutes {
		p.Addf(dailyPath, "must be at least %d minutes long, got %d (%q)", minMinutes, d.Minutes, daily)
	}
	w, werr := ParseWeeklyWindow(weekly)
	if werr != nil {
		p.Addf(weeklyPath, "%s", werr.Error())
	} else if w.Minutes < minMinutes {
		p.Addf(weeklyPath, "must be at least %d minutes long, got %d (%q)", minMinutes, w.Minutes, weekly)
	}
	if derr == nil && werr == nil && d.Overlaps(w) {
		p.Addf(weeklyPath, "must not overlap %s (%q overlaps %q)", dailyPath, weekly, daily)
	}
}

func dayIndex(d string) int {
	for i, x := range days {
		if x == d {
			return i
		}
	}
	return 0
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s) // the regular expressions admit digits only
	return n
}
