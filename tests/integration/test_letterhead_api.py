"""The agency's letterhead and emblem, set by its admin and carried by its letters."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
import requests

from devstack.stack import read_state
from tests.hostile.corpus import image_case
from tests.integration.conftest import OPS_ADMIN, OPS_SARABAN, OPS_STAFF, Stack

pytestmark = pytest.mark.integration


def test_the_admin_sets_the_emblem_checked_by_its_bytes(stack: Stack) -> None:
    from devstack.demo import stand_in_emblem

    before = stack.call("GET", "/v1/agency/letterhead", OPS_STAFF).json()
    assert before["emblem"] and before["address_lines"]
    png = {"Content-Type": "image/png"}
    hostile = image_case("png_magic_then_html.png")
    refused = stack.call("PUT", "/v1/agency/emblem", OPS_ADMIN, data=hostile, headers=png)
    assert refused.status_code == 422 and refused.json()["title_th"]
    assert (
        stack.call("PUT", "/v1/agency/emblem", OPS_STAFF, data=stand_in_emblem(), headers=png).status_code
        == 403
    )
    too_big = stack.call(
        "PUT", "/v1/agency/emblem", OPS_ADMIN, data=b"\x89PNG" + b"0" * 3_000_000, headers=png
    )
    assert too_big.status_code == 413
    gif = stack.call(
        "PUT", "/v1/agency/emblem", OPS_ADMIN, data=b"GIF89a", headers={"Content-Type": "image/gif"}
    )
    assert gif.status_code == 415
    other = image_case("clean_rgb.png")
    changed = stack.call("PUT", "/v1/agency/emblem", OPS_ADMIN, data=other, headers=png)
    assert changed.status_code == 200 and changed.json()["emblem"] != before["emblem"]
    restored = stack.call("PUT", "/v1/agency/emblem", OPS_ADMIN, data=stand_in_emblem(), headers=png)
    assert restored.json()["emblem"] == before["emblem"]


def test_a_letter_carries_the_emblem_as_an_image_and_the_units_contact_lines(stack: Stack) -> None:
    director = read_state(stack.port).users["ops.director"]["sub"]
    made = stack.call(
        "POST",
        "/v1/documents",
        OPS_SARABAN,
        json={
            "kind": "external",
            "subject": "ขอเชิญประชุม",
            "recipient": {"position": "อธิบดีกรมพัฒนาดิจิทัลภาครัฐ"},
            "body": "ด้วยกระทรวงจะจัดประชุม\n\nจึงเรียนมาเพื่อโปรดพิจารณา",
            "owner_unit_id": "policy",
            "signers": [director],
        },
    )
    document_id = made.json()["id"]
    rendered = stack.call("POST", f"/v1/documents/{document_id}/render", OPS_SARABAN)
    assert rendered.status_code == 201, rendered.text
    file_id = rendered.json()["file"]["id"]
    deadline = time.monotonic() + 30
    while (
        stack.call("GET", f"/v1/documents/{document_id}", OPS_SARABAN).json()["files"][0]["status"] != "ready"
    ):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    link = stack.call("GET", f"/v1/documents/{document_id}/files/{file_id}/download", OPS_SARABAN).json()[
        "url"
    ]
    pdf = requests.get(link, timeout=30).content
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(pdf)).pages[0]
    images: Any = page["/Resources"]["/XObject"]
    assert any(images[name].get_object()["/Subtype"] == "/Image" for name in images)  # the emblem, drawn
    text = page.extract_text()
    assert "ครุฑ" not in text and "ตราสัญลักษณ์" not in text  # the stand-in's words are pixels only
    for expected in ("ถนนแจ้งวัฒนะ", "กองยุทธศาสตร์และแผนงาน", "6900"):
        assert expected in text, expected
    with open("/tmp/letter-with-emblem.pdf", "wb") as out:
        out.write(pdf)


def test_an_svg_emblem_is_checked_then_drawn_as_png(stack: Stack) -> None:
    from devstack.demo import stand_in_emblem

    svg = {"Content-Type": "image/svg+xml"}
    drawing = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="120" viewBox="0 0 100 120">'
        b'<circle cx="50" cy="60" r="40" fill="#a00"/></svg>'
    )
    accepted = stack.call("PUT", "/v1/agency/emblem", OPS_ADMIN, data=drawing, headers=svg)
    assert accepted.status_code == 200, accepted.text
    for hostile in (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        b'<image x:href="https://evil.example/x.png"/></svg>',
        b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
    ):
        refused = stack.call("PUT", "/v1/agency/emblem", OPS_ADMIN, data=hostile, headers=svg)
        assert refused.status_code == 422 and refused.json()["title_th"], hostile
    restored = stack.call(
        "PUT", "/v1/agency/emblem", OPS_ADMIN, data=stand_in_emblem(), headers={"Content-Type": "image/png"}
    )
    assert restored.status_code == 200
