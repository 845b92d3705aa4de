import { expect, test, type Page } from "@playwright/test";
import { look, signIn, token } from "./helpers";

const DIRECTOR_POSITION = "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม";

async function liveInbox(page: Page, username: string): Promise<void> {
  await signIn(page, username);
  await expect(page.locator(".live")).toHaveAttribute("data-state", "open", { timeout: 15_000 });
}

test("a letter routed to the director appears in the open inbox without a reload; another agency hears nothing", async ({
  browser,
  request,
}) => {
  const director = await (await browser.newContext({ locale: "th-TH" })).newPage();
  const other = await (await browser.newContext({ locale: "th-TH" })).newPage();
  // Every frame the other agency's page receives, from its socket's first moment.
  const framesToOther: string[] = [];
  other.on("websocket", (socket) => socket.on("framereceived", (frame) => framesToOther.push(String(frame.payload))));
  await liveInbox(director, "ops.director");
  await liveInbox(other, "dept.director");
  const loadsBefore = await director.evaluate(() => performance.getEntriesByType("navigation").length);

  const subject = `ขอความเห็นชอบแผนงานประจำปี ${Date.now()}`;
  const author = { Authorization: `Bearer ${await token(request, "ops.staff1")}` };
  const made = await request.post("/v1/documents", {
    headers: author,
    data: { kind: "internal", subject, recipient: { position: DIRECTOR_POSITION }, body: "เรียนเพื่อโปรดพิจารณา", owner_unit_id: "policy" },
  });
  expect(made.status()).toBe(201);
  const id = ((await made.json()) as { id: string }).id;
  const plan = { reviews: [{ kind: "review", assignee: { position: DIRECTOR_POSITION } }], signers: [{ position: DIRECTOR_POSITION }] };
  expect((await request.post(`/v1/documents/${id}/route`, { headers: author, data: { plan } })).status()).toBe(201);
  const forwarded = await request.post(`/v1/documents/${id}/route/actions`, { headers: author, data: { action: "forward" } });
  expect(forwarded.status()).toBe(200);
  const sent = Date.now();

  // No reload and no poll (the fallback waits five minutes): only the pushed change can show it.
  await expect(director.getByRole("link", { name: subject })).toBeVisible({ timeout: 10_000 });
  console.log(`push: the routed letter appeared in the director's open inbox ${Date.now() - sent} ms after the call returned`);
  expect(await director.evaluate(() => performance.getEntriesByType("navigation").length)).toBe(loadsBefore);
  await look(director, "04-live-inbox");
  await other.waitForTimeout(2000);
  expect(framesToOther).toEqual([]);
  await expect(other.getByRole("link", { name: subject })).toHaveCount(0);
});

test("a trip's opinion notifies the director: the bell counts it without a reload, and opening it leads to the trip", async ({
  browser,
  request,
}) => {
  const director = await (await browser.newContext({ locale: "th-TH" })).newPage();
  await liveInbox(director, "ops.director");
  const bell = director.getByRole("button", { name: /การแจ้งเตือน/ });
  const unread = async () => Number((await director.getByTestId("unread").textContent({ timeout: 1000 }).catch(() => "0"))?.replace(/\D/g, "") || 0);
  const before = await unread();
  const loadsBefore = await director.evaluate(() => performance.getEntriesByType("navigation").length);

  const place = `ศูนย์ราชการ ${Date.now()}`;
  const staff = { Authorization: `Bearer ${await token(request, "ops.staff1")}` };
  const departure = new Date(Date.now() + 7 * 86_400_000);
  const asked = await request.post("/v1/trips", {
    headers: staff,
    data: {
      to_position: DIRECTOR_POSITION,
      place,
      province: "นนทบุรี",
      purpose: "ประชุมติดตามโครงการ",
      departure: departure.toISOString(),
      back: new Date(departure.getTime() + 8 * 3_600_000).toISOString(),
    },
  });
  expect(asked.status()).toBe(201);
  const trip = ((await asked.json()) as { id: string }).id;
  const head = { Authorization: `Bearer ${await token(request, "ops.head")}` };
  expect((await request.post(`/v1/trips/${trip}/opinion`, { headers: head, data: { recommend: true } })).status()).toBe(200);

  // Pushed, not polled (the fallback waits five minutes).
  await expect(director.getByTestId("unread")).toHaveText(new RegExp(`^${before + 1}\\D`), { timeout: 10_000 });
  expect(await director.evaluate(() => performance.getEntriesByType("navigation").length)).toBe(loadsBefore);
  await bell.click();
  const told = director.getByRole("button", { name: new RegExp(`ขออนุมัติใช้รถไป${place}`) });
  await expect(told).toBeVisible();
  await expect(told).toContainText("ยังไม่อ่าน");
  await look(director, "05-notifications");
  await told.click();
  await expect(director).toHaveURL(new RegExp(`/bookings/trips/${trip}$`));
  await expect(director.getByRole("main").getByText(place).first()).toBeVisible();
  // Read now: the count drops back, and the item no longer says unread.
  if (before === 0) await expect(director.getByTestId("unread")).toHaveCount(0);
  else await expect(director.getByTestId("unread")).toHaveText(new RegExp(`^${before}\\D`));
  await bell.click();
  await expect(director.getByRole("button", { name: new RegExp(`ขออนุมัติใช้รถไป${place}`) })).not.toContainText("ยังไม่อ่าน");
  await director.keyboard.press("Escape");
  await expect(bell).toBeFocused();
  await expect(bell).toHaveAttribute("aria-expanded", "false");
});
