import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { hasRole, useMe } from "../api/me";
import "../screens/saraban.css";
import { ErrorNote } from "../components/ErrorNote";
import { ReasonDialog } from "../components/ReasonDialog";
import { useFormat } from "../format/useFormat";
import { useResources, type Booking } from "./api";
import { BookingNav } from "./BookingNav";
import { clockOf, dayOf, mondayOf } from "./week";

type Asking = { action: "decline" } | { action: "cancel"; occurrence?: string };

/** One booking: what, when, who, its state; its approver approves or declines it (with a reason), its
 * booker or the resource's officer cancels it (all of it, or one date of a series). */
export function BookingPage() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const numerals = me.data?.agency.thai_numerals ?? false;
  const queries = useQueryClient();
  const { resourceId, bookingId } = useParams({ from: "/bookings/view/$resourceId/$bookingId" });
  const resources = useResources();
  const resource = resources.data?.find((r) => r.id === resourceId);
  const owner = resource?.owner;
  const [asking, setAsking] = useState<Asking | null>(null);
  const [said, setSaid] = useState("");
  const key = ["booking", resourceId, bookingId];
  const booking = useQuery({
    queryKey: key,
    queryFn: async () =>
      unwrap(
        await api.GET("/v1/resources/{resource_id}/bookings/{booking_id}", {
          params: { path: { resource_id: resourceId, booking_id: bookingId }, query: owner ? { owner } : {} },
        }),
      ),
    enabled: resources.isSuccess,
    staleTime: 0, // the approver or the officer may have acted meanwhile
  });

  async function settled(next: Booking, message: string) {
    queries.setQueryData(key, next);
    queries.setQueryData<Booking[]>(["my-bookings"], (list) => list?.map((b) => (b.id === next.id ? next : b)));
    setSaid(message);
    await queries.invalidateQueries({ queryKey: ["availability"] });
    await queries.invalidateQueries({ queryKey: ["my-bookings"] });
    await queries.invalidateQueries({ queryKey: ["pending"] });
  }

  const decide = useMutation({
    mutationFn: async ({ approve, reason }: { approve: boolean; reason: string }) =>
      unwrap(
        await api.POST("/v1/resources/{resource_id}/bookings/{booking_id}/decision", {
          params: { path: { resource_id: resourceId, booking_id: bookingId } },
          body: { approve, reason },
        }),
      ),
    onSuccess: (next, { approve }) => settled(next, t(approve ? "booking.page.approved" : "booking.page.declined")),
  });
  const cancel = useMutation({
    mutationFn: async ({ reason, occurrence }: { reason: string; occurrence?: string }) =>
      unwrap(
        await api.POST("/v1/resources/{resource_id}/bookings/{booking_id}/cancel", {
          params: { path: { resource_id: resourceId, booking_id: bookingId }, query: owner ? { owner } : {} },
          body: occurrence ? { scope: "one", occurrence, reason, no_show: false } : { scope: "all", reason, no_show: false, occurrence: null },
        }),
      ),
    onSuccess: (next, { occurrence }) => settled(next, t(occurrence ? "booking.page.cancelledOne" : "booking.page.cancelled")),
  });

  const data = booking.data;
  const mine = data !== undefined && data.booker === me.data?.user_id;
  const admin = hasRole(me.data, "admin");
  // A resource another agency shares is approved, and cancelled as its officer, in that agency only: the API
  // refuses anyone here, its admin too.
  const shared = resource !== undefined && me.data !== undefined && resource.owner !== me.data.agency.id;
  const approver = !shared && (admin || (resource !== undefined && me.data !== undefined && resource.approvers.includes(me.data.user_id)));
  const officer = !shared && (admin || (resource !== undefined && me.data !== undefined && resource.officers.includes(me.data.user_id)));
  const holds = data?.state === "pending" || data?.state === "confirmed";
  const open = data?.occurrences.filter((o) => !o.cancelled) ?? [];
  const first = data?.occurrences[0];
  const busy = decide.isPending || cancel.isPending;

  return (
    <section className="bk">
      <h1>{t("booking.page.title")}</h1>
      <BookingNav />
      {(booking.isPending && booking.fetchStatus === "fetching") || resources.isPending ? <p aria-busy="true">{t("app.loading")}</p> : null}
      {resources.isError && <ErrorNote error={resources.error} onRetry={() => void resources.refetch()} />}
      {booking.isError && <ErrorNote error={booking.error} onRetry={() => void booking.refetch()} />}
      {data && (
        <div className="card">
          <h2>{data.title}</h2>
          <dl className="facts">
            <dt>{t("booking.page.state")}</dt>
            <dd>
              <span className={`state ${data.state}`}>{i18n.language === "th" ? data.state_th : t(`booking.states.${data.state}`, { defaultValue: data.state })}</span>
              {data.state === "pending" && data.hold_until && <div className="detail">{t("booking.page.holdUntil", { when: fmt.dateTime(data.hold_until) })}</div>}
            </dd>
            <dt>{t("booking.page.resource")}</dt>
            <dd>{data.resource_name}</dd>
            <dt>{t("booking.page.booker")}</dt>
            <dd>{data.booker_name}</dd>
            <dt>{t("booking.page.when")}</dt>
            <dd>
              <ul className="plain">
                {data.occurrences.map((o) => (
                  <li key={o.start}>
                    <span className={o.cancelled ? "cancelled-text" : undefined}>
                      {fmt.date(dayOf(o.start))} {clockOf(o.start, i18n.language, numerals)}–{clockOf(o.end, i18n.language, numerals)}
                    </span>
                    {o.cancelled && <> ({t("booking.page.occurrenceCancelled")})</>}
                    {holds && !o.cancelled && open.length > 1 && (mine || officer) && (
                      <button
                        type="button"
                        className="inline"
                        disabled={busy}
                        onClick={() => {
                          cancel.reset();
                          setAsking({ action: "cancel", occurrence: o.start });
                        }}
                      >
                        {t("booking.page.cancelOne")}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </dd>
            <dt>{t("booking.page.attendees")}</dt>
            <dd>{fmt.digits(data.attendees)}</dd>
            {data.reason && (
              <>
                <dt>{t("booking.page.reason")}</dt>
                <dd>{data.reason}</dd>
              </>
            )}
          </dl>
          <p role="status" className="said">
            {said}
          </p>
          {decide.isError && <ErrorNote error={decide.error} />}
          <div className="actions">
            {data.state === "pending" && approver && (
              <>
                <button type="button" className="primary" disabled={busy} onClick={() => decide.mutate({ approve: true, reason: "" })}>
                  {decide.isPending ? t("booking.working") : t("booking.page.approve")}
                </button>
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => {
                    decide.reset();
                    setAsking({ action: "decline" });
                  }}
                >
                  {t("booking.page.decline")}
                </button>
              </>
            )}
            {holds && (mine || officer) && (
              <button
                type="button"
                disabled={busy}
                onClick={() => {
                  cancel.reset();
                  setAsking({ action: "cancel" });
                }}
              >
                {t("booking.page.cancel")}
              </button>
            )}
            {first && (
              <Link to="/bookings" search={{ week: mondayOf(dayOf(first.start)) }}>
                {t("booking.page.toWeek")}
              </Link>
            )}
          </div>
          {data.state === "pending" && !approver && <p className="hint">{shared ? t("booking.page.waitingOwner") : t("booking.page.waiting")}</p>}
        </div>
      )}
      {asking && data && (
        <ReasonDialog
          title={asking.action === "decline" ? t("booking.page.declineTitle") : asking.occurrence ? t("booking.page.cancelOneTitle") : t("booking.page.cancelTitle")}
          summary={`${data.title} (${data.resource_name})`}
          label={asking.action === "decline" ? t("booking.page.declineReason") : t("booking.page.cancelReason")}
          submit={asking.action === "decline" ? t("booking.page.confirmDecline") : t("booking.page.confirmCancel")}
          onSubmit={(reason) =>
            asking.action === "decline"
              ? decide.mutateAsync({ approve: false, reason })
              : cancel.mutateAsync({ reason, ...(asking.occurrence ? { occurrence: asking.occurrence } : {}) })
          }
          onClose={() => setAsking(null)}
        />
      )}
    </section>
  );
}
