package plan

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/plan/catalog"
)

// SlowSeconds is the threshold above which a resource counts as slow.
const SlowSeconds = 100

// CreationSeconds is the typical creation time of r, from its type's
// catalog record (which names the source of the figure). Components and
// providers cost nothing themselves.
func CreationSeconds(r *offline.Resource) float64 {
	if !r.Custom || strings.HasPrefix(r.Type, "pulumi:providers:") {
		return 0
	}
	t, _ := catalog.Lookup(r.Type)
	return t.Duration(r.Inputs).Seconds()
}

// dataReasons lists the slow resources that may wait for another slow one,
// with the reason the data requires it. Any other wait between two slow
// resources is a mistake (an unneeded dependency that makes `pulumi up`
// slower than the physics requires).
var dataReasons = map[[2]string]string{
	{"aws:eks/cluster:Cluster", "aws:eks/nodeGroup:NodeGroup"}:                                                       "nodes join an existing cluster",
	{"aws:eks/cluster:Cluster", "aws:eks/addon:Addon"}:                                                               "add-ons install into the cluster",
	{"aws:eks/addon:Addon", "aws:eks/nodeGroup:NodeGroup"}:                                                           "nodes are NotReady without the VPC CNI add-on",
	{"aws:eks/nodeGroup:NodeGroup", "aws:eks/addon:Addon"}:                                                           "CoreDNS and the EBS CSI driver need nodes to run on",
	{"aws:eks/cluster:Cluster", "kubernetes:helm.sh/v3:Release"}:                                                     "charts install through the cluster's API",
	{"aws:eks/nodeGroup:NodeGroup", "kubernetes:helm.sh/v3:Release"}:                                                 "chart pods need nodes",
	{"aws:eks/addon:Addon", "kubernetes:helm.sh/v3:Release"}:                                                         "chart pods need cluster DNS and networking",
	{"aws:eks/cluster:Cluster", "kubernetes:batch/v1:Job"}:                                                           "the Job is created through the cluster's API",
	{"aws:eks/nodeGroup:NodeGroup", "kubernetes:batch/v1:Job"}:                                                       "the Job's pod needs a node",
	{"aws:eks/addon:Addon", "kubernetes:batch/v1:Job"}:                                                               "the Job's pod needs DNS and networking",
	{"aws:rds/instance:Instance", "kubernetes:batch/v1:Job"}:                                                         "the Job creates roles in the database",
	{"aws:rds/instance:Instance", "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication"}: "replicates that instance's backups",
	{"aws:ec2/natGateway:NatGateway", "kubernetes:helm.sh/v3:Release"}:                                               "charts pull images from public registries through NAT",
	{"aws:ec2/natGateway:NatGateway", "kubernetes:batch/v1:Job"}:                                                     "the Job pulls its images through NAT",
	{"aws:ec2/natGateway:NatGateway", "aws:eks/nodeGroup:NodeGroup"}:                                                 "nodes pull images and reach AWS APIs through NAT",
	{"aws:ec2/vpcEndpoint:VpcEndpoint", "aws:eks/nodeGroup:NodeGroup"}:                                               "nodes pull images and reach AWS APIs through the interface endpoints",
}

// PathStep is one resource on a path.
type PathStep struct {
	URN     string  `json:"urn"`
	Type    string  `json:"type"`
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"` // its own creation time
	Finish  float64 `json:"finish"`  // when it is done, counted from the start of `pulumi up`
}

// CriticalPath is the longest chain of waits in `pulumi up`.
type CriticalPath struct {
	Seconds float64
	Steps   []PathStep
	// BoundSeconds is the longest chain the data really requires: the same
	// graph with every wait between two slow resources that has no entry in
	// dataReasons removed.
	BoundSeconds float64
	// Unjustified are the waits between slow resources with no data reason.
	Unjustified []SlowWait
}

// SlowWait is a slow resource waiting (directly or through others) for
// another slow resource.
type SlowWait struct {
	From, To PathStep
	Via      []string // names of the resources in between
}

func (w SlowWait) String() string {
	return fmt.Sprintf("%s %s waits for %s %s (via %s)", w.To.Type, w.To.Name, w.From.Type, w.From.Name, strings.Join(w.Via, " → "))
}

// Duration formats seconds as minutes and seconds (benchmarks and test
// messages; the plan itself shows Estimate).
func Duration(s float64) string {
	return (time.Duration(s) * time.Second).String()
}

// About shows a duration as the estimate it is: "≈ 18 min", "< 1 min".
func About(s float64) string {
	if s < 30 {
		return "< 1 min"
	}
	return fmt.Sprintf("≈ %d min", int(math.Round(s/60)))
}

type graph struct {
	nodes map[string]*offline.Resource
	deps  map[string][]string // URN → URNs it waits for (components expanded)
	cost  map[string]float64
}

func newGraph(resources []*offline.Resource) *graph {
	g := &graph{nodes: map[string]*offline.Resource{}, deps: map[string][]string{}, cost: map[string]float64{}}
	children := map[string][]string{}
	for _, r := range resources {
		g.nodes[r.URN] = r
		g.cost[r.URN] = CreationSeconds(r)
		children[r.Parent] = append(children[r.Parent], r.URN)
	}
	// Waiting for a component means waiting for everything under it; a
	// parent never blocks its children.
	var custom func(urn string, seen map[string]bool) []string
	custom = func(urn string, seen map[string]bool) []string {
		if seen[urn] {
			return nil
		}
		seen[urn] = true
		r, ok := g.nodes[urn]
		if !ok {
			return nil
		}
		if r.Custom {
			return []string{urn}
		}
		var out []string
		for _, c := range children[urn] {
			out = append(out, custom(c, seen)...)
		}
		return out
	}
	for _, r := range resources {
		var deps []string
		for _, d := range r.Dependencies {
			deps = append(deps, custom(d, map[string]bool{})...)
		}
		slices.Sort(deps)
		g.deps[r.URN] = slices.Compact(deps)
	}
	return g
}

func (g *graph) slow(urn string) bool { return g.cost[urn] >= SlowSeconds }

// finishTimes computes when each resource is done if every resource starts as
// soon as what it waits for is done. ignore(dep, res) drops a wait.
func (g *graph) finishTimes(ignore func(dep, res string) bool) (map[string]float64, map[string]string) {
	finish := map[string]float64{}
	via := map[string]string{}
	var visit func(urn string, stack map[string]bool) float64
	visit = func(urn string, stack map[string]bool) float64 {
		if f, ok := finish[urn]; ok {
			return f
		}
		if stack[urn] {
			return 0 // a cycle cannot happen in a Pulumi program; be safe
		}
		stack[urn] = true
		start := 0.0
		for _, d := range g.deps[urn] {
			if ignore != nil && ignore(d, urn) {
				continue
			}
			if f := visit(d, stack); f > start {
				start, via[urn] = f, d
			}
		}
		delete(stack, urn)
		finish[urn] = start + g.cost[urn]
		return finish[urn]
	}
	for urn := range g.nodes {
		visit(urn, map[string]bool{})
	}
	return finish, via
}

// slowAncestors maps each resource to the slow resources it waits for,
// directly or through others, with the shortest chain of resources between.
func (g *graph) slowAncestors() map[string]map[string][]string {
	memo := map[string]map[string][]string{}
	var visit func(urn string) map[string][]string
	visit = func(urn string) map[string][]string {
		if m, ok := memo[urn]; ok {
			return m
		}
		memo[urn] = map[string][]string{}
		out := map[string][]string{}
		for _, d := range g.deps[urn] {
			if g.slow(d) {
				out[d] = nil
				continue // what d waits for is d's own business
			}
			for a, chain := range visit(d) {
				path := append([]string{d}, chain...)
				if old, ok := out[a]; !ok || len(path) < len(old) {
					out[a] = path
				}
			}
		}
		memo[urn] = out
		return out
	}
	for urn := range g.nodes {
		visit(urn)
	}
	return memo
}

// Analyze computes the critical path of `pulumi up` for a plan's resources.
func Analyze(resources []*offline.Resource) CriticalPath {
	g := newGraph(resources)
	ancestors := g.slowAncestors()

	allowed := func(from, to string) bool {
		_, ok := dataReasons[[2]string{g.nodes[from].Type, g.nodes[to].Type}]
		return ok
	}
	var cp CriticalPath
	for to, from := range ancestors {
		if !g.slow(to) {
			continue
		}
		for a, chain := range from {
			if allowed(a, to) {
				continue
			}
			var names []string
			for _, c := range chain {
				names = append(names, g.nodes[c].Name)
			}
			cp.Unjustified = append(cp.Unjustified, SlowWait{From: g.step(a, 0), To: g.step(to, 0), Via: names})
		}
	}
	sort.Slice(cp.Unjustified, func(i, j int) bool { return cp.Unjustified[i].String() < cp.Unjustified[j].String() })

	finish, via := g.finishTimes(nil)
	end := ""
	for urn, f := range finish {
		if f > cp.Seconds || (f == cp.Seconds && urn < end) {
			cp.Seconds, end = f, urn
		}
	}
	for urn := end; urn != ""; urn = via[urn] {
		cp.Steps = append([]PathStep{g.step(urn, finish[urn])}, cp.Steps...)
	}

	// The bound: a slow resource does not wait for a slow ancestor without a
	// data reason. Dropping the wait on the dependency that leads to it is
	// what "without the unneeded dependency" means.
	bound, _ := g.finishTimes(func(dep, res string) bool {
		if !g.slow(res) {
			return false
		}
		if g.slow(dep) {
			return !allowed(dep, res)
		}
		for a := range ancestors[dep] {
			if !allowed(a, res) {
				return true
			}
		}
		return false
	})
	for _, f := range bound {
		cp.BoundSeconds = max(cp.BoundSeconds, f)
	}
	return cp
}

func (g *graph) step(urn string, finish float64) PathStep {
	r := g.nodes[urn]
	return PathStep{URN: urn, Type: r.Type, Name: r.Name, Seconds: g.cost[urn], Finish: finish}
}
