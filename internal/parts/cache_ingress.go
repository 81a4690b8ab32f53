package parts

import (
	"fmt"
	"maps"
	"regexp"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/internal/check"
)

var sourceNameRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)

// ValidateSources checks the sources a component hands to AllowFrom before
// anything is registered: each name becomes part of a rule's resource name
// (lower-case letters, digits and inner hyphens), and each needs a security
// group ID. Problems are reported under ingressFrom["<name>"].
func ValidateSources(sources map[string]pulumi.StringInput) error {
	var p check.Problems
	for _, src := range slices.Sorted(maps.Keys(sources)) {
		path := fmt.Sprintf("ingressFrom[%q]", src)
		if !sourceNameRE.MatchString(src) {
			p.Addf(path, "source names must be lower-case letters, digits and inner hyphens (they name the rule)")
		}
		if sources[src] == nil {
			p.Addf(path, "needs a security group ID")
		}
	}
	return p.Err()
}
