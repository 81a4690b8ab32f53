package plan

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Approvals. A change that loses something (a rotation draws a new
// password, a migration moves data) can be made on purpose; the gate lets
// it through only when the pull request says so in a file it changes, one
// line per resource with the reason, so that the approval is reviewed with
// the change and shows in the report:
//
//	# .github/replacements.allow
//	--allow-replace urn:pulumi:prod::platform::platform:data:Cache$random:index/randomPassword:RandomPassword::cache-auth-token  rotate the cache AUTH token (docs/operations.md)
//	--allow-delete  urn:pulumi:dev::platform::...::old-thing  moved to the new account
//
// Blank lines and lines starting with # are ignored.

// Approval lets one replacement or deletion through.
type Approval struct {
	Kind   ChangeKind // Replace or Delete
	URN    string
	Reason string
	// Where is "file:line".
	Where string
}

// LoadApprovals reads an approvals file; every malformed line is reported,
// with its line number.
func LoadApprovals(path string) ([]Approval, error) {
	raw, err := os.ReadFile(path) //nolint:gosec // the path is the user's own argument
	if err != nil {
		return nil, fmt.Errorf("approvals: %w", err)
	}
	return ParseApprovals(path, raw)
}

// ParseApprovals parses the text of an approvals file named name.
func ParseApprovals(name string, raw []byte) ([]Approval, error) {
	var out []Approval
	var problems []string
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		where := fmt.Sprintf("%s:%d", name, n)
		fields := strings.Fields(line)
		var kind ChangeKind
		switch fields[0] {
		case "--allow-replace":
			kind = Replace
		case "--allow-delete":
			kind = Delete
		default:
			problems = append(problems, fmt.Sprintf("%s: a line is `--allow-replace <urn> <reason>` or `--allow-delete <urn> <reason>`, got %q", where, fields[0]))
			continue
		}
		if len(fields) < 2 || !resource.URN(fields[1]).IsValid() {
			problems = append(problems, fmt.Sprintf("%s: %s needs the resource's URN (urn:pulumi:<stack>::<project>::<type>::<name>, as the plan prints it)", where, fields[0]))
			continue
		}
		if len(fields) < 3 {
			problems = append(problems, fmt.Sprintf("%s: say why after the URN: the reason is shown in the plan and reviewed with the change", where))
			continue
		}
		reason := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(strings.TrimPrefix(line, fields[0])), fields[1]))
		out = append(out, Approval{Kind: kind, URN: fields[1], Reason: reason, Where: where})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("approvals %s: %w", name, err)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("approvals %s:\n%s", name, strings.Join(problems, "\n"))
	}
	return out, nil
}

// Verdict is what the replacement gate decides about a set of changes.
type Verdict struct {
	Changes []Change
	// Blocking are the replacements and deletions that lose something,
	// were not superseded and were not approved: the gate fails on them.
	Blocking []Change
	// Approved are those an approval let through, with it.
	Approved []ApprovedChange
	// Superseded are deletions of resources that hold no data, taken over
	// by a successor: reported, not blocking.
	Superseded []Change
	// Unused are approvals that match no replacement or deletion.
	Unused []Approval
}

// ApprovedChange is a change and the approval that let it through.
type ApprovedChange struct {
	Change   Change
	Approval Approval
}

// Passed reports whether nothing blocks.
func (v Verdict) Passed() bool { return len(v.Blocking) == 0 }

// Judge applies the gate to changes with the given approvals.
func Judge(changes []Change, approvals []Approval) Verdict {
	v := Verdict{Changes: changes}
	used := make([]bool, len(approvals))
	for _, c := range changes {
		if c.Kind != Replace && c.Kind != Delete {
			continue
		}
		if c.SupersededBy != "" {
			v.Superseded = append(v.Superseded, c)
			continue
		}
		if c.Loses == "" {
			continue
		}
		approved := false
		for i, a := range approvals {
			if a.Kind == c.Kind && a.URN == c.URN {
				v.Approved = append(v.Approved, ApprovedChange{Change: c, Approval: a})
				used[i], approved = true, true
				break
			}
		}
		if !approved {
			v.Blocking = append(v.Blocking, c)
		}
	}
	for i, a := range approvals {
		if !used[i] {
			v.Unused = append(v.Unused, a)
		}
	}
	return v
}
