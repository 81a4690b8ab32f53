package stacks

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/components/network"
	"github.com/acme/platform/internal/check"
)

// Config is a stack's typed configuration: one object per component plus a
// few stack-wide scalars.
type Config struct {
	// Protect (platform:protect, default false) marks stateful resources
	// protect=true, so the engine refuses to delete or replace them.
	Protect bool
	// Network is platform:network.
	Network network.Config
}

// ObjectKeys are the config objects Load reads, under the project's
// namespace. ScalarKeys are the scalars, declared in Pulumi.yaml.
var (
	ObjectKeys = []string{"network"}
	ScalarKeys = []string{"protect"}
)

// Defaults returns the configuration of a stack whose file sets nothing.
func Defaults() Config {
	return Config{
		Network: network.DefaultConfig(),
	}
}

// Load reads and validates the stack's configuration. Every problem is
// reported at once, each naming its key ("platform:network.azCount: must be
// between 2 and 6, got 9"), and Load runs before any resource is registered.
func Load(ctx *pulumi.Context) (Config, error) {
	cfg := Defaults()
	var p check.Problems
	loadBool(ctx, &p, "protect", &cfg.Protect)
	loadObject(ctx, &p, "network", &cfg.Network)
	return cfg, p.Err()
}
