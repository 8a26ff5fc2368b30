#!/usr/bin/env bash
# The README's test line: installs what is missing, then runs every check and test, then the
# hub suites against a real CouchDB (single node and 3-node cluster) when the tool is there.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
npm run check
scripts/test-couchdb.sh
