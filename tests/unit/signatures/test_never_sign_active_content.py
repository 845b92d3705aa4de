"""The sign worker refuses a PDF with active content or one it cannot read, whatever let it in."""

from __future__ import annotations

import pytest
from chalicelib.signatures.service import _refuse_active_content

from tests.hostile.corpus import pdf_case


@pytest.mark.parametrize(
    "name",
    ["action_javascript_in_catalog_openaction.pdf", "embedded_file_names_tree.pdf", "xfa_form.pdf"],
)
def test_a_pdf_with_active_content_is_never_signed(name: str) -> None:
    with pytest.raises(RuntimeError, match="active content"):
        _refuse_active_content(pdf_case(name))


def test_an_unreadable_pdf_is_never_signed() -> None:
    with pytest.raises(RuntimeError, match="unreadable"):
        _refuse_active_content(pdf_case("nesting_50000_arrays.pdf"))


def test_a_clean_letter_with_a_web_link_may_be_signed() -> None:
    _refuse_active_content(pdf_case("clean_with_web_link.pdf"))
