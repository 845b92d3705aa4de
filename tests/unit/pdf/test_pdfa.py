"""Letters made PDF/A-2b by chalicelib.pdf.pdfa, checked clause by clause and signed afterwards.

No full PDF/A validator installs here (veraPDF is a Java application outside the package registries this
project reaches). ``pdfa_findings`` below is a focused check, read with pypdf (not the pyHanko writer
that made the file), of the ISO 19005-2 level B clauses ``make_pdfa`` is responsible for: header
(6.1.2), trailer ID and no encryption (6.1.3), streams (6.1.7), the XMP packet and its pdfaid schema
(6.6.2, 6.6.4), Info and XMP agreeing (6.6.2.3.1), the output intent and its ICC profile (6.2.3), no
CMYK without a CMYK intent (6.2.4.3), every font embedded (6.2.11.4.1, 6.2.11.3.2), annotations
(6.3.2, 6.3.3), no forbidden actions or /AA (6.5), no NeedAppearances (6.4.1). It is not a validator:
glyph widths, content-stream limits, ICC profile contents beyond the header and XMP value types are
not checked.

Where Apache PDFBox Preflight is installed (Debian: ``libpdfbox2-java libactivation-java
libjaxb-api-java`` and a Java runtime), a second test runs it. Preflight validates PDF/A-1b only, so
the test accepts exactly the findings where PDF/A-1 is stricter than PDF/A-2 and nothing else.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdf
import pytest
from chalicelib.pdf.letters import RenderedLetter, render_letter
from chalicelib.pdf.pdfa import PdfaError, make_pdfa
from fpdf import FPDF
from lxml import etree
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

from tests.unit.pdf.conftest import squash
from tests.unit.pdf.test_letters import _emblem, external, long_letter, memo

BANGKOK = ZoneInfo("Asia/Bangkok")
CREATED = datetime(2026, 11, 21, 9, 30, 15, 123456, tzinfo=BANGKOK)
TITLE = "ขอเชิญประชุมชี้แจงแนวทางการใช้งานระบบสารบรรณอิเล็กทรอนิกส์"
AUTHOR = "นายสมชาย ใจดี"
NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}
FORBIDDEN_ACTIONS = {
    "/Launch",
    "/Sound",
    "/Movie",
    "/ResetForm",
    "/ImportData",
    "/JavaScript",
    "/Hide",
    "/SetOCGState",
    "/Rendition",
    "/Trans",
    "/GoTo3DView",
}
CMYK_OPERATORS = {b"k", b"K"}


# -- the focused check ---------------------------------------------------------------------------------


def pdfa_findings(pdf: bytes) -> list[str]:
    """What keeps ``pdf`` from PDF/A-2b among the clauses listed in the module doc (empty: none found)."""
    found: list[str] = []
    if not re.match(rb"%PDF-1\.[0-7]\r?\n%[\x80-\xff]{4}", pdf):
        found.append("6.1.2 header: %PDF-1.n then a comment of at least 4 bytes above 127")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    trailer = reader.trailer
    if "/Encrypt" in trailer:
        found.append("6.1.3 encrypted")
    ids = trailer.get("/ID")
    if not isinstance(ids, ArrayObject) or len(ids) != 2 or not all(len(_raw(v)) >= 16 for v in ids):
        found.append("6.1.3 trailer /ID missing")
    root = reader.trailer["/Root"].get_object()
    found += _xmp_findings(reader, root)
    found += _output_intent_findings(root)
    for obj in _reachable(trailer):
        found += _object_findings(obj)
    for page_number, page in enumerate(reader.pages, start=1):
        found += _content_findings(page, f"page {page_number}")
    acro_form = root.get("/AcroForm")
    if acro_form is not None and acro_form.get_object().get("/NeedAppearances") is True:
        found.append("6.4.1 /NeedAppearances true")
    return found


def _raw(string: object) -> bytes:
    """A PDF string's bytes (pypdf reads an ID as text when its bytes happen to decode)."""
    return string if isinstance(string, bytes) else string.get_original_bytes()  # type: ignore[attr-defined]


def _reachable(start: DictionaryObject) -> Iterator[DictionaryObject]:
    """Every dictionary reachable from the trailer (but the trailer itself), each object once."""
    seen: set[tuple[int, int]] = set()
    stack: list[object] = [value for key, value in start.items() if key != "/Encrypt"]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):  # a StreamObject is one
            yield obj
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)


def _xmp_findings(reader: pypdf.PdfReader, root: DictionaryObject) -> list[str]:
    if "/Metadata" not in root:
        return ["6.6.2.1 no XMP metadata stream on the catalog"]
    stream = root["/Metadata"].get_object()
    found = []
    if stream.get("/Type") != "/Metadata" or stream.get("/Subtype") != "/XML":
        found.append("6.6.2.1 metadata stream is not /Type /Metadata /Subtype /XML")
    if "/Filter" in stream:
        found.append("6.6.2.1 metadata stream is filtered")
    packet = stream.get_data()
    header = re.match(rb"<\?xpacket ([^?]*)\?>", packet)
    if header is None or b"bytes=" in header.group(1) or b"encoding=" in header.group(1):
        found.append("6.6.2.1 xpacket header missing, or with bytes/encoding attributes")
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        tree = etree.fromstring(packet, parser)
    except etree.XMLSyntaxError as exc:
        return [*found, f"6.6.2.1 XMP does not parse: {exc}"]
    xmp = _xmp_values(tree)
    if xmp.get("pdfaid:part") != "2" or xmp.get("pdfaid:conformance") != "B":
        found.append(
            f"6.6.4 pdfaid part/conformance {xmp.get('pdfaid:part')}/{xmp.get('pdfaid:conformance')}"
        )
    info = reader.trailer.get("/Info")
    info = info.get_object() if info is not None else {}
    pairs = {
        "/Title": "dc:title",
        "/Author": "dc:creator",
        "/Subject": "dc:description",
        "/Keywords": "pdf:Keywords",
        "/Creator": "xmp:CreatorTool",
        "/Producer": "pdf:Producer",
    }
    for key, prop in pairs.items():
        if key in info and str(info[key]) != xmp.get(prop):
            found.append(f"6.6.2.3.1 Info {key} {str(info[key])!r} != XMP {prop} {xmp.get(prop)!r}")
    for key, prop in {"/CreationDate": "xmp:CreateDate", "/ModDate": "xmp:ModifyDate"}.items():
        if key in info and (
            prop not in xmp or _pdf_date(str(info[key])) != datetime.fromisoformat(xmp[prop])
        ):
            found.append(f"6.6.2.3.1 Info {key} {str(info[key])!r} != XMP {prop} {xmp.get(prop)!r}")
    return found


def _xmp_values(tree: etree._Element) -> dict[str, str]:
    """Simple properties (attributes or elements), the x-default of Alt arrays, the sole item of a Seq."""
    values: dict[str, str] = {}
    prefixes = {uri: prefix for prefix, uri in NS.items()}

    def qualified(tag: str) -> str | None:
        match = re.fullmatch(r"\{(.*)\}(.*)", tag)
        if match is None or match.group(1) not in prefixes:
            return None
        return f"{prefixes[match.group(1)]}:{match.group(2)}"

    for description in tree.iter(f"{{{NS['rdf']}}}Description"):
        for attr, value in description.attrib.items():
            name = qualified(str(attr))
            if name is not None and not name.startswith("rdf:"):
                values[name] = str(value)
        for child in description:
            name = qualified(str(child.tag))
            if name is None:
                continue
            items = child.findall("rdf:Alt/rdf:li", NS) or child.findall("rdf:Seq/rdf:li", NS)
            if child.find("rdf:Seq", NS) is not None and len(items) != 1:
                continue  # several authors: not comparable with one Info string
            alt = [i for i in items if i.get("{http://www.w3.org/XML/1998/namespace}lang") == "x-default"]
            chosen = alt[0] if alt else (items[0] if items else child)
            values[name] = chosen.text or ""
    return values


def _pdf_date(text: str) -> datetime:
    match = re.fullmatch(r"D:(\d{14})(Z|[+-]\d\d'\d\d'?)?", text)
    assert match is not None, text
    moment = datetime.strptime(match.group(1), "%Y%m%d%H%M%S")
    zone = match.group(2) or "Z"
    if zone == "Z":
        return moment.replace(tzinfo=UTC)
    offset = datetime.strptime(zone[:3] + zone[4:6], "%z").tzinfo
    return moment.replace(tzinfo=offset)


def _output_intent_findings(root: DictionaryObject) -> list[str]:
    intents = [i.get_object() for i in root.get("/OutputIntents", [])]
    pdfa = [i for i in intents if i.get("/S") == "/GTS_PDFA1"]
    if len(pdfa) != 1:
        return [f"6.2.3 {len(pdfa)} GTS_PDFA1 output intents"]
    profiles = {i.raw_get("/DestOutputProfile").idnum for i in intents if "/DestOutputProfile" in i}
    if len(profiles) > 1:
        return ["6.2.3 output intents with different destination profiles"]
    profile = pdfa[0]["/DestOutputProfile"].get_object()
    data = profile.get_data()
    found = []
    if profile.get("/N") != 3:
        found.append(f"6.2.3 ICC stream /N {profile.get('/N')}, not 3")
    if data[36:40] != b"acsp" or int.from_bytes(data[:4], "big") != len(data):
        found.append("6.2.3 not an ICC profile")
    if data[12:16] not in (b"mntr", b"prtr") or data[16:20] != b"RGB " or data[8] >= 5:
        found.append(f"6.2.3 ICC header class {data[12:16]!r} space {data[16:20]!r} version {data[8]}")
    if "/OutputConditionIdentifier" not in pdfa[0]:
        found.append("6.2.3 no /OutputConditionIdentifier")
    return found


def _object_findings(obj: DictionaryObject) -> list[str]:
    found = []
    if obj.get("/S") in FORBIDDEN_ACTIONS:
        found.append(f"6.5.1 {obj['/S']} action")
    for key in ("/JS", "/AA"):
        if key in obj:
            found.append(f"6.5 {key} entry")
    if isinstance(obj, StreamObject):
        for key in ("/F", "/FFilter", "/FDecodeParms"):
            if key in obj:
                found.append(f"6.1.7 stream with {key}")
        filters = obj.get("/Filter")
        if "/LZWDecode" in (filters if isinstance(filters, ArrayObject) else [filters]):
            found.append("6.1.7 LZW")
    for value in obj.values():
        if value == "/DeviceCMYK":
            found.append("6.2.4.3 DeviceCMYK with an RGB output intent")
    kind, subtype = obj.get("/Type"), obj.get("/Subtype")
    if kind == "/Font":
        found += _font_findings(obj, subtype)
    if kind == "/Annot" or subtype == "/Widget":
        found += _annotation_findings(obj, subtype)
    return found


def _font_findings(obj: DictionaryObject, subtype: object) -> list[str]:
    found = []
    if subtype in ("/Type1", "/MMType1", "/TrueType", "/CIDFontType0", "/CIDFontType2"):
        descriptor = obj.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            found.append(f"6.2.11.4.1 font {obj.get('/BaseFont')} not embedded")
        if subtype == "/CIDFontType2" and "/CIDToGIDMap" not in obj:
            found.append(f"6.2.11.3.2 {obj.get('/BaseFont')} has no /CIDToGIDMap")
    if subtype == "/Type0" and len(obj.get("/DescendantFonts", [])) != 1:
        found.append(f"6.2.11.3 {obj.get('/BaseFont')} without one descendant font")
    return found


def _annotation_findings(obj: DictionaryObject, subtype: object) -> list[str]:
    found = []
    flags = int(obj.get("/F", 0))
    if not flags & 4 or flags & (1 | 2 | 32 | 256):
        found.append(f"6.3.2 annotation flags {flags}")
    appearance = obj.get("/AP")
    if subtype not in ("/Popup", "/Link") and (
        appearance is None or set(appearance.get_object().keys()) != {"/N"}
    ):
        found.append(f"6.3.3 {subtype} annotation appearance {appearance}")
    return found


def _content_findings(holder: DictionaryObject, where: str, depth: int = 0) -> list[str]:
    """CMYK operators in a page's (or form's) content, then in the forms and appearances it uses."""
    found = []
    reader_stream = holder.get_contents() if isinstance(holder, pypdf.PageObject) else holder
    if reader_stream is not None:
        operations = ContentStream(reader_stream, None).operations
        for operands, operator in operations:
            if operator in CMYK_OPERATORS or (operator in (b"cs", b"CS") and operands[0] == "/DeviceCMYK"):
                found.append(f"6.2.4.3 {operator.decode()} in {where}")
    resources = holder.get("/Resources")
    resources = resources.get_object() if resources is not None else {}
    for name, ref in resources.get("/XObject", {}).items():
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Form" and depth < 8:
            found += _content_findings(xobject, f"{where} form {name}", depth + 1)
    for annot in holder.get("/Annots", []) if isinstance(holder, pypdf.PageObject) else []:
        normal = annot.get_object().get("/AP", {}).get("/N")
        if isinstance(normal, IndirectObject):
            found += _content_findings(normal.get_object(), f"{where} annotation", depth + 1)
    return found


# -- letters made PDF/A ----------------------------------------------------------------------------------


def pdfa_of(letter: RenderedLetter, **changes: object) -> bytes:
    arguments: dict[str, object] = {
        "title": TITLE,
        "author": AUTHOR,
        "subject": "หนังสือภายนอก",
        "created": CREATED,
        "keywords": "มท 0301/123",
    }
    arguments.update(changes)
    return make_pdfa(letter.pdf, **arguments)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def letters() -> dict[str, RenderedLetter]:
    return {
        "external": render_letter(external(emblem=_emblem("PNG"))),
        "memo": render_letter(memo()),
        "long": render_letter(long_letter(secrecy="secret", urgency="most_urgent", thai_numerals=True)),
    }


@pytest.fixture(scope="module")
def archived(letters: dict[str, RenderedLetter]) -> dict[str, bytes]:
    return {name: pdfa_of(letter) for name, letter in letters.items()}


def xmp_of(pdf: bytes) -> dict[str, str]:
    root = pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return _xmp_values(etree.fromstring(root["/Metadata"].get_object().get_data(), parser))


def info_of(pdf: bytes) -> dict[str, str]:
    info = pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Info"].get_object()
    return {key: str(value) for key, value in info.items()}


@pytest.mark.parametrize("name", ["external", "memo", "long"])
def test_a_letter_made_pdfa_passes_the_focused_check(archived: dict[str, bytes], name: str) -> None:
    assert pdfa_findings(archived[name]) == []


def test_the_check_finds_what_a_plain_letter_lacks(letters: dict[str, RenderedLetter]) -> None:
    findings = pdfa_findings(letters["external"].pdf)
    assert any(f.startswith("6.6.2.1 no XMP") for f in findings)
    assert any(f.startswith("6.2.3 0 GTS_PDFA1") for f in findings)


def test_the_metadata_says_the_same_in_xmp_and_info(archived: dict[str, bytes]) -> None:
    xmp, info = xmp_of(archived["external"]), info_of(archived["external"])
    assert xmp["pdfaid:part"] == "2" and xmp["pdfaid:conformance"] == "B"
    assert xmp["dc:title"] == info["/Title"] == TITLE
    assert xmp["dc:creator"] == info["/Author"] == AUTHOR
    assert xmp["dc:description"] == info["/Subject"] == "หนังสือภายนอก"
    assert xmp["pdf:Keywords"] == info["/Keywords"] == "มท 0301/123"
    assert xmp["pdf:Producer"] == info["/Producer"]
    assert datetime.fromisoformat(xmp["xmp:CreateDate"]) == CREATED.replace(microsecond=0)
    assert info["/CreationDate"] == "D:20261121093015+07'00'"
    assert "/ModDate" not in info and "xmp:ModifyDate" in xmp


def test_subject_and_keywords_are_optional(letters: dict[str, RenderedLetter]) -> None:
    pdf = pdfa_of(letters["memo"], subject="", keywords="")
    assert pdfa_findings(pdf) == []
    assert "/Subject" not in info_of(pdf) and "/Keywords" not in info_of(pdf)
    assert "dc:description" not in xmp_of(pdf) and "pdf:Keywords" not in xmp_of(pdf)


def test_the_text_and_the_signature_field_survive(
    letters: dict[str, RenderedLetter], archived: dict[str, bytes]
) -> None:
    for name, letter in letters.items():
        before = pypdf.PdfReader(io.BytesIO(letter.pdf))
        after = pypdf.PdfReader(io.BytesIO(archived[name]))
        assert len(after.pages) == len(before.pages) == letter.pages
        for old, new in zip(before.pages, after.pages, strict=True):
            assert squash(new.extract_text()) == squash(old.extract_text())
        assert squash(after.pages[0].extract_text())  # not empty
        fields = after.get_fields() or {}
        assert fields["Sig1"].get("/FT") == "/Sig" and "/V" not in fields["Sig1"]
    assert pypdf.PdfReader(io.BytesIO(archived["memo"])).trailer["/Root"]["/Lang"] == "th-TH"


def test_the_output_is_a_full_rewrite_with_a_new_document_id(
    letters: dict[str, RenderedLetter], archived: dict[str, bytes]
) -> None:
    old = pypdf.PdfReader(io.BytesIO(letters["memo"].pdf)).trailer["/ID"]
    new = pypdf.PdfReader(io.BytesIO(archived["memo"])).trailer["/ID"]
    assert _raw(new[0]) != _raw(old[0])
    assert archived["memo"].count(b"%%EOF") == 1


def test_making_pdfa_twice_still_passes(archived: dict[str, bytes]) -> None:
    again = make_pdfa(archived["memo"], title="บันทึก", author=AUTHOR, created=CREATED)
    assert pdfa_findings(again) == []
    assert xmp_of(again)["dc:title"] == "บันทึก"


# -- refused inputs --------------------------------------------------------------------------------------


def _helvetica_pdf() -> bytes:
    doc = FPDF(format="A4")
    doc.add_page()
    doc.set_font("helvetica", size=12)
    doc.cell(text="not embedded")
    return bytes(doc.output())


def _pypdf_rewrite(pdf: bytes, change: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    if change == "encrypt":
        writer.encrypt("secret", algorithm="AES-256")
    elif change == "javascript":
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
        )
    elif change == "launch":
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch")}
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("change", "message"),
    [("javascript", "JavaScript"), ("encrypt", "encrypted"), ("launch", "Launch")],
)
def test_active_content_and_encryption_are_refused(
    letters: dict[str, RenderedLetter], change: str, message: str
) -> None:
    with pytest.raises(PdfaError, match=message):
        make_pdfa(_pypdf_rewrite(letters["memo"].pdf, change), title=TITLE, author=AUTHOR, created=CREATED)


def test_a_font_that_is_not_embedded_is_refused() -> None:
    with pytest.raises(PdfaError, match="Helvetica is not embedded"):
        make_pdfa(_helvetica_pdf(), title=TITLE, author=AUTHOR, created=CREATED)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"created": datetime(2026, 11, 21, 9, 30)}, "time zone"),  # naive: refused
        ({"title": " "}, "title"),
        ({"author": ""}, "author"),
    ],
)
def test_bad_metadata_is_refused(
    letters: dict[str, RenderedLetter], changes: dict[str, object], message: str
) -> None:
    with pytest.raises(PdfaError, match=message):
        pdfa_of(letters["memo"], **changes)


def test_garbage_is_refused() -> None:
    with pytest.raises(PdfaError, match="cannot be read"):
        make_pdfa(b"%PDF-1.7\nnot really", title=TITLE, author=AUTHOR, created=CREATED)


# -- signing after make_pdfa -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def signing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, object, object]]:
    """A local test PKI (certomancer, in process), an in-memory signer and a signing service (B-B)."""
    from chalicelib.signing.key_signer import InMemoryKeySigner
    from chalicelib.signing.pades import PadesSigningService
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from devstack.pki import DEMO_AGENCIES, SignerKey, build_pki

    key = ec.generate_private_key(ec.SECP256R1())
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    cache = Path(os.environ.get("EOFFICE_PKI_CACHE") or tmp_path_factory.mktemp("pki-keys"))
    pki = build_pki(DEMO_AGENCIES, [SignerKey("moi-0201-pdfa", "moi-0201", AUTHOR, spki)], cache_dir=cache)
    signer = InMemoryKeySigner(key, pki.signer_cert("moi-0201-pdfa"), pki.signer_chain("moi-0201-pdfa"))
    with PadesSigningService(trust_roots=pki.trust_roots) as service:
        yield pki, signer, service


@pytest.fixture(scope="module")
def signed(archived: dict[str, bytes], signing: tuple[object, object, object]) -> bytes:
    from chalicelib.signing.appearance import SignatureBlock
    from chalicelib.signing.pades import PadesSigningService
    from chalicelib.signing.policy import PadesLevel

    _, signer, service = signing
    assert isinstance(service, PadesSigningService)
    block = SignatureBlock(AUTHOR, "ผู้อำนวยการกองกลาง")
    result = service.sign(archived["external"], signer, level=PadesLevel.B_B, field="Sig1", block=block)  # type: ignore[arg-type]
    pdf: bytes = result.pdf
    return pdf


def test_a_pdfa_letter_signs_and_validates(
    archived: dict[str, bytes], signed: bytes, signing: tuple[object, object, object]
) -> None:
    from chalicelib.signing.validation import validate_pdf

    pki = signing[0]
    assert signed.startswith(archived["external"])  # an incremental revision on the PDF/A letter
    (report,) = validate_pdf(signed, pki.trust_roots).signatures  # type: ignore[attr-defined]
    assert report.field_name == "Sig1"
    assert report.intact and report.valid and report.trusted
    assert report.coverage == "ENTIRE_FILE"


def test_the_signed_letter_is_still_pdfa(archived: dict[str, bytes], signed: bytes) -> None:
    assert pdfa_findings(signed) == []  # the signature's appearance fonts are embedded too
    before, after = xmp_of(archived["external"]), xmp_of(signed)
    assert after["pdfaid:part"] == "2" and after["dc:title"] == TITLE
    assert after["xmp:CreateDate"] == before["xmp:CreateDate"]
    assert info_of(signed)["/Producer"] == after["pdf:Producer"]


def test_a_signed_letter_is_refused(signed: bytes) -> None:
    with pytest.raises(PdfaError, match="signed"):
        make_pdfa(signed, title=TITLE, author=AUTHOR, created=CREATED)


# -- Apache PDFBox Preflight (PDF/A-1b), where it is installed -------------------------------------------

PREFLIGHT_JARS = (
    "preflight.jar",
    "pdfbox2.jar",
    "fontbox2.jar",
    "xmpbox.jar",
    "commons-logging.jar",
    "javax.activation.jar",
    "jaxb-api.jar",
)
# Where PDF/A-1 is stricter than PDF/A-2: ICC v4 output profile (A-1: v2 only), no CIDSet for a subset
# CID font (A-2: optional), a soft mask on the emblem (A-2 allows transparency), pdfaid:part 2.
PDFA1_ONLY = {"2.1.6", "3.1.11", "2.2.2", "7.11.2"}


def preflight_codes(pdf: bytes, tmp_path: Path) -> set[str]:
    java = shutil.which("java")
    jars = [Path("/usr/share/java") / jar for jar in PREFLIGHT_JARS]
    if java is None or not all(jar.exists() for jar in jars):
        pytest.skip("Apache PDFBox Preflight is not installed (Debian libpdfbox2-java and a JRE)")
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    run = subprocess.run(
        [java, "-cp", ":".join(map(str, jars)), "org.apache.pdfbox.preflight.Validator_A1b", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "is not a valid PDF/A-1b file" in run.stdout or "is a valid PDF/A-1b file" in run.stdout, (
        run.stdout
    )
    return set(re.findall(r"^(\d+(?:\.\d+)+) :", run.stdout, re.MULTILINE))


@pytest.mark.parametrize("name", ["external", "long"])
def test_preflight_finds_only_what_pdfa_2_allows(
    archived: dict[str, bytes], name: str, tmp_path: Path
) -> None:
    codes = preflight_codes(archived[name], tmp_path)
    assert codes <= PDFA1_ONLY, codes


def test_preflight_finds_what_a_plain_letter_lacks(
    letters: dict[str, RenderedLetter], tmp_path: Path
) -> None:
    codes = preflight_codes(letters["external"].pdf, tmp_path)
    assert codes - PDFA1_ONLY  # no output intent, no XMP: found


def test_preflight_on_the_signed_letter(signed: bytes, tmp_path: Path) -> None:
    codes = preflight_codes(signed, tmp_path)
    assert codes <= PDFA1_ONLY, codes
