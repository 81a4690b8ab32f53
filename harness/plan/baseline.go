package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/acme/platform/harness/offline"
)

// A baseline is the JSON plan (`--json`) of the same stack made from the
// base branch. Comparing a change's plan with it shows, before any cloud
// call, which resources the change would replace or delete and what that
// loses: the "expect no replacements" gate that `pulumi preview` lacks
// (pulumi/pulumi#11112). The document carries what the comparison needs:
// inputs, parents, providers, dependencies per input, aliases.

// Baseline is a base branch's plan, read back.
type Baseline struct {
	Project, Stack string
	Resources      []*offline.Resource
	// Cost is the base plan's estimate; nil for a plan written before the
	// estimate existed.
	Cost *CostEstimate
}

// LoadBaseline reads a JSON plan document.
func LoadBaseline(path string) (*Baseline, error) {
	raw, err := os.ReadFile(path) //nolint:gosec // the path is the user's own argument
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	return ParseBaseline(path, raw)
}

// ParseBaseline reads the text of a JSON plan named name. The plan's format
// before the preview-shaped document (top-level "resources") is refused: it
// was planned as an identity the cluster does not list, so no plan of today
// compares with it like with like; regenerate the baseline.
func ParseBaseline(name string, raw []byte) (*Baseline, error) {
	notAPlan := fmt.Errorf("baseline %s: not a JSON plan (bin/plan --stack <stack> --json)", name)
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, fmt.Errorf("%w: %w", notAPlan, err)
	}
	if _, legacy := probe["resources"]; legacy {
		return nil, fmt.Errorf("baseline %s is in the plan's format before the preview-shaped document: regenerate it with this version (bin/plan --stack <stack> --json)", name)
	}
	var doc Document
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w: %w", notAPlan, err)
	}
	urn := doc.stackURN()
	if !urn.IsValid() {
		return nil, notAPlan
	}
	b := &Baseline{Project: string(urn.Project()), Stack: string(urn.Stack()), Resources: doc.records()}
	if _, ok := probe["cost"]; ok {
		b.Cost = &doc.Cost
	}
	return b, nil
}

// CompareWithBaseline compares this plan with a baseline of the same stack
// and judges the changes with the approvals. Both sides are compared as
// their JSON documents hold them, so a secret shows as "[secret]" on both
// and a value a preview cannot know is unknown on both.
func (r *Result) CompareWithBaseline(base *Baseline, approvals []Approval) (*Comparison, error) {
	if base.Stack != r.Stack || base.Project != r.Project {
		return nil, fmt.Errorf("baseline is a plan of %s/%s, not of %s/%s", base.Project, base.Stack, r.Project, r.Stack)
	}
	raw, err := json.Marshal(r.JSON(nil))
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	var doc Document
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	head := doc.records()
	changes := Compare(base.Resources, head)
	cmp := &Comparison{Verdict: Judge(changes, approvals), base: map[string]*offline.Resource{}}
	for _, res := range base.Resources {
		cmp.base[res.URN] = res
	}
	if base.Cost != nil {
		cmp.Cost = r.Cost.Diff(*base.Cost)
	} else {
		cmp.Cost = r.Cost.Diff(CostEstimate{})
	}
	return cmp, nil
}
