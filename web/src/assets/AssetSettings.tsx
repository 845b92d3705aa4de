import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { hasRole, useMe } from "../api/me";
import { ErrorNote } from "../components/ErrorNote";
import { parseBuddhistDate } from "../format/buddhistDate";
import { useFormat } from "../format/useFormat";
import "../screens/saraban.css";
import { full, useSettings, useUsers, type Settings } from "./data";
import { fiscalYearOf, formatNumber, moneyOf } from "./logic";
import { AssetsNav } from "./Nav";

const DEFAULTS: Settings = { number_format: "{class_code}-{fiscal_year}-{seq:04d}", classes: [], supply_officers: [], holidays: [], residual_baht: "1" };

/** The agency's asset settings: the number format, the classes with their useful lives, the supply
 * officers (who keep the register, and may not check it), the holidays (the stock-take's working days)
 * and the residual value. Everyone reads them; the agency admin saves them. */
export function AssetSettings() {
  const { t } = useTranslation();
  const me = useMe();
  const settings = useSettings();
  const admin = hasRole(me.data, "admin");
  return (
    <section>
      <h1>{t("assets.settings.title")}</h1>
      <AssetsNav />
      {!admin && <p className="hint">{t("assets.settings.readOnly")}</p>}
      {settings.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {settings.isError && <ErrorNote error={settings.error} onRetry={() => void settings.refetch()} />}
      {settings.data === null && <p className="card hint">{t("assets.noSettings")}</p>}
      {settings.data !== undefined && (admin || settings.data) && <SettingsForm saved={settings.data ?? DEFAULTS} editable={admin} />}
    </section>
  );
}

function SettingsForm({ saved, editable }: { saved: Settings; editable: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = useId();
  const queries = useQueryClient();
  const users = useUsers();
  const [draft, setDraft] = useState<Settings>(saved);
  const [holiday, setHoliday] = useState("");
  const [holidayProblem, setHolidayProblem] = useState(false);
  const [said, setSaid] = useState("");
  const save = useMutation({
    mutationFn: async () =>
      unwrap(await api.PUT("/v1/assets/settings", { body: { ...draft, residual_baht: moneyOf(draft.residual_baht) ?? draft.residual_baht } })),
    onSuccess: async (answer) => {
      queries.setQueryData(["asset-settings"], full(answer));
      setSaid(t("assets.settings.saved"));
      await queries.invalidateQueries({ queryKey: ["asset-depreciation"] });
    },
  });
  const set = (change: Partial<Settings>) => {
    setSaid("");
    setDraft({ ...draft, ...change });
  };
  const sample = formatNumber(draft.number_format, draft.classes[0]?.code ?? "7440-001", fiscalYearOf(new Date()), 1);

  function addHoliday() {
    const parsed = parseBuddhistDate(holiday);
    setHolidayProblem(!parsed?.ok);
    if (!parsed?.ok) return;
    set({ holidays: [...new Set([...draft.holidays, parsed.iso])].sort() });
    setHoliday("");
  }
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setSaid("");
    save.mutate();
  }

  return (
    <form className="card asset-form" onSubmit={submit}>
      <fieldset disabled={!editable || save.isPending}>
        <legend>{t("assets.settings.numbering")}</legend>
        <div className="pair">
          <label>
            {t("assets.settings.numberFormat")}
            <input required maxLength={100} value={draft.number_format} aria-describedby={`${id}-sample`} onChange={(e) => set({ number_format: e.target.value })} />
            <span className="hint" id={`${id}-sample`}>
              {sample === null ? t("assets.settings.badFormat") : t("assets.settings.sample", { number: fmt.digits(sample) })}
            </span>
          </label>
          <label>
            {t("assets.settings.residual")}
            <input required inputMode="decimal" value={draft.residual_baht} onChange={(e) => set({ residual_baht: e.target.value })} />
          </label>
        </div>
      </fieldset>
      <fieldset disabled={!editable || save.isPending}>
        <legend>{t("assets.settings.classes")}</legend>
        {draft.classes.length === 0 && <p className="hint">{t("assets.settings.noClasses")}</p>}
        {draft.classes.map((c, i) => (
          <div className="class-row" key={i}>
            <label>
              {t("assets.settings.classCode")}
              <input
                required
                pattern="[0-9A-Za-z.\-]{1,20}"
                value={c.code}
                onChange={(e) => set({ classes: draft.classes.map((x, j) => (j === i ? { ...x, code: e.target.value } : x)) })}
              />
            </label>
            <label>
              {t("assets.settings.className")}
              <input required maxLength={200} value={c.name} onChange={(e) => set({ classes: draft.classes.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)) })} />
            </label>
            <label>
              {t("assets.settings.life")}
              <input
                required
                type="number"
                min={1}
                max={100}
                value={c.life_years}
                onChange={(e) => set({ classes: draft.classes.map((x, j) => (j === i ? { ...x, life_years: Number(e.target.value) } : x)) })}
              />
            </label>
            {editable && (
              <button type="button" aria-label={t("assets.settings.removeClass", { code: c.code })} onClick={() => set({ classes: draft.classes.filter((_, j) => j !== i) })}>
                {t("assets.settings.remove")}
              </button>
            )}
          </div>
        ))}
        {editable && (
          <button type="button" onClick={() => set({ classes: [...draft.classes, { code: "", name: "", life_years: 5 }] })}>
            {t("assets.settings.addClass")}
          </button>
        )}
      </fieldset>
      <fieldset disabled={!editable || save.isPending}>
        <legend>{t("assets.settings.supplyOfficers")}</legend>
        <p className="hint">{t("assets.settings.supplyHint")}</p>
        <ul className="checks">
          {(users.data ?? []).map((u) => (
            <li key={u.id}>
              <label className="check">
                <input
                  type="checkbox"
                  checked={draft.supply_officers.includes(u.id)}
                  onChange={(e) =>
                    set({ supply_officers: e.target.checked ? [...draft.supply_officers, u.id] : draft.supply_officers.filter((s) => s !== u.id) })
                  }
                />
                <span>
                  {u.name} <span className="hint">({u.position})</span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset disabled={!editable || save.isPending}>
        <legend>{t("assets.settings.holidays")}</legend>
        <p className="hint">{t("assets.settings.holidaysHint")}</p>
        {draft.holidays.length === 0 ? (
          <p className="hint">{t("assets.settings.noHolidays")}</p>
        ) : (
          <ul>
            {draft.holidays.map((h) => (
              <li key={h}>
                {fmt.date(h)}{" "}
                {editable && (
                  <button type="button" aria-label={t("assets.settings.removeHoliday", { date: fmt.date(h) })} onClick={() => set({ holidays: draft.holidays.filter((x) => x !== h) })}>
                    {t("assets.settings.remove")}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {editable && (
          <div className="toolbar">
            <label>
              {t("assets.settings.holiday")}
              <input
                className="holiday"
                inputMode="numeric"
                placeholder={t("assets.datePlaceholder")}
                value={holiday}
                aria-invalid={holidayProblem}
                aria-describedby={holidayProblem ? `${id}-holiday` : undefined}
                onChange={(e) => setHoliday(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === "Enter") {
                    e.preventDefault();
                    addHoliday();
                  }
                }}
              />
            </label>
            <button type="button" onClick={addHoliday}>
              {t("assets.settings.addHoliday")}
            </button>
            {holidayProblem && (
              <p className="error" id={`${id}-holiday`} role="alert">
                {t("assets.add.badDate")}
              </p>
            )}
          </div>
        )}
      </fieldset>
      {save.isError && <ErrorNote error={save.error} />}
      <p role="status" className="said">
        {said}
      </p>
      {editable && (
        <button type="submit" disabled={save.isPending || moneyOf(draft.residual_baht) === null}>
          {save.isPending ? t("assets.working") : t("assets.settings.save")}
        </button>
      )}
    </form>
  );
}
