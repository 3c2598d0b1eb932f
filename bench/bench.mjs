// The benchmark driver behind `make bench` (scripts/bench.sh starts the
// simulators and passes their addresses). It measures, in one run:
//   sizes     every file of the release build: raw, gzip -9, brotli q11;
//   start-up  cold loads in headless Chromium (fresh context, no cache), panel
//             and hand-written baseline alternating so drift hits both alike;
//   submit    policy form submit -> result view rendered, minus the network;
//   picker    keystroke -> results shown, minus the debounce and the network,
//             on a portal of 50,000 users and 2,000 groups;
//   memory    JS heap (after a forced GC) and wasm memory after 10 and after
//             200 submissions;
//   trace     where a start-up spends the page's main-thread time (compiling
//             the wasm, running code, layout, ...), from a Chromium trace;
// then prints every figure beside its budget and writes a JSON file.
//
// Times come from the page's own clock (performance.now, marks, Resource
// Timing); "rendered" is the last DOM mutation the page delivers after the
// mark, so a framework that marks before it patches the DOM is not flattered.
// "Network" is a request's startTime (fetch called) to its responseStart (the
// first byte back, stamped by the network stack): responseEnd is stamped when
// the page's busy main thread gets round to the body, which would hide the
// page's own work inside "network". Bodies here are small and on loopback.

import { chromium } from "playwright-core";
import { gzipSync, brotliCompressSync, constants as zc } from "node:zlib";
import { readdirSync, readFileSync, statSync, mkdirSync, writeFileSync } from "node:fs";
import { join, basename } from "node:path";
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";

// ---------------------------------------------------------------- options
const opt = {
  dist: "dist",
  baselineDir: "bench/baseline",
  panel: "", // simulator serving dist/ (seed profile)
  baseline: "", // simulator serving the baseline page
  large: "", // simulator serving dist/ with 50,000 users and 2,000 groups
  people: "", // docspace-3.7 simulator serving dist/ with 50,000 users (who is protected)
  bulk: "", // docspace-3.7 simulator serving dist/ with 3,000 users (bulk runs)
  filterKeys: 24, // keystrokes in the overview's search box
  loads: 20, // signed-in cold loads each of the panel and the baseline
  connectLoads: 10, // cold loads without a session (the connect form), each
  submits: 200,
  memoryEarly: 10,
  picks: 24,
  out: "bench/results",
  chromium: process.env.CHROMIUM || "/usr/bin/chromium",
  only: "", // comma list of sections, for working on one of them
  // What each submission changes: "method" (App and SMS alternately) or "ip"
  // (one trusted IP row, edited each time).
  edit: "method",
  // Submissions on the baseline page: the control for the memory figures (a
  // page without a framework, driven the same way, should stay flat).
  controlSubmits: 200,
  // Traced cold loads each (where the start-up's main-thread time goes).
  traceLoads: 6,
  // Seconds to wait, at most, for the machine to be quiet before measuring
  // (the build that precedes the measurement leaves work behind); 0: no wait.
  quietWait: 90,
};
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, "").replace(/-(.)/g, (_, c) => c.toUpperCase());
  if (!(key in opt)) throw new Error(`unknown option ${process.argv[i]}`);
  opt[key] = typeof opt[key] === "number" ? Number(process.argv[i + 1]) : process.argv[i + 1];
}
const want = (s) => !opt.only || opt.only.split(",").includes(s);

const BUDGET = {
  gzipTotal: 100_000, // bytes (kB = 1000 bytes)
  startupRatio: 1.5,
  submitMs: 16,
  pickerMs: 50,
  memoryRatio: 1.05,
  overviewBeyondMs: 2000, // reading 50,000 people: time beyond the network to the full counts
  filterMs: 16, // one frame
};
const DEBOUNCE_MS = 250; // the picker's debounce (src/components/picker.rs)
const SETTLE_MS = 40; // idle time after a mark before reading the last DOM mutation

// ---------------------------------------------------------------- helpers
const log = (...a) => console.log(...a);
const kB = (n) => (n / 1000).toFixed(1);
const ms = (n) => (n == null || Number.isNaN(n) ? "—" : n.toFixed(1));
const sleep = (t) => new Promise((r) => setTimeout(r, t));
const progress = (text) => { if (process.stdout.isTTY) process.stdout.write(`\r  ${text}   `); };
const progressDone = () => { if (process.stdout.isTTY) process.stdout.write("\r" + " ".repeat(60) + "\r"); };

function quantile(sorted, q) {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
function stats(values) {
  const s = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return {
    n: s.length,
    min: s[0],
    p25: quantile(s, 0.25),
    median: quantile(s, 0.5),
    p75: quantile(s, 0.75),
    max: s[s.length - 1],
  };
}
const spread = (st) =>
  `median ${ms(st.median)} ms  (min ${ms(st.min)} · p25 ${ms(st.p25)} · p75 ${ms(st.p75)} · max ${ms(st.max)}, n=${st.n})`;

// ---------------------------------------------------------------- sizes
// `gzip -9` itself when it is there (zlib at level 9 comes out ~0.5% larger).
function gzipSize(path, buf) {
  try {
    return execFileSync("gzip", ["-9", "-c", "-n", path], { maxBuffer: 1 << 28 }).length;
  } catch {
    return gzipSync(buf, { level: 9 }).length;
  }
}
function sizes(dir) {
  // Precompressed copies (.br, .gz) are the same files, sent compressed.
  const files = readdirSync(dir)
    .filter((f) => statSync(join(dir, f)).isFile() && !/\.(br|gz)$/.test(f))
    .sort();
  const rows = files.map((f) => {
    const buf = readFileSync(join(dir, f));
    const gzip = gzipSize(join(dir, f), buf);
    const brotli = brotliCompressSync(buf, {
      params: {
        [zc.BROTLI_PARAM_QUALITY]: 11,
        [zc.BROTLI_PARAM_SIZE_HINT]: buf.length,
        [zc.BROTLI_PARAM_MODE]: f.endsWith(".wasm") ? zc.BROTLI_MODE_GENERIC : zc.BROTLI_MODE_TEXT,
      },
    }).length;
    return { file: f, raw: buf.length, gzip, brotli };
  });
  const total = rows.reduce(
    (t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }),
    { raw: 0, gzip: 0, brotli: 0 },
  );
  // What a visitor downloads first: every file but the other languages'
  // catalogues; in another language, that one catalogue too.
  const sum = (rs) => rs.reduce(
    (t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }),
    { raw: 0, gzip: 0, brotli: 0 },
  );
  const catalogue = /^i18n-(.+)-[0-9a-f]{16}\.json$/;
  // The second module ("Who is protected", the history) comes when one of
  // them is first opened.
  const later = /^tfa-tasks-/;
  // The stand-alone page does not load the embedding entry, nor the element
  // the page and its loader.
  const base = rows.filter((r) => !catalogue.test(r.file) && !later.test(r.file) && r.file !== "tfa-panel.js");
  const embedded = sum(rows.filter((r) => !catalogue.test(r.file) && !later.test(r.file) && r.file !== "index.html" && !/^boot-/.test(r.file)));
  const tasks = sum(rows.filter((r) => later.test(r.file)));
  const entry = rows.find((r) => r.file === "tfa-panel.js");
  const first = { en: sum(base) };
  for (const r of rows) {
    const m = r.file.match(catalogue);
    if (m) first[m[1]] = sum([...base, r]);
  }
  return { dir: basename(dir), files: rows, total, first, embedded, entry, tasks };
}
function printSizes(title, s) {
  log(`\n${title}`);
  log(`  ${"file".padEnd(40)} ${"raw".padStart(10)} ${"gzip -9".padStart(10)} ${"brotli".padStart(10)}`);
  for (const r of s.files) {
    log(`  ${r.file.padEnd(40)} ${kB(r.raw).padStart(8)} kB ${kB(r.gzip).padStart(7)} kB ${kB(r.brotli).padStart(7)} kB`);
  }
  const t = s.total;
  log(`  ${"total".padEnd(40)} ${kB(t.raw).padStart(8)} kB ${kB(t.gzip).padStart(7)} kB ${kB(t.brotli).padStart(7)} kB`);
}

// ---------------------------------------------------------------- browser
// The project's one list of Chromium flags; Playwright sets headless itself.
const ARGS = JSON.parse(readFileSync(new URL("../scripts/chromium-flags.json", import.meta.url), "utf8"))
  .args.filter((a) => !a.startsWith("--headless"));

// Runs in every page before its own scripts: records DOM mutation times, the
// moment the connect form's button becomes usable, input event times, and the
// wasm instance (Trunk's loader hands it over in TrunkApplicationStarted).
function instrument() {
  const w = window;
  w.__bench = { mutations: [], connectUsable: null, inputAt: null, wasm: null, tasksWasm: null, appStarted: null };
  const B = w.__bench;
  const connectReady = () => {
    if (B.connectUsable !== null) return;
    const b = document.querySelector("[data-testid=connect]");
    if (b && !b.disabled && document.getElementById("portal")) B.connectUsable = performance.now();
  };
  new MutationObserver(() => {
    const now = performance.now();
    if (B.mutations.length < 10000) B.mutations.push(now);
    connectReady();
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  addEventListener("input", (e) => { B.inputAt = e.timeStamp; }, true);
  addEventListener("TrunkApplicationStarted", (e) => {
    B.wasm = e.detail && e.detail.wasm;
    B.appStarted = performance.now();
  });
  // The second module ("Who is protected", the history), once started.
  addEventListener("TfaTasksStarted", (e) => {
    B.tasksWasm = e.detail && e.detail.wasm;
  });
}

// In the page: the last DOM mutation within `window` ms after `t`.
async function renderedAfter(page, t, windowMs = SETTLE_MS) {
  return page.evaluate(
    async ([t, windowMs]) => {
      const until = t + windowMs;
      while (performance.now() < until) await new Promise((r) => setTimeout(r, 5));
      const m = window.__bench.mutations.filter((x) => x >= t && x <= until);
      return m.length ? Math.max(...m) : null;
    },
    [t, windowMs],
  );
}

async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  context.setDefaultTimeout(10000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error" && /panicked at/.test(m.text())) errors.push(m.text().split("\n").slice(0, 2).join(" "));
  });
  page.errors = errors;
  return { context, page, cdp };
}

// A session cookie for the simulator at `base`, the way a portal hands its
// session to a page it embeds (the context's request API shares its cookies).
async function signIn(context, base) {
  const r = await context.request.get(`${base}/sim/signin?as=owner&next=/sim/outbox.json`);
  if (!r.ok()) throw new Error(`sign-in at ${base} failed: ${r.status()}`);
}

const markTime = (page, name) =>
  page.evaluate((n) => {
    const e = performance.getEntriesByName(n, "mark");
    return e.length ? e[e.length - 1].startTime : null;
  }, name);

// ---------------------------------------------------------------- start-up
// Where a signed-in start-up spends its time, from the page's own clock.
const phasesOf = () => {
  const res = performance.getEntriesByType("resource");
  const nav = performance.getEntriesByType("navigation")[0];
  const end = (re) => Math.max(0, ...res.filter((e) => re.test(e.name)).map((e) => e.responseEnd));
  const mark = (n) => (performance.getEntriesByName(n, "mark")[0] || {}).startTime ?? null;
  const api = (path) => res.find((e) => e.name.includes(`/api/2.0/${path}`)) || {};
  return {
    selfSent: api("people/@self").startTime ?? null, // the connection check
    selfBack: api("people/@self").responseStart ?? null,
    settingsSent: api("settings/tfaapp").startTime ?? null, // the policy's current settings
    settingsBack: api("settings/tfaapp").responseStart ?? null,
    html: nav ? nav.responseEnd : null, // the document has arrived
    code: end(/\.(wasm|js)(\?|$)/), // the last script or wasm byte has arrived
    started: window.__bench.appStarted, // wasm instantiated and main() returned (panel only)
    connected: mark("tfa-panel:connected"),
    formReady: mark("tfa-panel:form-ready"),
  };
};

async function coldLoad(browser, base, signedIn) {
  const { context, page } = await newPage(browser);
  try {
    if (signedIn) await signIn(context, base);
    await page.goto(`${base}/`, { waitUntil: "load" });
    if (signedIn) {
      await page.waitForFunction(() => performance.getEntriesByName("tfa-panel:form-ready").length, null, {
        timeout: 20000,
        polling: 10,
      });
      const mark = await markTime(page, "tfa-panel:form-ready");
      const rendered = await renderedAfter(page, mark);
      return { mark, rendered: Math.max(mark, rendered ?? mark), phases: await page.evaluate(phasesOf) };
    }
    await page.waitForFunction(() => window.__bench.connectUsable !== null, null, { timeout: 20000, polling: 10 });
    const usable = await page.evaluate(() => window.__bench.connectUsable);
    return { mark: usable, rendered: usable };
  } finally {
    await context.close();
  }
}

async function startup(browser) {
  const blank = () => ({ formReady: [], formRendered: [], connect: [], phases: [] });
  const r = { panel: blank(), baseline: blank() };
  // One warm-up each (the browser process and the simulators are cold), not counted.
  await coldLoad(browser, opt.panel, true);
  await coldLoad(browser, opt.baseline, true);
  for (let i = 0; i < opt.loads; i++) {
    for (const [who, base] of [["panel", opt.panel], ["baseline", opt.baseline]]) {
      const a = await coldLoad(browser, base, true);
      r[who].formReady.push(a.mark);
      r[who].formRendered.push(a.rendered);
      r[who].phases.push(a.phases);
      if (i < opt.connectLoads) r[who].connect.push((await coldLoad(browser, base, false)).mark);
    }
    progress(`cold loads: ${i + 1}/${opt.loads}`);
  }
  progressDone();
  const out = {};
  for (const who of ["panel", "baseline"]) {
    const ph = r[who].phases;
    const med = (f) => stats(ph.map(f).filter((v) => v != null)).median;
    out[who] = {
      formReady: stats(r[who].formReady),
      formRendered: stats(r[who].formRendered),
      connectUsable: stats(r[who].connect),
      // medians of each phase's end, from navigation start
      phases: {
        html: med((p) => p.html),
        code: med((p) => p.code),
        started: med((p) => p.started),
        selfSent: med((p) => p.selfSent),
        selfBack: med((p) => p.selfBack),
        connected: med((p) => p.connected),
        settingsSent: med((p) => p.settingsSent),
        settingsBack: med((p) => p.settingsBack),
        formReady: med((p) => p.formReady),
      },
      samples: { formReady: r[who].formReady, formRendered: r[who].formRendered, connect: r[who].connect },
    };
  }
  out.ratio = {
    formReady: out.panel.formReady.median / out.baseline.formReady.median,
    formRendered: out.panel.formRendered.median / out.baseline.formRendered.median,
    connectUsable: out.panel.connectUsable.median / out.baseline.connectUsable.median,
  };
  return out;
}

// ---------------------------------------------------------------- submit + memory
// JS heap after a forced GC, wasm linear memory, and the DOM's live node and
// event listener counts (a leak of views shows in those first).
async function memory(page, cdp) {
  for (let i = 0; i < 3; i++) await cdp.send("HeapProfiler.collectGarbage");
  await sleep(50);
  const heap = await cdp.send("Runtime.getHeapUsage");
  const dom = await cdp.send("Memory.getDOMCounters").catch(() => ({}));
  const tasksWasm = await page.evaluate(() => {
    const w = window.__bench.tasksWasm;
    return w && w.memory ? w.memory.buffer.byteLength : null;
  });
  const wasm = await page.evaluate(() => {
    const w = window.__bench.wasm;
    return w && w.memory ? w.memory.buffer.byteLength : null;
  });
  return {
    jsHeapUsed: heap.usedSize,
    jsHeapTotal: heap.totalSize,
    wasmMemory: wasm,
    tasksWasmMemory: tasksWasm,
    domNodes: dom.nodes ?? null,
    listeners: dom.jsEventListeners ?? null,
  };
}

const ipFor = (i) => `198.51.${100 + ((i >> 8) & 3)}.${i & 255}`;

// One round, all inside the page so the driver adds no round trips: go back
// from the previous result view, make one change, wait for the submit button,
// note the time and click it, wait for the result view and its last DOM
// mutation, and return the API requests it caused (Resource Timing).
//
// The seed portal has TFA off and keeps every change pending, so its settings
// stay put and the form always has exactly one change to send: the panel's
// method (App and SMS alternately) or one trusted IP edited each time; the
// baseline's one IP list.
async function round(page, who, i) {
  const res = await page.evaluate(
    async ({ who, i, ip, edit, settle }) => {
      const wait = async (what, ok, ms = 5000) => {
        const end = performance.now() + ms;
        for (;;) {
          const v = ok();
          if (v) return v;
          if (performance.now() > end) throw new Error(`${what} within ${ms / 1000} s`);
          await new Promise((r) => setTimeout(r, 2));
        }
      };
      const $ = (s) => document.querySelector(s);
      const type = (el, value) => {
        el.value = value;
        el.dispatchEvent(new Event("input", { bubbles: true }));
      };
      try {
        if (i > 1) {
          const back = [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === "Back to the policy");
          if (!back) throw new Error("no “Back to the policy” button");
          back.click();
        }
        const method = await wait("no method choice", () => $(i % 2 || who === "baseline" ? "[data-testid=method-app]" : "[data-testid=method-sms]"));
        if (who === "baseline") {
          if (!method.checked) method.click();
          type($("#ips"), ip);
        } else if (edit === "ip") {
          if (i === 1) {
            if (!method.checked) method.click();
            const add = await wait("no #ip-new", () => $("#ip-new"));
            type(add, ip);
            add.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
          } else {
            const rows = await wait("no trusted IP row", () => document.querySelectorAll("[data-testid=ip-row] input").length && document.querySelectorAll("[data-testid=ip-row] input"));
            type(rows[rows.length - 1], ip);
          }
        } else {
          method.click();
        }
        const btn = await wait("the submit button did not become enabled", () => {
          const b = $("[data-testid=policy-submit]");
          return b && !b.disabled && b;
        });
        performance.clearResourceTimings();
        performance.clearMarks();
        window.__bench.mutations.length = 0;
        const t0 = performance.now();
        btn.click();
        await wait("no result view", () => performance.getEntriesByName("tfa-panel:result", "mark").length && $("[data-testid=result]"), 15000);
        const mark = performance.getEntriesByName("tfa-panel:result", "mark")[0].startTime;
        while (performance.now() < mark + settle) await new Promise((r) => setTimeout(r, 5));
        const m = window.__bench.mutations.filter((x) => x >= mark && x <= mark + settle);
        const requests = performance
          .getEntriesByType("resource")
          .filter((e) => e.name.includes("/api/2.0/") && e.startTime >= t0)
          .map((e) => ({ name: e.name.replace(/^.*\/api\/2\.0\//, "").split("?")[0], start: e.startTime, end: e.responseStart }))
          .sort((a, b) => a.start - b.start);
        // The result view is rendered when the mutations of the task that
        // built it are delivered: the first observer callback at or after
        // the mark. Later mutations are follow-up work (the panel re-reads
        // the settings to say whether the change is in force), reported as
        // "settled".
        return { t0, mark, rendered: m.length ? m[0] : mark, settled: Math.max(mark, ...m), requests };
      } catch (e) {
        const blocker = ($("[data-testid=policy-blocker]") || {}).textContent || "";
        return { error: `${e.message}${blocker ? ` (${blocker})` : ""}` };
      }
    },
    { who, i, ip: ipFor(i), edit: opt.edit, settle: SETTLE_MS },
  );
  if (res.error) {
    throw new Error(`${who} submission ${i}: ${res.error}${page.errors.length ? `; the page failed: ${page.errors.join(" | ")}` : ""}`);
  }
  const { t0, mark, rendered, settled, requests } = res;
  // The requests the result view waited for: those answered before its mark.
  const awaited = requests.filter((q) => q.end <= mark);
  const network = awaited.reduce((s, q) => s + (q.end - q.start), 0);
  const allNetwork = requests.reduce((s, q) => s + (q.end - q.start), 0);
  const before = awaited.length ? awaited[0].start - t0 : NaN;
  const after = awaited.length ? rendered - awaited[awaited.length - 1].end : NaN;
  return {
    total: rendered - t0,
    network,
    beyond: rendered - t0 - network,
    beyondToMark: mark - t0 - network,
    before,
    between: rendered - t0 - network - before - after,
    after,
    settledBeyond: settled - t0 - allNetwork,
    requests: requests.map((q) => q.name),
    awaited: awaited.map((q) => q.name),
  };
}

// `count` submissions on one page, with the memory measured at `checkpoints`.
async function submissions(browser, who, base, count, checkpoints) {
  const { context, page, cdp } = await newPage(browser);
  try {
    await signIn(context, base);
    await page.goto(`${base}/`);
    await page.waitForFunction(() => performance.getEntriesByName("tfa-panel:form-ready").length, null, { timeout: 20000 });
    const samples = [];
    const mem = [];
    for (let i = 1; i <= count; i++) {
      samples.push(await round(page, who, i));
      if (checkpoints.includes(i)) mem.push({ after: i, ...(await memory(page, cdp)) });
      if (i % 10 === 0) progress(`${who} submissions: ${i}/${count}`);
    }
    progressDone();
    const early = mem[0];
    const late = mem[mem.length - 1];
    const st = (k) => stats(samples.map((s) => s[k]));
    return {
      total: st("total"),
      network: st("network"),
      beyond: st("beyond"),
      beyondToMark: st("beyondToMark"),
      before: st("before"),
      between: st("between"),
      after: st("after"),
      settledBeyond: st("settledBeyond"),
      requests: samples[0].requests,
      awaited: samples[0].awaited,
      memory: {
        curve: mem,
        early,
        late,
        jsHeapRatio: late.jsHeapUsed / early.jsHeapUsed,
        wasmRatio: early.wasmMemory ? late.wasmMemory / early.wasmMemory : null,
      },
      samples: samples.map((s) => ({ total: s.total, network: s.network, beyond: s.beyond })),
    };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------- trace
// Where a signed-in start-up spends the page's main-thread time, from a
// Chromium trace of each cold load (navigation start → the form-ready mark).
// Each trace event's own time (its duration less its children's) goes to one
// bucket by name; what the window holds beyond the main thread's tasks is time
// the page waited (for bytes, for answers, for a frame). Tracing changes the
// timings a little, so these figures explain the start-up table, not replace it.
const TRACE_CATEGORIES = ["toplevel", "v8", "v8.wasm", "devtools.timeline", "blink", "loading", "blink.user_timing"];
const BUCKETS = [
  ["wasm compile (download-time and lazy)", (n) => n.startsWith("wasm.")],
  ["garbage collection", (n) => /GC|Scavenge|MarkCompact/.test(n)],
  ["running script (JS and wasm)", (n) => /^(v8\.|V8\.|FunctionCall|EvaluateScript|BlinkScheduler_PerformMicrotaskCheckpoint|RunMicrotasks|TimerFire|FireAnimationFrame|EventDispatch|HTMLParserScriptRunner|PendingScript|AsyncTask Run|FireIdleCallback)/.test(n)],
  ["style, layout, paint", (n) => /Layout|Style|Paint|Lifecycle|Layerize|Composit|BeginMainFrame|ShapeText|HitTest|Intersection|UpdateLayoutTree|Raster/.test(n)],
  ["HTML and CSS parsing, text decoding", (n) => /ParseHTML|HTMLDocumentParser|ParseAuthorStyleSheet|CSSParser|TextResourceDecoder|Tokeniz/.test(n)],
  ["loading, messages, other browser work", () => true],
];

function attribute(events, windowStart, windowEnd, pid, tid) {
  const spans = events
    .filter((e) => e.ph === "X" && e.pid === pid && e.tid === tid && e.dur > 0 && e.ts >= windowStart && e.ts < windowEnd)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur)
    .map((e) => ({ name: e.name, ts: e.ts, end: e.ts + e.dur, dur: e.dur, children: 0 }));
  const stack = [];
  let busy = 0;
  for (const e of spans) {
    while (stack.length && stack[stack.length - 1].end <= e.ts) stack.pop();
    if (stack.length) stack[stack.length - 1].children += e.dur;
    else busy += Math.min(e.end, windowEnd) - e.ts;
    stack.push(e);
  }
  const out = Object.fromEntries(BUCKETS.map(([b]) => [b, 0]));
  for (const e of spans) {
    const own = Math.max(0, e.dur - e.children);
    out[BUCKETS.find(([, f]) => f(e.name))[0]] += own / 1000;
  }
  // The task that sets the mark runs on a little past it: scale the buckets to the window.
  const sum = Object.values(out).reduce((a, b) => a + b, 0);
  const scale = sum > 0 ? Math.min(1, busy / 1000 / sum) : 1;
  for (const k of Object.keys(out)) out[k] *= scale;
  out["waiting (network, timers, frames)"] = Math.max(0, (windowEnd - windowStart - busy) / 1000);
  out.window = (windowEnd - windowStart) / 1000;
  return out;
}

async function tracedLoad(browser, base) {
  const { context, page, cdp } = await newPage(browser);
  try {
    await signIn(context, base);
    const events = [];
    cdp.on("Tracing.dataCollected", (d) => events.push(...d.value));
    const complete = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
    await cdp.send("Tracing.start", { traceConfig: { includedCategories: TRACE_CATEGORIES }, transferMode: "ReportEvents" });
    await page.goto(`${base}/`, { waitUntil: "load" });
    await page.waitForFunction(() => performance.getEntriesByName("tfa-panel:form-ready").length, null, { timeout: 20000, polling: 10 });
    await cdp.send("Tracing.end");
    await complete;
    const mark = events.find((e) => e.name === "tfa-panel:form-ready");
    if (!mark) throw new Error("the trace has no tfa-panel:form-ready mark");
    const nav = events
      .filter((e) => e.name === "navigationStart" && e.pid === mark.pid && e.ts <= mark.ts)
      .sort((a, b) => b.ts - a.ts)[0];
    const main = events.find((e) => e.ph === "M" && e.name === "thread_name" && e.pid === mark.pid && e.args && e.args.name === "CrRendererMain");
    if (!nav || !main) throw new Error("the trace has no navigation start or renderer main thread");
    return attribute(events, nav.ts, mark.ts, mark.pid, main.tid);
  } finally {
    await context.close();
  }
}

async function traceStartup(browser) {
  const r = { panel: [], baseline: [] };
  await tracedLoad(browser, opt.panel); // warm-up, not counted
  await tracedLoad(browser, opt.baseline);
  for (let i = 0; i < opt.traceLoads; i++) {
    for (const [who, base] of [["panel", opt.panel], ["baseline", opt.baseline]]) r[who].push(await tracedLoad(browser, base));
    progress(`traced loads: ${i + 1}/${opt.traceLoads}`);
  }
  progressDone();
  const keys = Object.keys(r.panel[0]);
  const med = (who, k) => stats(r[who].map((x) => x[k])).median;
  return Object.fromEntries(["panel", "baseline"].map((who) => [who, Object.fromEntries(keys.map((k) => [k, med(who, k)]))]));
}

// How busy the machine is: the share of CPU time spent idle over `ms`.
async function idleShare(msWindow = 1000) {
  const read = () => readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const a = read();
  await sleep(msWindow);
  const b = read();
  const d = b.map((v, i) => v - a[i]);
  const total = d.reduce((x, y) => x + y, 0);
  return total > 0 ? (d[3] + (d[4] || 0)) / total : 1;
}

// Waits until two seconds in a row are at least 90% idle, at most `seconds`.
async function waitQuiet(seconds) {
  const start = Date.now();
  let last = null;
  try {
    let calm = 0;
    while ((Date.now() - start) / 1000 < seconds) {
      last = await idleShare();
      calm = last >= 0.9 ? calm + 1 : 0;
      if (calm >= 2) break;
    }
  } catch {
    return null; // no /proc/stat: measure at once
  }
  return { waited: (Date.now() - start) / 1000, idle: last };
}

// ---------------------------------------------------------------- picker
// Different queries each time: first names, surnames, both, e-mail parts.
const QUERIES = [
  "olivia", "smith", "kenji", "garcia", "emma n", "tanaka", "sven", "rossi", "fatima", "xu",
  "grace o", "novak", "arjun", "silva", "hana k", "larsen", "omar", "dubois", "leila", "petrov",
  "mateo", "quinn", "freya", "yilmaz", "elena", "mensah", "viktor", "hughes", "nadia", "costa",
];

async function picker(browser) {
  const { context, page } = await newPage(browser);
  try {
    await signIn(context, opt.large);
    await page.goto(`${opt.large}/`);
    await page.waitForFunction(() => performance.getEntriesByName("tfa-panel:form-ready").length, null, { timeout: 30000 });
    await page.locator("[data-testid=method-app]").check();
    const input = page.locator("#mandatory-users");
    await input.waitFor();
    const samples = [];
    const count = Math.min(opt.picks, QUERIES.length);
    // Two warm-up queries (not counted), then one query per sample.
    for (let i = -2; i < count; i++) {
      const q = i < 0 ? ["zz", "ab"][i + 2] : QUERIES[i];
      await page.evaluate(() => {
        performance.clearResourceTimings();
        performance.clearMarks();
        window.__bench.mutations.length = 0;
        window.__bench.inputAt = null;
      });
      await input.fill(q); // one input event, like a keystroke that completes the query
      await page.waitForFunction(() => performance.getEntriesByName("tfa-panel:picker-results", "mark").length, null, {
        timeout: 15000,
        polling: 2,
      });
      const m = await page.evaluate(() => ({
        input: window.__bench.inputAt,
        inputMark: (performance.getEntriesByName("tfa-panel:picker-input", "mark")[0] || {}).startTime,
        mark: performance.getEntriesByName("tfa-panel:picker-results", "mark")[0].startTime,
        requests: performance
          .getEntriesByType("resource")
          .filter((e) => e.name.includes("/api/2.0/people/filter"))
          .map((e) => ({ start: e.startTime, end: e.responseStart })),
        shown: document.querySelectorAll("#mandatory-users ~ ul.results li, [data-testid=mandatory-users] ul.results li").length,
      }));
      const rendered = Math.max(m.mark, (await renderedAfter(page, m.mark)) ?? m.mark);
      if (i < 0) continue;
      const start = m.input ?? m.inputMark;
      const req = m.requests[m.requests.length - 1];
      const network = req ? req.end - req.start : NaN;
      samples.push({
        query: q,
        total: rendered - start,
        network,
        beyond: rendered - start - DEBOUNCE_MS - network,
        beforeRequest: req ? req.start - start - DEBOUNCE_MS : NaN,
        afterResponse: req ? rendered - req.end : NaN,
        requests: m.requests.length,
        shown: m.shown,
      });
    }
    return {
      beyond: stats(samples.map((s) => s.beyond)),
      total: stats(samples.map((s) => s.total)),
      network: stats(samples.map((s) => s.network)),
      beforeRequest: stats(samples.map((s) => s.beforeRequest)),
      afterResponse: stats(samples.map((s) => s.afterResponse)),
      samples,
    };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------- who is protected
// Turns app TFA on at `base` (people then show whether they linked an app).
async function appTfaOn(base) {
  const r = await fetch(`${base}/api/2.0/settings/tfaapp`, {
    method: "PUT",
    headers: { authorization: "Bearer sk-demo-owner", "content-type": "application/json" },
    body: JSON.stringify({ type: "App", id: "8f2c1a9e-0001-4a6e-9c1d-5e7f00000001" }),
  });
  if (!r.ok) throw new Error(`turning app TFA on at ${base}: ${r.status}`);
}

// Length of the union of [start, end] intervals.
function unionLength(intervals) {
  const xs = intervals.filter(([a, b]) => b >= a).sort((p, q) => p[0] - q[0]);
  let total = 0;
  let cur = null;
  for (const [a, b] of xs) {
    if (!cur || a > cur[1]) {
      if (cur) total += cur[1] - cur[0];
      cur = [a, b];
    } else cur[1] = Math.max(cur[1], b);
  }
  if (cur) total += cur[1] - cur[0];
  return total;
}

async function openOverview(browser, base) {
  const { context, page, cdp } = await newPage(browser);
  // With app TFA on, a session would first need the app: sign in with the owner's API key.
  await page.goto(`${base}/`);
  await page.locator("[data-testid=connect]:not([disabled])").waitFor({ timeout: 30000 }).catch(async (e) => {
    throw new Error(`${e.message}\n  page: ${(await page.evaluate(() => document.body.innerText)).slice(0, 300)}\n  errors: ${page.errors.join("; ")}`);
  });
  await page.fill("#portal", base);
  await page.fill("#token", "sk-demo-owner");
  await page.click("[data-testid=connect]");
  await page.waitForFunction(() => performance.getEntriesByName("tfa-panel:form-ready").length, null, { timeout: 30000 });
  // Resource timings for 500 pages and more: the buffer must hold them all.
  await page.evaluate(() => { performance.clearResourceTimings(); performance.setResourceTimingBufferSize(5000); });
  await page.click('nav.tabs a[href="#protected"]');
  await page.waitForFunction(() => performance.getEntriesByName("tfa-panel:overview-read", "mark").length, null, { timeout: 300000, polling: 50 });
  return { context, page, cdp };
}

// Everyone on a 50,000-person portal: from the first people/filter request
// to the full counts on screen, and how much of that no request was out.
async function overview(browser) {
  const { context, page } = await openOverview(browser, opt.people);
  try {
    const m = await page.evaluate(() => {
      const req = performance.getEntriesByType("resource").filter((e) => e.name.includes("/api/2.0/people/filter"));
      return {
        read: performance.getEntriesByName("tfa-panel:overview-read", "mark")[0].startTime,
        requests: req.map((e) => [e.startTime, e.responseEnd]),
        counts: document.querySelector("[data-testid=overview-counts]").textContent.trim(),
        progress: document.querySelector("#overview-progress-text").textContent.trim(),
      };
    });
    const rendered = Math.max(m.read, (await renderedAfter(page, m.read)) ?? m.read);
    const first = Math.min(...m.requests.map((r) => r[0]));
    const total = rendered - first;
    const network = unionLength(m.requests);
    if (page.errors.length) throw new Error(`the panel failed: ${page.errors[0]}`);
    return { total, network, beyond: total - network, requests: m.requests.length, counts: m.counts, progress: m.progress };
  } finally {
    await context.close();
  }
}

// A keystroke in the overview's search box → the list updated, with 50,000
// people loaded: input event → rows mark → last DOM change.
const FILTER_TEXT = ["k", "ko", "kow", "kowa", "kowal", "", "n", "ng", "ngu", "nguy", "", "a", "ar", "arj", "arju", "arjun", "",
  "t", "ta", "tan", "tana", "tanak", "", "zz"];

async function filterKeys(browser) {
  const { context, page } = await openOverview(browser, opt.people);
  try {
    const input = page.locator("[data-testid=overview-search]");
    const samples = [];
    for (let i = -2; i < Math.min(opt.filterKeys, FILTER_TEXT.length); i++) {
      const text = i < 0 ? ["q", ""][i + 2] : FILTER_TEXT[i];
      await page.evaluate(() => { performance.clearMarks("tfa-panel:overview-rows"); window.__bench.mutations.length = 0; window.__bench.inputAt = null; });
      await input.fill(text);
      await page.waitForFunction(() => performance.getEntriesByName("tfa-panel:overview-rows", "mark").length, null, { timeout: 15000, polling: 2 })
        .catch(async (e) => { throw new Error(`${e.message} after typing "${text}": ${await page.textContent("[data-testid=overview-shown]")}; errors: ${page.errors.join("; ")}`); });
      const t = await page.evaluate(() => ({ input: window.__bench.inputAt, mark: performance.getEntriesByName("tfa-panel:overview-rows", "mark")[0].startTime }));
      const rendered = Math.max(t.mark, (await renderedAfter(page, t.mark)) ?? t.mark);
      if (i >= 0) samples.push({ text, total: rendered - t.input, toMark: t.mark - t.input, shown: await page.textContent("[data-testid=overview-shown]") });
    }
    return { total: stats(samples.map((s) => s.total)), toMark: stats(samples.map((s) => s.toMark)), samples };
  } finally {
    await context.close();
  }
}

// Memory after a bulk run of about 1,000 people against after a run of 10,
// each measured once the run is over and its results are closed (forced GC).
async function bulkMemory(browser) {
  const { context, page, cdp } = await openOverview(browser, opt.bulk);
  const run = async (select) => {
    await select();
    await page.click("[data-testid=bulk-review]");
    const n = (await page.textContent("[data-testid=bulk-start]")).replace(/\D/g, "");
    const idle = await page.evaluate(() => performance.getEntriesByName("tfa-panel:bulk-idle", "mark").length);
    await page.fill("[data-testid=bulk-typed]", n);
    const start = Date.now();
    await page.click("[data-testid=bulk-start]");
    await page.waitForFunction((k) => performance.getEntriesByName("tfa-panel:bulk-idle", "mark").length > k, idle, { timeout: 300000, polling: 50 });
    const seconds = (Date.now() - start) / 1000;
    const tally = (await page.textContent("[data-testid=bulk-tally]")).trim();
    const shown = await memory(page, cdp);
    await page.click("[data-testid=bulk-close]");
    await sleep(100);
    return { people: Number(n), seconds, tally, shown, closed: await memory(page, cdp) };
  };
  try {
    await page.selectOption("[data-testid=overview-state]", "linked");
    const small = await run(async () => {
      const boxes = page.locator("[data-testid=bulk-check]:not([disabled])");
      for (let i = 0; i < 10; i++) await boxes.nth(i).check();
    });
    const large = await run(() => page.click("[data-testid=bulk-select-all]"));
    if (page.errors.length) throw new Error(`the panel failed: ${page.errors[0]}`);
    return {
      small, large,
      jsHeapRatio: large.closed.jsHeapUsed / small.closed.jsHeapUsed,
      // The bulk reset runs in the second module.
      wasmRatio: large.closed.tasksWasmMemory / small.closed.tasksWasmMemory,
      shownJsHeapRatio: large.shown.jsHeapUsed / small.shown.jsHeapUsed,
      shownWasmRatio: large.shown.tasksWasmMemory / small.shown.tasksWasmMemory,
    };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------- main
const result = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, loadavg: loadavg() },
  budgets: BUDGET,
};
const t0 = Date.now();
result.sectionSeconds = {};
async function timed(name, f) {
  const start = Date.now();
  try {
    return await f();
  } finally {
    result.sectionSeconds[name] = (Date.now() - start) / 1000;
  }
}

if (want("sizes")) {
  result.sizes = { panel: sizes(opt.dist), baseline: sizes(opt.baselineDir) };
  printSizes("Transfer sizes of the release build (dist/), kB = 1000 bytes", result.sizes.panel);
  printSizes("Baseline page (bench/baseline/), for comparison", result.sizes.baseline);
}

const needsBrowser = ["startup", "submit", "picker", "trace", "overview", "filter", "bulk"].some(want);
if (needsBrowser && opt.quietWait > 0) {
  const q = (result.machine.quiet = await waitQuiet(opt.quietWait));
  result.machine.loadavgAfterWait = loadavg();
  if (q) log(`\nMachine quiet after ${q.waited.toFixed(0)} s (CPU ${(q.idle * 100).toFixed(0)}% idle over the last second${q.idle < 0.9 ? `; still busy after ${opt.quietWait} s, measuring anyway` : ""})`);
}
const browser = needsBrowser ? await chromium.launch({ executablePath: opt.chromium, headless: true, args: ARGS }) : null;
if (browser) result.machine.browser = browser.version();
try {
  if (want("startup")) {
    log(`\nStart-up: cold loads (fresh context, cache disabled), panel and baseline alternating: ${opt.loads} signed in and ${opt.connectLoads} without a session, each`);
    const s = (result.startup = await timed("startup", () => startup(browser)));
    for (const who of ["panel", "baseline"]) {
      log(`  ${who.padEnd(8)} signed in, navigation → form-ready mark : ${spread(s[who].formReady)}`);
      log(`  ${who.padEnd(8)} signed in, navigation → form rendered   : ${spread(s[who].formRendered)}`);
      log(`  ${who.padEnd(8)} no session, navigation → connect form   : ${spread(s[who].connectUsable)}`);
    }
    for (const who of ["panel", "baseline"]) {
      const p = s[who].phases;
      log(`  ${who.padEnd(8)} signed in, medians from navigation start: html ${ms(p.html)} · code arrived ${ms(p.code)} · ` +
        `${p.started != null ? `wasm started ${ms(p.started)} · ` : ""}people/@self ${ms(p.selfSent)}–${ms(p.selfBack)} · ` +
        `connected ${ms(p.connected)} · settings/tfaapp ${ms(p.settingsSent)}–${ms(p.settingsBack)} · form-ready ${ms(p.formReady)} ms`);
    }
    log(`  ratio panel ÷ baseline (medians): form rendered ${s.ratio.formRendered.toFixed(2)}× (marks ${s.ratio.formReady.toFixed(2)}×), connect form ${s.ratio.connectUsable.toFixed(2)}×`);
  }
  if (want("submit")) {
    const checkpoints = [opt.memoryEarly, 50, 100, 150, opt.submits].filter((n, i, a) => n <= opt.submits && a.indexOf(n) === i);
    log(`\nSubmit → result view: ${opt.submits} submissions, each changing the ${opt.edit === "ip" ? "trusted IP" : "method"}; memory after ${checkpoints.join(", ")}`);
    const s = (result.submit = await timed("submit", () => submissions(browser, "panel", opt.panel, opt.submits, checkpoints)));
    const b = (result.baselineSubmit = await timed("baseline submit", () =>
      submissions(browser, "baseline", opt.baseline, opt.controlSubmits, checkpoints.filter((n) => n <= opt.controlSubmits))));
    log(`  requests per submission: panel ${s.requests.join(" then ")}; baseline ${b.requests.join(" then ")}`);
    log(`  the result view waits for: panel ${s.awaited.join(" then ")}; baseline ${b.awaited.join(" then ")}`);
    log(`  panel total (click → result rendered)  : ${spread(s.total)}`);
    log(`  panel network it waited for            : ${spread(s.network)}`);
    log(`  panel beyond the network (rendered)    : ${spread(s.beyond)}`);
    log(`  panel beyond the network (to the mark) : ${spread(s.beyondToMark)}`);
    log(`    of which click → first request       : ${spread(s.before)}`);
    log(`    between the requests                 : ${spread(s.between)}`);
    log(`    last response → rendered             : ${spread(s.after)}`);
    log(`  panel, until the follow-up settled     : ${spread(s.settledBeyond)} beyond all its network`);
    log(`  baseline beyond the network (rendered) : ${spread(b.beyond)}`);
    for (const [who, m] of [["panel", s.memory], ["baseline", b.memory]]) {
      log(`  ${who} memory after N submissions (forced GC):`);
      for (const c of m.curve) {
        log(`    ${String(c.after).padStart(4)}: JS heap ${kB(c.jsHeapUsed).padStart(7)} kB · wasm ${c.wasmMemory == null ? "      —" : kB(c.wasmMemory).padStart(7) + " kB"} · DOM nodes ${c.domNodes} · JS listeners ${c.listeners}`);
      }
      log(`    ratio ${m.late.after} ÷ ${m.early.after}: JS heap ${m.jsHeapRatio.toFixed(3)}×${m.wasmRatio ? `, wasm ${m.wasmRatio.toFixed(3)}×` : ""}`);
    }
  }
  if (want("picker")) {
    log(`\nPicker on 50,000 users and 2,000 groups: ${Math.min(opt.picks, QUERIES.length)} queries`);
    const p = (result.picker = await timed("picker", () => picker(browser)));
    log(`  total (input → results rendered)     : ${spread(p.total)}`);
    log(`  network (people/filter)              : ${spread(p.network)}`);
    log(`  input → request, beyond the debounce : ${spread(p.beforeRequest)}`);
    log(`  response → results rendered          : ${spread(p.afterResponse)}`);
    log(`  beyond the debounce and the network  : ${spread(p.beyond)}`);
  }
  if (want("overview") || want("filter") || want("bulk")) {
    for (const base of [opt.people, opt.bulk]) if (base) await appTfaOn(base);
  }
  if (want("overview")) {
    log(`\nWho is protected: everyone on a portal of 50,000 people (docspace-3.7, app TFA on), 100 a page`);
    const o = (result.overview = await timed("overview", () => overview(browser)));
    log(`  ${o.requests} requests; first request → full counts rendered ${ms(o.total)} ms, of which some request was out ${ms(o.network)} ms`);
    log(`  beyond the network: ${ms(o.beyond)} ms; on screen: "${o.progress}" "${o.counts}"`);
  }
  if (want("filter")) {
    log(`\nWho is protected: a keystroke in the search box → list updated, 50,000 people loaded: ${Math.min(opt.filterKeys, FILTER_TEXT.length)} keystrokes`);
    const f = (result.filter = await timed("filter", () => filterKeys(browser)));
    log(`  input → rows computed (mark)  : ${spread(f.toMark)}`);
    log(`  input → list rendered         : ${spread(f.total)}`);
  }
  if (want("bulk")) {
    log(`\nBulk reset memory: a run of 10 people, then one of everyone else with an app (3,000-person portal)`);
    const b = (result.bulk = await timed("bulk", () => bulkMemory(browser)));
    for (const r of [b.small, b.large]) {
      log(`  ${String(r.people).padStart(5)} people in ${r.seconds.toFixed(1)} s (${r.tally}); results shown: JS heap ${kB(r.shown.jsHeapUsed)} kB · tasks wasm ${kB(r.shown.tasksWasmMemory)} kB; closed: JS heap ${kB(r.closed.jsHeapUsed)} kB · tasks wasm ${kB(r.closed.tasksWasmMemory)} kB · DOM nodes ${r.closed.domNodes}`);
    }
    log(`  ratio ${b.large.people} ÷ ${b.small.people} people, closed: JS heap ${b.jsHeapRatio.toFixed(3)}×, wasm ${b.wasmRatio.toFixed(3)}× (results shown: ${b.shownJsHeapRatio.toFixed(3)}×, ${b.shownWasmRatio.toFixed(3)}×)`);
  }
  if (want("trace")) {
    log(`\nWhere start-up spends the page's main thread: ${opt.traceLoads} traced cold loads each, signed in, navigation start → form-ready mark (medians, ms)`);
    const t = (result.trace = await timed("trace", () => traceStartup(browser)));
    log(`  ${"".padEnd(40)} ${"panel".padStart(8)} ${"baseline".padStart(9)} ${"difference".padStart(11)}`);
    for (const k of Object.keys(t.panel)) {
      const d = t.panel[k] - t.baseline[k];
      log(`  ${(k === "window" ? "the window: navigation → form-ready" : k).padEnd(40)} ${ms(t.panel[k]).padStart(8)} ${ms(t.baseline[k]).padStart(9)} ${((d >= 0 ? "+" : "") + ms(d)).padStart(11)}`);
    }
  }
} finally {
  if (browser) await browser.close();
}

// ---------------------------------------------------------------- budget table
const rows = [];
const row = (figure, value, budget, ok) => rows.push({ figure, value, budget, ok });
if (result.sizes) {
  const g = result.sizes.panel.total.gzip;
  const first = result.sizes.panel.first;
  const en = first.en.gzip;
  row("first download, English (gzip -9)", `${kB(en)} kB (brotli ${kB(first.en.brotli)} kB)`, `≤ ${kB(BUDGET.gzipTotal)} kB`, en <= BUDGET.gzipTotal);
  for (const [tag, f] of Object.entries(first)) {
    if (tag !== "en") row(`  first download, ${tag} (gzip -9)`, `${kB(f.gzip)} kB (+${kB(f.gzip - en)} kB)`, "(for information)", null);
  }
  const emb = result.sizes.panel.embedded;
  const entry = result.sizes.panel.entry;
  if (entry) {
    const over = emb.gzip - en;
    row("first download, embedded (tfa-panel.js), gzip -9", `${kB(emb.gzip)} kB (${over >= 0 ? "+" : ""}${kB(over)} kB vs the page; entry ${kB(entry.gzip)} kB)`,
      `≤ page + entry`, over <= entry.gzip);
  }
  const tasks = result.sizes.panel.tasks;
  if (tasks && tasks.gzip) {
    row("  opening who is protected or the history adds (gzip -9)", `${kB(tasks.gzip)} kB (brotli ${kB(tasks.brotli)} kB), once`, "(for information)", null);
  }
  row("all of dist/, every language (gzip -9)", `${kB(g)} kB`, "(for information)", null);
  row("all of dist/, every language (brotli)", `${kB(result.sizes.panel.total.brotli)} kB`, "(for information)", null);
}
if (result.startup) {
  const s = result.startup;
  row("start-up: nav → form rendered, panel", `${ms(s.panel.formRendered.median)} ms (mark ${ms(s.panel.formReady.median)})`, "", null);
  row("start-up: nav → form rendered, baseline", `${ms(s.baseline.formRendered.median)} ms (mark ${ms(s.baseline.formReady.median)})`, "", null);
  row("start-up ratio panel ÷ baseline (rendered)", `${s.ratio.formRendered.toFixed(2)}×`, `≤ ${BUDGET.startupRatio}×`, s.ratio.formRendered <= BUDGET.startupRatio);
  row("  connect form usable (no session), ratio", `${s.ratio.connectUsable.toFixed(2)}× (${ms(s.panel.connectUsable.median)} / ${ms(s.baseline.connectUsable.median)} ms)`, `≤ ${BUDGET.startupRatio}×`, s.ratio.connectUsable <= BUDGET.startupRatio);
}
if (result.submit) {
  const s = result.submit;
  row("submit → result, beyond the network", `${ms(s.beyond.median)} ms (p75 ${ms(s.beyond.p75)}; baseline ${ms(result.baselineSubmit.beyond.median)})`, `≤ ${BUDGET.submitMs} ms`, s.beyond.median <= BUDGET.submitMs);
  row(`JS heap, ${s.memory.late.after} ÷ ${s.memory.early.after} submissions`, `${s.memory.jsHeapRatio.toFixed(3)}× (baseline ${result.baselineSubmit.memory.jsHeapRatio.toFixed(3)}×)`, `≤ ${BUDGET.memoryRatio}×`, s.memory.jsHeapRatio <= BUDGET.memoryRatio);
  row(`wasm memory, ${s.memory.late.after} ÷ ${s.memory.early.after} submissions`, `${s.memory.wasmRatio.toFixed(3)}×`, `≤ ${BUDGET.memoryRatio}×`, s.memory.wasmRatio <= BUDGET.memoryRatio);
}
if (result.picker) {
  const p = result.picker;
  row("picker keystroke → results, beyond debounce + network", `${ms(p.beyond.median)} ms (p75 ${ms(p.beyond.p75)})`, `≤ ${BUDGET.pickerMs} ms`, p.beyond.median <= BUDGET.pickerMs);
}
if (result.overview) {
  const o = result.overview;
  row("overview of 50,000 people, beyond the network", `${ms(o.beyond)} ms of ${ms(o.total)} ms`, `≤ ${BUDGET.overviewBeyondMs} ms`, o.beyond <= BUDGET.overviewBeyondMs);
}
if (result.filter) {
  const f = result.filter;
  row("filter keystroke → list updated, 50,000 rows", `${ms(f.total.median)} ms (p75 ${ms(f.total.p75)})`, `≤ ${BUDGET.filterMs} ms`, f.total.median <= BUDGET.filterMs);
}
if (result.bulk) {
  const b = result.bulk;
  row(`JS heap after a bulk run, ${b.large.people} ÷ ${b.small.people}`, `${b.jsHeapRatio.toFixed(3)}×`, `≤ ${BUDGET.memoryRatio}×`, b.jsHeapRatio <= BUDGET.memoryRatio);
  row(`wasm memory after a bulk run, ${b.large.people} ÷ ${b.small.people}`, `${b.wasmRatio.toFixed(3)}×`, `≤ ${BUDGET.memoryRatio}×`, b.wasmRatio <= BUDGET.memoryRatio);
}
result.table = rows;
result.seconds = (Date.now() - t0) / 1000;

log("\nFigures beside their budgets (times: medians of the runs above)");
const w1 = Math.max(...rows.map((r) => r.figure.length));
const w2 = Math.max(...rows.map((r) => r.value.length));
const w3 = Math.max(...rows.map((r) => r.budget.length));
log(`  ${"figure".padEnd(w1)}  ${"measured".padEnd(w2)}  ${"budget".padEnd(w3)}  verdict`);
for (const r of rows) {
  const verdict = r.ok === null ? "" : r.ok ? "within" : "OVER";
  log(`  ${r.figure.padEnd(w1)}  ${r.value.padEnd(w2)}  ${r.budget.padEnd(w3)}  ${verdict}`);
}

mkdirSync(opt.out, { recursive: true });
const stamp = result.date.replace(/[:.]/g, "-");
const file = join(opt.out, `bench-${stamp}.json`);
writeFileSync(file, JSON.stringify(result, null, 2));
writeFileSync(join(opt.out, "latest.json"), JSON.stringify(result, null, 2));
log(`\nJSON: ${file} (also latest.json); measuring took ${result.seconds.toFixed(0)} s (${Object.entries(result.sectionSeconds).map(([k, v]) => `${k} ${v.toFixed(0)} s`).join(", ")})`);
log(`  on ${result.machine.cpus} cores, load average at the start ${result.machine.loadavg.map((x) => x.toFixed(1)).join(" ")}` +
  (result.machine.loadavgAfterWait ? `, after waiting for a quiet machine ${result.machine.loadavgAfterWait.map((x) => x.toFixed(1)).join(" ")}` : ""));
