package monitoring_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/monitoring"
)

type widget struct {
	Type       string `json:"type"`
	X          int    `json:"x"`
	Y          int    `json:"y"`
	Width      int    `json:"width"`
	Height     int    `json:"height"`
	Properties struct {
		Markdown    string  `json:"markdown"`
		Title       string  `json:"title"`
		Region      string  `json:"region"`
		Period      int     `json:"period"`
		Metrics     [][]any `json:"metrics"`
		Annotations struct {
			Horizontal []struct {
				Label string  `json:"label"`
				Value float64 `json:"value"`
			} `json:"horizontal"`
		} `json:"annotations"`
	} `json:"properties"`
}

func parseDashboard(t *testing.T, body string) []widget {
	t.Helper()
	var d struct {
		Widgets []widget `json:"widgets"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &d))
	return d.Widgets
}

// metricLine is one dashboard metric entry, decoded.
type metricLine struct {
	namespace, name string
	dims            map[string]string
	opts            map[string]any
}

func decodeLine(t *testing.T, raw []any) metricLine {
	t.Helper()
	require.NotEmpty(t, raw)
	opts, _ := raw[len(raw)-1].(map[string]any)
	if len(raw) == 1 {
		return metricLine{opts: opts}
	}
	l := metricLine{namespace: raw[0].(string), name: raw[1].(string), dims: map[string]string{}, opts: opts}
	for i := 2; i+1 < len(raw)-1; i += 2 {
		k, _ := raw[i].(string)
		v, _ := raw[i+1].(string)
		l.dims[k] = v
	}
	return l
}

// findSignal reports whether a widget of the dashboard draws the signal's
// metrics with its statistic and dimensions, and its threshold.
func findSignal(t *testing.T, widgets []widget, s monitoring.Signal[string]) bool {
	t.Helper()
	for _, w := range widgets {
		if w.Type != "metric" {
			continue
		}
		thresholdDrawn := false
		for _, a := range w.Properties.Annotations.Horizontal {
			if a.Value == s.Threshold {
				thresholdDrawn = true
			}
		}
		var lines []metricLine
		for _, raw := range w.Properties.Metrics {
			lines = append(lines, decodeLine(t, raw))
		}
		found := 0
		for _, m := range s.Metrics {
			for _, l := range lines {
				dimsMatch := len(l.dims) == len(m.Dimensions)
				for _, d := range m.Dimensions {
					dimsMatch = dimsMatch && l.dims[d.Name] == d.Value
				}
				if l.namespace == m.Namespace && l.name == m.Name && l.opts["stat"] == m.Stat && dimsMatch &&
					(s.Expression == "" || l.opts["id"] == m.ID) {
					found++
					break
				}
			}
		}
		if s.Expression != "" {
			exprFound := false
			for _, l := range lines {
				if l.opts["expression"] == s.Expression {
					exprFound = true
				}
			}
			if !exprFound {
				continue
			}
		}
		if found == len(s.Metrics) && thresholdDrawn {
			return true
		}
	}
	return false
}

func TestDashboardShowsEverySignal(t *testing.T) {
	t.Parallel()
	sigs := monitoring.Signals(monitoring.DefaultConfig(), everything(3))
	body, err := monitoring.DashboardBody("us-east-1", 60, sigs)
	require.NoError(t, err)
	widgets := parseDashboard(t, body)
	for _, s := range sigs {
		require.True(t, findSignal(t, widgets, s), "signal %s is not on the dashboard", s.Key)
	}

	var headings []string
	for _, w := range widgets {
		if w.Type == "text" {
			headings = append(headings, w.Properties.Markdown)
			continue
		}
		require.Equal(t, "us-east-1", w.Properties.Region)
		require.Equal(t, 60, w.Properties.Period)
		require.NotEmpty(t, w.Properties.Title)
	}
	require.Equal(t, []string{"## Database", "## Cache", "## Broker", "## Network", "## Cluster"}, headings)
}

func TestDashboardGroupsNodesOnOneWidget(t *testing.T) {
	t.Parallel()
	body, err := monitoring.DashboardBody("us-east-1", 60, monitoring.Signals(monitoring.DefaultConfig(), everything(3)))
	require.NoError(t, err)
	for _, w := range parseDashboard(t, body) {
		switch w.Properties.Title {
		case "Cache engine CPU (%)":
			require.Len(t, w.Properties.Metrics, 3, "one line per cache node")
			require.Len(t, w.Properties.Annotations.Horizontal, 1, "one threshold for all nodes")
		case "Node groups: desired capacity (alarm at maximum)":
			require.Len(t, w.Properties.Metrics, 2)
			require.Len(t, w.Properties.Annotations.Horizontal, 2, "each group has its own maximum")
			require.Equal(t, "general: alarm >= 6", w.Properties.Annotations.Horizontal[0].Label)
		case "Broker memory used (% of RabbitMQ's limit)":
			require.Len(t, w.Properties.Metrics, 3, "the expression and its two hidden inputs")
			for _, raw := range w.Properties.Metrics[1:] {
				require.Equal(t, false, decodeLine(t, raw).opts["visible"])
			}
		}
	}
}

func TestDashboardLayoutDoesNotOverlap(t *testing.T) {
	t.Parallel()
	body, err := monitoring.DashboardBody("us-east-1", 60, monitoring.Signals(monitoring.DefaultConfig(), everything(3)))
	require.NoError(t, err)
	taken := map[string]string{}
	for i, w := range parseDashboard(t, body) {
		require.LessOrEqual(t, w.X+w.Width, 24)
		for x := w.X; x < w.X+w.Width; x++ {
			for y := w.Y; y < w.Y+w.Height; y++ {
				cell := fmt.Sprintf("%d,%d", x, y)
				require.Emptyf(t, taken[cell], "widget %d (%s) overlaps %s", i, w.Properties.Title, taken[cell])
				taken[cell] = fmt.Sprint(i, w.Properties.Title)
			}
		}
	}
}

func TestDashboardWithoutSignals(t *testing.T) {
	t.Parallel()
	body, err := monitoring.DashboardBody("us-east-1", 60, nil)
	require.NoError(t, err)
	require.JSONEq(t, `{"widgets":[]}`, body)
	_, err = monitoring.DashboardBody("", 60, nil)
	require.ErrorContains(t, err, "region is required")
}
