import { Link } from "@tanstack/react-router";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import "../screens/saraban.css";
import { useMeetings, type MeetingSummary } from "./api";
import { splitByTime } from "./logic";
import "./meetings.css";

/** The meetings the person is invited to or keeps (all of the agency's for the admin and the director):
 * those to come, soonest first, and those held, latest first. */
export function Meetings() {
  const { t } = useTranslation();
  const meetings = useMeetings();
  const split = useMemo(() => splitByTime(meetings.data ?? [], new Date()), [meetings.data]);
  return (
    <section className="meetings">
      <h1>{t("meetings.title")}</h1>
      <div className="toolbar">
        <Link className="button-link primary" to="/meetings/new">
          {t("meetings.list.schedule")}
        </Link>
        <Link className="button-link" to="/meetings/committees">
          {t("meetings.list.committees")}
        </Link>
      </div>
      {meetings.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {meetings.isError && <ErrorNote error={meetings.error} onRetry={() => void meetings.refetch()} />}
      {meetings.data && (
        <>
          <MeetingTable caption={t("meetings.list.upcoming")} items={split.upcoming} empty={t("meetings.list.noUpcoming")} />
          <MeetingTable caption={t("meetings.list.past")} items={split.past} empty={t("meetings.list.noPast")} />
        </>
      )}
    </section>
  );
}

function MeetingTable({ caption, items, empty }: { caption: string; items: MeetingSummary[]; empty: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <section aria-label={caption}>
      <h2>
        {caption} <span className="count">{fmt.digits(items.length)}</span>
      </h2>
      {items.length === 0 ? (
        <p className="empty hint">{empty}</p>
      ) : (
        <div className="scroll">
          <table className="register">
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t("meetings.list.when")}</th>
                <th scope="col">{t("meetings.list.meeting")}</th>
                <th scope="col">{t("meetings.list.number")}</th>
                <th scope="col">{t("meetings.list.state")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.id}>
                  <td className="nowrap">{fmt.dateTime(m.starts_at)}</td>
                  <td className="subject">
                    <Link to="/meetings/$meetingId" params={{ meetingId: m.id }}>
                      {m.title}
                    </Link>
                  </td>
                  <td className="nowrap">{m.number ? fmt.digits(m.number) : t("meetings.list.adHoc")}</td>
                  <td>
                    <span className={`state-tag ${m.state}`}>{t(`meetings.states.${m.state}`, { defaultValue: m.state })}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
