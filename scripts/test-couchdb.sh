#!/usr/bin/env bash
# The hub suites against a real Apache CouchDB 3.5: a single node and a 3-node cluster.
# The tool is ../shared/tools/couchdb/couchdb beside the checkout (CI has a read-only copy of
# shared/ there); each instance is unpacked into a temporary folder (--dir) and removed at the end.
# Without the tool, says so loudly and exits 0: the embedded-store runs of `npm run check` stand.
#
# What runs where, and why:
# - Single node: EVERY hub test file that runs per store mode (it calls storeModes()), with
#   HUB_STORE_MODES=couchdb so the embedded runs already done by `npm run check` are not
#   repeated. This is the guide's rule: every such suite passes on CouchDB.
# - 3-node cluster (n=3, q=2): the files whose behaviour a cluster changes, not a re-run of
#   what the single node already covered — opaque sequences decoded per shard copy and feeds
#   served by any node (followerCatchUp, scopedPull, checkpointRestart, pullFreshness; twoHubs,
#   where each hub places the other's checkpoints), write
#   quorum and conflicts between copies (concurrency, conformance), and a node killed and
#   started again under load (clusterNode, which needs the cluster's folder and runs only here).
#   The single node covers the rest; COUCHDB_CLUSTER_SUITES=all runs every file on the cluster
#   too, or name the files.
# - Both stores run at the same time (COUCHDB_STAGES=parallel, the default): the suites spend
#   most of their time waiting on hub processes and CouchDB, not on the CPU, so running the two
#   stages side by side cut this script from ~7 to ~4 minutes on 2 cores (docs/benchmarks.md,
#   "CI time"). COUCHDB_STAGES=serial runs them one after the other (for reading a failure's
#   timing without the other stage's load).
set -euo pipefail
cd "$(dirname "$0")/.."

TOOL="${COUCHDB_TOOL:-../shared/tools/couchdb/couchdb}"
if [ ! -x "$TOOL" ]; then
  echo
  echo "############################################################################"
  echo "## SKIPPED: hub suites on real CouchDB (single node and 3-node cluster)"
  echo "## $TOOL is not there. Only the embedded store was tested."
  echo "############################################################################"
  echo
  exit 0
fi
TOOL="$(cd "$(dirname "$TOOL")" && pwd)/$(basename "$TOOL")"

# Ports: a single node uses N..N+2, a cluster N..N+22 (the tool's README); 100 apart. Below
# Linux's ephemeral range (ip_local_port_range, 32768-60999 here): a port in that range can be
# held at that moment by the client side of any local connection (curl's /_up polls, the single
# node's own), and the tool checks only for listeners before a node binds. One CI run lost its
# cluster that way or otherwise (node 2 exited during start-up, 2026-12-05); the default ports
# now sit where no outgoing connection takes them.
SINGLE_PORT="${COUCHDB_CI_PORT:-25984}"
CLUSTER_PORT="$((SINGLE_PORT + 100))"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/sbt-couchdb-XXXXXX")"
cleanup() {
  "$TOOL" stop --dir "$WORK/single" --rm >/dev/null 2>&1 || true
  "$TOOL" stop --dir "$WORK/cluster" --rm >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

mapfile -t SUITES < <(grep -l 'storeModes()' sync-server/test/*.test.ts sync-server/test/**/*.test.ts 2>/dev/null | sort -u)
CLUSTER_DEFAULT="sync-server/test/clusterNode.test.ts sync-server/test/conformance.test.ts \
sync-server/test/concurrency.test.ts sync-server/test/scopedPull.test.ts \
sync-server/test/followerCatchUp.test.ts sync-server/test/checkpointRestart.test.ts \
sync-server/test/pullFreshness.test.ts sync-server/test/twoHubs.test.ts"
case "${COUCHDB_CLUSTER_SUITES:-}" in
  all) CLUSTER_SUITES=("${SUITES[@]}" sync-server/test/clusterNode.test.ts) ;;
  '') read -r -a CLUSTER_SUITES <<< "$CLUSTER_DEFAULT" ;;
  *) read -r -a CLUSTER_SUITES <<< "$COUCHDB_CLUSTER_SUITES" ;;
esac
# A file named for the cluster that is not there (yet) is left out, not an error.
EXISTING=()
for f in "${CLUSTER_SUITES[@]}"; do [ -f "$f" ] && EXISTING+=("$f"); done
CLUSTER_SUITES=("${EXISTING[@]}")

# Runs one store's suites; its output is prefixed with the store's label, its exit code and
# duration land in $WORK/<key>.rc and the log's last line.
# COUCHDB_CLUSTER_DIR (the cluster's folder, for the tool's kill-node/start-node) is given to
# the cluster's run only.
run_suites() {
  local key="$1" label="$2" url="$3" dir="$4"
  shift 4
  local started=$SECONDS rc=0
  echo "[couchdb] hub suites on $label: $*"
  COUCHDB_URL="$url" COUCHDB_CLUSTER_DIR="$dir" COUCHDB_TOOL="$TOOL" \
    HUB_STORE_MODES=couchdb npx vitest run --project sync-server "$@" || rc=$?
  echo "$rc" > "$WORK/$key.rc"
  if [ "$rc" -ne 0 ]; then echo "[couchdb] FAILED on $label"; fi
  echo "[couchdb] $label: $((SECONDS - started)) s"
}

# Erlang's schedulers spin for a while when they run out of work before they sleep. With four
# CouchDB nodes beside the unit stage on 2 cores that spinning takes CPU the tests need: the same
# file on an idle machine cost the node 5.9 s (projects) and 9.7 s (trustBoundary) of CPU with
# it, 4.0 and 6.0 s without (docs/benchmarks.md, "CI time"). The flags are CouchDB's own
# commented-out advice for shared CPUs; the tool writes vm.args at its first start and keeps it
# when a stopped folder is started again (and for kill-node/start-node), hence stop, append, start.
# Only the test runs: the benchmark's CouchDB keeps its defaults. COUCHDB_BUSY_WAIT=1 keeps them here too.
quiet_schedulers() {
  local dir="$1" nodes="$2" k
  [ "${COUCHDB_BUSY_WAIT:-0}" = 1 ] && return 0
  "$TOOL" stop --dir "$dir" >/dev/null
  for ((k = 1; k <= nodes; k++)); do
    printf '\n# --- added by scripts/test-couchdb.sh ---\n+sbwt none\n+sbwtdcpu none\n+sbwtdio none\n' \
      >> "$dir/node$k/vm.args"
  done
}
# Starts an instance; when the start fails (the tool has printed the failing node's last log
# lines above), says so loudly and tries once more in a fresh folder: a start-up failure is the
# test machine's, not the product's, and stays visible in the stage's output.
start_instance() {
  local dir="$1" port="$2" nodes="$3"
  "$TOOL" start --port "$port" --nodes "$nodes" --dir "$dir" -q >/dev/null && return 0
  echo "[couchdb] ######## start on port $port ($nodes node(s)) FAILED (its log is above); retrying once in a fresh folder"
  "$TOOL" stop --dir "$dir" --rm >/dev/null 2>&1 || rm -rf "$dir"
  "$TOOL" start --port "$port" --nodes "$nodes" --dir "$dir" -q >/dev/null
}
start_single() {
  echo "[couchdb] starting a single node on port $SINGLE_PORT"
  start_instance "$WORK/single" "$SINGLE_PORT" 1
  quiet_schedulers "$WORK/single" 1
  SINGLE_URL="$("$TOOL" start --dir "$WORK/single" -q)"
}
start_cluster() {
  echo "[couchdb] starting a 3-node cluster on port $CLUSTER_PORT"
  start_instance "$WORK/cluster" "$CLUSTER_PORT" 3
  quiet_schedulers "$WORK/cluster" 3
  CLUSTER_URL="$("$TOOL" start --dir "$WORK/cluster" -q)"
}
single_stage() {
  run_suites single "CouchDB 3.5 single node" "$SINGLE_URL" "" "${SUITES[@]}"
  "$TOOL" stop --dir "$WORK/single" --rm >/dev/null
}
cluster_stage() {
  run_suites cluster "CouchDB 3.5 3-node cluster" "$CLUSTER_URL" "$WORK/cluster" "${CLUSTER_SUITES[@]}"
}

STARTED=$SECONDS
if [ "${COUCHDB_STAGES:-parallel}" = serial ]; then
  start_single
  single_stage
  start_cluster
  cluster_stage
else
  start_single
  start_cluster
  # Each stage's lines carry its store, so the interleaved output stays readable.
  single_stage 2>&1 | sed -u 's/^/[single] /' &
  SINGLE_PID=$!
  cluster_stage 2>&1 | sed -u 's/^/[cluster] /' &
  CLUSTER_PID=$!
  wait "$SINGLE_PID" || true
  wait "$CLUSTER_PID" || true
fi

# Both stores ran even when the first failed; the script fails if either did.
FAILED=0
for key in single cluster; do
  rc="$(cat "$WORK/$key.rc" 2>/dev/null || echo 1)"
  if [ "$rc" -ne 0 ]; then
    FAILED=1
    echo "[couchdb] $key: FAILED (exit $rc)"
  fi
done
echo "[couchdb] both stores: $((SECONDS - STARTED)) s"
exit $FAILED
