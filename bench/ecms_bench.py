"""e-CMS messages benchmark: prints figures, asserts nothing.

  .venv/bin/python bench/ecms_bench.py [--runs 7] [--messages 200] [--pdf-kb 120]

Letters (CorrespondenceLetterOutboundRequest with a PDF of --pdf-kb and one enclosure) and notifiers,
produced and read back as the platform does: hostile-first (defusedxml, no DTD or entity) and then
validated against exchange/ecms.xsd with lxml. The baseline in the same run is the bare parse of the
same bytes with the standard library (no safety, no schema), so the ratio is what reading safely costs.
Median of --runs runs, each over --messages messages.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree as ET  # the unchecked baseline only

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--pdf-kb", type=int, default=120)
    args = parser.parse_args()
    from chalicelib.exchange import ecms

    pdf = b"%PDF-1.7\n" + os.urandom(args.pdf_kb * 1024) + b"\n%%EOF\n"
    letter = ecms.Letter(
        id="ดศ 0201.3/1234",
        date=date(2026, 11, 29),
        subject="ขอเชิญประชุมคณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์ ครั้งที่ 3/2569",
        secret_code=ecms.SECRET_CODES["normal"],
        speed_code="002",
        sender=ecms.Party("ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "21", "0021000001"),
        receiver=ecms.Party("ผู้ว่าราชการจังหวัดเชียงใหม่", "15", "0015500050"),
        send_date=datetime(2026, 11, 29, 10, 15),
        main_letter=pdf,
        attachment_text="ระเบียบวาระการประชุม 1 ชุด",
        attachments=(pdf[: len(pdf) // 4] + b"\n%%EOF\n",),
    )
    notice = ecms.Notice("AcceptLetterNotifier", letter.id, letter.date, letter.subject, accept_id="5001")

    def rate(work: Callable[[], object]) -> float:
        samples = []
        for _ in range(args.runs):
            begin = time.perf_counter()
            for _ in range(args.messages):
                work()
            samples.append(args.messages / (time.perf_counter() - begin))
        return statistics.median(samples)

    message = ecms.letter_request(letter, message_id="m", to="http://node")
    notifier = ecms.notice_message(notice, message_id="m", to="http://node")
    ecms.read_letter(message)  # the schema compiled once, as in a warm function
    figures = {
        "letter produced": rate(lambda: ecms.letter_request(letter, message_id="m", to="http://node")),
        "letter read (defusedxml + XSD)": rate(lambda: ecms.read_letter(message)),
        "letter bare parse (baseline)": rate(lambda: ET.fromstring(message)),  # noqa: S314 (the unsafe baseline, our own bytes)
        "notifier produced": rate(lambda: ecms.notice_message(notice, message_id="m", to="http://node")),
        "notifier read (defusedxml + XSD)": rate(lambda: ecms.read_notice(notifier)),
        "notifier bare parse (baseline)": rate(lambda: ET.fromstring(notifier)),  # noqa: S314 (the unsafe baseline, our own bytes)
    }
    print(f"e-CMS messages: letter {len(message) / 1024:.0f} KB, notifier {len(notifier)} B")
    print(f"median of {args.runs} runs x {args.messages} messages, one core")
    for name, value in figures.items():
        print(f"  {name:<36} {value:>10,.0f} /s")
    letter_cost = figures["letter bare parse (baseline)"] / figures["letter read (defusedxml + XSD)"]
    notifier_cost = figures["notifier bare parse (baseline)"] / figures["notifier read (defusedxml + XSD)"]
    print(
        f"  reading safely costs {letter_cost:.1f}x the bare parse (letter), {notifier_cost:.1f}x (notifier)"
    )


if __name__ == "__main__":
    main()
