// Part 4: security promises. Markup in names stays text and runs nothing;
// a returned link that is not a web address on the portal is never
// clickable; the token never shows up where it could leak; the CSP holds.

import assert from 'node:assert/strict';

import { test } from '../lib/harness.mjs';
import {
  IDS, KEYS, addPastedId, fillConnect, gotoTab, open, openOtherOriginForm, pickBySearch, policyReady,
  resultHeading,
} from '../lib/panel.mjs';

const XSS_NAME = '<img src=x onerror=alert(1)><script>alert(2)</script>';

/** Records alert/confirm/prompt and CSP violations from the first script on. */
async function arm(page) {
  await page.addInitScript(() => {
    window.__alerts = [];
    for (const name of ['alert', 'confirm', 'prompt', 'print']) {
      window[name] = (...args) => { window.__alerts.push([name, ...args.map(String)]); };
    }
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample });
    });
  });
}

/** Nothing ran and nothing was injected into the DOM. */
async function assertNothingRan(fx, page) {
  const state = await page.evaluate(() => ({
    alerts: window.__alerts,
    injectedImages: document.querySelectorAll('img[src="x"], img[onerror]').length,
    inlineHandlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).length,
    inlineScripts: [...document.scripts].filter((s) => !s.src).length,
  }));
  assert.deepEqual(state, { alerts: [], injectedImages: 0, inlineHandlers: 0, inlineScripts: 0 });
  assert.deepEqual(fx.dialogs, [], 'no dialog opened');
}

for (const bypassCSP of [false, true]) {
  const label = bypassCSP ? 'with the CSP switched off, so escaping alone must hold' : 'under the CSP';
  test(`security: a display name carrying markup and script is shown as text and runs nothing (${label})`, async (fx) => {
    const sim = await fx.sim('seed');
    // Signed in as the probe user: the header shows the name.
    const own = await fx.page({ bypassCSP });
    await arm(own);
    await own.goto(`${sim.url}/sim/signin?as=${IDS.xss}&next=/`);
    assert.equal(await own.locator('[data-testid=me-name]').textContent(), XSS_NAME);
    await assertNothingRan(fx, own);

    // As the owner: search results, chips, the summary, the user page and its dialog.
    const page = await fx.page({ bypassCSP });
    await arm(page);
    await page.goto(`${sim.url}/sim/signin?as=owner&next=/`);
    await policyReady(page);
    await page.check('[data-testid=method-app]');
    await pickBySearch(page, 'mandatory-users', 'onerror', XSS_NAME);
    await pickBySearch(page, 'mandatory-users', 'builder', 'Bob "The Builder" <Smith>');
    await pickBySearch(page, 'mandatory-groups', 'emea', 'Sales <EMEA>');
    const chips = await page.$$eval('[data-testid=chip] .chip-name', (els) => els.map((e) => e.textContent));
    assert.deepEqual(chips, [XSS_NAME, 'Bob "The Builder" <Smith>', 'Sales <EMEA>']);
    assert.ok((await page.textContent('[data-testid=summary]')).includes(`Mandatory user added: ${XSS_NAME}`));
    await gotoTab(page, 'user');
    await pickBySearch(page, 'user-picker', 'onerror', XSS_NAME);
    await page.check('[data-testid=user-method-none]');
    await page.click('[data-testid=user-submit]');
    const dialog = page.locator('[data-testid=confirm-dialog]');
    await dialog.waitFor({ state: 'visible' });
    assert.ok((await dialog.textContent()).includes(XSS_NAME));
    await page.click('[data-testid=dialog-confirm]');
    await resultHeading(page);
    assert.ok((await page.textContent('[data-testid=result]')).includes(XSS_NAME));
    await page.waitForTimeout(200);
    await assertNothingRan(fx, page);
  });
}

/** Every anchor on the page leads to the page's own origin (or a fragment). */
async function assertNoForeignAnchor(page) {
  const foreign = await page.evaluate(() => [...document.querySelectorAll('a[href]')]
    .map((a) => a.href)
    .filter((href) => { try { return new URL(href).origin !== location.origin; } catch { return true; } }));
  assert.deepEqual(foreign, [], 'no anchor leads off the portal');
}

test('security: a returned link that is javascript:, data: or on another origin is never clickable', async (fx) => {
  const sim = await fx.sim('seed');
  const port = new URL(sim.url).port;
  const links = [
    'javascript:alert(document.domain)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'javascript://%0aalert(1)',
    'vbscript:msgbox(1)',
    'data:text/html,<script>alert(1)</script>',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'https://evil.example/confirm/TfaActivation?type=TfaActivation&uid=x',
    '//evil.example/confirm/TfaActivation',
    `http://127.0.0.1:${port}@evil.example/confirm`,
    `http://127.0.0.1:${Number(port) === 1 ? 2 : 1}/confirm/TfaActivation`,
    `https://127.0.0.1:${port}/confirm/TfaActivation`,
    `http://localhost:${port}/confirm/TfaActivation`,
    'file:///etc/passwd',
  ];
  const page = await fx.page();
  await arm(page);
  let next = null;
  const shape = { value: 'string' };
  await page.route(`${sim.url}/api/2.0/settings/tfaapp/confirm`, (route) => route.fulfill({
    json: { response: shape.value === 'object' ? { url: next, cookieName: 'asc_confirm_key_TfaAuth', cookieValue: '1.x' } : next, count: 1, status: 0, statusCode: 200 },
  }));
  await page.goto(`${sim.url}/sim/signin?as=owner&next=/`);
  await page.locator('[data-testid=me-name]').waitFor();
  await gotoTab(page, 'confirm');
  const failures = [];
  for (const [i, link] of links.entries()) {
    next = link;
    shape.value = i % 2 ? 'object' : 'string'; // both the ≤3.6 and the 3.7 shapes
    await page.click('[data-testid=confirm-fetch]');
    await resultHeading(page);
    const shown = await page.inputValue('[data-testid=result-link]');
    const clickable = await page.locator('[data-testid=result-open]').count();
    const warned = await page.locator('[data-testid=link-warning]').count();
    if (shown !== link) failures.push(`${JSON.stringify(link)} is shown as ${JSON.stringify(shown)}`);
    if (clickable) failures.push(`${JSON.stringify(link)} is clickable`);
    if (!warned) failures.push(`${JSON.stringify(link)} has no warning`);
    await assertNoForeignAnchor(page);
    await page.click('[data-testid=result] button:has-text("Back")');
  }
  // The portal's own link stays clickable.
  next = `${sim.url}/confirm/TfaActivation?type=TfaActivation&uid=${IDS.owner}`;
  await page.click('[data-testid=confirm-fetch]');
  await resultHeading(page);
  assert.equal(await page.locator('[data-testid=result-open]').getAttribute('href'), next);
  assert.equal(await page.locator('[data-testid=result-open]').getAttribute('rel'), 'noopener noreferrer');
  assert.deepEqual(failures, [], failures.join('\n'));
  await assertNothingRan(fx, page);
});

test('security: links returned by the policy save and the user reset are held to the same rule', async (fx) => {
  const sim = await fx.sim('seed');
  const page = await fx.page();
  await arm(page);
  for (const path of ['settings/tfaappwithlink', 'settings/tfaappnewapp']) {
    await page.route(`${sim.url}/api/2.0/${path}`, (route) => route.fulfill({
      json: { response: 'javascript:alert(document.cookie)', count: 1, status: 0, statusCode: 200 },
    }));
  }
  await page.goto(`${sim.url}/sim/signin?as=owner&next=/`);
  await policyReady(page);
  await page.check('[data-testid=method-app]');
  await page.click('[data-testid=policy-submit]');
  await resultHeading(page);
  assert.equal(await page.locator('[data-testid=result-open]').count(), 0);
  assert.equal(await page.locator('[data-testid=link-warning]').count(), 1);
  await assertNoForeignAnchor(page);
  await gotoTab(page, 'user');
  await addPastedId(page, 'user-picker', IDS.priya);
  await page.check('[data-testid=user-method-app]');
  await page.click('[data-testid=user-submit]');
  await resultHeading(page);
  assert.equal(await page.locator('[data-testid=result-open]').count(), 0);
  assert.equal(await page.locator('[data-testid=link-warning]').count(), 1);
  await assertNoForeignAnchor(page);
  await assertNothingRan(fx, page);
});

/** Everything where a token could end up, as text. */
async function exposure(page, context) {
  const inPage = await page.evaluate(() => {
    const dump = (s) => Object.keys(s).map((k) => `${k}=${s.getItem(k)}`).join('\n');
    return {
      url: location.href,
      localStorage: dump(localStorage),
      sessionStorage: dump(sessionStorage),
      cookie: document.cookie,
      html: document.documentElement.outerHTML,
      inputs: [...document.querySelectorAll('input, textarea')].map((i) => i.value).join('\n'),
    };
  });
  const cookies = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('\n');
  return { ...inPage, cookies };
}

test('security: the token never appears in the URL, localStorage, cookies, the console or the page', async (fx) => {
  const sim = await fx.sim('seed');
  const token = await sim.sessionToken('owner');
  const page = await openOtherOriginForm(fx);
  const context = page.context();
  const urls = [];
  const authTo = [];
  page.on('request', (r) => {
    urls.push(r.url());
    const auth = r.headers().authorization;
    if (auth) authTo.push([new URL(r.url()).origin, auth]);
  });
  page.on('framenavigated', (f) => urls.push(f.url()));

  // A wrong token first: the error must not echo it.
  await fillConnect(page, sim.url, `${token}x`);
  await page.click('[data-testid=connect]');
  await page.locator('section.connect [data-testid=error]').waitFor();
  assert.ok(!(await page.textContent('section.connect [data-testid=error]')).includes(token));
  // The real one, without "Remember".
  await page.fill('#token', token);
  await page.click('[data-testid=connect]');
  await policyReady(page);
  await page.check('[data-testid=method-app]');
  await pickBySearch(page, 'mandatory-users', 'priya', 'Priya Patel');
  await gotoTab(page, 'confirm');
  await page.click('[data-testid=confirm-fetch]');
  await resultHeading(page);
  let seen = await exposure(page, context);
  for (const [where, text] of Object.entries(seen)) {
    assert.ok(!text.includes(token), `the token appears in ${where}`);
  }
  assert.deepEqual(fx.console.filter((m) => m.text.includes(token)), [], 'the token appears in the console');
  assert.deepEqual(urls.filter((u) => u.includes(token)), [], 'the token appears in a URL');
  assert.ok(authTo.length > 0);
  assert.ok(authTo.every(([origin]) => origin === sim.url), `the token went elsewhere: ${authTo.map(([o]) => o)}`);

  // With "Remember": only this tab's sessionStorage holds it, and Disconnect forgets it.
  await page.click('button:has-text("Disconnect")');
  await page.locator('#token').waitFor();
  assert.equal(await page.inputValue('#token'), '', 'Disconnect clears the token field');
  await page.fill('#token', KEYS.owner);
  await page.check('text=Remember it in this tab');
  await page.click('[data-testid=connect]');
  await page.locator('[data-testid=me-name]').waitFor();
  seen = await exposure(page, context);
  assert.ok(seen.sessionStorage.includes(KEYS.owner), 'remembered in sessionStorage, as promised');
  for (const where of ['url', 'localStorage', 'cookie', 'cookies', 'html', 'inputs']) {
    assert.ok(!seen[where].includes(KEYS.owner), `the API key appears in ${where}`);
  }
  await page.click('button:has-text("Disconnect")');
  await page.locator('#token').waitFor();
  assert.ok(!(await exposure(page, context)).sessionStorage.includes(KEYS.owner), 'Disconnect forgets it');
  assert.deepEqual(fx.console.filter((m) => m.text.includes(KEYS.owner) || m.text.includes(token)), []);
});

test('security: the same-origin session cookie stays HttpOnly and the panel sets no cookie of its own', async (fx) => {
  const sim = await fx.sim('seed');
  const page = await open(fx, sim, 'same', 'owner');
  await policyReady(page);
  await gotoTab(page, 'confirm');
  await page.click('[data-testid=confirm-fetch]');
  await resultHeading(page);
  const cookies = await page.context().cookies();
  assert.ok(cookies.every((c) => c.httpOnly), `cookies readable by scripts: ${cookies.filter((c) => !c.httpOnly).map((c) => c.name)}`);
  assert.ok(cookies.every((c) => c.name.startsWith('asc_')), `cookies not set by the portal: ${cookies.map((c) => c.name)}`);
  assert.equal(await page.evaluate(() => document.cookie), '');
  assert.equal(await page.evaluate(() => localStorage.length), 0);
});

test('security: index.html carries a CSP without unsafe-inline; the panel loads under it; an injected inline script is blocked', async (fx) => {
  const sim = await fx.sim('seed');
  const html = await (await fetch(`${sim.url}/`)).text();
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
  assert.ok(meta, 'index.html has a CSP meta tag');
  const policy = Object.fromEntries(meta[1].split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  const scripts = policy['script-src'] ?? policy['default-src'];
  assert.ok(scripts, 'the CSP governs scripts');
  for (const banned of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'http:', 'https:']) {
    assert.ok(!scripts.includes(banned), `script-src allows ${banned}`);
  }
  assert.deepEqual(policy['default-src'], ["'none'"]);
  assert.deepEqual(policy['base-uri'], ["'none'"]);
  const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter(([, attrs, body]) => !/\bsrc=/.test(attrs) || body.trim());
  assert.deepEqual(inline, [], 'index.html has no inline script');

  const page = await fx.page();
  await arm(page);
  await page.goto(`${sim.url}/sim/signin?as=owner&next=/`);
  await policyReady(page);
  assert.deepEqual(await page.evaluate(() => window.__violations), [], 'the panel loads without a CSP violation');

  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = "inline script ran"';
    document.body.appendChild(s);
    const div = document.createElement('div');
    div.innerHTML = '<img src="x" onerror="window.__injected2 = \'inline handler ran\'">';
    document.body.appendChild(div);
    const a = document.createElement('a');
    a.href = 'javascript:window.__injected3 = "javascript: URL ran"';
    document.body.appendChild(a);
    a.click();
  });
  await page.waitForFunction(() => window.__violations.length >= 3, null, { timeout: 5000 }).catch(() => {});
  const after = await page.evaluate(() => ({
    ran: [window.__injected, window.__injected2, window.__injected3].filter(Boolean),
    directives: [...new Set(window.__violations.map((v) => v.directive))].sort(),
  }));
  assert.deepEqual(after.ran, [], 'injected code ran');
  assert.ok(after.directives.includes('script-src-elem'), `violations seen: ${after.directives}`);
  assert.ok(after.directives.includes('script-src-attr'), `violations seen: ${after.directives}`);
  assert.ok(fx.console.some((m) => m.type === 'error' && /Content Security Policy/.test(m.text)),
    'Chromium reports the violation on the console');
});
