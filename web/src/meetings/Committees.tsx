import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { hasRole, useMe } from "../api/me";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import { thaiSorted } from "../format/thai";
import "../screens/saraban.css";
import { useAgencyUsers, useCommittees, type Committee, type CommitteeCommand } from "./api";
import { COMMITTEE_ROLES, committeeProblem, KEEPER_ROLES } from "./logic";
import "./meetings.css";
import { FormEnd, PeopleOptions, Rows, TextField } from "./Rows";

type Role = (typeof COMMITTEE_ROLES)[number];
type Quorum = "half" | "more_than_half" | "two_thirds";
interface MemberRow {
  key: string;
  kind: "user" | "outside";
  userId: string;
  name: string;
  position: string;
  role: Role;
}
const newRow = (role: Role = "member"): MemberRow => ({ key: crypto.randomUUID(), kind: "user", userId: "", name: "", position: "", role });

/** The agency's committees with their members; the admin, director, head and saraban set new ones up. */
export function Committees() {
  const { t } = useTranslation();
  const me = useMe();
  const committees = useCommittees();
  const mayCreate = hasRole(me.data, ...KEEPER_ROLES);
  const [said, setSaid] = useState("");
  const sorted = thaiSorted(committees.data ?? [], (c) => c.name);
  return (
    <section className="meetings">
      <p className="crumbs">
        <Link to="/meetings">{t("meetings.title")}</Link>
      </p>
      <h1>{t("meetings.committees.title")}</h1>
      <p role="status" className="said">
        {said}
      </p>
      {committees.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {committees.isError && <ErrorNote error={committees.error} onRetry={() => void committees.refetch()} />}
      {committees.data && sorted.length === 0 && <p className="hint">{t("meetings.committees.empty")}</p>}
      {sorted.length > 0 && (
        <div className="scroll">
          <table className="register committees">
            <caption className="visually-hidden">{t("meetings.committees.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("meetings.committees.name")}</th>
                <th scope="col">{t("meetings.committees.order")}</th>
                <th scope="col">{t("meetings.committees.quorum")}</th>
                <th scope="col">{t("meetings.committees.membersLegend")}</th>
                <th scope="col">{t("meetings.committees.meetings")}</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((c) => (
                <CommitteeRow key={c.id} committee={c} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {mayCreate ? (
        <NewCommittee onCreated={(c) => setSaid(t("meetings.committees.created", { name: c.name }))} />
      ) : (
        <p className="hint">{t("meetings.committees.whoCreates")}</p>
      )}
    </section>
  );
}

function CommitteeRow({ committee }: { committee: Committee }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <tr>
      <th scope="row" className="subject">
        {committee.name}
      </th>
      <td>{committee.order_reference ? fmt.digits(committee.order_reference) : "—"}</td>
      <td>
        {t(`meetings.quorum.${committee.quorum}`, { defaultValue: committee.quorum })}
        {committee.delegates_count && <div className="detail">{t("meetings.committees.delegatesCount")}</div>}
      </td>
      <td>
        <details>
          <summary>{t("meetings.committees.members", { n: fmt.digits(committee.members.length) })}</summary>
          <ol className="members">
            {committee.members.map((m) => (
              <li key={m.id}>
                {m.name}
                {m.position && <span className="detail"> {m.position}</span>} — {m.role_th}
              </li>
            ))}
          </ol>
        </details>
      </td>
      <td className="nowrap">{t("meetings.committees.held", { n: fmt.digits(committee.meetings_held) })}</td>
    </tr>
  );
}

function NewCommittee({ onCreated }: { onCreated: (c: Committee) => void }) {
  const { t } = useTranslation();
  const formId = useId();
  const queries = useQueryClient();
  const users = useAgencyUsers();
  const [name, setName] = useState("");
  const [order, setOrder] = useState("");
  const [quorum, setQuorum] = useState<Quorum>("half");
  const [delegates, setDelegates] = useState(false);
  const [rows, setRows] = useState<MemberRow[]>([newRow("chair"), newRow("member"), newRow("secretary")]);
  const [problem, setProblem] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: async (body: CommitteeCommand) => unwrap(await api.POST("/v1/committees", { body })),
    onSuccess: async (made) => {
      onCreated(made);
      setName("");
      setOrder("");
      setRows([newRow("chair"), newRow("member"), newRow("secretary")]);
      await queries.invalidateQueries({ queryKey: ["committees"] });
    },
  });

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const members = rows
      .filter((r) => (r.kind === "user" ? r.userId : r.name.trim()))
      .map((r) => ({
        user_id: r.kind === "user" ? r.userId : null,
        agency_id: null,
        name: r.kind === "user" ? "" : r.name.trim(),
        position: r.kind === "user" ? "" : r.position.trim(),
        role: r.role,
      }));
    const wrong = members.length === 0 ? "noMembers" : committeeProblem(members);
    setProblem(wrong);
    if (wrong) return;
    create.mutate({ name: name.trim(), order_reference: order.trim(), quorum, delegates_count: delegates, members });
  }

  const people = users.data ?? [];
  return (
    <form className="card new-committee" onSubmit={submit} aria-labelledby={`${formId}-title`}>
      <h2 id={`${formId}-title`}>{t("meetings.committees.new")}</h2>
      <label>
        {t("meetings.committees.name")}
        <input required maxLength={500} value={name} onChange={(e) => setName(e.target.value)} placeholder={t("meetings.committees.namePlaceholder")} />
      </label>
      <label>
        {t("meetings.committees.order")}
        <input maxLength={200} value={order} onChange={(e) => setOrder(e.target.value)} placeholder={t("meetings.committees.orderPlaceholder")} />
      </label>
      <div className="pair">
        <label>
          {t("meetings.committees.quorum")}
          <select value={quorum} onChange={(e) => setQuorum(e.target.value as Quorum)}>
            {(["half", "more_than_half", "two_thirds"] as const).map((q) => (
              <option key={q} value={q}>
                {t(`meetings.quorum.${q}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={delegates} onChange={(e) => setDelegates(e.target.checked)} />
          {t("meetings.committees.delegatesCount")}
        </label>
      </div>
      <fieldset>
        <legend>{t("meetings.committees.membersLegend")}</legend>
        {users.isError && <ErrorNote error={users.error} onRetry={() => void users.refetch()} />}
        <Rows
          rows={rows}
          onRows={setRows}
          make={() => newRow()}
          className="member-row"
          removeLabel={(n) => t("meetings.committees.removeMember", { n })}
          addLabel={t("meetings.committees.addMember")}
        >
          {(row, n, change) => (
            <>
              <label>
                {t("meetings.committees.kind", { n })}
                <select value={row.kind} onChange={(e) => change({ kind: e.target.value as MemberRow["kind"] })}>
                  <option value="user">{t("meetings.committees.kinds.user")}</option>
                  <option value="outside">{t("meetings.committees.kinds.outside")}</option>
                </select>
              </label>
              {row.kind === "user" ? (
                <label>
                  {t("meetings.committees.person", { n })}
                  <select value={row.userId} onChange={(e) => change({ userId: e.target.value })}>
                    <option value="">{t("meetings.committees.choose")}</option>
                    <PeopleOptions people={people} />
                  </select>
                </label>
              ) : (
                <>
                  <TextField label={t("meetings.committees.personName", { n })} maxLength={200} value={row.name} onChange={(name) => change({ name })} />
                  <TextField
                    label={t("meetings.committees.personPosition", { n })}
                    maxLength={200}
                    value={row.position}
                    onChange={(position) => change({ position })}
                  />
                </>
              )}
              <label>
                {t("meetings.committees.role", { n })}
                <select value={row.role} onChange={(e) => change({ role: e.target.value as Role })}>
                  {COMMITTEE_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(`meetings.roles.${r}`)}
                    </option>
                  ))}
                </select>
              </label>
            </>
          )}
        </Rows>
      </fieldset>
      <FormEnd
        problem={problem && t(`meetings.committees.problems.${problem}`)}
        error={create.error}
        pending={create.isPending}
        submit={t("meetings.committees.create")}
      />
    </form>
  );
}
