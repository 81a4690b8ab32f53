package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/plan/catalog"
	"github.com/acme/platform/policy/pack"
)

// prefix is the marker `pulumi preview` puts before a step
// (pkg/resource/deploy/step.go, RawPrefix).
func prefix(k ChangeKind) string {
	switch k {
	case Create:
		return "+ "
	case Update:
		return "~ "
	case Replace:
		return "+-"
	case Delete:
		return "- "
	}
	return "  "
}

// costItems is how many of the biggest cost items the text plan lists.
const costItems = 8

// WriteText prints the plan as `pulumi preview` would show it: a tree of
// the resources by parent with short type names, each with its step marker
// and what a reviewer wants to see; then the outputs, the counts, the
// estimated duration and cost, the replacement gate's report when cmp is
// set, the policy verdicts, and a summary line.
func (r *Result) WriteText(w io.Writer, cmp *Comparison) error {
	p := &printer{w: w}
	p.printf("Previewing update (%s), offline: the real program under mocks, no cloud calls, no credentials.\n", r.Stack)
	p.printf("Assumed identity: %s\n    (%s; a real preview runs as your credentials)\n\n", r.Identity.CallerARN(), r.Identity.Source)
	r.writeTree(p, cmp)
	r.writeOutputs(p)
	r.writeSummary(p, cmp)
	r.writeCriticalPath(p)
	r.writeCost(p, cmp)
	if cmp != nil {
		writeGate(p, cmp)
	}
	r.writePolicy(p)

	mandatory := len(r.Mandatory())
	verdict := "PASS"
	if mandatory > 0 || (cmp != nil && !cmp.Verdict.Passed()) {
		verdict = "FAIL"
	}
	p.printf("\n%s: %d resources, %d mandatory and %d advisory policy violations.", verdict, len(r.Resources), mandatory, len(r.Violations)-mandatory)
	if cmp != nil {
		v := cmp.Verdict
		p.printf(" Replacement gate: %d blocking, %d approved, %d superseded.", len(v.Blocking), len(v.Approved), len(v.Superseded))
	}
	p.printf("\n")
	return p.err
}

type row struct {
	op                    ChangeKind
	tree, typ, name, info string
}

// writeTree prints the resources as `pulumi preview` does: every one for a
// new stack; against a baseline only those that change, under their
// parents.
func (r *Result) writeTree(p *printer, cmp *Comparison) {
	changes := map[string]Change{}
	var deleted []Change
	if cmp != nil {
		for _, c := range cmp.Verdict.Changes {
			if c.Kind == Delete {
				deleted = append(deleted, c)
				continue
			}
			changes[c.URN] = c
		}
	}
	op := func(urn string) ChangeKind {
		if cmp == nil {
			return Create
		}
		if c, ok := changes[urn]; ok {
			return c.Kind
		}
		return Same
	}
	masked := map[string]resource.PropertyMap{}
	for _, res := range r.Planned() {
		masked[res.URN] = res.Inputs
	}
	nodes := map[string]*offline.Resource{}
	children := map[string][]*offline.Resource{}
	for _, res := range r.Resources {
		nodes[res.URN] = res
	}
	parentOf := func(parent string) string {
		if _, ok := nodes[parent]; ok {
			return parent
		}
		return r.StackURN()
	}
	for _, res := range r.Resources {
		children[parentOf(res.Parent)] = append(children[parentOf(res.Parent)], res)
	}
	for _, c := range deleted {
		res := c.old
		children[parentOf(res.Parent)] = append(children[parentOf(res.Parent)], res)
	}
	for _, list := range children {
		sort.Slice(list, func(i, j int) bool {
			if list[i].Type != list[j].Type {
				return list[i].Type < list[j].Type
			}
			return list[i].Name < list[j].Name
		})
	}
	deletedURNs := map[string]Change{}
	for _, c := range deleted {
		deletedURNs[c.URN] = c
	}
	kindOf := func(res *offline.Resource) ChangeKind {
		if _, gone := deletedURNs[res.URN]; gone && nodes[res.URN] != res {
			return Delete
		}
		return op(res.URN)
	}
	// Against a baseline, a subtree is shown when something in it changes.
	var shown func(res *offline.Resource) bool
	memo := map[*offline.Resource]bool{}
	shown = func(res *offline.Resource) bool {
		if v, ok := memo[res]; ok {
			return v
		}
		v := cmp == nil || kindOf(res) != Same
		for _, c := range children[res.URN] {
			if shown(c) {
				v = true
			}
		}
		memo[res] = v
		return v
	}

	stackOp := Create
	if cmp != nil {
		stackOp = Same
	}
	rows := []row{{op: stackOp, typ: "pulumi:pulumi:Stack", name: r.Project + "-" + r.Stack, info: ""}}
	var walk func(parent, indent string)
	walk = func(parent, indent string) {
		var list []*offline.Resource
		for _, c := range children[parent] {
			if shown(c) {
				list = append(list, c)
			}
		}
		for i, res := range list {
			branch, next := "├─ ", "│  "
			if i == len(list)-1 {
				branch, next = "└─ ", "   "
			}
			k := kindOf(res)
			rw := row{op: k, tree: indent + branch, typ: tokens.Type(res.Type).DisplayName(), name: res.Name}
			switch k {
			case Create:
				rw.info = strings.Join(Highlights(res.Type, masked[res.URN]), " ")
			case Update, Replace:
				c := changes[res.URN]
				rw.info = "[diff: ~" + strings.Join(c.DiffKeys, ",") + "]"
			case Delete:
				rw.info = ""
			}
			if res.Protect {
				rw.info = strings.TrimSpace(rw.info + " [protect]")
			}
			rows = append(rows, rw)
			if k != Delete {
				walk(res.URN, indent+next)
			}
		}
	}
	walk(r.StackURN(), "")

	typeWidth, nameWidth := len("Type"), len("Name")
	for _, rw := range rows {
		typeWidth = max(typeWidth, len([]rune(rw.tree+rw.typ)))
		nameWidth = max(nameWidth, len(rw.name))
	}
	line := func(mark, typ, name, plan, info string) {
		s := fmt.Sprintf(" %s  %s  %s  %-7s  %s", mark, padRunes(typ, typeWidth), padRunes(name, nameWidth), plan, info)
		p.printf("%s\n", strings.TrimRight(s, " "))
	}
	line("  ", "Type", "Name", "Plan", "Info")
	for _, rw := range rows {
		plan := string(rw.op)
		if rw.op == Same {
			plan = ""
		}
		line(prefix(rw.op), rw.tree+rw.typ, rw.name, plan, rw.info)
	}
}

func padRunes(s string, width int) string {
	if n := len([]rune(s)); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}

// Highlights returns "key=value" pairs of the inputs a reviewer cares about
// (the type's catalog record), in its order; secrets are redacted and
// values known only after `pulumi up` shown as such.
func Highlights(typ string, inputs resource.PropertyMap) []string {
	t, ok := catalog.Lookup(typ)
	if !ok {
		return nil
	}
	var out []string
	for _, path := range t.Highlights {
		v, ok := getRaw(inputs, path)
		if !ok || v.IsNull() {
			continue
		}
		key := path.String()
		for i := len(path) - 1; i >= 0; i-- {
			if s, isKey := path[i].(string); isKey {
				key = s
				break
			}
		}
		out = append(out, key+"="+Render(v))
	}
	return out
}

// getRaw reads a value at a path without looking through secrets, so that
// they can be redacted.
func getRaw(m resource.PropertyMap, p resource.PropertyPath) (resource.PropertyValue, bool) {
	v := resource.NewProperty(m)
	for _, step := range p {
		if v.IsSecret() {
			return v, true
		}
		switch s := step.(type) {
		case string:
			if !v.IsObject() {
				return resource.PropertyValue{}, false
			}
			next, ok := v.ObjectValue()[resource.PropertyKey(s)]
			if !ok {
				return resource.PropertyValue{}, false
			}
			v = next
		case int:
			if !v.IsArray() || s >= len(v.ArrayValue()) {
				return resource.PropertyValue{}, false
			}
			v = v.ArrayValue()[s]
		}
	}
	return v, true
}

// Render shows a property value compactly, secrets and unknowns as
// `pulumi preview` shows them.
func Render(v resource.PropertyValue) string {
	switch {
	case v.ContainsSecrets():
		return Redacted
	case v.IsComputed() || (v.IsOutput() && !v.OutputValue().Known):
		return Unknown
	case v.IsOutput():
		return Render(v.OutputValue().Element)
	case v.IsString():
		return v.StringValue()
	case v.IsBool():
		return strconv.FormatBool(v.BoolValue())
	case v.IsNumber():
		return strconv.FormatFloat(v.NumberValue(), 'f', -1, 64)
	case v.IsArray():
		parts := make([]string, 0, len(v.ArrayValue()))
		for _, e := range v.ArrayValue() {
			parts = append(parts, Render(e))
		}
		return "[" + strings.Join(parts, ",") + "]"
	case v.IsNull():
		return "null"
	default:
		b, err := json.Marshal(toJSON(v))
		if err != nil {
			return fmt.Sprint(toJSON(v))
		}
		return strings.ReplaceAll(string(b), `"`+unknownID+`"`, Unknown)
	}
}

func (r *Result) writeOutputs(p *printer) {
	p.printf("\nOutputs:\n")
	props := r.outputProperties(true)
	keys := sortedKeys(props)
	width := 0
	for _, k := range keys {
		width = max(width, len(k))
	}
	for _, k := range keys {
		v := props[resource.PropertyKey(k)]
		s := Render(v)
		if v.IsString() {
			s = strconv.Quote(s)
		}
		p.printf("    %-*s: %s\n", width, k, s)
	}
}

func (r *Result) writeSummary(p *printer, cmp *Comparison) {
	counts := map[ChangeKind]int{}
	if cmp == nil {
		counts[Create] = len(r.Resources) + 1 // and the stack
	} else {
		changed := 0
		for _, c := range cmp.Verdict.Changes {
			counts[c.Kind]++
			if c.Kind != Delete {
				changed++
			}
		}
		counts[Same] = len(r.Resources) + 1 - changed
	}
	p.printf("\nResources:\n")
	kinds, total := 0, 0
	for _, k := range []ChangeKind{Create, Update, Delete, Replace} {
		if counts[k] > 0 {
			p.printf("    %s%d to %s\n", prefix(k), counts[k], k)
			kinds++
			total += counts[k]
		}
	}
	var pieces []string
	if kinds >= 2 {
		pieces = append(pieces, fmt.Sprintf("%d changes", total))
	}
	if counts[Same] > 0 {
		pieces = append(pieces, fmt.Sprintf("%d unchanged", counts[Same]))
	}
	if len(pieces) > 0 {
		p.printf("    %s\n", strings.Join(pieces, ". "))
	}
	p.printf("\nResources by type (%d in all):\n", len(r.Resources))
	counts2 := r.CountByType()
	for _, t := range r.Types() {
		p.printf("  %4d  %s\n", counts2[t], tokens.Type(t).DisplayName())
	}
}

func (r *Result) writeCriticalPath(p *printer) {
	cp := r.CriticalPath
	p.printf("\nEstimated duration of `pulumi up` for a new stack: %s (the data requires at least %s), along:\n",
		About(cp.Seconds), About(cp.BoundSeconds))
	quick := 0
	for _, s := range cp.Steps {
		if s.Seconds < 30 {
			quick++
			continue
		}
		p.printf("    %-8s  %s %s\n", About(s.Seconds), tokens.Type(s.Type).DisplayName(), s.Name)
	}
	p.printf("    plus %d quick steps (under 30 s each)\n", quick)
	p.printf("  (typical creation times from each type's catalog record, added along the longest chain of waits)\n")
	for _, w := range cp.Unjustified {
		p.printf("  warning: %s, with no data reason\n", w)
	}
}

// money formats dollars.
func money(f float64) string { return "$" + strconv.FormatFloat(f, 'f', 2, 64) }

// span is "$a" or "$a to $b".
func span(low, high float64) string {
	if high > low {
		return money(low) + " to " + money(high)
	}
	return money(low)
}

func signed(f float64) string {
	if f >= 0 {
		return "+" + money(f)
	}
	return "-" + money(-f)
}

func (r *Result) writeCost(p *printer, cmp *Comparison) {
	c := r.Cost
	p.printf("\nEstimated monthly cost: %s (on-demand list prices, %s, prices as of %s)\n",
		span(c.MonthlyUSD, c.MonthlyUSDMax), c.Region, c.PriceDate)
	p.printf("  biggest items:\n")
	var top []CostLine
	width := 0
	for i, l := range c.Lines {
		if i == costItems || l.Unpriced != "" {
			break
		}
		top = append(top, l)
		width = max(width, len(span(l.MonthlyUSD, l.MonthlyUSDMax)))
	}
	for _, l := range top {
		p.printf("    %*s  %s %s: %s\n", width, span(l.MonthlyUSD, l.MonthlyUSDMax), tokens.Type(l.Type).DisplayName(), l.Name, l.What)
	}
	if n := c.Unpriced(); n > 0 {
		p.printf("  unpriced (not in the total):\n")
		for _, l := range c.Lines {
			if l.Unpriced != "" {
				p.printf("    %s %s: %s\n", tokens.Type(l.Type).DisplayName(), l.Name, l.Unpriced)
			}
		}
	}
	if len(c.NotIncluded) > 0 {
		p.printf("  not included, billed by use:\n")
		for _, u := range c.NotIncluded {
			p.printf("    %s\n", u)
		}
	}
	if cmp != nil {
		d := cmp.Cost
		p.printf("  monthly difference from the baseline: %s", signed(d.DeltaUSD))
		if d.DeltaUSDMax != d.DeltaUSD {
			p.printf(" to %s", signed(d.DeltaUSDMax))
		}
		p.printf(" (from %s)\n", span(d.BaseMonthlyUSD, d.BaseMonthlyUSDMax))
		for i, x := range d.Resources {
			if i == costItems {
				break
			}
			p.printf("    %s %s: %s → %s\n", tokens.Type(x.Type).DisplayName(), x.Name, span(x.BaseUSD, x.BaseUSDMax), span(x.USD, x.USDMax))
		}
	}
}

func writeGate(p *printer, cmp *Comparison) {
	v := cmp.Verdict
	p.printf("\nReplacement gate, against the baseline (%d changes):\n", len(v.Changes))
	if len(v.Blocking) == 0 {
		p.printf("  nothing that loses data, credentials or recovery points is replaced or deleted without approval\n")
	} else {
		p.printf("  BLOCKED: %d replacement(s) or deletion(s) lose what cannot be recreated; approve one on purpose with\n"+
			"  `--allow-replace <urn> <reason>` (or --allow-delete) in the approvals file:\n", len(v.Blocking))
		for _, c := range v.Blocking {
			p.printf("    %s\n        loses %s\n        %s\n", c, c.Loses, c.URN)
		}
	}
	if len(v.Approved) > 0 {
		p.printf("  approved:\n")
		for _, a := range v.Approved {
			p.printf("    %s\n        loses %s\n        approved at %s: %s\n", a.Change, a.Change.Loses, a.Approval.Where, a.Approval.Reason)
		}
	}
	if len(v.Superseded) > 0 {
		p.printf("  superseded, nothing lost:\n")
		for _, c := range v.Superseded {
			p.printf("    %s\n", c)
		}
	}
	var rest []Change
	for _, c := range v.Changes {
		if (c.Kind == Replace || c.Kind == Delete) && (c.Loses != "" || c.SupersededBy != "") {
			continue
		}
		rest = append(rest, c)
	}
	if len(rest) > 0 {
		p.printf("  other changes:\n")
		for _, c := range rest {
			p.printf("    %s\n", c)
		}
	}
	for _, a := range v.Unused {
		p.printf("  warning: the approval at %s (%s %s) matches no replacement or deletion: remove it\n", a.Where, a.Kind, a.URN)
	}
}

func (r *Result) writePolicy(p *printer) {
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
