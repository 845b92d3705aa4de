import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import type { DocumentView } from "./api";

type Variant = "original" | "stamped";

/** The letter's files as they came in, each to download: the original, and the receipt-stamped copy
 * once stamped. The API hands a short-lived address (a classified file has none: it is read in the page). */
export function FilesCard({ document }: { document: DocumentView }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [working, setWorking] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const ready = document.files.filter((f) => f.status === "ready");
  if (ready.length === 0) return null;

  async function download(fileId: string, variant: Variant) {
    setError(null);
    setWorking(`${fileId}-${variant}`);
    try {
      const link = unwrap(
        await api.GET("/v1/documents/{document_id}/files/{file_id}/download", {
          params: { path: { document_id: document.id, file_id: fileId }, query: { variant } },
        }),
      );
      // The address answers with Content-Disposition: attachment, so the page stays where it is.
      globalThis.location.assign(link.url);
    } catch (failure) {
      setError(failure);
    } finally {
      setWorking(null);
    }
  }

  return (
    <section className="card" aria-labelledby="files-title">
      <h2 id="files-title">{t("document.files.title")}</h2>
      <ul className="files">
        {ready.map((file) => (
          <li key={file.id}>
            <span className="name">{file.filename}</span>{" "}
            <span className="hint">
              {t(`document.files.roles.${file.role}`, { defaultValue: file.role })}
              {file.size ? ` · ${fmt.digits(Math.max(1, Math.round(file.size / 1024)))} KB` : ""}
            </span>
            <span className="buttons">
              <button
                type="button"
                disabled={working !== null}
                aria-label={t("document.files.downloadNamed", { name: file.filename })}
                onClick={() => void download(file.id, "original")}
              >
                {t("document.files.download")}
              </button>
              {file.receipt_stamped && (
                <button
                  type="button"
                  disabled={working !== null}
                  aria-label={t("document.files.downloadStampedNamed", { name: file.filename })}
                  onClick={() => void download(file.id, "stamped")}
                >
                  {t("document.files.downloadStamped")}
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
      {error !== null && <ErrorNote error={error} />}
    </section>
  );
}
