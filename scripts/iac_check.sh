#!/usr/bin/env bash
# Lint every CloudFormation template the project deploys: the platform stack, an agency's stack (from
# examples/agency.yaml) and the packaged functions (the SAM template `chalice package` wrote, given as
# $1). cfn-lint and checkov run from their own virtual environment (pinned in constraints-iac.txt);
# checkov findings answered otherwise are skipped inline in the templates, each with its reason.
set -euo pipefail
cd "$(dirname "$0")/.."
packaged="${1:?usage: scripts/iac_check.sh path/to/sam.json}"
stamp=".venv-iac/.installed-$(sha256sum constraints-iac.txt | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  [ -x .venv-iac/bin/python ] || python3 -m venv .venv-iac
  .venv-iac/bin/python -m pip install --quiet --disable-pip-version-check -r constraints-iac.txt \
    > .venv-iac/pip.log 2>&1 || { cat .venv-iac/pip.log; exit 1; }
  rm -f .venv-iac/.installed-*
  touch "$stamp"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
.venv/bin/python -m onboarding.template examples/agency.yaml prod > "$work/agency.json"
templates=(infra/platform-prod.template.json "$work/agency.json" "$packaged")
echo "cfn-lint $(.venv-iac/bin/cfn-lint --version | cut -d' ' -f2): ${templates[*]}"
.venv-iac/bin/cfn-lint "${templates[@]}"
for template in "${templates[@]}"; do
  summary="$(.venv-iac/bin/checkov -f "$template" --framework cloudformation --skip-download --compact --quiet 2>/dev/null || true)"
  counts="$(grep -E '^Passed checks' <<<"$summary" || echo 'no checks ran')"
  echo "checkov $(basename "$template"): $counts"
  if ! grep -q 'Failed checks: 0' <<<"$counts"; then
    echo "$summary"
    exit 1
  fi
done
