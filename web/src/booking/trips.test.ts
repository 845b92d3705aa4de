import { describe, expect, it } from "vitest";
import { actorOf, factsOf, passengersOf, stepStates, tripActionFor, type Actor, type TripFacts } from "./trips";

const staff: Actor = { userId: "u-staff", roles: ["staff"], units: ["it"], vehicles: [] };
const head: Actor = { userId: "u-head", roles: ["head", "staff"], units: ["it"], vehicles: [] };
const otherHead: Actor = { userId: "u-head2", roles: ["head"], units: ["finance"], vehicles: [] };
const director: Actor = { userId: "u-dir", roles: ["director"], units: [], vehicles: [] };
const admin: Actor = { userId: "u-admin", roles: ["admin"], units: [], vehicles: [] };
const vanOfficer: Actor = { ...staff, userId: "u-van", vehicles: ["van"] };
const carOfficer: Actor = { ...staff, userId: "u-car", vehicles: ["car"] };
const driver: Actor = { ...staff, userId: "u-driver" };

const trip = (state: string, more: Partial<TripFacts> = {}): TripFacts => ({
  state,
  requester: "u-staff",
  vehicle_id: null,
  driver_user_id: null,
  requester_units: ["it"],
  ...more,
});

describe("who acts on a trip", () => {
  it("follows แบบ 3: the head's opinion, the director's decision, then the fleet's officer", () => {
    expect(tripActionFor(trip("requested"), head)).toBe("opinion");
    expect(tripActionFor(trip("requested", { requester: "u-head" }), head)).toBeNull(); // not on one's own request
    expect(tripActionFor(trip("reviewed"), director)).toBe("decision");
    expect(tripActionFor(trip("approved"), admin)).toBe("assignment");
    expect(tripActionFor(trip("approved"), vanOfficer)).toBe("assignment");
    expect(tripActionFor(trip("assigned", { vehicle_id: "van" }), admin)).toBe("log");
    expect(tripActionFor(trip("approved"), staff)).toBeNull();
    expect(tripActionFor(trip("completed"), admin)).toBeNull();
  });

  it("offers the opinion only to a head of the requester's own unit", () => {
    expect(tripActionFor(trip("requested"), otherHead)).toBeNull();
    expect(tripActionFor(trip("requested", { requester_units: ["finance", "it"] }), otherHead)).toBe("opinion");
    expect(tripActionFor(trip("requested", { requester_units: [] }), head)).toBeNull(); // asked from no unit
  });

  it("offers the log only to the assigned vehicle's officer, the assigned driver (or the admin)", () => {
    expect(tripActionFor(trip("assigned", { vehicle_id: "van" }), vanOfficer)).toBe("log");
    expect(tripActionFor(trip("assigned", { vehicle_id: "van" }), carOfficer)).toBeNull();
    expect(tripActionFor(trip("assigned", { vehicle_id: null }), carOfficer)).toBeNull();
    const driven = trip("assigned", { vehicle_id: "van", driver_user_id: "u-driver" });
    expect(tripActionFor(driven, driver)).toBe("log");
    expect(tripActionFor(driven, staff)).toBeNull(); // the requester does not log it
    expect(tripActionFor(trip("assigned", { vehicle_id: "van" }), driver)).toBeNull(); // a driver with no user
    expect(tripActionFor(trip("assigned", { vehicle_id: "van", driver_user_id: "u-other" }), driver)).toBeNull();
    expect(tripActionFor({ ...driven, state: "completed" }, driver)).toBeNull(); // logged once
    expect(tripActionFor(driven, { ...driver, userId: "" })).toBeNull(); // not signed in yet: nobody
  });

  it("reads the person and the trip from the API's answers", () => {
    const me = { user_id: "u-van", roles: ["staff"], units: [{ id: "it" }] };
    const resources = [
      { id: "van", kind: "vehicle", officers: ["u-van"] },
      { id: "room", kind: "room", officers: ["u-van"] },
      { id: "car", kind: "vehicle", officers: [] },
    ];
    expect(actorOf(me, resources)).toEqual({ userId: "u-van", roles: ["staff"], units: ["it"], vehicles: ["van"] });
    expect(actorOf(undefined, resources).vehicles).toEqual([]);
    // the trip as the API answers it: the units it was asked from and the driver's user travel with it
    const answered = { id: "t1", place: "โคราช", state: "assigned", requester: "u-staff", vehicle_id: "van", driver_user_id: "u-driver", requester_units: ["it"] };
    expect(factsOf(answered)).toEqual({ state: "assigned", requester: "u-staff", vehicle_id: "van", driver_user_id: "u-driver", requester_units: ["it"] });
  });

  it("marks the steps done, now and later; a declined trip stops", () => {
    expect(stepStates("reviewed").map((s) => s.status)).toEqual(["done", "done", "now", "later", "later"]);
    expect(stepStates("completed").every((s) => s.status === "done")).toBe(true);
    expect(stepStates("declined").at(-1)).toEqual({ step: "declined", status: "done" });
  });

  it("reads passengers one per line or by commas", () => {
    expect(passengersOf("นายก\n\n นางข , นางสาวค")).toEqual(["นายก", "นางข", "นางสาวค"]);
  });
});
