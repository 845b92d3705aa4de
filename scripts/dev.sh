#!/usr/bin/env bash
# Run the local stack with demo data (no AWS account needed). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/eoffice dev "$@"
