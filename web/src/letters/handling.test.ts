import { describe, expect, it } from "vitest";
import type { components } from "../api/schema";
import { latestPerRecipient } from "./ExchangeCard";
import { actingFor, isMine } from "./HandlingCard";

type Delivery = components["schemas"]["DeliveryView"];
const delivery = (recipient: string, attempt: number, state: string): Delivery => ({
  delivery_id: `${recipient}-${attempt}`,
  recipient,
  recipient_name: recipient,
  attempt,
  state,
  state_th: state,
  at: "2026-11-30T03:00:00Z",
  number_line: null,
  reason: null,
  stuck: null,
});

describe("a sent letter's state per recipient", () => {
  it("shows the latest attempt to each agency: sent back, then sent again and registered", () => {
    const rows = latestPerRecipient([
      delivery("mdes-dept", 1, "rejected"),
      delivery("moe", 1, "delivered"),
      delivery("mdes-dept", 2, "accepted"),
    ]);
    expect(rows.map((d) => [d.recipient, d.attempt, d.state])).toEqual([
      ["mdes-dept", 2, "accepted"],
      ["moe", 1, "delivered"],
    ]);
  });
});

describe("whose assignment it is", () => {
  const assignment = (to: string) =>
    ({ id: "a", to, to_name: "", note: "", state: "assigned", by: "x", at: "", updated_at: "", report: "" });
  it("is the person's, or their unit's, and nobody else's", () => {
    expect(isMine(assignment("user:u1"), "u1", [])).toBe(true);
    expect(isMine(assignment("unit:policy"), "u2", ["saraban", "policy"])).toBe(true);
    expect(isMine(assignment("unit:policy"), "u1", ["saraban"])).toBe(false);
    expect(isMine(assignment("user:u1"), "u10", [])).toBe(false);
    expect(isMine(assignment("user:u1"), "u10", [], ["u1"])).toBe(true); // acting for u1
  });
  it("counts a delegation while it is in force", () => {
    const now = Date.parse("2026-11-30T03:00:00Z");
    const delegations = [
      { from_user: "director", until: null },
      { from_user: "head", until: "2026-12-31T16:59:59Z" },
      { from_user: "former", until: "2026-11-01T00:00:00Z" },
    ];
    expect(actingFor(delegations, now)).toEqual(["director", "head"]);
  });
});
