import { describe, expect, it } from "vitest";
import { passengersOf, stepStates, tripActionFor } from "./trips";

const staff = { userId: "u-staff", roles: ["staff"], fleetOfficer: false };
const head = { userId: "u-head", roles: ["head", "staff"], fleetOfficer: false };
const director = { userId: "u-dir", roles: ["director"], fleetOfficer: false };
const admin = { userId: "u-admin", roles: ["admin"], fleetOfficer: false };

describe("who acts on a trip", () => {
  it("follows แบบ 3: the head's opinion, the director's decision, then the fleet's officer", () => {
    expect(tripActionFor("requested", "u-staff", head)).toBe("opinion");
    expect(tripActionFor("requested", "u-head", head)).toBeNull(); // not on one's own request
    expect(tripActionFor("reviewed", "u-staff", director)).toBe("decision");
    expect(tripActionFor("approved", "u-staff", admin)).toBe("assignment");
    expect(tripActionFor("approved", "u-staff", { ...staff, fleetOfficer: true })).toBe("assignment");
    expect(tripActionFor("assigned", "u-staff", admin)).toBe("log");
    expect(tripActionFor("approved", "u-staff", staff)).toBeNull();
    expect(tripActionFor("completed", "u-staff", admin)).toBeNull();
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
