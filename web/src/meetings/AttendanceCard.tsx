import { useMutation } from "@tanstack/react-query";
import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import { useAttendance, useMeetingRefresh, type Invitee, type MeetingView } from "./api";

type AnswerKind = "attend" | "absent" | "delegate";
type Presence = "in_person" | "online" | "absent";

/** Those invited: each one's answer and presence, and the quorum. An invitee answers for themself
 * while the meeting is scheduled; its secretaries record the answers of people outside the agency and,
 * on the day, who is there (in the room, or online with the identity check). */
export function AttendanceCard({ meeting, manager, meId }: { meeting: MeetingView; manager: boolean; meId: string | undefined }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const open = meeting.state === "scheduled";
  const attendance = useAttendance(meeting.id, open);
  const mine = attendance.data?.invitees.find((i) => i.user_id && i.user_id === meId);
  const a = attendance.data;
  return (
    <section className="card" aria-labelledby="attendance-title">
      <h2 id="attendance-title">{t("meetings.attendance.title")}</h2>
      {attendance.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {attendance.isError && <ErrorNote error={attendance.error} onRetry={() => void attendance.refetch()} />}
      {a && (
        <>
          <p className={a.quorate ? "quorum ok" : "quorum"}>
            {t("meetings.attendance.quorum", {
              present: fmt.digits(a.present),
              members: fmt.digits(a.members),
              needed: fmt.digits(a.needed),
            })}{" "}
            <strong>{a.quorate ? t("meetings.attendance.quorate") : t("meetings.attendance.notQuorate")}</strong>
            {a.online > 0 && <> · {t("meetings.attendance.online", { n: fmt.digits(a.online) })}</>}
          </p>
          <p className="detail">
            {(["attend", "delegate", "absent", "pending"] as const).map((k) => (
              <span key={k} className="tally">
                {t(`meetings.answers.${k}`)} {fmt.digits(a.answered[k] ?? 0)}
              </span>
            ))}
          </p>
          {mine && open && <MyAnswer meetingId={meeting.id} invitee={mine} />}
          <div className="scroll">
            <table className="register attendance">
              <caption className="visually-hidden">{t("meetings.attendance.title")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("meetings.attendance.name")}</th>
                  <th scope="col">{t("meetings.attendance.role")}</th>
                  <th scope="col">{t("meetings.attendance.answer")}</th>
                  <th scope="col">{t("meetings.attendance.presence")}</th>
                  {manager && open && <th scope="col">{t("meetings.attendance.record")}</th>}
                </tr>
              </thead>
              <tbody>
                {a.invitees.map((i) => (
                  <tr key={i.id}>
                    <td>
                      {i.name}
                      {i.position && <div className="detail">{i.position}</div>}
                      {i.agency_id && <div className="detail">{i.agency_id}</div>}
                    </td>
                    <td>{i.role_th}</td>
                    <td>
                      <span className={`answer ${i.answer}`}>{t(`meetings.answers.${i.answer}`, { defaultValue: i.answer })}</span>
                      {i.answer === "absent" && i.reason && <div className="detail">{t("meetings.attendance.reason", { reason: i.reason })}</div>}
                      {i.answer === "delegate" && i.delegate && <div className="detail">{t("meetings.attendance.delegate", { name: i.delegate })}</div>}
                    </td>
                    <td>
                      {t(`meetings.presence.${i.presence}`, { defaultValue: i.presence })}
                      {i.identified_by && <div className="detail">{t("meetings.attendance.identifiedBy", { how: i.identified_by })}</div>}
                    </td>
                    {manager && open && (
                      <td className="manage">
                        <PresenceButtons meetingId={meeting.id} invitee={i} online={meeting.mode !== "in_person"} />
                        {!i.user_id && <AnswerFor meetingId={meeting.id} invitee={i} />}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {!open && <p className="hint">{t("meetings.attendance.closed")}</p>}
        </>
      )}
    </section>
  );
}

function useAnswer(meetingId: string) {
  const refresh = useMeetingRefresh(meetingId);
  return useMutation({
    mutationFn: async (body: { invitee_id: string | null; answer: AnswerKind; reason: string; delegate: string }) =>
      unwrap(await api.POST("/v1/meetings/{meeting_id}/answers", { params: { path: { meeting_id: meetingId } }, body })),
    onSuccess: async () => refresh(), // the answer is told once the list shows it
  });
}

/** The invitee's own answer: attend, absent with the reason, or a delegate named. */
function MyAnswer({ meetingId, invitee }: { meetingId: string; invitee: Invitee }) {
  const { t } = useTranslation();
  const id = useId();
  const [kind, setKind] = useState<AnswerKind>(invitee.answer === "pending" ? "attend" : (invitee.answer as AnswerKind));
  const [reason, setReason] = useState(invitee.reason);
  const [delegate, setDelegate] = useState(invitee.delegate);
  const [said, setSaid] = useState("");
  const answer = useAnswer(meetingId);

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setSaid("");
    answer.mutate(
      { invitee_id: null, answer: kind, reason: kind === "absent" ? reason.trim() : "", delegate: kind === "delegate" ? delegate.trim() : "" },
      { onSuccess: () => setSaid(t("meetings.attendance.answered", { answer: t(`meetings.answers.${kind}`) })) },
    );
  }

  return (
    <form className="my-answer" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t("meetings.attendance.myAnswer")}</h3>
      <p className="detail">
        {t("meetings.attendance.current", { answer: t(`meetings.answers.${invitee.answer}`, { defaultValue: invitee.answer }) })}
      </p>
      <fieldset>
        <legend className="visually-hidden">{t("meetings.attendance.myAnswer")}</legend>
        {(["attend", "absent", "delegate"] as const).map((k) => (
          <label key={k} className="check">
            <input type="radio" name={`${id}-answer`} checked={kind === k} onChange={() => setKind(k)} />
            {t(`meetings.answerChoices.${k}`)}
          </label>
        ))}
      </fieldset>
      {kind === "absent" && (
        <label>
          {t("meetings.attendance.reasonLabel")}
          <input required maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
      )}
      {kind === "delegate" && (
        <label>
          {t("meetings.attendance.delegateLabel")}
          <input required maxLength={200} value={delegate} onChange={(e) => setDelegate(e.target.value)} />
        </label>
      )}
      {answer.isError && <ErrorNote error={answer.error} />}
      <button type="submit" disabled={answer.isPending}>
        {answer.isPending ? t("meetings.working") : t("meetings.attendance.send")}
      </button>
      <p role="status" className="said">
        {said}
      </p>
    </form>
  );
}

/** The secretary records the answer of someone outside the agency (by letter or by telephone). */
function AnswerFor({ meetingId, invitee }: { meetingId: string; invitee: Invitee }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<AnswerKind>("attend");
  const [text, setText] = useState("");
  const answer = useAnswer(meetingId);
  return (
    <form
      className="inline"
      onSubmit={(e) => {
        e.preventDefault();
        answer.mutate({
          invitee_id: invitee.id,
          answer: kind,
          reason: kind === "absent" ? text.trim() : "",
          delegate: kind === "delegate" ? text.trim() : "",
        });
      }}
    >
      <label>
        {t("meetings.attendance.answerFor", { name: invitee.name })}
        <select value={kind} onChange={(e) => setKind(e.target.value as AnswerKind)}>
          {(["attend", "absent", "delegate"] as const).map((k) => (
            <option key={k} value={k}>
              {t(`meetings.answerChoices.${k}`)}
            </option>
          ))}
        </select>
      </label>
      {kind !== "attend" && (
        <label>
          {kind === "absent" ? t("meetings.attendance.reasonLabel") : t("meetings.attendance.delegateLabel")}
          <input maxLength={200} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
      )}
      <button type="submit" disabled={answer.isPending}>
        {t("meetings.attendance.saveAnswer")}
      </button>
      {answer.isError && <ErrorNote error={answer.error} />}
    </form>
  );
}

/** มาประชุม / ผ่านสื่ออิเล็กทรอนิกส์ / ไม่มาประชุม, for one invitee. */
function PresenceButtons({ meetingId, invitee, online }: { meetingId: string; invitee: Invitee; online: boolean }) {
  const { t } = useTranslation();
  const refresh = useMeetingRefresh(meetingId);
  const [identified, setIdentified] = useState(invitee.identified_by);
  const mark = useMutation({
    mutationFn: async (presence: Presence) =>
      unwrap(
        await api.POST("/v1/meetings/{meeting_id}/attendance", {
          params: { path: { meeting_id: meetingId } },
          body: { invitee_id: invitee.id, presence, identified_by: presence === "online" ? identified.trim() : "", at: null, left: false },
        }),
      ),
    onSuccess: () => void refresh(),
  });
  const choices: Presence[] = online ? ["in_person", "online", "absent"] : ["in_person", "absent"];
  return (
    <>
      <div className="buttons" role="group" aria-label={t("meetings.attendance.presenceOf", { name: invitee.name })}>
        {choices.map((p) => (
          <button
            key={p}
            type="button"
            aria-pressed={invitee.presence === p}
            disabled={mark.isPending}
            aria-label={t("meetings.attendance.mark", { name: invitee.name, presence: t(`meetings.presence.${p}`) })}
            onClick={() => mark.mutate(p)}
          >
            {t(`meetings.presence.${p}`)}
          </button>
        ))}
      </div>
      {online && (
        <label>
          {t("meetings.attendance.identifiedLabel", { name: invitee.name })}
          <input maxLength={200} value={identified} onChange={(e) => setIdentified(e.target.value)} placeholder="ThaiD" />
        </label>
      )}
      {mark.isError && <ErrorNote error={mark.error} />}
    </>
  );
}
