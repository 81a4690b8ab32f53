package offline

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// yamlError reports a stack file that is not valid YAML at the line that
// makes it invalid. yaml.v3 often names the line where the enclosing
// mapping began (an indentation slip on line 18 reads "line 4: did not
// find expected key"), so the file's prefixes are parsed in turn: the line
// is the first after which no longer prefix parses again (a prefix that
// merely stops inside a flow list or a quoted string recovers once it is
// closed).
func yamlError(file string, raw []byte, err error) error {
	lines := strings.SplitAfter(string(raw), "\n")
	bad, why := 0, ""
	for n := len(lines); n >= 1; n-- {
		var v any
		perr := yaml.Unmarshal([]byte(strings.Join(lines[:n], "")), &v)
		if perr == nil {
			break
		}
		bad, why = n, perr.Error()
	}
	if bad == 0 {
		return fmt.Errorf("%s: not valid YAML: %w", file, err)
	}
	why = strings.TrimPrefix(strings.TrimPrefix(why, "yaml: "), "unmarshal errors:\n")
	why = yamlLinePrefixRE.ReplaceAllString(strings.TrimSpace(why), "")
	return fmt.Errorf("%s:%d: not valid YAML (%s), at or just before %q", file, bad, why, strings.TrimSpace(lines[bad-1]))
}

var yamlLinePrefixRE = regexp.MustCompile(`^line \d+: `)

// keyLines maps every configuration path of a stack file to its line.
func keyLines(project string, raw []byte) map[string]int {
	var doc yaml.Node
	if yaml.Unmarshal(raw, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	out := map[string]int{}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "config" {
			continue
		}
		cfg := root.Content[i+1]
		for j := 0; j+1 < len(cfg.Content); j += 2 {
			k, v := cfg.Content[j], cfg.Content[j+1]
			walkLines(qualify(project, k.Value), k.Line, v, out)
		}
	}
	return out
}

func walkLines(path string, line int, n *yaml.Node, out map[string]int) {
	out[path] = line
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			// Problems name a map's key either way: .key, or ["key"]
			// where the key holds a dot, slash or space.
			k := n.Content[i].Value
			out[path+"["+strconv.Quote(k)+"]"] = n.Content[i].Line
			walkLines(path+"."+k, n.Content[i].Line, n.Content[i+1], out)
		}
	case yaml.SequenceNode:
		for i, e := range n.Content {
			walkLines(fmt.Sprintf("%s[%d]", path, i), e.Line, e, out)
		}
	}
}

// problemRE is one reported problem: "<key path>: <message>".
var problemRE = regexp.MustCompile(`^([A-Za-z0-9_-]+:[^\s:]*(?:\[[^\]]*\])*[^\s:]*): `)

// Locate returns err with each problem line that names a configuration
// path prefixed by where the stack file sets it ("Pulumi.dev.yaml:12:
// platform:network.azCount: ..."); a path the file does not set is located
// at its nearest enclosing key the file does set. Without a stack file, err
// is returned as it is.
func (c StackConfig) Locate(err error) error {
	if err == nil || c.File == "" || len(c.lines) == 0 {
		return err
	}
	text := strings.Split(err.Error(), "\n")
	changed := false
	for i, l := range text {
		m := problemRE.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		if line := c.lineOf(m[1]); line > 0 {
			text[i] = fmt.Sprintf("%s:%d: %s", c.File, line, l)
			changed = true
		}
	}
	if !changed {
		return err
	}
	return &located{msg: strings.Join(text, "\n"), err: err}
}

// lineOf finds the line of path or of its nearest enclosing path.
func (c StackConfig) lineOf(path string) int {
	for p := path; p != ""; p = parentPath(p) {
		if line, ok := c.lines[p]; ok {
			return line
		}
	}
	return 0
}

// parentPath drops the last segment of a path: ".name", "[0]" or `["a.b"]`.
func parentPath(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndex(p, "["); i > 0 {
			return p[:i]
		}
	}
	i := strings.LastIndex(p, ".")
	if j := strings.LastIndex(p, ":"); i < j {
		return "" // the namespace's colon: nothing encloses a top-level key
	}
	if i < 0 {
		return ""
	}
	return p[:i]
}

type located struct {
	msg string
	err error
}

func (l *located) Error() string { return l.msg }
func (l *located) Unwrap() error { return l.err }
