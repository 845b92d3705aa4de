// The agency administrator's screens, their pure parts: who is who (roles, positions), delegations' end
// dates as a Thai office types them, route templates as rows of a form and back, the signer keys'
// inventory read for what needs the administrator's attention, and the calendar address.
import type { components } from "../api/schema";
import { parseBuddhistDate, toBuddhistInput, type DateProblem } from "../format/buddhistDate";
import { thaiSorted } from "../format/thai";

export type UserSummary = components["schemas"]["UserSummary"];
type Named = { user_id?: string | null; position?: string | null };
/** A kept template's plan, as GET /v1/route-templates/{kind} answers it. */
export interface RoutePlan {
  reviews?: { kind: "proofread" | "review"; assignee: Named }[];
  signers: Named[];
  book: string | null;
}
export type SigningKey = components["schemas"]["SigningKey"];
export type DelegationKind = "acting" | "on_behalf";

/** The roles the platform knows, in the order a list shows them. */
export const ROLES = ["admin", "saraban", "records", "director", "head", "staff"] as const;
/** The kinds of document a route template is kept for (ระเบียบงานสารบรรณ: the six kinds). */
export const KINDS = ["external", "internal", "stamped", "directive", "public_relations", "record"] as const;
export type Kind = (typeof KINDS)[number];

export function isKind(value: string): value is Kind {
  return (KINDS as readonly string[]).includes(value);
}

/** A user's roles in the list's order, the unknown ones last as they are. */
export function orderedRoles(roles: readonly string[]): string[] {
  const known = ROLES.filter((r) => roles.includes(r));
  return [...known, ...roles.filter((r) => !(ROLES as readonly string[]).includes(r))];
}

/** How many active users hold each role. */
export function roleCounts(users: readonly UserSummary[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const u of users) for (const r of u.roles) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

/** Users whose name, username or position contains the typed words (any case), in the API's order (Thai
 * dictionary order of the name without its title: re-sorting the printed name would sort by นาย/นาง). */
export function findUsers(users: readonly UserSummary[], typed: string, role = ""): UserSummary[] {
  const words = typed.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return users.filter((u) => {
    if (role && !u.roles.includes(role)) return false;
    const text = `${u.name} ${u.username} ${u.position}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** The positions held in the agency, once each, in Thai dictionary order. */
export function positionsOf(users: readonly UserSummary[]): string[] {
  return thaiSorted([...new Set(users.map((u) => u.position.trim()).filter(Boolean))], (p) => p);
}

// -- delegations ------------------------------------------------------------------------------------
/** A delegation as the form holds it: the end date as typed (dd/mm/yyyy พ.ศ.), empty for none. */
export interface DelegationRow {
  kind: DelegationKind;
  fromUser: string;
  orderReference: string;
  until: string;
}

export const EMPTY_DELEGATION: DelegationRow = { kind: "acting", fromUser: "", orderReference: "", until: "" };

export type DelegationProblem = "fromUser" | "orderReference" | DateProblem;
export interface DelegationOrder {
  kind: DelegationKind;
  from_user: string;
  order_reference: string;
  until: string | null;
}

/** The end of the typed day in Bangkok (a delegation lasts through its last day), with its time zone. */
export function endOfDayBangkok(typed: string): { ok: true; iso: string | null } | { ok: false; problem: DateProblem } {
  const parsed = parseBuddhistDate(typed);
  if (parsed === null) return { ok: true, iso: null };
  if (!parsed.ok) return parsed;
  return { ok: true, iso: `${parsed.iso}T23:59:59+07:00` };
}

/** The API's delegations (PUT /v1/users/{id}/delegations) from the form's rows, or each row's problem. */
export function delegationOrders(
  rows: readonly DelegationRow[],
): { orders: DelegationOrder[] } | { problems: (DelegationProblem | null)[] } {
  const orders: DelegationOrder[] = [];
  const problems: (DelegationProblem | null)[] = [];
  for (const row of rows) {
    const until = endOfDayBangkok(row.until);
    const problem: DelegationProblem | null = !row.fromUser
      ? "fromUser"
      : !row.orderReference.trim()
        ? "orderReference"
        : !until.ok
          ? until.problem
          : null;
    problems.push(problem);
    if (problem === null && until.ok) {
      orders.push({ kind: row.kind, from_user: row.fromUser, order_reference: row.orderReference.trim(), until: until.iso });
    }
  }
  return problems.some((p) => p !== null) ? { problems } : { orders };
}

/** A stored delegation back into the form (its end date as the Bangkok day, in พ.ศ.). */
export function delegationRow(d: { kind: string; from_user: string; order_reference: string; until: string | null }): DelegationRow {
  return {
    kind: d.kind === "on_behalf" ? "on_behalf" : "acting",
    fromUser: d.from_user,
    orderReference: d.order_reference,
    until: d.until ? toBuddhistInput(bangkokDay(d.until)) : "",
  };
}

/** The Bangkok calendar day (yyyy-mm-dd) of a moment. */
export function bangkokDay(moment: string | Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Bangkok", year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(moment),
  );
}

// -- route templates --------------------------------------------------------------------------------
/** A person ("user:<id>") or whoever holds a position ("pos:<title>"), as chosen in a list. */
export type Choice = string;
export type StepKind = "proofread" | "review";
export interface StepRow {
  kind: StepKind;
  choice: Choice;
}
export interface TemplateForm {
  reviews: StepRow[];
  signers: Choice[];
  book: string;
}
export const EMPTY_TEMPLATE: TemplateForm = { reviews: [], signers: [""], book: "" };

/** A person or a position: one of the two, never both (the API refuses both or neither). */
export type Assignee = { user_id: string } | { position: string };
/** What PUT /v1/route-templates/{kind} takes. */
export interface PlanBody {
  reviews: { kind: StepKind; assignee: Assignee }[];
  signers: (({ user_id: string } | { position: string }) & { delegate: null })[];
  book: string | null;
}

export function choiceOf(assignee: { user_id?: string | null; position?: string | null }): Choice {
  if (assignee.user_id) return `user:${assignee.user_id}`;
  if (assignee.position) return `pos:${assignee.position}`;
  return "";
}

export function assigneeOf(choice: Choice): Assignee | null {
  if (choice.startsWith("user:") && choice.length > 5) return { user_id: choice.slice(5) };
  if (choice.startsWith("pos:") && choice.slice(4).trim()) return { position: choice.slice(4) };
  return null;
}

/** A stored template as the form shows it. */
export function templateForm(plan: RoutePlan): TemplateForm {
  return {
    reviews: (plan.reviews ?? []).map((r) => ({ kind: r.kind, choice: choiceOf(r.assignee) })),
    signers: plan.signers.length ? plan.signers.map((s) => choiceOf(s)) : [""],
    book: plan.book ?? "",
  };
}

export type TemplateProblem = "noSigner" | "incompleteStep";

/** The plan the API keeps (PUT /v1/route-templates/{kind}), or what is still missing. A template names
 * no delegate: a delegation is for a time, and the author names one when starting a letter's route. */
export function templatePlan(form: TemplateForm): PlanBody | TemplateProblem {
  const reviews: PlanBody["reviews"] = [];
  for (const row of form.reviews) {
    const assignee = assigneeOf(row.choice);
    if (!assignee) return "incompleteStep";
    reviews.push({ kind: row.kind, assignee });
  }
  const chosen = form.signers.filter((s) => s !== "");
  if (chosen.length === 0) return "noSigner";
  const signers: PlanBody["signers"] = [];
  for (const choice of form.signers) {
    const assignee = assigneeOf(choice);
    if (!assignee) return "incompleteStep";
    signers.push({ ...assignee, delegate: null });
  }
  return { reviews, signers, book: form.book || null };
}

/** Move a row one place up (-1) or down (+1); the list unchanged at either end. */
export function moved<T>(rows: readonly T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  if (index < 0 || index >= rows.length || to < 0 || to >= rows.length) return [...rows];
  const next = [...rows];
  const [row] = next.splice(index, 1);
  if (row !== undefined) next.splice(to, 0, row);
  return next;
}

// -- signer keys ------------------------------------------------------------------------------------
export type KeyAttention = "awaiting" | "retiring" | "deleting" | null;

/** What a key needs from the administrator: a certificate still to ask the CA for, or a key being retired. */
export function keyAttention(key: SigningKey): KeyAttention {
  if (key.state === "pending_deletion") return "deleting";
  if (key.state === "disabled") return "retiring";
  if (key.certificate === "awaiting") return "awaiting";
  return null;
}

// -- the calendar address ---------------------------------------------------------------------------
/** The whole address a calendar program subscribes to, from the API's path (/v1/calendar/<token>). */
export function feedAddress(origin: string, path: string): string {
  return new URL(path, origin).toString();
}
