import { expect, test, type Page } from "@playwright/test";
import { bearer, look, signIn } from "./helpers";

// A memo's whole way through the web application: drafted by ops.staff1 with its live preview, routed
// (review by the director's position, signed by the director), forwarded; approved and signed by
// ops.director, who then sees the number and the signature validated.
const DIRECTOR_POSITION = "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม";
const DIRECTOR = `นางสาวประภาพร วงศ์ไทย · ${DIRECTOR_POSITION}`;

async function openNewLetter(page: Page): Promise<void> {
  await page.getByRole("navigation").getByRole("link", { name: "หนังสือใหม่" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "ร่างหนังสือใหม่" })).toBeVisible();
}

test("a draft the form cannot render shows the API's Thai words, keeps what was typed, and recovers", async ({ page }) => {
  await signIn(page, "ops.staff1");
  await openNewLetter(page);
  const subject = `ขอความเห็นร่างระเบียบ ${Date.now()}`;
  await page.getByLabel("ผู้ลงนาม").selectOption({ label: DIRECTOR });
  await page.getByLabel("ข้อความ").fill("ด้วยกองยุทธศาสตร์และแผนงานได้ยกร่างระเบียบ");
  await page.getByLabel("เรื่อง", { exact: true }).fill(subject);
  // No เรียน: the draft is saved, but the API refuses to render a memo without its addressee.
  const preview = page.locator(".preview");
  await expect(preview.getByRole("alert")).toContainText("ข้อมูลไม่พอสำหรับแบบฟอร์ม", { timeout: 60_000 });
  await expect(preview.getByRole("status")).toHaveText("บันทึกร่างหรือจัดทำตัวอย่างไม่สำเร็จ ข้อมูลที่พิมพ์ยังอยู่ครบ");
  // Starting the route now says the same refusal once, and nothing typed is lost.
  await page.getByRole("button", { name: "เริ่มเส้นทาง" }).click();
  await expect(page.getByRole("alert")).toHaveCount(1);
  await expect(page.getByLabel("เรื่อง", { exact: true })).toHaveValue(subject);
  await expect(page.getByLabel("ข้อความ")).toHaveValue("ด้วยกองยุทธศาสตร์และแผนงานได้ยกร่างระเบียบ");
  await look(page, "20-new-letter-refused");
  // Given เรียน, the same draft is revised and rendered.
  await page.getByLabel("เรียน (ตำแหน่งผู้รับ)").fill(DIRECTOR_POSITION);
  await expect(preview.getByRole("status")).toHaveText("บันทึกร่างแล้ว ตัวอย่างเป็นปัจจุบัน", { timeout: 60_000 });
  await expect(preview.getByRole("alert")).toHaveCount(0);
  await expect(preview.locator(".pdf canvas").first()).toBeVisible({ timeout: 30_000 });
});

test("staff drafts a memo with its live preview and routes it; the director approves, signs, sees the number and the validation", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const subject = `ขออนุมัติจัดอบรมการใช้ลายมือชื่อดิจิทัล ${Date.now()}`;

  // -- ops.staff1: the form of a memo, its preview rendered after a pause in typing --------------
  await signIn(page, "ops.staff1");
  await openNewLetter(page);
  await expect(page.getByLabel("ประเภทหนังสือ")).toHaveValue("internal");
  // A memo's form has no อ้างถึง or สิ่งที่ส่งมาด้วย; an external letter's has.
  await expect(page.getByLabel(/อ้างถึง/)).toHaveCount(0);
  await page.getByLabel("ประเภทหนังสือ").selectOption("external");
  await expect(page.getByLabel(/อ้างถึง/)).toBeVisible();
  await expect(page.getByLabel(/สิ่งที่ส่งมาด้วย/)).toBeVisible();
  await page.getByLabel("ประเภทหนังสือ").selectOption("internal");
  await look(page, "21-new-letter-form");

  await page.getByLabel("ผู้ลงนาม").selectOption({ label: DIRECTOR });
  await page.getByLabel("ชั้นความเร็ว").selectOption({ label: "ด่วน" });
  await page.getByLabel("เรื่อง", { exact: true }).fill(subject);
  await page.getByLabel("เรียน (ตำแหน่งผู้รับ)").fill(DIRECTOR_POSITION);
  await page
    .getByLabel("ข้อความ")
    .fill("ด้วยกองยุทธศาสตร์และแผนงานจะจัดอบรมการใช้ลายมือชื่อดิจิทัลให้แก่บุคลากร\n\nจึงเรียนมาเพื่อโปรดพิจารณาอนุมัติ");
  const status = page.locator(".preview .status-line");
  await expect(status).toHaveText("บันทึกร่างแล้ว ตัวอย่างเป็นปัจจุบัน", { timeout: 60_000 });
  await expect(page.locator(".preview .pdf canvas").first()).toBeVisible({ timeout: 30_000 });
  // Typing again saves a new revision and renders it again; the kind is fixed once saved.
  await expect(page.getByLabel("ประเภทหนังสือ")).toBeDisabled();
  await page.getByLabel("ข้อความ").press("End");
  await page.getByLabel("ข้อความ").pressSequentially(" ในวันที่ 15 ธันวาคม 2569");
  await expect(status).not.toHaveText("บันทึกร่างแล้ว ตัวอย่างเป็นปัจจุบัน", { timeout: 10_000 });
  await expect(status).toHaveText("บันทึกร่างแล้ว ตัวอย่างเป็นปัจจุบัน", { timeout: 60_000 });
  await expect(page.locator(".preview .pdf canvas").first()).toBeVisible({ timeout: 30_000 });
  await look(page, "22-new-letter-preview");

  // -- the route: review by the director's position, signed by the director ----------------------
  await page.getByRole("button", { name: "เพิ่มขั้นตรวจ" }).click();
  await page.getByLabel("ผู้ตรวจขั้นที่ 1").selectOption({ label: DIRECTOR_POSITION });
  await look(page, "23-new-letter-route");
  await page.getByRole("button", { name: "เริ่มเส้นทาง" }).click();
  await expect(page).toHaveURL(/\/documents\/[A-Za-z0-9]+$/, { timeout: 60_000 });
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  const route = page.getByRole("region", { name: "เส้นทางของหนังสือ" });
  await expect(route).toContainText("อยู่ระหว่างร่าง");
  await expect(route.locator("ol.route-steps li")).toHaveCount(3);
  await route.getByRole("button", { name: "เสนอ", exact: true }).click();
  await expect(route).toContainText("อยู่ระหว่างตรวจ");
  await expect(route.locator("li[aria-current=step]")).toContainText(DIRECTOR_POSITION);
  await expect(route.getByRole("button", { name: "เสนอ", exact: true })).toHaveCount(0);
  await expect(page.locator(".pdf canvas").first()).toBeVisible({ timeout: 30_000 });
  await look(page, "24-document-submitted");

  // -- ops.director: from the inbox, approve (the platform numbers it), then sign ----------------
  await page.getByRole("button", { name: "ออกจากระบบ" }).click();
  await signIn(page, "ops.director");
  await page.getByRole("link", { name: subject }).click();
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  await expect(route).toContainText("ถึงขั้นของท่าน");
  await expect(page.locator(".pdf canvas").first()).toBeVisible({ timeout: 30_000 });
  await look(page, "25-director-to-approve");
  await route.getByRole("button", { name: "เห็นชอบและเสนอต่อ" }).click();
  await expect(route).toContainText("รอลงนาม", { timeout: 90_000 });
  await expect(page.getByTestId("ref-line")).toHaveText(/^ที่ ดศ 0201\.3\/\d+$/);
  const refLine = (await page.getByTestId("ref-line").textContent()) ?? "";
  await expect(page.locator(".pdf canvas").first()).toBeVisible({ timeout: 30_000 });
  await look(page, "26-director-to-sign");
  await route.getByRole("button", { name: "ลงนาม", exact: true }).click();
  await expect(route.getByRole("status")).toContainText("กำลังลงนาม");
  await expect(page.getByTestId("validation")).toContainText("ลายมือชื่อถูกต้อง", { timeout: 150_000 });
  await expect(route).toContainText("ลงนามแล้ว", { timeout: 30_000 });
  await expect(page.getByTestId("validation")).toContainText("ถูกต้อง");
  // The letter's ที่ field: the number as printed after ที่.
  await expect(page.locator(".fields dd").nth(1)).toHaveText(refLine.replace(/^ที่ /, ""));
  await expect(page.locator(".pdf canvas").first()).toBeVisible({ timeout: 30_000 });
  await look(page, "27-signed-and-validated");
});

test("the author withdraws a letter still in drafting, with a reason typed in a dialog; the letter leaves the inbox", async ({
  page,
  request,
}) => {
  // Started over the API and left at its first step (the author's own draft step): no one else's inbox.
  const subject = `ขอยกเลิกการจัดประชุมสัมมนา ${Date.now()}`;
  const author = await bearer(request, "ops.staff1");
  const made = await request.post("/v1/documents", {
    headers: author,
    data: { kind: "internal", subject, recipient: { position: DIRECTOR_POSITION }, body: "เรียนเพื่อโปรดทราบ", owner_unit_id: "policy" },
  });
  expect(made.status()).toBe(201);
  const id = ((await made.json()) as { id: string }).id;
  const plan = { signers: [{ position: "ผู้อำนวยการกลุ่มงาน" }] };
  expect((await request.post(`/v1/documents/${id}/route`, { headers: author, data: { plan } })).status()).toBe(201);

  await signIn(page, "ops.staff1");
  await page.getByRole("link", { name: subject }).click();
  const route = page.getByRole("region", { name: "เส้นทางของหนังสือ" });
  await expect(route).toContainText("อยู่ระหว่างร่าง");
  await route.getByRole("button", { name: "ถอนเรื่อง" }).click();
  const dialog = page.getByRole("dialog", { name: "ถอนเรื่อง" });
  await expect(dialog).toContainText(subject);
  // A reason is required: nothing to confirm until it is typed.
  await expect(dialog.getByRole("button", { name: "ยืนยันถอนเรื่อง" })).toBeDisabled();
  await dialog.getByLabel("เหตุผลที่ถอนเรื่อง").fill("ผู้บริหารสั่งเลื่อนการจัดสัมมนา");
  await look(page, "28-withdraw-dialog");
  await dialog.getByRole("button", { name: "ยืนยันถอนเรื่อง" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(route).toContainText("ถอนเรื่องแล้ว");
  await expect(route.getByRole("button", { name: "ถอนเรื่อง" })).toHaveCount(0);
  await expect(route.locator('li[data-state="stopped"]')).toContainText("หยุดที่ขั้นนี้");
  await expect(page.getByRole("region", { name: "ประวัติการดำเนินการ" })).toContainText("ถอนเรื่อง");
  await look(page, "29-withdrawn");
  await page.getByRole("navigation").getByRole("link", { name: "งานรอดำเนินการ" }).click();
  await expect(page.getByRole("heading", { name: "งานรอดำเนินการ" })).toBeVisible();
  await expect(page.getByRole("link", { name: subject })).toHaveCount(0);
});
