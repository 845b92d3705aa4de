import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import { bearer, look, signIn, th } from "./helpers";

// The agency administrator's screens (ops.admin): users and roles, a delegation from its written order
// (seen in the delegate's own GET /v1/me, then removed again), a route template kept across a reload
// (the kind no other spec uses: หนังสือที่เจ้าหน้าที่ทำขึ้นฯ, restored afterwards), the emblem (a hostile
// file refused with the API's reason, a real PNG taken; as dept.admin), the register books and the signer keys. Then
// ops.staff1: no administrator's screens, but their own notification settings and calendar address.

const HEAD_POSITION = "ผู้อำนวยการกลุ่มงาน";
const DIRECTOR = "นางสาวประภาพร วงศ์ไทย";
const RECORDS = "นางอรุณี เก็บรักษา";

/** A small, valid PNG (a red ring on white), made here: the API decodes what it takes. */
function emblemPng(size = 64): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows: number[] = [];
  const middle = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    rows.push(0);
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x - middle, y - middle);
      const ring = r > size * 0.34 && r < size * 0.46;
      rows.push(ring ? 150 : 255, ring ? 20 : 255, ring ? 20 : 255);
    }
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(Buffer.from(rows))), chunk("IEND", Buffer.alloc(0))]);
}

/** A day some weeks ahead as a Thai office types it (d/m/yyyy in พ.ศ.). */
function buddhistDayAhead(days: number): string {
  const [y = "", m = "", d = ""] = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Bangkok" })
    .format(new Date(Date.now() + days * 86_400_000))
    .split("-");
  return `${Number(d)}/${Number(m)}/${Number(y) + 543}`;
}

async function myDelegations(request: APIRequestContext, username: string) {
  const answer = await request.get("/v1/me", { headers: await bearer(request, username) });
  expect(answer.ok()).toBe(true);
  return ((await answer.json()) as { delegations: { kind: string; position: string; until: string | null }[] }).delegations;
}

/** Open a path inside the running app: a reload or page.goto would lose the session (kept in memory only). */
async function openInApp(page: Page, path: string) {
  await page.evaluate((to) => {
    history.pushState({}, "", to);
    dispatchEvent(new PopStateEvent("popstate"));
  }, path);
}

/** A drop-down list by its label (its name also carries the options' text, so: by how it starts). */
function list(page: Page, label: string) {
  return page.getByRole("combobox", { name: new RegExp(`^${label.replace(/[()]/g, "\\$&")}`) });
}

async function openSection(page: Page, name: string, heading: string | RegExp) {
  await page.getByRole("navigation", { name: "เมนูผู้ดูแลระบบ" }).getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
}

test("the agency administrator: users, a delegation, a route template, the emblem, the books and the signer keys", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const admin = await bearer(request, "ops.admin");
  const before = await request.get("/v1/route-templates/record", { headers: admin });
  const original = before.ok() ? ((await before.json()) as { plan: unknown }).plan : null;

  await signIn(page, "ops.admin");
  await page.getByRole("navigation", { name: "เมนูหลัก" }).getByRole("link", { name: "ผู้ดูแลระบบ" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "ผู้ดูแลระบบของหน่วยงาน" })).toBeVisible();
  await look(page, "admin-overview");

  // -- users and roles: read-only here, and the screen says so -----------------------------------
  await openSection(page, "ผู้ใช้และบทบาท", "ผู้ใช้และบทบาท");
  await expect(page.getByText("ระบบนี้ยังไม่มีคำสั่งเปลี่ยนบทบาท")).toBeVisible();
  const users = page.locator("table.register tbody tr");
  await expect(users.filter({ hasText: "ops.staff1" })).toContainText("ผู้ปฏิบัติงาน");
  await expect(users.filter({ hasText: "ops.director" })).toContainText("มีกุญแจลงนาม");
  await look(page, "admin-users");
  await page.getByRole("combobox", { name: /^บทบาท/ }).selectOption({ label: "ผู้ดูแลระบบ" });
  await expect(users).toHaveCount(1);
  await expect(users.first()).toContainText("ops.admin");

  // -- a delegation: ปฏิบัติราชการแทน ผู้อำนวยการกลุ่มงาน, to ops.records --------------------------------
  await openSection(page, "การมอบอำนาจ", /การมอบอำนาจ/);
  const order = `คำสั่ง ที่ ${Date.now() % 1000}/2569`;
  await list(page, "ผู้รับมอบ").selectOption({ label: `${RECORDS} · เจ้าพนักงานธุรการ` });
  await list(page, "ลักษณะ").selectOption({ label: "ปฏิบัติราชการแทน" });
  await list(page, "ตำแหน่งที่มอบ (ผู้ดำรงตำแหน่ง)").selectOption({ label: `${HEAD_POSITION} (นายวิชัย มั่นคง)` });
  await page.getByLabel("คำสั่งเลขที่").fill(order);
  await page.getByLabel("สิ้นสุดวันที่").fill("31/12/2026"); // a Christian year: refused here, nothing lost
  await page.getByRole("button", { name: "บันทึกการมอบอำนาจ" }).click();
  await expect(page.getByText("ปีต้องเป็นพุทธศักราช เช่น 2569")).toBeVisible();
  await expect(page.getByLabel("สิ้นสุดวันที่")).toBeFocused();
  await expect(page.getByLabel("คำสั่งเลขที่")).toHaveValue(order);
  await page.getByLabel("สิ้นสุดวันที่").fill(buddhistDayAhead(30));
  await page.getByRole("button", { name: "บันทึกการมอบอำนาจ" }).click();
  await expect(page.getByRole("status")).toHaveText(`บันทึกการมอบอำนาจให้ ${RECORDS} แล้ว 1 รายการ`);
  const saved = page.getByRole("table", { name: `การมอบอำนาจของ ${RECORDS} ที่บันทึกแล้ว` });
  await expect(saved).toContainText(order);
  await expect(saved).toContainText("นายวิชัย มั่นคง");
  await look(page, "admin-delegations");
  // The delegate holds it now (their own GET /v1/me).
  expect(await myDelegations(request, "ops.records")).toEqual([
    expect.objectContaining({ kind: "on_behalf", position: HEAD_POSITION, until: expect.any(String) }),
  ]);
  // Taken away again: no other spec expects ops.records to act for anyone.
  await page.getByRole("button", { name: "ลบคำสั่งที่ 1" }).click();
  await page.getByRole("button", { name: "ยกเลิกการมอบอำนาจทั้งหมด" }).click();
  await expect(page.getByRole("status")).toHaveText(`ยกเลิกการมอบอำนาจทั้งหมดของ ${RECORDS} แล้ว`);
  expect(await myDelegations(request, "ops.records")).toEqual([]);

  // -- a route template, kept across a reload ---------------------------------------------------------
  await openSection(page, "แม่แบบเส้นทาง", "แม่แบบเส้นทางหนังสือ");
  const kind = list(page, "ชนิดหนังสือ");
  await kind.selectOption("record");
  await expect(page.getByRole("heading", { level: 2, name: /แม่แบบของหนังสือที่เจ้าหน้าที่ทำขึ้น/ })).toBeVisible();
  if (original !== null) {
    // A template from an earlier run: its steps are cleared first, so the form starts the same.
    while ((await page.getByRole("button", { name: /^ลบขั้นที่/ }).count()) > 0) await page.getByRole("button", { name: /^ลบขั้นที่/ }).first().click();
    while ((await page.getByRole("button", { name: /^ลบผู้ลงนามลำดับที่/ }).count()) > 1) {
      await page.getByRole("button", { name: /^ลบผู้ลงนามลำดับที่/ }).last().click();
    }
    await list(page, "ผู้ลงนามลำดับที่ 1").selectOption("");
  }
  await page.getByRole("button", { name: "บันทึกแม่แบบ" }).click();
  await expect(page.getByRole("alert")).toHaveText("โปรดเลือกผู้ลงนามอย่างน้อยหนึ่งคน");
  await page.getByRole("button", { name: "เพิ่มขั้นทานหรือตรวจ" }).click();
  await list(page, "ลักษณะขั้นที่ 1").selectOption({ label: "ทาน" });
  await list(page, "ผู้ทาน/ผู้ตรวจขั้นที่ 1").selectOption({ label: HEAD_POSITION });
  await list(page, "ผู้ลงนามลำดับที่ 1").selectOption({ label: `${DIRECTOR} · ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม` });
  await list(page, "ทะเบียนที่ออกเลข").selectOption({ label: "ทะเบียนหนังสือส่ง" });
  await page.getByRole("button", { name: "บันทึกแม่แบบ" }).click();
  await expect(page.getByRole("status").filter({ hasText: "บันทึกแม่แบบ" })).toHaveText(
    "บันทึกแม่แบบของหนังสือที่เจ้าหน้าที่ทำขึ้นหรือรับไว้เป็นหลักฐานแล้ว",
  );
  await look(page, "admin-route-template");
  // A new page load (the session is in memory only: signed in again), then the template as kept.
  await page.reload();
  await signIn(page, "ops.admin");
  await openInApp(page, "/admin/route-templates");
  await expect(page.getByRole("heading", { level: 1, name: "แม่แบบเส้นทางหนังสือ" })).toBeVisible();
  await list(page, "ชนิดหนังสือ").selectOption("record");
  await expect(list(page, "ผู้ทาน/ผู้ตรวจขั้นที่ 1").locator("option:checked")).toHaveText(HEAD_POSITION);
  await expect(list(page, "ลักษณะขั้นที่ 1").locator("option:checked")).toHaveText("ทาน");
  await expect(list(page, "ผู้ลงนามลำดับที่ 1").locator("option:checked")).toHaveText(new RegExp(`^${DIRECTOR}`));
  await expect(list(page, "ทะเบียนที่ออกเลข").locator("option:checked")).toHaveText("ทะเบียนหนังสือส่ง");
  if (original !== null) {
    const restored = await request.put("/v1/route-templates/record", { headers: admin, data: original });
    expect(restored.ok()).toBe(true);
  }

  // -- the letterhead and the emblem, in the department: the emblem stays (the API has no way to read the
  // old one back), and the letters the later specs render are mdes-ops' -----------------------------
  await signIn(page, "dept.admin");
  await openInApp(page, "/admin/letterhead");
  await expect(page.getByRole("heading", { level: 1, name: "หัวกระดาษและตราสัญลักษณ์" })).toBeVisible();
  await expect(page.getByLabel(`ที่อยู่ บรรทัดที่ ${th(1)}`)).not.toHaveValue("");
  const picker = page.getByLabel("เลือกไฟล์ภาพ");
  await picker.setInputFiles({ name: "ครุฑ.png", mimeType: "image/png", buffer: Buffer.from("<script>alert(1)</script> not an image") });
  await page.getByRole("button", { name: "ส่งตราสัญลักษณ์" }).click();
  await expect(page.getByRole("alert")).toContainText("ไฟล์ตราสัญลักษณ์ไม่ใช่ภาพที่ถูกต้อง");
  await expect(page.getByText(/รายละเอียดจากระบบ: .*not a PNG/)).toBeVisible();
  await look(page, "admin-emblem-refused");
  const png = emblemPng();
  await picker.setInputFiles({ name: "ตราหน่วยงาน.png", mimeType: "image/png", buffer: png });
  await expect(page.getByRole("img", { name: "ภาพตัวอย่างจากไฟล์ ตราหน่วยงาน.png" })).toBeVisible();
  await page.getByRole("button", { name: "ส่งตราสัญลักษณ์" }).click();
  await expect(page.getByRole("status").filter({ hasText: "ตราสัญลักษณ์" })).toHaveText(
    "บันทึกตราสัญลักษณ์แล้ว หนังสือที่จัดทำต่อจากนี้ใช้ตรานี้",
  );
  const digest = createHash("sha256").update(png).digest("hex");
  await expect(page.getByText(`${digest.slice(0, 16)}…`)).toBeVisible();
  await look(page, "admin-letterhead");

  // -- the register books and the signer keys ---------------------------------------------------------
  await signIn(page, "ops.admin");
  await openInApp(page, "/admin");
  await openSection(page, "ทะเบียนหนังสือ", "ทะเบียนหนังสือของหน่วยงาน");
  await expect(page.locator("table.register tbody tr")).toHaveCount(5);
  await expect(page.locator("table.register")).toContainText("ทะเบียนหนังสือรับ");
  await expect(page.getByRole("link", { name: "เปิดทะเบียนหนังสือ" })).toHaveAttribute("href", "/registers");
  await look(page, "admin-registers");
  await openSection(page, "กุญแจลงนาม", "ทะเบียนกุญแจลงนาม");
  const keys = page.locator("table.register tbody tr");
  await expect(keys.filter({ hasText: DIRECTOR })).toContainText("ใช้งาน");
  await expect(keys.filter({ hasText: "นายวิชัย มั่นคง" })).toContainText("ออกใบรับรองแล้ว");
  await look(page, "admin-signing-keys");
});

test("a staff member has no administrator's screens, but changes their own notification settings and calendar address", async ({
  page,
  request,
}) => {
  const staff = await bearer(request, "ops.staff1");
  const before = (await (await request.get("/v1/me/notification-settings", { headers: staff })).json()) as { email: string; digest_hour: number };
  expect((await request.get("/v1/signing-keys", { headers: staff })).status()).toBe(403);

  await signIn(page, "ops.staff1");
  await expect(page.getByRole("navigation", { name: "เมนูหลัก" }).getByRole("link", { name: "ผู้ดูแลระบบ" })).toHaveCount(0);
  await openInApp(page, "/admin/signing-keys");
  await expect(page.getByRole("alert")).toContainText("หน้านี้สำหรับผู้ดูแลระบบของหน่วยงานเท่านั้น");
  await expect(page.locator("table")).toHaveCount(0);
  await look(page, "admin-refused");
  await page.getByRole("link", { name: "ไปที่การตั้งค่าของฉัน" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "การตั้งค่าของฉัน" })).toBeVisible();
  await expect(page.getByText("อีเมลส่งไปที่ ops.staff1@")).toBeVisible();

  // A daily digest at 07.00, kept after a reload.
  const hour = list(page, "เวลาส่งสรุปประจำวัน");
  await page.getByRole("radio", { name: /สรุปวันละครั้ง/ }).check();
  await hour.selectOption({ label: "07.00 น." });
  await page.getByRole("button", { name: "บันทึกการตั้งค่า" }).click();
  await expect(page.getByRole("status").filter({ hasText: "บันทึกแล้ว" })).toHaveText("บันทึกแล้ว: รับอีเมลสรุปวันละครั้ง");
  await page.reload();
  await signIn(page, "ops.staff1");
  await openInApp(page, "/admin/me");
  await expect(page.getByRole("radio", { name: /สรุปวันละครั้ง/ })).toBeChecked();
  await expect(hour.locator("option:checked")).toHaveText("07.00 น.");

  // A calendar address: it opens the calendar without signing in; revoked, it is gone.
  await page.getByRole("button", { name: "ขอที่อยู่ปฏิทินใหม่" }).click();
  const address = page.getByRole("textbox", { name: "ที่อยู่ปฏิทิน", exact: true });
  await expect(address).toHaveValue(/\/v1\/calendar\/[A-Za-z0-9_-]{40,}$/);
  await look(page, "admin-my-settings");
  const url = new URL(await address.inputValue());
  const calendar = await request.get(url.pathname);
  expect(calendar.ok()).toBe(true);
  expect(await calendar.text()).toContain("BEGIN:VCALENDAR");
  await page.getByRole("button", { name: "ยกเลิกที่อยู่ปฏิทิน" }).click();
  await expect(page.getByRole("status").filter({ hasText: "ปฏิทิน" })).toHaveText("ยกเลิกที่อยู่ปฏิทินแล้ว");
  expect((await request.get(url.pathname)).ok()).toBe(false);
  await page.getByRole("button", { name: "ยกเลิกที่อยู่ปฏิทิน" }).click();
  await expect(page.getByRole("alert")).toHaveText("ยังไม่มีที่อยู่ปฏิทิน");

  // As it was, for whoever reads ops.staff1's e-mail next.
  const restored = await request.put("/v1/me/notification-settings", { headers: staff, data: { email: before.email, digest_hour: before.digest_hour } });
  expect(restored.ok()).toBe(true);
});
