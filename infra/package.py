"""Package the functions for AWS: `python -m infra.package OUT` (CI runs it; so does deploying).

- The function zip holds the app's code only, with its `.pyc` (checked-hash: valid on a read-only
  /var/task, and a cold start does not compile; `chalice package` ships no .pyc).
- Dependencies come from two layers built here from the lock the tests run on (constraints.txt, for
  Python 3.13 on manylinux x86_64); every version that lands in a layer is compared with the one
  installed in the test environment, and a difference fails the build: what CI tests is what ships.
  - ``common``: Powertools, PynamoDB, PyJWT, pydantic, and boto3/botocore (pinned: the runtime's own
    botocore is not the one the tests ran);
  - ``documents``: pyHanko and its validator, HarfBuzz, fontTools, PyThaiNLP, Pillow, defusedxml, resvg,
    bagit (source only: built into a wheel here), less what ``common`` already has. PyThaiNLP's corpora
    that the platform never reads (taggers, WordNet, transliteration models; 60 MB) are left out: line
    breaking reads only its word list.
- Each function gets only the layers it needs (FUNCTION_LAYERS); the merge template attaches them.
- Each function's unzipped size (its zip plus its layers) is printed against Lambda's 250 MB, and the
  build fails above LIMIT_MB.
"""

from __future__ import annotations

import compileall
import importlib.metadata
import os
import py_compile
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT_MB = 230  # Lambda's limit is 250 MB unzipped; the rest is headroom
PYTHON_VERSION = "3.13"
PLATFORMS = ("manylinux_2_34_x86_64", "manylinux_2_28_x86_64", "manylinux2014_x86_64")
LAYERS: dict[str, tuple[str, ...]] = {
    "common": (
        "aws-lambda-powertools",
        "pynamodb",
        "pyjwt[crypto]",
        "pydantic",
        "boto3",
        "botocore",
        "aws-encryption-sdk",  # sealed classified letters (kernel/envelope.py)
        "icalendar",  # booking feeds (bookings/calendar.py)
        "segno",  # asset labels (assets/service.py)
        "asn1crypto",  # the audit trail's RFC 3161 request and token (archive/trail.py, in clean_up)
    ),
    "documents": (
        "pyhanko[opentype]",
        "pyhanko-certvalidator",
        "uharfbuzz",
        "fonttools",
        "pythainlp",
        "pillow",
        "defusedxml",
        "resvg-py",
        "bagit",  # the 20-year transfer's BagIt packages (archive/transfer.py, in api_handler)
    ),
}
# Pure-Python distributions published as source only (bagit 1.9.0 has no wheel on PyPI): built here into
# a universal wheel first, so the layer's install stays binary-only for its platform.
SOURCE_ONLY = ("bagit",)
# What each function imports, at module load or in its handler (the packaged test invokes them with
# only these on the path).
FUNCTION_LAYERS: dict[str, tuple[str, ...]] = {
    "api_handler": ("common", "documents"),  # renders letters, validates signatures, checks emblems
    "check_uploads": ("common", "documents"),  # inspects PDFs and images
    "on_records_change": ("common", "documents"),  # receipt stamps, the route's renderings
    "sign_documents": ("common", "documents"),  # pyHanko
    "deliver_letters": ("common",),  # copies a signed PDF; the arrival check runs in check_uploads
    "take_in_mail": ("common",),  # the standard library's e-mail parser; attachments checked in check_uploads
    "poll_ecms": ("common", "documents"),  # e-CMS notifiers are validated with lxml
    "clean_up": ("common",),
    "flag_overdue": ("common",),
    "send_notifications": ("common",),  # the outbox and SES
    "renew_timestamps": ("common", "documents"),  # pyHanko: archived letters' document timestamps
    "retire_signing_keys": ("common",),  # KMS and the table only
    # The WebSocket API's handlers (push/worker.py): a token, the directory, two items.
    "websocket_connect": ("common",),
    "websocket_message": ("common",),
    "websocket_disconnect": ("common",),
}
# PyThaiNLP data the platform never reads (pdf/thai_text.py uses the newmm tokenizer and its word list).
PYTHAINLP_UNUSED = (
    "wordnet_th.db",
    "wikipedia_titles_th.txt",
    "volubilis_words_th.txt",
    "sentenceseg_crfcut.model",
    "thai2rom_decoder.onnx",
    "thai2rom_encoder.onnx",
    "pos_orchid_perceptron.json",
    "pos_tud_perceptron.json",
    "pos_ud_perceptron.json",
    "tdtb-pt_tagger.json",
    "pos_orchid_unigram.json",
    "pos_ud_unigram.json",
    "orchid_pt_tagger.json",
    "ud_thai_pud_pt_tagger.json",
    "ud_thai_pud_unigram_tagger.json",
    "lst20_pt_tagger.json",
    "lst20_unigram_tagger.json",
    "blackboard_pt_tagger.json",
    "blackboard_unigram_tagger.json",
)


def _tree_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _name(dist: importlib.metadata.Distribution) -> str:
    return str(dist.metadata["Name"]).lower().replace("_", "-")


def _installed_versions(site: Path) -> dict[str, str]:
    return {_name(dist): dist.version for dist in importlib.metadata.distributions(path=[str(site)])}


def build_layer(name: str, work: Path, *, exclude: dict[str, str] | None = None) -> Path:
    """The layer's tree (python/...), compiled; returns the folder that holds python/."""
    folder = work / name
    site = folder / "python"
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    command += ["--target", str(site), "-c", str(ROOT / "constraints.txt"), "--only-binary=:all:"]
    command += ["--python-version", PYTHON_VERSION, "--implementation", "cp"]
    wanted = [p for p in SOURCE_ONLY if p in LAYERS[name]]
    if wanted:
        wheels = work / "wheels"
        build = [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps"]
        build += ["-c", str(ROOT / "constraints.txt"), "-w", str(wheels)]
        subprocess.run([*build, *wanted], check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        command += ["--find-links", str(wheels)]
    for platform in PLATFORMS:
        command += ["--platform", platform]
    subprocess.run([*command, *LAYERS[name]], check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    duplicates = [
        dist for dist in importlib.metadata.distributions(path=[str(site)]) if _name(dist) in (exclude or {})
    ]
    for dist in duplicates:  # already in an earlier layer: not twice
        for file in dist.files or []:
            (site / file).unlink(missing_ok=True)
    corpus = site / "pythainlp" / "corpus"
    for unused in PYTHAINLP_UNUSED:
        (corpus / unused).unlink(missing_ok=True)
    for empty in sorted((p for p in site.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(empty.iterdir()):
            empty.rmdir()
    compileall.compile_dir(str(site), quiet=1, invalidation_mode=compileall_mode())
    return folder


def compileall_mode() -> py_compile.PycInvalidationMode:
    return py_compile.PycInvalidationMode.CHECKED_HASH


def check_lock(site: Path) -> list[str]:
    """Every distribution in the layer at the version the test environment has."""
    tested = {
        d.metadata["Name"].lower().replace("_", "-"): d.version for d in importlib.metadata.distributions()
    }
    return [
        f"{name} {version} in the layer, {tested.get(name, 'absent')} where the tests ran"
        for name, version in _installed_versions(site).items()
        if tested.get(name) != version
    ]


def zip_tree(folder: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(folder))


def add_pyc(deployment: Path, work: Path) -> None:
    """The app's code compiled into the function zip (Chalice zips sources only)."""
    code = work / "task"
    with zipfile.ZipFile(deployment) as archive:
        archive.extractall(code)
    compileall.compile_dir(str(code), quiet=1, invalidation_mode=compileall_mode())
    deployment.unlink()
    zip_tree(code, deployment)


def package(out: Path) -> dict[str, float]:
    """Chalice's package, the .pyc, the layers; returns each function's unzipped MB."""
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "ap-southeast-7")}
    subprocess.run(  # noqa: S603 (the project's own chalice)
        [
            str(Path(sys.executable).parent / "chalice"),
            "--project-dir",
            str(ROOT / "functions"),
            "package",
            "--stage",
            "prod",
            "--merge-template",
            str(ROOT / "chalice_config" / "merge-template.json"),
            str(out),
        ],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        add_pyc(out / "deployment.zip", work)
        code_size = _tree_size(work / "task")
        (out / "layers").mkdir(exist_ok=True)
        sizes: dict[str, int] = {}
        common = build_layer("common", work)
        layer_dirs = {
            "common": common,
            "documents": build_layer("documents", work, exclude=_installed_versions(common / "python")),
        }
        problems = []
        for name, layer in layer_dirs.items():
            problems += check_lock(layer / "python")
            sizes[name] = _tree_size(layer)
            zip_tree(layer, out / "layers" / f"{name}.zip")
        if problems:
            raise SystemExit("the layers differ from the lock the tests ran on:\n  " + "\n  ".join(problems))
    return (
        {
            function: (code_size + sum(sizes[layer] for layer in layers)) / 1e6
            for function, layers in FUNCTION_LAYERS.items()
        }
        | {f"layer:{name}": size / 1e6 for name, size in sizes.items()}
        | {"code": code_size / 1e6}
    )


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "out")
    if out.exists():
        shutil.rmtree(out)
    sizes = package(out)
    print(
        f"function code {sizes.pop('code'):.1f} MB; layers: "
        + ", ".join(
            f"{k.removeprefix('layer:')} {v:.1f} MB" for k, v in sizes.items() if k.startswith("layer:")
        )
    )
    over = []
    for function, mb in sizes.items():
        if function.startswith("layer:"):
            continue
        layers = ", ".join(FUNCTION_LAYERS[function])
        print(f"  {function:<18} {mb:6.1f} MB unzipped (limit {LIMIT_MB} MB; Lambda's 250)  layers: {layers}")
        if mb > LIMIT_MB:
            over.append(function)
    if over:
        print(f"over {LIMIT_MB} MB: {', '.join(over)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
