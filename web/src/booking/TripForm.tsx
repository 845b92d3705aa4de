import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { useMe } from "../api/me";
import "../screens/saraban.css";
import { ErrorNote } from "../components/ErrorNote";
import { parseBuddhistDate, toBuddhistInput } from "../format/buddhistDate";
import { useFormat } from "../format/useFormat";
import { useUsers } from "./api";
import { BookingNav } from "./BookingNav";
import { passengersOf } from "./trips";
import { ClockInput } from "./ClockInput";
import { addDays, atBangkok, bangkokDay, parseClock } from "./week";

interface Fields {
  toPosition: string | null; // null until typed: the director's position
  place: string;
  province: string;
  purpose: string;
  passengers: string;
  departureDay: string;
  departureTime: string;
  backDay: string;
  backTime: string;
}

/** แบบ 3 ใบขออนุญาตใช้รถส่วนกลาง: where to, what for, who rides along, when out and back. It goes to the
 * requester's section head for an opinion, then to the director. */
export function TripForm() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const users = useUsers();
  const queries = useQueryClient();
  const navigate = useNavigate();
  const id = useId();
  const tomorrow = toBuddhistInput(addDays(bangkokDay(new Date()), 1));
  const [fields, setFields] = useState<Fields>({
    toPosition: null,
    place: "",
    province: "",
    purpose: "",
    passengers: "",
    departureDay: tomorrow,
    departureTime: "08:30",
    backDay: tomorrow,
    backTime: "16:30",
  });
  const [problem, setProblem] = useState<"departureDay" | "backDay" | "time" | null>(null);
  const director = users.data?.find((u) => u.roles.includes("director"));
  const toPosition = fields.toPosition ?? director?.position ?? "";
  const departure = parseBuddhistDate(fields.departureDay);
  const back = parseBuddhistDate(fields.backDay);
  const send = useMutation({
    mutationFn: async () => {
      if (!departure?.ok || !back?.ok) throw new Error(t("booking.form.badDay"));
      return unwrap(
        await api.POST("/v1/trips", {
          body: {
            to_position: toPosition.trim(),
            place: fields.place.trim(),
            province: fields.province.trim(),
            purpose: fields.purpose.trim(),
            passengers: passengersOf(fields.passengers),
            departure: atBangkok(departure.iso, parseClock(fields.departureTime) ?? ""),
            back: atBangkok(back.iso, parseClock(fields.backTime) ?? ""),
          },
        }),
      );
    },
    onSuccess: async (trip) => {
      await queries.invalidateQueries({ queryKey: ["trips"] });
      void navigate({ to: "/bookings/trips/$tripId", params: { tripId: trip.id } });
    },
  });

  function set<K extends keyof Fields>(key: K, value: Fields[K]) {
    setFields({ ...fields, [key]: value });
  }

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const wrong = !departure?.ok ? "departureDay" : !back?.ok ? "backDay" : !parseClock(fields.departureTime) || !parseClock(fields.backTime) ? "time" : null;
    setProblem(wrong);
    if (!wrong) send.mutate();
  }

  const dateField = (key: "departureDay" | "backDay", label: string) => {
    const parsed = key === "departureDay" ? departure : back;
    return (
      <label>
        {label}
        <input
          inputMode="numeric"
          required
          placeholder={t("booking.datePlaceholder")}
          value={fields[key]}
          aria-invalid={problem === key}
          aria-describedby={problem === key ? `${id}-${key}` : undefined}
          onChange={(e) => set(key, e.target.value)}
        />
        {problem === key && (
          <span className="error field-problem" id={`${id}-${key}`}>
            {t("booking.form.badDay")}
          </span>
        )}
        {parsed?.ok && <span className="hint">{fmt.date(parsed.iso)}</span>}
      </label>
    );
  };

  return (
    <section className="bk">
      <h1>{t("booking.tripForm.title")}</h1>
      <BookingNav />
      <form className="card" onSubmit={submit}>
        <p className="hint">{t("booking.tripForm.hint", { name: me.data?.name ?? "", position: me.data?.position ?? "" })}</p>
        <fieldset disabled={send.isPending}>
          <legend>{t("booking.tripForm.legend")}</legend>
          <label>
            {t("booking.tripForm.toPosition")}
            <input required maxLength={200} value={toPosition} onChange={(e) => set("toPosition", e.target.value)} />
          </label>
          <div className="pair">
            <label>
              {t("booking.tripForm.place")}
              <input required maxLength={200} value={fields.place} onChange={(e) => set("place", e.target.value)} />
            </label>
            <label>
              {t("booking.tripForm.province")}
              <input required maxLength={200} value={fields.province} onChange={(e) => set("province", e.target.value)} />
            </label>
          </div>
          <label>
            {t("booking.tripForm.purpose")}
            <input required maxLength={500} value={fields.purpose} onChange={(e) => set("purpose", e.target.value)} />
          </label>
          <label>
            {t("booking.tripForm.passengers")}
            <textarea rows={3} value={fields.passengers} onChange={(e) => set("passengers", e.target.value)} aria-describedby={`${id}-riders`} />
            <span className="hint" id={`${id}-riders`}>
              {t("booking.tripForm.passengersHint", { count: passengersOf(fields.passengers).length + 1 })}
            </span>
          </label>
          <div className="pair">
            {dateField("departureDay", t("booking.tripForm.departureDay"))}
            <label>
              {t("booking.tripForm.departureTime")}
              <ClockInput required value={fields.departureTime} aria-invalid={problem === "time" && !parseClock(fields.departureTime)} aria-describedby={problem === "time" ? `${id}-time` : undefined} onChange={(value) => set("departureTime", value)} />
            </label>
          </div>
          <div className="pair">
            {dateField("backDay", t("booking.tripForm.backDay"))}
            <label>
              {t("booking.tripForm.backTime")}
              <ClockInput required value={fields.backTime} aria-invalid={problem === "time" && !parseClock(fields.backTime)} aria-describedby={problem === "time" ? `${id}-time` : undefined} onChange={(value) => set("backTime", value)} />
            </label>
          </div>
        </fieldset>
        {problem === "time" && (
          <p className="error" id={`${id}-time`}>
            {t("booking.form.badClock")}
          </p>
        )}
        {send.isError && <ErrorNote error={send.error} />}
        <button type="submit" disabled={send.isPending}>
          {send.isPending ? t("booking.form.sending") : t("booking.tripForm.submit")}
        </button>
      </form>
    </section>
  );
}
