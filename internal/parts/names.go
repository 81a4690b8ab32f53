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

// Tags merges tag maps left to right and adds Name. Component tags come first,
// the resource's own last.
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
