package broker

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/mq"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/internal/check"
	"github.com/acme/platform/internal/parts"
)

// typeToken is the component's type; changing it needs pulumi.Aliases.
const typeToken = "platform:messaging:Broker"

// Ports the security group opens to the named sources.
const (
	AMQPSPort   = 5671
	ConsolePort = 443
)

// VHost is the virtual host applications use (Amazon MQ's default).
const VHost = "/"

// passwordLength is inside Amazon MQ's 12 to 250 characters. Letters and
// digits only: Amazon MQ forbids commas, colons and equals signs, and
// amqps:// URLs would need other symbols escaped. Amazon MQ also wants four
// distinct characters; 32 drawn from 62 (at least one of each class) miss
// that with a probability below 10^-35.
const passwordLength = 32

// BrokerArgs configures a Broker.
type BrokerArgs struct {
	// Config holds the settings that decide what is created: start from
	// DefaultConfig (see Config for each field's default) and check it with
	// Config.Validate; NewBroker uses it as given.
	Config
	// Account is where the broker is created; required.
	Account parts.Account
	// VPCID is the VPC of the security group; required.
	VPCID pulumi.StringInput
	// SubnetIDs are the private subnets, one per zone in zone order; required.
	// A plain slice, so its length is known at preview: SINGLE_INSTANCE uses
	// the first, CLUSTER_MULTI_AZ the first three.
	SubnetIDs []pulumi.StringInput
	// IngressFrom names the security groups allowed to reach AMQPS and the
	// console ("eks-nodes" → sg ID); default none. Each source and port gets
	// its own rule.
	IngressFrom map[string]pulumi.StringInput
	// Protect makes the engine refuse to delete or replace the broker, its
	// KMS key and its secret; default false.
	Protect bool
	// Tags are added to every resource (the provider's default tags apply
	// too); default none.
	Tags map[string]string
}

// Broker is an Amazon MQ for RabbitMQ broker with its security group,
// configuration and connection secret.
type Broker struct {
	pulumi.ResourceState

	// AMQPSEndpoints are the amqps:// URLs of the broker (one for either mode).
	AMQPSEndpoints pulumi.StringArrayOutput `pulumi:"amqpsEndpoints"`
	// ConsoleURL is the RabbitMQ management console, reachable from the
	// named security groups only.
	ConsoleURL pulumi.StringOutput `pulumi:"consoleUrl"`
	// SecretARN is the Secrets Manager secret holding {host, port, username,
	// password, vhost}.
	SecretARN pulumi.StringOutput `pulumi:"secretArn"`
	// SecurityGroupID is the broker's security group, for rules added later.
	SecurityGroupID pulumi.StringOutput `pulumi:"securityGroupId"`
	// BrokerID identifies the broker in Amazon MQ (alarms, the console).
	BrokerID pulumi.StringOutput `pulumi:"brokerId"`
	// BrokerARN is the broker's ARN.
	BrokerARN pulumi.StringOutput `pulumi:"brokerArn"`
	// BrokerName is the broker's name: the Broker dimension of its
	// CloudWatch metrics.
	BrokerName pulumi.StringOutput `pulumi:"brokerName"`
	// GeneralLogGroup is the CloudWatch log group Amazon MQ writes the
	// general log to (created by the service, see README.md).
	GeneralLogGroup pulumi.StringOutput `pulumi:"generalLogGroup"`
	// KMSKeyARN is the customer-managed key of the connection secret; readers
	// of the secret need kms:Decrypt on it.
	KMSKeyARN pulumi.StringOutput `pulumi:"kmsKeyArn"`
}

// NewBroker creates the broker and everything around it.
func NewBroker(ctx *pulumi.Context, name string, args *BrokerArgs, opts ...pulumi.ResourceOption) (*Broker, error) {
	if args == nil {
		return nil, fmt.Errorf("broker %q: args are required", name)
	}
	cfg := args.Config
	subnets, subnetErr := subnetsFor(cfg.DeploymentMode, args.SubnetIDs)
	_, confErr := parseConf(rabbitMQConf)
	if err := errors.Join(subnetErr, validateArgs(name, args), args.Account.Validate(), confErr); err != nil {
		return nil, fmt.Errorf("broker %q: %w", name, err)
	}

	c := &Broker{}
	if err := ctx.RegisterComponentResource(typeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("broker %q: %w", name, err)
	}
	b := &builder{ctx: ctx, name: name, cfg: cfg, args: args, c: c, parent: pulumi.Parent(c)}
	if err := b.build(subnets); err != nil {
		return nil, fmt.Errorf("broker %q: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"amqpsEndpoints":  c.AMQPSEndpoints,
		"consoleUrl":      c.ConsoleURL,
		"secretArn":       c.SecretARN,
		"securityGroupId": c.SecurityGroupID,
		"brokerId":        c.BrokerID,
		"brokerArn":       c.BrokerARN,
		"brokerName":      c.BrokerName,
		"generalLogGroup": c.GeneralLogGroup,
		"kmsKeyArn":       c.KMSKeyARN,
	}); err != nil {
		return nil, fmt.Errorf("broker %q: registering outputs: %w", name, err)
	}
	return c, nil
}

var componentNameRE = regexp.MustCompile(`^[a-z]([a-z0-9-]*[a-z0-9])?$`)

// maxNameLength keeps the auto-named broker name (name, "-", seven random
// characters) within Amazon MQ's 50.
const maxNameLength = 42

// validateArgs checks the arguments that are not stack configuration.
func validateArgs(name string, args *BrokerArgs) error {
	var p check.Problems
	if !componentNameRE.MatchString(name) || strings.Contains(name, "--") || len(name) > maxNameLength {
		p.Addf("name", "must be 1 to %d lower-case letters, digits and single hyphens, starting with a letter (it prefixes the broker name), got %q", maxNameLength, name)
	}
	if args.VPCID == nil {
		p.Addf("vpcId", "is required")
	}
	p.Merge("", parts.ValidateSources(args.IngressFrom))
	return p.Err()
}

type builder struct {
	ctx    *pulumi.Context
	name   string
	cfg    Config
	args   *BrokerArgs
	c      *Broker
	parent pulumi.ResourceOption
}

func (b *builder) tags(suffix string) pulumi.StringMap {
	return parts.TagsFor(b.ctx, b.name+suffix, b.args.Tags)
}

func (b *builder) build(subnets []pulumi.StringInput) error {
	ctx, name, cfg := b.ctx, b.name, b.cfg
	physical := parts.PhysicalName(ctx, name, 200)

	// Amazon MQ encrypts RabbitMQ brokers with an AWS-owned key and accepts
	// no other (EncryptionOptions "does not apply to RabbitMQ brokers"), so
	// this key protects the connection secret only.
	key, err := parts.NewKey(ctx, name+"-key", parts.KeyArgs{
		Account:     b.args.Account,
		Description: "Connection secret of the RabbitMQ broker " + physical,
		Protect:     b.args.Protect,
		Tags:        b.args.Tags,
	}, b.parent)
	if err != nil {
		return err
	}
	b.c.KMSKeyARN = key.ARN

	sg, err := parts.NewSecurityGroup(ctx, name+"-sg", b.args.VPCID,
		"RabbitMQ "+physical+": AMQPS and the management console from the named security groups only", b.args.Tags, b.parent)
	if err != nil {
		return err
	}
	b.c.SecurityGroupID = sg.ID().ToStringOutput()
	if err := parts.AllowFrom(ctx, name, sg.ID(), []parts.Port{
		{Number: AMQPSPort, Description: "AMQP over TLS"},
		{Number: ConsolePort, Description: "RabbitMQ management console (HTTPS)"},
	}, b.args.IngressFrom, b.parent); err != nil {
		return err
	}

	// The engine version is part of a configuration and cannot change, so a
	// version upgrade creates a new configuration next to the old one; a
	// change to rabbitmq.conf becomes a new revision of the same one.
	conf, err := mq.NewConfiguration(ctx, name+"-config", &mq.ConfigurationArgs{
		Description:            pulumi.String("rabbitmq.conf of " + physical + " (components/broker/rabbitmq.conf)"),
		EngineType:             pulumi.String("RabbitMQ"),
		EngineVersion:          pulumi.String(cfg.EngineVersion),
		AuthenticationStrategy: pulumi.String("simple"),
		Data:                   pulumi.String(rabbitMQConf),
		Tags:                   b.tags("-config"),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}

	// No keepers: Amazon MQ does not let the provider change a RabbitMQ user
	// after creation, so a redrawn password would reach the secret but never
	// the broker (README.md, "Changing the administrator password").
	password, err := random.NewRandomPassword(ctx, name+"-admin-password", &random.RandomPasswordArgs{
		Length:     pulumi.Int(passwordLength),
		Special:    pulumi.Bool(false),
		MinUpper:   pulumi.Int(1),
		MinLower:   pulumi.Int(1),
		MinNumeric: pulumi.Int(1),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("admin password: %w", err)
	}
	adminPassword := pulumi.ToSecret(password.Result).(pulumi.StringOutput)

	broker, err := mq.NewBroker(ctx, name, &mq.BrokerArgs{
		EngineType:       pulumi.String("RabbitMQ"),
		EngineVersion:    pulumi.String(cfg.EngineVersion),
		HostInstanceType: pulumi.String(cfg.HostInstanceType),
		DeploymentMode:   pulumi.String(cfg.DeploymentMode),
		// Amazon MQ requires automatic minor upgrades from RabbitMQ 3.13 on.
		AutoMinorVersionUpgrade: pulumi.Bool(true),
		PubliclyAccessible:      pulumi.Bool(false),
		SubnetIds:               pulumi.StringArray(subnets),
		SecurityGroups:          pulumi.StringArray{sg.ID()},
		AuthenticationStrategy:  pulumi.String("simple"),
		Configuration: mq.BrokerConfigurationArgs{
			Id:       conf.ID().ToStringOutput(),
			Revision: conf.LatestRevision,
		},
		// Audit logs exist for ActiveMQ only; the API rejects them here.
		Logs: mq.BrokerLogsArgs{General: pulumi.Bool(true)},
		MaintenanceWindowStartTime: mq.BrokerMaintenanceWindowStartTimeArgs{
			DayOfWeek: pulumi.String(cfg.MaintenanceDay),
			TimeOfDay: pulumi.String(cfg.MaintenanceTime),
			TimeZone:  pulumi.String("UTC"),
		},
		Users: mq.BrokerUserArray{mq.BrokerUserArgs{
			Username: pulumi.String(cfg.AdminUsername),
			Password: adminPassword,
		}},
		ApplyImmediately: pulumi.Bool(cfg.ApplyImmediately),
		// EncryptionOptions stays unset on purpose: see the key above.
		Tags: b.tags(""),
	}, b.parent, pulumi.Protect(b.args.Protect))
	if err != nil {
		return fmt.Errorf("broker: %w", err)
	}
	b.c.BrokerID = broker.ID().ToStringOutput()
	b.c.BrokerARN = broker.Arn
	b.c.BrokerName = broker.BrokerName
	b.c.GeneralLogGroup = broker.ID().ToStringOutput().ApplyT(generalLogGroupName).(pulumi.StringOutput)
	b.c.AMQPSEndpoints = broker.Instances.ApplyT(amqpsEndpoints).(pulumi.StringArrayOutput)
	b.c.ConsoleURL = broker.Instances.ApplyT(consoleURL).(pulumi.StringOutput)
	host := b.c.AMQPSEndpoints.ApplyT(func(eps []string) (string, error) {
		if len(eps) == 0 {
			return "", fmt.Errorf("the broker reports no amqps:// endpoint")
		}
		return host(eps[0])
	}).(pulumi.StringOutput)

	secret, err := parts.NewSecret(ctx, name+"-admin", parts.SecretArgs{
		Description: "Connection to " + physical + ", " + cfg.describe() + " (JSON: host, port, username, password, vhost)",
		KMSKeyARN:   key.ARN,
		Value: pulumi.Map{
			"host":     host,
			"port":     pulumi.Int(AMQPSPort),
			"username": pulumi.String(cfg.AdminUsername),
			"password": adminPassword,
			"vhost":    pulumi.String(VHost),
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
