// TFA history: the portal's own audit trail, filtered to the TFA actions;
// the plan gate (latest 20 events of any kind, or 402) said plainly.

import assert from 'node:assert/strict';

import { test } from '../lib/harness.mjs';
import { IDS, KEYS, openOtherOrigin } from '../lib/panel.mjs';

const TFA = new Set(['6036', '6037', '6038', '6005', '4032', '4033']);

async function openHistory(fx, sim, key = KEYS.owner) {
  const page = await openOtherOrigin(fx, sim, key);
  await page.click('nav.tabs a[href="#history"]');
  await page.locator('#history-heading').waitFor();
  return page;
}

const actions = (page) => page.$$eval('[data-testid=history-row]', (rows) => rows.map((r) => r.dataset.action));

test('history: policy changes, a linked app and a reset appear, newest first, and nothing else', async (fx) => {
  const sim = await fx.sim('docspace-3.7');
  assert.equal((await sim.api('settings/tfaapp', { method: 'PUT', body: { type: 'App', id: IDS.owner } })).status, 200);
  await sim.control('link-app', 'POST', { user: IDS.priya });
  assert.equal((await sim.api('settings/tfaappnewapp', { method: 'PUT', body: { id: IDS.priya } })).status, 200);
  const page = await openHistory(fx, sim);
  await page.locator('[data-testid=history-table]').waitFor();
  const got = await actions(page);
  assert.deepEqual(got.slice(0, 3), ['4033', '4032', '6038']);
  assert.ok(got.every((a) => TFA.has(a)), `only TFA events: ${got}`);
  assert.equal(await page.locator('[data-testid=history-latest-only]').count(), 0);
  assert.match(await page.textContent('[data-testid=history-row]'), /Reset an authenticator app/);
  assert.match(await page.textContent('[data-testid=history-row]'), /Priya Patel/);
});

test('history: on a plan without the audit option the TFA events among the latest 20 are shown, and the page says so', async (fx) => {
  const sim = await fx.sim('docspace-3.7');
  assert.equal((await sim.api('settings/tfaapp', { method: 'PUT', body: { type: 'App', id: IDS.owner } })).status, 200);
  await sim.control('audit', 'POST', { plan: 'last20' });
  const page = await openHistory(fx, sim);
  await page.locator('[data-testid=history-latest-only]').waitFor();
  const got = await actions(page);
  assert.deepEqual(got, ['6038'], 'of the latest 20 events of any kind, only the TFA one');
});

test('history: a plan with no audit trail at all (402) is explained; a room admin is told why there is none', async (fx) => {
  const sim = await fx.sim('docspace-3.7');
  await sim.control('audit', 'POST', { plan: 'none' });
  const page = await openHistory(fx, sim);
  await page.locator('section.history [data-testid=error]').waitFor();
  assert.match(await page.textContent('section.history [data-testid=error]'), /does not include the audit trail \(402\)/);
  const ra = await openHistory(fx, sim, KEYS.roomadmin);
  await ra.locator('[data-testid=role-notice]').waitFor();
  assert.equal(await ra.locator('[data-testid=history-load]').count(), 0);
});
