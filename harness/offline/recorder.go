package offline

import (
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/harness/plan/catalog"
)

// Resource is one registration as the engine would have received it.
type Resource struct {
	Type   string
	Name   string
	URN    string
	Parent string // URN of the parent; the stack's URN for top-level resources
	Custom bool
	// Provider is the provider reference ("urn::id") for custom resources with
	// an explicit provider; empty for the default provider.
	Provider string
	// Version is the provider plugin version the registration asks for.
	Version string
	ID      string
	// Inputs are the properties the program sent, secrets kept as secrets.
	Inputs resource.PropertyMap
	// Outputs are the state the mock returned (inputs plus computed values).
	Outputs resource.PropertyMap
	// Computed are the keys of Outputs known only once the resource exists
	// (IDs, ARNs, endpoints): in a preview they are unknown, and the mock's
	// values for them are made up.
	Computed []string
	// Dependencies are the URNs this resource waits for, including those
	// implied by its inputs (PropertyDependencies).
	Dependencies         []string
	PropertyDependencies map[string][]string

	Protect                 bool
	RetainOnDelete          bool
	DeleteBeforeReplace     bool
	IgnoreChanges           []string
	ReplaceOnChanges        []string
	AdditionalSecretOutputs []string
	AliasURNs               []string
	AliasSpecs              []AliasSpec
	Seq                     int // registration order
}

// AliasSpec is an alias as declared through pulumi.Aliases.
type AliasSpec struct {
	URN     string
	Name    string
	Type    string
	Project string
	Stack   string
	// NoParent is set when the alias says the resource used to be top-level;
	// ParentURN when it used to be under another parent.
	NoParent  bool
	ParentURN string
}

// Invoke is one data-source call.
type Invoke struct {
	Token string
	Args  resource.PropertyMap
}

// Recorder is a pulumi.MockResourceMonitor that keeps everything it was sent.
// It is safe for the concurrent registrations the SDK makes.
type Recorder struct {
	// Region and AccountID shape the computed ARNs, endpoints and availability
	// zones the mock returns.
	Region    string
	AccountID string
	// Identity is who the mock says the caller is (getCallerIdentity,
	// getSessionContext).
	Identity Identity
	// Project and Stack build URNs that match the SDK's.
	Project string
	Stack   string

	// refusals are data sources the mock refuses (WithRefusal).
	refusals map[string]string
	// noEC2Offerings makes EC2 offer no instance type (WithoutOfferings).
	noEC2Offerings bool

	mu        sync.Mutex
	resources []*Resource
	invokes   []Invoke
}

// NewRecorder returns a Recorder for the given project and stack.
func NewRecorder(project, stack, region string) *Recorder {
	if region == "" {
		region = "us-east-1"
	}
	return &Recorder{Region: region, AccountID: DefaultIdentity.AccountID, Identity: DefaultIdentity, Project: project, Stack: stack}
}

var _ pulumi.MockResourceMonitor = (*Recorder)(nil)

// NewResource records a registration and returns the mocked state.
func (r *Recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	res := &Resource{
		Type:     args.TypeToken,
		Name:     args.Name,
		Custom:   args.Custom,
		Provider: args.Provider,
		Inputs:   args.Inputs,
	}
	if rpc := args.RegisterRPC; rpc != nil {
		res.Parent = rpc.GetParent()
		res.Version = rpc.GetVersion()
		res.Protect = rpc.GetProtect()
		res.RetainOnDelete = rpc.GetRetainOnDelete()
		res.DeleteBeforeReplace = rpc.GetDeleteBeforeReplace()
		res.IgnoreChanges = rpc.GetIgnoreChanges()
		res.ReplaceOnChanges = rpc.GetReplaceOnChanges()
		res.AdditionalSecretOutputs = rpc.GetAdditionalSecretOutputs()
		res.AliasURNs = rpc.GetAliasURNs()
		for _, a := range rpc.GetAliases() {
			if urn := a.GetUrn(); urn != "" {
				res.AliasSpecs = append(res.AliasSpecs, AliasSpec{URN: urn})
				continue
			}
			spec := a.GetSpec()
			res.AliasSpecs = append(res.AliasSpecs, AliasSpec{
				Name: spec.GetName(), Type: spec.GetType(), Project: spec.GetProject(), Stack: spec.GetStack(),
				NoParent: spec.GetNoParent(), ParentURN: spec.GetParentUrn(),
			})
		}
		deps := slices.Clone(rpc.GetDependencies())
		res.PropertyDependencies = map[string][]string{}
		for k, v := range rpc.GetPropertyDependencies() {
			if urns := v.GetUrns(); len(urns) > 0 {
				res.PropertyDependencies[k] = slices.Clone(urns)
				deps = append(deps, urns...)
			}
		}
		slices.Sort(deps)
		res.Dependencies = slices.Compact(deps)
	}
	res.URN = r.urn(res.Parent, res.Type, res.Name)

	id := args.ID
	if id == "" && args.Custom {
		id = args.Name + "-id"
	}
	res.ID = id
	state := args.Inputs.Copy()
	if args.Custom {
		env := catalog.Env{Region: r.Region, AccountID: r.AccountID}
		state, res.Computed = catalog.MockState(env, res.Type, res.Name, id, args.Inputs)
	}
	res.Outputs = state

	r.mu.Lock()
	res.Seq = len(r.resources)
	r.resources = append(r.resources, res)
	r.mu.Unlock()
	return id, state, nil
}

// Call answers invokes (data sources) with plausible values for the recorder's
// region and account.
func (r *Recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	r.mu.Lock()
	r.invokes = append(r.invokes, Invoke{Token: args.Token, Args: args.Args})
	r.mu.Unlock()
	if out, err, ok := r.offeringInvoke(args.Token, args.Args); ok {
		return out, err
	}
	out, ok := invoke(r, args.Token, args.Args)
	if !ok {
		return nil, fmt.Errorf("offline: no mock for invoke %q: add one in harness/offline/invokes.go", args.Token)
	}
	return out, nil
}

func (r *Recorder) urn(parent, typ, name string) string {
	// The same construction as the SDK's mock monitor, so URNs match the
	// ones the program sees.
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(r.Stack), tokens.PackageName(r.Project), parentType,
		tokens.Type(typ), name))
}

// Resources returns every registration in the order it was made.
func (r *Recorder) Resources() []*Resource {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := slices.Clone(r.resources)
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

// Invokes returns every invoke in the order it was made.
func (r *Recorder) Invokes() []Invoke {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.invokes)
}

// ByType returns the registrations of one type token.
func (r *Recorder) ByType(typ string) []*Resource {
	var out []*Resource
	for _, res := range r.Resources() {
		if res.Type == typ {
			out = append(out, res)
		}
	}
	return out
}

// Find returns the registration with the given type and name, or nil.
func (r *Recorder) Find(typ, name string) *Resource {
	for _, res := range r.Resources() {
		if res.Type == typ && res.Name == name {
			return res
		}
	}
	return nil
}

// ByURN returns the registration with the given URN, or nil.
func (r *Recorder) ByURN(urn string) *Resource {
	for _, res := range r.Resources() {
		if res.URN == urn {
			return res
		}
	}
	return nil
}

// CountByType returns how many resources of each type were registered.
func (r *Recorder) CountByType() map[string]int {
	out := map[string]int{}
	for _, res := range r.Resources() {
		out[res.Type]++
	}
	return out
}

// Children returns the direct children of the resource with the given URN.
func (r *Recorder) Children(urn string) []*Resource {
	var out []*Resource
	for _, res := range r.Resources() {
		if res.Parent == urn {
			out = append(out, res)
		}
	}
	return out
}

// Descendants returns every resource below the given URN.
func (r *Recorder) Descendants(urn string) []*Resource {
	var out []*Resource
	for _, c := range r.Children(urn) {
		out = append(out, c)
		out = append(out, r.Descendants(c.URN)...)
	}
	return out
}
