#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 on 127.0.0.1:${PGTEST_PORT:-54329} for the
# SQL tests of components/postgres: superuser "postgres" with password
# ${PGTEST_PASSWORD:-postgres}, scram-sha-256 over TCP (so role passwords are
# really checked), data in ${PGTEST_DATA:-/tmp/platform-pgtest}.
# Idempotent: if the server is already up it does nothing.
set -euo pipefail

port=${PGTEST_PORT:-54329}
password=${PGTEST_PASSWORD:-postgres}
data=${PGTEST_DATA:-/tmp/platform-pgtest}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "start-postgres: PostgreSQL is not installed (apt-get install -y postgresql)" >&2
  exit 1
fi

run_as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    # initdb and postgres refuse to run as root.
    su postgres -s /bin/bash -c "$*"
  else
    bash -c "$*"
  fi
}

if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
  echo "start-postgres: already accepting connections on 127.0.0.1:$port"
  exit 0
fi

if [ ! -s "$data/PG_VERSION" ]; then
  mkdir -p "$data"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$data"
  pwfile=$(mktemp)
  printf '%s\n' "$password" >"$pwfile"
  chmod 644 "$pwfile"
  run_as_postgres "'$bin/initdb' -D '$data' -U postgres --pwfile='$pwfile' --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-instructions >/dev/null"
  rm -f "$pwfile"
fi

run_as_postgres "'$bin/pg_ctl' -D '$data' -l '$data/server.log' -w -t 60 -o \"-p $port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off\" start >/dev/null"
"$bin/pg_isready" -h 127.0.0.1 -p "$port"
