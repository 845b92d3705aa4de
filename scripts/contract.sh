#!/usr/bin/env bash
# The API against its own OpenAPI document: schemathesis with every check, as a saraban officer, on a
# local stack started for the run. EXAMPLES (default 25) bounds the examples per operation; SEED fixes
# them (CI uses a fixed seed; a longer exploratory run: EXAMPLES=500 SEED= bash scripts/contract.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
port="${PORT:-8765}"
log="$(mktemp)"
.venv/bin/eoffice dev --port "$port" >"$log" 2>&1 &
stack=$!
trap 'kill "$stack" 2>/dev/null; wait "$stack" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 120); do
  grep -q "Ctrl-C stops everything" "$log" && break
  kill -0 "$stack" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.5
done
token="$(.venv/bin/eoffice token --port "$port" --agency mdes-ops --user ops.saraban)"
seed=()
[ -n "${SEED-1}" ] && seed=(--seed "${SEED-1}")
SCHEMATHESIS_HOOKS=tests.contract.hooks .venv/bin/st run "http://127.0.0.1:$port/v1/openapi.json" \
  --url "http://127.0.0.1:$port" --checks all -H "Authorization: Bearer $token" \
  --max-examples "${EXAMPLES:-25}" "${seed[@]}" --wait-for-schema 30
