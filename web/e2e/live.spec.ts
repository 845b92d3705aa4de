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
