import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { letterPdf, look, signIn } from "./helpers";

// The saraban officers' screens on the local stack. Seeded over HTTP by tests/integration/test_web_e2e.py:
// an entry of mdes-ops' incoming book to cancel, and two signed letters mdes-ops sent to mdes-dept.
const TO_CANCEL = "ขอเชิญร่วมงานสัมมนาวิชาการ (ลงทะเบียนผิดเล่ม)";
const TO_ACCEPT = "ขอความอนุเคราะห์ข้อมูลสถิติการใช้บริการภาครัฐ";
const TO_SEND_BACK = "ขอเชิญส่งผู้แทนเข้าร่วมประชุมคณะทำงาน";


function row(page: Page, text: string) {
  return page.locator("table.register tbody tr").filter({ hasText: text });
}

test("the saraban officer registers a letter, uploads its PDF and sees the receipt stamp; the book lists it", async ({ page }) => {
  const subject = `ขอเชิญประชุมหารือแนวทางความร่วมมือ ${Date.now() % 100000}`;
  await signIn(page, "ops.saraban");
  await page.getByRole("navigation").getByRole("link", { name: "ลงทะเบียนรับ" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "ลงทะเบียนรับหนังสือ" })).toBeVisible();
  await page.getByLabel("ที่", { exact: true }).fill("ดศ 0301/1234");
  await page.getByLabel("ลงวันที่").fill("20/11/2026"); // a Christian year: refused, nothing else lost
  await page.getByLabel("จาก (ส่วนราชการ)").fill("กรมพัฒนาดิจิทัลภาครัฐ");
  await page.getByLabel("ถึง (เรียน)").fill("ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม");
  await page.getByLabel("เรื่อง").fill(subject);
  await page.getByLabel("ชั้นความเร็ว").selectOption({ label: "ด่วนมาก" });
  await page.getByLabel("ไฟล์ PDF ของหนังสือ (สแกน)").setInputFiles({
    name: "หนังสือเชิญประชุม.pdf",
    mimeType: "application/pdf",
    buffer: letterPdf("Letter from the Digital Government Development Agency"),
  });
  await page.getByRole("button", { name: "ลงทะเบียนรับ" }).click();
  await expect(page.getByText("ใส่ปีเป็น พ.ศ. เช่น 2569")).toBeVisible();
  await expect(page.getByLabel("ลงวันที่")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("ลงวันที่")).toBeFocused(); // the field at fault takes the focus
  await expect(page.getByLabel("เรื่อง")).toHaveValue(subject);
  await look(page, "30-register-incoming-date-refused");

  await page.getByLabel("ลงวันที่").fill("20/11/2569");
  await expect(page.getByText("20 พฤศจิกายน 2569")).toBeVisible(); // read back as a Thai date
  await page.getByRole("button", { name: "ลงทะเบียนรับ" }).click();
  const receipt = page.locator(".receipt");
  await expect(receipt).toHaveText(/^เลขทะเบียนรับ \d+\/25\d\d วันที่รับ .*25\d\d \d\d:\d\d น\.$/);
  const number = /เลขทะเบียนรับ (\d+)\//.exec((await receipt.textContent()) ?? "")?.[1] ?? "";
  await expect(page.getByRole("heading", { name: "หนังสือที่ประทับตรารับแล้ว" })).toBeVisible({ timeout: 60_000 });
  await expect(page.locator(".pdf canvas").first()).toBeVisible({ timeout: 30_000 });
  await expect(page.locator("ol.steps li.done")).toHaveCount(4);
  await look(page, "31-register-incoming-stamped");

  await page.getByRole("navigation").getByRole("link", { name: "ทะเบียนหนังสือ" }).click();
  await expect(page.getByRole("heading", { level: 2, name: /ทะเบียนหนังสือรับ พ\.ศ\. 25\d\d/ })).toBeVisible();
  const mine = row(page, subject);
  await expect(mine).toHaveCount(1);
  await expect(mine.locator("td").first()).toHaveText(number);
  await expect(mine).toContainText("20 พ.ย. 2569");
  await expect(mine).toContainText("กรมพัฒนาดิจิทัลภาครัฐ");
  await look(page, "32-registers-incoming");

  // Search by words of the subject: only that line.
  await page.getByLabel("ค้นหาจากเรื่อง").fill("แนวทางความร่วมมือ");
  await page.getByRole("button", { name: "ค้นหา" }).click();
  await expect(page.locator("table.register tbody tr")).toHaveCount(1);
  await expect(row(page, subject)).toHaveCount(1);

  // Export: the files come with the token (a plain link carries none).
  const csv = page.waitForEvent("download");
  await page.getByRole("button", { name: "ส่งออก CSV" }).click();
  const csvFile = await csv;
  expect(csvFile.suggestedFilename()).toMatch(/\.csv$/);
  expect(readFileSync(await csvFile.path(), "utf-8")).toContain(subject);
  const pdf = page.waitForEvent("download");
  await page.getByRole("button", { name: "พิมพ์ทะเบียน (PDF)" }).click();
  const pdfFile = await pdf;
  expect(pdfFile.suggestedFilename()).toMatch(/\.pdf$/);
  expect(readFileSync(await pdfFile.path()).subarray(0, 5).toString("latin1")).toBe("%PDF-");

  // The letter's own files: the receipt-stamped copy downloads from its short-lived address.
  await row(page, subject).getByRole("link").click();
  const files = page.getByRole("region", { name: "ไฟล์ของหนังสือ" });
  await expect(files).toContainText("ตัวหนังสือ");
  const stamped = page.waitForEvent("download");
  await files.getByRole("button", { name: /^ดาวน์โหลดฉบับประทับตรารับ/ }).click();
  const stampedFile = await stamped;
  expect(stampedFile.suggestedFilename()).toMatch(/^stamped-.*\.pdf$/);
  expect(readFileSync(await stampedFile.path()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  await look(page, "32b-document-files");
});

test("a register entry is cancelled with a reason in a dialog, by keyboard; it keeps its number", async ({ page }) => {
  await signIn(page, "ops.saraban");
  await page.getByRole("navigation").getByRole("link", { name: "ทะเบียนหนังสือ" }).click();
  const line = row(page, TO_CANCEL);
  await expect(line).toHaveCount(1);
  const number = (await line.locator("td").first().textContent()) ?? "";
  const cancel = line.getByRole("button", { name: `ยกเลิกรายการเลขทะเบียน ${number}` });
  await cancel.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: new RegExp(`ยกเลิกรายการเลขทะเบียน ${number}/`) });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("เหตุผลการยกเลิก")).toBeFocused();
  await page.keyboard.press("Escape"); // closes, and focus goes back where it was
  await expect(dialog).toBeHidden();
  await expect(cancel).toBeFocused();

  await page.keyboard.press("Enter");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "ยืนยันการยกเลิก" })).toBeDisabled(); // no reason yet
  await page.keyboard.type("ลงทะเบียนผิดเล่ม หนังสือนี้ส่งถึงกระทรวงศึกษาธิการ");
  await look(page, "33-registers-cancel-dialog");
  // Focus stays inside the dialog: Tab goes round its own controls.
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press("Tab");
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  await dialog.getByRole("button", { name: "ยืนยันการยกเลิก" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: `ยกเลิกรายการเลขทะเบียน ${number}/` })).toBeVisible();
  await expect(line).toHaveClass(/cancelled/);
  await expect(line.locator("td").first()).toHaveText(number); // the number stays
  await expect(line).toContainText("ลงทะเบียนผิดเล่ม หนังสือนี้ส่งถึงกระทรวงศึกษาธิการ");
  await expect(line.getByRole("button", { name: /ยกเลิกรายการ/ })).toHaveCount(0);
  await look(page, "34-registers-cancelled");
});

test("the receiving agency's saraban officer accepts one letter and sends another back with a reason", async ({ page }) => {
  await signIn(page, "dept.saraban");
  await page.getByRole("navigation").getByRole("link", { name: "หนังสือรอลงรับ" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "หนังสือรอลงรับจากหน่วยงานอื่น" })).toBeVisible();
  await expect(row(page, TO_ACCEPT)).toContainText("ไฟล์ผ่านการตรวจ");
  await expect(row(page, TO_ACCEPT)).toContainText("ลายมือชื่อดิจิทัลถูกต้อง");
  await expect(row(page, TO_SEND_BACK)).toHaveCount(1);
  await look(page, "35-incoming-queue");

  await row(page, TO_ACCEPT).getByRole("button", { name: `ลงรับหนังสือเรื่อง ${TO_ACCEPT}` }).click();
  const accepted = page.getByRole("status").filter({ hasText: `ลงรับหนังสือเรื่อง “${TO_ACCEPT}” แล้ว` });
  await expect(accepted).toHaveText(/เลขทะเบียนรับ [๐-๙]+/); // mdes-dept writes Thai digits
  await expect(row(page, TO_ACCEPT)).toHaveCount(0); // no longer waiting

  await row(page, TO_SEND_BACK).getByRole("button", { name: `ส่งคืนหนังสือเรื่อง ${TO_SEND_BACK}` }).click();
  const dialog = page.getByRole("dialog", { name: "ส่งคืนหนังสือ" });
  await dialog.getByLabel("เหตุผล (ผู้ส่งจะเห็นข้อความนี้)").fill("ส่งผิดหน่วยงาน โปรดส่งถึงสำนักงานสถิติแห่งชาติ");
  await look(page, "36-incoming-send-back-dialog");
  await dialog.getByRole("button", { name: "ส่งคืน" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: `ส่งคืนหนังสือเรื่อง “${TO_SEND_BACK}” แล้ว` })).toBeVisible();

  await page.getByRole("button", { name: /ทั้งหมด/ }).click();
  await expect(row(page, TO_ACCEPT)).toContainText("ลงรับแล้ว");
  await expect(row(page, TO_ACCEPT)).toContainText(/เลขรับ \d+ ลงวันที่/);
  await expect(row(page, TO_SEND_BACK)).toContainText("ส่งผิดหน่วยงาน โปรดส่งถึงสำนักงานสถิติแห่งชาติ");
  await look(page, "37-incoming-queue-decided");

  // The accepted letter is in the department's incoming book, numbered in Thai digits (the department's
  // setting thai_numerals).
  await page.getByRole("navigation").getByRole("link", { name: "ทะเบียนหนังสือ" }).click();
  await expect(row(page, TO_ACCEPT)).toHaveCount(1);
  await expect(row(page, TO_ACCEPT).locator("td").first()).toHaveText(/^[๐-๙]+$/);
});

test("the department endorses the letter it registered and assigns it to a unit, which acknowledges and reports", async ({ page }) => {
  await signIn(page, "dept.saraban");
  await page.getByRole("navigation").getByRole("link", { name: "ทะเบียนหนังสือ" }).click();
  await row(page, TO_ACCEPT).getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1, name: TO_ACCEPT })).toBeVisible();
  await expect(page.getByText(/ทะเบียน.*เลขที่ [๐-๙]+\/[๐-๙]+/).first()).toBeVisible(); // Thai digits here too
  const handling = page.getByRole("region", { name: "การเกษียนและการมอบหมาย" });
  await expect(handling).toContainText("ยังไม่มีการเกษียน");

  await handling.getByLabel("ข้อความเกษียน (สรุปเรื่อง ข้อเท็จจริง ข้อเสนอ)").fill(
    "เรียน อธิบดี\nกระทรวงขอข้อมูลสถิติการใช้บริการภาครัฐ เห็นควรมอบกองบริการดิจิทัลดำเนินการ",
  );
  await handling.getByLabel("คำสั่งการ:").selectOption({ label: "ดำเนินการ" });
  await handling.getByRole("button", { name: "บันทึกการเกษียน" }).click();
  await expect(handling.locator("ol.plain li")).toContainText("เห็นควรมอบกองบริการดิจิทัลดำเนินการ");
  await expect(handling).toContainText("คำสั่งการ: ดำเนินการ");

  await handling.getByLabel("มอบหมายให้", { exact: true }).selectOption({ label: "กองบริการดิจิทัล" });
  await handling.getByLabel("ข้อสั่งการ").fill("โปรดรวบรวมข้อมูลและเสนอภายในวันที่ 15 ธันวาคม 2569");
  await handling.getByRole("button", { name: "มอบหมาย", exact: true }).click();
  const assignment = handling.locator("ul.plain li").filter({ hasText: "กองบริการดิจิทัล" });
  await expect(assignment).toContainText("มอบหมายแล้ว");
  await look(page, "38-document-endorsed-assigned");

  // dept.staff1 works in กองบริการดิจิทัล: the assignment waits in their inbox, theirs to acknowledge and report.
  await signIn(page, "dept.staff1");
  await page.getByRole("link", { name: TO_ACCEPT }).click();
  const theirs = page.getByRole("region", { name: "การเกษียนและการมอบหมาย" }).locator("ul.plain li").filter({ hasText: "กองบริการดิจิทัล" });
  await theirs.getByRole("button", { name: "รับทราบ" }).click();
  await expect(theirs).toContainText("รับทราบแล้ว");
  await theirs.getByLabel("รายงานผลการดำเนินการ").fill("ส่งข้อมูลสถิติให้กระทรวงแล้ว");
  await theirs.getByRole("button", { name: "รายงานผลว่าดำเนินการแล้ว" }).click();
  await expect(theirs).toContainText("ดำเนินการแล้ว");
  await expect(theirs).toContainText("ส่งข้อมูลสถิติให้กระทรวงแล้ว");
  await look(page, "39-document-assignment-done");
});

test("the sender sees each recipient's state: registered with their number, or sent back with the reason", async ({ page }) => {
  await signIn(page, "ops.saraban");
  for (const [subject, state] of [
    [TO_ACCEPT, /ลงรับแล้ว.*เลขรับของผู้รับ/],
    [TO_SEND_BACK, /ส่งคืน.*ส่งผิดหน่วยงาน โปรดส่งถึงสำนักงานสถิติแห่งชาติ/],
  ] as const) {
    await page.getByRole("navigation").getByRole("link", { name: "ทะเบียนหนังสือ" }).click();
    await expect(page.getByRole("heading", { level: 2, name: /^ทะเบียนหนังสือรับ พ.ศ./ })).toBeVisible();
    await page.getByRole("combobox", { name: "ทะเบียน", exact: true }).selectOption({ label: "ทะเบียนหนังสือส่ง" });
    await expect(page.getByRole("heading", { level: 2, name: /^ทะเบียนหนังสือส่ง พ.ศ./ })).toBeVisible();
    await row(page, subject).getByRole("link").first().click();
    const exchange = page.getByRole("region", { name: "การส่งหนังสือถึงหน่วยงานอื่น" });
    await expect(exchange.locator("tbody tr").filter({ hasText: "กรมพัฒนาดิจิทัลภาครัฐ" })).toContainText(state);
    await look(page, subject === TO_ACCEPT ? "40-document-sent-registered" : "41-document-sent-back");
  }
});

test("the saraban screens are offered to the saraban officer only", async ({ page }) => {
  await signIn(page, "ops.staff1");
  const nav = page.getByRole("navigation");
  await expect(nav.getByRole("link", { name: "งานรอดำเนินการ" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "ลงทะเบียนรับ" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "หนังสือรอลงรับ" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "ทะเบียนหนังสือ" })).toHaveCount(0);
});

test("the records officer repairs a register line stored with malformed text; the line is told apart until then", async ({ page }) => {
  // Seeded by tests/integration/test_web_e2e.py: a line of mdes-dept's certificates book whose subject
  // holds a lone surrogate, as the API stored text before it checked text at the door.
  await signIn(page, "dept.records");
  await page.getByRole("navigation").getByRole("link", { name: "ทะเบียนหนังสือ" }).click();
  await page.getByRole("combobox", { name: "ทะเบียน", exact: true }).selectOption({ label: "ทะเบียนหนังสือรับรอง" });
  // Found by its subject's words (other tests fill this book past a page on a shared stack).
  await page.getByLabel("ค้นหาจากเรื่อง").fill("หนังสือรับรองการปฏิบัติงาน");
  await page.getByRole("button", { name: "ค้นหา" }).click();
  const damaged = row(page, "หนังสือรับรองการปฏิบัติงาน (บันทึกไม่สมบูรณ์)").filter({ hasText: "บันทึกไม่สมบูรณ์ รอซ่อมแซม" });
  await expect(damaged.first()).toBeVisible();
  const number = (await damaged.first().locator("td").first().textContent()) ?? "";
  const line = page.locator("table.register tbody tr").filter({ has: page.locator("td:first-child", { hasText: new RegExp(`^${number}$`) }) });
  await expect(line).toContainText("\ufffd"); // shown with the replacement character, never failing the book
  await look(page, "35-registers-needs-repair");
  await line.getByRole("button", { name: /^ซ่อมแซมข้อความของรายการที่/ }).click();
  await expect(page.getByRole("status").filter({ hasText: /^ซ่อมแซมข้อความของรายการที่ .+ แล้ว$/ })).toBeVisible();
  await expect(line).not.toContainText("บันทึกไม่สมบูรณ์ รอซ่อมแซม");
  await expect(line.getByRole("button", { name: /ซ่อมแซม/ })).toHaveCount(0);
  // The records officer does not cancel lines: that is the saraban officer's.
  await expect(line.getByRole("button", { name: /ยกเลิกรายการ/ })).toHaveCount(0);
  await look(page, "36-registers-repaired");
});
