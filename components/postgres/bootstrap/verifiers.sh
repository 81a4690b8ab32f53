#!/bin/sh
# Prints the login roles' SCRAM-SHA-256 verifiers for apply.sql, which reads
# them with `\copy platform_verifiers FROM PROGRAM 'sh verifiers.sh'`: one
# "<variable><TAB><verifier>" line per role, taken from the environment. The
# verifiers go to psql through this pipe and to the server as COPY data, so no
# statement the server might log carries them. A variable that is not set
# prints an empty verifier, which apply.sql refuses, naming the variable.
for var in MIGRATOR_VERIFIER READWRITE_VERIFIER READONLY_VERIFIER; do
	eval "value=\${$var:-}"
	printf '%s\t%s\n' "$var" "$value"
done
