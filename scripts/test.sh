#!/usr/bin/env bash
# Run the whole test suite: unit, integration (starts its own local stack) and end-to-end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/pytest "$@"
