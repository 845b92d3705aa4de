// The meetings' rules as the screens need them, pure (functions/chalicelib/meetings/service.py is the
// authority: these only decide what to show and offer; the API refuses whatever it does not allow).

export type MeetingState = "scheduled" | "held" | "minuted" | "certified";
export type Step = "scheduled" | "meeting" | "closed" | "minuted" | "circulated" | "certified";
export type StepState = "done" | "working" | "waiting";
export const STEPS: Step[] = ["scheduled", "meeting", "closed", "minuted", "circulated", "certified"];

/** Who set up committees (service.KEEPERS). */
export const KEEPER_ROLES = ["admin", "director", "head", "saraban"] as const;
/** The roles that keep a committee's meetings (domain.MANAGING_ROLES). */
export const MANAGING_ROLES = ["secretary", "assistant_secretary"];
export const COMMITTEE_ROLES = ["chair", "vice_chair", "member", "secretary", "assistant_secretary"] as const;
export const SECTIONS = ["announcements", "confirm_minutes", "carried_over", "for_information", "for_decision", "other"] as const;
export type Section = (typeof SECTIONS)[number];

/** Where a meeting stands on the way from invitation to certified minutes: each step done, under way
 * (what can be done now), or still to come. `circulated`: the minutes were told to the members in this
 * page's life (the API keeps no mark of it). `signed`: the minutes are signed and numbered. */
export function stepStates(state: string, signed: boolean, circulated: boolean): Record<Step, StepState> {
  const at: Record<string, number> = { scheduled: 1, held: 3, minuted: circulated ? 5 : 4, certified: 6 };
  const current = at[state] ?? 0;
  const out = {} as Record<Step, StepState>;
  STEPS.forEach((step, index) => {
    out[step] = index < current ? "done" : index === current ? "working" : "waiting";
  });
  if (state === "minuted" && !signed) out.circulated = "waiting";
  return out;
}

/** The hint that says what can be done next (an i18n key under meetings.next). */
export function nextHint(state: string, manager: boolean, signed: boolean, circulated: boolean): string {
  if (state === "scheduled") return manager ? "scheduledManager" : "scheduled";
  if (state === "held") return manager ? "heldManager" : "held";
  if (state === "minuted") {
    if (!manager) return "minuted";
    if (!signed) return "minutedUnsigned";
    return circulated ? "circulated" : "minutedSigned";
  }
  return state === "certified" ? "certified" : "unknown";
}

export interface Summary {
  id: string;
  starts_at: string;
}

/** Meetings still to come (soonest first) and those past (latest first). */
export function splitByTime<T extends Summary>(items: readonly T[], now: Date): { upcoming: T[]; past: T[] } {
  const time = (m: T) => new Date(m.starts_at).getTime();
  const upcoming = items.filter((m) => time(m) >= now.getTime()).sort((a, b) => time(a) - time(b));
  const past = items.filter((m) => time(m) < now.getTime()).sort((a, b) => time(b) - time(a));
  return { upcoming, past };
}

/** "2026-11-30" and "09:30" in Bangkok to the moment the API takes, in UTC (2026-11-30T02:30:00.000Z).
 * UTC on purpose: the API keys its list of meetings by the moment as sent, and looks the entry up again
 * in UTC when the meeting moves on; sent with +07:00, the list's state would stay "scheduled". */
export function bangkokMoment(isoDate: string, time: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate) || !/^\d{2}:\d{2}$/.test(time)) return null;
  const moment = new Date(`${isoDate}T${time}:00+07:00`);
  return Number.isNaN(moment.getTime()) ? null : moment.toISOString();
}

/** The Bangkok calendar day of a moment ("2026-11-30"). */
export function bangkokDate(moment: string | Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Bangkok", year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(moment),
  );
}

/** The Bangkok clock time of a moment ("09:30"). */
export function bangkokTime(moment: string | Date): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Bangkok", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(
    new Date(moment),
  );
}

export interface CommitteeMember {
  user_id?: string | null;
  role: string;
}

/** Whether the person keeps the meeting, as the API decides it: one of its managers (who scheduled it,
 * and its committee's secretaries then), or its recorder; a secretary named since is one too. */
export function keepsMeeting(
  userId: string | undefined,
  recorder: string,
  members: readonly CommitteeMember[],
  managers: readonly string[] = [],
): boolean {
  if (!userId) return false;
  return (
    recorder === userId || managers.includes(userId) || members.some((m) => m.user_id === userId && MANAGING_ROLES.includes(m.role))
  );
}

/** The committees whose meetings the person may schedule: those they are a secretary of (all for an admin). */
export function schedulable<T extends { members: readonly CommitteeMember[] }>(
  committees: readonly T[],
  userId: string | undefined,
  admin: boolean,
): T[] {
  return committees.filter((c) => admin || c.members.some((m) => m.user_id === userId && MANAGING_ROLES.includes(m.role)));
}

/** What a committee's members list lacks before the API would take it (one chair; a secretary who is a
 * user of the agency), or null. */
export function committeeProblem(members: readonly CommitteeMember[]): "chair" | "secretary" | null {
  if (members.filter((m) => m.role === "chair").length !== 1) return "chair";
  if (!members.some((m) => m.user_id && MANAGING_ROLES.includes(m.role))) return "secretary";
  return null;
}

/** The corrections typed one per line, blank lines dropped. */
export function linesOf(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

export interface MinutesDocument {
  signers: string[];
  signatures: unknown[];
  registrations: unknown[];
}

/** The minutes are signed by all their signers and numbered: they may be circulated and certified. */
export function minutesSigned(doc: MinutesDocument | undefined): boolean {
  return doc !== undefined && doc.registrations.length > 0 && doc.signatures.length >= doc.signers.length;
}
