// A route as the author plans it (reviewers by person or by position, then the signer) and as a person
// on it sees it: what they may do now. The API's RouteView says whose turn it is (your_turn) and where
// the route stands; the actions follow the route's rules (functions/chalicelib/routing/domain.py).
import type { components } from "../api/schema";
import { thaiSorted } from "../format/thai";

export type RouteView = components["schemas"]["RouteView"];
export type StepView = components["schemas"]["StepView"];
export type UserSummary = components["schemas"]["UserSummary"];
export type ReviewKind = "proofread" | "review";
export type RouteAction = "forward" | "return" | "reject" | "comment";

/** A reviewer as chosen in a list: a person ("user:<id>") or whoever holds a position ("pos:<title>"). */
export type Choice = string;
export interface ReviewRow {
  kind: ReviewKind;
  choice: Choice;
}

export function userChoice(id: string): Choice {
  return `user:${id}`;
}

export function positionChoice(position: string): Choice {
  return `pos:${position}`;
}

/** A person or a position: one of the two, never both (the API refuses both or neither). */
export type Assignee = { user_id: string } | { position: string };

export function assigneeOf(choice: Choice): Assignee | null {
  if (choice.startsWith("user:") && choice.length > 5) return { user_id: choice.slice(5) };
  if (choice.startsWith("pos:") && choice.trim().length > 4) return { position: choice.slice(4) };
  return null;
}

export interface Plan {
  reviews: { kind: ReviewKind; assignee: Assignee }[];
  signers: { user_id: string; delegate: null }[];
  book: null;
}

/** The positions people hold in the agency, once each, in Thai dictionary order. */
export function positionsOf(users: readonly UserSummary[]): string[] {
  const positions = new Set(users.map((u) => u.position.trim()).filter((p) => p !== ""));
  return thaiSorted([...positions], (p) => p);
}

export type PlanProblem = "noSigner" | "incompleteReviewer";

/** The plan the API takes (reviews in order, then the signer), or what is still missing. */
export function buildPlan(reviews: readonly ReviewRow[], signer: string): Plan | PlanProblem {
  if (!signer) return "noSigner";
  const steps: Plan["reviews"] = [];
  for (const row of reviews) {
    const assignee = assigneeOf(row.choice);
    if (!assignee) return "incompleteReviewer";
    steps.push({ kind: row.kind, assignee });
  }
  return { reviews: steps, signers: [{ user_id: signer, delegate: null }], book: null };
}

/** The route's states in which a person may still act (numbering is the platform's own step). */
const OPEN = new Set(["drafting", "in_review", "signing"]);

/** The earlier steps a letter may be sent back to: before the current one, never a sign step. */
export function returnTargets(route: RouteView): StepView[] {
  return route.steps.filter((s) => s.index < route.current && s.kind !== "sign");
}

/** What the caller may do now. Forward is approve (at a sign step: sign); a signed letter cannot go back;
 * the author's own draft step only goes forward; anyone on an open route may comment. */
export function actionsFor(route: RouteView, signed: boolean): RouteAction[] {
  if (!OPEN.has(route.state)) return [];
  const actions: RouteAction[] = [];
  if (route.your_turn) {
    actions.push("forward");
    if (route.current > 0) {
      if (!signed && returnTargets(route).length > 0) actions.push("return");
      actions.push("reject");
    }
  }
  actions.push("comment");
  return actions;
}

/** The words on the forward button: submit a draft, approve a review, sign at a sign step. */
export function forwardLabel(route: RouteView): "submit" | "approve" | "sign" {
  const step = route.steps[route.current];
  if (!step || step.kind === "draft") return "submit";
  return step.kind === "sign" ? "sign" : "approve";
}

/** Who a step is for, in words: the person's name and position, or the position. */
export function assigneeName(step: Pick<StepView, "user_id" | "position">, users: readonly UserSummary[]): string {
  if (step.user_id) {
    const user = users.find((u) => u.id === step.user_id);
    return user ? [user.name, user.position].filter(Boolean).join(" · ") : step.user_id;
  }
  return step.position ?? "";
}

/** A step's state as shown: once every signer has signed, every step is done (the API's view keeps the
 * last step as its current one). */
export type ShownStepState = StepView["state"] | "stopped";

/** A step as the person reads it: every step done once signed; where a route that ended early
 * (withdrawn, rejected, failed) stopped, and nothing "current" on it any more. */
export function shownStepState(route: RouteView, step: StepView): ShownStepState {
  if (route.state === "signed") return "done";
  if (ENDED_EARLY.has(route.state) && step.state === "current") return "stopped";
  return step.state;
}

const ENDED_EARLY = new Set(["withdrawn", "rejected", "failed"]);
