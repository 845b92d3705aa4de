import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { useMe } from "../api/me";
import { ErrorNote } from "../components/ErrorNote";
import { thaiDigits } from "../format/thai";
import { useFormat } from "../format/useFormat";
import { ofKind, useResources } from "./api";
import { bangkokDay, recentMonths } from "./week";

/** A vehicle's month (แบบ 4 summed): each logged trip, the distance and the fuel. For the fleet's officers. */
export function TripReport() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const numerals = me.data?.agency.thai_numerals ?? false;
  const id = useId();
  const resources = useResources();
  const vehicles = ofKind(resources.data, "vehicle").filter((v) => v.owner === me.data?.agency.id);
  const months = recentMonths(bangkokDay(new Date()), 13, 1); // next month too: a trip logged ahead
  const [vehicle, setVehicle] = useState("");
  const [month, setMonth] = useState(months[1] ?? "");
  const vehicleId = vehicle || vehicles[0]?.id || "";
  const report = useQuery({
    queryKey: ["trip-report", vehicleId, month],
    queryFn: async () =>
      unwrap(await api.GET("/v1/resources/{resource_id}/trip-report", { params: { path: { resource_id: vehicleId }, query: { month } } })),
    enabled: vehicleId !== "",
    staleTime: 0,
  });
  const monthName = (value: string) => {
    const text = new Intl.DateTimeFormat(i18n.language === "th" ? "th-TH-u-ca-buddhist" : "en-GB", {
      month: "long",
      year: "numeric",
      timeZone: "Asia/Bangkok",
    }).format(new Date(`${value}-15T12:00:00+07:00`));
    return numerals && i18n.language === "th" ? thaiDigits(text) : text;
  };
  if (resources.data && vehicles.length === 0) return null;
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("booking.report.title")}</h2>
      <div className="toolbar">
        <label>
          {t("booking.trip.vehicle")}
          <select value={vehicleId} onChange={(e) => setVehicle(e.target.value)}>
            {vehicles.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name} {v.plate}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("booking.report.month")}
          <select value={month} onChange={(e) => setMonth(e.target.value)}>
            {months.map((m) => (
              <option key={m} value={m}>
                {monthName(m)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {report.isPending && report.fetchStatus === "fetching" && <p aria-busy="true">{t("app.loading")}</p>}
      {report.isError && <ErrorNote error={report.error} onRetry={() => void report.refetch()} />}
      {report.data && (
        <>
          <p>
            {t("booking.report.summary", {
              trips: fmt.digits(report.data.trips),
              km: fmt.digits(report.data.distance_km.toLocaleString("en-US")),
              litres: fmt.digits(report.data.fuel_litres),
            })}
          </p>
          {report.data.lines.length > 0 && (
            <div className="scroll">
              <table className="register">
                <caption className="visually-hidden">{t("booking.report.caption", { vehicle: report.data.vehicle, month: monthName(month) })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("booking.report.day")}</th>
                    <th scope="col">{t("booking.trips.requester")}</th>
                    <th scope="col">{t("booking.trips.place")}</th>
                    <th scope="col">{t("booking.trip.odometerOut")}</th>
                    <th scope="col">{t("booking.trip.odometerIn")}</th>
                    <th scope="col">{t("booking.trip.distance")}</th>
                    <th scope="col">{t("booking.trip.fuel")}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.data.lines.map((line) => (
                    <tr key={line.trip_id}>
                      <td className="nowrap">{fmt.date(line.day)}</td>
                      <td>{line.requester_name}</td>
                      <td>{line.place}</td>
                      <td>{fmt.digits(line.odometer_out)}</td>
                      <td>{fmt.digits(line.odometer_in)}</td>
                      <td>{fmt.digits(line.distance_km)}</td>
                      <td>{fmt.digits(line.fuel_litres)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
