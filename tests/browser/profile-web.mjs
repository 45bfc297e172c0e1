// The headline run's profile in the Web Worker (see scripts/profile-web.sh):
// attaches the DevTools sampling profiler to the worker through the browser's
// CDP session, runs the headline a second time and prints each function's
// share of the samples. Not a test (no .test. in its name).
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
const net = await import("node:net");
const port = await new Promise((r) => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => r(p)); }); });
const server = spawn("python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", process.argv[2]], { stdio: "ignore" });
await new Promise(r => setTimeout(r, 800));
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();
const bs = await browser.newBrowserCDPSession();
let id = 0; const pending = new Map();
let workerSession = null;
bs.on("Target.receivedMessageFromTarget", (e) => {
  const m = JSON.parse(e.message);
  if (m.id && pending.has(m.id)) { pending.get(m.id)(m); pending.delete(m.id); }
});
const sendW = (method, params = {}) => new Promise((res) => { const i = ++id; pending.set(i, res); bs.send("Target.sendMessageToTarget", { sessionId: workerSession, message: JSON.stringify({ id: i, method, params }) }); });
await page.goto(`http://127.0.0.1:${port}/`);
// The first run: wait until it is done, so the worker exists.
await page.waitForFunction(() => document.getElementById("run-ms")?.dataset.ms && !document.getElementById("job"), null, { timeout: 60000 });
const { targetInfos } = await bs.send("Target.getTargets");
const w = targetInfos.find((t) => t.type === "worker");

const att = await bs.send("Target.attachToTarget", { targetId: w.targetId, flatten: false });
workerSession = att.sessionId;
await sendW("Profiler.enable");
await sendW("Profiler.setSamplingInterval", { interval: 200 });
await sendW("Profiler.start");
await page.fill("#f-seed", "7");
await page.click("#run");
await page.waitForFunction(() => !document.getElementById("job"), null, { timeout: 60000 });
const prof = await sendW("Profiler.stop");
writeFileSync(process.argv[2] + "/worker.cpuprofile", JSON.stringify(prof.result.profile));
const p = prof.result.profile;
const self = new Map();
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const dt = p.timeDeltas; let total = 0;
p.samples.forEach((s, i) => { const n = byId.get(s); const k = n.callFrame.functionName || "(anon)"; self.set(k, (self.get(k) || 0) + (dt[i] || 0)); total += dt[i] || 0; });
console.log(`profiled ${(total / 1000).toFixed(0)} ms; the run took ${await page.$eval("#run-ms", (e) => e.dataset.ms)} ms in the worker (profile: ${process.argv[2]}/worker.cpuprofile, opens in DevTools)`);
[...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30).forEach(([k, v]) => console.log((v / total * 100).toFixed(1).padStart(5), k.slice(0, 110)));
await browser.close(); server.kill();
