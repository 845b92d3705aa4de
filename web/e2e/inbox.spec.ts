import { expect, test } from "@playwright/test";
import { look, PASSWORD, signIn } from "./helpers";

test("a wrong password is refused in Thai and the typed name stays", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByLabel("ชื่อผู้ใช้").fill("ops.director");
  await page.getByLabel("รหัสผ่าน").fill(`${PASSWORD}-wrong`);
  await page.getByRole("button", { name: "เข้าสู่ระบบ" }).click();
  await expect(page.getByRole("alert")).toHaveText("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง");
  await expect(page.getByLabel("ชื่อผู้ใช้")).toHaveValue("ops.director");
  await look(page, "01-sign-in-refused");
});

test("the director's inbox: counts per kind, urgency at a glance, Buddhist dates, then a letter", async ({ page }) => {
  await signIn(page, "ops.director");
  const rows = page.locator("table.inbox tbody tr");
  await expect(rows.first()).toBeVisible();
  await expect(page.getByRole("button", { name: /ทั้งหมด/ })).toHaveAttribute("aria-pressed", "true");
  // Dates are Buddhist years (พ.ศ. 25xx) in Thai.
  await expect(rows.first().locator("td").nth(4)).toContainText(/25\d\d/);
  await look(page, "02-inbox");
  await rows.first().getByRole("link").click();
  await expect(page.getByRole("heading", { level: 2, name: "ตัวอย่างหนังสือ" })).toBeVisible();
  await expect(page.locator(".pdf canvas").first()).toBeVisible({ timeout: 30_000 });
  await look(page, "03-document");
  // English is a choice; the same screen in English.
  await page.getByLabel("ภาษา").selectOption("en");
  await expect(page.getByRole("heading", { level: 2, name: "The letter", exact: true })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});

test("everything works by keyboard: sign in and open the first letter without a mouse", async ({ page }) => {
  await page.goto("/sign-in");
  const username = page.getByLabel("ชื่อผู้ใช้");
  await expect(username).toBeVisible();
  // Tab from the top of the page (skip link, language) to the name field: no mouse anywhere.
  for (let presses = 0; presses < 6 && !(await username.evaluate((e) => e === document.activeElement)); presses++) {
    await page.keyboard.press("Tab");
  }
  await expect(username).toBeFocused();
  await page.keyboard.type("ops.director");
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "งานรอดำเนินการ" })).toBeVisible();
  await page.locator("table.inbox tbody tr a").first().focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 2, name: "ตัวอย่างหนังสือ" })).toBeVisible();
});
