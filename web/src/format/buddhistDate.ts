// Dates as a Thai office types them: day/month/year in the Buddhist era (30/11/2569), Thai or Arabic
// digits, read into the ISO date the API takes (2026-11-30), and back.

const BE_OFFSET = 543;
const THAI_ZERO = "๐".charCodeAt(0);

/** Why a typed date was not read: not d/m/yyyy, a year not in พ.ศ., or no such day. */
export type DateProblem = "format" | "year" | "day";
export type ParsedDate = { ok: true; iso: string } | { ok: false; problem: DateProblem };

function arabic(text: string): string {
  return text.replace(/[๐-๙]/g, (d) => String(d.charCodeAt(0) - THAI_ZERO));
}

/** "30/11/2569" (or ๓๐/๑๑/๒๕๖๙, 30-11-2569, 30.11.2569) to "2026-11-30"; null when nothing was typed. */
export function parseBuddhistDate(text: string): ParsedDate | null {
  const typed = arabic(text).trim();
  if (!typed) return null;
  const match = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(typed);
  if (!match) return { ok: false, problem: "format" };
  const [, d = "", m = "", y = ""] = match;
  const day = Number(d);
  const month = Number(m);
  const beYear = Number(y);
  if (beYear < 2400 || beYear > 2800) return { ok: false, problem: "year" };
  const year = beYear - BE_OFFSET;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    return { ok: false, problem: "day" };
  }
  return { ok: true, iso: `${String(year).padStart(4, "0")}-${pad(month)}-${pad(day)}` };
}

/** "2026-11-30" to "30/11/2569" (what the field shows for a date the API gave). */
export function toBuddhistInput(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!match) return "";
  const [, y = "", m = "", d = ""] = match;
  return `${Number(d)}/${Number(m)}/${Number(y) + BE_OFFSET}`;
}

/** The Buddhist year of a moment in Bangkok (a register's book-year). */
export function buddhistYear(moment: Date): number {
  const year = new Intl.DateTimeFormat("en-US", { year: "numeric", timeZone: "Asia/Bangkok" }).format(moment);
  return Number(year) + BE_OFFSET;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
