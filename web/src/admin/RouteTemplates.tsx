import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { useBookName } from "../registers/books";
import { useMe } from "../api/me";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import { AdminPage } from "./AdminPage";
import { useUsers } from "./api";
import {
  EMPTY_TEMPLATE,
  KINDS,
  moved,
  positionsOf,
  templateForm,
  templatePlan,
  type Choice,
  type Kind,
  type PlanBody,
  type RoutePlan,
  type StepKind,
  type TemplateForm,
  type TemplateProblem,
  type UserSummary,
} from "./logic";

const templateKey = (kind: Kind) => ["admin", "route-template", kind];

/** The steps a new letter of each kind starts with: proof-read and review steps in order, then the
 * signers in order (a person, or whoever holds a position), and the book it is numbered in. */
export function RouteTemplates() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Kind>("internal");
  const users = useUsers();
  const template = useQuery({
    queryKey: templateKey(kind),
    queryFn: async () => {
      const answer = await api.GET("/v1/route-templates/{kind}", { params: { path: { kind } } });
      // No template yet is an answer, not a failure: the form starts empty.
      if (answer.response.status === 404) return null;
      return unwrap(answer).plan;
    },
  });
  return (
    <AdminPage title={t("admin.templates.title")}>
      <p className="hint">{t("admin.templates.about")}</p>
      <div className="toolbar">
        <label>
          {t("admin.templates.kind")}
          <select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`admin.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {(template.isPending || users.isPending) && <p aria-busy="true">{t("app.loading")}</p>}
      {template.isError && <ErrorNote error={template.error} onRetry={() => void template.refetch()} />}
      {users.isError && <ErrorNote error={users.error} onRetry={() => void users.refetch()} />}
      {template.data !== undefined && users.data && (
        <TemplateEditor key={kind} kind={kind} plan={template.data} people={users.data} />
      )}
    </AdminPage>
  );
}

function TemplateEditor({ kind, plan, people }: { kind: Kind; plan: RoutePlan | null; people: UserSummary[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const bookName = useBookName();
  const queries = useQueryClient();
  const id = useId();
  const [form, setForm] = useState<TemplateForm>(plan ? templateForm(plan) : EMPTY_TEMPLATE);
  const [problem, setProblem] = useState<TemplateProblem | null>(null);
  const [said, setSaid] = useState("");
  const save = useMutation({
    mutationFn: async (next: PlanBody) =>
      unwrap(await api.PUT("/v1/route-templates/{kind}", { params: { path: { kind } }, body: next })),
    onSuccess: (answer) => {
      setSaid(t("admin.templates.saved", { kind: t(`admin.kinds.${kind}`) }));
      // The editor keeps what it shows; the cache is what a later visit starts from.
      queries.setQueryData(templateKey(kind), answer.plan);
    },
  });
  const books = me.data?.books ?? [];
  const positions = positionsOf(people);
  const kindName = t(`admin.kinds.${kind}`);

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setSaid("");
    const made = templatePlan(form);
    if (typeof made === "string") {
      setProblem(made);
      return;
    }
    setProblem(null);
    save.mutate(made);
  }

  const chooser = (label: string, value: Choice, onChange: (choice: Choice) => void, signers: boolean) => (
    <label className="grow">
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t("admin.choose")}</option>
        <optgroup label={t("admin.templates.positions")}>
          {positions.map((p) => (
            <option key={p} value={`pos:${p}`}>
              {p}
            </option>
          ))}
        </optgroup>
        <optgroup label={t("admin.templates.people")}>
          {people
            .filter((u) => !signers || u.can_sign)
            .map((u) => (
              <option key={u.id} value={`user:${u.id}`}>
                {u.name} · {u.position}
              </option>
            ))}
        </optgroup>
      </select>
    </label>
  );

  const notFoundYet = plan === null;
  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("admin.templates.formTitle", { kind: kindName })}</h2>
      {notFoundYet && <p className="note">{t("admin.templates.none")}</p>}
      <fieldset>
        <legend>{t("admin.templates.reviews")}</legend>
        <p className="hint">{t("admin.templates.reviewsHint")}</p>
        <div className="rows">
          {form.reviews.map((row, index) => {
            const n = fmt.digits(index + 1);
            return (
              <div className="row" key={index}>
                <label>
                  {t("admin.templates.stepKind", { n })}
                  <select
                    value={row.kind}
                    onChange={(e) =>
                      setForm({ ...form, reviews: form.reviews.map((r, i) => (i === index ? { ...r, kind: e.target.value as StepKind } : r)) })
                    }
                  >
                    <option value="review">{t("admin.templates.kinds.review")}</option>
                    <option value="proofread">{t("admin.templates.kinds.proofread")}</option>
                  </select>
                </label>
                {chooser(
                  t("admin.templates.reviewer", { n }),
                  row.choice,
                  (choice) => setForm({ ...form, reviews: form.reviews.map((r, i) => (i === index ? { ...r, choice } : r)) }),
                  false,
                )}
                <span className="buttons">
                  <button type="button" disabled={index === 0} aria-label={t("admin.templates.upStep", { n })} onClick={() => setForm({ ...form, reviews: moved(form.reviews, index, -1) })}>
                    ↑
                  </button>
                  <button
                    type="button"
                    disabled={index === form.reviews.length - 1}
                    aria-label={t("admin.templates.downStep", { n })}
                    onClick={() => setForm({ ...form, reviews: moved(form.reviews, index, 1) })}
                  >
                    ↓
                  </button>
                  <button type="button" className="danger" onClick={() => setForm({ ...form, reviews: form.reviews.filter((_, i) => i !== index) })}>
                    {t("admin.templates.removeStep", { n })}
                  </button>
                </span>
              </div>
            );
          })}
        </div>
        <button type="button" disabled={form.reviews.length >= 15} onClick={() => setForm({ ...form, reviews: [...form.reviews, { kind: "review", choice: "" }] })}>
          {t("admin.templates.addStep")}
        </button>
      </fieldset>
      <fieldset>
        <legend>{t("admin.templates.signers")}</legend>
        <p className="hint">{t("admin.templates.signersHint")}</p>
        <div className="rows">
          {form.signers.map((choice, index) => {
            const n = fmt.digits(index + 1);
            return (
              <div className="row" key={index}>
                {chooser(
                  t("admin.templates.signer", { n }),
                  choice,
                  (next) => setForm({ ...form, signers: form.signers.map((s, i) => (i === index ? next : s)) }),
                  true,
                )}
                <span className="buttons">
                  <button type="button" disabled={index === 0} aria-label={t("admin.templates.upSigner", { n })} onClick={() => setForm({ ...form, signers: moved(form.signers, index, -1) })}>
                    ↑
                  </button>
                  <button
                    type="button"
                    disabled={index === form.signers.length - 1}
                    aria-label={t("admin.templates.downSigner", { n })}
                    onClick={() => setForm({ ...form, signers: moved(form.signers, index, 1) })}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="danger"
                    disabled={form.signers.length === 1}
                    onClick={() => setForm({ ...form, signers: form.signers.filter((_, i) => i !== index) })}
                  >
                    {t("admin.templates.removeSigner", { n })}
                  </button>
                </span>
              </div>
            );
          })}
        </div>
        <button type="button" disabled={form.signers.length >= 10} onClick={() => setForm({ ...form, signers: [...form.signers, ""] })}>
          {t("admin.templates.addSigner")}
        </button>
      </fieldset>
      <label>
        {t("admin.templates.book")}
        <select value={form.book} onChange={(e) => setForm({ ...form, book: e.target.value })}>
          <option value="">{t("admin.templates.bookDefault")}</option>
          {books.map((b) => (
            <option key={b} value={b}>
              {bookName(b)}
            </option>
          ))}
        </select>
      </label>
      {problem && (
        <p role="alert" className="error">
          {t(`admin.templates.problems.${problem}`)}
        </p>
      )}
      {save.isError && <ErrorNote error={save.error} />}
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? t("admin.saving") : t("admin.templates.save")}
        </button>
      </div>
      <p role="status" className="said">
        {said}
      </p>
    </form>
  );
}
