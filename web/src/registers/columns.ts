import type { components } from "../api/schema";
import { shortDateTime, thaiDigits } from "../format/thai";

export type EntryLine = components["schemas"]["EntryLine"];
export type Column =
  | "number"
  | "registered_at"
  | "reference"
  | "letter_date"
  | "from"
  | "to"
  | "subject"
  | "action"
  | "signer"
  | "owner_unit"
  | "remark";

const LETTERS: Column[] = ["number", "registered_at", "reference", "letter_date", "from", "to", "subject", "action", "remark"];
const ORDERS: Column[] = ["number", "letter_date", "subject", "signer", "owner_unit", "remark"];

/** The columns of the book's form (แบบทะเบียนหนังสือรับ / ส่ง, ทะเบียนคำสั่ง / ประกาศ), as the API prints them
 * (registers/domain.py, LAYOUT_COLUMNS): orders and announcements list signer and owning unit; letters,
 * incoming or outgoing, the ที่ line, จาก and ถึง. An agency's own book is a book of letters. */
export function columnsOf(book: string): Column[] {
  return book === "order" || book === "announcement" ? ORDERS : LETTERS;
}

/** A cell as a Thai register shows it: dates in the Buddhist year, an order's number as on its ที่ line;
 * numbers, dates and ที่ lines in Thai digits where the agency writes them so (`numerals`, Thai only). */
export function cellText(entry: EntryLine, column: Column, language: string, numerals = false): string {
  const text = plainCell(entry, column, language);
  return numerals && language === "th" && NOWRAP.has(column) ? thaiDigits(text) : text;
}

function plainCell(entry: EntryLine, column: Column, language: string): string {
  switch (column) {
    case "number":
      return entry.book === "order" && entry.ref_line ? entry.ref_line.replace(/^ที่\s*/, "") : String(entry.number);
    case "registered_at":
      return shortDateTime(entry.registered_at, language);
    case "letter_date":
      return entry.letter_date && /^\d{4}-\d{2}-\d{2}/.test(entry.letter_date)
        ? shortDate(entry.letter_date, language)
        : (entry.letter_date ?? "");
    case "reference":
      return entry.reference ?? entry.ref_line ?? "";
    case "from":
      return entry.from;
    case "to":
      return entry.recipients && entry.recipients.length > 0 ? entry.recipients.join(", ") : entry.to;
    case "subject":
      return entry.subject;
    case "action":
      return entry.action ?? "";
    case "signer":
      return entry.signer;
    case "owner_unit":
      return entry.owner_unit;
    case "remark":
      return entry.remark;
  }
}

/** 20 พ.ย. 2569 (th): a register's date column, short as on the paper form. */
export function shortDate(value: string, language: string): string {
  return new Intl.DateTimeFormat(language === "th" ? "th-TH-u-ca-buddhist" : "en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "Asia/Bangkok",
  }).format(new Date(value));
}

/** Columns kept on one line: numbers, dates, the ที่ line. */
export const NOWRAP: ReadonlySet<Column> = new Set(["number", "registered_at", "letter_date", "reference"]);
