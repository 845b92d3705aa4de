// The web application's figures, for bench/web_bench.py (which starts the local stack and seeds it):
// 1. initial JavaScript, gzipped: every script the first page loads (its entry and module preloads);
// 2. time to an interactive inbox in headless Chromium: from the navigation to the sign-in page until the
//    inbox's first row can be clicked, signing in on the way (median of --runs);
// 3. Lighthouse: performance of a cold load of the app (a navigation to the sign-in page: the inbox is the
//    same bundle behind a sign-in that Lighthouse cannot do itself), accessibility of the sign-in page, and
//    of the inbox after signing in (a snapshot), each a median of --runs.
// Prints JSON on its last line.
import { chromium } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import lighthouse, { startFlow } from "lighthouse";
import puppeteer from "puppeteer-core";

const web = join(dirname(fileURLToPath(import.meta.url)), "..");
const base = process.env.E2E_BASE_URL ?? "http://127.0.0.1:8000";
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1] || 5);
const chrome = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const password = process.env.DEMO_PASSWORD ?? "Demo-Passw0rd!";
const flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

function initialScripts() {
  const html = readFileSync(join(web, "dist", "index.html"), "utf8");
  const sources = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const bytes = sources.map((s) => readFileSync(join(web, "dist", s.slice(1))));
  return { files: sources.length, raw: bytes.reduce((n, b) => n + b.length, 0), gzip: bytes.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0) };
}

async function timeToInbox() {
  const browser = await chromium.launch({ executablePath: chrome, args: flags.slice(1) });
  const times = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ locale: "th-TH" });
    const page = await context.newPage();
    const start = Date.now();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel("ชื่อผู้ใช้").fill("ops.director");
    await page.getByLabel("รหัสผ่าน").fill(password);
    await page.getByRole("button", { name: "เข้าสู่ระบบ" }).click();
    await page.locator("table.inbox tbody tr a").first().waitFor({ state: "visible" });
    times.push(Date.now() - start);
    await context.close();
  }
  await browser.close();
  return times;
}

async function withBrowser(work) {
  const browser = await puppeteer.launch({ executablePath: chrome, args: flags, headless: true });
  try {
    return await work(browser);
  } finally {
    await browser.close();
  }
}

async function lighthouseRuns() {
  const performance = [], signInAccessibility = [], inboxAccessibility = [];
  for (let i = 0; i < runs; i++) {
    await withBrowser(async (browser) => {
      const port = Number(new URL(browser.wsEndpoint()).port);
      const result = await lighthouse(`${base}/sign-in`, { port, output: "json", logLevel: "error", onlyCategories: ["performance", "accessibility"] });
      performance.push(Math.round(result.lhr.categories.performance.score * 100));
      signInAccessibility.push(Math.round(result.lhr.categories.accessibility.score * 100));
    });
    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      const flow = await startFlow(page, { config: { extends: "lighthouse:default", settings: { onlyCategories: ["accessibility"] } } });
      await page.goto(`${base}/sign-in`);
      await page.type("input[name=username]", "ops.director");
      await page.type("input[name=password]", password);
      await page.click("button[type=submit]");
      await page.waitForSelector("table.inbox tbody tr a");
      await flow.snapshot({ name: "inbox" });
      const report = await flow.createFlowResult();
      inboxAccessibility.push(Math.round(report.steps[0].lhr.categories.accessibility.score * 100));
    });
  }
  return { performance, signInAccessibility, inboxAccessibility };
}

const scripts = initialScripts();
const tti = await timeToInbox();
const scores = await lighthouseRuns();
console.log(JSON.stringify({ scripts, tti, ...scores }));
