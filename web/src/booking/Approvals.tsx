import { useMutation, useQueries, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { hasRole, useMe } from "../api/me";
import "../screens/saraban.css";
import { ErrorNote } from "../components/ErrorNote";
import { ReasonDialog } from "../components/ReasonDialog";
import { useFormat } from "../format/useFormat";
import { ofKind, readAvailability, useResources, type Resource } from "./api";
import { BookingNav } from "./BookingNav";
import { bangkokDay, clockOf, dayOf } from "./week";

const AHEAD = 31; // the API reads at most 31 days at once
interface Waiting {
  resource: Resource;
  booking: string;
  title: string;
  start: string;
  end: string;
  dates: number;
}

/** Bookings waiting for my approval, on the rooms and vehicles I approve (the admin: every one that needs
 * approval), over the next 31 days: approve at once, or decline with a reason. (The API has no list of
 * pending bookings: they are read from each resource's free and busy times.) */
export function Approvals() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const numerals = me.data?.agency.thai_numerals ?? false;
  const queries = useQueryClient();
  const resources = useResources();
  const admin = hasRole(me.data, "admin");
  const today = bangkokDay(new Date());
  const mine = ofKind(resources.data, "bookable").filter(
    (r) => r.owner === me.data?.agency.id && (r.approvers.includes(me.data.user_id) || (admin && r.rules.approval)),
  );
  const plans = useQueries({
    queries: mine.map((resource) => ({
      queryKey: ["pending", resource.id, today],
      queryFn: () => readAvailability(resource, today, AHEAD),
      staleTime: 0,
    })),
  });
  const [declining, setDeclining] = useState<Waiting | null>(null);
  const [said, setSaid] = useState("");
  const decide = useMutation({
    mutationFn: async ({ item, approve, reason }: { item: Waiting; approve: boolean; reason: string }) =>
      unwrap(
        await api.POST("/v1/resources/{resource_id}/bookings/{booking_id}/decision", {
          params: { path: { resource_id: item.resource.id, booking_id: item.booking } },
          body: { approve, reason },
        }),
      ),
    onSuccess: async (booking, { approve }) => {
      setSaid(t(approve ? "booking.approvals.approved" : "booking.approvals.declined", { title: booking.title }));
      await queries.invalidateQueries({ queryKey: ["pending"] });
      await queries.invalidateQueries({ queryKey: ["availability"] });
    },
  });

  const waiting: Waiting[] = [];
  mine.forEach((resource, index) => {
    const seen = new Map<string, Waiting>();
    for (const day of plans[index]?.data?.days ?? []) {
      for (const b of day.busy) {
        if (b.state !== "pending") continue;
        const known = seen.get(b.booking);
        if (known) {
          if (known.start !== b.start) known.dates += 1;
          continue;
        }
        const item = { resource, booking: b.booking, title: b.title, start: b.start, end: b.end, dates: 1 };
        seen.set(b.booking, item);
        waiting.push(item);
      }
    }
  });
  waiting.sort((a, b) => a.start.localeCompare(b.start));
  const loading = resources.isPending || plans.some((p) => p.isPending);
  const failed = plans.find((p) => p.isError);

  return (
    <section className="bk">
      <h1>{t("booking.approvals.title")}</h1>
      <BookingNav />
      <p className="hint">{t("booking.approvals.hint", { days: fmt.digits(AHEAD) })}</p>
      <p role="status" className="said">
        {said}
      </p>
      {decide.isError && <ErrorNote error={decide.error} />}
      {resources.isError && <ErrorNote error={resources.error} onRetry={() => void resources.refetch()} />}
      {failed && <ErrorNote error={failed.error} onRetry={() => void failed.refetch()} />}
      {loading && <p aria-busy="true">{t("app.loading")}</p>}
      {!loading && mine.length === 0 && <p className="empty">{t("booking.approvals.none")}</p>}
      {!loading && mine.length > 0 && waiting.length === 0 && <p className="empty">{t("booking.approvals.empty")}</p>}
      {waiting.length > 0 && (
        <div className="scroll">
          <table className="register">
            <caption className="visually-hidden">{t("booking.approvals.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("booking.mine.when")}</th>
                <th scope="col">{t("booking.mine.resource")}</th>
                <th scope="col">{t("booking.mine.purpose")}</th>
                <th scope="col">{t("booking.mine.manage")}</th>
              </tr>
            </thead>
            <tbody>
              {waiting.map((item) => (
                <tr key={`${item.resource.id}-${item.booking}`}>
                  <td>
                    {fmt.date(dayOf(item.start))} {clockOf(item.start, i18n.language, numerals)}–{clockOf(item.end, i18n.language, numerals)}
                    {item.dates > 1 && <div className="detail">{t("booking.mine.series", { count: item.dates })}</div>}
                  </td>
                  <td>{item.resource.name}</td>
                  <td>
                    <Link to="/bookings/view/$resourceId/$bookingId" params={{ resourceId: item.resource.id, bookingId: item.booking }}>
                      {item.title}
                    </Link>
                  </td>
                  <td className="manage">
                    <button
                      type="button"
                      className="primary"
                      disabled={decide.isPending}
                      aria-label={t("booking.approvals.approveThis", { title: item.title })}
                      onClick={() => decide.mutate({ item, approve: true, reason: "" })}
                    >
                      {t("booking.page.approve")}
                    </button>
                    <button
                      type="button"
                      disabled={decide.isPending}
                      aria-label={t("booking.approvals.declineThis", { title: item.title })}
                      onClick={() => {
                        decide.reset();
                        setDeclining(item);
                      }}
                    >
                      {t("booking.page.decline")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {declining && (
        <ReasonDialog
          title={t("booking.page.declineTitle")}
          summary={`${declining.title} (${declining.resource.name})`}
          label={t("booking.page.declineReason")}
          submit={t("booking.page.confirmDecline")}
          onSubmit={(reason) => decide.mutateAsync({ item: declining, approve: false, reason })}
          onClose={() => setDeclining(null)}
        />
      )}
    </section>
  );
}
