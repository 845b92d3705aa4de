// Small rules for showing a document's record: who an actor is, how an audit action is looked up among
// the words, and how a line of a unified diff is marked.
import type { UserSummary } from "./route";

/** A person's name and position; the platform's own actors (system:...) by one word; else the id. */
export function actorName(actor: string, users: readonly UserSummary[], platform: string): string {
  if (actor.startsWith("system")) return platform;
  const user = users.find((u) => u.id === actor);
  return user ? `${user.name} (${user.position})` : actor;
}

/** The words' key for an audit action: `route.forward` → `route_forward` (a dot nests keys). */
export function historyKey(action: string): string {
  return action.replace(/\./g, "_");
}

export function diffLineKind(line: string): "add" | "del" | "same" {
  if (line.startsWith("+")) return "add";
  if (line.startsWith("-")) return "del";
  return "same";
}

/** The common name in a certificate's name as the report writes it ("Common Name: X; Organization: ..."
 * or with commas): what an officer reads, the rest is detail. */
export function commonName(name: string): string {
  const found = /Common Name: (.+?)(?:[;,] (?:Organizational Unit|Organization|Country|Locality|State or Province|Email Address|Serial Number)\b|$)/.exec(
    name,
  );
  return found?.[1]?.trim() ?? name;
}

/** Unchanged in what was signed: intact, and changed after signing only in the ways allowed (the
 * validation data and timestamps a long-term signature adds). */
export function unchangedSinceSigning(check: {
  intact: boolean;
  modified_after_signing: boolean;
  modifications_permitted: boolean | null;
}): boolean {
  return check.intact && (!check.modified_after_signing || check.modifications_permitted === true);
}
