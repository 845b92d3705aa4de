import type { InputHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { parseClock } from "./week";

/** A clock time as a Thai office writes it, 24-hour (09:00, 13.30, ๑๔:๐๐): a text field, not the
 * browser's time picker, which shows AM/PM in the browser's language. Tidied to 09:00 on leaving it. */
export function ClockInput({
  value,
  onChange,
  ...rest
}: { value: string; onChange: (value: string) => void } & Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange">) {
  const { t } = useTranslation();
  return (
    <input
      {...rest}
      inputMode="numeric"
      autoComplete="off"
      placeholder={t("booking.clockPlaceholder")}
      maxLength={5}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onBlur={() => {
        const tidy = parseClock(value);
        if (tidy && tidy !== value) onChange(tidy);
      }}
    />
  );
}
