// The yearly destruction (ระเบียบงานสารบรรณ ข้อ 66–70) as steps: which are done, which is now, who acts
// next. Pure, so that the screen and its tests agree with archive/destruction.py's states.

export const STATES = ["surveying", "surveyed", "reviewing", "reported", "approved", "sent", "consented", "destroying", "destroyed"] as const;
export type State = (typeof STATES)[number];

/** The steps a list goes through, each with the state in which it is the one to do. */
export const STEPS = [
  { key: "survey", during: "surveying" },
  { key: "committee", during: "surveyed" },
  { key: "review", during: "reviewing" },
  { key: "approve", during: "reported" },
  { key: "send", during: "approved" },
  { key: "answer", during: "sent" },
  { key: "destroy", during: "consented" },
  { key: "record", during: "destroying" },
] as const;
export type Step = (typeof STEPS)[number]["key"];

function order(state: string): number {
  const found = STATES.indexOf(state as State);
  return found < 0 ? 0 : found;
}

/** done: finished; now: the list waits for it; later: not yet. */
export function stepStatus(state: string, step: Step): "done" | "now" | "later" {
  const during = STEPS.find((s) => s.key === step)?.during ?? "surveying";
  if (state === "destroyed") return "done";
  const here = order(state);
  const at = order(during);
  return here > at ? "done" : here === at ? "now" : "later";
}

/** The step the list waits for, or null when it is finished. */
export function currentStep(state: string): Step | null {
  return STEPS.find((s) => stepStatus(state, s.key) === "now")?.key ?? null;
}

export interface Committee {
  user_id: string;
  role: "chair" | "member";
}

/** What the signed-in person may do on the list now (the API decides; this only shows the right buttons). */
export function allowed(
  list: { state: string; undecided: number; committee: Committee[] },
  me: { user_id: string; roles: string[] },
  today: string,
  deemedFrom: string | null,
): Set<"appoint" | "review" | "report" | "approve" | "send" | "answer" | "destroy"> {
  const may = new Set<"appoint" | "review" | "report" | "approve" | "send" | "answer" | "destroy">();
  const role = list.committee.find((m) => m.user_id === me.user_id)?.role;
  const records = me.roles.includes("records");
  const director = me.roles.includes("director");
  if (director && (list.state === "surveyed" || list.state === "reviewing")) may.add("appoint");
  if (role && list.state === "reviewing") may.add("review");
  if (role === "chair" && list.state === "reviewing" && list.undecided === 0) may.add("report");
  if (director && list.state === "reported") may.add("approve");
  if (records && list.state === "approved") may.add("send");
  if (records && list.state === "sent") may.add("answer");
  if (records && (list.state === "consented" || (list.state === "sent" && deemedFrom !== null && deemedFrom <= today))) may.add("destroy");
  return may;
}

export type Decision = "undecided" | "destroy" | "extend";

export interface Marking {
  decision: Decision;
  years: string;
  reason: string;
}

export interface RowDecision {
  number: number;
  decision: Decision;
  extend_years: number | null;
  reason: string;
}

/** The committee's changes as the review call takes them: X and undecided in calls of up to 200, each
 * extension (it stamps the letter again) in calls of up to 10. A line kept longer is final and never
 * sent again. Problems (an extension without its years or reason) are returned by line number. */
export function reviewCalls(
  rows: readonly { number: number; decision: string }[],
  marks: ReadonlyMap<number, Marking>,
): { calls: RowDecision[][]; problems: number[] } {
  const plain: RowDecision[] = [];
  const extends_: RowDecision[] = [];
  const problems: number[] = [];
  for (const row of rows) {
    const mark = marks.get(row.number);
    if (!mark || row.decision === "extend") continue;
    const was: Decision = row.decision === "destroy" ? "destroy" : "undecided";
    if (mark.decision === "extend") {
      const years = Number(mark.years);
      if (!Number.isInteger(years) || years < 1 || years > 100 || !mark.reason.trim()) {
        problems.push(row.number);
        continue;
      }
      extends_.push({ number: row.number, decision: "extend", extend_years: years, reason: mark.reason.trim() });
    } else if (mark.decision !== was) {
      plain.push({ number: row.number, decision: mark.decision, extend_years: null, reason: "" });
    }
  }
  const calls: RowDecision[][] = [];
  for (let i = 0; i < plain.length; i += 200) calls.push(plain.slice(i, i + 200));
  for (let i = 0; i < extends_.length; i += 10) calls.push(extends_.slice(i, i + 10));
  return { calls, problems };
}

/** Days a loan is past its due date on `today` (both ISO days); 0 when not overdue. */
export function daysOverdue(due: string, today: string): number {
  const ms = Date.parse(`${today}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`);
  return ms > 0 ? Math.round(ms / 86_400_000) : 0;
}

/** Today in Bangkok as an ISO day (the API counts days there). */
export function bangkokToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Bangkok", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** A letter's date as the lists carry it (ISO, or as typed in an old register): a Thai date when it is
 * a day, else the text as it came. */
export function dayText(value: string | null | undefined, fmt: { date: (v: string) => string; digits: (v: string) => string }): string {
  if (!value) return "—";
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? fmt.date(value) : fmt.digits(value);
}
