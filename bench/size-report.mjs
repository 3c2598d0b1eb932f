// Where the panel's wasm size goes, by crate: runs `twiggy top` on a wasm file
// that still has its function names (wasm-bindgen's output before wasm-opt,
// target/wasm-bindgen/release/tfa-panel_bg.wasm) and sums the items per crate.
//
//   node bench/size-report.mjs [file.wasm] [--json out.json]
//
// An item is charged to the first crate in its name other than core, alloc
// and std, so `core::ptr::drop_in_place<tachys::…>` counts for tachys and a
// view closure written in the panel but instantiated inside tachys counts for
// tachys too: the figures are "code that exists because of this crate".
// Sizes are before wasm-opt and without the names section; the shipped file
// is smaller, roughly in proportion.

import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const args = process.argv.slice(2);
const jsonAt = args.indexOf("--json");
const jsonOut = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : null;
const file = args[0] || "target/wasm-bindgen/release/tfa-panel_bg.wasm";

const twiggy = (...a) => execFileSync("twiggy", a, { maxBuffer: 1 << 28 }).toString();
const items = JSON.parse(twiggy("top", "-n", "1000000", "--format", "json", file));

// Families, in the order they are printed; a crate not listed is its own family.
const FAMILY = {
  "the panel (tfa_panel)": ["tfa_panel"],
  "leptos: tachys (DOM rendering)": ["tachys"],
  "leptos: reactive_graph (signals, effects)": ["reactive_graph"],
  "leptos: leptos and helpers": [
    "leptos", "leptos_macro", "leptos_dom", "leptos_config", "leptos_server", "any_spawner", "slotmap",
    "or_poisoned", "throw_error", "oco_ref", "next_tuple", "send_wrapper", "guardian", "either_of",
    "hydration_context", "server_fn", "leptos_hot_reload", "futures_util", "futures_core",
    "futures_channel", "futures_executor", "futures_task", "pin_project_lite", "async_lock",
    "event_listener", "rustc_hash", "indexmap", "paste", "drain_filter_polyfill", "tracing",
  ],
  "serde_json (+ itoa, ryu, zmij, memchr)": ["serde_json", "itoa", "ryu", "zmij", "memchr"],
  "serde (derive impls, visitors)": ["serde", "serde_core"],
  "gloo-net (+ http, gloo_utils, wasm_streams)": [
    "gloo_net", "gloo_utils", "http", "bytes", "gloo_timers", "wasm_streams", "futures_io", "futures_sink",
  ],
  "wasm-bindgen, js-sys, web-sys, futures": [
    "wasm_bindgen", "js_sys", "web_sys", "wasm_bindgen_futures", "console_error_panic_hook", "once_cell",
  ],
  "std: fmt (format!, Display, Debug, panics)": ["core::fmt", "alloc::fmt", "core::panicking", "std::panicking"],
  "std: allocator (dlmalloc)": ["dlmalloc", "__rustc"],
  "std: hashbrown": ["hashbrown"],
  "std: strings, numbers, collections, other": ["core", "alloc", "std"],
};
const crateToFamily = new Map();
for (const [family, crates] of Object.entries(FAMILY)) for (const c of crates) crateToFamily.set(c, family);

const STD = new Set(["core", "alloc", "std"]);
// A path starts at the beginning, or after one of `< (&,*[=` or a space; not after `::`.
const crateRe = /(?:^|[<\s(&,*\[=])([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::([a-z_][a-z0-9_]*)?/g;

function familyOf(name) {
  if (name.startsWith('"function names"') || name.startsWith("custom section")) return "names and custom sections (not shipped)";
  if (name.startsWith("data segment") || name.startsWith("data[")) return "data segments (strings, tables)";
  if (/^(elem|table|type|import|export|global|memory)\[/.test(name) || name.startsWith("wasm magic") || name.startsWith("table[")) return "wasm structure (types, imports, exports, tables)";
  if (name.startsWith("import ") || name.startsWith("__wbg_") || name.startsWith("__wbindgen") || name.includes("externref shim")) return "wasm-bindgen, js-sys, web-sys, futures";
  let firstStd = null;
  for (const m of name.matchAll(crateRe)) {
    const crate = m[1];
    if (STD.has(crate)) {
      const sub = `${crate}::${m[2] || ""}`;
      if (!firstStd) firstStd = crateToFamily.has(sub) ? sub : crate;
      continue;
    }
    if (crateToFamily.has(crate)) return crateToFamily.get(crate);
    if (/^[a-z_]+$/.test(crate) && !["impl", "as", "for", "dyn", "mut", "const", "closure"].includes(crate)) return crate;
  }
  if (firstStd) return crateToFamily.get(firstStd) || "std: strings, numbers, collections, other";
  if (/^<(char|str|u8|\[T\]|usize|i32|u32|u64|i64|f64|bool)>::/.test(name)) return "std: strings, numbers, collections, other";
  if (/^(malloc|free|realloc|calloc|memcpy|memmove|memset|memcmp|__rust|rust_)/.test(name)) return "std: strings, numbers, collections, other";
  return "unnamed code";
}

const families = new Map();
let total = 0;
for (const it of items) {
  if (/^Σ|^\.\.\. and/.test(it.name)) continue;
  const f = familyOf(it.name);
  const e = families.get(f) || { family: f, bytes: 0, items: 0, biggest: [] };
  e.bytes += it.shallow_size;
  e.items += 1;
  if (e.biggest.length < 3) e.biggest.push({ name: it.name.replace(/::h[0-9a-f]{16}$/, ""), bytes: it.shallow_size });
  families.set(f, e);
  total += it.shallow_size;
}
const shipped = [...families.values()].filter((e) => !e.family.startsWith("names and custom"));
const shippedTotal = shipped.reduce((s, e) => s + e.bytes, 0);
const rows = [...families.values()].sort((a, b) => b.bytes - a.bytes);

console.log(`Size by crate family: ${file}`);
console.log(`  ${(total / 1000).toFixed(1)} kB in all; ${(shippedTotal / 1000).toFixed(1)} kB without the names section (before wasm-opt)\n`);
console.log(`  ${"family".padEnd(48)} ${"kB".padStart(7)} ${"share".padStart(7)} ${"items".padStart(6)}  biggest item`);
for (const e of rows) {
  const share = e.family.startsWith("names and custom") ? "—" : `${((100 * e.bytes) / shippedTotal).toFixed(1)}%`;
  const big = e.biggest[0] ? `${e.biggest[0].name.slice(0, 90)} (${(e.biggest[0].bytes / 1000).toFixed(1)} kB)` : "";
  console.log(`  ${e.family.padEnd(48)} ${(e.bytes / 1000).toFixed(1).padStart(7)} ${share.padStart(7)} ${String(e.items).padStart(6)}  ${big}`);
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ file, total, shippedTotal, families: rows }, null, 2));
