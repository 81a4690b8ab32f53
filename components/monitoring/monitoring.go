package monitoring

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/internal/check"
	"github.com/acme/platform/internal/parts"
)

// typeToken is the component's type; changing it needs pulumi.Aliases.
const typeToken = "platform:observability:Monitoring"

// maxCacheNodes is ElastiCache's limit for a replication group with cluster
// mode disabled: a primary and five replicas.
const maxCacheNodes = 6

// MonitoringArgs configures a Monitoring. Each watched resource is optional:
// leaving it unset creates no alarm for it.
type MonitoringArgs struct {
	// Config holds the subscriptions and thresholds: start from DefaultConfig
	// (see Config for each field's default) and check it with Config.Validate;
	// NewMonitoring uses it as given.
	Config
	// Account is where the topic, alarms and dashboard are created; required.
	Account parts.Account
	// DatabaseInstanceID is the RDS instance identifier (the postgres
	// component's Identifier); default none.
	DatabaseInstanceID pulumi.StringInput
	// DatabaseConnectionLimit is the instance's max_connections (for RDS's
	// default, catalog.RDSMaxConnections of its class); required with
	// DatabaseInstanceID unless the config sets database.connections, whose
	// default is half of it.
	DatabaseConnectionLimit int
	// CacheReplicationGroupID is the ElastiCache replication group (the redis
	// component's ReplicationGroupID); default none. CacheNodeCount, its
	// number of nodes (1 to 6, the cache's nodeCount), is required with it:
	// node metrics are per member cluster, and replication lag exists only
	// with two or more.
	CacheReplicationGroupID pulumi.StringInput
	CacheNodeCount          int
	// BrokerName is the Amazon MQ broker's name (BrokerName derives it from
	// the broker's ARN); default none.
	BrokerName pulumi.StringInput
	// NATGatewayIDs are the NAT gateways, one alarm each; a plain slice so
	// the count is known at preview. Default none.
	NATGatewayIDs []pulumi.StringInput
	// NodeGroups are the cluster's node groups; default none.
	NodeGroups []NodeGroupWatch
	// BackupJobs sends every failed, aborted or expired AWS Backup job and
	// failed copy job of the account and region to the topic, through an
	// EventBridge rule; default false.
	BackupJobs bool
	// Protect makes the engine refuse to delete or replace the topic's KMS
	// key; default false.
	Protect bool
	// Tags are added to every resource that takes tags (the provider's
	// default tags apply too); default none.
	Tags map[string]string
}

// NodeGroupWatch is one node group to watch for autoscaler saturation.
type NodeGroupWatch struct {
	// Name is the node group's name in the cluster configuration; required,
	// lower-case letters, digits and hyphens.
	Name string
	// ASGName is the node group's Auto Scaling group (the cluster
	// component's NodeGroupInfo.ASGName); required. The group must publish
	// its group metrics, which EKS does not turn on: the cluster component
	// enables them for every node group it creates.
	ASGName pulumi.StringInput
	// MinSize and MaxSize are the group's bounds from the cluster
	// configuration; MaxSize is required. A group with MinSize == MaxSize
	// cannot scale and gets no alarm.
	MinSize int
	MaxSize int
}

// Monitoring is the platform's alarm topic, alarms and dashboard.
type Monitoring struct {
	pulumi.ResourceState

	// TopicARN is the SNS topic every alarm notifies (ALARM and OK).
	TopicARN pulumi.StringOutput `pulumi:"topicArn"`
	// KMSKeyARN encrypts the topic; publishers other than CloudWatch need
	// kms:GenerateDataKey* and kms:Decrypt on it.
	KMSKeyARN pulumi.StringOutput `pulumi:"kmsKeyArn"`
	// DashboardName is the CloudWatch dashboard showing every signal.
	DashboardName pulumi.StringOutput `pulumi:"dashboardName"`
	// AlarmNames are the CloudWatch alarms, in signal order.
	AlarmNames pulumi.StringArrayOutput `pulumi:"alarmNames"`

	// AlarmKeys are the signals' keys ("db-cpu", ...), known at preview.
	AlarmKeys []string
}

var (
	nodeGroupNameRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
	dashboardNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)
)

// NewMonitoring creates the topic, its subscriptions, the alarms and the
// dashboard.
func NewMonitoring(ctx *pulumi.Context, name string, args *MonitoringArgs, opts ...pulumi.ResourceOption) (*Monitoring, error) {
	if args == nil {
		return nil, fmt.Errorf("monitoring %q: args are required", name)
	}
	cfg := args.Config
	if cfg.Database.Connections == nil && args.DatabaseConnectionLimit > 0 {
		cfg.Database.Connections = new(args.DatabaseConnectionLimit / 2)
	}
	dashboardName := parts.PhysicalName(ctx, name, 255)
	if err := errors.Join(args.Account.Validate(), validateArgs(args, dashboardName)); err != nil {
		return nil, fmt.Errorf("monitoring %q: %w", name, err)
	}
	targets := watched(args)
	signals := signalsFor(cfg, targets)

	c := &Monitoring{}
	for _, s := range signals {
		c.AlarmKeys = append(c.AlarmKeys, s.Key)
	}
	if err := ctx.RegisterComponentResource(typeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("monitoring %q: %w", name, err)
	}
	b := &builder{ctx: ctx, name: name, cfg: cfg, args: args, c: c, parent: pulumi.Parent(c)}
	if err := b.build(targets, signals, dashboardName); err != nil {
		return nil, fmt.Errorf("monitoring %q: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"topicArn":      c.TopicARN,
		"kmsKeyArn":     c.KMSKeyARN,
		"dashboardName": c.DashboardName,
		"alarmNames":    c.AlarmNames,
	}); err != nil {
		return nil, fmt.Errorf("monitoring %q: registering outputs: %w", name, err)
	}
	return c, nil
}

// validateArgs checks the watched resources and the names derived from the
// component's name.
func validateArgs(args *MonitoringArgs, dashboardName string) error {
	var p check.Problems
	if args.DatabaseInstanceID != nil && args.Database.Connections == nil && args.DatabaseConnectionLimit < 2 {
		p.Addf("databaseConnectionLimit", "is required with databaseInstanceId when database.connections is not set (the alarm defaults to half of it), got %d", args.DatabaseConnectionLimit)
	}
	switch {
	case args.CacheReplicationGroupID != nil:
		p.Between("cacheNodeCount", args.CacheNodeCount, 1, maxCacheNodes)
	case args.CacheNodeCount != 0:
		p.Addf("cacheNodeCount", "is %d but cacheReplicationGroupId is not set; set both or neither", args.CacheNodeCount)
	}
	for i, id := range args.NATGatewayIDs {
		if id == nil {
			p.Addf(fmt.Sprintf("natGatewayIds[%d]", i), "is nil")
		}
	}
	seen := map[string]int{}
	for i, g := range args.NodeGroups {
		path := fmt.Sprintf("nodeGroups[%d]", i)
		if !nodeGroupNameRE.MatchString(g.Name) || len(g.Name) > 63 {
			p.Addf(path+".name", "must be 1 to 63 lower-case letters, digits and hyphens (it names the alarm), got %q", g.Name)
		} else if j, dup := seen[g.Name]; dup {
			p.Addf(path+".name", "%q is also nodeGroups[%d]", g.Name, j)
		}
		seen[g.Name] = i
		if g.ASGName == nil {
			p.Addf(path+".asgName", "is required (the node group's Auto Scaling group name)")
		}
		if g.MaxSize < 1 {
			p.Addf(path+".maxSize", "must be at least 1, got %d", g.MaxSize)
		} else if g.MinSize < 0 || g.MinSize > g.MaxSize {
			p.Addf(path+".minSize", "must be between 0 and maxSize (%d), got %d", g.MaxSize, g.MinSize)
		}
	}
	if !dashboardNameRE.MatchString(dashboardName) {
		p.Addf("name", "the dashboard name %q (\"<project>-<stack>-<name>\") may hold only letters, digits, '-' and '_'; rename the component or the stack", dashboardName)
	}
	return p.Err()
}

// watched turns the arguments into the signals' targets. The cache's member
// clusters are derived from the group ID so their count is known at preview.
func watched(args *MonitoringArgs) watchTargets[pulumi.StringInput] {
	var t watchTargets[pulumi.StringInput]
	if args.DatabaseInstanceID != nil {
		t.Database = &args.DatabaseInstanceID
	}
	if rg := args.CacheReplicationGroupID; rg != nil {
		for n := 1; n <= args.CacheNodeCount; n++ {
			t.CacheClusters = append(t.CacheClusters, rg.ToStringOutput().ApplyT(func(g string) string {
				return cacheClusterID(g, n)
			}).(pulumi.StringOutput))
		}
	}
	if args.BrokerName != nil {
		t.Broker = &args.BrokerName
	}
	t.NATGateways = append(t.NATGateways, args.NATGatewayIDs...)
	for _, g := range args.NodeGroups {
		// A fixed-size group is always "at its maximum": no signal there.
		if g.MinSize == g.MaxSize {
			continue
		}
		t.NodeGroups = append(t.NodeGroups, nodeGroupTarget[pulumi.StringInput]{Name: g.Name, ASG: g.ASGName, MaxSize: g.MaxSize})
	}
	return t
}

type builder struct {
	ctx    *pulumi.Context
	name   string
	cfg    Config
	args   *MonitoringArgs
	c      *Monitoring
	parent pulumi.ResourceOption
}

func (b *builder) tags(suffix string) pulumi.StringMap {
	return parts.TagsFor(b.ctx, b.name+suffix, b.args.Tags)
}

func (b *builder) build(targets watchTargets[pulumi.StringInput], signals []signal[pulumi.StringInput], dashboardName string) error {
	topic, err := b.topic()
	if err != nil {
		return err
	}
	if err := b.events(topic); err != nil {
		return err
	}
	names := pulumi.StringArray{}
	for _, s := range signals {
		alarm, err := b.alarm(s, topic.Arn)
		if err != nil {
			return err
		}
		names = append(names, alarm.Name)
	}
	b.c.AlarmNames = names.ToStringArrayOutput()

	// The body needs the watched IDs as strings: flatten the targets,
	// resolve them together, and rebuild the same targets from the values.
	var inputs []any
	index := mapTargets(targets, func(v pulumi.StringInput) int {
		inputs = append(inputs, v)
		return len(inputs) - 1
	})
	region, period, cfg := b.args.Account.Region, b.cfg.PeriodSeconds, b.cfg
	body := pulumi.All(inputs...).ApplyT(func(vals []any) (string, error) {
		resolved := mapTargets(index, func(i int) string {
			s, _ := vals[i].(string)
			return s
		})
		return dashboardBody(region, period, signalsFor(cfg, resolved))
	}).(pulumi.StringOutput)
	dash, err := cloudwatch.NewDashboard(b.ctx, b.name+"-dashboard", &cloudwatch.DashboardArgs{
		DashboardName: pulumi.String(dashboardName),
		DashboardBody: body,
	}, b.parent)
	if err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	b.c.DashboardName = dash.DashboardName
	return nil
}

// topic creates the key, the encrypted topic, its policy and subscriptions.
func (b *builder) topic() (*sns.Topic, error) {
	ctx, name, acct := b.ctx, b.name, b.args.Account
	physical := parts.PhysicalName(ctx, name, 100)
	key, err := parts.NewKey(ctx, name+"-key", parts.KeyArgs{
		Account:     acct,
		Description: "Alarm notifications of " + physical + " (SNS topic)",
		Statements:  TopicKeyStatements(acct),
		Protect:     b.args.Protect,
		Tags:        b.args.Tags,
	}, b.parent)
	if err != nil {
		return nil, err
	}
	b.c.KMSKeyARN = key.ARN

	topic, err := sns.NewTopic(ctx, name+"-topic", &sns.TopicArgs{
		DisplayName:    pulumi.String(physical),
		KmsMasterKeyId: key.ARN,
		Tags:           b.tags("-topic"),
	}, b.parent)
	if err != nil {
		return nil, fmt.Errorf("topic: %w", err)
	}
	b.c.TopicARN = topic.Arn

	dbID := pulumi.StringInput(pulumi.String(""))
	if b.args.DatabaseInstanceID != nil {
		dbID = b.args.DatabaseInstanceID
	}
	rule := BackupRuleName(physical)
	policy := pulumi.All(topic.Arn, dbID).ApplyT(func(v []any) (string, error) {
		return topicPolicy(acct, v[0].(string), topicPublishers{
			BackupRule: b.args.BackupJobs, BackupRuleName: rule, DatabaseID: v[1].(string),
		}).JSON()
	}).(pulumi.StringOutput)
	if _, err := sns.NewTopicPolicy(ctx, name+"-topic", &sns.TopicPolicyArgs{
		Arn:    topic.Arn,
		Policy: policy,
	}, b.parent); err != nil {
		return nil, fmt.Errorf("topic policy: %w", err)
	}

	for _, s := range b.cfg.Subscriptions {
		if _, err := sns.NewTopicSubscription(ctx, name+"-"+subscriptionKey(s), &sns.TopicSubscriptionArgs{
			Topic:    topic.Arn,
			Protocol: pulumi.String(s.Protocol),
			Endpoint: parts.ConfigString(b.cfg.Secret, s.Endpoint),
		}, b.parent); err != nil {
			return nil, fmt.Errorf("subscription %s %s: %w", s.Protocol, subscriptionKey(s), err)
		}
	}
	return topic, nil
}

// TopicKeyStatements let the services that publish to the alarm topic use
// its key: a publisher to an encrypted topic needs kms:GenerateDataKey* and
// kms:Decrypt on it (Amazon SNS Developer Guide, "Enable compatibility
// between event sources from AWS services and encrypted topics", which lists
// cloudwatch.amazonaws.com for alarms, events.amazonaws.com for EventBridge
// and events.rds.amazonaws.com for RDS event subscriptions).
func TopicKeyStatements(acct parts.Account) []parts.Statement {
	return []parts.Statement{{
		Sid:    "AWSServicesPublishEncrypted",
		Effect: parts.Allow,
		Principal: &parts.Principal{Service: parts.List(
			acct.GlobalServicePrincipal("cloudwatch"),
			acct.GlobalServicePrincipal("events"),
			acct.GlobalServicePrincipal("events.rds"),
		)},
		Action:   parts.List("kms:Decrypt", "kms:GenerateDataKey*"),
		Resource: parts.One("*"),
	}}
}

// topicPublishers are the event sources topicPolicy admits besides
// CloudWatch alarms.
type topicPublishers struct {
	// BackupRule admits the EventBridge rule BackupRuleName.
	BackupRule     bool
	BackupRuleName string
	// DatabaseID admits RDS event notifications about that instance; ""
	// admits none.
	DatabaseID string
}

// topicPolicy is the alarm topic's access policy: the account administers and
// uses the topic through IAM; CloudWatch may publish for this account's
// alarms only (not for alarms of another account naming our topic);
// EventBridge for the backup rule only; RDS for the database only (RDS User
// Guide, "Granting permissions to publish notifications to an Amazon SNS
// topic": principal events.rds.amazonaws.com, aws:SourceArn the RDS
// resource, aws:SourceAccount).
func topicPolicy(acct parts.Account, topicARN string, from topicPublishers) parts.PolicyDocument {
	// publish lets a service publish on behalf of one source (aws:SourceArn,
	// compared with the operator given) of this account.
	publish := func(sid, service, arnOperator, sourceARN string) parts.Statement {
		return parts.Statement{
			Sid:       sid,
			Effect:    parts.Allow,
			Principal: &parts.Principal{Service: parts.One(acct.GlobalServicePrincipal(service))},
			Action:    parts.One("SNS:Publish"),
			Resource:  parts.One(topicARN),
			Condition: parts.Conditions{
				arnOperator:    {"aws:SourceArn": parts.One(sourceARN)},
				"StringEquals": {"aws:SourceAccount": parts.One(acct.ID)},
			},
		}
	}
	statements := []parts.Statement{
		{
			Sid:       "AccountAdministers",
			Effect:    parts.Allow,
			Principal: &parts.Principal{AWS: parts.One(acct.RootARN())},
			Action: parts.List(
				"SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
				"SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish",
			),
			Resource: parts.One(topicARN),
		},
		publish("CloudWatchAlarmsPublish", "cloudwatch", "ArnLike", acct.ARN("cloudwatch", acct.Region, "alarm:*")),
	}
	if from.BackupRule {
		statements = append(statements, publish("BackupJobEventsPublish", "events", "ArnEquals", acct.ARN("events", acct.Region, "rule/"+from.BackupRuleName)))
	}
	if from.DatabaseID != "" {
		statements = append(statements, publish("DatabaseEventsPublish", "events.rds", "ArnEquals", acct.ARN("rds", acct.Region, "db:"+from.DatabaseID)))
	}
	return parts.Policy(statements...)
}

// alarm creates one signal's alarm, notifying the topic on ALARM and OK.
func (b *builder) alarm(s signal[pulumi.StringInput], topicARN pulumi.StringOutput) (*cloudwatch.MetricAlarm, error) {
	period := b.cfg.PeriodSeconds
	args := &cloudwatch.MetricAlarmArgs{
		Name:               pulumi.String(parts.PhysicalName(b.ctx, b.name+"-"+s.Key, 255)),
		AlarmDescription:   pulumi.String(s.Description),
		ComparisonOperator: pulumi.String(s.Comparison),
		Threshold:          pulumi.Float64(s.Threshold),
		EvaluationPeriods:  pulumi.Int(b.cfg.EvaluationPeriods),
		DatapointsToAlarm:  pulumi.Int(b.cfg.DatapointsToAlarm),
		TreatMissingData:   pulumi.String(s.TreatMissingData),
		ActionsEnabled:     pulumi.Bool(true),
		AlarmActions:       pulumi.Array{topicARN},
		OkActions:          pulumi.Array{topicARN},
		Tags:               b.tags("-" + s.Key),
	}
	dims := func(m metric[pulumi.StringInput]) pulumi.StringMap {
		out := pulumi.StringMap{}
		for _, d := range m.Dimensions {
			out[d.Name] = d.Value
		}
		return out
	}
	switch {
	case s.Expression != "":
		queries := cloudwatch.MetricAlarmMetricQueryArray{}
		for _, m := range s.Metrics {
			queries = append(queries, cloudwatch.MetricAlarmMetricQueryArgs{
				Id: pulumi.String(m.ID),
				Metric: &cloudwatch.MetricAlarmMetricQueryMetricArgs{
					Namespace:  pulumi.String(m.Namespace),
					MetricName: pulumi.String(m.Name),
					Stat:       pulumi.String(m.Stat),
					Period:     pulumi.Int(period),
					Dimensions: dims(m),
				},
				ReturnData: pulumi.Bool(false),
			})
		}
		queries = append(queries, cloudwatch.MetricAlarmMetricQueryArgs{
			Id:         pulumi.String("e1"),
			Expression: pulumi.String(s.Expression),
			Label:      pulumi.String(s.Label),
			ReturnData: pulumi.Bool(true),
		})
		args.MetricQueries = queries
	case len(s.Metrics) == 1:
		m := s.Metrics[0]
		args.Namespace = pulumi.String(m.Namespace)
		args.MetricName = pulumi.String(m.Name)
		args.Period = pulumi.Int(period)
		args.Dimensions = dims(m)
		if s.percentile() {
			args.ExtendedStatistic = pulumi.String(m.Stat)
			// AWS services publish these metrics once per period, far fewer
			// samples than CloudWatch deems significant for a percentile;
			// "ignore" would leave the alarm's state frozen.
			args.EvaluateLowSampleCountPercentiles = pulumi.String("evaluate")
		} else {
			args.Statistic = pulumi.String(m.Stat)
		}
	default:
		return nil, fmt.Errorf("alarm %s: %d metrics and no expression", s.Key, len(s.Metrics))
	}
	alarm, err := cloudwatch.NewMetricAlarm(b.ctx, b.name+"-"+s.Key, args, b.parent)
	if err != nil {
		return nil, fmt.Errorf("alarm %s: %w", s.Key, err)
	}
	return alarm, nil
}
