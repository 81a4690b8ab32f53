#!/bin/sh
# Applies the least-privilege role SQL (apply.sql, next to this script) to the
# platform database as the RDS master user. It runs in the bootstrap Job's
# psql container after the init container has written the RDS-managed master
# secret ({"username": ..., "password": ...}) to $MASTER_SECRET_FILE, an
# in-memory volume. The login roles' SCRAM verifiers come from the
# environment (a Kubernetes Secret). Nothing here prints a credential.
#
# Connection settings come from the libpq environment (PGHOST, PGPORT,
# PGDATABASE, PGSSLMODE); TLS is required unless PGSSLMODE says otherwise.
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
PGSSLMODE=${PGSSLMODE:-require}
PGAPPNAME=${PGAPPNAME:-platform-bootstrap}
PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-15}
export PGUSER PGPASSWORD PGSSLMODE PGAPPNAME PGCONNECT_TIMEOUT

echo "bootstrap: applying roles to database $PGDATABASE on $PGHOST as $PGUSER (sslmode=$PGSSLMODE)"
exec psql -X --single-transaction -v ON_ERROR_STOP=1 \
	-v migrator_password="$MIGRATOR_VERIFIER" \
	-v readwrite_password="$READWRITE_VERIFIER" \
	-v readonly_password="$READONLY_VERIFIER" \
	-f "$dir/apply.sql"
