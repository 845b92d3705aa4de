import { describe, expect, it } from "vitest";
import i18next, { AREAS, loadWords, writeThaiDigits } from "./index";

describe("the words", () => {
  it("are Thai first, English by choice", async () => {
    expect(i18next.t("inbox.title")).toBe("งานรอดำเนินการ");
    await i18next.changeLanguage("en");
    expect(i18next.t("inbox.title")).toBe("Inbox");
    await i18next.changeLanguage("th");
  });

  it("have every Thai key in English too, and the other way round, the areas' words too", async () => {
    await Promise.all(AREAS.map(loadWords));
    expect(i18next.t("booking.title")).not.toBe("booking.title");
    const keys = (value: unknown, prefix = ""): string[] =>
      typeof value === "object" && value !== null
        ? Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
        : [prefix];
    const th = keys(i18next.getResourceBundle("th", "translation")).sort();
    const en = keys(i18next.getResourceBundle("en", "translation")).sort();
    expect(en).toEqual(th);
  });

  it("write the numbers they carry as the agency writes them: Thai digits in Thai where it chose them", async () => {
    writeThaiDigits(true);
    expect(i18next.t("registers.heading", { book: "ทะเบียนหนังสือรับ", year: 2569 })).toBe("ทะเบียนหนังสือรับ พ.ศ. ๒๕๖๙");
    await i18next.changeLanguage("en");
    expect(i18next.t("registers.heading", { book: "Incoming", year: 2569 })).toBe("Incoming, B.E. 2569");
    await i18next.changeLanguage("th");
    writeThaiDigits(false);
    expect(i18next.t("registers.heading", { book: "ทะเบียนหนังสือรับ", year: 2569 })).toBe("ทะเบียนหนังสือรับ พ.ศ. 2569");
    // Text is put in as it is, digits and all (a name, an address, a file's name); numbers only are
    // written the agency's way. Nothing is HTML-escaped here (React does that).
    writeThaiDigits(true);
    expect(i18next.t("registers.heading", { book: "somchai2@mdes.go.th & B/C", year: 2569 })).toBe(
      "somchai2@mdes.go.th & B/C พ.ศ. ๒๕๖๙",
    );
    writeThaiDigits(false);
  });
});
