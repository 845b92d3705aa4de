import { describe, expect, it } from "vitest";
import { addDays, atBangkok, bangkokDay, clockOf, dayOf, mondayOf, parseClock, recentMonths, shortDay, weekOf, weekdayName } from "./week";

describe("the week view's dates", () => {
  it("finds the Monday of any day, Sunday included", () => {
    expect(mondayOf("2026-12-02")).toBe("2026-11-30"); // a Wednesday
    expect(mondayOf("2026-11-30")).toBe("2026-11-30");
    expect(mondayOf("2026-12-06")).toBe("2026-11-30"); // a Sunday ends the week
  });

  it("lists Monday to Sunday across a month's end", () => {
    expect(weekOf("2026-11-30")).toEqual(["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06"]);
    expect(addDays("2026-12-28", 7)).toBe("2027-01-04");
  });

  it("reads the Bangkok date of a moment, not the browser's", () => {
    expect(bangkokDay(new Date("2026-11-30T18:00:00Z"))).toBe("2026-12-01");
    expect(dayOf("2026-12-01T00:30:00+07:00")).toBe("2026-12-01");
  });

  it("writes moments with the Bangkok offset and reads their clock time", () => {
    expect(atBangkok("2026-12-01", "09:30")).toBe("2026-12-01T09:30:00+07:00");
    expect(clockOf("2026-12-01T02:30:00Z", "th", false)).toBe("09:30");
    expect(clockOf("2026-12-01T02:30:00Z", "th", true)).toBe("๐๙:๓๐");
  });

  it("names days in Thai with the Buddhist year", () => {
    expect(weekdayName("2026-11-30", "th")).toBe("วันจันทร์");
    expect(shortDay("2026-12-01", "th", false)).toBe("1 ธ.ค. 2569");
    expect(shortDay("2026-12-01", "en", false)).toBe("1 Dec 2026");
  });

  it("reads typed clock times", () => {
    expect(parseClock("9:00")).toBe("09:00");
    expect(parseClock("13.30")).toBe("13:30");
    expect(parseClock("๑๔:๐๐")).toBe("14:00");
    expect(parseClock("25:00")).toBeNull();
    expect(parseClock("nine")).toBeNull();
  });

  it("lists the months back across a year's start", () => {
    expect(recentMonths("2027-02-10", 4)).toEqual(["2027-02", "2027-01", "2026-12", "2026-11"]);
    expect(recentMonths("2026-12-31", 2, 1)).toEqual(["2027-01", "2026-12"]);
  });
});
