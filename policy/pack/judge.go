package pack

import (
	"fmt"
	"strings"
)

// Judgement helpers shared by the rule files. Each returns "" when there is
// nothing to report, including when the value is unknown (preview).

// awsManagedKey reports a key reference that names an AWS-managed key
// ("alias/aws/rds" or its ARN form), which the account cannot control.
func awsManagedKey(ref string) bool {
	return strings.Contains(ref, "alias/aws/")
}

// requireCMK judges a KMS key reference that must name a customer-managed key.
func requireCMK(n node, what, fix string) string {
	switch {
	case n.isUnknown():
		return ""
	case n.missing():
		return fmt.Sprintf("%s uses the AWS-managed key because `%s` is not set; %s", what, n.path, fix)
	}
	s, ok := n.str()
	switch {
	case !ok:
		return fmt.Sprintf("`%s` must be a KMS key ARN, got %s; %s", n.path, n.describe(), fix)
	case strings.TrimSpace(s) == "":
		return fmt.Sprintf("%s uses the AWS-managed key because `%s` is empty; %s", what, n.path, fix)
	case awsManagedKey(s):
		return fmt.Sprintf("%s names an AWS-managed key in `%s`; %s", what, n.path, fix)
	}
	return ""
}

// requireTrue judges a flag that must be true; missing counts as false.
func requireTrue(n node, msg string) string {
	if n.isUnknown() || n.isTrue() {
		return ""
	}
	if n.known() {
		if _, ok := n.bool(); !ok {
			return fmt.Sprintf("`%s` must be true, got %s; %s", n.path, n.describe(), msg)
		}
	}
	return msg
}

// forbidTrue judges a flag that must not be true; missing is fine.
func forbidTrue(n node, msg string) string {
	if n.isUnknown() || n.missing() {
		return ""
	}
	b, ok := n.bool()
	if !ok {
		return fmt.Sprintf("`%s` must be false, got %s; %s", n.path, n.describe(), msg)
	}
	if b {
		return msg
	}
	return ""
}

// requireSecret judges a credential: when it is known, non-empty and not a
// Pulumi secret, it would be stored in plaintext in the state and shown in
// diffs.
func requireSecret(n node, what, fix string) string {
	if !n.known() || n.secret {
		return ""
	}
	if s, ok := n.str(); ok && s == "" {
		return ""
	}
	return fmt.Sprintf("%s (`%s`) is not a Pulumi secret, so it is stored in plaintext in the state; %s", what, n.path, fix)
}

// atLeast judges a whole number that must reach a minimum.
func atLeast(n node, minimum int, what, fix string) string {
	if !n.known() {
		return ""
	}
	f, ok := n.num()
	if !ok {
		return fmt.Sprintf("`%s` must be a number, got %s; %s", n.path, n.describe(), fix)
	}
	if int(f) < minimum {
		return fmt.Sprintf("%s is %d, below the minimum of %d; %s", what, int(f), minimum, fix)
	}
	return ""
}

// collect drops empty messages.
func collect(msgs ...string) []string {
	var out []string
	for _, m := range msgs {
		if m != "" {
			out = append(out, m)
		}
	}
	return out
}

// atMost judges a whole number that must not exceed a maximum.
func atMost(n node, maximum int, what, fix string) string {
	if !n.known() {
		return ""
	}
	f, ok := n.num()
	if !ok {
		return fmt.Sprintf("`%s` must be a number, got %s; %s", n.path, n.describe(), fix)
	}
	if int(f) > maximum {
		return fmt.Sprintf("%s is %d, above the maximum of %d; %s", what, int(f), maximum, fix)
	}
	return ""
}
