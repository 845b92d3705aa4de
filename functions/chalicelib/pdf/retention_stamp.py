"""The retention stamp (ตรากำหนดเก็บ, ระเบียบงานสารบรรณ ข้อ 73) at the bottom right of page 1 of a record
sent to storage: "เก็บถึง พ.ศ. 2579", or "ห้ามทำลาย" in red for a record kept forever.

It is added the way the receipt stamp is (:mod:`chalicelib.pdf.receipt_stamp`, whose module doc says
why): ONE incremental update, the widget of a new read-only, unsigned signature field whose appearance
draws the box, so the page's content is untouched and the letter's signatures still validate (a new
field with an appearance is form filling, a permitted change). A certification or a field lock that
forbids the field raises :class:`~chalicelib.pdf.receipt_stamp.StampNotAllowed`; the caller then keeps
the record unstamped and says so.
"""

from __future__ import annotations

from io import BytesIO
from typing import Final

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError

from chalicelib.pdf.receipt_stamp import MM, StampNotAllowed, _not_allowed, _open
from chalicelib.pdf.stamp_errors import PdfStampError
from chalicelib.pdf.thai_text import BOLD_FONT, font_metrics, text_width

FIELD_NAME: Final = "RetentionStamp"
SIZE: Final = 14.0  # pt, bold
PADDING_X: Final = 3 * MM
HEIGHT: Final = 10 * MM
MARGIN: Final = 7 * MM  # from the bottom and right edges of the visible page
BLUE: Final = (0.05, 0.15, 0.55)
RED: Final = (0.8, 0.05, 0.05)  # ห้ามทำลาย is stamped in red

__all__ = ["StampNotAllowed", "stamp_retention"]


def stamp_retention(original_pdf: bytes, words: str, *, forever: bool) -> bytes:
    """Add the retention stamp with ``words`` to page 1 of ``original_pdf`` (module doc)."""
    from pyhanko.sign import fields

    from chalicelib.pdf import endorsement

    writer = _open(original_pdf)
    try:
        page_ref, _ = writer.find_page_for_modification(0)
        page = page_ref.get_object()
    except (PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError) as err:
        raise PdfStampError(f"cannot find page 1: {err}") from err
    taken = endorsement._field_names(writer)
    name = FIELD_NAME if FIELD_NAME not in taken else f"{FIELD_NAME}{len(taken) + 1}"
    try:
        endorsement._check_permissions(writer.prev, [name])
    except endorsement.EndorsementNotAllowed as err:
        raise _not_allowed(err.permission) from err
    geometry = endorsement._geometry(page, 1)
    width = text_width(words, font_path=BOLD_FONT, size_pt=SIZE) + 2 * PADDING_X
    right = max(width, geometry.width - MARGIN)
    rect = geometry.rect_to_user((right - width, MARGIN, right, MARGIN + HEIGHT))
    regular, bold, fonts = endorsement._font_engines(writer)
    del regular
    red, green, blue = RED if forever else BLUE
    shaped = bold.shape_line(words, SIZE)
    metrics = font_metrics(BOLD_FONT)
    ascent, descent = metrics.ascent(SIZE), metrics.descent(SIZE)
    baseline = (HEIGHT - ascent - descent) / 2 + descent  # the line centred in the box
    ops = [
        b"q %g %g %g RG %g %g %g rg 1 w" % (red, green, blue, red, green, blue),
        b"0.5 0.5 %.3f %.3f re S" % (width - 1, HEIGHT - 1),
        b"BT /F2 %g Tf 1 0 0 1 %.3f %.3f Tm %s ET" % (SIZE, PADDING_X, baseline, shaped.ops),
        b"Q",
    ]
    entries: dict[str, generic.PdfObject] = {
        "/Type": generic.NameObject("/XObject"),
        "/Subtype": generic.NameObject("/Form"),
        "/BBox": generic.ArrayObject(generic.FloatObject(round(v, 3)) for v in (0, 0, width, HEIGHT)),
        "/Resources": generic.DictionaryObject({generic.NameObject("/Font"): fonts}),
    }
    if geometry.form_matrix != (1.0, 0.0, 0.0, 1.0, 0.0, 0.0):
        entries["/Matrix"] = generic.ArrayObject(generic.NumberObject(int(v)) for v in geometry.form_matrix)
    form = generic.StreamObject(
        {generic.NameObject(key): value for key, value in entries.items()}, stream_data=b"\n".join(ops)
    )
    form.compress()
    try:
        _, field_ref = fields.prepare_sig_field(
            name,
            writer.root,
            update_writer=writer,
            existing_fields_only=False,
            box=tuple(round(v, 2) for v in rect),
            include_on_page=page_ref,
        )
    except (PdfError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise PdfStampError(f"cannot add the retention stamp field: {err}") from err
    widget = field_ref.get_object()
    widget[generic.NameObject("/Ff")] = generic.NumberObject(1)  # read-only: nobody signs into it
    widget[generic.NameObject("/TU")] = generic.TextStringObject(f"ตรากำหนดเก็บ {words}")
    widget[generic.NameObject("/AP")] = generic.DictionaryObject(
        {generic.NameObject("/N"): writer.add_object(form)}
    )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
