// The second module: "Who is protected" and the history load only when one
// of them is first opened. The first download does not fetch them; opening
// one fetches the module once; its pages keep what was typed across tab
// switches; the language switch reaches them; a failed load says so and can
// be tried again; disconnecting signs the module out too.

import assert from 'node:assert/strict';

import { test } from '../lib/harness.mjs';
import { KEYS, fillConnect, loadOtherOrigin, openOtherOrigin, policyReady } from '../lib/panel.mjs';

const LATER = /\/tfa-tasks-[0-9a-f]{16}(\.js|_bg\.wasm)$/;

/** Connects `page` (prepared by the test) from the static origin with the owner's key. */
async function connect(fx, page, sim) {
  await loadOtherOrigin(page, fx.staticOrigin);
  await fillConnect(page, sim.url, KEYS.owner);
  await page.click('[data-testid=connect]');
  await page.locator('[data-testid=me-name]').waitFor();
  return page;
}

/** Every request of the page for the second module's files, by kind. */
function watchLater(page) {
  const seen = [];
  page.on('request', (r) => {
    const m = r.url().match(LATER);
    if (m) seen.push(m[1]);
  });
  return seen;
}

test('later: the first screen does not fetch the second module; a pointer over its tab fetches it, once, keeps what was typed across tabs, and follows the language', async (fx) => {
  const sim = await fx.sim('docspace-3.7');
  const page = await fx.page();
  const seen = watchLater(page);
  const ready = await connect(fx, page, sim);
  await policyReady(ready);
  assert.deepEqual(seen, [], 'the policy page needs nothing of the second module');

  // A pointer over the tab starts the fetch before the click.
  await ready.hover('nav.tabs a[href="#protected"]');
  for (let i = 0; i < 100 && seen.length < 2; i++) await ready.waitForTimeout(50);
  assert.deepEqual([...seen].sort(), ['.js', '_bg.wasm'], 'hovering "Who is protected" fetches the module');
  await ready.click('nav.tabs a[href="#protected"]');
  await ready.locator('#overview-heading').waitFor();
  await ready.fill('[data-testid=overview-search]', 'kowal');

  // Away and back, and on to the history: nothing fetched again, the filter kept.
  await ready.click('nav.tabs a[href="#policy"]');
  await policyReady(ready);
  await ready.click('nav.tabs a[href="#history"]');
  await ready.locator('#history-heading').waitFor();
  await ready.click('nav.tabs a[href="#protected"]');
  await ready.locator('#overview-heading').waitFor();
  assert.equal(await ready.inputValue('[data-testid=overview-search]'), 'kowal', 'the filter survives the tab switches');
  assert.equal(seen.length, 2, 'the module is fetched once');

  // The header's language switch reaches the module's page.
  await ready.selectOption('[data-testid=lang-switch]', 'de');
  await ready.waitForFunction(() => document.querySelector('#overview-heading')?.textContent.trim() === 'Wer ist geschützt');
  assert.equal(await ready.inputValue('[data-testid=overview-search]'), 'kowal', 'the filter survives the language switch');
  assert.deepEqual(fx.pageErrors, []);
});

test('later: when the second module cannot be fetched the page says so, and Try again loads it', async (fx) => {
  const sim = await fx.sim('docspace-3.7');
  const page = await fx.page();
  let refuse = true;
  await page.route(LATER, (route) => (refuse && route.request().url().endsWith('_bg.wasm') ? route.abort('connectionfailed') : route.continue()));
  const ready = await connect(fx, page, sim);
  await policyReady(ready);
  await ready.click('nav.tabs a[href="#protected"]');
  const alert = ready.locator('main [role=alert]');
  await alert.waitFor();
  assert.match(await alert.textContent(), /could not be loaded.*Check the network connection/);
  refuse = false;
  await alert.locator('button', { hasText: 'Try again' }).click();
  await ready.locator('#overview-heading').waitFor();
  assert.equal(await ready.locator('main [role=alert]').count(), 0);
});

test('later: after Disconnect and a connection to another portal as another account, the module reads the new portal and nothing more goes to the old one', async (fx) => {
  const one = await fx.sim('docspace-3.7');
  const two = await fx.sim('docspace-3.6');
  const page = await openOtherOrigin(fx, one);
  await page.click('nav.tabs a[href="#history"]');
  await page.locator('#history-heading').waitFor();
  await page.click('button:has-text("Disconnect")');
  await fillConnect(page, two.url, KEYS.admin);
  await page.click('[data-testid=connect]');
  await page.locator('#history-heading').waitFor();
  const audit = async (sim) => (await sim.requests()).filter((r) => r.path.startsWith('/api/2.0/security/audit')).length;
  for (let i = 0; i < 100 && (await audit(two)) === 0; i++) await page.waitForTimeout(100);
  assert.ok((await audit(two)) >= 1, 'the history was read from the second portal');
  const fromOne = (await one.requests()).filter((r) => r.path.startsWith('/api/2.0/')).length;
  await page.waitForTimeout(300);
  assert.equal((await one.requests()).filter((r) => r.path.startsWith('/api/2.0/')).length, fromOne, 'nothing more goes to the first portal');
});
