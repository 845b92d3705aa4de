"""Meeting rules as plain values (docs/rules.md, "Meetings"):

- The agenda's order is the one government meetings use (ระเบียบวาระการประชุม): what the chair tells
  the meeting, the last minutes to certify, matters carried over, matters for information, matters for
  decision, other matters. Items keep that order whatever order they were typed in.
- Quorum: a committee meets with at least half of all its members present (พ.ร.บ.วิธีปฏิบัติราชการ
  ทางปกครอง พ.ศ. 2539 มาตรา 79), counted from the members only (not guests or delegates unless the
  committee's rule lets delegates count: a setting, since appointing orders differ). Members attending
  online count as present (พ.ร.ก.ว่าด้วยการประชุมผ่านสื่ออิเล็กทรอนิกส์ พ.ศ. 2563 มาตรา 6).
- An online attendee is identified before joining (มาตรา 8, identity shown); each join and leave is
  kept as the meeting's electronic traffic record, and the meeting's recording is referenced before the
  minutes are drafted unless the meeting is closed to recording (มาตรา 11; which meetings are exempt is
  a setting).
- A meeting's number is ครั้งที่ n/พ.ศ., counted per committee and Buddhist year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction


class Section(StrEnum):
    """The agenda's sections, in the order a meeting takes them."""

    ANNOUNCEMENTS = "announcements"
    CONFIRM_MINUTES = "confirm_minutes"
    CARRIED_OVER = "carried_over"
    FOR_INFORMATION = "for_information"
    FOR_DECISION = "for_decision"
    OTHER = "other"

    @property
    def th(self) -> str:
        return SECTION_TH[self]

    @property
    def order(self) -> int:
        return list(Section).index(self)


SECTION_TH = {
    Section.ANNOUNCEMENTS: "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ",
    Section.CONFIRM_MINUTES: "เรื่องรับรองรายงานการประชุม",
    Section.CARRIED_OVER: "เรื่องสืบเนื่อง",
    Section.FOR_INFORMATION: "เรื่องเพื่อทราบ",
    Section.FOR_DECISION: "เรื่องเพื่อพิจารณา",
    Section.OTHER: "เรื่องอื่น ๆ",
}

ROLE_TH = {
    "chair": "ประธานกรรมการ",
    "vice_chair": "รองประธานกรรมการ",
    "member": "กรรมการ",
    "secretary": "กรรมการและเลขานุการ",
    "assistant_secretary": "กรรมการและผู้ช่วยเลขานุการ",
    "guest": "ผู้เข้าร่วมประชุม",
}
MEMBER_ROLES = frozenset({"chair", "vice_chair", "member", "secretary", "assistant_secretary"})
MANAGING_ROLES = frozenset({"secretary", "assistant_secretary"})

# How many of all members make a quorum, by the committee's rule (มาตรา 79 is the default: half).
QUORUM = {"half": Fraction(1, 2), "more_than_half": Fraction(1, 2), "two_thirds": Fraction(2, 3)}


def quorum_needed(members: int, rule: str) -> int:
    """The fewest members present that make a quorum: at least half (มาตรา 79), more than half, or
    two thirds of all members."""
    share = QUORUM[rule] * members
    whole = share.numerator // share.denominator
    if rule == "more_than_half":
        return whole + 1
    return whole if share == whole else whole + 1


@dataclass(frozen=True)
class Presence:
    """Who is counted present: members in the room or online, and (if the rule allows) delegates."""

    members: int
    present: int
    online: int
    needed: int

    @property
    def quorate(self) -> bool:
        return self.present >= self.needed


def presence(attendance: list[tuple[str, str, bool]], rule: str, *, delegates_count: bool) -> Presence:
    """From (role, presence, is a delegate) per invitee: the members, those present and the quorum."""
    members = [a for a in attendance if a[0] in MEMBER_ROLES]
    present = [a for a in members if a[1] in ("in_person", "online") and (delegates_count or not a[2])]
    return Presence(
        members=len(members),
        present=len(present),
        online=sum(1 for a in present if a[1] == "online"),
        needed=quorum_needed(len(members), rule),
    )


def meeting_number(sequence: int, buddhist_year: int) -> str:
    return f"{sequence}/{buddhist_year}"


def sections_of(used: Iterable[str]) -> list[Section]:
    """The agenda's sections, numbered 1 to 5 as the usual agenda has them (ประธานแจ้ง, รับรองรายงาน,
    สืบเนื่อง, เพื่อพิจารณา, อื่น ๆ; each printed, "ไม่มี" when empty); เรื่องเพื่อทราบ, which many
    agencies add, takes its place before เพื่อพิจารณา only when it has items."""
    wanted = set(used)
    return [s for s in Section if s is not Section.FOR_INFORMATION or s.value in wanted]
