package stacks_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/offline"
)

// The Name tag has one meaning on every resource of both stacks, whether a
// component or a part of internal/parts tags it: the physical name,
// "<project>-<stack>-<name>" (parts.NameTag), never a logical name alone.
// Launch templates pass it on to the instances, volumes and interfaces.
func TestNameTagIsThePhysicalName(t *testing.T) {
	t.Parallel()
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			prefix := "platform-" + stack + "-"
			tagged := 0
			for _, r := range runStack(t, stack).Resources() {
				paths := []string{"tags.Name"}
				if r.Type == "aws:ec2/launchTemplate:LaunchTemplate" {
					paths = append(paths, "tagSpecifications[0].tags.Name", "tagSpecifications[1].tags.Name", "tagSpecifications[2].tags.Name")
				}
				for _, p := range paths {
					v, _, ok := offline.Get(r.Inputs, p)
					if !ok {
						continue
					}
					tagged++
					require.Truef(t, v.IsString() && strings.HasPrefix(v.StringValue(), prefix),
						"%s %s: %s is %v, not a physical name (%s...)", r.Type, r.Name, p, v, prefix)
				}
			}
			require.Greater(t, tagged, 100, "the stack's resources carry Name tags")
		})
	}
}
