#!/usr/bin/env bash
# Build the Lambda layers (zips) with precompiled .pyc: bash layers/build.sh OUT_DIR
set -euo pipefail
out="${1:?usage: build.sh OUT_DIR}"
root="$(cd "$(dirname "$0")/.." && pwd)"
py="${PYTHON:-$root/.venv/bin/python}"
build() {
  local name="$1"; shift
  local dir; dir="$(mktemp -d)"
  "$py" -m pip install --quiet --target "$dir/python" -c "$root/constraints.txt" \
    --platform manylinux2014_x86_64 --only-binary=:all: --python-version 3.11 "$@"
  "$py" -m compileall -q --invalidation-mode checked-hash "$dir/python"
  mkdir -p "$out"; (cd "$dir" && zip -qr9 "$out/$name.zip" python)
  rm -rf "$dir"; echo "$out/$name.zip"
}
build common aws-lambda-powertools pynamodb "pyjwt[crypto]" pydantic
build pdf-signing "pyhanko[opentype]" pyhanko-certvalidator fonttools uharfbuzz pythainlp
