import { describe, expect, it } from "vitest";
import { calls, decodeCsv, parseCsv, parseDay, readRegister, scanKey, yearsOf, type Classes } from "./legacyCsv";

const classes: Classes = {
  codes: new Set(["general", "permanent"]),
  byName: new Map([["หนังสือที่ต้องเก็บไว้ตลอดไป", "permanent"]]),
};

describe("reading CSV as the API does", () => {
  it("splits quoted fields, doubled quotes and both line ends; a blank line is an empty record", () => {
    expect(parseCsv('a,"b,c","say ""hi"""\r\n\n1,,3\n')).toEqual([["a", "b,c", 'say "hi"'], [], ["1", "", "3"]]);
    expect(parseCsv("x\ny")).toEqual([["x"], ["y"]]);
  });

  it("reads UTF-8 with or without a BOM, and the Thai Windows code page", () => {
    expect(decodeCsv(new TextEncoder().encode("\ufeffเรื่อง"))).toBe("เรื่อง");
    expect(decodeCsv(new Uint8Array([0xc0, 0xd2, 0xc9, 0xd2]))).toBe("ภาษา"); // windows-874
  });

  it("reads a register's days: พ.ศ. with slashes, ค.ศ. in ISO, Thai digits", () => {
    expect(parseDay("15/3/2548")).toEqual({ iso: "2005-03-15" });
    expect(parseDay("๑๕/๓/๒๕๔๘")).toEqual({ iso: "2005-03-15" });
    expect(parseDay("15/3/2005")).toEqual({ iso: "2005-03-15" });
    expect(parseDay("2005-03-15")).toEqual({ iso: "2005-03-15" });
    expect(parseDay("2548-03-15")).toEqual({ fault: "isoBuddhist" });
    expect(parseDay("31/2/2548")).toEqual({ fault: "date" });
    expect(parseDay("มี.ค. 48")).toEqual({ fault: "date" });
  });
});

describe("checking a register's lines", () => {
  const csv = [
    "เลขทะเบียน,วันที่ลงทะเบียน,ที่,เรื่อง,ประเภทการเก็บ,ไฟล์",
    "1,3/2/2538,กค 0401/1,ขอความร่วมมือ,,s1.pdf",
    "2,31/2/2538,กค 0401/2,วันที่ผิด,,",
    "",
    "3,4/2/2538,,,general,",
    "๔,5/2/2538,,คำสั่งแต่งตั้ง,หนังสือที่ต้องเก็บไว้ตลอดไป,",
    "1,6/2/2538,,เลขซ้ำ,,",
    "5,6/2/2538,,ประเภทไม่มี,secret-x,scan.jpg",
    "6,1/1/2539,,ปีถัดไป,,",
  ].join("\n");

  it("keeps the good lines and names every fault of the others, with the file's line numbers", () => {
    const read = readRegister(csv, classes, "general");
    expect(read.missing).toEqual([]);
    expect(read.ready.map((r) => [r.line, r.number, r.year])).toEqual([
      [2, 1, 2538],
      [6, 4, 2538],
      [9, 6, 2539],
    ]);
    expect(read.ready[0]?.file).toBe("s1.pdf");
    expect(read.ready[1]?.cells[4]).toBe("permanent"); // the class named in Thai goes as its code
    expect(read.refused.map((r) => [r.line, r.problems.map((p) => p.code)])).toEqual([
      [3, ["date"]],
      [5, ["subject"]],
      [7, ["duplicate"]],
      [8, ["class", "pdf"]],
    ]);
  });

  it("names the required columns a header lacks", () => {
    expect(readRegister("ที่,เรื่อง\nก,ข", classes, "general").missing).toEqual(["เลขทะเบียน", "วันที่ลงทะเบียน"]);
    expect(readRegister("", classes, "general").missing).toHaveLength(3);
  });

  it("refuses hidden characters, long fields and days the book cannot show", () => {
    const read = readRegister("number,registered_on,subject,from\n1,2005-01-01,a\u202eb,x\n2,2548-01-01,b,y\n3,1/1/1800,c," + "ก".repeat(201), classes, "general");
    expect(read.refused.map((r) => r.problems.map((p) => p.code))).toEqual([["hidden"], ["isoBuddhist"], ["long", "yearRange"]]);
  });
});

describe("the API's calls", () => {
  it("keeps each line at its own line number, blank lines between", () => {
    const read = readRegister("เลขทะเบียน,วันที่ลงทะเบียน,เรื่อง\n1,1/1/2538,ก\n2,x,ข\n3,3/1/2538,\"ค, ง\"\n", classes, "general");
    const made = calls(read);
    expect(made).toHaveLength(1);
    expect(made[0]?.firstLine).toBe(2);
    expect(made[0]?.csv).toBe('เลขทะเบียน,วันที่ลงทะเบียน,เรื่อง\n1,1/1/2538,ก\n\n3,3/1/2538,"ค, ง"\n');
    expect(parseCsv(made[0]?.csv ?? "")[3]).toEqual(["3", "3/1/2538", "ค, ง"]);
  });

  it("sends at most 500 lines a call, and later calls keep the line numbers", () => {
    const lines = Array.from({ length: 1201 }, (_, i) => `${i + 1},1/1/2538,เรื่องที่ ${i + 1}`);
    const made = calls(readRegister(["number,registered_on,subject", ...lines].join("\n"), classes, "general"));
    expect(made.map((c) => c.lines.length)).toEqual([500, 500, 201]);
    // The third call starts at the file's line 1002 (number 1001): named so, with no blank lines before.
    expect(made.map((c) => c.firstLine)).toEqual([2, 502, 1002]);
    const third = parseCsv(made[2]?.csv ?? "");
    expect(third[1]).toEqual(["1001", "1/1/2538", "เรื่องที่ 1001"]);
    expect(third).toHaveLength(202);
  });

  it("keeps a call's body under what the API takes", () => {
    const long = "ก".repeat(480);
    const lines = Array.from({ length: 300 }, (_, i) => `${i + 1},1/1/2538,${long},${long}`);
    const made = calls(readRegister(["number,registered_on,subject,remark", ...lines].join("\n"), classes, "general"));
    expect(made.length).toBeGreaterThan(1);
    for (const call of made) expect(new TextEncoder().encode(JSON.stringify(call.csv)).length).toBeLessThan(256 * 1024 - 1000);
  });

  it("lists the years touched and matches scans by name", () => {
    expect(yearsOf([{ year: 2538 }, { year: 2539 }, { year: 2538 }])).toEqual([2539, 2538]);
    expect(scanKey("C:\\scans\\S1.PDF")).toBe("s1.pdf");
  });
});
