package backup

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Cron expressions, as AWS Backup takes them: the six-field form of Amazon
// EventBridge ("Cron expressions reference", Amazon EventBridge User Guide;
// AWS Backup Developer Guide, "Creating a backup plan", which points there),
// in UTC here because every rule sets scheduleExpressionTimezone Etc/UTC:
//
//	field         values            wildcards
//	minutes       0-59              , - * /
//	hours         0-23              , - * /
//	day-of-month  1-31              , - * ? / L W
//	month         1-12 or JAN-DEC   , - * /
//	day-of-week   1-7 or SUN-SAT    , - * ? L #
//	year          1970-2199         , - * /
//
// One of day-of-month and day-of-week must be "?". AWS Backup runs a rule at
// most once an hour, so the minute is a single value here.
var (
	cronRE     = regexp.MustCompile(`^cron\((.*)\)$`)
	monthNames = []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
	dayNames   = []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}
)

// cronField is one field's range and the names it accepts for its values.
type cronField struct {
	name     string
	min, max int
	names    []string // names[i] stands for min+i
}

var cronFields = []cronField{
	{name: "minute", min: 0, max: 59},
	{name: "hour", min: 0, max: 23},
	{name: "day-of-month", min: 1, max: 31},
	{name: "month", min: 1, max: 12, names: monthNames},
	{name: "day-of-week", min: 1, max: 7, names: dayNames},
	{name: "year", min: 1970, max: 2199},
}

// Schedule is a parsed AWS Backup cron expression: the minute it starts at,
// the hours of the day it may start, and the days of the week (0 Sunday) it
// may start on. A day-of-month rule may land on any weekday.
type Schedule struct {
	Minute   int
	Hours    []int
	Weekdays []int
}

// StartMinutes returns every minute of the week (0 is Sunday 00:00 UTC) at
// which the schedule may start a job.
func (s Schedule) StartMinutes() []int {
	var out []int
	for _, d := range s.Weekdays {
		for _, h := range s.Hours {
			out = append(out, d*24*60+h*60+s.Minute)
		}
	}
	return out
}

// validateSchedule checks an AWS Backup schedule field by field; see
// ParseSchedule.
func validateSchedule(s string) error {
	_, err := ParseSchedule(s)
	return err
}

// ParseSchedule parses and checks an AWS Backup schedule, "cron(minute hour
// day-of-month month day-of-week year)" in UTC: each field's values within
// its range, ranges in order, steps positive, "?" in exactly one of the two
// day fields, L, W and # only where EventBridge takes them. It catches the
// mistakes AWS would only report at deploy time, or never ("cron(0 25 ...)"
// is accepted by no one; "cron(0 23 31 2 ? *)" never runs).
func ParseSchedule(s string) (Schedule, error) {
	m := cronRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Schedule{}, fmt.Errorf("must be an AWS Backup cron expression such as \"cron(0 23 * * ? *)\" (minute hour day-of-month month day-of-week year, UTC), got %q", s)
	}
	fields := strings.Fields(m[1])
	if len(fields) != 6 {
		return Schedule{}, fmt.Errorf("must have six fields (minute hour day-of-month month day-of-week year), got %d in %q", len(fields), s)
	}
	var out Schedule
	minute, err := strconv.Atoi(fields[0])
	switch {
	case err != nil || strings.ContainsAny(fields[0], "+-"):
		return Schedule{}, fmt.Errorf("must start at a fixed minute (AWS Backup runs a rule at most hourly), got %q in %q", fields[0], s)
	case minute > 59:
		return Schedule{}, fmt.Errorf("has minute %d; it must be 0 to 59, in %q", minute, s)
	}
	out.Minute = minute
	hours, err := cronFields[1].parse(fields[1], nil)
	if err != nil {
		return Schedule{}, fmt.Errorf("has an invalid hour field %q in %q: %w", fields[1], s, err)
	}
	out.Hours = hours
	domQ, dowQ := fields[2] == "?", fields[4] == "?"
	if domQ == dowQ {
		return Schedule{}, fmt.Errorf("must have \"?\" in exactly one of day-of-month and day-of-week, got %q and %q in %q", fields[2], fields[4], s)
	}
	var days []int
	if !domQ {
		days, err = cronFields[2].parse(fields[2], domSpecial)
		if err != nil {
			return Schedule{}, fmt.Errorf("has an invalid day-of-month field %q in %q: %w", fields[2], s, err)
		}
	}
	months, err := cronFields[3].parse(fields[3], nil)
	if err != nil {
		return Schedule{}, fmt.Errorf("has an invalid month field %q in %q: %w", fields[3], s, err)
	}
	if !domQ && !possibleDay(days, months) {
		return Schedule{}, fmt.Errorf("never runs: no month of %q has a day %q, in %q", fields[3], fields[2], s)
	}
	out.Weekdays = []int{0, 1, 2, 3, 4, 5, 6}
	if !dowQ {
		dow, err := cronFields[4].parse(fields[4], dowSpecial)
		if err != nil {
			return Schedule{}, fmt.Errorf("has an invalid day-of-week field %q in %q: %w", fields[4], s, err)
		}
		out.Weekdays = nil
		for _, d := range dow {
			out.Weekdays = append(out.Weekdays, d-1) // 1 is Sunday
		}
	}
	if fields[5] != "*" {
		if _, err := cronFields[5].parse(fields[5], nil); err != nil {
			return Schedule{}, fmt.Errorf("has an invalid year field %q in %q: %w", fields[5], s, err)
		}
	}
	return out, nil
}

// special parses a field's item of a form only that field takes, returning
// the values it stands for; ok false when the item is not of such a form.
type special func(f cronField, item string) (values []int, ok bool, err error)

var (
	domLastRE = regexp.MustCompile(`^L(-(\d{1,2}))?$`)
	domWeekRE = regexp.MustCompile(`^(\d{1,2}|L)W$`)
	dowNthRE  = regexp.MustCompile(`^([0-9A-Za-z]{1,3})#(\d)$`)
	dowLastRE = regexp.MustCompile(`^([0-9A-Za-z]{1,3})L$`)
)

// domSpecial takes L (the last day), L-n (n days before it), nW (the
// weekday nearest day n) and LW.
func domSpecial(f cronField, item string) ([]int, bool, error) {
	if m := domLastRE.FindStringSubmatch(item); m != nil {
		if m[2] != "" {
			if n, _ := strconv.Atoi(m[2]); n < 1 || n > 30 {
				return nil, true, fmt.Errorf("the offset of L-%d must be 1 to 30", n)
			}
		}
		return []int{28, 29, 30, 31}, true, nil // the last day is one of these
	}
	if m := domWeekRE.FindStringSubmatch(item); m != nil {
		if m[1] == "L" {
			return []int{26, 27, 28, 29, 30, 31}, true, nil
		}
		n, _ := strconv.Atoi(m[1])
		if n < f.min || n > f.max {
			return nil, true, fmt.Errorf("%dW: the day must be %d to %d", n, f.min, f.max)
		}
		return []int{max(n-2, 1), min(n+2, 31)}, true, nil
	}
	return nil, false, nil
}

// dowSpecial takes d#n (the n-th weekday d of the month, n 1 to 5) and dL
// (the last weekday d of the month).
func dowSpecial(f cronField, item string) ([]int, bool, error) {
	if m := dowNthRE.FindStringSubmatch(item); m != nil {
		d, err := f.value(m[1])
		if err != nil {
			return nil, true, err
		}
		if n, _ := strconv.Atoi(m[2]); n < 1 || n > 5 {
			return nil, true, fmt.Errorf("%s: the week of the month must be 1 to 5", item)
		}
		return []int{d}, true, nil
	}
	if m := dowLastRE.FindStringSubmatch(item); m != nil {
		d, err := f.value(m[1])
		if err != nil {
			return nil, true, err
		}
		return []int{d}, true, nil
	}
	return nil, false, nil
}

// parse reads a field: "*" or a comma-separated list of items, each a value,
// a range a-b, or either (or "*") with a step /n.
func (f cronField) parse(s string, sp special) ([]int, error) {
	set := map[int]bool{}
	for item := range strings.SplitSeq(s, ",") {
		if sp != nil {
			if vals, ok, err := sp(f, item); ok {
				if err != nil {
					return nil, err
				}
				for _, v := range vals {
					set[v] = true
				}
				continue
			}
		}
		base, stepText, stepped := strings.Cut(item, "/")
		step := 1
		if stepped {
			n, err := strconv.Atoi(stepText)
			if err != nil || n < 1 || n > f.max {
				return nil, fmt.Errorf("the step %q must be a whole number from 1 to %d", stepText, f.max)
			}
			step = n
		}
		lo, hi := f.min, f.max
		switch a, b, isRange := strings.Cut(base, "-"); {
		case base == "*":
		case isRange:
			var err error
			if lo, err = f.value(a); err != nil {
				return nil, err
			}
			if hi, err = f.value(b); err != nil {
				return nil, err
			}
			if lo > hi {
				return nil, fmt.Errorf("the range %s runs backwards", base)
			}
		default:
			v, err := f.value(base)
			if err != nil {
				return nil, err
			}
			lo = v
			if !stepped {
				hi = v
			}
		}
		for v := lo; v <= hi; v += step {
			set[v] = true
		}
	}
	out := make([]int, 0, len(set))
	for v := f.min; v <= f.max; v++ {
		if set[v] {
			out = append(out, v)
		}
	}
	return out, nil
}

// value reads one value of the field, a number in its range or a name.
func (f cronField) value(s string) (int, error) {
	for i, n := range f.names {
		if strings.EqualFold(s, n) {
			return f.min + i, nil
		}
	}
	v, err := strconv.Atoi(s)
	if err != nil || strings.ContainsAny(s, "+-") {
		if f.names != nil {
			return 0, fmt.Errorf("%q is neither %d-%d nor one of %s", s, f.min, f.max, strings.Join(f.names, ","))
		}
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if v < f.min || v > f.max {
		return 0, fmt.Errorf("%d is outside %d-%d", v, f.min, f.max)
	}
	return v, nil
}

// daysIn is the most days each month has.
var daysIn = []int{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// possibleDay reports whether some day of days exists in some month of
// months.
func possibleDay(days, months []int) bool {
	for _, m := range months {
		for _, d := range days {
			if d <= daysIn[m-1] {
				return true
			}
		}
	}
	return false
}
