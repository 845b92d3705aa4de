import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { hasRole, useMe } from "../api/me";
import { download } from "../api/transfer";
import "./saraban.css";
import { ErrorNote } from "../components/ErrorNote";
import { ReasonDialog } from "../components/ReasonDialog";
import { buddhistYear, parseBuddhistDate } from "../format/buddhistDate";
import { useFormat } from "../format/useFormat";
import { useBookName } from "../registers/books";
import { cellText, columnsOf, NOWRAP, type EntryLine } from "../registers/columns";

const URGENCIES = ["urgent", "very_urgent", "most_urgent"] as const;
type Urgency = (typeof URGENCIES)[number];
const PAGE = 50;

/** The filters as applied (the form holds what is being typed until ค้นหา). */
interface Filters {
  q: string;
  urgency: Urgency | "";
  from: string;
  to: string;
}
const NO_FILTERS: Filters = { q: "", urgency: "", from: "", to: "" };

export function Registers() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const numerals = me.data?.agency.thai_numerals ?? false;
  const fmt = useFormat();
  const bookName = useBookName();
  const queries = useQueryClient();
  const books = me.data?.books ?? [];
  const [chosenBook, setBook] = useState<string | null>(null);
  const book = chosenBook ?? (books.includes("incoming") ? "incoming" : (books[0] ?? ""));
  const thisYear = buddhistYear(new Date());
  const [year, setYear] = useState(thisYear);
  const [typed, setTyped] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [dateProblem, setDateProblem] = useState<"from" | "to" | null>(null);
  const [cursors, setCursors] = useState<string[]>([]);
  const [cancelling, setCancelling] = useState<EntryLine | null>(null);
  const [exporting, setExporting] = useState<"csv" | "pdf" | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const [said, setSaid] = useState("");
  const cursor = cursors.at(-1);

  const query = {
    year,
    ...(filters.q.trim() ? { q: filters.q.trim() } : {}),
    ...(filters.urgency ? { urgency: filters.urgency } : {}),
    ...(filters.from ? { from: filters.from } : {}),
    ...(filters.to ? { to: filters.to } : {}),
  };
  const page = useQuery({
    queryKey: ["register", book, query, cursor ?? ""],
    queryFn: async () =>
      unwrap(
        await api.GET("/v1/registers/{book}", {
          params: { path: { book }, query: { ...query, limit: PAGE, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    enabled: book !== "",
    placeholderData: keepPreviousData,
  });
  const cancel = useMutation({
    mutationFn: async ({ line, reason }: { line: EntryLine; reason: string }) =>
      unwrap(
        await api.POST("/v1/registers/{book}/entries/{year}/{number}/cancel", {
          params: { path: { book: line.book, year: line.year, number: line.number } },
          body: { reason },
        }),
      ),
    onSuccess: async (line) => {
      setSaid(t("registers.cancelled", { number: fmt.digits(line.number), year: fmt.digits(line.year) }));
      await queries.invalidateQueries({ queryKey: ["register", line.book] });
    },
  });
  // A line stored with malformed text before text was checked at the door (shown with �) is rewritten
  // well formed by the records officer (or the admin); the API audits the text before and after.
  const repair = useMutation({
    mutationFn: async (line: EntryLine) =>
      unwrap(
        await api.POST("/v1/registers/{book}/entries/{year}/{number}/repair", {
          params: { path: { book: line.book, year: line.year, number: line.number } },
        }),
      ),
    onSuccess: async (line) => {
      setSaid(t("registers.repaired", { number: fmt.digits(line.number), year: fmt.digits(line.year) }));
      await queries.invalidateQueries({ queryKey: ["register", line.book] });
    },
  });
  const mayCancel = hasRole(me.data, "saraban", "admin");
  const mayRepair = hasRole(me.data, "records", "admin");
  const manages = mayCancel || mayRepair;

  function reset() {
    setCursors([]);
    setSaid("");
  }

  function search(event: SyntheticEvent) {
    event.preventDefault();
    const from = parseBuddhistDate(typed.from);
    const to = parseBuddhistDate(typed.to);
    const wrong = from && !from.ok ? "from" : to && !to.ok ? "to" : null;
    setDateProblem(wrong);
    if (wrong) return;
    setFilters({ ...typed, from: from?.ok ? from.iso : "", to: to?.ok ? to.iso : "" });
    reset();
  }

  async function exportAs(kind: "csv" | "pdf") {
    setExporting(kind);
    setExportError(null);
    const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    try {
      await download(
        `/v1/registers/${encodeURIComponent(book)}/export.${kind}?${params.toString()}`,
        kind === "csv" ? "text/csv" : "application/pdf",
        `${book}-${year}.${kind}`,
      );
    } catch (failure) {
      setExportError(failure);
    } finally {
      setExporting(null);
    }
  }

  const columns = columnsOf(book);
  const years = Array.from({ length: 6 }, (_, i) => thisYear - i);
  return (
    <section>
      <h1>{t("registers.title")}</h1>
      {me.isError && <ErrorNote error={me.error} onRetry={() => void me.refetch()} />}
      <div className="toolbar">
        <label>
          {t("registers.book")}
          <select
            value={book}
            onChange={(e) => {
              setBook(e.target.value);
              reset();
            }}
          >
            {books.map((b) => (
              <option key={b} value={b}>
                {bookName(b)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("registers.year")}
          <select
            value={year}
            onChange={(e) => {
              setYear(Number(e.target.value));
              reset();
            }}
          >
            {years.map((y) => (
              <option key={y} value={y}>
                {t("registers.yearOption", { year: fmt.digits(y) })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <form className="filters" role="search" aria-label={t("registers.filters")} onSubmit={search}>
        <label>
          {t("registers.q")}
          <input type="search" value={typed.q} maxLength={100} onChange={(e) => setTyped({ ...typed, q: e.target.value })} />
        </label>
        <label>
          {t("registers.urgency")}
          <select value={typed.urgency} onChange={(e) => setTyped({ ...typed, urgency: e.target.value as Urgency | "" })}>
            <option value="">{t("registers.anyUrgency")}</option>
            {URGENCIES.map((u) => (
              <option key={u} value={u}>
                {t(`urgency.${u}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("registers.from")}
          <input
            inputMode="numeric"
            placeholder={t("registers.datePlaceholder")}
            value={typed.from}
            aria-invalid={dateProblem === "from"}
            aria-describedby={dateProblem === "from" ? "from-problem" : undefined}
            onChange={(e) => setTyped({ ...typed, from: e.target.value })}
          />
        </label>
        <label>
          {t("registers.to")}
          <input
            inputMode="numeric"
            placeholder={t("registers.datePlaceholder")}
            value={typed.to}
            aria-invalid={dateProblem === "to"}
            aria-describedby={dateProblem === "to" ? "to-problem" : undefined}
            onChange={(e) => setTyped({ ...typed, to: e.target.value })}
          />
        </label>
        <button type="submit">{t("registers.search")}</button>
        {dateProblem && (
          <p role="alert" className="error" id={`${dateProblem}-problem`}>
            {t("registers.badDate")}
          </p>
        )}
      </form>
      <div className="toolbar">
        <button type="button" disabled={exporting !== null || !book} onClick={() => void exportAs("csv")}>
          {exporting === "csv" ? t("registers.exporting") : t("registers.exportCsv")}
        </button>
        <button type="button" disabled={exporting !== null || !book} onClick={() => void exportAs("pdf")}>
          {exporting === "pdf" ? t("registers.exporting") : t("registers.exportPdf")}
        </button>
      </div>
      {exportError !== null && <ErrorNote error={exportError} />}
      {repair.error && <ErrorNote error={repair.error} />}
      <p role="status" className="said">
        {said}
      </p>
      {page.isPending && book !== "" && <p aria-busy="true">{t("app.loading")}</p>}
      {page.isError && <ErrorNote error={page.error} onRetry={() => void page.refetch()} />}
      {page.data && (
        <>
          <h2>
            {t("registers.heading", { book: bookName(page.data.book), year: fmt.digits(page.data.year) })}
          </h2>
          {page.data.entries.length === 0 ? (
            <p className="empty">{t("registers.empty")}</p>
          ) : (
            <div className="scroll">
              <table className="register" aria-busy={page.isFetching}>
                <thead>
                  <tr>
                    {columns.map((c) => (
                      <th key={c} scope="col">
                        {t(`registers.columns.${c}`, { context: book })}
                      </th>
                    ))}
                    {manages && <th scope="col">{t("registers.columns.manage")}</th>}
                  </tr>
                </thead>
                <tbody>
                  {page.data.entries.map((line) => (
                    <tr key={line.number} className={line.cancelled ? "cancelled" : undefined}>
                      {columns.map((c) => (
                        <td key={c} className={NOWRAP.has(c) ? "nowrap" : c === "subject" ? "subject" : undefined}>
                          {c === "subject" ? (
                            <Link to="/documents/$documentId" params={{ documentId: line.document_id }}>
                              {cellText(line, c, i18n.language, numerals) || t("registers.noSubject")}
                            </Link>
                          ) : c === "remark" && line.cancelled ? (
                            <>
                              <strong className="cancel-mark">{t("registers.cancelledMark")}:</strong>{" "}
                              {line.cancel?.reason ?? ""}
                              {line.cancel?.by_name ? ` ${t("registers.cancelledBy", { name: line.cancel.by_name })}` : ""}
                            </>
                          ) : c === "remark" && line.needs_repair ? (
                            <>
                              <span className="repair-note">{t("registers.needsRepair")}</span>{" "}
                              {cellText(line, c, i18n.language, numerals)}
                            </>
                          ) : (
                            cellText(line, c, i18n.language, numerals)
                          )}
                        </td>
                      ))}
                      {manages && (
                        <td className="manage">
                          {line.needs_repair && mayRepair && (
                            <button
                              type="button"
                              aria-label={t("registers.repairEntry", { number: fmt.digits(line.number) })}
                              disabled={repair.isPending}
                              onClick={() => repair.mutate(line)}
                            >
                              {t("registers.repair")}
                            </button>
                          )}
                          {mayCancel && !line.cancelled && (
                            <button
                              type="button"
                              aria-label={t("registers.cancelEntry", { number: fmt.digits(line.number) })}
                              onClick={() => {
                                cancel.reset();
                                setCancelling(line);
                              }}
                            >
                              {t("registers.cancel")}
                            </button>
                          )}
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="paging">
            {cursors.length > 0 && (
              <button type="button" onClick={() => setCursors(cursors.slice(0, -1))}>
                {t("registers.previous")}
              </button>
            )}
            {page.data.cursor && (
              <button type="button" onClick={() => setCursors([...cursors, page.data.cursor ?? ""])}>
                {t("registers.next")}
              </button>
            )}
          </div>
        </>
      )}
      {cancelling && (
        <ReasonDialog
          title={t("registers.cancelTitle", { number: fmt.digits(cancelling.number), year: fmt.digits(cancelling.year) })}
          summary={cancelling.subject}
          label={t("registers.reason")}
          submit={t("registers.confirmCancel")}
          onSubmit={(reason) => cancel.mutateAsync({ line: cancelling, reason })}
          onClose={() => setCancelling(null)}
        />
      )}
    </section>
  );
}
