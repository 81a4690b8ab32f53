package monitoring_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/monitoring"
	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/offline/offlinetest"
	"github.com/acme/platform/internal/parts"
)

const (
	tAlarm        = "aws:cloudwatch/metricAlarm:MetricAlarm"
	tDashboard    = "aws:cloudwatch/dashboard:Dashboard"
	tTopic        = "aws:sns/topic:Topic"
	tTopicPolicy  = "aws:sns/topicPolicy:TopicPolicy"
	tSubscription = "aws:sns/topicSubscription:TopicSubscription"
	tKey          = "aws:kms/key:Key"
	tAlias        = "aws:kms/alias:Alias"

	dbID   = "platform-test-db"
	rgID   = "cache-1a2b3c4"
	broker = "broker-5d6e7f8"
)

// watchAll watches one of everything: a database, a cache of nodes nodes, a
// broker, two NAT gateways and two autoscaled node groups (plus one of fixed
// size, which gets no alarm).
func watchAll(nodes int) func(*monitoring.MonitoringArgs) {
	return func(a *monitoring.MonitoringArgs) {
		a.DatabaseInstanceID = pulumi.String(dbID)
		a.DatabaseConnectionLimit = 901 // db.r6g.large: half is 450
		a.CacheReplicationGroupID = pulumi.String(rgID)
		a.CacheNodeCount = nodes
		a.BrokerName = pulumi.String(broker)
		a.NATGatewayIDs = []pulumi.StringInput{pulumi.String("nat-0a"), pulumi.String("nat-0b")}
		a.NodeGroups = []monitoring.NodeGroupWatch{
			{Name: "general", ASGName: pulumi.String("eks-general-asg"), MinSize: 2, MaxSize: 6},
			{Name: "batch", ASGName: pulumi.String("eks-batch-asg"), MinSize: 0, MaxSize: 10},
			{Name: "system", ASGName: pulumi.String("eks-system-asg"), MinSize: 2, MaxSize: 2},
		}
	}
}

// config is how a Go caller builds a Config: the defaults, with edit applied.
func config(edit func(*monitoring.Config)) monitoring.Config {
	c := monitoring.DefaultConfig()
	edit(&c)
	return c
}

func deploy(t *testing.T, cfg monitoring.Config, mutate ...func(*monitoring.MonitoringArgs)) (*offline.Recorder, *monitoring.Monitoring) {
	t.Helper()
	args := &monitoring.MonitoringArgs{Config: cfg, Account: offlinetest.Account}
	for _, m := range mutate {
		m(args)
	}
	var mon *monitoring.Monitoring
	rec := offlinetest.Run(t, func(ctx *pulumi.Context) error {
		var err error
		mon, err = monitoring.NewMonitoring(ctx, "monitoring", args)
		return err
	})
	return rec, mon
}

// alarms returns the recorded alarms by signal key.
func alarms(rec *offline.Recorder) map[string]*offline.Resource {
	out := map[string]*offline.Resource{}
	for _, a := range rec.ByType(tAlarm) {
		out[strings.TrimPrefix(a.Name, "monitoring-")] = a
	}
	return out
}

func alarmKeys(rec *offline.Recorder) []string {
	var out []string
	for k := range alarms(rec) {
		out = append(out, k)
	}
	return out
}

func TestEveryAlarm(t *testing.T) {
	t.Parallel()
	rec, mon := deploy(t, monitoring.DefaultConfig(), watchAll(3))
	topicARN := offlinetest.OutputString(t, offlinetest.Only(t, rec, tTopic), "arn")

	type want struct {
		namespace, metric, dim, value string
		statistic, extended           string
		comparison                    string
		threshold                     float64
		missing                       string
	}
	tests := map[string]want{
		"db-cpu":                {"AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", dbID, "Average", "", "GreaterThanThreshold", 80, "missing"},
		"db-free-storage":       {"AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", dbID, "Minimum", "", "LessThanThreshold", 5 * 1024 * 1024 * 1024, "missing"},
		"db-freeable-memory":    {"AWS/RDS", "FreeableMemory", "DBInstanceIdentifier", dbID, "Minimum", "", "LessThanThreshold", 256 * 1024 * 1024, "missing"},
		"db-connections":        {"AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", dbID, "Maximum", "", "GreaterThanThreshold", 450, "missing"}, // half the connection limit,
		"db-read-latency":       {"AWS/RDS", "ReadLatency", "DBInstanceIdentifier", dbID, "", "p95", "GreaterThanThreshold", 0.02, "notBreaching"},
		"db-write-latency":      {"AWS/RDS", "WriteLatency", "DBInstanceIdentifier", dbID, "", "p95", "GreaterThanThreshold", 0.02, "notBreaching"},
		"nat-0-port-allocation": {"AWS/NATGateway", "ErrorPortAllocation", "NatGatewayId", "nat-0a", "Sum", "", "GreaterThanThreshold", 0, "notBreaching"},
		"nat-1-port-allocation": {"AWS/NATGateway", "ErrorPortAllocation", "NatGatewayId", "nat-0b", "Sum", "", "GreaterThanThreshold", 0, "notBreaching"},
		"nodes-general-at-max":  {"AWS/AutoScaling", "GroupDesiredCapacity", "AutoScalingGroupName", "eks-general-asg", "Maximum", "", "GreaterThanOrEqualToThreshold", 6, "missing"},
		"nodes-batch-at-max":    {"AWS/AutoScaling", "GroupDesiredCapacity", "AutoScalingGroupName", "eks-batch-asg", "Maximum", "", "GreaterThanOrEqualToThreshold", 10, "missing"},
	}
	for n := 1; n <= 3; n++ {
		node, id := fmt.Sprintf("%03d", n), fmt.Sprintf("%s-%03d", rgID, n)
		tests["cache-"+node+"-engine-cpu"] = want{"AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", id, "Average", "", "GreaterThanThreshold", 80, "missing"}
		tests["cache-"+node+"-memory"] = want{"AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "CacheClusterId", id, "Average", "", "GreaterThanThreshold", 80, "missing"}
		tests["cache-"+node+"-evictions"] = want{"AWS/ElastiCache", "Evictions", "CacheClusterId", id, "Sum", "", "GreaterThanThreshold", 0, "notBreaching"}
		tests["cache-"+node+"-replication-lag"] = want{"AWS/ElastiCache", "ReplicationLag", "CacheClusterId", id, "Maximum", "", "GreaterThanThreshold", 5, "notBreaching"}
	}

	got := alarms(rec)
	require.Len(t, got, len(tests)+2, "every signal above plus the broker's two")
	require.ElementsMatch(t, mon.AlarmKeys, alarmKeys(rec))
	for key, w := range tests {
		a, ok := got[key]
		require.True(t, ok, "alarm %s", key)
		require.Equal(t, w.namespace, offlinetest.Str(t, a, "namespace"), key)
		require.Equal(t, w.metric, offlinetest.Str(t, a, "metricName"), key)
		dims := offlinetest.Prop(t, a, "dimensions").ObjectValue()
		require.Len(t, dims, 1, key)
		require.Equal(t, w.value, offlinetest.Str(t, a, "dimensions."+w.dim), key)
		if w.extended != "" {
			require.Equal(t, w.extended, offlinetest.Str(t, a, "extendedStatistic"), key)
			require.False(t, offlinetest.Has(a, "statistic"), "%s: a percentile goes in extendedStatistic, never statistic", key)
			require.Equal(t, "evaluate", offlinetest.Str(t, a, "evaluateLowSampleCountPercentiles"), key)
		} else {
			require.Equal(t, w.statistic, offlinetest.Str(t, a, "statistic"), key)
			require.False(t, offlinetest.Has(a, "extendedStatistic"), key)
		}
		require.Equal(t, w.comparison, offlinetest.Str(t, a, "comparisonOperator"), key)
		require.InDelta(t, w.threshold, offlinetest.Num(t, a, "threshold"), 1e-9, key)
		require.Equal(t, w.missing, offlinetest.Str(t, a, "treatMissingData"), key)
		require.Equal(t, 60.0, offlinetest.Num(t, a, "period"), key)
	}
	for key, a := range got {
		require.Equal(t, []string{topicARN}, offlinetest.Strs(t, a, "alarmActions"), key)
		require.Equal(t, []string{topicARN}, offlinetest.Strs(t, a, "okActions"), key)
		require.True(t, offlinetest.Bool(t, a, "actionsEnabled"), key)
		require.Equal(t, 3.0, offlinetest.Num(t, a, "evaluationPeriods"), key)
		require.Equal(t, 3.0, offlinetest.Num(t, a, "datapointsToAlarm"), key)
		require.Equal(t, "platform-test-monitoring-"+key, offlinetest.Str(t, a, "name"), key)
		require.NotEmpty(t, offlinetest.Str(t, a, "alarmDescription"), key)
	}
	_, fixed := got["nodes-system-at-max"]
	require.False(t, fixed, "a fixed-size node group is always at its maximum: no alarm")
}

func TestBrokerAlarmsUseMetricMath(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, config(func(c *monitoring.Config) {
		c.Broker = monitoring.BrokerThresholds{MemoryPercent: 70, DiskFreeLimitMultiple: 3}
	}), watchAll(1))
	got := alarms(rec)
	type query struct {
		ID         string `json:"id"`
		Expression string `json:"expression"`
		ReturnData bool   `json:"returnData"`
		Metric     *struct {
			Namespace  string            `json:"namespace"`
			MetricName string            `json:"metricName"`
			Stat       string            `json:"stat"`
			Period     int               `json:"period"`
			Dimensions map[string]string `json:"dimensions"`
		} `json:"metric"`
	}
	for key, w := range map[string]struct {
		metrics    []string
		expression string
		comparison string
		threshold  float64
	}{
		"broker-memory": {[]string{"RabbitMQMemUsed", "RabbitMQMemLimit"}, "100 * broker_mem_used / broker_mem_limit", "GreaterThanThreshold", 70},
		"broker-disk":   {[]string{"RabbitMQDiskFree", "RabbitMQDiskFreeLimit"}, "broker_disk_free / broker_disk_limit", "LessThanThreshold", 3},
	} {
		a := got[key]
		require.NotNil(t, a, key)
		for _, p := range []string{"namespace", "metricName", "statistic", "period", "dimensions"} {
			require.False(t, offlinetest.Has(a, p), "%s: a math alarm sets no %s", key, p)
		}
		raw, err := json.Marshal(a.Inputs["metricQueries"].Mappable())
		require.NoError(t, err)
		var queries []query
		require.NoError(t, json.Unmarshal(raw, &queries))
		require.Len(t, queries, 3, key)
		var metrics []string
		returned := 0
		for _, q := range queries {
			if q.ReturnData {
				returned++
				require.Equal(t, w.expression, q.Expression, key)
				continue
			}
			require.NotNil(t, q.Metric, key)
			require.Equal(t, "AWS/AmazonMQ", q.Metric.Namespace)
			require.Equal(t, map[string]string{"Broker": broker}, q.Metric.Dimensions)
			require.Equal(t, 60, q.Metric.Period)
			require.Equal(t, "Average", q.Metric.Stat)
			require.Contains(t, w.expression, q.ID)
			metrics = append(metrics, q.Metric.MetricName)
		}
		require.Equal(t, 1, returned, "%s: exactly one query is the alarm's value", key)
		require.Equal(t, w.metrics, metrics, key)
		require.Equal(t, w.comparison, offlinetest.Str(t, a, "comparisonOperator"))
		require.Equal(t, w.threshold, offlinetest.Num(t, a, "threshold"))
	}
}

func TestReplicationLagOnlyWithReplicas(t *testing.T) {
	t.Parallel()
	for nodes, lag := range map[int]int{1: 0, 2: 2, 6: 6} {
		t.Run(fmt.Sprint(nodes), func(t *testing.T) {
			t.Parallel()
			rec, _ := deploy(t, monitoring.DefaultConfig(), watchAll(nodes))
			n, cache := 0, 0
			for key := range alarms(rec) {
				if strings.HasSuffix(key, "-replication-lag") {
					n++
				}
				if strings.HasPrefix(key, "cache-") {
					cache++
				}
			}
			require.Equal(t, lag, n)
			require.Equal(t, 3*nodes+lag, cache, "engine CPU, memory and evictions per node")
		})
	}
}

func TestOneAlarmPerNATGatewayAndNodeGroup(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, monitoring.DefaultConfig(), func(a *monitoring.MonitoringArgs) {
		a.NATGatewayIDs = []pulumi.StringInput{pulumi.String("nat-a"), pulumi.String("nat-b"), pulumi.String("nat-c")}
		a.NodeGroups = []monitoring.NodeGroupWatch{{Name: "general", ASGName: pulumi.String("asg-1"), MinSize: 1, MaxSize: 4}}
	})
	require.ElementsMatch(t, []string{"nat-0-port-allocation", "nat-1-port-allocation", "nat-2-port-allocation", "nodes-general-at-max"}, alarmKeys(rec))
	for i, id := range []string{"nat-a", "nat-b", "nat-c"} {
		require.Equal(t, id, offlinetest.Str(t, alarms(rec)[fmt.Sprintf("nat-%d-port-allocation", i)], "dimensions.NatGatewayId"))
	}
}

func TestThresholdsAndEvaluationFromConfig(t *testing.T) {
	t.Parallel()
	cfg := config(func(c *monitoring.Config) {
		c.PeriodSeconds, c.EvaluationPeriods, c.DatapointsToAlarm = 300, 5, 2
		c.Database = monitoring.DatabaseThresholds{CPUPercent: 65, FreeStorageGiB: 20, FreeableMemoryMiB: 1024, Connections: new(450), ReadLatencyP95Ms: 8, WriteLatencyP95Ms: 12}
		c.Cache = monitoring.CacheThresholds{EngineCPUPercent: 70, MemoryPercent: 75, Evictions: 50, ReplicationLagSeconds: 2}
		c.NAT = monitoring.NATThresholds{PortAllocationErrors: 3}
	})
	rec, _ := deploy(t, cfg, watchAll(2))
	got := alarms(rec)
	for key, want := range map[string]float64{
		"db-cpu": 65, "db-free-storage": 20 << 30, "db-freeable-memory": 1024 << 20, "db-connections": 450,
		"db-read-latency": 0.008, "db-write-latency": 0.012,
		"cache-001-engine-cpu": 70, "cache-002-memory": 75, "cache-001-evictions": 50, "cache-002-replication-lag": 2,
		"nat-0-port-allocation": 3,
	} {
		require.InDelta(t, want, offlinetest.Num(t, got[key], "threshold"), 1e-9, key)
	}
	for key, a := range got {
		require.Equal(t, 5.0, offlinetest.Num(t, a, "evaluationPeriods"), key)
		require.Equal(t, 2.0, offlinetest.Num(t, a, "datapointsToAlarm"), key)
		if offlinetest.Has(a, "period") {
			require.Equal(t, 300.0, offlinetest.Num(t, a, "period"), key)
		}
	}
}

func TestTopicEncryptedWithAKeyCloudWatchMayUse(t *testing.T) {
	t.Parallel()
	rec, mon := deploy(t, monitoring.DefaultConfig(), watchAll(1))
	key, topic := offlinetest.Only(t, rec, tKey), offlinetest.Only(t, rec, tTopic)
	require.Equal(t, offlinetest.OutputString(t, key, "arn"), offlinetest.Str(t, topic, "kmsMasterKeyId"), "the topic is encrypted with our key")
	require.True(t, offlinetest.Bool(t, key, "enableKeyRotation"))

	kp := offlinetest.Policy(t, key, "policy")
	var cw *parts.Statement
	for _, st := range kp.Statement {
		if st.Principal != nil && !st.Principal.Service.IsZero() {
			cw = &st
		}
	}
	require.NotNil(t, cw, "CloudWatch, EventBridge and RDS cannot publish to a topic whose key they may not use")
	require.Equal(t, parts.Allow, cw.Effect)
	require.ElementsMatch(t, []string{"kms:Decrypt", "kms:GenerateDataKey*"}, cw.Action.Strings())
	require.ElementsMatch(t, []string{"cloudwatch.amazonaws.com", "events.amazonaws.com", "events.rds.amazonaws.com"}, cw.Principal.Service.Strings())

	policy := offlinetest.Only(t, rec, tTopicPolicy)
	arn := offlinetest.OutputString(t, topic, "arn")
	require.Equal(t, arn, offlinetest.Str(t, policy, "arn"))
	tp := offlinetest.Policy(t, policy, "policy")
	require.Equal(t, monitoring.TopicPolicy(offlinetest.Account, arn, monitoring.TopicPublishers{DatabaseID: dbID}), tp)
	require.Len(t, tp.Statement, 3, "the account, CloudWatch alarms and the database's RDS events")
	rdsEvents := tp.Statement[2]
	require.Equal(t, &parts.Principal{Service: parts.One("events.rds.amazonaws.com")}, rdsEvents.Principal)
	require.Equal(t, parts.Conditions{
		"ArnEquals":    {"aws:SourceArn": parts.One("arn:aws:rds:us-east-1:123456789012:db:" + dbID)},
		"StringEquals": {"aws:SourceAccount": parts.One("123456789012")},
	}, rdsEvents.Condition, "only this database's events may publish")
	publish := tp.Statement[1]
	require.Equal(t, &parts.Principal{Service: parts.One("cloudwatch.amazonaws.com")}, publish.Principal)
	require.Equal(t, parts.Conditions{
		"ArnLike":      {"aws:SourceArn": parts.One("arn:aws:cloudwatch:us-east-1:123456789012:alarm:*")},
		"StringEquals": {"aws:SourceAccount": parts.One("123456789012")},
	}, publish.Condition, "only this account's alarms may publish")

	require.Equal(t, arn, offlinetest.Await(t, mon.TopicARN).Value)
	require.Equal(t, offlinetest.OutputString(t, key, "arn"), offlinetest.Await(t, mon.KMSKeyARN).Value)
}

func TestSubscriptions(t *testing.T) {
	t.Parallel()
	subs := []monitoring.Subscription{
		{Protocol: "email", Endpoint: "oncall@example.com"},
		{Protocol: "https", Endpoint: "https://events.example.com/hook"},
		{Protocol: "sqs", Endpoint: "arn:aws:sqs:us-east-1:123456789012:alerts"},
	}
	rec, _ := deploy(t, config(func(c *monitoring.Config) { c.Subscriptions = subs }))
	topicARN := offlinetest.OutputString(t, offlinetest.Only(t, rec, tTopic), "arn")
	got := rec.ByType(tSubscription)
	require.Len(t, got, len(subs))
	for _, s := range subs {
		r := offlinetest.Find(t, rec, tSubscription, "monitoring-"+monitoring.SubscriptionKey(s))
		require.Equal(t, s.Protocol, offlinetest.Str(t, r, "protocol"))
		require.Equal(t, s.Endpoint, offlinetest.Str(t, r, "endpoint"))
		require.Equal(t, topicARN, offlinetest.Str(t, r, "topic"))
	}

	// Dropping one subscription keeps the others' resources (no re-confirmation).
	rec2, _ := deploy(t, config(func(c *monitoring.Config) { c.Subscriptions = subs[1:] }))
	for _, s := range subs[1:] {
		offlinetest.Find(t, rec2, tSubscription, "monitoring-"+monitoring.SubscriptionKey(s))
	}
	require.Len(t, rec2.ByType(tSubscription), 2)
}

func TestDashboardShowsTheAlarmedSignals(t *testing.T) {
	t.Parallel()
	rec, mon := deploy(t, monitoring.DefaultConfig(), watchAll(2))
	dash := offlinetest.Only(t, rec, tDashboard)
	require.Equal(t, "platform-test-monitoring", offlinetest.Str(t, dash, "dashboardName"))
	widgets := parseDashboard(t, offlinetest.Str(t, dash, "dashboardBody"))

	// Every alarm's metric, statistic, dimension and threshold is drawn.
	for key, a := range alarms(rec) {
		if offlinetest.Has(a, "metricQueries") {
			continue // the broker's math, checked below
		}
		stat := ""
		if offlinetest.Has(a, "extendedStatistic") {
			stat = offlinetest.Str(t, a, "extendedStatistic")
		} else {
			stat = offlinetest.Str(t, a, "statistic")
		}
		var dims []monitoring.Dimension[string]
		for k, v := range offlinetest.Prop(t, a, "dimensions").ObjectValue() {
			dims = append(dims, monitoring.Dimension[string]{Name: string(k), Value: v.StringValue()})
		}
		s := monitoring.Signal[string]{
			Key:       key,
			Threshold: offlinetest.Num(t, a, "threshold"),
			Metrics: []monitoring.Metric[string]{{
				Namespace: offlinetest.Str(t, a, "namespace"), Name: offlinetest.Str(t, a, "metricName"), Stat: stat, Dimensions: dims,
			}},
		}
		require.True(t, findSignal(t, widgets, s), "alarm %s is not on the dashboard", key)
	}
	for _, s := range monitoring.Signals(monitoring.DefaultConfig(), monitoring.Targets[string]{Broker: strPtr(broker)}) {
		require.True(t, findSignal(t, widgets, s), "signal %s is not on the dashboard", s.Key)
	}
	require.Equal(t, "platform-test-monitoring", offlinetest.Await(t, mon.DashboardName).Value)
}

func TestNothingWatched(t *testing.T) {
	t.Parallel()
	rec, mon := deploy(t, monitoring.DefaultConfig())
	require.Empty(t, rec.ByType(tAlarm))
	require.Empty(t, mon.AlarmKeys)
	counts := rec.CountByType()
	for _, typ := range []string{tKey, tAlias, tTopic, tTopicPolicy, tDashboard} {
		require.Equal(t, 1, counts[typ], typ)
	}
	require.JSONEq(t, `{"widgets":[]}`, offlinetest.Str(t, offlinetest.Only(t, rec, tDashboard), "dashboardBody"))
	require.Empty(t, offlinetest.Await(t, mon.AlarmNames).Value)
}

func TestProtect(t *testing.T) {
	t.Parallel()
	for _, protect := range []bool{false, true} {
		t.Run(fmt.Sprint(protect), func(t *testing.T) {
			t.Parallel()
			rec, _ := deploy(t, monitoring.DefaultConfig(), watchAll(1), func(a *monitoring.MonitoringArgs) { a.Protect = protect })
			require.Equal(t, protect, offlinetest.Only(t, rec, tKey).Protect)
			require.Equal(t, 30.0, offlinetest.Num(t, offlinetest.Only(t, rec, tKey), "deletionWindowInDays"))
			for _, r := range rec.ByType(tAlarm) {
				require.False(t, r.Protect, "alarms hold no data")
			}
		})
	}
}

func TestEveryChildIsParentedAndTagged(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, config(func(c *monitoring.Config) {
		c.Subscriptions = []monitoring.Subscription{{Protocol: "email", Endpoint: "a@example.com"}}
	}),
		watchAll(2), func(a *monitoring.MonitoringArgs) { a.Tags = map[string]string{"Team": "platform"} })
	offlinetest.RequireParentedAndTagged(t, rec, monitoring.TypeToken, "monitoring", map[string]string{"Team": "platform"}, nil)
	for _, typ := range []string{tAlarm, tTopic, tKey} {
		require.NotEmpty(t, rec.ByType(typ), "%s is among the checked resources", typ)
	}
}

func TestOutputs(t *testing.T) {
	t.Parallel()
	rec, mon := deploy(t, monitoring.DefaultConfig(), watchAll(1))
	names := offlinetest.Await(t, mon.AlarmNames).Value.([]string)
	require.Len(t, names, len(mon.AlarmKeys))
	for i, key := range mon.AlarmKeys {
		require.Equal(t, offlinetest.OutputString(t, offlinetest.Find(t, rec, tAlarm, "monitoring-"+key), "name"), names[i])
	}
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cname   string
		nilArgs bool
		mutate  func(a *monitoring.MonitoringArgs)
		wantErr []string
	}{
		{name: "nil args", nilArgs: true, wantErr: []string{`monitoring "monitoring": args are required`}},
		{name: "no account", mutate: func(a *monitoring.MonitoringArgs) { a.Account = parts.Account{} }, wantErr: []string{"account: ID, Region and Partition are required"}},
		{name: "cache without node count", mutate: func(a *monitoring.MonitoringArgs) { a.CacheNodeCount = 0 }, wantErr: []string{"cacheNodeCount: must be between 1 and 6, got 0"}},
		{name: "cache with too many nodes", mutate: func(a *monitoring.MonitoringArgs) { a.CacheNodeCount = 7 }, wantErr: []string{"cacheNodeCount: must be between 1 and 6, got 7"}},
		{name: "node count without cache", mutate: func(a *monitoring.MonitoringArgs) { a.CacheReplicationGroupID = nil }, wantErr: []string{
			"cacheNodeCount: is 1 but cacheReplicationGroupId is not set",
		}},
		{name: "nil NAT gateway", mutate: func(a *monitoring.MonitoringArgs) { a.NATGatewayIDs = append(a.NATGatewayIDs, nil) }, wantErr: []string{"natGatewayIds[2]: is nil"}},
		{name: "bad node groups", mutate: func(a *monitoring.MonitoringArgs) {
			a.NodeGroups = []monitoring.NodeGroupWatch{
				{Name: "General Purpose", ASGName: pulumi.String("a"), MaxSize: 3},
				{Name: "gpu", MaxSize: 3},
				{Name: "gpu", ASGName: pulumi.String("b"), MaxSize: 0},
				{Name: "spot", ASGName: pulumi.String("c"), MinSize: 5, MaxSize: 3},
			}
		}, wantErr: []string{
			`nodeGroups[0].name: must be 1 to 63 lower-case letters, digits and hyphens`,
			"nodeGroups[1].asgName: is required",
			`nodeGroups[2].name: "gpu" is also nodeGroups[1]`,
			"nodeGroups[2].maxSize: must be at least 1, got 0",
			"nodeGroups[3].minSize: must be between 0 and maxSize (3), got 5",
		}},
		{name: "bad name", cname: "my.monitoring", wantErr: []string{`name: the dashboard name "platform-test-my.monitoring"`}},
		{name: "several problems at once", cname: "my.monitoring", mutate: func(a *monitoring.MonitoringArgs) {
			a.CacheNodeCount, a.NATGatewayIDs = 7, []pulumi.StringInput{nil}
		}, wantErr: []string{
			`name: the dashboard name "platform-test-my.monitoring"`, "cacheNodeCount: must be between 1 and 6, got 7", "natGatewayIds[0]: is nil",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			name := tt.cname
			if name == "" {
				name = "monitoring"
			}
			rec, err := offlinetest.RunErr(func(ctx *pulumi.Context) error {
				var args *monitoring.MonitoringArgs
				if !tt.nilArgs {
					args = &monitoring.MonitoringArgs{Config: monitoring.DefaultConfig(), Account: offlinetest.Account}
					watchAll(1)(args)
					if tt.mutate != nil {
						tt.mutate(args)
					}
				}
				_, err := monitoring.NewMonitoring(ctx, name, args)
				return err
			})
			require.Error(t, err)
			for _, want := range tt.wantErr {
				require.ErrorContains(t, err, want)
			}
			require.Empty(t, rec.Resources(), "nothing may be registered on bad input")
		})
	}
}

// Backup job failures and the database's RDS events are not metrics: an
// EventBridge rule and an RDS event subscription bring them to the topic,
// and the topic's policy admits exactly those two publishers.
func TestEventsReachTheTopic(t *testing.T) {
	t.Parallel()
	rec, _ := deploy(t, monitoring.DefaultConfig(), watchAll(1), func(a *monitoring.MonitoringArgs) { a.BackupJobs = true })
	topicARN := offlinetest.OutputString(t, offlinetest.Only(t, rec, tTopic), "arn")

	rule := offlinetest.Only(t, rec, "aws:cloudwatch/eventRule:EventRule")
	var pattern struct {
		Source     []string `json:"source"`
		DetailType []string `json:"detail-type"`
		Detail     struct {
			State []string `json:"state"`
		} `json:"detail"`
	}
	require.NoError(t, json.Unmarshal([]byte(offlinetest.Str(t, rule, "eventPattern")), &pattern))
	require.Equal(t, []string{"aws.backup"}, pattern.Source)
	require.ElementsMatch(t, []string{"Backup Job State Change", "Copy Job State Change"}, pattern.DetailType)
	require.ElementsMatch(t, []string{"FAILED", "ABORTED", "EXPIRED"}, pattern.Detail.State)
	target := offlinetest.Only(t, rec, "aws:cloudwatch/eventTarget:EventTarget")
	require.Equal(t, topicARN, offlinetest.Str(t, target, "arn"))
	require.Equal(t, offlinetest.OutputString(t, rule, "name"), offlinetest.Str(t, target, "rule"))

	sub := offlinetest.Only(t, rec, "aws:rds/eventSubscription:EventSubscription")
	require.Equal(t, topicARN, offlinetest.Str(t, sub, "snsTopic"))
	require.Equal(t, "db-instance", offlinetest.Str(t, sub, "sourceType"))
	require.Equal(t, []string{dbID}, offlinetest.Strs(t, sub, "sourceIds"))
	require.Contains(t, offlinetest.Strs(t, sub, "eventCategories"), "failover")
	require.Contains(t, offlinetest.Strs(t, sub, "eventCategories"), "low storage")

	tp := offlinetest.Policy(t, offlinetest.Only(t, rec, tTopicPolicy), "policy")
	var events *parts.Statement
	for _, st := range tp.Statement {
		if st.Principal != nil && slices.Equal(st.Principal.Service.Strings(), []string{"events.amazonaws.com"}) {
			events = &st
		}
	}
	require.NotNil(t, events, "EventBridge may publish the rule's events")
	require.Equal(t, parts.One("arn:aws:events:us-east-1:123456789012:rule/"+offlinetest.Str(t, rule, "name")),
		events.Condition["ArnEquals"]["aws:SourceArn"], "and only that rule's")

	// Without a database or backups, neither route exists.
	rec2, _ := deploy(t, monitoring.DefaultConfig())
	require.Empty(t, rec2.ByType("aws:cloudwatch/eventRule:EventRule"))
	require.Empty(t, rec2.ByType("aws:rds/eventSubscription:EventSubscription"))
}
