// Sharing a room or vehicle with other agencies on the platform, and a resource's calendar address:
// what the resources screen shows and sends (PUT /v1/resources/{id}/sharing takes the agencies' ids).
import { thaiSorted } from "../format/thai";

export interface Agency {
  id: string;
  name: string;
}

export interface AgencyChoice {
  id: string;
  name: string;
  /** false: shared with an agency the platform no longer lists (saving refuses it until it is unticked) */
  listed: boolean;
}

/** An agency by the name its people know it by, else its id. */
export function agencyName(id: string, agencies: readonly Agency[] | undefined): string {
  return agencies?.find((a) => a.id === id)?.name ?? id;
}

/** The agencies to tick, in Thai dictionary order, those shared with but no longer listed last (by id). */
export function sharingChoices(agencies: readonly Agency[], current: readonly string[]): AgencyChoice[] {
  const listed = thaiSorted(
    agencies.map((a) => ({ id: a.id, name: a.name, listed: true })),
    (a) => a.name,
  );
  const gone = current.filter((id) => !agencies.some((a) => a.id === id)).map((id) => ({ id, name: id, listed: false }));
  return [...listed, ...gone];
}

/** The choices a filter keeps (by part of the name or id; Thai as typed): the ticked ones always stay. */
export function filterChoices(choices: readonly AgencyChoice[], words: string, ticked: readonly string[]): AgencyChoice[] {
  const wanted = words.trim().toLocaleLowerCase("th");
  if (!wanted) return [...choices];
  return choices.filter((c) => ticked.includes(c.id) || c.name.toLocaleLowerCase("th").includes(wanted) || c.id.includes(wanted));
}

/** Ticked or unticked: the list sent, in the order shown. */
export function toggled(chosen: readonly string[], id: string, on: boolean): string[] {
  return on ? (chosen.includes(id) ? [...chosen] : [...chosen, id]) : chosen.filter((c) => c !== id);
}

/** Whether what is ticked differs from what is stored (order aside). */
export function changed(chosen: readonly string[], stored: readonly string[]): boolean {
  return chosen.length !== stored.length || chosen.some((id) => !stored.includes(id));
}

/** The calendar's full address, for a calendar program: the API answers with its path under the site. */
export function feedAddress(origin: string, path: string): string {
  return new URL(path, origin).toString();
}
