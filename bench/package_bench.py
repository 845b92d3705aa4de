"""Package benchmark: prints figures, asserts nothing.

  .venv/bin/python bench/package_bench.py [--runs 7]

1. Each function's unzipped size (its zip plus its layers, as `python -m infra.package` builds them)
   against the 230 MB the build allows and Lambda's 250 MB.
2. Each function's cold import, as Lambda's init runs it: a fresh interpreter without site-packages,
   with the function's code and only its layers on the path, .pyc shipped; `import app` and the
   modules its handler imports on the first event. Median of --runs processes, with `import chalice`
   (the framework alone) as the baseline in the same run.
3. SnapStart (the functions infra/chalice_config.py turns it on for): the init is taken into the
   snapshot, and on those functions app.py also imports the handler's modules during init (priming), so
   the figure in 2. is what leaves the cold path. The restore time itself is AWS's and cannot be
   measured offline.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

FIRST_EVENT_IMPORTS = {
    "api_handler": [],
    "check_uploads": ["chalicelib.documents.worker"],
    "on_records_change": ["chalicelib.lifecycle"],
    "sign_documents": [
        "chalicelib.signatures.worker",
        "chalicelib.signing.pades",
        "chalicelib.signing.kms_signer",
    ],
    "clean_up": ["chalicelib.documents.schedule"],
    "flag_overdue": ["chalicelib.routing.schedule"],
}


def timed_import(paths: list[Path], modules: list[str]) -> float:
    script = (
        f"import sys, time; sys.path[:0] = {[str(p) for p in paths]!r}\n"
        "t = time.perf_counter()\n"
        + "".join(f"import {m}\n" for m in modules)
        + "print(time.perf_counter() - t)\n"
    )
    env = {"PATH": os.environ["PATH"], "AWS_DEFAULT_REGION": "ap-southeast-7", "EOFFICE_STAGE": "prod"}
    out = subprocess.run(
        [sys.executable, "-S", "-c", script], env=env, capture_output=True, text=True, check=True, timeout=120
    )
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from infra.chalice_config import SNAPSTART
    from infra.package import FUNCTION_LAYERS, LIMIT_MB, package

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        sizes = package(out)
        for archive in [out / "deployment.zip", *(out / "layers").glob("*.zip")]:
            with zipfile.ZipFile(archive) as opened:
                opened.extractall(out / "unzipped" / archive.stem)
        code = out / "unzipped" / "deployment"
        print(
            f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; median of {args.runs} fresh processes"
        )
        print(
            f"function code {sizes['code']:.1f} MB; layers: common {sizes['layer:common']:.1f} MB, "
            f"documents {sizes['layer:documents']:.1f} MB"
        )
        common = out / "unzipped" / "common" / "python"
        baseline = statistics.median(timed_import([code, common], ["chalice.app"]) for _ in range(args.runs))
        print(f"baseline: import chalice.app {baseline * 1000:.0f} ms")
        print(
            f"{'function':<18} {'unzipped':>9} {'of 230':>7} {'cold import':>12} {'x baseline':>11}"
            "  snapstart"
        )
        for function, layers in FUNCTION_LAYERS.items():
            paths = [code, *(out / "unzipped" / layer / "python" for layer in layers)]
            modules = ["app", *FIRST_EVENT_IMPORTS[function]]
            cold = statistics.median(timed_import(paths, modules) for _ in range(args.runs))
            snap = "on: init in the snapshot" if function in SNAPSTART else "off"
            print(
                f"{function:<18} {sizes[function]:7.1f} MB {sizes[function] / LIMIT_MB:6.0%} "
                f"{cold * 1000:9.0f} ms {cold / baseline:10.1f}x  {snap}"
            )


if __name__ == "__main__":
    main()
