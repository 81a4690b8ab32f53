package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func run(t *testing.T, stream string) (string, bool) {
	t.Helper()
	var out bytes.Buffer
	r := &report{out: &out, pkgOut: map[string][]string{}, testOut: map[[2]string][]string{}}
	require.NoError(t, r.read(strings.NewReader(stream)))
	r.summary()
	return out.String(), r.failed
}

// A passing run with skipped tests prints the ok lines and then names every
// skipped test with its reason.
func TestSkipsAreReported(t *testing.T) {
	t.Parallel()
	out, failed := run(t, `{"Action":"start","Package":"example.com/db"}
{"Action":"run","Package":"example.com/db","Test":"TestRoles"}
{"Action":"output","Package":"example.com/db","Test":"TestRoles","Output":"=== RUN   TestRoles\n"}
{"Action":"output","Package":"example.com/db","Test":"TestRoles","Output":"    sql_test.go:57: PostgreSQL test server unavailable, skipping (start it with .ci/start-postgres.sh)\n"}
{"Action":"output","Package":"example.com/db","Test":"TestRoles","Output":"--- SKIP: TestRoles (0.00s)\n"}
{"Action":"skip","Package":"example.com/db","Test":"TestRoles","Elapsed":0}
{"Action":"run","Package":"example.com/db","Test":"TestConfig"}
{"Action":"output","Package":"example.com/db","Test":"TestConfig","Output":"    config_test.go:9: a log line of a passing test\n"}
{"Action":"pass","Package":"example.com/db","Test":"TestConfig","Elapsed":0}
{"Action":"output","Package":"example.com/db","Output":"PASS\n"}
{"Action":"output","Package":"example.com/db","Output":"ok  \texample.com/db\t0.012s\n"}
{"Action":"pass","Package":"example.com/db","Elapsed":0.012}
{"Action":"output","Package":"example.com/util","Output":"?   \texample.com/util\t[no test files]\n"}
{"Action":"skip","Package":"example.com/util","Elapsed":0}
`)
	require.False(t, failed)
	require.Equal(t, "ok  \texample.com/db\t0.012s\n"+
		"?   \texample.com/util\t[no test files]\n"+
		"\nSKIP\t1 test did not run:\n"+
		"  example.com/db TestRoles: PostgreSQL test server unavailable, skipping (start it with .ci/start-postgres.sh)\n", out)
}

// A failure prints the failed test's output and the package's FAIL line,
// and makes the report fail.
func TestFailuresArePrinted(t *testing.T) {
	t.Parallel()
	out, failed := run(t, `{"Action":"run","Package":"example.com/a","Test":"TestX"}
{"Action":"output","Package":"example.com/a","Test":"TestX","Output":"=== RUN   TestX\n"}
{"Action":"output","Package":"example.com/a","Test":"TestX","Output":"    x_test.go:3: want 1, got 2\n"}
{"Action":"output","Package":"example.com/a","Test":"TestX","Output":"--- FAIL: TestX (0.00s)\n"}
{"Action":"fail","Package":"example.com/a","Test":"TestX","Elapsed":0}
{"Action":"output","Package":"example.com/a","Output":"FAIL\n"}
{"Action":"output","Package":"example.com/a","Output":"FAIL\texample.com/a\t0.010s\n"}
{"Action":"fail","Package":"example.com/a","Elapsed":0.01}
`)
	require.True(t, failed)
	require.Equal(t, "    x_test.go:3: want 1, got 2\n--- FAIL: TestX (0.00s)\nFAIL\texample.com/a\t0.010s\n", out)
}

// A package that does not build fails the report with the compiler's output.
func TestBuildFailures(t *testing.T) {
	t.Parallel()
	out, failed := run(t, `{"ImportPath":"example.com/b [example.com/b.test]","Action":"build-output","Output":"# example.com/b\n"}
{"ImportPath":"example.com/b [example.com/b.test]","Action":"build-output","Output":"b.go:3:1: syntax error\n"}
{"ImportPath":"example.com/b [example.com/b.test]","Action":"build-fail"}
{"Action":"start","Package":"example.com/b"}
{"Action":"output","Package":"example.com/b","Output":"FAIL\texample.com/b [build failed]\n"}
{"Action":"fail","Package":"example.com/b","Elapsed":0,"FailedBuild":"example.com/b [example.com/b.test]"}
`)
	require.True(t, failed)
	require.Equal(t, "# example.com/b\nb.go:3:1: syntax error\nFAIL\texample.com/b [build failed]\n", out)
}
