import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";

export const PASSWORD = process.env.DEMO_PASSWORD ?? "Demo-Passw0rd!";
export const SHOTS = process.env.E2E_SCREENSHOTS ?? "test-results/screens";
mkdirSync(SHOTS, { recursive: true });

export async function signIn(page: Page, username: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("ชื่อผู้ใช้").fill(username);
  await page.getByLabel("รหัสผ่าน").fill(PASSWORD);
  await page.getByRole("button", { name: "เข้าสู่ระบบ" }).click();
  await expect(page.getByRole("heading", { name: "งานรอดำเนินการ" })).toBeVisible();
}

/** A screenshot to look at, and axe-core: no serious or critical violation on the screen. */
export async function look(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

/** A demo user's ID token, for a spec's own set-up over the API (what the screen under test does not
 * itself make): signed in as the browser does, through the local identity provider. */
export async function token(request: APIRequestContext, username: string): Promise<string> {
  const answer = await request.post("/local/sign-in", { data: { username, password: PASSWORD } });
  expect(answer.ok()).toBe(true);
  return ((await answer.json()) as { id_token: string }).id_token;
}

/** The Authorization header of a demo user, for `request.post(url, { headers: await bearer(request, u), ... })`. */
export async function bearer(request: APIRequestContext, username: string): Promise<Record<string, string>> {
  return { Authorization: `Bearer ${await token(request, username)}` };
}
