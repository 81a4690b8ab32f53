// Command testreport turns `go test -json` into the usual `go test` output
// and ends it with what the usual output hides: every skipped test, with its
// reason. `make test` pipes both modules' tests through it, so a run where
// the PostgreSQL tests were skipped (no server) says so instead of printing
// a plain "ok".
//
//	go test -json ./... | testreport
//
// It prints each package's summary line (ok, FAIL, no test files), the
// output of failed tests and of packages that failed or did not build, then
// the skipped tests. It exits 1 if anything failed, 0 otherwise.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// event is one line of `go test -json` (cmd/test2json's TestEvent, plus the
// build events go test emits since Go 1.24).
type event struct {
	Action      string
	Package     string
	ImportPath  string
	Test        string
	Output      string
	FailedBuild string
}

type skip struct{ pkg, test, reason string }

type report struct {
	out io.Writer
	// err is the first error writing out.
	err     error
	failed  bool
	skipped []skip
	// Output not yet printed: per package (package-level lines) and per
	// test; printed only if it failed.
	pkgOut  map[string][]string
	testOut map[[2]string][]string
}

func main() {
	r := &report{out: os.Stdout, pkgOut: map[string][]string{}, testOut: map[[2]string][]string{}}
	if err := r.read(os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, "testreport:", err)
		os.Exit(2)
	}
	r.summary()
	if r.err != nil {
		fmt.Fprintln(os.Stderr, "testreport:", r.err)
		os.Exit(2)
	}
	if r.failed {
		os.Exit(1)
	}
}

// print writes to the report's output, keeping the first error.
func (r *report) print(format string, args ...any) {
	if _, err := fmt.Fprintf(r.out, format, args...); err != nil && r.err == nil {
		r.err = err
	}
}

// read consumes the event stream. Lines that are not JSON (the go command's
// own messages) are passed through.
func (r *report) read(in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			r.print("%s\n", line)
			continue
		}
		r.handle(e)
	}
	return sc.Err()
}

func (r *report) handle(e event) {
	key := [2]string{e.Package, e.Test}
	switch {
	case e.Action == "build-output":
		r.pkgOut[e.ImportPath] = append(r.pkgOut[e.ImportPath], e.Output)
	case e.Action == "build-fail":
		r.failed = true
		r.flush(r.pkgOut[e.ImportPath])
		delete(r.pkgOut, e.ImportPath)
	case e.Test == "" && e.Action == "output":
		if summaryLine(e.Output) {
			r.print("%s", e.Output)
			return
		}
		if e.Output == "PASS\n" || e.Output == "FAIL\n" {
			return // the summary line says it
		}
		r.pkgOut[e.Package] = append(r.pkgOut[e.Package], e.Output)
	case e.Test == "" && e.Action == "fail":
		r.failed = true
		r.flush(r.pkgOut[e.Package])
		delete(r.pkgOut, e.Package)
	case e.Test == "" && (e.Action == "pass" || e.Action == "skip"):
		delete(r.pkgOut, e.Package)
	case e.Action == "output":
		r.testOut[key] = append(r.testOut[key], e.Output)
	case e.Action == "fail":
		r.failed = true
		r.flush(r.testOut[key])
		delete(r.testOut, key)
	case e.Action == "skip":
		r.skipped = append(r.skipped, skip{e.Package, e.Test, reason(r.testOut[key])})
		delete(r.testOut, key)
	case e.Action == "pass":
		delete(r.testOut, key)
	}
}

// summaryLine reports whether a package-level line is one plain `go test`
// prints: "ok", "FAIL" or "?" followed by the package.
func summaryLine(s string) bool {
	for _, p := range []string{"ok  \t", "FAIL\t", "?   \t"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// flush prints buffered output, without the === progress lines -v adds.
func (r *report) flush(lines []string) {
	for _, l := range lines {
		if strings.HasPrefix(l, "=== ") {
			continue
		}
		r.print("%s", l)
	}
}

// reason is what a skipped test logged, without the progress lines.
func reason(lines []string) string {
	var parts []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- SKIP") {
			continue
		}
		// Drop the "file_test.go:42: " prefix of t.Skip's message.
		if i := strings.Index(t, ".go:"); i > 0 && !strings.Contains(t[:i], " ") {
			if j := strings.Index(t[i+4:], ": "); j >= 0 {
				t = t[i+4+j+2:]
			}
		}
		parts = append(parts, t)
	}
	return strings.Join(parts, " ")
}

// summary lists the skipped tests, package by package.
func (r *report) summary() {
	if len(r.skipped) == 0 {
		return
	}
	slices.SortStableFunc(r.skipped, func(a, b skip) int { return strings.Compare(a.pkg, b.pkg) })
	noun := "tests"
	if len(r.skipped) == 1 {
		noun = "test"
	}
	r.print("\nSKIP\t%d %s did not run:\n", len(r.skipped), noun)
	for _, s := range r.skipped {
		r.print("  %s %s: %s\n", s.pkg, s.test, s.reason)
	}
}
