package broker_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/broker"
)

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	require.NoError(t, broker.DefaultConfig().Validate())
	tests := []struct {
		name    string
		mutate  func(*broker.Config)
		wantErr string // "" means valid
	}{
		{"dev", func(c *broker.Config) { c.DeploymentMode, c.HostInstanceType = broker.SingleInstance, "mq.t3.micro" }, ""},
		{"rabbitmq 4 on m7g", func(c *broker.Config) { c.EngineVersion, c.HostInstanceType = "4.2", "mq.m7g.large" }, ""},
		{"any day", func(c *broker.Config) { c.MaintenanceDay, c.MaintenanceTime = "WEDNESDAY", "23:30" }, ""},

		{"unknown mode CLUSTER", func(c *broker.Config) { c.DeploymentMode = "CLUSTER" }, `deploymentMode: must be one of "SINGLE_INSTANCE", "CLUSTER_MULTI_AZ", got "CLUSTER"`},
		{"unknown mode MULTI_AZ", func(c *broker.Config) { c.DeploymentMode = "MULTI_AZ" }, `deploymentMode: must be one of "SINGLE_INSTANCE", "CLUSTER_MULTI_AZ", got "MULTI_AZ"`},
		{"activemq mode", func(c *broker.Config) { c.DeploymentMode = "ACTIVE_STANDBY_MULTI_AZ" }, "deploymentMode: ACTIVE_STANDBY_MULTI_AZ is for ActiveMQ"},
		{"micro cluster", func(c *broker.Config) { c.DeploymentMode, c.HostInstanceType = broker.ClusterMultiAZ, "mq.t3.micro" }, "hostInstanceType: mq.t3.micro runs only as SINGLE_INSTANCE"},
		{"malformed instance type", func(c *broker.Config) { c.HostInstanceType = "m5.large" }, `hostInstanceType: must be an Amazon MQ instance type such as "mq.m5.large"`},
		{"rabbitmq 4 on m5", func(c *broker.Config) { c.EngineVersion = "4.2" }, `hostInstanceType: mq.m5.large runs RabbitMQ 3.13 only, not 4.2 (RabbitMQ 4 runs on mq.m7g instance types only)`},
		{"old version", func(c *broker.Config) { c.EngineVersion = "3.12" }, `engineVersion: must be 3.13 or later, got "3.12"`},
		{"older major", func(c *broker.Config) { c.EngineVersion = "2.8" }, `engineVersion: must be 3.13 or later, got "2.8"`},
		{"patch pinned", func(c *broker.Config) { c.EngineVersion = "3.13.7" }, `engineVersion: must be major.minor only (3.13)`},
		{"not a version", func(c *broker.Config) { c.EngineVersion = "latest" }, `engineVersion: must be a RabbitMQ major.minor such as "3.13", got "latest"`},
		{"guest", func(c *broker.Config) { c.AdminUsername = "guest" }, `adminUsername: must not be "guest"`},
		{"username characters", func(c *broker.Config) { c.AdminUsername = "admin:root" }, `adminUsername: must be 2 to 100 letters, digits or . _ ~ -, got "admin:root"`},
		{"username too short", func(c *broker.Config) { c.AdminUsername = "a" }, `adminUsername: must be 2 to 100`},
		{"day", func(c *broker.Config) { c.MaintenanceDay = "Sunday" }, `maintenanceDay: must be one of "MONDAY"`},
		{"time", func(c *broker.Config) { c.MaintenanceTime = "4am" }, `maintenanceTime: must be hh:mm in UTC such as "04:00", got "4am"`},
		{"time out of range", func(c *broker.Config) { c.MaintenanceTime = "24:00" }, `maintenanceTime: must be hh:mm`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := broker.DefaultConfig()
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

func TestConfigValidateSeveralProblems(t *testing.T) {
	t.Parallel()
	c := broker.DefaultConfig()
	c.EngineVersion, c.HostInstanceType, c.AdminUsername, c.MaintenanceDay = "3.13.7", "large", "guest", "someday"
	err := c.Validate()
	for _, want := range []string{
		"engineVersion: must be major.minor only (3.13)",
		`hostInstanceType: must be an Amazon MQ instance type`,
		`adminUsername: must not be "guest"`,
		`maintenanceDay: must be one of "MONDAY"`,
	} {
		require.ErrorContains(t, err, want)
	}
}
