package network_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/network"
	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/internal/parts"
)

const (
	tVpc        = "aws:ec2/vpc:Vpc"
	tSubnet     = "aws:ec2/subnet:Subnet"
	tRoute      = "aws:ec2/route:Route"
	tRouteTable = "aws:ec2/routeTable:RouteTable"
	tAssoc      = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	tNAT        = "aws:ec2/natGateway:NatGateway"
	tEIP        = "aws:ec2/eip:Eip"
	tEndpoint   = "aws:ec2/vpcEndpoint:VpcEndpoint"
	tFlowLog    = "aws:ec2/flowLog:FlowLog"
	tLogGroup   = "aws:cloudwatch/logGroup:LogGroup"
	tKey        = "aws:kms/key:Key"
	tSG         = "aws:ec2/securityGroup:SecurityGroup"
	tIngress    = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	tDefaultSG  = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	tRole       = "aws:iam/role:Role"
	tRolePolicy = "aws:iam/rolePolicy:RolePolicy"
)

// config is how a Go caller builds a Config: the defaults, with edit applied.
func config(edit func(*network.Config)) network.Config {
	c := network.DefaultConfig()
	edit(&c)
	return c
}

// deploy runs NewVpc with cfg and returns what was registered and the component.
func deploy(t *testing.T, cfg network.Config, mutate ...func(*network.VpcArgs)) (*offline.Recorder, *network.Vpc) {
	t.Helper()
	args := &network.VpcArgs{Config: cfg, Account: offlinetest.Account}
	for _, m := range mutate {
		m(args)
	}
	var vpc *network.Vpc
	rec := offlinetest.Run(t, func(ctx *pulumi.Context) error {
		var err error
		vpc, err = network.NewVpc(ctx, "vpc", args)
		return err
	})
	return rec, vpc
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	rec, vpc := deploy(t, network.DefaultConfig())

	require.Equal(t, []string{"us-east-1a", "us-east-1b", "us-east-1c"}, vpc.Zones, "first three zones of the region")
	counts := rec.CountByType()
	require.Equal(t, 1, counts[network.TypeToken])
	require.Equal(t, 9, counts[tSubnet], "three tiers in three zones")
	require.Equal(t, 3, counts[tNAT], "perAz by default")
	require.Equal(t, 3, counts[tEIP])
	require.Equal(t, 2, counts[tEndpoint], "s3 and dynamodb gateway endpoints")
	require.Zero(t, counts[tSG], "no interface endpoints, no endpoint security group")

	v := rec.Find(tVpc, "vpc")
	require.Equal(t, "10.0.0.0/16", offlinetest.Str(t, v, "cidrBlock"))
	require.True(t, offlinetest.Bool(t, v, "enableDnsSupport"))
	require.True(t, offlinetest.Bool(t, v, "enableDnsHostnames"))
	require.False(t, v.Protect, "not protected unless asked")

	// The zones were asked of the region, without opt-in zones.
	var asked bool
	for _, inv := range rec.Invokes() {
		if inv.Token == "aws:index/getAvailabilityZones:getAvailabilityZones" {
			asked = true
			f, _ := offline.GetString(inv.Args, "filters[0].name")
			require.Equal(t, "opt-in-status", f)
		}
	}
	require.True(t, asked)
}

func TestSubnetsTagsAndTiers(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, config(func(c *network.Config) { c.AZCount, c.NATMode = 2, network.NATSingle }))
	want := map[string]string{
		"vpc-public-us-east-1a":  "10.0.128.0/24",
		"vpc-public-us-east-1b":  "10.0.129.0/24",
		"vpc-private-us-east-1a": "10.0.0.0/20",
		"vpc-private-us-east-1b": "10.0.16.0/20",
		"vpc-data-us-east-1a":    "10.0.136.0/24",
		"vpc-data-us-east-1b":    "10.0.137.0/24",
	}
	subnets := rec.ByType(tSubnet)
	require.Len(t, subnets, len(want))
	for _, s := range subnets {
		require.Equal(t, want[s.Name], offlinetest.Str(t, s, "cidrBlock"), s.Name)
		require.False(t, offlinetest.Bool(t, s, "mapPublicIpOnLaunch"), "%s must not hand out public IPs", s.Name)
		tier := offlinetest.Str(t, s, "tags.Tier")
		require.Contains(t, s.Name, tier)
		require.True(t, strings.HasPrefix(offlinetest.Str(t, s, "tags.Name"), "platform-test-vpc-"+tier))
		_, elb := offline.GetString(s.Inputs, `tags["kubernetes.io/role/elb"]`)
		_, internal := offline.GetString(s.Inputs, `tags["kubernetes.io/role/internal-elb"]`)
		require.Equal(t, tier == "public", elb, "%s: kubernetes.io/role/elb only on public subnets", s.Name)
		require.Equal(t, tier == "private", internal, "%s: internal-elb only on private subnets", s.Name)
	}
}

func TestNATModes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		mode            string
		nats            int
		natRoutes       int
		natByRouteTable map[string]string
	}{
		{mode: network.NATNone, nats: 0, natRoutes: 0},
		{mode: network.NATSingle, nats: 1, natRoutes: 3, natByRouteTable: map[string]string{
			"vpc-private-us-east-1a-nat": "vpc-nat-us-east-1a",
			"vpc-private-us-east-1b-nat": "vpc-nat-us-east-1a",
			"vpc-private-us-east-1c-nat": "vpc-nat-us-east-1a",
		}},
		{mode: network.NATPerAZ, nats: 3, natRoutes: 3, natByRouteTable: map[string]string{
			"vpc-private-us-east-1a-nat": "vpc-nat-us-east-1a",
			"vpc-private-us-east-1b-nat": "vpc-nat-us-east-1b",
			"vpc-private-us-east-1c-nat": "vpc-nat-us-east-1c",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			t.Parallel()
			rec, vpc := deploy(t, config(func(c *network.Config) { c.NATMode = tt.mode }))
			require.Len(t, rec.ByType(tNAT), tt.nats)
			require.Len(t, rec.ByType(tEIP), tt.nats)
			var natRoutes int
			for _, r := range rec.ByType(tRoute) {
				if !offlinetest.Has(r, "natGatewayId") {
					continue
				}
				natRoutes++
				nat := offlinetest.Str(t, r, "natGatewayId")
				require.Equal(t, tt.natByRouteTable[r.Name]+"-id", nat, r.Name)
				require.Equal(t, "0.0.0.0/0", offlinetest.Str(t, r, "destinationCidrBlock"))
			}
			require.Equal(t, tt.natRoutes, natRoutes)
			for _, n := range rec.ByType(tNAT) {
				require.Contains(t, offlinetest.Str(t, n, "subnetId"), "vpc-public-", "NAT gateways live in public subnets")
				require.Equal(t, "public", offlinetest.Str(t, n, "connectivityType"))
			}
			ips := offlinetest.Await(t, vpc.NATPublicIPs.ToStringArrayOutput())
			require.Len(t, ips.Value, tt.nats)
		})
	}
}

// The data tier must have no route to an internet or NAT gateway, whatever
// the NAT mode: its only route table carries no routes of its own.
func TestDataTierHasNoInternetRoute(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{network.NATNone, network.NATSingle, network.NATPerAZ} {
		rec, _ := deploy(t, config(func(c *network.Config) { c.NATMode = mode }))
		data := rec.Find(tRouteTable, "vpc-data")
		require.NotNil(t, data)
		for _, r := range rec.ByType(tRoute) {
			require.NotEqual(t, "vpc-data-id", offlinetest.Str(t, r, "routeTableId"), "route %s on the data route table", r.Name)
			require.False(t, strings.HasPrefix(r.Name, "vpc-data"), "route %s", r.Name)
		}
		for _, a := range rec.ByType(tAssoc) {
			subnet := offlinetest.Str(t, a, "subnetId")
			rt := offlinetest.Str(t, a, "routeTableId")
			if strings.HasPrefix(subnet, "vpc-data-") {
				require.Equal(t, "vpc-data-id", rt, "data subnet %s must use the data route table", subnet)
			} else {
				require.NotEqual(t, "vpc-data-id", rt)
			}
		}
		// The only internet route is the public one.
		var igwRoutes []string
		for _, r := range rec.ByType(tRoute) {
			if offlinetest.Has(r, "gatewayId") {
				igwRoutes = append(igwRoutes, r.Name)
				require.Equal(t, "vpc-public-id", offlinetest.Str(t, r, "routeTableId"))
			}
		}
		require.Equal(t, []string{"vpc-public-internet"}, igwRoutes)
	}
}

func TestGatewayAndInterfaceEndpoints(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, config(func(c *network.Config) { c.AZCount, c.InterfaceEndpoints = 2, []string{"ecr.api", "sts"} }))

	s3 := rec.Find(tEndpoint, "vpc-s3")
	require.Equal(t, "com.amazonaws.us-east-1.s3", offlinetest.Str(t, s3, "serviceName"))
	require.Equal(t, "Gateway", offlinetest.Str(t, s3, "vpcEndpointType"))
	require.ElementsMatch(t, []string{"vpc-private-us-east-1a-id", "vpc-private-us-east-1b-id", "vpc-data-id"},
		offlinetest.Strs(t, s3, "routeTableIds"), "gateway endpoints serve the private and data tiers")
	require.NotNil(t, rec.Find(tEndpoint, "vpc-dynamodb"))

	ecr := rec.Find(tEndpoint, "vpc-ecr-api")
	require.Equal(t, "com.amazonaws.us-east-1.ecr.api", offlinetest.Str(t, ecr, "serviceName"))
	require.Equal(t, "Interface", offlinetest.Str(t, ecr, "vpcEndpointType"))
	require.True(t, offlinetest.Bool(t, ecr, "privateDnsEnabled"))
	require.Equal(t, []string{"vpc-private-us-east-1a-id", "vpc-private-us-east-1b-id"}, offlinetest.Strs(t, ecr, "subnetIds"))
	require.Equal(t, []string{"vpc-endpoints-id"}, offlinetest.Strs(t, ecr, "securityGroupIds"))
	require.NotNil(t, rec.Find(tEndpoint, "vpc-sts"))

	sg := rec.Find(tSG, "vpc-endpoints")
	require.False(t, offlinetest.Has(sg, "ingress"), "no inline rules")
	rules := rec.ByType(tIngress)
	require.Len(t, rules, 1)
	require.Equal(t, "10.0.0.0/16", offlinetest.Str(t, rules[0], "cidrIpv4"), "HTTPS from the VPC only")
	require.Equal(t, 443.0, offlinetest.Num(t, rules[0], "fromPort"))
	require.Equal(t, 443.0, offlinetest.Num(t, rules[0], "toPort"))
	require.Equal(t, "vpc-endpoints-id", offlinetest.Str(t, rules[0], "securityGroupId"))

	none, _ := deploy(t, config(func(c *network.Config) { c.GatewayEndpoints = []string{} }))
	require.Empty(t, none.ByType(tEndpoint), "gateway endpoints can be switched off")
}

func TestFlowLogsAreEncryptedAndScoped(t *testing.T) {
	t.Parallel()
	rec, vpc := deploy(t, config(func(c *network.Config) { c.FlowLogRetentionDays, c.FlowLogAggregationSeconds = 365, 60 }))

	fl := rec.Find(tFlowLog, "vpc")
	require.Equal(t, "ALL", offlinetest.Str(t, fl, "trafficType"))
	require.Equal(t, "cloud-watch-logs", offlinetest.Str(t, fl, "logDestinationType"))
	require.Equal(t, "vpc-id", offlinetest.Str(t, fl, "vpcId"))
	require.Equal(t, 60.0, offlinetest.Num(t, fl, "maxAggregationInterval"))
	lgARN := offlinetest.Str(t, fl, "logDestination")
	require.Contains(t, lgARN, "vpc-flowlogs")
	require.Equal(t, "arn:aws:iam::123456789012:role/vpc-flowlogs-id", offlinetest.Str(t, fl, "iamRoleArn"))

	key := rec.Find(tKey, "vpc-flowlogs")
	require.True(t, offlinetest.Bool(t, key, "enableKeyRotation"))
	require.Equal(t, 30.0, offlinetest.Num(t, key, "deletionWindowInDays"))
	logsUse := offlinetest.Statement(t, offlinetest.Policy(t, key, "policy"), "CloudWatchLogsUsesKey")
	require.Equal(t, &parts.Principal{Service: parts.One("logs.us-east-1.amazonaws.com")}, logsUse.Principal, "CloudWatch Logs may use the key")

	lg := rec.Find(tLogGroup, "vpc-flowlogs")
	require.Equal(t, 365.0, offlinetest.Num(t, lg, "retentionInDays"))
	require.Contains(t, offlinetest.Str(t, lg, "kmsKeyId"), "vpc-flowlogs-id")
	require.True(t, offlinetest.Bool(t, lg, "skipDestroy"), "flow logs outlive the stack")

	role := rec.Find(tRole, "vpc-flowlogs")
	trust := offlinetest.Policy(t, role, "assumeRolePolicy")
	require.Len(t, trust.Statement, 1)
	require.Equal(t, &parts.Principal{Service: parts.One("vpc-flow-logs.amazonaws.com")}, trust.Statement[0].Principal)
	require.Equal(t, parts.One("123456789012"), trust.Statement[0].Condition["StringEquals"]["aws:SourceAccount"], "no confused deputy")
	require.Equal(t, parts.One("arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*"), trust.Statement[0].Condition["ArnLike"]["aws:SourceArn"], "no confused deputy")
	rp := rec.Find(tRolePolicy, "vpc-flowlogs")
	doc := offlinetest.Policy(t, rp, "policy")
	require.Len(t, doc.Statement, 1)
	require.NotEmpty(t, doc.Statement[0].Resource.Strings())
	for _, r := range doc.Statement[0].Resource.Strings() {
		require.True(t, strings.HasPrefix(r, lgARN), "role policy must be scoped to the flow-log group, got %s", r)
	}
	require.NotContains(t, doc.Statement[0].Resource.Strings(), "*")

	require.Equal(t, lg.Outputs["name"].StringValue(), offlinetest.Await(t, vpc.FlowLogGroupName).Value)
}

func TestDefaultSecurityGroupHasNoRules(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, network.DefaultConfig())
	sg := rec.Find(tDefaultSG, "vpc-default")
	require.NotNil(t, sg)
	require.Equal(t, "vpc-id", offlinetest.Str(t, sg, "vpcId"))
	require.False(t, offlinetest.Has(sg, "ingress"))
	require.False(t, offlinetest.Has(sg, "egress"))
}

// Pinned zones are used as they are, once a lookup has confirmed that each
// exists and is not a zone EKS refuses (by ID: the name-to-ID mapping is the
// account's).
func TestExplicitZonesAreUsedAsTheyAre(t *testing.T) {
	t.Parallel()
	rec, vpc := deploy(t, config(func(c *network.Config) { c.AZCount, c.AvailabilityZones = 2, []string{"us-east-1d", "us-east-1f"} }),
		func(a *network.VpcArgs) { a.ExcludeZoneIDs = []string{"use1-az3"} })
	require.Equal(t, []string{"us-east-1d", "us-east-1f"}, vpc.Zones)
	require.Len(t, rec.Invokes(), 1)
	require.NotNil(t, rec.Find(tSubnet, "vpc-private-us-east-1f"))
	require.Equal(t, "10.0.48.0/20", offlinetest.Str(t, rec.Find(tSubnet, "vpc-private-us-east-1d"), "cidrBlock"), "slot d")
}

// Raising azCount on a deployed VPC only adds resources: every subnet (and
// every other resource) keeps its name and its inputs.
func TestRaisingAZCountOnlyAdds(t *testing.T) {
	t.Parallel()
	two, _ := deploy(t, config(func(c *network.Config) { c.AZCount, c.NATMode = 2, network.NATPerAZ }))
	three, _ := deploy(t, config(func(c *network.Config) { c.AZCount, c.NATMode = 3, network.NATPerAZ }))
	for _, before := range two.ByType(tSubnet) {
		after := three.Find(tSubnet, before.Name)
		require.NotNil(t, after, "subnet %s disappeared", before.Name)
		require.Equal(t, before.URN, after.URN)
		require.True(t, before.Inputs.DeepEquals(after.Inputs), "subnet %s changed: %v -> %v", before.Name, before.Inputs, after.Inputs)
	}
	require.Len(t, three.ByType(tSubnet), len(two.ByType(tSubnet))+3)
}

func TestProtect(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, config(func(c *network.Config) { c.AZCount = 2 }), func(a *network.VpcArgs) { a.Protect = true })
	protected := map[string]bool{}
	for _, r := range rec.Resources() {
		if r.Protect {
			protected[r.Type] = true
		}
	}
	require.Equal(t, map[string]bool{tVpc: true, tSubnet: true, tKey: true}, protected,
		"the VPC, its subnets and its KMS key are protected; cheap, recreatable resources are not")
	for _, s := range rec.ByType(tSubnet) {
		require.True(t, s.Protect, s.Name)
	}
}

func TestEveryChildIsParentedAndTagged(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, config(func(c *network.Config) { c.InterfaceEndpoints = []string{"sts"} }), func(a *network.VpcArgs) {
		a.Tags = map[string]string{"Team": "platform"}
	})
	offlinetest.RequireParentedAndTagged(t, rec, network.TypeToken, "vpc", map[string]string{"Team": "platform"}, nil)
}

func TestOutputs(t *testing.T) {
	t.Parallel()
	_, vpc := deploy(t, config(func(c *network.Config) { c.AZCount, c.NATMode = 2, network.NATSingle }))
	require.Equal(t, "vpc-id", offlinetest.Await(t, vpc.VPCID).Value)
	require.Equal(t, "10.0.0.0/16", offlinetest.Await(t, vpc.CIDRBlock).Value)
	require.Equal(t, []string{"us-east-1a", "us-east-1b"}, offlinetest.Await(t, vpc.AvailabilityZones.ToStringArrayOutput()).Value)
	require.Equal(t, []string{"vpc-public-us-east-1a-id", "vpc-public-us-east-1b-id"}, offlinetest.Await(t, vpc.PublicSubnetIDs.ToStringArrayOutput()).Value)
	require.Equal(t, []string{"vpc-private-us-east-1a-id", "vpc-private-us-east-1b-id"}, offlinetest.Await(t, vpc.PrivateSubnetIDs.ToStringArrayOutput()).Value)
	require.Equal(t, []string{"vpc-data-us-east-1a-id", "vpc-data-us-east-1b-id"}, offlinetest.Await(t, vpc.DataSubnetIDs.ToStringArrayOutput()).Value)
	require.Equal(t, []string{"vpc-public-id"}, offlinetest.Await(t, vpc.PublicRouteTableIDs.ToStringArrayOutput()).Value)
	require.Equal(t, []string{"vpc-private-us-east-1a-id", "vpc-private-us-east-1b-id"}, offlinetest.Await(t, vpc.PrivateRouteTableIDs.ToStringArrayOutput()).Value)
	require.Equal(t, []string{"vpc-data-id"}, offlinetest.Await(t, vpc.DataRouteTableIDs.ToStringArrayOutput()).Value)
	require.Equal(t, []string{"vpc-nat-us-east-1a-id"}, offlinetest.Await(t, vpc.NATGatewayIDs.ToStringArrayOutput()).Value)
	nats := vpc.NATGatewayIDList()
	require.Len(t, nats, 1, "known at preview: one alarm per NAT gateway")
	require.Equal(t, "vpc-nat-us-east-1a-id", offlinetest.Await(t, nats[0].ToStringOutput()).Value)
	list := vpc.SubnetIDList(network.Private)
	require.Len(t, list, 2)
	require.Equal(t, "vpc-private-us-east-1b-id", offlinetest.Await(t, list[1].ToStringOutput()).Value)
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    *network.VpcArgs
		wantErr []string
	}{
		{name: "nil args", args: nil, wantErr: []string{`network "vpc": args are required`}},
		{name: "no account", args: &network.VpcArgs{Config: network.DefaultConfig()}, wantErr: []string{"account: ID, Region and Partition are required"}},
		{name: "several problems at once", args: &network.VpcArgs{Config: network.DefaultConfig(), Zones: []string{"us-east-1a", "us-east-1b"}}, wantErr: []string{
			"account: ID, Region and Partition are required",
			"zones: lists 2 zones but azCount is 3",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec, err := offlinetest.RunErr(func(ctx *pulumi.Context) error {
				_, err := network.NewVpc(ctx, "vpc", tt.args)
				return err
			})
			if tt.wantErr == nil {
				require.NoError(t, err)
				return
			}
			for _, want := range tt.wantErr {
				require.ErrorContains(t, err, want)
			}
			require.Empty(t, rec.Resources(), "nothing may be registered on bad input")
		})
	}
}

// A region with fewer zones than azCount is an error naming azCount, found
// before anything is registered.
func TestMoreZonesThanTheRegionHas(t *testing.T) {
	t.Parallel()
	cfg := offline.StackConfig{Project: "platform", Stack: "test", Values: map[string]string{"aws:region": "us-west-1"}}
	west := offlinetest.Account
	west.Region = "us-west-1"
	rec, err := offline.Run(cfg, true, func(ctx *pulumi.Context) error {
		_, err := network.NewVpc(ctx, "vpc", &network.VpcArgs{Account: west, Config: config(func(c *network.Config) { c.AZCount = 3 })})
		return err
	})
	require.ErrorContains(t, err, "azCount: the region has 2 availability zones that can be used (us-west-1b, us-west-1c), fewer than azCount 3")
	require.Empty(t, rec.Resources())
}

// EKS refuses cluster subnets in some zone IDs. The recorder maps us-east-1c
// to use1-az3 (as some accounts do): chosen zones skip it, and a pinned
// us-east-1c is refused by name with its ID, before anything is registered.
func TestZonesEKSRefusesAreNeverUsed(t *testing.T) {
	t.Parallel()
	_, vpc := deploy(t, config(func(c *network.Config) { c.AZCount = 3 }), func(a *network.VpcArgs) { a.ExcludeZoneIDs = []string{"use1-az3"} })
	require.Equal(t, []string{"us-east-1a", "us-east-1b", "us-east-1d"}, vpc.Zones)
	_, all := deploy(t, config(func(c *network.Config) { c.AZCount = 3 }))
	require.Equal(t, []string{"us-east-1a", "us-east-1b", "us-east-1c"}, all.Zones, "without an exclusion the first three")

	rec, err := offlinetest.RunErr(func(ctx *pulumi.Context) error {
		_, err := network.NewVpc(ctx, "vpc", &network.VpcArgs{
			Account:        offlinetest.Account,
			Config:         config(func(c *network.Config) { c.AvailabilityZones = []string{"us-east-1a", "us-east-1c", "us-east-1h"} }),
			ExcludeZoneIDs: []string{"use1-az3"},
		})
		return err
	})
	require.ErrorContains(t, err, `availabilityZones[1]: "us-east-1c" is zone use1-az3 in this account, which Amazon EKS refuses for cluster subnets`)
	require.ErrorContains(t, err, `availabilityZones[2]: "us-east-1h" is not an available zone of this region`)
	require.Empty(t, rec.Resources())
}

// The stack chooses the zones in its preflight and passes them in; the VPC
// then asks AWS nothing.
func TestZonesChosenByTheCallerSkipTheLookup(t *testing.T) {
	t.Parallel()
	rec, vpc := deploy(t, config(func(c *network.Config) { c.AZCount = 2 }), func(a *network.VpcArgs) { a.Zones = []string{"us-east-1b", "us-east-1d"} })
	require.Equal(t, []string{"us-east-1b", "us-east-1d"}, vpc.Zones)
	require.Empty(t, rec.Invokes())
}

// Nodes need the private subnets' egress before they can pull images: the
// VPC lists what provides it.
func TestEgressReadyListsRoutesAndEndpoints(t *testing.T) {
	t.Parallel()
	_, vpc := deploy(t, config(func(c *network.Config) {
		c.AZCount, c.NATMode, c.InterfaceEndpoints = 2, network.NATPerAZ, []string{"ecr.api"}
	}))
	var names []string
	for _, r := range vpc.EgressReady {
		urn := string(offlinetest.Await(t, r.URN()).Value.(pulumi.URN))
		names = append(names, urn[strings.LastIndex(urn, "::")+2:])
	}
	require.ElementsMatch(t, []string{
		"vpc-private-us-east-1a-nat", "vpc-private-us-east-1b-nat",
		"vpc-private-us-east-1a", "vpc-private-us-east-1b",
		"vpc-s3", "vpc-dynamodb", "vpc-ecr-api",
	}, names)
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	valid := network.DefaultConfig()
	require.NoError(t, valid.Validate())
	tests := []struct {
		name    string
		mutate  func(*network.Config)
		wantErr string
	}{
		{"cidr not a cidr", func(c *network.Config) { c.CIDR = "ten" }, `cidr: must be an IPv4 CIDR block such as "10.0.0.0/16", got "ten"`},
		{"cidr host bits", func(c *network.Config) { c.CIDR = "10.0.0.1/16" }, `cidr: must not have host bits set, got "10.0.0.1/16" (did you mean "10.0.0.0/16"?)`},
		{"cidr public", func(c *network.Config) { c.CIDR = "8.8.0.0/16" }, "cidr: must be inside the RFC 1918 ranges"},
		{"cidr too small", func(c *network.Config) { c.CIDR = "10.0.0.0/25" }, "cidr: must have a prefix length between /16 and /24 (what AWS allows for a VPC, with room for three tiers), got /25"},
		{"azCount low", func(c *network.Config) { c.AZCount = 1 }, "azCount: must be between 2 and 6, got 1"},
		{"zones and count disagree", func(c *network.Config) { c.AvailabilityZones = []string{"us-east-1a", "us-east-1b"} }, "availabilityZones: lists 2 zones but azCount is 3"},
		{"zone name", func(c *network.Config) {
			c.AZCount = 2
			c.AvailabilityZones = []string{"us-east-1a", "east"}
		}, `availabilityZones[1]: must be an availability zone name such as "eu-west-1a", got "east"`},
		{"zone twice", func(c *network.Config) {
			c.AZCount = 2
			c.AvailabilityZones = []string{"us-east-1a", "us-east-1a"}
		}, `availabilityZones[1]: "us-east-1a" is listed twice`},
		{"nat mode", func(c *network.Config) { c.NATMode = "PerAZ" }, `natMode: must be one of "none", "single", "perAz", got "PerAZ"`},
		{"prefix length", func(c *network.Config) { c.PrivatePrefixLength = 29 }, "privatePrefixLength: must be between 16 and 28, got 29"},
		{"tiers do not fit", func(c *network.Config) { c.CIDR = "10.0.0.0/20" }, "cidr: private tier: prefix length /20 must be longer than the VPC's /20"},
		{"unknown tier", func(c *network.Config) {
			c.SubnetCIDRs = map[string]map[string]string{"dmz": {"us-east-1a": "10.0.0.0/24"}}
		}, `subnetCidrs: unknown tier "dmz"`},
		{"pinned overlap", func(c *network.Config) {
			c.SubnetCIDRs = map[string]map[string]string{"public": {"us-east-1a": "10.0.0.0/24"}, "data": {"us-east-1a": "10.0.0.0/25"}}
		}, "subnetCidrs: "},
		{"gateway endpoint", func(c *network.Config) { c.GatewayEndpoints = []string{"s3", "ec2"} }, `gatewayEndpoints[1]: must be one of "s3", "dynamodb", got "ec2"`},
		{"interface endpoint name", func(c *network.Config) { c.InterfaceEndpoints = []string{"ECR API"} }, `interfaceEndpoints[0]: must be an AWS service name`},
		{"interface endpoint twice", func(c *network.Config) { c.InterfaceEndpoints = []string{"sts", "sts"} }, `interfaceEndpoints[1]: "sts" is listed twice`},
		{"retention", func(c *network.Config) { c.FlowLogRetentionDays = 0 }, "flowLogRetentionDays: must be one of the retention periods CloudWatch Logs accepts"},
		{"aggregation", func(c *network.Config) { c.FlowLogAggregationSeconds = 300 }, "flowLogAggregationSeconds: must be one of 60, 600, got 300"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := network.DefaultConfig()
			tt.mutate(&c)
			require.ErrorContains(t, c.Validate(), tt.wantErr)
		})
	}
}

func TestConfigValidateSeveralProblems(t *testing.T) {
	t.Parallel()
	c := network.DefaultConfig()
	c.CIDR, c.AZCount, c.NATMode, c.FlowLogRetentionDays = "10.0.0.0/8", 9, "sometimes", 42
	err := c.Validate()
	for _, want := range []string{
		"cidr: must have a prefix length between /16 and /24",
		"azCount: must be between 2 and 6, got 9",
		`natMode: must be one of "none", "single", "perAz", got "sometimes"`,
		"flowLogRetentionDays: must be one of the retention periods CloudWatch Logs accepts",
	} {
		require.ErrorContains(t, err, want)
	}
}

// A Config literal's zero fields are zeros, not defaults: Validate refuses
// them, so a Go caller that forgets DefaultConfig hears about it.
func TestZeroConfigIsNotTheDefaults(t *testing.T) {
	t.Parallel()
	err := network.Config{}.Validate()
	for _, want := range []string{"cidr: ", "azCount: ", "natMode: ", "publicPrefixLength: ", "flowLogRetentionDays: ", "flowLogAggregationSeconds: "} {
		require.ErrorContains(t, err, want)
	}
	require.NoError(t, network.DefaultConfig().Validate())
}
