"""Demo data for the local stack: two agencies with their unit trees and a user in every role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEMO_PASSWORD = "Demo-Passw0rd!"  # noqa: S105 (local demo users only, printed at startup)


@dataclass(frozen=True)
class DemoUnit:
    id: str
    name: str
    code: str
    parent: str | None = None


@dataclass(frozen=True)
class DemoUser:
    username: str
    name: str
    position: str
    units: tuple[str, ...]
    roles: tuple[str, ...]
    clearance: int  # 0 ปกติ, 1 ลับ, 2 ลับมาก
    title: str = ""  # คำนำหน้าชื่อ / ยศ, as printed before the name


@dataclass(frozen=True)
class DemoAgency:
    id: str
    name: str
    name_en: str
    ministry_code: str
    units: tuple[DemoUnit, ...]
    users: tuple[DemoUser, ...]
    settings: dict[str, Any]


def _users(prefix: str, office: str, saraban: str, section: str, director_title: str) -> tuple[DemoUser, ...]:
    return (
        DemoUser(
            f"{prefix}.saraban", "สมศรี ใจดี", "เจ้าพนักงานธุรการชำนาญงาน", (saraban,), ("saraban",), 1, "นาง"
        ),
        DemoUser(
            f"{prefix}.staff1", "สมชาย รักงาน", "นักวิเคราะห์นโยบายและแผนปฏิบัติการ", (section,), ("staff",), 0
        ),
        DemoUser(f"{prefix}.staff2", "กาญจนา ศรีสุข", "นักจัดการงานทั่วไป", (section,), ("staff",), 0, "นางสาว"),
        DemoUser(f"{prefix}.head", "วิชัย มั่นคง", "ผู้อำนวยการกลุ่มงาน", (section,), ("head", "staff"), 1, "นาย"),
        DemoUser(
            f"{prefix}.director", "ประภาพร วงศ์ไทย", director_title, (office,), ("director",), 2, "นางสาว"
        ),
        DemoUser(
            f"{prefix}.admin", "ธนากร ระบบดี", "นักวิชาการคอมพิวเตอร์ชำนาญการ", (office,), ("admin",), 0, "นาย"
        ),
        DemoUser(f"{prefix}.records", "อรุณี เก็บรักษา", "เจ้าพนักงานธุรการ", (saraban,), ("records",), 0, "นาง"),
        DemoUser(
            f"{prefix}.secret", "ณรงค์ ลับเฉพาะ", "นักวิเคราะห์ความมั่นคง", (section,), ("staff",), 2, "ว่าที่ร้อยตรี"
        ),
    )


AGENCIES: tuple[DemoAgency, ...] = (
    DemoAgency(
        id="mdes-ops",
        name="สำนักงานปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
        name_en="Office of the Permanent Secretary, Ministry of Digital Economy and Society (demo)",
        ministry_code="ดศ",
        units=(
            DemoUnit("office", "สำนักงานปลัดกระทรวง", "ดศ 0201"),
            DemoUnit("saraban", "กลุ่มงานสารบรรณ", "ดศ 0201.1", "office"),
            DemoUnit("policy", "กองยุทธศาสตร์และแผนงาน", "ดศ 0201.3", "office"),
        ),
        users=_users("ops", "office", "saraban", "policy", "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"),
        settings={"thai_numerals": False},
    ),
    DemoAgency(
        id="mdes-dept",
        name="กรมพัฒนาดิจิทัลภาครัฐ (สาธิต)",
        name_en="Department of Government Digital Development (demo)",
        ministry_code="ดศ",
        units=(
            DemoUnit("office", "สำนักงานเลขานุการกรม", "ดศ 0301"),
            DemoUnit("saraban", "ฝ่ายสารบรรณ", "ดศ 0301.1", "office"),
            DemoUnit("services", "กองบริการดิจิทัล", "ดศ 0301.4", "office"),
        ),
        users=_users("dept", "office", "saraban", "services", "อธิบดีกรมพัฒนาดิจิทัลภาครัฐ"),
        settings={
            "thai_numerals": True,
            "books": [
                {
                    "id": "certificate",
                    "name_th": "หนังสือรับรอง",
                    "name_en": "certificates",
                    "direction": "outgoing",
                    "ref_format": "ที่ {unit_code}/ร {number}",
                },
            ],
        },
    ),
)


SIGNING_ROLES = {"director", "head"}
ECMS_IDS = {  # made-up e-CMS ids of the demo agencies
    "mdes-ops": {"ministry_id": "21", "department_id": "0021000001"},
    "mdes-dept": {"ministry_id": "21", "department_id": "0021000301"},
}  # the demo's signers get a key (and the test PKI's certificate)


def settings_of(agency: DemoAgency) -> Any:
    """A demo agency as the settings file onboarding takes (onboarding/settings.py)."""
    from onboarding.settings import AgencySettings

    clearances = ["normal", "confidential", "secret"]
    return AgencySettings.model_validate(
        {
            "id": agency.id,
            "name": agency.name,
            "name_en": agency.name_en,
            "ministry_code": agency.ministry_code,
            "thai_numerals": agency.settings.get("thai_numerals", False),
            "books": agency.settings.get("books", []),
            "units": [{"id": u.id, "name": u.name, "code": u.code, "parent": u.parent} for u in agency.units],
            "letterhead": LETTERHEADS[agency.id],
            "emblem": "emblem.png",
            "people": [
                {
                    "username": user.username,
                    "title": user.title,
                    "name": user.name,
                    "position": user.position,
                    "units": list(user.units),
                    "roles": list(user.roles),
                    "clearance": clearances[user.clearance],
                    "signer": bool(SIGNING_ROLES & set(user.roles)),
                    "email": f"{user.username}@{agency.id}.demo.eoffice.go.th",  # SES keeps it locally
                }
                for user in agency.users
            ],
            # Keys at start: the test PKI certifies only keys it sees when it starts (signing_setup.py).
            "signing": {"key_spec": "RSA_2048", "keys": "in_advance"},
            "ecms": ECMS_IDS[agency.id],
            "tags": {"eoffice:demo": "true"},
        }
    )


def onboard_all(target: Any) -> dict[str, Any]:
    """The demo agencies, onboarded the way every agency is (`eoffice onboard`): agency id -> Onboarded."""
    import tempfile
    from pathlib import Path

    from onboarding.apply import onboard

    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "emblem.png").write_bytes(stand_in_emblem())
        return {agency.id: onboard(settings_of(agency), base, target) for agency in AGENCIES}


# The letterheads of the demo agencies (made-up addresses), set through the same use cases the agency
# admin calls (PUT /v1/agency/letterhead, /v1/agency/emblem).
LETTERHEADS: dict[str, dict[str, Any]] = {
    "mdes-ops": {
        "address_lines": ["ศูนย์ราชการเฉลิมพระเกียรติ อาคารซี", "ถนนแจ้งวัฒนะ กรุงเทพฯ 10210"],
        "telephone": "0 2141 6747",
        "fax": "0 2143 8019",
        "email": "saraban@mdes-ops.example.go.th",
        "units": [{"unit_id": "policy", "contact_lines": ["โทร. 0 2141 6900", "โทรสาร 0 2141 6901"]}],
    },
    "mdes-dept": {
        "address_lines": ["ศูนย์ราชการเฉลิมพระเกียรติ อาคารบี", "ถนนแจ้งวัฒนะ กรุงเทพฯ 10210"],
        "telephone": "0 2612 6000",
        "email": "saraban@mdes-dept.example.go.th",
        "units": [{"unit_id": "services", "contact_lines": ["โทร. 0 2612 6060"]}],
    },
}


def stand_in_emblem() -> bytes:
    """A neutral stand-in for the ครุฑ, clearly labelled as such, drawn as an image (its words are pixels,
    never text in a letter's text layer). No state emblem artwork is shipped with the code."""
    from io import BytesIO
    from pathlib import Path

    from PIL import Image, ImageDraw, ImageFont

    font_path = Path(__file__).resolve().parent.parent / "functions/chalicelib/pdf/fonts/Laksaman-Bold.ttf"
    size = 600
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    red = (150, 20, 20, 255)
    draw.ellipse((12, 12, size - 12, size - 12), outline=red, width=14)
    draw.ellipse((60, 60, size - 60, size - 60), outline=red, width=4)
    for text, height, y in (("ตราสัญลักษณ์", 66, 200), ("ภาพตัวอย่าง", 66, 300), ("DEMO", 54, 400)):
        font = ImageFont.truetype(str(font_path), height)
        draw.text((size / 2, y), text, font=font, fill=red, anchor="mm")
    out = BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
