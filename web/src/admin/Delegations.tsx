import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import { AdminPage } from "./AdminPage";
import { useUsers } from "./api";
import {
  delegationOrders,
  delegationRow,
  EMPTY_DELEGATION,
  type DelegationKind,
  type DelegationProblem,
  type DelegationRow,
} from "./logic";

type Saved = components["schemas"]["Delegations"];
const savedKey = (userId: string) => ["admin", "delegations", userId];

/** Delegations of authority (รักษาราชการแทน / ปฏิบัติราชการแทน), recorded from the written order: the
 * person delegated to, from whose position, the order's reference and the end date. Saving replaces all
 * of that person's delegations (the API keeps them as one list). */
export function Delegations() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const formId = useId();
  const queries = useQueryClient();
  const users = useUsers();
  const [delegate, setDelegate] = useState("");
  const [rows, setRows] = useState<DelegationRow[]>([]);
  const [problems, setProblems] = useState<(DelegationProblem | null)[]>([]);
  const [said, setSaid] = useState("");
  const people = users.data ?? [];
  const nameOf = (id: string) => people.find((u) => u.id === id)?.name ?? id;
  // What is recorded now: the answer of this page's last save, else the directory's (GET /v1/users).
  const recorded = (userId: string): Saved | undefined => {
    const here = queries.getQueryData<Saved>(savedKey(userId));
    const listed = people.find((u) => u.id === userId)?.delegations;
    return here ?? (listed ? { user_id: userId, delegations: listed } : undefined);
  };
  const saved = delegate ? recorded(delegate) : undefined;

  const save = useMutation({
    mutationFn: async ({ userId, orders }: { userId: string; orders: components["schemas"]["DelegationOrder"][] }) =>
      unwrap(
        await api.PUT("/v1/users/{user_id}/delegations", {
          params: { path: { user_id: userId } },
          body: { delegations: orders },
        }),
      ),
    onSuccess: (answer) => {
      queries.setQueryData(savedKey(answer.user_id), answer);
      void queries.invalidateQueries({ queryKey: ["admin", "users"] });
      setSaid(
        answer.delegations.length
          ? t("admin.delegations.saved", { name: nameOf(answer.user_id), n: fmt.digits(answer.delegations.length) })
          : t("admin.delegations.cleared", { name: nameOf(answer.user_id) }),
      );
    },
  });

  function choose(userId: string) {
    setDelegate(userId);
    setSaid("");
    setProblems([]);
    save.reset();
    const known = userId ? recorded(userId) : undefined;
    setRows(known && known.delegations.length > 0 ? known.delegations.map(delegationRow) : [{ ...EMPTY_DELEGATION }]);
  }

  function update(index: number, change: Partial<DelegationRow>) {
    setRows(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  }

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setSaid("");
    const made = delegationOrders(rows);
    if ("problems" in made) {
      setProblems(made.problems);
      requestAnimationFrame(() => document.querySelector<HTMLElement>(".delegations [aria-invalid='true']")?.focus());
      return;
    }
    setProblems([]);
    save.mutate({ userId: delegate, orders: made.orders });
  }

  const problemNote = (index: number, field: "fromUser" | "orderReference" | "until") => {
    const problem = problems[index];
    if (!problem) return null;
    const mine = problem === field || (field === "until" && (problem === "format" || problem === "year" || problem === "day"));
    return mine ? { id: `${formId}-${index}-${field}`, text: t(`admin.delegations.problems.${problem}`) } : null;
  };
  const describe = (index: number, field: "fromUser" | "orderReference" | "until") => {
    const note = problemNote(index, field);
    return note ? { "aria-invalid": true as const, "aria-describedby": note.id } : {};
  };

  return (
    <AdminPage title={t("admin.delegations.title")}>
      <p className="hint">{t("admin.delegations.about")}</p>
      {users.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {users.isError && <ErrorNote error={users.error} onRetry={() => void users.refetch()} />}
      {users.data && (
        <form className="card delegations" onSubmit={submit} aria-labelledby={`${formId}-title`}>
          <h2 id={`${formId}-title`}>{t("admin.delegations.formTitle")}</h2>
          <label>
            {t("admin.delegations.delegate")}
            <select value={delegate} onChange={(e) => choose(e.target.value)}>
              <option value="">{t("admin.choose")}</option>
              {people.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} · {u.position}
                </option>
              ))}
            </select>
          </label>
          {delegate && (
            <>
              <p className="note">{t("admin.delegations.replaces")}</p>
              {rows.length === 0 && <p>{t("admin.delegations.noRows")}</p>}
              <div className="rows">
                {rows.map((row, index) => {
                  const n = fmt.digits(index + 1);
                  const notes = (["fromUser", "orderReference", "until"] as const).map((f) => problemNote(index, f)).filter((x) => x !== null);
                  return (
                    <fieldset className="row" key={index}>
                      <legend>{t("admin.delegations.row", { n })}</legend>
                      <label>
                        {t("admin.delegations.kind")}
                        <select value={row.kind} onChange={(e) => update(index, { kind: e.target.value as DelegationKind })}>
                          <option value="acting">{t("admin.delegations.kinds.acting")}</option>
                          <option value="on_behalf">{t("admin.delegations.kinds.on_behalf")}</option>
                        </select>
                      </label>
                      <label className="grow">
                        {t("admin.delegations.from")}
                        <select value={row.fromUser} onChange={(e) => update(index, { fromUser: e.target.value })} {...describe(index, "fromUser")}>
                          <option value="">{t("admin.choose")}</option>
                          {people
                            .filter((u) => u.id !== delegate && u.position)
                            .map((u) => (
                              <option key={u.id} value={u.id}>
                                {u.position} ({u.name})
                              </option>
                            ))}
                        </select>
                      </label>
                      <label>
                        {t("admin.delegations.order")}
                        <input
                          value={row.orderReference}
                          maxLength={200}
                          placeholder={t("admin.delegations.orderPlaceholder")}
                          onChange={(e) => update(index, { orderReference: e.target.value })}
                          {...describe(index, "orderReference")}
                        />
                      </label>
                      <label>
                        {t("admin.delegations.until")}
                        <input
                          inputMode="numeric"
                          value={row.until}
                          placeholder={t("admin.datePlaceholder")}
                          onChange={(e) => update(index, { until: e.target.value })}
                          {...describe(index, "until")}
                        />
                      </label>
                      <button type="button" className="danger" onClick={() => setRows(rows.filter((_, i) => i !== index))}>
                        {t("admin.delegations.remove", { n })}
                      </button>
                      {notes.map((note) => (
                        <p key={note.id} id={note.id} className="error field-problem">
                          {note.text}
                        </p>
                      ))}
                    </fieldset>
                  );
                })}
              </div>
              <div className="actions">
                <button type="button" disabled={rows.length >= 10} onClick={() => setRows([...rows, { ...EMPTY_DELEGATION }])}>
                  {t("admin.delegations.add")}
                </button>
                <button type="submit" disabled={save.isPending}>
                  {save.isPending ? t("admin.saving") : rows.length ? t("admin.delegations.save") : t("admin.delegations.clear")}
                </button>
              </div>
              {save.isError && <ErrorNote error={save.error} />}
            </>
          )}
          <p role="status" className="said">
            {said}
          </p>
        </form>
      )}
      {saved && saved.delegations.length > 0 && (
        <div className="card">
          <div className="scroll">
            <table className="register">
              <caption>{t("admin.delegations.savedCaption", { name: nameOf(saved.user_id) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("admin.delegations.kind")}</th>
                  <th scope="col">{t("admin.delegations.position")}</th>
                  <th scope="col">{t("admin.delegations.holder")}</th>
                  <th scope="col">{t("admin.delegations.order")}</th>
                  <th scope="col">{t("admin.delegations.until")}</th>
                </tr>
              </thead>
              <tbody>
                {saved.delegations.map((d, i) => (
                  <tr key={i}>
                    <td>{t(`admin.delegations.kinds.${d.kind}`, { defaultValue: d.kind_th })}</td>
                    <td>{d.position}</td>
                    <td>{nameOf(d.from_user)}</td>
                    <td>{fmt.digits(d.order_reference)}</td>
                    <td className="nowrap">{d.until ? fmt.date(d.until) : t("admin.delegations.noEnd")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </AdminPage>
  );
}
