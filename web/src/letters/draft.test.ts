import { describe, expect, it } from "vitest";
import type { DocumentView } from "./api";
import { emptyForm, fromDocument, lines, paragraphs, readyToSave, toDraft, type LetterForm } from "./draft";

const memo: LetterForm = {
  ...emptyForm("policy"),
  subject: "  ขออนุมัติจัดประชุม  ",
  recipientPosition: "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
  recipientAgency: "กรมพัฒนาดิจิทัลภาครัฐ",
  references: "หนังสือ ที่ ดศ 0301/12\n\n  ",
  enclosures: "กำหนดการ\nรายชื่อผู้เข้าประชุม",
  body: "ด้วย...  \r\n\r\n\r\nจึงเรียนมาเพื่อโปรดพิจารณา\n",
  signer: "user-director",
};

describe("a letter's draft", () => {
  it("carries only what a memo's form prints: no อ้างถึง, no สิ่งที่ส่งมาด้วย, no recipient agency", () => {
    const draft = toDraft(memo);
    expect(draft.kind).toBe("internal");
    expect(draft.subject).toBe("ขออนุมัติจัดประชุม");
    expect(draft.recipient).toEqual({ name: "", position: "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", agency: "" });
    expect(draft.references).toEqual([]);
    expect(draft.enclosures).toEqual([]);
    expect(draft.signers).toEqual(["user-director"]);
    expect(draft.owner_unit_id).toBe("policy");
  });

  it("keeps them for an external letter, one a line, blank lines dropped", () => {
    const draft = toDraft({ ...memo, kind: "external" });
    expect(draft.references).toEqual(["หนังสือ ที่ ดศ 0301/12"]);
    expect(draft.enclosures).toEqual(["กำหนดการ", "รายชื่อผู้เข้าประชุม"]);
    expect(draft.recipient?.agency).toBe("กรมพัฒนาดิจิทัลภาครัฐ");
  });

  it("loses nothing typed when the kind is switched back and forth", () => {
    const there = { ...memo, kind: "external" as const };
    const back = { ...there, kind: "internal" as const };
    expect(back.references).toBe(memo.references);
    expect(toDraft({ ...back, kind: "external" }).references).toEqual(["หนังสือ ที่ ดศ 0301/12"]);
  });

  it("sends paragraphs separated by one blank line, without trailing spaces or Windows line ends", () => {
    expect(paragraphs(memo.body)).toBe("ด้วย...\n\nจึงเรียนมาเพื่อโปรดพิจารณา");
    expect(paragraphs("บรรทัดหนึ่ง\nบรรทัดสอง  \n \n\nย่อหน้าสอง")).toBe("บรรทัดหนึ่ง\nบรรทัดสอง\n\nย่อหน้าสอง");
    expect(lines(" ก \n\n ข ")).toEqual(["ก", "ข"]);
  });

  it("is saved once it has its เรื่อง (the API refuses one without)", () => {
    expect(readyToSave(emptyForm())).toBe(false);
    expect(readyToSave({ ...emptyForm(), subject: "   " })).toBe(false);
    expect(readyToSave({ ...emptyForm(), subject: "เรื่อง" })).toBe(true);
    expect(toDraft(emptyForm()).signers).toEqual([]);
    expect(toDraft(emptyForm()).owner_unit_id).toBeNull();
  });

  it("comes back into the form from the saved document, and out as the same draft", () => {
    const draft = toDraft({ ...memo, kind: "external", urgency: "urgent", secrecy: "confidential" });
    const saved = {
      ...draft,
      id: "d1",
      kind: "external",
      recipient: { name: "", ...draft.recipient },
      references: draft.references ?? [],
      enclosures: draft.enclosures ?? [],
      signers: draft.signers ?? [],
    } as unknown as DocumentView;
    expect(toDraft(fromDocument(saved))).toEqual(draft);
  });
});
