// The charts behave like the monitoring tools architects use: hover reads
// the values at that time (a crosshair on every chart), a click moves the
// replay, a drag zooms every chart and Reset undoes it; legends sit beside
// the data; each chart has a data table and its own download name.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { useBrowser, open, summaryOf, shots, cli } from "./harness.mjs";

useBrowser();

const overlayPixels = (page, id) => page.$eval(`#${id} + canvas.overlay`, (c) => c.toDataURL());
const clockSeconds = (text) => text.split(":").reduce((s, x) => s * 60 + Number(x), 0);

test("hover, click, drag-to-zoom, legends, data tables and download names", async () => {
  const { page, errors } = await open();
  await summaryOf(page);
  const report = JSON.parse(execFileSync(cli, ["run", "eastus2-fails-frontdoor", "--quiet"], { maxBuffer: 1 << 30 }).toString());
  const inst = await page.$("#chart-instances");
  await inst.scrollIntoViewIfNeeded();
  const box = await inst.boundingBox();
  const otherBefore = await overlayPixels(page, "chart-availability");
  // Hover at 40 % of the instances chart: the read-out names the time and each region's instances there.
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5);
  await page.waitForSelector(".readout");
  const time = (await page.textContent(".readout .t")).trim();
  assert.match(time, /^\d\d:\d\d$|^\d+:\d\d:\d\d$/);
  const b = Math.floor(clockSeconds(time) / report.bucket_s);
  const rows = await page.$$eval(".readout tr", (trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[1].textContent]));
  for (const r of report.series.regions) {
    const row = rows.find(([label]) => label === `${r.name} serving`);
    assert.ok(row, `${r.name} in the read-out: ${JSON.stringify(rows)}`);
    // The read-out's minute is rounded: the value is the bucket's at that time or the next one's.
    const near = [r.instances_serving[b], r.instances_serving[b + 1], r.instances_serving[b - 1]].map(String);
    assert.ok(near.includes(row[1]), `${r.name}: ${row[1]} vs ${near}`);
  }
  assert.notEqual(await overlayPixels(page, "chart-availability"), otherBefore, "the crosshair shows on the other charts too");
  await page.screenshot({ path: path.join(shots, "chart-hover.png"), clip: { x: box.x - 10, y: box.y - 40, width: box.width + 20, height: box.height + 120 } });
  // A click moves the replay to that time.
  await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.5);
  const t = clockSeconds((await page.textContent(".clock")).split(" / ")[0]);
  const hovered = clockSeconds((await page.textContent(".readout .t")).trim());
  assert.ok(Math.abs(t - hovered) <= 2 * report.bucket_s + 60, `clock ${t} s vs clicked ${hovered} s`);
  // A drag zooms every chart to that range; Reset brings the whole run back.
  const availBefore = await page.$eval("#chart-availability", (c) => c.toDataURL());
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5, { steps: 5 });
  await page.mouse.up();
  await page.waitForSelector("#zoomed");
  assert.match(await page.textContent("#zoomed"), /^Showing \d\d:\d\d – \d\d:\d\d$/);
  assert.notEqual(await page.$eval("#chart-availability", (c) => c.toDataURL()), availBefore, "the other charts zoomed too");
  const [z0, z1] = (await page.textContent("#zoomed")).replace("Showing ", "").split(" – ").map(clockSeconds);
  // The data table follows the zoom.
  await page.click('button[aria-label="Show the data table of Availability per population (%)"]');
  const times = await page.$$eval(".data-table tbody th", (ths) => ths.map((th) => th.textContent));
  assert.ok(times.length > 2);
  assert.ok(clockSeconds(times[0]) >= z0 - 1 && clockSeconds(times.at(-1)) <= z1 + 1, `${times[0]}…${times.at(-1)} within ${z0}…${z1}`);
  const headers = await page.$$eval(".data-table thead th", (ths) => ths.map((th) => th.textContent));
  assert.deepEqual(headers, ["time", ...report.series.populations.map((p) => p.name)]);
  await page.screenshot({ path: path.join(shots, "charts-zoomed.png"), fullPage: false });
  await page.click("#reset-zoom");
  assert.equal(await page.$("#zoomed"), null);
  // One click zooms to the fault with five minutes either side (10:00–40:00 in the headline).
  await page.click("button.zoom-fault");
  assert.equal(await page.textContent("#zoomed"), "Showing 05:00 – 45:00");
  await page.click("#reset-zoom");
  // Legends are HTML beside the canvas, not drawn over the data.
  const legend = await page.$eval("#chart-availability", (c) => {
    const fig = c.closest("figure");
    const l = fig.querySelector(".chart-legend");
    return { canvasBottom: c.getBoundingClientRect().bottom, legendTop: l.getBoundingClientRect().top, items: [...l.querySelectorAll("li")].map((li) => li.textContent) };
  });
  assert.ok(legend.legendTop >= legend.canvasBottom - 1);
  assert.deepEqual(legend.items, report.series.populations.map((p) => p.name));
  // Each download button has its own accessible name.
  const names = await page.$$eval('figure.chart button[aria-label^="Download"]', (bs) => bs.map((b) => b.getAttribute("aria-label")));
  assert.equal(new Set(names).size, names.length);
  assert.ok(names.length >= 6);
  assert.deepEqual(errors, []);
  await page.close();
});
