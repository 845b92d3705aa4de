import { useTranslation } from "react-i18next";
import { ApiError } from "../api/client";

/** An error as the API said it (its Thai message in Thai), or the browser's own. */
export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, i18n } = useTranslation();
  const said = error instanceof ApiError ? error.said(i18n.language) : error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="error">
      <p>{said}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t("app.retry")}
        </button>
      )}
    </div>
  );
}
