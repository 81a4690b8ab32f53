#!/usr/bin/env bash
# drift-issue.sh DIR: keeps one open issue per stack, labelled "drift", in
# step with the drift check whose result is in DIR (rc: the exit status of
# `pulumi preview --refresh --expect-no-changes --json`; preview.json: its
# output). No drift closes the issue; drift opens it or adds a comment with
# the resources that differ; a check that could not compare says so.
#
# Needs gh and jq (both on GitHub-hosted runners) and GH_TOKEN, GH_REPO,
# STACK, RUN_URL in the environment.
set -euo pipefail

dir=${1:?usage: drift-issue.sh DIR}
: "${STACK:?}" "${RUN_URL:?}"
title="Drift detected in stack $STACK"
label=drift

rc=$(cat "$dir/rc" 2>/dev/null || echo "none")

# The steps that are changes, as the engine counts them for
# --expect-no-changes (pkg/engine/update.go, HasChanges: everything but
# same and the read operations). Names only: values stay in the run's log.
changes=""
if [ -s "$dir/preview.json" ]; then
  changes=$(jq -r '
    [.steps[]?
     | select(.op as $op | ["same", "read", "discard", "read-replacement"] | index($op) | not)
     | "- `\(.op)` `\(.urn | split("::") | .[2])` `\(.urn | split("::") | .[3])`"
       + (if ((.diffReasons // []) | length) > 0 then " (" + (.diffReasons | join(", ")) + ")" else "" end)
    ] | join("\n")' "$dir/preview.json" 2>/dev/null || true)
fi

existing=$(gh issue list --state open --label "$label" --limit 100 --json number,title \
  --jq ".[] | select(.title == \"$title\") | .number" | head -n 1)

if [ "$rc" = 0 ]; then
  if [ -n "$existing" ]; then
    gh issue close "$existing" --comment "The drift check of \`$STACK\` found no drift: $RUN_URL"
  fi
  echo "no drift in $STACK"
  exit 0
fi

if [ -n "$changes" ]; then
  body="The stack \`$STACK\` no longer matches the program: \`pulumi preview --refresh --expect-no-changes\` proposes these operations ($RUN_URL):

$changes

Either bring the program in line with the change (and merge it), or run \`pulumi up\` to put the resources back (docs/operations.md)."
else
  body="The drift check of \`$STACK\` failed before it could compare (exit status: $rc): $RUN_URL"
fi

if [ -n "$existing" ]; then
  gh issue comment "$existing" --body "$body"
else
  gh label create "$label" --color D93F0B --description "A stack no longer matches the program" --force >/dev/null
  gh issue create --title "$title" --label "$label" --body "$body"
fi
