package parts

// Scheduling places a pod on particular nodes: a node selector and the
// taints the pod tolerates. The zero value places it anywhere untainted.
type Scheduling struct {
	NodeSelector map[string]string
	Tolerations  []Toleration
}

// Toleration is a Kubernetes toleration (core/v1 Toleration).
type Toleration struct {
	Key      string
	Operator string // "Exists" or "Equal"
	Value    string
	Effect   string // "" for every effect, or NoSchedule, PreferNoSchedule, NoExecute
}

// IsZero reports whether s places pods anywhere.
func (s Scheduling) IsZero() bool { return len(s.NodeSelector) == 0 && len(s.Tolerations) == 0 }

// Values renders s as the "nodeSelector" and "tolerations" keys that Helm
// charts and EKS add-on configurations take; nil for the zero value.
func (s Scheduling) Values() map[string]any {
	if s.IsZero() {
		return nil
	}
	out := map[string]any{}
	if len(s.NodeSelector) > 0 {
		sel := map[string]any{}
		for k, v := range s.NodeSelector {
			sel[k] = v
		}
		out["nodeSelector"] = sel
	}
	if len(s.Tolerations) > 0 {
		tols := make([]any, len(s.Tolerations))
		for i, t := range s.Tolerations {
			m := map[string]any{"key": t.Key, "operator": t.Operator}
			if t.Value != "" {
				m["value"] = t.Value
			}
			if t.Effect != "" {
				m["effect"] = t.Effect
			}
			tols[i] = m
		}
		out["tolerations"] = tols
	}
	return out
}
