import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { ErrorNote } from "../components/ErrorNote";
import { Urgency } from "../components/Urgency";
import type { DocumentView } from "../letters/api";
import { ExchangeCard } from "../letters/ExchangeCard";
import { HandlingCard } from "../letters/HandlingCard";
import { FilesCard } from "../letters/FilesCard";
import { useBookName } from "../registers/books";
import { HistoryCard, SignaturesCard, VersionsCard } from "../letters/RecordCards";
import { RouteCard } from "../letters/RouteCard";
import "../letters/letters.css";
import { useFormat } from "../format/useFormat";

const PdfPreview = lazy(() => import("../components/PdfPreview"));

/** The PDF shown changes when a signature is added or a new main file (the numbered rendering) is ready. */
function previewKey(document: DocumentView): string {
  const ready = document.files.filter((f) => f.role === "main" && f.status === "ready").map((f) => f.id);
  return `${document.id}:${document.signatures.length}:${ready.join(",")}`;
}

export function DocumentPage() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const bookName = useBookName();
  const { documentId } = useParams({ from: "/documents/$documentId" });
  const document = useQuery({
    queryKey: ["document", documentId],
    queryFn: async () =>
      unwrap(await api.GET("/v1/documents/{document_id}", { params: { path: { document_id: documentId } } })),
  });
  const th = i18n.language === "th";
  return (
    <section>
      <p>
        <Link to="/">← {t("document.back")}</Link>
      </p>
      {document.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {document.isError && <ErrorNote error={document.error} onRetry={() => void document.refetch()} />}
      {document.data && (
        <div className="document">
          <div className="stack">
          <div className="fields card">
            <h1>{document.data.subject}</h1>
            <dl>
              <dt>{t("document.fields.kind")}</dt>
              <dd>{th ? document.data.kind_th : document.data.kind}</dd>
              <dt>{t("document.fields.reference")}</dt>
              {/* the number as the letter prints it after ที่ (the label says ที่ already) */}
              <dd>{document.data.reference?.replace(/^ที่\s*/, "") ?? "—"}</dd>
              <dt>{t("document.fields.date")}</dt>
              <dd>{fmt.date(document.data.letter_date)}</dd>
              <dt>{t("document.fields.from")}</dt>
              <dd>{[document.data.sender.position || document.data.sender.name, document.data.sender.agency].filter(Boolean).join(" ") || "—"}</dd>
              <dt>{t("document.fields.to")}</dt>
              <dd>{[document.data.recipient.position || document.data.recipient.name, document.data.recipient.agency].filter(Boolean).join(" ") || "—"}</dd>
              <dt>{t("inbox.columns.urgency")}</dt>
              <dd>
                <Urgency value={document.data.urgency} />
              </dd>
              <dt>{t("document.fields.secrecy")}</dt>
              <dd>{th ? document.data.secrecy_th : document.data.secrecy}</dd>
            </dl>
            <h2>{t("document.registrations")}</h2>
            <ul>
              {document.data.registrations.map((r) => (
                <li key={`${r.book}-${r.year}-${r.number}`}>
                  {t("document.registration", { book: bookName(r.book), number: fmt.digits(r.number), year: fmt.digits(r.year) })}
                  {r.ref_line ? ` (${fmt.digits(r.ref_line)})` : ""}
                </li>
              ))}
            </ul>
          </div>
          <RouteCard document={document.data} />
          <SignaturesCard document={document.data} />
          <ExchangeCard document={document.data} />
          <HandlingCard document={document.data} />
          </div>
          <div className="preview">
            <h2>{t("document.pdf")}</h2>
            <Suspense fallback={<p>{t("app.loading")}</p>}>
              {/* drawn again when the letter changes: rendered with its number, or signed */}
              <PdfPreview key={previewKey(document.data)} documentId={documentId} />
            </Suspense>
            <FilesCard document={document.data} />
          </div>
        </div>
      )}
      {document.data && (
        <div className="stack record-below">
          <VersionsCard documentId={documentId} since={null} />
          <HistoryCard documentId={documentId} />
        </div>
      )}
    </section>
  );
}
