#!/usr/bin/env bash
# The hub suites against a real Apache CouchDB 3.5: a single node, then a 3-node cluster.
# The tool is ../shared/tools/couchdb/couchdb beside the checkout (CI has a read-only copy of
# shared/ there); each instance is unpacked into a temporary folder (--dir) and removed at the end.
# Without the tool, says so loudly and exits 0: the embedded-store runs of `npm run check` stand.
#
# Which suites: every hub test file that runs per store mode (it calls storeModes()), with
# HUB_STORE_MODES=couchdb so the embedded runs already done by `npm run check` are not repeated.
# On the cluster, a representative set by default (what a cluster changes: opaque sequences and
# feeds read from any node, write quorum, conflicts) to keep .ci/run well under 20 minutes;
# COUCHDB_CLUSTER_SUITES=all runs every file there too — see docs/hub.md.
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

# Ports: a single node uses N..N+2, a cluster N..N+22 (the tool's README); 100 apart.
SINGLE_PORT="${COUCHDB_CI_PORT:-35984}"
CLUSTER_PORT="$((SINGLE_PORT + 100))"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/sbt-couchdb-XXXXXX")"
cleanup() {
  "$TOOL" stop --dir "$WORK/single" --rm >/dev/null 2>&1 || true
  "$TOOL" stop --dir "$WORK/cluster" --rm >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

mapfile -t SUITES < <(grep -l 'storeModes()' sync-server/test/*.test.ts sync-server/test/**/*.test.ts 2>/dev/null | sort -u)
CLUSTER_DEFAULT="sync-server/test/conformance.test.ts sync-server/test/concurrency.test.ts \
sync-server/test/hubApi.test.ts sync-server/test/scopedPull.test.ts \
sync-server/test/followerCatchUp.test.ts sync-server/test/atRest.test.ts sync-server/test/storeIds.test.ts"
case "${COUCHDB_CLUSTER_SUITES:-}" in
  all) CLUSTER_SUITES=("${SUITES[@]}") ;;
  '') read -r -a CLUSTER_SUITES <<< "$CLUSTER_DEFAULT" ;;
  *) read -r -a CLUSTER_SUITES <<< "$COUCHDB_CLUSTER_SUITES" ;;
esac

# Both stores run even when the first fails; the script fails at the end if either did.
FAILED=0
run_suites() {
  local label="$1" url="$2"
  shift 2
  local started=$SECONDS
  echo "[couchdb] hub suites on $label: $*"
  if ! COUCHDB_URL="$url" HUB_STORE_MODES=couchdb npx vitest run --project sync-server "$@"; then
    FAILED=1
    echo "[couchdb] FAILED on $label"
  fi
  echo "[couchdb] $label: $((SECONDS - started)) s"
}

echo "[couchdb] starting a single node on port $SINGLE_PORT"
SINGLE_URL="$("$TOOL" start --port "$SINGLE_PORT" --dir "$WORK/single" -q)"
run_suites "CouchDB 3.5 single node" "$SINGLE_URL" "${SUITES[@]}"
"$TOOL" stop --dir "$WORK/single" --rm >/dev/null

echo "[couchdb] starting a 3-node cluster on port $CLUSTER_PORT"
CLUSTER_URL="$("$TOOL" start --port "$CLUSTER_PORT" --nodes 3 --dir "$WORK/cluster" -q)"
run_suites "CouchDB 3.5 3-node cluster" "$CLUSTER_URL" "${CLUSTER_SUITES[@]}"
exit $FAILED
