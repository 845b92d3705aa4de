import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useSearch } from "@tanstack/react-router";
import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { useMe } from "../api/me";
import type { components } from "../api/schema";
import "../screens/saraban.css";
import { ErrorNote } from "../components/ErrorNote";
import { parseBuddhistDate, toBuddhistInput } from "../format/buddhistDate";
import { useFormat } from "../format/useFormat";
import { availabilityKey, ofKind, readAvailability, useResources, type Booking } from "./api";
import { BookingNav } from "./BookingNav";
import { ClockInput } from "./ClockInput";
import { atBangkok, bangkokDay, clockOf, mondayOf, parseClock } from "./week";

type Recurrence = Pick<components["schemas"]["Recurrence"], "freq" | "interval"> & { count: number };

/** Every week, the same day and time, `count` times. */
function weekly(count: number): Recurrence {
  return { freq: "weekly", interval: 1, count };
}

interface Fields {
  resource: string;
  day: string; // as typed: 1/12/2569
  start: string;
  end: string;
  title: string;
  attendees: string;
  note: string;
  weekly: boolean;
  count: string;
}

/** Request a booking of a room or a vehicle: a time range on one day (or the same time each week),
 * what for and how many come. The API's refusal (a clash named, the room's hours, a rule) is shown in
 * Thai and what was typed stays. */
export function BookingForm() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const numerals = me.data?.agency.thai_numerals ?? false;
  const queries = useQueryClient();
  const search = useSearch({ from: "/bookings/new" });
  const resources = useResources();
  const id = useId();
  const [fields, setFields] = useState<Fields>({
    resource: search.resource ?? "",
    day: toBuddhistInput(search.day ?? bangkokDay(new Date())),
    start: "09:00",
    end: "12:00",
    title: "",
    attendees: "",
    note: "",
    weekly: false,
    count: "4",
  });
  const [problem, setProblem] = useState<"day" | "time" | null>(null);
  const [made, setMade] = useState<Booking | null>(null);
  const bookable = ofKind(resources.data, "bookable").filter((r) => r.status === "available");
  const chosen = bookable.find((r) => r.id === fields.resource) ?? bookable[0];
  const parsed = parseBuddhistDate(fields.day);
  const day = parsed?.ok ? parsed.iso : null;
  const plan = useQuery({
    queryKey: availabilityKey(chosen?.id ?? "", day ?? "", 1),
    queryFn: () => (chosen && day ? readAvailability(chosen, day, 1) : Promise.reject(new Error("no day"))),
    enabled: chosen !== undefined && day !== null,
    staleTime: 0,
  });
  const book = useMutation({
    mutationFn: async () => {
      if (!chosen || !day) throw new Error(t("booking.form.badDay"));
      return unwrap(
        await api.POST("/v1/resources/{resource_id}/bookings", {
          params: { path: { resource_id: chosen.id }, query: { owner: chosen.owner } },
          body: {
            start: atBangkok(day, parseClock(fields.start) ?? fields.start),
            end: atBangkok(day, parseClock(fields.end) ?? fields.end),
            title: fields.title.trim(),
            attendees: Number(fields.attendees) || 0,
            note: fields.note.trim(),
            // The generated type of a recurrence cannot be met (it wants `until` both required and absent); the
            // API reads a rule with its count and no until, as sent here.
            recurrence: (fields.weekly ? weekly(Number(fields.count) || 1) : null) as never,
          },
        }),
      );
    },
    onSuccess: async (booking) => {
      setMade(booking);
      await queries.invalidateQueries({ queryKey: ["availability"] });
      await queries.invalidateQueries({ queryKey: ["my-bookings"] });
    },
  });

  function set<K extends keyof Fields>(key: K, value: Fields[K]) {
    setFields({ ...fields, [key]: value });
  }

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    if (!day) {
      setProblem("day");
      return;
    }
    const start = parseClock(fields.start);
    const end = parseClock(fields.end);
    if (!start || !end || end <= start) {
      setProblem("time");
      return;
    }
    setProblem(null);
    book.mutate();
  }

  const room = chosen?.kind !== "vehicle";
  return (
    <section className="bk">
      <h1>{t("booking.form.title")}</h1>
      <BookingNav />
      {resources.isError && <ErrorNote error={resources.error} onRetry={() => void resources.refetch()} />}
      {resources.data && bookable.length === 0 && <p className="empty">{t("booking.noResources")}</p>}
      <div className="two">
        <form className="card" onSubmit={submit} aria-labelledby={`${id}-legend`}>
          <fieldset disabled={book.isPending}>
            <legend id={`${id}-legend`}>{t("booking.form.legend")}</legend>
            <label>
              {t("booking.form.resource")}
              <select value={chosen?.id ?? ""} onChange={(e) => set("resource", e.target.value)} required>
                {bookable.map((r) => (
                  <option key={r.id} value={r.id}>
                    {t(`booking.kinds.${r.kind}`)}: {r.name}
                    {r.rules.approval ? ` (${t("booking.needsApproval")})` : ""}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("booking.form.day")}
              <input
                inputMode="numeric"
                placeholder={t("booking.datePlaceholder")}
                value={fields.day}
                required
                aria-invalid={problem === "day"}
                aria-describedby={problem === "day" ? `${id}-day` : undefined}
                onChange={(e) => set("day", e.target.value)}
              />
              {problem === "day" && (
                <span className="error field-problem" id={`${id}-day`}>
                  {t("booking.form.badDay")}
                </span>
              )}
              {day && <span className="hint">{fmt.date(day)}</span>}
            </label>
            <div className="times">
              <label>
                {t("booking.form.start")}
                <ClockInput value={fields.start} required onChange={(value) => set("start", value)} />
              </label>
              <label>
                {t("booking.form.end")}
                <ClockInput
                  value={fields.end}
                  required
                  aria-invalid={problem === "time"}
                  aria-describedby={problem === "time" ? `${id}-time` : undefined}
                  onChange={(value) => set("end", value)}
                />
                {problem === "time" && (
                  <span className="error field-problem" id={`${id}-time`}>
                    {t("booking.form.badTime")}
                  </span>
                )}
              </label>
            </div>
            <label>
              {t("booking.form.purpose")}
              <input value={fields.title} required maxLength={500} onChange={(e) => set("title", e.target.value)} />
            </label>
            <label>
              {room ? t("booking.form.attendees") : t("booking.form.riders")}
              <input type="number" min={0} max={10000} inputMode="numeric" value={fields.attendees} onChange={(e) => set("attendees", e.target.value)} />
              {chosen?.capacity ? <span className="hint">{t(room ? "booking.seats" : "booking.passengers", { count: chosen.capacity })}</span> : null}
            </label>
            <label>
              {t("booking.form.note")}
              <input value={fields.note} maxLength={500} onChange={(e) => set("note", e.target.value)} />
            </label>
            <label className="check">
              <input type="checkbox" checked={fields.weekly} onChange={(e) => set("weekly", e.target.checked)} />
              {t("booking.form.weekly")}
            </label>
            {fields.weekly && (
              <label>
                {t("booking.form.count")}
                <input type="number" min={1} max={52} value={fields.count} onChange={(e) => set("count", e.target.value)} />
              </label>
            )}
            {chosen?.rules.approval && <p className="hint">{t("booking.form.approvalHint", { hours: fmt.digits(chosen.rules.hold_hours) })}</p>}
          </fieldset>
          {book.isError && <ErrorNote error={book.error} />}
          <button type="submit" disabled={book.isPending || !chosen}>
            {book.isPending ? t("booking.form.sending") : t("booking.form.submit")}
          </button>
          {made && (
            <div role="status" className="receipt">
              <p>
                {made.state === "pending" ? t("booking.form.pending", { name: made.resource_name }) : t("booking.form.confirmed", { name: made.resource_name })}
              </p>
              <p>
                <Link to="/bookings/view/$resourceId/$bookingId" params={{ resourceId: made.resource_id, bookingId: made.id }}>
                  {t("booking.form.open")}
                </Link>{" "}
                ·{" "}
                <Link to="/bookings" search={day ? { week: mondayOf(day) } : {}}>
                  {t("booking.form.toWeek")}
                </Link>
              </p>
            </div>
          )}
        </form>
        <section className="card" aria-labelledby={`${id}-plan`}>
          <h2 id={`${id}-plan`}>{chosen && day ? t("booking.form.planOf", { name: chosen.name, day: fmt.date(day) }) : t("booking.form.plan")}</h2>
          {chosen && (
            <p className="hint">
              {chosen.kind === "room"
                ? t("booking.form.hours", { opens: fmt.digits(chosen.rules.opens), closes: fmt.digits(chosen.rules.closes) })
                : t("booking.form.vehicleHint")}
            </p>
          )}
          {plan.isPending && plan.fetchStatus === "fetching" && <p aria-busy="true">{t("app.loading")}</p>}
          {plan.isError && day && <ErrorNote error={plan.error} onRetry={() => void plan.refetch()} />}
          {plan.data?.days.map((d) => (
            <div key={d.day}>
              <h3>{t("booking.form.busy")}</h3>
              {d.busy.length === 0 ? (
                <p className="empty">{t("booking.form.noBusy")}</p>
              ) : (
                <ul className="slots">
                  {d.busy.map((b) => (
                    <li key={b.booking + b.start} className={b.state === "pending" ? "pending" : "confirmed"}>
                      {clockOf(b.start, i18n.language, numerals)}–{clockOf(b.end, i18n.language, numerals)} {b.title}{" "}
                      <span className={`state ${b.state}`}>{t(`booking.states.${b.state}`, { defaultValue: b.state })}</span>
                    </li>
                  ))}
                </ul>
              )}
              <h3>{t("booking.form.free")}</h3>
              {d.free.length === 0 ? (
                <p className="empty">{t("booking.form.noFree")}</p>
              ) : (
                <ul>
                  {d.free.map((f) => (
                    <li key={f.start}>
                      {clockOf(f.start, i18n.language, numerals)}–{clockOf(f.end, i18n.language, numerals)}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          ))}
        </section>
      </div>
    </section>
  );
}
