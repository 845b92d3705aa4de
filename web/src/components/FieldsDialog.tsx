import { useEffect, useId, useRef, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNote } from "./ErrorNote";

export interface Field {
  name: string;
  label: string;
  required?: boolean;
  multiline?: boolean;
  hint?: string;
  initial?: string;
}

/** A modal with a few labelled fields (why a letter is sent back; a hold's reason and reference; who took
 * a record, who brought it back): the native dialog, opened with showModal, so the page behind is inert;
 * Tab and Shift+Tab go round its own controls; Escape closes it; focus goes back to the button that opened
 * it; what was typed stays when the API refuses. */
export function FieldsDialog({
  title,
  summary,
  fields,
  submit,
  onSubmit,
  onClose,
}: {
  title: string;
  summary?: string | undefined;
  fields: Field[];
  submit: string;
  onSubmit: (values: Record<string, string>) => Promise<unknown>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.name, f.initial ?? ""])));
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
      await onSubmit(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim()])));
      onClose();
    } catch (failure) {
      setError(failure);
    } finally {
      setWorking(false);
    }
  }

  const missing = fields.some((f) => f.required && !(values[f.name] ?? "").trim());
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
        {fields.map((f) => (
          <label key={f.name} className="dialog-field">
            {f.label}
            {f.hint && <span className="hint">{f.hint}</span>}
            {f.multiline ? (
              <textarea
                required={f.required}
                rows={3}
                maxLength={500}
                value={values[f.name] ?? ""}
                onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
              />
            ) : (
              <input
                required={f.required}
                maxLength={200}
                value={values[f.name] ?? ""}
                onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
              />
            )}
          </label>
        ))}
        {error !== null && <ErrorNote error={error} />}
        <div className="actions">
          <button type="submit" className="primary" disabled={working || missing}>
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
