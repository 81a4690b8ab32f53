package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/acme/platform/internal/offline"
	"github.com/acme/platform/policy/pack"
)

// WriteText prints the plan as `pulumi preview` would show it (a tree by
// parent with the properties a reviewer cares about), then counts by type,
// the policy verdicts grouped by level, and a summary line.
func (r *Result) WriteText(w io.Writer) error {
	p := &printer{w: w}
	p.printf("Offline plan for stack %s (project %s): the real program under mocks, no cloud calls.\n\n", r.Stack, r.Project)
	children := map[string][]*offline.Resource{}
	for _, res := range r.Resources {
		children[res.Parent] = append(children[res.Parent], res)
	}
	for _, list := range children {
		sort.Slice(list, func(i, j int) bool {
			if list[i].Type != list[j].Type {
				return list[i].Type < list[j].Type
			}
			return list[i].Name < list[j].Name
		})
	}
	p.printf("  + pulumi:pulumi:Stack %s-%s\n", r.Project, r.Stack)
	var walk func(parent, indent string)
	walk = func(parent, indent string) {
		list := children[parent]
		for i, res := range list {
			branch, next := "├─ ", "│  "
			if i == len(list)-1 {
				branch, next = "└─ ", "   "
			}
			line := fmt.Sprintf("  + %s%s%s %s", indent, branch, res.Type, res.Name)
			if h := Highlights(res); len(h) > 0 {
				line += "  " + strings.Join(h, " ")
			}
			if res.Protect {
				line += "  [protected]"
			}
			p.printf("%s\n", line)
			walk(res.URN, indent+next)
		}
	}
	walk(r.StackURN(), "")

	p.printf("\nResources by type (%d in all):\n", len(r.Resources))
	counts := r.CountByType()
	for _, t := range r.Types() {
		p.printf("  %4d  %s\n", counts[t], t)
	}

	p.printf("\nOutputs:\n")
	keys := make([]string, 0, len(r.Outputs))
	for k := range r.Outputs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		o := r.Outputs[k]
		v := fmt.Sprint(o.Value)
		if o.Secret {
			v = Redacted
		}
		p.printf("  %-28s %s\n", k, v)
	}

	cp := r.CriticalPath
	p.printf("\nEstimated critical path of pulumi up: %s (the data requires at least %s):\n", Duration(cp.Seconds), Duration(cp.BoundSeconds))
	for _, s := range cp.Steps {
		if s.Seconds < 1 {
			continue
		}
		p.printf("  %8s  +%-7s %s %s\n", Duration(s.Finish), Duration(s.Seconds), s.Type, s.Name)
	}
	for _, w := range cp.Unjustified {
		p.printf("  warning: %s, with no data reason\n", w)
	}

	for _, level := range []pack.Level{pack.Mandatory, pack.Advisory} {
		var vs []pack.Violation
		for _, v := range r.Violations {
			if v.Level == level {
				vs = append(vs, v)
			}
		}
		p.printf("\nPolicy violations, %s (%d):\n", level, len(vs))
		if len(vs) == 0 {
			p.printf("  none\n")
		}
		for _, v := range vs {
			p.printf("  [%s] %s\n      %s\n", v.Policy, v.URN, strings.ReplaceAll(v.Message, "\n", "\n      "))
		}
	}

	mandatory := len(r.Mandatory())
	verdict := "PASS"
	if mandatory > 0 {
		verdict = "FAIL"
	}
	p.printf("\n%s: %d resources, %d mandatory and %d advisory policy violations.\n",
		verdict, len(r.Resources), mandatory, len(r.Violations)-mandatory)
	return p.err
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err != nil {
		return
	}
	_, p.err = fmt.Fprintf(p.w, format, args...)
}

// Document is the plan as one JSON document for tools.
type Document struct {
	Project    string             `json:"project"`
	Stack      string             `json:"stack"`
	Resources  []DocumentResource `json:"resources"`
	Outputs    map[string]any     `json:"outputs"`
	Violations []DocumentFinding  `json:"violations"`
	// CriticalPath is the estimated longest chain of waits in `pulumi up`.
	CriticalPath DocumentPath `json:"criticalPath"`
	Summary      Summary      `json:"summary"`
}

// DocumentPath is the critical path in the JSON document.
type DocumentPath struct {
	Seconds      float64  `json:"seconds"`
	BoundSeconds float64  `json:"boundSeconds"`
	Steps        []Step   `json:"steps"`
	Unjustified  []string `json:"unjustified"`
}

// DocumentResource is one planned resource; secret inputs are redacted.
type DocumentResource struct {
	URN              string              `json:"urn"`
	Type             string              `json:"type"`
	Name             string              `json:"name"`
	Parent           string              `json:"parent,omitempty"`
	Custom           bool                `json:"custom,omitempty"`
	Provider         string              `json:"provider,omitempty"`
	Protect          bool                `json:"protect,omitempty"`
	Dependencies     []string            `json:"dependencies,omitempty"`
	IgnoreChanges    []string            `json:"ignoreChanges,omitempty"`
	ReplaceOnChanges []string            `json:"replaceOnChanges,omitempty"`
	AliasURNs        []string            `json:"aliasUrns,omitempty"`
	AliasSpecs       []offline.AliasSpec `json:"aliasSpecs,omitempty"`
	Inputs           map[string]any      `json:"inputs"`
}

// DocumentFinding is one policy violation.
type DocumentFinding struct {
	Policy  string `json:"policy"`
	Level   string `json:"level"`
	URN     string `json:"urn"`
	Message string `json:"message"`
}

// Summary counts what the plan holds.
type Summary struct {
	Resources int            `json:"resources"`
	ByType    map[string]int `json:"byType"`
	Mandatory int            `json:"mandatory"`
	Advisory  int            `json:"advisory"`
	Passed    bool           `json:"passed"`
}

// JSON builds the document.
func (r *Result) JSON() Document {
	doc := Document{Project: r.Project, Stack: r.Stack, Outputs: map[string]any{}, Resources: []DocumentResource{}, Violations: []DocumentFinding{}}
	for _, res := range r.Resources {
		doc.Resources = append(doc.Resources, DocumentResource{
			URN: res.URN, Type: res.Type, Name: res.Name, Parent: res.Parent, Custom: res.Custom,
			Provider: res.Provider, Protect: res.Protect, Dependencies: res.Dependencies,
			IgnoreChanges: res.IgnoreChanges, ReplaceOnChanges: res.ReplaceOnChanges,
			AliasURNs: res.AliasURNs, AliasSpecs: res.AliasSpecs, Inputs: MapToJSON(res.Inputs),
		})
	}
	for k, o := range r.Outputs {
		if o.Secret {
			doc.Outputs[k] = Redacted
		} else {
			doc.Outputs[k] = o.Value
		}
	}
	for _, v := range r.Violations {
		doc.Violations = append(doc.Violations, DocumentFinding{Policy: v.Policy, Level: string(v.Level), URN: v.URN, Message: v.Message})
	}
	doc.CriticalPath = DocumentPath{Seconds: r.CriticalPath.Seconds, BoundSeconds: r.CriticalPath.BoundSeconds, Steps: r.CriticalPath.Steps, Unjustified: []string{}}
	for _, w := range r.CriticalPath.Unjustified {
		doc.CriticalPath.Unjustified = append(doc.CriticalPath.Unjustified, w.String())
	}
	mandatory := len(r.Mandatory())
	doc.Summary = Summary{
		Resources: len(r.Resources), ByType: r.CountByType(),
		Mandatory: mandatory, Advisory: len(r.Violations) - mandatory, Passed: mandatory == 0,
	}
	return doc
}

// WriteJSON writes the document, indented.
func (r *Result) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r.JSON())
}
