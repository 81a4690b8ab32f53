package postgres_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/postgres"
)

func TestDefaultConfigIsValid(t *testing.T) {
	t.Parallel()
	c := postgres.DefaultConfig()
	require.NoError(t, c.Validate())
	require.Equal(t, "postgres16", c.Family())
	require.True(t, c.DeletionProtection)
	require.True(t, c.IAMAuth)
	r := c.RolesSpec()
	require.NoError(t, r.Validate())
	require.Equal(t, "app", r.Database)
	require.Equal(t, "platform_admin", r.MasterUsername)
}

// decode decodes a stack's config object the way the stack does: strictly,
// over the defaults.
func decode(t *testing.T, raw string) (postgres.Config, error) {
	t.Helper()
	c := postgres.DefaultConfig()
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.DisallowUnknownFields()
	err := dec.Decode(&c)
	return c, err
}

func TestConfigDecoding(t *testing.T) {
	t.Parallel()
	// Nested objects keep the defaults of the fields they do not set.
	c, err := decode(t, `{"multiAz": true, "backupRetentionDays": 30, "deletionProtection": true,
		"roles": {"readWrite": {"connectionLimit": 80}, "readOnly": {"passwordVersion": 2}}}`)
	require.NoError(t, err)
	require.NoError(t, c.Validate())
	require.True(t, c.MultiAZ)
	require.Equal(t, 30, c.BackupRetentionDays)
	require.Equal(t, "app_rw", c.Roles.ReadWrite.Name)
	require.Equal(t, 80, c.Roles.ReadWrite.ConnectionLimit)
	require.Equal(t, 30000, c.Roles.ReadWrite.StatementTimeoutMs)
	require.Equal(t, 2, c.Roles.ReadOnly.PasswordVersion)
	require.Equal(t, "app_migrator", c.Roles.Migrator.Name)

	// An explicit false is kept (not replaced by the default true).
	c, err = decode(t, `{"deletionProtection": false, "iamAuth": false}`)
	require.NoError(t, err)
	require.False(t, c.DeletionProtection)
	require.False(t, c.IAMAuth)
	require.False(t, c.RolesSpec().IAMAuth)

	_, err = decode(t, `{"roles": {"readWrite": {"connectionLimt": 80}}}`)
	require.ErrorContains(t, err, `unknown field "connectionLimt"`)
}

func TestFamily(t *testing.T) {
	t.Parallel()
	for version, family := range map[string]string{"14": "postgres14", "16": "postgres16", "16.4": "postgres16", "17.2": "postgres17", "8.0.35": "", "16.4.1": "", "": "", "13": ""} {
		c := postgres.DefaultConfig()
		c.EngineVersion = version
		require.Equal(t, family, c.Family(), version)
	}
}

func TestParameters(t *testing.T) {
	t.Parallel()
	c := postgres.DefaultConfig()
	c.SlowQueryMs = 250
	got := map[string]string{}
	for _, p := range postgres.Parameters(c) {
		require.NotNil(t, p.ApplyMethod, p.Name)
		got[p.Name] = p.Value + " " + *p.ApplyMethod
	}
	require.Equal(t, map[string]string{
		"log_connections":            "1 immediate",
		"log_disconnections":         "1 immediate",
		"log_lock_waits":             "1 immediate",
		"log_min_duration_statement": "250 immediate",
		"log_statement":              "ddl immediate",
		"password_encryption":        "scram-sha-256 immediate",
		"rds.force_ssl":              "1 pending-reboot",
		"shared_preload_libraries":   "pg_stat_statements pending-reboot",
	}, got)
}

func TestConfigValidateReportsEveryProblem(t *testing.T) {
	t.Parallel()
	c := postgres.DefaultConfig()
	c.BackupRetentionDays = 40
	c.Port = 22
	c.Roles.ReadOnly.Name = "RO"
	err := c.Validate()
	require.Error(t, err)
	for _, want := range []string{"backupRetentionDays:", "port:", "roles.readOnly.name:"} {
		require.Contains(t, err.Error(), want)
	}
}

func TestConfigValidateRefuses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		mutate func(*postgres.Config)
		want   []string
	}{
		{"retention too short", func(c *postgres.Config) { c.BackupRetentionDays = -1 }, []string{"backupRetentionDays: must be between 1 and 35, got -1"}},
		{"retention too long", func(c *postgres.Config) { c.BackupRetentionDays = 36 }, []string{"backupRetentionDays: must be between 1 and 35, got 36"}},
		{"malformed backup window", func(c *postgres.Config) { c.BackupWindow = "3am-4am" }, []string{"backupWindow: must be of the form hh24:mi-hh24:mi"}},
		{"malformed maintenance window", func(c *postgres.Config) { c.MaintenanceWindow = "Sun:05:00-Sun:06:00" }, []string{"maintenanceWindow: must be of the form ddd:hh24:mi-ddd:hh24:mi"}},
		{"overlapping windows", func(c *postgres.Config) {
			c.BackupWindow = "05:30-06:30"
			c.MaintenanceWindow = "sun:05:00-sun:06:00"
		}, []string{"maintenanceWindow: must not overlap backupWindow"}},
		{"short window", func(c *postgres.Config) { c.BackupWindow = "03:00-03:15" }, []string{"backupWindow: must be at least 30 minutes long"}},
		{"storage below 20", func(c *postgres.Config) { c.AllocatedStorageGiB = 10 }, []string{"allocatedStorageGiB: must be between 20 and 65536, got 10"}},
		{"storage above the maximum", func(c *postgres.Config) { c.AllocatedStorageGiB = 70000 }, []string{"allocatedStorageGiB: must be between 20 and 65536, got 70000"}},
		{"max below allocated", func(c *postgres.Config) {
			c.AllocatedStorageGiB = 200
			c.MaxAllocatedStorageGiB = 100
		}, []string{"maxAllocatedStorageGiB: must be at least 10% above allocatedStorageGiB (200), so at least 220"}},
		{"max not 10% above", func(c *postgres.Config) { c.MaxAllocatedStorageGiB = 21 }, []string{"maxAllocatedStorageGiB: must be at least 10% above allocatedStorageGiB (20), so at least 22"}},
		{"mysql version", func(c *postgres.Config) { c.EngineVersion = "8.0.35" }, []string{`engineVersion: must be a PostgreSQL version`, `got "8.0.35"`}},
		{"engine name as version", func(c *postgres.Config) { c.EngineVersion = "mysql8.0" }, []string{`engineVersion: must be a PostgreSQL version`}},
		{"unsupported major", func(c *postgres.Config) { c.EngineVersion = "13.4" }, []string{`engineVersion: must be a PostgreSQL version, major 14 or later`}},
		{"instance class without db.", func(c *postgres.Config) { c.InstanceClass = "t4g.micro" }, []string{`instanceClass: must be an RDS instance class`}},
		{"cache instance class", func(c *postgres.Config) { c.InstanceClass = "cache.t4g.micro" }, []string{`instanceClass: must be an RDS instance class`}},
		{"master postgres", func(c *postgres.Config) { c.MasterUsername = "postgres" }, []string{`masterUsername: must not be a default or reserved name`}},
		{"master rdsadmin", func(c *postgres.Config) { c.MasterUsername = "rdsadmin" }, []string{`masterUsername: must not be a default or reserved name`}},
		{"master admin", func(c *postgres.Config) { c.MasterUsername = "admin" }, []string{`masterUsername: must not be a default or reserved name`}},
		{"master malformed", func(c *postgres.Config) { c.MasterUsername = "Platform-Admin" }, []string{`masterUsername: must be 1 to 63 lower-case letters`}},
		{"role with upper case", func(c *postgres.Config) { c.Roles.ReadWrite.Name = "App_RW" }, []string{`roles.readWrite.name: must be 1 to 63 lower-case letters`}},
		{"role pg_", func(c *postgres.Config) { c.Roles.ReadOnly.Name = "pg_reader" }, []string{`roles.readOnly.name: must not start with "pg_"`}},
		{"role rds_", func(c *postgres.Config) { c.Roles.Migrator.Name = "rds_migrator" }, []string{`roles.migrator.name: must not start with "rds_"`}},
		{"role public", func(c *postgres.Config) { c.Roles.Owner = "public" }, []string{`roles.owner: "public" is reserved`}},
		{"role is the master", func(c *postgres.Config) { c.Roles.Owner = "platform_admin" }, []string{`roles.owner: must differ from the master username "platform_admin"`}},
		{"duplicate roles", func(c *postgres.Config) { c.Roles.ReadOnly.Name = "app_rw" }, []string{`roles.readOnly.name: role "app_rw" is already used by readWrite.name`}},
		{"role too long for its IAM twin", func(c *postgres.Config) { c.Roles.ReadOnly.Name = strings.Repeat("r", 61) }, []string{`roles.readOnly.name: must be at most 59 characters when iamAuth is on`}},
		{"schema public", func(c *postgres.Config) { c.Roles.Schema = "public" }, []string{`roles.schema: must be an application schema`}},
		{"connection limit", func(c *postgres.Config) { c.Roles.ReadWrite.ConnectionLimit = -5 }, []string{`roles.readWrite.connectionLimit: must be between 1 and 10000, got -5`}},
		{"statement timeout", func(c *postgres.Config) { c.Roles.ReadOnly.StatementTimeoutMs = 10 }, []string{`roles.readOnly.statementTimeoutMs: must be between 1000 and 86400000, got 10`}},
		{"database name", func(c *postgres.Config) { c.DatabaseName = "template1" }, []string{`databaseName: "template1" is reserved`}},
		{"monitoring interval", func(c *postgres.Config) { c.MonitoringIntervalSeconds = 2 }, []string{`monitoringIntervalSeconds: must be one of 1, 5, 10, 15, 30, 60, got 2`}},
		{"insights retention", func(c *postgres.Config) { c.PerformanceInsightsRetentionDays = 8 }, []string{`performanceInsightsRetentionDays: must be 7, a multiple of 31`}},
		{"advanced insights", func(c *postgres.Config) { c.DatabaseInsightsMode = "advanced" }, []string{`databaseInsightsMode: "advanced" needs performanceInsightsRetentionDays of at least 465`}},
		{"log retention", func(c *postgres.Config) { c.LogRetentionDays = 8 }, []string{`logRetentionDays: must be one of the retention periods`}},
		{"ca certificate", func(c *postgres.Config) { c.CACertIdentifier = "rds-ca-2019" }, []string{`caCertIdentifier: must be one of`}},
		{"port", func(c *postgres.Config) { c.Port = 80 }, []string{`port: must be between 1150 and 65535, got 80`}},
		{"rotation", func(c *postgres.Config) { c.MasterPasswordRotationDays = 400 }, []string{`masterPasswordRotationDays: must be between 1 and 365, got 400`}},
		{"slow query", func(c *postgres.Config) { c.SlowQueryMs = 1 }, []string{`slowQueryMs: must be between 10 and 3600000, got 1`}},
		{"image without tag", func(c *postgres.Config) { c.BootstrapImage = "postgres" }, []string{`bootstrapImage: must be an image reference with a pinned tag or digest`}},
		{"image latest", func(c *postgres.Config) { c.AWSCLIImage = "amazon/aws-cli:latest" }, []string{`awsCliImage: must be an image reference with a pinned tag or digest`}},
		{"namespace", func(c *postgres.Config) { c.BootstrapNamespace = "Platform_System" }, []string{`bootstrapNamespace: must be a Kubernetes namespace name`}},
		{"every problem at once", func(c *postgres.Config) {
			c.BackupRetentionDays = -3
			c.EngineVersion = "5.7"
			c.InstanceClass = "m5.large"
		}, []string{"backupRetentionDays", "engineVersion", "instanceClass"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := postgres.DefaultConfig()
			tc.mutate(&c)
			err := c.Validate()
			require.Error(t, err)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}
