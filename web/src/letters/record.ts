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
