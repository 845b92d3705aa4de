// The trip request's steps (แบบ 3 then แบบ 4) and who acts at each, as the API decides it
// (functions/chalicelib/bookings/trips.py): the requester's section head gives an opinion, the director
// decides, the vehicle's officer (or the admin) assigns a vehicle and a driver, the officer or the driver logs it.

export const TRIP_STEPS = ["requested", "reviewed", "approved", "assigned", "completed"] as const;
export type TripStep = (typeof TRIP_STEPS)[number];

export interface Actor {
  userId: string;
  roles: readonly string[];
  /** the person's own units (ids) */
  units: readonly string[];
  /** the agency's vehicles this person is an officer of */
  vehicles: readonly string[];
}

/** What of a trip decides who acts on it, as the API gives it (TripView): the units the requester asked
 * from (kept with the trip, as the API checks the head against them) and the assigned driver's user. */
export interface TripFacts {
  state: string;
  requester: string;
  vehicle_id: string | null;
  driver_user_id: string | null;
  requester_units: readonly string[];
}

export type TripAction = "opinion" | "decision" | "assignment" | "log";

/** What the person may do on a trip in its state, as the API allows it (it still refuses what it must):
 * the opinion is the requester's own section head's (a head sharing a unit with the requester, never on
 * their own request); the decision the director's; the assignment the admin's or a vehicle officer's (the
 * API then checks the vehicle chosen); the log the admin's, the assigned vehicle's officer's or the
 * assigned driver's (when the driver resource names its user). */
export function tripActionFor(trip: TripFacts, actor: Actor): TripAction | null {
  const admin = actor.roles.includes("admin");
  const { state } = trip;
  if (state === "requested") {
    const ownHead =
      actor.roles.includes("head") && trip.requester !== actor.userId && trip.requester_units.some((unit) => actor.units.includes(unit));
    return ownHead ? "opinion" : null;
  }
  if (state === "reviewed" && actor.roles.includes("director")) return "decision";
  if (state === "approved" && (admin || actor.vehicles.length > 0)) return "assignment";
  if (state === "assigned") {
    const officer = trip.vehicle_id !== null && actor.vehicles.includes(trip.vehicle_id);
    const driver = trip.driver_user_id !== null && actor.userId !== "" && trip.driver_user_id === actor.userId;
    return admin || officer || driver ? "log" : null;
  }
  return null;
}

/** The person, from what the screens read: /v1/me and the agency's resources. */
export function actorOf(
  me: { user_id: string; roles: readonly string[]; units: readonly { id: string }[] } | undefined,
  resources: readonly { id: string; kind: string; officers: readonly string[] }[] | undefined,
): Actor {
  const userId = me?.user_id ?? "";
  return {
    userId,
    roles: me?.roles ?? [],
    units: (me?.units ?? []).map((u) => u.id),
    vehicles: (resources ?? []).filter((r) => r.kind === "vehicle" && userId !== "" && r.officers.includes(userId)).map((r) => r.id),
  };
}

/** The facts of a trip the API answered (a list item or the trip itself). */
export function factsOf(trip: TripFacts): TripFacts {
  const { state, requester, vehicle_id, driver_user_id, requester_units } = trip;
  return { state, requester, vehicle_id, driver_user_id, requester_units };
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
