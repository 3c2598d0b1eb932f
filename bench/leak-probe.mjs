// Which interaction makes the panel's wasm memory grow? Repeats one
// interaction at a time on a fresh page and prints the wasm memory (after a
// forced GC) after 10 repetitions and after the last. wasm memory never
// shrinks, but a page that frees what it allocates reuses it and stays flat.
//
//   node bench/leak-probe.mjs http://127.0.0.1:PORT
//
// PORT: a simulator serving the release build (seed profile), e.g. started by
// `target/sim/docspace-sim --addr 127.0.0.1:0 --static-dir dist`.

import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";

const base = process.argv[2];
if (!base) throw new Error("usage: node bench/leak-probe.mjs SIMULATOR_URL");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  // The project's one list of Chromium flags; Playwright sets headless itself.
  args: JSON.parse(readFileSync(new URL("../scripts/chromium-flags.json", import.meta.url), "utf8"))
    .args.filter((a) => !a.startsWith("--headless")),
});

async function probe(label, times, step) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => addEventListener("TrunkApplicationStarted", (e) => { window.__wasm = e.detail.wasm; }));
  const cdp = await context.newCDPSession(page);
  await context.request.get(`${base}/sim/signin?as=owner&next=/sim/outbox.json`);
  await page.goto(`${base}/`);
  await page.waitForFunction(() => performance.getEntriesByName("tfa-panel:form-ready").length);
  // With a build made with `--cfg tfa_alloc_stats` (src/alloc_stats.rs), the
  // panel also counts the bytes it holds on its heap: that shows a leak that
  // wasm memory's 64 KiB pages hide.
  const kib = async () => {
    // Rust closures handed to JS are freed by a FinalizationRegistry, whose
    // callbacks run some time after a collection: collect, wait, repeat.
    for (let i = 0; i < 3; i++) {
      await cdp.send("HeapProfiler.collectGarbage");
      await new Promise((r) => setTimeout(r, 100));
    }
    return page.evaluate(() => {
      const w = window.__wasm;
      const live = w.tfa_live_bytes ? { live: w.tfa_live_bytes() / 1024, blocks: w.tfa_live_blocks() } : {};
      return { memory: w.memory.buffer.byteLength / 1024, ...live };
    });
  };
  const seen = [];
  for (let i = 1; i <= times; i++) {
    await page.evaluate(step, i);
    if (i === 10 || i === times) seen.push(await kib());
  }
  const perRound = (k) => ((seen[1][k] - seen[0][k]) / (times - 10)).toFixed(2);
  let line = `${label.padEnd(46)} memory ${seen.map((s) => `${s.memory.toFixed(0)} KiB`).join(" → ")} (${perRound("memory")} KiB a round)`;
  if (seen[0].live !== undefined) {
    line += `; heap ${seen.map((s) => `${s.live.toFixed(1)} KiB`).join(" → ")} (${perRound("live")} KiB, ${perRound("blocks")} blocks a round)`;
  }
  console.log(line);
  await context.close();
}

await probe("method App ↔ SMS (form re-renders), 10 → 400", 400, async (i) => {
  document.querySelector(i % 2 ? "[data-testid=method-app]" : "[data-testid=method-sms]").click();
  await new Promise((r) => setTimeout(r, 5));
});
await probe("people picker queries, 10 → 100", 100, async (i) => {
  const app = document.querySelector("[data-testid=method-app]");
  if (!app.checked) app.click();
  await new Promise((r) => setTimeout(r, 5));
  const input = document.querySelector("#mandatory-users");
  input.value = ["ali", "sam", "jan", "pri"][i % 4];
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await new Promise((r) => setTimeout(r, 320));
});
await probe("reload current settings, 10 → 200", 200, async () => {
  [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === "Reload current settings").click();
  await new Promise((r) => setTimeout(r, 15));
});
await probe("tab policy ↔ confirm (page remounts), 10 → 200", 200, async (i) => {
  location.hash = i % 2 ? "#confirm" : "#policy";
  await new Promise((r) => setTimeout(r, 10));
});
await probe("submit, result view, back, 10 → 60", 60, async (i) => {
  const back = [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === "Back to the policy");
  if (back) back.click();
  await new Promise((r) => setTimeout(r, 10));
  document.querySelector(i % 2 ? "[data-testid=method-app]" : "[data-testid=method-sms]").click();
  await new Promise((r) => setTimeout(r, 10));
  document.querySelector("[data-testid=policy-submit]").click();
  for (let k = 0; k < 500 && !document.querySelector("[data-testid=result]"); k++) await new Promise((r) => setTimeout(r, 5));
});
await browser.close();
