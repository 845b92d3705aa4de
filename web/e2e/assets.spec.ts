import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { bearer, look, signIn, th } from "./helpers";

// The asset register (ครุภัณฑ์) of mdes-dept: the supply officer adds, changes and moves an asset and
// imports an existing register; the head appoints the year's stock-take checker, who scans a label,
// records a finding and drafts the report. Set-up over the API: the agency's settings (a class, the
// supply officer) when missing, and two assets for the stock-take.
const CLASS = "7440-001";
const stamp = String(Date.now() % 1_000_000);
/** What the screens show in Thai digits (mdes-dept chose them), read back in Arabic digits for the API. */
const arabic = (text: string) => text.replace(/[๐-๙]/g, (d) => String(d.charCodeAt(0) - 0x0e50));
/** mdes-dept's units (devstack/demo.py): the screens name them, the API keeps their ids. */
const SERVICES = "กองบริการดิจิทัล"; // services, ดศ 0301.4
const OFFICE = "สำนักงานเลขานุการกรม"; // office

interface User {
  id: string;
  username: string;
  name: string;
}

async function users(request: APIRequestContext): Promise<Map<string, User>> {
  const answer = await request.get("/v1/users", { headers: await bearer(request, "dept.admin") });
  expect(answer.ok()).toBe(true);
  const body = (await answer.json()) as { users: User[] };
  return new Map(body.users.map((u) => [u.username, u]));
}

/** The settings with the class and dept.staff2 as supply officer, kept as they are when already so. */
async function settle(request: APIRequestContext): Promise<Map<string, User>> {
  const people = await users(request);
  const headers = await bearer(request, "dept.admin");
  const got = await request.get("/v1/assets/settings", { headers });
  const current = got.ok()
    ? ((await got.json()) as { classes: { code: string }[]; supply_officers: string[] } & Record<string, unknown>)
    : { number_format: "{class_code}-{fiscal_year}-{seq:04d}", classes: [], supply_officers: [], holidays: [], residual_baht: "1" };
  const officer = people.get("dept.staff2")?.id ?? "";
  if (current.classes.some((c) => c.code === CLASS) && current.supply_officers.includes(officer)) return people;
  const put = await request.put("/v1/assets/settings", {
    headers,
    data: {
      ...current,
      classes: [...current.classes.filter((c) => c.code !== CLASS), { code: CLASS, name: "ครุภัณฑ์คอมพิวเตอร์", life_years: 5 }],
      supply_officers: [...new Set([...current.supply_officers, officer])],
    },
  });
  expect(put.ok()).toBe(true);
  return people;
}

async function openArea(page: Page, link: string, heading: string) {
  await page.getByRole("link", { name: "ครุภัณฑ์", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "ทะเบียนครุภัณฑ์" })).toBeVisible();
  await page.getByRole("navigation", { name: "เมนูงานพัสดุและครุภัณฑ์" }).getByRole("link", { name: link }).click();
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
}

test("the supply officer adds an asset, finds it in the register, changes its status, moves it and sees its label", async ({ page, request }) => {
  const people = await settle(request);
  const description = `เครื่องคอมพิวเตอร์โน้ตบุ๊ก สำหรับงานประมวลผล ${stamp}`;
  await signIn(page, "dept.staff2");
  await openArea(page, "ลงทะเบียนครุภัณฑ์", "ลงทะเบียนครุภัณฑ์");
  await page.getByLabel("ประเภทครุภัณฑ์").selectOption(CLASS);
  await page.getByLabel("รายการ").fill(description);
  await page.getByLabel("วันที่ได้มา").fill("15/3/2025"); // a Christian year: refused, nothing typed is lost
  await page.getByLabel("ราคา (บาท)").fill("36,500");
  await page.getByLabel("เลขที่เอกสาร (ใบส่งของ/สัญญา)").fill("ใบส่งของ 123/2568");
  await page.getByLabel("แหล่งเงิน").fill("เงินงบประมาณ");
  await page.getByLabel("หน่วยงานที่ใช้").selectOption({ label: SERVICES });
  await page.getByLabel("สถานที่ตั้ง").fill("ห้อง 401 ชั้น 4");
  await page.getByLabel("ผู้รับผิดชอบ").selectOption(people.get("dept.staff1")?.id ?? "");
  await page.getByRole("button", { name: "ลงทะเบียน", exact: true }).click();
  await expect(page.getByText("ใส่วันที่เป็น วว/ดด/ปปปป พ.ศ.")).toBeVisible();
  await expect(page.getByLabel("วันที่ได้มา")).toBeFocused();
  await expect(page.getByLabel("รายการ")).toHaveValue(description);
  await look(page, "assets-add-refused");

  await page.getByLabel("วันที่ได้มา").fill("15/3/2568");
  await expect(page.getByText(th("15 มีนาคม 2568 · ปีงบประมาณ 2568"))).toBeVisible();
  await page.getByRole("button", { name: "ลงทะเบียน", exact: true }).click();
  const made = page.locator(".receipt");
  await expect(made).toHaveText(/^ลงทะเบียนแล้ว เลขครุภัณฑ์ ๗๔๔๐-๐๐๑-๒๕๖๘-[๐-๙]{4}$/);
  const number = arabic(((await made.textContent()) ?? "").replace("ลงทะเบียนแล้ว เลขครุภัณฑ์ ", ""));
  await look(page, "assets-add-done");

  await page.getByRole("navigation", { name: "เมนูงานพัสดุและครุภัณฑ์" }).getByRole("link", { name: "ทะเบียนคุม" }).click();
  await page.getByLabel("คำค้น (เลข รายการ สถานที่)").fill(stamp);
  await page.getByLabel("สถานะ").selectOption("in_use");
  await page.getByLabel("หน่วยงานที่ใช้").selectOption({ label: SERVICES }); // the filter offers units by name
  await page.getByRole("button", { name: "ค้นหา" }).click();
  const row = page.locator("table.register tbody tr").filter({ hasText: description });
  await expect(row).toHaveCount(1);
  await expect(row.locator("td").nth(4)).toHaveText(SERVICES); // the unit's Thai name, not its id
  await expect(row).toContainText(th(number));
  await expect(row).toContainText(th("36,500.00"));
  await expect(row).toContainText(th("15 มีนาคม 2568"));
  await expect(row).toContainText("สมชาย รักงาน");
  await page.getByLabel("คำค้น (เลข รายการ สถานที่)").fill("");
  await page.getByLabel("หน่วยงานที่ใช้").selectOption("");
  await page.getByLabel("เรียงตาม").selectOption("name");
  await page.getByRole("button", { name: "ค้นหา" }).click();
  await look(page, "assets-register");

  await page.getByLabel("คำค้น (เลข รายการ สถานที่)").fill(stamp);
  await page.getByRole("button", { name: "ค้นหา" }).click();
  await row.getByRole("link", { name: th(number) }).click();
  await expect(page.getByRole("heading", { level: 1, name: `ครุภัณฑ์ ${th(number)}` })).toBeVisible();
  await expect(page.getByRole("img", { name: `คิวอาร์โค้ดของครุภัณฑ์ ${number}` })).toBeVisible();
  await expect(page.getByTestId("scan-code")).toHaveText(/\/assets\/[0-9a-f]+$/);
  await expect(page.getByRole("button", { name: "พิมพ์ป้าย" })).toBeEnabled();
  await expect(page.locator(".asset-page dl")).toContainText(SERVICES);
  await expect(page.getByLabel("ไปยังหน่วยงาน")).toHaveValue("services"); // the transfer starts from where it is

  await page.getByLabel("สถานะใหม่").selectOption("repair");
  await page.getByLabel("เหตุผล").fill("จอภาพไม่แสดงผล ส่งซ่อมตามใบแจ้งซ่อม 45/2569");
  await page.getByRole("button", { name: "บันทึกสถานะ" }).click();
  await expect(page.getByText('เปลี่ยนสถานะเป็น "ชำรุด/ส่งซ่อม" แล้ว')).toBeVisible();
  await expect(page.locator(".asset-page dd .asset-status")).toHaveText("ชำรุด/ส่งซ่อม");

  await page.getByLabel("ไปยังหน่วยงาน").selectOption({ label: OFFICE });
  await page.getByLabel("สถานที่ตั้งใหม่").fill("ห้องประชุม ชั้น 5");
  await page.getByLabel("ผู้รับผิดชอบใหม่").selectOption(people.get("dept.head")?.id ?? "");
  await page.getByLabel("หมายเหตุ (เช่น เลขที่บันทึกขอโอน)").fill("บันทึกขอโอน ที่ ดศ 0201/77");
  await page.getByRole("button", { name: "บันทึกการโอนย้าย" }).click();
  await expect(page.getByText("บันทึกการโอนย้ายแล้ว")).toBeVisible();
  await expect(page.locator(".asset-page dl")).toContainText("ห้องประชุม ชั้น 5");
  await expect(page.locator(".asset-page dl")).toContainText("นายวิชัย มั่นคง");
  await expect(page.locator(".asset-page dl")).toContainText(OFFICE);
  await look(page, "assets-page");

  await page.getByRole("navigation", { name: "เมนูงานพัสดุและครุภัณฑ์" }).getByRole("link", { name: "ค่าเสื่อมราคา" }).click();
  await page.getByLabel("ปีงบประมาณ").selectOption("2570");
  await expect(page.getByRole("table", { name: new RegExp(th("ค่าเสื่อมราคาครุภัณฑ์ ปีงบประมาณ 2570")) })).toBeVisible();
  const charged = page.locator("table.register tbody tr").filter({ hasText: th(number) });
  await expect(charged).toContainText(th("36,500.00"));
  await expect(charged).toContainText(OFFICE);
  await look(page, "assets-depreciation");
});

test("the supply officer imports an existing register: the bad row is refused with its reason", async ({ page, request }) => {
  await settle(request);
  const csv = [
    "เลขครุภัณฑ์,ประเภท,รายการ,วันที่ได้มา,ราคา,หน่วยงาน,สถานที่ตั้ง,สถานะ",
    `ทบ.${stamp}-001,${CLASS},เครื่องพิมพ์เลเซอร์,1/10/2563,"12,900",${SERVICES},ห้อง 402,ใช้งาน`, // the unit by name
    `ทบ.${stamp}-002,${CLASS},สแกนเนอร์เอกสาร,2021-05-20,8500,ดศ 0301.4,ห้อง 402,ซ่อม`, // by its code
    `ทบ.${stamp}-003,9999-999,ตู้เหล็กเก็บเอกสาร,31/2/2564,4200,กองที่ไม่มีอยู่,ห้อง 402,ใช้งาน`,
  ].join("\r\n");
  await signIn(page, "dept.staff2");
  await openArea(page, "นำเข้าทะเบียนเดิม", "นำเข้าทะเบียนครุภัณฑ์เดิม");
  await page.getByLabel("แฟ้มทะเบียนเดิม (CSV)").setInputFiles({ name: "ทะเบียนเดิม.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf-8") });
  await expect(page.getByText(th("พร้อมนำเข้า 2 รายการ ไม่รับ 1 รายการ"))).toBeVisible();
  const refused = page.getByRole("table", { name: /รายการที่ไม่รับ/ }).locator("tbody tr");
  await expect(refused).toHaveCount(1);
  await expect(refused).toContainText(`ทบ.${stamp}-003`);
  await expect(refused).toContainText("ไม่มีประเภทนี้ในการตั้งค่า");
  await expect(refused).toContainText("วันที่ได้มาไม่ใช่วันที่");
  await expect(refused).toContainText("ไม่พบหน่วยงานนี้ในโครงสร้างของหน่วยงาน");
  await page.getByRole("button", { name: th("นำเข้า 2 รายการ") }).click();
  await expect(page.getByText(th("นำเข้าใหม่ 2 รายการ"))).toBeVisible();
  await expect(page.getByText(th("ส่งแล้ว 2 จาก 2 รายการ"))).toBeVisible();
  await look(page, "assets-import");

  await page.getByRole("navigation", { name: "เมนูงานพัสดุและครุภัณฑ์" }).getByRole("link", { name: "ทะเบียนคุม" }).click();
  await page.getByLabel("คำค้น (เลข รายการ สถานที่)").fill(`ทบ.${stamp}`);
  await page.getByRole("button", { name: "ค้นหา" }).click();
  const imported = page.locator("table.register tbody tr");
  await expect(imported).toHaveCount(2);
  for (const line of await imported.all()) await expect(line.locator("td").nth(4)).toHaveText(SERVICES);
});

test("the head appoints the stock-take checker, who scans a label, records a finding and drafts the report", async ({ page, request }) => {
  const people = await settle(request);
  const officer = await bearer(request, "dept.staff2");
  const ids: string[] = [];
  for (const [description, price] of [
    [`โต๊ะทำงานพร้อมลิ้นชัก ${stamp}`, "4500"],
    [`เก้าอี้สำนักงาน ${stamp}`, "2900"],
  ]) {
    const answer = await request.post("/v1/assets", {
      headers: officer,
      data: { class_code: CLASS, description, acquired_on: "2025-11-01", price, unit_id: "services" },
    });
    expect(answer.ok()).toBe(true);
    ids.push(((await answer.json()) as { id: string }).id);
  }
  // A year no stock-take has yet (a stock-take is appointed once a year), so that the spec runs again.
  const head = await bearer(request, "dept.head");
  let year = 2601;
  while ((await request.get(`/v1/stocktakes/${String(year)}`, { headers: head })).ok()) year++;

  await signIn(page, "dept.head");
  await openArea(page, "ตรวจสอบพัสดุประจำปี", "ตรวจสอบพัสดุประจำปี");
  await page.getByLabel("ปีงบประมาณที่ตรวจสอบ (พ.ศ.)").fill(String(year));
  await page.getByRole("button", { name: "เปิด", exact: true }).click();
  await expect(page.getByRole("heading", { name: th(`การตรวจสอบพัสดุประจำปีงบประมาณ ${String(year)}`) })).toBeVisible();
  await expect(page.getByText("นางสาวกาญจนา ศรีสุข")).toHaveCount(0); // the supply officer is not offered
  await page.getByLabel(people.get("dept.staff1")?.name ?? "").check();
  await look(page, "assets-stocktake-appoint");
  await page.getByRole("button", { name: "แต่งตั้ง", exact: true }).click();
  await expect(page.getByText("กำหนดรายงาน")).toBeVisible();
  await expect(page.getByText("บันทึกผลได้เฉพาะผู้ตรวจสอบที่ได้รับแต่งตั้ง")).toBeVisible();

  const checker = await page.context().newPage(); // a session of its own
  await signIn(checker, "dept.staff1");
  await openArea(checker, "ตรวจสอบพัสดุประจำปี", "ตรวจสอบพัสดุประจำปี");
  await checker.getByLabel("ปีงบประมาณที่ตรวจสอบ (พ.ศ.)").fill(String(year));
  await checker.getByRole("button", { name: "เปิด", exact: true }).click();
  await expect(checker.getByText("สมชาย รักงาน")).toBeVisible();
  await checker.getByLabel("รหัสจากป้าย").fill(`eoffice:asset:${ids[0] ?? ""}`);
  await checker.getByLabel("รหัสจากป้าย").press("Enter");
  const counts = checker.getByRole("list", { name: "ผลการตรวจสอบถึงขณะนี้" });
  await expect(counts.getByRole("listitem").filter({ hasText: "พบ ใช้งานได้" })).toContainText("๑");
  await expect(checker.getByLabel("รหัสจากป้าย")).toBeFocused(); // ready for the next label
  const finding = checker.getByRole("form", { name: "บันทึกผลรายการ" });
  await finding.getByRole("combobox", { name: /^ครุภัณฑ์/ }).selectOption(ids[1] ?? "");
  await finding.getByLabel("ผลการตรวจ").selectOption("missing");
  await finding.getByLabel("หมายเหตุ").fill("ไม่พบที่ห้อง 401");
  await checker.getByRole("button", { name: "บันทึกผล", exact: true }).click();
  await expect(counts.getByRole("listitem").filter({ hasText: "สูญไป" })).toContainText("๑");
  const recorded = checker.getByRole("table", { name: "บันทึกในครั้งนี้" }).locator("tbody tr");
  await expect(recorded).toHaveCount(2);
  await expect(recorded.first()).toContainText(`เก้าอี้สำนักงาน ${stamp}`);
  await expect(recorded.first()).toContainText(SERVICES);
  await checker.getByRole("button", { name: "จัดทำรายงาน" }).click();
  await expect(checker.getByRole("link", { name: `รายงานผลการตรวจสอบพัสดุประจำปีงบประมาณ ${String(year)}` })).toBeVisible();
  await look(checker, "assets-stocktake");
});

test("the agency admin opens the asset settings to edit", async ({ page, request }) => {
  await settle(request);
  await signIn(page, "dept.admin");
  await openArea(page, "ตั้งค่าทะเบียน", "การตั้งค่าทะเบียนครุภัณฑ์");
  await expect(page.getByLabel("รูปแบบเลขครุภัณฑ์")).toHaveValue(/\{seq/);
  await expect(page.getByText(/ตัวอย่าง: /)).toBeVisible();
  await expect(page.getByRole("button", { name: "บันทึกการตั้งค่า" })).toBeEnabled();
  await look(page, "assets-settings");
});
