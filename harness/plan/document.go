package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/policy/pack"
)

// Document is the plan as one JSON document in the shape of `pulumi preview
// --json` (PreviewDigest in pulumi/pulumi pkg/display/json.go, written by
// pkg/backend/display/json.go), so that tools that read Pulumi's JSON read
// this one, with the plan's own findings as extra top-level fields.
type Document struct {
	// Config is the stack configuration, secrets blinded.
	Config map[string]string `json:"config,omitempty"`
	// Steps are the resource operations, the stack's first.
	Steps []Step `json:"steps,omitempty"`
	// Diagnostics are the policy pack's violations: errors for mandatory
	// ones, warnings for advisory ones.
	Diagnostics []Diagnostic `json:"diagnostics,omitempty"`
	// ChangeSummary counts the steps by operation.
	ChangeSummary map[ChangeKind]int `json:"changeSummary,omitempty"`

	// Identity is who the offline run assumed it deploys as.
	Identity IdentityDoc `json:"identity"`
	// Policy counts the violations and says whether the policy gate passed.
	Policy PolicySummary `json:"policy"`
	// CriticalPath is the estimated longest chain of waits in `pulumi up`.
	CriticalPath PathDoc `json:"criticalPath"`
	// Cost is the estimated monthly on-demand cost.
	Cost CostEstimate `json:"cost"`
	// Replacements is the replacement gate's report, with --baseline.
	Replacements *ReplacementReport `json:"replacements,omitempty"`
}

// Step is PreviewStep of pulumi/pulumi pkg/display/json.go.
type Step struct {
	Op             ChangeKind              `json:"op"`
	URN            string                  `json:"urn"`
	Provider       string                  `json:"provider,omitempty"`
	OldState       *apitype.ResourceV3     `json:"oldState,omitempty"`
	NewState       *apitype.ResourceV3     `json:"newState,omitempty"`
	DiffReasons    []string                `json:"diffReasons,omitempty"`
	ReplaceReasons []string                `json:"replaceReasons,omitempty"`
	DetailedDiff   map[string]PropertyDiff `json:"detailedDiff"`
}

// PropertyDiff is one entry of a step's detailed diff.
type PropertyDiff struct {
	Kind      string `json:"kind"`
	InputDiff bool   `json:"inputDiff"`
}

// Diagnostic is PreviewDiagnostic of pulumi/pulumi pkg/display/json.go.
type Diagnostic struct {
	URN      string `json:"urn,omitempty"`
	Prefix   string `json:"prefix,omitempty"`
	Message  string `json:"message,omitempty"`
	Severity string `json:"severity,omitempty"`
}

// IdentityDoc is the assumed identity.
type IdentityDoc struct {
	AccountID string `json:"accountId"`
	RoleARN   string `json:"roleArn"`
	// CallerARN is what getCallerIdentity answers.
	CallerARN string `json:"callerArn"`
	Source    string `json:"source"`
}

// PolicySummary counts the policy pack's violations.
type PolicySummary struct {
	Mandatory int  `json:"mandatory"`
	Advisory  int  `json:"advisory"`
	Passed    bool `json:"passed"`
}

// PathDoc is the critical path, an estimate.
type PathDoc struct {
	// Estimate is the rounded figure the text plan shows ("≈ 18 min").
	Estimate string `json:"estimate"`
	// Seconds and BoundSeconds are the model's figures: typical creation
	// times added up, not measurements.
	Seconds      float64    `json:"seconds"`
	BoundSeconds float64    `json:"boundSeconds"`
	Steps        []PathStep `json:"steps"`
	Unjustified  []string   `json:"unjustified"`
}

// ReplacementReport is the replacement gate's verdict against a baseline.
type ReplacementReport struct {
	Passed     bool          `json:"passed"`
	Blocking   []ChangeDoc   `json:"blocking"`
	Approved   []ChangeDoc   `json:"approved"`
	Superseded []ChangeDoc   `json:"superseded"`
	Other      []ChangeDoc   `json:"changes"`
	Unused     []ApprovalDoc `json:"unusedApprovals"`
	Cost       CostDiff      `json:"cost"`
}

// ChangeDoc is one change in the report.
type ChangeDoc struct {
	URN          string   `json:"urn"`
	Type         string   `json:"type"`
	Name         string   `json:"name"`
	Op           string   `json:"op"`
	Reasons      []string `json:"reasons"`
	Loses        string   `json:"loses,omitempty"`
	Protected    bool     `json:"protected,omitempty"`
	SupersededBy string   `json:"supersededBy,omitempty"`
	Approval     string   `json:"approval,omitempty"`
	ApprovedAt   string   `json:"approvedAt,omitempty"`
}

// ApprovalDoc is an approval that matched nothing.
type ApprovalDoc struct {
	Op     string `json:"op"`
	URN    string `json:"urn"`
	Reason string `json:"reason"`
	Where  string `json:"where"`
}

// Comparison is a plan compared with a baseline.
type Comparison struct {
	Verdict Verdict
	Cost    CostDiff
	base    map[string]*offline.Resource
}

// JSON builds the document; cmp, when set, adds the comparison with a
// baseline (step operations, old states, the report).
func (r *Result) JSON(cmp *Comparison) Document {
	doc := Document{
		Config:        map[string]string{},
		ChangeSummary: map[ChangeKind]int{},
		Identity: IdentityDoc{
			AccountID: r.Identity.AccountID, RoleARN: r.Identity.RoleARN, CallerARN: r.Identity.CallerARN(), Source: r.Identity.Source,
		},
		Cost: r.Cost,
	}
	for k, v := range r.Config.Values {
		if slices.Contains(r.Config.SecretKeys, k) {
			v = Redacted
		}
		doc.Config[k] = v
	}

	changes := map[string]Change{}
	if cmp != nil {
		for _, c := range cmp.Verdict.Changes {
			changes[c.URN] = c
		}
	}
	stack := &apitype.ResourceV3{
		URN: resource.URN(r.StackURN()), Type: resource.RootStackType, Outputs: mapToJSON(r.outputProperties(true)),
	}
	stackOp := Create
	if cmp != nil {
		stackOp = Same
	}
	doc.Steps = append(doc.Steps, Step{Op: stackOp, URN: r.StackURN(), NewState: stack})
	doc.ChangeSummary[stackOp]++
	for _, res := range r.Planned() {
		op := Create
		step := Step{URN: res.URN}
		if cmp != nil {
			op = Same
			if c, ok := changes[res.URN]; ok {
				op = c.Kind
				step.DiffReasons, step.ReplaceReasons = c.DiffKeys, c.ReplaceKeys
				if len(c.Detailed) > 0 {
					step.DetailedDiff = map[string]PropertyDiff{}
					for p, k := range c.Detailed {
						step.DetailedDiff[p] = PropertyDiff{Kind: k, InputDiff: true}
					}
				}
				if c.old != nil && op != Create {
					step.OldState = stateOf(c.old)
				}
			} else if old := cmp.base[res.URN]; old != nil {
				step.OldState = stateOf(old)
			}
		}
		step.Op = op
		step.Provider = res.Provider
		step.NewState = stateOf(res)
		doc.Steps = append(doc.Steps, step)
		doc.ChangeSummary[op]++
	}
	if cmp != nil {
		for _, c := range cmp.Verdict.Changes {
			if c.Kind == Delete {
				doc.Steps = append(doc.Steps, Step{Op: Delete, URN: c.URN, Provider: c.old.Provider, OldState: stateOf(c.old)})
				doc.ChangeSummary[Delete]++
			}
		}
		doc.Replacements = report(cmp)
	}

	for _, v := range r.Violations {
		severity := "warning"
		if v.Level == pack.Mandatory {
			severity = "error"
		}
		doc.Diagnostics = append(doc.Diagnostics, Diagnostic{
			URN: v.URN, Severity: severity,
			Message: fmt.Sprintf("%s violation: [%s] %s", v.Level, v.Policy, v.Message),
		})
	}
	mandatory := len(r.Mandatory())
	doc.Policy = PolicySummary{Mandatory: mandatory, Advisory: len(r.Violations) - mandatory, Passed: mandatory == 0}

	cp := r.CriticalPath
	doc.CriticalPath = PathDoc{
		Estimate: About(cp.Seconds), Seconds: cp.Seconds, BoundSeconds: cp.BoundSeconds,
		Steps: cp.Steps, Unjustified: []string{},
	}
	for _, w := range cp.Unjustified {
		doc.CriticalPath.Unjustified = append(doc.CriticalPath.Unjustified, w.String())
	}
	return doc
}

// stateOf is a planned resource as `pulumi preview --json` writes a state:
// secrets "[secret]", unknowns as the engine's placeholder; aliases are
// every URN the resource may have had.
func stateOf(res *offline.Resource) *apitype.ResourceV3 {
	st := &apitype.ResourceV3{
		URN:              resource.URN(res.URN),
		Custom:           res.Custom,
		Type:             tokens.Type(res.Type),
		Inputs:           mapToJSON(res.Inputs),
		Parent:           resource.URN(res.Parent),
		Protect:          res.Protect,
		Provider:         res.Provider,
		RetainOnDelete:   res.RetainOnDelete,
		IgnoreChanges:    res.IgnoreChanges,
		ReplaceOnChanges: res.ReplaceOnChanges,
	}
	for _, d := range res.Dependencies {
		st.Dependencies = append(st.Dependencies, resource.URN(d))
	}
	if len(res.PropertyDependencies) > 0 {
		st.PropertyDependencies = map[resource.PropertyKey][]resource.URN{}
		for k, deps := range res.PropertyDependencies {
			for _, d := range deps {
				st.PropertyDependencies[resource.PropertyKey(k)] = append(st.PropertyDependencies[resource.PropertyKey(k)], resource.URN(d))
			}
		}
	}
	for _, k := range res.AdditionalSecretOutputs {
		st.AdditionalSecretOutputs = append(st.AdditionalSecretOutputs, resource.PropertyKey(k))
	}
	for _, a := range candidateURNs(res, map[string][]string{}) {
		if a != res.URN {
			st.Aliases = append(st.Aliases, resource.URN(a))
		}
	}
	return st
}

func report(cmp *Comparison) *ReplacementReport {
	v := cmp.Verdict
	rep := &ReplacementReport{
		Passed: v.Passed(), Blocking: []ChangeDoc{}, Approved: []ChangeDoc{}, Superseded: []ChangeDoc{},
		Other: []ChangeDoc{}, Unused: []ApprovalDoc{}, Cost: cmp.Cost,
	}
	doc := func(c Change) ChangeDoc {
		return ChangeDoc{URN: c.URN, Type: c.Type, Name: c.Name, Op: string(c.Kind), Reasons: c.Reasons, Loses: c.Loses,
			Protected: c.Protected, SupersededBy: c.SupersededBy}
	}
	listed := map[string]bool{}
	for _, c := range v.Blocking {
		rep.Blocking = append(rep.Blocking, doc(c))
		listed[c.URN+string(c.Kind)] = true
	}
	for _, a := range v.Approved {
		d := doc(a.Change)
		d.Approval, d.ApprovedAt = a.Approval.Reason, a.Approval.Where
		rep.Approved = append(rep.Approved, d)
		listed[a.Change.URN+string(a.Change.Kind)] = true
	}
	for _, c := range v.Superseded {
		rep.Superseded = append(rep.Superseded, doc(c))
		listed[c.URN+string(c.Kind)] = true
	}
	for _, c := range v.Changes {
		if !listed[c.URN+string(c.Kind)] {
			rep.Other = append(rep.Other, doc(c))
		}
	}
	for _, a := range v.Unused {
		rep.Unused = append(rep.Unused, ApprovalDoc{Op: string(a.Kind), URN: a.URN, Reason: a.Reason, Where: a.Where})
	}
	return rep
}

// WriteJSON writes the document, indented as `pulumi preview --json` does.
func (r *Result) WriteJSON(w io.Writer, cmp *Comparison) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "    ")
	return enc.Encode(r.JSON(cmp))
}

// records reads the resources of a document back as the comparison sees
// them: the new state of every step that has one, the stack left out.
func (d Document) records() []*offline.Resource {
	var out []*offline.Resource
	for i, s := range d.Steps {
		st := s.NewState
		if st == nil || st.Type == resource.RootStackType {
			continue
		}
		r := &offline.Resource{
			Type: string(st.Type), Name: st.URN.Name(), URN: string(st.URN), Parent: string(st.Parent),
			Custom: st.Custom, Provider: st.Provider, Protect: st.Protect, RetainOnDelete: st.RetainOnDelete,
			IgnoreChanges: st.IgnoreChanges, ReplaceOnChanges: st.ReplaceOnChanges,
			Inputs: fromJSON(st.Inputs), Seq: i,
		}
		for _, u := range st.Dependencies {
			r.Dependencies = append(r.Dependencies, string(u))
		}
		if len(st.PropertyDependencies) > 0 {
			r.PropertyDependencies = map[string][]string{}
			for k, deps := range st.PropertyDependencies {
				for _, u := range deps {
					r.PropertyDependencies[string(k)] = append(r.PropertyDependencies[string(k)], string(u))
				}
			}
		}
		for _, a := range st.Aliases {
			r.AliasURNs = append(r.AliasURNs, string(a))
		}
		out = append(out, r)
	}
	return out
}

// stackURN is the URN of the document's stack step.
func (d Document) stackURN() resource.URN {
	for _, s := range d.Steps {
		if s.NewState != nil && s.NewState.Type == resource.RootStackType {
			return s.NewState.URN
		}
	}
	return ""
}
