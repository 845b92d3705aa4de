import { useMutation } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { lazy, Suspense, useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import { useAgencyUsers, useMeeting, useMeetingRefresh, type MeetingView } from "./api";
import { bangkokDate, bangkokMoment, bangkokTime, linesOf } from "./logic";

const PdfPreview = lazy(() => import("../components/PdfPreview"));
type DocumentView = components["schemas"]["DocumentView"];

interface Props {
  meeting: MeetingView;
  manager: boolean;
  minutes: DocumentView | undefined;
  minutesError: unknown;
  signed: boolean;
  circulated: boolean;
  onCirculated: () => void;
  onMinutesRefresh: () => void;
}

/** After the agenda: certify the last meeting's minutes (item 2), close the meeting with its times,
 * draft its minutes (รายงานการประชุม, ข้อ 25), follow their signing and numbering, and circulate them. */
export function AfterMeeting(props: Props) {
  const { meeting, manager } = props;
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="after-title">
      <h2 id="after-title">{t("meetings.minutes.title")}</h2>
      {manager && meeting.previous_meeting_id && (meeting.state === "scheduled" || meeting.state === "held") && (
        <CertifyPrevious meeting={meeting} previousId={meeting.previous_meeting_id} />
      )}
      {manager && meeting.state === "scheduled" && <CloseMeeting meeting={meeting} />}
      {manager && meeting.state === "held" && <DraftMinutes meeting={meeting} />}
      {meeting.minutes_document_id && <MinutesStatus {...props} documentId={meeting.minutes_document_id} />}
      {meeting.state === "certified" && (
        <p className="certified">
          {t("meetings.minutes.certified")}
          {meeting.corrections.length > 0 && (
            <>
              {" "}
              {t("meetings.minutes.withCorrections")}
              <ol>
                {meeting.corrections.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ol>
            </>
          )}
        </p>
      )}
    </section>
  );
}

function CloseMeeting({ meeting }: { meeting: MeetingView }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = useId();
  const refresh = useMeetingRefresh(meeting.id);
  const [started, setStarted] = useState(bangkokTime(meeting.starts_at));
  const [ended, setEnded] = useState(bangkokTime(meeting.ends_at));
  const [recording, setRecording] = useState("");
  const [problem, setProblem] = useState(false);
  const day = bangkokDate(meeting.starts_at);
  const needsRecording = meeting.mode !== "in_person" && meeting.recorded;
  const close = useMutation({
    mutationFn: async (body: { started_at: string; ended_at: string; recording: string }) =>
      unwrap(await api.POST("/v1/meetings/{meeting_id}/close", { params: { path: { meeting_id: meeting.id } }, body })),
    onSuccess: (view) => void refresh(view),
  });

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const from = bangkokMoment(day, started);
    const to = bangkokMoment(day, ended);
    const wrong = !from || !to || ended <= started;
    setProblem(wrong);
    if (wrong) return;
    close.mutate({ started_at: from, ended_at: to, recording: recording.trim() });
  }

  return (
    <form className="step-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t("meetings.close.title")}</h3>
      <p className="hint">{t("meetings.close.hint", { date: fmt.date(meeting.starts_at) })}</p>
      <div className="pair">
        <label>
          {t("meetings.close.started")}
          <input type="time" required value={started} onChange={(e) => setStarted(e.target.value)} aria-invalid={problem} />
        </label>
        <label>
          {t("meetings.close.ended")}
          <input type="time" required value={ended} onChange={(e) => setEnded(e.target.value)} aria-invalid={problem} />
        </label>
      </div>
      {needsRecording && (
        <label>
          {t("meetings.close.recording")}
          <input required maxLength={500} value={recording} onChange={(e) => setRecording(e.target.value)} />
        </label>
      )}
      {problem && (
        <p role="alert" className="error">
          {t("meetings.close.order")}
        </p>
      )}
      {close.isError && <ErrorNote error={close.error} />}
      <button type="submit" disabled={close.isPending}>
        {close.isPending ? t("meetings.working") : t("meetings.close.submit")}
      </button>
    </form>
  );
}

function DraftMinutes({ meeting }: { meeting: MeetingView }) {
  const { t } = useTranslation();
  const id = useId();
  const refresh = useMeetingRefresh(meeting.id);
  const [chairSigns, setChairSigns] = useState(true);
  const draft = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/v1/meetings/{meeting_id}/minutes", {
          params: { path: { meeting_id: meeting.id } },
          body: { chair_signs: chairSigns },
        }),
      ),
    onSuccess: (view) => void refresh(view),
  });
  return (
    <form
      className="step-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        draft.mutate();
      }}
    >
      <h3 id={`${id}-title`}>{t("meetings.minutes.draftTitle")}</h3>
      <p className="hint">{t("meetings.minutes.draftHint")}</p>
      <label className="check">
        <input type="checkbox" checked={chairSigns} onChange={(e) => setChairSigns(e.target.checked)} />
        {t("meetings.minutes.chairSigns")}
      </label>
      {draft.isError && <ErrorNote error={draft.error} />}
      <button type="submit" disabled={draft.isPending}>
        {draft.isPending ? t("meetings.working") : t("meetings.minutes.draft")}
      </button>
    </form>
  );
}

function MinutesStatus({ meeting, manager, minutes, minutesError, signed, circulated, onCirculated, onMinutesRefresh, documentId }: Props & { documentId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const users = useAgencyUsers();
  const refresh = useMeetingRefresh(meeting.id);
  const circulate = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST("/v1/meetings/{meeting_id}/minutes/circulate", { params: { path: { meeting_id: meeting.id } } })),
    onSuccess: (view) => {
      onCirculated();
      void refresh(view);
    },
  });
  const nameOf = (userId: string) => users.data?.find((u) => u.id === userId)?.name ?? userId;
  const signedBy = minutes?.signatures.length ?? 0;
  return (
    <div className="minutes-status">
      <h3>{t("meetings.minutes.document")}</h3>
      {minutesError !== null && minutesError !== undefined && <ErrorNote error={minutesError} onRetry={onMinutesRefresh} />}
      {minutes && (
        <dl className="facts">
          <dt>{t("meetings.minutes.subject")}</dt>
          <dd>
            <Link to="/documents/$documentId" params={{ documentId }}>
              {minutes.subject}
            </Link>
          </dd>
          <dt>{t("meetings.minutes.signers")}</dt>
          <dd>{minutes.signers.map(nameOf).join(", ") || "—"}</dd>
          <dt>{t("meetings.minutes.signatures")}</dt>
          <dd>{t("meetings.minutes.signedCount", { n: fmt.digits(signedBy), of: fmt.digits(minutes.signers.length) })}</dd>
          <dt>{t("meetings.minutes.reference")}</dt>
          <dd>{minutes.reference ? fmt.digits(minutes.reference) : t("meetings.minutes.notNumbered")}</dd>
        </dl>
      )}
      {!signed && (
        <p className="hint">
          {t("meetings.minutes.toSign")}{" "}
          <Link to="/documents/$documentId" params={{ documentId }}>
            {t("meetings.minutes.openToSign")}
          </Link>{" "}
          <button type="button" onClick={onMinutesRefresh}>
            {t("meetings.minutes.check")}
          </button>
        </p>
      )}
      {manager && meeting.state === "minuted" && (
        <>
          {circulate.isError && <ErrorNote error={circulate.error} />}
          <button type="button" className="primary" disabled={!signed || circulate.isPending} onClick={() => circulate.mutate()}>
            {circulate.isPending ? t("meetings.working") : circulated ? t("meetings.minutes.circulateAgain") : t("meetings.minutes.circulate")}
          </button>
          {!signed && <p className="hint">{t("meetings.minutes.circulateWhenSigned")}</p>}
        </>
      )}
      {signed && (
        <section className="preview" aria-label={t("meetings.minutes.preview")}>
          <Suspense fallback={<p>{t("app.loading")}</p>}>
            <PdfPreview key={`${documentId}-${signedBy}`} documentId={documentId} />
          </Suspense>
        </section>
      )}
    </div>
  );
}

function CertifyPrevious({ meeting, previousId }: { meeting: MeetingView; previousId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = useId();
  const previous = useMeeting(previousId);
  const refresh = useMeetingRefresh(meeting.id);
  const [corrections, setCorrections] = useState("");
  const certify = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/v1/meetings/{meeting_id}/certify-previous", {
          params: { path: { meeting_id: meeting.id } },
          body: { corrections: linesOf(corrections) },
        }),
      ),
    onSuccess: async (view) => {
      await refresh(view);
      await previous.refetch();
    },
  });
  const p = previous.data;
  if (previous.isError) return <ErrorNote error={previous.error} onRetry={() => void previous.refetch()} />;
  if (!p) return null;
  if (p.state === "certified")
    return <p className="hint">{t("meetings.certify.done", { number: fmt.digits(p.number) })}</p>;
  return (
    <form
      className="step-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        certify.mutate();
      }}
    >
      <h3 id={`${id}-title`}>{t("meetings.certify.title", { number: fmt.digits(p.number) })}</h3>
      {p.state !== "minuted" ? (
        <p className="hint">{t("meetings.certify.notReady")}</p>
      ) : (
        <>
          <p className="hint">{t("meetings.certify.hint")}</p>
          <label>
            {t("meetings.certify.corrections")}
            <textarea rows={3} maxLength={25000} value={corrections} onChange={(e) => setCorrections(e.target.value)} />
          </label>
          {certify.isError && <ErrorNote error={certify.error} />}
          <button type="submit" disabled={certify.isPending}>
            {certify.isPending ? t("meetings.working") : t("meetings.certify.submit")}
          </button>
        </>
      )}
    </form>
  );
}
