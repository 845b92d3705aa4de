import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import * as pdfjs from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";
import { currentToken } from "../auth/session";

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

/** The letter's pages drawn by pdf.js from the PDF's own embedded (Thai) fonts: what is signed is what
 * is seen. Loaded only on a document's page, in its own chunk. */
export default function PdfPreview({ documentId, src }: { documentId: string; src?: string }) {
  const { t } = useTranslation();
  const holder = useRef<HTMLDivElement>(null);
  const [pages, setPages] = useState(0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    const task = pdfjs.getDocument({
      // `src`: one file of the document instead (e.g. its receipt-stamped copy).
      url: src ?? `/v1/documents/${encodeURIComponent(documentId)}/pdf/content`,
      httpHeaders: { Authorization: `Bearer ${currentToken() ?? ""}`, Accept: "application/pdf" },
      isEvalSupported: false, // no eval: the page's Content-Security-Policy forbids it
    });
    void task.promise
      .then(async (pdf) => {
        const target = holder.current;
        if (cancelled || !target) return;
        target.replaceChildren();
        setPages(pdf.numPages);
        for (let number = 1; number <= pdf.numPages; number++) {
          const page = await pdf.getPage(number);
          const viewport = page.getViewport({ scale: 1.3 });
          const canvas = document.createElement("canvas");
          canvas.width = viewport.width;
          canvas.height = viewport.height;
          canvas.setAttribute("role", "img");
          canvas.setAttribute("aria-label", t("document.page", { page: number, pages: pdf.numPages }));
          target.append(canvas);
          await page.render({ canvas, viewport }).promise;
        }
      })
      .catch((failure: unknown) => {
        if (!cancelled) setError(failure instanceof Error ? failure.message : String(failure));
      });
    return () => {
      cancelled = true;
      void task.destroy();
    };
  }, [documentId, src, t]);

  if (error) return <p className="hint">{t("document.noPdf")}</p>;
  // The canvases go into a node of their own: React manages its siblings, never its children.
  return (
    <div className="pdf" aria-busy={pages === 0}>
      {pages === 0 && <p>{t("app.loading")}</p>}
      <div ref={holder} />
    </div>
  );
}
