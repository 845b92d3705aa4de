from datetime import UTC, date, datetime

from chalicelib import thai


def test_buddhist_year_uses_bangkok_time_not_utc() -> None:
    # 31 Dec 2026 18:00 UTC is already 1 Jan 2027 in Bangkok: the new พ.ศ. 2570.
    assert thai.buddhist_year(datetime(2026, 12, 31, 18, 0, tzinfo=UTC)) == 2570
    assert thai.buddhist_year(datetime(2026, 12, 31, 16, 59, tzinfo=UTC)) == 2569


def test_thai_date_full_month_and_buddhist_year() -> None:
    assert thai.thai_date(date(2026, 11, 21)) == "21 พฤศจิกายน 2569"
    assert thai.thai_date(date(2026, 1, 5), thai_numerals=True) == "๕ มกราคม ๒๕๖๙"
    assert thai.thai_date_short(date(2026, 4, 13)) == "13 เม.ย. 2569"


def test_thai_time_in_bangkok() -> None:
    assert thai.thai_time(datetime(2026, 11, 21, 2, 5, tzinfo=UTC)) == "09.05 น."


def test_naive_datetimes_are_refused() -> None:
    try:
        thai.buddhist_year(datetime(2026, 1, 1))
    except ValueError:
        return
    raise AssertionError("a naive datetime was accepted")


def test_search_normalises_thai_digits_and_case() -> None:
    assert thai.thai_contains("ขอเชิญประชุม ครั้งที่ ๓/2569", "ครั้งที่ 3")
    assert thai.thai_contains("Digital Government Plan", "digital")
    assert not thai.thai_contains("ขอเชิญประชุม", "ขออนุมัติ")


def test_thai_dictionary_order_skips_leading_vowels() -> None:
    assert thai.thai_sorted(["ไก่", "เกม", "ขวด", "กา"]) == ["กา", "เกม", "ไก่", "ขวด"]
