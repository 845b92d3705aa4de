import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { hasRole, useMe } from "../api/me";
import { ErrorNote } from "../components/ErrorNote";
import { parseBuddhistDate } from "../format/buddhistDate";
import { thaiSorted } from "../format/thai";
import { useFormat } from "../format/useFormat";
import "../screens/saraban.css";
import { useAgencyUsers, useCommittees, type ScheduleMeeting } from "./api";
import { bangkokMoment, schedulable, SECTIONS, type Section } from "./logic";
import "./meetings.css";
import { FormEnd, PeopleOptions, Rows, TextField } from "./Rows";

type Mode = "in_person" | "online" | "hybrid";
interface ItemRow {
  key: string;
  section: Section;
  title: string;
  presenter: string;
  minutes: string;
}
const newItem = (section: Section = "for_decision"): ItemRow => ({ key: crypto.randomUUID(), section, title: "", presenter: "", minutes: "" });
type Problem = "date" | "time" | "order" | "agenda" | "committee" | "title" | "invitees" | "link";

/** Schedule a meeting: a committee's (its secretaries, or the admin) or an ad hoc one (anyone, with the
 * invitees named), its date and place, and its agenda. The API numbers it, drafts the invitation letter
 * and opens the papers to the invitees. */
export function NewMeeting() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const formId = useId();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const me = useMe();
  const committees = useCommittees();
  const users = useAgencyUsers();
  const mine = thaiSorted(schedulable(committees.data ?? [], me.data?.user_id, hasRole(me.data, "admin")), (c) => c.name);
  const [kind, setKind] = useState<"committee" | "adhoc">("committee");
  const [committeeId, setCommitteeId] = useState("");
  const [title, setTitle] = useState("");
  const [invitees, setInvitees] = useState<string[]>([]);
  const [date, setDate] = useState("");
  const [starts, setStarts] = useState("09:30");
  const [ends, setEnds] = useState("12:00");
  const [mode, setMode] = useState<Mode>("in_person");
  const [place, setPlace] = useState("");
  const [link, setLink] = useState("");
  const [recorded, setRecorded] = useState(true);
  const [recorder, setRecorder] = useState("");
  const [items, setItems] = useState<ItemRow[]>([newItem("announcements"), newItem("for_decision")]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const chosen = kind === "committee" ? (committeeId || mine[0]?.id || "") : "";
  const schedule = useMutation({
    mutationFn: async (body: ScheduleMeeting) => unwrap(await api.POST("/v1/meetings", { body })),
    onSuccess: async (made) => {
      await queries.invalidateQueries({ queryKey: ["meetings"] });
      await queries.invalidateQueries({ queryKey: ["committees"] });
      void navigate({ to: "/meetings/$meetingId", params: { meetingId: made.id } });
    },
  });

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const day = parseBuddhistDate(date);
    const start = day?.ok ? bangkokMoment(day.iso, starts) : null;
    const end = day?.ok ? bangkokMoment(day.iso, ends) : null;
    const agenda = items.filter((i) => i.title.trim());
    const wrong: Problem | null =
      kind === "committee" && !chosen
        ? "committee"
        : kind === "adhoc" && !title.trim()
          ? "title"
          : kind === "adhoc" && invitees.length === 0
            ? "invitees"
            : !day?.ok
              ? "date"
              : !start || !end
                ? "time"
                : ends <= starts
                  ? "order"
                  : mode !== "in_person" && !link.trim()
                    ? "link"
                    : agenda.length === 0
                      ? "agenda"
                      : null;
    setProblem(wrong);
    if (wrong || !start || !end) return;
    schedule.mutate({
      committee_id: kind === "committee" ? chosen : null,
      title: kind === "adhoc" ? title.trim() : "",
      starts_at: start,
      ends_at: end,
      mode,
      room_id: null,
      place: place.trim(),
      online_link: mode === "in_person" ? "" : link.trim(),
      recorded: mode === "in_person" ? true : recorded,
      recorder: recorder || null,
      invitees: kind === "adhoc" ? invitees.map((user_id) => ({ user_id, agency_id: null, name: "", position: "", role: "member" as const })) : [],
      agenda: agenda.map((i) => ({
        section: i.section,
        title: i.title.trim(),
        presenter: i.presenter.trim(),
        duration_minutes: Number(i.minutes) || 0,
        papers: [],
      })),
    });
  }

  const day = parseBuddhistDate(date);
  const people = users.data ?? [];
  return (
    <section className="meetings">
      <p className="crumbs">
        <Link to="/meetings">{t("meetings.title")}</Link>
      </p>
      <h1>{t("meetings.new.title")}</h1>
      <form className="card schedule" onSubmit={submit} aria-describedby={`${formId}-hint`}>
        <p className="hint" id={`${formId}-hint`}>
          {t("meetings.new.hint")}
        </p>
        {(committees.isError || users.isError) && <ErrorNote error={committees.error ?? users.error} />}
        <fieldset>
          <legend>{t("meetings.new.whose")}</legend>
          <div className="tabs" role="radiogroup" aria-label={t("meetings.new.whose")}>
            <label className="check">
              <input type="radio" name={`${formId}-kind`} checked={kind === "committee"} onChange={() => setKind("committee")} />
              {t("meetings.new.ofCommittee")}
            </label>
            <label className="check">
              <input type="radio" name={`${formId}-kind`} checked={kind === "adhoc"} onChange={() => setKind("adhoc")} />
              {t("meetings.new.adHoc")}
            </label>
          </div>
          {kind === "committee" ? (
            mine.length > 0 ? (
              <label>
                {t("meetings.new.committee")}
                <select value={chosen} onChange={(e) => setCommitteeId(e.target.value)}>
                  {mine.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <p className="hint">
                {committees.isPending ? t("app.loading") : t("meetings.new.noCommittee")}{" "}
                <Link to="/meetings/committees">{t("meetings.list.committees")}</Link>
              </p>
            )
          ) : (
            <>
              <label>
                {t("meetings.new.meetingTitle")}
                <input maxLength={500} value={title} onChange={(e) => setTitle(e.target.value)} />
              </label>
              <fieldset className="invitees">
                <legend>{t("meetings.new.invitees")}</legend>
                {people.map((u) => (
                  <label key={u.id} className="check">
                    <input
                      type="checkbox"
                      checked={invitees.includes(u.id)}
                      onChange={(e) => setInvitees(e.target.checked ? [...invitees, u.id] : invitees.filter((i) => i !== u.id))}
                    />
                    {u.name} <span className="detail">{u.position}</span>
                  </label>
                ))}
              </fieldset>
            </>
          )}
        </fieldset>
        <fieldset>
          <legend>{t("meetings.new.when")}</legend>
          <div className="triple">
            <label>
              {t("meetings.new.date")}
              <input
                inputMode="numeric"
                placeholder={t("meetings.datePlaceholder")}
                value={date}
                onChange={(e) => setDate(e.target.value)}
                aria-invalid={problem === "date"}
              />
              {day?.ok && <span className="hint">{fmt.date(day.iso)}</span>}
            </label>
            <label>
              {t("meetings.new.starts")}
              <input type="time" value={starts} onChange={(e) => setStarts(e.target.value)} aria-invalid={problem === "time" || problem === "order"} />
            </label>
            <label>
              {t("meetings.new.ends")}
              <input type="time" value={ends} onChange={(e) => setEnds(e.target.value)} aria-invalid={problem === "time" || problem === "order"} />
            </label>
          </div>
          <div className="pair">
            <label>
              {t("meetings.new.mode")}
              <select value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
                {(["in_person", "online", "hybrid"] as const).map((m) => (
                  <option key={m} value={m}>
                    {t(`meetings.modes.${m}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("meetings.new.place")}
              <input maxLength={500} value={place} onChange={(e) => setPlace(e.target.value)} placeholder={t("meetings.new.placePlaceholder")} />
            </label>
          </div>
          {mode !== "in_person" && (
            <>
              <label>
                {t("meetings.new.link")}
                <input maxLength={500} value={link} onChange={(e) => setLink(e.target.value)} aria-invalid={problem === "link"} />
              </label>
              <label className="check">
                <input type="checkbox" checked={recorded} onChange={(e) => setRecorded(e.target.checked)} />
                {t("meetings.new.recorded")}
              </label>
            </>
          )}
          <label>
            {t("meetings.new.recorder")}
            <select value={recorder} onChange={(e) => setRecorder(e.target.value)}>
              <option value="">{t("meetings.new.recorderDefault")}</option>
              <PeopleOptions people={people} />
            </select>
          </label>
        </fieldset>
        <fieldset>
          <legend>{t("meetings.new.agenda")}</legend>
          <p className="hint">{t("meetings.new.agendaHint")}</p>
          <Rows
            rows={items}
            onRows={setItems}
            make={() => newItem()}
            className="agenda-row"
            removeLabel={(n) => t("meetings.new.removeItem", { n })}
            addLabel={t("meetings.new.addItem")}
          >
            {(item, n, change) => (
              <>
                <label>
                  {t("meetings.new.section", { n })}
                  <select value={item.section} onChange={(e) => change({ section: e.target.value as Section })}>
                    {SECTIONS.map((s) => (
                      <option key={s} value={s}>
                        {t(`meetings.sections.${s}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <TextField label={t("meetings.new.itemTitle", { n })} maxLength={500} value={item.title} onChange={(title) => change({ title })} />
                <TextField
                  label={t("meetings.new.presenter", { n })}
                  maxLength={200}
                  value={item.presenter}
                  onChange={(presenter) => change({ presenter })}
                />
                <label>
                  {t("meetings.new.duration", { n })}
                  <input type="number" min={0} max={600} value={item.minutes} onChange={(e) => change({ minutes: e.target.value })} />
                </label>
              </>
            )}
          </Rows>
        </fieldset>
        <FormEnd
          problem={problem && t(`meetings.new.problems.${problem}`)}
          error={schedule.error}
          pending={schedule.isPending}
          submit={t("meetings.new.submit")}
        />
      </form>
    </section>
  );
}
