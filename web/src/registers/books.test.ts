import { describe, expect, it } from "vitest";
import i18n from "../i18n";
import type { Me } from "../api/me";
import { bookName } from "./books";

const me = {
  register_books: [
    { id: "incoming", name_th: "หนังสือรับ", name_en: "incoming", direction: "incoming" },
    { id: "certificate", name_th: "หนังสือรับรอง", name_en: "certificates", direction: "outgoing" },
  ],
} as unknown as Me;

describe("bookName", () => {
  it("names the agency's own books as well as the standard ones, in Thai and in English", () => {
    const th = i18n.getFixedT("th");
    const en = i18n.getFixedT("en");
    expect(bookName(me, "certificate", "th", th)).toBe("ทะเบียนหนังสือรับรอง");
    expect(bookName(me, "incoming", "th", th)).toBe("ทะเบียนหนังสือรับ");
    expect(bookName(me, "certificate", "en", en)).toBe("certificates register");
    expect(bookName(me, "incoming", "en", en)).toBe(en("registers.books.incoming"));
    expect(bookName(undefined, "order", "th", th)).toBe(th("registers.books.order"));
  });
});
