import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { bearer, letterPdf, look, signIn } from "./helpers";

// The records officer's screens over the archive API (ระเบียบงานสารบรรณ หมวด 4). Set up over the API: a
// paper-era register imported with old dates (so its records' keep-until year has long passed), each
// line's scan uploaded, the records sent to storage. Through the screens: a legal hold, the survey of a
// year's บัญชีหนังสือขอทำลาย, the committee the head appoints, a member's review (X, kept longer), the
// chair's report, the head's approval, sending to the National Archives, their answer, destruction;
// then a loan card from request to return.


interface Imported {
  lines: { document_id: string; upload: { upload: { url: string; fields: Record<string, string> } } | null }[];
}

/** A year with no destruction list yet, and records kept to exactly that year (imported with dates ten
 * years before, class general = 10 years): the survey of that year lists them. */
async function freeYear(request: APIRequestContext, records: Record<string, string>): Promise<number> {
  const answer = await request.get("/v1/archive/destruction-lists", { headers: records });
  expect(answer.ok()).toBe(true);
  const taken = new Set(((await answer.json()) as { lists: { year: number }[] }).lists.map((l) => l.year));
  for (;;) {
    const year = 2460 + Math.floor(Math.random() * 80);
    if (!taken.has(year)) return year;
  }
}

async function storeOldRecords(request: APIRequestContext, year: number, tag: string): Promise<string[]> {
  const records = await bearer(request, "ops.records");
  const registered = year - 10;
  const subjects = ["ขอความร่วมมือรายงานการเบิกจ่าย", "ขอเชิญประชุมชี้แจงแนวทาง", "แจ้งแนวทางเฝ้าระวังโรค", "ขออนุมัติจัดซื้อครุภัณฑ์"];
  const csv = [
    "เลขทะเบียน,วันที่ลงทะเบียน,ที่,ลงวันที่,จาก,เรื่อง,รหัสแฟ้ม,ไฟล์",
    ...subjects.map((s, i) => `${i + 1},${i + 3}/2/${registered},กค 0401/${100 + i},${i + 1}/2/${registered},กรมบัญชีกลาง,${s} ${tag},กค 0${i + 1}/${registered},s${i}.pdf`),
  ].join("\n");
  const made = await request.post("/v1/archive/legacy-imports", {
    headers: records,
    data: { book_id: `e2e-${tag}`, book_name: `ทะเบียนหนังสือรับ พ.ศ. ${registered} (สมุดเดิม)`, direction: "incoming", csv },
  });
  expect(made.status(), await made.text()).toBe(201);
  const imported = (await made.json()) as Imported;
  for (const [i, line] of imported.lines.entries()) {
    const form = line.upload?.upload;
    if (!form) throw new Error("no upload ticket");
    const sent = await request.post(form.url, {
      multipart: { ...form.fields, file: { name: `s${i}.pdf`, mimeType: "application/pdf", buffer: letterPdf(`scan ${i}`) } },
    });
    expect(sent.status()).toBeLessThan(300);
  }
  const ids = imported.lines.map((l) => l.document_id);
  for (const id of ids) {
    await expect
      .poll(async () => {
        const doc = await request.get(`/v1/documents/${id}`, { headers: records });
        return ((await doc.json()) as { files: { status: string }[] }).files[0]?.status;
      }, { timeout: 30_000 })
      .toBe("ready");
    const stored = await request.post(`/v1/documents/${id}/storage`, { headers: records, data: {} });
    expect(stored.status(), await stored.text()).toBe(201);
  }
  return ids;
}

/** Open a screen inside the signed-in page (a reload would forget the session: tokens live in memory).
 * The header links the archive for the records officer, admin and saraban only; the head and the
 * committee members come to a list from its address. */
async function go(page: Page, path: string): Promise<void> {
  await page.evaluate((to) => {
    window.history.pushState({}, "", to);
    window.dispatchEvent(new PopStateEvent("popstate", { state: {} }));
  }, path);
}

async function as(browser: Browser, user: string, previous?: Page): Promise<Page> {
  await previous?.context().close();
  const page = await (await browser.newContext()).newPage();
  await signIn(page, user);
  return page;
}

test("the records officer holds a record, and a year's destruction list goes through its committee, the head and the National Archives", async ({
  browser,
  request,
}) => {
  test.setTimeout(240_000);
  const tag = String(Date.now() % 1_000_000_000);
  const records = await bearer(request, "ops.records");
  const year = await freeYear(request, records);
  await storeOldRecords(request, year, tag);
  const first = `ขอความร่วมมือรายงานการเบิกจ่าย ${tag}`;
  const second = `ขอเชิญประชุมชี้แจงแนวทาง ${tag}`;
  const third = `แจ้งแนวทางเฝ้าระวังโรค ${tag}`;
  const held = `ขออนุมัติจัดซื้อครุภัณฑ์ ${tag}`;

  // -- the stored register; a legal hold on one record --------------------------------------------------
  let page = await as(browser, "ops.records");
  await page.getByRole("navigation", { name: "เมนูหลัก" }).getByRole("link", { name: "จัดเก็บ" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "การเก็บรักษาและทำลายหนังสือ" })).toBeVisible();
  await page.getByLabel("คำค้น (เรื่อง ที่ รหัสแฟ้ม)").fill(tag);
  await page.getByRole("button", { name: "ค้นหา" }).click();
  const lines = page.locator("table.register tbody tr").filter({ hasText: tag });
  await expect(lines).toHaveCount(4);
  await expect(lines.first()).toContainText(`เก็บถึง พ.ศ. ${year}`);
  await lines.filter({ hasText: held }).getByRole("button", { name: /รายละเอียด/ }).click();
  await expect(page.getByRole("region", { name: /^การเก็บหนังสือ/ })).toContainText(`เก็บถึง พ.ศ. ${year}`);
  await page.getByRole("button", { name: "ระงับการทำลาย" }).click();
  const dialog = page.getByRole("dialog", { name: "ระงับการทำลายหนังสือ" });
  await dialog.getByLabel("เหตุผลที่ระงับ").fill("อยู่ระหว่างการตรวจสอบของสำนักงานการตรวจเงินแผ่นดิน");
  await dialog.getByLabel(/อ้างอิง/).fill("ตผ 0012/345");
  await dialog.getByRole("button", { name: "ระงับการทำลาย" }).click();
  await expect(page.getByText("ระงับการทำลายแล้ว หนังสือนี้จะไม่ถูกนำเข้าบัญชีขอทำลาย")).toBeVisible();
  await expect(page.locator(".held-mark")).toContainText("สำนักงานการตรวจเงินแผ่นดิน");
  await look(page, "archive-register-held");
  const pdf = page.waitForEvent("download");
  await page.getByRole("button", { name: "ดาวน์โหลด PDF" }).click();
  expect((await pdf).suggestedFilename()).toMatch(/^form-19-\d{4}-\d{2}-\d{2}\.pdf$/);

  // -- the survey -------------------------------------------------------------------------------------
  await page.getByRole("link", { name: "การทำลายหนังสือ" }).click();
  await page.getByLabel("ประจำปี พ.ศ.").fill(String(year));
  await page.getByRole("button", { name: "จัดทำบัญชีหนังสือขอทำลาย" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `บัญชีหนังสือขอทำลาย ประจำปี พ.ศ. ${year}` })).toBeVisible();
  const rows = page.locator("table.register tbody tr");
  await expect(rows.filter({ hasText: first })).toHaveCount(1);
  await expect(rows.filter({ hasText: held })).toHaveCount(0); // held: left off the list
  await expect(page.locator(".next-step")).toContainText("หัวหน้าส่วนราชการแต่งตั้งคณะกรรมการ");
  await look(page, "archive-destruction-surveyed");
  const listPath = new URL(page.url()).pathname;

  // -- the head appoints the committee ------------------------------------------------------------------
  page = await as(browser, "ops.director", page);
  await go(page, listPath);
  await page.getByLabel("คำสั่งแต่งตั้ง").fill(`คำสั่ง ที่ ${tag.slice(-3)}/2569`);
  await page.getByLabel("ประธานกรรมการ").selectOption({ label: "นายธนากร ระบบดี (นักวิชาการคอมพิวเตอร์ชำนาญการ)" });
  await page.getByRole("group", { name: "กรรมการ (อย่างน้อย 2 คน)" }).getByLabel(/สมชาย รักงาน/).check();
  await page.getByRole("group", { name: "กรรมการ (อย่างน้อย 2 คน)" }).getByLabel(/นางสมศรี ใจดี/).check();
  await look(page, "archive-destruction-committee-form");
  await page.getByRole("button", { name: "แต่งตั้งคณะกรรมการ" }).click();
  await expect(page.getByText("นายธนากร ระบบดี (นักวิชาการคอมพิวเตอร์ชำนาญการ) — ประธานกรรมการ")).toBeVisible();
  await expect(page.locator(".next-step")).toContainText("กรรมการพิจารณาทุกรายการ");

  // -- a member reviews: X, one kept longer with the reason --------------------------------------------
  page = await as(browser, "ops.staff1", page);
  await go(page, listPath);
  const decide = (subject: string) => page.locator("table.register tbody tr").filter({ hasText: subject });
  await decide(second).getByRole("combobox").selectOption("extend");
  await decide(second).getByLabel("ขยาย (ปี)").fill("5");
  await decide(second).getByLabel("เหตุผล").fill("ยังใช้อ้างอิงในการตรวจสอบ");
  await page.getByRole("button", { name: "ทำเครื่องหมาย X ทุกรายการที่ยังไม่พิจารณา" }).click();
  await expect(decide(first).getByRole("combobox")).toHaveValue("destroy");
  await look(page, "archive-destruction-review");
  await page.getByRole("button", { name: "บันทึกการพิจารณา" }).click();
  await expect(page.getByText("บันทึกการพิจารณาแล้ว")).toBeVisible({ timeout: 60_000 }); // a longer keep stamps the letter again
  await expect(decide(second)).toContainText(`ขยายเวลาเก็บถึง พ.ศ. ${year + 5}`);
  await expect(decide(first)).toContainText("X");
  await expect(page.getByText("ยังไม่พิจารณา 0")).toBeVisible();

  // -- the chair reports ----------------------------------------------------------------------------------
  page = await as(browser, "ops.admin", page);
  await go(page, listPath);
  await page.getByRole("button", { name: "รายงานหัวหน้าส่วนราชการ" }).click();
  await expect(page.locator(".next-step")).toContainText("หัวหน้าส่วนราชการพิจารณาอนุมัติบัญชี");

  // -- the head approves, and signs the list (over the API: the document screens are not this spec's) ----
  page = await as(browser, "ops.director", page);
  await go(page, listPath);
  await page.getByLabel("ความเห็น").fill("อนุมัติให้ดำเนินการ");
  await page.getByRole("button", { name: "อนุมัติ", exact: true }).click();
  await expect(page.locator(".next-step")).toContainText("หัวหน้าส่วนราชการลงนามในบัญชี");
  await look(page, "archive-destruction-approved");
  const director = await bearer(request, "ops.director");
  const view = (await (await request.get(`/v1/archive/destruction-lists/${year}`, { headers: director })).json()) as { list_document_id: string };
  const listDoc = `/v1/documents/${view.list_document_id}`;
  await expect
    .poll(async () => ((await (await request.get(listDoc, { headers: director })).json()) as { files: { status: string }[] }).files[0]?.status, {
      timeout: 30_000,
    })
    .toBe("ready");
  expect((await request.post(`${listDoc}/sign`, { headers: director })).status()).toBe(202);
  await expect
    .poll(async () => ((await (await request.get(listDoc, { headers: director })).json()) as { signatures: unknown[] }).signatures.length, {
      timeout: 60_000,
    })
    .toBe(1);

  // -- the records officer: sent, the Archives' answer (they keep one line), destruction ----------------
  page = await as(browser, "ops.records", page);
  await go(page, listPath);
  await page.getByLabel("ส่งทาง").selectOption("hand");
  await page.getByLabel("เลขที่หนังสือนำส่ง").fill(`ดศ 0201.1/${tag.slice(-4)}`);
  await page.getByRole("button", { name: "บันทึกการส่ง" }).click();
  await expect(page.locator(".next-step")).toContainText("บันทึกคำตอบของสำนักหอจดหมายเหตุแห่งชาติ");
  await page.getByLabel("หนังสือตอบ (ที่ และลงวันที่)").fill("วธ 0403/77 ลงวันที่ 1 ธันวาคม 2569");
  await decide(third).getByRole("checkbox").check();
  await look(page, "archive-destruction-answer");
  await page.getByRole("button", { name: "บันทึกคำตอบ" }).click();
  await expect(decide(third)).toContainText("สำนักหอจดหมายเหตุแห่งชาติขอเก็บ");
  await page.getByRole("button", { name: "ทำลายหนังสือ", exact: true }).click();
  await page.getByRole("button", { name: "ยืนยันการทำลาย" }).click();
  await expect(page.locator(".next-step")).toContainText("กำลังทำลาย");
  await look(page, "archive-destruction-destroying");
  await page.getByRole("link", { name: "← บัญชีหนังสือขอทำลายทั้งหมด" }).click();
  await expect(page.getByRole("link", { name: `บัญชีหนังสือขอทำลาย ประจำปี พ.ศ. ${year}` })).toBeVisible();
  await look(page, "archive-destruction-lists");

  // -- a loan card: asked by the records officer for a member of staff, approved, handed out, returned ----
  await page.getByRole("link", { name: "การยืมหนังสือ" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "การยืมหนังสือ" })).toBeVisible();
  const item = page.getByRole("combobox", { name: /^รายการ/ });
  await expect(item.locator("option", { hasText: held })).toHaveCount(1); // the stored register has come
  const value = await item.evaluate((select, text) => Array.from((select as HTMLSelectElement).querySelectorAll("option")).find((o) => o.text.includes(text))?.value ?? "", held);
  await item.selectOption(value);
  await page.getByLabel("ยืมเพื่อ (ราชการ)").fill("ประกอบการตอบข้อซักถามของสำนักงานการตรวจเงินแผ่นดิน");
  const due = new Date(Date.now() + 14 * 86_400_000);
  await page.getByRole("textbox", { name: "กำหนดส่งคืน" }).fill(`${due.getDate()}/${due.getMonth() + 1}/${due.getFullYear() + 543}`);
  await page.getByRole("combobox", { name: /^ผู้ยืม/ }).selectOption("user");
  await page.getByLabel("ผู้ยืม (ผู้ใช้)").selectOption({ label: "สมชาย รักงาน (นักวิเคราะห์นโยบายและแผนปฏิบัติการ)" });
  await page.getByRole("button", { name: "ขอยืม", exact: true }).click();
  await expect(page.getByText(/^ขอยืมแล้ว:/)).toBeVisible();
  const card = page.locator("table.register tbody tr").filter({ hasText: held });
  await expect(card).toContainText("รออนุมัติ");
  await look(page, "archive-loans-requested");

  page = await as(browser, "ops.head", page);
  await go(page, "/archive/loans");
  await page.locator("table.register tbody tr").filter({ hasText: held }).getByRole("button", { name: /^อนุมัติการยืม/ }).click();
  await expect(page.locator("table.register tbody tr").filter({ hasText: held })).toContainText("อนุมัติแล้ว รอรับหนังสือ");

  page = await as(browser, "ops.records", page);
  await go(page, "/archive/loans");
  const lent = page.locator("table.register tbody tr").filter({ hasText: held });
  await lent.getByRole("button", { name: /^บันทึกการรับ / }).click();
  const handOut = page.getByRole("dialog", { name: "บันทึกผู้รับหนังสือที่ยืม" });
  await expect(handOut.getByLabel("ผู้รับ (ชื่อ)")).toHaveValue("สมชาย รักงาน");
  await handOut.getByRole("button", { name: "บันทึกการรับหนังสือ" }).click();
  await expect(lent).toContainText("ยืมอยู่");
  await look(page, "archive-loans-lent");
  await lent.getByRole("button", { name: /^บันทึกการส่งคืน / }).click();
  await page.getByRole("dialog", { name: "บันทึกการส่งคืนหนังสือ" }).getByRole("button", { name: "บันทึกการส่งคืน" }).click();
  await expect(lent).toContainText("ส่งคืนแล้ว");
  await look(page, "archive-loans-returned");

  await page.getByRole("link", { name: "ส่งมอบหนังสือครบ 20 ปี" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "ส่งมอบหนังสือครบ 20 ปี" })).toBeVisible();
  await look(page, "archive-transfers");
  await page.context().close();
});

test("the records officer imports a paper-era register from a CSV file, sees the line left out and why, and opens the book from the list", async ({ browser }) => {
  test.setTimeout(90_000);
  const tag = String(Date.now() % 1_000_000_000);
  const book = `e2e-ui-${tag}`;
  const name = `ทะเบียนหนังสือรับ พ.ศ. 2538 (สมุดเดิม ${tag})`;
  const csv = [
    "เลขทะเบียน,วันที่ลงทะเบียน,ที่,ลงวันที่,จาก,ถึง,เรื่อง,การปฏิบัติ,รหัสแฟ้ม,ไฟล์",
    `1,3/2/2538,กค 0401/11,1/2/2538,กรมบัญชีกลาง,ผู้อำนวยการ,ขอความร่วมมือรายงานผล ${tag},แจ้งเวียน,กค 01/2538,scan-${tag}.pdf`,
    `2,31/2/2538,กค 0401/12,,กรมบัญชีกลาง,,วันที่ผิด ${tag},,,`,
    `๓,4/2/2538,มท 0201/5,๒/๒/๒๕๓๘,กระทรวงมหาดไทย,,"ขอเชิญประชุม, ชี้แจงแนวทาง ${tag}",,,`,
  ].join("\r\n");

  const page = await as(browser, "ops.records");
  await page.getByRole("navigation", { name: "เมนูหลัก" }).getByRole("link", { name: "จัดเก็บ" }).click();
  await page.getByRole("navigation", { name: "งานเก็บรักษาหนังสือ" }).getByRole("link", { name: "ทะเบียนหนังสือเดิม" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "ทะเบียนหนังสือเดิม (ยุคกระดาษ)" })).toBeVisible();
  const form = page.getByRole("form", { name: "นำเข้าทะเบียนจากไฟล์ CSV" });
  await form.getByLabel(/^รหัสทะเบียน/).fill(book);
  await form.getByLabel(/^ชื่อทะเบียน/).fill(name);
  await form.getByLabel("ไฟล์ทะเบียน (CSV)").setInputFiles({ name: "register-2538.csv", mimeType: "text/csv", buffer: Buffer.from(`\ufeff${csv}`, "utf8") });
  await expect(form.getByRole("status").first()).toContainText("พร้อมนำเข้า 2 รายการ ไม่นำเข้า 1 รายการ");
  const refused = form.getByRole("table", { name: /^รายการที่ไม่นำเข้า/ }).locator("tbody tr");
  await expect(refused).toHaveCount(1);
  await expect(refused).toContainText(`วันที่ผิด ${tag}`);
  await expect(refused).toContainText('วันที่ลงทะเบียน: "31/2/2538" ไม่ใช่วันที่');
  await look(page, "archive-legacy-checked");

  await form.getByRole("button", { name: "นำเข้า 2 รายการ" }).click();
  await expect(form.getByText("นำเข้าใหม่ 2 รายการ มีอยู่แล้ว 0 รายการ")).toBeVisible();
  await expect(form.getByText("นำเข้าแล้ว 2 จาก 2 รายการ (ครั้งที่ 1 จาก 1)")).toBeVisible();
  // the scan the register names goes up from the result
  await form.getByLabel("เลือกไฟล์สแกน (PDF)").setInputFiles({ name: `scan-${tag}.pdf`, mimeType: "application/pdf", buffer: letterPdf(`scan ${tag}`) });
  await expect(form.getByText("ส่งแล้ว (ระบบกำลังตรวจไฟล์)")).toBeVisible();
  await expect(form.getByText("ส่งไฟล์สแกนแล้ว 1 จาก 1 ไฟล์")).toBeVisible();
  await look(page, "archive-legacy-imported");
  // the list of imported books shows it at once, with its year and the lines it holds
  const listed = page.getByRole("table", { name: "ทะเบียนที่นำเข้าแล้ว" }).getByRole("row").filter({ hasText: book });
  await expect(listed.getByRole("rowheader")).toHaveText(name);
  await expect(listed.getByRole("link", { name: "ปี พ.ศ. 2538 (2 รายการ)" })).toBeVisible();

  await form.getByRole("link", { name: `เปิดทะเบียน ${book} ปี พ.ศ. 2538` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `${name} ปี พ.ศ. 2538` })).toBeVisible();
  const lines = page.locator("table.legacy-book tbody tr");
  await expect(lines).toHaveCount(2);
  await expect(lines.nth(0)).toContainText("3 กุมภาพันธ์ 2538");
  await expect(lines.nth(0)).toContainText("1 กุมภาพันธ์ 2538");
  await expect(lines.nth(1)).toContainText(`ขอเชิญประชุม, ชี้แจงแนวทาง ${tag}`);
  await look(page, "archive-legacy-book");
  await lines.nth(0).getByRole("link", { name: `ขอความร่วมมือรายงานผล ${tag}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `ขอความร่วมมือรายงานผล ${tag}` })).toBeVisible();

  // the saraban officer reads imported books, opened from their list, but imports none
  const saraban = await as(browser, "ops.saraban", page);
  await saraban.getByRole("navigation", { name: "เมนูหลัก" }).getByRole("link", { name: "จัดเก็บ" }).click();
  await saraban.getByRole("navigation", { name: "งานเก็บรักษาหนังสือ" }).getByRole("link", { name: "ทะเบียนหนังสือเดิม" }).click();
  await expect(saraban.getByText("การนำเข้าทะเบียนทำโดยเจ้าหน้าที่เก็บรักษาหนังสือ")).toBeVisible();
  await expect(saraban.getByRole("form", { name: "นำเข้าทะเบียนจากไฟล์ CSV" })).toHaveCount(0);
  const row = saraban.getByRole("table", { name: "ทะเบียนที่นำเข้าแล้ว" }).getByRole("row").filter({ hasText: book });
  await expect(row.getByRole("cell", { name: "ทะเบียนหนังสือรับ", exact: true })).toBeVisible();
  await look(saraban, "archive-legacy-saraban");
  await row.getByRole("link", { name: "ปี พ.ศ. 2538 (2 รายการ)" }).click();
  await expect(saraban.getByRole("heading", { level: 1, name: `${name} ปี พ.ศ. 2538` })).toBeVisible();
  await expect(saraban.locator("table.legacy-book tbody tr")).toHaveCount(2);
  await saraban.getByRole("spinbutton", { name: "ปี พ.ศ." }).fill("2539");
  await saraban.getByRole("button", { name: "แสดงปีนี้" }).click();
  await expect(saraban.getByText("ไม่มีรายการในทะเบียนนี้ปี พ.ศ. 2539")).toBeVisible();
  await saraban.context().close();
});
