import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { useEffect, useId, useMemo, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { hasRole, useMe } from "../api/me";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import "../screens/saraban.css";
import { useAsset, useMayKeep, useSettings, useUnitName, useUsers, type Asset } from "./data";
import { baht, scanCode, STATUSES } from "./logic";
import { AssetsNav, StatusMark } from "./Nav";
import { PlaceFields } from "./PlaceFields";

/** One asset: what the register holds of it, its label (QR code) to print, and, for those who keep the
 * register, a status change with its reason and a transfer to another unit, custodian or place. */
export function AssetPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { assetId } = useParams({ from: "/assets/$assetId" });
  const asset = useAsset(assetId);
  const settings = useSettings();
  const users = useUsers();
  const unitName = useUnitName();
  const names = useMemo(() => new Map((users.data ?? []).map((u) => [u.id, `${u.name} (${u.position})`])), [users.data]);
  const classes = new Map((settings.data?.classes ?? []).map((c) => [c.code, c.name]));
  const a = asset.data;
  return (
    <section>
      <h1>{a ? t("assets.page.title", { number: fmt.digits(a.number) }) : t("assets.page.loading")}</h1>
      <AssetsNav />
      {asset.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {asset.isError && <ErrorNote error={asset.error} onRetry={() => void asset.refetch()} />}
      {a && (
        <div className="asset-page">
          <div>
            <div className="card">
              <h2>{a.description}</h2>
              <dl>
                <dt>{t("assets.fields.number")}</dt>
                <dd>{fmt.digits(a.number)}</dd>
                <dt>{t("assets.fields.class")}</dt>
                <dd>
                  {a.class_code} {classes.get(a.class_code) ?? ""}
                </dd>
                <dt>{t("assets.fields.status")}</dt>
                <dd>
                  <StatusMark status={a.status} />
                </dd>
                <dt>{t("assets.fields.acquiredOn")}</dt>
                <dd>
                  {fmt.date(a.acquired_on)} ({t("assets.fiscalYear", { year: fmt.digits(a.fiscal_year) })})
                </dd>
                <dt>{t("assets.fields.price")}</dt>
                <dd>{t("assets.bahtAmount", { amount: fmt.digits(baht(a.price)) })}</dd>
                <dt>{t("assets.fields.document")}</dt>
                <dd>{a.document || "—"}</dd>
                <dt>{t("assets.fields.funding")}</dt>
                <dd>{a.funding || "—"}</dd>
                <dt>{t("assets.fields.unit")}</dt>
                <dd>{unitName(a.unit_id)}</dd>
                <dt>{t("assets.fields.location")}</dt>
                <dd>{a.location || "—"}</dd>
                <dt>{t("assets.fields.custodian")}</dt>
                <dd>{a.custodian ? (names.get(a.custodian) ?? a.custodian) : "—"}</dd>
              </dl>
            </div>
            <StatusForm asset={a} />
            <TransferForm asset={a} />
          </div>
          <div className="label-side">
            <Label asset={a} />
            <p className="hint">
              <Link to="/assets">{t("assets.page.back")}</Link>
            </p>
          </div>
        </div>
      )}
    </section>
  );
}

/** The label from GET label.svg (with the person's token, so read as a blob and shown as an image). */
function Label({ asset }: { asset: Asset }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [printing, setPrinting] = useState(false);
  // Read with the person's token (an <img src> to the API would carry none), shown as a data: image.
  const svg = useQuery({
    queryKey: ["asset-label", asset.id],
    queryFn: async () => {
      const text = unwrap(
        await api.GET("/v1/assets/{asset_id}/label.svg", { params: { path: { asset_id: asset.id } }, parseAs: "text" }),
      );
      return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
    },
    staleTime: Infinity,
  });
  const url = svg.data;
  useEffect(() => {
    if (!printing) return;
    const done = () => setPrinting(false);
    window.addEventListener("afterprint", done);
    window.print();
    return () => window.removeEventListener("afterprint", done);
  }, [printing]);
  return (
    <div className={`card asset-label${printing ? " printing" : ""}`}>
      <h2>{t("assets.label.title")}</h2>
      {svg.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {svg.isError && <ErrorNote error={svg.error} onRetry={() => void svg.refetch()} />}
      {url && <img src={url} alt={t("assets.label.alt", { number: asset.number })} />}
      <p className="label-number">{fmt.digits(asset.number)}</p>
      <p className="label-description">{asset.description}</p>
      <p className="label-code">
        {t("assets.label.code")}: <span data-testid="scan-code">{scanCode(globalThis.location.origin, asset.id)}</span>
      </p>
      <button type="button" disabled={!url} onClick={() => setPrinting(true)}>
        {t("assets.label.print")}
      </button>
    </div>
  );
}

function StatusForm({ asset }: { asset: Asset }) {
  const { t } = useTranslation();
  const id = useId();
  const me = useMe();
  const queries = useQueryClient();
  const mayKeep = useMayKeep();
  const director = hasRole(me.data, "director");
  const [status, setStatus] = useState("");
  const [note, setNote] = useState("");
  const [said, setSaid] = useState("");
  const change = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/v1/assets/{asset_id}/status", {
          params: { path: { asset_id: asset.id } },
          body: { status: status as (typeof STATUSES)[number], note: note.trim() },
        }),
      ),
    onSuccess: async (changed) => {
      queries.setQueryData(["asset", asset.id], changed);
      setSaid(t("assets.page.statusChanged", { status: t(`assets.status.${changed.status}`) }));
      setStatus("");
      setNote("");
      await queries.invalidateQueries({ queryKey: ["assets"] });
    },
  });
  if (asset.status === "disposed") return <p className="card hint">{t("assets.page.disposed")}</p>;
  // Repair and unused: who keeps the register; disposal (จำหน่าย): the director, who approves it.
  const choices = STATUSES.filter((s) => s !== asset.status && (s === "disposed" ? director : mayKeep));
  if (choices.length === 0) return <p className="card hint">{t("assets.page.noStatusRight")}</p>;
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setSaid("");
    change.mutate();
  }
  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t("assets.page.statusTitle")}</h2>
      <fieldset className="bare" disabled={change.isPending}>
        <legend className="visually-hidden">{t("assets.page.statusTitle")}</legend>
        <label>
          {t("assets.page.newStatus")}
          <select required value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t("assets.page.chooseStatus")}</option>
            {choices.map((s) => (
              <option key={s} value={s}>
                {t(`assets.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("assets.page.reason")}
          <textarea required rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
          <span className="hint">{status === "disposed" ? t("assets.page.disposeHint") : t("assets.page.reasonHint")}</span>
        </label>
      </fieldset>
      {change.isError && <ErrorNote error={change.error} />}
      <p role="status" className="said">
        {said}
      </p>
      <button type="submit" disabled={change.isPending || !status || !note.trim()}>
        {change.isPending ? t("assets.working") : t("assets.page.changeStatus")}
      </button>
    </form>
  );
}

function TransferForm({ asset }: { asset: Asset }) {
  const { t } = useTranslation();
  const id = useId();
  const queries = useQueryClient();
  const mayKeep = useMayKeep();
  const [fields, setFields] = useState({ unit_id: asset.unit_id, custodian: asset.custodian ?? "", location: asset.location, note: "" });
  const [said, setSaid] = useState("");
  const move = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/v1/assets/{asset_id}/transfer", {
          params: { path: { asset_id: asset.id } },
          body: { ...fields, custodian: fields.custodian || null, note: fields.note.trim() },
        }),
      ),
    onSuccess: async (moved) => {
      queries.setQueryData(["asset", asset.id], moved);
      setSaid(t("assets.page.transferred"));
      setFields({ unit_id: moved.unit_id, custodian: moved.custodian ?? "", location: moved.location, note: "" });
      await queries.invalidateQueries({ queryKey: ["assets"] });
    },
  });
  if (!mayKeep || asset.status === "disposed") return null;
  const set = (key: keyof typeof fields, value: string) => setFields({ ...fields, [key]: value });
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setSaid("");
    move.mutate();
  }
  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t("assets.page.transferTitle")}</h2>
      <fieldset className="bare" disabled={move.isPending}>
        <legend className="visually-hidden">{t("assets.page.transferTitle")}</legend>
        <PlaceFields
          value={fields}
          onChange={set}
          labels={{ unit_id: t("assets.page.toUnit"), location: t("assets.page.toLocation"), custodian: t("assets.page.toCustodian") }}
        />
        <label>
          {t("assets.page.transferNote")}
          <textarea rows={2} maxLength={500} value={fields.note} onChange={(e) => set("note", e.target.value)} />
        </label>
      </fieldset>
      {move.isError && <ErrorNote error={move.error} />}
      <p role="status" className="said">
        {said}
      </p>
      <button type="submit" disabled={move.isPending}>
        {move.isPending ? t("assets.working") : t("assets.page.transfer")}
      </button>
    </form>
  );
}
