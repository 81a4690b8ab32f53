package postgres_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/postgres"
)

func roles() postgres.Roles {
	r := postgres.DefaultRoles()
	r.Database = "app"
	r.MasterUsername = "platform_admin"
	return r
}

func TestApplySQL(t *testing.T) {
	t.Parallel()
	sql := roles().Apply()
	for _, want := range []string{
		`\set ON_ERROR_STOP on`,
		`SELECT format('CREATE ROLE %I NOLOGIN', 'app_owner')`,
		`ALTER ROLE "app_owner" NOLOGIN NOCREATEDB NOCREATEROLE INHERIT;`,
		`ALTER ROLE "app_migrator" LOGIN NOCREATEDB NOCREATEROLE INHERIT CONNECTION LIMIT 5;`,
		`ALTER ROLE "app_rw" SET statement_timeout = 30000;`,
		`ALTER ROLE "app_ro" SET statement_timeout = 60000;`,
		`ALTER ROLE "app_migrator" SET role = 'app_owner';`,
		`GRANT "app_owner" TO "app_migrator";`,
		`SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database()) \gexec`,
		`REVOKE CREATE ON SCHEMA public FROM PUBLIC;`,
		`CREATE SCHEMA IF NOT EXISTS "app" AUTHORIZATION "app_owner";`,
		`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "app" TO "app_rw";`,
		`GRANT SELECT ON ALL TABLES IN SCHEMA "app" TO "app_ro";`,
		`ALTER DEFAULT PRIVILEGES FOR ROLE "app_owner" IN SCHEMA "app" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "app_rw";`,
		`ALTER DEFAULT PRIVILEGES FOR ROLE "app_owner" IN SCHEMA "app" GRANT SELECT ON TABLES TO "app_ro";`,
		`GRANT rds_iam TO "app_rw_iam";`,
		`ALTER ROLE "app_ro_iam" LOGIN NOCREATEDB NOCREATEROLE INHERIT CONNECTION LIMIT 10 PASSWORD NULL;`,
	} {
		require.Contains(t, sql, want)
	}
	// Verifiers arrive as COPY data and reach ALTER ROLE inside PL/pgSQL:
	// no statement the client sends carries one, so none can be logged.
	require.Contains(t, sql, `\copy platform_verifiers FROM PROGRAM 'sh verifiers.sh'`)
	require.NotContains(t, sql, ":'", "no psql variable is interpolated into a statement")
	require.NotContains(t, sql, `\gexec`+"\n"+`ALTER ROLE "app_rw" PASSWORD`)
	for _, l := range []struct{ role, env string }{{"app_migrator", postgres.MigratorVerifierEnv}, {"app_rw", postgres.ReadWriteVerifierEnv}, {"app_ro", postgres.ReadOnlyVerifierEnv}} {
		require.Contains(t, sql, `DO $$ BEGIN EXECUTE format('ALTER ROLE %I PASSWORD %L', '`+l.role+`', (SELECT verifier FROM platform_verifiers WHERE env = '`+l.env+`')); END $$;`)
	}
	for _, line := range strings.Split(sql, "\n") {
		if strings.Contains(line, "PASSWORD") && !strings.HasPrefix(line, "--") {
			require.True(t, strings.HasPrefix(line, "DO $$") || strings.Contains(line, "PASSWORD NULL"), "a password is set only inside PL/pgSQL: %s", line)
		}
	}
	require.NotContains(t, sql, "GRANT CREATE ON SCHEMA")
	require.NotContains(t, sql, "TRUNCATE", "read-write gets DML only")
	require.Equal(t, sql, roles().Apply(), "deterministic")
}

func TestApplySQLWithoutIAM(t *testing.T) {
	t.Parallel()
	r := roles()
	r.IAMAuth = false
	sql := r.Apply()
	require.NotContains(t, sql, "rds_iam")
	require.Contains(t, sql, `DROP ROLE IF EXISTS "app_rw_iam";`, "turning IAM off removes the twins")
	require.Equal(t, []string{"app_owner", "app_migrator", "app_rw", "app_ro"}, r.RoleNames())
	r.IAMAuth = true
	require.Equal(t, []string{"app_owner", "app_migrator", "app_rw", "app_ro", "app_migrator_iam", "app_rw_iam", "app_ro_iam"}, r.RoleNames())
}

func TestApplySQLCustomNames(t *testing.T) {
	t.Parallel()
	r := roles()
	r.Database, r.Schema, r.Owner = "orders", "orders", "orders_owner"
	r.ReadOnly.Name, r.ReadOnly.ConnectionLimit, r.ReadOnly.StatementTimeoutMs = "reporting", 3, 120000
	sql := r.Apply()
	require.Contains(t, sql, `WHERE current_database() <> 'orders' \gexec`)
	require.Contains(t, sql, `CREATE SCHEMA IF NOT EXISTS "orders" AUTHORIZATION "orders_owner";`)
	require.Contains(t, sql, `ALTER ROLE "reporting" LOGIN NOCREATEDB NOCREATEROLE INHERIT CONNECTION LIMIT 3;`)
	require.Contains(t, sql, `ALTER ROLE "reporting" SET statement_timeout = 120000;`)
	require.Contains(t, sql, `ALTER ROLE "reporting" SET search_path = "orders";`)
	require.NotContains(t, sql, `"app_ro"`)
}

func TestRollbackSQL(t *testing.T) {
	t.Parallel()
	sql := roles().Rollback()
	for _, want := range []string{
		`DROP ROLE IF EXISTS "app_migrator_iam";`,
		`REASSIGN OWNED BY %s TO CURRENT_USER`,
		`SELECT format('DROP OWNED BY %I', rolname) FROM pg_catalog.pg_roles WHERE rolname = 'app_ro' \gexec`,
		`DROP SCHEMA IF EXISTS "app" RESTRICT;`,
		`DROP ROLE IF EXISTS "app_owner";`,
	} {
		require.Contains(t, sql, want)
	}
	// Grantees lose their privileges before the owner's default privileges go.
	require.Less(t, strings.Index(sql, `rolname = 'app_ro' \gexec`), strings.Index(sql, `rolname = 'app_owner' \gexec`))
	require.NotContains(t, sql, "DROP SCHEMA IF EXISTS \"app\" CASCADE", "never drops data")
}

func TestRolesValidate(t *testing.T) {
	t.Parallel()
	require.NoError(t, roles().Validate())
	cases := []struct {
		name   string
		mutate func(*postgres.Roles)
		want   string
	}{
		{"missing database", func(r *postgres.Roles) { r.Database = "" }, "database: must be 1 to 63"},
		{"reserved database", func(r *postgres.Roles) { r.Database = "postgres" }, `database: "postgres" is reserved`},
		{"upper case", func(r *postgres.Roles) { r.Owner = "Owner" }, "owner: must be 1 to 63 lower-case"},
		{"hyphen", func(r *postgres.Roles) { r.ReadWrite.Name = "app-rw" }, "readWrite.name: must be 1 to 63 lower-case"},
		{"leading digit", func(r *postgres.Roles) { r.ReadOnly.Name = "1ro" }, "readOnly.name: must be 1 to 63 lower-case"},
		{"too long", func(r *postgres.Roles) { r.Owner = strings.Repeat("o", 64) }, "owner: must be 1 to 63 lower-case"},
		{"postgres", func(r *postgres.Roles) { r.Owner = "postgres" }, `owner: "postgres" is reserved`},
		{"rdsadmin", func(r *postgres.Roles) { r.Migrator.Name = "rdsadmin" }, `migrator.name: "rdsadmin" is reserved`},
		{"rds_ prefix", func(r *postgres.Roles) { r.Migrator.Name = "rds_superuser" }, `migrator.name: must not start with "rds_"`},
		{"pg_ prefix", func(r *postgres.Roles) { r.ReadOnly.Name = "pg_monitor" }, `readOnly.name: must not start with "pg_"`},
		{"role spec keyword", func(r *postgres.Roles) { r.ReadOnly.Name = "current_user" }, `readOnly.name: "current_user" is reserved`},
		{"master", func(r *postgres.Roles) { r.ReadWrite.Name = "platform_admin" }, `readWrite.name: must differ from the master username`},
		{"duplicate", func(r *postgres.Roles) { r.Migrator.Name = "app_owner" }, `migrator.name: role "app_owner" is already used by owner`},
		{"collides with an IAM twin", func(r *postgres.Roles) { r.Owner = "app_rw_iam" }, `readWrite.name: its IAM role "app_rw_iam" collides with owner`},
		{"schema pg_", func(r *postgres.Roles) { r.Schema = "pg_app" }, `schema: must be an application schema`},
		{"schema quote", func(r *postgres.Roles) { r.Schema = `app"; DROP TABLE x; --` }, `schema: must be 1 to 63`},
		{"password version", func(r *postgres.Roles) { r.ReadOnly.PasswordVersion = 0 }, `readOnly.passwordVersion: must be at least 1`},
		{"connection limit", func(r *postgres.Roles) { r.Migrator.ConnectionLimit = 0 }, `migrator.connectionLimit: must be between 1 and 10000`},
		{"statement timeout", func(r *postgres.Roles) { r.Migrator.StatementTimeoutMs = 86400001 }, `migrator.statementTimeoutMs: must be between 1000 and 86400000`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := roles()
			tc.mutate(&r)
			err := r.Validate()
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestValidRoleName(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"app_rw", "_private", "a", strings.Repeat("x", 63), "reporting2"} {
		require.Empty(t, postgres.ValidRoleName(ok), ok)
	}
	for _, bad := range []string{"", "App", "a-b", "a b", "9a", strings.Repeat("x", 64), "public", "pg_read_all_data", "rds_iam", "aws_s3", `x"y`} {
		require.NotEmpty(t, postgres.ValidRoleName(bad), bad)
	}
}
