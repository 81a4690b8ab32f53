package catalog

import (
	"fmt"
	"hash/fnv"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// The network: VPC, subnets, routing, NAT, endpoints, security groups.
func init() {
	register(
		&Type{
			Token: "aws:ec2/vpc:Vpc",
			Loses: "every subnet, route and endpoint in it, and with them everything that runs in the VPC",
			// Secondary CIDR blocks are separate resources; the rest
			// (DNS, tenancy, IPv6) changes in place.
			Source:     tfaws("ec2/vpc_.go"),
			Replace:    always("cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"),
			Create:     fixed(5*time.Second, "CreateVpc returns an available VPC within seconds"),
			Highlights: paths("cidrBlock"),
			State: func(s *State) {
				s.Computed("defaultSecurityGroupId", resource.NewProperty(s.ID+"-default-sg"))
				s.Computed("defaultRouteTableId", resource.NewProperty(s.ID+"-default-rtb"))
				s.Computed("defaultNetworkAclId", resource.NewProperty(s.ID+"-default-acl"))
				s.Computed("mainRouteTableId", resource.NewProperty(s.ID+"-default-rtb"))
			},
		},
		&Type{
			Token:  "aws:ec2/subnet:Subnet",
			Loses:  "the network interfaces in it: node groups, subnet groups, brokers and endpoints that use it are replaced with it",
			Source: tfaws("ec2/vpc_subnet.go"),
			Replace: always("vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId", "outpostArn",
				"ipv6Native"),
			Create:     fixed(5*time.Second, "CreateSubnet returns an available subnet within seconds"),
			Highlights: paths("availabilityZone", "cidrBlock"),
		},
		&Type{
			Token: "aws:ec2/internetGateway:InternetGateway",
			// vpc_id detaches and attaches in place.
			Source: tfaws("ec2/vpc_internet_gateway.go"),
		},
		&Type{
			Token:  "aws:ec2/eip:Eip",
			Loses:  "its public IPv4 address, which partners may have allow-listed",
			Source: tfaws("ec2/ec2_eip.go"),
			Replace: always("address", "customerOwnedIpv4Pool", "domain", "ipamPoolId", "networkBorderGroup",
				"publicIpv4Pool", "vpc"),
			State: func(s *State) {
				// Derived from the name, so plans are the same from run to run.
				h := fnv.New32a()
				_, _ = h.Write([]byte(s.Name))
				n := h.Sum32()
				s.ComputedDefault("publicIp", resource.NewProperty(fmt.Sprintf("198.51.100.%d", 10+n%200)))
				s.ComputedDefault("allocationId", resource.NewProperty(fmt.Sprintf("eipalloc-%08x", n)))
			},
			Cost: func(u Usage) []Charge {
				p, missing := u.prices("public IPv4 address")
				if missing != nil {
					return unpriced(missing)
				}
				return one(hourly("public IPv4 address", "vpc", p.PublicIPv4Hour, 1))
			},
		},
		&Type{
			Token:  "aws:ec2/natGateway:NatGateway",
			Source: tfaws("ec2/vpc_nat_gateway.go"),
			// Secondary addresses change in place.
			Replace: always("allocationId", "connectivityType", "privateIp", "subnetId"),
			Create: fixed(2*time.Minute, "a NAT gateway takes 1 to 3 minutes to become available "+
				"(terraform-provider-aws waits for it; create timeout 10m)"),
			Highlights: paths("connectivityType"),
			State: func(s *State) {
				s.ComputedDefault("networkInterfaceId", resource.NewProperty(s.ID+"-eni"))
			},
			Cost: func(u Usage) []Charge {
				p, missing := u.prices("NAT gateway")
				if missing != nil {
					return unpriced(missing)
				}
				return one(hourly("NAT gateway", "vpc", p.NATGatewayHour, 1))
			},
			Usage: []string{"NAT gateway data processed (per GB, both directions)", "data transfer out to the internet (per GB)"},
		},
		&Type{
			Token:  "aws:ec2/routeTable:RouteTable",
			Source: tfaws("ec2/vpc_route_table.go"),
			// Inline routes and propagations change in place.
			Replace: always("vpcId"),
			Sets:    paths("routes", "propagatingVgws"),
		},
		&Type{
			Token:  "aws:ec2/route:Route",
			Source: tfaws("ec2/vpc_route.go"),
			// The target (gateway, NAT gateway, endpoint...) changes in place.
			Replace: always("routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId"),
		},
		&Type{
			Token:  "aws:ec2/routeTableAssociation:RouteTableAssociation",
			Source: tfaws("ec2/vpc_route_table_association.go"),
			// The route table changes in place (ReplaceRouteTableAssociation).
			Replace: always("subnetId", "gatewayId"),
		},
		&Type{
			Token:  "aws:ec2/vpcEndpoint:VpcEndpoint",
			Source: tfaws("ec2/vpc_endpoint.go"),
			// Subnets, security groups, route tables, policy and DNS
			// settings change in place.
			Replace: always("serviceName", "vpcEndpointType", "vpcId", "serviceRegion"),
			Sets:    paths("subnetIds", "securityGroupIds", "routeTableIds"),
			Create: Timing{
				Typical: func(in resource.PropertyMap) time.Duration {
					if Str(in, "vpcEndpointType") == "Interface" {
						return 2 * time.Minute
					}
					return 10 * time.Second
				},
				Source: "an interface endpoint takes about 2 minutes to become available (its network interfaces and " +
					"private DNS); a gateway endpoint is a route-table entry",
			},
			Highlights: paths("serviceName", "vpcEndpointType"),
			State: func(s *State) {
				s.ComputedDefault("prefixListId", resource.NewProperty("pl-"+s.ID))
			},
			Cost: func(u Usage) []Charge {
				if Str(u.Inputs, "vpcEndpointType") != "Interface" {
					return nil // gateway endpoints (S3, DynamoDB) are free
				}
				p, missing := u.prices("interface endpoint")
				if missing != nil {
					return unpriced(missing)
				}
				azs := max(Len(u.Inputs, "subnetIds"), 1)
				return one(hourly("interface endpoint, one network interface per zone", "privatelink",
					p.InterfaceEndpointHour, float64(azs)))
			},
			Usage: []string{"interface endpoint data processed (per GB)"},
		},
		&Type{
			Token: "aws:ec2/flowLog:FlowLog",
			// Every argument but tags is ForceNew: the resource's update
			// only handles tags.
			Source:     tfaws("ec2/vpc_flow_log.go"),
			NoUpdate:   true,
			InPlace:    tags,
			Highlights: paths("trafficType", "maxAggregationInterval"),
			Usage:      []string{"flow log records delivered to CloudWatch Logs (per GB ingested and stored)"},
		},
		&Type{
			Token:   "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
			Source:  tfaws("ec2/vpc_default_security_group.go"),
			Replace: always("vpcId"),
			Sets:    paths("ingress", "egress"),
		},
		&Type{
			Token:   "aws:ec2/securityGroup:SecurityGroup",
			Source:  tfaws("ec2/vpc_security_group.go"),
			Replace: always("name", "namePrefix", "description", "vpcId"),
			Sets:    paths("ingress", "egress"),
		},
		&Type{
			Token: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
			// A Plugin Framework resource: only security_group_id has
			// RequiresReplace; ports, protocol and source update in place.
			Source:     tfaws("ec2/vpc_security_group_ingress_rule.go"),
			Replace:    always("securityGroupId"),
			Highlights: paths("fromPort", "referencedSecurityGroupId", "cidrIpv4"),
		},
		&Type{
			Token:      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
			Source:     tfaws("ec2/vpc_security_group_egress_rule.go"),
			Replace:    always("securityGroupId"),
			Highlights: paths("fromPort", "referencedSecurityGroupId", "cidrIpv4"),
		},
	)
}
