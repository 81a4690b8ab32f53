package monitoring

import (
	"fmt"
	"strings"
)

// CloudWatch comparison operators and missing-data treatments the signals use.
const (
	Above        = "GreaterThanThreshold"
	AtOrAbove    = "GreaterThanOrEqualToThreshold"
	Below        = "LessThanThreshold"
	Missing      = "missing"      // keep INSUFFICIENT_DATA visible: the metric should always be there
	NotBreaching = "notBreaching" // no data means nothing happened
)

// Targets are the watched resources' identifiers: pulumi.StringInput for the
// alarms, resolved strings for the dashboard. A nil pointer or empty slice
// watches nothing of that kind.
type Targets[V any] struct {
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
	NodeGroups []NodeGroupTarget[V]
}

// NodeGroupTarget is one node group's Auto Scaling group and its maximum.
type NodeGroupTarget[V any] struct {
	Name    string
	ASG     V
	MaxSize int
}

// Dimension is one metric dimension.
type Dimension[V any] struct {
	Name  string
	Value V
}

// Metric is one CloudWatch metric. Stat is a statistic ("Average",
// "Maximum", "Minimum", "Sum") or a percentile ("p95").
type Metric[V any] struct {
	// ID names the metric in a math expression; unique across all signals.
	ID         string
	Namespace  string
	Name       string
	Stat       string
	Dimensions []Dimension[V]
}

// Signal is one watched condition: an alarm and a dashboard line. It reads
// either one metric or a math Expression over Metrics.
type Signal[V any] struct {
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
	Metrics    []Metric[V]
	Expression string
	Comparison string
	Threshold  float64
	// TreatMissingData is chosen per metric: Missing where the metric is
	// always published (its absence is news), NotBreaching where silence
	// means nothing happened.
	TreatMissingData string
	Description      string
}

// Percentile reports whether the signal reads a percentile (an alarm must
// send it as extendedStatistic, not statistic).
func (s Signal[V]) Percentile() bool {
	return s.Expression == "" && len(s.Metrics) == 1 && strings.HasPrefix(s.Metrics[0].Stat, "p")
}

const (
	gib = 1 << 30
	mib = 1 << 20
)

// Signals plans every signal for the targets, in a stable order.
func Signals[V any](c Config, t Targets[V]) []Signal[V] {
	var out []Signal[V]
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
		out = append(out, Signal[V]{
			Key: "nat-" + n + "-port-allocation", Kind: "nat-port-allocation", Section: "Network",
			Title: "NAT gateway port-allocation errors", Label: "NAT " + n,
			Metrics:    []Metric[V]{one("AWS/NATGateway", "ErrorPortAllocation", "Sum", "NatGatewayId", id)},
			Comparison: Above, Threshold: float64(c.NAT.PortAllocationErrors), TreatMissingData: NotBreaching,
			Description: fmt.Sprintf("NAT gateway %s could not allocate a source port for more than %d connections in a period: too many concurrent connections to one destination. Spread the traffic (more NAT gateways or addresses) or use VPC endpoints.", n, c.NAT.PortAllocationErrors),
		})
	}
	for _, g := range t.NodeGroups {
		out = append(out, Signal[V]{
			Key: "nodes-" + g.Name + "-at-max", Kind: "nodes-at-max", Section: "Cluster",
			Title: "Node groups: desired capacity (alarm at maximum)", Label: g.Name,
			Metrics:    []Metric[V]{one("AWS/AutoScaling", "GroupDesiredCapacity", "Maximum", "AutoScalingGroupName", g.ASG)},
			Comparison: AtOrAbove, Threshold: float64(g.MaxSize), TreatMissingData: Missing,
			Description: fmt.Sprintf("Node group %s wants its maximum of %d nodes: the cluster autoscaler cannot add capacity and pending pods stay pending. Raise maxSize or add a node group. (Needs the Auto Scaling group's group metrics collection; INSUFFICIENT_DATA means it is off.)", g.Name, g.MaxSize),
		})
	}
	return out
}

func databaseSignals[V any](d DatabaseThresholds, id V) []Signal[V] {
	connections := 0
	if d.Connections != nil {
		connections = *d.Connections
	}
	m := func(name, stat string) []Metric[V] {
		return []Metric[V]{one("AWS/RDS", name, stat, "DBInstanceIdentifier", id)}
	}
	base := Signal[V]{Section: "Database", TreatMissingData: Missing}
	sig := func(s Signal[V]) Signal[V] {
		s.Section, s.Kind = base.Section, s.Key
		if s.TreatMissingData == "" {
			s.TreatMissingData = base.TreatMissingData
		}
		return s
	}
	return []Signal[V]{
		sig(Signal[V]{Key: "db-cpu", Title: "Database CPU (%)", Label: "CPU", Metrics: m("CPUUtilization", "Average"),
			Comparison: Above, Threshold: float64(d.CPUPercent),
			Description: fmt.Sprintf("PostgreSQL CPU above %d%%: look for expensive queries (Performance Insights) or move to a larger instance class.", d.CPUPercent)}),
		sig(Signal[V]{Key: "db-free-storage", Title: "Database free storage (bytes)", Label: "free storage", Metrics: m("FreeStorageSpace", "Minimum"),
			Comparison: Below, Threshold: float64(d.FreeStorageGiB) * gib,
			Description: fmt.Sprintf("PostgreSQL has less than %d GiB of free storage; storage autoscaling stops at maxAllocatedStorageGiB. Raise it or free space before writes fail.", d.FreeStorageGiB)}),
		sig(Signal[V]{Key: "db-freeable-memory", Title: "Database freeable memory (bytes)", Label: "freeable memory", Metrics: m("FreeableMemory", "Minimum"),
			Comparison: Below, Threshold: float64(d.FreeableMemoryMiB) * mib,
			Description: fmt.Sprintf("PostgreSQL has less than %d MiB of freeable memory: the instance is about to swap. Reduce connections or work_mem, or move to a larger instance class.", d.FreeableMemoryMiB)}),
		sig(Signal[V]{Key: "db-connections", Title: "Database connections", Label: "connections", Metrics: m("DatabaseConnections", "Maximum"),
			Comparison: Above, Threshold: float64(connections),
			Description: fmt.Sprintf("More than %d connections to PostgreSQL: check for connection leaks or add a pooler before max_connections refuses clients.", connections)}),
		// An idle volume reports no latency: silence is not slowness.
		sig(Signal[V]{Key: "db-read-latency", Title: "Database read latency p95 (s)", Label: "read p95", Metrics: m("ReadLatency", "p95"),
			Comparison: Above, Threshold: float64(d.ReadLatencyP95Ms) / 1000, TreatMissingData: NotBreaching,
			Description: fmt.Sprintf("95th percentile read latency above %d ms: the volume is saturated (check IOPS and throughput) or queries read far more than they should.", d.ReadLatencyP95Ms)}),
		sig(Signal[V]{Key: "db-write-latency", Title: "Database write latency p95 (s)", Label: "write p95", Metrics: m("WriteLatency", "p95"),
			Comparison: Above, Threshold: float64(d.WriteLatencyP95Ms) / 1000, TreatMissingData: NotBreaching,
			Description: fmt.Sprintf("95th percentile write latency above %d ms: the volume is saturated (check IOPS and throughput) or writes are too heavy.", d.WriteLatencyP95Ms)}),
	}
}

func cacheSignals[V any](c CacheThresholds, node string, id V, replicated bool) []Signal[V] {
	m := func(name, stat string) []Metric[V] {
		return []Metric[V]{one("AWS/ElastiCache", name, stat, "CacheClusterId", id)}
	}
	key := "cache-" + node + "-"
	out := []Signal[V]{
		{Key: key + "engine-cpu", Kind: "cache-engine-cpu", Title: "Cache engine CPU (%)", Metrics: m("EngineCPUUtilization", "Average"),
			Comparison: Above, Threshold: float64(c.EngineCPUPercent), TreatMissingData: Missing,
			Description: fmt.Sprintf("Redis's engine thread on node %s is above %d%% CPU: commands queue up. Look for slow commands (SLOWLOG) or scale up.", node, c.EngineCPUPercent)},
		{Key: key + "memory", Kind: "cache-memory", Title: "Cache memory used (% of maxmemory)", Metrics: m("DatabaseMemoryUsagePercentage", "Average"),
			Comparison: Above, Threshold: float64(c.MemoryPercent), TreatMissingData: Missing,
			Description: fmt.Sprintf("Node %s uses more than %d%% of maxmemory: evictions follow. Set TTLs, trim keys or move to a larger node type.", node, c.MemoryPercent)},
		// Evictions are published as counts; a quiet cache publishes none.
		{Key: key + "evictions", Kind: "cache-evictions", Title: "Cache evictions", Metrics: m("Evictions", "Sum"),
			Comparison: Above, Threshold: float64(c.Evictions), TreatMissingData: NotBreaching,
			Description: fmt.Sprintf("Node %s evicted more than %d keys in a period: the cache is full and is dropping data. Move to a larger node type.", node, c.Evictions)},
	}
	if replicated {
		// Only replicas publish ReplicationLag, and a failover swaps roles:
		// every node is watched, and a node that is primary stays quiet.
		out = append(out, Signal[V]{Key: key + "replication-lag", Kind: "cache-replication-lag", Title: "Cache replication lag (s)", Metrics: m("ReplicationLag", "Maximum"),
			Comparison: Above, Threshold: float64(c.ReplicationLagSeconds), TreatMissingData: NotBreaching,
			Description: fmt.Sprintf("Replica %s is more than %d s behind the primary: a failover now would lose those writes. Check network and write volume.", node, c.ReplicationLagSeconds)})
	}
	for i := range out {
		out[i].Section, out[i].Label = "Cache", "node "+node
	}
	return out
}

func brokerSignals[V any](b BrokerThresholds, name V) []Signal[V] {
	m := func(id, metric string) Metric[V] {
		return one("AWS/AmazonMQ", metric, "Average", "Broker", name).withID(id)
	}
	// Amazon MQ reports RabbitMQ's memory and disk with their limits (summed
	// over a cluster's nodes); ratios hold for any instance size.
	return []Signal[V]{
		{Key: "broker-memory", Kind: "broker-memory", Section: "Broker", Title: "Broker memory used (% of RabbitMQ's limit)", Label: "memory %",
			Metrics:    []Metric[V]{m("broker_mem_used", "RabbitMQMemUsed"), m("broker_mem_limit", "RabbitMQMemLimit")},
			Expression: "100 * broker_mem_used / broker_mem_limit",
			Comparison: Above, Threshold: float64(b.MemoryPercent), TreatMissingData: Missing,
			Description: fmt.Sprintf("RabbitMQ uses more than %d%% of its memory limit; at 100%% it blocks every publisher. Drain queues (are consumers down?) or move to a larger instance type.", b.MemoryPercent)},
		{Key: "broker-disk", Kind: "broker-disk", Section: "Broker", Title: "Broker free disk (multiple of RabbitMQ's limit)", Label: "free disk / limit",
			Metrics:    []Metric[V]{m("broker_disk_free", "RabbitMQDiskFree"), m("broker_disk_limit", "RabbitMQDiskFreeLimit")},
			Expression: "broker_disk_free / broker_disk_limit",
			Comparison: Below, Threshold: b.DiskFreeLimitMultiple, TreatMissingData: Missing,
			Description: fmt.Sprintf("RabbitMQ's free disk is below %g times its disk free limit; at the limit it blocks every publisher. Drain queues (are consumers down?) or purge what nobody reads.", b.DiskFreeLimitMultiple)},
	}
}

// one is a metric with a single dimension.
func one[V any](namespace, name, stat, dim string, value V) Metric[V] {
	return Metric[V]{Namespace: namespace, Name: name, Stat: stat, Dimensions: []Dimension[V]{{Name: dim, Value: value}}}
}

func (m Metric[V]) withID(id string) Metric[V] {
	m.ID = id
	return m
}

// MapTargets converts the identifiers of t with f, visiting them in one fixed
// order (database, cache clusters, broker, NAT gateways, node groups), so a
// caller can flatten them and rebuild them after resolving.
func MapTargets[A, B any](t Targets[A], f func(A) B) Targets[B] {
	var out Targets[B]
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
		out.NodeGroups = append(out.NodeGroups, NodeGroupTarget[B]{Name: g.Name, ASG: f(g.ASG), MaxSize: g.MaxSize})
	}
	return out
}
