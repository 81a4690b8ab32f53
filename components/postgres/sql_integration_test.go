package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/acme/platform/components/postgres"
)

// These tests run the generated SQL against a real PostgreSQL, the way the
// bootstrap Job does: bootstrap.sh reads a master secret file and runs psql
// with the SCRAM verifiers in psql variables. The "master user" is a
// CREATEROLE, CREATEDB role that owns the database and is not a superuser,
// like the RDS master user. Each test has its own database and role names
// (roles are cluster-wide), so the tests run in parallel.
//
// The server is the one .ci/start-postgres.sh starts; PGTEST_DSN points
// elsewhere. Without a server the tests skip, unless CI=true.

const defaultDSN = "postgres://postgres:postgres@127.0.0.1:54329/postgres?sslmode=disable"

type pgServer struct {
	cfg  *pgx.ConnConfig // the superuser's
	psql string
}

var (
	serverOnce sync.Once
	server     *pgServer
	serverErr  error
)

// requireServer returns the test server, or skips (fails with CI=true) when
// there is none.
func requireServer(t *testing.T) *pgServer {
	t.Helper()
	serverOnce.Do(func() { server, serverErr = connectServer() })
	if serverErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL test server unavailable with CI=true (start it with .ci/start-postgres.sh): %v", serverErr)
		}
		t.Skipf("PostgreSQL test server unavailable, skipping (start it with .ci/start-postgres.sh, or set PGTEST_DSN): %v", serverErr)
	}
	return server
}

func connectServer() (*pgServer, error) {
	dsn := os.Getenv("PGTEST_DSN")
	if dsn == "" {
		dsn = defaultDSN
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("PGTEST_DSN: %w", err)
	}
	psql, err := exec.LookPath("psql")
	if err != nil {
		psql = "/usr/lib/postgresql/15/bin/psql"
		if _, statErr := os.Stat(psql); statErr != nil {
			return nil, fmt.Errorf("no psql on PATH or at %s", psql)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to %s:%d: %w", cfg.Host, cfg.Port, err)
	}
	defer func() { _ = conn.Close(ctx) }()
	// RDS has an rds_iam role; the test server gets a stand-in so the grant
	// is real. Other test binaries may race to create it.
	if _, err := conn.Exec(ctx, `DO $$ BEGIN CREATE ROLE rds_iam NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`); err != nil {
		return nil, fmt.Errorf("creating rds_iam: %w", err)
	}
	return &pgServer{cfg: cfg, psql: psql}, nil
}

// fixture is one test's database, master user and roles.
type fixture struct {
	t          *testing.T
	srv        *pgServer
	db         string
	master     string
	masterPass string
	roles      postgres.Roles
	passwords  map[string]string // by psql variable
	verifiers  map[string]string
	dir        string // the ConfigMap's files
}

func randomSuffix(t *testing.T) string {
	b := make([]byte, 4)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}

func newFixture(t *testing.T, iamAuth bool) *fixture {
	t.Helper()
	srv := requireServer(t)
	sfx := randomSuffix(t)
	f := &fixture{
		t: t, srv: srv,
		db:     "db_" + sfx,
		master: "master_" + sfx,
		// A backslash and a character JSON encoders escape as \u003c: the
		// secret parser must decode both.
		masterPass: "Ma5ter<pw\\" + sfx,
		passwords:  map[string]string{},
		verifiers:  map[string]string{},
		dir:        t.TempDir(),
	}
	r := postgres.DefaultRoles()
	r.Database = f.db
	r.Owner += "_" + sfx
	r.Migrator.Name += "_" + sfx
	r.ReadWrite.Name += "_" + sfx
	r.ReadOnly.Name += "_" + sfx
	r.IAMAuth = iamAuth
	r.MasterUsername = f.master
	require.NoError(t, r.Validate())
	f.roles = r
	for _, v := range []string{postgres.MigratorVerifierEnv, postgres.ReadWriteVerifierEnv, postgres.ReadOnlyVerifierEnv} {
		pw := "Pw" + randomSuffix(t) + randomSuffix(t) + randomSuffix(t)
		verifier, err := postgres.SCRAMVerifier(pw, []byte("salt-"+v+"-"+sfx), postgres.SCRAMIterations)
		require.NoError(t, err)
		f.passwords[v], f.verifiers[v] = pw, verifier
	}

	admin := f.admin("postgres")
	f.exec(admin, fmt.Sprintf(`CREATE ROLE %s LOGIN CREATEROLE CREATEDB PASSWORD '%s'`, f.master, strings.ReplaceAll(f.masterPass, `'`, `''`)))
	f.exec(admin, fmt.Sprintf(`GRANT rds_iam TO %s WITH ADMIN OPTION`, f.master))
	f.exec(admin, fmt.Sprintf(`CREATE DATABASE %s OWNER %s`, f.db, f.master))
	// PostgreSQL 15 no longer lets PUBLIC create in the public schema; older
	// versions (and databases created from an old template) do. Start from
	// the open default so the tests prove apply.sql closes it.
	f.exec(f.admin(f.db), `GRANT CREATE ON SCHEMA public TO PUBLIC`)
	t.Cleanup(func() {
		ctx := context.Background()
		conn, err := pgx.ConnectConfig(ctx, srv.cfg)
		if err != nil {
			t.Logf("cleanup: %v", err)
			return
		}
		defer func() { _ = conn.Close(ctx) }()
		_, _ = conn.Exec(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, f.db))
		names := append(r.RoleNames(), r.Migrator.Name+postgres.IAMSuffix, r.ReadWrite.Name+postgres.IAMSuffix,
			r.ReadOnly.Name+postgres.IAMSuffix, "outsider_"+sfx, "guest_"+sfx, f.master)
		for _, n := range names {
			_, _ = conn.Exec(ctx, fmt.Sprintf(`DROP ROLE IF EXISTS %s`, n))
		}
	})
	f.writeFiles(r)
	return f
}

// writeFiles writes what the bootstrap ConfigMap holds.
func (f *fixture) writeFiles(r postgres.Roles) {
	for name, content := range postgres.BootstrapFiles(r) {
		require.NoError(f.t, os.WriteFile(filepath.Join(f.dir, name), []byte(content), 0o444|0o200))
	}
}

// connect opens a session as user on the fixture's database (or db).
func (f *fixture) connect(user, password, db string) (*pgx.Conn, error) {
	cfg := f.srv.cfg.Copy()
	cfg.User, cfg.Password, cfg.Database = user, password, db
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return pgx.ConnectConfig(ctx, cfg)
}

func (f *fixture) admin(db string) *pgx.Conn {
	f.t.Helper()
	conn, err := f.connect(f.srv.cfg.User, f.srv.cfg.Password, db)
	require.NoError(f.t, err)
	f.t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

func (f *fixture) as(variable string, name string) *pgx.Conn {
	f.t.Helper()
	conn, err := f.connect(name, f.passwords[variable], f.db)
	require.NoError(f.t, err, "logging in as %s", name)
	f.t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

func (f *fixture) exec(conn *pgx.Conn, sql string, args ...any) {
	f.t.Helper()
	_, err := conn.Exec(context.Background(), sql, args...)
	require.NoError(f.t, err, sql)
}

// denied asserts that sql fails for lack of privilege.
func (f *fixture) denied(conn *pgx.Conn, sql string) {
	f.t.Helper()
	_, err := conn.Exec(context.Background(), sql)
	require.Error(f.t, err, "expected %q to be refused", sql)
	var pgErr *pgconn.PgError
	require.True(f.t, errors.As(err, &pgErr), "%q: %v", sql, err)
	require.Equal(f.t, "42501", pgErr.Code, "%q should fail with insufficient_privilege, got %v", sql, err)
}

func (f *fixture) queryString(conn *pgx.Conn, sql string, args ...any) string {
	f.t.Helper()
	var s string
	require.NoError(f.t, conn.QueryRow(context.Background(), sql, args...).Scan(&s), sql)
	return s
}

// bootstrap runs bootstrap.sh as the Job's psql container does, with a master
// secret file such as the init container writes. PGSSLMODE=disable only
// because the test server has no certificate.
func (f *fixture) bootstrap(extraEnv ...string) (string, error) {
	secret, err := json.Marshal(map[string]string{"username": f.master, "password": f.masterPass, "engine": "postgres"})
	require.NoError(f.t, err)
	secretFile := filepath.Join(f.t.TempDir(), "secret.json")
	require.NoError(f.t, os.WriteFile(secretFile, secret, 0o600))
	cmd := exec.Command("sh", filepath.Join(f.dir, "bootstrap.sh"))
	cmd.Env = append([]string{
		"PATH=" + filepath.Dir(f.srv.psql) + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + f.t.TempDir(),
		"PGHOST=" + f.srv.cfg.Host,
		fmt.Sprintf("PGPORT=%d", f.srv.cfg.Port),
		"PGDATABASE=" + f.db,
		"PGSSLMODE=disable",
		"MASTER_SECRET_FILE=" + secretFile,
		"BOOTSTRAP_DIR=" + f.dir,
		postgres.MigratorVerifierEnv + "=" + f.verifiers[postgres.MigratorVerifierEnv],
		postgres.ReadWriteVerifierEnv + "=" + f.verifiers[postgres.ReadWriteVerifierEnv],
		postgres.ReadOnlyVerifierEnv + "=" + f.verifiers[postgres.ReadOnlyVerifierEnv],
	}, extraEnv...)
	out, err := cmd.CombinedOutput()
	if err == nil {
		_, statErr := os.Stat(secretFile)
		require.True(f.t, os.IsNotExist(statErr), "bootstrap.sh must remove the master secret file")
	}
	return string(out), err
}

func (f *fixture) mustBootstrap() {
	f.t.Helper()
	out, err := f.bootstrap()
	require.NoError(f.t, err, out)
	require.NotContains(f.t, out, f.masterPass, "bootstrap output must not show the master password")
	for _, v := range f.verifiers {
		require.NotContains(f.t, out, v)
	}
}

// psqlAsMaster runs a file (rollback.sql) the way an operator would.
func (f *fixture) psqlAsMaster(file string, args ...string) (string, error) {
	cmd := exec.Command(f.srv.psql, append([]string{"-X", "--single-transaction", "-v", "ON_ERROR_STOP=1", "-f", filepath.Join(f.dir, file)}, args...)...)
	cmd.Env = []string{
		"PGHOST=" + f.srv.cfg.Host, fmt.Sprintf("PGPORT=%d", f.srv.cfg.Port), "PGDATABASE=" + f.db,
		"PGUSER=" + f.master, "PGPASSWORD=" + f.masterPass, "PGSSLMODE=disable", "HOME=" + f.t.TempDir(),
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// snapshot renders everything Apply manages, to compare runs.
func (f *fixture) snapshot() string {
	f.t.Helper()
	admin := f.admin(f.db)
	names := append(f.roles.RoleNames(), f.roles.Migrator.Name+postgres.IAMSuffix,
		f.roles.ReadWrite.Name+postgres.IAMSuffix, f.roles.ReadOnly.Name+postgres.IAMSuffix)
	rows, err := admin.Query(context.Background(), `
		SELECT 'role ' || rolname || ' ' || rolcanlogin || ' ' || rolinherit || ' ' || rolconnlimit || ' ' || coalesce(rolpassword, '-')
		  FROM pg_authid WHERE rolname = ANY($1)
		UNION ALL
		SELECT 'member ' || r.rolname || ' in ' || g.rolname || ' admin=' || m.admin_option
		  FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member JOIN pg_roles g ON g.oid = m.roleid
		 WHERE r.rolname = ANY($1) OR g.rolname = ANY($1)
		UNION ALL
		SELECT 'setting ' || r.rolname || ' ' || array_to_string(s.setconfig, ',')
		  FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = ANY($1)
		UNION ALL
		SELECT 'database ' || datname || ' ' || coalesce(datacl::text, '-') FROM pg_database WHERE datname = current_database()
		UNION ALL
		SELECT 'schema ' || nspname || ' ' || nspowner::regrole::text || ' ' || coalesce(nspacl::text, '-')
		  FROM pg_namespace WHERE nspname IN ('public', $2)
		UNION ALL
		SELECT 'default ' || defaclrole::regrole::text || ' ' || defaclobjtype::text || ' ' || coalesce(defaclacl::text, '-') FROM pg_default_acl
		ORDER BY 1`, names, f.roles.Schema)
	require.NoError(f.t, err)
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(f.t, err)
	return strings.Join(lines, "\n")
}

func (f *fixture) roleCount(names []string) int {
	f.t.Helper()
	var n int
	require.NoError(f.t, f.admin("postgres").QueryRow(context.Background(),
		`SELECT count(*) FROM pg_roles WHERE rolname = ANY($1)`, names).Scan(&n))
	return n
}

func TestRolesSQLBoundaries(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	r := f.roles

	f.mustBootstrap()
	first := f.snapshot()
	f.mustBootstrap()
	require.Equal(t, first, f.snapshot(), "a second run of apply.sql must change nothing")

	schema := r.Schema
	mig := f.as(postgres.MigratorVerifierEnv, r.Migrator.Name)
	rw := f.as(postgres.ReadWriteVerifierEnv, r.ReadWrite.Name)
	ro := f.as(postgres.ReadOnlyVerifierEnv, r.ReadOnly.Name)

	// The migrator acts as the owner and may change the schema.
	require.Equal(t, r.Owner, f.queryString(mig, `SELECT current_user::text`))
	f.exec(mig, fmt.Sprintf(`CREATE TABLE %s.items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL)`, schema))
	f.exec(mig, `CREATE TABLE counters (id serial PRIMARY KEY, n int NOT NULL DEFAULT 0)`) // search_path is the schema
	f.exec(mig, fmt.Sprintf(`ALTER TABLE %s.items ADD COLUMN note text`, schema))
	f.exec(mig, fmt.Sprintf(`INSERT INTO %s.items (name) VALUES ('seed')`, schema))
	require.Equal(t, r.Owner, f.queryString(mig, fmt.Sprintf(`SELECT tableowner::text FROM pg_tables WHERE schemaname = '%s' AND tablename = 'items'`, schema)))
	f.exec(mig, fmt.Sprintf(`CREATE TABLE %s.scratch (x int)`, schema))
	f.exec(mig, fmt.Sprintf(`DROP TABLE %s.scratch`, schema))

	// Read-write: DML on what the migrator created, nothing else.
	f.exec(rw, `INSERT INTO items (name) VALUES ('rw')`)
	f.exec(rw, `UPDATE items SET note = 'x' WHERE name = 'rw'`)
	f.exec(rw, `INSERT INTO counters (n) VALUES (1)`) // serial: needs the sequence
	f.exec(rw, `DELETE FROM items WHERE name = 'rw'`)
	require.Equal(t, "1", f.queryString(rw, `SELECT count(*)::text FROM items`))
	f.denied(rw, fmt.Sprintf(`CREATE TABLE %s.rw_table (x int)`, schema))
	f.denied(rw, `CREATE TABLE public.rw_table (x int)`)
	f.denied(rw, fmt.Sprintf(`ALTER TABLE %s.items ADD COLUMN evil text`, schema))
	f.denied(rw, fmt.Sprintf(`DROP TABLE %s.items`, schema))
	f.denied(rw, fmt.Sprintf(`TRUNCATE %s.items`, schema))
	require.Equal(t, "30s", f.queryString(rw, `SHOW statement_timeout`))

	// Read-only: SELECT only.
	require.Equal(t, "seed", f.queryString(ro, `SELECT name FROM items ORDER BY id LIMIT 1`))
	f.denied(ro, `INSERT INTO items (name) VALUES ('ro')`)
	f.denied(ro, `UPDATE items SET name = 'ro'`)
	f.denied(ro, `DELETE FROM items`)
	f.denied(ro, fmt.Sprintf(`CREATE TABLE %s.ro_table (x int)`, schema))
	f.denied(ro, `CREATE TABLE public.ro_table (x int)`)
	f.denied(ro, `CREATE TEMPORARY TABLE ro_temp (x int)`)
	require.Equal(t, "1min", f.queryString(ro, `SHOW statement_timeout`))

	// Limits and IAM twins as declared.
	admin := f.admin(f.db)
	for _, l := range []postgres.LoginRole{r.Migrator, r.ReadWrite, r.ReadOnly} {
		require.Equal(t, fmt.Sprint(l.ConnectionLimit), f.queryString(admin, `SELECT rolconnlimit::text FROM pg_roles WHERE rolname = $1`, l.Name))
		twin := l.Name + postgres.IAMSuffix
		require.Equal(t, "true true true", f.queryString(admin,
			`SELECT pg_has_role($1, 'rds_iam', 'MEMBER')::text || ' ' || pg_has_role($1, $2, 'MEMBER')::text || ' ' || (rolpassword IS NULL)::text FROM pg_authid WHERE rolname = $1`,
			twin, l.Name), "%s must be a member of rds_iam and %s, without a password", twin, l.Name)
	}
	var ownerLogin bool
	require.NoError(t, admin.QueryRow(context.Background(), `SELECT rolcanlogin FROM pg_roles WHERE rolname = $1`, r.Owner).Scan(&ownerLogin))
	require.False(t, ownerLogin, "the owner must be NOLOGIN")

	// PUBLIC: a role outside cannot connect; one allowed to connect still
	// cannot create in public.
	outsider, guest := "outsider_"+strings.TrimPrefix(f.db, "db_"), "guest_"+strings.TrimPrefix(f.db, "db_")
	f.exec(admin, fmt.Sprintf(`CREATE ROLE %s LOGIN PASSWORD 'outsider-pw'`, outsider))
	_, err := f.connect(outsider, "outsider-pw", f.db)
	require.Error(t, err, "a role outside must not connect")
	require.Contains(t, err.Error(), "permission denied for database")
	f.exec(admin, fmt.Sprintf(`CREATE ROLE %s LOGIN PASSWORD 'guest-pw'`, guest))
	f.exec(admin, fmt.Sprintf(`GRANT CONNECT ON DATABASE %s TO %s`, f.db, guest))
	g, err := f.connect(guest, "guest-pw", f.db)
	require.NoError(t, err)
	defer func() { _ = g.Close(context.Background()) }()
	f.denied(g, `CREATE TABLE public.guest_table (x int)`)
	f.denied(g, fmt.Sprintf(`SELECT * FROM %s.items`, schema))
	f.exec(admin, fmt.Sprintf(`REVOKE CONNECT ON DATABASE %s FROM %s`, f.db, guest))

	// Rollback: every role goes, twice over; the data stays with the master.
	for _, c := range []*pgx.Conn{mig, rw, ro, g} {
		_ = c.Close(context.Background())
	}
	for range 2 {
		out, err := f.psqlAsMaster("rollback.sql")
		require.NoError(t, err, out)
	}
	all := append(r.RoleNames(), r.Migrator.Name+postgres.IAMSuffix, r.ReadWrite.Name+postgres.IAMSuffix, r.ReadOnly.Name+postgres.IAMSuffix)
	require.Zero(t, f.roleCount(all), "rollback must leave no role behind")
	require.Equal(t, "1 "+f.master, f.queryString(admin, fmt.Sprintf(`SELECT count(*)::text || ' ' || min(tableowner::text) FROM pg_tables WHERE schemaname = '%s' AND tablename = 'items'`, schema)))
	require.Equal(t, "", f.queryString(admin, `SELECT coalesce(string_agg(defaclrole::regrole::text, ','), '') FROM pg_default_acl`))
}

func TestRolesSQLEmptySchemaRollback(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	f.mustBootstrap()
	out, err := f.psqlAsMaster("rollback.sql")
	require.NoError(t, err, out)
	require.Zero(t, f.roleCount(f.roles.RoleNames()))
	require.Equal(t, "0", f.queryString(f.admin(f.db), `SELECT count(*)::text FROM pg_namespace WHERE nspname = $1`, f.roles.Schema),
		"an empty schema goes with the rollback")
}

func TestRolesSQLIAMSwitch(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	f.mustBootstrap()
	twins := []string{f.roles.Migrator.Name + postgres.IAMSuffix, f.roles.ReadWrite.Name + postgres.IAMSuffix, f.roles.ReadOnly.Name + postgres.IAMSuffix}
	require.Equal(t, 3, f.roleCount(twins))

	off := f.roles
	off.IAMAuth = false
	f.writeFiles(off)
	f.mustBootstrap()
	require.Zero(t, f.roleCount(twins), "turning iamAuth off removes the IAM roles")
	first := f.snapshot()
	f.mustBootstrap()
	require.Equal(t, first, f.snapshot())
	// The password roles still work.
	f.as(postgres.ReadOnlyVerifierEnv, f.roles.ReadOnly.Name)
}

func TestRolesSQLRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)

	// A missing verifier, or a plaintext password where a verifier belongs,
	// stops the script before it changes anything.
	for _, env := range [][]string{
		{postgres.MigratorVerifierEnv + "=" + f.verifiers[postgres.MigratorVerifierEnv], postgres.ReadWriteVerifierEnv + "=" + f.verifiers[postgres.ReadWriteVerifierEnv]},
		{postgres.MigratorVerifierEnv + "=" + f.verifiers[postgres.MigratorVerifierEnv], postgres.ReadWriteVerifierEnv + "=" + f.verifiers[postgres.ReadWriteVerifierEnv], postgres.ReadOnlyVerifierEnv + "=plaintext"},
	} {
		cmd := exec.Command(f.srv.psql, "-X", "--single-transaction", "-v", "ON_ERROR_STOP=1", "-f", "apply.sql")
		cmd.Dir = f.dir
		cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "PGHOST=" + f.srv.cfg.Host, fmt.Sprintf("PGPORT=%d", f.srv.cfg.Port), "PGDATABASE=" + f.db,
			"PGUSER=" + f.master, "PGPASSWORD=" + f.masterPass, "PGSSLMODE=disable"}, env...)
		out, err := cmd.CombinedOutput()
		require.Error(t, err)
		require.Contains(t, string(out), "environment variable "+postgres.ReadOnlyVerifierEnv+" must hold a SCRAM-SHA-256 verifier")
		require.NotContains(t, string(out), "plaintext", "the refusal does not echo the value")
		require.Zero(t, f.roleCount(f.roles.RoleNames()))
	}

	// The wrong database is refused.
	wrong := f.roles
	wrong.Database = "some_other_db"
	f.writeFiles(wrong)
	out2, err := f.bootstrap()
	require.Error(t, err)
	require.Contains(t, out2, "expected some_other_db")
	require.Zero(t, f.roleCount(f.roles.RoleNames()))

	// A master secret without a password is refused before psql runs.
	f.writeFiles(f.roles)
	f.masterPass = ""
	out3, err := f.bootstrap()
	require.Error(t, err)
	require.Contains(t, out3, `the master secret has no readable "password"`)
}

// The parameter group logs every DDL statement, and ALTER ROLE ... PASSWORD
// is one. With the server logging every statement it receives and every
// statement's duration (stricter than the parameter group), a bootstrap
// leaves no verifier and no password in the server log: they travel as COPY
// data and are used inside PL/pgSQL.
func TestBootstrapKeepsVerifiersOutOfTheServerLog(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	admin := f.admin("postgres")
	f.exec(admin, fmt.Sprintf(`ALTER ROLE %s SET log_statement = 'all'`, f.master))
	f.exec(admin, fmt.Sprintf(`ALTER ROLE %s SET log_min_duration_statement = 0`, f.master))

	var logFile string
	err := admin.QueryRow(context.Background(), `SELECT current_setting('data_directory') || '/server.log'`).Scan(&logFile)
	require.NoError(t, err)
	readLog := func() string {
		var content string
		err := admin.QueryRow(context.Background(), `SELECT pg_read_file($1)`, logFile).Scan(&content)
		if err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("reading the server log %s (the server .ci/start-postgres.sh starts logs there): %v", logFile, err)
			}
			t.Skipf("the server log %s cannot be read (a server not started by .ci/start-postgres.sh): %v", logFile, err)
		}
		return content
	}
	before := len(readLog())

	f.mustBootstrap()
	logged := readLog()[before:]
	require.Regexp(t, `COPY\s+platform_verifiers\s+FROM\s+STDIN`, logged, "the server did log the bootstrap's statements")
	require.Contains(t, logged, "ALTER ROLE", "DDL statements are in the log")
	for name, v := range f.verifiers {
		require.NotContains(t, logged, v, "%s's verifier reached the server log", name)
		_, salted, _ := strings.Cut(v, "$")
		require.NotContains(t, logged, salted, "%s's verifier reached the server log", name)
	}
	for name, pw := range f.passwords {
		require.NotContains(t, logged, pw, "%s's password reached the server log", name)
	}
	require.NotContains(t, logged, f.masterPass)
	// The roles did get their passwords.
	f.as(postgres.ReadOnlyVerifierEnv, f.roles.ReadOnly.Name)
}
