package monitoring_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/monitoring"
)

func strPtr(s string) *string { return &s }

// everything watches one of each kind of resource, with resolved IDs.
func everything(cacheNodes int) monitoring.Targets[string] {
	t := monitoring.Targets[string]{
		Database:    strPtr("platform-test-db"),
		Broker:      strPtr("broker-abc"),
		NATGateways: []string{"nat-a", "nat-b"},
		NodeGroups: []monitoring.NodeGroupTarget[string]{
			{Name: "general", ASG: "eks-general-1", MaxSize: 6},
			{Name: "batch", ASG: "eks-batch-1", MaxSize: 10},
		},
	}
	for n := 1; n <= cacheNodes; n++ {
		t.CacheClusters = append(t.CacheClusters, monitoring.CacheClusterID("rg", n))
	}
	return t
}

func keys(sigs []monitoring.Signal[string]) []string {
	var out []string
	for _, s := range sigs {
		out = append(out, s.Key)
	}
	return out
}

func TestSignalsCoverEveryTarget(t *testing.T) {
	t.Parallel()
	sigs := monitoring.Signals(monitoring.DefaultConfig(), everything(2))
	require.Equal(t, []string{
		"db-cpu", "db-free-storage", "db-freeable-memory", "db-connections", "db-read-latency", "db-write-latency",
		"cache-001-engine-cpu", "cache-001-memory", "cache-001-evictions", "cache-001-replication-lag",
		"cache-002-engine-cpu", "cache-002-memory", "cache-002-evictions", "cache-002-replication-lag",
		"broker-memory", "broker-disk",
		"nat-0-port-allocation", "nat-1-port-allocation",
		"nodes-general-at-max", "nodes-batch-at-max",
	}, keys(sigs))
	for _, s := range sigs {
		require.NotEmpty(t, s.Description, s.Key)
		require.Contains(t, []string{monitoring.Missing, monitoring.NotBreaching}, s.TreatMissingData, s.Key)
		require.NotEmpty(t, s.Kind, s.Key)
		require.NotEmpty(t, s.Section, s.Key)
	}
}

func TestReplicationLagSignalsOnlyWithReplicas(t *testing.T) {
	t.Parallel()
	for nodes, lag := range map[int]int{1: 0, 2: 2, 3: 3} {
		n := 0
		for _, s := range monitoring.Signals(monitoring.DefaultConfig(), everything(nodes)) {
			if s.Kind == "cache-replication-lag" {
				n++
			}
		}
		require.Equal(t, lag, n, "%d nodes", nodes)
	}
}

func TestSignalDefinitions(t *testing.T) {
	t.Parallel()
	c := monitoring.DefaultConfig()
	c.Database = monitoring.DatabaseThresholds{CPUPercent: 70, FreeStorageGiB: 10, FreeableMemoryMiB: 512, Connections: new(300), ReadLatencyP95Ms: 15, WriteLatencyP95Ms: 25}
	c.Cache = monitoring.CacheThresholds{EngineCPUPercent: 75, MemoryPercent: 85, Evictions: 100, ReplicationLagSeconds: 10}
	c.Broker = monitoring.BrokerThresholds{MemoryPercent: 60, DiskFreeLimitMultiple: 3}
	c.NAT.PortAllocationErrors = 5
	byKey := map[string]monitoring.Signal[string]{}
	for _, s := range monitoring.Signals(c, everything(2)) {
		byKey[s.Key] = s
	}
	type want struct {
		namespace, metric, stat, dim, value string
		comparison                          string
		threshold                           float64
		missing                             string
	}
	tests := map[string]want{
		"db-cpu":                    {"AWS/RDS", "CPUUtilization", "Average", "DBInstanceIdentifier", "platform-test-db", monitoring.Above, 70, monitoring.Missing},
		"db-free-storage":           {"AWS/RDS", "FreeStorageSpace", "Minimum", "DBInstanceIdentifier", "platform-test-db", monitoring.Below, 10 * (1 << 30), monitoring.Missing},
		"db-freeable-memory":        {"AWS/RDS", "FreeableMemory", "Minimum", "DBInstanceIdentifier", "platform-test-db", monitoring.Below, 512 * (1 << 20), monitoring.Missing},
		"db-connections":            {"AWS/RDS", "DatabaseConnections", "Maximum", "DBInstanceIdentifier", "platform-test-db", monitoring.Above, 300, monitoring.Missing},
		"db-read-latency":           {"AWS/RDS", "ReadLatency", "p95", "DBInstanceIdentifier", "platform-test-db", monitoring.Above, 0.015, monitoring.NotBreaching},
		"db-write-latency":          {"AWS/RDS", "WriteLatency", "p95", "DBInstanceIdentifier", "platform-test-db", monitoring.Above, 0.025, monitoring.NotBreaching},
		"cache-002-engine-cpu":      {"AWS/ElastiCache", "EngineCPUUtilization", "Average", "CacheClusterId", "rg-002", monitoring.Above, 75, monitoring.Missing},
		"cache-001-memory":          {"AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "Average", "CacheClusterId", "rg-001", monitoring.Above, 85, monitoring.Missing},
		"cache-001-evictions":       {"AWS/ElastiCache", "Evictions", "Sum", "CacheClusterId", "rg-001", monitoring.Above, 100, monitoring.NotBreaching},
		"cache-002-replication-lag": {"AWS/ElastiCache", "ReplicationLag", "Maximum", "CacheClusterId", "rg-002", monitoring.Above, 10, monitoring.NotBreaching},
		"nat-1-port-allocation":     {"AWS/NATGateway", "ErrorPortAllocation", "Sum", "NatGatewayId", "nat-b", monitoring.Above, 5, monitoring.NotBreaching},
		"nodes-batch-at-max":        {"AWS/AutoScaling", "GroupDesiredCapacity", "Maximum", "AutoScalingGroupName", "eks-batch-1", monitoring.AtOrAbove, 10, monitoring.Missing},
	}
	for key, w := range tests {
		s, ok := byKey[key]
		require.True(t, ok, key)
		require.Empty(t, s.Expression, key)
		require.Len(t, s.Metrics, 1, key)
		m := s.Metrics[0]
		require.Equal(t, w.namespace, m.Namespace, key)
		require.Equal(t, w.metric, m.Name, key)
		require.Equal(t, w.stat, m.Stat, key)
		require.Equal(t, []monitoring.Dimension[string]{{Name: w.dim, Value: w.value}}, m.Dimensions, key)
		require.Equal(t, w.comparison, s.Comparison, key)
		require.InDelta(t, w.threshold, s.Threshold, 1e-9, key)
		require.Equal(t, w.missing, s.TreatMissingData, key)
		require.Equal(t, w.stat == "p95", s.Percentile(), key)
	}

	mem := byKey["broker-memory"]
	require.Equal(t, "100 * broker_mem_used / broker_mem_limit", mem.Expression)
	require.Equal(t, 60.0, mem.Threshold)
	require.Equal(t, monitoring.Above, mem.Comparison)
	disk := byKey["broker-disk"]
	require.Equal(t, "broker_disk_free / broker_disk_limit", disk.Expression)
	require.Equal(t, 3.0, disk.Threshold)
	require.Equal(t, monitoring.Below, disk.Comparison)
	for _, s := range []monitoring.Signal[string]{mem, disk} {
		require.False(t, s.Percentile())
		require.Len(t, s.Metrics, 2)
		for _, m := range s.Metrics {
			require.Equal(t, "AWS/AmazonMQ", m.Namespace)
			require.Equal(t, []monitoring.Dimension[string]{{Name: "Broker", Value: "broker-abc"}}, m.Dimensions)
			require.Contains(t, s.Expression, m.ID, "the expression reads every input")
		}
	}
	require.Equal(t, []string{"RabbitMQMemUsed", "RabbitMQMemLimit"}, []string{mem.Metrics[0].Name, mem.Metrics[1].Name})
	require.Equal(t, []string{"RabbitMQDiskFree", "RabbitMQDiskFreeLimit"}, []string{disk.Metrics[0].Name, disk.Metrics[1].Name})
}

func TestSignalsWithoutTargets(t *testing.T) {
	t.Parallel()
	require.Empty(t, monitoring.Signals(monitoring.DefaultConfig(), monitoring.Targets[string]{}))
}

func TestMapTargetsVisitsInOneOrder(t *testing.T) {
	t.Parallel()
	var seen []string
	index := monitoring.MapTargets(everything(2), func(s string) int {
		seen = append(seen, s)
		return len(seen) - 1
	})
	require.Equal(t, []string{"platform-test-db", "rg-001", "rg-002", "broker-abc", "nat-a", "nat-b", "eks-general-1", "eks-batch-1"}, seen)
	back := monitoring.MapTargets(index, func(i int) string { return seen[i] })
	require.Equal(t, everything(2), back, "flattening and rebuilding gives the same targets")
}
