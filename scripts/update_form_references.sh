#!/usr/bin/env bash
# Regenerate the reference images of the PDF forms (tests/fixtures/forms/*.png) deliberately.
#
# Run it only when a form's look changed on purpose (or CI's poppler-utils changed), then LOOK at every
# changed image (git diff --stat tests/fixtures/forms; open the PNGs) and commit them only if they are
# right. See tests/fixtures/forms/README.md.
#
#   scripts/update_form_references.sh                 # every form
#   scripts/update_form_references.sh -k memo         # extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."
command -v pdftoppm >/dev/null || { echo "pdftoppm is missing: apt-get install poppler-utils" >&2; exit 1; }
UPDATE_FORM_REFERENCES=1 .venv/bin/pytest -q \
    "tests/unit/pdf/test_form_references.py::test_the_page_matches_its_reference_image" "$@"
echo "References written to tests/fixtures/forms/. Look at each changed image before committing:"
git status --short -- tests/fixtures/forms || true
