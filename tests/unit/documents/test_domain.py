import json

import pytest
from chalicelib.documents.domain import refuse_top_secret_content, safe_filename, sniff_content_type
from chalicelib.documents.models import DocumentDraft
from chalicelib.kernel.errors import SecrecyRefused
from chalicelib.saraban import Secrecy
from pydantic import ValidationError


def test_a_letter_needs_a_subject() -> None:
    with pytest.raises(ValidationError, match="subject"):
        draft({"kind": "external"})


def test_sub_kind_must_belong_to_kind() -> None:
    assert draft({"kind": "directive", "sub_kind": "order", "subject": "แต่งตั้ง"})
    with pytest.raises(ValidationError, match="sub_kind"):
        draft({"kind": "external", "sub_kind": "order", "subject": "x"})


def test_urgent_deadline_needs_urgency_and_time_zone() -> None:
    with pytest.raises(ValidationError, match="urgency"):
        draft({"kind": "external", "subject": "x", "urgent_deadline": "2026-11-22T10:00:00+07:00"})
    with pytest.raises(ValidationError, match="timezone"):
        draft(
            {
                "kind": "external",
                "subject": "x",
                "urgency": "urgent",
                "urgent_deadline": "2026-11-22T10:00:00",
            }
        )


def test_secrecy_accepts_english_ids_and_thai_labels() -> None:
    assert draft({"kind": "internal", "subject": "x", "secrecy": "ลับมาก"}).secrecy_level is Secrecy.SECRET
    assert Secrecy.parse("confidential") is Secrecy.CONFIDENTIAL


def test_top_secret_content_is_refused_citing_the_rule() -> None:
    letter = draft({"kind": "external", "subject": "แผนป้องกันประเทศ", "secrecy": "top_secret"})
    with pytest.raises(SecrecyRefused) as refused:
        refuse_top_secret_content([("subject", letter.subject), ("body", letter.body)])
    assert "ข้อ 29" in refused.value.message_th
    assert refused.value.extra["fields"] == ["subject"]
    # Without content, only the register entry may exist.
    assert draft({"kind": "external", "secrecy": "top_secret"}).secrecy_level is Secrecy.TOP_SECRET


def test_file_types_are_judged_by_bytes() -> None:
    assert sniff_content_type(b"%PDF-1.7\n...") == "application/pdf"
    assert sniff_content_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert sniff_content_type(b"MZ\x90\x00 executable") is None
    assert sniff_content_type(b"<html>%PDF-") == "application/pdf"  # readers accept a header in the first KiB


def test_filenames_lose_paths_but_keep_thai() -> None:
    assert safe_filename("../../etc/หนังสือเชิญ.pdf") == "หนังสือเชิญ.pdf"
    assert safe_filename("a\x00b<script>.pdf") == "a_b_script_.pdf"


def draft(data: dict[str, object]) -> DocumentDraft:
    """A draft as the door parses a body (JSON, strict)."""
    return DocumentDraft.model_validate_json(json.dumps(data))


def test_forms_refuse_marks_they_do_not_carry_naming_the_field() -> None:
    with pytest.raises(ValidationError, match="urgency") as urgent_order:
        draft({"kind": "directive", "sub_kind": "order", "subject": "แต่งตั้ง", "urgency": "most_urgent"})
    assert "ข้อ 15" in urgent_order.value.errors()[0]["msg"]
    with pytest.raises(ValidationError, match="secrecy") as secret_announcement:
        draft({"kind": "public_relations", "sub_kind": "announcement", "subject": "ประกาศ", "secrecy": "ลับ"})
    assert "ข้อ 10" in secret_announcement.value.errors()[0]["msg"]
    assert draft({"kind": "internal", "subject": "บันทึก", "urgency": "urgent"}).urgency == "urgent"
