import { describe, expect, it } from "vitest";
import { attemptFor, EMPTY, registrationOf } from "./incoming";

const typed = {
  ...EMPTY,
  reference: " ดศ 0301/45 ",
  letterDate: "20/11/2569",
  fromAgency: "กรมพัฒนาดิจิทัลภาครัฐ",
  to: "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
  subject: "ขอเชิญประชุม",
  urgency: "very_urgent" as const,
};

describe("registering an incoming letter", () => {
  it("describes the letter inline: ที่ as written, ลงวันที่ from พ.ศ., จาก and ถึง as parties", () => {
    const { body } = registrationOf(typed);
    expect(body).toEqual({
      document: {
        kind: "external",
        subject: "ขอเชิญประชุม",
        reference: "ดศ 0301/45",
        letter_date: "2026-11-20",
        sender: { agency: "กรมพัฒนาดิจิทัลภาครัฐ", position: "", name: "" },
        recipient: { position: "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", agency: "", name: "" },
        urgency: "very_urgent",
        secrecy: "normal",
      },
    });
  });

  it("leaves out what was not typed, and asks for a duplicate only when told", () => {
    const { body } = registrationOf({ ...typed, reference: "", letterDate: "", duplicateOk: true });
    expect(body?.document).not.toHaveProperty("reference");
    expect(body?.document).not.toHaveProperty("letter_date");
    expect(body).toHaveProperty("duplicate_of_ok", true);
  });

  it("names each field at fault instead of sending", () => {
    expect(registrationOf({ ...typed, subject: "  ", fromAgency: "", letterDate: "20/11/2026" }).problems).toEqual({
      subject: "required",
      fromAgency: "required",
      letterDate: "year",
    });
  });

  it("keeps one Idempotency-Key while the request is the same, a new one when it changed", () => {
    let made = 0;
    const newKey = () => `key-${++made}`;
    const first = registrationOf(typed).body;
    const changed = registrationOf({ ...typed, subject: "ขอเชิญประชุม (แก้ไข)" }).body;
    if (!first || !changed) throw new Error("both are valid");
    const one = attemptFor(null, first, newKey);
    expect(attemptFor(one, registrationOf(typed).body ?? first, newKey)).toBe(one);
    expect(attemptFor(one, changed, newKey).key).toBe("key-2");
  });
});
