package stacks

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/components/backup"
	"github.com/acme/platform/components/broker"
	"github.com/acme/platform/components/cluster"
	"github.com/acme/platform/components/monitoring"
	"github.com/acme/platform/components/network"
	"github.com/acme/platform/components/postgres"
	"github.com/acme/platform/components/redis"
	"github.com/acme/platform/internal/catalog"
	"github.com/acme/platform/internal/check"
	"github.com/acme/platform/internal/parts"
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
	// Secret lists the configuration objects ("monitoring") that hold a
	// `secure:` value somewhere inside: the engine marks the whole key
	// secret, and whatever the program registers from the values that may
	// carry credentials stays a Pulumi secret.
	Secret map[string]bool
}

// ObjectKeys are the config objects Load reads, under the project's
// namespace. ScalarKeys are the scalars, declared in Pulumi.yaml.
var (
	ObjectKeys = func() []string {
		var out []string
		for _, s := range sections() {
			out = append(out, s.key)
		}
		return out
	}()
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

// Load reads and validates the stack's whole configuration. Every key the
// stack sets must be one the program or a provider reads; every problem is
// reported at once, each naming its key ("platform:network.azCount: must be
// between 2 and 6, got 9"), across sections and cross-checks; and Load runs
// before any resource is registered.
//
// Load is where a configuration is defaulted and validated, once: each
// object is decoded over its component's DefaultConfig (Defaults) and
// checked by its Config.Validate. The components use the Config they are
// given and check only their other arguments.
func Load(ctx *pulumi.Context) (Config, error) {
	cfg := Defaults()
	var p check.Problems
	keys, listed := parts.ConfigKeys(ctx)
	if listed {
		checkTopLevelKeys(&p, ctx.Project(), keys)
	}
	loadBool(ctx, &p, "protect", &cfg.Protect)
	loaded := map[string]bool{}
	cfg.Secret = map[string]bool{}
	raws := map[string][]byte{}
	for _, s := range sections() {
		flat := flatKeys(ctx.Project(), s.key, keys)
		loaded[s.key], raws[s.key] = loadObject(ctx, &p, s.key, flat, s.ptr(&cfg))
		cfg.Secret[s.key] = ctx.IsConfigSecret(ctx.Project() + ":" + s.key)
		for _, fk := range flat {
			cfg.Secret[s.key] = cfg.Secret[s.key] || ctx.IsConfigSecret(ctx.Project()+":"+fk)
		}
	}
	cfg.Monitoring.Secret, cfg.Cache.Secret, cfg.Cluster.Secret = cfg.Secret["monitoring"], cfg.Secret["cache"], cfg.Secret["cluster"]
	loadAWS(ctx, &p, &cfg)
	checkCredentials(ctx, &p, cfg, loaded)
	crossCheck(ctx, &p, cfg, loaded)
	return cfg, check.Redact(p.Err(), secretValues(raws, cfg.Secret))
}

// flatKeys returns the flat keys of section ("cluster.adminRoleArns") among
// the stack's keys, without the namespace.
func flatKeys(project, section string, keys []string) []string {
	var out []string
	for _, k := range keys {
		if name, ok := strings.CutPrefix(k, project+":"); ok && strings.HasPrefix(name, section+".") {
			out = append(out, name)
		}
	}
	return out
}

// secretValues returns the string values inside the secret configuration
// objects, so that no problem reported about them prints one.
func secretValues(raws map[string][]byte, secret map[string]bool) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for _, e := range t {
				walk(e)
			}
		case []any:
			for _, e := range t {
				walk(e)
			}
		case string:
			out = append(out, t)
		}
	}
	for key, isSecret := range secret {
		if !isSecret {
			continue
		}
		var v any
		if json.Unmarshal(raws[key], &v) == nil {
			walk(v)
		}
	}
	return out
}

// crossCheck reports combinations that each object accepts on its own but
// that cannot work together. A check runs when every object it reads loaded
// cleanly, so a broken object does not also produce spurious combinations.
func crossCheck(ctx *pulumi.Context, p *check.Problems, cfg Config, loaded map[string]bool) {
	key := func(k string) string { return ctx.Project() + ":" + k }
	ok := func(sections ...string) bool {
		for _, s := range sections {
			if !loaded[s] {
				return false
			}
		}
		return true
	}
	if ok("backup") && cfg.Backup.DRRegion != "" && cfg.Backup.DRRegion == cfg.Region {
		p.Addf(key("backup.drRegion"), "must be another region than aws:region (%s): copies in the same region do not survive its loss", cfg.Region)
	}
	if ok("broker", "network") {
		if need := broker.SubnetsNeeded(cfg.Broker.DeploymentMode); need > cfg.Network.AZCount {
			p.Addf(key("broker.deploymentMode"), "%s needs private subnets in %d availability zones, but %s is %d",
				cfg.Broker.DeploymentMode, need, key("network.azCount"), cfg.Network.AZCount)
		}
	}
	if ok("network", "cluster") {
		checkPrivateCluster(p, key, cfg)
	}
	if ok("backup", "database") {
		checkBackupWindows(p, key, cfg)
	}
	if ok("monitoring", "database", "cache") {
		checkThresholds(p, key, cfg)
	}
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
	if cfg.Cluster.InClusterLayer {
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
	if cfg.Cluster.Autoscaler.Enabled && !slices.Contains(cfg.Network.InterfaceEndpoints, "autoscaling") {
		missing = append(missing, "autoscaling (for the Cluster Autoscaler)")
	}
	if len(missing) > 0 {
		p.Addf(key("network.natMode"), "none needs the VPC endpoints nodes use without NAT; add %s to %s", strings.Join(missing, ", "), key("network.interfaceEndpoints"))
	}
}

// backupLeadMinutes is how long before an RDS maintenance or automated
// backup window AWS Backup already refuses to start a snapshot of the
// instance: "AWS Backup can't start a backup in the hour before or during
// the maintenance window of a database service" (AWS Backup Developer
// Guide, "Backup plan options and configuration", Backup window), and its
// RDS jobs fail with "Backup job could not start because it is either inside
// or too close to the automated backup window configured in RDS instance".
const backupLeadMinutes = 60

// checkBackupWindows refuses AWS Backup rules whose start window (schedule
// plus startWindowMinutes) meets the database's automated backup or
// maintenance window, or the hour before either: the job would not start,
// and the day's recovery point (and its DR copy) would be missing.
func checkBackupWindows(p *check.Problems, key func(string) string, cfg Config) {
	db := cfg.Database
	daily, derr := check.ParseDailyWindow(db.BackupWindow)
	weekly, werr := check.ParseWeeklyWindow(db.MaintenanceWindow)
	if derr != nil || werr != nil {
		return // the database's own validation names these
	}
	for _, r := range cfg.Backup.Rules(false) {
		s, err := backup.ParseSchedule(r.Schedule)
		if err != nil {
			continue // the backup section's validation names it
		}
		jobs := check.StartWindows(s.StartMinutes(), cfg.Backup.StartWindowMinutes)
		k := key("backup." + r.Name + "Schedule")
		if jobs.Overlaps(daily.Ahead(backupLeadMinutes)) {
			p.Addf(k, "%s with a %d-minute start window meets %s %q or the hour before it, when AWS Backup cannot start a snapshot of the database: move one of them",
				r.Schedule, cfg.Backup.StartWindowMinutes, key("database.backupWindow"), db.BackupWindow)
		}
		if jobs.Overlaps(weekly.Ahead(backupLeadMinutes)) {
			p.Addf(k, "%s with a %d-minute start window meets %s %q or the hour before it, when AWS Backup cannot start a snapshot of the database: move one of them",
				r.Schedule, cfg.Backup.StartWindowMinutes, key("database.maintenanceWindow"), db.MaintenanceWindow)
		}
	}
}

// checkThresholds refuses alarm thresholds the configured sizes make
// meaningless: an alarm that can never fire (more connections than the
// instance class allows), or one that always fires (less free memory or
// storage than the instance has in all).
func checkThresholds(p *check.Problems, key func(string) string, cfg Config) {
	db, th := cfg.Database, cfg.Monitoring.Database
	if class, ok := catalog.LookupRDSClass(db.InstanceClass); ok {
		if limit := catalog.RDSMaxConnections(class); th.Connections != nil && *th.Connections >= limit {
			p.Addf(key("monitoring.database.connections"), "is %d, but %s %s allows at most %d connections (RDS's default max_connections, LEAST(DBInstanceClassMemory/9531392, 5000)), so the alarm can never fire: set it below %d, or remove it for half of that",
				*th.Connections, key("database.instanceClass"), db.InstanceClass, limit, limit)
		}
		if memMiB := int(class.MemoryGiB * 1024); th.FreeableMemoryMiB >= memMiB {
			p.Addf(key("monitoring.database.freeableMemoryMiB"), "is %d, but %s %s has %d MiB in all, so the alarm would always fire: set it well below that",
				th.FreeableMemoryMiB, key("database.instanceClass"), db.InstanceClass, memMiB)
		}
	}
	if th.FreeStorageGiB >= db.AllocatedStorageGiB {
		p.Addf(key("monitoring.database.freeStorageGiB"), "is %d, but %s is %d, so the alarm would fire from the first minute: set it below that",
			th.FreeStorageGiB, key("database.allocatedStorageGiB"), db.AllocatedStorageGiB)
	}
}
