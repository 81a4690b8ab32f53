package offline

import (
	"fmt"
	"hash/fnv"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// networkState computes what EC2 returns for the network component's resources.
var networkState = map[string]stateFunc{
	"aws:ec2/vpc:Vpc": func(_ *Recorder, _, id string, s resource.PropertyMap) {
		setDefault(s, "defaultSecurityGroupId", resource.NewProperty(id+"-default-sg"))
		setDefault(s, "defaultRouteTableId", resource.NewProperty(id+"-default-rtb"))
		setDefault(s, "defaultNetworkAclId", resource.NewProperty(id+"-default-acl"))
		setDefault(s, "mainRouteTableId", resource.NewProperty(id+"-default-rtb"))
	},
	"aws:ec2/eip:Eip": func(_ *Recorder, name, _ string, s resource.PropertyMap) {
		// Derived from the name, so plans are the same from run to run.
		h := fnv.New32a()
		_, _ = h.Write([]byte(name))
		n := h.Sum32()
		setDefault(s, "publicIp", resource.NewProperty(fmt.Sprintf("198.51.100.%d", 10+n%200)))
		setDefault(s, "allocationId", resource.NewProperty(fmt.Sprintf("eipalloc-%08x", n)))
	},
	"aws:ec2/natGateway:NatGateway": func(_ *Recorder, _, id string, s resource.PropertyMap) {
		setDefault(s, "networkInterfaceId", resource.NewProperty(id+"-eni"))
	},
	"aws:ec2/vpcEndpoint:VpcEndpoint": func(_ *Recorder, _, id string, s resource.PropertyMap) {
		setDefault(s, "prefixListId", resource.NewProperty("pl-"+id))
	},
}
