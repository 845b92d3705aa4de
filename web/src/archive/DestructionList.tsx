import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { useMe } from "../api/me";
import { download } from "../api/transfer";
import { ErrorNote } from "../components/ErrorNote";
import { parseBuddhistDate, toBuddhistInput } from "../format/buddhistDate";
import { thaiSorted } from "../format/thai";
import { useFormat } from "../format/useFormat";
import { useUsers } from "../letters/api";
import "../screens/saraban.css";
import "./archive.css";
import { ARCHIVE, useDestructionList, useDestructionRows, type DestructionList as ListView, type DestructionRow } from "./api";
import { ArchiveNav } from "./ArchiveNav";
import { allowed, bangkokToday, currentStep, dayText, reviewCalls, STEPS, stepStatus, type Marking } from "./steps";

/** /archive/destruction/$year: one year's บัญชีหนังสือขอทำลาย through its steps (ข้อ 66–70): the
 * committee, each line's การพิจารณา, the report, the head's approval, the National Archives, destruction. */
export function DestructionList() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { year: yearParam } = useParams({ from: "/archive/destruction/$year" });
  const year = Number(yearParam);
  const me = useMe();
  const list = useDestructionList(year);
  const rows = useDestructionRows(year, list.isSuccess);
  const [pdfError, setPdfError] = useState<unknown>(null);
  const [pdfWorking, setPdfWorking] = useState(false);
  const [selected, setSelected] = useState<number[]>([]); // the lines the National Archives keep

  async function pdf() {
    setPdfWorking(true);
    setPdfError(null);
    try {
      await download(`/v1/archive/destruction-lists/${year}/form.pdf`, "application/pdf", `form-25-${year}.pdf`);
    } catch (failure) {
      setPdfError(failure);
    } finally {
      setPdfWorking(false);
    }
  }

  const view = list.data;
  const today = bangkokToday();
  const may = view && me.data ? allowed(view, me.data, today, view.consent_deemed_from) : new Set<string>();
  const step = view ? currentStep(view.state) : null;
  return (
    <section>
      <h1>{t("archive.destruction.listOf", { year: fmt.digits(year) })}</h1>
      <ArchiveNav />
      <p>
        <Link to="/archive/destruction">{t("archive.destruction.back")}</Link>
      </p>
      {list.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {list.isError && <ErrorNote error={list.error} onRetry={() => void list.refetch()} />}
      {view && (
        <>
          <h2 className="visually-hidden">{t("archive.steps.title")}</h2>
          <ol className="archive-steps" aria-label={t("archive.steps.title")}>
            {STEPS.map((s, i) => {
              const status = stepStatus(view.state, s.key);
              return (
                <li key={s.key} className={status} aria-current={status === "now" ? "step" : undefined}>
                  <span className="mark" aria-hidden="true">
                    {status === "done" ? "✓ " : status === "now" ? "➜ " : ""}
                  </span>
                  {fmt.digits(i + 1)}. {t(`archive.steps.${s.key}`)}
                  <span className="visually-hidden"> ({t(`archive.steps.status.${status}`)})</span>
                  <span className="who">{t(`archive.steps.who.${s.key}`)}</span>
                </li>
              );
            })}
          </ol>
          <p className="next-step" role="status">
            <strong>{view.state_th}</strong>
            {step && (
              <>
                <br />
                {t("archive.steps.next", { what: t(`archive.steps.nextOf.${step}`) })}
              </>
            )}
          </p>
          <ul className="counts" aria-label={t("archive.destruction.counts")}>
            <li>{t("archive.destruction.countRows", { n: fmt.digits(view.rows) })}</li>
            <li>{t("archive.destruction.countDestroy", { n: fmt.digits(view.to_destroy) })}</li>
            <li>{t("archive.destruction.countExtended", { n: fmt.digits(view.extended) })}</li>
            <li>{t("archive.destruction.countArchives", { n: fmt.digits(view.kept_by_archives) })}</li>
            <li>{t("archive.destruction.countUndecided", { n: fmt.digits(view.undecided) })}</li>
            <li>{t("archive.destruction.countDestroyed", { n: fmt.digits(view.destroyed) })}</li>
          </ul>
          <div className="toolbar">
            <button type="button" disabled={pdfWorking} onClick={() => void pdf()}>
              {pdfWorking ? t("archive.downloading") : t("archive.destruction.pdf")}
            </button>
            {view.list_document_id && (
              <Link to="/documents/$documentId" params={{ documentId: view.list_document_id }}>
                {t("archive.destruction.listDocument")}
              </Link>
            )}
            {view.record_document_id && (
              <Link to="/documents/$documentId" params={{ documentId: view.record_document_id }}>
                {t("archive.destruction.recordDocument")}
              </Link>
            )}
          </div>
          {pdfError !== null && <ErrorNote error={pdfError} />}
          {view.sent_on && <p>{t("archive.destruction.sentOn", { date: fmt.date(view.sent_on) })}</p>}
          {view.consent_deemed_from && <p className="hint">{t("archive.destruction.deemedFrom", { date: fmt.date(view.consent_deemed_from) })}</p>}
          {view.answer && <p>{view.answer}</p>}

          <Committee list={view} mayAppoint={may.has("appoint")} />
          {rows.isError && <ErrorNote error={rows.error} onRetry={() => void rows.refetch()} />}
          {rows.data && (
            <Rows
              year={year}
              rows={rows.data}
              mayReview={may.has("review")}
              answering={may.has("answer")}
              selected={selected}
              onSelect={setSelected}
            />
          )}
          {may.has("report") && <Report year={year} />}
          {may.has("approve") && <Approve year={year} />}
          {may.has("send") && <Sent year={year} list={view} />}
          {may.has("answer") && <Answer year={year} selected={selected} onDone={() => setSelected([])} />}
          {may.has("destroy") && <Destroy year={year} />}
        </>
      )}
    </section>
  );
}

function useListChange<T>(year: number, call: (body: T) => Promise<ListView>) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: async (answer) => {
      queries.setQueryData([ARCHIVE, "destruction", year], answer);
      await queries.invalidateQueries({ queryKey: [ARCHIVE, "destruction"] });
    },
  });
}

function Committee({ list, mayAppoint }: { list: ListView; mayAppoint: boolean }) {
  const { t } = useTranslation();
  const users = useUsers();
  const [order, setOrder] = useState(list.committee_order);
  const [chair, setChair] = useState(list.committee.find((m) => m.role === "chair")?.user_id ?? "");
  const [members, setMembers] = useState<string[]>(list.committee.filter((m) => m.role === "member").map((m) => m.user_id));
  const [editing, setEditing] = useState(false);
  const appoint = useListChange(list.year, async (body: { order_reference: string; chair: string; members: string[] }) =>
    unwrap(await api.PUT("/v1/archive/destruction-lists/{year}/committee", { params: { path: { year: list.year } }, body })),
  );
  const people = thaiSorted(users.data ?? [], (u) => u.name);
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    appoint.mutate(
      { order_reference: order.trim(), chair, members: members.filter((m) => m !== chair) },
      { onSuccess: () => setEditing(false) },
    );
  }
  const showForm = mayAppoint && (editing || list.committee.length === 0);
  return (
    <div className="archive-section">
      <h2 id="committee-title">{t("archive.committee.title")}</h2>
      {list.committee.length === 0 ? (
        <p className="empty">{t("archive.committee.none")}</p>
      ) : (
        <>
          <p>{t("archive.committee.order", { order: list.committee_order })}</p>
          <ul className="member-list">
            {list.committee
              .slice()
              .sort((a, b) => (a.role === b.role ? 0 : a.role === "chair" ? -1 : 1))
              .map((m) => (
                <li key={m.user_id}>
                  {m.name} ({m.position}) — {t(`archive.committee.${m.role}`)}
                </li>
              ))}
          </ul>
        </>
      )}
      {mayAppoint && !showForm && (
        <button type="button" onClick={() => setEditing(true)}>
          {t("archive.committee.change")}
        </button>
      )}
      {showForm && (
        <form className="card" aria-labelledby="committee-title" onSubmit={submit}>
          <p className="hint">{t("archive.committee.hint")}</p>
          {users.isError && <ErrorNote error={users.error} onRetry={() => void users.refetch()} />}
          <label className="archive-field">
            {t("archive.committee.orderLabel")}
            <input required maxLength={200} placeholder={t("archive.committee.orderPlaceholder")} value={order} onChange={(e) => setOrder(e.target.value)} />
          </label>
          <label className="archive-field">
            {t("archive.committee.chairLabel")}
            <select required value={chair} onChange={(e) => setChair(e.target.value)}>
              <option value="">{t("archive.committee.pickChair")}</option>
              {people.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.position})
                </option>
              ))}
            </select>
          </label>
          <fieldset>
            <legend>{t("archive.committee.membersLabel")}</legend>
            <ul className="member-list">
              {people
                .filter((u) => u.id !== chair)
                .map((u) => (
                  <li key={u.id}>
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={members.includes(u.id)}
                        onChange={(e) => setMembers(e.target.checked ? [...members, u.id] : members.filter((m) => m !== u.id))}
                      />
                      <span>
                        {u.name} <span className="hint">({u.position})</span>
                      </span>
                    </label>
                  </li>
                ))}
            </ul>
          </fieldset>
          {appoint.isError && <ErrorNote error={appoint.error} />}
          <div className="actions">
            <button type="submit" className="primary" disabled={appoint.isPending || !chair || members.filter((m) => m !== chair).length < 2 || !order.trim()}>
              {appoint.isPending ? t("archive.working") : t("archive.committee.appoint")}
            </button>
            {editing && (
              <button type="button" onClick={() => setEditing(false)}>
                {t("archive.classes.cancel")}
              </button>
            )}
          </div>
        </form>
      )}
    </div>
  );
}

function Rows({
  year,
  rows,
  mayReview,
  answering,
  selected,
  onSelect,
}: {
  year: number;
  rows: DestructionRow[];
  mayReview: boolean;
  answering: boolean;
  selected: number[];
  onSelect: (numbers: number[]) => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const queries = useQueryClient();
  const [marks, setMarks] = useState<Map<number, Marking>>(new Map());
  const [problems, setProblems] = useState<number[]>([]);
  const [said, setSaid] = useState("");
  const review = useMutation({
    mutationFn: async (calls: ReturnType<typeof reviewCalls>["calls"]) => {
      let last: ListView | null = null;
      for (const decisions of calls) {
        last = unwrap(await api.POST("/v1/archive/destruction-lists/{year}/review", { params: { path: { year } }, body: { decisions } }));
      }
      return last;
    },
    onSettled: async () => {
      await queries.invalidateQueries({ queryKey: [ARCHIVE, "destruction"] });
    },
    onSuccess: () => {
      setMarks(new Map());
      setSaid(t("archive.review.saved"));
    },
  });

  function markOf(row: DestructionRow): Marking {
    return marks.get(row.number) ?? { decision: row.decision === "destroy" ? "destroy" : "undecided", years: "", reason: "" };
  }
  function setMark(row: DestructionRow, patch: Partial<Marking>) {
    const next = new Map(marks);
    next.set(row.number, { ...markOf(row), ...patch });
    setMarks(next);
    setSaid("");
  }
  function markRest() {
    const next = new Map(marks);
    for (const row of rows) if (!row.decision && markOf(row).decision === "undecided") next.set(row.number, { ...markOf(row), decision: "destroy" });
    setMarks(next);
  }
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const { calls, problems: wrong } = reviewCalls(rows, marks);
    setProblems(wrong);
    if (wrong.length > 0 || calls.length === 0) return;
    review.mutate(calls);
  }

  const table = (
    <div className="scroll" tabIndex={0} role="region" aria-label={t("archive.scroll")}>
      <table className="register archive-table">
        <caption className="visually-hidden">{t("archive.review.caption", { year: fmt.digits(year) })}</caption>
        <thead>
          <tr>
            {answering && <th scope="col">{t("archive.answer.keep")}</th>}
            <th scope="col">{t("archive.columns.number")}</th>
            <th scope="col">{t("archive.columns.fileCode")}</th>
            <th scope="col">{t("archive.columns.reference")}</th>
            <th scope="col">{t("archive.columns.letterDate")}</th>
            <th scope="col">{t("archive.columns.subject")}</th>
            <th scope="col">{t("archive.review.keepUntil")}</th>
            <th scope="col">{t("archive.review.consideration")}</th>
            {mayReview && <th scope="col">{t("archive.review.decide")}</th>}
            <th scope="col">{t("archive.columns.note")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const mark = markOf(row);
            const final = row.decision === "extend";
            const wrong = problems.includes(row.number);
            return (
              <tr key={row.number}>
                {answering && (
                  <td>
                    {(row.decision === "destroy" || row.decision === "archives") && (
                      <input
                        type="checkbox"
                        aria-label={t("archive.answer.keepLine", { number: row.number })}
                        checked={selected.includes(row.number)}
                        onChange={(e) => onSelect(e.target.checked ? [...selected, row.number] : selected.filter((n) => n !== row.number))}
                      />
                    )}
                  </td>
                )}
                <td className="nowrap">{fmt.digits(row.number)}</td>
                <td className="nowrap">{fmt.digits(row.file_code)}</td>
                <td className="nowrap">{fmt.digits(row.reference)}</td>
                <td>{dayText(row.letter_date, fmt)}</td>
                <td className="subject">{row.subject}</td>
                <td className="nowrap">{fmt.digits(row.keep_until)}</td>
                <td>
                  <strong>{row.consideration ? fmt.digits(row.consideration) : ""}</strong>
                </td>
                {mayReview && (
                  <td className="decide">
                    {final ? (
                      <span className="hint">{t("archive.review.final")}</span>
                    ) : (
                      <>
                        <select
                          aria-label={t("archive.review.decisionOf", { number: row.number })}
                          value={mark.decision}
                          aria-invalid={wrong}
                          onChange={(e) => setMark(row, { decision: e.target.value as Marking["decision"] })}
                        >
                          <option value="undecided">{t("archive.review.undecided")}</option>
                          <option value="destroy">{t("archive.review.destroy")}</option>
                          <option value="extend">{t("archive.review.extend")}</option>
                        </select>
                        {mark.decision === "extend" && (
                          <>
                            <label className="archive-field">
                              {t("archive.review.years")}
                              <input
                                type="number"
                                min={1}
                                max={100}
                                aria-invalid={wrong && !mark.years}
                                value={mark.years}
                                onChange={(e) => setMark(row, { years: e.target.value })}
                              />
                            </label>
                            <label className="archive-field">
                              {t("archive.review.reason")}
                              <input
                                maxLength={200}
                                aria-invalid={wrong && !mark.reason.trim()}
                                value={mark.reason}
                                onChange={(e) => setMark(row, { reason: e.target.value })}
                              />
                            </label>
                          </>
                        )}
                      </>
                    )}
                  </td>
                )}
                <td>
                  {row.reason}
                  {row.outcome && row.outcome !== "extended" && row.outcome !== "archives" && (
                    <span className="detail"> {t(`archive.outcome.${row.outcome.split(":")[0] ?? ""}`, { defaultValue: row.outcome })}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );

  return (
    <div className="archive-section">
      <h2 id="rows-title">{t("archive.review.title")}</h2>
      {rows.length === 0 ? (
        <p className="empty">{t("archive.review.empty")}</p>
      ) : mayReview ? (
        <form aria-labelledby="rows-title" onSubmit={submit}>
          <p className="hint">{t("archive.review.hint")}</p>
          {table}
          {problems.length > 0 && (
            <p role="alert" className="error">
              {t("archive.review.problems", { numbers: problems.map((n) => fmt.digits(n)).join(", ") })}
            </p>
          )}
          {review.isError && <ErrorNote error={review.error} />}
          <p role="status" className="said">
            {said}
          </p>
          <div className="actions">
            <button type="button" onClick={markRest}>
              {t("archive.review.markRest")}
            </button>
            <button type="submit" className="primary" disabled={review.isPending || marks.size === 0}>
              {review.isPending ? t("archive.working") : t("archive.review.save")}
            </button>
          </div>
        </form>
      ) : (
        table
      )}
    </div>
  );
}

function Report({ year }: { year: number }) {
  const { t } = useTranslation();
  const report = useListChange(year, async () =>
    unwrap(await api.POST("/v1/archive/destruction-lists/{year}/report", { params: { path: { year } } })),
  );
  return (
    <div className="card archive-section">
      <h2>{t("archive.report.title")}</h2>
      <p className="hint">{t("archive.report.hint")}</p>
      {report.isError && <ErrorNote error={report.error} />}
      <button type="button" className="primary" disabled={report.isPending} onClick={() => report.mutate(undefined)}>
        {report.isPending ? t("archive.working") : t("archive.report.submit")}
      </button>
    </div>
  );
}

function Approve({ year }: { year: number }) {
  const { t } = useTranslation();
  const [note, setNote] = useState("");
  const approve = useListChange(year, async (body: { note: string }) =>
    unwrap(await api.POST("/v1/archive/destruction-lists/{year}/approve", { params: { path: { year } }, body })),
  );
  return (
    <form
      className="card archive-section"
      aria-labelledby="approve-title"
      onSubmit={(e) => {
        e.preventDefault();
        approve.mutate({ note: note.trim() });
      }}
    >
      <h2 id="approve-title">{t("archive.approve.title")}</h2>
      <p className="hint">{t("archive.approve.hint")}</p>
      <label className="archive-field">
        {t("archive.approve.note")}
        <input maxLength={300} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      {approve.isError && <ErrorNote error={approve.error} />}
      <button type="submit" className="primary" disabled={approve.isPending}>
        {approve.isPending ? t("archive.working") : t("archive.approve.submit")}
      </button>
    </form>
  );
}

function DayInput({ id, label, value, onChange, bad }: { id: string; label: string; value: string; onChange: (v: string) => void; bad: boolean }) {
  const { t } = useTranslation();
  return (
    <label className="archive-field">
      {label}
      <input
        inputMode="numeric"
        placeholder={t("archive.datePlaceholder")}
        value={value}
        required
        aria-invalid={bad}
        aria-describedby={bad ? `${id}-bad` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {bad && (
        <span role="alert" className="error field-problem" id={`${id}-bad`}>
          {t("archive.badDate")}
        </span>
      )}
    </label>
  );
}

function Sent({ year, list }: { year: number; list: ListView }) {
  const { t } = useTranslation();
  const [day, setDay] = useState(() => toBuddhistInput(bangkokToday()));
  const [via, setVia] = useState<"exchange" | "post" | "hand">("exchange");
  const [reference, setReference] = useState("");
  const [bad, setBad] = useState(false);
  const sent = useListChange(year, async (body: { sent_on: string; via: "exchange" | "post" | "hand"; reference: string }) =>
    unwrap(await api.POST("/v1/archive/destruction-lists/{year}/sent", { params: { path: { year } }, body })),
  );
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const parsed = parseBuddhistDate(day);
    setBad(!parsed?.ok);
    if (!parsed?.ok) return;
    sent.mutate({ sent_on: parsed.iso, via, reference: reference.trim() });
  }
  return (
    <form className="card archive-section" aria-labelledby="sent-title" onSubmit={submit}>
      <h2 id="sent-title">{t("archive.sent.title")}</h2>
      <p className="hint">
        {t("archive.sent.hint")}{" "}
        {list.list_document_id && (
          <Link to="/documents/$documentId" params={{ documentId: list.list_document_id }}>
            {t("archive.destruction.listDocument")}
          </Link>
        )}
      </p>
      <div className="grid-form">
        <DayInput id="sent-on" label={t("archive.sent.on")} value={day} onChange={setDay} bad={bad} />
        <label className="archive-field">
          {t("archive.sent.via")}
          <select value={via} onChange={(e) => setVia(e.target.value as "exchange" | "post" | "hand")}>
            <option value="exchange">{t("archive.sent.exchange")}</option>
            <option value="post">{t("archive.sent.post")}</option>
            <option value="hand">{t("archive.sent.hand")}</option>
          </select>
        </label>
        <label className="archive-field">
          {t("archive.sent.reference")}
          <input maxLength={100} value={reference} onChange={(e) => setReference(e.target.value)} />
        </label>
      </div>
      {sent.isError && <ErrorNote error={sent.error} />}
      <button type="submit" className="primary" disabled={sent.isPending}>
        {sent.isPending ? t("archive.working") : t("archive.sent.submit")}
      </button>
    </form>
  );
}

function Answer({ year, selected, onDone }: { year: number; selected: number[]; onDone: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [day, setDay] = useState(() => toBuddhistInput(bangkokToday()));
  const [reference, setReference] = useState("");
  const [bad, setBad] = useState(false);
  const answer = useListChange(year, async (body: { received_on: string; reference: string; selected: number[] }) =>
    unwrap(await api.POST("/v1/archive/destruction-lists/{year}/answer", { params: { path: { year } }, body })),
  );
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const parsed = parseBuddhistDate(day);
    setBad(!parsed?.ok);
    if (!parsed?.ok) return;
    answer.mutate({ received_on: parsed.iso, reference: reference.trim(), selected }, { onSuccess: onDone });
  }
  return (
    <form className="card archive-section" aria-labelledby="answer-title" onSubmit={submit}>
      <h2 id="answer-title">{t("archive.answer.title")}</h2>
      <p className="hint">{t("archive.answer.hint")}</p>
      <div className="grid-form">
        <DayInput id="received-on" label={t("archive.answer.on")} value={day} onChange={setDay} bad={bad} />
        <label className="archive-field">
          {t("archive.answer.reference")}
          <input required maxLength={200} value={reference} onChange={(e) => setReference(e.target.value)} />
        </label>
      </div>
      <p>
        {selected.length === 0
          ? t("archive.answer.keepsNone")
          : t("archive.answer.keeps", { numbers: [...selected].sort((a, b) => a - b).map((n) => fmt.digits(n)).join(", ") })}
      </p>
      {answer.isError && <ErrorNote error={answer.error} />}
      <button type="submit" className="primary" disabled={answer.isPending || !reference.trim()}>
        {answer.isPending ? t("archive.working") : t("archive.answer.submit")}
      </button>
    </form>
  );
}

function Destroy({ year }: { year: number }) {
  const { t } = useTranslation();
  const [sure, setSure] = useState(false);
  const destroy = useListChange(year, async () =>
    unwrap(await api.POST("/v1/archive/destruction-lists/{year}/destroy", { params: { path: { year } } })),
  );
  return (
    <div className="card archive-section">
      <h2>{t("archive.destroy.title")}</h2>
      <p className="hint">{t("archive.destroy.hint")}</p>
      {destroy.isError && <ErrorNote error={destroy.error} />}
      {!sure ? (
        <button type="button" onClick={() => setSure(true)}>
          {t("archive.destroy.start")}
        </button>
      ) : (
        <div role="group" aria-label={t("archive.destroy.confirmLabel")}>
          <p className="error">{t("archive.destroy.warning")}</p>
          <div className="actions">
            <button type="button" className="primary" disabled={destroy.isPending} onClick={() => destroy.mutate(undefined)}>
              {destroy.isPending ? t("archive.working") : t("archive.destroy.confirm")}
            </button>
            <button type="button" onClick={() => setSure(false)}>
              {t("archive.classes.cancel")}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
