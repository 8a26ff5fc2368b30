#!/usr/bin/env bash
# The README's test line: installs what is missing, then runs every check and test — the
# steps of `npm run check` (format, lint, types, unit/integration, e2e journeys) — and the hub
# suites against a real CouchDB (single node and 3-node cluster, scripts/test-couchdb.sh) when
# the tool is there.
#
# What runs at the same time, and why (.ci/run must stay well under 20 minutes on 2 cores):
# the CouchDB stage starts first, in the background, and runs while format, lint and types
# are checked and then beside the unit/integration stage (the CouchDB suites mostly wait on
# hub processes and the database; a run that waited for it after the static checks idled
# about 340 s). The journeys in Chromium start only once the CouchDB stage is over, and get the
# machine to themselves. CI_COUCHDB_OVERLAP=0 runs the CouchDB stage last instead, alone.
# Format and lint run at the same time, and the type checks two programs at a time (below).
# Every vitest run (unit, each CouchDB store, journeys) first bundles the hub once with esbuild
# (sync-server/test/helpers/hubBundle.ts): its test hubs and CLI calls then start in about a
# third of tsx's time, and they start hundreds.
# Timings: docs/benchmarks.md, "CI time".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

# Everything the stages print is also kept here, so a failing run can repeat its failures at
# the very end: CI shows only the tail of the output, and the CouchDB stage's failures are
# printed minutes before it.
RUN_LOG="$(mktemp "${TMPDIR:-/tmp}/sbt-test-all-XXXXXX.log")"

stage() {
  local started=$SECONDS
  echo "[test-all] $*"
  "$@" 2>&1 | tee -a "$RUN_LOG"
  echo "[test-all] $* : $((SECONDS - started)) s"
}

# Vitest's "Failed Tests" / "Unhandled Errors" sections (up to its "Test Files" line) and the
# stages' own FAILED lines, at most 120 lines, colours stripped.
print_failures() {
  [ -s "$RUN_LOG" ] || return 0
  echo
  echo "[test-all] ==== failures, repeated from above ===="
  sed 's/\x1b\[[0-9;]*m//g' "$RUN_LOG" | awk '
    /Failed Tests [0-9]+|Unhandled Errors?|Unhandled Rejection/ { on = 1 }
    on { print; if (/Test Files/) on = 0; next }
    /FAILED/ { print }
  ' | head -n 120
  echo "[test-all] ==== end of failures ===="
}

# Runs its commands at the same time; prints each one's output whole, in the order given, with
# its duration; fails after all have ended if any failed.
stages_together() {
  local dir pids=() rc=0 i cmd
  dir="$(mktemp -d "${TMPDIR:-/tmp}/sbt-stages-XXXXXX")"
  i=0
  for cmd in "$@"; do
    echo "[test-all] $cmd (beside the others of its group)"
    (
      started=$SECONDS
      r=0
      $cmd > "$dir/$i.log" 2>&1 || r=$?
      echo "$r $((SECONDS - started))" > "$dir/$i.rc"
    ) &
    pids+=($!)
    i=$((i + 1))
  done
  wait "${pids[@]}" || true
  i=0
  for cmd in "$@"; do
    tee -a "$RUN_LOG" < "$dir/$i.log"
    read -r r secs < "$dir/$i.rc" || { r=1; secs='?'; }
    if [ "$r" -eq 0 ]; then
      echo "[test-all] $cmd : $secs s"
    else
      echo "[test-all] $cmd : $secs s (FAILED, exit $r)"
      rc=1
    fi
    i=$((i + 1))
  done
  rm -rf "$dir"
  return "$rc"
}

COUCH_PID=""
COUCH_LOG=""
finish_couchdb() {
  [ -n "$COUCH_PID" ] || return 0
  local rc=0
  wait "$COUCH_PID" || rc=$?
  COUCH_PID=""
  echo "[test-all] ---- CouchDB stage (ran in the background) ----"
  tee -a "$RUN_LOG" < "$COUCH_LOG"
  rm -f "$COUCH_LOG"
  echo "[test-all] ---- end of the CouchDB stage (exit $rc) ----"
  return "$rc"
}
# A check failing first stops the background stage too (its own trap stops CouchDB).
on_exit() {
  local rc=$?
  if [ -n "$COUCH_PID" ]; then
    kill "$COUCH_PID" 2>/dev/null || true
    wait "$COUCH_PID" 2>/dev/null || true
    [ -n "$COUCH_LOG" ] && tee -a "$RUN_LOG" < "$COUCH_LOG" && rm -f "$COUCH_LOG"
  fi
  if [ "$rc" -ne 0 ]; then print_failures; fi
  rm -f "$RUN_LOG"
}
trap on_exit EXIT

STARTED=$SECONDS
COUCH_FAILED=0
if [ "${CI_COUCHDB_OVERLAP:-1}" = 1 ]; then
  COUCH_LOG="$(mktemp "${TMPDIR:-/tmp}/sbt-couchdb-stage-XXXXXX.log")"
  echo "[test-all] CouchDB stage started in the background (log shown when it ends)"
  (
    started=$SECONDS
    rc=0
    scripts/test-couchdb.sh || rc=$?
    echo "[test-all] scripts/test-couchdb.sh : $((SECONDS - started)) s"
    exit "$rc"
  ) > "$COUCH_LOG" 2>&1 &
  COUCH_PID=$!
fi

# Format and lint at the same time, one core each, then the type checks two programs at a time
# (scripts/typecheck.mjs): each is a single-threaded pass over sources, and one after another
# they left the second core to the CouchDB stage, which mostly waits.
stages_together "npm run format:check" "npm run lint"
stage npm run typecheck
stage npm run test:unit
if [ "${CI_COUCHDB_OVERLAP:-1}" = 1 ]; then
  waited=$SECONDS
  # A CouchDB failure does not stop the other stages; the line fails at the end.
  finish_couchdb || COUCH_FAILED=1
  echo "[test-all] waited $((SECONDS - waited)) s for the CouchDB stage after the unit stage"
fi
stage npm run test:e2e
if [ "${CI_COUCHDB_OVERLAP:-1}" != 1 ]; then
  stage scripts/test-couchdb.sh
fi
echo "[test-all] all stages: $((SECONDS - STARTED)) s"
if [ "$COUCH_FAILED" -ne 0 ]; then
  echo "[test-all] FAILED: the hub suites on CouchDB (see the CouchDB stage above)"
  exit 1
fi
