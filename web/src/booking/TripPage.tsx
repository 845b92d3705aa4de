import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { useMe } from "../api/me";
import { download } from "../api/transfer";
import "../screens/saraban.css";
import { ErrorNote } from "../components/ErrorNote";
import { ReasonDialog } from "../components/ReasonDialog";
import { parseBuddhistDate, toBuddhistInput } from "../format/buddhistDate";
import { useFormat } from "../format/useFormat";
import { ofKind, useResources, type Trip } from "./api";
import { BookingNav } from "./BookingNav";
import { actorOf, factsOf, stepStates, tripActionFor } from "./trips";
import { ClockInput } from "./ClockInput";
import { atBangkok, clockOf, dayOf, parseClock } from "./week";

/** One trip request (แบบ 3) and what became of it: the head's opinion, the director's decision, the
 * vehicle and driver assigned, the trip as driven (แบบ 4); whoever's turn it is acts here, and the
 * form prints as a PDF. */
export function TripPage() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const queries = useQueryClient();
  const { tripId } = useParams({ from: "/bookings/trips/$tripId" });
  const resources = useResources();
  const [said, setSaid] = useState("");
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const trip = useQuery({
    queryKey: ["trip", tripId],
    queryFn: async () => unwrap(await api.GET("/v1/trips/{trip_id}", { params: { path: { trip_id: tripId } } })),
    staleTime: 0,
  });

  async function moved(next: Trip, message: string) {
    queries.setQueryData(["trip", tripId], next);
    queries.setQueryData<Trip[]>(["trips"], (list) => list?.map((trip) => (trip.id === next.id ? next : trip)));
    setSaid(message);
    await queries.invalidateQueries({ queryKey: ["trips"] });
    await queries.invalidateQueries({ queryKey: ["availability"] });
  }

  async function printForm() {
    setDownloading(true);
    setDownloadError(null);
    try {
      const name = await download(`/v1/trips/${encodeURIComponent(tripId)}/form.pdf`, "application/pdf", `trip-request-${tripId}.pdf`);
      setSaid(t("booking.trip.downloaded", { name }));
    } catch (failure) {
      setDownloadError(failure);
    } finally {
      setDownloading(false);
    }
  }

  const data = trip.data;
  const actor = actorOf(me.data, resources.data);
  const action = data && me.data ? tripActionFor(factsOf(data), actor) : null;
  const th = i18n.language === "th";
  return (
    <section className="bk">
      <h1>{t("booking.trip.title")}</h1>
      <BookingNav />
      {trip.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {trip.isError && <ErrorNote error={trip.error} onRetry={() => void trip.refetch()} />}
      {data && (
        <div className="two">
          <div className="card">
            <h2>{t("booking.trip.form")}</h2>
            <ol className="trip-steps" aria-label={t("booking.trip.steps")}>
              {stepStates(data.state).map(({ step, status }) => (
                <li key={step} className={status}>
                  <span className="visually-hidden">{t(`booking.trip.stepStatus.${status}`)}: </span>
                  {t(`booking.trip.stepNames.${step}`)}
                </li>
              ))}
            </ol>
            <dl className="facts">
              <dt>{t("booking.trip.state")}</dt>
              <dd>
                <span className={`state ${data.state}`}>{th ? data.state_th : t(`booking.tripStates.${data.state}`, { defaultValue: data.state })}</span>
              </dd>
              <dt>{t("booking.tripForm.toPosition")}</dt>
              <dd>{data.to_position}</dd>
              <dt>{t("booking.trip.requester")}</dt>
              <dd>
                {data.requester_name}
                {data.requester_position && <div className="detail">{data.requester_position}</div>}
              </dd>
              <dt>{t("booking.trip.place")}</dt>
              <dd>{t("booking.trips.placeLine", { place: data.place, province: data.province })}</dd>
              <dt>{t("booking.tripForm.purpose")}</dt>
              <dd>{data.purpose}</dd>
              <dt>{t("booking.trip.riders")}</dt>
              <dd>
                {t("booking.trip.ridersCount", { count: data.passengers.length + 1, shown: fmt.digits(data.passengers.length + 1) })}
                {data.passengers.length > 0 && <div className="detail">{data.passengers.join(", ")}</div>}
              </dd>
              <dt>{t("booking.trip.departure")}</dt>
              <dd>{fmt.dateTime(data.departure)}</dd>
              <dt>{t("booking.trip.back")}</dt>
              <dd>{fmt.dateTime(data.back)}</dd>
              <dt>{t("booking.trip.opinion")}</dt>
              <dd>
                {data.opinion ?? "—"}
                {data.recommend !== null && (
                  <div className="detail">{data.recommend ? t("booking.trip.recommendYes") : t("booking.trip.recommendNo")}</div>
                )}
              </dd>
              <dt>{t("booking.trip.decision")}</dt>
              <dd>
                {data.state === "declined"
                  ? t("booking.trip.declinedBecause", { reason: data.reason ?? "" })
                  : ["approved", "assigned", "completed"].includes(data.state)
                    ? t("booking.trip.approvedLine")
                    : t("booking.trip.undecided")}
              </dd>
              <dt>{t("booking.trip.vehicle")}</dt>
              <dd>{data.vehicle ?? "—"}</dd>
              <dt>{t("booking.trip.driver")}</dt>
              <dd>{data.driver ?? "—"}</dd>
              {data.distance_km !== null && (
                <>
                  <dt>{t("booking.trip.distance")}</dt>
                  <dd>{t("booking.trip.km", { km: fmt.digits(data.distance_km) })}</dd>
                </>
              )}
            </dl>
            <div className="actions">
              <button type="button" disabled={downloading} onClick={() => void printForm()}>
                {downloading ? t("booking.trip.downloading") : t("booking.trip.pdf")}
              </button>
              <Link to="/bookings/trips">{t("booking.trip.toList")}</Link>
            </div>
            {downloadError !== null && <ErrorNote error={downloadError} />}
          </div>
          <div>
            <p role="status" className="said">
              {said}
            </p>
            {action === "opinion" && <OpinionForm trip={data} onDone={(next) => moved(next, t("booking.trip.opinionGiven"))} />}
            {action === "decision" && <DecisionForm trip={data} onDone={(next, approve) => moved(next, t(approve ? "booking.trip.approved" : "booking.trip.declined"))} />}
            {action === "assignment" && <AssignForm trip={data} onDone={(next) => moved(next, t("booking.trip.assigned"))} />}
            {action === "log" && <LogForm trip={data} onDone={(next) => moved(next, t("booking.trip.logged"))} />}
            {action === null && <p className="hint card">{t(`booking.trip.waitingFor.${data.state}`, { defaultValue: "" }) || t("booking.trip.nothingToDo")}</p>}
          </div>
        </div>
      )}
    </section>
  );
}

function OpinionForm({ trip, onDone }: { trip: Trip; onDone: (next: Trip) => Promise<void> }) {
  const { t } = useTranslation();
  const [recommend, setRecommend] = useState(true);
  const [opinion, setOpinion] = useState("");
  const send = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST("/v1/trips/{trip_id}/opinion", { params: { path: { trip_id: trip.id } }, body: { recommend, opinion: opinion.trim() } })),
    onSuccess: onDone,
  });
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        send.mutate();
      }}
    >
      <h2>{t("booking.trip.opinionTitle")}</h2>
      <fieldset className="radios" disabled={send.isPending}>
        <legend>{t("booking.trip.opinionLegend")}</legend>
        <label>
          <input type="radio" name="recommend" checked={recommend} onChange={() => setRecommend(true)} />
          {t("booking.trip.recommendYes")}
        </label>
        <label>
          <input type="radio" name="recommend" checked={!recommend} onChange={() => setRecommend(false)} />
          {t("booking.trip.recommendNo")}
        </label>
      </fieldset>
      <label>
        {t("booking.trip.opinionText")}
        <textarea rows={3} maxLength={500} value={opinion} disabled={send.isPending} onChange={(e) => setOpinion(e.target.value)} />
      </label>
      {send.isError && <ErrorNote error={send.error} />}
      <button type="submit" disabled={send.isPending}>
        {send.isPending ? t("booking.working") : t("booking.trip.giveOpinion")}
      </button>
    </form>
  );
}

function DecisionForm({ trip, onDone }: { trip: Trip; onDone: (next: Trip, approve: boolean) => Promise<void> }) {
  const { t } = useTranslation();
  const [declining, setDeclining] = useState(false);
  const decide = useMutation({
    mutationFn: async ({ approve, reason }: { approve: boolean; reason: string }) =>
      unwrap(await api.POST("/v1/trips/{trip_id}/decision", { params: { path: { trip_id: trip.id } }, body: { approve, reason } })),
    onSuccess: (next, { approve }) => onDone(next, approve),
  });
  return (
    <div className="card">
      <h2>{t("booking.trip.decisionTitle")}</h2>
      <p>{trip.recommend === false ? t("booking.trip.headAgainst") : t("booking.trip.headFor")}</p>
      {decide.isError && !declining && <ErrorNote error={decide.error} />}
      <div className="actions">
        <button type="button" className="primary" disabled={decide.isPending} onClick={() => decide.mutate({ approve: true, reason: "" })}>
          {decide.isPending ? t("booking.working") : t("booking.trip.approve")}
        </button>
        <button
          type="button"
          disabled={decide.isPending}
          onClick={() => {
            decide.reset();
            setDeclining(true);
          }}
        >
          {t("booking.trip.decline")}
        </button>
      </div>
      {declining && (
        <ReasonDialog
          title={t("booking.trip.declineTitle")}
          summary={t("booking.trips.placeLine", { place: trip.place, province: trip.province })}
          label={t("booking.page.declineReason")}
          submit={t("booking.page.confirmDecline")}
          onSubmit={(reason) => decide.mutateAsync({ approve: false, reason })}
          onClose={() => setDeclining(false)}
        />
      )}
    </div>
  );
}

function AssignForm({ trip, onDone }: { trip: Trip; onDone: (next: Trip) => Promise<void> }) {
  const { t } = useTranslation();
  const me = useMe();
  const resources = useResources();
  const own = (resources.data ?? []).filter((r) => r.owner === me.data?.agency.id && r.status === "available");
  // The API lets the admin assign any vehicle, an officer only the vehicles they look after.
  const admin = me.data?.roles.includes("admin") ?? false;
  const vehicles = ofKind(own, "vehicle").filter((v) => admin || (me.data !== undefined && v.officers.includes(me.data.user_id)));
  const drivers = ofKind(own, "driver");
  const [vehicle, setVehicle] = useState("");
  const [driver, setDriver] = useState("");
  const vehicleId = vehicle || vehicles[0]?.id || "";
  const driverId = driver || drivers[0]?.id || "";
  const assign = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/v1/trips/{trip_id}/assignment", {
          params: { path: { trip_id: trip.id } },
          body: { vehicle_id: vehicleId, driver_id: driverId },
        }),
      ),
    onSuccess: onDone,
  });
  const missing = resources.data !== undefined && (vehicles.length === 0 || drivers.length === 0);
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        assign.mutate();
      }}
    >
      <h2>{t("booking.trip.assignTitle")}</h2>
      {missing && (
        <p className="hint">
          {t("booking.trip.noFleet")} <Link to="/bookings/resources">{t("booking.links.resources")}</Link>
        </p>
      )}
      <fieldset disabled={assign.isPending}>
        <legend>{t("booking.trip.assignLegend")}</legend>
        <label>
          {t("booking.trip.vehicle")}
          <select value={vehicleId} required onChange={(e) => setVehicle(e.target.value)}>
            {vehicles.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name} {v.plate}
                {v.capacity ? ` (${t("booking.passengers", { count: v.capacity })})` : ""}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("booking.trip.driver")}
          <select value={driverId} required onChange={(e) => setDriver(e.target.value)}>
            {drivers.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      {assign.isError && <ErrorNote error={assign.error} />}
      <button type="submit" disabled={assign.isPending || !vehicleId || !driverId}>
        {assign.isPending ? t("booking.working") : t("booking.trip.assign")}
      </button>
    </form>
  );
}

function LogForm({ trip, onDone }: { trip: Trip; onDone: (next: Trip) => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const numerals = me.data?.agency.thai_numerals ?? false;
  const id = useId();
  const [fields, setFields] = useState({
    out: "",
    in: "",
    fuel: "",
    leftDay: toBuddhistInput(dayOf(trip.departure)),
    leftTime: clockOf(trip.departure, "en", false),
    backDay: toBuddhistInput(dayOf(trip.back)),
    backTime: clockOf(trip.back, "en", false),
    note: "",
  });
  const [badDay, setBadDay] = useState(false);
  const left = parseBuddhistDate(fields.leftDay);
  const back = parseBuddhistDate(fields.backDay);
  const log = useMutation({
    mutationFn: async () => {
      if (!left?.ok || !back?.ok) throw new Error(t("booking.form.badDay"));
      return unwrap(
        await api.POST("/v1/trips/{trip_id}/log", {
          params: { path: { trip_id: trip.id } },
          body: {
            odometer_out: Number(fields.out),
            odometer_in: Number(fields.in),
            fuel_litres: Number(fields.fuel) || 0,
            left_at: atBangkok(left.iso, parseClock(fields.leftTime) ?? ""),
            returned_at: atBangkok(back.iso, parseClock(fields.backTime) ?? ""),
            note: fields.note.trim(),
          },
        }),
      );
    },
    onSuccess: onDone,
  });
  const set = (key: keyof typeof fields, value: string) => setFields({ ...fields, [key]: value });
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const wrong = !left?.ok || !back?.ok || !parseClock(fields.leftTime) || !parseClock(fields.backTime);
    setBadDay(wrong);
    if (!wrong) log.mutate();
  }
  return (
    <form className="card" onSubmit={submit}>
      <h2>{t("booking.trip.logTitle")}</h2>
      <p className="hint">
        {t("booking.trip.logHint", { when: `${clockOf(trip.departure, i18n.language, numerals)}–${clockOf(trip.back, i18n.language, numerals)}` })}
      </p>
      <fieldset disabled={log.isPending}>
        <legend>{t("booking.trip.logLegend")}</legend>
        <div className="pair">
          <label>
            {t("booking.trip.odometerOut")}
            <input type="number" min={0} required inputMode="numeric" value={fields.out} onChange={(e) => set("out", e.target.value)} />
          </label>
          <label>
            {t("booking.trip.odometerIn")}
            <input type="number" min={0} required inputMode="numeric" value={fields.in} onChange={(e) => set("in", e.target.value)} />
          </label>
        </div>
        <label>
          {t("booking.trip.fuel")}
          <input type="number" min={0} step="0.01" inputMode="decimal" value={fields.fuel} onChange={(e) => set("fuel", e.target.value)} />
        </label>
        <div className="pair">
          <label>
            {t("booking.trip.leftDay")}
            <input required inputMode="numeric" value={fields.leftDay} aria-invalid={badDay && !left?.ok} aria-describedby={badDay ? `${id}-day` : undefined} onChange={(e) => set("leftDay", e.target.value)} />
          </label>
          <label>
            {t("booking.trip.leftTime")}
            <ClockInput required value={fields.leftTime} onChange={(value) => set("leftTime", value)} />
          </label>
        </div>
        <div className="pair">
          <label>
            {t("booking.trip.backDay")}
            <input required inputMode="numeric" value={fields.backDay} aria-invalid={badDay && !back?.ok} aria-describedby={badDay ? `${id}-day` : undefined} onChange={(e) => set("backDay", e.target.value)} />
          </label>
          <label>
            {t("booking.trip.backTime")}
            <ClockInput required value={fields.backTime} onChange={(value) => set("backTime", value)} />
          </label>
        </div>
        {badDay && (
          <p className="error" id={`${id}-day`}>
            {t("booking.trip.badWhen")}
          </p>
        )}
        <label>
          {t("booking.form.note")}
          <input maxLength={500} value={fields.note} onChange={(e) => set("note", e.target.value)} />
        </label>
      </fieldset>
      {log.isError && <ErrorNote error={log.error} />}
      <button type="submit" disabled={log.isPending}>
        {log.isPending ? t("booking.working") : t("booking.trip.log")}
      </button>
    </form>
  );
}
