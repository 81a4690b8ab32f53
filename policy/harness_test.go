package main_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/structpb"
)

// The harness builds pack binaries and starts them the way the engine does
// (plugin.newPlugin in sdk/go/common/resource/plugin/plugin.go): working
// directory the pack's folder, the engine's address as the argument, the
// port read from the first line of stdout, then a gRPC connection with the
// engine's 400 MiB message limit (rpcutil.GrpcChannelOptions).

var builds = struct {
	sync.Mutex
	dir  string
	bins map[string]string
}{bins: map[string]string{}}

// buildBinary compiles a main package of this module once per test binary
// ("." for the pack, "./internal/floor" for the control pack).
func buildBinary(tb testing.TB, pkg string) string {
	tb.Helper()
	builds.Lock()
	defer builds.Unlock()
	if bin, ok := builds.bins[pkg]; ok {
		return bin
	}
	if builds.dir == "" {
		dir, err := os.MkdirTemp("", "policy-bins-")
		require.NoError(tb, err)
		builds.dir = dir
	}
	bin := filepath.Join(builds.dir, strings.NewReplacer("/", "_", ".", "pack").Replace(pkg))
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Env = os.Environ()
	out, err := cmd.CombinedOutput()
	require.NoError(tb, err, "go build %s: %s", pkg, out)
	builds.bins[pkg] = bin
	return bin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builds.dir != "" {
		_ = os.RemoveAll(builds.dir)
	}
	os.Exit(code)
}

// running is a started pack process and its client.
type running struct {
	client  pulumirpc.AnalyzerClient
	cmd     *exec.Cmd
	startup time.Duration // from exec to the port printed
}

// startPack starts bin as the engine starts a policy pack and dials it.
func startPack(tb testing.TB, bin string, args []string, stderr io.Writer) *running {
	tb.Helper()
	if args == nil {
		args = []string{"127.0.0.1:1"}
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = "."
	stdout, err := cmd.StdoutPipe()
	require.NoError(tb, err)
	cmd.Stderr = stderr
	began := time.Now()
	require.NoError(tb, cmd.Start())
	tb.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	ports := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ports <- strings.TrimSpace(line)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	var port string
	select {
	case port = <-ports:
	case <-time.After(60 * time.Second):
		tb.Fatal("the pack printed no port")
	}
	startup := time.Since(began)
	require.Regexp(tb, `^\d+$`, port)
	conn, err := grpc.NewClient("127.0.0.1:"+port, grpc.WithTransportCredentials(insecure.NewCredentials()), rpcutil.GrpcChannelOptions())
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = conn.Close() })
	return &running{client: pulumirpc.NewAnalyzerClient(conn), cmd: cmd, startup: startup}
}

// peakRSS is the process's peak resident memory (VmHWM), in bytes.
func (r *running) peakRSS(tb testing.TB) int64 {
	tb.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", r.cmd.Process.Pid))
	require.NoError(tb, err)
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			require.NoError(tb, err)
			return kb << 10
		}
	}
	tb.Fatal("no VmHWM")
	return 0
}

// cpuTime is the CPU time the process's threads have run so far, from the
// scheduler's nanosecond accounting (/proc/<pid>/task/*/schedstat): unlike
// the wall clock, it does not count time spent waiting for a core on a
// busy machine.
func (r *running) cpuTime(tb testing.TB) time.Duration {
	tb.Helper()
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", r.cmd.Process.Pid))
	require.NoError(tb, err)
	var total time.Duration
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue // a thread that ended
		}
		fields := strings.Fields(string(b))
		if len(fields) == 0 {
			continue
		}
		ns, err := strconv.ParseInt(fields[0], 10, 64)
		require.NoError(tb, err)
		total += time.Duration(ns)
	}
	return total
}

// Engine-side property values.
type (
	secretV   struct{ v any }
	computedV struct{}
)

func toProp(tb testing.TB, v any) resource.PropertyValue {
	tb.Helper()
	switch x := v.(type) {
	case secretV:
		return resource.MakeSecret(toProp(tb, x.v))
	case computedV:
		return resource.MakeComputed(resource.NewProperty(""))
	case nil:
		return resource.NewNullProperty()
	case bool:
		return resource.NewProperty(x)
	case int:
		return resource.NewProperty(float64(x))
	case string:
		return resource.NewProperty(x)
	case []any:
		arr := make([]resource.PropertyValue, len(x))
		for i, e := range x {
			arr[i] = toProp(tb, e)
		}
		return resource.NewProperty(arr)
	case map[string]any:
		return resource.NewProperty(toPropMap(tb, x))
	}
	tb.Fatalf("unsupported %T", v)
	return resource.PropertyValue{}
}

func toPropMap(tb testing.TB, m map[string]any) resource.PropertyMap {
	out := resource.PropertyMap{}
	for k, v := range m {
		out[resource.PropertyKey(k)] = toProp(tb, v)
	}
	return out
}

// marshal encodes properties as the engine does for Analyze and
// AnalyzeStack (analyzer.Analyze in analyzer_plugin.go).
func marshal(tb testing.TB, m map[string]any) *structpb.Struct {
	tb.Helper()
	s, err := plugin.MarshalProperties(toPropMap(tb, m), plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipInternalKeys: true})
	require.NoError(tb, err)
	return s
}
