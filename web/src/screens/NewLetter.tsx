import { useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { lazy, Suspense, useEffect, useId, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { ErrorNote } from "../components/ErrorNote";
import { thaiSorted } from "../format/thai";
import { draftOps, getDocument, useMe, useUsers } from "../letters/api";
import {
  emptyForm,
  formHas,
  fromDocument,
  LETTER_KINDS,
  readyToSave,
  SECRECIES,
  toDraft,
  URGENCIES,
  type LetterForm,
} from "../letters/draft";
import {
  buildPlan,
  positionChoice,
  positionsOf,
  userChoice,
  type ReviewKind,
  type ReviewRow,
  type UserSummary,
} from "../letters/route";
import { DraftSaver, type SaverState } from "../letters/saver";
import "../letters/letters.css";

const PdfPreview = lazy(() => import("../components/PdfPreview"));
/** The pause in typing after which the draft is saved and its preview rendered. */
const PAUSE_MS = 1200;

/** A new letter (or a saved draft, `?document=<id>`, to go on with): the form of its kind beside the
 * rendered letter, then its route. */
export function NewLetter() {
  const { t } = useTranslation();
  const { document: documentId } = useSearch({ from: "/letters/new" });
  const me = useMe();
  const existing = useQuery({
    queryKey: ["document", documentId ?? ""],
    queryFn: () => getDocument(documentId ?? ""),
    enabled: documentId !== undefined,
  });
  const failed = me.error ?? existing.error;
  return (
    <section>
      <h1>{documentId ? t("letter.editTitle") : t("letter.title")}</h1>
      {failed && <ErrorNote error={failed} onRetry={() => void (me.isError ? me.refetch() : existing.refetch())} />}
      {(me.isPending || (documentId !== undefined && existing.isPending)) && !failed && (
        <p aria-busy="true">{t("app.loading")}</p>
      )}
      {me.data && (documentId === undefined || existing.data) && (
        <LetterEditor
          key={documentId ?? "new"}
          units={me.data.units}
          initial={existing.data ? fromDocument(existing.data) : emptyForm(me.data.units[0]?.id ?? "")}
          documentId={existing.data?.id ?? null}
        />
      )}
    </section>
  );
}

interface Unit {
  id: string;
  name: string | null;
}

function LetterEditor({ units, initial, documentId }: { units: Unit[]; initial: LetterForm; documentId: string | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const users = useUsers();
  const [form, setForm] = useState<LetterForm>(initial);
  const [saved, setSaved] = useState<SaverState | null>(null);
  const [saver] = useState(() => new DraftSaver(draftOps, setSaved, documentId));
  const state = saved ?? saver.state;
  const [reviews, setReviews] = useState<ReviewRow[]>([]);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);

  // After a pause in typing: save (create, then revise) and render; the newest draft wins.
  useEffect(() => {
    if (!readyToSave(form)) return;
    const timer = setTimeout(() => void saver.submit(toDraft(form)), PAUSE_MS);
    return () => clearTimeout(timer);
  }, [form, saver]);

  const set = <K extends keyof LetterForm>(key: K, value: LetterForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const has = formHas(form.kind);
  const locked = state.documentId !== null;
  const people = thaiSorted(users.data ?? [], (u) => u.name);
  const signers = people.filter((u) => u.can_sign);
  const busy = state.phase === "saving" || state.phase === "rendering" || state.phase === "checking";

  async function startRoute() {
    setProblem(null);
    setStartError(null);
    const plan = buildPlan(reviews, form.signer);
    if (typeof plan === "string") {
      setProblem(t(`letter.route.problems.${plan}`));
      return;
    }
    if (!readyToSave(form)) {
      setProblem(t("letter.route.needDraft"));
      return;
    }
    setStarting(true);
    try {
      await saver.submit(toDraft(form));
      const id = await saver.flush();
      unwrap(await api.POST("/v1/documents/{document_id}/route", { params: { path: { document_id: id } }, body: { plan } }));
      await navigate({ to: "/documents/$documentId", params: { documentId: id } });
    } catch (failure) {
      // the form and the plan stay as they are; a draft that could not be saved is already said beside
      // its preview, once
      if (failure !== saver.state.error) setStartError(failure);
    } finally {
      setStarting(false);
    }
  }

  return (
    <>
      <div className="letter-editor">
        <form className="card letter-form" aria-labelledby="letter-form-title" onSubmit={(e) => e.preventDefault()}>
          <h2 id="letter-form-title">{t("letter.form")}</h2>
          <Field label={t("letter.kind")}>
            {(p) => (
              <select {...p} value={form.kind} disabled={locked} onChange={(e) => set("kind", e.target.value as LetterForm["kind"])}>
                {LETTER_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`letter.kinds.${k}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="pair">
            <Field label={t("letter.secrecy")}>
              {(p) => (
                <select {...p} value={form.secrecy} disabled={locked} onChange={(e) => set("secrecy", e.target.value as LetterForm["secrecy"])}>
                  {SECRECIES.map((s) => (
                    <option key={s} value={s}>
                      {t(`letter.secrecies.${s}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t("letter.urgency")}>
              {(p) => (
                <select {...p} value={form.urgency} onChange={(e) => set("urgency", e.target.value as LetterForm["urgency"])}>
                  {URGENCIES.map((u) => (
                    <option key={u} value={u}>
                      {t(`urgency.${u}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <Field label={t("letter.unit")}>
            {(p) => (
              <select {...p} value={form.ownerUnitId} disabled={locked} onChange={(e) => set("ownerUnitId", e.target.value)}>
                {units.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name ?? u.id}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {locked && <p className="hint">{t("letter.fixed")}</p>}
          <p>
            <strong>{t("letter.reference")}</strong> <span className="hint">{t("letter.referenceLater")}</span>
          </p>
          <Field label={t("letter.subject")}>
            {(p) => (
              <input {...p} value={form.subject} required onChange={(e) => set("subject", e.target.value)} />
            )}
          </Field>
          <Field label={t("letter.recipient")}>
            {(p) => (
              <input {...p} value={form.recipientPosition} list="letter-positions" onChange={(e) => set("recipientPosition", e.target.value)} />
            )}
          </Field>
          <datalist id="letter-positions">
            {positionsOf(users.data ?? []).map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
          {has.recipientAgency && (
            <Field label={t("letter.recipientAgency")}>
              {(p) => (
                <input {...p} value={form.recipientAgency} onChange={(e) => set("recipientAgency", e.target.value)} />
              )}
            </Field>
          )}
          {has.references && (
            <Field label={t("letter.references")} hint={t("letter.oneALine")}>
              {(p) => (
                <textarea {...p} rows={2} value={form.references} onChange={(e) => set("references", e.target.value)} />
              )}
            </Field>
          )}
          {has.enclosures && (
            <Field label={t("letter.enclosures")} hint={t("letter.oneALine")}>
              {(p) => (
                <textarea {...p} rows={2} value={form.enclosures} onChange={(e) => set("enclosures", e.target.value)} />
              )}
            </Field>
          )}
          <Field label={t("letter.body")} hint={t("letter.bodyHint")}>
            {(p) => (
              <textarea {...p} rows={10} value={form.body} onChange={(e) => set("body", e.target.value)} />
            )}
          </Field>
          <Field label={t("letter.signer")}>
            {(p) => (
              <select {...p} value={form.signer} onChange={(e) => set("signer", e.target.value)}>
                <option value="">{t("letter.choose")}</option>
                {signers.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name} · {u.position}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </form>
        <div className="card preview">
          <h2>{t("letter.preview")}</h2>
          <p className="status-line" role="status" aria-busy={busy}>
            {t(`letter.status.${state.phase}`)}
          </p>
          {state.phase === "failed" && <ErrorNote error={state.error} onRetry={() => void saver.submit(toDraft(form))} />}
          {state.documentId && state.fileId && (
            <Suspense fallback={<p>{t("app.loading")}</p>}>
              <PdfPreview
                key={state.fileId}
                documentId={state.documentId}
                src={`/v1/documents/${encodeURIComponent(state.documentId)}/files/${encodeURIComponent(state.fileId)}/content`}
              />
            </Suspense>
          )}
        </div>
      </div>
      <RoutePlanner reviews={reviews} onChange={setReviews} people={people} signer={people.find((u) => u.id === form.signer)} />
      <div className="buttons">
        <button type="button" className="primary" disabled={starting} onClick={() => void startRoute()}>
          {t("letter.route.start")}
        </button>
      </div>
      <p className="status-line" role="status" aria-busy={starting}>
        {starting ? t("letter.route.starting") : ""}
      </p>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {startError !== null && <ErrorNote error={startError} />}
      {users.isError && <ErrorNote error={users.error} onRetry={() => void users.refetch()} />}
    </>
  );
}

/** A label above its control, tied by id (a label wrapped around a select would be named by its options
 * too), and a hint the control is described by. */
function Field({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: string;
  children: (props: { id: string; "aria-describedby"?: string }) => ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {children(hint ? { id, "aria-describedby": `${id}-hint` } : { id })}
    </div>
  );
}

function RoutePlanner({
  reviews,
  onChange,
  people,
  signer,
}: {
  reviews: ReviewRow[];
  onChange: (rows: ReviewRow[]) => void;
  people: UserSummary[];
  signer: UserSummary | undefined;
}) {
  const { t } = useTranslation();
  const positions = positionsOf(people);
  const id = useId();
  const update = (index: number, change: Partial<ReviewRow>) =>
    onChange(reviews.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <section className="card route-plan" aria-labelledby="route-plan-title">
      <h2 id="route-plan-title">{t("letter.route.title")}</h2>
      <p className="hint">{t("letter.route.hint")}</p>
      {reviews.length === 0 && <p>{t("letter.route.none")}</p>}
      {reviews.map((row, index) => (
        <div className="review-row" key={index}>
          <div className="field">
            <label htmlFor={`${id}-kind-${index}`}>{t("letter.route.reviewKind", { n: index + 1 })}</label>
            <select id={`${id}-kind-${index}`} value={row.kind} onChange={(e) => update(index, { kind: e.target.value as ReviewKind })}>
              <option value="review">{t("letter.route.kinds.review")}</option>
              <option value="proofread">{t("letter.route.kinds.proofread")}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-who-${index}`}>{t("letter.route.reviewer", { n: index + 1 })}</label>
            <select id={`${id}-who-${index}`} value={row.choice} onChange={(e) => update(index, { choice: e.target.value })}>
              <option value="">{t("letter.choose")}</option>
              <optgroup label={t("letter.route.positions")}>
                {positions.map((p) => (
                  <option key={p} value={positionChoice(p)}>
                    {p}
                  </option>
                ))}
              </optgroup>
              <optgroup label={t("letter.route.people")}>
                {people.map((u) => (
                  <option key={u.id} value={userChoice(u.id)}>
                    {u.name} · {u.position}
                  </option>
                ))}
              </optgroup>
            </select>
          </div>
          <button type="button" className="danger" onClick={() => onChange(reviews.filter((_, i) => i !== index))}>
            {t("letter.route.remove", { n: index + 1 })}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...reviews, { kind: "review", choice: "" }])}>
        {t("letter.route.add")}
      </button>
      <p>
        <strong>
          {signer ? t("letter.route.signer", { name: `${signer.name} · ${signer.position}` }) : t("letter.route.noSigner")}
        </strong>
      </p>
    </section>
  );
}
