import { describe, expect, it } from "vitest";
import { buddhistYear, parseBuddhistDate, toBuddhistInput } from "./buddhistDate";

describe("dates typed in the Buddhist era", () => {
  it("reads d/m/yyyy (พ.ศ.) into the ISO date the API takes", () => {
    expect(parseBuddhistDate("30/11/2569")).toEqual({ ok: true, iso: "2026-11-30" });
    expect(parseBuddhistDate(" 1-2-2570 ")).toEqual({ ok: true, iso: "2027-02-01" });
    expect(parseBuddhistDate("๓๐/๑๑/๒๕๖๙")).toEqual({ ok: true, iso: "2026-11-30" });
  });

  it("says why it could not read a date, and nothing typed is no date", () => {
    expect(parseBuddhistDate("")).toBeNull();
    expect(parseBuddhistDate("พรุ่งนี้")).toEqual({ ok: false, problem: "format" });
    expect(parseBuddhistDate("30/11/2026")).toEqual({ ok: false, problem: "year" }); // a Christian year
    expect(parseBuddhistDate("31/4/2569")).toEqual({ ok: false, problem: "day" }); // April has 30 days
    expect(parseBuddhistDate("29/2/2567")).toEqual({ ok: true, iso: "2024-02-29" }); // 2024 is a leap year
    expect(parseBuddhistDate("29/2/2569")).toEqual({ ok: false, problem: "day" });
    expect(parseBuddhistDate("1/13/2569")).toEqual({ ok: false, problem: "day" });
  });

  it("shows an API date back in the Buddhist era", () => {
    expect(toBuddhistInput("2026-11-30")).toBe("30/11/2569");
    expect(toBuddhistInput("not a date")).toBe("");
  });

  it("counts the book-year in Bangkok", () => {
    expect(buddhistYear(new Date("2026-12-31T16:59:00Z"))).toBe(2569);
    expect(buddhistYear(new Date("2026-12-31T17:00:00Z"))).toBe(2570); // midnight in Bangkok
  });
});
