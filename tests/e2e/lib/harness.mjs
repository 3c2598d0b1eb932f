// A small test harness: tests are registered with `test()`, run in two lanes
import { join } from 'node:path';
// (CPU-bound ones a few at a time; ones that mostly wait on the panel's 15 s
// timeout many at a time), each with its own browser context, a leased and
// reset simulator, and a time limit.

import { mkdirSync } from 'node:fs';

const registry = [];

/**
 * Registers a test. Options: `timeout` (ms), `slow` (mostly waits: runs in the
 * waiting lane), `tags` (free-form, for filtering), `knownFailure` (a bug the
 * lead must fix: a failure is reported but does not fail the run; a pass is
 * flagged so the mark gets removed).
 */
export function test(name, fn, options = {}) {
  registry.push({ name, fn, timeout: 45_000, slow: false, ...options });
}

export function registered() {
  return registry;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Everything one test gets: pages, simulators, captured console, clean-up. */
export class Fixture {
  constructor(env, test) {
    this.env = env;
    this.test = test;
    this.contexts = [];
    this.sims = [];
    this.console = [];
    this.pageErrors = [];
    this.dialogs = [];
    this.notes = [];
    this.currentStep = 'start';
  }

  /** Names what the test is doing now, so a page error can say when it happened. */
  step(name) { this.currentStep = name; }

  get staticOrigin() { return this.env.pool.staticOrigin; }

  /** Leases a reset simulator of `profile` for this test. */
  async sim(profile = 'seed') {
    const sim = await this.env.pool.acquire(profile);
    const handle = sim.lease();
    this.sims.push({ sim, handle });
    return handle;
  }

  /** A page in a fresh browser context. Captures console, errors and dialogs. */
  async page({ colorScheme = 'light', width = 1280, height = 900, bypassCSP = false, locale = 'en-US' } = {}) {
    const context = await this.env.browser.newContext({
      colorScheme,
      locale,
      viewport: { width, height },
      bypassCSP,
      reducedMotion: 'reduce',
    });
    this.contexts.push(context);
    context.setDefaultTimeout(this.env.actionTimeout);
    const page = await context.newPage();
    page.on('console', (m) => this.console.push({ type: m.type(), text: m.text() }));
    page.on('pageerror', (e) => this.pageErrors.push(`${String(e).split('\n')[0]} [during: ${this.currentStep}]`));
    page.on('dialog', (d) => {
      this.dialogs.push({ type: d.type(), message: d.message() });
      d.dismiss().catch(() => {});
    });
    return page;
  }

  note(text) { this.notes.push(text); }

  async cleanup() {
    await Promise.allSettled(this.contexts.map((c) => c.close()));
    for (const { sim, handle } of this.sims) {
      handle.revoked = true;
      this.env.pool.release(sim);
    }
    this.contexts = [];
    this.sims = [];
  }
}

async function runOne(env, t) {
  const fixture = new Fixture(env, t);
  const started = Date.now();
  let error = null;
  let timer;
  try {
    await Promise.race([
      (async () => {
        await t.fn(fixture);
        // A panic in the panel kills it: no test may pass with one.
        if (fixture.pageErrors.length && !t.allowPageErrors) {
          const panic = fixture.console.find((m) => m.text.includes('panicked'))?.text.split('\n').slice(0, 2).join(' ');
          throw new Error(`the page threw: ${fixture.pageErrors.join(' | ').slice(0, 300)}${panic ? ` (${panic})` : ''}`);
        }
      })(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${t.timeout / 1000} s`)), t.timeout);
      }),
    ]);
  } catch (e) {
    error = e;
  } finally {
    clearTimeout(timer);
    await fixture.cleanup();
  }
  return { test: t, ok: !error, error, ms: Date.now() - started, notes: fixture.notes };
}

/** Runs the tests; `onResult` sees each result as it lands. */
export async function runAll(env, tests, { cpuWorkers, waitWorkers, onResult }) {
  const lanes = [
    { queue: tests.filter((t) => !t.slow), workers: cpuWorkers },
    { queue: tests.filter((t) => t.slow), workers: waitWorkers },
  ];
  const results = [];
  await Promise.all(
    lanes.flatMap((lane) =>
      Array.from({ length: Math.max(1, lane.workers) }, async () => {
        for (let t = lane.queue.shift(); t; t = lane.queue.shift()) {
          const r = await runOne(env, t);
          results.push(r);
          onResult(r);
        }
      }),
    ),
  );
  return results;
}

export function ensureDir(dir) {
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** With E2E_SCREENSHOTS_TO set, a full-page picture of `page` for the README under `name`. */
export async function docShot(fx, page, name) {
  if (!fx.env.screenshotsTo) return;
  await page.evaluate(() => document.activeElement?.blur?.());
  await page.screenshot({ path: join(ensureDir(fx.env.screenshotsTo), name), fullPage: true, animations: 'disabled', caret: 'hide' });
}
