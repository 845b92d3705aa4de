import { describe, expect, it } from "vitest";
import { allowed, bangkokToday, currentStep, daysOverdue, reviewCalls, stepStatus, type Marking } from "./steps";

describe("the destruction's steps", () => {
  it("marks the steps before the state done and the state's own step now", () => {
    expect(stepStatus("reviewing", "committee")).toBe("done");
    expect(stepStatus("reviewing", "review")).toBe("now");
    expect(stepStatus("reviewing", "approve")).toBe("later");
    expect(currentStep("surveyed")).toBe("committee");
    expect(currentStep("sent")).toBe("answer");
    expect(currentStep("destroyed")).toBeNull();
    expect(stepStatus("destroyed", "record")).toBe("done");
  });

  it("offers each step to the person the regulation names", () => {
    const committee = [
      { user_id: "chair", role: "chair" as const },
      { user_id: "m1", role: "member" as const },
    ];
    const list = { state: "reviewing", undecided: 0, committee };
    expect(allowed(list, { user_id: "m1", roles: ["staff"] }, "2026-01-10", null)).toEqual(new Set(["review"]));
    expect(allowed(list, { user_id: "chair", roles: ["admin"] }, "2026-01-10", null)).toEqual(new Set(["review", "report"]));
    expect(allowed({ ...list, undecided: 2 }, { user_id: "chair", roles: [] }, "2026-01-10", null).has("report")).toBe(false);
    expect(allowed(list, { user_id: "d", roles: ["director"] }, "2026-01-10", null)).toEqual(new Set(["appoint"]));
    const sent = { ...list, state: "sent" };
    const records = { user_id: "r", roles: ["records"] };
    expect(allowed(sent, records, "2026-01-10", "2026-03-01")).toEqual(new Set(["answer"]));
    expect(allowed(sent, records, "2026-03-01", "2026-03-01")).toEqual(new Set(["answer", "destroy"]));
  });
});

describe("the review's calls", () => {
  const rows = [
    { number: 1, decision: "" },
    { number: 2, decision: "destroy" },
    { number: 3, decision: "extend" },
    { number: 4, decision: "" },
  ];
  it("sends only what changed, extensions apart, and never a final extension again", () => {
    const marks = new Map<number, Marking>([
      [1, { decision: "destroy", years: "", reason: "" }],
      [2, { decision: "destroy", years: "", reason: "" }],
      [3, { decision: "destroy", years: "", reason: "" }],
      [4, { decision: "extend", years: "5", reason: " ยังใช้อ้างอิง " }],
    ]);
    expect(reviewCalls(rows, marks)).toEqual({
      calls: [[{ number: 1, decision: "destroy", extend_years: null, reason: "" }], [{ number: 4, decision: "extend", extend_years: 5, reason: "ยังใช้อ้างอิง" }]],
      problems: [],
    });
  });
  it("refuses an extension without its years or its reason", () => {
    const marks = new Map<number, Marking>([[1, { decision: "extend", years: "0", reason: "x" }], [4, { decision: "extend", years: "3", reason: " " }]]);
    expect(reviewCalls(rows, marks).problems).toEqual([1, 4]);
  });
  it("splits many extensions into calls of ten", () => {
    const many = Array.from({ length: 23 }, (_, i) => ({ number: i + 1, decision: "" }));
    const marks = new Map<number, Marking>(many.map((r) => [r.number, { decision: "extend", years: "1", reason: "r" }]));
    expect(reviewCalls(many, marks).calls.map((c) => c.length)).toEqual([10, 10, 3]);
  });
});

describe("loans", () => {
  it("counts the days past the due date", () => {
    expect(daysOverdue("2026-01-10", "2026-01-13")).toBe(3);
    expect(daysOverdue("2026-01-10", "2026-01-10")).toBe(0);
    expect(daysOverdue("2026-01-10", "2026-01-01")).toBe(0);
  });
  it("knows today in Bangkok", () => {
    expect(bangkokToday(new Date("2026-01-01T18:00:00Z"))).toBe("2026-01-02");
  });
});
