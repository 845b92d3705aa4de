import { useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import "../screens/saraban.css";
import { useMayKeep, useSettings, useUnits, useUsers } from "./data";
import { thaiSorted } from "../format/thai";
import { batches, IMPORT_FIELDS, readImport, unitLookup, type ReadImport } from "./logic";
import { AssetsNav } from "./Nav";

const PER_CALL = 500; // POST /v1/assets-import takes at most 500 rows a call

interface Outcome {
  imported: number;
  alreadyThere: string[];
}

/** The agency's existing register (paper or another system) from a CSV file: each row checked here
 * first (the refused ones listed with their reasons and not sent), the rest sent 500 a call with the
 * progress shown. An import run again is safe: numbers already imported are skipped and named. */
export function ImportAssets() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = useId();
  const queries = useQueryClient();
  const settings = useSettings();
  const users = useUsers();
  const units = useUnits();
  const mayKeep = useMayKeep();
  const [fileName, setFileName] = useState("");
  const [read, setRead] = useState<ReadImport | null>(null);
  const [sent, setSent] = useState(0);
  const [working, setWorking] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<unknown>(null);
  const classes = useMemo(() => new Set((settings.data?.classes ?? []).map((c) => c.code)), [settings.data]);
  const people = useMemo(() => {
    const map = new Map<string, string>();
    for (const u of users.data ?? []) {
      map.set(u.username, u.id);
      map.set(u.id, u.id);
    }
    return map;
  }, [users.data]);
  const unitIds = useMemo(() => unitLookup(units.data ?? []), [units.data]);

  async function choose(file: File | undefined) {
    setRead(null);
    setOutcome(null);
    setError(null);
    setSent(0);
    if (!file) return;
    setFileName(file.name);
    setRead(readImport(await file.text(), classes, people, unitIds));
  }

  async function send() {
    if (!read) return;
    setWorking(true);
    setError(null);
    setSent(0);
    const done: Outcome = { imported: 0, alreadyThere: [] };
    try {
      for (const rows of batches(read.rows, PER_CALL)) {
        const answer = unwrap(await api.POST("/v1/assets-import", { body: { rows } }));
        done.imported += answer.imported;
        done.alreadyThere.push(...answer.already_there);
        setSent((n) => n + rows.length);
      }
    } catch (failure) {
      setError(failure);
    } finally {
      setOutcome({ ...done });
      setWorking(false);
      await queries.invalidateQueries({ queryKey: ["assets"] });
    }
  }

  const total = read?.rows.length ?? 0;
  return (
    <section>
      <h1>{t("assets.import.title")}</h1>
      <AssetsNav />
      {settings.data === null && <p className="card hint">{t("assets.noSettings")}</p>}
      {!mayKeep && settings.data && <p className="hint">{t("assets.onlyKeepers")}</p>}
      {users.isError && <ErrorNote error={users.error} onRetry={() => void users.refetch()} />}
      <div className="card asset-form">
        <p className="hint" id={`${id}-hint`}>
          {t("assets.import.hint")}
        </p>
        <p className="hint">
          {t("assets.import.columns")}: <code className="columns">{IMPORT_FIELDS.join(", ")}</code>
        </p>
        {(units.data ?? []).length > 0 && (
          <p className="hint">
            {t("assets.import.units")}:{" "}
            {thaiSorted(units.data ?? [], (u) => u.name)
              .map((u) => `${u.name} (${u.code})`)
              .join(", ")}
          </p>
        )}
        <label className="file-pick">
          <span className="label">{t("assets.import.file")}</span>
          <input
            type="file"
            accept=".csv,text/csv"
            disabled={working || !mayKeep || !settings.data || !users.data}
            aria-describedby={`${id}-hint`}
            onChange={(e) => void choose(e.target.files?.[0])}
          />
          <span className="button" aria-hidden="true">
            {t("assets.import.choose")}
          </span>
          <span>{fileName || t("assets.import.noFile")}</span>
        </label>
      </div>
      {read && read.missingColumns.length > 0 && (
        <p role="alert" className="error">
          {t("assets.import.missingColumns", { columns: read.missingColumns.join(", ") })}
        </p>
      )}
      {read && read.missingColumns.length === 0 && (
        <>
          <h2>{t("assets.import.checked")}</h2>
          <p role="status">
            {t("assets.import.summary", { ready: fmt.digits(read.rows.length), refused: fmt.digits(read.refused.length) })}
          </p>
          {read.refused.length > 0 && (
            <div className="scroll">
              <table className="register refused">
                <caption>{t("assets.import.refusedCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("assets.import.line")}</th>
                    <th scope="col">{t("assets.fields.number")}</th>
                    <th scope="col">{t("assets.import.reasons.title")}</th>
                  </tr>
                </thead>
                <tbody>
                  {read.refused.map((r) => (
                    <tr key={r.line}>
                      <td>{fmt.digits(r.line)}</td>
                      <td>{r.number || "—"}</td>
                      <td>
                        {r.problems
                          .map((p) => t(`assets.import.reasons.${p.code}`, { field: t(`assets.import.fields.${p.field}`) }))
                          .join("; ")}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="import-progress">
            <button type="button" className="primary" disabled={working || total === 0 || !mayKeep || outcome !== null} onClick={() => void send()}>
              {working ? t("assets.working") : t("assets.import.send", { rows: fmt.digits(total) })}
            </button>
            {(working || outcome) && total > 0 && (
              <label>
                {t("assets.import.progress", { sent: fmt.digits(sent), total: fmt.digits(total) })}
                <progress max={total} value={sent} />
              </label>
            )}
          </div>
        </>
      )}
      {error !== null && <ErrorNote error={error} />}
      {outcome && (
        <div className="card" role="status">
          <p className="said">{t("assets.import.done", { imported: fmt.digits(outcome.imported) })}</p>
          {outcome.alreadyThere.length > 0 && (
            <p>{t("assets.import.alreadyThere", { numbers: outcome.alreadyThere.join(", ") })}</p>
          )}
        </div>
      )}
    </section>
  );
}
