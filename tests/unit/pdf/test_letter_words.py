"""The directory's names reach the letter's line breaker (documents.rendering -> LetterContent)."""

from __future__ import annotations

from datetime import date

from chalicelib.directory.domain import AgencyProfile, Unit
from chalicelib.documents.rendering import letter_content
from chalicelib.pdf.letters import LetterContent


def test_the_agency_and_its_units_names_are_given_to_the_letter() -> None:
    profile = AgencyProfile(
        agency_id="ncsa",
        name="สำนักงานคณะกรรมการการรักษาความมั่นคงปลอดภัยไซเบอร์แห่งชาติ",
        name_en="NCSA",
        ministry_code="สกมช",
        settings={},
        units={
            "u1": Unit("u1", "ศูนย์ประสานการรักษาความมั่นคงปลอดภัยระบบคอมพิวเตอร์แห่งชาติ", "0201.3", None),
            "u2": Unit("u2", "กองบริหารกลาง", "0201.1", None),
        },
    )
    content = letter_content(
        profile,
        {"kind": "external", "subject": "ทดสอบ", "body": "ข้อความ", "owner_unit_id": "u2"},
        None,
        date(2026, 12, 15),
    )
    assert isinstance(content, LetterContent)
    assert content.custom_words == (
        "สำนักงานคณะกรรมการการรักษาความมั่นคงปลอดภัยไซเบอร์แห่งชาติ",
        "ศูนย์ประสานการรักษาความมั่นคงปลอดภัยระบบคอมพิวเตอร์แห่งชาติ",
        "กองบริหารกลาง",
    )
