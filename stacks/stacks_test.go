package stacks_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
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
		dr         bool
		nodeGroups int
		publicAPI  bool
	}{
		{stack: "dev", nats: 1, zones: 2, protect: false, cacheNodes: 1, brokerMode: "SINGLE_INSTANCE", brokerSubs: 1, dbMultiAZ: false, dbBackups: 7, dr: false, nodeGroups: 1, publicAPI: true},
		{stack: "prod", nats: 3, zones: 3, protect: true, cacheNodes: 3, brokerMode: "CLUSTER_MULTI_AZ", brokerSubs: 3, dbMultiAZ: true, dbBackups: 30, dr: true, nodeGroups: 4, publicAPI: false},
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

			// The cluster: encrypted, reachable by the deployers (dev through
			// the public endpoint restricted to the runners' egress, prod
			// through the private endpoint from the runners' network), node
			// groups in every zone (prod's workloads one group per zone).
			clusters := rec.ByType("aws:eks/cluster:Cluster")
			require.Len(t, clusters, 1)
			require.Equal(t, tt.publicAPI, offlinetest.Bool(t, clusters[0], "vpcConfig.endpointPublicAccess"))
			require.Equal(t, tt.protect, clusters[0].Protect)
			require.Len(t, rec.ByType("aws:eks/nodeGroup:NodeGroup"), tt.nodeGroups)
			for _, ng := range rec.ByType("aws:eks/nodeGroup:NodeGroup") {
				want := tt.zones
				if strings.HasPrefix(ng.Name, "eks-workloads-") {
					want = 1
				}
				require.Len(t, offlinetest.Strs(t, ng, "subnetIds"), want, "node group %s", ng.Name)
			}
			require.Len(t, rec.ByType("kubernetes:helm.sh/v3:Release"), 2, "cluster autoscaler and metrics-server")

			// Backups beyond RDS's own: a plan covering the database; in prod
			// copies to a second region through a second provider, and RDS
			// automated-backup replication there.
			plans := rec.ByType("aws:backup/plan:Plan")
			require.Len(t, plans, 1)
			rules, _, _ := offline.Get(plans[0].Inputs, "rules")
			copies := 0
			for _, r := range rules.ArrayValue() {
				if a, ok := r.ObjectValue()["copyActions"]; ok && len(a.ArrayValue()) > 0 {
					copies++
				}
			}
			drProviders := rec.ByType("pulumi:providers:aws")
			replication := rec.ByType("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication")
			if tt.dr {
				require.Len(t, drProviders, 1)
				require.Equal(t, "us-west-2", offlinetest.Str(t, drProviders[0], "region"))
				require.NotZero(t, copies, "every rule copies to the DR vault")
				require.Len(t, replication, 1)
				require.True(t, strings.HasPrefix(replication[0].Provider, drProviders[0].URN+"::"), "replication is created in the DR region")
				require.Len(t, rec.ByType("aws:backup/vaultLockConfiguration:VaultLockConfiguration"), 2)
			} else {
				require.Empty(t, drProviders, "dev has no DR region")
				require.Zero(t, copies)
				require.Empty(t, replication)
			}

			// Every signal has an alarm.
			metrics := map[string]int{}
			for _, a := range rec.ByType("aws:cloudwatch/metricAlarm:MetricAlarm") {
				if m, ok := offline.GetString(a.Inputs, "metricName"); ok {
					metrics[m]++
				} else {
					metrics[a.Name]++ // metric-math alarms (the broker's)
				}
				if m, _ := offline.GetString(a.Inputs, "metricName"); m == "ReadLatency" || m == "WriteLatency" {
					require.Equal(t, "p95", offlinetest.Str(t, a, "extendedStatistic"), "latency is watched at p95")
				}
			}
			for _, m := range []string{"CPUUtilization", "FreeStorageSpace", "FreeableMemory", "DatabaseConnections", "ReadLatency", "WriteLatency"} {
				require.Equal(t, 1, metrics[m], "database alarm on %s", m)
			}
			for _, m := range []string{"EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions"} {
				require.Equal(t, int(tt.cacheNodes), metrics[m], "cache alarm on %s per node", m)
			}
			if tt.cacheNodes > 1 {
				require.Equal(t, int(tt.cacheNodes), metrics["ReplicationLag"])
			} else {
				require.Zero(t, metrics["ReplicationLag"], "no replication lag without replicas")
			}
			require.Equal(t, 1, metrics["monitoring-broker-memory"])
			require.Equal(t, 1, metrics["monitoring-broker-disk"])
			require.Equal(t, tt.nats, metrics["ErrorPortAllocation"], "one alarm per NAT gateway")
			require.Equal(t, tt.nodeGroups, metrics["GroupDesiredCapacity"], "node groups at their maximum")
			require.Len(t, rec.ByType("aws:cloudwatch/dashboard:Dashboard"), 1)

			// Stateful resources are protected exactly when the stack says so.
			for _, typ := range []string{
				"aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:kms/key:Key", "aws:rds/instance:Instance",
				"aws:elasticache/replicationGroup:ReplicationGroup", "aws:mq/broker:Broker", "aws:eks/cluster:Cluster",
				"aws:backup/vault:Vault", "aws:secretsmanager/secret:Secret",
			} {
				list := rec.ByType(typ)
				require.NotEmpty(t, list, typ)
				for _, r := range list {
					require.Equal(t, tt.protect, r.Protect, "%s %s", typ, r.Name)
				}
			}
			for _, k := range rec.ByType("aws:kms/key:Key") {
				require.Equal(t, 30.0, offlinetest.Num(t, k, "deletionWindowInDays"), "key %s", k.Name)
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
		env, err := stacks.Preflight(ctx, cfg)
		if err != nil {
			return err
		}
		p, err = stacks.Deploy(ctx, cfg, env)
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
