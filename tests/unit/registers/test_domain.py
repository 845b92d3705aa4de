import pytest
from chalicelib.kernel.errors import InvalidInput
from chalicelib.registers.domain import STANDARD_BOOKS, custom_book, next_number


def test_outgoing_reference_line_from_unit_code() -> None:
    assert (
        STANDARD_BOOKS["outgoing"].ref_line(number=123, year_be=2569, unit_code="ดศ 0201") == "ที่ ดศ 0201/123"
    )


def test_circular_adds_wor() -> None:
    assert STANDARD_BOOKS["circular"].ref_line(number=7, year_be=2569, unit_code="ดศ 0201") == "ที่ ดศ 0201/ว 7"


def test_order_is_number_over_buddhist_year() -> None:
    assert STANDARD_BOOKS["order"].ref_line(number=45, year_be=2569, unit_code=None) == "ที่ 45/2569"


def test_incoming_book_has_no_reference_line() -> None:
    assert STANDARD_BOOKS["incoming"].ref_line(number=1, year_be=2569, unit_code="ดศ 0201") is None


def test_outgoing_without_unit_code_is_refused() -> None:
    with pytest.raises(InvalidInput):
        STANDARD_BOOKS["outgoing"].ref_line(number=1, year_be=2569, unit_code=None)


def test_agency_defined_book_checks_its_format() -> None:
    book = custom_book("certificate", "หนังสือรับรอง", "certificates", "outgoing", "ที่ {unit_code}/ร {number}")
    assert book.ref_line(number=3, year_be=2569, unit_code="ดศ 0301") == "ที่ ดศ 0301/ร 3"
    with pytest.raises(InvalidInput):
        custom_book("certificate", "x", "x", "outgoing", "ที่ {unit_code}")  # no {number}
    with pytest.raises(InvalidInput):
        custom_book("Bad Id", "x", "x", "outgoing", None)


def test_numbers_start_at_one_and_follow_the_last() -> None:
    assert next_number(None) == 1
    assert next_number(0) == 1
    assert next_number(41) == 42
