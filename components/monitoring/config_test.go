package monitoring_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/monitoring"
)

func TestDefaultConfigIsValid(t *testing.T) {
	t.Parallel()
	require.NoError(t, monitoring.DefaultConfig().Validate())
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	sub := func(protocol, endpoint string) []monitoring.Subscription {
		return []monitoring.Subscription{{Protocol: protocol, Endpoint: endpoint}}
	}
	tests := []struct {
		name    string
		mutate  func(c *monitoring.Config)
		wantErr string // "" means valid
	}{
		{name: "every protocol", mutate: func(c *monitoring.Config) {
			c.Subscriptions = []monitoring.Subscription{
				{Protocol: "email", Endpoint: "oncall@example.com"},
				{Protocol: "https", Endpoint: "https://events.example.com/hook?x=1"},
				{Protocol: "sqs", Endpoint: "arn:aws:sqs:us-east-1:123456789012:alerts"},
				{Protocol: "lambda", Endpoint: "arn:aws:lambda:us-east-1:123456789012:function:notify"},
			}
		}},
		{name: "five-minute periods over a day", mutate: func(c *monitoring.Config) { c.PeriodSeconds, c.EvaluationPeriods, c.DatapointsToAlarm = 300, 288, 1 }},
		{name: "protocol", mutate: func(c *monitoring.Config) { c.Subscriptions = sub("sms", "+15555550100") }, wantErr: `subscriptions[0].protocol: must be one of "email", "https", "sqs", "lambda", got "sms"`},
		{name: "email", mutate: func(c *monitoring.Config) { c.Subscriptions = sub("email", "oncall") }, wantErr: `subscriptions[0].endpoint: must be an email address such as "oncall@example.com" for protocol "email", got "oncall"`},
		{name: "plain http", mutate: func(c *monitoring.Config) { c.Subscriptions = sub("https", "http://hooks.example.com") }, wantErr: `subscriptions[0].endpoint: must be an https:// URL`},
		{name: "sqs", mutate: func(c *monitoring.Config) {
			c.Subscriptions = sub("sqs", "https://sqs.us-east-1.amazonaws.com/123456789012/alerts")
		}, wantErr: `subscriptions[0].endpoint: must be an SQS queue ARN`},
		{name: "lambda", mutate: func(c *monitoring.Config) { c.Subscriptions = sub("lambda", "notify") }, wantErr: `subscriptions[0].endpoint: must be a Lambda function ARN`},
		{name: "duplicate", mutate: func(c *monitoring.Config) {
			c.Subscriptions = append(sub("email", "a@example.com"), sub("email", "a@example.com")...)
		}, wantErr: "subscriptions[1]: repeats subscriptions[0] (email a@example.com)"},
		{name: "period not a minute multiple", mutate: func(c *monitoring.Config) { c.PeriodSeconds = 90 }, wantErr: "periodSeconds: must be a multiple of 60 between 60 and 86400"},
		{name: "high resolution period", mutate: func(c *monitoring.Config) { c.PeriodSeconds = 10 }, wantErr: "periodSeconds: must be a multiple of 60"},
		{name: "no evaluation periods", mutate: func(c *monitoring.Config) { c.EvaluationPeriods = 0 }, wantErr: "evaluationPeriods: must be at least 1, got 0"},
		{name: "evaluation longer than a day", mutate: func(c *monitoring.Config) { c.PeriodSeconds, c.EvaluationPeriods = 3600, 25 }, wantErr: "evaluationPeriods: times periodSeconds (3600) must be at most one day"},
		{name: "datapoints above periods", mutate: func(c *monitoring.Config) { c.DatapointsToAlarm = 4 }, wantErr: "datapointsToAlarm: must be between 1 and evaluationPeriods (3), got 4"},
		{name: "datapoints zero", mutate: func(c *monitoring.Config) { c.DatapointsToAlarm = 0 }, wantErr: "datapointsToAlarm: must be between 1 and evaluationPeriods (3), got 0"},
		{name: "db cpu", mutate: func(c *monitoring.Config) { c.Database.CPUPercent = 101 }, wantErr: "database.cpuPercent: must be between 1 and 100, got 101"},
		{name: "db storage", mutate: func(c *monitoring.Config) { c.Database.FreeStorageGiB = 0 }, wantErr: "database.freeStorageGiB: must be between 1 and 65536, got 0"},
		{name: "db memory", mutate: func(c *monitoring.Config) { c.Database.FreeableMemoryMiB = -1 }, wantErr: "database.freeableMemoryMiB: must be between 1"},
		{name: "db connections", mutate: func(c *monitoring.Config) { c.Database.Connections = new(0) }, wantErr: "database.connections: must be between 1"},
		{name: "db read latency", mutate: func(c *monitoring.Config) { c.Database.ReadLatencyP95Ms = 0 }, wantErr: "database.readLatencyP95Ms: must be between 1 and 60000, got 0"},
		{name: "db write latency", mutate: func(c *monitoring.Config) { c.Database.WriteLatencyP95Ms = 60001 }, wantErr: "database.writeLatencyP95Ms: must be between 1 and 60000, got 60001"},
		{name: "cache cpu", mutate: func(c *monitoring.Config) { c.Cache.EngineCPUPercent = 0 }, wantErr: "cache.engineCpuPercent: must be between 1 and 100, got 0"},
		{name: "cache memory", mutate: func(c *monitoring.Config) { c.Cache.MemoryPercent = 150 }, wantErr: "cache.memoryPercent: must be between 1 and 100, got 150"},
		{name: "cache evictions", mutate: func(c *monitoring.Config) { c.Cache.Evictions = -1 }, wantErr: "cache.evictions: must be between 0"},
		{name: "cache lag", mutate: func(c *monitoring.Config) { c.Cache.ReplicationLagSeconds = 0 }, wantErr: "cache.replicationLagSeconds: must be between 1 and 86400, got 0"},
		{name: "broker memory", mutate: func(c *monitoring.Config) { c.Broker.MemoryPercent = 0 }, wantErr: "broker.memoryPercent: must be between 1 and 100, got 0"},
		{name: "broker disk at the limit", mutate: func(c *monitoring.Config) { c.Broker.DiskFreeLimitMultiple = 1 }, wantErr: "broker.diskFreeLimitMultiple: must be more than 1 (at 1 RabbitMQ already blocks every publisher) and at most 100, got 1"},
		{name: "nat", mutate: func(c *monitoring.Config) { c.NAT.PortAllocationErrors = -1 }, wantErr: "nat.portAllocationErrors: must be between 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := monitoring.DefaultConfig()
			tt.mutate(&c)
			err := c.Validate()
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestConfigValidateReportsEverything(t *testing.T) {
	t.Parallel()
	c := monitoring.DefaultConfig()
	c.PeriodSeconds, c.Database.CPUPercent, c.Broker.MemoryPercent = 30, 0, 0
	err := c.Validate()
	for _, want := range []string{"periodSeconds:", "database.cpuPercent:", "broker.memoryPercent:"} {
		require.ErrorContains(t, err, want)
	}
}

func TestConfigValidateSeveralProblems(t *testing.T) {
	t.Parallel()
	c := monitoring.DefaultConfig()
	c.Subscriptions = []monitoring.Subscription{{Protocol: "email", Endpoint: "nobody"}}
	c.Database.CPUPercent = 120
	err := c.Validate()
	for _, want := range []string{"subscriptions[0].endpoint: must be an email address", "database.cpuPercent: must be between 1 and 100, got 120"} {
		require.ErrorContains(t, err, want)
	}
}
