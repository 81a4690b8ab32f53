package monitoring

import (
	"fmt"
	"strings"
)

// CloudWatch comparison operators and missing-data treatments the signals use.
const (
	above        = "GreaterThanThreshold"
	atOrAbove    = "GreaterThanOrEqualToThreshold"
	below        = "LessThanThreshold"
	missing      = "missing"      // keep INSUFFICIENT_DATA visible: the metric should always be there
	notBreaching = "notBreaching" // no data means nothing happened
)

// watchTargets are the watched resources' identifiers: pulumi.StringInput for the
// alarms, resolved strings for the dashboard. A nil pointer or empty slice
// watches nothing of that kind.
type watchTargets[V any] struct {
	// Database is the RDS instance identifier.
	Database *V
	// CacheClusters are the replication group's member clusters, one per
	// node ("<group>-001", "-002", ...). ElastiCache publishes node metrics
	// per member cluster.
	CacheClusters []V
	// Broker is the Amazon MQ broker's name.
	Broker *V
	// NATGateways are the NAT gateway IDs.
	NATGateways []V
	// NodeGroups are the node groups' Auto Scaling groups.
	NodeGroups []nodeGroupTarget[V]
}

// nodeGroupTarget is one node group's Auto Scaling group and its maximum.
type nodeGroupTarget[V any] struct {
	Name    string
	ASG     V
	MaxSize int
}

// dimension is one metric dimension.
type dimension[V any] struct {
	Name  string
	Value V
}

// metric is one CloudWatch metric. Stat is a statistic ("Average",
// "Maximum", "Minimum", "Sum") or a percentile ("p95").
type metric[V any] struct {
	// ID names the metric in a math expression; unique across all signals.
	ID         string
	Namespace  string
	Name       string
	Stat       string
	Dimensions []dimension[V]
}

// signal is one watched condition: an alarm and a dashboard line. It reads
// either one metric or a math Expression over Metrics.
type signal[V any] struct {
	// Key names the alarm resource ("db-cpu", "cache-002-replication-lag").
	Key string
	// Kind groups signals of one sort on one dashboard widget ("cache-cpu").
	Kind string
	// Section is the dashboard heading ("Database", "Cache", ...).
	Section string
	// Title is the widget title; Label the line's label.
	Title string
	Label string
	// Metrics holds one metric, or the inputs of Expression.
	Metrics    []metric[V]
	Expression string
	Comparison string
	Threshold  float64
	// TreatMissingData is chosen per metric: missing where the metric is
	// always published (its absence is news), notBreaching where silence
	// means nothing happened.
	TreatMissingData string
	Description      string
}

// percentile reports whether the signal reads a percentile (an alarm must
// send it as extendedStatistic, not statistic).
func (s signal[V]) percentile() bool {
	return s.Expression == "" && len(s.Metrics) == 1 && strings.HasPrefix(s.Metrics[0].Stat, "p")
}

const (
	gib = 1 << 30
	mib = 1 << 20
)

// signalsFor plans every signal for the targets, in a stable order.
func signalsFor[V any](c Config, t watchTargets[V]) []signal[V] {
	var out []signal[V]
	if t.Database != nil {
		out = append(out, databaseSignals(c.Database, *t.Database)...)
	}
	for i, id := range t.CacheClusters {
		out = append(out, cacheSignals(c.Cache, fmt.Sprintf("%03d", i+1), id, len(t.CacheClusters) > 1)...)
	}
	if t.Broker != nil {
		out = append(out, brokerSignals(c.Broker, *t.Broker)...)
	}
	for i, id := range t.NATGateways {
		n := fmt.Sprint(i)
		out = append(out, signal[V]{
			Key: "nat-" + n + "-port-allocation", Kind: "nat-port-allocation", Section: "Network",
			Title: "NAT gateway port-allocation errors", Label: "NAT " + n,
			Metrics:    []metric[V]{one("AWS/NATGateway", "ErrorPortAllocation", "Sum", "NatGatewayId", id)},
			Comparison: above, Threshold: float64(c.NAT.PortAllocationErrors), TreatMissingData: notBreaching,
			Description: fmt.Sprintf("NAT gateway %s could not allocate a source port for more than %d connections in a period: too many concurrent connections to one destination. Spread the traffic (more NAT gateways or addresses) or use VPC endpoints.", n, c.NAT.PortAllocationErrors),
		})
	}
	for _, g := range t.NodeGroups {
		out = append(out, signal[V]{
			Key: "nodes-" + g.Name + "-at-max", Kind: "nodes-at-max", Section: "Cluster",
			Title: "Node groups: desired capacity (alarm at maximum)", Label: g.Name,
			Metrics:    []metric[V]{one("AWS/AutoScaling", "GroupDesiredCapacity", "Maximum", "AutoScalingGroupName", g.ASG)},
			Comparison: atOrAbove, Threshold: float64(g.MaxSize), TreatMissingData: missing,
			Description: fmt.Sprintf("Node group %s wants its maximum of %d nodes: the cluster autoscaler cannot add capacity and pending pods stay pending. Raise maxSize or add a node group. (Needs the Auto Scaling group's group metrics collection; INSUFFICIENT_DATA means it is off.)", g.Name, g.MaxSize),
		})
	}
	return out
}

func databaseSignals[V any](d DatabaseThresholds, id V) []signal[V] {
	connections := 0
	if d.Connections != nil {
		connections = *d.Connections
	}
	m := func(name, stat string) []metric[V] {
		return []metric[V]{one("AWS/RDS", name, stat, "DBInstanceIdentifier", id)}
	}
	base := signal[V]{Section: "Database", TreatMissingData: missing}
	sig := func(s signal[V]) signal[V] {
		s.Section, s.Kind = base.Section, s.Key
		if s.TreatMissingData == "" {
			s.TreatMissingData = base.TreatMissingData
		}
		return s
	}
	return []signal[V]{
		sig(signal[V]{Key: "db-cpu", Title: "Database CPU (%)", Label: "CPU", Metrics: m("CPUUtilization", "Average"),
			Comparison: above, Threshold: float64(d.CPUPercent),
			Description: fmt.Sprintf("PostgreSQL CPU above %d%%: look for expensive queries (Performance Insights) or move to a larger instance class.", d.CPUPercent)}),
		sig(signal[V]{Key: "db-free-storage", Title: "Database free storage (bytes)", Label: "free storage", Metrics: m("FreeStorageSpace", "Minimum"),
			Comparison: below, Threshold: float64(d.FreeStorageGiB) * gib,
			Description: fmt.Sprintf("PostgreSQL has less than %d GiB of free storage; storage autoscaling stops at maxAllocatedStorageGiB. Raise it or free space before writes fail.", d.FreeStorageGiB)}),
		sig(signal[V]{Key: "db-freeable-memory", Title: "Database freeable memory (bytes)", Label: "freeable memory", Metrics: m("FreeableMemory", "Minimum"),
			Comparison: below, Threshold: float64(d.FreeableMemoryMiB) * mib,
			Description: fmt.Sprintf("PostgreSQL has less than %d MiB of freeable memory: the instance is about to swap. Reduce connections or work_mem, or move to a larger instance class.", d.FreeableMemoryMiB)}),
		sig(signal[V]{Key: "db-connections", Title: "Database connections", Label: "connections", Metrics: m("DatabaseConnections", "Maximum"),
			Comparison: above, Threshold: float64(connections),
			Description: fmt.Sprintf("More than %d connections to PostgreSQL: check for connection leaks or add a pooler before max_connections refuses clients.", connections)}),
		// An idle volume reports no latency: silence is not slowness.
		sig(signal[V]{Key: "db-read-latency", Title: "Database read latency p95 (s)", Label: "read p95", Metrics: m("ReadLatency", "p95"),
			Comparison: above, Threshold: float64(d.ReadLatencyP95Ms) / 1000, TreatMissingData: notBreaching,
			Description: fmt.Sprintf("95th percentile read latency above %d ms: the volume is saturated (check IOPS and throughput) or queries read far more than they should.", d.ReadLatencyP95Ms)}),
		sig(signal[V]{Key: "db-write-latency", Title: "Database write latency p95 (s)", Label: "write p95", Metrics: m("WriteLatency", "p95"),
			Comparison: above, Threshold: float64(d.WriteLatencyP95Ms) / 1000, TreatMissingData: notBreaching,
			Description: fmt.Sprintf("95th percentile write latency above %d ms: the volume is saturated (check IOPS and throughput) or writes are too heavy.", d.WriteLatencyP95Ms)}),
	}
}

func cacheSignals[V any](c CacheThresholds, node string, id V, replicated bool) []signal[V] {
	m := func(name, stat string) []metric[V] {
		return []metric[V]{one("AWS/ElastiCache", name, stat, "CacheClusterId", id)}
	}
	key := "cache-" + node + "-"
	out := []signal[V]{
		{Key: key + "engine-cpu", Kind: "cache-engine-cpu", Title: "Cache engine CPU (%)", Metrics: m("EngineCPUUtilization", "Average"),
			Comparison: above, Threshold: float64(c.EngineCPUPercent), TreatMissingData: missing,
			Description: fmt.Sprintf("Redis's engine thread on node %s is above %d%% CPU: commands queue up. Look for slow commands (SLOWLOG) or scale up.", node, c.EngineCPUPercent)},
		{Key: key + "memory", Kind: "cache-memory", Title: "Cache memory used (% of maxmemory)", Metrics: m("DatabaseMemoryUsagePercentage", "Average"),
			Comparison: above, Threshold: float64(c.MemoryPercent), TreatMissingData: missing,
			Description: fmt.Sprintf("Node %s uses more than %d%% of maxmemory: evictions follow. Set TTLs, trim keys or move to a larger node type.", node, c.MemoryPercent)},
		// Evictions are published as counts; a quiet cache publishes none.
		{Key: key + "evictions", Kind: "cache-evictions", Title: "Cache evictions", Metrics: m("Evictions", "Sum"),
			Comparison: above, Threshold: float64(c.Evictions), TreatMissingData: notBreaching,
			Description: fmt.Sprintf("Node %s evicted more than %d keys in a period: the cache is full and is dropping data. Move to a larger node type.", node, c.Evictions)},
	}
	if replicated {
		// Only replicas publish ReplicationLag, and a failover swaps roles:
		// every node is watched, and a node that is primary stays quiet.
		out = append(out, signal[V]{Key: key + "replication-lag", Kind: "cache-replication-lag", Title: "Cache replication lag (s)", Metrics: m("ReplicationLag", "Maximum"),
			Comparison: above, Threshold: float64(c.ReplicationLagSeconds), TreatMissingData: notBreaching,
			Description: fmt.Sprintf("Replica %s is more than %d s behind the primary: a failover now would lose those writes. Check network and write volume.", node, c.ReplicationLagSeconds)})
	}
	for i := range out {
		out[i].Section, out[i].Label = "Cache", "node "+node
	}
	return out
}

func brokerSignals[V any](b BrokerThresholds, name V) []signal[V] {
	m := func(id, metric string) metric[V] {
		return one("AWS/AmazonMQ", metric, "Average", "Broker", name).withID(id)
	}
	// Amazon MQ reports RabbitMQ's memory and disk with their limits (summed
	// over a cluster's nodes); ratios hold for any instance size.
	return []signal[V]{
		{Key: "broker-memory", Kind: "broker-memory", Section: "Broker", Title: "Broker memory used (% of RabbitMQ's limit)", Label: "memory %",
			Metrics:    []metric[V]{m("broker_mem_used", "RabbitMQMemUsed"), m("broker_mem_limit", "RabbitMQMemLimit")},
			Expression: "100 * broker_mem_used / broker_mem_limit",
			Comparison: above, Threshold: float64(b.MemoryPercent), TreatMissingData: missing,
			Description: fmt.Sprintf("RabbitMQ uses more than %d%% of its memory limit; at 100%% it blocks every publisher. Drain queues (are consumers down?) or move to a larger instance type.", b.MemoryPercent)},
		{Key: "broker-disk", Kind: "broker-disk", Section: "Broker", Title: "Broker free disk (multiple of RabbitMQ's limit)", Label: "free disk / limit",
			Metrics:    []metric[V]{m("broker_disk_free", "RabbitMQDiskFree"), m("broker_disk_limit", "RabbitMQDiskFreeLimit")},
			Expression: "broker_disk_free / broker_disk_limit",
			Comparison: below, Threshold: b.DiskFreeLimitMultiple, TreatMissingData: missing,
			Description: fmt.Sprintf("RabbitMQ's free disk is below %g times its disk free limit; at the limit it blocks every publisher. Drain queues (are consumers down?) or purge what nobody reads.", b.DiskFreeLimitMultiple)},
	}
}

// one is a metric with a single dimension.
func one[V any](namespace, name, stat, dim string, value V) metric[V] {
	return metric[V]{Namespace: namespace, Name: name, Stat: stat, Dimensions: []dimension[V]{{Name: dim, Value: value}}}
}

func (m metric[V]) withID(id string) metric[V] {
	m.ID = id
	return m
}

// mapTargets converts the identifiers of t with f, visiting them in one fixed
// order (database, cache clusters, broker, NAT gateways, node groups), so a
// caller can flatten them and rebuild them after resolving.
func mapTargets[A, B any](t watchTargets[A], f func(A) B) watchTargets[B] {
	var out watchTargets[B]
	if t.Database != nil {
		v := f(*t.Database)
		out.Database = &v
	}
	for _, c := range t.CacheClusters {
		out.CacheClusters = append(out.CacheClusters, f(c))
	}
	if t.Broker != nil {
		v := f(*t.Broker)
		out.Broker = &v
	}
	for _, n := range t.NATGateways {
		out.NATGateways = append(out.NATGateways, f(n))
	}
	for _, g := range t.NodeGroups {
		out.NodeGroups = append(out.NodeGroups, nodeGroupTarget[B]{Name: g.Name, ASG: f(g.ASG), MaxSize: g.MaxSize})
	}
	return out
}
