import { useTranslation } from "react-i18next";
import { useMe } from "../api/me";
import { longDate, shortDateTime, thaiDigits } from "./thai";

export interface Format {
  /** 30 พฤศจิกายน 2569 */
  date: (value: Date | string | null | undefined) => string;
  /** 30 พ.ย. 2569 09:30 */
  dateTime: (value: Date | string | null | undefined) => string;
  /** A number or a reference as the agency writes it: Thai digits where it chose them, in Thai. */
  digits: (value: string | number | null | undefined) => string;
}

const NONE = "—";

/** Dates and numbers as the signed-in person's agency writes them: the Buddhist year in Thai, and Thai
 * digits where the agency's setting `thai_numerals` says so (from GET /v1/me; docs/rules.md, Calendar
 * and numerals). English always uses Arabic digits. */
export function useFormat(): Format {
  const { i18n } = useTranslation();
  const me = useMe();
  const language = i18n.language;
  const numerals = me.data?.agency.thai_numerals ?? false;
  return formatFor(language, numerals);
}

export function formatFor(language: string, numerals: boolean): Format {
  return {
    date: (value) => (value ? longDate(value, language, numerals) : NONE),
    dateTime: (value) => (value ? shortDateTime(value, language, numerals) : NONE),
    digits: (value) => {
      if (value === null || value === undefined || value === "") return NONE;
      const text = String(value);
      return numerals && language === "th" ? thaiDigits(text) : text;
    },
  };
}
