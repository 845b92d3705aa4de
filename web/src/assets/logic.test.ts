import { describe, expect, it } from "vitest";
import {
  batches,
  dateOf,
  formatNumber,
  fiscalYearOf,
  moneyOf,
  NO_FILTER,
  pageOf,
  parseCsv,
  readImport,
  scanCode,
  selectAssets,
  unitChoices,
  unitLookup,
  unitName,
} from "./logic";

const line = (number: string, description: string, extra: Partial<{ status: string; unit_id: string; class_code: string }> = {}) => ({
  id: number,
  number,
  description,
  class_code: extra.class_code ?? "7440-001",
  unit_id: extra.unit_id ?? "office",
  location: "ชั้น 3",
  status: extra.status ?? "in_use",
});

describe("fiscalYearOf", () => {
  it("starts the next Buddhist fiscal year on 1 October", () => {
    expect(fiscalYearOf("2026-09-30")).toBe(2569);
    expect(fiscalYearOf("2026-10-01")).toBe(2570);
    expect(fiscalYearOf(new Date("2026-09-30T18:00:00Z"))).toBe(2570); // 1 October in Bangkok
  });
});

describe("selectAssets", () => {
  const items = [line("A-1", "โต๊ะทำงาน"), line("A-2", "เก้าอี้", { status: "repair", unit_id: "policy" }), line("A-3", "คอมพิวเตอร์")];
  it("orders by name in Thai dictionary order (a leading vowel sorts by its consonant)", () => {
    expect(selectAssets(items, NO_FILTER, "name").map((a) => a.description)).toEqual(["เก้าอี้", "คอมพิวเตอร์", "โต๊ะทำงาน"]);
  });
  it("keeps the API's order by number", () => {
    expect(selectAssets(items, NO_FILTER, "number").map((a) => a.number)).toEqual(["A-1", "A-2", "A-3"]);
  });
  it("filters by words, status and unit", () => {
    expect(selectAssets(items, { ...NO_FILTER, q: "คอม" }, "number").map((a) => a.number)).toEqual(["A-3"]);
    expect(selectAssets(items, { ...NO_FILTER, status: "repair" }, "number").map((a) => a.number)).toEqual(["A-2"]);
    expect(selectAssets(items, { ...NO_FILTER, unit: "office" }, "number")).toHaveLength(2);
  });
});

describe("pageOf", () => {
  it("keeps the page within bounds", () => {
    expect(pageOf([1, 2, 3], 5, 2)).toEqual({ items: [3], pages: 2, page: 1 });
    expect(pageOf([], 0, 50)).toEqual({ items: [], pages: 1, page: 0 });
  });
});

describe("amounts and dates", () => {
  it("reads baht with thousands separators", () => {
    expect(moneyOf("36,500.00")).toBe("36500.00");
    expect(moneyOf("12.345")).toBeNull();
    expect(moneyOf("-1")).toBeNull();
  });
  it("reads ISO and Buddhist dates, not a Christian year in d/m/y", () => {
    expect(dateOf("2025-03-15")).toBe("2025-03-15");
    expect(dateOf("15/3/2568")).toBe("2025-03-15");
    expect(dateOf("15/3/2025")).toBeNull();
    expect(dateOf("2025-02-30")).toBeNull();
  });
});

describe("parseCsv", () => {
  it("reads quotes, commas and line breaks inside quotes, a BOM and CRLF", () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, ""y""","line\nbreak"\r\n\r\n')).toEqual([
      ["a", "b"],
      ['x, "y"', "line\nbreak"],
    ]);
  });
});

describe("readImport", () => {
  const classes = new Set(["7440-001"]);
  const users = new Map([["ops.staff1", "u-1"]]);
  it("sends the good rows and tells each bad one why", () => {
    const csv = [
      "เลขครุภัณฑ์,ประเภท,รายการ,วันที่ได้มา,ราคา,ผู้รับผิดชอบ,สถานะ",
      "OLD-1,7440-001,คอมพิวเตอร์,1/10/2565,\"25,000\",ops.staff1,ใช้งาน",
      "OLD-2,9999,โต๊ะ,31/2/2565,abc,nobody,หาย",
      "OLD-3,7440-001,,2022-10-01,100,,",
    ].join("\n");
    const read = readImport(csv, classes, users);
    expect(read.rows).toEqual([
      {
        number: "OLD-1",
        class_code: "7440-001",
        description: "คอมพิวเตอร์",
        acquired_on: "2022-10-01",
        document: "",
        price: "25000",
        funding: "",
        location: "",
        unit_id: "",
        custodian: "u-1",
        status: "in_use",
      },
    ]);
    expect(read.refused).toEqual([
      {
        line: 3,
        number: "OLD-2",
        problems: [
          { code: "class", field: "class_code" },
          { code: "date", field: "acquired_on" },
          { code: "price", field: "price" },
          { code: "status", field: "status" },
          { code: "custodian", field: "custodian" },
        ],
      },
      { line: 4, number: "OLD-3", problems: [{ code: "missing", field: "description" }] },
    ]);
  });
  it("refuses a number given twice, and a file without the needed columns", () => {
    const twice = readImport("number,class_code,description,acquired_on,price\nX,7440-001,a,2022-01-01,1\nX,7440-001,b,2022-01-01,1", classes, users);
    expect(twice.refused.map((r) => r.problems[0]?.code)).toEqual(["twice", "twice"]);
    expect(readImport("number,description\n1,a", classes, users).missingColumns).toEqual(["class_code", "acquired_on", "price"]);
  });
});

describe("units", () => {
  const units = [
    { id: "services", name: "กองบริการดิจิทัล", code: "ดศ 0301.4" },
    { id: "office", name: "สำนักงานเลขานุการกรม", code: "ดศ 0301" },
    { id: "saraban", name: "ฝ่ายสารบรรณ", code: "ดศ 0301.1" },
  ];
  it("names a unit by its Thai name, an unknown one by its id, none by a dash", () => {
    const byId = new Map(units.map((u) => [u.id, u]));
    expect(unitName(byId, "services")).toBe("กองบริการดิจิทัล");
    expect(unitName(byId, "งานพัสดุเดิม")).toBe("งานพัสดุเดิม");
    expect(unitName(byId, "")).toBe("—");
  });
  it("offers the units by name in Thai order, then the other ids in use once each", () => {
    expect(unitChoices(units, ["office", "legacy", "", "legacy"])).toEqual([
      { id: "services", name: "กองบริการดิจิทัล" },
      { id: "saraban", name: "ฝ่ายสารบรรณ" },
      { id: "office", name: "สำนักงานเลขานุการกรม" },
      { id: "legacy", name: "legacy" },
    ]);
  });
  it("reads an imported register's unit by id, name or code, and refuses one it does not know", () => {
    const lookup = unitLookup(units);
    expect(lookup.get("กองบริการดิจิทัล")).toBe("services");
    expect(lookup.get("ดศ 0301.1")).toBe("saraban");
    expect(lookup.get("office")).toBe("office");
    const csv = [
      "เลขครุภัณฑ์,ประเภท,รายการ,วันที่ได้มา,ราคา,หน่วยงาน",
      "A-1,7440-001,โต๊ะ,2022-10-01,100,กองบริการดิจิทัล",
      "A-2,7440-001,เก้าอี้,2022-10-01,100,ดศ  0301.1",
      "A-3,7440-001,ตู้,2022-10-01,100,กองที่ไม่มี",
      "A-4,7440-001,พัดลม,2022-10-01,100,",
    ].join("\n");
    const read = readImport(csv, new Set(["7440-001"]), new Map(), lookup);
    expect(read.rows.map((r) => [r.number, r.unit_id])).toEqual([
      ["A-1", "services"],
      ["A-2", "saraban"],
      ["A-4", ""],
    ]);
    expect(read.refused).toEqual([{ line: 4, number: "A-3", problems: [{ code: "unit", field: "unit_id" }] }]);
    // An agency without its units set: the column goes as written.
    expect(readImport(csv, new Set(["7440-001"]), new Map()).rows.map((r) => r.unit_id)).toContain("กองที่ไม่มี");
  });
  const shared = [
    { id: "digital", name: "กองบริการดิจิทัล", code: "ดศ 0201" },
    { id: "digital-admin", name: "ฝ่ายบริหารทั่วไป", code: "ดศ 0201.5" },
    { id: "policy-admin", name: "ฝ่ายบริหารทั่วไป", code: "ดศ 0202.5" },
  ];
  it("follows a name several units share by each one's code in the choices, a unique name alone", () => {
    expect(unitChoices(shared)).toEqual([
      { id: "digital", name: "กองบริการดิจิทัล" },
      { id: "digital-admin", name: "ฝ่ายบริหารทั่วไป (ดศ 0201.5)" },
      { id: "policy-admin", name: "ฝ่ายบริหารทั่วไป (ดศ 0202.5)" },
    ]);
  });
  it("refuses an imported row naming a unit by a shared name, and takes its code or id", () => {
    const lookup = unitLookup(shared);
    expect(lookup.get("ฝ่ายบริหารทั่วไป")).toBeNull();
    expect(lookup.get("ดศ 0202.5")).toBe("policy-admin");
    const csv = [
      "เลขครุภัณฑ์,ประเภท,รายการ,วันที่ได้มา,ราคา,หน่วยงาน",
      "B-1,7440-001,โต๊ะ,2022-10-01,100,ฝ่ายบริหารทั่วไป",
      "B-2,7440-001,ตู้,2022-10-01,100,ดศ 0202.5",
      "B-3,7440-001,เก้าอี้,2022-10-01,100,digital-admin",
      "B-4,7440-001,พัดลม,2022-10-01,100,กองบริการดิจิทัล",
    ].join("\n");
    const read = readImport(csv, new Set(["7440-001"]), new Map(), lookup);
    expect(read.rows.map((r) => [r.number, r.unit_id])).toEqual([
      ["B-2", "policy-admin"],
      ["B-3", "digital-admin"],
      ["B-4", "digital"],
    ]);
    expect(read.refused).toEqual([{ line: 2, number: "B-1", problems: [{ code: "unitShared", field: "unit_id" }] }]);
  });
});

describe("batches and scan codes", () => {
  it("cuts rows in calls of at most the size", () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
  it("names the asset's page", () => {
    expect(scanCode("http://x/", "abc")).toBe("http://x/assets/abc");
  });
});

describe("formatNumber", () => {
  it("makes a number as the API's format does", () => {
    expect(formatNumber("{class_code}-{fiscal_year}-{seq:04d}", "7440-001", 2570, 1)).toBe("7440-001-2570-0001");
    expect(formatNumber("ครุภัณฑ์ {seq}/{fiscal_year}", "x", 2570, 12)).toBe("ครุภัณฑ์ 12/2570");
    expect(formatNumber("{nope}", "x", 2570, 1)).toBeNull();
    expect(formatNumber("{seq", "x", 2570, 1)).toBeNull();
  });
});
