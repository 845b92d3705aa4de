"""Signing benchmark: chalicelib.signing against pyHanko's plain defaults, in the same run.

    .venv/bin/python bench/sign_bench.py [--rounds 5] [--iters 3] [--import-runs 7]

Method
  * Keys: RSA-2048 and ECDSA P-256, each both as an in-process key and as a moto KMS key (mock_aws,
    in this process). Certificates from the test PKI (devstack.pki), whose OCSP/CRL/TSA services run in
    a separate process on 127.0.0.1, so this process's CPU time is the signer's own.
  * Baseline = pyHanko defaults: signers.sign_pdf() with a SimpleSigner loaded once from a key file,
    no bytes_reserved (so it signs a throw-away CMS to size /Contents), one HTTPTimeStamper reused,
    a fresh ValidationContext per B-LTA document (as ours). Thai stamp baseline: pyHanko's own
    GlyphAccumulatorFactory with the same font, size and text.
  * Ours = PadesSigningService.sign(): key parsed once, computed bytes_reserved, lean font engine.
  * All cases run round-robin (rounds x iters per case, interleaved), after one warm-up each. Figures are
    medians; CPU = time.process_time() of this process; docs/s = 1000 / CPU ms (one core).
  * Cold import: fresh interpreters importing the sign worker's modules, median of --import-runs.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "functions"), str(ROOT)]
os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
os.environ.setdefault("AWS_DEFAULT_REGION", "ap-southeast-1")
os.environ.pop("AWS_ENDPOINT_URL", None)

import boto3  # noqa: E402
from chalicelib.signing.appearance import DEFAULT_FONT, OnBehalf, OnBehalfKind, SignatureBlock  # noqa: E402
from chalicelib.signing.key_signer import InMemoryKeySigner  # noqa: E402
from chalicelib.signing.kms_signer import KmsSigner, kms_public_key  # noqa: E402
from chalicelib.signing.pades import NewField, PadesSigningService  # noqa: E402
from chalicelib.signing.policy import PadesLevel  # noqa: E402
from chalicelib.signing.validation import validate_pdf  # noqa: E402
from chalicelib.thai import now_bangkok  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, rsa  # noqa: E402
from fpdf import FPDF  # noqa: E402
from moto import mock_aws  # noqa: E402
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory  # noqa: E402
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: E402
from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: E402
from pyhanko.pdf_utils.text import TextBoxStyle  # noqa: E402
from pyhanko.sign import fields, signers, validation  # noqa: E402
from pyhanko.sign.timestamps import HTTPTimeStamper  # noqa: E402
from pyhanko.stamp import TextStampStyle  # noqa: E402
from pyhanko_certvalidator import ValidationContext  # noqa: E402

from devstack.pki import PkiInfo  # noqa: E402

BOX = (320, 60, 560, 150)
BLOCK = SignatureBlock(
    "นายสมชาย ใจดี", "ผู้อำนวยการกองกลาง", OnBehalf(OnBehalfKind.DELEGATED, "อธิบดีกรมการปกครอง")
)
SIGN_WORKER_IMPORTS = "chalicelib.signing.pades, chalicelib.signing.kms_signer, chalicelib.signing.validation"
BASELINE_IMPORTS = "pyhanko.sign.signers, pyhanko.sign.validation, pyhanko.sign.timestamps"
AIMS = (
    ("B-B warm, in-process key", "ours", "B-B", "wall", 25.0),
    ("B-LTA CPU", "ours", "B-LTA", "cpu", 150.0),
    ("validation of B-B", "ours", "validate B-B", "wall", 10.0),
)


@dataclass
class Case:
    level: str  # row label, e.g. "B-B", "B-B Thai stamp", "validate B-B"
    key: str  # "RSA-2048" | "P-256"
    impl: str  # "baseline" | "ours" | "ours+KMS"
    run: Callable[[], object]
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def measure(self) -> None:
        wall0, cpu0 = time.perf_counter(), time.process_time()
        self.run()
        self.cpu.append((time.process_time() - cpu0) * 1000)
        self.wall.append((time.perf_counter() - wall0) * 1000)


# -- material ---------------------------------------------------------------------------------------------


def make_letter() -> bytes:
    """One A4 page of Thai text in the platform's font (what a memo looks like to the signer)."""
    pdf = FPDF(format="A4")
    pdf.add_font("Laksaman", fname=str(DEFAULT_FONT))
    pdf.set_text_shaping(True)
    pdf.add_page()
    pdf.set_font("Laksaman", size=16)
    pdf.multi_cell(0, 9, "บันทึกข้อความ\nส่วนราชการ กองกลาง\nที่ มท 0201/123 วันที่ 21 พฤศจิกายน 2569\n" * 6)
    return bytes(pdf.output())


def spki(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def start_pki(
    workdir: Path, signer_keys: dict[str, tuple[str, bytes]]
) -> tuple[subprocess.Popen[str], PkiInfo]:
    entries = [
        {
            "label": label,
            "agency_id": agency,
            "common_name": label,
            "public_key_der_b64": base64.b64encode(der).decode(),
        }
        for label, (agency, der) in signer_keys.items()
    ]
    (workdir / "signers.json").write_text(json.dumps(entries), encoding="utf-8")
    cmd = [sys.executable, "-m", "devstack.pki", "--port", "0", "--signers", str(workdir / "signers.json")]
    cmd += ["--export", str(workdir / "pki.json"), "--cache-dir", str(workdir / "keys")]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    ready = json.loads(proc.stdout.readline())
    print(f"PKI process up: {ready['url_prefix']} (built in {ready['build_seconds'] * 1000:.0f} ms)")
    return proc, PkiInfo.from_json(json.loads((workdir / "pki.json").read_text(encoding="utf-8")))


def write_key_files(workdir: Path, label: str, key: Any, info: PkiInfo) -> tuple[str, str, list[str]]:
    key_file = workdir / f"{label}.key.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    cert_file = workdir / f"{label}.cert.der"
    cert_file.write_bytes(info.signer_cert(label).dump())
    chain = []
    for n, cert in enumerate(info.signer_chain(label)):
        path = workdir / f"{label}.chain{n}.der"
        path.write_bytes(cert.dump())
        chain.append(str(path))
    return str(key_file), str(cert_file), chain


# -- the two implementations ---------------------------------------------------------------------------


def baseline_sign(
    doc: bytes, signer: signers.Signer, level: str, tsa: HTTPTimeStamper, info: PkiInfo
) -> bytes:
    long_term = level == "B-LTA"
    meta = signers.PdfSignatureMetadata(
        field_name="Sig1",
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=long_term,
        use_pades_lta=long_term,
        validation_context=(
            ValidationContext(trust_roots=info.trust_roots, allow_fetching=True) if long_term else None
        ),
    )
    out: BytesIO = signers.sign_pdf(
        IncrementalPdfFileWriter(BytesIO(doc)),
        meta,
        signer=signer,
        timestamper=tsa if level != "B-B" else None,
    )
    return out.getvalue()


def baseline_thai_stamp(doc: bytes, signer: signers.Signer) -> bytes:
    size = 14
    style = TextStampStyle(
        stamp_text="%(text)s",
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(str(DEFAULT_FONT), font_size=size), font_size=size, leading=20
        ),
        background=None,
    )
    pdf_signer = signers.PdfSigner(
        signers.PdfSignatureMetadata(field_name="Sig1", subfilter=fields.SigSeedSubFilter.PADES),
        signer,
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec("Sig1", box=BOX),
    )
    out: BytesIO = pdf_signer.sign_pdf(
        IncrementalPdfFileWriter(BytesIO(doc)), appearance_text_params={"text": BLOCK.text(now_bangkok())}
    )
    return out.getvalue()


def ours_sign(service: PadesSigningService, doc: bytes, signer: signers.Signer, level: str) -> bytes:
    if level == "B-B Thai stamp":
        return service.sign(
            doc, signer, level=PadesLevel.B_B, field=NewField("Sig1", 0, BOX), block=BLOCK
        ).pdf
    return service.sign(doc, signer, level=PadesLevel(level), field=NewField("Sig1")).pdf


def baseline_validate(pdf: bytes, info: PkiInfo) -> object:
    sig = PdfFileReader(BytesIO(pdf)).embedded_signatures[0]
    status = validation.validate_pdf_signature(sig, ValidationContext(trust_roots=info.trust_roots))
    assert status.bottom_line
    return status


def ours_validate(pdf: bytes, info: PkiInfo) -> object:
    report = validate_pdf(pdf, info.trust_roots)
    assert report.all_valid
    return report


# -- cold import ------------------------------------------------------------------------------------------


def cold_import_ms(modules: str, runs: int) -> float:
    code = f"import time; t = time.perf_counter(); import {modules}; print((time.perf_counter() - t) * 1000)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "functions"), str(ROOT)])}
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        samples.append(float(out.stdout.strip()))
    return statistics.median(samples)


def top_imports(modules: str, count: int = 8) -> list[tuple[str, float]]:
    """Import time by top-level package: the sum of -X importtime "self" times of all its modules."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "functions"), str(ROOT)])}
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {modules}"],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    stdlib = set(sys.stdlib_module_names)
    rows: dict[str, float] = {}
    for line in out.stderr.splitlines():
        parts = line.split("|")
        self_us = parts[0].rsplit(":", 1)[-1].strip()
        if len(parts) == 3 and self_us.isdigit():
            package = parts[2].strip().split(".")[0]
            package = "(stdlib)" if package in stdlib or package.startswith("_") else package
            rows[package] = rows.get(package, 0.0) + int(self_us) / 1000
    return sorted(rows.items(), key=lambda r: -r[1])[:count]


# -- report -----------------------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def print_table(cases: list[Case]) -> None:
    baseline = {(c.level, c.key): c for c in cases if c.impl == "baseline"}
    header = (
        f"{'case':<16} {'key':<9} {'implementation':<28} {'wall ms':>8} {'CPU ms':>8} {'docs/s':>7}"
        f" {'wall x':>7} {'CPU x':>6}  n"
    )
    print(header)
    print("-" * len(header))
    last = None
    for case in cases:
        if last is not None and (case.level, case.key) != last:
            print()
        last = (case.level, case.key)
        wall, cpu = median(case.wall), median(case.cpu)
        base = baseline.get((case.level, case.key))
        ratio_wall = f"{median(base.wall) / wall:6.1f}x" if base and base is not case else "      -"
        ratio_cpu = f"{median(base.cpu) / cpu:5.1f}x" if base and base is not case else "     -"
        per_s = f"{1000 / cpu:7.1f}" if not case.level.startswith("validate") else f"{1000 / cpu:7.0f}"
        name = {
            "baseline": "pyHanko defaults (key file)",
            "ours": "ours, in-process key",
            "ours+KMS": "ours, moto KMS key",
        }[case.impl]
        print(
            f"{case.level:<16} {case.key:<9} {name:<28} {wall:8.1f} {cpu:8.1f} {per_s}"
            f" {ratio_wall} {ratio_cpu}  {len(case.wall)}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--iters", type=int, default=3, help="samples per case per round")
    parser.add_argument("--import-runs", type=int, default=7)
    args = parser.parse_args()

    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="sign-bench-"))
    doc = make_letter()
    local_keys: dict[str, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey] = {
        "RSA-2048": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "P-256": ec.generate_private_key(ec.SECP256R1()),
    }
    with mock_aws():
        kms = boto3.client("kms", region_name="ap-southeast-1")
        kms_ids = {
            "RSA-2048": kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"],
            "P-256": kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"],
        }
        signer_keys = {}
        for name, key in local_keys.items():
            signer_keys[f"local-{name.lower()}"] = ("moi-0201", spki(key))
            signer_keys[f"kms-{name.lower()}"] = ("moi-0301", kms_public_key(kms, kms_ids[name]))
        proc, info = start_pki(workdir, signer_keys)
        try:
            cases, service = build_cases(doc, info, local_keys, kms, kms_ids, workdir)
            for case in cases:  # warm-up (imports, first TSA call, dummy tokens, font cache) + sanity check
                check(case, case.run(), info)
            for _ in range(args.rounds):
                for case in cases:
                    for _ in range(args.iters):
                        case.measure()
            service.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print()
    print(
        f"PAdES signing, 1-page Thai letter ({len(doc):,} bytes), "
        f"{args.rounds}x{args.iters} samples per case,"
    )
    print("medians; CPU = this process only (TSA/OCSP/CRL run in another process); docs/s = 1000 / CPU ms")
    print()
    print_table(cases)

    ours_import = cold_import_ms(SIGN_WORKER_IMPORTS, args.import_runs)
    base_import = cold_import_ms(BASELINE_IMPORTS, args.import_runs)
    print()
    print(f"cold import, fresh interpreter, median of {args.import_runs}:")
    print(f"  sign worker ({SIGN_WORKER_IMPORTS}): {ours_import:.0f} ms")
    print(f"  pyHanko alone ({BASELINE_IMPORTS}): {base_import:.0f} ms")
    print("  where it goes (-X importtime self time summed per top-level package, one run):")
    for name, ms in top_imports(SIGN_WORKER_IMPORTS):
        print(f"    {name:<24} {ms:6.0f} ms")

    print()
    print("aims:")
    index = {(c.level, c.key, c.impl): c for c in cases}
    for label, impl, level, metric, limit in AIMS:
        for key_name in local_keys:
            case = index[(level, key_name, impl)]
            value = median(case.wall if metric == "wall" else case.cpu)
            verdict = "met" if value < limit else "MISSED"
            print(f"  {label:<26} {key_name:<9} {metric:>4} {value:7.1f} ms  (< {limit:.0f})  {verdict}")
    print(f"\ntotal benchmark time {time.perf_counter() - started:.0f} s")
    return 0


def build_cases(
    doc: bytes, info: PkiInfo, local_keys: dict[str, Any], kms: Any, kms_ids: dict[str, str], workdir: Path
) -> tuple[list[Case], PadesSigningService]:
    service = PadesSigningService(trust_roots=info.trust_roots, tsa_url=info.tsa_url)
    base_tsa = HTTPTimeStamper(info.tsa_url)
    cases: list[Case] = []
    for key_name, key in local_keys.items():
        local_label, kms_label = f"local-{key_name.lower()}", f"kms-{key_name.lower()}"
        key_file, cert_file, chain_files = write_key_files(workdir, local_label, key, info)
        simple = signers.SimpleSigner.load(key_file, cert_file, ca_chain_files=chain_files)
        assert simple is not None
        ours_local = InMemoryKeySigner(key, info.signer_cert(local_label), info.signer_chain(local_label))
        ours_kms = KmsSigner.verified(
            kms, kms_ids[key_name], info.signer_cert(kms_label), info.signer_chain(kms_label)
        )
        for level in ("B-B", "B-B Thai stamp", "B-T", "B-LTA"):
            if level == "B-B Thai stamp":
                base_run: Callable[[], object] = partial(baseline_thai_stamp, doc, simple)
            else:
                base_run = partial(baseline_sign, doc, simple, level, base_tsa, info)
            cases.append(Case(level, key_name, "baseline", base_run))
            cases.append(Case(level, key_name, "ours", partial(ours_sign, service, doc, ours_local, level)))
            cases.append(Case(level, key_name, "ours+KMS", partial(ours_sign, service, doc, ours_kms, level)))
        pdf = ours_sign(service, doc, ours_local, "B-B")
        cases.append(Case("validate B-B", key_name, "baseline", partial(baseline_validate, pdf, info)))
        cases.append(Case("validate B-B", key_name, "ours", partial(ours_validate, pdf, info)))
    return cases, service


def check(case: Case, output: object, info: PkiInfo) -> None:
    """Every signing case must produce what it claims: validate its output once (not timed)."""
    if case.level.startswith("validate"):
        return
    assert isinstance(output, bytes)
    sig = validate_pdf(output, info.trust_roots).signatures[0]
    expected = case.level.split()[0]
    if not (sig.bottom_line and sig.pades_level == expected):
        raise SystemExit(f"{case.impl} {case.level} {case.key}: got {sig.pades_level}, {sig.summary}")


if __name__ == "__main__":
    sys.exit(main())
