import { describe, expect, it } from "vitest";
import { longDate, shortDateTime, thaiDigits, thaiSorted } from "./thai";
import { formatFor } from "./useFormat";

describe("Thai formatting", () => {
  it("writes the Buddhist year with the Thai month name", () => {
    expect(longDate("2026-11-30T03:00:00Z", "th")).toBe("30 พฤศจิกายน 2569");
    expect(longDate("2026-11-30T03:00:00Z", "en")).toBe("30 November 2026");
  });

  it("counts the day in Bangkok, not in UTC", () => {
    expect(longDate("2026-11-30T18:00:00Z", "th")).toBe("1 ธันวาคม 2569");
  });

  it("writes Thai digits where the agency uses them", () => {
    expect(thaiDigits("ที่ ดศ 0201/123")).toBe("ที่ ดศ ๐๒๐๑/๑๒๓");
    expect(longDate("2026-11-30T03:00:00Z", "th", true)).toBe("๓๐ พฤศจิกายน ๒๕๖๙");
    expect(shortDateTime("2026-11-30T03:00:00Z", "th")).toContain("2569");
  });

  it("sorts in Thai dictionary order", () => {
    const names = ["เสาวลักษณ์", "กมล", "ไพโรจน์", "ขวัญ", "โชติ"];
    expect(thaiSorted(names, (n) => n)).toEqual(["กมล", "ขวัญ", "โชติ", "ไพโรจน์", "เสาวลักษณ์"]);
  });
});

describe("an agency's way of writing numbers", () => {
  it("uses Thai digits in Thai where the agency chose them, never in English", () => {
    expect(formatFor("th", true).digits("ดศ 0301/45")).toBe("ดศ ๐๓๐๑/๔๕");
    expect(formatFor("en", true).digits("ดศ 0301/45")).toBe("ดศ 0301/45");
    expect(formatFor("th", false).digits(45)).toBe("45");
    expect(formatFor("th", true).date("2026-11-30T03:00:00Z")).toBe("๓๐ พฤศจิกายน ๒๕๖๙");
    expect(formatFor("th", true).date(null)).toBe("—");
  });
});
