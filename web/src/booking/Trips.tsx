import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { useMe } from "../api/me";
import "../screens/saraban.css";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import { useResources } from "./api";
import { BookingNav } from "./BookingNav";
import { TripReport } from "./TripReport";
import { actorOf, factsOf, tripActionFor } from "./trips";

/** The trip requests I may see (mine; my unit's for a head; all for the director, the admin and the
 * fleet's officers), those waiting for me first. */
export function Trips() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const resources = useResources();
  const trips = useQuery({
    queryKey: ["trips"],
    queryFn: async () => unwrap(await api.GET("/v1/trips")).items,
    staleTime: 0, // each step is someone else's: read again whenever the list is shown
  });
  const [waitingOnly, setWaitingOnly] = useState(false);
  const actor = actorOf(me.data, resources.data);
  const fleetOfficer = actor.vehicles.length > 0;
  const items = [...(trips.data ?? [])].sort((a, b) => b.departure.localeCompare(a.departure));
  const waiting = items.filter((trip) => tripActionFor(factsOf(trip), actor) !== null);
  const shown = waitingOnly ? waiting : items;
  return (
    <section className="bk">
      <h1>{t("booking.trips.title")}</h1>
      <BookingNav />
      <p className="hint">{t("booking.trips.hint")}</p>
      <div className="toolbar">
        <Link to="/bookings/trips/new" className="button-link">
          {t("booking.links.newTrip")}
        </Link>
      </div>
      <div className="tabs" role="group" aria-label={t("booking.trips.filter")}>
        <button type="button" aria-pressed={!waitingOnly} onClick={() => setWaitingOnly(false)}>
          {t("booking.trips.all")} <span className="count">{fmt.digits(items.length)}</span>
        </button>
        <button type="button" aria-pressed={waitingOnly} onClick={() => setWaitingOnly(true)}>
          {t("booking.trips.waiting")} <span className="count">{fmt.digits(waiting.length)}</span>
        </button>
      </div>
      {trips.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {trips.isError && <ErrorNote error={trips.error} onRetry={() => void trips.refetch()} />}
      {trips.data && shown.length === 0 && <p className="empty">{t("booking.trips.empty")}</p>}
      {shown.length > 0 && (
        <div className="scroll">
          <table className="register">
            <caption className="visually-hidden">{t("booking.trips.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("booking.trips.departure")}</th>
                <th scope="col">{t("booking.trips.place")}</th>
                <th scope="col">{t("booking.trips.purpose")}</th>
                <th scope="col">{t("booking.trips.requester")}</th>
                <th scope="col">{t("booking.trips.state")}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((trip) => (
                <tr key={trip.id}>
                  <td className="nowrap">
                    {fmt.dateTime(trip.departure)}
                    <div className="detail">{t("booking.trips.backAt", { when: fmt.dateTime(trip.back) })}</div>
                  </td>
                  <td>
                    <Link to="/bookings/trips/$tripId" params={{ tripId: trip.id }}>
                      {t("booking.trips.placeLine", { place: trip.place, province: trip.province })}
                    </Link>
                  </td>
                  <td>{trip.purpose}</td>
                  <td>{trip.requester_name}</td>
                  <td>
                    <span className={`state ${trip.state}`}>{i18n.language === "th" ? trip.state_th : t(`booking.tripStates.${trip.state}`, { defaultValue: trip.state })}</span>
                    {trip.vehicle && <div className="detail">{trip.vehicle}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(fleetOfficer || actor.roles.includes("admin")) && <TripReport />}
    </section>
  );
}
