package network

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/internal/check"
	"github.com/acme/platform/internal/parts"
)

// typeToken is the component's type; changing it needs pulumi.Aliases.
const typeToken = "platform:network:Vpc"

// VpcArgs configures a Vpc.
type VpcArgs struct {
	// Config holds the settings that decide which resources exist: start from
	// DefaultConfig (see Config for each field's default) and check it with
	// Config.Validate; NewVpc uses it as given.
	Config
	// Account is where the VPC is created; required.
	Account parts.Account
	// Protect makes the engine refuse to delete or replace the VPC, its
	// subnets and its KMS key; default false.
	Protect bool
	// Tags are added to every resource (the provider's default tags apply
	// too); default none.
	Tags map[string]string
	// Zones are the zones to use, already chosen with ChooseZones (the stack
	// does so in its preflight); default: NewVpc chooses them.
	Zones []string
	// ExcludeZoneIDs are zone IDs no subnet may be placed in, such as the
	// ones EKS refuses (cluster.UnsupportedZoneIDs); default none. Used when
	// NewVpc chooses the zones.
	ExcludeZoneIDs []string
}

// Vpc is the platform's network.
type Vpc struct {
	pulumi.ResourceState

	VPCID                pulumi.StringOutput      `pulumi:"vpcId"`
	CIDRBlock            pulumi.StringOutput      `pulumi:"cidrBlock"`
	AvailabilityZones    pulumi.StringArrayOutput `pulumi:"availabilityZones"`
	PublicSubnetIDs      pulumi.StringArrayOutput `pulumi:"publicSubnetIds"`
	PrivateSubnetIDs     pulumi.StringArrayOutput `pulumi:"privateSubnetIds"`
	DataSubnetIDs        pulumi.StringArrayOutput `pulumi:"dataSubnetIds"`
	PublicRouteTableIDs  pulumi.StringArrayOutput `pulumi:"publicRouteTableIds"`
	PrivateRouteTableIDs pulumi.StringArrayOutput `pulumi:"privateRouteTableIds"`
	DataRouteTableIDs    pulumi.StringArrayOutput `pulumi:"dataRouteTableIds"`
	NATGatewayIDs        pulumi.StringArrayOutput `pulumi:"natGatewayIds"`
	NATPublicIPs         pulumi.StringArrayOutput `pulumi:"natPublicIps"`
	FlowLogGroupName     pulumi.StringOutput      `pulumi:"flowLogGroupName"`

	// Zones are the availability zones in use, in order; the subnet-ID
	// outputs follow the same order. Known at preview, so callers can decide
	// counts from it.
	Zones []string
	// EgressReady are what an instance in a private subnet needs before it
	// can pull images and reach AWS APIs: the private route-table
	// associations, their default routes through NAT, the gateway endpoints
	// and the interface endpoints. Node groups wait for them (and, on
	// destroy, are deleted before them).
	EgressReady []pulumi.Resource

	subnetIDs map[Tier][]pulumi.StringInput
	natIDs    []pulumi.StringInput
}

// NATGatewayIDList returns the NAT gateway IDs as a plain slice whose length
// is known at preview (one alarm per gateway).
func (v *Vpc) NATGatewayIDList() []pulumi.StringInput {
	return slices.Clone(v.natIDs)
}

// SubnetIDList returns the IDs of one tier's subnets in Zones order, as a
// plain slice whose length is known at preview (a broker that needs exactly
// one or three subnets can count them).
func (v *Vpc) SubnetIDList(t Tier) []pulumi.StringInput {
	return slices.Clone(v.subnetIDs[t])
}

// NewVpc creates the VPC and everything in it.
func NewVpc(ctx *pulumi.Context, name string, args *VpcArgs, opts ...pulumi.ResourceOption) (*Vpc, error) {
	if args == nil {
		return nil, fmt.Errorf("network %q: args are required", name)
	}
	cfg := args.Config
	if err := errors.Join(args.Account.Validate(), validateArgs(cfg, args)); err != nil {
		return nil, fmt.Errorf("network %q: %w", name, err)
	}
	zones := slices.Clone(args.Zones)
	if len(zones) == 0 {
		var err error
		if zones, err = ChooseZones(ctx, cfg, args.ExcludeZoneIDs, invokeOptions(opts)...); err != nil {
			return nil, fmt.Errorf("network %q: %w", name, err)
		}
	}
	layout, err := planSubnets(cfg.layoutArgs(zones))
	if err != nil {
		return nil, fmt.Errorf("network %q: subnet layout: %w", name, err)
	}

	c := &Vpc{Zones: zones}
	if err := ctx.RegisterComponentResource(typeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("network %q: %w", name, err)
	}
	b := &builder{ctx: ctx, name: name, cfg: cfg, args: args, c: c, parent: pulumi.Parent(c)}
	if err := b.build(layout); err != nil {
		return nil, fmt.Errorf("network %q: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"vpcId":                c.VPCID,
		"cidrBlock":            c.CIDRBlock,
		"availabilityZones":    c.AvailabilityZones,
		"publicSubnetIds":      c.PublicSubnetIDs,
		"privateSubnetIds":     c.PrivateSubnetIDs,
		"dataSubnetIds":        c.DataSubnetIDs,
		"publicRouteTableIds":  c.PublicRouteTableIDs,
		"privateRouteTableIds": c.PrivateRouteTableIDs,
		"dataRouteTableIds":    c.DataRouteTableIDs,
		"natGatewayIds":        c.NATGatewayIDs,
		"natPublicIps":         c.NATPublicIPs,
		"flowLogGroupName":     c.FlowLogGroupName,
	}); err != nil {
		return nil, fmt.Errorf("network %q: registering outputs: %w", name, err)
	}
	return c, nil
}

// validateArgs checks the arguments that are not stack configuration.
func validateArgs(cfg Config, args *VpcArgs) error {
	var p check.Problems
	if n := len(args.Zones); n > 0 && n != cfg.AZCount {
		p.Addf("zones", "lists %d zones but azCount is %d", n, cfg.AZCount)
	}
	return p.Err()
}

// ChooseZones returns the configured zones, or the first AZCount zones of
// the region that need no opt-in, in name order (so a higher count only
// appends), leaving out every zone whose ID is in exclude. Zone names map to
// physical zones differently in every account, so the exclusion goes by ID
// (the zone IDs are the same everywhere): pinned zones are looked up and
// refused when their ID is excluded. Problems name the config field.
func ChooseZones(ctx *pulumi.Context, cfg Config, exclude []string, opts ...pulumi.InvokeOption) ([]string, error) {
	if len(cfg.AvailabilityZones) > 0 {
		res, err := aws.GetAvailabilityZones(ctx, &aws.GetAvailabilityZonesArgs{
			State: pulumi.StringRef("available"),
		}, opts...)
		if err != nil {
			return nil, fmt.Errorf("looking up availability zones: %w", err)
		}
		idOf := map[string]string{}
		for i, n := range res.Names {
			if i < len(res.ZoneIds) {
				idOf[n] = res.ZoneIds[i]
			}
		}
		var p check.Problems
		for i, az := range cfg.AvailabilityZones {
			id, ok := idOf[az]
			switch {
			case !ok:
				p.Addf(fmt.Sprintf("availabilityZones[%d]", i), "%q is not an available zone of this region for this account (available: %s)", az, strings.Join(res.Names, ", "))
			case slices.Contains(exclude, id):
				p.Addf(fmt.Sprintf("availabilityZones[%d]", i), "%q is zone %s in this account, which Amazon EKS refuses for cluster subnets (%s); choose another zone", az, id, strings.Join(exclude, ", "))
			}
		}
		if err := p.Err(); err != nil {
			return nil, err
		}
		return slices.Clone(cfg.AvailabilityZones), nil
	}
	res, err := aws.GetAvailabilityZones(ctx, &aws.GetAvailabilityZonesArgs{
		State:          pulumi.StringRef("available"),
		ExcludeZoneIds: exclude,
		Filters: []aws.GetAvailabilityZonesFilter{{
			Name:   "opt-in-status",
			Values: []string{"opt-in-not-required"},
		}},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("looking up availability zones: %w", err)
	}
	names := slices.Clone(res.Names)
	slices.Sort(names)
	if len(names) < cfg.AZCount {
		return nil, &check.FieldError{Path: "azCount", Message: fmt.Sprintf("the region has %d availability zones that can be used (%s), fewer than azCount %d", len(names), strings.Join(names, ", "), cfg.AZCount)}
	}
	return names[:cfg.AZCount], nil
}

// invokeOptions carries an explicit provider from the component's options to
// its invokes, so a VPC in a second region asks that region.
func invokeOptions(opts []pulumi.ResourceOption) []pulumi.InvokeOption {
	ro, err := pulumi.NewResourceOptions(opts...)
	if err == nil && ro.Provider != nil {
		return []pulumi.InvokeOption{pulumi.Provider(ro.Provider)}
	}
	return nil
}

type builder struct {
	ctx    *pulumi.Context
	name   string
	cfg    Config
	args   *VpcArgs
	c      *Vpc
	parent pulumi.ResourceOption
}

func (b *builder) tags(suffix string, extra map[string]string) pulumi.StringMap {
	return parts.TagsFor(b.ctx, b.name+suffix, b.args.Tags, extra)
}

// stateful are the options of resources whose loss would cut the network:
// protected in stacks that ask for it.
func (b *builder) stateful() []pulumi.ResourceOption {
	return []pulumi.ResourceOption{b.parent, pulumi.Protect(b.args.Protect)}
}

func (b *builder) build(layout []plannedSubnet) error {
	ctx, name := b.ctx, b.name
	v, err := ec2.NewVpc(ctx, name, &ec2.VpcArgs{
		CidrBlock:          pulumi.String(b.cfg.CIDR),
		EnableDnsSupport:   pulumi.Bool(true),
		EnableDnsHostnames: pulumi.Bool(true),
		Tags:               b.tags("", nil),
	}, b.stateful()...)
	if err != nil {
		return fmt.Errorf("vpc: %w", err)
	}
	b.c.VPCID = v.ID().ToStringOutput()
	b.c.CIDRBlock = v.CidrBlock
	b.c.AvailabilityZones = pulumi.ToStringArray(b.c.Zones).ToStringArrayOutput()

	// Adopt the default security group and leave it without rules, so nothing
	// can use it to reach anything (Security Hub EC2.2).
	if _, err := ec2.NewDefaultSecurityGroup(ctx, name+"-default", &ec2.DefaultSecurityGroupArgs{
		VpcId: v.ID(),
		Tags:  b.tags("-default", nil),
	}, b.parent); err != nil {
		return fmt.Errorf("default security group: %w", err)
	}

	subnets := map[string]*ec2.Subnet{}
	for _, s := range layout {
		extra := map[string]string{"Tier": string(s.Tier)}
		switch s.Tier {
		case Public:
			extra["kubernetes.io/role/elb"] = "1"
		case Private:
			extra["kubernetes.io/role/internal-elb"] = "1"
		}
		sn, err := ec2.NewSubnet(ctx, name+"-"+s.Key(), &ec2.SubnetArgs{
			VpcId:               v.ID(),
			AvailabilityZone:    pulumi.String(s.AZ),
			CidrBlock:           pulumi.String(s.CIDR.String()),
			MapPublicIpOnLaunch: pulumi.Bool(false),
			Tags:                b.tags("-"+s.Key(), extra),
		}, b.stateful()...)
		if err != nil {
			return fmt.Errorf("%s subnet in %s: %w", s.Tier, s.AZ, err)
		}
		subnets[s.Key()] = sn
	}
	b.c.subnetIDs = map[Tier][]pulumi.StringInput{}
	for _, t := range Tiers {
		for _, az := range b.c.Zones {
			b.c.subnetIDs[t] = append(b.c.subnetIDs[t], subnets[string(t)+"-"+az].ID())
		}
	}
	subnetIDs := func(t Tier) pulumi.StringArrayOutput {
		return pulumi.StringArray(b.c.subnetIDs[t]).ToStringArrayOutput()
	}
	b.c.PublicSubnetIDs = subnetIDs(Public)
	b.c.PrivateSubnetIDs = subnetIDs(Private)
	b.c.DataSubnetIDs = subnetIDs(Data)

	natByAZ, err := b.publicTier(v, subnets)
	if err != nil {
		return err
	}
	private, err := b.privateTier(v, subnets, natByAZ)
	if err != nil {
		return err
	}
	data, err := b.dataTier(v, subnets)
	if err != nil {
		return err
	}
	if err := b.endpoints(v, append(slices.Clone(private), data...)); err != nil {
		return err
	}
	return b.flowLogs(v)
}

// publicTier creates the internet gateway, the public route table and the NAT
// gateways, and returns the NAT gateway each AZ's private subnets use.
func (b *builder) publicTier(v *ec2.Vpc, subnets map[string]*ec2.Subnet) (map[string]*ec2.NatGateway, error) {
	ctx, name := b.ctx, b.name
	igw, err := ec2.NewInternetGateway(ctx, name+"-igw", &ec2.InternetGatewayArgs{
		VpcId: v.ID(),
		Tags:  b.tags("-igw", nil),
	}, b.parent)
	if err != nil {
		return nil, fmt.Errorf("internet gateway: %w", err)
	}
	rt, err := ec2.NewRouteTable(ctx, name+"-public", &ec2.RouteTableArgs{
		VpcId: v.ID(),
		Tags:  b.tags("-public", map[string]string{"Tier": string(Public)}),
	}, b.parent)
	if err != nil {
		return nil, fmt.Errorf("public route table: %w", err)
	}
	if _, err := ec2.NewRoute(ctx, name+"-public-internet", &ec2.RouteArgs{
		RouteTableId:         rt.ID(),
		DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
		GatewayId:            igw.ID(),
	}, b.parent); err != nil {
		return nil, fmt.Errorf("public internet route: %w", err)
	}
	b.c.PublicRouteTableIDs = pulumi.StringArray{rt.ID()}.ToStringArrayOutput()
	for _, az := range b.c.Zones {
		key := string(Public) + "-" + az
		if _, err := ec2.NewRouteTableAssociation(ctx, name+"-"+key, &ec2.RouteTableAssociationArgs{
			RouteTableId: rt.ID(),
			SubnetId:     subnets[key].ID(),
		}, b.parent); err != nil {
			return nil, fmt.Errorf("public route table association in %s: %w", az, err)
		}
	}

	natAZs := []string{}
	switch b.cfg.NATMode {
	case NATSingle:
		natAZs = b.c.Zones[:1]
	case NATPerAZ:
		natAZs = b.c.Zones
	}
	byAZ := map[string]*ec2.NatGateway{}
	var ids, ips pulumi.StringArray
	for _, az := range natAZs {
		eip, err := ec2.NewEip(ctx, name+"-nat-"+az, &ec2.EipArgs{
			Domain: pulumi.String("vpc"),
			Tags:   b.tags("-nat-"+az, nil),
		}, b.parent)
		if err != nil {
			return nil, fmt.Errorf("NAT elastic IP in %s: %w", az, err)
		}
		nat, err := ec2.NewNatGateway(ctx, name+"-nat-"+az, &ec2.NatGatewayArgs{
			AllocationId:     eip.ID(),
			SubnetId:         subnets[string(Public)+"-"+az].ID(),
			ConnectivityType: pulumi.String("public"),
			Tags:             b.tags("-nat-"+az, nil),
		}, b.parent, pulumi.DependsOn([]pulumi.Resource{igw}))
		if err != nil {
			return nil, fmt.Errorf("NAT gateway in %s: %w", az, err)
		}
		byAZ[az] = nat
		ids = append(ids, nat.ID())
		b.c.natIDs = append(b.c.natIDs, nat.ID())
		ips = append(ips, eip.PublicIp)
	}
	if b.cfg.NATMode == NATSingle {
		for _, az := range b.c.Zones {
			byAZ[az] = byAZ[natAZs[0]]
		}
	}
	b.c.NATGatewayIDs = ids.ToStringArrayOutput()
	b.c.NATPublicIPs = ips.ToStringArrayOutput()
	return byAZ, nil
}

// privateTier creates one route table per AZ, with a default route through
// that AZ's NAT gateway (if any), and returns the route tables.
func (b *builder) privateTier(v *ec2.Vpc, subnets map[string]*ec2.Subnet, nat map[string]*ec2.NatGateway) ([]*ec2.RouteTable, error) {
	ctx, name := b.ctx, b.name
	var tables []*ec2.RouteTable
	var ids pulumi.StringArray
	for _, az := range b.c.Zones {
		key := string(Private) + "-" + az
		rt, err := ec2.NewRouteTable(ctx, name+"-"+key, &ec2.RouteTableArgs{
			VpcId: v.ID(),
			Tags:  b.tags("-"+key, map[string]string{"Tier": string(Private)}),
		}, b.parent)
		if err != nil {
			return nil, fmt.Errorf("private route table in %s: %w", az, err)
		}
		if gw, ok := nat[az]; ok {
			route, err := ec2.NewRoute(ctx, name+"-"+key+"-nat", &ec2.RouteArgs{
				RouteTableId:         rt.ID(),
				DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
				NatGatewayId:         gw.ID(),
			}, b.parent)
			if err != nil {
				return nil, fmt.Errorf("private NAT route in %s: %w", az, err)
			}
			b.c.EgressReady = append(b.c.EgressReady, route)
		}
		assoc, err := ec2.NewRouteTableAssociation(ctx, name+"-"+key, &ec2.RouteTableAssociationArgs{
			RouteTableId: rt.ID(),
			SubnetId:     subnets[key].ID(),
		}, b.parent)
		if err != nil {
			return nil, fmt.Errorf("private route table association in %s: %w", az, err)
		}
		b.c.EgressReady = append(b.c.EgressReady, assoc)
		tables = append(tables, rt)
		ids = append(ids, rt.ID())
	}
	b.c.PrivateRouteTableIDs = ids.ToStringArrayOutput()
	return tables, nil
}

// dataTier creates the data tier's route table: local routes and gateway
// endpoints only, never a route to an internet or NAT gateway.
func (b *builder) dataTier(v *ec2.Vpc, subnets map[string]*ec2.Subnet) ([]*ec2.RouteTable, error) {
	ctx, name := b.ctx, b.name
	rt, err := ec2.NewRouteTable(ctx, name+"-data", &ec2.RouteTableArgs{
		VpcId: v.ID(),
		Tags:  b.tags("-data", map[string]string{"Tier": string(Data)}),
	}, b.parent)
	if err != nil {
		return nil, fmt.Errorf("data route table: %w", err)
	}
	for _, az := range b.c.Zones {
		key := string(Data) + "-" + az
		if _, err := ec2.NewRouteTableAssociation(ctx, name+"-"+key, &ec2.RouteTableAssociationArgs{
			RouteTableId: rt.ID(),
			SubnetId:     subnets[key].ID(),
		}, b.parent); err != nil {
			return nil, fmt.Errorf("data route table association in %s: %w", az, err)
		}
	}
	b.c.DataRouteTableIDs = pulumi.StringArray{rt.ID()}.ToStringArrayOutput()
	return []*ec2.RouteTable{rt}, nil
}

// endpoints creates the gateway endpoints on the private and data route
// tables, and the interface endpoints in the private subnets behind a
// security group that admits HTTPS from the VPC only.
func (b *builder) endpoints(v *ec2.Vpc, routeTables []*ec2.RouteTable) error {
	ctx, name := b.ctx, b.name
	var rtIDs pulumi.StringArray
	for _, rt := range routeTables {
		rtIDs = append(rtIDs, rt.ID())
	}
	for _, svc := range b.cfg.GatewayEndpoints {
		ep, err := ec2.NewVpcEndpoint(ctx, name+"-"+svc, &ec2.VpcEndpointArgs{
			VpcId:           v.ID(),
			ServiceName:     pulumi.String(fmt.Sprintf("com.amazonaws.%s.%s", b.args.Account.Region, svc)),
			VpcEndpointType: pulumi.String("Gateway"),
			RouteTableIds:   rtIDs,
			Tags:            b.tags("-"+svc, nil),
		}, b.parent)
		if err != nil {
			return fmt.Errorf("%s gateway endpoint: %w", svc, err)
		}
		b.c.EgressReady = append(b.c.EgressReady, ep)
	}
	if len(b.cfg.InterfaceEndpoints) == 0 {
		return nil
	}
	sg, err := ec2.NewSecurityGroup(ctx, name+"-endpoints", &ec2.SecurityGroupArgs{
		VpcId:       v.ID(),
		Description: pulumi.String("Interface VPC endpoints: HTTPS from inside the VPC only"),
		Tags:        b.tags("-endpoints", nil),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("endpoint security group: %w", err)
	}
	if _, err := vpc.NewSecurityGroupIngressRule(ctx, name+"-endpoints-https", &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId: sg.ID(),
		Description:     pulumi.String("HTTPS from the VPC"),
		IpProtocol:      pulumi.String("tcp"),
		FromPort:        pulumi.Int(443),
		ToPort:          pulumi.Int(443),
		CidrIpv4:        v.CidrBlock,
	}, b.parent); err != nil {
		return fmt.Errorf("endpoint security group rule: %w", err)
	}
	for _, svc := range b.cfg.InterfaceEndpoints {
		res := name + "-" + strings.ReplaceAll(svc, ".", "-")
		ep, err := ec2.NewVpcEndpoint(ctx, res, &ec2.VpcEndpointArgs{
			VpcId:             v.ID(),
			ServiceName:       pulumi.String(fmt.Sprintf("com.amazonaws.%s.%s", b.args.Account.Region, svc)),
			VpcEndpointType:   pulumi.String("Interface"),
			PrivateDnsEnabled: pulumi.Bool(true),
			SubnetIds:         b.c.PrivateSubnetIDs,
			SecurityGroupIds:  pulumi.StringArray{sg.ID()},
			Tags:              b.tags("-"+strings.ReplaceAll(svc, ".", "-"), nil),
		}, b.parent)
		if err != nil {
			return fmt.Errorf("%s interface endpoint: %w", svc, err)
		}
		b.c.EgressReady = append(b.c.EgressReady, ep)
	}
	return nil
}

// FlowLogGroupName is the flow-log group of the VPC with the given physical
// name: fixed, so that its key's policy can name it.
func FlowLogGroupName(vpc string) string { return "/aws/vpc/flow-logs/" + vpc }

// flowLogs records all traffic of the VPC to an encrypted log group, through
// a role that can write to that log group and nothing else.
func (b *builder) flowLogs(v *ec2.Vpc) error {
	ctx, name, acct := b.ctx, b.name+"-flowlogs", b.args.Account
	groupName := FlowLogGroupName(parts.PhysicalName(ctx, b.name, 200))
	key, err := parts.NewKey(ctx, name, parts.KeyArgs{
		Account:       acct,
		Description:   "VPC flow logs of " + parts.PhysicalName(ctx, b.name, 200),
		LogGroupNames: []string{groupName},
		Protect:       b.args.Protect,
		Tags:          b.args.Tags,
	}, b.parent)
	if err != nil {
		return err
	}
	lg, err := parts.NewLogGroup(ctx, name, parts.LogGroupArgs{
		Name:          groupName,
		RetentionDays: b.cfg.FlowLogRetentionDays,
		KMSKeyARN:     key.ARN,
		KeepOnDelete:  true,
		Tags:          b.args.Tags,
	}, b.parent)
	if err != nil {
		return err
	}
	b.c.FlowLogGroupName = lg.Name

	trust, err := parts.Policy(parts.Statement{
		Effect:    parts.Allow,
		Principal: &parts.Principal{Service: parts.One(acct.GlobalServicePrincipal("vpc-flow-logs"))},
		Action:    parts.One("sts:AssumeRole"),
		Condition: parts.Conditions{
			"StringEquals": {"aws:SourceAccount": parts.One(acct.ID)},
			"ArnLike":      {"aws:SourceArn": parts.One(acct.ARN("ec2", acct.Region, "vpc-flow-log/*"))},
		},
	}).JSON()
	if err != nil {
		return fmt.Errorf("flow log trust policy: %w", err)
	}
	role, err := iam.NewRole(ctx, name, &iam.RoleArgs{
		Description:      pulumi.String("Lets VPC flow logs write to their log group"),
		AssumeRolePolicy: pulumi.String(trust),
		Tags:             b.tags("-flowlogs", nil),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("flow log role: %w", err)
	}
	policy := lg.Arn.ApplyT(func(arn string) (string, error) {
		return parts.Policy(parts.Statement{
			Effect:   parts.Allow,
			Action:   parts.List("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:DescribeLogGroups"),
			Resource: parts.List(arn, arn+":*"),
		}).JSON()
	}).(pulumi.StringOutput)
	if _, err := iam.NewRolePolicy(ctx, name, &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: policy,
	}, b.parent); err != nil {
		return fmt.Errorf("flow log role policy: %w", err)
	}
	if _, err := ec2.NewFlowLog(ctx, b.name, &ec2.FlowLogArgs{
		VpcId:                  v.ID(),
		TrafficType:            pulumi.String("ALL"),
		LogDestinationType:     pulumi.String("cloud-watch-logs"),
		LogDestination:         lg.Arn,
		IamRoleArn:             role.Arn,
		MaxAggregationInterval: pulumi.Int(b.cfg.FlowLogAggregationSeconds),
		Tags:                   b.tags("-flowlogs", nil),
	}, b.parent); err != nil {
		return fmt.Errorf("flow log: %w", err)
	}
	return nil
}
