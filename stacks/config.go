package stacks

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/components/broker"
	"github.com/acme/platform/components/cluster"
	"github.com/acme/platform/components/network"
	"github.com/acme/platform/components/postgres"
	"github.com/acme/platform/components/redis"
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
	// Cluster is platform:cluster.
	Cluster cluster.Config
	// Database is platform:database.
	Database postgres.Config
	// Cache is platform:cache.
	Cache redis.Config
	// Broker is platform:broker.
	Broker broker.Config
}

// ObjectKeys are the config objects Load reads, under the project's
// namespace. ScalarKeys are the scalars, declared in Pulumi.yaml.
var (
	ObjectKeys = []string{"network", "cluster", "database", "cache", "broker"}
	ScalarKeys = []string{"protect"}
)

// Defaults returns the configuration of a stack whose file sets nothing.
func Defaults() Config {
	return Config{
		Network:  network.DefaultConfig(),
		Cluster:  cluster.DefaultConfig(),
		Database: postgres.DefaultConfig(),
		Cache:    redis.DefaultConfig(),
		Broker:   broker.DefaultConfig(),
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
	loadObject(ctx, &p, "cluster", &cfg.Cluster)
	loadObject(ctx, &p, "database", &cfg.Database)
	loadObject(ctx, &p, "cache", &cfg.Cache)
	loadObject(ctx, &p, "broker", &cfg.Broker)
	if p.Len() == 0 {
		crossCheck(ctx, &p, cfg)
	}
	return cfg, p.Err()
}

// crossCheck reports combinations that each object accepts on its own but
// that cannot work together.
func crossCheck(ctx *pulumi.Context, p *check.Problems, cfg Config) {
	key := func(k string) string { return ctx.Project() + ":" + k }
	if need := broker.SubnetsNeeded(cfg.Broker.DeploymentMode); need > cfg.Network.AZCount {
		p.Addf(key("broker.deploymentMode"), "%s needs private subnets in %d availability zones, but %s is %d",
			cfg.Broker.DeploymentMode, need, key("network.azCount"), cfg.Network.AZCount)
	}
}
