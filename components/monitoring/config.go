package monitoring

import (
	"fmt"
	"regexp"

	"github.com/acme/platform/internal/check"
)

// Subscription protocols the topic accepts from configuration.
const (
	ProtocolEmail  = "email"
	ProtocolHTTPS  = "https"
	ProtocolSQS    = "sqs"
	ProtocolLambda = "lambda"
)

// Config holds the notification targets and every alarm threshold. It is
// what the stack reads from the platform:monitoring config object; JSON names
// are the config keys.
type Config struct {
	// Subscriptions receive every alarm and OK notification; default none
	// (alarms still show in the console and on the dashboard).
	Subscriptions []Subscription `json:"subscriptions"`
	// Secret is set by the stack when the configuration object holds a
	// `secure:` value somewhere: the settings that may carry a credential
	// (the subscription endpoints) are then registered as Pulumi secrets. Not read from
	// the configuration.
	Secret bool `json:"-"`
	// PeriodSeconds is the length of one evaluated data point, a multiple of
	// 60 (every watched metric is published per minute); default 60.
	PeriodSeconds int `json:"periodSeconds"`
	// EvaluationPeriods is how many recent periods an alarm looks at, at
	// least 1, and at most one day in total; default 3.
	EvaluationPeriods int `json:"evaluationPeriods"`
	// DatapointsToAlarm is how many of them must breach, 1 to
	// evaluationPeriods; default 3.
	DatapointsToAlarm int `json:"datapointsToAlarm"`
	// Database holds the PostgreSQL thresholds.
	Database DatabaseThresholds `json:"database"`
	// Cache holds the Redis thresholds, per cache node.
	Cache CacheThresholds `json:"cache"`
	// Broker holds the RabbitMQ thresholds.
	Broker BrokerThresholds `json:"broker"`
	// NAT holds the NAT gateway threshold, per gateway.
	NAT NATThresholds `json:"nat"`
}

// Subscription is one endpoint notified of alarms. Email and HTTPS
// endpoints must confirm the subscription before they receive anything; an
// SQS queue needs a queue policy letting the topic send (and, if encrypted, a
// key SNS may use), a Lambda function a permission letting SNS invoke it.
type Subscription struct {
	// Protocol is "email", "https", "sqs" or "lambda"; required.
	Protocol string `json:"protocol"`
	// Endpoint is an address, an https:// URL, a queue ARN or a function
	// ARN, as the protocol asks; required.
	Endpoint string `json:"endpoint"`
}

// DatabaseThresholds alarm on the RDS instance.
type DatabaseThresholds struct {
	// CPUPercent alarms above this average CPU, 1 to 100; default 80.
	CPUPercent int `json:"cpuPercent"`
	// FreeStorageGiB alarms below this much free storage, at least 1;
	// default 5.
	FreeStorageGiB int `json:"freeStorageGiB"`
	// FreeableMemoryMiB alarms below this much freeable memory, at least 1;
	// default 256.
	FreeableMemoryMiB int `json:"freeableMemoryMiB"`
	// Connections alarms above this many connections, at least 1; default
	// half the instance class's connection limit (MonitoringArgs.
	// DatabaseConnectionLimit), so the alarm fires while clients still get
	// in, on any class.
	Connections *int `json:"connections"`
	// ReadLatencyP95Ms and WriteLatencyP95Ms alarm above this 95th
	// percentile of disk I/O latency, 1 to 60000 ms; defaults 20.
	ReadLatencyP95Ms  int `json:"readLatencyP95Ms"`
	WriteLatencyP95Ms int `json:"writeLatencyP95Ms"`
}

// CacheThresholds alarm on each ElastiCache node.
type CacheThresholds struct {
	// EngineCPUPercent alarms above this average Redis engine-thread CPU, 1
	// to 100; default 80.
	EngineCPUPercent int `json:"engineCpuPercent"`
	// MemoryPercent alarms above this share of maxmemory in use, 1 to 100;
	// default 80.
	MemoryPercent int `json:"memoryPercent"`
	// Evictions alarms when more keys than this are evicted in a period, at
	// least 0; default 0 (any eviction: the cache is full).
	Evictions int `json:"evictions"`
	// ReplicationLagSeconds alarms when a replica lags the primary by more
	// than this, at least 1; default 5. Only with two or more nodes.
	ReplicationLagSeconds int `json:"replicationLagSeconds"`
}

// BrokerThresholds alarm on the RabbitMQ broker, relative to the limits at
// which RabbitMQ blocks every publisher (its memory high watermark and its
// disk free limit), so they hold for any instance size.
type BrokerThresholds struct {
	// MemoryPercent alarms when memory in use exceeds this share of the
	// memory limit, 1 to 100; default 80.
	MemoryPercent int `json:"memoryPercent"`
	// DiskFreeLimitMultiple alarms when free disk falls below this multiple
	// of the disk free limit, more than 1 and at most 100; default 2.
	DiskFreeLimitMultiple float64 `json:"diskFreeLimitMultiple"`
}

// NATThresholds alarm on each NAT gateway.
type NATThresholds struct {
	// PortAllocationErrors alarms when more connections than this fail for
	// want of a source port in a period, at least 0; default 0 (any).
	PortAllocationErrors int `json:"portAllocationErrors"`
}

// DefaultConfig returns the configuration of a stack that sets nothing in
// platform:monitoring: the one place its defaults are written. The stack
// decodes the stack file's object over it, so an absent key keeps its default
// and a present one (0 and false included) is meant. A Go caller starts from
// it and changes fields: a Config literal's zero fields are zeros, not
// defaults.
func DefaultConfig() Config {
	return Config{
		Subscriptions:     []Subscription{},
		PeriodSeconds:     60,
		EvaluationPeriods: 3,
		DatapointsToAlarm: 3,
		Database: DatabaseThresholds{
			CPUPercent:        80,
			FreeStorageGiB:    5,
			FreeableMemoryMiB: 256,
			ReadLatencyP95Ms:  20,
			WriteLatencyP95Ms: 20,
		},
		Cache: CacheThresholds{
			EngineCPUPercent:      80,
			MemoryPercent:         80,
			Evictions:             0,
			ReplicationLagSeconds: 5,
		},
		Broker: BrokerThresholds{
			MemoryPercent:         80,
			DiskFreeLimitMultiple: 2,
		},
		NAT: NATThresholds{PortAllocationErrors: 0},
	}
}

var (
	emailRE  = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	httpsRE  = regexp.MustCompile(`^https://[^\s/]+(/\S*)?$`)
	sqsRE    = regexp.MustCompile(`^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$`)
	lambdaRE = regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$`)
)

// endpointShape says what each protocol's endpoint must look like.
var endpointShape = map[string]struct {
	re      *regexp.Regexp
	example string
}{
	ProtocolEmail:  {emailRE, `an email address such as "oncall@example.com"`},
	ProtocolHTTPS:  {httpsRE, `an https:// URL such as "https://events.pagerduty.com/integration/KEY/enqueue"`},
	ProtocolSQS:    {sqsRE, `an SQS queue ARN such as "arn:aws:sqs:us-east-1:123456789012:alerts"`},
	ProtocolLambda: {lambdaRE, `a Lambda function ARN such as "arn:aws:lambda:us-east-1:123456789012:function:notify"`},
}

// Validate reports every problem with c, each naming its field. The stack runs
// it when it loads platform:monitoring, before anything is registered;
// NewMonitoring does not run it again, so a Go caller that builds a Config
// runs it first.
func (c Config) Validate() error {
	var p check.Problems
	seen := map[Subscription]int{}
	for i, s := range c.Subscriptions {
		path := fmt.Sprintf("subscriptions[%d]", i)
		p.OneOf(path+".protocol", s.Protocol, ProtocolEmail, ProtocolHTTPS, ProtocolSQS, ProtocolLambda)
		if shape, ok := endpointShape[s.Protocol]; ok && s.Endpoint != check.SecretPlaceholder && !shape.re.MatchString(s.Endpoint) {
			p.Addf(path+".endpoint", "must be %s for protocol %q, got %q", shape.example, s.Protocol, s.Endpoint)
		}
		if j, dup := seen[s]; dup {
			p.Addf(path, "repeats subscriptions[%d] (%s %s)", j, s.Protocol, s.Endpoint)
		}
		seen[s] = i
	}
	if c.PeriodSeconds < 60 || c.PeriodSeconds%60 != 0 || c.PeriodSeconds > 86400 {
		p.Addf("periodSeconds", "must be a multiple of 60 between 60 and 86400 (the watched metrics are published per minute), got %d", c.PeriodSeconds)
	}
	if c.EvaluationPeriods < 1 {
		p.Addf("evaluationPeriods", "must be at least 1, got %d", c.EvaluationPeriods)
	} else if c.PeriodSeconds > 0 && c.EvaluationPeriods*c.PeriodSeconds > 86400 {
		p.Addf("evaluationPeriods", "times periodSeconds (%d) must be at most one day (86400 s, CloudWatch's limit), got %d periods", c.PeriodSeconds, c.EvaluationPeriods)
	}
	if c.DatapointsToAlarm < 1 || c.DatapointsToAlarm > max(c.EvaluationPeriods, 1) {
		p.Addf("datapointsToAlarm", "must be between 1 and evaluationPeriods (%d), got %d", c.EvaluationPeriods, c.DatapointsToAlarm)
	}

	db := c.Database
	p.Between("database.cpuPercent", db.CPUPercent, 1, 100)
	p.Between("database.freeStorageGiB", db.FreeStorageGiB, 1, 65536)
	p.Between("database.freeableMemoryMiB", db.FreeableMemoryMiB, 1, 1<<20)
	if db.Connections != nil {
		p.Between("database.connections", *db.Connections, 1, 1<<20)
	}
	p.Between("database.readLatencyP95Ms", db.ReadLatencyP95Ms, 1, 60000)
	p.Between("database.writeLatencyP95Ms", db.WriteLatencyP95Ms, 1, 60000)

	p.Between("cache.engineCpuPercent", c.Cache.EngineCPUPercent, 1, 100)
	p.Between("cache.memoryPercent", c.Cache.MemoryPercent, 1, 100)
	p.Between("cache.evictions", c.Cache.Evictions, 0, 1<<30)
	p.Between("cache.replicationLagSeconds", c.Cache.ReplicationLagSeconds, 1, 86400)

	p.Between("broker.memoryPercent", c.Broker.MemoryPercent, 1, 100)
	if m := c.Broker.DiskFreeLimitMultiple; !(m > 1 && m <= 100) {
		p.Addf("broker.diskFreeLimitMultiple", "must be more than 1 (at 1 RabbitMQ already blocks every publisher) and at most 100, got %g", m)
	}
	p.Between("nat.portAllocationErrors", c.NAT.PortAllocationErrors, 0, 1<<30)
	return p.Err()
}
