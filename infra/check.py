"""Fail when the committed chalice_config/ files differ from what infra/ renders."""

from __future__ import annotations

import sys

from infra.chalice_config import CONFIG_DIR, rendered


def main() -> int:
    stale = [
        name
        for name, text in rendered().items()
        if not (CONFIG_DIR / name).exists() or (CONFIG_DIR / name).read_text(encoding="utf-8") != text
    ]
    if stale:
        print("stale generated files (chalice_config/: python -m infra.chalice_config):", *stale, sep="\n  ")
        return 1
    print("chalice_config/ and the CloudFormation template are current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
