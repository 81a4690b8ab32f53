package broker

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/mq"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/internal/check"
)

// Deployment modes Amazon MQ offers for RabbitMQ.
const (
	// SingleInstance is one broker node in one subnet (development).
	SingleInstance = "SINGLE_INSTANCE"
	// ClusterMultiAZ is three nodes in three zones behind one endpoint.
	ClusterMultiAZ = "CLUSTER_MULTI_AZ"
)

// subnetsNeeded is how many subnets each mode takes.
var subnetsNeeded = map[string]int{SingleInstance: 1, ClusterMultiAZ: 3}

// SubnetsNeeded is how many private subnets (one per zone) a deployment mode
// takes; 0 for an unknown mode (which Config.Validate reports).
func SubnetsNeeded(mode string) int { return subnetsNeeded[mode] }

// subnetsFor picks the broker's subnets from the private subnets, one per
// zone in zone order: the first for a single instance, the first three for a
// cluster. Subnets cannot change without replacing the broker, and adding a
// zone to the network only appends to the list, so the pick stays stable.
func subnetsFor(mode string, subnets []pulumi.StringInput) ([]pulumi.StringInput, error) {
	n, ok := subnetsNeeded[mode]
	if !ok {
		return nil, &check.FieldError{Path: "deploymentMode", Message: fmt.Sprintf("unknown deployment mode %q", mode)}
	}
	if len(subnets) < n {
		return nil, &check.FieldError{Path: "subnetIds", Message: fmt.Sprintf(
			"deploymentMode %s needs %d private subnets in different zones, got %d", mode, n, len(subnets))}
	}
	for i, s := range subnets[:n] {
		if s == nil {
			return nil, &check.FieldError{Path: fmt.Sprintf("subnetIds[%d]", i), Message: "is nil"}
		}
	}
	return subnets[:n], nil
}

// amqpsEndpoints returns the amqps:// endpoints of a broker's instances in
// order, without duplicates. A RabbitMQ cluster reports one endpoint (a load
// balancer in front of its three nodes); a single instance reports its own.
func amqpsEndpoints(instances []mq.BrokerInstance) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, inst := range instances {
		for _, e := range inst.Endpoints {
			if strings.HasPrefix(e, "amqps://") && !seen[e] {
				seen[e] = true
				out = append(out, e)
			}
		}
	}
	return out
}

// consoleURL returns the management console URL of the first instance, or ""
// before the broker reports one.
func consoleURL(instances []mq.BrokerInstance) string {
	for _, inst := range instances {
		if inst.ConsoleUrl != nil && *inst.ConsoleUrl != "" {
			return *inst.ConsoleUrl
		}
	}
	return ""
}

// host returns the host name of an amqps:// endpoint
// ("amqps://b-1.mq.eu-west-1.amazonaws.com:5671" → "b-1.mq.eu-west-1.amazonaws.com").
func host(endpoint string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil || u.Scheme != "amqps" || u.Hostname() == "" {
		return "", fmt.Errorf("not an amqps:// endpoint: %q", endpoint)
	}
	return u.Hostname(), nil
}

// generalLogGroupName is where Amazon MQ writes a broker's general log. The
// service creates this group itself (see README.md on its retention).
func generalLogGroupName(brokerID string) string {
	return "/aws/amazonmq/broker/" + brokerID + "/general"
}
