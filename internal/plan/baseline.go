package plan

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/acme/platform/internal/offline"
)

// A baseline is the JSON plan (`--json`) of the same stack made from the
// base branch. Comparing a change's plan with it shows, before any cloud
// call, which stateful resources the change would replace or delete: the
// "expect no replacements" gate that `pulumi preview` lacks
// (pulumi/pulumi#11112).

// LoadBaseline reads a JSON plan document.
func LoadBaseline(path string) (*Document, error) {
	raw, err := os.ReadFile(path) //nolint:gosec // the path is the user's own argument
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	var doc Document
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("baseline %s: not a JSON plan (go run ./cmd/plan --json): %w", path, err)
	}
	if doc.Stack == "" || doc.Resources == nil {
		return nil, fmt.Errorf("baseline %s: not a JSON plan (go run ./cmd/plan --json)", path)
	}
	return &doc, nil
}

// Recorded turns a JSON plan back into resources to compare. Secret inputs
// were redacted when it was written, so both sides of a comparison go
// through this (see CompareWithBaseline): a changed secret is not seen, a
// changed anything-else is.
func (d *Document) Recorded() []*offline.Resource {
	out := make([]*offline.Resource, 0, len(d.Resources))
	for i, r := range d.Resources {
		out = append(out, &offline.Resource{
			Type: r.Type, Name: r.Name, URN: r.URN, Parent: r.Parent, Custom: r.Custom,
			Provider: r.Provider, Protect: r.Protect, Dependencies: r.Dependencies,
			IgnoreChanges: r.IgnoreChanges, ReplaceOnChanges: r.ReplaceOnChanges,
			AliasURNs: r.AliasURNs, AliasSpecs: r.AliasSpecs,
			Inputs: resource.NewPropertyMapFromMap(r.Inputs), Seq: i,
		})
	}
	return out
}

// CompareWithBaseline compares this plan with a baseline of the same stack.
func (r *Result) CompareWithBaseline(base *Document) ([]Change, error) {
	if base.Stack != r.Stack || base.Project != r.Project {
		return nil, fmt.Errorf("baseline is a plan of %s/%s, not of %s/%s", base.Project, base.Stack, r.Project, r.Stack)
	}
	doc := r.JSON()
	return Compare(base.Recorded(), doc.Recorded()), nil
}
