package postgres_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/postgres"
)

func TestDefaultConfigIsValid(t *testing.T) {
	t.Parallel()
	c := postgres.DefaultConfig()
	require.NoError(t, c.Validate())
	require.Equal(t, "postgres16", c.Family())
	require.True(t, *c.DeletionProtection)
	require.True(t, *c.IAMAuth)
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
	require.False(t, *c.DeletionProtection)
	require.False(t, *c.IAMAuth)
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
