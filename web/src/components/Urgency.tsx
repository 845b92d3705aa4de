import { useTranslation } from "react-i18next";

const KNOWN = new Set(["normal", "urgent", "very_urgent", "most_urgent"]);

/** ชั้นความเร็ว at a glance: ด่วนที่สุด in red, ด่วนมาก in orange, ด่วน in amber; words, not colour alone. */
export function Urgency({ value }: { value: string }) {
  const { t } = useTranslation();
  const level = KNOWN.has(value) ? value : "normal";
  if (level === "normal") return <span className="urgency normal">{t("urgency.normal")}</span>;
  return <strong className={`urgency ${level}`}>{t(`urgency.${level}`)}</strong>;
}
