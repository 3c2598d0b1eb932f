// The end-to-end suite's entry point: starts Chromium and the simulators,
// runs every registered test, prints the fault matrix and the closing line
// `e2e: N passed, N failed`. Exits non-zero when anything failed.
//
// Environment:
//   E2E_SIM_BIN          simulator binary (default target/sim/docspace-sim)
//   E2E_DIST             built panel (default dist)
//   E2E_WORKERS          tests that use the CPU at once (default 3)
//   E2E_WAIT_WORKERS     tests that mostly wait on a timeout at once (default 8)
//   E2E_ONLY             run only tests whose name matches this regular expression
//   E2E_SCREENSHOTS_TO   also write the README's pictures to this folder
//   CHROMIUM             browser binary (default /usr/bin/chromium)

import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { registered, runAll } from './lib/harness.mjs';
import { SimPool } from './lib/sims.mjs';

import './specs/tasks.mjs';
import './specs/faults.mjs';
import './specs/corpus.mjs';
import './specs/security.mjs';
import './specs/trusted-ips.mjs';
import './specs/screens.mjs';
import './specs/languages.mjs';
import './specs/embed.mjs';
import './specs/overview.mjs';
import './specs/history.mjs';
import './specs/bulk.mjs';
import './specs/a11y.mjs';
import './specs/later.mjs';
import { printMatrix } from './specs/faults.mjs';
import { corpusSummary } from './specs/corpus.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const env = process.env;
const bin = resolve(root, env.E2E_SIM_BIN || 'target/sim/docspace-sim');
const dist = resolve(root, env.E2E_DIST || 'dist');
const executablePath = env.CHROMIUM || '/usr/bin/chromium';

for (const [what, path] of [['simulator', bin], ['built panel', resolve(dist, 'index.html')], ['Chromium', executablePath]]) {
  if (!existsSync(path)) {
    console.error(`e2e: the ${what} is missing (${path}); build it first (see the README's test command)`);
    console.log('e2e: 0 passed, 1 failed');
    process.exit(1);
  }
}

const started = Date.now();
const only = env.E2E_ONLY ? new RegExp(env.E2E_ONLY, 'i') : null;
const tests = registered().filter((t) => !only || only.test(t.name));

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
    // Fresh contexts compile the panel's wasm every time; skipping the
    // optimising tier saves CPU on small shared machines and changes nothing
    // the tests look at.
    '--js-flags=--no-wasm-tier-up',
  ],
});
// Serve a private copy of the build: a rebuild of dist/ during the run must not
// swap files under the pages being tested.
// The same for the simulator binary. A copy taken mid-rebuild is retried.
const scratch = mkdtempSync(join(tmpdir(), 'tfa-e2e-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
const snapshot = join(scratch, 'dist');
const simBin = join(scratch, 'docspace-sim');
for (let attempt = 1; ; attempt++) {
  rmSync(snapshot, { recursive: true, force: true });
  cpSync(dist, snapshot, { recursive: true });
  const html = readFileSync(join(snapshot, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]);
  if (refs.length && refs.every((f) => existsSync(join(snapshot, f)))) break;
  if (attempt === 30) throw new Error('dist/ stays incomplete (is a build running?)');
  await new Promise((r) => setTimeout(r, 1000));
}
cpSync(bin, simBin);
const pool = new SimPool({ bin: simBin, dist: snapshot });
await pool.startStatic();

const suiteEnv = {
  browser,
  pool,
  root,
  dist,
  actionTimeout: Number(env.E2E_ACTION_TIMEOUT || 15_000),
  screenshotsTo: env.E2E_SCREENSHOTS_TO ? resolve(root, env.E2E_SCREENSHOTS_TO) : null,
  artifacts: resolve(here, 'artifacts'),
};

console.log(`e2e: ${tests.length} tests, Chromium ${browser.version()}, panel from ${dist.startsWith(root) ? dist.slice(root.length + 1) : dist}`);
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const results = await runAll(suiteEnv, tests, {
  cpuWorkers: Number(env.E2E_WORKERS || 3),
  waitWorkers: Number(env.E2E_WAIT_WORKERS || 8),
  onResult(r) {
    const mark = r.ok ? (r.test.knownFailure ? 'FIXED?' : 'ok  ') : r.test.knownFailure ? 'KNOWN' : 'FAIL';
    console.log(`${mark} ${r.test.name} (${secs(r.ms)})`);
    if (!r.ok) console.log(`     ${String(r.error?.stack || r.error).split('\n').slice(0, 6).join('\n     ')}`);
    for (const n of r.notes) console.log(`     note: ${n}`);
  },
});

await browser.close();
pool.stop();

// Results in registration order for the summaries.
const order = new Map(tests.map((t, i) => [t, i]));
results.sort((a, b) => order.get(a.test) - order.get(b.test));

printMatrix(results);
const corpus = corpusSummary();
if (corpus) console.log(`\n${corpus}`);

const failed = results.filter((r) => !r.ok && !r.test.knownFailure);
const known = results.filter((r) => !r.ok && r.test.knownFailure);
const fixed = results.filter((r) => r.ok && r.test.knownFailure);
const passed = results.filter((r) => r.ok);
if (failed.length) {
  console.log('\nFailed:');
  for (const r of failed) console.log(`  ${r.test.name}: ${String(r.error?.message || r.error).split('\n')[0]}`);
}
if (known.length) {
  console.log('\nKnown failures (bugs reported to the lead, not counted as failures):');
  for (const r of known) console.log(`  ${r.test.name}: ${r.test.knownFailure}`);
}
if (fixed.length) {
  console.log('\nMarked as known failures but passed (remove the mark):');
  for (const r of fixed) console.log(`  ${r.test.name}`);
}
console.log(`\ne2e: wall time ${secs(Date.now() - started)}`);
if (known.length) console.log(`e2e: ${known.length} known failures (not counted)`);
console.log(`e2e: ${passed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
