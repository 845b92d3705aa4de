// Dates, numerals and order as a Thai office reads them: the Buddhist year with Thai month names (from
// the browser's own Intl data, th-TH with the Buddhist calendar), Thai digits where the agency uses
// them, and Thai dictionary order for lists.

const THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";

export function thaiDigits(text: string): string {
  return text.replace(/[0-9]/g, (d) => THAI_DIGITS[Number(d)] ?? d);
}

function locale(language: string): string {
  return language === "th" ? "th-TH-u-ca-buddhist" : "en-GB";
}

/** 30 พฤศจิกายน 2569 (th) or 30 November 2026 (en). */
export function longDate(value: Date | string, language: string, numerals = false): string {
  const text = new Intl.DateTimeFormat(locale(language), { dateStyle: "long", timeZone: "Asia/Bangkok" }).format(
    new Date(value),
  );
  return numerals && language === "th" ? thaiDigits(text) : text;
}

/** 30 พ.ย. 2569 09:30 (th): a register's or an inbox's short form, Bangkok time. */
export function shortDateTime(value: Date | string, language: string, numerals = false): string {
  const text = new Intl.DateTimeFormat(locale(language), {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "Asia/Bangkok",
  }).format(new Date(value));
  return numerals && language === "th" ? thaiDigits(text) : text;
}

const collator = new Intl.Collator("th");

/** Thai dictionary order (a leading vowel เ แ โ ใ ไ sorts by the consonant after it). */
export function thaiSorted<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => collator.compare(key(a), key(b)));
}
