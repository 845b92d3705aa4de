import { describe, expect, it } from "vitest";
import i18next, { AREAS, loadWords } from "./index";

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
});
