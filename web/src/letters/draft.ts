// A letter's form as the person fills it in, and the API's DocumentDraft made from it. The form keeps
// every field whatever the kind (switching kind loses nothing); the draft carries only what the chosen
// kind's official form prints (ระเบียบงานสารบรรณ: บันทึกข้อความ for a memo, หนังสือภายนอก for a letter).
import type { components } from "../api/schema";

export type DocumentDraft = components["schemas"]["DocumentDraft"];
export type Urgency = components["schemas"]["Urgency"];
export type LetterKind = "internal" | "external";
/** ลับที่สุด does not travel in the system: it is not offered. */
export type LetterSecrecy = "normal" | "confidential" | "secret";

export const LETTER_KINDS: readonly LetterKind[] = ["internal", "external"];
export const URGENCIES: readonly Urgency[] = ["normal", "urgent", "very_urgent", "most_urgent"];
export const SECRECIES: readonly LetterSecrecy[] = ["normal", "confidential", "secret"];

export interface LetterForm {
  kind: LetterKind;
  secrecy: LetterSecrecy;
  urgency: Urgency;
  ownerUnitId: string;
  subject: string;
  recipientPosition: string;
  recipientAgency: string;
  /** อ้างถึง, one a line */
  references: string;
  /** สิ่งที่ส่งมาด้วย, one a line */
  enclosures: string;
  /** paragraphs separated by a blank line */
  body: string;
  /** the signer's user id ("" while none is chosen) */
  signer: string;
}

export function emptyForm(ownerUnitId = ""): LetterForm {
  return {
    kind: "internal",
    secrecy: "normal",
    urgency: "normal",
    ownerUnitId,
    subject: "",
    recipientPosition: "",
    recipientAgency: "",
    references: "",
    enclosures: "",
    body: "",
    signer: "",
  };
}

/** What each kind's official form has besides เรื่อง, เรียน and the text. */
export function formHas(kind: LetterKind): { references: boolean; enclosures: boolean; recipientAgency: boolean } {
  const external = kind === "external";
  return { references: external, enclosures: external, recipientAgency: external };
}

/** The non-blank lines of a text area, trimmed. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** Paragraphs as the API takes them: separated by one blank line, no trailing spaces, no runs of blanks. */
export function paragraphs(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((paragraph) =>
      paragraph
        .split("\n")
        .map((line) => line.trimEnd())
        .join("\n")
        .trim(),
    )
    .filter((paragraph) => paragraph !== "")
    .join("\n\n");
}

/** A draft is worth saving once it has its เรื่อง: the API refuses a draft without one. */
export function readyToSave(form: LetterForm): boolean {
  return form.subject.trim() !== "";
}

export function toDraft(form: LetterForm): DocumentDraft {
  const has = formHas(form.kind);
  return {
    kind: form.kind,
    sub_kind: null,
    secrecy: form.secrecy,
    subject: form.subject.trim(),
    recipient: {
      name: "",
      position: form.recipientPosition.trim(),
      agency: has.recipientAgency ? form.recipientAgency.trim() : "",
    },
    reference: null,
    letter_date: null,
    urgency: form.urgency,
    urgent_deadline: null,
    references: has.references ? lines(form.references) : [],
    enclosures: has.enclosures ? lines(form.enclosures) : [],
    body: paragraphs(form.body),
    owner_unit_id: form.ownerUnitId || null,
    signers: form.signer ? [form.signer] : [],
    retention_years: 10,
    permanent: false,
    structure: null,
  };
}

/** A saved draft back in the form, to go on editing it (after a return, say). */
export function fromDocument(document: components["schemas"]["DocumentView"]): LetterForm {
  const kind: LetterKind = document.kind === "external" ? "external" : "internal";
  const secrecy = (SECRECIES as readonly string[]).includes(document.secrecy)
    ? (document.secrecy as LetterSecrecy)
    : "normal";
  return {
    kind,
    secrecy,
    urgency: document.urgency,
    ownerUnitId: document.owner_unit_id ?? "",
    subject: document.subject,
    recipientPosition: document.recipient.position,
    recipientAgency: document.recipient.agency,
    references: document.references.join("\n"),
    enclosures: document.enclosures.join("\n"),
    body: document.body,
    signer: document.signers[0] ?? "",
  };
}
