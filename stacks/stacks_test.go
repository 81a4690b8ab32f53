package stacks_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/internal/offline"
	"github.com/acme/platform/internal/offline/offlinetest"
	"github.com/acme/platform/stacks"
)

// runStack runs the real program with a stack's real configuration file.
func runStack(t *testing.T, stack string) *offline.Recorder {
	t.Helper()
	rec, err := offline.Run(offlinetest.StackConfig(t, stack), true, stacks.Run)
	require.NoError(t, err)
	return rec
}

func TestStacksRunWithTheirRealConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		stack      string
		nats       int
		zones      int
		protect    bool
		cacheNodes float64
		brokerMode string
		brokerSubs int
		dbMultiAZ  bool
		dbBackups  float64
	}{
		{stack: "dev", nats: 1, zones: 2, protect: false, cacheNodes: 1, brokerMode: "SINGLE_INSTANCE", brokerSubs: 1, dbMultiAZ: false, dbBackups: 7},
		{stack: "prod", nats: 3, zones: 3, protect: true, cacheNodes: 3, brokerMode: "CLUSTER_MULTI_AZ", brokerSubs: 3, dbMultiAZ: true, dbBackups: 30},
	}
	for _, tt := range tests {
		t.Run(tt.stack, func(t *testing.T) {
			t.Parallel()
			rec := runStack(t, tt.stack)

			// NAT: prod one per AZ, dev exactly one.
			nats := rec.ByType("aws:ec2/natGateway:NatGateway")
			require.Len(t, nats, tt.nats)
			natAZ := map[string]bool{}
			for _, n := range nats {
				natAZ[offlinetest.Str(t, n, "subnetId")] = true
			}
			require.Len(t, natAZ, tt.nats, "NAT gateways are in different subnets (AZs)")
			require.Len(t, rec.ByType("aws:ec2/subnet:Subnet"), 3*tt.zones)

			// The data tier has no route to an internet or NAT gateway.
			for _, r := range rec.ByType("aws:ec2/route:Route") {
				rt := offlinetest.Str(t, r, "routeTableId")
				require.False(t, strings.Contains(rt, "-data"), "route %s on a data route table", r.Name)
			}
			dataRT := 0
			for _, a := range rec.ByType("aws:ec2/routeTableAssociation:RouteTableAssociation") {
				if strings.Contains(offlinetest.Str(t, a, "subnetId"), "-data-") {
					dataRT++
					require.Contains(t, offlinetest.Str(t, a, "routeTableId"), "-data")
				}
			}
			require.Equal(t, tt.zones, dataRT)

			// Flow logs are on, for all traffic, into an encrypted log group.
			fls := rec.ByType("aws:ec2/flowLog:FlowLog")
			require.Len(t, fls, 1)
			require.Equal(t, "ALL", offlinetest.Str(t, fls[0], "trafficType"))
			var flowGroup *offline.Resource
			for _, lg := range rec.ByType("aws:cloudwatch/logGroup:LogGroup") {
				if lg.Outputs["arn"].StringValue() == offlinetest.Str(t, fls[0], "logDestination") {
					flowGroup = lg
				}
			}
			require.NotNil(t, flowGroup, "the flow log writes to a log group of the stack")
			require.True(t, offlinetest.Has(flowGroup, "kmsKeyId"))
			require.True(t, offlinetest.Has(flowGroup, "retentionInDays"))

			// The database: Multi-AZ, retention and deletion protection from
			// the stack; encrypted, private, its master password never ours.
			dbs := rec.ByType("aws:rds/instance:Instance")
			require.Len(t, dbs, 1)
			require.Equal(t, tt.dbMultiAZ, offlinetest.Bool(t, dbs[0], "multiAz"))
			require.Equal(t, tt.dbBackups, offlinetest.Num(t, dbs[0], "backupRetentionPeriod"))
			require.Equal(t, tt.protect, offlinetest.Bool(t, dbs[0], "deletionProtection"))
			require.True(t, offlinetest.Bool(t, dbs[0], "storageEncrypted"))
			require.True(t, offlinetest.Bool(t, dbs[0], "manageMasterUserPassword"))
			require.False(t, offlinetest.Has(dbs[0], "password"))
			require.False(t, offlinetest.Bool(t, dbs[0], "publiclyAccessible"))
			require.Equal(t, tt.protect, dbs[0].Protect)
			require.Len(t, rec.ByType("kubernetes:batch/v1:Job"), 1, "the role bootstrap Job")

			// The cache: replicated with failover exactly when it has replicas.
			rgs := rec.ByType("aws:elasticache/replicationGroup:ReplicationGroup")
			require.Len(t, rgs, 1)
			require.Equal(t, tt.cacheNodes, offlinetest.Num(t, rgs[0], "numCacheClusters"))
			require.Equal(t, tt.cacheNodes > 1, offlinetest.Bool(t, rgs[0], "automaticFailoverEnabled"))
			require.Equal(t, tt.cacheNodes > 1, offlinetest.Bool(t, rgs[0], "multiAzEnabled"))
			require.True(t, offlinetest.Bool(t, rgs[0], "atRestEncryptionEnabled"))
			require.True(t, offlinetest.IsSecret(t, rgs[0], "authToken"))
			require.Equal(t, tt.protect, rgs[0].Protect)

			// The broker: single instance in dev, a three-zone cluster in prod.
			brokers := rec.ByType("aws:mq/broker:Broker")
			require.Len(t, brokers, 1)
			require.Equal(t, tt.brokerMode, offlinetest.Str(t, brokers[0], "deploymentMode"))
			require.Len(t, offlinetest.Strs(t, brokers[0], "subnetIds"), tt.brokerSubs)
			require.False(t, offlinetest.Bool(t, brokers[0], "publiclyAccessible"))
			require.Equal(t, tt.protect, brokers[0].Protect)

			// The cluster: private, encrypted, node groups in every zone.
			clusters := rec.ByType("aws:eks/cluster:Cluster")
			require.Len(t, clusters, 1)
			require.False(t, offlinetest.Bool(t, clusters[0], "vpcConfig.endpointPublicAccess"))
			require.Equal(t, tt.protect, clusters[0].Protect)
			for _, ng := range rec.ByType("aws:eks/nodeGroup:NodeGroup") {
				require.Len(t, offlinetest.Strs(t, ng, "subnetIds"), tt.zones, "node group %s spans every zone", ng.Name)
			}
			require.Len(t, rec.ByType("kubernetes:helm.sh/v3:Release"), 2, "cluster autoscaler and metrics-server")

			// Stateful resources are protected exactly when the stack says so.
			vpc := rec.ByType("aws:ec2/vpc:Vpc")[0]
			require.Equal(t, tt.protect, vpc.Protect)
			for _, k := range rec.ByType("aws:kms/key:Key") {
				require.Equal(t, tt.protect, k.Protect, "key %s", k.Name)
			}
		})
	}
}

func TestStackOutputs(t *testing.T) {
	t.Parallel()
	var p *stacks.Platform
	_, err := offline.Run(offlinetest.StackConfig(t, "dev"), true, func(ctx *pulumi.Context) error {
		cfg, err := stacks.Load(ctx)
		if err != nil {
			return err
		}
		p, err = stacks.Deploy(ctx, cfg)
		return err
	})
	require.NoError(t, err)
	for _, key := range []string{"vpcId", "vpcCidr", "availabilityZones", "publicSubnetIds", "privateSubnetIds", "dataSubnetIds", "natPublicIps", "flowLogGroupName"} {
		require.Contains(t, p.Outputs, key)
	}
	require.Equal(t, "10.10.0.0/16", offlinetest.Await(t, pulumi.ToOutput(p.Outputs["vpcCidr"])).Value)
	kubeconfig := offlinetest.Await(t, pulumi.ToOutput(p.Outputs["kubeconfig"]))
	require.True(t, kubeconfig.Secret, "the kubeconfig is a secret output")
	require.Contains(t, kubeconfig.Value, "get-token")
}
