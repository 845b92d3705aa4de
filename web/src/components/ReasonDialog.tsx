import { FieldsDialog } from "./FieldsDialog";

/** A modal asking why (cancel a register entry, send a letter back, find it invalid, decline a booking):
 * one required reason in a FieldsDialog, which keeps what was typed when the API refuses. */
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
  return (
    <FieldsDialog
      title={title}
      summary={summary}
      submit={submit}
      fields={[{ name: "reason", label, required: true, multiline: true }]}
      onSubmit={(values) => onSubmit(values.reason ?? "")}
      onClose={onClose}
    />
  );
}
