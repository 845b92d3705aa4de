import { expect as base, test, type APIRequestContext } from "@playwright/test";
import { bearer, look, signIn, th } from "./helpers";

// A committee meeting of mdes-dept from invitation to circulated minutes. The organiser is dept.head
// (a head sets committees up, and as กรรมการและเลขานุการ keeps its meetings and records the minutes);
// dept.staff1 is a member who answers the invitation and owns an action item. The chair is a person
// from outside, so the minutes are signed by the recorder alone (no director's inbox is touched), and
// they are numbered in mdes-dept's outgoing book (not mdes-ops').

// Each step waits on the shared local stack: a generous wait for what the screen shows after it.
const expect = base.configure({ timeout: 15_000 });

function tomorrowBuddhist(): string {
  const when = new Date(Date.now() + 24 * 3600 * 1000);
  const [y, m, d] = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Bangkok" }).format(when).split("-").map(Number);
  return `${d ?? 1}/${m ?? 1}/${(y ?? 2026) + 543}`;
}

/** The minutes are signed on the document's route (the letters' screens, not this one): set up over the API. */
async function routeAndSign(request: APIRequestContext, documentId: string): Promise<void> {
  const headers = await bearer(request, "dept.head");
  const me = (await (await request.get("/v1/me", { headers })).json()) as { user_id: string };
  const url = `/v1/documents/${documentId}/route`;
  const started = await request.post(url, { headers, data: { plan: { signers: [{ user_id: me.user_id }] } } });
  expect(started.status(), await started.text()).toBe(201);
  expect((await request.post(`${url}/actions`, { headers, data: { action: "forward" } })).ok()).toBe(true);
  await expect
    .poll(async () => {
      const route = (await (await request.get(url, { headers })).json()) as { state: string; your_turn: boolean };
      return route.state === "signing" && route.your_turn;
    }, { timeout: 30_000 })
    .toBe(true);
  const signed = await request.post(`${url}/actions`, { headers, data: { action: "forward" } });
  expect(signed.ok(), await signed.text()).toBe(true);
  await expect.poll(async () => ((await (await request.get(url, { headers })).json()) as { state: string }).state, { timeout: 30_000 }).toBe("signed");
}

test("the secretary sets up a committee, schedules a meeting, takes it to circulated minutes; a member answers and reports", async ({
  page,
  browser,
  request,
}) => {
  test.setTimeout(180_000); // one meeting's whole life, in two browsers
  const stamp = Date.now() % 1_000_000;
  const committee = `คณะทำงานพัฒนาระบบสารบรรณอิเล็กทรอนิกส์ ชุดที่ ${stamp}`;
  const decision = "ร่างแผนการเปลี่ยนผ่านสู่ระบบสารบรรณอิเล็กทรอนิกส์";
  const task = `จัดทำแผนปฏิบัติการและรายงานในการประชุมครั้งถัดไป ${stamp}`;

  // The committee, by the head who is its secretary.
  await signIn(page, "dept.head");
  await page.getByRole("navigation").getByRole("link", { name: "ประชุม", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "การประชุม" })).toBeVisible();
  await page.getByRole("link", { name: "คณะกรรมการ" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "คณะกรรมการ" })).toBeVisible();
  await page.getByLabel("ชื่อคณะกรรมการ").fill(committee);
  await page.getByLabel("คำสั่งแต่งตั้ง").fill(`คำสั่งกรม ที่ ${stamp % 1000}/2569`);
  await page.getByLabel(`คนที่ ${th(1)}: เป็น`).selectOption({ label: "บุคคลภายนอก" });
  await page.getByLabel(`คนที่ ${th(1)}: ชื่อ-สกุล`).fill("นายประเสริฐ วิชาการ");
  await page.getByLabel(`คนที่ ${th(1)}: ตำแหน่ง`, { exact: true }).fill("ผู้ทรงคุณวุฒิด้านรัฐบาลดิจิทัล");
  await page.getByRole("combobox", { name: new RegExp(`^คนที่ ${th(2)}: ชื่อ`) }).selectOption({ label: "สมชาย รักงาน (นักวิเคราะห์นโยบายและแผนปฏิบัติการ)" });
  await page.getByRole("combobox", { name: new RegExp(`^คนที่ ${th(3)}: ชื่อ`) }).selectOption({ label: "นายวิชัย มั่นคง (ผู้อำนวยการกลุ่มงาน)" });
  await expect(page.getByLabel(`คนที่ ${th(3)}: ตำแหน่งในคณะกรรมการ`)).toHaveValue("secretary");
  await page.getByRole("button", { name: "ตั้งคณะกรรมการ" }).click();
  await expect(page.getByRole("status").filter({ hasText: `ตั้ง${committee}แล้ว` })).toBeVisible();
  await expect(page.getByRole("rowheader", { name: committee })).toBeVisible();
  await look(page, "meetings-committees");

  // The meeting with two agenda items.
  await page.getByRole("link", { name: "การประชุม", exact: true }).click();
  await page.getByRole("link", { name: "นัดประชุม" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "นัดประชุม" })).toBeVisible();
  await page.getByRole("combobox", { name: /^คณะกรรมการ/ }).selectOption({ label: committee });
  await page.getByLabel("วันที่ประชุม").fill(tomorrowBuddhist());
  await page.getByLabel("เวลาเริ่ม").fill("09:30");
  await page.getByLabel("เวลาเลิก").fill("11:30");
  await page.getByRole("textbox", { name: "สถานที่" }).fill("ห้องประชุม 1 ชั้น 5");
  await page.getByLabel(`เรื่องที่ ${th(1)}: ชื่อเรื่อง`).fill("ประธานแจ้งกำหนดการเปิดใช้ระบบ");
  await page.getByLabel(`เรื่องที่ ${th(2)}: ชื่อเรื่อง`).fill(decision);
  await page.getByLabel(`เรื่องที่ ${th(2)}: ผู้นำเสนอ`).fill("กองบริการดิจิทัล");
  await page.getByRole("button", { name: "นัดประชุม" }).click();
  const heading = page.getByRole("heading", { level: 1, name: new RegExp(`^การประชุม${committee} ครั้งที่ ${th(1)}/`) });
  await expect(heading).toBeVisible({ timeout: 20_000 });

  /** Back to the meeting through the list (a reload would sign out: the tokens live in memory only). */
  async function reopen(p: typeof page) {
    await p.bringToFront(); // a page behind another does not paint: its clicks would wait for ever
    await p.getByRole("navigation").getByRole("link", { name: "ประชุม", exact: true }).click();
    await p.getByRole("region", { name: "การประชุมที่จะถึง" }).getByRole("link", { name: committee }).click();
    await expect(p.getByRole("heading", { level: 1, name: new RegExp(`^การประชุม${committee}`) })).toBeVisible({ timeout: 20_000 });
  }
  await expect(page.locator("ol.steps li.working")).toHaveText(/ตอบรับ ลงชื่อผู้มาประชุม และบันทึกมติ/);
  await expect(page.getByRole("heading", { level: 3, name: `ระเบียบวาระที่ ${th(4)} ${decision}` })).toBeVisible();

  // The member answers the invitation.
  const member = await browser.newContext();
  const memberPage = await member.newPage();
  await signIn(memberPage, "dept.staff1");
  await reopen(memberPage);
  await expect(memberPage.getByRole("heading", { level: 3, name: "การตอบรับของท่าน" })).toBeVisible();
  await memberPage.getByLabel("เข้าร่วมประชุม", { exact: true }).check();
  await memberPage.getByRole("button", { name: "ส่งคำตอบ" }).click();
  await expect(memberPage.getByRole("status").filter({ hasText: "ตอบรับแล้ว: เข้าร่วมประชุม" })).toBeVisible();
  await expect(memberPage.getByRole("row", { name: /^สมชาย รักงาน/ })).toContainText("เข้าร่วมประชุม");
  await expect(memberPage.getByRole("button", { name: /บันทึกมติ/ })).toHaveCount(0); // a member records nothing
  await look(memberPage, "meetings-page-invitee");

  // The secretary records the outside chair's leave, and takes attendance: two of three, a quorum.
  await reopen(page);
  await page.getByLabel("คำตอบของนายประเสริฐ วิชาการ").selectOption({ label: "ไม่เข้าร่วมประชุม (ลาประชุม)" });
  await page.getByLabel("เหตุที่ไม่เข้าร่วมประชุม").fill("ติดราชการต่างประเทศ");
  await page.getByRole("button", { name: "บันทึกคำตอบ" }).click();
  await expect(page.getByText("เหตุ: ติดราชการต่างประเทศ")).toBeVisible();
  await page.getByRole("button", { name: "สมชาย รักงาน: มาประชุม" }).click();
  await expect(page.getByRole("button", { name: "สมชาย รักงาน: มาประชุม" })).toHaveAttribute("aria-pressed", "true");
  await page.getByRole("button", { name: "นายวิชัย มั่นคง: มาประชุม" }).click();
  await expect(page.getByRole("button", { name: "นายวิชัย มั่นคง: มาประชุม" })).toHaveAttribute("aria-pressed", "true");
  await page.getByRole("button", { name: "นายประเสริฐ วิชาการ: ไม่มาประชุม" }).click();
  await expect(page.getByRole("button", { name: "นายประเสริฐ วิชาการ: ไม่มาประชุม" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator(".quorum")).toContainText(`กรรมการมาประชุม ${th(2)} จาก ${th(3)} คน`);
  await expect(page.locator(".quorum")).toContainText("ครบองค์ประชุม");

  // The resolution of item 4, with the votes.
  await page.getByRole("button", { name: `บันทึกมติระเบียบวาระที่ ${th(4)}` }).click();
  const form = page.getByRole("form", { name: `มติระเบียบวาระที่ ${th(4)}` });
  await form.getByLabel("สรุปการอภิปราย").fill("ที่ประชุมพิจารณาร่างแผนและให้ข้อสังเกตเรื่องการอบรมผู้ใช้งาน");
  await form.getByLabel("มติที่ประชุม").fill("เห็นชอบร่างแผนการเปลี่ยนผ่าน โดยให้เพิ่มการอบรมผู้ใช้งาน");
  await form.getByLabel("มีการลงคะแนนเสียง").check();
  await form.getByLabel("เห็นชอบ (เสียง)", { exact: true }).fill("2");
  await form.getByRole("button", { name: "บันทึกมติ", exact: true }).click();
  await expect(page.getByText("เห็นชอบร่างแผนการเปลี่ยนผ่าน โดยให้เพิ่มการอบรมผู้ใช้งาน")).toBeVisible();
  await expect(page.getByText(`เห็นชอบ ${th(2)} เสียง ไม่เห็นชอบ ${th(0)} เสียง`)).toBeVisible();

  // An action item for the member, due in two weeks.
  const due = new Date(Date.now() + 14 * 24 * 3600 * 1000);
  await page.getByRole("combobox", { name: /^ระเบียบวาระ/ }).selectOption({ label: `ระเบียบวาระที่ ${th(4)} ${decision}` });
  await page.getByLabel("ผู้รับผิดชอบ").selectOption({ label: "สมชาย รักงาน (นักวิเคราะห์นโยบายและแผนปฏิบัติการ)" });
  await page.getByLabel("งาน", { exact: true }).fill(task);
  await page.getByLabel("กำหนดเสร็จ").fill(`${due.getDate()}/${due.getMonth() + 1}/${due.getFullYear() + 543}`);
  await page.getByRole("button", { name: "มอบหมายงาน" }).click();
  await expect(page.getByRole("row").filter({ hasText: task })).toContainText("กำลังดำเนินการ");
  await look(page, "meetings-page-meeting-day");

  // The owner marks it done.
  await reopen(memberPage);
  await memberPage.getByRole("button", { name: `ดำเนินการเสร็จแล้ว: ${task}` }).click();
  await expect(memberPage.getByRole("status").filter({ hasText: `บันทึกว่างาน “${task}” เสร็จแล้ว` })).toBeVisible();
  await expect(memberPage.getByRole("row").filter({ hasText: task })).toContainText("เสร็จแล้ว");
  await member.close();

  // Close the meeting, draft the minutes.
  await reopen(page);
  await page.getByLabel("เริ่มประชุมเวลา").fill("09:35");
  await page.getByLabel("เลิกประชุมเวลา").fill("11:10");
  await page.getByRole("button", { name: "ปิดการประชุม" }).click();
  await expect(page.locator(".facts .state-tag")).toHaveText("ประชุมแล้ว");
  await expect(page.getByText("ปิดการประชุมแล้ว แก้ไขการตอบรับและการมาประชุมไม่ได้")).toBeVisible();
  await page.getByRole("button", { name: "จัดทำรายงานการประชุม" }).click();
  await expect(page.locator(".facts .state-tag")).toHaveText("จัดทำรายงานการประชุมแล้ว");
  await expect(page.getByText(`ลงนามแล้ว ${th(0)} จาก ${th(1)} คน`)).toBeVisible();
  await expect(page.getByRole("button", { name: "แจ้งเวียนรายงานการประชุม" })).toBeDisabled();
  await look(page, "meetings-page-minuted");

  // Signed and numbered on the document's route; then circulated.
  const minutesLink = page.locator(".minutes-status dd a").first();
  const minutesId = /\/documents\/([^/?#]+)/.exec((await minutesLink.getAttribute("href")) ?? "")?.[1] ?? "";
  expect(minutesId).not.toBe("");
  await routeAndSign(request, minutesId);
  await page.getByRole("button", { name: "ตรวจสถานะการลงนาม" }).click();
  await expect(page.getByText(`ลงนามแล้ว ${th(1)} จาก ${th(1)} คน`)).toBeVisible();
  await page.getByRole("button", { name: "แจ้งเวียนรายงานการประชุม" }).click();
  await expect(page.getByRole("status").filter({ hasText: "แจ้งเวียนรายงานการประชุมให้กรรมการแล้ว" })).toBeVisible();
  await expect(page.locator("ol.steps li.working")).toHaveText(/รับรองรายงานการประชุมในการประชุมครั้งถัดไป/);
  await expect(page.locator(".minutes-status .pdf canvas").first()).toBeVisible({ timeout: 30_000 });
  await look(page, "meetings-minutes");

  // The list: the meeting among those to come, with its number and where it stands.
  await page.getByRole("link", { name: "การประชุม", exact: true }).click();
  const upcoming = page.getByRole("region", { name: "การประชุมที่จะถึง" });
  await expect(upcoming.getByRole("row").filter({ hasText: committee })).toContainText(`${th(1)}/`);
  await expect(upcoming.getByRole("row").filter({ hasText: committee })).toContainText("จัดทำรายงานการประชุมแล้ว");
  await look(page, "meetings-list");
});
