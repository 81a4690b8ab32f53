package broker_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/broker"
	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/internal/parts"
)

const (
	tBroker        = "aws:mq/broker:Broker"
	tConfiguration = "aws:mq/configuration:Configuration"
	tKey           = "aws:kms/key:Key"
	tSG            = "aws:ec2/securityGroup:SecurityGroup"
	tIngress       = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	tLogGroup      = "aws:cloudwatch/logGroup:LogGroup"
	tSecret        = "aws:secretsmanager/secret:Secret"
	tSecretVersion = "aws:secretsmanager/secretVersion:SecretVersion"
	tPassword      = "random:index/randomPassword:RandomPassword"
)

// privateSubnets are three private subnets in zone order, as the network
// component's SubnetIDList(network.Private) hands them over.
func privateSubnets(n int) []pulumi.StringInput {
	var out []pulumi.StringInput
	for _, az := range []string{"a", "b", "c", "d"}[:n] {
		out = append(out, pulumi.String("subnet-private-"+az))
	}
	return out
}

func baseArgs(cfg broker.Config) *broker.BrokerArgs {
	return &broker.BrokerArgs{Config: cfg, Account: offlinetest.Account, VPCID: pulumi.String("vpc-1"), SubnetIDs: privateSubnets(3)}
}

// config is how a Go caller builds a Config: the defaults, with edit applied.
func config(edit func(*broker.Config)) broker.Config {
	c := broker.DefaultConfig()
	edit(&c)
	return c
}

// deploy runs NewBroker with cfg and returns what was registered and the component.
func deploy(t *testing.T, cfg broker.Config, mutate ...func(*broker.BrokerArgs)) (*offline.Recorder, *broker.Broker) {
	t.Helper()
	args := baseArgs(cfg)
	for _, m := range mutate {
		m(args)
	}
	var b *broker.Broker
	rec := offlinetest.Run(t, func(ctx *pulumi.Context) error {
		var err error
		b, err = broker.NewBroker(ctx, "broker", args)
		return err
	})
	return rec, b
}

var dev = config(func(c *broker.Config) { c.DeploymentMode, c.HostInstanceType = broker.SingleInstance, "mq.t3.micro" })

func TestDefaults(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, broker.DefaultConfig())

	counts := rec.CountByType()
	require.Equal(t, 1, counts[broker.TypeToken])
	require.Equal(t, 1, counts[tBroker])
	require.Equal(t, 1, counts[tConfiguration])
	require.Equal(t, 1, counts[tKey])
	require.Equal(t, 1, counts[tSG])
	require.Zero(t, counts[tIngress], "no sources named, no ingress")
	require.Equal(t, 1, counts[tPassword])
	require.Equal(t, 1, counts[tSecret])
	require.Equal(t, 1, counts[tSecretVersion])
	require.Zero(t, counts[tLogGroup], "Amazon MQ creates its own log group")

	b := rec.Find(tBroker, "broker")
	require.Equal(t, "RabbitMQ", offlinetest.Str(t, b, "engineType"))
	require.Equal(t, "3.13", offlinetest.Str(t, b, "engineVersion"), "major.minor only")
	require.Equal(t, "mq.m5.large", offlinetest.Str(t, b, "hostInstanceType"))
	require.Equal(t, "CLUSTER_MULTI_AZ", offlinetest.Str(t, b, "deploymentMode"), "highly available unless configured otherwise")
	require.True(t, offlinetest.Bool(t, b, "autoMinorVersionUpgrade"), "required by Amazon MQ from 3.13")
	require.False(t, offlinetest.Bool(t, b, "applyImmediately"))
	require.Equal(t, "simple", offlinetest.Str(t, b, "authenticationStrategy"))
	require.Equal(t, "SUNDAY", offlinetest.Str(t, b, "maintenanceWindowStartTime.dayOfWeek"))
	require.Equal(t, "04:00", offlinetest.Str(t, b, "maintenanceWindowStartTime.timeOfDay"))
	require.Equal(t, "UTC", offlinetest.Str(t, b, "maintenanceWindowStartTime.timeZone"))
	require.False(t, offlinetest.Has(b, "brokerName"), "auto-named, so a replacement can be created before the old broker goes")
	require.False(t, b.Protect, "not protected unless asked")
}

func TestDeploymentModeSubnets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     broker.Config
		subnets int
		want    []string
	}{
		{"single instance: the first private subnet", dev, 3, []string{"subnet-private-a"}},
		{"single instance in a one-zone list", dev, 1, []string{"subnet-private-a"}},
		{"cluster: three zones", config(func(c *broker.Config) { c.DeploymentMode = broker.ClusterMultiAZ }), 3, []string{"subnet-private-a", "subnet-private-b", "subnet-private-c"}},
		{"cluster: the first three of four", config(func(c *broker.Config) { c.DeploymentMode = broker.ClusterMultiAZ }), 4, []string{"subnet-private-a", "subnet-private-b", "subnet-private-c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec, _ := deploy(t, tt.cfg, func(a *broker.BrokerArgs) { a.SubnetIDs = privateSubnets(tt.subnets) })
			b := rec.Find(tBroker, "broker")
			require.Equal(t, tt.cfg.DeploymentMode, offlinetest.Str(t, b, "deploymentMode"))
			require.Equal(t, tt.want, offlinetest.Strs(t, b, "subnetIds"))
		})
	}
}

func TestPrivateAndTLSOnly(t *testing.T) {
	t.Parallel()
	rec, brk := deploy(t, broker.DefaultConfig(), func(a *broker.BrokerArgs) {
		a.IngressFrom = map[string]pulumi.StringInput{"eks-nodes": pulumi.String("sg-nodes"), "bastion": pulumi.String("sg-bastion")}
	})
	b := rec.Find(tBroker, "broker")
	require.False(t, offlinetest.Bool(t, b, "publiclyAccessible"))
	require.Equal(t, []string{"broker-sg-id"}, offlinetest.Strs(t, b, "securityGroups"))

	sg := offlinetest.Only(t, rec, tSG)
	require.Equal(t, "vpc-1", offlinetest.Str(t, sg, "vpcId"))
	require.False(t, offlinetest.Has(sg, "ingress[0]"), "no inline rules")

	got := map[string]string{}
	for _, r := range rec.ByType(tIngress) {
		require.Equal(t, "broker-sg-id", offlinetest.Str(t, r, "securityGroupId"))
		require.Equal(t, "tcp", offlinetest.Str(t, r, "ipProtocol"))
		require.Equal(t, offlinetest.Num(t, r, "fromPort"), offlinetest.Num(t, r, "toPort"))
		require.False(t, offlinetest.Has(r, "cidrIpv4"), "never a CIDR")
		got[r.Name] = offlinetest.Str(t, r, "referencedSecurityGroupId")
	}
	require.Equal(t, map[string]string{
		"broker-bastion-5671": "sg-bastion", "broker-bastion-443": "sg-bastion",
		"broker-eks-nodes-5671": "sg-nodes", "broker-eks-nodes-443": "sg-nodes",
	}, got, "AMQPS and the console only, one rule per source and port")

	// The broker does not wait for the rules (nor for their sources).
	for _, r := range rec.ByType(tIngress) {
		require.NotContains(t, b.Dependencies, r.URN)
	}

	eps := offlinetest.Await(t, brk.AMQPSEndpoints).Value.([]string)
	require.NotEmpty(t, eps)
	for _, e := range eps {
		require.True(t, strings.HasPrefix(e, "amqps://"), "TLS is the only listener: %v", e)
	}
}

// RabbitMQ brokers take no customer-managed key: nothing is sent, and the
// component's key protects the secret only.
func TestEncryptionAtRestIsAWSOwned(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, broker.DefaultConfig())
	b := rec.Find(tBroker, "broker")
	require.False(t, offlinetest.Has(b, "encryptionOptions"))
	key := offlinetest.Only(t, rec, tKey)
	require.True(t, offlinetest.Bool(t, key, "enableKeyRotation"))
	require.Equal(t, offlinetest.OutputString(t, key, "arn"), offlinetest.Str(t, offlinetest.Only(t, rec, tSecret), "kmsKeyId"))
}

func TestCredentials(t *testing.T) {
	t.Parallel()
	rec, brk := deploy(t, config(func(c *broker.Config) { c.AdminUsername = "ops" }))
	pw := offlinetest.Only(t, rec, tPassword)
	require.GreaterOrEqual(t, offlinetest.Num(t, pw, "length"), 12.0)
	require.False(t, offlinetest.Bool(t, pw, "special"), "no commas, colons or equals signs")
	require.False(t, offlinetest.Has(pw, "keepers"), "a redrawn password could never reach the broker")
	password, secret, ok := offline.Get(pw.Outputs, "result")
	require.True(t, ok)
	require.True(t, secret)
	require.False(t, strings.ContainsAny(password.StringValue(), ",:="))

	b := rec.Find(tBroker, "broker")
	require.Equal(t, "ops", offlinetest.Str(t, b, "users[0].username"))
	require.True(t, offlinetest.IsSecret(t, b, "users[0].password"), "the password reaches the engine only as a secret")
	require.Equal(t, password.StringValue(), offlinetest.Str(t, b, "users[0].password"))
	require.False(t, offlinetest.Has(b, "users[0].consoleAccess"), "ActiveMQ only")
	require.False(t, offlinetest.Has(b, "users[1]"))

	v := offlinetest.Only(t, rec, tSecretVersion)
	require.True(t, offlinetest.IsSecret(t, v, "secretString"))
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(offlinetest.Str(t, v, "secretString")), &doc))
	require.Equal(t, map[string]any{
		"host":     "broker-id.mq.us-east-1.amazonaws.com",
		"port":     5671.0,
		"username": "ops",
		"password": password.StringValue(),
		"vhost":    "/",
	}, doc)

	// No output of the component carries the password.
	for _, o := range []pulumi.Output{brk.ConsoleURL, brk.SecretARN, brk.SecurityGroupID, brk.BrokerID, brk.BrokerARN, brk.GeneralLogGroup, brk.KMSKeyARN, brk.AMQPSEndpoints} {
		out := offlinetest.Await(t, o)
		require.NotContains(t, fmt.Sprint(out.Value), password.StringValue())
		require.False(t, out.Secret)
	}
}

func TestConfiguration(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, config(func(c *broker.Config) { c.EngineVersion, c.HostInstanceType = "4.2", "mq.m7g.large" }))
	conf := offlinetest.Only(t, rec, tConfiguration)
	require.Equal(t, "RabbitMQ", offlinetest.Str(t, conf, "engineType"))
	require.Equal(t, "4.2", offlinetest.Str(t, conf, "engineVersion"), "the configuration's version follows the broker's")
	require.Equal(t, broker.RabbitMQConf, offlinetest.Str(t, conf, "data"))
	require.Contains(t, offlinetest.Str(t, conf, "data"), "consumer_timeout = 1800000")

	b := rec.Find(tBroker, "broker")
	require.Equal(t, "broker-config-id", offlinetest.Str(t, b, "configuration.id"))
	require.Equal(t, 1.0, offlinetest.Num(t, b, "configuration.revision"), "the configuration's latest revision")
	require.Equal(t, "4.2", offlinetest.Str(t, b, "engineVersion"))
}

func TestLogs(t *testing.T) {
	t.Parallel()
	rec, brk := deploy(t, broker.DefaultConfig())
	b := rec.Find(tBroker, "broker")
	require.True(t, offlinetest.Bool(t, b, "logs.general"))
	require.False(t, offlinetest.Has(b, "logs.audit"), "RabbitMQ has no audit log; the API rejects it")
	require.Equal(t, "/aws/amazonmq/broker/broker-id/general", offlinetest.Await(t, brk.GeneralLogGroup).Value)
}

func TestProtect(t *testing.T) {
	t.Parallel()
	for _, protect := range []bool{false, true} {
		t.Run(fmt.Sprint(protect), func(t *testing.T) {
			t.Parallel()
			rec, _ := deploy(t, broker.DefaultConfig(), func(a *broker.BrokerArgs) { a.Protect = protect })
			for _, typ := range []string{tBroker, tKey, tSecret} {
				require.Equal(t, protect, offlinetest.Only(t, rec, typ).Protect, typ)
			}
			require.False(t, offlinetest.Only(t, rec, tConfiguration).Protect, "replaced on a version upgrade")
		})
	}
}

func TestEveryChildIsParentedAndTagged(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, broker.DefaultConfig(), func(a *broker.BrokerArgs) {
		a.Tags = map[string]string{"Team": "platform"}
		a.IngressFrom = map[string]pulumi.StringInput{"eks-nodes": pulumi.String("sg-nodes")}
	})
	offlinetest.RequireParentedAndTagged(t, rec, broker.TypeToken, "broker", map[string]string{"Team": "platform"}, []string{tIngress})
}

func TestOutputs(t *testing.T) {
	t.Parallel()
	rec, brk := deploy(t, dev)
	b := rec.Find(tBroker, "broker")
	require.Equal(t, []string{"amqps://broker-id.mq.us-east-1.amazonaws.com:5671"}, offlinetest.Await(t, brk.AMQPSEndpoints).Value)
	require.Equal(t, "https://broker-id.mq.us-east-1.amazonaws.com", offlinetest.Await(t, brk.ConsoleURL).Value)
	require.Equal(t, offlinetest.OutputString(t, offlinetest.Only(t, rec, tSecret), "arn"), offlinetest.Await(t, brk.SecretARN).Value)
	require.Equal(t, "broker-sg-id", offlinetest.Await(t, brk.SecurityGroupID).Value)
	require.Equal(t, "broker-id", offlinetest.Await(t, brk.BrokerID).Value)
	require.Equal(t, offlinetest.OutputString(t, b, "arn"), offlinetest.Await(t, brk.BrokerARN).Value)
	require.Equal(t, offlinetest.OutputString(t, b, "brokerName"), offlinetest.Await(t, brk.BrokerName).Value)
	require.Equal(t, offlinetest.OutputString(t, offlinetest.Only(t, rec, tKey), "arn"), offlinetest.Await(t, brk.KMSKeyARN).Value)
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	t.Parallel()
	with := func(cfg broker.Config, subnets int) func() *broker.BrokerArgs {
		return func() *broker.BrokerArgs {
			a := baseArgs(cfg)
			a.SubnetIDs = privateSubnets(subnets)
			return a
		}
	}
	tests := []struct {
		name    string
		cname   string
		args    func() *broker.BrokerArgs
		wantErr []string
	}{
		{name: "nil args", args: func() *broker.BrokerArgs { return nil }, wantErr: []string{`broker "broker": args are required`}},
		{name: "no account", args: func() *broker.BrokerArgs {
			a := baseArgs(broker.DefaultConfig())
			a.Account = parts.Account{}
			return a
		}, wantErr: []string{"account: ID, Region and Partition are required"}},
		{name: "no vpc", args: func() *broker.BrokerArgs { a := baseArgs(broker.DefaultConfig()); a.VPCID = nil; return a }, wantErr: []string{"vpcId: is required"}},
		// The configuration is Validate's (config_test.go); the subnets it
		// needs are checked here, and a mode with no subnet plan is refused.
		{name: "unknown deployment mode", args: with(config(func(c *broker.Config) { c.DeploymentMode = "MULTI_AZ" }), 3), wantErr: []string{`deploymentMode: unknown deployment mode "MULTI_AZ"`}},
		{name: "cluster in two zones", args: with(config(func(c *broker.Config) { c.DeploymentMode = broker.ClusterMultiAZ }), 2), wantErr: []string{"subnetIds: deploymentMode CLUSTER_MULTI_AZ needs 3 private subnets in different zones, got 2"}},
		{name: "single instance without subnets", args: with(dev, 0), wantErr: []string{"subnetIds: deploymentMode SINGLE_INSTANCE needs 1 private subnets in different zones, got 0"}},
		{name: "bad source", args: func() *broker.BrokerArgs {
			a := baseArgs(broker.DefaultConfig())
			a.IngressFrom = map[string]pulumi.StringInput{"EKS": pulumi.String("sg-1")}
			return a
		}, wantErr: []string{`ingressFrom["EKS"]: source names must be lower-case`}},
		{name: "bad name", cname: "Broker_1", args: with(broker.DefaultConfig(), 3), wantErr: []string{"name: must be 1 to 42 lower-case letters"}},
		{name: "several problems at once", cname: "Broker_1", args: func() *broker.BrokerArgs {
			a := baseArgs(dev)
			a.VPCID, a.SubnetIDs = nil, nil
			return a
		}, wantErr: []string{
			"name: must be 1 to 42 lower-case letters", "vpcId: is required", "subnetIds: deploymentMode SINGLE_INSTANCE needs 1 private subnets",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			name := tt.cname
			if name == "" {
				name = "broker"
			}
			rec, err := offlinetest.RunErr(func(ctx *pulumi.Context) error {
				_, err := broker.NewBroker(ctx, name, tt.args())
				return err
			})
			for _, want := range tt.wantErr {
				require.ErrorContains(t, err, want)
			}
			require.Error(t, err)
			require.Empty(t, rec.Resources(), "nothing may be registered on bad input")
		})
	}
}
