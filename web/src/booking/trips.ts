// The trip request's steps (แบบ 3 then แบบ 4) and who acts at each, as the API decides it
// (functions/chalicelib/bookings/trips.py): the requester's section head gives an opinion, the director
// decides, the vehicle's officer (or the admin) assigns a vehicle and a driver, the officer or the driver logs it.

export const TRIP_STEPS = ["requested", "reviewed", "approved", "assigned", "completed"] as const;
export type TripStep = (typeof TRIP_STEPS)[number];

export interface Actor {
  userId: string;
  roles: readonly string[];
  /** an officer of any vehicle of the agency */
  fleetOfficer: boolean;
}

export type TripAction = "opinion" | "decision" | "assignment" | "log";

/** What the person may do on a trip in its state (the API still refuses what it must). */
export function tripActionFor(state: string, requester: string, actor: Actor): TripAction | null {
  const admin = actor.roles.includes("admin");
  if (state === "requested" && actor.roles.includes("head") && requester !== actor.userId) return "opinion";
  if (state === "reviewed" && actor.roles.includes("director")) return "decision";
  if (state === "approved" && (admin || actor.fleetOfficer)) return "assignment";
  if (state === "assigned" && (admin || actor.fleetOfficer)) return "log";
  return null;
}

/** Each step done (the state names the last step taken), the one waited for now, or later; a declined
 * trip stops at the decision. */
export function stepStates(state: string): { step: TripStep | "declined"; status: "done" | "now" | "later" }[] {
  if (state === "declined") {
    return [
      { step: "requested", status: "done" },
      { step: "reviewed", status: "done" },
      { step: "declined", status: "done" },
    ];
  }
  const at = TRIP_STEPS.indexOf(state as TripStep);
  return TRIP_STEPS.map((step, index) => ({
    step,
    status: index <= at ? "done" : index === at + 1 ? "now" : "later",
  }));
}

/** Passengers typed one per line (or separated by commas), blanks dropped. */
export function passengersOf(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((name) => name.trim())
    .filter(Boolean);
}
