import { useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useId, useMemo, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { hasRole, useMe } from "../api/me";
import { postToBucket, UploadFailed } from "../api/transfer";
import { ErrorNote } from "../components/ErrorNote";
import { thaiSorted } from "../format/thai";
import { useFormat } from "../format/useFormat";
import "../screens/saraban.css";
import "./archive.css";
import { ARCHIVE, useLegacyBooks, useSettings, type LegacyLine } from "./api";
import { ArchiveNav } from "./ArchiveNav";
import { calls, COLUMNS, decodeCsv, readRegister, REQUIRED, scanKey, yearsOf, type Classes, type Column, type Problem, type ReadyLine } from "./legacyCsv";
import "./legacy.css";

const BOOK_ID = "^[a-z][a-z0-9_\\-]{1,31}$";
const OPTIONAL = (Object.keys(COLUMNS) as Column[]).filter((c) => !REQUIRED.includes(c));
const TEMPLATE = `data:text/csv;charset=utf-8,${encodeURIComponent(
  `\ufeff${(Object.keys(COLUMNS) as Column[]).map((c) => COLUMNS[c][0]).join(",")}\n`,
)}`;

/** /archive/legacy: a paper-era register book (ทะเบียนหนังสือรับ/ส่งยุคกระดาษ) imported from a CSV file
 * the records officer picks: read and checked here first (faulty lines listed with their reasons and
 * left out), the rest sent 500 lines a call with the progress shown, then each named scan uploaded. And
 * the imported books listed, each year a link to its lines. */
export function Legacy() {
  const { t } = useTranslation();
  const me = useMe();
  const records = hasRole(me.data, "records");
  const keepers = hasRole(me.data, "records", "saraban", "admin");
  return (
    <section>
      <h1>{t("archive.legacy.title")}</h1>
      <ArchiveNav />
      <p className="hint">{t("archive.legacy.intro")}</p>
      {me.isError && <ErrorNote error={me.error} onRetry={() => void me.refetch()} />}
      {records && <ImportBook />}
      {keepers && !records && <p className="card hint">{t("archive.legacy.recordsOnly")}</p>}
      {keepers && <BookList />}
      {me.isSuccess && !keepers && <p className="card">{t("archive.legacy.notKeeper")}</p>}
    </section>
  );
}

function useProblemText() {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (p: Problem): string => {
    switch (p.code) {
      case "duplicate":
        return t("archive.legacy.reasons.duplicate", { number: fmt.digits(p.number), year: fmt.digits(p.year), first: fmt.digits(p.first) });
      case "long":
        return t("archive.legacy.reasons.long", { column: p.column, max: fmt.digits(p.max) });
      default:
        return t(`archive.legacy.reasons.${p.code}`, { ...p });
    }
  };
}

interface Outcome {
  /** the book the lines went to, as sent (the form's field may be edited afterwards) */
  bookId: string;
  imported: number;
  already: number;
  lines: LegacyLine[];
}

function ImportBook() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = useId();
  const queries = useQueryClient();
  const settings = useSettings();
  const said = useProblemText();
  const [bookId, setBookId] = useState("");
  const [bookName, setBookName] = useState("");
  const [direction, setDirection] = useState<"incoming" | "outgoing">("incoming");
  const [classCode, setClassCode] = useState("general");
  const [fileName, setFileName] = useState("");
  const [text, setText] = useState<string | null>(null);
  const [readError, setReadError] = useState<unknown>(null);
  const [working, setWorking] = useState(false);
  const [progress, setProgress] = useState({ done: 0, call: 0, calls: 0 });
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [scansGoing, setScansGoing] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const classes = useMemo((): Classes => {
    const list = settings.data?.classes ?? [];
    return { codes: new Set(list.map((c) => c.code)), byName: new Map(list.map((c) => [c.name, c.code])) };
  }, [settings.data]);
  const sortedClasses = useMemo(() => thaiSorted(settings.data?.classes ?? [], (c) => c.name), [settings.data]);
  const read = useMemo(() => (text === null || !settings.data ? null : readRegister(text, classes, classCode)), [text, classes, classCode, settings.data]);
  const planned = useMemo(() => (read && read.missing.length === 0 ? calls(read) : []), [read]);
  const total = read?.ready.length ?? 0;

  async function choose(file: File | undefined) {
    setText(null);
    setReadError(null);
    setOutcome(null);
    setError(null);
    setProgress({ done: 0, call: 0, calls: 0 });
    setFileName(file?.name ?? "");
    if (!file) return;
    try {
      setText(decodeCsv(new Uint8Array(await file.arrayBuffer())));
    } catch (failure) {
      setReadError(failure);
    }
  }

  async function send(event: SyntheticEvent) {
    event.preventDefault();
    if (!read || planned.length === 0) return;
    setWorking(true);
    setError(null);
    const book = bookId.trim();
    const done: Outcome = { bookId: book, imported: 0, already: 0, lines: [] };
    setOutcome(null);
    setProgress({ done: 0, call: 0, calls: planned.length });
    try {
      for (const [index, call] of planned.entries()) {
        setProgress({ done: done.imported + done.already, call: index + 1, calls: planned.length });
        const answer = unwrap(
          await api.POST("/v1/archive/legacy-imports", {
            body: { book_id: book, book_name: bookName.trim(), direction, class_code: classCode, csv: call.csv, first_line: call.firstLine },
          }),
        );
        done.imported += answer.imported;
        done.already += answer.already;
        done.lines.push(...answer.lines);
        setProgress({ done: done.imported + done.already, call: index + 1, calls: planned.length });
      }
    } catch (failure) {
      setError(failure);
    } finally {
      setOutcome(done.lines.length > 0 ? { ...done } : null);
      setWorking(false);
      await queries.invalidateQueries({ queryKey: [ARCHIVE, "legacy"] });
    }
  }

  const byLine = useMemo(() => new Map((read?.ready ?? []).map((r) => [r.line, r])), [read]);
  const years = read ? yearsOf(read.ready) : [];

  return (
    <form className="card archive-section legacy-import" aria-labelledby={`${id}-title`} onSubmit={(e) => void send(e)}>
      <h2 id={`${id}-title`}>{t("archive.legacy.importTitle")}</h2>
      <div className="grid-form">
        <label className="archive-field">
          {t("archive.legacy.bookId")}
          <span className="hint">{t("archive.legacy.bookIdHint")}</span>
          <input
            required
            pattern={BOOK_ID}
            maxLength={32}
            value={bookId}
            autoComplete="off"
            spellCheck={false}
            disabled={working}
            onChange={(e) => setBookId(e.target.value)}
          />
        </label>
        <label className="archive-field">
          {t("archive.legacy.bookName")}
          <span className="hint">{t("archive.legacy.bookNameHint")}</span>
          <input required maxLength={500} value={bookName} disabled={working} onChange={(e) => setBookName(e.target.value)} />
        </label>
        <label className="archive-field">
          {t("archive.legacy.direction")}
          <select value={direction} disabled={working} onChange={(e) => setDirection(e.target.value === "outgoing" ? "outgoing" : "incoming")}>
            <option value="incoming">{t("archive.legacy.incoming")}</option>
            <option value="outgoing">{t("archive.legacy.outgoing")}</option>
          </select>
        </label>
        <label className="archive-field">
          {t("archive.legacy.defaultClass")}
          <select value={classCode} onChange={(e) => setClassCode(e.target.value)} disabled={working || !settings.data}>
            {sortedClasses.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name} ({c.code})
              </option>
            ))}
          </select>
        </label>
      </div>
      {settings.isError && <ErrorNote error={settings.error} onRetry={() => void settings.refetch()} />}

      <div className="legacy-columns" id={`${id}-hint`}>
        <p>{t("archive.legacy.columnsRequired", { columns: REQUIRED.map((c) => COLUMNS[c][0]).join(", ") })}</p>
        <p>{t("archive.legacy.columnsOptional", { columns: OPTIONAL.map((c) => COLUMNS[c][0]).join(", ") })}</p>
        <p>{t("archive.legacy.columnsDates")}</p>
        <p>
          {t("archive.legacy.columnsClass", {
            classes: sortedClasses.map((c) => `${c.code} (${c.name})`).join(", "),
          })}
        </p>
        <p>{t("archive.legacy.columnsFile")}</p>
        <p>
          <a href={TEMPLATE} download="legacy-register-template.csv">
            {t("archive.legacy.template")}
          </a>
        </p>
      </div>
      <label className="archive-field">
        {t("archive.legacy.file")}
        <input
          type="file"
          accept=".csv,text/csv"
          disabled={working || scansGoing}
          aria-describedby={`${id}-hint`}
          onChange={(e) => void choose(e.target.files?.[0])}
        />
      </label>
      {readError !== null && <ErrorNote error={readError} />}
      {read && read.missing.length > 0 && (
        <p role="alert" className="error">
          {t("archive.legacy.missing", { columns: read.missing.join(", ") })}
        </p>
      )}
      {read && read.missing.length === 0 && (
        <>
          <p role="status" className="legacy-summary">
            {t("archive.legacy.summary", { file: fileName, ready: fmt.digits(total), refused: fmt.digits(read.refused.length) })}
            {years.length > 0 && ` ${t("archive.legacy.years", { years: years.map((y) => fmt.digits(y)).join(", ") })}`}
          </p>
          {read.refused.length > 0 && (
            <div className="scroll" tabIndex={0} role="region" aria-labelledby={`${id}-refused`}>
              <table className="register archive-table refused-lines">
                <caption id={`${id}-refused`}>{t("archive.legacy.refusedCaption", { n: fmt.digits(read.refused.length) })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("archive.legacy.line")}</th>
                    <th scope="col">{t("archive.legacy.number")}</th>
                    <th scope="col">{t("archive.columns.subject")}</th>
                    <th scope="col">{t("archive.legacy.reason")}</th>
                  </tr>
                </thead>
                <tbody>
                  {read.refused.map((r) => (
                    <tr key={r.line}>
                      <td className="nowrap">{fmt.digits(r.line)}</td>
                      <td className="nowrap">{r.number ? fmt.digits(r.number) : "—"}</td>
                      <td className="subject">{r.subject || "—"}</td>
                      <td>
                        <ul className="legacy-reasons">
                          {r.problems.map((p, i) => (
                            <li key={i}>{said(p)}</li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="toolbar legacy-send">
            <button type="submit" className="primary" disabled={working || scansGoing || total === 0 || !settings.data}>
              {working ? t("archive.legacy.sending") : t("archive.legacy.send", { n: fmt.digits(total) })}
            </button>
            {(working || outcome !== null || error !== null) && total > 0 && (
              <label className="legacy-progress">
                {t("archive.legacy.progress", {
                  done: fmt.digits(progress.done),
                  total: fmt.digits(total),
                  call: fmt.digits(progress.call),
                  calls: fmt.digits(progress.calls),
                })}
                <progress max={total} value={progress.done} />
              </label>
            )}
          </div>
          {total === 0 && <p className="hint">{t("archive.legacy.nothingReady")}</p>}
        </>
      )}
      {error !== null && (
        <>
          <ErrorNote error={error} />
          {outcome !== null && <p className="hint">{t("archive.legacy.partial")}</p>}
        </>
      )}
      {outcome && <ImportResult outcome={outcome} bookId={outcome.bookId} byLine={byLine} onUploading={setScansGoing} />}
    </form>
  );
}

type ScanState = { state: "waiting" | "sending" | "sent" | "failed"; fraction: number; error?: unknown };

function ImportResult({
  outcome,
  bookId,
  byLine,
  onUploading,
}: {
  outcome: Outcome;
  bookId: string;
  byLine: ReadonlyMap<number, ReadyLine>;
  /** the scans are going up: the import form holds still (a new file would clear this result) */
  onUploading: (uploading: boolean) => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = useId();
  const years = yearsOf(outcome.lines);
  const already = outcome.lines.filter((l) => l.already);
  const scans = outcome.lines.filter((l) => l.upload !== null);
  const [states, setStates] = useState<ReadonlyMap<number, ScanState>>(new Map());
  const [unmatched, setUnmatched] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const sent = scans.filter((l) => states.get(l.line)?.state === "sent").length;

  async function upload(files: FileList | null) {
    if (!files || files.length === 0) return;
    const picked = new Map(Array.from(files).map((f) => [scanKey(f.name), f]));
    const wanted = new Set(scans.map((l) => scanKey(byLine.get(l.line)?.file ?? "")));
    setUnmatched(Array.from(files).filter((f) => !wanted.has(scanKey(f.name))).map((f) => f.name));
    setUploading(true);
    onUploading(true);
    try {
      for (const line of scans) {
        const file = picked.get(scanKey(byLine.get(line.line)?.file ?? ""));
        if (!file || !line.upload || states.get(line.line)?.state === "sent") continue;
        const ticket = line.upload;
        const mark = (s: ScanState) => setStates((m) => new Map(m).set(line.line, s));
        if (file.size > ticket.max_bytes) {
          mark({ state: "failed", fraction: 0, error: new Error(t("archive.legacy.scanTooBig", { max: fmt.digits(Math.floor(ticket.max_bytes / 1_048_576)) })) });
          continue;
        }
        mark({ state: "sending", fraction: 0 });
        try {
          await postToBucket(ticket.upload, file, (fraction) => mark({ state: "sending", fraction }));
          mark({ state: "sent", fraction: 1 });
        } catch (failure) {
          mark({ state: "failed", fraction: 0, error: failure instanceof UploadFailed ? new Error(t("archive.legacy.scanFailed")) : failure });
        }
      }
    } finally {
      setUploading(false);
      onUploading(false);
    }
  }

  return (
    <section className="legacy-result" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t("archive.legacy.resultTitle")}</h3>
      <p className="said" role="status">
        {t("archive.legacy.done", { imported: fmt.digits(outcome.imported), already: fmt.digits(outcome.already) })}
      </p>
      <ul className="plain legacy-years">
        {years.map((year) => (
          <li key={year}>
            <Link to="/archive/legacy/$bookId" params={{ bookId }} search={{ year }}>
              {t("archive.legacy.openYear", { book: bookId, year: fmt.digits(year) })}
            </Link>
          </li>
        ))}
      </ul>
      {already.length > 0 && (
        <p className="hint">
          {t("archive.legacy.alreadyLines", {
            lines: already.map((l) => t("archive.legacy.lineNumber", { line: fmt.digits(l.line), number: fmt.digits(l.number), year: fmt.digits(l.year) })).join(", "),
          })}
        </p>
      )}
      {scans.length > 0 && (
        <div className="legacy-scans">
          <h4>{t("archive.legacy.scansTitle", { n: fmt.digits(scans.length) })}</h4>
          <p className="hint" id={`${id}-scan-hint`}>
            {t("archive.legacy.scansHint", { minutes: fmt.digits(Math.max(1, Math.floor((scans[0]?.upload?.expires_in ?? 3600) / 60))) })}
          </p>
          <label className="archive-field">
            {t("archive.legacy.scansPick")}
            <input
              type="file"
              multiple
              accept=".pdf,application/pdf"
              disabled={uploading}
              aria-describedby={`${id}-scan-hint`}
              onChange={(e) => void upload(e.target.files)}
            />
          </label>
          <label className="legacy-progress">
            {t("archive.legacy.scansProgress", { sent: fmt.digits(sent), total: fmt.digits(scans.length) })}
            <progress max={scans.length} value={sent} />
          </label>
          {unmatched.length > 0 && <p className="error">{t("archive.legacy.scansUnmatched", { files: unmatched.join(", ") })}</p>}
          <div className="scroll" tabIndex={0} role="region" aria-labelledby={`${id}-scans-caption`}>
            <table className="register archive-table">
              <caption id={`${id}-scans-caption`} className="visually-hidden">
                {t("archive.legacy.scansTitle", { n: fmt.digits(scans.length) })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t("archive.legacy.line")}</th>
                  <th scope="col">{t("archive.legacy.number")}</th>
                  <th scope="col">{t("archive.legacy.scanFile")}</th>
                  <th scope="col">{t("archive.legacy.scanState")}</th>
                </tr>
              </thead>
              <tbody>
                {scans.map((l) => {
                  const s = states.get(l.line);
                  return (
                    <tr key={l.line}>
                      <td className="nowrap">{fmt.digits(l.line)}</td>
                      <td className="nowrap">{t("archive.legacy.numberOfYear", { number: fmt.digits(l.number), year: fmt.digits(l.year) })}</td>
                      <td>{byLine.get(l.line)?.file ?? "—"}</td>
                      <td>
                        {s?.state === "sending"
                          ? t("archive.legacy.scanSending", { percent: fmt.digits(Math.round(s.fraction * 100)) })
                          : s?.state === "sent"
                            ? t("archive.legacy.scanSent")
                            : s?.state === "failed"
                              ? <ErrorNote error={s.error} />
                              : t("archive.legacy.scanWaiting")}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}

/** The imported books (GET /v1/archive/legacy-books), each year it holds a link to that year's lines. */
function BookList() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = useId();
  const books = useLegacyBooks();
  return (
    <section className="card archive-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} style={{ marginTop: 0 }}>
        {t("archive.legacy.booksTitle")}
      </h2>
      {books.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {books.isError && <ErrorNote error={books.error} onRetry={() => void books.refetch()} />}
      {books.data?.length === 0 && <p className="empty">{t("archive.legacy.noBooks")}</p>}
      {books.data && books.data.length > 0 && (
        <div className="scroll" tabIndex={0} role="region" aria-labelledby={`${id}-title`}>
          <table className="register archive-table legacy-books" aria-busy={books.isFetching}>
            <caption className="visually-hidden">{t("archive.legacy.booksTitle")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("archive.legacy.bookName")}</th>
                <th scope="col">{t("archive.legacy.bookId")}</th>
                <th scope="col">{t("archive.legacy.direction")}</th>
                <th scope="col">{t("archive.legacy.bookYears")}</th>
              </tr>
            </thead>
            <tbody>
              {books.data.map((b) => (
                <tr key={b.book_id}>
                  <th scope="row">{b.name}</th>
                  <td className="nowrap">{b.book_id}</td>
                  <td className="nowrap">{b.direction === "outgoing" ? t("archive.legacy.outgoing") : t("archive.legacy.incoming")}</td>
                  <td>
                    {b.years.length > 0 ? (
                      <ul className="legacy-book-years">
                        {b.years.map((y) => (
                          <li key={y.year}>
                            <Link to="/archive/legacy/$bookId" params={{ bookId: b.book_id }} search={{ year: y.year }}>
                              {t("archive.legacy.yearLines", { year: fmt.digits(y.year), n: fmt.digits(y.lines) })}
                            </Link>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      // imported before the years were counted: the book's page chooses the year
                      <Link to="/archive/legacy/$bookId" params={{ bookId: b.book_id }}>
                        {t("archive.legacy.yearsUnknown")}
                      </Link>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
