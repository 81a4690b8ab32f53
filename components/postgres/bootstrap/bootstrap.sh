#!/bin/sh
# Applies the least-privilege role SQL (apply.sql, next to this script) to the
# platform database as the RDS master user. It runs in the bootstrap Job's
# psql container after the init container has written the RDS-managed master
# secret ({"username": ..., "password": ...}) to $MASTER_SECRET_FILE, an
# in-memory volume, and the RDS certificate authorities to $PGSSLROOTCERT.
# The login roles' SCRAM verifiers come from the environment (a Kubernetes
# Secret); apply.sql reads them through verifiers.sh. Nothing here prints a
# credential.
#
# Connection settings come from the libpq environment (PGHOST, PGPORT,
# PGDATABASE, PGSSLMODE, PGSSLROOTCERT). The default is verify-full: the
# server must present a certificate from the bundle for the address it was
# reached at, or the master password is never sent.
set -eu

dir=${BOOTSTRAP_DIR:-/bootstrap}
secret_file=${MASTER_SECRET_FILE:-/run/master/secret.json}
: "${PGHOST:?bootstrap: PGHOST is not set}"
: "${PGDATABASE:?bootstrap: PGDATABASE is not set}"
: "${MIGRATOR_VERIFIER:?bootstrap: MIGRATOR_VERIFIER is not set}"
: "${READWRITE_VERIFIER:?bootstrap: READWRITE_VERIFIER is not set}"
: "${READONLY_VERIFIER:?bootstrap: READONLY_VERIFIER is not set}"

if [ ! -s "$secret_file" ]; then
	echo "bootstrap: the master secret ($secret_file) is missing or empty" >&2
	exit 1
fi
PGUSER=$(awk -v key=username -f "$dir/secret-field.awk" "$secret_file") && [ -n "$PGUSER" ] || {
	echo "bootstrap: the master secret has no readable \"username\"" >&2
	exit 1
}
PGPASSWORD=$(awk -v key=password -f "$dir/secret-field.awk" "$secret_file") && [ -n "$PGPASSWORD" ] || {
	echo "bootstrap: the master secret has no readable \"password\"" >&2
	exit 1
}
# The credentials now live only in this process's environment.
rm -f "$secret_file" 2>/dev/null || true
PGSSLMODE=${PGSSLMODE:-verify-full}
case "$PGSSLMODE" in
verify-ca | verify-full)
	if [ ! -s "${PGSSLROOTCERT:-}" ]; then
		echo "bootstrap: sslmode $PGSSLMODE needs the RDS certificate bundle in PGSSLROOTCERT (${PGSSLROOTCERT:-unset})" >&2
		exit 1
	fi
	export PGSSLROOTCERT
	;;
esac
PGAPPNAME=${PGAPPNAME:-platform-bootstrap}
PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-15}
export PGUSER PGPASSWORD PGSSLMODE PGAPPNAME PGCONNECT_TIMEOUT

echo "bootstrap: applying roles to database $PGDATABASE on $PGHOST as $PGUSER (sslmode=$PGSSLMODE)"
# apply.sql runs verifiers.sh (\copy ... FROM PROGRAM) from the current directory.
cd "$dir"
exec psql -X --single-transaction -v ON_ERROR_STOP=1 -f apply.sql
