import i18next, { type Resource } from "i18next";
import { initReactI18next } from "react-i18next";
import { thaiDigits } from "../format/thai";

// Thai first; English is a choice the person makes (kept for the page's life only). The words live in
// one file per screen or area (i18n/<language>/<namespace>.json: a screen adds its own file), read
// here as `t("<namespace>.<key>")`. The letters' words come with the first load; each later area's
// (booking, meetings, archive, assets, admin) come with its screens' chunk (`withWords` in its
// routes.ts), so the first load stays small.
export const AREAS = ["booking", "meetings", "archive", "assets", "admin"] as const;
export type Area = (typeof AREAS)[number];

const PATH = /^\.\/([a-z]+)\/([A-Za-z0-9_-]+)\.json$/;
const files = import.meta.glob<Record<string, unknown>>(
  ["./*/*.json", "!./*/booking.json", "!./*/meetings.json", "!./*/archive.json", "!./*/assets.json", "!./*/admin.json"],
  { eager: true, import: "default" },
);
const later = import.meta.glob<Record<string, unknown>>(
  ["./*/booking.json", "./*/meetings.json", "./*/archive.json", "./*/assets.json", "./*/admin.json"],
  { import: "default" },
);

const resources: Resource = {};
for (const [path, words] of Object.entries(files)) {
  const [, language = "", namespace = ""] = PATH.exec(path) ?? [];
  const translation = (resources[language] ??= { translation: {} }).translation as Record<string, unknown>;
  translation[namespace] = words;
}

// Numbers put into sentences (counts, numbers, years: "๒๐ ที่นั่ง") are written as the agency writes
// them: Thai digits where its setting says so (GET /v1/me `agency.thai_numerals`, set by useMe), in Thai
// only. Only values passed as numbers: text (a name, an e-mail address, a file's name, a book's id) is
// put in as it is. i18next hands every interpolated value, raw, to `escape`; React escapes what it
// renders, so this is all escape does here.
let agencyWritesThaiDigits = false;

export function writeThaiDigits(on: boolean): void {
  agencyWritesThaiDigits = on;
}

export function interpolated(value: unknown, language: string): string {
  const text = String(value);
  return typeof value === "number" && agencyWritesThaiDigits && language === "th" ? thaiDigits(text) : text;
}

void i18next.use(initReactI18next).init({
  resources,
  lng: "th",
  fallbackLng: "th",
  interpolation: {
    escapeValue: true,
    useRawValueToEscape: true,
    escape: (value: unknown) => interpolated(value, i18next.language),
  },
});

i18next.on("languageChanged", (language) => {
  document.documentElement.lang = language;
});

/** An area's words in every language, fetched once (its chunk), added under `<area>.`. */
export async function loadWords(area: Area): Promise<void> {
  await Promise.all(
    Object.entries(later)
      .filter(([path]) => PATH.exec(path)?.[2] === area)
      .map(async ([path, load]) => {
        const [, language = ""] = PATH.exec(path) ?? [];
        i18next.addResourceBundle(language, "translation", { [area]: await load() }, true, true);
      }),
  );
}

/** A screen's module together with its area's words: for lazyRouteComponent in an area's routes.ts. */
export async function withWords<T>(area: Area, screen: () => Promise<T>): Promise<T> {
  const [module] = await Promise.all([screen(), loadWords(area)]);
  return module;
}

export default i18next;
