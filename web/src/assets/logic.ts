// Pure rules of the asset screens: the fiscal year, the register's search and order, and reading an
// agency's existing register from a CSV file into the rows POST /v1/assets-import takes.
import { parseBuddhistDate } from "../format/buddhistDate";
import { thaiSorted } from "../format/thai";

const BE_OFFSET = 543;

export const STATUSES = ["in_use", "repair", "unused", "disposed"] as const;
export type AssetStatus = (typeof STATUSES)[number];
export const RESULTS = ["found", "damaged", "unused", "missing"] as const;
export type FindingResult = (typeof RESULTS)[number];

/** The fiscal year (พ.ศ.) of an ISO date or a moment in Bangkok: 1 October starts the next one. */
export function fiscalYearOf(value: string | Date): number {
  const iso =
    typeof value === "string"
      ? value
      : new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Bangkok", year: "numeric", month: "2-digit", day: "2-digit" }).format(value);
  const [y = "0", m = "0"] = iso.split("-");
  return Number(y) + BE_OFFSET + (Number(m) >= 10 ? 1 : 0);
}

/** The asset fields the register's screens show and filter on. */
export interface AssetLine {
  id: string;
  number: string;
  class_code: string;
  description: string;
  unit_id: string;
  location: string;
  status: string;
}

export interface RegisterFilter {
  q: string;
  status: string;
  unit: string;
  classCode: string;
}
export const NO_FILTER: RegisterFilter = { q: "", status: "", unit: "", classCode: "" };
export type RegisterOrder = "number" | "name";

/** The assets matching the filter, by number (as the API gives them) or by name in Thai dictionary order. */
export function selectAssets<T extends AssetLine>(items: readonly T[], filter: RegisterFilter, order: RegisterOrder): T[] {
  const words = filter.q.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const kept = items.filter(
    (a) =>
      (!filter.status || a.status === filter.status) &&
      (!filter.unit || a.unit_id === filter.unit) &&
      (!filter.classCode || a.class_code === filter.classCode) &&
      words.every((w) => `${a.number} ${a.description} ${a.location}`.toLowerCase().includes(w)),
  );
  return order === "name" ? thaiSorted(kept, (a) => a.description) : kept;
}

/** One page of a list, and how many pages there are (at least one). */
export function pageOf<T>(items: readonly T[], page: number, size: number): { items: T[]; pages: number; page: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const at = Math.min(Math.max(0, page), pages - 1);
  return { items: items.slice(at * size, at * size + size), pages, page: at };
}

/** Baht as typed (1,250.5) to the API's form (1250.5), or null when it is not an amount. */
export function moneyOf(text: string): string | null {
  const plain = text.replace(/[,\s]/g, "");
  return /^[0-9]{1,12}(\.[0-9]{1,2})?$/.test(plain) ? plain : null;
}

/** A date as a register writes it: ISO (2026-11-30) or Buddhist (30/11/2569); null when not a date. */
export function dateOf(text: string): string | null {
  const typed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(typed)) {
    const probe = new Date(`${typed}T00:00:00Z`);
    return !Number.isNaN(probe.getTime()) && probe.toISOString().startsWith(typed) && Number(typed.slice(0, 4)) < 2400 ? typed : null;
  }
  const parsed = parseBuddhistDate(typed);
  return parsed?.ok ? parsed.iso : null;
}

// -- Units ---------------------------------------------------------------------------------------------

/** A unit of the agency as GET /v1/users gives it (id, Thai name, the code on a letter's ที่ line). */
export interface UnitLine {
  id: string;
  name: string;
  code: string;
}

/** What a person reads for a unit id: its Thai name, or the id itself when the directory has no such
 * unit (a register imported before, or an agency without its units set), or — for none. */
export function unitName(units: ReadonlyMap<string, UnitLine>, id: string | null | undefined): string {
  if (!id) return "—";
  return units.get(id)?.name ?? id;
}

const foldSpaces = (text: string) => text.trim().replace(/\s+/g, " ");

/** The units to choose from, by name in Thai dictionary order, then any other id in use (`also`: the
 * assets' own unit ids, the value now chosen) that the directory does not know, shown as it is. A name
 * several units share (ฝ่ายบริหารทั่วไป under each กอง) is followed by each one's code, else they could
 * not be told apart. */
export function unitChoices(units: readonly UnitLine[], also: readonly string[] = []): { id: string; name: string }[] {
  const known = new Set(units.map((u) => u.id));
  const others = [...new Set(also.filter((id) => id && !known.has(id)))].sort();
  const named = new Map<string, number>();
  for (const u of units) named.set(foldSpaces(u.name), (named.get(foldSpaces(u.name)) ?? 0) + 1);
  const label = (u: UnitLine) => ((named.get(foldSpaces(u.name)) ?? 0) > 1 && u.code ? `${u.name} (${u.code})` : u.name);
  return [...thaiSorted(units, (u) => label(u)).map((u) => ({ id: u.id, name: label(u) })), ...others.map((id) => ({ id, name: id }))];
}

/** A unit as an imported register may write it (its id, its Thai name or its code, spaces folded) to its
 * id; null for a name or code more than one unit has, which the import refuses rather than guess. */
export function unitLookup(units: readonly UnitLine[]): Map<string, string | null> {
  const map = new Map<string, string | null>();
  for (const u of units)
    for (const word of [u.code, u.name]) {
      if (!word) continue;
      const key = foldSpaces(word);
      const had = map.get(key);
      map.set(key, had === undefined || had === u.id ? u.id : null);
    }
  // An id is one unit's alone, whatever a name or code elsewhere happens to spell.
  for (const u of units) map.set(u.id, u.id);
  return map;
}

// -- CSV -----------------------------------------------------------------------------------------------

/** RFC 4180 CSV: quoted fields with commas, quotes ("") and line breaks; a BOM and CRLF are fine. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const source = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < source.length; i++) {
    const c = source.charAt(i);
    if (quoted) {
      if (c === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && source[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ""));
}

export const IMPORT_FIELDS = [
  "number",
  "class_code",
  "description",
  "acquired_on",
  "document",
  "price",
  "funding",
  "location",
  "unit_id",
  "custodian",
  "status",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
const REQUIRED: ImportField[] = ["number", "class_code", "description", "acquired_on", "price"];

/** A column's heading as an agency's register writes it (Thai or the API's own name). */
const HEADINGS: Record<string, ImportField> = {
  เลขครุภัณฑ์: "number",
  "รหัสครุภัณฑ์": "number",
  ประเภท: "class_code",
  รหัสประเภท: "class_code",
  รายการ: "description",
  "ชื่อครุภัณฑ์": "description",
  วันที่ได้มา: "acquired_on",
  "เลขที่เอกสาร": "document",
  ราคา: "price",
  "ราคาต่อหน่วย": "price",
  แหล่งเงิน: "funding",
  สถานที่: "location",
  "สถานที่ตั้ง": "location",
  หน่วยงาน: "unit_id",
  ผู้รับผิดชอบ: "custodian",
  สถานะ: "status",
};

const STATUS_WORDS: Record<string, "in_use" | "repair" | "unused"> = {
  in_use: "in_use",
  repair: "repair",
  unused: "unused",
  ใช้งาน: "in_use",
  ใช้งานได้: "in_use",
  ซ่อม: "repair",
  ส่งซ่อม: "repair",
  ไม่ได้ใช้: "unused",
  ไม่ได้ใช้งาน: "unused",
};

export interface LegacyRow {
  number: string;
  class_code: string;
  description: string;
  acquired_on: string;
  document: string;
  price: string;
  funding: string;
  location: string;
  unit_id: string;
  custodian: string | null;
  status: "in_use" | "repair" | "unused";
}

/** Why a row is refused: a code the screen words (assets.import.reasons.<code>), with the field. */
export interface RowProblem {
  code: "missing" | "date" | "price" | "class" | "status" | "custodian" | "unit" | "unitShared" | "twice" | "long";
  field: ImportField;
}
export interface RefusedRow {
  line: number; // the line in the file, the heading being line 1
  number: string;
  problems: RowProblem[];
}
export interface ReadImport {
  rows: LegacyRow[];
  refused: RefusedRow[];
  /** headings the file lacks (nothing is read without them) */
  missingColumns: ImportField[];
}

/** The file's rows checked as the API would: each good row ready to send, each other with its reasons.
 * `unitIds` reads the unit column (a unit's id, Thai name or code, see unitLookup) to the unit's id; a
 * unit it does not know is refused, so that the register names only the agency's own units, and so is a
 * name several units share (null in `unitIds`). Without any units (an agency whose structure is not
 * set), the column is sent as written. */
export function readImport(
  text: string,
  classes: ReadonlySet<string>,
  userIds: ReadonlyMap<string, string>,
  unitIds: ReadonlyMap<string, string | null> = new Map(),
): ReadImport {
  const [heading = [], ...body] = parseCsv(text);
  const columns = heading.map((h) => {
    const name = h.trim();
    return (IMPORT_FIELDS as readonly string[]).includes(name) ? (name as ImportField) : HEADINGS[name];
  });
  const missingColumns = REQUIRED.filter((f) => !columns.includes(f));
  if (missingColumns.length > 0) return { rows: [], refused: [], missingColumns };
  const seen = new Map<string, number>();
  for (const cells of body) {
    const n = (cells[columns.indexOf("number")] ?? "").trim();
    if (n) seen.set(n, (seen.get(n) ?? 0) + 1);
  }
  const rows: LegacyRow[] = [];
  const refused: RefusedRow[] = [];
  body.forEach((cells, index) => {
    const value = (field: ImportField) => {
      const at = columns.indexOf(field);
      return at < 0 ? "" : (cells[at] ?? "").trim();
    };
    const problems: RowProblem[] = [];
    for (const field of REQUIRED) if (!value(field)) problems.push({ code: "missing", field });
    const number = value("number");
    if (number && (seen.get(number) ?? 0) > 1) problems.push({ code: "twice", field: "number" });
    const classCode = value("class_code");
    if (classCode && !classes.has(classCode)) problems.push({ code: "class", field: "class_code" });
    const acquired = value("acquired_on") ? dateOf(value("acquired_on")) : "";
    if (acquired === null) problems.push({ code: "date", field: "acquired_on" });
    const price = value("price") ? moneyOf(value("price")) : "";
    if (price === null) problems.push({ code: "price", field: "price" });
    const statusWord = value("status");
    const status = statusWord ? STATUS_WORDS[statusWord] : "in_use";
    if (!status) problems.push({ code: "status", field: "status" });
    const who = value("custodian");
    const custodian = who ? (userIds.get(who) ?? null) : null;
    if (who && !custodian) problems.push({ code: "custodian", field: "custodian" });
    const unitWord = value("unit_id");
    const unit = !unitWord || unitIds.size === 0 ? unitWord : unitIds.get(foldSpaces(unitWord));
    if (unit === undefined) problems.push({ code: "unit", field: "unit_id" });
    else if (unit === null) problems.push({ code: "unitShared", field: "unit_id" });
    const limits: [ImportField, number][] = [
      ["number", 200],
      ["description", 500],
      ["document", 200],
      ["funding", 200],
      ["location", 200],
      ["unit_id", 200],
    ];
    for (const [field, most] of limits) if (value(field).length > most) problems.push({ code: "long", field });
    if (problems.length > 0) {
      refused.push({ line: index + 2, number, problems });
      return;
    }
    rows.push({
      number,
      class_code: classCode,
      description: value("description"),
      acquired_on: acquired ?? "",
      document: value("document"),
      price: price ?? "",
      funding: value("funding"),
      location: value("location"),
      unit_id: unit ?? "",
      custodian,
      status: status ?? "in_use",
    });
  });
  return { rows, refused, missingColumns: [] };
}

/** Rows in the API's calls of at most `size` (500: the import's limit a call). */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What a label's QR code says, as a scanner types it: the asset's page, whose last part is its id. */
export function scanCode(origin: string, assetId: string): string {
  return `${origin.replace(/\/$/, "")}/assets/${assetId}`;
}

/** 36500.5 as 36,500.50 (baht, two decimals). */
export function baht(amount: string): string {
  const value = Number(amount);
  return Number.isFinite(value) ? value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : amount;
}

/** An asset number as the agency's format makes it ({class_code}, {fiscal_year}, {seq} or {seq:04d}),
 * for the settings' preview; null when the format has a field the API would refuse. */
export function formatNumber(format: string, classCode: string, fiscalYear: number, seq: number): string | null {
  if (!format) return null;
  const parts = format.split(/(\{[^{}]*\})/);
  let made = "";
  for (const part of parts) {
    if (!part.startsWith("{")) {
      if (/[{}]/.test(part)) return null;
      made += part;
      continue;
    }
    const field = part.slice(1, -1);
    const padded = /^seq:0([1-9])d$/.exec(field);
    if (field === "class_code") made += classCode;
    else if (field === "fiscal_year") made += String(fiscalYear);
    else if (field === "seq") made += String(seq);
    else if (padded) made += String(seq).padStart(Number(padded[1]), "0");
    else return null;
  }
  return made;
}
