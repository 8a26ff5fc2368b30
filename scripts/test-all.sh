#!/usr/bin/env bash
# The README's test line: installs what is missing, then runs every check and test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
npm run check
