import { Link, useNavigate, useParams, useSearch } from "@tanstack/react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import "../screens/saraban.css";
import "./archive.css";
import { useLegacyBook } from "./api";
import { ArchiveNav } from "./ArchiveNav";
import { parseDay } from "./legacyCsv";
import "./legacy.css";

/** /archive/legacy/$bookId?year=: an imported register book's year, in its original numbers' order,
 * each line's record one click away. */
export function LegacyBookView() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const { bookId } = useParams({ from: "/archive/legacy/$bookId" });
  const search = useSearch({ from: "/archive/legacy/$bookId" });
  const year = search.year ?? new Date().getFullYear() + 543;
  const [typed, setTyped] = useState(String(year));
  const [shownYear, setShownYear] = useState(year);
  if (shownYear !== year) {
    // another year opened (a link, back/forward): the field follows it (React's "adjust state on change")
    setShownYear(year);
    setTyped(String(year));
  }
  const book = useLegacyBook(bookId, year);
  const data = book.data;
  const title = data ? t("archive.legacy.bookTitle", { name: data.name, year: fmt.digits(year) }) : t("archive.legacy.bookTitleId", { book: bookId, year: fmt.digits(year) });

  /** The letter's date as the paper book wrote it: a Thai date when it reads as one, else as written. */
  function letterDay(value: string): string {
    if (!value) return "—";
    const day = parseDay(value);
    return "iso" in day ? fmt.date(day.iso) : fmt.digits(value);
  }

  return (
    <section>
      <h1>{title}</h1>
      <ArchiveNav />
      <p>
        <Link to="/archive/legacy">{t("archive.legacy.back")}</Link>
      </p>
      {data && (
        <p className="hint">
          {t("archive.legacy.bookFacts", {
            book: data.book_id,
            direction: data.direction === "outgoing" ? t("archive.legacy.outgoing") : t("archive.legacy.incoming"),
            n: fmt.digits(data.entries.length),
          })}
        </p>
      )}
      <form
        className="filters"
        aria-label={t("archive.legacy.yearForm")}
        onSubmit={(e) => {
          e.preventDefault();
          void navigate({ to: "/archive/legacy/$bookId", params: { bookId }, search: { year: Number(typed) } });
        }}
      >
        <label>
          {t("archive.legacy.year")}
          <input type="number" required min={2400} max={2800} value={typed} onChange={(e) => setTyped(e.target.value)} />
        </label>
        <button type="submit">{t("archive.legacy.showYear")}</button>
      </form>
      {book.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {book.isError && <ErrorNote error={book.error} onRetry={() => void book.refetch()} />}
      {data &&
        (data.entries.length === 0 ? (
          <p className="empty">{t("archive.legacy.noEntries", { year: fmt.digits(year) })}</p>
        ) : (
          <div className="scroll" tabIndex={0} role="region" aria-label={t("archive.scroll")}>
            <table className="register archive-table legacy-book" aria-busy={book.isFetching}>
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("archive.legacy.number")}</th>
                  <th scope="col">{t("archive.legacy.registeredOn")}</th>
                  <th scope="col">{t("archive.columns.reference")}</th>
                  <th scope="col">{t("archive.columns.letterDate")}</th>
                  <th scope="col">{t("archive.legacy.from")}</th>
                  <th scope="col">{t("archive.legacy.to")}</th>
                  <th scope="col">{t("archive.columns.subject")}</th>
                  <th scope="col">{t("archive.legacy.action")}</th>
                  <th scope="col">{t("archive.columns.fileCode")}</th>
                  <th scope="col">{t("archive.columns.note")}</th>
                </tr>
              </thead>
              <tbody>
                {data.entries.map((e) => (
                  <tr key={e.number}>
                    <td className="nowrap">{fmt.digits(e.number)}</td>
                    <td className="nowrap">{fmt.date(e.registered_on)}</td>
                    <td className="nowrap">{fmt.digits(e.reference)}</td>
                    <td className="nowrap">{letterDay(e.letter_date)}</td>
                    <td className="party">{e.sender || "—"}</td>
                    <td className="party">{e.recipient || "—"}</td>
                    <td className="subject">
                      <Link to="/documents/$documentId" params={{ documentId: e.document_id }}>
                        {e.subject}
                      </Link>
                    </td>
                    <td>{e.action || "—"}</td>
                    <td className="nowrap">{fmt.digits(e.file_code)}</td>
                    <td>{e.remark || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
