package stacks

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/mq"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/internal/catalog"
	"github.com/acme/platform/internal/check"
)

// checkOfferings asks AWS, through the provider's data sources, whether it
// offers what the configuration names, in this region and these zones: the
// node groups' instance types (ec2:DescribeInstanceTypeOfferings, and
// ec2:DescribeInstanceTypes for their architecture), the PostgreSQL version
// and instance class (rds:DescribeDBEngineVersions,
// rds:DescribeOrderableDBInstanceOptions), the broker's instance type with
// its engine version and deployment mode (mq:DescribeBrokerInstanceOptions),
// and every pinned add-on against the newest build for the cluster's
// Kubernetes version (eks:DescribeAddonVersions). Each answer AWS refuses is
// a problem naming its key, in the format of the offline catalog checks.
// ElastiCache has no such data source in the provider: its node types and
// engine versions are checked against the catalog only.
func checkOfferings(ctx *pulumi.Context, p *check.Problems, key func(string) string, cfg Config, zones []string) error {
	if err := checkInstanceTypes(ctx, p, key, cfg, zones); err != nil {
		return err
	}
	checkDatabaseOffering(ctx, p, key, cfg)
	checkBrokerOffering(ctx, p, key, cfg)
	checkAddonOfferings(ctx, p, key, cfg)
	return nil
}

func checkInstanceTypes(ctx *pulumi.Context, p *check.Problems, key func(string) string, cfg Config, zones []string) error {
	var types []string
	for _, g := range cfg.Cluster.NodeGroups {
		for _, t := range g.InstanceTypes {
			if !slices.Contains(types, t) {
				types = append(types, t)
			}
		}
	}
	if len(types) == 0 || len(zones) == 0 {
		return nil
	}
	offers, err := ec2.GetInstanceTypeOfferings(ctx, &ec2.GetInstanceTypeOfferingsArgs{
		LocationType: pulumi.StringRef("availability-zone"),
		Filters: []ec2.GetInstanceTypeOfferingsFilter{
			{Name: "instance-type", Values: types},
			{Name: "location", Values: zones},
		},
	})
	if err != nil {
		return fmt.Errorf("asking EC2 which instance types the zones offer: %w", err)
	}
	offered := map[[2]string]bool{}
	for i, t := range offers.InstanceTypes {
		if i < len(offers.Locations) {
			offered[[2]string{t, offers.Locations[i]}] = true
		}
	}
	arch := map[string][]string{}
	for _, t := range types {
		if res, err := ec2.GetInstanceType(ctx, &ec2.GetInstanceTypeArgs{InstanceType: t}); err == nil {
			arch[t] = res.SupportedArchitectures
		}
	}
	for gi, g := range cfg.Cluster.NodeGroups {
		wantArch, _ := catalog.AMIRequirement(g.AMIType)
		for ti, t := range g.InstanceTypes {
			path := key(fmt.Sprintf("cluster.nodeGroups[%d].instanceTypes[%d]", gi, ti))
			var missing []string
			for _, z := range zones {
				if k := [2]string{t, z}; !offered[k] {
					missing = append(missing, z)
				}
			}
			if len(missing) > 0 {
				p.Addf(path, "%q is not offered in %s (AWS, ec2:DescribeInstanceTypeOfferings): the node group spans %s; choose a type offered in each, or other zones (%s)",
					t, strings.Join(missing, ", "), strings.Join(zones, ", "), key("network.availabilityZones"))
				continue
			}
			if a, ok := arch[t]; ok && !slices.Contains(a, wantArch) {
				p.Addf(path, "%q is %s (AWS, ec2:DescribeInstanceTypes), but amiType %s boots %s instances only", t, strings.Join(a, ", "), g.AMIType, wantArch)
			}
		}
	}
	return nil
}

func checkDatabaseOffering(ctx *pulumi.Context, p *check.Problems, key func(string) string, cfg Config) {
	db := cfg.Database
	version, err := rds.GetEngineVersion(ctx, &rds.GetEngineVersionArgs{
		Engine:  "postgres",
		Version: pulumi.StringRef(db.EngineVersion),
		Latest:  pulumi.BoolRef(true),
	})
	if err != nil {
		p.Addf(key("database.engineVersion"), "PostgreSQL %s is not a version RDS offers in this region (AWS, rds:DescribeDBEngineVersions: %v)", db.EngineVersion, awsMessage(err))
		return
	}
	orderable, err := rds.GetOrderableDbInstance(ctx, &rds.GetOrderableDbInstanceArgs{
		Engine:        "postgres",
		EngineVersion: pulumi.StringRef(version.Version),
		InstanceClass: pulumi.StringRef(db.InstanceClass),
		StorageType:   pulumi.StringRef("gp3"),
	})
	if err != nil {
		p.Addf(key("database.instanceClass"), "%q is not offered for PostgreSQL %s with gp3 storage in this region (AWS, rds:DescribeOrderableDBInstanceOptions: %v)", db.InstanceClass, version.Version, awsMessage(err))
		return
	}
	if db.MultiAZ && !orderable.MultiAzCapable {
		p.Addf(key("database.instanceClass"), "%q cannot run Multi-AZ for PostgreSQL %s in this region (AWS, rds:DescribeOrderableDBInstanceOptions), and %s is true", db.InstanceClass, version.Version, key("database.multiAz"))
	}
}

// mqEngineType is RabbitMQ as DescribeBrokerInstanceOptions names engines
// (Amazon MQ REST API reference, EngineType: ACTIVEMQ | RABBITMQ).
const mqEngineType = "RABBITMQ"

func checkBrokerOffering(ctx *pulumi.Context, p *check.Problems, key func(string) string, cfg Config) {
	b := cfg.Broker
	res, err := mq.GetInstanceTypeOfferings(ctx, &mq.GetInstanceTypeOfferingsArgs{
		EngineType:       pulumi.StringRef(mqEngineType),
		HostInstanceType: pulumi.StringRef(b.HostInstanceType),
	})
	if err != nil {
		p.Addf(key("broker.hostInstanceType"), "AWS could not say whether it offers %q for RabbitMQ here (mq:DescribeBrokerInstanceOptions: %v)", b.HostInstanceType, awsMessage(err))
		return
	}
	var versions, modes []string
	for _, o := range res.BrokerInstanceOptions {
		for _, v := range o.SupportedEngineVersions {
			if !slices.Contains(versions, v) {
				versions = append(versions, v)
			}
		}
		for _, m := range o.SupportedDeploymentModes {
			if !slices.Contains(modes, m) {
				modes = append(modes, m)
			}
		}
	}
	switch {
	case len(res.BrokerInstanceOptions) == 0:
		p.Addf(key("broker.hostInstanceType"), "%q is not a RabbitMQ broker instance type Amazon MQ offers in this region (AWS, mq:DescribeBrokerInstanceOptions)", b.HostInstanceType)
	case !slices.ContainsFunc(versions, func(v string) bool { return v == b.EngineVersion || strings.HasPrefix(v, b.EngineVersion+".") }):
		slices.Sort(versions)
		p.Addf(key("broker.engineVersion"), "RabbitMQ %s is not offered on %s in this region (AWS offers %s; mq:DescribeBrokerInstanceOptions)", b.EngineVersion, b.HostInstanceType, strings.Join(versions, ", "))
	case !slices.Contains(modes, b.DeploymentMode):
		p.Addf(key("broker.deploymentMode"), "%s is not offered on %s in this region (AWS offers %s; mq:DescribeBrokerInstanceOptions)", b.DeploymentMode, b.HostInstanceType, strings.Join(modes, ", "))
	}
}

func checkAddonOfferings(ctx *pulumi.Context, p *check.Problems, key func(string) string, cfg Config) {
	pins := cfg.Cluster.Addons.Pins()
	for _, name := range slices.Sorted(maps.Keys(pins)) {
		path := key("cluster.addons." + name + ".version")
		newest, err := eks.GetAddonVersion(ctx, &eks.GetAddonVersionArgs{
			AddonName:         name,
			KubernetesVersion: cfg.Cluster.Version,
			MostRecent:        pulumi.BoolRef(true),
		})
		if err != nil {
			p.Addf(path, "EKS offers no %s add-on for Kubernetes %s here (AWS, eks:DescribeAddonVersions: %v)", name, cfg.Cluster.Version, awsMessage(err))
			continue
		}
		if compareAddonVersions(pins[name], newest.Version) > 0 {
			p.Addf(path, "%s is newer than the newest %s build EKS offers for Kubernetes %s (%s; AWS, eks:DescribeAddonVersions): pin %s or an older build",
				pins[name], name, cfg.Cluster.Version, newest.Version, newest.Version)
		}
	}
}

// compareAddonVersions orders EKS add-on versions, "v1.20.4-eksbuild.1":
// by the numbers of the version, then of the build.
func compareAddonVersions(a, b string) int {
	nums := func(v string) []int {
		var out []int
		for _, f := range strings.FieldsFunc(strings.TrimPrefix(v, "v"), func(r rune) bool { return r < '0' || r > '9' }) {
			n, _ := strconv.Atoi(f) // FieldsFunc leaves digits only
			out = append(out, n)
		}
		return out
	}
	return slices.Compare(nums(a), nums(b))
}

// awsMessage is the useful part of an invoke's error: the provider's own
// message, without the RPC wrapping.
func awsMessage(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, "failed: "); i >= 0 {
		msg = msg[i+len("failed: "):]
	}
	return strings.TrimSpace(msg)
}
