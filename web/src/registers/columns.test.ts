import { describe, expect, it } from "vitest";
import { cellText, columnsOf, type EntryLine } from "./columns";

const line: EntryLine = {
  book: "incoming",
  year: 2569,
  number: 12,
  ref_line: null,
  needs_repair: false,
  registered_at: "2026-11-30T02:30:00Z",
  registered_by: "u1",
  document_id: "d1",
  urgency: "normal",
  secrecy: "normal",
  cancelled: false,
  cancel: null,
  reference: "ดศ 0301/45",
  letter_date: "2026-11-20",
  from: "กรมพัฒนาดิจิทัลภาครัฐ",
  to: "ปลัดกระทรวง",
  recipients: [],
  subject: "ขอเชิญประชุม",
  signer: "",
  owner_unit: "",
  kind: "external",
  received_at: null,
  direction: "incoming",
  action: null,
  duplicate_of: null,
  remark: "",
};

describe("a register's columns", () => {
  it("are the form's: letters with ที่, จาก, ถึง; orders with the signer and the owning unit", () => {
    expect(columnsOf("incoming")).toContain("from");
    expect(columnsOf("my-agency-book")).toEqual(columnsOf("outgoing"));
    expect(columnsOf("order")).toEqual(["number", "letter_date", "subject", "signer", "owner_unit", "remark"]);
  });

  it("show dates in the Buddhist year, Bangkok time", () => {
    expect(cellText(line, "letter_date", "th")).toBe("20 พ.ย. 2569");
    expect(cellText(line, "letter_date", "en")).toBe("20 Nov 2026");
    expect(cellText(line, "registered_at", "th")).toMatch(/30 พ\.ย\. 2569.*09:30/);
    expect(cellText({ ...line, letter_date: "พฤศจิกายน 2569" }, "letter_date", "th")).toBe("พฤศจิกายน 2569");
  });

  it("show an order's number as on its ที่ line, and every recipient of a circular", () => {
    expect(cellText({ ...line, book: "order", ref_line: "ที่ 5/2569" }, "number", "th")).toBe("5/2569");
    expect(cellText(line, "number", "th")).toBe("12");
    expect(cellText(line, "number", "th", true)).toBe("๑๒");
    expect(cellText(line, "letter_date", "th", true)).toBe("๒๐ พ.ย. ๒๕๖๙");
    expect(cellText(line, "subject", "th", true)).toBe(line.subject);
    expect(cellText(line, "number", "en", true)).toBe("12");
    expect(cellText({ ...line, recipients: ["กรม ก", "กรม ข"] }, "to", "th")).toBe("กรม ก, กรม ข");
    expect(cellText({ ...line, reference: null, ref_line: "ที่ ดศ 0201/7" }, "reference", "th")).toBe("ที่ ดศ 0201/7");
  });
});
