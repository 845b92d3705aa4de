import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { ErrorNote } from "../components/ErrorNote";
import { useUsers, validateCurrentPdf, type DocumentView } from "./api";
import { actorName, commonName, diffLineKind, historyKey, unchangedSinceSigning } from "./record";
import { useFormat } from "../format/useFormat";

/** The signatures on the letter and what validating its PDF found (POST /v1/validate on the PDF as it
 * stands: the same check anyone receiving it can make). */
export function SignaturesCard({ document }: { document: DocumentView }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const count = document.signatures.length;
  const report = useQuery({
    queryKey: ["validation", document.id, count],
    queryFn: () => validateCurrentPdf(document.id),
    enabled: count > 0,
    staleTime: Infinity,
  });
  const language = i18n.language;
  const users = useUsers();
  const signerName = (id: string) => users.data?.find((u) => u.id === id)?.name ?? id;
  const when = (value: string | null | undefined) => fmt.dateTime(value);
  const yes = (value: boolean) => (value ? t("record.signatures.yes") : t("record.signatures.no"));
  return (
    <section className="card record" aria-labelledby="signatures-title">
      <h2 id="signatures-title">{t("record.signatures.title")}</h2>
      {count === 0 ? (
        <p>{t("document.noSignatures")}</p>
      ) : (
        <ul className="plain">
          {document.signatures.map((s) => (
            <li key={s.slot}>
              {t("document.signed", { signer: signerName(s.signed_by), level: s.level })} ·{" "}
              <span className="when">{fmt.dateTime(s.signed_at)}</span>
            </li>
          ))}
        </ul>
      )}
      {count > 0 && report.isPending && (
        <p className="status-line" role="status" aria-busy="true">
          {t("record.signatures.validating")}
        </p>
      )}
      {report.isError && <ErrorNote error={report.error} onRetry={() => void report.refetch()} />}
      {report.data && (
        <div data-testid="validation">
          <p>
            <strong className={`badge ${report.data.all_valid ? "good" : "bad"}`}>
              {report.data.all_valid ? t("record.signatures.allValid") : t("record.signatures.notValid")}
            </strong>{" "}
            {report.data.all_valid && <span>{t("record.signatures.allValidDetail")}</span>}
          </p>
          {!report.data.readable && (
            <p className="error">{(language === "th" ? report.data.error_th : report.data.error) ?? ""}</p>
          )}
          {report.data.signatures.map((check) => (
            <div key={check.field_name}>
            <dl>
              <dt>{t(`record.signatures.kinds.${check.kind}`, { defaultValue: check.kind })}</dt>
              <dd>
                <strong className={`badge ${check.bottom_line ? "good" : "bad"}`}>
                  {check.bottom_line ? t("record.signatures.valid") : t("record.signatures.invalid")}
                </strong>
              </dd>
              <dt>{t("record.signatures.fields.signer")}</dt>
              <dd>{check.signer.common_name ?? commonName(check.signer.subject)}</dd>
              <dt>{t("record.signatures.fields.issuer")}</dt>
              <dd>{commonName(check.signer.issuer)}</dd>
              <dt>{t("record.signatures.fields.signingTime")}</dt>
              <dd>{when(check.timestamp?.time ?? check.signing_time)}</dd>
              {check.timestamp && (
                <>
                  <dt>{t("record.signatures.fields.timestamp")}</dt>
                  <dd>{check.timestamp.tsa.common_name ?? commonName(check.timestamp.tsa.subject)}</dd>
                </>
              )}
              {check.pades_level && (
                <>
                  <dt>{t("record.signatures.fields.level")}</dt>
                  <dd>{check.pades_level}</dd>
                </>
              )}
              <dt>{t("record.signatures.fields.intact")}</dt>
              <dd>{yes(unchangedSinceSigning(check))}</dd>
              <dt>{t("record.signatures.fields.trusted")}</dt>
              <dd>{yes(check.trusted)}</dd>
              <dt>{t("record.signatures.fields.revocation")}</dt>
              <dd>{t(`record.signatures.revocation.${check.revocation.status}`, { defaultValue: check.revocation.status })}</dd>
            </dl>
            <details>
              <summary>{t("record.signatures.technical")}</summary>
              <code>{check.summary}</code>
            </details>
            </div>
          ))}
          <p className="when">{t("record.signatures.validatedAt", { when: when(report.data.validated_at) })}</p>
        </div>
      )}
    </section>
  );
}

/** The draft's revisions, who made each and what it changed; and the changes between two of them. */
export function VersionsCard({ documentId, since }: { documentId: string; since: number | null }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const users = useUsers();
  const path = { params: { path: { document_id: documentId } } };
  const revisions = useQuery({
    queryKey: ["revisions", documentId],
    queryFn: async () => unwrap(await api.GET("/v1/documents/{document_id}/revisions", path)),
  });
  const [chosen, setChosen] = useState<number | null>(null);
  const [shown, setShown] = useState<number | null>(null);
  const diff = useQuery({
    queryKey: ["revisions", documentId, "diff", shown],
    queryFn: async () =>
      unwrap(
        await api.GET("/v1/documents/{document_id}/revisions/diff", {
          params: { path: { document_id: documentId }, query: { from: shown ?? 1 } },
        }),
      ),
    enabled: shown !== null,
  });
  const fields = (names: string[]) => names.map((n) => t(`record.versions.fields.${n}`, { defaultValue: n })).join(", ");
  const list = revisions.data?.revisions ?? [];
  const current = revisions.data?.current ?? 1;
  const earlier = list.filter((r) => r.revision < current);
  const from = chosen ?? (since !== null && since < current ? since : earlier.at(-1)?.revision ?? 1);
  return (
    <section className="card record" aria-labelledby="versions-title">
      <h2 id="versions-title">{t("record.versions.title")}</h2>
      {revisions.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {revisions.isError && <ErrorNote error={revisions.error} onRetry={() => void revisions.refetch()} />}
      {revisions.data && list.length < 2 && <p>{t("record.versions.none")}</p>}
      {list.length >= 2 && (
        <>
          <ol className="plain">
            {list.map((r) => (
              <li key={r.revision}>
                <strong>{t("record.versions.revision", { n: r.revision })}</strong>
                {r.revision === current && ` (${t("record.versions.current")})`} ·{" "}
                {t("record.versions.by", { name: actorName(r.by, users.data ?? [], t("record.history.system")) })} ·{" "}
                <span className="when">{fmt.dateTime(r.at)}</span>
                <div className="when">
                  {r.changed.length > 0 ? t("record.versions.changed", { fields: fields(r.changed) }) : t("record.versions.first")}
                </div>
              </li>
            ))}
          </ol>
          <form
            className="buttons"
            onSubmit={(e) => {
              e.preventDefault();
              setShown(from);
            }}
          >
            <label htmlFor={`${documentId}-diff-from`}>{t("record.versions.from")}</label>
            <select id={`${documentId}-diff-from`} value={from} onChange={(e) => setChosen(Number(e.target.value))}>
                {earlier.map((r) => (
                  <option key={r.revision} value={r.revision}>
                    {t("record.versions.revision", { n: r.revision })}
                  </option>
                ))}
            </select>
            <button type="submit">{t("record.versions.show")}</button>
          </form>
        </>
      )}
      {diff.isError && <ErrorNote error={diff.error} onRetry={() => void diff.refetch()} />}
      {diff.data && (
        <div>
          <p>
            {t("record.versions.revision", { n: diff.data.from_revision })} → {t("record.versions.revision", { n: diff.data.to_revision })}
          </p>
          {diff.data.changes.length === 0 && <p>{t("record.versions.noChanges")}</p>}
          {diff.data.changes.map((change) => (
            <div key={change.field}>
              <h3>{t(`record.versions.fields.${change.field}`, { defaultValue: change.field })}</h3>
              <pre className="diff">
                {change.diff
                  .filter((line) => !line.startsWith("@@"))
                  .map((line, i) => (
                    <span key={i} className={diffLineKind(line)}>
                      {line}
                      {"\n"}
                    </span>
                  ))}
              </pre>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}

/** The document's audit trail: who did what, when, with the comments given on the route. */
export function HistoryCard({ documentId }: { documentId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const users = useUsers();
  const history = useQuery({
    queryKey: ["history", documentId],
    queryFn: async () =>
      unwrap(await api.GET("/v1/documents/{document_id}/history", { params: { path: { document_id: documentId } } })),
  });
  return (
    <section className="card record" aria-labelledby="history-title">
      <h2 id="history-title">{t("record.history.title")}</h2>
      {history.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {history.isError && <ErrorNote error={history.error} onRetry={() => void history.refetch()} />}
      {history.data?.events.length === 0 && <p>{t("record.history.none")}</p>}
      {history.data && history.data.events.length > 0 && (
        <ol className="plain">
          {history.data.events.map((event, i) => {
            const comment = typeof event.after?.comment === "string" ? event.after.comment : "";
            return (
              <li key={i}>
                <span className="when">{fmt.dateTime(event.at)}</span> ·{" "}
                <strong>{t(`record.history.actions.${historyKey(event.action)}`, { defaultValue: event.action })}</strong> ·{" "}
                {actorName(event.actor, users.data ?? [], t("record.history.system"))}
                {comment && <div>{t("record.history.comment", { comment })}</div>}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
