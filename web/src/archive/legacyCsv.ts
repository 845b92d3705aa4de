// A paper-era register book as CSV (POST /v1/archive/legacy-imports; archive/legacy.py): read in the
// browser with the API's own rules, so that each faulty line is named with its reason and left out,
// and the good ones are sent in calls the API takes (500 lines, the body under 256 KiB). Pure.

/** The register's columns as the API reads them: Thai titles as printed, English as the API names them.
 * The first title is the one a person is shown. */
export const COLUMNS = {
  number: ["เลขทะเบียน", "เลขทะเบียนรับ", "เลขทะเบียนส่ง", "number"],
  registered_on: ["วันที่ลงทะเบียน", "ลงวันที่รับ", "วันที่", "registered_on"],
  reference: ["ที่", "reference"],
  letter_date: ["ลงวันที่", "letter_date"],
  sender: ["จาก", "from"],
  recipient: ["ถึง", "to"],
  subject: ["เรื่อง", "subject"],
  action: ["การปฏิบัติ", "action"],
  remark: ["หมายเหตุ", "remark"],
  file_code: ["รหัสแฟ้ม", "file_code"],
  class_code: ["ประเภทการเก็บ", "class_code"],
  closed_on: ["วันที่ปฏิบัติเสร็จ", "closed_on"],
  file: ["ไฟล์", "file"],
} as const;
export type Column = keyof typeof COLUMNS;
export const REQUIRED: readonly Column[] = ["number", "registered_on", "subject"];

export const MAX_LINES = 500; // lines a call (archive/legacy.py MAX_LINES)
const MAX_CSV_CHARS = 199_000; // models.LEGACY_CSV_MAX is 200,000
const MAX_BODY_BYTES = 240_000; // the API takes JSON bodies up to 256 KiB; room for the book's name
const FIELD_MAX = 500;
const SHORT_MAX = 200; // ที่, จาก, ถึง and the scan's name are short lines in a document
const BUDDHIST_OFFSET = 543;
// Direction overrides and invisible marks (text that reads otherwise than it is stored); Thai needs none.
const INVISIBLE = new Set([0x200b, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0xfeff]);

/** Control characters (a line holds none) or invisible ones. */
export function hasHidden(value: string): boolean {
  for (const c of value) {
    const code = c.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || INVISIBLE.has(code)) return true;
  }
  return false;
}

/** Why a line is left out: a code the screen words, with what it is about. */
export type Problem =
  | { code: "number"; value: string }
  | { code: "subject" }
  | { code: "date"; column: string; value: string }
  | { code: "isoBuddhist"; column: string; value: string }
  | { code: "yearRange"; value: string }
  | { code: "class"; value: string }
  | { code: "pdf"; value: string }
  | { code: "long"; column: string; max: number }
  | { code: "hidden"; column: string }
  | { code: "duplicate"; number: number; year: number; first: number };

export interface ReadyLine {
  /** The CSV line as the API counts it (the header is line 1). */
  line: number;
  number: number;
  /** The year of the book the line goes in (พ.ศ. of its registration day). */
  year: number;
  subject: string;
  /** The scan's file name when the line names one. */
  file: string;
  cells: string[];
}

export interface RefusedLine {
  line: number;
  number: string;
  subject: string;
  problems: Problem[];
}

export interface ReadRegister {
  header: string[];
  /** Required columns the header lacks, by their Thai titles (nothing else is read then). */
  missing: string[];
  ready: ReadyLine[];
  refused: RefusedLine[];
}

/** Text of a picked file: UTF-8 (a BOM or not), or the Thai Windows code page older Excel saves. */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\ufeff/, "");
  } catch {
    return new TextDecoder("windows-874").decode(bytes);
  }
}

/** CSV records as Python's csv.reader gives them: quotes doubled inside quoted fields, a blank line an
 * empty record (it still counts as a line). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let started = false; // the record has a field (a blank line has none)
  let i = 0;
  const end = () => {
    if (started || field !== "") record.push(field);
    records.push(record);
    record = [];
    field = "";
    started = false;
  };
  while (i < text.length) {
    const c = text[i] ?? "";
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i += 1;
      continue;
    }
    if (c === '"' && field === "") {
      quoted = true;
      started = true;
    } else if (c === ",") {
      record.push(field);
      field = "";
      started = true;
    } else if (c === "\r" || c === "\n") {
      end();
      if (c === "\r" && text[i + 1] === "\n") i += 1;
    } else {
      field += c;
      started = true;
    }
    i += 1;
  }
  if (started || field !== "" || record.length > 0) end();
  return records;
}

const THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";
export function arabicDigits(text: string): string {
  return text.replace(/[๐-๙]/g, (d) => String(THAI_DIGITS.indexOf(d)));
}

function isoOf(year: number, month: number, day: number): string | null {
  const when = new Date(Date.UTC(year, month - 1, day));
  if (year < 1 || when.getUTCFullYear() !== year || when.getUTCMonth() !== month - 1 || when.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

export type Day = { iso: string } | { fault: "date" | "isoBuddhist" };

/** A register's day: 15/3/2548 (a year from 2400 on is พ.ศ., else ค.ศ.) or 2005-03-15 (ค.ศ.); Thai
 * digits read too. The ISO day, or the fault: no day, or 2548-03-15 (the API would read ค.ศ. 2548). */
export function parseDay(value: string): Day {
  const text = arabicDigits(value.trim());
  const thai = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (thai) {
    const [day, month, year] = [Number(thai[1]), Number(thai[2]), Number(thai[3])];
    const found = isoOf(year >= 2400 ? year - BUDDHIST_OFFSET : year, month, day);
    return found ? { iso: found } : { fault: "date" };
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const found = iso ? isoOf(Number(iso[1]), Number(iso[2]), Number(iso[3])) : null;
  if (!found) return { fault: "date" };
  return Number(iso?.[1]) >= 2400 ? { fault: "isoBuddhist" } : { iso: found };
}

/** Where each column is in the header (the first column with one of its titles). */
export function columnsOf(header: readonly string[]): Partial<Record<Column, number>> {
  const where: Partial<Record<Column, number>> = {};
  for (const [name, titles] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
    const found = header.findIndex((h) => titles.includes(h.trim()));
    if (found >= 0) where[name] = found;
  }
  return where;
}

/** The classes a line may name: by code, or by the class's Thai name (sent as its code). */
export interface Classes {
  codes: ReadonlySet<string>;
  byName: ReadonlyMap<string, string>;
}

/** Every line checked as the API checks it; the faulty ones with all their problems. */
export function readRegister(text: string, classes: Classes, defaultClass: string): ReadRegister {
  const records = parseCsv(text.replace(/^\ufeff/, ""));
  const header = records[0] ?? [];
  const where = columnsOf(header);
  const missing = REQUIRED.filter((n) => where[n] === undefined).map((n) => COLUMNS[n][0]);
  const ready: ReadyLine[] = [];
  const refused: RefusedLine[] = [];
  if (missing.length > 0) return { header, missing, ready, refused };
  const seen = new Map<string, number>();
  records.slice(1).forEach((cells, index) => {
    const line = index + 2;
    if (!cells.some((c) => c.trim())) return;
    const cell = (name: Column) => {
      const at = where[name];
      return at === undefined ? "" : (cells[at] ?? "").trim();
    };
    const problems: Problem[] = [];
    for (const name of Object.keys(where) as Column[]) {
      const value = cell(name);
      const max = name === "reference" || name === "sender" || name === "recipient" || name === "file" ? SHORT_MAX : FIELD_MAX;
      if (value.length > max) problems.push({ code: "long", column: COLUMNS[name][0], max });
      if (hasHidden(value)) problems.push({ code: "hidden", column: COLUMNS[name][0] });
    }
    const numberText = arabicDigits(cell("number"));
    const number = /^\d+$/.test(numberText) ? Number(numberText) : 0;
    if (number < 1 || !Number.isSafeInteger(number)) problems.push({ code: "number", value: cell("number") });
    if (!cell("subject")) problems.push({ code: "subject" });
    let year = 0;
    for (const name of ["registered_on", "letter_date", "closed_on"] as const) {
      const value = cell(name);
      if (!value && name !== "registered_on") continue;
      const day = parseDay(value);
      if ("fault" in day) problems.push({ code: day.fault, column: COLUMNS[name][0], value });
      else if (name === "registered_on") {
        year = Number(day.iso.slice(0, 4)) + BUDDHIST_OFFSET;
        // the book's years are read back with พ.ศ. 2400–2800 (GET /archive/legacy-books/{book}?year=)
        if (year < 2400 || year > 2800) problems.push({ code: "yearRange", value });
      }
    }
    const named = cell("class_code");
    const classCode = named ? (classes.codes.has(named) ? named : classes.byName.get(named)) : defaultClass;
    if (!classCode || !classes.codes.has(classCode)) problems.push({ code: "class", value: named || defaultClass });
    const file = cell("file");
    if (file && !file.toLowerCase().endsWith(".pdf")) problems.push({ code: "pdf", value: file });
    if (problems.length === 0) {
      const key = `${year}#${number}`;
      const first = seen.get(key);
      if (first !== undefined) problems.push({ code: "duplicate", number, year, first });
      else seen.set(key, line);
    }
    if (problems.length > 0) {
      refused.push({ line, number: cell("number"), subject: cell("subject"), problems });
      return;
    }
    const sent = [...cells];
    const at = where.class_code;
    if (at !== undefined && named && classCode) sent[at] = classCode; // a class named in Thai goes as its code
    ready.push({ line, number, year, subject: cell("subject"), file, cells: sent });
  });
  return { header, missing, ready, refused };
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(cells: readonly string[]): string {
  return cells.map(csvCell).join(",");
}

/** UTF-8 bytes the text takes inside a JSON string. */
function jsonBytes(text: string): number {
  return new TextEncoder().encode(JSON.stringify(text)).length - 2;
}

export interface Call {
  csv: string;
  /** the whole file's line number of the first line after this call's header (the API's first_line) */
  firstLine: number;
  lines: ReadyLine[];
}

/** The ready lines as the API's calls: each a CSV with the header, then the call's lines in their places
 * from `firstLine` on, every refused line between them left blank, so the line numbers the API answers
 * (and names in a refusal) are the file's own, however far into a long file the call starts. At most
 * 500 lines and a body the API takes, each. */
export function calls(read: ReadRegister): Call[] {
  const made: Call[] = [];
  const head = csvLine(read.header);
  let lines: ReadyLine[] = [];
  let text = "";
  let chars = 0;
  let bytes = 0;
  let firstLine = 2;
  let at = 1; // the last line written into the current call
  const start = () => {
    text = head;
    lines = [];
    chars = head.length;
    bytes = jsonBytes(head);
  };
  const close = () => {
    if (lines.length > 0) made.push({ csv: `${text}\n`, firstLine, lines });
  };
  start();
  for (const ready of read.ready) {
    const row = csvLine(ready.cells);
    const gap = lines.length === 0 ? 1 : ready.line - at; // newlines: the blank lines between, then this line's own
    if (lines.length === MAX_LINES || (lines.length > 0 && (chars + gap + row.length > MAX_CSV_CHARS || bytes + 2 * gap + jsonBytes(row) > MAX_BODY_BYTES))) {
      close();
      start();
    }
    if (lines.length === 0) {
      firstLine = ready.line;
      at = ready.line - 1;
    }
    const blank = ready.line - at;
    text += "\n".repeat(blank) + row;
    chars += blank + row.length;
    bytes += 2 * blank + jsonBytes(row);
    at = ready.line;
    lines.push(ready);
  }
  close();
  return made;
}

/** The years an import touched, newest first. */
export function yearsOf(lines: readonly { year: number }[]): number[] {
  return [...new Set(lines.map((l) => l.year))].sort((a, b) => b - a);
}

/** The scan a picked file is, by its name (case aside, any folder dropped). */
export function scanKey(name: string): string {
  return (name.split(/[\\/]/).pop() ?? name).trim().toLowerCase();
}
