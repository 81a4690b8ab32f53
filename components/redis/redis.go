package redis

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/internal/check"
	"github.com/acme/platform/internal/parts"
)

// typeToken is the component's type; changing it needs pulumi.Aliases.
const typeToken = "platform:data:Cache"

// authTokenLength is well inside ElastiCache's 16 to 128 characters. The
// token is letters and digits only: ElastiCache forbids some symbols (@, ",
// /, spaces) and clients that build redis:// URLs mangle others, while 64
// alphanumerics still carry over 380 bits.
const authTokenLength = 64

// CacheArgs configures a Cache.
type CacheArgs struct {
	// Config holds the settings that decide what is created: start from
	// DefaultConfig (see Config for each field's default) and check it with
	// Config.Validate; NewCache uses it as given.
	Config
	// Account is where the cache is created; required.
	Account parts.Account
	// VPCID is the VPC of the security group; required.
	VPCID pulumi.StringInput
	// SubnetIDs are the data-tier subnets of the subnet group; required.
	// Spread them over at least two zones for Multi-AZ.
	SubnetIDs pulumi.StringArrayInput
	// IngressFrom names the security groups allowed to reach port 6379
	// ("eks-nodes" → sg ID); default none. Each source gets its own rule.
	IngressFrom map[string]pulumi.StringInput
	// Protect makes the engine refuse to delete or replace the replication
	// group, its KMS key and its secret; default false.
	Protect bool
	// Tags are added to every resource (the provider's default tags apply
	// too); default none.
	Tags map[string]string
}

// Cache is a Redis replication group with its key, subnet and parameter
// groups, security group, log groups and connection secret.
type Cache struct {
	pulumi.ResourceState

	// PrimaryEndpoint is the host name that always points at the primary.
	PrimaryEndpoint pulumi.StringOutput `pulumi:"primaryEndpoint"`
	// ReaderEndpoint spreads reads over the replicas (the primary when there
	// are none).
	ReaderEndpoint pulumi.StringOutput `pulumi:"readerEndpoint"`
	// Port is the TLS port, 6379.
	Port pulumi.IntOutput `pulumi:"port"`
	// SecretARN is the Secrets Manager secret holding {host, port, tls, token}.
	SecretARN pulumi.StringOutput `pulumi:"secretArn"`
	// SecurityGroupID is the cache's security group, for rules added later.
	SecurityGroupID pulumi.StringOutput `pulumi:"securityGroupId"`
	// ReplicationGroupID names the group in ElastiCache (alarms, the console).
	ReplicationGroupID pulumi.StringOutput `pulumi:"replicationGroupId"`
	// KMSKeyARN is the customer-managed key of the data, the snapshots, the
	// logs and the secret; readers of the secret need kms:Decrypt on it.
	KMSKeyARN pulumi.StringOutput `pulumi:"kmsKeyArn"`
}

// NewCache creates the cache and everything around it.
func NewCache(ctx *pulumi.Context, name string, args *CacheArgs, opts ...pulumi.ResourceOption) (*Cache, error) {
	if args == nil {
		return nil, fmt.Errorf("redis %q: args are required", name)
	}
	cfg := args.Config
	if err := errors.Join(validateArgs(name, args), args.Account.Validate()); err != nil {
		return nil, fmt.Errorf("redis %q: %w", name, err)
	}
	family, err := parameterFamily(cfg.Engine, cfg.EngineVersion)
	if err != nil {
		return nil, fmt.Errorf("redis %q: engineVersion: %w", name, err)
	}

	c := &Cache{}
	if err := ctx.RegisterComponentResource(typeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("redis %q: %w", name, err)
	}
	b := &builder{ctx: ctx, name: name, cfg: cfg, args: args, c: c, parent: pulumi.Parent(c)}
	if err := b.build(family); err != nil {
		return nil, fmt.Errorf("redis %q: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"primaryEndpoint":    c.PrimaryEndpoint,
		"readerEndpoint":     c.ReaderEndpoint,
		"port":               c.Port,
		"secretArn":          c.SecretARN,
		"securityGroupId":    c.SecurityGroupID,
		"replicationGroupId": c.ReplicationGroupID,
		"kmsKeyArn":          c.KMSKeyARN,
	}); err != nil {
		return nil, fmt.Errorf("redis %q: registering outputs: %w", name, err)
	}
	return c, nil
}

// validateArgs checks the arguments that are not stack configuration.
func validateArgs(name string, args *CacheArgs) error {
	var p check.Problems
	if msg := nameProblem(name); msg != "" {
		p.Addf("name", "%s", msg)
	}
	if args.VPCID == nil {
		p.Addf("vpcId", "is required")
	}
	if args.SubnetIDs == nil {
		p.Addf("subnetIds", "is required (the data-tier subnets)")
	}
	p.Merge("", parts.ValidateSources(args.IngressFrom))
	return p.Err()
}

type builder struct {
	ctx    *pulumi.Context
	name   string
	cfg    Config
	args   *CacheArgs
	c      *Cache
	parent pulumi.ResourceOption
}

func (b *builder) tags(suffix string) pulumi.StringMap {
	return parts.TagsFor(b.ctx, b.name+suffix, b.args.Tags)
}

// LogTypes are the logs ElastiCache delivers to CloudWatch Logs.
var LogTypes = []string{"slow-log", "engine-log"}

// LogGroupName is where a cache's log of one type goes. The /aws/vendedlogs/
// prefix keeps CloudWatch Logs from adding each group to the account's
// resource policy for vended logs, which is capped at 5,120 characters
// (CloudWatch Logs guide, "Enabling logging from AWS services": "log group
// names that start with /aws/vendedlogs/ ... do not count against the
// policy size").
func LogGroupName(cache, logType string) string {
	return "/aws/vendedlogs/elasticache/" + cache + "/" + logType
}

func (b *builder) build(family string) error {
	ctx, name, cfg := b.ctx, b.name, b.cfg
	physical := parts.PhysicalName(ctx, name, 200)

	key, err := parts.NewKey(ctx, name+"-key", parts.KeyArgs{
		Account:     b.args.Account,
		Description: "ElastiCache " + physical + ": data at rest, snapshots, logs and the AUTH secret",
		// The slow and engine log groups are encrypted with this key too.
		LogGroupNames: []string{LogGroupName(physical, LogTypes[0]), LogGroupName(physical, LogTypes[1])},
		Protect:       b.args.Protect,
		Tags:          b.args.Tags,
	}, b.parent)
	if err != nil {
		return err
	}
	b.c.KMSKeyARN = key.ARN

	sg, err := parts.NewSecurityGroup(ctx, name+"-sg", b.args.VPCID,
		"Redis "+physical+": TLS on 6379 from the named security groups only", b.args.Tags, b.parent)
	if err != nil {
		return err
	}
	b.c.SecurityGroupID = sg.ID().ToStringOutput()
	if err := parts.AllowFrom(ctx, name, sg.ID(), []parts.Port{{Number: Port, Description: "Redis over TLS"}}, b.args.IngressFrom, b.parent); err != nil {
		return err
	}

	subnets, err := elasticache.NewSubnetGroup(ctx, name+"-subnets", &elasticache.SubnetGroupArgs{
		Description: pulumi.String("Data-tier subnets of " + physical),
		SubnetIds:   b.args.SubnetIDs,
		Tags:        b.tags("-subnets"),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("subnet group: %w", err)
	}

	// The family is part of the resource name: a major upgrade creates a new
	// group and moves the cache to it. The old one is retained when it leaves
	// the program, not deleted: ElastiCache refuses to delete a group still in
	// use, and with applyImmediately false the cache moves only in its
	// maintenance window (terraform-provider-aws
	// internal/service/elasticache/parameter_group.go retries the delete for
	// a few minutes, then fails the update). An operator deletes it later
	// (docs/operations.md, "Major version upgrades").
	params := elasticache.ParameterGroupParameterArray{}
	for _, k := range slices.Sorted(maps.Keys(cfg.Parameters)) {
		params = append(params, elasticache.ParameterGroupParameterArgs{Name: pulumi.String(k), Value: parts.ConfigString(cfg.Secret, cfg.Parameters[k])})
	}
	pg, err := elasticache.NewParameterGroup(ctx, name+"-"+family, &elasticache.ParameterGroupArgs{
		Family:      pulumi.String(family),
		Description: pulumi.String(fmt.Sprintf("%s parameters of %s", family, physical)),
		Parameters:  params,
		Tags:        b.tags("-" + family),
	}, b.parent, pulumi.RetainOnDelete(true))
	if err != nil {
		return fmt.Errorf("parameter group: %w", err)
	}

	logs := elasticache.ReplicationGroupLogDeliveryConfigurationArray{}
	for _, logType := range LogTypes {
		lg, err := parts.NewLogGroup(ctx, name+"-"+logType, parts.LogGroupArgs{
			Name:          LogGroupName(physical, logType),
			RetentionDays: cfg.LogRetentionDays,
			KMSKeyARN:     key.ARN,
			Tags:          b.args.Tags,
		}, b.parent)
		if err != nil {
			return err
		}
		logs = append(logs, elasticache.ReplicationGroupLogDeliveryConfigurationArgs{
			Destination:     lg.Name,
			DestinationType: pulumi.String("cloudwatch-logs"),
			LogFormat:       pulumi.String("json"),
			LogType:         pulumi.String(logType),
		})
	}

	// A new version draws a new token; the strategy decides whether the old
	// one stays valid meanwhile (README.md, "Rotating the AUTH token").
	token, err := random.NewRandomPassword(ctx, name+"-auth-token", &random.RandomPasswordArgs{
		Length:  pulumi.Int(authTokenLength),
		Special: pulumi.Bool(false),
		Keepers: pulumi.StringMap{"version": pulumi.String(strconv.Itoa(cfg.AuthTokenVersion))},
	}, b.parent)
	if err != nil {
		return fmt.Errorf("auth token: %w", err)
	}
	authToken := pulumi.ToSecret(token.Result).(pulumi.StringOutput)

	// Redrawn exactly when the group would be replaced (a new key or engine),
	// so a replacement's final snapshot never takes its predecessor's name.
	suffix, err := random.NewRandomId(ctx, name+"-final-snapshot", &random.RandomIdArgs{
		ByteLength: pulumi.Int(4),
		Keepers: pulumi.StringMap{
			"kmsKeyId":      key.ARN,
			"engine":        pulumi.String(cfg.Engine),
			"engineVersion": pulumi.String(cfg.EngineVersion),
		},
	}, b.parent)
	if err != nil {
		return fmt.Errorf("final snapshot name: %w", err)
	}
	finalSnapshot := suffix.Hex.ApplyT(func(h string) string {
		return finalSnapshotName(physical, h)
	}).(pulumi.StringOutput)

	failover := cfg.failover()
	rg, err := elasticache.NewReplicationGroup(ctx, name, &elasticache.ReplicationGroupArgs{
		Description:      pulumi.String(fmt.Sprintf("%s %s cache %s", cfg.Engine, cfg.EngineVersion, physical)),
		Engine:           pulumi.String(cfg.Engine),
		EngineVersion:    pulumi.String(cfg.EngineVersion),
		NodeType:         pulumi.String(cfg.NodeType),
		NumCacheClusters: pulumi.Int(cfg.NodeCount),
		// ElastiCache rejects both with a single node, and both are what the
		// replicas are for.
		AutomaticFailoverEnabled: pulumi.Bool(failover),
		MultiAzEnabled:           pulumi.Bool(failover),
		Port:                     pulumi.Int(Port),
		SubnetGroupName:          subnets.Name,
		SecurityGroupIds:         pulumi.StringArray{sg.ID()},
		ParameterGroupName:       pg.Name,
		// atRestEncryptionEnabled and kmsKeyId can only be set at creation
		// (changing either replaces the group): both are constants here, and
		// the key is protected with the group.
		AtRestEncryptionEnabled:   pulumi.Bool(true),
		KmsKeyId:                  key.ARN,
		TransitEncryptionEnabled:  pulumi.Bool(true),
		TransitEncryptionMode:     pulumi.String("required"),
		AuthToken:                 authToken,
		AuthTokenUpdateStrategy:   pulumi.String(cfg.AuthTokenUpdateStrategy),
		SnapshotRetentionLimit:    pulumi.Int(cfg.SnapshotRetentionDays),
		SnapshotWindow:            pulumi.String(cfg.SnapshotWindow),
		MaintenanceWindow:         pulumi.String(cfg.MaintenanceWindow),
		FinalSnapshotIdentifier:   finalSnapshot,
		AutoMinorVersionUpgrade:   pulumi.Bool(true),
		ApplyImmediately:          pulumi.Bool(cfg.ApplyImmediately),
		LogDeliveryConfigurations: logs,
		Tags:                      b.tags(""),
	}, b.parent, pulumi.Protect(b.args.Protect))
	if err != nil {
		return fmt.Errorf("replication group: %w", err)
	}
	b.c.PrimaryEndpoint = rg.PrimaryEndpointAddress
	b.c.ReaderEndpoint = rg.ReaderEndpointAddress
	b.c.Port = rg.Port.Elem()
	b.c.ReplicationGroupID = rg.ReplicationGroupId

	secret, err := parts.NewSecret(ctx, name+"-auth", parts.SecretArgs{
		Description: "Connection to " + physical + " (JSON: host, port, tls, token)",
		KMSKeyARN:   key.ARN,
		Value: pulumi.Map{
			"host":  rg.PrimaryEndpointAddress,
			"port":  pulumi.Int(Port),
			"tls":   pulumi.Bool(true),
			"token": authToken,
		},
		Protect: b.args.Protect,
		Tags:    b.args.Tags,
	}, b.parent)
	if err != nil {
		return err
	}
	b.c.SecretARN = secret.ARN
	return nil
}
