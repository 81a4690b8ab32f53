package monitoring

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Dashboard grid: CloudWatch dashboards are 24 units wide.
const (
	gridWidth    = 24
	widgetWidth  = 12
	widgetHeight = 6
)

// dashboardBody renders the CloudWatch dashboard body for the signals: a
// heading per section, then one time-series widget per kind of signal (a
// line per watched resource) with the alarm threshold drawn across it. It
// reads the same metrics, statistics and thresholds as the alarms.
func dashboardBody(region string, periodSeconds int, signals []signal[string]) (string, error) {
	if region == "" {
		return "", fmt.Errorf("dashboard: region is required")
	}
	type group struct {
		section, title string
		signals        []signal[string]
	}
	var groups []*group
	byKind := map[string]*group{}
	for _, s := range signals {
		g, ok := byKind[s.Kind]
		if !ok {
			g = &group{section: s.Section, title: s.Title}
			byKind[s.Kind] = g
			groups = append(groups, g)
		}
		g.signals = append(g.signals, s)
	}

	widgets := []map[string]any{}
	x, y := 0, 0
	section := ""
	for _, g := range groups {
		if g.section != section {
			if x != 0 {
				x, y = 0, y+widgetHeight
			}
			section = g.section
			widgets = append(widgets, map[string]any{
				"type": "text", "x": 0, "y": y, "width": gridWidth, "height": 1,
				"properties": map[string]any{"markdown": "## " + section},
			})
			y++
		}
		var metrics []any
		var annotations []map[string]any
		seen := map[string]bool{}
		for _, s := range g.signals {
			lines, err := metricLines(s)
			if err != nil {
				return "", err
			}
			metrics = append(metrics, lines...)
			label := fmt.Sprintf("alarm %s %g", operatorSymbol(s.Comparison), s.Threshold)
			if s.Kind == "nodes-at-max" { // each group has its own maximum
				label = s.Label + ": " + label
			}
			if !seen[label] {
				seen[label] = true
				annotations = append(annotations, map[string]any{"label": label, "value": s.Threshold})
			}
		}
		widgets = append(widgets, map[string]any{
			"type": "metric", "x": x, "y": y, "width": widgetWidth, "height": widgetHeight,
			"properties": map[string]any{
				"title":       g.title,
				"region":      region,
				"view":        "timeSeries",
				"stacked":     false,
				"period":      periodSeconds,
				"metrics":     metrics,
				"annotations": map[string]any{"horizontal": annotations},
			},
		})
		x += widgetWidth
		if x >= gridWidth {
			x, y = 0, y+widgetHeight
		}
	}
	b, err := json.Marshal(map[string]any{"widgets": widgets})
	if err != nil {
		return "", fmt.Errorf("dashboard: rendering body: %w", err)
	}
	return string(b), nil
}

// metricLines renders one signal as dashboard metric entries: the metric
// itself, or the expression followed by its hidden inputs.
func metricLines(s signal[string]) ([]any, error) {
	line := func(m metric[string], opts map[string]any) []any {
		out := []any{m.Namespace, m.Name}
		for _, d := range m.Dimensions {
			out = append(out, d.Name, d.Value)
		}
		opts["stat"] = m.Stat
		return append(out, opts)
	}
	if s.Expression == "" {
		if len(s.Metrics) != 1 {
			return nil, fmt.Errorf("dashboard: signal %s has %d metrics and no expression", s.Key, len(s.Metrics))
		}
		return []any{line(s.Metrics[0], map[string]any{"label": s.Label})}, nil
	}
	out := []any{[]any{map[string]any{"expression": s.Expression, "label": s.Label, "id": "e_" + strings.ReplaceAll(s.Key, "-", "_")}}}
	for _, m := range s.Metrics {
		out = append(out, line(m, map[string]any{"id": m.ID, "visible": false}))
	}
	return out, nil
}

func operatorSymbol(op string) string {
	switch op {
	case above:
		return ">"
	case atOrAbove:
		return ">="
	case below:
		return "<"
	default:
		return op
	}
}
