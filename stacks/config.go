package stacks

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/acme/platform/components/backup"
	"github.com/acme/platform/components/broker"
	"github.com/acme/platform/components/cluster"
	"github.com/acme/platform/components/monitoring"
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
	// Backup is platform:backup.
	Backup backup.Config
	// Monitoring is platform:monitoring.
	Monitoring monitoring.Config

	// Region is aws:region, the stack's primary region.
	Region string
	// DefaultTags are aws:defaultTags; the default provider applies them,
	// and a second provider (the DR region's) is given them explicitly.
	DefaultTags map[string]string
	// CLI is how the AWS CLI the program runs (the kubeconfig's `aws eks
	// get-token`, node-group commands) authenticates: as the AWS provider
	// does, from aws:profile and aws:assumeRole.
	CLI cluster.AWSCLI
}

// ObjectKeys are the config objects Load reads, under the project's
// namespace. ScalarKeys are the scalars, declared in Pulumi.yaml.
var (
	ObjectKeys = []string{"network", "cluster", "database", "cache", "broker", "backup", "monitoring"}
	ScalarKeys = []string{"protect"}
)

// Defaults returns the configuration of a stack whose file sets nothing.
func Defaults() Config {
	return Config{
		Network:    network.DefaultConfig(),
		Cluster:    cluster.DefaultConfig(),
		Database:   postgres.DefaultConfig(),
		Cache:      redis.DefaultConfig(),
		Broker:     broker.DefaultConfig(),
		Backup:     backup.DefaultConfig(),
		Monitoring: monitoring.DefaultConfig(),
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
	loadObject(ctx, &p, "backup", &cfg.Backup)
	loadObject(ctx, &p, "monitoring", &cfg.Monitoring)
	loadAWS(ctx, &p, &cfg)
	if p.Len() == 0 {
		crossCheck(ctx, &p, cfg)
	}
	return cfg, p.Err()
}

// crossCheck reports combinations that each object accepts on its own but
// that cannot work together.
func crossCheck(ctx *pulumi.Context, p *check.Problems, cfg Config) {
	key := func(k string) string { return ctx.Project() + ":" + k }
	if cfg.Backup.DRRegion != "" && cfg.Backup.DRRegion == cfg.Region {
		p.Addf(key("backup.drRegion"), "must be another region than aws:region (%s): copies in the same region do not survive its loss", cfg.Region)
	}
	if need := broker.SubnetsNeeded(cfg.Broker.DeploymentMode); need > cfg.Network.AZCount {
		p.Addf(key("broker.deploymentMode"), "%s needs private subnets in %d availability zones, but %s is %d",
			cfg.Broker.DeploymentMode, need, key("network.azCount"), cfg.Network.AZCount)
	}
	checkPrivateCluster(p, key, cfg)
}

// PrivateClusterEndpoints are the VPC endpoints nodes need without NAT: to
// register (ec2), pull images from ECR (ecr.api, ecr.dkr, and s3 for the
// layers) and get IRSA credentials (sts). EKS UG private-clusters.adoc,
// "Requirements".
var PrivateClusterEndpoints = []string{"ec2", "ecr.api", "ecr.dkr", "sts"}

// checkPrivateCluster refuses natMode none where the cluster cannot work
// without internet egress: the in-cluster layer pulls the autoscaler's and
// metrics-server's images from registry.k8s.io and the bootstrap Job's from
// public.ecr.aws, and downloads the RDS certificate bundle, none of which a
// VPC endpoint serves; and nodes need the endpoints above.
func checkPrivateCluster(p *check.Problems, key func(string) string, cfg Config) {
	if cfg.Network.NATMode != network.NATNone {
		return
	}
	if cfg.Cluster.InClusterOn() {
		p.Addf(key("network.natMode"), "none leaves the cluster no way to the internet, where the in-cluster layer's images (registry.k8s.io, public.ecr.aws) and the RDS certificate bundle come from: use %q or %q, or set %s to false",
			network.NATSingle, network.NATPerAZ, key("cluster.inClusterLayer"))
		return
	}
	var missing []string
	for _, e := range PrivateClusterEndpoints {
		if !slices.Contains(cfg.Network.InterfaceEndpoints, e) {
			missing = append(missing, e)
		}
	}
	if !slices.Contains(cfg.Network.GatewayEndpoints, "s3") {
		missing = append(missing, "s3 (gatewayEndpoints)")
	}
	if cfg.Cluster.Autoscaler.On() && !slices.Contains(cfg.Network.InterfaceEndpoints, "autoscaling") {
		missing = append(missing, "autoscaling (for the Cluster Autoscaler)")
	}
	if len(missing) > 0 {
		p.Addf(key("network.natMode"), "none needs the VPC endpoints nodes use without NAT; add %s to %s", strings.Join(missing, ", "), key("network.interfaceEndpoints"))
	}
}

// loadAWS reads the AWS provider's own keys that the program needs too.
func loadAWS(ctx *pulumi.Context, p *check.Problems, cfg *Config) {
	aws := config.New(ctx, "aws")
	cfg.Region = aws.Get("region")
	cfg.CLI.Profile = aws.Get("profile")
	if raw := aws.Get("assumeRole"); raw != "" {
		var role struct {
			RoleARN string `json:"roleArn"`
		}
		if err := json.Unmarshal([]byte(raw), &role); err != nil || role.RoleARN == "" {
			p.Addf("aws:assumeRole", "must be an object with a roleArn, e.g. {roleArn: arn:aws:iam::123456789012:role/deployer}")
		}
		cfg.CLI.RoleARN = role.RoleARN
	}
	raw, err := aws.Try("defaultTags")
	if errors.Is(err, config.ErrMissingVar) {
		return
	}
	var tags struct {
		Tags map[string]string `json:"tags"`
	}
	if err != nil || json.Unmarshal([]byte(raw), &tags) != nil {
		p.Addf("aws:defaultTags", "must be an object with a tags map, e.g. {tags: {Owner: team, Environment: dev}}")
		return
	}
	cfg.DefaultTags = tags.Tags
}
