package plan

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/plan/catalog"
)

// ChangeKind is what `pulumi up` would do to a resource: the step operations
// of `pulumi preview` (pkg/resource/deploy/step.go).
type ChangeKind string

// The kinds of change.
const (
	Same    ChangeKind = "same"
	Create  ChangeKind = "create"
	Update  ChangeKind = "update"
	Replace ChangeKind = "replace"
	Delete  ChangeKind = "delete"
)

// Change is one resource that a new plan creates, updates, replaces or
// deletes compared with an earlier one.
type Change struct {
	// URN is the resource's URN in the new plan; for a Delete, in the old.
	URN  string
	Type string
	Name string
	Kind ChangeKind
	// Reasons say why: for a Replace the changed inputs that force it (or
	// the replaced resource an input comes from, or its replaced provider),
	// for an Update the changed inputs, for a Delete "removed" or how the
	// URN changed. Secret values are never shown.
	Reasons []string
	// DiffKeys are the top-level inputs that change, ReplaceKeys those that
	// force the replacement (diffReasons and replaceReasons of `pulumi
	// preview --json`); Detailed maps each changed path to its kind
	// ("update", "update-replace", "add", "delete"...).
	DiffKeys    []string
	ReplaceKeys []string
	Detailed    map[string]string
	// Protected is set when the resource is protect=true in the old plan:
	// `pulumi up` would stop at it rather than replace or delete it.
	Protected bool
	// Loses is what a replacement or deletion loses (the type's catalog
	// record); empty when nothing is lost.
	Loses string
	// SupersededBy names the resource that takes over from a deleted one
	// that holds no data (a parameter group of the previous engine family).
	SupersededBy string

	old, new *offline.Resource
}

// String names the resource and says what would happen and why, e.g.
// `aws:rds/instance:Instance db would be REPLACED: dbName changed ("app" → "shop")`.
func (c Change) String() string {
	verb := map[ChangeKind]string{Create: "CREATED", Update: "UPDATED", Replace: "REPLACED", Delete: "DELETED", Same: "UNCHANGED"}[c.Kind]
	s := fmt.Sprintf("%s %s would be %s", c.Type, c.Name, verb)
	if len(c.Reasons) > 0 {
		s += ": " + strings.Join(c.Reasons, "; ")
	}
	if c.SupersededBy != "" {
		s += " (superseded by " + c.SupersededBy + ")"
	}
	if c.Protected && (c.Kind == Replace || c.Kind == Delete) {
		s += " (protected: `pulumi up` would stop here)"
	}
	return s
}

// Describe renders changes one per line.
func Describe(changes []Change) string {
	lines := make([]string, 0, len(changes))
	for _, c := range changes {
		lines = append(lines, c.String())
	}
	return strings.Join(lines, "\n")
}

// IsStateful reports whether replacing or deleting a resource of the type
// loses something (its catalog record says what).
func IsStateful(typ string) bool {
	t, _ := catalog.Lookup(typ)
	return t.Stateful()
}

// Unsafe returns the replacements and deletions that lose something and
// were not superseded: what a change must not do without a deliberate,
// approved migration.
func Unsafe(changes []Change) []Change {
	var out []Change
	for _, c := range changes {
		if (c.Kind == Replace || c.Kind == Delete) && c.Loses != "" && c.SupersededBy == "" {
			out = append(out, c)
		}
	}
	return out
}

// Compare returns what `pulumi up` would do to go from the registrations of
// before to those of after; unchanged resources are left out.
//
// Resources are matched by URN, or by the aliases of the new registration
// (its own and those inherited from aliased parents), so a refactor with
// aliases is neither a deletion nor a creation. Inputs are compared with the
// SDK's property diff, ignoreChanges left out and the type's unordered sets
// compared as sets. A matched resource is replaced when a changed input is
// one its type (or its replaceOnChanges option) replaces on, when its type
// has no update at all, when an input its type replaces on comes from a
// resource that gets a new ID (one replaced or created), or when its
// provider is replaced; it is updated when any other input changed. Values
// unknown in both plans are not judged unless the resources they come from
// changed. A resource of before that nothing in after matches is deleted:
// that is what a changed URN without an alias means; a deleted resource
// whose type allows it is superseded when a new one of its type under the
// same parent took over everything that used it. Secret values are compared
// by content but never shown. The result is sorted by type, name and URN.
func Compare(before, after []*offline.Resource) []Change {
	c := newComparison(before, after)
	c.match()
	for _, r := range c.after {
		old, ok := c.matched[r.URN]
		if !ok {
			c.changes[r.URN] = &Change{URN: r.URN, Type: r.Type, Name: r.Name, Kind: Create, Reasons: []string{"new"}, new: r}
			continue
		}
		if ch := diffResource(old, r); ch != nil {
			c.changes[r.URN] = ch
		}
	}
	c.cascade()

	out := make([]Change, 0, len(c.changes))
	for _, ch := range c.changes {
		t, _ := catalog.Lookup(ch.Type)
		if t.Stateful() {
			ch.Loses = t.Loses
		}
		out = append(out, *ch)
	}
	for _, r := range c.before {
		if c.taken[r.URN] {
			continue
		}
		reason := "removed"
		if n := c.successor(r); n != nil {
			reason = "URN changed to " + n.URN + " without an alias"
		}
		ch := Change{URN: r.URN, Type: r.Type, Name: r.Name, Kind: Delete, Reasons: []string{reason}, Protected: r.Protect, old: r}
		if t, _ := catalog.Lookup(r.Type); t.Stateful() {
			ch.Loses = t.Loses
		}
		ch.SupersededBy = c.supersededBy(r)
		out = append(out, ch)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.URN != b.URN {
			return a.URN < b.URN
		}
		return a.Kind < b.Kind
	})
	return out
}

type comparison struct {
	before, after []*offline.Resource
	oldByURN      map[string]*offline.Resource
	newByURN      map[string]*offline.Resource
	matched       map[string]*offline.Resource // new URN → old registration
	newOf         map[string]string            // old URN → new URN
	taken         map[string]bool              // old URNs matched
	changes       map[string]*Change           // by new URN
}

func newComparison(before, after []*offline.Resource) *comparison {
	c := &comparison{
		before: before, after: after,
		oldByURN: map[string]*offline.Resource{}, newByURN: map[string]*offline.Resource{},
		matched: map[string]*offline.Resource{}, newOf: map[string]string{}, taken: map[string]bool{},
		changes: map[string]*Change{},
	}
	for _, r := range before {
		c.oldByURN[r.URN] = r
	}
	for _, r := range after {
		c.newByURN[r.URN] = r
	}
	return c
}

// match pairs registrations in registration order, so a parent is matched
// (and its aliases known to its children) before its children.
func (c *comparison) match() {
	ordered := slices.Clone(c.after)
	sort.SliceStable(ordered, func(i, j int) bool { return ordered[i].Seq < ordered[j].Seq })
	known := map[string][]string{} // new URN → URNs it may have had
	for _, r := range ordered {
		known[r.URN] = candidateURNs(r, known)
		for _, u := range known[r.URN] {
			if old, ok := c.oldByURN[u]; ok && !c.taken[u] {
				c.matched[r.URN] = old
				c.newOf[u] = r.URN
				c.taken[u] = true
				break
			}
		}
	}
}

// successor returns the unmatched new registration that looks like r moved
// or renamed its type: the same type and name, or for a component (whose
// type token is the program's own) the same name.
func (c *comparison) successor(r *offline.Resource) *offline.Resource {
	var sameName *offline.Resource
	for _, n := range c.after {
		if _, isMatched := c.matched[n.URN]; isMatched || n.Name != r.Name {
			continue
		}
		if n.Type == r.Type {
			return n
		}
		if !r.Custom && !n.Custom && sameName == nil {
			sameName = n
		}
	}
	return sameName
}

// supersededBy returns the name of the resource that took over from a
// deleted one whose type allows it: a new resource of the same type under
// the same parent, which every resource that used the deleted one now uses.
func (c *comparison) supersededBy(old *offline.Resource) string {
	t, _ := catalog.Lookup(old.Type)
	if t == nil || !t.Supersedable {
		return ""
	}
	parent := old.Parent
	if p, ok := c.newOf[parent]; ok {
		parent = p
	}
	for _, n := range c.after {
		if _, matched := c.matched[n.URN]; matched || n.Type != old.Type || n.Parent != parent {
			continue
		}
		if c.usersMoved(old, n) {
			return n.Name
		}
	}
	return ""
}

// usersMoved reports whether every resource that used old (depended on it)
// still exists and now uses successor instead.
func (c *comparison) usersMoved(old, successor *offline.Resource) bool {
	for _, r := range c.before {
		if !slices.Contains(r.Dependencies, old.URN) {
			continue
		}
		n, ok := c.newOf[r.URN]
		if !ok {
			continue // the user is gone too
		}
		deps := c.newByURN[n].Dependencies
		if slices.Contains(deps, old.URN) || !slices.Contains(deps, successor.URN) {
			return false
		}
	}
	return true
}

// cascade replaces (or updates) resources whose inputs come from a
// resource that gets a new ID, whose inputs now come from other resources,
// or whose provider is replaced. The mocks give a replacement the same ID
// as its predecessor, and a preview cannot know it, so the value diff alone
// would miss these.
func (c *comparison) cascade() {
	for changed := true; changed; {
		changed = false
		for _, r := range c.after {
			old, ok := c.matched[r.URN]
			if !ok {
				continue
			}
			if ch := c.changes[r.URN]; ch != nil && ch.Kind == Replace {
				continue
			}
			if c.cascadeProvider(old, r) || c.cascadeInputs(old, r) {
				changed = true
			}
		}
	}
}

// change returns the change of a matched resource, making an empty one.
func (c *comparison) change(old, r *offline.Resource) *Change {
	ch := c.changes[r.URN]
	if ch == nil {
		ch = &Change{URN: r.URN, Type: r.Type, Name: r.Name, Protected: old.Protect, Detailed: map[string]string{}, old: old, new: r}
		c.changes[r.URN] = ch
	}
	return ch
}

// replaceWith turns a change into a replacement for reason.
func replaceWith(ch *Change, key, reason string) {
	if ch.Kind != Replace {
		ch.Kind, ch.Reasons = Replace, nil
	}
	ch.Reasons = append(ch.Reasons, reason)
	if key != "" {
		if !slices.Contains(ch.ReplaceKeys, key) {
			ch.ReplaceKeys = append(ch.ReplaceKeys, key)
		}
		if !slices.Contains(ch.DiffKeys, key) {
			ch.DiffKeys = append(ch.DiffKeys, key)
		}
		ch.Detailed[key] = "update-replace"
	}
}

// cascadeProvider replaces a custom resource whose provider is replaced, or
// which moved to a provider whose configuration its old one cannot share.
func (c *comparison) cascadeProvider(old, r *offline.Resource) bool {
	if !r.Custom || !old.Custom || strings.HasPrefix(r.Type, "pulumi:providers:") {
		return false
	}
	newRef, oldRef := providerURN(r.Provider), providerURN(old.Provider)
	if newRef == "" && oldRef == "" {
		return false
	}
	if mapped, ok := c.newOf[oldRef]; ok && mapped == newRef {
		p := c.changes[newRef]
		if p == nil || p.Kind != Replace {
			return false
		}
		replaceWith(c.change(old, r), "", fmt.Sprintf("its provider %s is replaced (%s)", p.Name, strings.Join(p.Reasons, "; ")))
		return true
	}
	// Another provider: the engine asks the new provider's DiffConfig
	// whether it can manage what the old one did.
	oldP, newP := c.oldByURN[oldRef], c.newByURN[newRef]
	if oldP == nil || newP == nil {
		replaceWith(c.change(old, r), "", "provider changed")
		return true
	}
	if d := diffResource(oldP, newP); d != nil && d.Kind == Replace {
		replaceWith(c.change(old, r), "", fmt.Sprintf("provider changed to %s, which cannot manage it (%s)", newP.Name, strings.Join(d.Reasons, "; ")))
		return true
	}
	return false
}

// cascadeInputs handles inputs whose values a preview cannot know: those
// that come from a resource that gets a new ID, and those that now come
// from other resources.
func (c *comparison) cascadeInputs(old, r *offline.Resource) bool {
	t, _ := catalog.Lookup(r.Type)
	ch := c.changes[r.URN]
	for _, key := range slices.Sorted(maps.Keys(r.PropertyDependencies)) {
		deps := r.PropertyDependencies[key]
		var reason string
		for _, dep := range deps {
			src, ok := c.changes[dep]
			if !ok || (src.Kind != Replace && src.Kind != Create) || c.newByURN[dep] == nil || !c.newByURN[dep].Custom {
				continue
			}
			how := map[ChangeKind]string{Replace: "replaced", Create: "created"}[src.Kind]
			reason = fmt.Sprintf("%s comes from %s %s, which is %s (new ID and outputs)", key, src.Type, src.Name, how)
			break
		}
		if reason == "" {
			// The value diff sees everything but values unknown in both
			// plans; for those, a change of where they come from is the
			// change.
			k := resource.PropertyKey(key)
			if !old.Inputs[k].ContainsUnknowns() || !r.Inputs[k].ContainsUnknowns() {
				continue
			}
			added, removed := c.depsChanged(old.PropertyDependencies[key], deps)
			if len(added)+len(removed) == 0 {
				continue
			}
			reason = fmt.Sprintf("%s changed (%s; values known after apply)", key, describeDeps(added, removed))
		}
		if ch != nil && slices.Contains(ch.Reasons, reason) {
			continue
		}
		p := resource.PropertyPath{key}
		if forcing(t, r, old.Inputs, r.Inputs, p, true) {
			replaceWith(c.change(old, r), key, reason)
			return true
		}
		ch = c.change(old, r)
		if ch.Kind == "" {
			ch.Kind = Update
		}
		ch.Reasons = append(ch.Reasons, reason)
		if !slices.Contains(ch.DiffKeys, key) {
			ch.DiffKeys = append(ch.DiffKeys, key)
			ch.Detailed[key] = "update"
		}
		return true
	}
	return false
}

// depsChanged compares the resources an input comes from, the old ones
// mapped to their new URNs.
func (c *comparison) depsChanged(oldDeps, newDeps []string) (added, removed []string) {
	mapped := make([]string, 0, len(oldDeps))
	for _, d := range oldDeps {
		if n, ok := c.newOf[d]; ok {
			mapped = append(mapped, n)
		} else {
			removed = append(removed, d)
		}
	}
	for _, d := range newDeps {
		if !slices.Contains(mapped, d) {
			added = append(added, d)
		}
	}
	for i, d := range oldDeps {
		if n, ok := c.newOf[d]; ok && !slices.Contains(newDeps, n) {
			removed = append(removed, oldDeps[i])
		}
	}
	return added, removed
}

func describeDeps(added, removed []string) string {
	var parts []string
	for _, u := range added {
		parts = append(parts, "now also from "+urnLabel(u))
	}
	for _, u := range removed {
		parts = append(parts, "no longer from "+urnLabel(u))
	}
	return strings.Join(parts, ", ")
}

// urnLabel is "type name" of a URN.
func urnLabel(u string) string {
	urn := resource.URN(u)
	if !urn.IsValid() {
		return u
	}
	return string(urn.Type()) + " " + urn.Name()
}

// diffResource compares one resource's two registrations; nil when nothing
// changed.
func diffResource(prev, next *offline.Resource) *Change {
	t, _ := catalog.Lookup(next.Type)
	var sets []resource.PropertyPath
	if t != nil {
		sets = t.Sets
	}
	oldIn, newIn := canonicalSets(prev.Inputs, sets), canonicalSets(next.Inputs, sets)
	ignore := make([]resource.PropertyPath, 0, len(next.IgnoreChanges))
	for _, s := range next.IgnoreChanges {
		if p, err := resource.ParsePropertyPath(s); err == nil {
			ignore = append(ignore, p)
		}
	}
	d := oldIn.DiffWithOptions(newIn, resource.IgnorePathFunc(func(p resource.PropertyPath) bool {
		for _, i := range ignore {
			if i.Contains(p) {
				return true
			}
		}
		return false
	}))
	if d == nil {
		return nil
	}
	var leaves []leaf
	flattenObject(nil, d, &leaves)
	if len(leaves) == 0 {
		return nil
	}
	ch := &Change{URN: next.URN, Type: next.Type, Name: next.Name, Kind: Update, Protected: prev.Protect,
		Detailed: map[string]string{}, old: prev, new: next}
	var forcingReasons, otherReasons []string
	for _, g := range groupLeaves(leaves, oldIn, newIn) {
		key, _ := g.path[0].(string)
		if !slices.Contains(ch.DiffKeys, key) {
			ch.DiffKeys = append(ch.DiffKeys, key)
		}
		kind := g.kind()
		if forcing(t, next, prev.Inputs, next.Inputs, g.path, false) {
			forcingReasons = append(forcingReasons, g.describe())
			if !slices.Contains(ch.ReplaceKeys, key) {
				ch.ReplaceKeys = append(ch.ReplaceKeys, key)
			}
			kind += "-replace"
		} else {
			otherReasons = append(otherReasons, g.describe())
		}
		ch.Detailed[g.path.String()] = kind
	}
	if len(forcingReasons) > 0 {
		ch.Kind, ch.Reasons = Replace, forcingReasons
	} else {
		ch.Reasons = otherReasons
	}
	return ch
}

// forcing reports whether a change at p replaces a resource of type t.
// whole says the whole input at p is new and unknown (it comes from other
// resources), so a rule below p counts without comparing values.
func forcing(t *catalog.Type, r *offline.Resource, before, after resource.PropertyMap, p resource.PropertyPath, whole bool) bool {
	if t != nil && t.NoUpdate {
		for _, keep := range t.InPlace {
			if keep.Contains(p) {
				return false
			}
		}
		return true
	}
	var rules []catalog.Rule
	if t != nil {
		rules = t.Replace
	}
	for _, s := range r.ReplaceOnChanges {
		if rp, err := resource.ParsePropertyPath(s); err == nil {
			rules = append(rules, catalog.Rule{Path: rp})
		}
	}
	for _, rule := range rules {
		switch {
		case rule.Path.Contains(p):
		case below(p, rule.Path):
			// p is an object or array above the rule's path that changed as
			// a whole: the rule counts if its own value changed.
			if !whole && !hasWildcard(rule.Path) {
				o, oOK := catalog.Get(before, rule.Path)
				n, nOK := catalog.Get(after, rule.Path)
				if oOK == nOK && o.DeepEquals(n) {
					continue
				}
			}
		default:
			continue
		}
		if rule.If != nil && !rule.If(before, after) {
			continue
		}
		return true
	}
	return false
}

// below reports whether q lies strictly below p.
func below(p, q resource.PropertyPath) bool {
	if len(q) <= len(p) {
		return false
	}
	for i := range p {
		if s, ok := q[i].(string); ok && s == "*" {
			continue
		}
		if p[i] != q[i] {
			return false
		}
	}
	return true
}

func hasWildcard(p resource.PropertyPath) bool {
	for _, e := range p {
		if s, ok := e.(string); ok && s == "*" {
			return true
		}
	}
	return false
}

// canonicalSets returns m with the arrays at the given set paths sorted, so
// that the same elements in another order compare equal.
func canonicalSets(m resource.PropertyMap, sets []resource.PropertyPath) resource.PropertyMap {
	if len(sets) == 0 {
		return m
	}
	v := resource.NewProperty(m)
	for _, p := range sets {
		v = sortAt(v, p)
	}
	return v.ObjectValue()
}

func sortAt(v resource.PropertyValue, p resource.PropertyPath) resource.PropertyValue {
	if v.IsSecret() {
		return resource.MakeSecret(sortAt(v.SecretValue().Element, p))
	}
	if len(p) == 0 {
		if !v.IsArray() {
			return v
		}
		arr := slices.Clone(v.ArrayValue())
		slices.SortStableFunc(arr, func(a, b resource.PropertyValue) int { return strings.Compare(canonical(a), canonical(b)) })
		return resource.NewProperty(arr)
	}
	switch step := p[0].(type) {
	case string:
		if v.IsArray() && step == "*" {
			arr := make([]resource.PropertyValue, len(v.ArrayValue()))
			for i, e := range v.ArrayValue() {
				arr[i] = sortAt(e, p[1:])
			}
			return resource.NewProperty(arr)
		}
		if !v.IsObject() {
			return v
		}
		obj := v.ObjectValue().Copy()
		if e, ok := obj[resource.PropertyKey(step)]; ok {
			obj[resource.PropertyKey(step)] = sortAt(e, p[1:])
		}
		return resource.NewProperty(obj)
	case int:
		if !v.IsArray() || step < 0 || step >= len(v.ArrayValue()) {
			return v
		}
		arr := slices.Clone(v.ArrayValue())
		arr[step] = sortAt(arr[step], p[1:])
		return resource.NewProperty(arr)
	}
	return v
}

// canonical is a stable text of a value for ordering set elements.
func canonical(v resource.PropertyValue) string {
	b, err := json.Marshal(toJSON(v))
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// leaf is one changed input value.
type leaf struct {
	path           resource.PropertyPath
	old, new       resource.PropertyValue
	hadOld, hasNew bool
}

func flattenObject(prefix resource.PropertyPath, d *resource.ObjectDiff, out *[]leaf) {
	for k, v := range d.Adds {
		*out = append(*out, leaf{path: appendPath(prefix, string(k)), new: v, hasNew: true})
	}
	for k, v := range d.Deletes {
		*out = append(*out, leaf{path: appendPath(prefix, string(k)), old: v, hadOld: true})
	}
	for k, vd := range d.Updates {
		flattenValue(appendPath(prefix, string(k)), vd, out)
	}
}

func flattenValue(p resource.PropertyPath, vd resource.ValueDiff, out *[]leaf) {
	switch {
	case vd.Object != nil:
		flattenObject(p, vd.Object, out)
	case vd.Array != nil:
		for i, v := range vd.Array.Adds {
			*out = append(*out, leaf{path: appendPath(p, i), new: v, hasNew: true})
		}
		for i, v := range vd.Array.Deletes {
			*out = append(*out, leaf{path: appendPath(p, i), old: v, hadOld: true})
		}
		for i, e := range vd.Array.Updates {
			flattenValue(appendPath(p, i), e, out)
		}
	default:
		*out = append(*out, leaf{path: p, old: vd.Old, new: vd.New, hadOld: !vd.Old.IsNull(), hasNew: !vd.New.IsNull()})
	}
}

func appendPath(p resource.PropertyPath, e any) resource.PropertyPath {
	out := make(resource.PropertyPath, 0, len(p)+1)
	return append(append(out, p...), e)
}

// group is one reported change: a leaf, or an array of plain values whose
// elements changed (reported as what it gained and lost).
type group struct {
	path           resource.PropertyPath
	old, new       resource.PropertyValue
	hadOld, hasNew bool
	array          bool
}

// groupLeaves merges the changed elements of arrays of plain values into
// one change of the array, and orders the changes by path.
func groupLeaves(leaves []leaf, before, after resource.PropertyMap) []group {
	seen := map[string]bool{}
	var out []group
	for _, l := range leaves {
		if n := len(l.path); n > 1 {
			if _, isIndex := l.path[n-1].(int); isIndex {
				parent := l.path[:n-1]
				o, oOK := catalog.Get(before, parent)
				nv, nOK := catalog.Get(after, parent)
				if oOK && nOK && plainArray(o) && plainArray(nv) {
					if key := parent.String(); !seen[key] {
						seen[key] = true
						out = append(out, group{path: parent, old: o, new: nv, hadOld: true, hasNew: true, array: true})
					}
					continue
				}
			}
		}
		out = append(out, group{path: l.path, old: l.old, new: l.new, hadOld: l.hadOld, hasNew: l.hasNew})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path.String() < out[j].path.String() })
	return out
}

// plainArray reports whether v is an array of known, non-secret scalars.
func plainArray(v resource.PropertyValue) bool {
	if !v.IsArray() {
		return false
	}
	for _, e := range v.ArrayValue() {
		if e.IsObject() || e.IsArray() || e.ContainsSecrets() || e.ContainsUnknowns() {
			return false
		}
	}
	return true
}

// kind is the detailed-diff kind of `pulumi preview --json`.
func (g group) kind() string {
	switch {
	case !g.hadOld:
		return "add"
	case !g.hasNew:
		return "delete"
	}
	return "update"
}

// describe says what changed without showing secrets:
// `dbName changed ("app" → "shop")`.
func (g group) describe() string {
	p := g.path.String()
	switch {
	case g.old.ContainsSecrets() || g.new.ContainsSecrets():
		return p + " (secret) changed"
	case g.old.ContainsUnknowns() || g.new.ContainsUnknowns():
		return p + " may change (unknown until apply)"
	case g.array:
		return fmt.Sprintf("%s changed (%s)", p, arrayDelta(g.old.ArrayValue(), g.new.ArrayValue()))
	}
	return fmt.Sprintf("%s changed (%s → %s)", p, shortValue(g.old, g.hadOld), shortValue(g.new, g.hasNew))
}

// arrayDelta says which elements a list gained and lost (`added
// "subnet-c"`), which reads better than two long lists.
func arrayDelta(prev, next []resource.PropertyValue) string {
	count := func(vs []resource.PropertyValue) (map[string]int, []string) {
		m, order := map[string]int{}, []string{}
		for _, v := range vs {
			s := shortValue(v, true)
			if m[s] == 0 {
				order = append(order, s)
			}
			m[s]++
		}
		return m, order
	}
	pm, porder := count(prev)
	nm, norder := count(next)
	var parts []string
	for _, s := range norder {
		if nm[s] > pm[s] {
			parts = append(parts, "added "+s)
		}
	}
	for _, s := range porder {
		if pm[s] > nm[s] {
			parts = append(parts, "removed "+s)
		}
	}
	if len(parts) == 0 {
		return "reordered"
	}
	return strings.Join(parts, ", ")
}

// shortValue shows a non-secret value compactly: strings quoted, long
// values cut.
func shortValue(v resource.PropertyValue, ok bool) string {
	if !ok || v.IsNull() {
		return "(none)"
	}
	var s string
	if v.IsString() {
		s = strconv.Quote(v.StringValue())
	} else {
		b, err := json.Marshal(toJSON(v))
		if err != nil {
			s = fmt.Sprint(toJSON(v))
		} else {
			s = string(b)
		}
	}
	const limit = 80
	if r := []rune(s); len(r) > limit {
		s = string(r[:limit-1]) + "…"
	}
	return s
}

// candidateURNs returns the URNs r may have had: its own, its alias URNs,
// those its alias specs describe, and the same under each URN its parent may
// have had (the engine inherits a parent's aliases into its children).
func candidateURNs(r *offline.Resource, known map[string][]string) []string {
	out := []string{r.URN}
	add := func(u string) {
		if u != "" && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	for _, u := range r.AliasURNs {
		add(u)
	}
	if !strings.HasPrefix(r.URN, resource.URNPrefix) {
		return out // not a URN the engine makes: nothing to derive aliases from
	}
	stack, project := resource.URN(r.URN).Stack(), resource.URN(r.URN).Project()
	build := func(parent, typ, name string, st tokens.QName, proj tokens.PackageName) string {
		parentType := tokens.Type("")
		if p := resource.URN(parent); strings.HasPrefix(parent, resource.URNPrefix) && p.QualifiedType() != resource.RootStackType {
			parentType = p.QualifiedType()
		}
		return string(resource.NewURN(st, proj, parentType, tokens.Type(typ), name))
	}
	parents := append([]string{r.Parent}, known[r.Parent]...)
	for _, a := range r.AliasSpecs {
		if a.URN != "" {
			add(a.URN)
			continue
		}
		name, typ, st, proj := r.Name, r.Type, stack, project
		if a.Name != "" {
			name = a.Name
		}
		if a.Type != "" {
			typ = a.Type
		}
		if a.Stack != "" {
			st = tokens.QName(a.Stack)
		}
		if a.Project != "" {
			proj = tokens.PackageName(a.Project)
		}
		switch {
		case a.NoParent:
			add(build("", typ, name, st, proj))
		case a.ParentURN != "":
			add(build(a.ParentURN, typ, name, st, proj))
		default:
			for _, p := range parents {
				add(build(p, typ, name, st, proj))
			}
		}
	}
	for _, p := range known[r.Parent] {
		add(build(p, r.Type, r.Name, stack, project))
	}
	return out
}
