"""Is an uploaded image really the PNG, JPEG or TIFF it claims to be, and nothing more?

``verify_image`` checks the bytes twice. First the container structure, by hand: a PNG is its signature, a
run of chunks with correct checksums, and IEND as the very last bytes; a JPEG is a run of marker segments
and entropy-coded data from SOI to EOI. Nothing may follow the image: PNG magic followed by HTML, or a JPEG
with a ZIP archive appended, is refused. After a JPEG's EOI only further complete JPEG streams (the
Multi-Picture Format phones and cameras use for depth maps and previews) and padding (0x00/0xFF bytes,
which some cameras and scanners write) are allowed; a "motion photo" that appends a video is refused.
TIFF keeps its data wherever its offsets point, so there is no "end" to check: what is checked is that
the chain of image directories does not loop and stays inside the file, and that every strip and tile
does too (a TIFF cut short after its first page, or whose offsets lie, is refused).

Then Pillow (a runtime dependency: ``pillow==13.0.0``) opens the file with only the declared format's
plugin, ``verify()``s it, re-opens it and decodes every frame with ``load()``. Decompression bombs are
refused before decoding: more pixels than ``PIL.Image.MAX_IMAGE_PIXELS`` (Pillow's default, about 89.5
million: an A3 page scanned at 600 dpi fits) in any frame, or ten times that over all frames, or more than
1,000 frames. Pillow itself raises DecompressionBombError beyond twice the limit and only warns between
once and twice; here the warning's condition is an error too, checked explicitly rather than by changing
the process-wide warnings filters (which is not thread-safe).

Never raises for anything in ``data``: any failure is a short English reason.
"""

from __future__ import annotations

import struct
import zlib
from io import BytesIO
from typing import Final

MAX_FRAMES: Final = 1000
TOTAL_PIXELS_FACTOR: Final = 10  # all frames together: ten times the per-frame limit
_DEFAULT_MAX_PIXELS: Final = 89_478_485  # Pillow's default, if someone set MAX_IMAGE_PIXELS to None
_MAX_APPENDED_PICTURES: Final = 16  # Multi-Picture Format: primary image plus a few more

_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
_TIFF_SIGNATURES: Final = (b"II*\x00", b"MM\x00*")

# declared media type -> (label, Pillow formats to try, formats Pillow may report)
_TYPES: Final = {
    "image/png": ("PNG", ["PNG"], {"PNG"}),
    "image/jpeg": ("JPEG", ["JPEG"], {"JPEG", "MPO"}),
    "image/tiff": ("TIFF", ["TIFF"], {"TIFF"}),
}


class _Refused(Exception):
    """Why the image is refused (raised from deep in a parser, caught in ``verify_image``)."""


def verify_image(data: bytes, declared: str) -> str | None:
    """None when ``data`` is a structurally valid image of the ``declared`` media type, else why not."""
    known = _TYPES.get(declared)
    if known is None:
        return f"{declared[:60]} is not an image type accepted here"
    label, formats, reported = known
    try:
        _check_structure(data, label)
        _decode(data, label, formats, reported)
    except _Refused as refusal:
        return str(refusal)[:300]
    except Exception as error:  # a reason, never an exception, whatever the bytes
        return f"not a valid {label}: {type(error).__name__}: {error}"[:300]
    return None


def _check_structure(data: bytes, label: str) -> None:
    if label == "PNG" and not data.startswith(_PNG_SIGNATURE):
        raise _Refused("the content is not a PNG")
    if label == "JPEG" and not data.startswith(b"\xff\xd8\xff"):
        raise _Refused("the content is not a JPEG")
    if label == "TIFF" and not data.startswith(_TIFF_SIGNATURES):
        raise _Refused("the content is not a TIFF")
    try:
        if label == "PNG":
            _check_png(data)
        elif label == "JPEG":
            _check_jpeg(data)
        else:
            _check_tiff(data)
    except _Refused as refusal:
        raise _Refused(f"not a valid {label}: {refusal}") from None


def _check_png(data: bytes) -> None:
    view = memoryview(data)
    position, first = len(_PNG_SIGNATURE), True
    while True:
        if position + 12 > len(data):
            raise _Refused("truncated (it ends before the IEND chunk)")
        length, kind = struct.unpack_from(">I4s", data, position)
        end = position + 12 + length
        if length > 0x7FFFFFFF or end > len(data):
            raise _Refused("truncated (a chunk runs past the end of the file)")
        if not kind.isalpha() or (first and kind != b"IHDR"):
            raise _Refused("the chunk structure is broken")
        (checksum,) = struct.unpack_from(">I", data, end - 4)
        if zlib.crc32(view[position + 4 : end - 4]) != checksum:
            raise _Refused(f"bad checksum in the {kind.decode('ascii')} chunk")
        position, first = end, False
        if kind == b"IEND":
            break
    if position != len(data):
        raise _Refused(f"{len(data) - position:,} bytes of data after the image end (IEND)")


def _check_jpeg(data: bytes) -> None:
    end = _jpeg_end(data, 0)
    for _ in range(_MAX_APPENDED_PICTURES):
        position = end
        while position < len(data) and data[position] == 0:
            position += 1
        if not data.startswith(b"\xff\xd8", position):
            break
        end = _jpeg_end(data, position)
    rest = data[end:]
    if rest.strip(b"\x00\xff"):
        raise _Refused(f"{len(rest):,} bytes of data after the image end (EOI)")


def _jpeg_end(data: bytes, start: int) -> int:
    """The offset just past the EOI of the JPEG stream that starts (with SOI) at ``start``."""
    position = start + 2
    while True:
        marker, position = _next_marker(data, position)
        if marker == 0xD9:  # EOI
            return position
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # RSTn, TEM: no length
            continue
        if marker in (0x00, 0xD8):
            raise _Refused(f"unexpected marker 0xFF{marker:02X} at byte {position - 1:,}")
        if position + 2 > len(data):
            raise _Refused("truncated (in a marker segment)")
        (length,) = struct.unpack_from(">H", data, position)
        position += length
        if length < 2 or position > len(data):
            raise _Refused("truncated (a segment runs past the end of the file)")
        if marker == 0xDA:  # SOS: entropy-coded data up to the next marker
            position = _after_entropy_data(data, position)


def _next_marker(data: bytes, position: int) -> tuple[int, int]:
    """The marker at ``position`` (after any 0xFF fill bytes), and the offset just past it."""
    if position < len(data) and data[position] != 0xFF:
        raise _Refused(f"a marker is missing at byte {position:,}")
    while position < len(data) and data[position] == 0xFF:
        position += 1
    if position >= len(data):
        raise _Refused("truncated (no end-of-image marker)")
    return data[position], position + 1


def _after_entropy_data(data: bytes, position: int) -> int:
    """The offset of the first marker after entropy-coded data (FF00 and RSTn belong to the data)."""
    size = len(data)
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= size:
            raise _Refused("truncated (in the compressed image data)")
        following = data[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            position += 2
        elif following == 0xFF:
            position += 1
        else:
            return position


_TIFF_SIZES: Final = {3: 2, 4: 4}  # SHORT, LONG: the types offsets and byte counts come in
_TIFF_DATA_TAGS: Final = ((273, 279), (324, 325))  # (StripOffsets, StripByteCounts), (TileOffsets, ...)


def _check_tiff(data: bytes) -> None:
    """Every image directory and every strip or tile lies inside the file; the directories do not loop."""
    order = "<" if data.startswith(b"II") else ">"
    (offset,) = struct.unpack_from(order + "I", data, 4)
    seen: set[int] = set()
    while offset:
        if offset in seen or len(seen) >= MAX_FRAMES:
            raise _Refused("the image directories loop or are too many")
        seen.add(offset)
        if offset + 2 > len(data):
            raise _Refused("truncated (an image directory lies past the end of the file)")
        (count,) = struct.unpack_from(order + "H", data, offset)
        end = offset + 2 + 12 * count + 4
        if end > len(data):
            raise _Refused("truncated (an image directory runs past the end of the file)")
        values = {}
        for entry in range(offset + 2, end - 4, 12):
            tag, kind, number = struct.unpack_from(order + "HHI", data, entry)
            if tag in (273, 279, 324, 325):
                values[tag] = _tiff_values(data, order, entry, kind, number)
        for offsets_tag, counts_tag in _TIFF_DATA_TAGS:
            starts, lengths = values.get(offsets_tag, ()), values.get(counts_tag, ())
            if len(starts) != len(lengths) or any(
                a + b > len(data) for a, b in zip(starts, lengths, strict=False)
            ):
                raise _Refused("image data lies past the end of the file")
        (offset,) = struct.unpack_from(order + "I", data, end - 4)


def _tiff_values(data: bytes, order: str, entry: int, kind: int, number: int) -> tuple[int, ...]:
    size = _TIFF_SIZES.get(kind)
    if size is None or number > len(data):
        raise _Refused("an image directory entry is malformed")
    code = order + ("H" if size == 2 else "I") * number
    if size * number <= 4:
        return struct.unpack_from(code, data, entry + 8)
    (where,) = struct.unpack_from(order + "I", data, entry + 8)
    if where + size * number > len(data):
        raise _Refused("truncated (an image directory entry points past the end of the file)")
    return struct.unpack_from(code, data, where)


def _decode(data: bytes, label: str, formats: list[str], reported: set[str]) -> None:
    from PIL import Image, UnidentifiedImageError

    limit = Image.MAX_IMAGE_PIXELS or _DEFAULT_MAX_PIXELS
    try:
        with Image.open(BytesIO(data), formats=formats) as image:
            _check_pixels(image.width * image.height, limit)
            image.verify()
        with Image.open(BytesIO(data), formats=formats) as image:
            if image.format not in reported:
                raise _Refused(f"the content is not a {label} (Pillow reads it as {image.format})")
            frames = getattr(image, "n_frames", 1)
            if frames > MAX_FRAMES:
                raise _Refused(f"the image has {frames:,} frames, more than {MAX_FRAMES:,}")
            total = 0
            for frame in range(frames):
                image.seek(frame)
                total += image.width * image.height
                _check_pixels(image.width * image.height, limit)
                if total > limit * TOTAL_PIXELS_FACTOR:
                    raise _Refused(f"the frames have {total:,} pixels in all, too many to decode")
                image.load()
    except Image.DecompressionBombError:
        raise _Refused(f"the image is too large to decode safely (more than {limit:,} pixels)") from None
    except UnidentifiedImageError:
        raise _Refused(f"not a valid {label}: Pillow cannot read it") from None
    except (
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        struct.error,
        IndexError,
        KeyError,
        TypeError,
    ) as error:
        raise _Refused(f"not a valid {label}: {error}") from None


def _check_pixels(pixels: int, limit: int) -> None:
    if pixels > limit:
        raise _Refused(
            f"the image has {pixels:,} pixels, more than the limit of {limit:,} (a decompression bomb?)"
        )


# -- SVG emblems -----------------------------------------------------------------------------------
_SVG_NS = "{http://www.w3.org/2000/svg}"
_FORBIDDEN_SVG = {"script", "foreignObject", "iframe", "embed", "object", "audio", "video", "animation"}


def svg_problem(data: bytes) -> str | None:
    """None for an SVG that is only a drawing, else why not: no DTD or entities (defusedxml refuses
    them: no billion laughs, no external entities), no script, no event handlers, no foreign content,
    and no reference outside the file except an embedded PNG or JPEG."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data)
    except (DefusedXmlException, ParseError, ValueError) as error:
        return f"not a well-formed SVG document: {type(error).__name__}"
    if root.tag != f"{_SVG_NS}svg":
        return "the root element is not an SVG <svg>"
    for element in root.iter():
        name = str(element.tag).rsplit("}", 1)[-1]
        if name in _FORBIDDEN_SVG:
            return f"the SVG carries <{name}>, which an emblem may not"
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                return f"the SVG carries an event handler ({local})"
            if local == "href" and not (
                value.startswith("#")
                or value.startswith(("data:image/png;base64,", "data:image/jpeg;base64,"))
            ):
                return "the SVG refers to something outside itself"
    return None


def svg_to_png(data: bytes, *, height: int) -> bytes:
    """The drawing as a PNG of the given height (resvg: no system fonts, no network, no files)."""
    import resvg_py

    return bytes(
        resvg_py.svg_to_bytes(svg_string=data.decode("utf-8"), height=height, skip_system_fonts=True)
    )
