"""The types every model at the door is built from: well-formed text, ids, and the model bases.

Text that enters the system is well-formed Unicode (no lone surrogates: pydantic refuses them as it
reads a field) with no control characters but tab and newline in multi-line text, and none at all
in single-line text. The rule is a pattern in the JSON schema too, so the OpenAPI document says
exactly what the server accepts (docs/api.md, "Text").
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from chalicelib.kernel.keys import AGENCY_ID_PATTERN

# C0 controls but TAB, LF and CR, DEL, and the C1 controls (U+0080..U+009F).
MULTILINE_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
# No control characters at all (also no TAB, CR, LF): names, titles, references, reasons.
LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$"


def _line(max_length: int) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, max_length=max_length, pattern=LINE_PATTERN)


Line = Annotated[str, _line(500)]  # a subject, a reference line
# What counts as a space, written out: JSON Schema's \s (ECMA) and the server's (Unicode White_Space)
# disagree on U+0085 and U+FEFF, and the schema must say exactly what the server does.
SPACE_CLASS = "\t\n\x0b\x0c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
HAS_TEXT = f"[^{SPACE_CLASS}\\x00-\\x1f\\x7f-\\x9f]"  # one character that is neither space nor control
# A line that must say something: no controls, and at least one character that is not a space.
FILLED_LINE_PATTERN = "^[^\\x00-\\x1f\\x7f-\\x9f]*" + HAS_TEXT + "[^\\x00-\\x1f\\x7f-\\x9f]*$"
FilledLine = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=FILLED_LINE_PATTERN)
]  # a reason, an order reference
ShortLine = Annotated[str, _line(200)]  # a name, a position, a filename
Paragraphs = Annotated[str, StringConstraints(max_length=50_000, pattern=MULTILINE_PATTERN)]  # a body
# Ids the system issued: time-ordered hex for documents and files (kernel/keys.py); user ids are the
# identity provider's subject (a UUID in Cognito).
OPAQUE_ID_PATTERN = r"^[A-Za-z0-9_-]{6,64}$"
OpaqueId = Annotated[str, StringConstraints(pattern=OPAQUE_ID_PATTERN)]
BOOK_ID_PATTERN = r"^[a-z][a-z0-9_-]{1,31}$"
BookId = Annotated[str, StringConstraints(pattern=BOOK_ID_PATTERN)]


def integral(value: object) -> object:
    """JSON does not tell 21 from 21.0, and JSON Schema calls both an integer; "21" stays refused."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


WholeNumber = Annotated[int, BeforeValidator(integral)]  # constraints go on the field (see routing/models.py)


def iso_day(value: object) -> object:
    """A day in a query string is written 2026-11-30: pydantic would also read "0" as 1970-01-01 (a Unix
    time), which the API's schema does not allow."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


QueryDay = Annotated[date, BeforeValidator(iso_day)]
AgencyId = Annotated[str, StringConstraints(pattern=AGENCY_ID_PATTERN)]  # as every key starts


class Refused(ValueError):
    """A validator's refusal said in Thai and English: the 422 shows each in its own title.

    A plain ValueError's text appears in both titles (pydantic carries only one message), so the
    rules a saraban officer meets at the door raise this instead.
    """

    def __init__(self, th: str, en: str) -> None:
        super().__init__(en)
        self.th = th


# Every model defers building its validator to its first use: a cold API function then pays only for
# the models of the operation it serves (docs/api.md, "Cold start").
class Command(BaseModel):
    """What a client sends: unknown fields are refused, types are not coerced ("10" is not 10)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class Query(BaseModel):
    """Query-string parameters: they arrive as text, so numbers are parsed from their digits."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Answer(BaseModel):
    """What the API answers with: serialised from the model, so the OpenAPI schema is what clients get."""

    model_config = ConfigDict(frozen=True, defer_build=True)


class Message(BaseModel):
    """A queue message: sent and parsed through the same class (kernel/queues.py)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


__all__ = [
    "HAS_TEXT",
    "AgencyId",
    "Answer",
    "BookId",
    "Command",
    "Field",
    "FilledLine",
    "Line",
    "Message",
    "OpaqueId",
    "Paragraphs",
    "Query",
    "ShortLine",
    "WholeNumber",
    "integral",
]
