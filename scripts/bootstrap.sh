#!/usr/bin/env bash
# Create .venv with the pinned dependencies (idempotent: re-runs only when pyproject/constraints change).
# Python 3.13: the Lambda runtime the functions are packaged for (and the layers built for).
set -euo pipefail
cd "$(dirname "$0")/.."
is313() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 13) else 1)' 2>/dev/null; }
PY="${PYTHON:-}"
if [ -z "$PY" ] || ! is313 "$PY"; then
  PY=""
  for candidate in python3.13 python3 "$HOME"/.pyenv/versions/3.13*/bin/python3.13 /usr/local/bin/python3.13 /usr/bin/python3.13; do
    if command -v "$candidate" >/dev/null 2>&1 && is313 "$candidate"; then PY="$candidate"; break; fi
  done
fi
[ -n "$PY" ] || { echo "Python 3.13 is required (the Lambda runtime): none found" >&2; exit 1; }
# A virtual environment of another Python (an older checkout's) is made anew.
if [ -x .venv/bin/python ] && ! is313 .venv/bin/python; then rm -rf .venv; fi
stamp=".venv/.installed-$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip==26.2.1"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
# The web application (web/): its pinned packages (npm ci, again only when the lock changes) and its
# build, which `eoffice dev` serves beside the API. Node.js 20.19 or newer is needed (Vite 8).
command -v node >/dev/null || { echo "Node.js 20.19+ is required for the web application (web/)" >&2; exit 1; }
web_stamp="web/node_modules/.installed-$(sha256sum web/package-lock.json | cut -c1-16)"
if [ ! -f "$web_stamp" ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  touch "$web_stamp"
fi
(cd web && npm run --silent build >/dev/null)
# Debian's Chromium for the end-to-end tests (Playwright drives it; its own browser download is not
# reachable here). Installed once, as root, where apt is available.
if ! command -v chromium >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
