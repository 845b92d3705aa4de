"""Which PAdES baseline level a document is signed at.

Sensible practice (docs/rules.md, "Signatures on PDF"; no ETDA text mandates a level): B-T at
signing, B-LT/B-LTA for records kept 10 years or more. The thresholds are per-agency settings.
Pure Python: safe to import from the API functions without pulling in pyHanko.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class PadesLevel(StrEnum):
    B_B = "B-B"  # signature only
    B_T = "B-T"  # + RFC 3161 signature timestamp
    B_LT = "B-LT"  # + certificates, OCSP responses and CRLs in the DSS
    B_LTA = "B-LTA"  # + document timestamp over the DSS

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_least(self, other: PadesLevel) -> bool:
        return self.rank >= other.rank


_RANK = {PadesLevel.B_B: 0, PadesLevel.B_T: 1, PadesLevel.B_LT: 2, PadesLevel.B_LTA: 3}


@dataclass(frozen=True)
class LevelPolicy:
    """An agency's signing-level rules.

    `thresholds`: (minimum retention years, level) pairs; the pair with the largest minimum that the
    retention reaches wins. Permanent records (ห้ามทำลาย) and unknown retention take the level of the
    largest threshold. `floor` / `ceiling` clamp the result (e.g. ceiling B-B for an agency without TSA).
    """

    thresholds: tuple[tuple[int, PadesLevel], ...] = ((0, PadesLevel.B_T), (10, PadesLevel.B_LTA))
    floor: PadesLevel | None = None
    ceiling: PadesLevel | None = None

    def __post_init__(self) -> None:
        if not self.thresholds:
            raise ValueError("LevelPolicy needs at least one threshold")
        if any(years < 0 for years, _ in self.thresholds):
            raise ValueError("retention thresholds must be >= 0 years")
        if self.floor and self.ceiling and self.floor.rank > self.ceiling.rank:
            raise ValueError("LevelPolicy floor is above its ceiling")

    @classmethod
    def from_mapping(cls, settings: Mapping[str, Any]) -> LevelPolicy:
        """From stored agency settings.

        {"thresholds": {"0": "B-T", "10": "B-LTA"}, "floor": "B-T" | None, "ceiling": "B-LTA" | None}
        """
        raw = settings.get("thresholds")
        thresholds = (
            tuple(sorted((int(years), PadesLevel(level)) for years, level in dict(raw).items()))
            if raw
            else cls.thresholds
        )
        floor = settings.get("floor")
        ceiling = settings.get("ceiling")
        return cls(
            thresholds=thresholds,
            floor=PadesLevel(floor) if floor else None,
            ceiling=PadesLevel(ceiling) if ceiling else None,
        )

    def to_mapping(self) -> dict[str, Any]:
        return {
            "thresholds": {str(years): level.value for years, level in self.thresholds},
            "floor": self.floor.value if self.floor else None,
            "ceiling": self.ceiling.value if self.ceiling else None,
        }


DEFAULT_POLICY = LevelPolicy()


def choose_level(
    retention_years: int | None,
    policy: LevelPolicy = DEFAULT_POLICY,
    *,
    permanent: bool = False,
) -> PadesLevel:
    """The level for a document kept `retention_years` (None = not yet classified, treated as permanent)."""
    ordered = sorted(policy.thresholds)
    if permanent or retention_years is None:
        level = ordered[-1][1]
    else:
        if retention_years < 0:
            raise ValueError("retention_years must be >= 0")
        reached = [lvl for years, lvl in ordered if retention_years >= years]
        level = reached[-1] if reached else ordered[0][1]
    if policy.floor and level.rank < policy.floor.rank:
        level = policy.floor
    if policy.ceiling and level.rank > policy.ceiling.rank:
        level = policy.ceiling
    return level
