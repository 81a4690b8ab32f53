package parts

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// PhysicalName returns "<project>-<stack>-<name>" for resources whose AWS name
// must be chosen up front (an EKS cluster, a KMS alias, a log group other
// resources address by name), shortened to max characters with a stable hash
// so that two long names never collide.
func PhysicalName(ctx *pulumi.Context, name string, max int) string {
	full := strings.ToLower(ctx.Project() + "-" + ctx.Stack() + "-" + name)
	if len(full) <= max || max < 10 {
		return full
	}
	sum := sha256.Sum256([]byte(full))
	h := hex.EncodeToString(sum[:])[:8]
	return full[:max-9] + "-" + h
}

// nameTagMax is the longest tag value AWS accepts (256 characters, "Tag
// naming limits and requirements" of the AWS Tagging guide) less one.
const nameTagMax = 255

// Tags merges tag maps left to right and adds Name, the resource's physical
// name: what AWS and the console show. Component tags come first, the
// resource's own last. Resources of the platform are named by PhysicalName
// (use TagsFor); name is given outright only for resources whose AWS name
// is chosen outright (the bootstrap's bucket and roles).
func Tags(name string, maps ...map[string]string) pulumi.StringMap {
	out := pulumi.StringMap{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = pulumi.String(v)
		}
	}
	out["Name"] = pulumi.String(name)
	return out
}

// NameTag is the Name tag of the resource logically named name: its
// physical name, PhysicalName(ctx, name), "<project>-<stack>-<name>". It is
// the one meaning the Name tag has on every resource of the platform.
func NameTag(ctx *pulumi.Context, name string) string {
	return PhysicalName(ctx, name, nameTagMax)
}

// TagsFor is Tags for the resource logically named name (Name is
// NameTag(ctx, name)).
func TagsFor(ctx *pulumi.Context, name string, maps ...map[string]string) pulumi.StringMap {
	return Tags(NameTag(ctx, name), maps...)
}
