package postgres

import (
	_ "embed"
	"fmt"
	"regexp"
	"strings"

	"github.com/acme/platform/internal/check"
)

// LoginRole is a database role that applications log in as.
type LoginRole struct {
	// Name is the role's name: lower-case letters, digits and underscores,
	// starting with a letter or underscore, at most 63 characters (59 when
	// IAM authentication adds "<name>_iam"). Defaults: "app_migrator",
	// "app_rw", "app_ro".
	Name string `json:"name"`
	// ConnectionLimit caps the role's concurrent sessions, 1 to 10000.
	// Defaults: migrator 5, read-write 40, read-only 10.
	ConnectionLimit int `json:"connectionLimit"`
	// StatementTimeoutMs is the role's statement_timeout in milliseconds,
	// 1000 (1 s) to 86400000 (24 h). Defaults: migrator 900000 (15 min),
	// read-write 30000, read-only 60000.
	StatementTimeoutMs int `json:"statementTimeoutMs"`
	// PasswordVersion is a counter; raising it generates a new password for
	// the role and re-runs the bootstrap Job to set it. Default 1.
	PasswordVersion int `json:"passwordVersion"`
}

// roleSpec describes the least-privilege roles of one database and one
// application schema. Its apply renders the SQL that creates them, rollback
// the SQL that removes them.
//
// The owner is a NOLOGIN role that owns the schema and every object in it.
// The migrator logs in, is a member of the owner and acts as the owner
// (ALTER ROLE ... SET role), so what migrations create belongs to the owner
// and falls under the owner's default privileges: read-write gets DML
// (SELECT, INSERT, UPDATE, DELETE) on every table, read-only SELECT. Neither
// can create, alter or drop anything. PUBLIC loses CONNECT (and TEMPORARY)
// on the database and CREATE on the public schema.
type roleSpec struct {
	// Database is the database the roles get CONNECT on; required. The SQL
	// of apply refuses to run connected to any other database.
	Database string
	// Schema is the application schema; default "app".
	Schema string
	// Owner is the NOLOGIN role owning the schema; default "app_owner".
	Owner     string
	Migrator  LoginRole
	ReadWrite LoginRole
	ReadOnly  LoginRole
	// IAMAuth adds, for each login role, a "<name>_iam" role that is a
	// member of it and of rds_iam, so applications can log in with an IAM
	// authentication token instead of a password. (On RDS a member of
	// rds_iam can no longer log in with a password, so the password roles
	// and the IAM roles are separate.) When false, apply drops those roles.
	IAMAuth bool
	// MasterUsername is the RDS master user; no role may take its name.
	MasterUsername string
}

// Environment variables apply's verifiers.sh reads the login roles'
// SCRAM-SHA-256 verifiers from (see scramVerifier). The Job sets them from
// its Kubernetes Secret; apply refuses anything but a verifier, so no
// plaintext password reaches the server.
const (
	migratorVerifierEnv  = "MIGRATOR_VERIFIER"
	readWriteVerifierEnv = "READWRITE_VERIFIER"
	readOnlyVerifierEnv  = "READONLY_VERIFIER"
)

// VerifiersScript prints the verifiers for apply's \copy, one
// "<variable><TAB><verifier>" line per login role, from the environment.
//
//go:embed bootstrap/verifiers.sh
var VerifiersScript string

// iamSuffix is appended to a login role's name to form its IAM twin.
const iamSuffix = "_iam"

// defaultRoles returns the role names, limits and timeouts used when the
// configuration sets none.
func defaultRoles() roleSpec {
	return roleSpec{
		Schema:    "app",
		Owner:     "app_owner",
		Migrator:  LoginRole{Name: "app_migrator", ConnectionLimit: 5, StatementTimeoutMs: 900000, PasswordVersion: 1},
		ReadWrite: LoginRole{Name: "app_rw", ConnectionLimit: 40, StatementTimeoutMs: 30000, PasswordVersion: 1},
		ReadOnly:  LoginRole{Name: "app_ro", ConnectionLimit: 10, StatementTimeoutMs: 60000, PasswordVersion: 1},
		IAMAuth:   true,
	}
}

var (
	identRE = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)
	// Names PostgreSQL or RDS reserve for themselves or give a meaning in a
	// role specification.
	reservedRoleNames = []string{"postgres", "public", "rdsadmin", "rdsrepladmin", "rdstopmgr", "rdsproxyadmin", "rds_iam", "none", "current_user", "session_user", "current_role", "all"}
	reservedPrefixes  = []string{"pg_", "rds_", "aws_"}
)

// validRoleName returns why name cannot be a role of ours, or "" if it can.
func validRoleName(name string) string {
	if !identRE.MatchString(name) {
		return fmt.Sprintf("must be 1 to 63 lower-case letters, digits or underscores, starting with a letter or underscore (pattern %s), got %q", identRE, name)
	}
	for _, r := range reservedRoleNames {
		if name == r {
			return fmt.Sprintf("%q is reserved by PostgreSQL or RDS", name)
		}
	}
	for _, pre := range reservedPrefixes {
		if strings.HasPrefix(name, pre) {
			return fmt.Sprintf("must not start with %q (reserved by PostgreSQL, RDS or AWS extensions), got %q", pre, name)
		}
	}
	return ""
}

// Validate reports every problem with r, each naming its field.
func (r roleSpec) Validate() error {
	var p check.Problems
	if msg := validDatabaseName(r.Database); msg != "" {
		p.Addf("database", "%s", msg)
	}
	if err := r.validateRoles(); err != nil {
		p.Merge("", err)
	}
	return p.Err()
}

// validateRoles checks everything but the database name, with paths that
// match the "roles" configuration object.
func (r roleSpec) validateRoles() error {
	var p check.Problems
	switch {
	case !identRE.MatchString(r.Schema):
		p.Addf("schema", "must be 1 to 63 lower-case letters, digits or underscores, starting with a letter or underscore, got %q", r.Schema)
	case r.Schema == "public" || r.Schema == "information_schema" || strings.HasPrefix(r.Schema, "pg_"):
		p.Addf("schema", "must be an application schema, not %q", r.Schema)
	}
	type named struct{ path, name string }
	all := []named{{"owner", r.Owner}}
	for _, l := range r.logins() {
		all = append(all, named{l.path + ".name", l.role.Name})
		p.Between(l.path+".connectionLimit", l.role.ConnectionLimit, 1, 10000)
		p.Between(l.path+".statementTimeoutMs", l.role.StatementTimeoutMs, 1000, 86400000)
		if l.role.PasswordVersion < 1 {
			p.Addf(l.path+".passwordVersion", "must be at least 1, got %d", l.role.PasswordVersion)
		}
	}
	seen := map[string]string{}
	valid := true
	for _, n := range all {
		if msg := validRoleName(n.name); msg != "" {
			p.Addf(n.path, "%s", msg)
			valid = false
			continue
		}
		if r.MasterUsername != "" && n.name == r.MasterUsername {
			p.Addf(n.path, "must differ from the master username %q", r.MasterUsername)
		}
		if prev, dup := seen[n.name]; dup {
			p.Addf(n.path, "role %q is already used by %s", n.name, prev)
		}
		seen[n.name] = n.path
	}
	if r.IAMAuth && valid {
		for _, l := range r.logins() {
			twin := l.role.Name + iamSuffix
			if len(twin) > 63 {
				p.Addf(l.path+".name", "must be at most %d characters when iamAuth is on (its IAM role %q would exceed 63), got %d", 63-len(iamSuffix), twin, len(l.role.Name))
				continue
			}
			if prev, dup := seen[twin]; dup {
				p.Addf(l.path+".name", "its IAM role %q collides with %s", twin, prev)
			}
		}
	}
	return p.Err()
}

type loginSpec struct {
	path, env string
	role      LoginRole
}

func (r roleSpec) logins() []loginSpec {
	return []loginSpec{
		{"migrator", migratorVerifierEnv, r.Migrator},
		{"readWrite", readWriteVerifierEnv, r.ReadWrite},
		{"readOnly", readOnlyVerifierEnv, r.ReadOnly},
	}
}

// roleNames returns every role apply creates (IAM twins included when
// IAMAuth is on), owner first.
func (r roleSpec) roleNames() []string {
	out := []string{r.Owner}
	for _, l := range r.logins() {
		out = append(out, l.role.Name)
	}
	if r.IAMAuth {
		for _, l := range r.logins() {
			out = append(out, l.role.Name+iamSuffix)
		}
	}
	return out
}

// quoteIdent quotes an identifier the way PostgreSQL's quote_ident does.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// quoteLiteral quotes a string literal (standard_conforming_strings on, the
// default since PostgreSQL 9.1).
func quoteLiteral(s string) string { return `'` + strings.ReplaceAll(s, `'`, `''`) + `'` }

// apply returns the psql script that creates or converges the roles. It is
// idempotent: a second run changes nothing. It must run in one transaction
// (psql --single-transaction), as the RDS master user (a member of
// rds_superuser with CREATEROLE), connected to r.Database, from the
// directory holding verifiers.sh, with the three verifier variables in the
// environment (MIGRATOR_VERIFIER and so on).
//
// Only validated names are interpolated. The verifiers reach the server as
// COPY data, never in a statement's text: PostgreSQL writes statement texts
// to its log (log_statement, log_min_duration_statement), and the parameter
// group logs every DDL statement, which "ALTER ROLE ... PASSWORD" is; COPY
// data is not logged. The ALTER ROLE statements run inside PL/pgSQL, whose
// statements log_statement does not log (it logs what the client sends).
func (r roleSpec) apply() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	schema, owner := quoteIdent(r.Schema), quoteIdent(r.Owner)
	mig, rw, ro := quoteIdent(r.Migrator.Name), quoteIdent(r.ReadWrite.Name), quoteIdent(r.ReadOnly.Name)

	w("-- Least-privilege roles for database %s, schema %s.", quoteIdent(r.Database), schema)
	w("-- Generated by github.com/acme/platform/components/postgres (Roles.Apply); do not edit.")
	w("-- Run as the RDS master user, connected to the database, in one transaction:")
	w("--   %s=... %s=... %s=... \\", migratorVerifierEnv, readWriteVerifierEnv, readOnlyVerifierEnv)
	w("--   psql -X --single-transaction -v ON_ERROR_STOP=1 -f apply.sql")
	w("-- from the directory holding verifiers.sh. The variables hold SCRAM-SHA-256 verifiers;")
	w("-- they reach the server as COPY data, which is never logged. Idempotent: running it")
	w("-- again converges every role, grant and setting to what is declared here.")
	w("")
	w(`\set ON_ERROR_STOP on`)
	w(`SET client_min_messages = warning;`)
	w(`CREATE TEMPORARY TABLE platform_verifiers (env text PRIMARY KEY, verifier text NOT NULL) ON COMMIT DROP;`)
	w(`\copy platform_verifiers FROM PROGRAM 'sh verifiers.sh'`)
	envs := make([]string, 0, 3)
	for _, l := range r.logins() {
		envs = append(envs, quoteLiteral(l.env))
	}
	w(`SELECT format('DO $g$ BEGIN RAISE EXCEPTION %%L; END $g$', 'environment variable ' || e || ' must hold a SCRAM-SHA-256 verifier')`)
	w(`  FROM unnest(ARRAY[%s]) AS e`, strings.Join(envs, ", "))
	w(`  WHERE NOT EXISTS (SELECT FROM platform_verifiers v WHERE v.env = e AND v.verifier LIKE 'SCRAM-SHA-256$%%') \gexec`)
	w("")
	w("-- Refuse to run anywhere but the intended database.")
	w(`SELECT format('DO $g$ BEGIN RAISE EXCEPTION %%L; END $g$', 'connected to database ' || current_database() || ', expected ' || %s)`, quoteLiteral(r.Database))
	w(`  WHERE current_database() <> %s \gexec`, quoteLiteral(r.Database))
	w("")
	w("-- Roles. The owner cannot log in; the login roles get their password, limits and")
	w("-- session defaults on every run.")
	createRole := func(name, attrs string) {
		w(`SELECT format('CREATE ROLE %%I %s', %s)`, attrs, quoteLiteral(name))
		w(`  WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = %s) \gexec`, quoteLiteral(name))
	}
	settings := func(name string, l LoginRole, actAsOwner bool) {
		q := quoteIdent(name)
		w(`ALTER ROLE %s SET statement_timeout = %d;`, q, l.StatementTimeoutMs)
		w(`ALTER ROLE %s SET search_path = %s;`, q, schema)
		if actAsOwner {
			// Objects the migrator creates then belong to the owner, so the
			// owner's default privileges reach them.
			w(`ALTER ROLE %s SET role = %s;`, q, quoteLiteral(r.Owner))
		}
	}
	createRole(r.Owner, "NOLOGIN")
	for _, l := range r.logins() {
		createRole(l.role.Name, "LOGIN")
	}
	w("")
	w("-- The master user joins every role: to create the schema for the owner, to")
	w("-- manage the roles' default privileges and to run the rollback script.")
	w(`GRANT %s, %s, %s, %s TO CURRENT_USER;`, owner, mig, rw, ro)
	w(`GRANT %s TO %s;`, owner, mig)
	w("")
	w(`ALTER ROLE %s NOLOGIN NOCREATEDB NOCREATEROLE INHERIT;`, owner)
	for _, l := range r.logins() {
		q := quoteIdent(l.role.Name)
		w(`ALTER ROLE %s LOGIN NOCREATEDB NOCREATEROLE INHERIT CONNECTION LIMIT %d;`, q, l.role.ConnectionLimit)
		w(`DO $$ BEGIN EXECUTE format('ALTER ROLE %%I PASSWORD %%L', %s, (SELECT verifier FROM platform_verifiers WHERE env = %s)); END $$;`,
			quoteLiteral(l.role.Name), quoteLiteral(l.env))
		settings(l.role.Name, l.role, l.role.Name == r.Migrator.Name)
	}
	w("")
	if r.IAMAuth {
		w("-- IAM authentication: one <role>_iam twin per login role, a member of the role and")
		w("-- of rds_iam, without a password (members of rds_iam log in with IAM tokens only).")
		for _, l := range r.logins() {
			name := l.role.Name + iamSuffix
			q := quoteIdent(name)
			createRole(name, "LOGIN")
			w(`ALTER ROLE %s LOGIN NOCREATEDB NOCREATEROLE INHERIT CONNECTION LIMIT %d PASSWORD NULL;`, q, l.role.ConnectionLimit)
			w(`GRANT %s TO %s;`, quoteIdent(l.role.Name), q)
			w(`GRANT rds_iam TO %s;`, q)
			settings(name, l.role, l.role.Name == r.Migrator.Name)
		}
	} else {
		w("-- IAM authentication is off: remove the IAM twins if an earlier run created them.")
		for _, l := range r.logins() {
			w(`DROP ROLE IF EXISTS %s;`, quoteIdent(l.role.Name+iamSuffix))
		}
	}
	w("")
	w("-- The database: only our login roles may connect.")
	w(`SELECT format('REVOKE ALL ON DATABASE %%I FROM PUBLIC', current_database()) \gexec`)
	w(`SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %%I TO %%I, %%I', current_database(), %s, %s) \gexec`, quoteLiteral(r.Migrator.Name), quoteLiteral(r.ReadWrite.Name))
	w(`SELECT format('REVOKE TEMPORARY ON DATABASE %%I FROM %%I', current_database(), %s) \gexec`, quoteLiteral(r.ReadOnly.Name))
	w(`SELECT format('GRANT CONNECT ON DATABASE %%I TO %%I', current_database(), %s) \gexec`, quoteLiteral(r.ReadOnly.Name))
	w(`REVOKE CREATE ON SCHEMA public FROM PUBLIC;`)
	w("")
	w("-- The application schema, owned by the owner role.")
	w(`CREATE SCHEMA IF NOT EXISTS %s AUTHORIZATION %s;`, schema, owner)
	w(`ALTER SCHEMA %s OWNER TO %s;`, schema, owner)
	w(`REVOKE ALL ON SCHEMA %s FROM PUBLIC, %s, %s;`, schema, rw, ro)
	w(`GRANT USAGE ON SCHEMA %s TO %s, %s;`, schema, rw, ro)
	w("")
	w("-- Existing objects: revoke everything, then grant exactly what each role needs.")
	w(`REVOKE ALL ON ALL TABLES IN SCHEMA %s FROM %s, %s;`, schema, rw, ro)
	w(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA %s FROM %s, %s;`, schema, rw, ro)
	w(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %s TO %s;`, schema, rw)
	w(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %s TO %s;`, schema, rw)
	w(`GRANT SELECT ON ALL TABLES IN SCHEMA %s TO %s;`, schema, ro)
	w(`GRANT SELECT ON ALL SEQUENCES IN SCHEMA %s TO %s;`, schema, ro)
	w("")
	w("-- Future objects created by the owner (what the migrator creates) or by the")
	w("-- migrator itself (should a tool RESET ROLE) get the same grants.")
	for _, creator := range []string{owner, mig} {
		w(`ALTER DEFAULT PRIVILEGES FOR ROLE %s IN SCHEMA %s REVOKE ALL ON TABLES FROM %s, %s;`, creator, schema, rw, ro)
		w(`ALTER DEFAULT PRIVILEGES FOR ROLE %s IN SCHEMA %s REVOKE ALL ON SEQUENCES FROM %s, %s;`, creator, schema, rw, ro)
		w(`ALTER DEFAULT PRIVILEGES FOR ROLE %s IN SCHEMA %s GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %s;`, creator, schema, rw)
		w(`ALTER DEFAULT PRIVILEGES FOR ROLE %s IN SCHEMA %s GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %s;`, creator, schema, rw)
		w(`ALTER DEFAULT PRIVILEGES FOR ROLE %s IN SCHEMA %s GRANT SELECT ON TABLES TO %s;`, creator, schema, ro)
		w(`ALTER DEFAULT PRIVILEGES FOR ROLE %s IN SCHEMA %s GRANT SELECT ON SEQUENCES TO %s;`, creator, schema, ro)
	}
	return b.String()
}

// rollback returns the psql script that removes what apply created: every
// role, its grants, default privileges and settings. Objects the roles owned
// (the schema and its tables, so no data is lost) are handed to the user
// running the script; the schema itself is dropped only if it is empty. The
// hardening of PUBLIC is kept. Running it twice is harmless.
func (r roleSpec) rollback() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	lits := func(names []string) string {
		q := make([]string, len(names))
		for i, n := range names {
			q[i] = quoteLiteral(n)
		}
		return strings.Join(q, ", ")
	}
	core := []string{r.Owner, r.Migrator.Name, r.ReadWrite.Name, r.ReadOnly.Name}
	iam := []string{r.Migrator.Name + iamSuffix, r.ReadWrite.Name + iamSuffix, r.ReadOnly.Name + iamSuffix}

	w("-- Removes the roles of database %s created by apply.sql, keeping the data:", quoteIdent(r.Database))
	w("-- objects they owned are reassigned to the user running this script.")
	w("-- Generated by github.com/acme/platform/components/postgres (Roles.Rollback); do not edit.")
	w("-- Run as the RDS master user in one transaction: psql -X --single-transaction -f rollback.sql")
	w("")
	w(`\set ON_ERROR_STOP on`)
	w(`SELECT format('DO $g$ BEGIN RAISE EXCEPTION %%L; END $g$', 'connected to database ' || current_database() || ', expected ' || %s)`, quoteLiteral(r.Database))
	w(`  WHERE current_database() <> %s \gexec`, quoteLiteral(r.Database))
	w("")
	w("-- IAM twins own nothing and hold only memberships.")
	for _, n := range iam {
		w(`DROP ROLE IF EXISTS %s;`, quoteIdent(n))
	}
	w("")
	w("-- Hand over owned objects, then drop the roles' privileges and default privileges.")
	w(`SELECT format('REASSIGN OWNED BY %%s TO CURRENT_USER', string_agg(quote_ident(rolname), ', '))`)
	w(`  FROM pg_catalog.pg_roles WHERE rolname IN (%s) HAVING count(*) > 0 \gexec`, lits(core))
	// One role at a time, grantees before owners: a single DROP OWNED BY of
	// several roles fails on a default ACL that one owns and grants to
	// another ("could not find tuple for default ACL").
	for i := len(core) - 1; i >= 0; i-- {
		w(`SELECT format('DROP OWNED BY %%I', rolname) FROM pg_catalog.pg_roles WHERE rolname = %s \gexec`, quoteLiteral(core[i]))
	}
	w("")
	w("-- The schema goes only if nothing is left in it.")
	w(`DO $g$`)
	w(`BEGIN`)
	w(`  DROP SCHEMA IF EXISTS %s RESTRICT;`, quoteIdent(r.Schema))
	w(`EXCEPTION WHEN dependent_objects_still_exist THEN`)
	w(`  RAISE NOTICE 'schema %% is not empty; kept, now owned by %%', %s, current_user;`, quoteLiteral(r.Schema))
	w(`END`)
	w(`$g$;`)
	w("")
	for i := len(core) - 1; i >= 0; i-- {
		w(`DROP ROLE IF EXISTS %s;`, quoteIdent(core[i]))
	}
	return b.String()
}

var databaseNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// validDatabaseName returns why name cannot be the application database, or
// "" if it can.
func validDatabaseName(name string) string {
	if !databaseNameRE.MatchString(name) {
		return fmt.Sprintf("must be 1 to 63 lower-case letters, digits or underscores, starting with a letter, got %q", name)
	}
	switch name {
	case "postgres", "template0", "template1", "rdsadmin":
		return fmt.Sprintf("%q is reserved by PostgreSQL or RDS", name)
	}
	return ""
}
