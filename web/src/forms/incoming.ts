import type { components } from "../api/schema";
import { parseBuddhistDate, type DateProblem } from "../format/buddhistDate";

export type Urgency = components["schemas"]["Urgency"];
export type RegistrationBody = components["schemas"]["RegistrationCommand"];

/** What the saraban officer types from the paper letter, as typed (the form keeps it on a failure). */
export interface IncomingFields {
  reference: string; // ที่ (the sender's, as written)
  letterDate: string; // ลงวันที่, d/m/yyyy in พ.ศ.
  fromAgency: string; // จาก: the sending agency
  fromPosition: string; // จาก: the signer's position (optional)
  to: string; // ถึง / เรียน
  subject: string; // เรื่อง
  urgency: Urgency;
  secrecy: string;
  duplicateOk: boolean; // register again although the same letter is in the book already
}

export const EMPTY: IncomingFields = {
  reference: "",
  letterDate: "",
  fromAgency: "",
  fromPosition: "",
  to: "",
  subject: "",
  urgency: "normal",
  secrecy: "normal",
  duplicateOk: false,
};

export type FieldProblem = "required" | DateProblem;

/** The incoming book's registration of a letter described inline (POST /v1/registers/incoming/entries):
 * the document and its number in one transaction, so a failure leaves no half-made letter behind. Or the
 * fields at fault, each with why. */
export function registrationOf(
  fields: IncomingFields,
): { body: RegistrationBody; problems?: undefined } | { body?: undefined; problems: Partial<Record<keyof IncomingFields, FieldProblem>> } {
  const problems: Partial<Record<keyof IncomingFields, FieldProblem>> = {};
  if (!fields.subject.trim()) problems.subject = "required";
  if (!fields.fromAgency.trim()) problems.fromAgency = "required";
  const date = parseBuddhistDate(fields.letterDate);
  if (date && !date.ok) problems.letterDate = date.problem;
  if (Object.keys(problems).length > 0) return { problems };
  const reference = fields.reference.trim();
  const document = {
    kind: "external" as const,
    subject: fields.subject.trim(),
    sender: { agency: fields.fromAgency.trim(), position: fields.fromPosition.trim(), name: "" },
    recipient: { position: fields.to.trim(), agency: "", name: "" },
    urgency: fields.urgency,
    secrecy: fields.secrecy,
    ...(reference ? { reference } : {}),
    ...(date?.ok ? { letter_date: date.iso } : {}),
  };
  // The generated type lists every field the API defaults as present; the API fills in what is left out.
  const body = { document, ...(fields.duplicateOk ? { duplicate_of_ok: true } : {}) } as unknown as RegistrationBody;
  return { body };
}

/** One Idempotency-Key per registration: a retry of the same request (a lost answer) gets the first
 * answer and never a second number; a changed request is a new one, with a new key. */
export interface Attempt {
  key: string;
  fingerprint: string;
}

export function attemptFor(previous: Attempt | null, body: RegistrationBody, newKey: () => string): Attempt {
  const fingerprint = JSON.stringify(body);
  return previous?.fingerprint === fingerprint ? previous : { key: newKey(), fingerprint };
}
