"""Run the test PKI's HTTP services as a process of their own.

    python -m devstack.pki [--host 127.0.0.1] [--port 9780] [--signers signers.json] [--export pki.json]

signers.json: [{"label": "moi-0201-director", "agency_id": "moi-0201", "common_name": "นายสมชาย ใจดี",
                "public_key_der_b64": "<base64 of kms.get_public_key(...)['PublicKey']>"}, ...]
When the services answer, the PKI's public half (export.py) is written to --export (if given) and printed
to stdout as one JSON line; then it serves until SIGINT/SIGTERM.
"""

from __future__ import annotations

import argparse
import base64
import json
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from devstack.pki.build import DEMO_AGENCIES, SignerKey
from devstack.pki.export import export_pki
from devstack.pki.serve import DEFAULT_PORT, start_pki_server


def read_signers(path: Path) -> list[SignerKey]:
    entries = json.loads(path.read_text(encoding="utf-8"))
    return [
        SignerKey(
            label=entry["label"],
            agency_id=entry["agency_id"],
            common_name=entry["common_name"],
            public_key_der=base64.b64decode(entry["public_key_der_b64"]),
        )
        for entry in entries
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devstack.pki", description="Serve the test PKI over HTTP."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 = any free port")
    parser.add_argument("--signers", type=Path, help="JSON list of signer public keys")
    parser.add_argument("--export", type=Path, help="write certificates and URLs here (JSON)")
    parser.add_argument("--cache-dir", type=Path, help="where CA keys are kept (default: temp dir)")
    args = parser.parse_args(argv)

    signers = read_signers(args.signers) if args.signers else []
    server = start_pki_server(
        DEMO_AGENCIES, signers, host=args.host, port=args.port, cache_dir=args.cache_dir
    )
    exported = export_pki(server.pki)
    exported["build_seconds"] = round(server.pki.build_seconds, 3)
    if args.export:
        args.export.write_text(json.dumps(exported), encoding="utf-8")
    print(json.dumps({k: v for k, v in exported.items() if k != "certs"}), flush=True)

    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    stop.wait()
    server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
