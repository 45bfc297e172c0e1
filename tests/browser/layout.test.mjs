// The map, the replay's markers and the page at phone width, in headless
// Chromium: what an architect reads off the page must be there, readable and
// clickable.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { useBrowser, open, summaryOf, shots } from "./harness.mjs";

useBrowser();

const flows = (page) => page.$$eval("svg.topology path.flow", (ps) => ps.map((p) => ({
  failing: Number(p.dataset.failing), title: p.querySelector("title").textContent,
})));

/** Each region's and population's label is nearer its own node than any other node, or a leader line joins them. */
async function labelsByTheirDots(page) {
  const bad = await page.evaluate(() => {
    const nodes = [];
    for (const g of document.querySelectorAll("svg.topology g.region")) {
      const r = g.querySelector("rect").getBBox();
      nodes.push({ g, x: r.x + r.width / 2, y: r.y + r.height / 2, label: g.querySelector("text.label"), name: g.dataset.region });
    }
    for (const g of document.querySelectorAll("svg.topology g.population")) {
      const c = g.querySelector("circle");
      nodes.push({ g, x: Number(c.getAttribute("cx")), y: Number(c.getAttribute("cy")), label: g.querySelector("text.label"), name: g.dataset.population });
    }
    const dist = (b, n) => Math.hypot(Math.max(b.x - n.x, 0, n.x - (b.x + b.width)), Math.max(b.y - n.y, 0, n.y - (b.y + b.height)));
    const out = [];
    for (const n of nodes) {
      if (!n.label) continue; // keyed by colour under the map (phones)
      const b = n.label.getBBox();
      const own = dist(b, n);
      // Else a leader line runs from the label to its node.
      const l = n.g.querySelector("line.leader");
      if (l) {
        const [x1, y1, x2, y2] = ["x1", "y1", "x2", "y2"].map((a) => Number(l.getAttribute(a)));
        const onLabel = x1 >= b.x - 1 && x1 <= b.x + b.width + 1 && y1 >= b.y - 3 && y1 <= b.y + b.height + 3;
        const toNode = Math.hypot(x2 - n.x, y2 - n.y) <= 20;
        if (!(onLabel && toNode)) out.push(`${n.label.textContent}: its leader line misses label or node ${JSON.stringify([x1, y1, x2, y2, b.x, b.y, b.width, b.height, n.x, n.y])}`);
        continue;
      }
      for (const m of nodes) {
        if (m !== n && dist(b, m) < own) out.push(`${n.name}'s label is nearer ${m.name}'s node`);
      }
    }
    return out;
  });
  assert.deepEqual(bad, []);
}

test("the map: land outline, a fixed frame, flows coloured by outcome, labels clear of each other", async () => {
  const { page, errors } = await open();
  await summaryOf(page);
  assert.equal(await page.$eval("svg.topology", (s) => s.dataset.frame), "North America and Europe");
  assert.ok((await page.$eval("svg.topology path.land", (p) => p.getAttribute("d").length)) > 10000, "the land is drawn");
  // True positions: Europe's dot east of every US one, and us-west's west of us-east's.
  const at = (name) => page.$eval(`g.population:has(text.label)`, () => 0) && page.$$eval("g.population", (gs, n) => {
    const g = gs.find((x) => x.querySelector("text").textContent.startsWith(n));
    return Number(g.querySelector("circle").getAttribute("cx"));
  }, name);
  const [eu, east, west] = [await at("europe"), await at("us-east"), await at("us-west")];
  assert.ok(eu > east && east > west, `${eu} > ${east} > ${west}`);
  // A dead region has no utilisation to show.
  assert.equal(await page.$eval('g.region[data-region="eastus2"] text.util', (t) => t.textContent), "—");
  // Well before the fault every flow succeeds; just after it starts, the tries to eastus2 fail.
  await page.focus("#scrubber");
  await page.keyboard.press("Home");
  for (let i = 0; i < 60; i++) await page.keyboard.press("ArrowRight");
  await page.waitForTimeout(100);
  const calm = await flows(page);
  assert.ok(calm.length > 0 && calm.every((f) => f.failing < 0.05), JSON.stringify(calm));
  // Each fault kind is explained in one line under the form's choice.
  assert.match(await page.textContent("#fault-kind-effect"), /whole region is down/);
  await page.selectOption("#f-fault-kind", "gray_failure");
  assert.match(await page.textContent("#fault-kind-effect"), /health endpoint says 200/);
  await page.selectOption("#f-fault-kind", "region_outage");
  await page.click("button.marker.fault >> nth=0");
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
  await page.waitForTimeout(100);
  const hit = await flows(page);
  const dead = hit.filter((f) => f.title.includes("→ eastus2"));
  assert.ok(dead.length > 0 && dead.every((f) => f.failing > 0.9), JSON.stringify(dead));
  assert.ok(hit.filter((f) => f.title.includes("→ centralus")).every((f) => f.failing < 0.5));
  await (await page.$(".topo")).screenshot({ path: path.join(shots, "map-fault-start.png") });
  await labelsByTheirDots(page);
  // No two labels overlap.
  const boxes = await page.$$eval("svg.topology text.label", (ts) => ts.map((t) => { const b = t.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height, t.textContent]; }));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      const overlap = Math.min(a[2], b[2]) - Math.max(a[0], b[0]) > 1 && Math.min(a[3], b[3]) - Math.max(a[1], b[1]) > 1;
      assert.ok(!overlap, `labels overlap: ${a[4]} / ${b[4]}`);
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("every replay marker is visible and clickable, at desktop and phone widths", async () => {
  for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
    const { page, errors } = await open(undefined, viewport);
    await summaryOf(page);
    const markers = await page.$$("button.marker");
    assert.ok(markers.length >= 5);
    const line = await (await page.$(".timeline")).boundingBox();
    for (const m of markers) {
      await m.scrollIntoViewIfNeeded();
      const b = await m.boundingBox();
      assert.ok(b.x >= line.x && b.x + b.width <= line.x + line.width, `marker inside the timeline at ${viewport.width}px`);
      const top = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest("button.marker")?.getAttribute("aria-label"), [b.x + b.width / 2, b.y + b.height / 2]);
      assert.equal(top, await m.getAttribute("aria-label"), `nothing covers "${await m.getAttribute("aria-label")}" at ${viewport.width}px`);
    }
    // Clicking "first router detects" moves the replay there.
    const detect = await page.$("button.marker.detect >> nth=0");
    await detect.click();
    const label = await detect.getAttribute("aria-label");
    assert.ok(label.includes((await page.textContent(".clock")).split(" / ")[0]), `${label} vs ${await page.textContent(".clock")}`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test("at phone width nothing scrolls sideways, results come first and the map's text is readable", async () => {
  const { page, errors } = await open(undefined, { width: 360, height: 800 });
  await summaryOf(page);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 360, "no sideways scrolling");
  const widest = await page.evaluate(() => Math.max(...[...document.querySelectorAll("canvas, svg, table, .kpis")].map((e) => e.getBoundingClientRect().right)));
  assert.ok(widest <= 360, `an element ends at ${widest}px`);
  const [results, form] = await Promise.all([".results", ".side"].map((s) => page.$eval(s, (e) => e.getBoundingClientRect().top)));
  assert.ok(results < form, "the results come before the form");
  const heights = await page.$$eval("svg.topology text.label", (ts) => ts.map((t) => t.getBoundingClientRect().height));
  assert.ok(heights.length > 0 && Math.min(...heights) >= 9, `map labels ${Math.min(...heights).toFixed(1)}px tall`);
  await labelsByTheirDots(page);
  // The populations are keyed by colour under the map, each dot's colour its key's.
  const keyed = await page.$$eval(".population-key [data-population]", (ks) => ks.map((k) => [k.dataset.population, getComputedStyle(k.querySelector(".dot")).backgroundColor]));
  const dots = await page.$$eval("svg.topology g.population", (gs) => gs.map((g) => [g.dataset.population, getComputedStyle(g.querySelector("circle")).fill]));
  assert.ok(dots.length >= 5);
  assert.deepEqual(keyed, dots);
  assert.equal(new Set(dots.map((d) => d[1])).size, dots.length, "one colour per population");
  await page.screenshot({ path: path.join(shots, "phone.png"), fullPage: false });
  assert.deepEqual(errors, []);
  await page.close();
});
