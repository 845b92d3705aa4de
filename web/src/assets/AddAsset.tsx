import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import "../screens/saraban.css";
import { useMayKeep, useSettings, type Asset } from "./data";
import { dateOf, fiscalYearOf, moneyOf } from "./logic";
import { AssetsNav } from "./Nav";
import { PlaceFields } from "./PlaceFields";

interface Fields {
  class_code: string;
  description: string;
  acquired_on: string;
  document: string;
  price: string;
  funding: string;
  location: string;
  unit_id: string;
  custodian: string;
}
const EMPTY: Fields = { class_code: "", description: "", acquired_on: "", document: "", price: "", funding: "", location: "", unit_id: "", custodian: "" };
const FUNDS = ["budget", "offBudget", "revenue", "donation"] as const;

/** A supply officer (or the admin) registers an asset: the number follows the agency's format, its
 * class and the fiscal year of the day it was acquired. What was typed stays when the API refuses. */
export function AddAsset() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = useId();
  const queries = useQueryClient();
  const settings = useSettings();
  const mayKeep = useMayKeep();
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [problems, setProblems] = useState<Partial<Record<"acquired_on" | "price", string>>>({});
  const [made, setMade] = useState<Asset | null>(null);
  const add = useMutation({
    mutationFn: async (body: Fields & { acquired_on: string; price: string }) =>
      unwrap(await api.POST("/v1/assets", { body: { ...body, custodian: body.custodian || null } })),
    onSuccess: async (asset) => {
      setMade(asset);
      setFields(EMPTY);
      await queries.invalidateQueries({ queryKey: ["assets"] });
    },
  });
  const set = (key: keyof Fields, value: string) => {
    setFields({ ...fields, [key]: value });
    if (key === "acquired_on" || key === "price") setProblems({ ...problems, [key]: undefined });
  };
  const acquired = dateOf(fields.acquired_on);

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const price = moneyOf(fields.price);
    const wrong = { ...(acquired ? {} : { acquired_on: t("assets.add.badDate") }), ...(price ? {} : { price: t("assets.add.badPrice") }) };
    setProblems(wrong);
    if (!acquired || !price) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>("form [aria-invalid='true']")?.focus());
      return;
    }
    setMade(null);
    add.mutate({ ...fields, acquired_on: acquired, price });
  }

  const describe = (key: "acquired_on" | "price") =>
    problems[key] ? { "aria-invalid": true, "aria-describedby": `${id}-${key}` } : {};
  const classes = settings.data?.classes ?? [];
  return (
    <section>
      <h1>{t("assets.add.title")}</h1>
      <AssetsNav />
      {settings.isError && <ErrorNote error={settings.error} onRetry={() => void settings.refetch()} />}
      {settings.data === null && <p className="card hint">{t("assets.noSettings")}</p>}
      {!mayKeep && settings.data && <p className="hint">{t("assets.onlyKeepers")}</p>}
      {made && (
        <div className="card said-card" role="status">
          <p className="receipt">{t("assets.add.made", { number: fmt.digits(made.number) })}</p>
          <Link to="/assets/$assetId" params={{ assetId: made.id }}>
            {t("assets.add.open", { number: made.number })}
          </Link>
        </div>
      )}
      <form className="card asset-form" onSubmit={submit}>
        <fieldset disabled={add.isPending || !mayKeep}>
          <legend>{t("assets.add.what")}</legend>
          <label>
            {t("assets.fields.class")}
            <select required value={fields.class_code} onChange={(e) => set("class_code", e.target.value)}>
              <option value="">{t("assets.add.chooseClass")}</option>
              {classes.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.code} {c.name} ({t("assets.settings.lifeYears", { years: fmt.digits(c.life_years) })})
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("assets.fields.description")}
            <input required maxLength={500} value={fields.description} onChange={(e) => set("description", e.target.value)} />
          </label>
          <div className="pair">
            <label>
              {t("assets.fields.acquiredOn")}
              <input
                required
                inputMode="numeric"
                placeholder={t("assets.datePlaceholder")}
                value={fields.acquired_on}
                onChange={(e) => set("acquired_on", e.target.value)}
                {...describe("acquired_on")}
              />
              {problems.acquired_on && (
                <span className="error field-problem" id={`${id}-acquired_on`}>
                  {problems.acquired_on}
                </span>
              )}
              {acquired && (
                <span className="hint">
                  {fmt.date(acquired)} · {t("assets.fiscalYear", { year: fmt.digits(fiscalYearOf(acquired)) })}
                </span>
              )}
            </label>
            <label>
              {t("assets.fields.price")}
              <input required inputMode="decimal" value={fields.price} onChange={(e) => set("price", e.target.value)} {...describe("price")} />
              {problems.price && (
                <span className="error field-problem" id={`${id}-price`}>
                  {problems.price}
                </span>
              )}
            </label>
          </div>
          <div className="pair">
            <label>
              {t("assets.fields.document")}
              <input maxLength={200} value={fields.document} onChange={(e) => set("document", e.target.value)} />
            </label>
            <label>
              {t("assets.fields.funding")}
              <input list={`${id}-funds`} maxLength={200} value={fields.funding} onChange={(e) => set("funding", e.target.value)} />
              <datalist id={`${id}-funds`}>
                {FUNDS.map((f) => (
                  <option key={f} value={t(`assets.funds.${f}`)} />
                ))}
              </datalist>
            </label>
          </div>
        </fieldset>
        <fieldset disabled={add.isPending || !mayKeep}>
          <legend>{t("assets.add.where")}</legend>
          <PlaceFields
            value={fields}
            onChange={set}
            labels={{ unit_id: t("assets.fields.unit"), location: t("assets.fields.location"), custodian: t("assets.fields.custodian") }}
          />
        </fieldset>
        {add.isError && <ErrorNote error={add.error} />}
        <button type="submit" disabled={add.isPending || !mayKeep}>
          {add.isPending ? t("assets.working") : t("assets.add.submit")}
        </button>
      </form>
    </section>
  );
}
