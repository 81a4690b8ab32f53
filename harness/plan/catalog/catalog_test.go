package catalog_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/plan/catalog"
)

// The catalog's own records are well formed: no malformed path, no
// duplicate, every replacement with its source, every type a token.
func TestCatalogIsWellFormed(t *testing.T) {
	t.Parallel()
	require.Empty(t, catalog.Problems())
	token := regexp.MustCompile(`^[a-z0-9]+:[A-Za-z0-9./-]+:[A-Za-z0-9]+$`)
	for _, tok := range catalog.Tokens() {
		typ, ok := catalog.Lookup(tok)
		require.True(t, ok)
		require.Equal(t, tok, typ.Token)
		require.Regexp(t, token, tok)
		if typ.Supersedable {
			require.True(t, len(typ.Replace) > 0 || typ.NoUpdate, "%s: supersedable types say what replaces them", tok)
		}
		for _, r := range typ.Replace {
			if r.If != nil {
				require.NotEmpty(t, r.Why, "%s: the condition on %s says why", tok, r.Path)
			}
		}
		if typ.Create.Typical != nil {
			require.NotEmpty(t, typ.Create.Source, "%s: a creation time names its source", tok)
		}
	}
}

// Every price group the estimate can use names its AWS page and a date no
// later than today (2026-12-03, the project's date).
func TestPriceSourcesAreDated(t *testing.T) {
	t.Parallel()
	date := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	for group, src := range catalog.Sources {
		require.Equal(t, group, src.Group)
		require.True(t, strings.HasPrefix(src.Page, "https://aws.amazon.com/"), "%s: %s", group, src.Page)
		require.Regexp(t, date, src.AsOf)
		require.LessOrEqual(t, src.AsOf, "2026-12-03", group)
		require.NotEmpty(t, src.Basis, group)
	}
	for _, region := range []string{"us-east-1", "us-west-2", "us-east-2"} {
		_, ok := catalog.PricesFor(region)
		require.True(t, ok, region)
	}
}

func price(t *testing.T, typ, region string, inputs map[string]any, from map[string]resource.PropertyMap) []catalog.Charge {
	t.Helper()
	ty, ok := catalog.Lookup(typ)
	require.True(t, ok, typ)
	require.NotNil(t, ty.Cost, typ)
	charges := ty.Cost(catalog.Usage{
		Inputs: resource.NewPropertyMapFromMap(inputs), Region: region,
		From: func(input string) resource.PropertyMap { return from[input] },
	})
	for _, c := range charges {
		for _, g := range c.Groups {
			_, ok := catalog.Sources[g]
			require.True(t, ok, "%s: price group %s has a source", typ, g)
		}
	}
	return charges
}

func total(cs []catalog.Charge) (low, high float64) {
	for _, c := range cs {
		low += c.USD
		high += c.High()
	}
	return low, high
}

// The cost rules: Multi-AZ doubles an RDS instance and its storage, Valkey
// nodes cost 20% less than Redis OSS ones, Spot is a range up to On-Demand,
// a cluster broker is three instances, an interface endpoint is billed per
// zone, and what the table lacks is unpriced, never guessed.
func TestCostRules(t *testing.T) {
	t.Parallel()
	single, _ := total(price(t, "aws:rds/instance:Instance", "us-east-1", map[string]any{
		"instanceClass": "db.r6g.large", "allocatedStorage": 100.0, "storageType": "gp3",
	}, nil))
	multi, _ := total(price(t, "aws:rds/instance:Instance", "us-east-1", map[string]any{
		"instanceClass": "db.r6g.large", "allocatedStorage": 100.0, "storageType": "gp3", "multiAz": true,
	}, nil))
	require.InDelta(t, 730*0.225+100*0.115, single, 0.001)
	require.InDelta(t, 2*single, multi, 0.001)

	redis, _ := total(price(t, "aws:elasticache/replicationGroup:ReplicationGroup", "us-east-1", map[string]any{
		"engine": "redis", "nodeType": "cache.r7g.large", "numCacheClusters": 3.0,
	}, nil))
	valkey, _ := total(price(t, "aws:elasticache/replicationGroup:ReplicationGroup", "us-east-1", map[string]any{
		"engine": "valkey", "nodeType": "cache.r7g.large", "numCacheClusters": 3.0,
	}, nil))
	require.InDelta(t, 3*730*0.219, redis, 0.001)
	require.InDelta(t, 0.8*redis, valkey, 0.001)

	lt := resource.NewPropertyMapFromMap(map[string]any{"blockDeviceMappings": []any{map[string]any{"ebs": map[string]any{"volumeSize": 30.0}}}})
	spot := price(t, "aws:eks/nodeGroup:NodeGroup", "us-east-1", map[string]any{
		"capacityType": "SPOT", "instanceTypes": []any{"t3.large", "t3a.large"},
		"scalingConfig": map[string]any{"desiredSize": 2.0},
	}, map[string]resource.PropertyMap{"launchTemplate": lt})
	low, high := total(spot)
	require.InDelta(t, 2*730*0.0752*0.1+2*30*0.08, low, 0.001, "the cheapest type at the largest discount, and the volumes")
	require.InDelta(t, 2*730*0.0832+2*30*0.08, high, 0.001, "the dearest type at On-Demand, and the volumes")

	mq, _ := total(price(t, "aws:mq/broker:Broker", "us-east-1", map[string]any{"hostInstanceType": "mq.m5.large", "deploymentMode": "CLUSTER_MULTI_AZ"}, nil))
	require.InDelta(t, 3*730*0.288, mq, 0.001)

	ep, _ := total(price(t, "aws:ec2/vpcEndpoint:VpcEndpoint", "us-east-1", map[string]any{"vpcEndpointType": "Interface", "subnetIds": []any{"a", "b", "c"}}, nil))
	require.InDelta(t, 3*730*0.01, ep, 0.001)
	gw := price(t, "aws:ec2/vpcEndpoint:VpcEndpoint", "us-east-1", map[string]any{"vpcEndpointType": "Gateway"}, nil)
	require.Empty(t, gw, "gateway endpoints are free")

	extended := price(t, "aws:eks/cluster:Cluster", "us-east-1", map[string]any{"version": "1.33", "upgradePolicy": map[string]any{"supportType": "EXTENDED"}}, nil)
	require.InDelta(t, 73, extended[0].USD, 0.001)
	require.InDelta(t, 438, extended[0].MaxUSD, 0.001)

	unknownClass := price(t, "aws:rds/instance:Instance", "us-east-1", map[string]any{"instanceClass": "db.x99.huge", "allocatedStorage": 20.0}, nil)
	require.Contains(t, unknownClass[0].Unpriced, "no price for db.x99.huge")
	require.Zero(t, unknownClass[0].USD)
	unknownRegion := price(t, "aws:kms/key:Key", "ap-south-2", nil, nil)
	require.Contains(t, unknownRegion[0].Unpriced, `no prices for region "ap-south-2"`)
}

// The mock state says which of its values are made up: an RDS instance's
// address and ARN are known only once it exists; its port is the engine's
// default, known at preview; its inputs are its own.
func TestMockStateMarksWhatItMakesUp(t *testing.T) {
	t.Parallel()
	in := resource.NewPropertyMapFromMap(map[string]any{"identifier": "platform-dev-db", "engineVersion": "16", "manageMasterUserPassword": true})
	state, computed := catalog.MockState(catalog.Env{Region: "us-east-1", AccountID: "111122223333"}, "aws:rds/instance:Instance", "db", "db-id", in)
	require.Contains(t, computed, "address")
	require.Contains(t, computed, "arn")
	require.Contains(t, computed, "masterUserSecrets")
	require.NotContains(t, computed, "port")
	require.NotContains(t, computed, "identifier")
	require.Equal(t, 5432.0, state["port"].NumberValue())
	require.Equal(t, "arn:aws:rds:us-east-1:111122223333:db:platform-dev-db", state["arn"].StringValue())
	require.True(t, strings.HasPrefix(state["address"].StringValue(), "platform-dev-db."))

	typ, _ := catalog.Lookup("aws:rds/instance:Instance")
	require.Equal(t, 15*time.Minute, typ.Duration(resource.NewPropertyMapFromMap(map[string]any{"multiAz": true})))
	require.Equal(t, 9*time.Minute, typ.Duration(resource.NewPropertyMap(nil)))
	var unknown *catalog.Type
	require.Equal(t, catalog.DefaultCreate, unknown.Duration(nil), "a type without a record is a quick API call")
}
