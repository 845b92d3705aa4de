"""What the asset routes take and answer."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StringConstraints, field_validator

from chalicelib.kernel.schema import Answer, Command, Line, OpaqueId, Query, Refused, ShortLine, integral

ClassCode = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z.-]{1,20}$")]
Money = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,12}(\.[0-9]{1,2})?$")]
Year = Annotated[int, Field(ge=2500, le=2700), BeforeValidator(integral)]
Life = Annotated[int, Field(ge=1, le=100), BeforeValidator(integral)]
Status = Literal["in_use", "repair", "unused", "disposed"]
# The asset number's format: text and three fields only ({seq} with a zero-padded width at most), so
# that whatever the schema lets through formats.
NumberFormat = Annotated[
    str,
    StringConstraints(
        min_length=1,
        max_length=100,
        pattern=r"^([^{}\r\n]|\{class_code\}|\{fiscal_year\}|\{seq(:0[1-9]d)?\})+$",
    ),
]


class AssetClass(Command):
    code: ClassCode
    name: ShortLine = Field(min_length=1)
    life_years: Life = Field(description="useful life (the Comptroller General's list: a setting)")


class AssetSettings(Command):
    """Refused at the door: a number format that does not format (a field it does not know, a bad spec)."""

    number_format: NumberFormat = Field(
        default="{class_code}-{fiscal_year}-{seq:04d}", description="the agency's asset number format"
    )
    classes: list[AssetClass] = Field(default_factory=list, max_length=200)
    supply_officers: list[OpaqueId] = Field(default_factory=list, max_length=100)
    holidays: list[date] = Field(default_factory=list, max_length=400, description="the agency's holidays")
    residual_baht: Money = "1"

    @field_validator("number_format")
    @classmethod
    def _formats(cls, value: str) -> str:
        try:
            value.format(class_code="7440-001", fiscal_year=2570, seq=1)
        except (KeyError, IndexError, ValueError, AttributeError) as error:
            raise Refused(
                "รูปแบบเลขครุภัณฑ์ใช้ได้เฉพาะ {class_code} {fiscal_year} {seq}",
                f"the number format uses only {{class_code}}, {{fiscal_year}} and {{seq}}: {error!r}",
            ) from error
        return value


class AssetCommand(Command):
    class_code: ClassCode
    description: Line = Field(min_length=1)
    acquired_on: date
    document: ShortLine = Field(default="", description="the acquisition document (เลขที่เอกสาร)")
    price: Money = Field(description="baht, e.g. 36500.00")
    funding: ShortLine = Field(default="", description="เงินงบประมาณ, เงินนอกงบประมาณ, ...")
    location: ShortLine = ""
    unit_id: ShortLine = ""
    custodian: OpaqueId | None = None


class AssetPath(Query):
    asset_id: OpaqueId


class Transfer(Command):
    unit_id: ShortLine = ""
    custodian: OpaqueId | None = None
    location: ShortLine = ""
    note: Line = ""


class StatusChange(Command):
    status: Status
    note: Line = Field(default="", description="why: the repair, the disposal's approval (จำหน่าย)")


class AssetView(Answer):
    id: str
    number: str
    class_code: str
    description: str
    acquired_on: date
    fiscal_year: int
    document: str
    price: str
    funding: str
    location: str
    unit_id: str
    custodian: str | None
    status: str


class AssetList(Answer):
    items: list[AssetView]


class DepreciationQuery(Query):
    fiscal_year: Year


class DepreciationRow(Answer):
    number: str
    description: str
    cost: str
    life_years: int
    this_year: str
    accumulated: str
    net: str


class DepreciationReport(Answer):
    fiscal_year: int
    rows: list[DepreciationRow]
    total_this_year: str
    total_net: str


class StocktakeCommand(Command):
    fiscal_year: Year = Field(description="the year being checked (it ends 30 September)")
    checkers: list[OpaqueId] = Field(min_length=1, max_length=20)


class StocktakePath(Query):
    fiscal_year: Year


class Finding(Command):
    asset_id: OpaqueId
    result: Literal["found", "missing", "damaged", "unused"]
    note: Line = ""


class StocktakeView(Answer):
    fiscal_year: int
    checkers: list[str]
    starts_on: date
    report_due: date
    counted: dict[str, int]
    not_yet_checked: int


class Scan(Command):
    code: Annotated[str, StringConstraints(min_length=1, max_length=500)] = Field(
        description="what the label's QR code says (its address, or eoffice:asset:<id>)"
    )
    result: Literal["found", "missing", "damaged", "unused"] = "found"
    note: Line = ""


class LegacyAsset(Command):
    """A row of the agency's existing register (paper or another system): its number is kept as it is
    and never touches the live numbering."""

    number: ShortLine = Field(min_length=1, description="the asset's existing number")
    class_code: ClassCode
    description: Line = Field(min_length=1)
    acquired_on: date
    document: ShortLine = ""
    price: Money
    funding: ShortLine = ""
    location: ShortLine = ""
    unit_id: ShortLine = ""
    custodian: OpaqueId | None = None
    status: Literal["in_use", "repair", "unused"] = "in_use"


class ImportCommand(Command):
    rows: list[LegacyAsset] = Field(
        min_length=1, max_length=500, description="at most 500 a call (and the body under 256 KiB)"
    )


class Imported(Answer):
    imported: int
    already_there: list[str] = Field(
        description="numbers skipped: imported before (an import runs again safely)"
    )


class StocktakeReport(Answer):
    fiscal_year: int
    document_id: str
    subject: str
