"""Write the platform's CloudFormation template: `python -m infra.build [stage]`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from infra.resources import cloudformation_template


def main() -> None:
    stage = sys.argv[1] if len(sys.argv) > 1 else "prod"
    out = Path(__file__).resolve().parent / f"platform-{stage}.template.json"
    out.write_text(
        json.dumps(cloudformation_template(stage), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(out)


if __name__ == "__main__":
    main()
