package redis_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/redis"
)

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	require.NoError(t, redis.DefaultConfig().Validate())
	tests := []struct {
		name    string
		mutate  func(*redis.Config)
		wantErr string // "" means valid
	}{
		{"prod-like", func(c *redis.Config) {
			c.NodeCount, c.BackupsRequired, c.SnapshotRetentionDays, c.NodeType = 3, true, 7, "cache.r7g.large"
		}, ""},
		{"valkey", func(c *redis.Config) { c.Engine, c.EngineVersion = "valkey", "8.0" }, ""},
		{"backups off without the requirement", func(c *redis.Config) { c.SnapshotRetentionDays = 0 }, ""},
		{"retention maximum", func(c *redis.Config) { c.SnapshotRetentionDays = 35 }, ""},
		{"rotation step", func(c *redis.Config) { c.AuthTokenVersion, c.AuthTokenUpdateStrategy = 2, "ROTATE" }, ""},

		{"unknown engine", func(c *redis.Config) { c.Engine = "memcached" }, `engine: must be one of "redis", "valkey", got "memcached"`},
		{"patch version", func(c *redis.Config) { c.EngineVersion = "7.1.0" }, `engineVersion: must be major.minor such as "7.1"`},
		{"redis 6", func(c *redis.Config) { c.EngineVersion = "6.2" }, "engineVersion: redis must be 7.0 or 7.1"},
		{"malformed node type", func(c *redis.Config) { c.NodeType = "t4g.small" }, `nodeType: must be an ElastiCache node type such as "cache.t4g.small"`},
		{"t2 with a replica", func(c *redis.Config) { c.NodeType, c.NodeCount = "cache.t2.small", 2 }, "nodeType: \"cache.t2.small\" has no automatic failover"},
		{"no nodes", func(c *redis.Config) { c.NodeCount = 0 }, "nodeCount: must be between 1 and 6, got 0"},
		{"too many nodes", func(c *redis.Config) { c.NodeCount = 7 }, "nodeCount: must be between 1 and 6, got 7"},
		{"negative retention", func(c *redis.Config) { c.SnapshotRetentionDays = -1 }, "snapshotRetentionDays: must be between 0 and 35, got -1"},
		{"retention too long", func(c *redis.Config) { c.SnapshotRetentionDays = 36 }, "snapshotRetentionDays: must be between 0 and 35, got 36"},
		{"backups required", func(c *redis.Config) { c.BackupsRequired, c.SnapshotRetentionDays = true, 0 }, "snapshotRetentionDays: must be at least 1 because backupsRequired is true"},
		{"malformed snapshot window", func(c *redis.Config) { c.SnapshotWindow = "3am" }, "snapshotWindow: must be of the form hh24:mi-hh24:mi"},
		{"short snapshot window", func(c *redis.Config) { c.SnapshotWindow = "03:00-03:30" }, "snapshotWindow: must be at least 60 minutes long, got 30"},
		{"malformed maintenance window", func(c *redis.Config) { c.MaintenanceWindow = "Sun:05:00-Sun:06:00" }, "maintenanceWindow: must be of the form ddd:hh24:mi-ddd:hh24:mi"},
		{"overlapping windows", func(c *redis.Config) {
			c.SnapshotWindow, c.MaintenanceWindow = "04:00-05:00", "tue:04:30-tue:05:30"
		}, `maintenanceWindow: must not overlap snapshotWindow ("tue:04:30-tue:05:30" overlaps "04:00-05:00")`},
		{"log retention", func(c *redis.Config) { c.LogRetentionDays = 10 }, "logRetentionDays: must be one of the retention periods CloudWatch Logs accepts"},
		{"token version", func(c *redis.Config) { c.AuthTokenVersion = 0 }, "authTokenVersion: must be 1 or more, got 0"},
		{"delete strategy", func(c *redis.Config) { c.AuthTokenUpdateStrategy = "DELETE" }, `authTokenUpdateStrategy: must be one of "SET", "ROTATE", got "DELETE"`},
		{"cluster mode parameter", func(c *redis.Config) { c.Parameters = map[string]string{"cluster-enabled": "yes"} }, `parameters["cluster-enabled"]: cannot be set`},
		{"bad parameter name", func(c *redis.Config) { c.Parameters = map[string]string{"Max Memory": "1"} }, `parameters["Max Memory"]: must be an ElastiCache parameter name`},
		{"empty parameter value", func(c *redis.Config) { c.Parameters = map[string]string{"maxmemory-policy": ""} }, `parameters["maxmemory-policy"]: must have a value`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := redis.DefaultConfig()
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

// Every problem is reported at once, each on its own line with its field.
func TestConfigValidateReportsEverything(t *testing.T) {
	t.Parallel()
	c := redis.DefaultConfig()
	c.NodeCount, c.SnapshotRetentionDays, c.NodeType = 9, 40, "big"
	err := c.Validate()
	require.Error(t, err)
	lines := strings.Split(err.Error(), "\n")
	require.Len(t, lines, 3, err.Error())
	require.True(t, strings.HasPrefix(lines[0], "nodeCount: "))
	require.True(t, strings.HasPrefix(lines[1], "nodeType: "))
	require.True(t, strings.HasPrefix(lines[2], "snapshotRetentionDays: "))
}

func TestConfigValidateSeveralProblems(t *testing.T) {
	t.Parallel()
	c := redis.DefaultConfig()
	c.NodeCount, c.NodeType, c.SnapshotRetentionDays = 7, "m5.large", 36
	c.SnapshotWindow, c.MaintenanceWindow = "05:00-06:00", "mon:05:30-mon:06:30"
	err := c.Validate()
	for _, want := range []string{
		"nodeCount: must be between 1 and 6, got 7",
		`nodeType: must be an ElastiCache node type such as "cache.t4g.small"`,
		"snapshotRetentionDays: must be between 0 and 35, got 36",
		"maintenanceWindow: must not overlap snapshotWindow",
	} {
		require.ErrorContains(t, err, want)
	}
}
