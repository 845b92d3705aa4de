import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { useMe } from "../api/me";
import { useBookName } from "../registers/books";
import { ErrorNote } from "../components/ErrorNote";
import { AdminPage } from "./AdminPage";

const STANDARD = new Set(["incoming", "outgoing", "circular", "order", "announcement"]);

/** The agency's register books (GET /v1/me `books`): the five every agency has and its own, which are
 * set in its onboarding settings (the API has no call to change them). Each opens in the registers. */
export function Books() {
  const { t } = useTranslation();
  const me = useMe();
  const books = me.data?.books ?? [];
  const bookName = useBookName();
  return (
    <AdminPage title={t("admin.registers.title")}>
      <p className="note">{t("admin.registers.readOnly")}</p>
      {me.isError && <ErrorNote error={me.error} />}
      {books.length === 0 ? (
        <p className="empty">{t("admin.registers.none")}</p>
      ) : (
        <div className="scroll">
          <table className="register">
            <caption className="visually-hidden">{t("admin.registers.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("admin.registers.book")}</th>
                <th scope="col">{t("admin.registers.id")}</th>
                <th scope="col">{t("admin.registers.origin")}</th>
              </tr>
            </thead>
            <tbody>
              {books.map((book) => {
                const name = bookName(book);
                return (
                  <tr key={book}>
                    <td>{name}</td>
                    <td className="mono">{book}</td>
                    <td>{STANDARD.has(book) ? t("admin.registers.standard") : t("admin.registers.own")}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <Link to="/registers">{t("admin.registers.open")}</Link>
      </p>
    </AdminPage>
  );
}
