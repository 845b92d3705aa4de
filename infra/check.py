"""Fail when the committed chalice_config/ files or the platform template differ from what infra/ renders."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from infra.chalice_config import CONFIG_DIR, rendered
from infra.resources import cloudformation_template

INFRA = Path(__file__).resolve().parent


def main() -> int:
    stale = [
        name
        for name, text in rendered().items()
        if not (CONFIG_DIR / name).exists() or (CONFIG_DIR / name).read_text(encoding="utf-8") != text
    ]
    # The committed platform template, compared as data with a fresh rendering (python -m infra.build).
    template = INFRA / "platform-prod.template.json"
    if not template.exists() or json.loads(template.read_text(encoding="utf-8")) != cloudformation_template(
        "prod"
    ):
        stale.append(str(template.relative_to(INFRA.parent)))
    if stale:
        print(
            "stale generated files (python -m infra.chalice_config; python -m infra.build):",
            *stale,
            sep="\n  ",
        )
        return 1
    print("chalice_config/ and the CloudFormation template are current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
