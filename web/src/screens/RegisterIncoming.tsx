import { useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { lazy, Suspense, useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, unwrap } from "../api/client";
import { markableSecrecy, useMe } from "../api/me";
import type { components } from "../api/schema";
import { postToBucket } from "../api/transfer";
import "./saraban.css";
import { ErrorNote } from "../components/ErrorNote";
import { parseBuddhistDate } from "../format/buddhistDate";
import { attemptFor, EMPTY, registrationOf, type Attempt, type FieldProblem, type IncomingFields } from "../forms/incoming";
import { useFormat } from "../format/useFormat";

const PdfPreview = lazy(() => import("../components/PdfPreview"));
type RegisterEntry = components["schemas"]["RegisterEntry"];
type FileView = components["schemas"]["FileView"];
const URGENCIES = ["normal", "urgent", "very_urgent", "most_urgent"] as const;
const CHECK_TIMEOUT_MS = 120_000;

type Phase = "idle" | "registering" | "uploading" | "checking" | "stamping" | "done";
const STEPS: Phase[] = ["registering", "uploading", "checking", "stamping"];

/** The file was refused by the platform's checks (not a PDF, encrypted, ...): its reason, in Thai and English. */
class FileRejected extends Error {
  constructor(readonly file: FileView) {
    super(file.rejection?.message_en ?? "rejected");
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The saraban officer registers a letter that came on paper (or by hand): the letter and its เลขรับ in
 * one step, then its scanned PDF, checked by the platform and stamped with the receipt (ตรารับ). */
export function RegisterIncoming() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const queries = useQueryClient();
  const formId = useId();
  const [fields, setFields] = useState<IncomingFields>(EMPTY);
  const [file, setFile] = useState<File | null>(null);
  const [problems, setProblems] = useState<Partial<Record<keyof IncomingFields, FieldProblem>>>({});
  const [attempt, setAttempt] = useState<Attempt | null>(null);
  const [entry, setEntry] = useState<RegisterEntry | null>(null);
  const [stamped, setStamped] = useState<{ fileId: string; note: string | null } | null>(null);
  const [phase, setPhase] = useState<Phase>("idle");
  const [progress, setProgress] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const working = phase !== "idle" && phase !== "done";
  const duplicate = error instanceof ApiError && error.problem.code === "duplicate-letter";

  function set<K extends keyof IncomingFields>(key: K, value: IncomingFields[K]) {
    setFields({ ...fields, [key]: value });
  }

  /** The letter and its เลขรับ; null when a field is at fault (each says why, beside it). */
  async function register(): Promise<RegisterEntry | null> {
    const made = registrationOf(fields);
    if (!made.body) {
      setProblems(made.problems);
      return null;
    }
    setProblems({});
    const next = attemptFor(attempt, made.body, () => crypto.randomUUID());
    setAttempt(next);
    setPhase("registering");
    const registered = unwrap(
      await api.POST("/v1/registers/{book}/entries", {
        params: { path: { book: "incoming" }, header: { "Idempotency-Key": next.key } },
        body: made.body,
      }),
    );
    setEntry(registered);
    void queries.invalidateQueries({ queryKey: ["register", "incoming"] });
    return registered;
  }

  async function readDocument(documentId: string) {
    return unwrap(await api.GET("/v1/documents/{document_id}", { params: { path: { document_id: documentId } } }));
  }

  async function attach(documentId: string, pdf: File) {
    setPhase("uploading");
    setProgress(0);
    const ticket = unwrap(
      await api.POST("/v1/documents/{document_id}/files", {
        params: { path: { document_id: documentId } },
        body: { filename: pdf.name, content_type: "application/pdf", role: "main" },
      }),
    );
    await postToBucket(ticket.upload, pdf, setProgress);
    setPhase("checking");
    const deadline = Date.now() + CHECK_TIMEOUT_MS;
    for (;;) {
      const found = (await readDocument(documentId)).files.find((f) => f.id === ticket.file_id);
      if (found?.status === "rejected") throw new FileRejected(found);
      if (found?.status === "ready") {
        setPhase("stamping");
        if (found.receipt_stamped) {
          setStamped({ fileId: found.id, note: found.receipt_stamp_note ?? null });
          return;
        }
      }
      if (Date.now() > deadline) throw new Error(t("incoming.slow"));
      await sleep(1000);
    }
  }

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    setError(null);
    try {
      const registered = entry ?? (await register());
      if (!registered) {
        setPhase("idle");
        // The first field at fault takes the focus; its note is read with it (aria-describedby).
        requestAnimationFrame(() => document.querySelector<HTMLElement>("form [aria-invalid='true']")?.focus());
        return;
      }
      if (file && !stamped) await attach(registered.document_id, file);
      setPhase("done");
    } catch (failure) {
      setPhase("idle"); // what was typed and chosen stays; a retry continues where this stopped
      setError(failure instanceof FileRejected ? rejectionError(failure.file) : failure);
    }
  }

  /** The platform's reason for refusing the file, in the reader's language. */
  function rejectionError(refused: FileView): Error {
    const reason = i18n.language === "th" ? refused.rejection?.message_th : refused.rejection?.message_en;
    return new Error(t("incoming.rejected", { reason: reason ?? "" }));
  }

  function again() {
    setFields(EMPTY);
    setFile(null);
    setAttempt(null);
    setEntry(null);
    setStamped(null);
    setPhase("idle");
    setError(null);
  }

  const letterDate = parseBuddhistDate(fields.letterDate);
  const secrecyLevels = markableSecrecy(me.data?.clearance ?? "normal");
  const locked = entry !== null || working;
  const problemId = (key: keyof IncomingFields) => `${formId}-${key}-problem`;
  const describe = (key: keyof IncomingFields) => (problems[key] ? { "aria-invalid": true, "aria-describedby": problemId(key) } : {});
  const problemNote = (key: keyof IncomingFields) =>
    problems[key] && (
      <span className="error field-problem" id={problemId(key)}>
        {t(`incoming.problems.${problems[key]}`)}
      </span>
    );

  return (
    <section>
      <h1>{t("incoming.title")}</h1>
      <div className="document">
        <form className="card" onSubmit={(e) => void submit(e)} aria-describedby={`${formId}-hint`}>
          <p className="hint" id={`${formId}-hint`}>
            {t("incoming.hint")}
          </p>
          <fieldset disabled={locked}>
            <legend>{t("incoming.letter")}</legend>
            <label>
              {t("incoming.fields.reference")}
              <input value={fields.reference} maxLength={200} onChange={(e) => set("reference", e.target.value)} />
            </label>
            <label>
              {t("incoming.fields.letterDate")}
              <input
                inputMode="numeric"
                placeholder={t("incoming.datePlaceholder")}
                value={fields.letterDate}
                onChange={(e) => set("letterDate", e.target.value)}
                {...describe("letterDate")}
              />
              {problemNote("letterDate")}
              {letterDate?.ok && <span className="hint">{fmt.date(letterDate.iso)}</span>}
            </label>
            <label>
              {t("incoming.fields.fromAgency")}
              <input required value={fields.fromAgency} maxLength={200} onChange={(e) => set("fromAgency", e.target.value)} {...describe("fromAgency")} />
              {problemNote("fromAgency")}
            </label>
            <label>
              {t("incoming.fields.fromPosition")}
              <input value={fields.fromPosition} maxLength={200} onChange={(e) => set("fromPosition", e.target.value)} />
            </label>
            <label>
              {t("incoming.fields.to")}
              <input value={fields.to} maxLength={200} onChange={(e) => set("to", e.target.value)} />
            </label>
            <label>
              {t("incoming.fields.subject")}
              <input required value={fields.subject} maxLength={500} onChange={(e) => set("subject", e.target.value)} {...describe("subject")} />
              {problemNote("subject")}
            </label>
            <div className="pair">
              <label>
                {t("incoming.fields.urgency")}
                <select value={fields.urgency} onChange={(e) => set("urgency", e.target.value as IncomingFields["urgency"])}>
                  {URGENCIES.map((u) => (
                    <option key={u} value={u}>
                      {t(`urgency.${u}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t("incoming.fields.secrecy")}
                <select value={fields.secrecy} onChange={(e) => set("secrecy", e.target.value)}>
                  {secrecyLevels.map((s) => (
                    <option key={s} value={s}>
                      {t(`incoming.secrecy.${s}`)}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            {duplicate && (
              <label className="check">
                <input type="checkbox" checked={fields.duplicateOk} onChange={(e) => set("duplicateOk", e.target.checked)} />
                {t("incoming.duplicateOk")}
              </label>
            )}
          </fieldset>
          <fieldset disabled={working || stamped !== null}>
            <legend>{t("incoming.file")}</legend>
            {/* The browser's own file button speaks the browser's language: this one speaks the page's. */}
            <label className="file-pick">
              <span className="label">{t("incoming.fields.pdf")}</span>
              <input type="file" accept="application/pdf,.pdf" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
              <span className="button" aria-hidden="true">
                {t("incoming.choose")}
              </span>
              <span aria-hidden="true">{file?.name ?? t("incoming.noFile")}</span>
            </label>
          </fieldset>
          {error !== null && <ErrorNote error={error} />}
          {phase !== "done" && (
            <button type="submit" disabled={working}>
              {working ? t("incoming.working") : entry ? t("incoming.continue") : t("incoming.submit")}
            </button>
          )}
          {phase === "done" && (
            <button type="button" onClick={again}>
              {t("incoming.another")}
            </button>
          )}
        </form>
        <div>
          <section className="card" aria-labelledby={`${formId}-progress`}>
            <h2 id={`${formId}-progress`}>{t("incoming.progress")}</h2>
            <ol className="steps" aria-live="polite">
              {STEPS.filter((s) => file !== null || s === "registering").map((step) => {
                const state = stepState(step, phase, entry !== null, stamped !== null);
                return (
                  <li key={step} className={state}>
                    <span className="visually-hidden">{t(`incoming.stepState.${state}`)}: </span>
                    {t(`incoming.steps.${step}`)}
                    {step === "uploading" && phase === "uploading" && (
                      <progress max={1} value={progress} aria-label={t("incoming.steps.uploading")}>
                        {Math.round(progress * 100)}%
                      </progress>
                    )}
                  </li>
                );
              })}
            </ol>
            {entry && (
              <p role="status" className="receipt">
                {t("incoming.received", {
                  number: fmt.digits(entry.received_number ?? entry.number),
                  year: entry.year,
                  when: fmt.dateTime(entry.registered_at),
                })}
              </p>
            )}
            {entry && phase === "done" && (
              <p>
                <Link to="/documents/$documentId" params={{ documentId: entry.document_id }}>
                  {t("incoming.open")}
                </Link>
              </p>
            )}
          </section>
          {entry && stamped && (
            <section className="preview" aria-labelledby={`${formId}-stamped`}>
              <h2 id={`${formId}-stamped`}>{t("incoming.stamped")}</h2>
              {stamped.note && <p className="hint">{stamped.note}</p>}
              <Suspense fallback={<p>{t("app.loading")}</p>}>
                <PdfPreview
                  documentId={entry.document_id}
                  src={`/v1/documents/${encodeURIComponent(entry.document_id)}/files/${encodeURIComponent(stamped.fileId)}/content?variant=stamped`}
                />
              </Suspense>
            </section>
          )}
        </div>
      </div>
    </section>
  );
}

function stepState(step: Phase, phase: Phase, registered: boolean, stamped: boolean): "done" | "working" | "waiting" {
  if (step === "registering" && registered) return "done";
  if (stamped || phase === "done") return "done";
  const at = STEPS.indexOf(phase);
  const index = STEPS.indexOf(step);
  if (index < at) return "done";
  return index === at ? "working" : "waiting";
}

