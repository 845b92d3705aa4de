import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { bearer, look, signIn } from "./helpers";

// Rooms and vehicles on a fresh stack: everything the spec needs it makes itself, with unique names.

async function as(browser: Browser, username: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: "th-TH", timezoneId: "Asia/Bangkok" })).newPage();
  await signIn(page, username);
  return page;
}

async function userId(request: APIRequestContext, username: string): Promise<string> {
  const answer = await request.get("/v1/users", { headers: await bearer(request, "ops.admin") });
  expect(answer.ok()).toBe(true);
  const found = ((await answer.json()) as { users: { id: string; username: string }[] }).users.find((u) => u.username === username);
  expect(found).toBeDefined();
  return found?.id ?? "";
}

/** A trip's page, reached as a person does (the session lives in the page's memory: no reload). */
async function openTrip(page: Page, path: string) {
  await page.getByRole("navigation", { name: "เมนูหลัก" }).getByRole("link", { name: "จองห้อง/รถ" }).click();
  await page.getByRole("navigation", { name: "เมนูการจองห้องและรถ" }).getByRole("link", { name: "คำขอใช้รถ", exact: true }).click();
  await page.locator(`a[href="${path}"]`).click();
  await expect(page.getByRole("heading", { level: 1, name: "ใบขออนุญาตใช้รถส่วนกลาง" })).toBeVisible({ timeout: 15_000 });
}

async function openBookings(page: Page) {
  await page.getByRole("navigation", { name: "เมนูหลัก" }).getByRole("link", { name: "จองห้อง/รถ" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "จองห้องประชุมและรถ" })).toBeVisible({ timeout: 15_000 });
}

test("the admin adds a room; a staff member books it in the week view, pending; the approver approves; the staff sees it booked", async ({
  browser,
  request,
}) => {
  const stamp = Date.now() % 1_000_000;
  const room = `ห้องประชุมทดสอบ ${stamp}`;
  const purpose = `ประชุมติดตามแผนงานโครงการ ${stamp}`;
  const head = await userId(request, "ops.head");

  // The admin adds the room, its approver the section head.
  const admin = await as(browser, "ops.admin");
  await openBookings(admin);
  await admin.getByRole("navigation", { name: "เมนูการจองห้องและรถ" }).getByRole("link", { name: "ห้องและรถ" }).click();
  await expect(admin.getByRole("heading", { level: 2, name: "เพิ่มห้อง รถ หรือพนักงานขับรถ" })).toBeVisible({ timeout: 15_000 });
  await admin.getByRole("combobox", { name: "ประเภท", exact: true }).selectOption("room");
  await admin.getByLabel("ชื่อ", { exact: true }).fill(room);
  await admin.getByLabel("จำนวนที่นั่ง", { exact: true }).fill("20");
  await admin.getByLabel("อาคาร", { exact: true }).fill("ศูนย์ราชการ อาคาร B");
  await admin.getByLabel("ชั้น", { exact: true }).fill("9");
  await admin.getByLabel("อุปกรณ์ (คั่นด้วยจุลภาค)", { exact: true }).fill("โปรเจกเตอร์, ไมโครโฟน");
  await expect(admin.getByLabel("การจองต้องได้รับอนุมัติก่อน")).toBeChecked();
  await admin.getByRole("listbox", { name: "ผู้อนุมัติ", exact: true }).selectOption([head]);
  await look(admin, "booking-resources-add");
  await admin.getByRole("button", { name: "เพิ่มรายการ" }).click();
  await expect(admin.getByRole("status")).toHaveText(`เพิ่ม ${room} แล้ว`);
  await expect(admin.getByRole("row", { name: new RegExp(room) })).toContainText("ต้องอนุมัติโดย");

  // The staff member finds it in next week's view and books Wednesday morning.
  const staff = await as(browser, "ops.staff1");
  await openBookings(staff);
  await staff.getByRole("button", { name: "ห้องประชุม", exact: true }).click();
  await staff.getByRole("button", { name: "สัปดาห์ถัดไป ›" }).click();
  await expect(staff.getByRole("columnheader", { name: /วันจันทร์/ })).toBeVisible();
  await expect(staff.getByRole("columnheader", { name: /วันอาทิตย์/ })).toContainText(/25\d\d/);
  const row = staff.getByRole("row", { name: new RegExp(room) });
  await row.getByRole("link", { name: new RegExp(`^จอง ${room} วันพุธ`) }).click();
  await expect(staff.getByRole("heading", { level: 1, name: "ขอจองห้องประชุมหรือรถ" })).toBeVisible({ timeout: 15_000 });
  await expect(staff.getByRole("combobox", { name: "ห้อง / รถ" })).toHaveValue(/.+/);
  await expect(staff.getByLabel("วันที่ (พ.ศ.)")).toHaveValue(/^\d+\/\d+\/25\d\d$/);
  await staff.getByLabel("เวลาเริ่ม").fill("10:00");
  await staff.getByLabel("เวลาสิ้นสุด").fill("11:30");
  await staff.getByLabel("เรื่อง / วัตถุประสงค์").fill(purpose);
  await staff.getByLabel("จำนวนผู้เข้าประชุม (คน)").fill("12");
  await expect(staff.getByText("ยังไม่มีผู้จองในวันนี้")).toBeVisible();
  await look(staff, "booking-request-form");
  await staff.getByRole("button", { name: "ส่งคำขอจอง" }).click();
  await expect(staff.getByRole("status")).toContainText("สถานะ: รออนุมัติ");
  // The same time again: refused in Thai with the clash named; what was typed stays.
  await staff.getByRole("button", { name: "ส่งคำขอจอง" }).click();
  await expect(staff.getByRole("alert")).toContainText("ช่วงเวลาที่ขอจองไม่ว่าง");
  await expect(staff.getByRole("alert")).toContainText(purpose);
  await expect(staff.getByLabel("เรื่อง / วัตถุประสงค์")).toHaveValue(purpose);
  await look(staff, "booking-request-clash");
  await staff.getByRole("link", { name: "ดูตารางสัปดาห์นั้น" }).click();
  const pending = staff.getByRole("row", { name: new RegExp(room) }).locator("li.pending");
  await expect(pending).toContainText(purpose);
  await expect(pending).toContainText("10:00–11:30");
  await expect(pending).toContainText("รออนุมัติ");
  await look(staff, "booking-week");

  // The approver approves it from the list waiting for them.
  const approver = await as(browser, "ops.head");
  await openBookings(approver);
  await approver.getByRole("link", { name: "รออนุมัติการจอง" }).click();
  await expect(approver.getByRole("heading", { level: 1, name: "การจองที่รออนุมัติ" })).toBeVisible({ timeout: 15_000 });
  await expect(approver.getByRole("row", { name: new RegExp(purpose) })).toBeVisible();
  await look(approver, "booking-approvals");
  await approver.getByRole("button", { name: `อนุมัติ ${purpose}`, exact: true }).click();
  await expect(approver.getByRole("status")).toHaveText(`อนุมัติ “${purpose}” แล้ว`);

  // The staff member sees it booked, in their list and in the week.
  await staff.getByRole("link", { name: "การจองของฉัน" }).click();
  const mine = staff.getByRole("row", { name: new RegExp(purpose) });
  await expect(mine).toContainText("จองแล้ว");
  await expect(mine).toContainText(room);
  await look(staff, "booking-mine");
  await mine.getByRole("link", { name: purpose }).click();
  await expect(staff.getByRole("heading", { level: 2, name: purpose })).toBeVisible({ timeout: 15_000 });
  await expect(staff.getByText("จองแล้ว", { exact: true })).toBeVisible();
  await staff.getByRole("link", { name: "กลับไปตารางสัปดาห์" }).click();
  await expect(staff.getByRole("row", { name: new RegExp(room) }).locator("li.confirmed")).toContainText(purpose);
});

test("a trip request (แบบ 3): the head's opinion, the director's decision, a vehicle and driver assigned, the form as a PDF, the log", async ({
  browser,
  request,
}) => {
  const stamp = Date.now() % 1_000_000;
  const vehicle = `รถตู้ทดสอบ ${stamp}`;
  const plate = `ฮข ${stamp % 10000}`;
  const driver = `นายขับดี ทดสอบ ${stamp}`;
  const purpose = `ประชุมหารือการเชื่อมโยงข้อมูลกับจังหวัด ${stamp}`;
  const admin = await bearer(request, "ops.admin");
  const adminId = await userId(request, "ops.admin");
  for (const data of [
    { kind: "vehicle", name: vehicle, plate, vehicle_type: "รถตู้", capacity: 10, officers: [adminId] },
    { kind: "driver", name: driver, officers: [adminId] },
  ]) {
    const made = await request.post("/v1/resources", { headers: admin, data });
    expect(made.status()).toBe(201);
  }

  // The staff member asks for a vehicle.
  const staff = await as(browser, "ops.staff1");
  await openBookings(staff);
  await staff.getByRole("link", { name: "ขออนุญาตใช้รถ (แบบ 3)" }).click();
  await expect(staff.getByRole("heading", { level: 1, name: "ขออนุญาตใช้รถส่วนกลาง (แบบ 3)" })).toBeVisible({ timeout: 15_000 });
  await expect(staff.getByLabel("เรียน")).toHaveValue("ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม");
  await staff.getByLabel("ไปที่ (สถานที่)").fill("ศาลากลางจังหวัดนครปฐม");
  await staff.getByLabel("จังหวัด").fill("นครปฐม");
  await staff.getByLabel("เพื่อ").fill(purpose);
  await staff.getByLabel("ผู้ร่วมเดินทาง (บรรทัดละหนึ่งคน)").fill("นางสาวกาญจนา ศรีสุข\nนายวิชัย มั่นคง");
  await expect(staff.getByText("รวมผู้ขอ มีคนนั่ง 3 คน")).toBeVisible();
  await look(staff, "booking-trip-form");
  await staff.getByRole("button", { name: "ส่งคำขอใช้รถ" }).click();
  await expect(staff.getByRole("heading", { level: 1, name: "ใบขออนุญาตใช้รถส่วนกลาง" })).toBeVisible({ timeout: 15_000 });
  await expect(staff.getByText("รอความเห็นผู้บังคับบัญชา", { exact: true })).toBeVisible();
  const tripUrl = new URL(staff.url()).pathname;

  // The section head recommends it.
  const head = await as(browser, "ops.head");
  await openTrip(head, tripUrl);
  await head.getByLabel("สมควรอนุญาต", { exact: true }).check();
  await head.getByLabel("ความเห็นเพิ่มเติม").fill("เห็นสมควรอนุญาต เพื่อประโยชน์ของทางราชการ");
  await head.getByRole("button", { name: "บันทึกความเห็น" }).click();
  await expect(head.getByRole("status")).toHaveText("บันทึกความเห็นแล้ว ส่งต่อผู้อนุมัติ");
  await expect(head.getByText("รออนุมัติ", { exact: true })).toBeVisible();

  // The director approves.
  const director = await as(browser, "ops.director");
  await openTrip(director, tripUrl);
  await expect(director.getByText("ผู้บังคับบัญชาเห็นสมควรอนุญาต", { exact: true })).toBeVisible();
  await director.getByRole("button", { name: "อนุมัติ", exact: true }).click();
  await expect(director.getByText("อนุมัติแล้ว รอจัดรถ", { exact: true })).toBeVisible();

  // The fleet's officer (the admin) assigns the vehicle and the driver, and prints the form.
  const officer = await as(browser, "ops.admin");
  await openBookings(officer);
  await officer.getByRole("navigation", { name: "เมนูการจองห้องและรถ" }).getByRole("link", { name: "คำขอใช้รถ", exact: true }).click();
  await officer.getByRole("button", { name: /รอฉันดำเนินการ/ }).click();
  await officer.getByRole("link", { name: /ศาลากลางจังหวัดนครปฐม/ }).and(officer.locator(`[href="${tripUrl}"]`)).click();
  await officer.getByRole("combobox", { name: "รถหมายเลขทะเบียน" }).selectOption({ label: `${vehicle} ${plate} (นั่งได้ 10 คน)` });
  await officer.getByRole("combobox", { name: "พนักงานขับรถ" }).selectOption({ label: driver });
  await officer.getByRole("button", { name: "จัดรถ", exact: true }).click();
  await expect(officer.getByRole("status")).toHaveText("จัดรถและพนักงานขับรถแล้ว");
  await expect(officer.locator("dl.facts")).toContainText(`${vehicle} ${plate}`);
  await expect(officer.locator("dl.facts")).toContainText(driver);
  const downloading = officer.waitForEvent("download");
  await officer.getByRole("button", { name: "ดาวน์โหลดแบบ 3 (PDF)" }).click();
  const pdf = await downloading;
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  expect(readFileSync(await pdf.path()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  await look(officer, "booking-trip-assigned");

  // The trip as driven (แบบ 4).
  await officer.getByLabel("เลขไมล์ก่อนออก").fill("15200");
  await officer.getByLabel("เลขไมล์เมื่อกลับ").fill("15285");
  await officer.getByLabel("น้ำมันเชื้อเพลิง (ลิตร)").fill("12.5");
  await officer.getByRole("button", { name: "บันทึกการใช้รถ" }).click();
  await expect(officer.getByRole("status")).toHaveText("บันทึกการใช้รถแล้ว");
  await expect(officer.locator("dl.facts")).toContainText("85 กิโลเมตร");
  // The vehicle's month, in the fleet officer's report.
  await officer.getByRole("link", { name: "กลับไปรายการคำขอใช้รถ" }).click();
  const report = officer.getByRole("region", { name: "รายงานการใช้รถประจำเดือน" });
  await report.getByRole("combobox", { name: "รถหมายเลขทะเบียน" }).selectOption({ label: `${vehicle} ${plate}` });
  const tomorrow = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Bangkok" }).format(new Date(Date.now() + 86_400_000));
  await report.getByRole("combobox", { name: "เดือน" }).selectOption(tomorrow.slice(0, 7));
  await expect(report).toContainText("ใช้รถ 1 ครั้ง ระยะทางรวม 85 กิโลเมตร น้ำมันเชื้อเพลิง 12.5 ลิตร");
  await look(officer, "booking-trips-report");

  // The requester sees it done.
  await openTrip(staff, tripUrl);
  await expect(staff.locator("dl.facts .state")).toHaveText("บันทึกการใช้รถแล้ว");
  await look(staff, "booking-trip-completed");
});

test("the admin shares a room with another agency, which sees it shared; makes its calendar address, which opens as iCalendar; revokes it", async ({
  browser,
  request,
}) => {
  const stamp = Date.now() % 1_000_000;
  const room = `ห้องประชุมใช้ร่วม ${stamp}`;
  const headers = await bearer(request, "ops.admin");
  const approverId = await userId(request, "ops.admin");
  const made = await request.post("/v1/resources", {
    headers,
    data: { kind: "room", name: room, capacity: 30, building: "อาคารรวมหน่วยราชการ", floor: "3", approvers: [approverId], rules: { approval: true } },
  });
  expect(made.status()).toBe(201);
  const roomId = ((await made.json()) as { id: string }).id;
  // Whatever happens, the room is not left shared with the other agency (its lists are others' to count).
  const unshare = async () => request.put(`/v1/resources/${roomId}/sharing`, { headers, data: { agencies: [] } });
  try {
    const listed = await request.get("/v1/exchange/agencies", { headers });
    const agencies = ((await listed.json()) as { items: { id: string; name: string }[] }).items;
    const partner = agencies.find((a) => a.id === "mdes-dept")?.name ?? "";
    expect(partner).not.toBe("");

    const context = await browser.newContext({ locale: "th-TH", timezoneId: "Asia/Bangkok", permissions: ["clipboard-read", "clipboard-write"] });
    const admin = await context.newPage();
    await signIn(admin, "ops.admin");
    await openBookings(admin);
    await admin.getByRole("navigation", { name: "เมนูการจองห้องและรถ" }).getByRole("link", { name: "ห้องและรถ" }).click();
    const row = admin.getByRole("row", { name: new RegExp(room) }).first();
    await expect(row).toContainText("ใช้เฉพาะในหน่วยงาน", { timeout: 15_000 });
    const settings = admin.getByRole("button", { name: `การใช้ร่วมและปฏิทินของ ${room}` });
    await expect(settings).toHaveAttribute("aria-expanded", "false");
    await settings.click();
    await expect(settings).toHaveAttribute("aria-expanded", "true");

    // Sharing: the partner agency by its name.
    const sharing = admin.getByRole("region", { name: `ให้หน่วยงานอื่นจอง ${room}` });
    await sharing.getByRole("checkbox", { name: partner }).check();
    await look(admin, "booking-resources-share");
    await sharing.getByRole("button", { name: "บันทึกการใช้ร่วม" }).click();
    await expect(sharing.getByRole("status")).toHaveText(`บันทึกแล้ว: ${room} ใช้ร่วมกับ 1 หน่วยงาน`);
    await expect(row).toContainText(`ใช้ร่วมกับ ${partner}`);

    // The partner agency sees it, shared by the agency named, with nothing to set.
    const partnerPage = await as(browser, "dept.admin");
    await openBookings(partnerPage);
    await partnerPage.getByRole("navigation", { name: "เมนูการจองห้องและรถ" }).getByRole("link", { name: "ห้องและรถ" }).click();
    const theirs = partnerPage.getByRole("row", { name: new RegExp(room) }).first();
    await expect(theirs).toContainText(/ใช้ร่วมจาก \S+/, { timeout: 15_000 });
    await expect(theirs).not.toContainText("ใช้ร่วมจาก mdes-ops");
    await expect(theirs.getByRole("button")).toHaveCount(0);
    await expect(theirs).toContainText("ต้องอนุมัติโดยหน่วยงานเจ้าของ");
    await look(partnerPage, "booking-resources-shared-in");
    // Booked by the partner's admin (over the API), it waits for the owner's approver: no approve offered here.
    const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Bangkok" }).format(new Date(Date.now() + 8 * 86_400_000));
    const purpose = `ประชุมร่วมสองหน่วยงาน ${stamp}`;
    const booked = await request.post(`/v1/resources/${roomId}/bookings?owner=mdes-ops`, {
      headers: await bearer(request, "dept.admin"),
      data: { start: `${day}T13:00:00+07:00`, end: `${day}T14:00:00+07:00`, title: purpose, attendees: 8 },
    });
    expect(booked.status()).toBe(201);
    await partnerPage.getByRole("link", { name: "การจองของฉัน" }).click();
    await partnerPage.getByRole("row", { name: new RegExp(purpose) }).getByRole("link", { name: purpose }).click();
    await expect(partnerPage.getByRole("heading", { level: 2, name: purpose })).toBeVisible({ timeout: 15_000 });
    await expect(partnerPage.getByText("รออนุมัติ", { exact: true })).toBeVisible();
    await expect(partnerPage.getByText("ผู้อนุมัติของหน่วยงานเจ้าของเป็นผู้พิจารณา", { exact: false })).toBeVisible();
    await expect(partnerPage.getByRole("button", { name: "อนุมัติ", exact: true })).toHaveCount(0);
    await expect(partnerPage.getByRole("button", { name: "ยกเลิกการจอง" })).toBeVisible(); // the booker's own
    await look(partnerPage, "booking-shared-pending");
    await partnerPage.context().close();

    // Its calendar address: made, copied, and opened as a calendar program would (no sign-in).
    const feed = admin.getByRole("region", { name: `ที่อยู่ปฏิทินของ ${room}` });
    await feed.getByRole("button", { name: "สร้างที่อยู่ปฏิทิน" }).click();
    await expect(feed.getByRole("status")).toHaveText("สร้างที่อยู่ปฏิทินแล้ว คัดลอกไปเพิ่มในโปรแกรมปฏิทิน");
    const address = feed.getByRole("textbox", { name: "ที่อยู่ปฏิทิน" });
    await expect(address).toHaveValue(/\/v1\/calendar\/[A-Za-z0-9_-]{40,64}$/);
    const url = await address.inputValue();
    await expect(feed).toContainText("สมัครใช้งานจากเว็บ");
    await expect(feed).toContainText("จาก URL");
    await feed.getByRole("button", { name: "คัดลอกที่อยู่" }).click();
    await expect(feed.getByRole("status")).toHaveText("คัดลอกที่อยู่ปฏิทินแล้ว");
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(url);
    await look(admin, "booking-resources-feed");
    const calendar = await request.get(url);
    expect(calendar.status()).toBe(200);
    expect(calendar.headers()["content-type"]).toContain("text/calendar");
    const text = await calendar.text();
    expect(text).toContain("BEGIN:VCALENDAR");
    expect(text).toContain("END:VCALENDAR");

    // Back on the screen later (in-app, so the address made above is forgotten): the screen still knows
    // there is one, and a new one replaces it only after a confirmation.
    const menu = admin.getByRole("navigation", { name: "เมนูการจองห้องและรถ" });
    await menu.getByRole("link", { name: "ตารางรายสัปดาห์" }).click();
    await menu.getByRole("link", { name: "ห้องและรถ" }).click();
    await expect(row).toBeVisible({ timeout: 15_000 });
    await settings.click();
    await expect(address).toBeHidden();
    await expect(feed).toContainText("รายการนี้มีที่อยู่ปฏิทินอยู่แล้ว");
    await expect(feed.getByRole("button", { name: "สร้างที่อยู่ปฏิทิน" })).toHaveCount(0);
    await feed.getByRole("button", { name: "ขอที่อยู่ใหม่ (ที่อยู่เดิมใช้ไม่ได้)" }).click();
    const renewal = admin.getByRole("dialog", { name: "ขอที่อยู่ปฏิทินใหม่" });
    await expect(renewal).toContainText(room);
    await renewal.getByRole("button", { name: "ยืนยันขอที่อยู่ใหม่" }).click();
    await expect(renewal).toBeHidden();
    await expect(feed.getByRole("status")).toHaveText("สร้างที่อยู่ปฏิทินแล้ว คัดลอกไปเพิ่มในโปรแกรมปฏิทิน");
    await expect(address).toHaveValue(/\/v1\/calendar\/[A-Za-z0-9_-]{40,64}$/);
    const renewed = await address.inputValue();
    expect(renewed).not.toBe(url);
    expect((await request.get(url)).status()).toBe(404); // the old address stopped
    expect((await request.get(renewed)).status()).toBe(200);

    // Revoked, after a confirmation: the address no longer opens.
    await feed.getByRole("button", { name: "ยกเลิกที่อยู่ปฏิทิน" }).click();
    const dialog = admin.getByRole("dialog", { name: "ยกเลิกที่อยู่ปฏิทิน" });
    await expect(dialog).toContainText(room);
    await look(admin, "booking-resources-feed-revoke");
    await dialog.getByRole("button", { name: "ยืนยันยกเลิกที่อยู่" }).click();
    await expect(dialog).toBeHidden();
    await expect(feed.getByRole("status")).toHaveText("ยกเลิกที่อยู่ปฏิทินแล้ว ที่อยู่เดิมเปิดไม่ได้อีก");
    await expect(address).toBeHidden();
    expect((await request.get(renewed)).status()).toBe(404);
    // None now: nothing to revoke is offered, and making one asks nothing.
    await expect(feed.getByRole("button", { name: "ยกเลิกที่อยู่ปฏิทิน" })).toHaveCount(0);
    await expect(feed.getByRole("button", { name: "สร้างที่อยู่ปฏิทิน" })).toBeVisible();
    await expect(feed).not.toContainText("รายการนี้มีที่อยู่ปฏิทินอยู่แล้ว");

    // Sharing stopped: the room is the agency's own again.
    await sharing.getByRole("button", { name: "หยุดใช้ร่วมทั้งหมด" }).click();
    await expect(sharing.getByRole("status")).toHaveText(`หยุดใช้ร่วม ${room} แล้ว`);
    await expect(row).toContainText("ใช้เฉพาะในหน่วยงาน");
    await context.close();
  } finally {
    await unshare();
  }
});

test("the assigned driver, a user of the platform, sees the trip they drive and logs it (แบบ 4)", async ({ browser, request }) => {
  const stamp = Date.now() % 1_000_000;
  const vehicle = `รถกระบะทดสอบ ${stamp}`;
  const place = `ที่ว่าการอำเภอทดสอบ ${stamp}`;
  const admin = await bearer(request, "ops.admin");
  const adminId = await userId(request, "ops.admin");
  const driverUserId = await userId(request, "ops.staff2");
  const made: Record<string, string> = {};
  for (const data of [
    { kind: "vehicle", name: vehicle, plate: `บก ${stamp % 10000}`, vehicle_type: "รถกระบะ", capacity: 4, officers: [adminId] },
    { kind: "driver", name: `นายขับรถ ผู้ใช้ระบบ ${stamp}`, officers: [adminId], user_id: driverUserId },
  ]) {
    const answer = await request.post("/v1/resources", { headers: admin, data });
    expect(answer.status()).toBe(201);
    const view = (await answer.json()) as { id: string; kind: string; user_id: string | null };
    made[view.kind] = view.id;
    expect(view.user_id).toBe(data.kind === "driver" ? driverUserId : null);
  }
  // The steps before the log, over the API: asked, recommended, approved, assigned.
  const tomorrow = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Bangkok" }).format(new Date(Date.now() + 86_400_000));
  const asked = await request.post("/v1/trips", {
    headers: await bearer(request, "ops.staff1"),
    data: {
      to_position: "ปลัดกระทรวง",
      place,
      province: "สุพรรณบุรี",
      purpose: `ตรวจเยี่ยมโครงการ ${stamp}`,
      departure: `${tomorrow}T13:00:00+07:00`,
      back: `${tomorrow}T16:00:00+07:00`,
    },
  });
  expect(asked.status()).toBe(201);
  const trip = (await asked.json()) as { id: string; requester_units: string[] };
  expect(trip.requester_units.length).toBeGreaterThan(0);
  const step = async (user: string, path: string, data: object) => {
    const answer = await request.post(`/v1/trips/${trip.id}/${path}`, { headers: await bearer(request, user), data });
    expect(answer.ok(), `${path}: ${await answer.text()}`).toBe(true);
    return (await answer.json()) as { state: string; driver_user_id: string | null };
  };
  await step("ops.head", "opinion", { recommend: true });
  await step("ops.director", "decision", { approve: true });
  const assigned = await step("ops.admin", "assignment", { vehicle_id: made.vehicle, driver_id: made.driver });
  expect([assigned.state, assigned.driver_user_id]).toEqual(["assigned", driverUserId]);

  // The driver finds it waiting for them, and logs it.
  const driver = await as(browser, "ops.staff2");
  await openBookings(driver);
  await driver.getByRole("navigation", { name: "เมนูการจองห้องและรถ" }).getByRole("link", { name: "คำขอใช้รถ", exact: true }).click();
  await driver.getByRole("button", { name: /รอฉันดำเนินการ/ }).click();
  await driver.locator(`a[href="/bookings/trips/${trip.id}"]`).click();
  await expect(driver.getByRole("heading", { level: 1, name: "ใบขออนุญาตใช้รถส่วนกลาง" })).toBeVisible({ timeout: 15_000 });
  await expect(driver.getByRole("heading", { level: 2, name: "บันทึกการใช้รถ (แบบ 4)" })).toBeVisible();
  await look(driver, "booking-trip-driver-log");
  await driver.getByLabel("เลขไมล์ก่อนออก").fill("8200");
  await driver.getByLabel("เลขไมล์เมื่อกลับ").fill("8264");
  await driver.getByRole("button", { name: "บันทึกการใช้รถ" }).click();
  await expect(driver.getByRole("status")).toHaveText("บันทึกการใช้รถแล้ว");
  await expect(driver.locator("dl.facts")).toContainText("64 กิโลเมตร");
});
