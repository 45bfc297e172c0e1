// Browser tests of the regionsim web app, in Debian's headless Chromium driven
// by playwright-core (see harness.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { useBrowser, open, summaryOf, chartPixels, shots, cli, root } from "./harness.mjs";

useBrowser();

test("the headline run in the browser equals the CLI's (same scenario and seed)", async () => {
  const { page, errors } = await open();
  const summary = JSON.parse(await summaryOf(page));
  const full = JSON.parse(execFileSync(cli, ["run", "eastus2-fails-frontdoor", "--quiet"], { maxBuffer: 1 << 30 }).toString());
  const fromCli = full.summary;
  assert.deepEqual(summary, fromCli, "wasm and native reports differ");
  const ms = Number(await page.$eval("#run-ms", (e) => e.dataset.ms));
  const wasm = await page.evaluate(async () => (await fetch("sim_web_bg.wasm")).headers.get("content-length"));
  console.log(`# headline in the browser: ${summary.counts.offered} requests in ${ms} ms; sim_web_bg.wasm ${wasm} bytes`);
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(shots, "headline.png"), fullPage: true });
  await (await page.$(".topo")).screenshot({ path: path.join(shots, "topology.png") });
  // The topology shows eastus2 down a minute into the outage (the cursor's start).
  assert.equal(await page.$eval('g.region[data-region="eastus2"]', (g) => g.dataset.status), "DOWN");
  // The router's settings and what each rests on, as in the CLI's report.
  const assumed = full.router.settings.filter((x) => x.basis === "assumed").length;
  const title = await page.$eval("#router-settings summary", (e) => e.textContent);
  assert.ok(title.includes("Front Door standard") && title.includes(`${assumed} of ${full.router.settings.length} assumed`), title);
  await page.click("#router-settings summary");
  const rows = await page.$$eval("#router-settings tbody tr", (trs) => trs.map((tr) => tr.children[2].textContent));
  assert.deepEqual(rows, full.router.settings.map((x) => x.basis));
  await (await page.$("#router-settings")).screenshot({ path: path.join(shots, "router-settings.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("failing a region from the form changes the charts", async () => {
  const { page, errors } = await open();
  let prev = await summaryOf(page);
  await page.selectOption("#f-fault-kind", "none");
  await page.click("#run");
  prev = await summaryOf(page, prev);
  assert.equal(JSON.parse(prev).faults.length, 0);
  const calm = await chartPixels(page, "availability");
  await page.selectOption("#f-fault-kind", "region_outage");
  await page.selectOption("#f-fault-target", "centralus");
  await page.fill("#f-fault-start", "5m");
  await page.dispatchEvent("#f-fault-start", "change");
  await page.click("#run");
  const now = JSON.parse(await summaryOf(page, prev));
  assert.equal(now.faults.length, 1);
  assert.equal(now.faults[0].target, "centralus");
  assert.ok(now.faults[0].overall[1].availability < 1, "the outage costs something");
  assert.notEqual(await chartPixels(page, "availability"), calm, "the availability chart changed");
  await page.screenshot({ path: path.join(shots, "centralus-outage.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("an invalid value shows a message beside its field and keeps what was typed", async () => {
  const { page, errors } = await open();
  const prev = await summaryOf(page);
  await page.fill("#f-probe_interval", "0s");
  await page.dispatchEvent("#f-probe_interval", "change");
  await page.fill("#f-region0-max", "nine");
  await page.dispatchEvent("#f-region0-max", "change");
  const msg = await page.textContent("#f-probe_interval-msg");
  assert.match(msg, /1s/);
  assert.doesNotMatch(msg, /routing\.|probe_interval/, "beside its field, the message needs no path");
  assert.match(await page.textContent("#f-region0-max-msg"), /not a whole number/);
  assert.equal(await page.inputValue("#f-probe_interval"), "0s");
  assert.equal(await page.inputValue("#f-region0-max"), "nine");
  await page.click("#run");
  await page.waitForTimeout(300);
  assert.equal(await page.$eval("#summary-json", (e) => e.textContent), prev, "nothing ran with invalid input");
  assert.equal(await page.getAttribute("#f-probe_interval", "aria-invalid"), "true");
  await page.screenshot({ path: path.join(shots, "invalid-field.png"), fullPage: false });
  // The data tier: strong consistency with multi-region writes is refused on the field.
  await page.selectOption("#f-consistency", "strong");
  await page.selectOption("#f-write_mode", "multi");
  await page.waitForSelector(".field.invalid #f-consistency");
  assert.match(await page.textContent(".field.invalid:has(#f-consistency) .msg"), /strong consistency is not allowed/);
  // A broken scenario text is explained and kept too.
  await page.click("details.text summary");
  await page.fill("#scenario-text", "name = \"x\"\nduration = \"soon\"\n");
  await page.click("#apply-text");
  await page.waitForSelector(".text-error");
  assert.match(await page.textContent(".text-error"), /duration/);
  assert.equal(await page.inputValue("#scenario-text"), "name = \"x\"\nduration = \"soon\"\n");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a share link restores the exact run", async () => {
  const { page, errors } = await open();
  let prev = await summaryOf(page);
  await page.fill("#f-seed", "7");
  await page.dispatchEvent("#f-seed", "change");
  await page.selectOption("#f-routing", "dns");
  await page.click("#run");
  const edited = await summaryOf(page, prev);
  const link = await page.inputValue("#share-url");
  assert.match(link, /#scenario=/);
  const second = await open(link);
  assert.equal(await summaryOf(second.page), edited, "the shared link reproduces the run");
  assert.equal(await second.page.inputValue("#f-seed"), "7");
  assert.equal(await second.page.$eval("#f-routing", (s) => s.value), "dns");
  await second.page.screenshot({ path: path.join(shots, "shared-link-dns.png"), fullPage: true });
  assert.deepEqual([...errors, ...second.errors], []);
  await page.close();
  await second.page.close();
});

test("replay moves the cursor and the topology with the keyboard", async () => {
  const { page, errors } = await open();
  await summaryOf(page);
  await page.focus("#scrubber");
  const before = await page.textContent(".clock");
  for (let i = 0; i < 30; i++) await page.keyboard.press("ArrowRight");
  assert.notEqual(await page.textContent(".clock"), before);
  await page.click("button.marker.failback");
  const status = await page.$eval('g.region[data-region="eastus2"]', (g) => g.dataset.status);
  assert.equal(status, "healthy", "after failback eastus2 is healthy");
  await page.focus("#play");
  await page.keyboard.press("Enter");
  await page.waitForTimeout(400);
  assert.match(await page.textContent("#play"), /Pause/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("compare runs variants on the same seed and highlights the differences", async () => {
  const { page, errors } = await open();
  await summaryOf(page);
  await page.selectOption("#compare-preset", "routing");
  await page.click("#compare-run");
  await page.waitForSelector("#compare-table", { timeout: 60000 });
  const heads = await page.$$eval("#compare-table thead th", (ths) => ths.map((t) => t.textContent));
  assert.deepEqual(heads, ["metric", "Front Door", "Traffic Manager"]);
  const rows = await page.$$eval("#compare-table tbody tr", (trs) =>
    trs.map((tr) => [tr.dataset.metric, ...[...tr.children].map((c) => c.textContent)]));
  const detect = rows.find((r) => r[0] === "time_to_detect_first_s");
  assert.equal(detect[1], "time to detect (first router)");
  assert.ok(detect[2].includes("▲") && detect[3].includes("▼"), `Front Door detects first: ${detect}`);
  // The rows are the library's metrics, by the ids the CLI knows (here from
  // the message that lists them for a wrong --plot).
  let listed = "";
  try {
    execFileSync(cli, ["sweep", "eastus2-fails-frontdoor", "--param", "seed=1", "--plot", "nope", "--svg", path.join(tmpdir(), "x.svg")], { stdio: "pipe" });
  } catch (e) {
    listed = e.stderr.toString();
  }
  const ids = listed.slice(listed.indexOf("choose one of: ") + 15).trim().split(", ");
  assert.deepEqual(rows.map((r) => r[0]), ids);
  assert.ok((await page.$$("table.compare td.best")).length > 3);
  // The scenario file's own [[variants]].
  await page.selectOption("#compare-preset", "file");
  await page.click("#compare-run");
  await page.waitForFunction(() => document.querySelectorAll("#compare-table thead th").length === 5, null, { timeout: 60000 });
  const fileHeads = await page.$$eval("#compare-table thead th", (ths) => ths.map((t) => t.textContent));
  assert.deepEqual(fileHeads, ["metric", "base", "traffic manager", "probes every 100s", "centralus headroom"]);
  // A custom comparison: the current settings, then a different seed.
  await page.click("#compare-clear");
  await page.click("#compare-add");
  await page.fill("#f-seed", "43");
  await page.dispatchEvent("#f-seed", "change");
  await page.click("#compare-add");
  assert.equal(await page.$eval("#compare-preset", (s) => s.value), "custom");
  await page.click("#compare-run");
  await page.waitForFunction(() => document.querySelectorAll("#compare-table thead th").length === 3 && document.querySelector("#compare-table thead th:nth-child(2)").textContent.startsWith("#1"));
  await (await page.$(".compare-panel")).screenshot({ path: path.join(shots, "compare.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("upload a scenario file, then download the report, the series and a chart", async () => {
  const { page, errors } = await open();
  let prev = await summaryOf(page);
  await page.click("details.text summary");
  const text = execFileSync("cat", [path.join(root, "scenarios", "single-region-before.toml")]).toString();
  await page.setInputFiles("#upload", { name: "mine.toml", mimeType: "text/plain", buffer: Buffer.from(text.replace("seed = 42", "seed = 5")) });
  const summary = JSON.parse(await summaryOf(page, prev));
  assert.equal(summary.faults[0].overall[1].availability < 0.05, true, "single region: the outage takes everything");
  assert.equal(await page.inputValue("#f-seed"), "5");
  const grab = async (selector) => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
    const file = path.join(shots, download.suggestedFilename());
    await download.saveAs(file);
    return [download.suggestedFilename(), execFileSync("head", ["-c", "200", file]).toString()];
  };
  const [jsonName, json] = await grab("#download-json");
  assert.match(jsonName, /single-region-before-seed5\.json/);
  assert.match(json, /"schema_version": 4/);
  const [csvName, csv] = await grab("#download-csv");
  assert.match(csvName, /\.csv$/);
  assert.match(csv, /^time_s,kind,name,offered/);
  const [pngName, png] = await grab("figure.chart button[aria-label^=\"Download\"]");
  assert.equal(pngName, "availability.png");
  assert.equal(png.slice(1, 4), "PNG");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the design review answers nine questions, as the CLI does, and downloads as Markdown", async () => {
  const { page, errors } = await open();
  await summaryOf(page);
  await page.click("#review-run");
  await page.waitForSelector("#review-json", { state: "attached", timeout: 180000 });
  const review = JSON.parse(await page.$eval("#review-json", (e) => e.textContent));
  const fromCli = JSON.parse(execFileSync(cli, ["review", "eastus2-fails-frontdoor", "--json"], { maxBuffer: 1 << 30 }).toString());
  assert.deepEqual(review, fromCli, "wasm and native reviews differ");
  assert.equal(await page.$$eval("#review .answer", (l) => l.length), 9);
  const verdicts = await page.$$eval("#review .answer", (l) => l.map((e) => e.dataset.verdict));
  assert.deepEqual(verdicts, fromCli.answers.map((a) => a.verdict));
  // Risks and missing answers are open with their fixes; ok ones are closed.
  const q9 = await page.$eval("#q9", (e) => ({ open: e.querySelector("details").open, text: e.textContent }));
  // The headroom the search found, as the CLI states it.
  const floor = fromCli.answers[8].fixes[0].split(" (min instances)")[0];
  assert.match(floor, /^Pre-provision centralus \d+$/);
  assert.ok(q9.open && /What to change/.test(q9.text) && q9.text.includes(floor), `${floor}\n${q9.text}`);
  assert.ok(!(await page.$eval("#q1 details", (d) => d.open)));
  // The search's runs on a small chart, by floor, the floor it found marked.
  const dots = await page.$$eval("#headroom-chart circle.run", (cs) =>
    cs.map((c) => ({ floor: Number(c.dataset.floor), a: Number(c.dataset.availability), needed: c.classList.contains("needed"), x: Number(c.getAttribute("cx")), y: Number(c.getAttribute("cy")) })));
  const runs = fromCli.headroom.runs.filter((r) => r.availability !== null);
  assert.equal(dots.length, runs.length);
  assert.deepEqual(dots.map((d) => d.floor), runs.map((r) => r.min_instances.reduce((x, y) => x + y, 0)).sort((x, y) => x - y));
  for (const d of dots) assert.ok(runs.some((r) => r.availability === d.a), `${d.a} is one of the CLI's runs`);
  assert.ok(dots.every((d, i) => i === 0 || (d.x > dots[i - 1].x)), "left to right by floor");
  assert.ok(dots.every((d) => dots.every((e) => (d.a > e.a) === (d.y < e.y) || d.a === e.a)), "higher availability is higher up");
  assert.deepEqual(dots.filter((d) => d.needed).map((d) => `Pre-provision centralus ${d.floor}`), [floor]);
  // The evidence rows follow the same order.
  const rowFloors = await page.$$eval("#q9 .evidence th", (ths) => ths.map((t) => t.textContent).filter((t) => t.startsWith("run with floor")).map((t) => Number(t.split(" ")[4])));
  assert.deepEqual(rowFloors, dots.map((d) => d.floor));
  await (await page.$("#q9")).screenshot({ path: path.join(shots, "review-q9.png") });
  await page.$eval("#review", (e) => e.scrollIntoView());
  await page.screenshot({ path: path.join(shots, "review.png"), fullPage: false });
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-review")]);
  const md = await (await import("node:fs/promises")).readFile(await download.path(), "utf8");
  assert.match(md, /^# Design review: eastus2-fails-frontdoor/);
  assert.match(md, /\| 9 \| Losing the busiest region \| risk \|/);
  // Lock the origins properly from the form: a new run, a new review, and
  // question 4 clears (the run itself does not change).
  assert.equal(await page.$eval("#q4", (e) => e.dataset.verdict), "risk");
  await page.selectOption("#f-design-origin_lock", "service_tag_and_header");
  await page.click("#run");
  await page.waitForSelector("#review-json", { state: "detached", timeout: 60000 });
  await page.waitForFunction(() => !document.getElementById("progress"), null, { timeout: 60000 });
  await page.click("#review-run");
  await page.waitForSelector("#review-json", { state: "attached", timeout: 180000 });
  assert.equal(await page.$eval("#q4", (e) => e.dataset.verdict), "ok");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a fault's strength is set in the form, checked on its field, and run as the CLI runs it", async () => {
  const { page, errors } = await open();
  let prev = await summaryOf(page);
  await page.selectOption("#f-fault-kind", "brown_out");
  // The kind's effect in sim-core's words (the CLI's `validate` prints the same).
  assert.match(await page.textContent("#fault-kind-effect"), /5xx.*slower/);
  assert.equal(await page.inputValue("#f-fault-share"), "50");
  assert.equal(await page.inputValue("#f-fault-latency"), "500ms");
  await page.fill("#f-fault-share", "150");
  assert.match(await page.textContent("#f-fault-share-msg"), /0 to 100/);
  assert.equal(await page.inputValue("#f-fault-share"), "150", "what was typed is kept");
  await page.click("#run");
  assert.match(await page.textContent("#run-refused"), /Requests failing \(%\): .*0 to 100/, "named by its label beside Run");
  await page.fill("#f-fault-share", "20");
  await page.fill("#f-fault-latency", "1s");
  await (await page.$("fieldset:has(#f-fault-kind)")).screenshot({ path: path.join(shots, "fault-strength.png") });
  await page.click("#run");
  prev = await summaryOf(page, prev);
  // The same scenario through the CLI: the headline with its fault replaced.
  const text = readFileSync(path.join(root, "scenarios/eastus2-fails-frontdoor.toml"), "utf8").replace(
    /\[\[faults\]\]\nkind = "region_outage"\nregion = "eastus2"\nstart = "10m"\nduration = "30m"\n/,
    '[[faults]]\nkind = "brown_out"\nregion = "eastus2"\nstart = "10m"\nduration = "30m"\nerror_rate = 0.2\nadded_latency = "1s"\n',
  );
  assert.match(text, /brown_out/);
  const file = path.join(mkdtempSync(path.join(tmpdir(), "fault-")), "brown.toml");
  writeFileSync(file, text);
  const fromCli = JSON.parse(execFileSync(cli, ["run", file, "--quiet"], { maxBuffer: 1 << 30 }).toString()).summary;
  assert.deepEqual(JSON.parse(prev), fromCli, "the form's brown-out is the CLI's");
  // Gray failure offers whether a deep check sees it; region outages have no strength.
  await page.selectOption("#f-fault-kind", "gray_failure");
  assert.equal(await page.inputValue("#f-fault-deep"), "yes");
  await page.selectOption("#f-fault-kind", "region_outage");
  assert.equal(await page.$("#f-fault-share"), null);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the \u00a7 references link to the facts page, which opens at that section in a new tab", async () => {
  const { page, errors } = await open();
  await summaryOf(page);
  await page.click("#router-settings summary");
  const link = await page.$('#router-settings a.fact-ref[href="#facts/1.3"]');
  assert.ok(link, "the router's settings cite §1.3 as a link");
  assert.equal(await link.getAttribute("target"), "_blank", "the simulator's tab keeps its state");
  assert.equal(await link.textContent(), "§1.3");
  const [tab] = await Promise.all([page.context().waitForEvent("page"), link.click()]);
  await tab.waitForSelector("#facts");
  await tab.waitForFunction(() => {
    const h = document.getElementById("s1-3");
    return h && Math.abs(h.getBoundingClientRect().top) < 20;
  });
  assert.match(await tab.textContent("#s1-3"), /§1\.3 Front Door health probes/);
  assert.equal(await tab.$(".app"), null, "the facts page alone, no simulation");
  const sources = await tab.$$eval("#s1-3 ~ ul a[target=_blank]", (as) => as.map((a) => a.href));
  assert.ok(sources.some((h) => h.startsWith("https://learn.microsoft.com/azure/frontdoor/health-probes")), sources.join(" "));
  // One column: each heading above its text, not beside it.
  assert.ok(await tab.$eval("#s1-3", (h) => h.getBoundingClientRect().bottom <= h.nextElementSibling.getBoundingClientRect().top));
  // A section cited inside the page links to that section.
  await tab.click('.facts-page a.fact-ref[href="#facts/6.2"]');
  await tab.waitForFunction(() => Math.abs(document.getElementById("s6-2").getBoundingClientRect().top) < 20);
  await tab.screenshot({ path: path.join(shots, "facts.png") });
  await tab.setViewportSize({ width: 360, height: 800 });
  await tab.screenshot({ path: path.join(shots, "facts-phone.png") });
  assert.ok(await tab.evaluate(() => document.documentElement.scrollWidth <= 360), "no sideways scrolling at 360 px");
  // Back to the simulator from the facts page: it runs the headline.
  await tab.click(".facts-back a");
  await summaryOf(tab);
  await tab.close();
  // The form's hints cite sections too (Traffic Manager's probe interval, §2).
  await page.selectOption("#f-routing", "dns");
  assert.ok(await page.$('.field a.fact-ref[href="#facts/2"]'));
  assert.deepEqual(errors, []);
  await page.close();
});
