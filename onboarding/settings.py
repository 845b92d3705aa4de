"""An agency's settings file (YAML), as a typed model: what onboarding creates, checked first.

Every field is checked before anything is created: an unknown key, a unit whose parent is not in the
file, a person in a unit that does not exist, a role the platform does not know, all name the field
(`people[2].units[0]`) in the error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,39}$")]
Username = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9._-]{1,63}$")]
Line = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$"),
]
Tag = Annotated[str, StringConstraints(pattern=r"^[\w .:/=+@-]{1,128}$")]
ROLES = ("saraban", "staff", "head", "director", "admin", "records")
CLEARANCES = {"normal": 0, "confidential": 1, "secret": 2}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Unit(Strict):
    id: Slug
    name: Line
    code: Line = Field(description="the unit's owner code as it stands in ที่ (ดศ 0301.1)")
    parent: Slug | None = None


class Book(Strict):
    id: Slug
    name_th: Line
    name_en: Line
    direction: Literal["incoming", "outgoing"]
    ref_format: Line | None = None


class RetentionClass(Strict):
    """A class of records and how long they are kept (years), or kept for good."""

    id: Slug
    name_th: Line
    years: int | None = Field(default=None, ge=1, le=99)
    permanent: bool = False

    @model_validator(mode="after")
    def _years_or_permanent(self) -> RetentionClass:
        if (self.years is None) == (not self.permanent):
            raise ValueError("give either years or permanent: true")
        return self


class UnitContact(Strict):
    unit_id: Slug
    contact_lines: list[Line] = Field(max_length=3)


class Letterhead(Strict):
    address_lines: list[Line] = Field(min_length=1, max_length=4)
    telephone: Line | None = None
    fax: Line | None = None
    email: Line | None = None
    units: list[UnitContact] = Field(default_factory=list)


class Person(Strict):
    """A member of staff: who they are in the directory, and how they sign in (ThaiD)."""

    username: Username
    title: Annotated[str, StringConstraints(max_length=40)] = ""
    name: Line
    position: Line
    units: list[Slug] = Field(min_length=1)
    roles: list[Literal["saraban", "staff", "head", "director", "admin", "records"]] = Field(min_length=1)
    clearance: Literal["normal", "confidential", "secret"] = "normal"
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    thaid_sub: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,128}$")] | None = Field(
        default=None, description="the person's ThaiD subject: their pool user is linked to it"
    )
    signer: bool = Field(
        default=False,
        description="gets a KMS signing key at onboarding when signing.keys is in_advance (otherwise"
        " their key is made when they are first asked to sign)",
    )


class Signing(Strict):
    """Where the agency's signer certificates come from and how they are checked."""

    ca_chain_files: list[Line] = Field(default_factory=list, description="PEM files, relative to this file")
    tsa_url: Line | None = None
    ocsp_url: Line | None = None
    crl_url: Line | None = None
    key_spec: Literal["RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384"] = "RSA_3072"
    expiry_warning_days: int = Field(default=60, ge=1, le=365)
    keys: Literal["on_first_signature", "in_advance"] = Field(
        default="on_first_signature",
        description="on_first_signature: a signer's KMS key is made when they are first asked to sign"
        " (no $1-a-month key for people who never sign; docs/capacity.md); in_advance: the onboarding"
        " stack makes one for every person marked signer (the local demo, whose test PKI certifies"
        " them at start)",
    )


class Ecms(Strict):
    """The agency's ids in the government's exchange (e-CMS): 2-digit ministry, 10-digit department."""

    ministry_id: Annotated[str, StringConstraints(pattern=r"^[0-9]{2}$")]
    department_id: Annotated[str, StringConstraints(pattern=r"^[0-9]{10}$")]


class AgencySettings(Strict):
    id: Slug
    name: Line
    name_en: Line
    ministry_code: Annotated[str, StringConstraints(pattern=r"^[ก-ฮ]{2,4}$")]
    thai_numerals: bool = False
    units: list[Unit] = Field(min_length=1)
    books: list[Book] = Field(default_factory=list)
    retention_classes: list[RetentionClass] = Field(default_factory=list)
    letterhead: Letterhead
    emblem: Line | None = Field(default=None, description="a PNG or SVG file, relative to this file")
    people: list[Person] = Field(min_length=1)
    signing: Signing = Field(default_factory=Signing)
    ecms: Ecms | None = Field(
        default=None, description="its ids in e-CMS, to exchange with agencies off the platform"
    )
    tags: dict[Tag, Tag] = Field(default_factory=dict, description="cost-allocation tags on its resources")

    @model_validator(mode="after")
    def _consistent(self) -> AgencySettings:
        units = [u.id for u in self.units]
        _unique("units", units)
        _unique("people", [p.username for p in self.people])
        _unique("books", [b.id for b in self.books])
        for i, unit in enumerate(self.units):
            if unit.parent is not None and unit.parent not in units:
                raise ValueError(f"units[{i}].parent: no unit {unit.parent!r} in the file")
        for i, person in enumerate(self.people):
            for j, unit_id in enumerate(person.units):
                if unit_id not in units:
                    raise ValueError(f"people[{i}].units[{j}]: no unit {unit_id!r} in the file")
        for i, contact in enumerate(self.letterhead.units):
            if contact.unit_id not in units:
                raise ValueError(f"letterhead.units[{i}].unit_id: no unit {contact.unit_id!r} in the file")
        if not any("admin" in p.roles for p in self.people):
            raise ValueError("people: the agency needs at least one admin")
        return self

    def signers(self) -> list[Person]:
        return [p for p in self.people if p.signer]

    def signers_in_advance(self) -> list[Person]:
        """Whose keys the onboarding stack makes (none unless signing.keys is in_advance)."""
        return self.signers() if self.signing.keys == "in_advance" else []


def _unique(field: str, values: list[str]) -> None:
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            raise ValueError(f"{field}[{i}]: {value!r} is given twice")
        seen.add(value)


class SettingsError(Exception):
    """The settings file is not valid: each problem names its field."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__(f"{path}: " + "; ".join(problems))
        self.path = path
        self.problems = problems


def load(path: Path) -> AgencySettings:
    """Read and check a settings file; SettingsError names every field that is wrong."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise SettingsError(path, [f"cannot read the file: {error}"]) from error
    try:
        settings = AgencySettings.model_validate(data)
    except ValidationError as error:
        problems = []
        for problem in error.errors():
            where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in problem["loc"]).lstrip(".")
            message = problem["msg"].removeprefix("Value error, ")
            problems.append(f"{where}: {message}" if where else message)
        raise SettingsError(path, problems) from error
    for relative in [*settings.signing.ca_chain_files, *([settings.emblem] if settings.emblem else [])]:
        if not (path.parent / relative).is_file():
            field = "emblem" if relative == settings.emblem else "signing.ca_chain_files"
            raise SettingsError(path, [f"{field}: no file {relative!r} beside the settings file"])
    return settings
