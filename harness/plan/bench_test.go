package plan_test

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/harness/plan"
	"github.com/acme/platform/policy/pack"
	"github.com/acme/platform/stacks"
)

// The figures of these benchmarks are in docs/performance.md. Targets: the
// prod program plus every policy under 1 s; 10,000 resources through every
// policy under 2 s; under 1 GiB of memory at 50,000 resources.

// BenchmarkProgramProd runs the whole prod program under mocks.
func BenchmarkProgramProd(b *testing.B) {
	cfg := offlinetest.StackConfig(b, "prod")
	b.ReportAllocs()
	for b.Loop() {
		rec, err := offline.Run(cfg, true, stacks.Run)
		if err != nil {
			b.Fatal(err)
		}
		if len(rec.Resources()) == 0 {
			b.Fatal("nothing registered")
		}
	}
}

// BenchmarkPolicyProd runs every policy over the prod graph.
func BenchmarkPolicyProd(b *testing.B) {
	res, err := plan.Run(plan.Options{Dir: offlinetest.RepoRoot(b), Stack: "prod"})
	require.NoError(b, err)
	resources := res.AnalyzerResources()
	cfg, err := pack.LoadConfig(offlinetest.RepoRoot(b) + "/policy/config/prod.json")
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pack.Evaluate(resources, cfg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(resources)), "ns/resource")
	b.ReportMetric(float64(len(resources)), "resources")
}

// BenchmarkPlanEndToEnd is cmd/plan without the printing: the program under
// mocks, the policy pack and the critical path.
func BenchmarkPlanEndToEnd(b *testing.B) {
	for _, stack := range []string{"dev", "prod"} {
		b.Run(stack, func(b *testing.B) {
			root := offlinetest.RepoRoot(b)
			b.ReportAllocs()
			for b.Loop() {
				res, err := plan.Run(plan.Options{Dir: root, Stack: stack, PolicyConfigPath: root + "/policy/config/" + stack + ".json"})
				if err != nil {
					b.Fatal(err)
				}
				if res.ExitCode() != 0 {
					b.Fatalf("%s has mandatory violations", stack)
				}
			}
		})
	}
}

// BenchmarkPolicySynthetic runs every policy over synthetic stacks made of
// copies of the prod graph, to show that the cost grows linearly. It reports
// the time per resource and the peak heap.
func BenchmarkPolicySynthetic(b *testing.B) {
	base := prodResources(b)
	for _, n := range []int{1000, 10000, 50000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			resources := Synthetic(base, n)
			runtime.GC()
			stop := watchHeap()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := pack.Evaluate(resources, pack.Config{}); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			peak := stop()
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/resource")
			b.ReportMetric(float64(peak)/(1<<20), "MiB-peak-heap")
		})
	}
}

func prodResources(tb testing.TB) []policyx.AnalyzerResource {
	tb.Helper()
	return stackResources(tb, "prod")
}

func stackResources(tb testing.TB, stack string) []policyx.AnalyzerResource {
	tb.Helper()
	res, err := plan.Run(plan.Options{Dir: offlinetest.RepoRoot(tb), Stack: stack})
	require.NoError(tb, err)
	return res.AnalyzerResources()
}

// Synthetic returns n resources made of renamed copies of base (the stack
// resource kept once), each copy linked within itself as the original is.
func Synthetic(base []policyx.AnalyzerResource, n int) []policyx.AnalyzerResource {
	out := make([]policyx.AnalyzerResource, 0, n)
	out = append(out, base[0]) // the stack resource
	for c := 0; len(out) < n; c++ {
		suffix := fmt.Sprintf("-copy%d", c)
		rename := func(urn string) string {
			if urn == "" || strings.Contains(urn, "pulumi:pulumi:Stack") {
				return urn
			}
			return urn + suffix
		}
		for _, r := range base[1:] {
			if len(out) == n {
				break
			}
			cp := r
			cp.URN = rename(r.URN)
			cp.Name = r.Name + suffix
			cp.Parent = rename(r.Parent)
			cp.Dependencies = make([]string, len(r.Dependencies))
			for i, d := range r.Dependencies {
				cp.Dependencies[i] = rename(d)
			}
			cp.PropertyDependencies = make(map[string][]string, len(r.PropertyDependencies))
			for k, ds := range r.PropertyDependencies {
				renamed := make([]string, len(ds))
				for i, d := range ds {
					renamed[i] = rename(d)
				}
				cp.PropertyDependencies[k] = renamed
			}
			out = append(out, cp)
		}
	}
	return out
}

// watchHeap samples the heap in use until the returned function is called,
// which reports the peak.
func watchHeap() func() uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak.Load()
	}
}

// The synthetic stacks really are n resources of the prod shapes, and the
// pack finds as many violations in n copies as in one times the copies
// (each copy is judged on its own; nothing leaks between copies).
func TestSyntheticStacksScaleTheGraph(t *testing.T) {
	t.Parallel()
	base := stackResources(t, "dev")
	n := 1 + 3*(len(base)-1)
	resources := Synthetic(base, n)
	require.Len(t, resources, n)
	seen := map[string]bool{}
	for _, r := range resources {
		require.False(t, seen[r.URN], "URNs are unique: %s", r.URN)
		seen[r.URN] = true
	}
	one, err := pack.Evaluate(base, pack.Config{"all": {EnforcementLevel: pack.Advisory}})
	require.NoError(t, err)
	three, err := pack.Evaluate(resources, pack.Config{"all": {EnforcementLevel: pack.Advisory}})
	require.NoError(t, err)
	require.NotEmpty(t, one, "dev has advisory findings to count")
	perStack := 0
	for _, v := range one {
		if strings.Contains(v.URN, "pulumi:pulumi:Stack") {
			perStack++
		}
	}
	require.Equal(t, 3*(len(one)-perStack)+perStack, len(three))
}
