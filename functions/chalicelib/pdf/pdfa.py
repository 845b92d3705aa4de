"""Letters as PDF/A-2b (ISO 19005-2, level B): archival PDF with its metadata, colour and fonts in the file.

    pdf = make_pdfa(letter.pdf, title=content.subject, author=signer_name, created=now)

``make_pdfa`` rewrites an unsigned draft (as :func:`chalicelib.pdf.letters.render_letter` writes it) in
full with pyHanko's writer (:func:`pyhanko.pdf_utils.writer.copy_into_new_writer`) and adds what
PDF/A-2b asks of it:

* an XMP metadata stream on the catalog (uncompressed, as 6.6.2.1 requires), with ``pdfaid:part`` 2 and
  ``pdfaid:conformance`` B, ``dc:title`` (the Thai title, ``x-default``), ``dc:creator``,
  ``dc:description`` (the subject), ``dc:format``, ``pdf:Keywords`` (written here: pyHanko 0.38 would
  write it as ``pdf:keywords``, which no PDF/A schema defines), ``xmp:CreatorTool``,
  ``xmp:CreateDate``, ``xmp:ModifyDate`` and ``pdf:Producer``;
* a document information dictionary that says the same (6.6.2.3.1: every Info entry present equals its
  XMP counterpart): /Title, /Author, /Subject, /Keywords, /Creator, /CreationDate, /Producer. There is
  no /ModDate on purpose: pyHanko sets ``xmp:ModifyDate`` on every write, and it updates the Info
  dictionary's entries only where they exist, so an absent /ModDate can never disagree with the XMP,
  neither here nor after the signing service's incremental update;
* an /OutputIntents array with one /GTS_PDFA1 output intent whose destination profile is sRGB (ICC v4,
  device class ``mntr``, N=3), made by Little CMS through Pillow rather than shipped as a file. It makes
  the DeviceRGB and DeviceGray the letter draws with (text, the red urgency line, the emblem and its
  soft mask) device-independent (6.2.4.3);
* a new document ID in the trailer (6.1.3), a classic cross-reference table, no encryption.

The signature field reserved by the renderer survives the rewrite with its appearance, so the letter
is signed afterwards exactly as before: pyHanko's incremental writer keeps the XMP (it updates
``xmp:ModifyDate`` in it) and the Info dictionary in step, and the fonts the signing service draws
with are embedded. A signed input is refused: a full rewrite would break its signatures.

What is refused rather than repaired (``PdfaError``), because a letter never carries it and silently
dropping it would change the document: encryption, a font that is not embedded (6.2.11.4.1), JavaScript
and the other forbidden actions (Launch, Sound, Movie, ResetForm, ImportData, Hide, SetOCGState,
Rendition, Trans, GoTo3DView: 6.5.1), additional-actions (/AA) dictionaries (6.5.2), embedded files,
XFA forms, 3D/Sound/Screen/Movie/FileAttachment annotations, annotations without an appearance,
streams that refer to external files or use LZW (6.1.7), image alternates and OPI, PostScript
XObjects, transfer functions and halftones in graphics states, and any DeviceCMYK colour space named
in a resource (the output intent is RGB). Repaired: annotation flags (Print set; Hidden, Invisible,
NoView and ToggleNoView cleared, 6.3.2), image /Interpolate true (6.2.8), a /NeedAppearances flag
(6.4.1), an existing non-PDF/A XMP stream (replaced).

Not done here: the content streams' operators are not parsed (the renderer draws with ``rg``/``g``
only, so no ``k``/``K`` CMYK operator appears; the tests check that), glyph widths are not compared
with the font programs (6.2.11.5; the shaped-font engine writes /W from the font's own advances), and
the document is not tagged (level A): tagging needs marked content in the page content, which belongs
in the renderer's canvas.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import datetime
from io import BytesIO
from typing import Final

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.metadata import model
from pyhanko.pdf_utils.metadata.xmp_xml import MetadataStream
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import PdfFileWriter, copy_into_new_writer

PDFA_PART: Final = 2
PDFA_CONFORMANCE: Final = "B"
CREATOR_TOOL: Final = "e-Office สารบรรณอิเล็กทรอนิกส์"
OUTPUT_CONDITION: Final = "sRGB IEC61966-2.1"
PDFAID_PART: Final = model.ExpandedName(ns=model.NS["pdfaid"], local_name="part")
DC_FORMAT: Final = model.ExpandedName(ns=model.NS["dc"], local_name="format")
PDF_KEYWORDS: Final = model.ExpandedName(ns=model.NS["pdf"], local_name="Keywords")
PDFAID_CONFORMANCE: Final = model.ExpandedName(ns=model.NS["pdfaid"], local_name="conformance")

# ISO 19005-2 6.5.1: action types that shall not be used.
FORBIDDEN_ACTIONS: Final = frozenset(
    {
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
)
# 6.3.1: not permitted in PDF/A-2 (FileAttachment only with a PDF/A attachment: refused here too).
FORBIDDEN_ANNOTATIONS: Final = frozenset(
    {"/3D", "/Sound", "/Screen", "/Movie", "/FileAttachment", "/RichMedia"}
)
ANNOTATION_TYPES: Final = frozenset(
    {
        "/Text",
        "/Link",
        "/FreeText",
        "/Line",
        "/Square",
        "/Circle",
        "/Polygon",
        "/PolyLine",
        "/Highlight",
        "/Underline",
        "/Squiggly",
        "/StrikeOut",
        "/Stamp",
        "/Caret",
        "/Ink",
        "/Popup",
        "/FileAttachment",
        "/Sound",
        "/Movie",
        "/Widget",
        "/Screen",
        "/PrinterMark",
        "/TrapNet",
        "/Watermark",
        "/3D",
        "/Redact",
        "/RichMedia",
    }
)
_FONT_FILES: Final = ("/FontFile", "/FontFile2", "/FontFile3")
# annotation flags (ISO 32000-1 12.5.3)
_INVISIBLE, _HIDDEN, _PRINT, _NO_VIEW, _TOGGLE_NO_VIEW = 1, 2, 4, 32, 256


class PdfaError(ValueError):
    """The PDF cannot be made PDF/A-2b as it is (the message says what is in the way)."""


def make_pdfa(
    pdf: bytes,
    *,
    title: str,
    author: str,
    subject: str = "",
    created: datetime,
    keywords: str = "",
) -> bytes:
    """The unsigned ``pdf`` rewritten as PDF/A-2b, with these document metadata (see the module doc).

    ``created`` must carry its time zone (the XMP and Info dates both say it); microseconds are dropped.
    Raises :class:`PdfaError` for what cannot be made conformant and for an unreadable or signed input.
    """
    if created.tzinfo is None or created.utcoffset() is None:
        raise PdfaError("the creation date needs a time zone")
    if not title.strip():
        raise PdfaError("a PDF/A letter needs a title")
    if not author.strip():
        raise PdfaError("a PDF/A letter needs an author")
    created = created.replace(microsecond=0)
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        if reader.encrypted:
            raise PdfaError("the PDF is encrypted: PDF/A allows no encryption")
        _refuse_signed(reader)
        info = generic.DictionaryObject()
        writer = copy_into_new_writer(reader, {"info": info})
    except PdfaError:
        raise
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise PdfaError(f"the PDF cannot be read: {exc}") from exc
    _conform_objects(writer)
    root = writer.root
    root.pop("/Metadata", None)  # a fresh XMP packet (below), with only the schemas PDF/A predefines
    acro_form = _get(root, "/AcroForm")
    if isinstance(acro_form, generic.DictionaryObject):
        if "/XFA" in acro_form:
            raise PdfaError("the form is an XFA form")
        acro_form.pop("/NeedAppearances", None)
    names = _get(root, "/Names")
    if isinstance(names, generic.DictionaryObject):
        for key in ("/EmbeddedFiles", "/JavaScript"):
            if key in names:
                raise PdfaError(f"the catalog's name tree has {key}")
    root[generic.NameObject("/OutputIntents")] = generic.ArrayObject([_output_intent(writer)])
    _set_metadata(writer, info, title, author, subject, created, keywords)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _refuse_signed(reader: PdfFileReader) -> None:
    if reader.embedded_signatures:
        raise PdfaError("the PDF is signed: make it PDF/A before signing (a rewrite breaks signatures)")


def _set_metadata(
    writer: PdfFileWriter,
    info: generic.DictionaryObject,
    title: str,
    author: str,
    subject: str,
    created: datetime,
    keywords: str,
) -> None:
    """The Info dictionary and the XMP, the same values in both (pyHanko writes the XMP from ``meta``)."""
    entries: dict[str, str] = {"/Title": title, "/Author": author, "/Creator": CREATOR_TOOL}
    if subject:
        entries["/Subject"] = subject
    if keywords:
        entries["/Keywords"] = keywords
    for key, value in entries.items():
        info[generic.NameObject(key)] = generic.TextStringObject(value)
    info[generic.NameObject("/CreationDate")] = generic.pdf_date(created)
    info[generic.NameObject("/Producer")] = generic.TextStringObject(model.VENDOR)
    meta = writer.document_meta
    meta.title = title
    meta.author = author
    meta.subject = subject or None
    # pyHanko writes meta.keywords as "pdf:keywords", which is not the PDF schema's property: the
    # Keywords go in ourselves, as "pdf:Keywords" (meta.keywords stays empty, so pyHanko leaves the
    # Info entry alone, here and when the letter is signed).
    meta.keywords = []
    meta.creator = CREATOR_TOOL
    meta.created = created
    # The properties pyHanko does not manage start the packet; pyHanko merges its own into the same
    # rdf:Description when it writes (and again when the signing service writes its revision). One
    # Description with dc:format as an attribute declares every namespace on the Description itself,
    # which stricter XMP readers (PDFBox's xmpbox) need.
    fields = [
        (PDFAID_PART, model.XmpValue(str(PDFA_PART))),
        (PDFAID_CONFORMANCE, model.XmpValue(PDFA_CONFORMANCE)),
        (DC_FORMAT, model.XmpValue("application/pdf")),
    ]
    if keywords:
        fields.append((PDF_KEYWORDS, model.XmpValue(keywords)))
    packet = MetadataStream.from_xmp([model.XmpStructure.of(*fields)])
    writer.root[generic.NameObject("/Metadata")] = writer.add_object(packet)


@functools.cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile (v4, ``mntr``, RGB), made by Little CMS through Pillow."""
    from PIL import ImageCms

    profile: bytes = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return profile


def _output_intent(writer: PdfFileWriter) -> generic.DictionaryObject:
    profile = generic.StreamObject(
        {generic.NameObject("/N"): generic.NumberObject(3)}, stream_data=srgb_profile()
    )
    profile.compress()
    return generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/OutputIntent"),
            generic.NameObject("/S"): generic.NameObject("/GTS_PDFA1"),
            generic.NameObject("/OutputConditionIdentifier"): generic.TextStringObject(OUTPUT_CONDITION),
            generic.NameObject("/RegistryName"): generic.TextStringObject("http://www.color.org"),
            generic.NameObject("/Info"): generic.TextStringObject(OUTPUT_CONDITION),
            generic.NameObject("/DestOutputProfile"): writer.add_object(profile),
        }
    )


def _get(obj: generic.DictionaryObject, key: str) -> generic.PdfObject | None:
    """``obj[key]`` with references resolved (``dict.get`` would not resolve them), or None."""
    try:
        value: generic.PdfObject = obj[key]
    except KeyError:
        return None
    return value


def _name(obj: generic.DictionaryObject, key: str) -> str | None:
    """The name at ``key`` (as ``"/Name"``), or None if there is none or it is not a name."""
    value = _get(obj, key)
    return str(value) if isinstance(value, generic.NameObject) else None


def _dictionaries(writer: PdfFileWriter) -> Iterator[generic.DictionaryObject]:
    """Every dictionary in the file (stream dictionaries too), direct ones inside others included."""
    stack: list[generic.PdfObject] = list(writer.objects.values())
    while stack:
        obj = stack.pop()
        if isinstance(obj, generic.DictionaryObject):  # StreamObject is one
            yield obj
            stack.extend(obj.values())
        elif isinstance(obj, generic.ArrayObject):
            stack.extend(obj)


def _conform_objects(writer: PdfFileWriter) -> None:
    for obj in _dictionaries(writer):
        _refuse_actions(obj)
        if isinstance(obj, generic.StreamObject):
            _check_stream(obj)
        kind = _name(obj, "/Type")
        subtype = _name(obj, "/Subtype")
        if kind == "/Font" or subtype in ("/Type0", "/Type1", "/MMType1", "/TrueType", "/CIDFontType0"):
            _check_font(obj)
        if kind == "/Annot" or (kind is None and "/Rect" in obj and subtype in ANNOTATION_TYPES):
            _conform_annotation(obj)
        if kind == "/ExtGState" or "/TR" in obj or "/HTP" in obj:
            _check_graphics_state(obj)
        interpolate = _get(obj, "/Interpolate")
        if subtype == "/Image" and isinstance(interpolate, generic.BooleanObject) and interpolate.value:
            obj[generic.NameObject("/Interpolate")] = generic.BooleanObject(False)
        for key in ("/Alternates", "/OPI", "/PS"):
            if key in obj and (kind == "/XObject" or subtype in ("/Image", "/Form")):
                raise PdfaError(f"an XObject has {key}")
        if subtype == "/PS":
            raise PdfaError("a PostScript XObject")
        _refuse_cmyk(obj)


def _refuse_actions(obj: generic.DictionaryObject) -> None:
    if _name(obj, "/S") in FORBIDDEN_ACTIONS:
        raise PdfaError(f"a {_name(obj, '/S')} action")
    if "/JS" in obj:
        raise PdfaError("JavaScript")
    if "/AA" in obj:
        raise PdfaError("an additional-actions (/AA) dictionary")


def _check_stream(stream: generic.StreamObject) -> None:
    for key in ("/F", "/FFilter", "/FDecodeParms"):
        if key in stream:
            raise PdfaError(f"a stream with {key} (an external file)")
    filters = _get(stream, "/Filter")
    names = filters if isinstance(filters, generic.ArrayObject) else [filters]
    if any(name in ("/LZWDecode", "/LZW") for name in names):
        raise PdfaError("an LZW-compressed stream")


def _check_font(font: generic.DictionaryObject) -> None:
    """6.2.11.4.1: the font program of every font (Type 3 excepted) is embedded."""
    subtype = _name(font, "/Subtype")
    if subtype == "/Type3":
        return
    if subtype == "/Type0":
        descendants = _get(font, "/DescendantFonts")
        if not isinstance(descendants, generic.ArrayObject) or len(descendants) != 1:
            raise PdfaError(f"composite font {_get(font, '/BaseFont')} has no descendant font")
        return  # the descendant is a dictionary of its own: it is checked when the walk reaches it
    if subtype not in ("/Type1", "/MMType1", "/TrueType", "/CIDFontType0", "/CIDFontType2"):
        return
    descriptor = _get(font, "/FontDescriptor")
    if not isinstance(descriptor, generic.DictionaryObject) or not any(
        key in descriptor for key in _FONT_FILES
    ):
        raise PdfaError(f"font {_get(font, '/BaseFont')} is not embedded")
    if subtype == "/CIDFontType2" and "/CIDToGIDMap" not in font:
        raise PdfaError(f"CIDFontType2 font {_get(font, '/BaseFont')} has no /CIDToGIDMap")  # 6.2.11.3.2


def _conform_annotation(annot: generic.DictionaryObject) -> None:
    subtype = _name(annot, "/Subtype")
    if subtype in FORBIDDEN_ANNOTATIONS:
        raise PdfaError(f"a {subtype} annotation")
    flags = _get(annot, "/F")
    value = int(flags) if isinstance(flags, int) else 0
    fixed = (value | _PRINT) & ~(_INVISIBLE | _HIDDEN | _NO_VIEW | _TOGGLE_NO_VIEW)
    if fixed != value or flags is None:
        annot[generic.NameObject("/F")] = generic.NumberObject(fixed)
    if subtype in ("/Popup", "/Link"):
        return
    rect = _get(annot, "/Rect")
    has_area = (
        isinstance(rect, generic.ArrayObject) and len(rect) == 4 and rect[0] != rect[2] and rect[1] != rect[3]
    )
    appearance = _get(annot, "/AP")
    if has_area and not isinstance(appearance, generic.DictionaryObject):
        raise PdfaError(f"a {subtype} annotation without an appearance")  # 6.3.3
    if isinstance(appearance, generic.DictionaryObject) and set(appearance.keys()) != {"/N"}:
        raise PdfaError(f"a {subtype} annotation whose appearance has more than /N")  # 6.3.3


def _check_graphics_state(state: generic.DictionaryObject) -> None:
    if "/TR" in state:
        raise PdfaError("a graphics state with a transfer function (/TR)")
    if "/TR2" in state and _name(state, "/TR2") != "/Default":
        raise PdfaError("a graphics state with a transfer function (/TR2)")
    for key in ("/HTP", "/HTO"):
        if key in state:
            raise PdfaError(f"a graphics state with {key}")
    halftone = _get(state, "/HT")
    if isinstance(halftone, generic.DictionaryObject) and _get(halftone, "/HalftoneType") not in (
        generic.NumberObject(1),
        generic.NumberObject(5),
    ):
        raise PdfaError("a halftone other than types 1 and 5")


def _refuse_cmyk(obj: generic.DictionaryObject) -> None:
    """The output intent is RGB: a DeviceCMYK colour space (6.2.4.3) would need a CMYK one."""
    for value in obj.values():
        if value == "/DeviceCMYK" or (
            isinstance(value, generic.ArrayObject) and any(item == "/DeviceCMYK" for item in value)
        ):
            raise PdfaError("a DeviceCMYK colour space (the output intent is sRGB)")
