import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useMe, type Me } from "../api/me";

/** A register book's name as people say it (ทะเบียนหนังสือรับ, ทะเบียนหนังสือรับรอง): the API names every
 * book of the agency, the standard five and any it defines itself (GET /v1/me `register_books`). */
export function bookName(
  me: Me | undefined,
  id: string,
  language: string,
  t: TFunction,
): string {
  const book = me?.register_books.find((b) => b.id === id);
  if (language === "th") return book ? t("registers.named", { name: book.name_th }) : t(`registers.books.${id}`, { defaultValue: id });
  return t(`registers.books.${id}`, { defaultValue: book ? t("registers.named", { name: book.name_en }) : id });
}

export function useBookName(): (id: string) => string {
  const { t, i18n } = useTranslation();
  const me = useMe();
  return (id) => bookName(me.data, id, i18n.language, t);
}
