package pack

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// Reading IAM policy documents (identity policies, trust policies, key,
// secret and topic policies) the way IAM evaluates them. Grammar:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
// Wildcards in actions and ARNs (`*`, `?`), case-insensitive actions:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html

// statements parses a policy document (a JSON string or an object) into its
// statements; an unknown or malformed document has none to judge.
func statements(doc node) []node {
	d, ok := doc.json()
	if !ok {
		return nil
	}
	sts, _ := d.get("Statement").list()
	return sts
}

func isAllow(st node) bool {
	e, _ := st.get("Effect").str()
	return e == "Allow"
}

// values reads a string-or-list element (Action, Resource, a principal
// list, a condition's values). unknown reports a value not known yet.
func values(n node) (vals []string, unknown bool) {
	if n.isUnknown() {
		return nil, true
	}
	if s, ok := n.str(); ok {
		return []string{s}, false
	}
	vals, unknown, _ = n.strings()
	return vals, unknown
}

// hasWildcard reports "*" as the value or one of the values.
func hasWildcard(n node) bool {
	vals, _ := values(n)
	return slices.Contains(vals, "*")
}

// wildcardPrincipal reports "*" or {"AWS": "*"}.
func wildcardPrincipal(p node) bool {
	return hasWildcard(p) || hasWildcard(p.get("AWS"))
}

// wildMatch matches s against an IAM pattern with `*` and `?`,
// case-insensitively when fold is set.
func wildMatch(pattern, s string, fold bool) bool {
	if fold {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	// Iterative glob matching with backtracking on the last `*`.
	p, i, star, mark := 0, 0, -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// grants reports whether an Allow statement grants action (through Action
// or NotAction); unknown reports that it cannot be told yet.
func grants(st node, action string) (yes, unknown bool) {
	if !isAllow(st) {
		return false, false
	}
	if na := st.get("NotAction"); !na.missing() {
		vals, unk := values(na)
		if unk {
			return false, true
		}
		for _, v := range vals {
			if wildMatch(v, action, true) {
				return false, false
			}
		}
		return true, false
	}
	vals, unk := values(st.get("Action"))
	for _, v := range vals {
		if wildMatch(v, action, true) {
			return true, false
		}
	}
	return false, unk
}

// coversAll reports whether a statement's resources include every resource
// of a kind, given a probe ARN of that kind (one no policy would name):
// "*", or an ARN pattern matching the probe in the service and resource
// fields whatever its region and account fields say.
func coversAll(st node, probe string) (yes, unknown bool) {
	if nr := st.get("NotResource"); !nr.missing() {
		vals, unk := values(nr)
		if unk {
			return false, true
		}
		for _, v := range vals {
			if arnPatternCovers(v, probe) {
				return false, false
			}
		}
		return true, false
	}
	vals, unk := values(st.get("Resource"))
	for _, v := range vals {
		if arnPatternCovers(v, probe) {
			return true, false
		}
	}
	return false, unk
}

func arnPatternCovers(pattern, probe string) bool {
	if pattern == "*" {
		return true
	}
	pf, pr := strings.SplitN(pattern, ":", 6), strings.SplitN(probe, ":", 6)
	if len(pf) != 6 || len(pr) != 6 || !strings.EqualFold(pf[0], "arn") {
		return false
	}
	// Service and resource decide the kind; region and account only narrow
	// "all keys" to all keys of one account, which is still all of them.
	return wildMatch(pf[2], pr[2], true) && wildMatch(pf[5], pr[5], false)
}

// condition is one condition of a statement: operator, key and values.
type condition struct {
	operator, key string
	values        []string
	unknown       bool
}

func conditions(st node) []condition {
	c := st.get("Condition")
	ops, _ := c.keys()
	var out []condition
	for _, op := range ops {
		keys, _ := c.get(op).keys()
		for _, k := range keys {
			vals, unk := values(c.get(op).get(k))
			if !unk {
				if b, ok := c.get(op).get(k).bool(); ok && len(vals) == 0 {
					vals = []string{map[bool]string{true: "true", false: "false"}[b]}
				}
			}
			out = append(out, condition{operator: op, key: k, values: vals, unknown: unk})
		}
	}
	return out
}

// principalRestrictingKeys are condition keys that bind who may act, by
// account, organization, source resource or the service acting for them.
// Keys: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
// (aws:SourceAccount, aws:SourceArn, aws:SourceOwner, aws:SourceOrgID,
// aws:SourceOrgPaths, aws:PrincipalAccount, aws:PrincipalArn,
// aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:SourceVpc, aws:SourceVpce)
// and https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
// (kms:CallerAccount, kms:ViaService). aws:CallerAccount is accepted as the
// spelling some policies use for kms:CallerAccount.
var principalRestrictingKeys = map[string]bool{
	"aws:sourceaccount": true, "aws:sourcearn": true, "aws:sourceowner": true, "aws:sourceorgid": true,
	"aws:sourceorgpaths": true, "aws:principalaccount": true, "aws:principalarn": true,
	"aws:principalorgid": true, "aws:principalorgpaths": true, "aws:sourcevpc": true, "aws:sourcevpce": true,
	"kms:calleraccount": true, "aws:calleraccount": true, "kms:viaservice": true,
}

// restrictingOperators compare a key with fixed values. IfExists variants
// pass when the key is absent (aws:SourceAccount is absent when a principal
// calls directly), ForAllValues passes on an empty set, and the negated
// operators admit everyone else: none of them restrict.
var restrictingOperators = map[string]bool{
	"stringequals": true, "stringequalsignorecase": true, "stringlike": true, "arnequals": true, "arnlike": true,
	"foranyvalue:stringequals": true, "foranyvalue:stringequalsignorecase": true, "foranyvalue:stringlike": true,
}

// fixedValue reports a condition value with no wildcard and no policy
// variable: what AWS Config's public-access rules count as restricting
// (https://docs.aws.amazon.com/config/latest/developerguide/sns-topic-no-public-access.html).
func fixedValue(v string) bool {
	return v != "" && !strings.ContainsAny(v, "*?") && !strings.Contains(v, "${")
}

// restricted reports whether a statement's conditions bind a wildcard
// principal to an account, organization, source or service with fixed
// values; unknown reports conditions not known yet.
func restricted(st node) (yes, unknown bool) {
	for _, c := range conditions(st) {
		if c.unknown {
			unknown = true
			continue
		}
		if !restrictingOperators[strings.ToLower(c.operator)] || !principalRestrictingKeys[strings.ToLower(c.key)] || len(c.values) == 0 {
			continue
		}
		all := true
		for _, v := range c.values {
			if !fixedValue(v) {
				all = false
			}
		}
		if all {
			return true, false
		}
	}
	return false, unknown
}

// openStatements are the Allow statements of a resource policy that let
// any principal in without a condition that restricts it, described for a
// message (their Sid, or their index).
func openStatements(doc node) []string {
	var out []string
	for i, st := range statements(doc) {
		if !isAllow(st) || !wildcardPrincipal(st.get("Principal")) {
			continue
		}
		if ok, unk := restricted(st); ok || unk {
			continue
		}
		out = append(out, statementName(st, i))
	}
	return out
}

func statementName(st node, i int) string {
	if sid, ok := st.get("Sid").str(); ok && sid != "" {
		return `"` + sid + `"`
	}
	return "#" + strconv.Itoa(i)
}

var (
	accountIDRE  = regexp.MustCompile(`^\d{12}$`)
	arnAccountRE = regexp.MustCompile(`^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):`)
)

// principalAccount returns the account an AWS principal value names (an
// account ID, or an IAM/STS ARN in it); ok is false for other values.
func principalAccount(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if accountIDRE.MatchString(v) {
		return v, true
	}
	if m := arnAccountRE.FindStringSubmatch(v); m != nil {
		return m[1], true
	}
	return "", false
}

// arnAccount returns the account field of any ARN.
func arnAccount(v string) (string, bool) {
	f := strings.SplitN(v, ":", 6)
	if len(f) == 6 && f[0] == "arn" && accountIDRE.MatchString(f[4]) {
		return f[4], true
	}
	return "", false
}

// homeAccounts are the accounts a resource's policy may name without
// granting anything to an outsider: the configured trustedAccountIds and
// the provider's allowedAccountIds (aws:allowedAccountIds in the stack
// file), plus any the caller derives from the resource itself.
func homeAccounts(r policyx.AnalyzerResource, s settings, derived ...string) map[string]bool {
	out := map[string]bool{}
	for _, a := range s.strs("trustedAccountIds") {
		out[a] = true
	}
	// Default providers get list-valued config as JSON text.
	if ids, ok := root(r.Provider.Properties).get("allowedAccountIds").json(); ok {
		vals, _ := values(ids)
		for _, a := range vals {
			out[a] = true
		}
	}
	for _, a := range derived {
		if a != "" {
			out[a] = true
		}
	}
	return out
}

// awsPrincipals lists the AWS principal values of a statement.
func awsPrincipals(st node) (vals []string, unknown bool) {
	p := st.get("Principal")
	if s, ok := p.str(); ok {
		return []string{s}, false
	}
	return values(p.get("AWS"))
}

// foreignPrincipals lists the AWS principals of Allow statements that name
// an account outside home. With no home account known, nothing can be
// called foreign.
func foreignPrincipals(doc node, home map[string]bool) []string {
	if len(home) == 0 {
		return nil
	}
	var out []string
	for _, st := range statements(doc) {
		if !isAllow(st) {
			continue
		}
		vals, _ := awsPrincipals(st)
		for _, v := range vals {
			if a, ok := principalAccount(v); ok && !home[a] {
				out = append(out, v)
			}
		}
	}
	return out
}

// trustedAccountsProp is the schema of the trustedAccountIds setting the
// rules that judge cross-account access share.
func trustedAccountsProp() map[string]any {
	p := stringListProp("Account IDs besides the stack's own (the provider's allowedAccountIds, and the account the resource itself names) that policies may grant access to.", nil)
	p["items"] = map[string]any{"type": "string", "pattern": `^\d{12}$`}
	return p
}
