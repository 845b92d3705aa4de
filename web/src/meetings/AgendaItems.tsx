import { useMutation } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import { useMeetingRefresh, type AgendaItem, type MeetingView } from "./api";

/** The agenda (ระเบียบวาระการประชุม) in its order, each item with its papers and its resolution (มติ);
 * the secretaries record the discussion, the resolution and the votes until the minutes are drafted. */
export function AgendaItems({ meeting, manager }: { meeting: MeetingView; manager: boolean }) {
  const { t } = useTranslation();
  const open = meeting.state === "scheduled" || meeting.state === "held";
  return (
    <section className="card" aria-labelledby="agenda-title">
      <h2 id="agenda-title">{t("meetings.agenda.title")}</h2>
      {meeting.agenda.length === 0 && <p className="hint">{t("meetings.agenda.empty")}</p>}
      <ol className="agenda">
        {meeting.agenda.map((item) => (
          <AgendaEntry key={item.id} meetingId={meeting.id} item={item} editable={manager && open} />
        ))}
      </ol>
    </section>
  );
}

function AgendaEntry({ meetingId, item, editable }: { meetingId: string; item: AgendaItem; editable: boolean }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const [editing, setEditing] = useState(false);
  const number = fmt.digits(item.number);
  return (
    <li className="agenda-item">
      <h3>
        {t("meetings.agenda.item", { number })} {item.title}
      </h3>
      <p className="detail">
        {i18n.language === "th" ? item.section_th : t(`meetings.sections.${item.section}`, { defaultValue: item.section })}
        {item.presenter && <> · {t("meetings.agenda.presenter", { name: item.presenter })}</>}
        {item.duration_minutes > 0 && <> · {t("meetings.agenda.duration", { n: fmt.digits(item.duration_minutes) })}</>}
      </p>
      {item.papers.length > 0 && (
        <ul className="papers" aria-label={t("meetings.agenda.papers", { number })}>
          {item.papers.map((p) => (
            <li key={p.document_id}>
              {p.readable ? (
                <Link to="/documents/$documentId" params={{ documentId: p.document_id }}>
                  {p.subject || t("meetings.agenda.paper")}
                </Link>
              ) : (
                <span className="hint">{t("meetings.agenda.paperClosed")}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {item.discussion && (
        <div className="discussion">
          <strong>{t("meetings.agenda.discussion")}</strong>
          <p className="pre">{item.discussion}</p>
        </div>
      )}
      {item.resolution ? (
        <div className="resolution">
          <strong>{t("meetings.agenda.resolution")}</strong>
          <p className="pre">{item.resolution}</p>
          {item.votes && (
            <p className="detail">
              {t("meetings.agenda.votes", {
                agree: fmt.digits(item.votes.agree),
                disagree: fmt.digits(item.votes.disagree),
                abstain: fmt.digits(item.votes.abstain),
              })}
            </p>
          )}
        </div>
      ) : (
        <p className="hint">{t("meetings.agenda.noResolution")}</p>
      )}
      {editable && !editing && (
        <button type="button" onClick={() => setEditing(true)} aria-label={t("meetings.agenda.recordFor", { number })}>
          {item.resolution ? t("meetings.agenda.edit") : t("meetings.agenda.record")}
        </button>
      )}
      {editable && editing && <ResolutionForm meetingId={meetingId} item={item} onDone={() => setEditing(false)} />}
    </li>
  );
}

function ResolutionForm({ meetingId, item, onDone }: { meetingId: string; item: AgendaItem; onDone: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = useId();
  const refresh = useMeetingRefresh(meetingId);
  const [discussion, setDiscussion] = useState(item.discussion);
  const [resolution, setResolution] = useState(item.resolution);
  const [voted, setVoted] = useState(item.votes !== null);
  const [votes, setVotes] = useState({
    agree: String(item.votes?.agree ?? 0),
    disagree: String(item.votes?.disagree ?? 0),
    abstain: String(item.votes?.abstain ?? 0),
  });
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PUT("/v1/meetings/{meeting_id}/agenda/{item_id}/resolution", {
          params: { path: { meeting_id: meetingId, item_id: item.id } },
          body: {
            discussion: discussion.trim(),
            resolution: resolution.trim(),
            votes: voted ? { agree: Number(votes.agree) || 0, disagree: Number(votes.disagree) || 0, abstain: Number(votes.abstain) || 0 } : null,
          },
        }),
      ),
    onSuccess: (view) => {
      void refresh(view);
      onDone();
    },
  });

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <form className="resolution-form" onSubmit={submit} aria-label={t("meetings.agenda.formFor", { number: fmt.digits(item.number) })}>
      <label>
        {t("meetings.agenda.discussion")}
        <textarea rows={3} maxLength={20000} value={discussion} onChange={(e) => setDiscussion(e.target.value)} />
      </label>
      <label>
        {t("meetings.agenda.resolution")}
        <textarea required rows={2} maxLength={5000} value={resolution} onChange={(e) => setResolution(e.target.value)} />
      </label>
      <label className="check">
        <input type="checkbox" checked={voted} onChange={(e) => setVoted(e.target.checked)} />
        {t("meetings.agenda.voted")}
      </label>
      {voted && (
        <fieldset className="votes">
          <legend>{t("meetings.agenda.votesLegend")}</legend>
          {(["agree", "disagree", "abstain"] as const).map((k) => (
            <label key={k} htmlFor={`${id}-${k}`}>
              {t(`meetings.agenda.vote.${k}`)}
              <input id={`${id}-${k}`} type="number" min={0} max={1000} value={votes[k]} onChange={(e) => setVotes({ ...votes, [k]: e.target.value })} />
            </label>
          ))}
        </fieldset>
      )}
      {save.isError && <ErrorNote error={save.error} />}
      <div className="buttons">
        <button type="submit" disabled={save.isPending || !resolution.trim()}>
          {save.isPending ? t("meetings.working") : t("meetings.agenda.save")}
        </button>
        <button type="button" onClick={onDone}>
          {t("meetings.cancel")}
        </button>
      </div>
    </form>
  );
}
