// Accessibility: every screen of the panel checked with axe-core against the
// WCAG 2.0, 2.1 and 2.2 A and AA rules, in light and in dark, on the release
// build: connect, the connect error, the policy form with an invalid entry
// and its summary, the confirmation link, the user reset, who is protected,
// the bulk review and its results, the TFA history.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { docShot, test } from '../lib/harness.mjs';
import { IDS, KEYS, addIp, fillConnect, gotoTab, openOtherOriginForm, policyReady } from '../lib/panel.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const RESET = '/api/2.0/settings/tfaappnewapp';

/** Runs axe on the page as it is; returns the violations in words. */
async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ content: AXE });
  }
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} — ${n.failureSummary.split('\n').slice(1, 2).join(' ').trim()}`).join('\n    ')}`);
  }, TAGS);
}

for (const scheme of ['light', 'dark']) {
  test(`a11y: every screen is clean under axe-core's WCAG 2.2 AA rules, ${scheme}`, async (fx) => {
    const sim = await fx.sim('docspace-3.7+users=30');
    assert.equal((await sim.api('settings/tfaapp', { method: 'PUT', body: { type: 'App', id: IDS.owner } })).status, 200);
    await sim.fault({ method: 'PUT', path: RESET, skip: 2, kind: 500 });
    const page = await openOtherOriginForm(fx, { colorScheme: scheme, bypassCSP: true });
    const found = [];
    const check = async (screen) => {
      fx.step(`axe on ${screen}`);
      for (const v of await violations(page)) found.push(`${screen}: ${v}`);
    };

    await fillConnect(page, sim.url, 'sk-not-a-key');
    await check('connect');
    await page.click('[data-testid=connect]');
    await page.locator('section.connect [data-testid=error]').waitFor();
    await check('connect error');
    await page.fill('#token', KEYS.owner);
    await page.click('[data-testid=connect]');
    await policyReady(page);
    await check('policy');
    await addIp(page, '1.2.3.4/33');
    await page.locator('[data-testid=ip-row].invalid').first().waitFor();
    await check('policy with an invalid entry');

    await gotoTab(page, 'confirm');
    await check('confirmation link');
    await gotoTab(page, 'user');
    await check('user reset');

    await page.click('nav.tabs a[href="#protected"]');
    await page.waitForFunction(() => performance.getEntriesByName('tfa-panel:overview-read', 'mark').length > 0);
    await check('who is protected');
    await page.selectOption('[data-testid=overview-state]', 'at-risk');
    await page.locator('[data-testid=overview-row]').first().waitFor();
    await docShot(fx, page, `overview-${scheme}.png`);
    await page.selectOption('[data-testid=overview-state]', 'linked');
    await page.click('[data-testid=bulk-select-all]');
    await page.click('[data-testid=bulk-review]');
    await page.fill('[data-testid=bulk-typed]', '1');
    await page.locator('[data-testid=bulk-typed-error]:not(:empty)').waitFor();
    await check('bulk review');
    const n = (await page.textContent('[data-testid=bulk-start]')).match(/\d+/)[0];
    await page.fill('[data-testid=bulk-typed]', n);
    await page.click('[data-testid=bulk-start]');
    await page.waitForFunction(() => performance.getEntriesByName('tfa-panel:bulk-idle', 'mark').length > 0);
    await page.locator('[data-testid=bulk-row][data-status=failed]').first().waitFor();
    await check('bulk results');
    await page.check('[data-testid=bulk-failed-only]');
    await docShot(fx, page, `bulk-results-${scheme}.png`);

    await page.click('nav.tabs a[href="#history"]');
    await page.waitForFunction(() => performance.getEntriesByName('tfa-panel:history-read', 'mark').length > 0);
    await page.locator('[data-testid=history-row]').first().waitFor();
    await check('history');
    await docShot(fx, page, `history-${scheme}.png`);

    assert.deepEqual(found, [], `axe found:\n${found.join('\n')}`);
    assert.deepEqual(fx.pageErrors, []);
  }, { timeout: 120_000 });
}
