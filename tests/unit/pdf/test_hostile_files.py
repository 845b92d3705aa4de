"""The hostile corpus (tests/hostile/corpus.py) through the PDF and image checkers: exact expectations."""

from __future__ import annotations

import logging
import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from chalicelib.pdf import inspect
from chalicelib.pdf.image_check import verify_image
from chalicelib.pdf.inspect import ActiveContentKind, Budget, PdfFacts, inspect_pdf

from tests.hostile import corpus

PDF_EXPECTATIONS = corpus.pdf_expectations()
IMAGE_EXPECTATIONS = corpus.image_expectations()
ROOT = Path(__file__).resolve().parents[3]


def assert_as_expected(name: str, facts: PdfFacts) -> None:
    expected = PDF_EXPECTATIONS[name]
    assert facts.encrypted is expected.encrypted, facts
    if expected.unreadable is None:
        assert facts.readable, facts.error
        assert facts.pages >= 1 or facts.encrypted
    else:
        assert not facts.readable, f"{name} should be unreadable"
        assert expected.unreadable in (facts.error or ""), facts.error
        assert facts.pages == 0
    found = {(item.kind.value, item.where) for item in facts.active_content}
    assert found == expected.findings
    refused = facts.encrypted or not facts.readable or bool(facts.refused_content)
    assert refused is expected.refused


@pytest.mark.parametrize("name", sorted(PDF_EXPECTATIONS))
def test_pdf_isolated(name: str) -> None:
    assert_as_expected(name, inspect_pdf(corpus.pdf_case(name)))


@pytest.mark.parametrize("name", sorted(PDF_EXPECTATIONS))
def test_pdf_in_process(name: str) -> None:
    assert_as_expected(name, inspect_pdf(corpus.pdf_case(name), isolated=False))


def test_the_corpus_covers_every_kind_and_place() -> None:
    kinds = {kind for expected in PDF_EXPECTATIONS.values() for kind, _ in expected.findings}
    assert kinds == {kind.value for kind in ActiveContentKind}
    places = {where for expected in PDF_EXPECTATIONS.values() for _, where in expected.findings}
    assert {
        "catalog /OpenAction",
        "catalog /AA /WC",
        "catalog /Names /JavaScript",
        "catalog /Names /EmbeddedFiles",
        "catalog /AcroForm /XFA",
        "page 1 /AA /O",
        "page 1 annotation 1",
        "page 1 annotation 1 /A",
        "page 1 annotation 1 /AA /D",
        "form field 'total' /AA /C",
    } <= places


def test_clean_pdfs_have_pages_and_nothing_refused() -> None:
    for name, data in corpus.clean_pdfs().items():
        facts = inspect_pdf(data)
        assert facts.readable and not facts.encrypted and facts.pages >= 1, name
        assert facts.refused_content == (), name
    assert inspect_pdf(corpus.pdf_case("clean_two_pages.pdf")).pages == 2


def test_the_nesting_bomb_comes_back_unreadable_not_as_an_exception() -> None:
    data = corpus.pdf_case("nesting_50000_arrays.pdf")
    for isolated in (True, False):
        facts = inspect_pdf(data, budget=Budget(seconds=10), isolated=isolated)
        assert facts.error == "objects are nested too deeply (or refer to themselves) to be read"


def test_the_time_limit_kills_a_slow_parse() -> None:
    facts = inspect_pdf(corpus.pdf_case("object_count_bomb.pdf"), budget=Budget(seconds=0.05))
    assert facts.error == "checking took longer than 0.05 seconds"


def test_the_in_process_walk_has_a_deadline_too() -> None:
    facts = inspect_pdf(corpus._many_objects(2_000), budget=Budget(seconds=0), isolated=False)
    assert facts.error == "checking took longer than 0 seconds"


def test_the_memory_cap_holds() -> None:
    facts = inspect_pdf(
        corpus.pdf_case("object_count_bomb.pdf"), budget=Budget(memory_bytes=16 * 1024 * 1024)
    )
    assert facts.error == "the file needs more memory to read than the checker allows"


def test_a_budget_of_objects() -> None:
    facts = inspect_pdf(corpus.pdf_case("clean_with_outline.pdf"), budget=Budget(objects=10))
    assert facts.error == "too many objects to check (more than 10)"


def test_mangled_pdfs_never_raise() -> None:
    rng = random.Random(7)
    originals = [corpus.pdf_case("kitchen_sink.pdf"), corpus.pdf_case("js_in_object_stream.pdf")]
    for original in originals:
        for cut in range(0, len(original), 17):
            assert isinstance(inspect_pdf(original[:cut], isolated=False), PdfFacts)
        for _ in range(150):
            mangled = bytearray(original)
            for _ in range(rng.randint(1, 8)):
                mangled[rng.randrange(len(mangled))] = rng.choice(b"[]<>()/\\0R 9\n\xff")
            assert isinstance(inspect_pdf(bytes(mangled), isolated=False), PdfFacts)


def test_a_dead_helper_is_replaced() -> None:
    data = corpus.pdf_case("clean_two_pages.pdf")
    assert inspect_pdf(data).readable
    helper = inspect._WORKER._process
    assert helper is not None
    os.kill(helper.pid, signal.SIGKILL)
    helper.wait()
    assert inspect_pdf(data).pages == 2
    assert inspect._WORKER._process is not helper


def test_without_a_helper_it_checks_in_process(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(inspect, "_WORKER", inspect._Worker())
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    with caplog.at_level(logging.WARNING, logger=inspect.__name__):
        facts = inspect_pdf(corpus.pdf_case("action_javascript_in_catalog_openaction.pdf"))
    assert [(item.kind, item.where) for item in facts.active_content] == [
        (ActiveContentKind.JAVASCRIPT, "catalog /OpenAction")
    ]
    assert "runs in-process" in caplog.text


def test_the_isolated_check_needs_no_multiprocessing_primitives() -> None:
    """AWS Lambda has no /dev/shm: multiprocessing's locks and queues fail there. We do not use them."""
    script = textwrap.dedent(
        """
        import sys
        sys.modules["multiprocessing"] = None  # any import of it now fails
        sys.modules["_multiprocessing"] = None
        from chalicelib.pdf.inspect import inspect_pdf
        from tests.hostile import corpus
        facts = inspect_pdf(corpus.pdf_case("action_launch_in_link_annotation.pdf"))
        print(facts.active_content[0].kind.value, facts.active_content[0].where)
        """
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "functions"), str(ROOT)])}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "launch page 1 annotation 1 /A"


def test_answers_from_the_child_are_checked() -> None:
    assert inspect._decode(b"not json").error is not None
    assert inspect._decode(b'{"encrypted": 1, "pages": 1, "error": null, "active": []}').error is not None
    bad_kind = b'{"encrypted": false, "pages": 1, "error": null, "active": [["macro", "x"]]}'
    assert inspect._decode(bad_kind).error is not None
    good = PdfFacts(
        encrypted=False, pages=3, active_content=(inspect.ActiveContent(ActiveContentKind.URI, "x"),)
    )
    assert inspect._decode(inspect._encode(good)) == good


def test_every_kind_has_a_thai_and_an_english_label() -> None:
    for kind in ActiveContentKind:
        assert kind.label_th and kind.label_en
        assert kind.refused is (kind is not ActiveContentKind.URI)


# --------------------------------------------------------------------------------------------------
# Images


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning", "ignore:Corrupt EXIF data")
@pytest.mark.parametrize("name", sorted(IMAGE_EXPECTATIONS))
def test_image(name: str) -> None:
    reason = verify_image(corpus.image_case(name), corpus.declared_type(name))
    expected = IMAGE_EXPECTATIONS[name]
    if expected is None:
        assert reason is None
    else:
        assert reason is not None and expected in reason, reason


def test_only_png_jpeg_and_tiff_are_images() -> None:
    png = corpus.image_case("clean_rgb.png")
    assert verify_image(png, "image/gif") == "image/gif is not an image type accepted here"
    assert verify_image(png, "application/pdf") is not None


@pytest.mark.filterwarnings("ignore")
def test_mangled_images_never_raise() -> None:
    rng = random.Random(11)
    for name in ("clean_rgb.png", "clean_progressive_with_exif.jpg", "clean_lzw_two_pages.tif"):
        original = corpus.image_case(name)
        declared = corpus.declared_type(name)
        for cut in range(0, len(original), max(1, len(original) // 60)):
            assert verify_image(original[:cut], declared) is not None
        for _ in range(150):
            mangled = bytearray(original)
            for _ in range(rng.randint(1, 6)):
                mangled[rng.randrange(len(mangled))] = rng.randrange(256)
            result = verify_image(bytes(mangled), declared)
            assert result is None or isinstance(result, str)


# --------------------------------------------------------------------------------------------------
# The corpus itself


def test_corpus_names_are_file_names_with_a_declared_type() -> None:
    names = [*PDF_EXPECTATIONS, *IMAGE_EXPECTATIONS]
    assert len(names) == len(set(names))
    for name in names:
        assert corpus.declared_type(name) in {"application/pdf", "image/png", "image/jpeg", "image/tiff"}
        assert name == Path(name).name and " " not in name


def test_the_corpus_writes_files(tmp_path: Path) -> None:
    written = corpus.write_corpus(tmp_path, ["kids_cycle.pdf", "png_trailing_script.png"])
    assert [path.name for path in written] == ["kids_cycle.pdf", "png_trailing_script.png"]
    assert written[0].read_bytes() == corpus.pdf_case("kids_cycle.pdf")
    lines = (tmp_path / "expectations.txt").read_text(encoding="utf-8").splitlines()
    assert lines == [
        "kids_cycle.pdf\tapplication/pdf\tunreadable (page tree)",
        "png_trailing_script.png\timage/png\trefused (after the image end)",
    ]
