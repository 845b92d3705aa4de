import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";

export const PASSWORD = process.env.DEMO_PASSWORD ?? "Demo-Passw0rd!";
export const SHOTS = process.env.E2E_SCREENSHOTS ?? "test-results/screens";
const THAI = "๐๑๒๓๔๕๖๗๘๙";
/** A number as mdes-dept writes it (the demo department chose Thai digits; mdes-ops did not). */
export const th = (text: string | number): string => String(text).replace(/[0-9]/g, (d) => THAI[Number(d)] ?? d);
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

/** A one-page PDF, as a scanner would hand it over (a real file: the platform checks what it takes). */
export function letterPdf(text: string): Buffer {
  const content = `BT /F1 14 Tf 72 640 Td (${text}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(pdf.length);
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("");
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, "latin1");
}
