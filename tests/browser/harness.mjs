// Shared by the browser tests: serves dist/ (built by scripts/build-web.sh)
// on 127.0.0.1, launches Debian's headless Chromium through playwright-core,
// and keeps screenshots in artifacts/browser/. Each test file calls
// `useBrowser()` once at its top.
import { before, after } from "node:test";
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import net from "node:net";
import { chromium } from "playwright-core";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const shots = path.join(root, "artifacts", "browser");
mkdirSync(shots, { recursive: true });
export const cli = process.env.REGIONSIM_BIN || path.join(root, "target", "debug", "regionsim");

let server, browser;
export let base;

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function waitFor(url, ms = 15000) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    try { const r = await fetch(url); if (r.ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} did not start`);
}

/** Starts the server and the browser before this file's tests, stops them after. */
export function useBrowser() {
  before(async () => {
    const port = await freePort();
    server = spawn("python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", path.join(root, "dist")], { stdio: "ignore" });
    base = `http://127.0.0.1:${port}/`;
    await waitFor(base);
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });
  after(async () => {
    await browser?.close();
    server?.kill();
  });
}

/** A new page at `url` (the app by default), with its errors collected. */
export async function open(url = base, viewport = { width: 1440, height: 1000 }) {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 2 });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(url);
  return { page, errors };
}

/** The run's summary JSON once it differs from `previous` and no job is in progress. */
export async function summaryOf(page, previous = null) {
  await page.waitForFunction((prev) => {
    const el = document.getElementById("summary-json");
    return el && el.textContent.length > 10 && el.textContent !== prev && !document.getElementById("job");
  }, previous, { timeout: 60000 });
  return page.$eval("#summary-json", (el) => el.textContent);
}

/** Waits until no job is in progress. */
export async function idle(page, timeout = 120000) {
  await page.waitForFunction(() => !document.getElementById("job"), null, { timeout });
}

export async function chartPixels(page, id) {
  return page.$eval(`#chart-${id}`, (c) => c.toDataURL());
}
