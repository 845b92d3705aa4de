import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { useBookName } from "../registers/books";
import { useMe } from "../api/me";
import { ErrorNote } from "../components/ErrorNote";
import { buddhistYear } from "../format/buddhistDate";
import { useFormat } from "../format/useFormat";
import { ARCHIVE, useSettings, useStoredRegister } from "./api";

const AT_ONCE = 10; // POST /v1/archive/storage takes up to 10 records a call

/** ส่งเก็บ: finished records picked from a register book's year, sent to storage together (the day's
 * บัญชีหนังสือส่งเก็บ lists them), each with the class chosen here or its own retention. */
export function SendToStorage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const bookName = useBookName();
  const queries = useQueryClient();
  const settings = useSettings();
  const books = me.data?.books ?? [];
  const thisYear = buddhistYear(new Date());
  const [chosenBook, setBook] = useState<string | null>(null);
  const book = chosenBook ?? (books.includes("incoming") ? "incoming" : (books[0] ?? ""));
  const [year, setYear] = useState(thisYear);
  const [picked, setPicked] = useState<string[]>([]);
  const [form, setForm] = useState({ class_code: "", file_code: "", note: "" });
  const [said, setSaid] = useState("");
  const entries = useQuery({
    queryKey: ["register", book, { year }, "archive"],
    queryFn: async () => unwrap(await api.GET("/v1/registers/{book}", { params: { path: { book }, query: { year, limit: 100 } } })),
    enabled: book !== "",
    placeholderData: keepPreviousData,
  });
  const stored = useStoredRegister(thisYear); // what went to storage this year is marked as such
  const storedIds = new Set((stored.data?.entries ?? []).map((e) => e.document_id));
  const send = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/v1/archive/storage", {
          body: {
            document_ids: picked,
            class_code: form.class_code || null,
            closed_on: null,
            file_code: form.file_code.trim(),
            note: form.note.trim(),
          },
        }),
      ),
    onSuccess: async (answer) => {
      setSaid(t("archive.send.done", { stored: answer.stored.length, already: answer.already.length }));
      setPicked([]);
      await queries.invalidateQueries({ queryKey: [ARCHIVE] });
    },
  });

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setSaid("");
    send.mutate();
  }

  const lines = (entries.data?.entries ?? []).filter((e) => !e.cancelled);
  return (
    <form className="archive-section card" aria-labelledby="send-title" onSubmit={submit}>
      <h2 id="send-title">{t("archive.send.title")}</h2>
      <p className="hint">{t("archive.send.hint", { max: AT_ONCE })}</p>
      <div className="toolbar">
        <label>
          {t("archive.send.book")}
          <select
            value={book}
            onChange={(e) => {
              setBook(e.target.value);
              setPicked([]);
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
          {t("archive.register.year")}
          <select
            value={year}
            onChange={(e) => {
              setYear(Number(e.target.value));
              setPicked([]);
            }}
          >
            {Array.from({ length: 6 }, (_, i) => thisYear - i).map((y) => (
              <option key={y} value={y}>
                {t("archive.yearOption", { year: fmt.digits(y) })}
              </option>
            ))}
          </select>
        </label>
      </div>
      {entries.isError && <ErrorNote error={entries.error} onRetry={() => void entries.refetch()} />}
      {entries.data &&
        (lines.length === 0 ? (
          <p className="empty">{t("archive.send.empty")}</p>
        ) : (
          <div className="scroll" tabIndex={0} role="region" aria-label={t("archive.scroll")} style={{ maxHeight: "22rem", overflowY: "auto" }}>
            <table className="register" aria-busy={entries.isFetching}>
              <caption className="visually-hidden">{t("archive.send.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("archive.send.pick")}</th>
                  <th scope="col">{t("archive.columns.number")}</th>
                  <th scope="col">{t("archive.columns.reference")}</th>
                  <th scope="col">{t("archive.columns.subject")}</th>
                  <th scope="col">{t("archive.send.status")}</th>
                </tr>
              </thead>
              <tbody>
                {lines.map((line) => {
                  const already = storedIds.has(line.document_id);
                  const on = picked.includes(line.document_id);
                  return (
                    <tr key={line.number}>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={t("archive.send.pickLine", { number: line.number, subject: line.subject })}
                          checked={on}
                          disabled={already || (!on && picked.length >= AT_ONCE)}
                          onChange={() => setPicked(on ? picked.filter((d) => d !== line.document_id) : [...picked, line.document_id])}
                        />
                      </td>
                      <td className="nowrap">{fmt.digits(line.number)}</td>
                      <td className="nowrap">{fmt.digits(line.reference ?? line.ref_line ?? "")}</td>
                      <td className="subject">{line.subject}</td>
                      <td className="nowrap">{already ? t("archive.send.stored") : ""}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
      <div className="grid-form">
        <label className="archive-field">
          {t("archive.send.class")}
          <select value={form.class_code} onChange={(e) => setForm({ ...form, class_code: e.target.value })}>
            <option value="">{t("archive.send.ownClass")}</option>
            {(settings.data?.classes ?? []).map((c) => (
              <option key={c.code} value={c.code}>
                {c.name} ({c.permanent || c.years == null ? t("archive.classes.forever") : t("archive.classes.yearsShort", { years: fmt.digits(c.years) })})
              </option>
            ))}
          </select>
        </label>
        <label className="archive-field">
          {t("archive.send.fileCode")}
          <input maxLength={100} value={form.file_code} onChange={(e) => setForm({ ...form, file_code: e.target.value })} />
        </label>
        <label className="archive-field">
          {t("archive.send.note")}
          <input maxLength={200} value={form.note} onChange={(e) => setForm({ ...form, note: e.target.value })} />
        </label>
      </div>
      {send.isError && <ErrorNote error={send.error} />}
      <p role="status" className="said">
        {said}
      </p>
      <button type="submit" className="primary" disabled={send.isPending || picked.length === 0}>
        {send.isPending ? t("archive.working") : t("archive.send.submit", { count: picked.length })}
      </button>
    </form>
  );
}
