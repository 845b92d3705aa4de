import { describe, expect, it } from "vitest";
import {
  bangkokDate,
  bangkokMoment,
  bangkokTime,
  committeeProblem,
  keepsMeeting,
  linesOf,
  minutesSigned,
  nextHint,
  schedulable,
  splitByTime,
  stepStates,
} from "./logic";

describe("stepStates", () => {
  it("a scheduled meeting is being held: the invitation is done, the rest to come", () => {
    expect(stepStates("scheduled", false, false)).toEqual({
      scheduled: "done",
      meeting: "working",
      closed: "waiting",
      minuted: "waiting",
      circulated: "waiting",
      certified: "waiting",
    });
  });
  it("a closed meeting waits for its minutes", () => {
    const s = stepStates("held", false, false);
    expect([s.closed, s.minuted, s.circulated]).toEqual(["done", "working", "waiting"]);
  });
  it("drafted minutes are circulated once signed; then they wait for the next meeting", () => {
    expect(stepStates("minuted", false, false).circulated).toBe("waiting");
    expect(stepStates("minuted", true, false).circulated).toBe("working");
    const after = stepStates("minuted", true, true);
    expect([after.circulated, after.certified]).toEqual(["done", "working"]);
  });
  it("certified: every step done", () => {
    expect(Object.values(stepStates("certified", true, false))).toEqual(Array(6).fill("done"));
  });
});

describe("nextHint", () => {
  it("tells the secretary and the others different things", () => {
    expect(nextHint("scheduled", true, false, false)).toBe("scheduledManager");
    expect(nextHint("scheduled", false, false, false)).toBe("scheduled");
    expect(nextHint("minuted", true, false, false)).toBe("minutedUnsigned");
    expect(nextHint("minuted", true, true, false)).toBe("minutedSigned");
    expect(nextHint("minuted", true, true, true)).toBe("circulated");
    expect(nextHint("certified", false, true, false)).toBe("certified");
  });
});

describe("splitByTime", () => {
  it("upcoming soonest first, past latest first", () => {
    const now = new Date("2026-11-30T05:00:00Z");
    const items = [
      { id: "a", starts_at: "2026-11-01T02:00:00Z" },
      { id: "b", starts_at: "2026-12-05T02:00:00Z" },
      { id: "c", starts_at: "2026-11-20T02:00:00Z" },
      { id: "d", starts_at: "2026-12-01T02:00:00Z" },
    ];
    const { upcoming, past } = splitByTime(items, now);
    expect(upcoming.map((m) => m.id)).toEqual(["d", "b"]);
    expect(past.map((m) => m.id)).toEqual(["c", "a"]);
  });
});

describe("Bangkok times", () => {
  it("builds the moment the API takes and reads it back in Bangkok", () => {
    expect(bangkokMoment("2026-11-30", "09:30")).toBe("2026-11-30T02:30:00.000Z");
    expect(bangkokMoment("2026-12-01", "06:00")).toBe("2026-11-30T23:00:00.000Z");
    expect(bangkokMoment("2026-13-01", "09:30")).toBeNull();
    expect(bangkokMoment("2026-11-30", "9:30")).toBeNull();
    expect(bangkokDate("2026-11-29T18:30:00Z")).toBe("2026-11-30");
    expect(bangkokTime("2026-11-30T02:30:00Z")).toBe("09:30");
  });
});

describe("who keeps a meeting", () => {
  const members = [
    { user_id: "chair", role: "chair" },
    { user_id: "sec", role: "secretary" },
    { user_id: null, role: "assistant_secretary" },
  ];
  it("the recorder and the committee's secretaries", () => {
    expect(keepsMeeting("sec", "other", members)).toBe(true);
    expect(keepsMeeting("rec", "rec", [])).toBe(true);
    expect(keepsMeeting("chair", "sec", members)).toBe(false);
    expect(keepsMeeting(undefined, "sec", members)).toBe(false);
    expect(keepsMeeting("organiser", "rec", [], ["organiser"])).toBe(true); // who scheduled it, not the recorder
  });
  it("schedules the committees one is a secretary of, or all as admin", () => {
    const committees = [{ id: 1, members }, { id: 2, members: [{ user_id: "x", role: "secretary" }] }];
    expect(schedulable(committees, "sec", false).map((c) => c.id)).toEqual([1]);
    expect(schedulable(committees, "nobody", true).map((c) => c.id)).toEqual([1, 2]);
  });
});

describe("committeeProblem", () => {
  it("one chair and a secretary of the agency", () => {
    expect(committeeProblem([{ role: "member", user_id: "a" }])).toBe("chair");
    expect(committeeProblem([{ role: "chair" }, { role: "secretary", user_id: null }])).toBe("secretary");
    expect(committeeProblem([{ role: "chair" }, { role: "secretary", user_id: "s" }])).toBeNull();
  });
});

describe("small helpers", () => {
  it("reads corrections one per line", () => {
    expect(linesOf(" ก \n\n ข\n")).toEqual(["ก", "ข"]);
  });
  it("the minutes are signed by all their signers and numbered", () => {
    expect(minutesSigned(undefined)).toBe(false);
    expect(minutesSigned({ signers: ["a", "b"], signatures: [{}], registrations: [{}] })).toBe(false);
    expect(minutesSigned({ signers: ["a"], signatures: [{}], registrations: [] })).toBe(false);
    expect(minutesSigned({ signers: ["a"], signatures: [{}], registrations: [{}] })).toBe(true);
  });
});
