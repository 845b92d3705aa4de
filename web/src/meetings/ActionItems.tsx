import { useMutation } from "@tanstack/react-query";
import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { ErrorNote } from "../components/ErrorNote";
import { parseBuddhistDate } from "../format/buddhistDate";
import { useFormat } from "../format/useFormat";
import { useAgencyUsers, useMeetingRefresh, type MeetingView } from "./api";
import { PeopleOptions } from "./Rows";

/** The action items of the resolutions: each lands in its owner's inbox with its due date; the owner
 * (or a secretary) marks it done. */
export function ActionItems({ meeting, manager, meId }: { meeting: MeetingView; manager: boolean; meId: string | undefined }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const refresh = useMeetingRefresh(meeting.id);
  const [said, setSaid] = useState("");
  const done = useMutation({
    mutationFn: async (actionId: string) =>
      unwrap(
        await api.POST("/v1/meetings/{meeting_id}/actions/{action_id}/done", {
          params: { path: { meeting_id: meeting.id, action_id: actionId } },
        }),
      ),
    onSuccess: (view, actionId) => {
      const text = view.actions.find((a) => a.id === actionId)?.text ?? "";
      setSaid(t("meetings.actions.doneSaid", { text }));
      void refresh(view);
    },
  });
  const numberOf = (itemId: string) => meeting.agenda.find((i) => i.id === itemId)?.number ?? "";
  return (
    <section className="card" aria-labelledby="actions-title">
      <h2 id="actions-title">{t("meetings.actions.title")}</h2>
      <p role="status" className="said">
        {said}
      </p>
      {meeting.actions.length === 0 ? (
        <p className="hint">{t("meetings.actions.empty")}</p>
      ) : (
        <div className="scroll">
          <table className="register">
            <caption className="visually-hidden">{t("meetings.actions.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("meetings.actions.item")}</th>
                <th scope="col">{t("meetings.actions.text")}</th>
                <th scope="col">{t("meetings.actions.owner")}</th>
                <th scope="col">{t("meetings.actions.due")}</th>
                <th scope="col">{t("meetings.actions.state")}</th>
              </tr>
            </thead>
            <tbody>
              {meeting.actions.map((a) => {
                const mayFinish = a.state === "open" && (manager || a.owner === meId);
                return (
                  <tr key={a.id}>
                    <td className="nowrap">{fmt.digits(numberOf(a.item_id))}</td>
                    <td>{a.text}</td>
                    <td>{a.owner_name}</td>
                    <td className="nowrap">{fmt.date(a.due_on)}</td>
                    <td className="manage">
                      <span className={`action-state ${a.state}`}>{t(`meetings.actions.states.${a.state}`, { defaultValue: a.state })}</span>
                      {mayFinish && (
                        <button
                          type="button"
                          disabled={done.isPending}
                          aria-label={t("meetings.actions.markDoneOf", { text: a.text })}
                          onClick={() => done.mutate(a.id)}
                        >
                          {t("meetings.actions.markDone")}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {done.isError && <ErrorNote error={done.error} />}
      {manager && meeting.agenda.length > 0 && <NewAction meeting={meeting} />}
    </section>
  );
}

function NewAction({ meeting }: { meeting: MeetingView }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = useId();
  const users = useAgencyUsers();
  const refresh = useMeetingRefresh(meeting.id);
  const [itemId, setItemId] = useState(meeting.agenda.find((i) => i.resolution)?.id ?? meeting.agenda[0]?.id ?? "");
  const [owner, setOwner] = useState("");
  const [text, setText] = useState("");
  const [due, setDue] = useState("");
  const [badDate, setBadDate] = useState(false);
  const add = useMutation({
    mutationFn: async (body: { item_id: string; owner: string; text: string; due_on: string }) =>
      unwrap(await api.POST("/v1/meetings/{meeting_id}/actions", { params: { path: { meeting_id: meeting.id } }, body })),
    onSuccess: (view) => {
      setText("");
      setDue("");
      void refresh(view);
    },
  });
  const parsed = parseBuddhistDate(due);

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setBadDate(!parsed?.ok);
    if (!parsed?.ok) return;
    add.mutate({ item_id: itemId, owner, text: text.trim(), due_on: parsed.iso });
  }

  return (
    <form className="new-action" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t("meetings.actions.new")}</h3>
      <div className="pair">
        <label>
          {t("meetings.actions.item")}
          <select value={itemId} onChange={(e) => setItemId(e.target.value)}>
            {meeting.agenda.map((i) => (
              <option key={i.id} value={i.id}>
                {t("meetings.agenda.item", { number: fmt.digits(i.number) })} {i.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("meetings.actions.owner")}
          <select required value={owner} onChange={(e) => setOwner(e.target.value)}>
            <option value="">{t("meetings.committees.choose")}</option>
            <PeopleOptions people={users.data ?? []} />
          </select>
        </label>
      </div>
      <label>
        {t("meetings.actions.text")}
        <input required maxLength={500} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <label>
        {t("meetings.actions.due")}
        <input
          required
          inputMode="numeric"
          placeholder={t("meetings.datePlaceholder")}
          value={due}
          aria-invalid={badDate}
          onChange={(e) => setDue(e.target.value)}
        />
        {parsed?.ok && <span className="hint">{fmt.date(parsed.iso)}</span>}
        {badDate && <span className="error field-problem">{t("meetings.badDate")}</span>}
      </label>
      {users.isError && <ErrorNote error={users.error} />}
      {add.isError && <ErrorNote error={add.error} />}
      <button type="submit" disabled={add.isPending || !owner || !text.trim()}>
        {add.isPending ? t("meetings.working") : t("meetings.actions.add")}
      </button>
    </form>
  );
}
