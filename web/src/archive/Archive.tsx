import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useMemo, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { hasRole, useMe } from "../api/me";
import { download } from "../api/transfer";
import { ErrorNote } from "../components/ErrorNote";
import { ReasonDialog } from "../components/ReasonDialog";
import { buddhistYear, parseBuddhistDate, toBuddhistInput } from "../format/buddhistDate";
import { useFormat } from "../format/useFormat";
import "../screens/saraban.css";
import "./archive.css";
import { ARCHIVE, useSettings, useStorage, useStoredRegister, type StoredLine } from "./api";
import { ArchiveNav } from "./ArchiveNav";
import { FieldsDialog } from "../components/FieldsDialog";
import { RetentionSettings } from "./RetentionSettings";
import { SendToStorage } from "./SendToStorage";
import { bangkokToday, dayText } from "./steps";

/** /archive: the ทะเบียนหนังสือเก็บ of a year, a record's storage (its stamp, its hold), the day's
 * บัญชีหนังสือส่งเก็บ (แบบที่ 19), sending records to storage and the retention classes. */
export function Archive() {
  const { t } = useTranslation();
  const me = useMe();
  const records = hasRole(me.data, "records");
  const keepers = hasRole(me.data, "records", "admin", "saraban");
  return (
    <section>
      <h1>{t("archive.title")}</h1>
      <ArchiveNav />
      {me.isError && <ErrorNote error={me.error} onRetry={() => void me.refetch()} />}
      {/* the stored register and its lists are the records, saraban and admin officers' (archive/service) */}
      {keepers ? (
        <>
          <StoredRegister records={records} />
          <StorageListPdf />
        </>
      ) : (
        me.isSuccess && (
          <p className="card">
            {t("archive.notKeeper")} <Link to="/archive/loans">{t("archive.toLoans")}</Link>
          </p>
        )
      )}
      {records && <SendToStorage />}
      <RetentionSettings mayEdit={hasRole(me.data, "admin", "records")} />
    </section>
  );
}

function matches(line: StoredLine, words: string): boolean {
  if (!words) return true;
  const text = `${line.reference} ${line.subject} ${line.file_code} ${line.note} ${line.keep}`.toLowerCase();
  return words
    .toLowerCase()
    .split(/\s+/)
    .every((w) => text.includes(w));
}

function StoredRegister({ records }: { records: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const thisYear = buddhistYear(new Date());
  const [year, setYear] = useState(thisYear);
  const [typed, setTyped] = useState("");
  const [words, setWords] = useState("");
  const [chosen, setChosen] = useState<StoredLine | null>(null);
  const register = useStoredRegister(year);
  const shown = useMemo(() => (register.data?.entries ?? []).filter((l) => matches(l, words)), [register.data, words]);
  const years = Array.from({ length: 11 }, (_, i) => thisYear - i);

  return (
    <div className="archive-section">
      <h2>{t("archive.register.title", { year: fmt.digits(year) })}</h2>
      <form
        className="filters"
        role="search"
        aria-label={t("archive.register.filters")}
        onSubmit={(e) => {
          e.preventDefault();
          setWords(typed.trim());
        }}
      >
        <label>
          {t("archive.register.year")}
          <select
            value={year}
            onChange={(e) => {
              setYear(Number(e.target.value));
              setChosen(null);
            }}
          >
            {years.map((y) => (
              <option key={y} value={y}>
                {t("archive.yearOption", { year: fmt.digits(y) })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("archive.register.q")}
          <input type="search" value={typed} maxLength={100} onChange={(e) => setTyped(e.target.value)} />
        </label>
        <button type="submit">{t("archive.register.search")}</button>
      </form>
      {register.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {register.isError && <ErrorNote error={register.error} onRetry={() => void register.refetch()} />}
      {register.data &&
        (shown.length === 0 ? (
          <p className="empty">{words ? t("archive.register.noMatch") : t("archive.register.empty")}</p>
        ) : (
          <div className="scroll" tabIndex={0} role="region" aria-label={t("archive.scroll")}>
            <table className="register archive-table" aria-busy={register.isFetching}>
              <caption className="visually-hidden">{t("archive.register.title", { year: fmt.digits(year) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("archive.columns.number")}</th>
                  <th scope="col">{t("archive.columns.storedOn")}</th>
                  <th scope="col">{t("archive.columns.reference")}</th>
                  <th scope="col">{t("archive.columns.letterDate")}</th>
                  <th scope="col">{t("archive.columns.subject")}</th>
                  <th scope="col">{t("archive.columns.fileCode")}</th>
                  <th scope="col">{t("archive.columns.keep")}</th>
                  <th scope="col">{t("archive.columns.note")}</th>
                  <th scope="col">{t("archive.columns.manage")}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((line) => (
                  <tr key={line.number} className={chosen?.number === line.number ? "selected" : undefined}>
                    <td className="nowrap">{fmt.digits(line.number)}</td>
                    <td className="nowrap">{fmt.date(line.stored_on)}</td>
                    <td className="nowrap">{fmt.digits(line.reference)}</td>
                    <td>{dayText(line.letter_date, fmt)}</td>
                    <td className="subject">
                      <Link to="/documents/$documentId" params={{ documentId: line.document_id }}>
                        {line.subject}
                      </Link>
                    </td>
                    <td className="nowrap">{fmt.digits(line.file_code)}</td>
                    <td>{fmt.digits(line.keep)}</td>
                    <td>{line.note}</td>
                    <td className="manage">
                      <button
                        type="button"
                        aria-pressed={chosen?.number === line.number}
                        aria-label={t("archive.register.openLine", { number: line.number })}
                        onClick={() => setChosen(chosen?.number === line.number ? null : line)}
                      >
                        {t("archive.register.open")}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {chosen && <StorageDetail line={chosen} records={records} onClose={() => setChosen(null)} />}
    </div>
  );
}

function StorageDetail({ line, records, onClose }: { line: StoredLine; records: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const queries = useQueryClient();
  const storage = useStorage(line.document_id);
  const classes = useSettings();
  const [dialog, setDialog] = useState<"hold" | "lift" | null>(null);
  const [said, setSaid] = useState("");
  const refresh = () => queries.invalidateQueries({ queryKey: [ARCHIVE] });
  const hold = useMutation({
    mutationFn: async (values: Record<string, string>) =>
      unwrap(
        await api.POST("/v1/archive/holds", {
          body: { document_ids: [line.document_id], reason: values.reason ?? "", reference: values.reference ?? "" },
        }),
      ),
    onSuccess: async () => {
      setSaid(t("archive.hold.placed"));
      await refresh();
    },
  });
  const lift = useMutation({
    mutationFn: async (reason: string) =>
      unwrap(
        await api.POST("/v1/documents/{document_id}/hold/lift", { params: { path: { document_id: line.document_id } }, body: { reason } }),
      ),
    onSuccess: async () => {
      setSaid(t("archive.hold.lifted"));
      await refresh();
    },
  });
  const view = storage.data;
  return (
    <section className="card archive-detail" aria-labelledby="storage-detail-title">
      <h3 id="storage-detail-title">{t("archive.detail.title", { subject: line.subject })}</h3>
      {storage.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {storage.isError && <ErrorNote error={storage.error} onRetry={() => void storage.refetch()} />}
      {view && (
        <>
          <dl>
            <dt>{t("archive.detail.line")}</dt>
            <dd>{fmt.digits(view.register_line)}</dd>
            <dt>{t("archive.detail.state")}</dt>
            <dd>{t(`archive.storageState.${view.state}`, { defaultValue: view.state })}</dd>
            <dt>{t("archive.detail.class")}</dt>
            <dd>{classes.data?.classes.find((c) => c.code === view.class_code)?.name ?? view.class_code}</dd>
            <dt>{t("archive.detail.stamp")}</dt>
            <dd>
              <strong>{fmt.digits(view.stamp)}</strong>
            </dd>
            <dt>{t("archive.detail.storedOn")}</dt>
            <dd>{fmt.date(view.stored_on)}</dd>
            <dt>{t("archive.detail.hold")}</dt>
            <dd>
              {view.held ? (
                <span className="held-mark">{t("archive.detail.held", { reason: view.hold_reason })}</span>
              ) : (
                t("archive.detail.notHeld")
              )}
            </dd>
            {view.destroyed_at && (
              <>
                <dt>{t("archive.detail.destroyed")}</dt>
                <dd>
                  {fmt.dateTime(view.destroyed_at)} {view.destroyed_under}
                </dd>
              </>
            )}
            <dt>{t("archive.detail.files")}</dt>
            <dd>
              {view.files.length === 0 ? (
                "—"
              ) : (
                <ul className="plain">
                  {view.files.map((f) => (
                    <li key={f.file}>
                      {f.file === "letter" ? t("archive.detail.letter") : t("archive.detail.enclosure")}:{" "}
                      {f.locked_until ? t("archive.detail.lockedUntil", { date: fmt.date(f.locked_until) }) : t("archive.detail.noLock")}
                      {f.legal_hold ? ` · ${t("archive.detail.legalHold")}` : ""}
                      {f.note ? <span className="hint"> ({f.note})</span> : null}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </dl>
          <p role="status" className="said">
            {said}
          </p>
          <div className="actions">
            {records && view.state === "stored" && !view.held && (
              <button type="button" onClick={() => setDialog("hold")}>
                {t("archive.hold.place")}
              </button>
            )}
            {records && view.held && (
              <button type="button" onClick={() => setDialog("lift")}>
                {t("archive.hold.lift")}
              </button>
            )}
            {view.state === "stored" && (
              <Link to="/archive/loans" search={{ document: line.document_id }} className="button-link">
                {t("archive.detail.borrow")}
              </Link>
            )}
            <button type="button" onClick={onClose}>
              {t("dialog.close")}
            </button>
          </div>
          {!records && <p className="hint">{t("archive.hold.recordsOnly")}</p>}
        </>
      )}
      {dialog === "hold" && (
        <FieldsDialog
          title={t("archive.hold.title")}
          summary={line.subject}
          fields={[
            { name: "reason", label: t("archive.hold.reason"), required: true, multiline: true },
            { name: "reference", label: t("archive.hold.reference"), hint: t("archive.hold.referenceHint") },
          ]}
          submit={t("archive.hold.confirm")}
          onSubmit={(values) => hold.mutateAsync(values)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === "lift" && (
        <ReasonDialog
          title={t("archive.hold.liftTitle")}
          summary={line.subject}
          label={t("archive.hold.liftReason")}
          submit={t("archive.hold.confirmLift")}
          onSubmit={(reason) => lift.mutateAsync(reason)}
          onClose={() => setDialog(null)}
        />
      )}
    </section>
  );
}

/** บัญชีหนังสือส่งเก็บ (แบบที่ 19) of the records sent to storage on one day. */
function StorageListPdf() {
  const { t } = useTranslation();
  const [typed, setTyped] = useState(() => toBuddhistInput(bangkokToday()));
  const [bad, setBad] = useState(false);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function get(event: SyntheticEvent) {
    event.preventDefault();
    const day = parseBuddhistDate(typed);
    setBad(!day?.ok);
    if (!day?.ok) return;
    setWorking(true);
    setError(null);
    try {
      await download(`/v1/archive/storage-list.pdf?stored_on=${day.iso}`, "application/pdf", `form-19-${day.iso}.pdf`);
    } catch (failure) {
      setError(failure);
    } finally {
      setWorking(false);
    }
  }
  return (
    <form className="archive-section filters" aria-labelledby="form19-title" onSubmit={(e) => void get(e)}>
      <h2 id="form19-title" style={{ flexBasis: "100%" }}>
        {t("archive.form19.title")}
      </h2>
      <label>
        {t("archive.form19.day")}
        <input
          inputMode="numeric"
          placeholder={t("archive.datePlaceholder")}
          value={typed}
          aria-invalid={bad}
          aria-describedby={bad ? "form19-bad" : undefined}
          onChange={(e) => setTyped(e.target.value)}
        />
      </label>
      <button type="submit" disabled={working}>
        {working ? t("archive.downloading") : t("archive.form19.download")}
      </button>
      {bad && (
        <p role="alert" className="error" id="form19-bad">
          {t("archive.badDate")}
        </p>
      )}
      {error !== null && <ErrorNote error={error} />}
    </form>
  );
}
