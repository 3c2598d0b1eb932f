// Languages: which language the panel starts in (browser, portal user,
// hosting page), switching mid-form, right to left, and the pseudo-locale's
// longer text on every screen. Texts are read from the catalogues
// (i18n/<tag>.json), so a test fails when the panel shows another language
// than the one it should, not when a translation is reworded.

import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ensureDir, test } from '../lib/harness.mjs';
import {
  IDS, KEYS, addIp, fillConnect, gotoTab, loadOtherOrigin, markCount, openOtherOrigin, openOtherOriginForm,
  pickBySearch, policyDraft, policyReady, waitMark,
} from '../lib/panel.mjs';
import { sidewaysScroll } from './screens.mjs';

const LANGS = ['en', 'de', 'fr', 'es', 'pt-BR', 'ru', 'zh-CN', 'ja', 'ar'];
const cache = new Map();

/** A message of a catalogue, as the panel shows it when it has no placeholders. */
function msg(fx, tag, key) {
  if (!cache.has(tag)) cache.set(tag, JSON.parse(readFileSync(join(fx.env.root, 'i18n', `${tag}.json`), 'utf8')));
  const value = cache.get(tag)[key];
  assert.equal(typeof value, 'string', `${tag}.json has no text ${key}`);
  return value;
}

/** Waits until the document says it is in `tag`. */
async function inLanguage(page, tag) {
  await page.waitForFunction((t) => document.documentElement.lang === t, tag);
}

async function text(page, selector) {
  return (await page.textContent(selector)).trim();
}

/** Loads the panel from the static origin at `path` and waits for the idle connect form. */
async function loadAt(page, fx, path) {
  const probe = page.waitForResponse((r) => r.url().includes('/people/@self'), { timeout: 60000 });
  probe.catch(() => {});
  await page.goto(`${fx.staticOrigin}${path}`, { timeout: 60000 });
  await probe;
  await page.locator('[data-testid=connect]:not([disabled])').waitFor();
}

test('languages: the panel starts in German when the browser prefers German', async (fx) => {
  const page = await fx.page({ locale: 'de-DE' });
  await loadOtherOrigin(page, fx.staticOrigin);
  await inLanguage(page, 'de');
  assert.equal(await text(page, '#connect-heading'), msg(fx, 'de', 'connect_heading'));
  assert.equal(await page.title(), msg(fx, 'de', 'app_title'));
  assert.equal(await page.inputValue('[data-testid=lang-switch]'), 'de');
  assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
});

test("languages: the panel follows the DocSpace user's cultureName (ru-RU)", async (fx) => {
  const sim = await fx.sim('seed');
  await sim.control('culture', 'POST', { user: 'owner', culture: 'ru-RU' });
  const page = await openOtherOrigin(fx, sim, KEYS.owner, { locale: 'en-US' });
  await inLanguage(page, 'ru');
  await page.locator('nav.tabs a[href="#policy"]', { hasText: msg(fx, 'ru', 'app_tab_policy') }).waitFor();
  assert.equal(await text(page, '.account .link-button'), msg(fx, 'ru', 'app_disconnect'));
  // A choice made in the switcher beats the portal's.
  await page.selectOption('[data-testid=lang-switch]', 'ja');
  await inLanguage(page, 'ja');
  await page.reload();
  await inLanguage(page, 'ja');
});

test("languages: the hosting page's lang wins over the browser's", async (fx) => {
  const dist = fx.env.pool.dist;
  const index = readFileSync(join(dist, 'index.html'), 'utf8');
  assert.match(index, /<html lang="en" data-lang-default>/);
  writeFileSync(join(dist, 'host-fr.html'), index.replace('<html lang="en" data-lang-default>', '<html lang="fr">'));
  writeFileSync(
    join(dist, 'host-mount.html'),
    index.replace('<html lang="en" data-lang-default>', '<html lang="fr">')
      .replace('<div id="tfa-panel"></div>', '<h1>Host page</h1>\n    <div id="tfa-panel" lang="ja"></div>'),
  );
  const page = await fx.page({ locale: 'de-DE' });
  await loadAt(page, fx, '/host-fr.html');
  await inLanguage(page, 'fr');
  assert.equal(await text(page, '#connect-heading'), msg(fx, 'fr', 'connect_heading'));

  await loadAt(page, fx, '/host-mount.html');
  await inLanguage(page, 'ja');
  assert.equal(await text(page, '#tfa-panel #connect-heading'), msg(fx, 'ja', 'connect_heading'));

  await loadAt(page, fx, '/?lang=es');
  await inLanguage(page, 'es');
  assert.equal(await text(page, '#connect-heading'), msg(fx, 'es', 'connect_heading'));
});

test('languages: switching language mid-form keeps every typed value', async (fx) => {
  const sim = await fx.sim('seed');
  const page = await openOtherOriginForm(fx);
  await fillConnect(page, sim.url, KEYS.owner);
  await page.selectOption('[data-testid=lang-switch]', 'fr');
  await inLanguage(page, 'fr');
  assert.equal(await page.inputValue('#portal'), sim.url);
  assert.equal(await page.inputValue('#token'), KEYS.owner);
  assert.equal(await text(page, '#connect-heading'), msg(fx, 'fr', 'connect_heading'));

  await page.click('[data-testid=connect]');
  await policyReady(page);
  await page.check('[data-testid=method-app]');
  await addIp(page, '192.0.2.10');
  await addIp(page, '10.0.0.5-10.0.0.1');
  await pickBySearch(page, 'mandatory-users', 'marta', 'Marta Kowalski');
  await page.fill('#mandatory-groups', 'still typing');
  await page.fill('#ip-new', '198.51.100.');
  const before = await policyDraft(page);
  const typed = async () => ({
    draft: await policyDraft(page),
    group: await page.inputValue('#mandatory-groups'),
    ip: await page.inputValue('#ip-new'),
  });
  const expected = { draft: before, group: 'still typing', ip: '198.51.100.' };
  assert.deepEqual(await typed(), expected);
  for (const tag of ['ja', 'ar', 'de']) {
    await page.selectOption('[data-testid=lang-switch]', tag);
    await inLanguage(page, tag);
    assert.deepEqual(await typed(), expected, `after switching to ${tag}`);
    assert.equal(
      await page.locator('nav.tabs a[href="#policy"]').textContent(),
      msg(fx, tag, 'app_tab_policy'),
    );
  }
  assert.deepEqual(fx.pageErrors, []);
});

test('languages: Arabic is right to left and nothing overflows at 360 px', async (fx) => {
  const sim = await fx.sim('seed');
  const page = await fx.page({ width: 360, height: 780 });
  await loadAt(page, fx, '/?lang=ar');
  await inLanguage(page, 'ar');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.app')).direction), 'rtl');
  assert.equal(await sidewaysScroll(page, 360), null);
  await fillConnect(page, sim.url, KEYS.owner);
  await page.click('[data-testid=connect]');
  await policyReady(page);
  // Mirrored: the brand starts at the right edge.
  const brand = await page.locator('.brand').boundingBox();
  assert.ok(brand.x + brand.width > 300, `the brand ends at ${brand.x + brand.width} px, not at the right`);
  await page.check('[data-testid=method-app]');
  for (const ip of ['192.0.2.10', '1.2.3.4/33', '2001:db8::1']) await addIp(page, ip);
  await pickBySearch(page, 'mandatory-users', 'marta', 'Marta Kowalski');
  await page.locator('[data-testid=summary] li').first().waitFor();
  assert.equal(await sidewaysScroll(page, 360), null);
  assert.deepEqual(await layoutProblems(page), []);
});

/**
 * Text that is clipped by its box, or that overlaps other text. Only what is
 * on top counts: with a modal dialog open, the dialog's text.
 */
export function layoutProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    // A closed <details> keeps its content laid out but not painted.
    const skip = (e) => e.closest('select, option, script, style, noscript, .sr-only, .skip, [hidden]')
      || [...document.querySelectorAll('details:not([open])')].some((d) => d.contains(e) && !d.querySelector(':scope > summary')?.contains(e));
    const shown = (e) => {
      const s = getComputedStyle(e);
      const r = e.getBoundingClientRect();
      return s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0;
    };
    const dialog = document.querySelector('dialog[open]');
    const scope = dialog || document.body;
    const describe = (e) => `<${e.tagName.toLowerCase()}${e.className ? ` class="${e.className}"` : ''}>`;
    for (const e of scope.querySelectorAll('*')) {
      if (skip(e) || !shown(e)) continue;
      const s = getComputedStyle(e);
      const hides = (v) => v === 'hidden' || v === 'clip';
      const clippedX = hides(s.overflowX) && e.scrollWidth > e.clientWidth + 1;
      const clippedY = hides(s.overflowY) && e.scrollHeight > e.clientHeight + 1;
      const ellipsis = s.textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1;
      if ((clippedX || clippedY || ellipsis) && e.textContent.trim()) {
        problems.push(`clipped: ${describe(e)} "${e.textContent.trim().slice(0, 60)}"`);
      }
    }
    const boxes = [];
    const range = document.createRange();
    for (const e of scope.querySelectorAll('*')) {
      if (skip(e) || !shown(e)) continue;
      for (const n of e.childNodes) {
        if (n.nodeType !== Node.TEXT_NODE || !n.textContent.trim()) continue;
        range.selectNodeContents(n);
        for (const r of range.getClientRects()) {
          if (r.width > 0 && r.height > 0) boxes.push({ r, e, t: n.textContent.trim().slice(0, 40) });
        }
      }
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r;
        const b = boxes[j].r;
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) {
          problems.push(`overlap: "${boxes[i].t}" (${describe(boxes[i].e)}) and "${boxes[j].t}" (${describe(boxes[j].e)})`);
        }
      }
    }
    return problems.slice(0, 8);
  });
}

for (const width of [360, 1280]) {
  test(`languages: the pseudo-locale's 40 % longer text is neither clipped nor overlapping on any screen, ${width} px`, async (fx) => {
    const sim = await fx.sim('seed');
    const page = await fx.page({ width, height: width < 600 ? 780 : 900 });
    const problems = [];
    const check = async (view) => {
      await page.evaluate(() => document.activeElement?.blur?.());
      const wrong = await sidewaysScroll(page, width);
      if (wrong) problems.push(`${view}: ${wrong}`);
      for (const p of await layoutProblems(page)) problems.push(`${view}: ${p}`);
      await page.screenshot({ path: join(ensureDir(join(fx.env.artifacts, 'screens')), `pseudo-${view}-${width}.png`), fullPage: true });
    };
    await loadAt(page, fx, '/?lang=en-XA');
    await inLanguage(page, 'en-XA');
    assert.match(await text(page, '#connect-heading'), /^⟦.*⟧$/);
    await fillConnect(page, sim.url, 'sk-not-a-key');
    await page.click('[data-testid=connect]');
    await page.locator('section.connect [data-testid=error]').waitFor();
    await check('connect-error');
    await page.fill('#token', KEYS.owner);
    await page.click('[data-testid=connect]');
    await policyReady(page);
    await page.check('[data-testid=method-app]');
    for (const ip of ['192.0.2.10', '1.2.3.4/33', '10.0.0.5-10.0.0.1']) await addIp(page, ip);
    await page.locator('[data-testid=ip-row].invalid').first().waitFor();
    await check('policy-invalid');
    await page.evaluate(() => {
      for (const b of [...document.querySelectorAll('[data-testid=ip-row] button')]) b.click();
    });
    await page.waitForFunction(() => !document.querySelector('[data-testid=ip-row]'));
    await pickBySearch(page, 'mandatory-users', 'marta', 'Marta Kowalski');
    const searches = await markCount(page, 'tfa-panel:picker-results');
    await page.fill('#mandatory-users', '');
    await waitMark(page, 'tfa-panel:picker-results', searches);
    await page.locator('[data-testid=summary] li').first().waitFor();
    await check('summary');
    await page.click('[data-testid=policy-submit]');
    await page.locator('[data-testid=result]:not([aria-busy=true])').waitFor();
    await check('result');

    assert.equal((await sim.api('settings/tfaapp', { method: 'PUT', body: { type: 'App', id: IDS.owner } })).status, 200);
    await gotoTab(page, 'confirm');
    await page.click('[data-testid=confirm-fetch]');
    await page.locator('[data-testid=result]').waitFor();
    await check('confirm-link');

    await gotoTab(page, 'user');
    await pickBySearch(page, 'user-picker', 'priya', 'Priya Patel');
    const searched = await markCount(page, 'tfa-panel:picker-results');
    await page.fill('#user-picker', '');
    await waitMark(page, 'tfa-panel:picker-results', searched);
    await check('user-form');
    await page.check('[data-testid=user-method-none]');
    await page.click('[data-testid=user-submit]');
    await page.locator('[data-testid=confirm-dialog]').waitFor({ state: 'visible' });
    await check('user-dialog');
    assert.deepEqual(problems, [], `text is clipped or overlaps:\n${problems.join('\n')}`);
  });
}

test('languages: every language loads its catalogue and fills every placeholder on the policy page', async (fx) => {
  const sim = await fx.sim('seed');
  for (const tag of LANGS) {
    // The page's preset: the portal user's culture (en-US here) would win over the browser's.
    const page = await fx.page();
    await loadAt(page, fx, `/?lang=${tag}`);
    await inLanguage(page, tag);
    await fillConnect(page, sim.url, KEYS.owner);
    await page.click('[data-testid=connect]');
    await policyReady(page);
    assert.equal(await page.getAttribute('html', 'lang'), tag, `${tag}: the page's preset beats the portal user's culture`);
    await page.check('[data-testid=method-app]');
    await addIp(page, '192.0.2.10');
    await page.locator('[data-testid=summary] li').first().waitFor();
    const body = await page.evaluate(() => document.body.innerText);
    assert.doesNotMatch(body, /\{[a-z_]+\}/, `${tag}: a placeholder was left unfilled`);
    assert.equal(await page.getAttribute('html', 'dir'), tag === 'ar' ? 'rtl' : 'ltr');
    assert.equal(await page.locator('nav.tabs a[href="#policy"]').textContent(), msg(fx, tag, 'app_tab_policy'));
    if (fx.env.screenshotsTo && ['de', 'ja', 'ar'].includes(tag)) {
      await page.evaluate(() => document.activeElement?.blur?.());
      const file = join(ensureDir(fx.env.screenshotsTo), `policy-${tag}-light.png`);
      await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
      copyFileSync(file, join(ensureDir(join(fx.env.artifacts, 'screens')), `policy-${tag}-light.png`));
    }
  }
});
