// The letterhead form: what the API keeps (address lines, contact, units' contact lines) as the fields
// a person edits, and back.
import type { components } from "../api/schema";

type Letterhead = components["schemas"]["Letterhead"];
type LetterheadCommand = components["schemas"]["LetterheadCommand"];

export const ADDRESS_LINES = 4;
export const UNIT_LINES = 4;

export interface LetterheadFields {
  address: string[];
  telephone: string;
  fax: string;
  email: string;
  /** Each unit's contact lines, one a line, as typed. */
  units: { unitId: string; lines: string }[];
}

export function letterheadFields(head: Letterhead, unitIds: readonly string[]): LetterheadFields {
  const address = [...head.address_lines.slice(0, ADDRESS_LINES)];
  while (address.length < ADDRESS_LINES) address.push("");
  return {
    address,
    telephone: head.telephone,
    fax: head.fax,
    email: head.email,
    units: unitIds.map((unitId) => ({
      unitId,
      lines: (head.units.find((u) => u.unit_id === unitId)?.contact_lines ?? []).join("\n"),
    })),
  };
}

function lines(text: string, most: number): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, most);
}

/** The command for PUT /v1/agency/letterhead: empty lines dropped, every unit sent (none: its lines cleared). */
export function letterheadCommand(fields: LetterheadFields): LetterheadCommand {
  return {
    address_lines: fields.address.map((l) => l.trim()).filter(Boolean),
    telephone: fields.telephone.trim(),
    fax: fields.fax.trim(),
    email: fields.email.trim(),
    units: fields.units.map((u) => ({ unit_id: u.unitId, contact_lines: lines(u.lines, UNIT_LINES) })),
  };
}
