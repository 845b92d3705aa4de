import { Link, useParams } from "@tanstack/react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMe } from "../api/me";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import "../screens/saraban.css";
import { ActionItems } from "./ActionItems";
import { AgendaItems } from "./AgendaItems";
import { useCommittee, useMeeting, useMinutesDocument } from "./api";
import { AttendanceCard } from "./AttendanceCard";
import { bangkokTime, keepsMeeting, minutesSigned, nextHint, STEPS, stepStates } from "./logic";
import "./meetings.css";
import { AfterMeeting } from "./AfterMeeting";

/** One meeting from its invitation to its certified minutes: where it stands and what comes next, its
 * agenda with the resolutions, the invitees' answers and the attendance, the action items, and (for its
 * secretaries and recorder) closing it, the minutes, their circulation and the last minutes' certification. */
export function MeetingPage() {
  const { meetingId } = useParams({ from: "/meetings/$meetingId" });
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const meeting = useMeeting(meetingId);
  const committee = useCommittee(meeting.data?.committee_id);
  const minutes = useMinutesDocument(meeting.data?.minutes_document_id);
  const [circulated, setCirculated] = useState(false);
  const [said, setSaid] = useState("");

  if (meeting.isPending) return <p aria-busy="true">{t("app.loading")}</p>;
  if (meeting.isError)
    return (
      <section className="meetings">
        <p className="crumbs">
          <Link to="/meetings">{t("meetings.title")}</Link>
        </p>
        <ErrorNote error={meeting.error} onRetry={() => void meeting.refetch()} />
      </section>
    );
  const m = meeting.data;
  const manager = keepsMeeting(me.data?.user_id, m.recorder, committee.data?.members ?? [], m.managers);
  const signed = minutesSigned(minutes.data);
  const steps = stepStates(m.state, signed, circulated);
  const th = i18n.language === "th";
  const heading = m.number ? t("meetings.page.numbered", { title: m.title, number: fmt.digits(m.number) }) : m.title;
  const where = m.mode === "in_person" ? m.place : m.mode === "online" ? t("meetings.modes.online") : `${m.place} ${t("meetings.page.andOnline")}`;
  return (
    <section className="meetings meeting-page">
      <p className="crumbs">
        <Link to="/meetings">{t("meetings.title")}</Link>
      </p>
      <h1>{heading}</h1>
      <div className="meeting-head">
        <section className="card" aria-labelledby="meeting-facts">
          <h2 id="meeting-facts">{t("meetings.page.facts")}</h2>
          <dl className="facts">
            <dt>{t("meetings.page.date")}</dt>
            <dd>{fmt.date(m.starts_at)}</dd>
            <dt>{t("meetings.page.time")}</dt>
            <dd>{t("meetings.page.timeRange", { from: fmt.digits(bangkokTime(m.starts_at)), to: fmt.digits(bangkokTime(m.ends_at)) })}</dd>
            <dt>{t("meetings.page.place")}</dt>
            <dd>{where || "—"}</dd>
            {m.online_link && (
              <>
                <dt>{t("meetings.page.link")}</dt>
                <dd className="break">{m.online_link}</dd>
              </>
            )}
            <dt>{t("meetings.page.state")}</dt>
            <dd>
              <span className={`state-tag ${m.state}`}>{th ? m.state_th : t(`meetings.states.${m.state}`, { defaultValue: m.state })}</span>
            </dd>
            <dt>{t("meetings.page.invitation")}</dt>
            <dd>
              <Link to="/documents/$documentId" params={{ documentId: m.invitation_document_id }}>
                {t("meetings.page.openInvitation")}
              </Link>
            </dd>
            {m.started_at && m.ended_at && (
              <>
                <dt>{t("meetings.page.held")}</dt>
                <dd>{t("meetings.page.timeRange", { from: fmt.digits(bangkokTime(m.started_at)), to: fmt.digits(bangkokTime(m.ended_at)) })}</dd>
              </>
            )}
            {m.other_agencies.length > 0 && (
              <>
                <dt>{t("meetings.page.otherAgencies")}</dt>
                <dd>{m.other_agencies.join(", ")}</dd>
              </>
            )}
          </dl>
        </section>
        <section className="card" aria-labelledby="meeting-steps">
          <h2 id="meeting-steps">{t("meetings.page.progress")}</h2>
          <ol className="steps">
            {STEPS.map((step) => (
              <li key={step} className={steps[step]} aria-current={steps[step] === "working" ? "step" : undefined}>
                <span className="visually-hidden">{t(`meetings.stepState.${steps[step]}`)}: </span>
                {t(`meetings.steps.${step}`)}
              </li>
            ))}
          </ol>
          <p className="next" role="note">
            <strong>{t("meetings.page.next")}</strong> {t(`meetings.next.${nextHint(m.state, manager, signed, circulated)}`)}
          </p>
        </section>
      </div>
      <p role="status" className="said">
        {said}
      </p>
      <AgendaItems meeting={m} manager={manager} />
      <AttendanceCard meeting={m} manager={manager} meId={me.data?.user_id} />
      <ActionItems meeting={m} manager={manager} meId={me.data?.user_id} />
      {(manager || m.minutes_document_id) && (
        <AfterMeeting
          meeting={m}
          manager={manager}
          minutes={minutes.data}
          minutesError={minutes.error}
          signed={signed}
          circulated={circulated}
          onCirculated={() => {
            setCirculated(true);
            setSaid(t("meetings.minutes.circulatedSaid"));
          }}
          onMinutesRefresh={() => void minutes.refetch()}
        />
      )}
    </section>
  );
}
