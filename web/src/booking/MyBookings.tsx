import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { useMe } from "../api/me";
import type { components } from "../api/schema";
import "../screens/saraban.css";
import { ErrorNote } from "../components/ErrorNote";
import { ReasonDialog } from "../components/ReasonDialog";
import { useFormat } from "../format/useFormat";
import { useResources, type Booking } from "./api";
import { BookingNav } from "./BookingNav";
import { clockOf, dayOf } from "./week";

type Feed = components["schemas"]["FeedView"];

/** My bookings from yesterday on, soonest first: their state, a link to each, cancel; and my calendar's
 * secret address for a calendar program (a new one revokes the old). */
export function MyBookings() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const numerals = me.data?.agency.thai_numerals ?? false;
  const queries = useQueryClient();
  const resources = useResources();
  const [cancelling, setCancelling] = useState<Booking | null>(null);
  const [said, setSaid] = useState("");
  const [feed, setFeed] = useState<Feed | null>(null);
  const mine = useQuery({
    queryKey: ["my-bookings"],
    queryFn: async () => unwrap(await api.GET("/v1/me/bookings")).items,
    staleTime: 0,
  });
  const cancel = useMutation({
    mutationFn: async ({ booking, reason }: { booking: Booking; reason: string }) => {
      const owner = resources.data?.find((r) => r.id === booking.resource_id)?.owner;
      return unwrap(
        await api.POST("/v1/resources/{resource_id}/bookings/{booking_id}/cancel", {
          params: { path: { resource_id: booking.resource_id, booking_id: booking.id }, query: owner ? { owner } : {} },
          body: { scope: "all", reason, no_show: false, occurrence: null },
        }),
      );
    },
    onSuccess: async (booking) => {
      setSaid(t("booking.mine.cancelled", { title: booking.title }));
      await queries.invalidateQueries({ queryKey: ["my-bookings"] });
      await queries.invalidateQueries({ queryKey: ["availability"] });
    },
  });
  const issue = useMutation({
    mutationFn: async () => unwrap(await api.POST("/v1/me/calendar-feed")),
    onSuccess: setFeed,
  });
  const revoke = useMutation({
    mutationFn: async () => {
      const answer = await api.DELETE("/v1/me/calendar-feed");
      if (!answer.response.ok) unwrap({ ...answer, data: undefined });
    },
    onSuccess: () => {
      setFeed(null);
      setSaid(t("booking.mine.feedRevoked"));
    },
  });

  const items = [...(mine.data ?? [])].sort((a, b) => (a.occurrences[0]?.start ?? "").localeCompare(b.occurrences[0]?.start ?? ""));
  const when = (b: Booking) => {
    const open = b.occurrences.filter((o) => !o.cancelled);
    const first = open[0] ?? b.occurrences[0];
    if (!first) return "—";
    const text = `${fmt.date(dayOf(first.start))} ${clockOf(first.start, i18n.language, numerals)}–${clockOf(first.end, i18n.language, numerals)}`;
    return open.length > 1 ? `${text} ${t("booking.mine.series", { count: open.length })}` : text;
  };
  return (
    <section className="bk">
      <h1>{t("booking.mine.title")}</h1>
      <BookingNav />
      <p role="status" className="said">
        {said}
      </p>
      {cancel.isError && <ErrorNote error={cancel.error} />}
      {mine.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {mine.isError && <ErrorNote error={mine.error} onRetry={() => void mine.refetch()} />}
      {mine.data && items.length === 0 && <p className="empty">{t("booking.mine.empty")}</p>}
      {items.length > 0 && (
        <div className="scroll">
          <table className="register">
            <caption className="visually-hidden">{t("booking.mine.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("booking.mine.when")}</th>
                <th scope="col">{t("booking.mine.resource")}</th>
                <th scope="col">{t("booking.mine.purpose")}</th>
                <th scope="col">{t("booking.mine.state")}</th>
                <th scope="col">{t("booking.mine.manage")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((b) => (
                <tr key={b.id}>
                  <td>{when(b)}</td>
                  <td>{b.resource_name}</td>
                  <td>
                    <Link to="/bookings/view/$resourceId/$bookingId" params={{ resourceId: b.resource_id, bookingId: b.id }}>
                      {b.title}
                    </Link>
                  </td>
                  <td>
                    <span className={`state ${b.state}`}>{i18n.language === "th" ? b.state_th : t(`booking.states.${b.state}`, { defaultValue: b.state })}</span>
                    {b.reason && <div className="detail">{t("booking.mine.reason", { reason: b.reason })}</div>}
                  </td>
                  <td className="manage">
                    {(b.state === "pending" || b.state === "confirmed") && (
                      <button
                        type="button"
                        disabled={cancel.isPending}
                        aria-label={t("booking.mine.cancelThis", { title: b.title })}
                        onClick={() => {
                          cancel.reset();
                          setCancelling(b);
                        }}
                      >
                        {t("booking.mine.cancel")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="card" aria-labelledby="feed-heading">
        <h2 id="feed-heading">{t("booking.mine.feedTitle")}</h2>
        <p className="hint">{t("booking.mine.feedHint")}</p>
        {feed && (
          <>
            <p className="feed">{`${globalThis.location.origin}${feed.path}`}</p>
            <p className="hint">{i18n.language === "th" ? feed.note_th : t("booking.mine.feedNote")}</p>
          </>
        )}
        {(issue.isError || revoke.isError) && <ErrorNote error={issue.error ?? revoke.error} />}
        <div className="actions">
          <button type="button" disabled={issue.isPending || revoke.isPending} onClick={() => issue.mutate()}>
            {issue.isPending ? t("booking.working") : t("booking.mine.feedIssue")}
          </button>
          <button type="button" disabled={issue.isPending || revoke.isPending} onClick={() => revoke.mutate()}>
            {t("booking.mine.feedRevoke")}
          </button>
        </div>
      </section>
      {cancelling && (
        <ReasonDialog
          title={t("booking.page.cancelTitle")}
          summary={`${cancelling.title} (${cancelling.resource_name}) ${when(cancelling)}`}
          label={t("booking.page.cancelReason")}
          submit={t("booking.page.confirmCancel")}
          onSubmit={(reason) => cancel.mutateAsync({ booking: cancelling, reason })}
          onClose={() => setCancelling(null)}
        />
      )}
    </section>
  );
}
