import { useQueries } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { useMe } from "../api/me";
import "../screens/saraban.css";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import { availabilityKey, ofKind, readAvailability, useResources, type Resource } from "./api";
import { BookingNav } from "./BookingNav";
import { bangkokDay, clockOf, mondayOf, shortDay, weekOf, weekdayName, addDays } from "./week";

/** The week view: each room or vehicle a row, Monday to Sunday across, its bookings in each day (pending
 * ones dashed and marked รออนุมัติ, confirmed ones solid and marked จองแล้ว), and a link to book it. */
export function Booking() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const numerals = me.data?.agency.thai_numerals ?? false;
  const search = useSearch({ from: "/bookings" });
  const navigate = useNavigate({ from: "/bookings" });
  const today = bangkokDay(new Date());
  const monday = search.week ? mondayOf(search.week) : mondayOf(today);
  const days = weekOf(monday);
  const kind = search.kind;
  const resources = useResources();
  const shown = ofKind(resources.data, kind ?? "bookable").sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "room" ? -1 : 1));
  const weeks = useQueries({
    queries: shown.map((resource) => ({
      queryKey: availabilityKey(resource.id, monday, 7),
      queryFn: () => readAvailability(resource, monday, 7),
      staleTime: 0, // others book and decide meanwhile: read again whenever the week is shown
    })),
  });

  function go(week: string | undefined, chosenKind = kind) {
    void navigate({ search: { ...(week ? { week } : {}), ...(chosenKind ? { kind: chosenKind } : {}) } });
  }

  const kinds = [
    { value: undefined, label: t("booking.kinds.all") },
    { value: "room" as const, label: t("booking.kinds.room") },
    { value: "vehicle" as const, label: t("booking.kinds.vehicle") },
  ];
  return (
    <section className="bk">
      <h1>{t("booking.title")}</h1>
      <BookingNav />
      <div className="tabs" role="group" aria-label={t("booking.kindFilter")}>
        {kinds.map((k) => (
          <button key={k.label} type="button" aria-pressed={kind === k.value} onClick={() => go(search.week, k.value)}>
            {k.label}
          </button>
        ))}
      </div>
      <div className="week-nav">
        <h2 id="week-heading">
          {t("booking.weekHeading", { from: fmt.date(days[0]), to: fmt.date(days[6]) })}
        </h2>
        <button type="button" onClick={() => go(addDays(monday, -7))}>
          {t("booking.previousWeek")}
        </button>
        <button type="button" onClick={() => go(undefined)} disabled={monday === mondayOf(today)}>
          {t("booking.thisWeek")}
        </button>
        <button type="button" onClick={() => go(addDays(monday, 7))}>
          {t("booking.nextWeek")}
        </button>
      </div>
      <p className="legend">
        <span>
          <span className="swatch confirmed" aria-hidden="true" />
          {t("booking.legendConfirmed")}
        </span>
        <span>
          <span className="swatch pending" aria-hidden="true" />
          {t("booking.legendPending")}
        </span>
      </p>
      {resources.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {resources.isError && <ErrorNote error={resources.error} onRetry={() => void resources.refetch()} />}
      {resources.data && shown.length === 0 && <p className="empty">{t("booking.noResources")}</p>}
      {shown.length > 0 && (
        <div className="scroll">
          <table className="register week" aria-describedby="week-heading">
            <caption className="visually-hidden">{t("booking.weekCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("booking.resource")}</th>
                {days.map((day) => (
                  <th key={day} scope="col" className={day === today ? "today" : undefined}>
                    {weekdayName(day, i18n.language)}
                    <span className="date">{shortDay(day, i18n.language, numerals)}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((resource, index) => {
                const week = weeks[index];
                return (
                  <tr key={resource.id}>
                    <th scope="row">
                      {resource.name}
                      <div className="detail">{describe(resource)}</div>
                    </th>
                    {week?.isError ? (
                      <td colSpan={7}>
                        <ErrorNote error={week.error} onRetry={() => void week.refetch()} />
                      </td>
                    ) : (
                      days.map((day) => {
                        const busy = week?.data?.days.find((d) => d.day === day)?.busy ?? [];
                        const past = day < today;
                        return (
                          <td key={day} className={past ? "past" : day === today ? "today" : undefined}>
                            {busy.length > 0 && (
                              <ul className="slots">
                                {busy.map((b) => (
                                  <li key={`${b.booking}-${b.start}`} className={b.state === "pending" ? "pending" : "confirmed"}>
                                    <span className="nowrap">
                                      {clockOf(b.start, i18n.language, numerals)}–{clockOf(b.end, i18n.language, numerals)}
                                    </span>{" "}
                                    <Link
                                      to="/bookings/view/$resourceId/$bookingId"
                                      params={{ resourceId: resource.id, bookingId: b.booking }}
                                    >
                                      {b.title}
                                    </Link>{" "}
                                    <span className={`state ${b.state}`}>
                                      {b.state === "pending" ? "○ " : "✓ "}
                                      {t(`booking.states.${b.state}`, { defaultValue: b.state })}
                                    </span>
                                  </li>
                                ))}
                              </ul>
                            )}
                            {!past && resource.status === "available" && (
                              <Link
                                className="book-here"
                                to="/bookings/new"
                                search={{ resource: resource.id, day }}
                                aria-label={t("booking.bookOn", {
                                  name: resource.name,
                                  day: `${weekdayName(day, i18n.language)} ${shortDay(day, i18n.language, numerals)}`,
                                })}
                              >
                                {t("booking.book")}
                              </Link>
                            )}
                          </td>
                        );
                      })
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );

  function describe(resource: Resource): string {
    const parts = [t(`booking.kinds.${resource.kind}`)];
    if (resource.kind === "vehicle" && resource.plate) parts.push(resource.plate);
    if (resource.capacity) parts.push(t(resource.kind === "room" ? "booking.seats" : "booking.passengers", { count: resource.capacity }));
    if (resource.status !== "available") parts.push(t("booking.maintenance"));
    if (resource.rules.approval) parts.push(t("booking.needsApproval"));
    return parts.join(" · ");
  }
}
