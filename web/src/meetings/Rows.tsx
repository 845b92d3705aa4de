import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNote } from "../components/ErrorNote";

/** A row of a list typed in a form (a committee's members, a meeting's agenda), with a key of its own. */
export interface KeyedRow {
  key: string;
}

/** The rows a form grows and shrinks: each row's own fields (`children`, given the row, its number from
 * 1 and a change to it), a remove button per row (never the last one) and an add button under them. */
export function Rows<T extends KeyedRow>({
  rows,
  onRows,
  make,
  className,
  removeLabel,
  addLabel,
  children,
}: {
  rows: readonly T[];
  onRows: (rows: T[]) => void;
  /** a new, empty row for the add button */
  make: () => T;
  /** the <li>'s class, which lays the row's fields out (member-row, agenda-row) */
  className: string;
  /** what the remove button of row n says to a screen reader */
  removeLabel: (n: number) => string;
  addLabel: string;
  children: (row: T, n: number, change: (patch: Partial<T>) => void) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
      <ol className="rows">
        {rows.map((row, index) => {
          const n = index + 1;
          const change = (patch: Partial<T>) => onRows(rows.map((r) => (r.key === row.key ? { ...r, ...patch } : r)));
          return (
            <li key={row.key} className={className}>
              {children(row, n, change)}
              <button
                type="button"
                className="remove"
                disabled={rows.length === 1}
                aria-label={removeLabel(n)}
                onClick={() => onRows(rows.filter((r) => r.key !== row.key))}
              >
                {t("meetings.remove")}
              </button>
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={() => onRows([...rows, make()])}>
        {addLabel}
      </button>
    </>
  );
}

/** A labelled line of text in a row (the label says the row's number). */
export function TextField({ label, value, onChange, maxLength }: { label: string; value: string; onChange: (value: string) => void; maxLength: number }) {
  return (
    <label>
      {label}
      <input maxLength={maxLength} value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

/** The agency's people as a <select>'s options: name (position), in the directory's Thai order. */
export function PeopleOptions({ people }: { people: readonly { id: string; name: string; position: string }[] }) {
  return (
    <>
      {people.map((u) => (
        <option key={u.id} value={u.id}>
          {u.name} ({u.position})
        </option>
      ))}
    </>
  );
}

/** The end of a form: why it was not sent (checked here), the API's refusal, and the submit button,
 * disabled while the request runs. */
export function FormEnd({ problem, error, pending, submit }: { problem: string | null; error: unknown; pending: boolean; submit: string }) {
  const { t } = useTranslation();
  return (
    <>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {error !== null && error !== undefined && <ErrorNote error={error} />}
      <button type="submit" disabled={pending}>
        {pending ? t("meetings.working") : submit}
      </button>
    </>
  );
}
