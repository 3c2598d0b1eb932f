// Who is protected: everyone read page by page with a progress bar, counts
// checked against the simulator's own numbers, filters and the CSV export
// matching, cancel mid-read, and what a viewer without the right is told.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { test } from '../lib/harness.mjs';
import { IDS, KEYS, fillConnect, openOtherOrigin } from '../lib/panel.mjs';

const BIG = 'docspace-3.7+users=50000';

/** Everyone as the simulator lists them to the owner (100 a page, as the server allows). */
async function everyone(sim) {
  const people = [];
  for (let start = 0; ; start += 100) {
    const res = await sim.api(`people/filter?startIndex=${start}&count=100`);
    const items = res.body.response;
    people.push(...items);
    if (items.length < 100 || people.length >= res.body.total) return { people, total: res.body.total };
  }
}

const n = (x) => x.toLocaleString('en-US');

async function openOverview(fx, sim, key = KEYS.owner) {
  const page = await openOtherOrigin(fx, sim, key);
  await page.click('nav.tabs a[href="#protected"]');
  await page.locator('#overview-heading').waitFor();
  return page;
}

const readAll = (page) => page.waitForFunction(
  () => performance.getEntriesByName('tfa-panel:overview-read', 'mark').length > 0, null, { timeout: 170_000 },
);

test('overview: on a 50,000-person portal everyone is read with a progress bar, and the counts, a filter and the CSV match the simulator', async (fx) => {
  const sim = await fx.sim(BIG);
  assert.equal((await sim.api('settings/tfaapp', { method: 'PUT', body: { type: 'App', id: IDS.owner } })).status, 200);
  const { people, total } = await everyone(sim);
  assert.ok(total > 50_000, `the portal has ${total} people`);
  const linked = people.filter((p) => p.tfaAppEnabled === true).length;
  const notLinked = people.filter((p) => p.tfaAppEnabled === false).length;

  const page = await openOverview(fx, sim);
  // The progress bar moves while pages arrive.
  await page.waitForFunction(() => {
    const p = document.querySelector('[data-testid=overview-progress] progress');
    return p && Number(p.value) > 0 && Number(p.value) < Number(p.max);
  }, null, { timeout: 60_000 });
  assert.match(await page.textContent('#overview-progress-text'), new RegExp(`of ${n(total)} people read`));
  await readAll(page);
  assert.equal((await page.textContent('#overview-progress-text')).trim(), `All ${n(total)} people read.`);
  assert.equal(
    (await page.textContent('[data-testid=overview-counts]')).trim(),
    `${n(total)} of ${n(total)} need TFA; ${n(linked)} have linked an app; ${n(notLinked)} have not.`,
  );

  // Filters on the loaded list.
  await page.selectOption('[data-testid=overview-state]', 'linked');
  await page.locator('[data-testid=overview-shown]', { hasText: `of ${n(linked)} people` }).waitFor();
  const needle = 'costa';
  const matching = people.filter((p) => p.tfaAppEnabled === true
    && `${p.displayName}\n${p.email}`.toLowerCase().includes(needle)).length;
  await page.fill('[data-testid=overview-search]', needle);
  await page.locator('[data-testid=overview-shown]', { hasText: `of ${n(matching)} ` }).waitFor();
  const rows = await page.locator('[data-testid=overview-row]').count();
  assert.equal(rows, Math.min(50, matching));
  // Case is folded beyond ASCII, as the browser lowercases: a name part with
  // a letter such as é or ü, typed in capitals, still finds its people.
  // (DocSpace sends names HTML-encoded, non-ASCII letters as &#NNN;.)
  const decoded = (s) => s.replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)));
  const part = people.filter((p) => p.tfaAppEnabled === true)
    .flatMap((p) => decoded(p.displayName).split(' ')).find((w) => /[^\x00-\x7f]/.test(w) && w.toUpperCase() !== w);
  assert.ok(part, 'a linked person has a name with a non-ASCII letter');
  const upper = part.toUpperCase();
  const matchingUpper = people.filter((p) => p.tfaAppEnabled === true
    && `${decoded(p.displayName)}\n${p.email}`.toLowerCase().includes(upper.toLowerCase())).length;
  assert.ok(matchingUpper > 0);
  await page.fill('[data-testid=overview-search]', upper);
  await page.locator('[data-testid=overview-shown]', { hasText: `of ${n(matchingUpper)} ` }).waitFor();
  await page.fill('[data-testid=overview-search]', needle);
  await page.locator('[data-testid=overview-shown]', { hasText: `of ${n(matching)} ` }).waitFor();
  // The pager's buttons say what they do (a `>=` once leaked markup into one).
  assert.equal((await page.textContent('[data-testid=overview-next]')).trim(), 'Next');
  assert.equal((await page.textContent('[data-testid=overview-prev]')).trim(), 'Previous');

  // The export is the filtered list: UTF-8 with a BOM, a header, one line each.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=overview-export]')]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.equal(csv.charCodeAt(0), 0xfeff, 'the CSV starts with a byte-order mark');
  const lines = csv.slice(1).trim().split('\r\n');
  assert.equal(lines[0], 'Name,E-mail,Role,Authenticator app,Mandatory,Requires TFA');
  assert.equal(lines.length - 1, matching);
  assert.ok(lines.slice(1).every((l) => l.includes(',Linked,')), 'every exported person has an app linked');
  assert.deepEqual(fx.pageErrors, []);
}, { timeout: 240_000 });

test('overview: Cancel stops the read at once and says how many were read', async (fx) => {
  const sim = await fx.sim(BIG);
  const page = await openOverview(fx, sim);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=overview-progress] progress')?.value) >= 500, null, { timeout: 60_000 });
  await page.click('[data-testid=overview-cancel]');
  const text = (await page.locator('#overview-progress-text', { hasText: 'Stopped' }).textContent()).trim();
  const m = text.match(/^Stopped: ([\d,]+) of ([\d,]+) people read\./);
  assert.ok(m, text);
  const read = Number(m[1].replace(/,/g, ''));
  assert.ok(read > 0 && read < Number(m[2].replace(/,/g, '')));
  // No page is asked for after the answers already in flight.
  const count = async () => (await sim.requests()).filter((r) => r.path.includes('/people/filter')).length;
  const before = await count();
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await count(), before);
  assert.match(await page.textContent('[data-testid=overview-shown]'), new RegExp(`of ${n(read)} people`));
}, { timeout: 120_000 });

test('overview: a room admin is told why there is no list; with app TFA off the page says what DocSpace does not tell', async (fx) => {
  const sim = await fx.sim('docspace-3.7');
  const admin = await openOverview(fx, sim, KEYS.roomadmin);
  await admin.locator('[data-testid=role-notice]').waitFor();
  assert.equal(await admin.locator('[data-testid=overview-table]').count(), 0);

  const owner = await openOverview(fx, sim);
  await owner.locator('[data-testid=overview-no-app]').waitFor();
  await readAll(owner);
  assert.match(await owner.textContent('[data-testid=overview-counts]'), /^0 of \d+ need TFA\.$/);
  assert.match(await owner.textContent('[data-testid=overview-table]'), /Not known/);
});

test('overview and history: after disconnecting and connecting to another portal, both read the new portal, not the old lists', async (fx) => {
  const small = await fx.sim('docspace-3.7');
  const big = await fx.sim('docspace-3.7+users=300');
  const totalOf = async (sim) => (await sim.api('people/filter?startIndex=0&count=1')).body.total;
  const [smallTotal, bigTotal] = [await totalOf(small), await totalOf(big)];
  assert.notEqual(smallTotal, bigTotal);

  const page = await openOverview(fx, small);
  await readAll(page);
  assert.equal((await page.textContent('#overview-progress-text')).trim(), `All ${n(smallTotal)} people read.`);
  await page.click('nav.tabs a[href="#history"]');
  await page.locator('#history-heading').waitFor();
  await page.locator('[data-testid=history-load]:not([disabled])').waitFor();
  const smallHistory = (await small.requests()).filter((r) => r.path.includes('/audit/events')).length;
  assert.ok(smallHistory > 0, 'the history was read on the first portal');

  await page.click('[data-testid=account] button');
  await page.locator('#portal').waitFor();
  await fillConnect(page, big.url, KEYS.owner);
  await page.click('[data-testid=connect]');
  await page.locator('[data-testid=me-name]').waitFor();
  // Still on the history tab: it reads the new portal by itself.
  await page.locator('#history-heading').waitFor();
  await page.waitForFunction(() => performance.getEntriesByName('tfa-panel:history-read', 'mark').length >= 2, null, { timeout: 30_000 });
  assert.ok((await big.requests()).some((r) => r.path.includes('/audit/events')), 'the history was read on the second portal');

  await page.click('nav.tabs a[href="#protected"]');
  await page.locator('#overview-progress-text', { hasText: `All ${n(bigTotal)} people read.` }).waitFor({ timeout: 60_000 });
  // Shown again on the same connection: nothing is read twice.
  const reads = async () => (await big.requests()).filter((r) => r.path.includes('/people/filter')).length;
  const before = await reads();
  await page.click('nav.tabs a[href="#policy"]');
  await page.click('nav.tabs a[href="#protected"]');
  await page.locator('#overview-progress-text', { hasText: `All ${n(bigTotal)} people read.` }).waitFor();
  assert.equal(await reads(), before);
  assert.deepEqual(fx.pageErrors, []);
}, { timeout: 120_000 });

test('overview: a page that fails mid-read leaves what was read, says it was stopped and why, never "All … read"', async (fx) => {
  const sim = await fx.sim('docspace-3.7+users=1000');
  // The third page of people fails.
  await sim.fault({ method: 'GET', path: '/api/2.0/people/filter', skip: 2, kind: 500 });
  const page = await openOverview(fx, sim);
  await page.locator('[data-testid=overview-read]:not([disabled])').waitFor({ timeout: 30_000 });
  const text = (await page.textContent('#overview-progress-text')).trim();
  assert.match(text, /^Stopped: [\d,]+ of 1,011 people read\./);
  assert.doesNotMatch(text, /^All/);
  assert.match(await page.textContent('section.overview [data-testid=error]'), /internal error \(500\)/);
  const read = Number(text.match(/^Stopped: ([\d,]+)/)[1].replace(/,/g, ''));
  assert.ok(read > 0 && read < 1011);
  assert.match(await page.textContent('[data-testid=overview-shown]'), new RegExp(`of ${n(read)} people`));
});
