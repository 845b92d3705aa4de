import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useId, useMemo, useRef, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, unwrap } from "../api/client";
import { hasRole, useMe } from "../api/me";
import type { components } from "../api/schema";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import "../screens/saraban.css";
import { useAssets, useSettings, useUnitName, useUsers } from "./data";
import { fiscalYearOf, RESULTS, type FindingResult } from "./logic";
import { AssetsNav } from "./Nav";

type View = components["schemas"]["StocktakeView"];
type Report = components["schemas"]["StocktakeReport"];

/** ตรวจสอบพัสดุประจำปี (ระเบียบกระทรวงการคลังฯ พ.ศ. 2560 ข้อ 213): the head or the director appoints
 * checkers who are not supply officers; they scan labels or record findings asset by asset, then draft
 * their report to the head of the agency (a memo, routed and signed like any letter). */
export function Stocktake() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = useId();
  // The year just ended is the one checked from October; any year can be opened.
  const [typedYear, setTypedYear] = useState(String(fiscalYearOf(new Date()) - 1));
  const [year, setYear] = useState(fiscalYearOf(new Date()) - 1);
  const [yearProblem, setYearProblem] = useState(false);
  const view = useQuery({
    queryKey: ["stocktake", year],
    queryFn: async (): Promise<View | null> => {
      try {
        return unwrap(await api.GET("/v1/stocktakes/{fiscal_year}", { params: { path: { fiscal_year: year } } }));
      } catch (failure) {
        if (failure instanceof ApiError && failure.status === 404) return null;
        throw failure;
      }
    },
  });

  function open(event: SyntheticEvent) {
    event.preventDefault();
    const value = Number(typedYear.trim().replace(/[๐-๙]/g, (d) => String(d.charCodeAt(0) - 0x0e50)));
    const ok = Number.isInteger(value) && value >= 2500 && value <= 2700;
    setYearProblem(!ok);
    if (ok) setYear(value);
  }

  return (
    <section>
      <h1>{t("assets.stocktake.title")}</h1>
      <AssetsNav />
      <form className="toolbar" onSubmit={open} aria-label={t("assets.stocktake.choose")}>
        <label>
          {t("assets.stocktake.year")}
          <input
            inputMode="numeric"
            value={typedYear}
            maxLength={4}
            onChange={(e) => setTypedYear(e.target.value)}
            aria-invalid={yearProblem}
            aria-describedby={yearProblem ? `${id}-year` : undefined}
          />
        </label>
        <button type="submit">{t("assets.stocktake.open")}</button>
        {yearProblem && (
          <p className="error" role="alert" id={`${id}-year`}>
            {t("assets.stocktake.badYear")}
          </p>
        )}
      </form>
      <h2>{t("assets.stocktake.heading", { year: fmt.digits(year) })}</h2>
      {view.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {view.isError && <ErrorNote error={view.error} onRetry={() => void view.refetch()} />}
      {view.data === null && <Appoint year={year} />}
      {view.data && <Progress view={view.data} />}
    </section>
  );
}

function Appoint({ year }: { year: number }) {
  const { t } = useTranslation();
  const me = useMe();
  const users = useUsers();
  const settings = useSettings();
  const queries = useQueryClient();
  const [checkers, setCheckers] = useState<string[]>([]);
  const supply = new Set(settings.data?.supply_officers ?? []);
  const appoint = useMutation({
    mutationFn: async () => unwrap(await api.POST("/v1/stocktakes", { body: { fiscal_year: year, checkers } })),
    onSuccess: (made) => queries.setQueryData(["stocktake", year], made),
  });
  if (!hasRole(me.data, "head", "director")) return <p className="card hint">{t("assets.stocktake.notAppointed")}</p>;
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    appoint.mutate();
  }
  return (
    <form className="card asset-form" onSubmit={submit}>
      <p>{t("assets.stocktake.notAppointed")}</p>
      <fieldset disabled={appoint.isPending}>
        <legend>{t("assets.stocktake.appointTitle")}</legend>
        <p className="hint">{t("assets.stocktake.appointHint")}</p>
        <ul className="checks">
          {(users.data ?? [])
            .filter((u) => !supply.has(u.id))
            .map((u) => (
              <li key={u.id}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={checkers.includes(u.id)}
                    onChange={(e) => setCheckers(e.target.checked ? [...checkers, u.id] : checkers.filter((c) => c !== u.id))}
                  />
                  <span>
                    {u.name} <span className="hint">({u.position})</span>
                  </span>
                </label>
              </li>
            ))}
        </ul>
      </fieldset>
      {appoint.isError && <ErrorNote error={appoint.error} />}
      <button type="submit" disabled={appoint.isPending || checkers.length === 0}>
        {appoint.isPending ? t("assets.working") : t("assets.stocktake.appoint", { n: checkers.length })}
      </button>
    </form>
  );
}

interface Recorded {
  number: string;
  description: string;
  unitId: string;
  result: FindingResult;
}

function Progress({ view }: { view: View }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const users = useUsers();
  const names = useMemo(() => new Map((users.data ?? []).map((u) => [u.id, `${u.name} (${u.position})`])), [users.data]);
  const unitName = useUnitName();
  const checker = !!me.data && view.checkers.includes(me.data.user_id);
  const [recorded, setRecorded] = useState<Recorded[]>([]);
  return (
    <>
      <div className="card stocktake-report">
        <dl className="stocktake-facts">
          <dt>{t("assets.stocktake.checkers")}</dt>
          <dd>
            <ul>
              {view.checkers.map((c) => (
                <li key={c}>{names.get(c) ?? c}</li>
              ))}
            </ul>
          </dd>
          <dt>{t("assets.stocktake.startsOn")}</dt>
          <dd>{fmt.date(view.starts_on)}</dd>
          <dt>{t("assets.stocktake.reportDue")}</dt>
          <dd>{fmt.date(view.report_due)}</dd>
        </dl>
      </div>
      <h3>{t("assets.stocktake.soFar")}</h3>
      <ul className="counts" aria-label={t("assets.stocktake.soFar")}>
        {RESULTS.map((r) => (
          <li key={r}>
            {t(`assets.result.${r}`)}
            <strong>{fmt.digits(view.counted[r] ?? 0)}</strong>
          </li>
        ))}
        <li>
          {t("assets.stocktake.notYet")}
          <strong>{fmt.digits(view.not_yet_checked)}</strong>
        </li>
      </ul>
      {!checker ? (
        <p className="hint">{t("assets.stocktake.onlyCheckers")}</p>
      ) : (
        <>
          <div className="stocktake-grid">
            <ScanForm year={view.fiscal_year} onRecorded={(r) => setRecorded((all) => [r, ...all])} />
            <FindingForm year={view.fiscal_year} onRecorded={(r) => setRecorded((all) => [r, ...all])} />
          </div>
          {recorded.length > 0 && (
            <table className="register stocktake-recorded">
              <caption>{t("assets.stocktake.recordedCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("assets.fields.number")}</th>
                  <th scope="col">{t("assets.fields.description")}</th>
                  <th scope="col">{t("assets.fields.unit")}</th>
                  <th scope="col">{t("assets.stocktake.result")}</th>
                </tr>
              </thead>
              <tbody>
                {recorded.map((r, i) => (
                  <tr key={`${r.number}-${String(i)}`}>
                    <td className="nowrap">{fmt.digits(r.number)}</td>
                    <td>{r.description}</td>
                    <td>{unitName(r.unitId)}</td>
                    <td>{t(`assets.result.${r.result}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <ReportPart year={view.fiscal_year} />
        </>
      )}
    </>
  );
}

/** What a scanner types (the label's QR code, then Enter): the finding for that asset, found by default. */
function ScanForm({ year, onRecorded }: { year: number; onRecorded: (r: Recorded) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const queries = useQueryClient();
  const assets = useAssets();
  const input = useRef<HTMLInputElement>(null);
  const [code, setCode] = useState("");
  const [result, setResult] = useState<FindingResult>("found");
  const [note, setNote] = useState("");
  const scan = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST("/v1/stocktakes/{fiscal_year}/scans", { params: { path: { fiscal_year: year } }, body: { code: code.trim(), result, note: note.trim() } })),
    onSuccess: (view) => {
      queries.setQueryData(["stocktake", year], view);
      const assetId = code.trim().replace(/^eoffice:asset:/, "").replace(/\/$/, "").split("/").at(-1) ?? "";
      const asset = assets.data?.find((a) => a.id === assetId);
      onRecorded({ number: asset?.number ?? assetId, description: asset?.description ?? "", unitId: asset?.unit_id ?? "", result });
      setCode("");
      setNote("");
    },
  });
  // Ready for the next label once the form is enabled again.
  useEffect(() => {
    if (scan.isSuccess) input.current?.focus();
  }, [scan.isSuccess, scan.submittedAt]);
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    scan.mutate();
  }
  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t("assets.stocktake.scanTitle")}</h3>
      <p className="hint">{t("assets.stocktake.scanHint")}</p>
      <fieldset className="bare" disabled={scan.isPending}>
        <legend className="visually-hidden">{t("assets.stocktake.scanTitle")}</legend>
        <label>
          {t("assets.stocktake.code")}
          <input ref={input} required maxLength={500} value={code} onChange={(e) => setCode(e.target.value)} />
        </label>
        <ResultChoice value={result} onChange={setResult} />
        <label>
          {t("assets.stocktake.note")}
          <input maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
      </fieldset>
      {scan.isError && <ErrorNote error={scan.error} />}
      <button type="submit" disabled={scan.isPending || !code.trim()}>
        {scan.isPending ? t("assets.working") : t("assets.stocktake.recordScan")}
      </button>
    </form>
  );
}

/** A finding chosen from the register (a label missing or unreadable, an asset not found at all). */
function FindingForm({ year, onRecorded }: { year: number; onRecorded: (r: Recorded) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = useId();
  const queries = useQueryClient();
  const assets = useAssets();
  const unitName = useUnitName();
  const [assetId, setAssetId] = useState("");
  const [result, setResult] = useState<FindingResult>("missing");
  const [note, setNote] = useState("");
  const inScope = (assets.data ?? []).filter((a) => a.status !== "disposed");
  const record = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/v1/stocktakes/{fiscal_year}/findings", {
          params: { path: { fiscal_year: year } },
          body: { asset_id: assetId, result, note: note.trim() },
        }),
      ),
    onSuccess: (view) => {
      queries.setQueryData(["stocktake", year], view);
      const asset = inScope.find((a) => a.id === assetId);
      onRecorded({ number: asset?.number ?? assetId, description: asset?.description ?? "", unitId: asset?.unit_id ?? "", result });
      setAssetId("");
      setNote("");
    },
  });
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    record.mutate();
  }
  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t("assets.stocktake.findingTitle")}</h3>
      <p className="hint">{t("assets.stocktake.findingHint")}</p>
      <fieldset className="bare" disabled={record.isPending}>
        <legend className="visually-hidden">{t("assets.stocktake.findingTitle")}</legend>
        <label>
          {t("assets.stocktake.asset")}
          <select required value={assetId} onChange={(e) => setAssetId(e.target.value)}>
            <option value="">{t("assets.stocktake.chooseAsset")}</option>
            {inScope.map((a) => (
              <option key={a.id} value={a.id}>
                {fmt.digits(a.number)} {a.description}
                {a.unit_id ? ` · ${unitName(a.unit_id)}` : ""}
              </option>
            ))}
          </select>
        </label>
        <ResultChoice value={result} onChange={setResult} />
        <label>
          {t("assets.stocktake.note")}
          <input maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
      </fieldset>
      {record.isError && <ErrorNote error={record.error} />}
      <button type="submit" disabled={record.isPending || !assetId}>
        {record.isPending ? t("assets.working") : t("assets.stocktake.recordFinding")}
      </button>
    </form>
  );
}

function ResultChoice({ value, onChange }: { value: FindingResult; onChange: (r: FindingResult) => void }) {
  const { t } = useTranslation();
  return (
    <label>
      {t("assets.stocktake.result")}
      <select value={value} onChange={(e) => onChange(e.target.value as FindingResult)}>
        {RESULTS.map((r) => (
          <option key={r} value={r}>
            {t(`assets.result.${r}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

function ReportPart({ year }: { year: number }) {
  const { t } = useTranslation();
  const [report, setReport] = useState<Report | null>(null);
  const draft = useMutation({
    mutationFn: async () => unwrap(await api.POST("/v1/stocktakes/{fiscal_year}/report", { params: { path: { fiscal_year: year } } })),
    onSuccess: setReport,
  });
  return (
    <div className="card stocktake-report">
      <h3>{t("assets.stocktake.reportTitle")}</h3>
      <p className="hint">{t("assets.stocktake.reportHint")}</p>
      {draft.isError && <ErrorNote error={draft.error} />}
      {report ? (
        <p role="status" className="said">
          {t("assets.stocktake.reportMade")}{" "}
          <Link to="/documents/$documentId" params={{ documentId: report.document_id }}>
            {report.subject}
          </Link>
        </p>
      ) : (
        <button type="button" className="primary" disabled={draft.isPending} onClick={() => draft.mutate()}>
          {draft.isPending ? t("assets.working") : t("assets.stocktake.draftReport")}
        </button>
      )}
    </div>
  );
}
