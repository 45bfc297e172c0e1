// Jobs in the browser: runs, comparisons and review searches run in a Web
// Worker, one at a time; every interleaving a user can click ends with the
// results, the buttons and the form agreeing, and nothing stuck.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { useBrowser, open, summaryOf, idle, shots } from "./harness.mjs";

useBrowser();

const jobKind = (page) => page.$eval("#job", (e) => e.dataset.kind).catch(() => null);

test("a comparison started during a run stops the run, says so, and nothing stays stuck", async () => {
  const { page, errors } = await open();
  const first = await summaryOf(page);
  await page.fill("#f-seed", "7");
  await page.click("#run");
  await page.waitForSelector('#job[data-kind="run"]');
  await page.click("#compare-run");
  assert.equal(await jobKind(page), "comparison");
  assert.match(await page.textContent(".notice"), /Stopped the run to start the comparison/);
  await page.waitForSelector("#compare-table", { timeout: 120000 });
  await idle(page);
  // The run button is free; the results are still the first run's, and the page says the form differs.
  assert.equal(await page.textContent("#run"), "Run simulation");
  assert.equal(await page.isEnabled("#run"), true);
  assert.equal(await page.$eval("#summary-json", (e) => e.textContent), first);
  assert.match(await page.textContent("#stale"), /seed 42/);
  assert.doesNotMatch(await page.inputValue("#share-url"), /seed%3D7|seed = 7/, "the link names what is shown");
  // Running now gives seed 7 everywhere.
  await page.click("#run");
  const seven = JSON.parse(await summaryOf(page, first));
  assert.equal(await page.inputValue("#f-seed"), "7");
  assert.equal(await page.$("#stale"), null);
  const shared = await open(await page.inputValue("#share-url"));
  assert.deepEqual(JSON.parse(await summaryOf(shared.page)), seven, "the share link reproduces what is shown");
  assert.deepEqual([...errors, ...shared.errors], []);
  await shared.page.close();
  await page.close();
});

test("a run started during a comparison stops the comparison and completes", async () => {
  const { page, errors } = await open();
  const first = await summaryOf(page);
  await page.selectOption("#compare-preset", "routing");
  await page.click("#compare-run");
  await page.waitForSelector('#job[data-kind="comparison"]');
  assert.equal(await page.textContent("#compare-run"), "Comparing…");
  await page.fill("#f-seed", "11");
  await page.click("#run");
  assert.match(await page.textContent(".notice"), /Stopped the comparison to start the run/);
  const now = await summaryOf(page, first);
  assert.notEqual(now, first);
  assert.equal(await page.textContent("#compare-run"), "Run comparison");
  assert.equal(await page.isEnabled("#compare-run"), true);
  assert.equal(await page.$("#compare-table"), null, "no half-made table");
  assert.deepEqual(errors, []);
  await page.close();
});

test("Stop ends a job at once and keeps the results shown", async () => {
  const { page, errors } = await open();
  const first = await summaryOf(page);
  await page.fill("#f-seed", "3");
  await page.click("#run");
  await page.waitForSelector("#job");
  await page.click("#cancel");
  await idle(page, 2000);
  assert.match(await page.textContent(".notice"), /Stopped the run/);
  assert.equal(await page.$eval("#summary-json", (e) => e.textContent), first);
  // A job after a stopped one runs normally.
  await page.click("#run");
  await summaryOf(page, first);
  assert.deepEqual(errors, []);
  await page.close();
});

test("typing during a run keeps every character, and the page answers while it runs", async () => {
  const { page, errors } = await open();
  const first = await summaryOf(page);
  await page.fill("#f-fault-start", "13m");
  await page.click("#run");
  await page.waitForSelector('#job[data-kind="run"]');
  const t0 = Date.now();
  await page.click("#f-seed", { clickCount: 3 });
  await page.keyboard.type("123456", { delay: 30 });
  const typed = Date.now() - t0;
  // The replay answers too (the simulation is off the page's thread).
  const clock = await page.textContent(".clock");
  await page.focus("#scrubber");
  for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
  assert.notEqual(await page.textContent(".clock"), clock);
  const stillRunning = (await jobKind(page)) === "run";
  if (stillRunning) await page.screenshot({ path: path.join(shots, "job-running.png") });
  await summaryOf(page, first);
  assert.equal(await page.inputValue("#f-seed"), "123456");
  console.log(`# typed 6 characters in ${typed} ms; the run was ${stillRunning ? "still" : "no longer"} going after the replay moved`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("switching the router away and back gives the same run, and keeps the scenario's variants", async () => {
  const { page, errors } = await open();
  const first = await summaryOf(page);
  const hasFile = async () => page.$$eval("#compare-preset option", (os) => os.some((o) => o.value === "file"));
  const fileBefore = await hasFile();
  await page.selectOption("#f-routing", "dns");
  await page.click("#run");
  const dns = await summaryOf(page, first);
  assert.notEqual(dns, first);
  await page.selectOption("#f-routing", "anycast_l7");
  await page.click("#run");
  const back = await summaryOf(page, dns);
  assert.equal(back, first, "Front Door → Traffic Manager → Front Door is the first run");
  assert.equal(await hasFile(), fileBefore, "the scenario's own variants are still offered");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a run started during a design review drops the review's progress with it", async () => {
  const { page, errors } = await open();
  const first = await summaryOf(page);
  await page.click("#review-run");
  await page.waitForSelector('#job[data-kind="design review"]');
  await page.waitForFunction(() => /headroom/.test(document.getElementById("job-detail")?.textContent || ""), null, { timeout: 60000 });
  await page.fill("#f-seed", "5");
  await page.click("#run");
  assert.equal(await jobKind(page), "run");
  assert.doesNotMatch(await page.textContent("body"), /Searching the headroom|searching the headroom/);
  await summaryOf(page, first);
  assert.doesNotMatch(await page.textContent("body"), /searching the headroom/i);
  assert.equal(await page.textContent("#review-run"), "Review this design");
  assert.equal(await page.$("#review-json"), null);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a share link pasted into a tab already on the app opens it", async () => {
  const { page, errors } = await open();
  const first = await summaryOf(page);
  await page.fill("#f-seed", "9");
  await page.click("#run");
  await summaryOf(page, first);
  const link = await page.inputValue("#share-url");
  const other = await open();
  const otherFirst = await summaryOf(other.page);
  await other.page.evaluate((l) => { location.hash = new URL(l).hash; }, link);
  const opened = await summaryOf(other.page, otherFirst);
  assert.equal(JSON.parse(opened).counts.offered, JSON.parse(await page.$eval("#summary-json", (e) => e.textContent)).counts.offered);
  assert.equal(await other.page.inputValue("#f-seed"), "9");
  assert.deepEqual([...errors, ...other.errors], []);
  await other.page.close();
  await page.close();
});

test("a refused run says why beside the button", async () => {
  const { page, errors } = await open();
  const first = await summaryOf(page);
  await page.fill("#f-seed", "minus one");
  await page.fill("#f-duration", "forever");
  await page.click("#run");
  await page.waitForSelector("#run-refused");
  const text = await page.textContent("#run-refused");
  assert.match(text, /2 fields to fix/);
  assert.match(text, /Seed/);
  assert.match(text, /Duration/);
  const [list, button] = [await page.$("#run-refused"), await page.$("#run")].map((e) => e);
  const a = await list.boundingBox(), b = await button.boundingBox();
  assert.ok(b.y - (a.y + a.height) < 40 && b.y > a.y, `the list sits just above the button (${a.y}+${a.height} vs ${b.y})`);
  await page.screenshot({ path: path.join(shots, "run-refused.png") });
  // The first field to fix has the keyboard focus; the view stayed by the button.
  assert.equal(await page.evaluate(() => document.activeElement?.id), "f-duration");
  const still = await page.$eval("#run", (b) => b.getBoundingClientRect().top);
  assert.ok(still >= 0 && still < 1000, "the button is still in view");
  assert.equal(await page.$eval("#summary-json", (e) => e.textContent), first);
  // Fixing the fields clears the list.
  await page.fill("#f-seed", "42");
  await page.fill("#f-duration", "60m");
  assert.equal(await page.$("#run-refused"), null);
  assert.deepEqual(errors, []);
  await page.close();
});
