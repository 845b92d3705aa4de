// The week view's dates and times, in Bangkok (the agency's clock) whatever the browser's zone: a week
// runs Monday to Sunday; a booking is sent with its +07:00 offset.
import { thaiDigits } from "../format/thai";

const ZONE = "Asia/Bangkok";
const DAY_MS = 86_400_000;

/** The Bangkok date of a moment, as 2026-12-01. */
export function bangkokDay(moment: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(moment);
}

/** An ISO date moved by whole days. */
export function addDays(day: string, days: number): string {
  const [y = 0, m = 1, d = 1] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday of the week an ISO date is in. */
export function mondayOf(day: string): string {
  const [y = 0, m = 1, d = 1] = day.split("-").map(Number);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 Sunday .. 6 Saturday
  return addDays(day, -((weekday + 6) % 7));
}

/** The seven dates of the week starting on a Monday. */
export function weekOf(monday: string): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** The moment a Bangkok date and clock time name, as the API takes it: 2026-12-01T09:00:00+07:00. */
export function atBangkok(day: string, clock: string): string {
  return `${day}T${clock.slice(0, 5)}:00+07:00`;
}

/** A moment's Bangkok clock time: 09:30 (Thai digits where the agency writes them). */
export function clockOf(value: string, language: string, numerals: boolean): string {
  const text = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(
    new Date(value),
  );
  return numerals && language === "th" ? thaiDigits(text) : text;
}

/** The Bangkok date of a moment given by the API (2026-12-01T09:00:00+07:00). */
export function dayOf(value: string): string {
  return bangkokDay(new Date(value));
}

function noon(day: string): Date {
  return new Date(`${day}T12:00:00+07:00`);
}

/** วันจันทร์ (th) or Monday (en). */
export function weekdayName(day: string, language: string): string {
  return new Intl.DateTimeFormat(language === "th" ? "th-TH" : "en-GB", { weekday: "long", timeZone: ZONE }).format(noon(day));
}

/** 1 ธ.ค. 2569 (th, Buddhist year) or 1 Dec 2026 (en). */
export function shortDay(day: string, language: string, numerals: boolean): string {
  const text = new Intl.DateTimeFormat(language === "th" ? "th-TH-u-ca-buddhist" : "en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: ZONE,
  }).format(noon(day));
  return numerals && language === "th" ? thaiDigits(text) : text;
}

/** A clock time typed as 9:00, 09.30 or 0930 read as 09:00 / 09:30; null when it is not one. */
export function parseClock(text: string): string | null {
  const arabic = text.trim().replace(/[๐-๙]/g, (d) => String(d.charCodeAt(0) - "๐".charCodeAt(0)));
  const match = /^(\d{1,2})[:.]?(\d{2})$/.exec(arabic);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return null;
  return `${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
}

/** Months as yyyy-mm (what the API takes), newest first: `ahead` months after today's, then today's
 * and the ones before it, `count` in all. */
export function recentMonths(today: string, count = 12, ahead = 0): string[] {
  const [y = 0, m = 1] = today.split("-").map(Number);
  return Array.from({ length: count }, (_, i) => {
    const index = y * 12 + (m - 1) - i + ahead;
    return `${String(Math.floor(index / 12))}-${String((index % 12) + 1).padStart(2, "0")}`;
  });
}
