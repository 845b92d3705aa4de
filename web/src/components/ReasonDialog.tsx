import { useEffect, useId, useRef, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNote } from "./ErrorNote";

/** A modal asking why (cancel a register entry, send a letter back, find it invalid): the native dialog,
 * opened with showModal, so the page behind is inert; Tab and Shift+Tab go round its own controls; Escape
 * closes it; focus goes back to the button that opened it. The reason typed stays when the API refuses. */
export function ReasonDialog({
  title,
  summary,
  label,
  submit,
  onSubmit,
  onClose,
}: {
  title: string;
  summary?: string;
  label: string;
  submit: string;
  onSubmit: (reason: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [working, setWorking] = useState(false);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const node = dialog.current;
    if (node && !node.open) node.showModal();
    return () => {
      if (node?.open) node.close();
      opener?.focus();
    };
  }, []);

  async function send(event: SyntheticEvent) {
    event.preventDefault();
    setWorking(true);
    setError(null);
    try {
      await onSubmit(reason.trim());
      onClose();
    } catch (failure) {
      setError(failure);
    } finally {
      setWorking(false);
    }
  }

  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      className="card modal"
      onKeyDown={(event) => {
        // Tab goes round the dialog's own controls: the browser would otherwise leave the page for its toolbar.
        if (event.key !== "Tab") return;
        const inside = [...event.currentTarget.querySelectorAll<HTMLElement>("textarea, input, select, button, a[href]")].filter(
          (e) => !e.matches(":disabled"),
        );
        const first = inside[0];
        const last = inside.at(-1);
        if (!first || !last) return;
        if (event.shiftKey && document.activeElement === first) {
          event.preventDefault();
          last.focus();
        } else if (!event.shiftKey && document.activeElement === last) {
          event.preventDefault();
          first.focus();
        }
      }}
      onCancel={(event) => {
        event.preventDefault(); // closed by React, so that the state and the node agree
        onClose();
      }}
    >
      <form onSubmit={(e) => void send(e)}>
        <h2 id={titleId}>{title}</h2>
        {summary && <p>{summary}</p>}
        <label>
          {label}
          <textarea required rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
        {error !== null && <ErrorNote error={error} />}
        <div className="actions">
          <button type="submit" disabled={working || !reason.trim()}>
            {working ? t("dialog.working") : submit}
          </button>
          <button type="button" onClick={onClose}>
            {t("dialog.close")}
          </button>
        </div>
      </form>
    </dialog>
  );
}
