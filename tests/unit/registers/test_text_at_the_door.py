"""Arbitrary Unicode into every text field of a registration: refused at the door with a 422 naming the
field, or registered; either way the book then lists and exports as CSV and PDF (moto in-process)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from chalicelib.kernel.errors import InvalidInput
from chalicelib.kernel.http import parse_json_body
from chalicelib.registers import exports, models
from chalicelib.registers import service as registration
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import principal

NOW = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)
# Every kind of character, weighted towards the troublesome: lone surrogates, controls, bidi marks,
# Thai vowels and tone marks stacked on nothing, noncharacters.
troublesome = st.sampled_from(
    [
        "\ud800",
        "\udfff",
        "\x00",
        "\x07",
        "\x1b",
        "\x85",
        "\u202e",
        "\u200f",
        "\u0e48\u0e49",
        "\ufffe",
        "\t",
        "\n",
    ]
)
text = st.lists(st.one_of(st.characters(codec=None), troublesome), max_size=30).map("".join)
FIELDS = (
    "subject",
    "reference",
    "sender.name",
    "sender.agency",
    "recipient.position",
    "references.0",
    "body",
)


def body_with(field: str, value: str) -> dict[str, Any]:
    document: dict[str, Any] = {"kind": "external", "subject": "หนังสือทดสอบ"}
    if field == "references.0":
        document["references"] = [value]
    elif "." in field:
        part, name = field.split(".")
        document[part] = {name: value}
    else:
        document[field] = value
    return {"document": document}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS), value=text)
def test_any_text_is_refused_naming_its_field_or_kept_and_the_book_still_exports(
    new_agency: Any, field: str, value: str
) -> None:
    agency = new_agency()
    saraban = principal(agency, "saraban")
    raw = json.dumps(body_with(field, value), ensure_ascii=True).encode()  # escapes lone surrogates
    try:
        command = parse_json_body(models.RegistrationCommand, raw)
    except InvalidInput as refused:
        assert refused.status == 422
        assert any(e["field"] == f"document.{field}" for e in refused.extra["errors"]), refused.extra
    else:
        registration.register(saraban, "outgoing", command, idempotency_key=None, clock=lambda: NOW)
    page = registration.list_book(saraban, "outgoing", models.ListQuery(year=2569), now=NOW)
    json.dumps(page.model_dump(mode="json", by_alias=True), ensure_ascii=False).encode("utf-8")
    csv = exports.register_csv(saraban, "outgoing", models.ListQuery(year=2569), now=NOW)
    csv.body.decode("utf-8")
    pdf = exports.register_pdf(saraban, "outgoing", models.ListQuery(year=2569), now=NOW)
    assert pdf.body.startswith(b"%PDF")
