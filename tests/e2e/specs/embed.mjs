// Embedding: the stable entry (`tfa-panel.js` + `<docspace-tfa-panel>`) on a
// hostile host page from another origin, under the host's strict CSP, in
// token mode; the panel's own page in a cross-origin iframe; the element's
// attributes after mount; dark mode from the host's color-scheme.
//
// Host pages are written next to the served build (the suite serves a private
// copy), so the simulator serves them from its own origin while the panel
// comes from the static origin.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ensureDir, test } from '../lib/harness.mjs';
import { KEYS, addIp, putsTo, waitMark } from '../lib/panel.mjs';

/** The host's own stylesheet: resets and rules that would restyle anything they reach. */
// Heights above the element are whole pixels: at a fractional position the
// renderer rounds text differently, which is the page's doing, not the panel's.
const HOSTILE_CSS = `
* { all: revert; }
:root { --bg: #000; --accent: lime; --text: #f0f; --tfa-u: 40px; --tfa-accent: red; font-size: 22px; }
html { font-size: 22px; }
body { font: 19px/2 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #603; background: #ffe; margin: 0 24px; letter-spacing: 0.1em; text-transform: uppercase; }
h1 { font-size: 40px; line-height: 48px; margin: 20px 0; color: red; border-bottom: 6px dashed blue; }
h2, legend, label { color: orange; font-style: italic; }
button { background: hotpink !important; border-radius: 0; padding: 20px; font-size: 30px; }
input { border: 5px solid green; font-size: 30px; }
p { margin: 40px 0; }
docspace-tfa-panel { width: 900px; margin: 0 auto; }
`;

/** Collects CSP violations (an inline listener would itself be one). */
const WATCH_JS = `
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || ''));
});
`;

/** The strict policy a host page needs for the panel (the README's, Deploying). */
function hostCsp(panelOrigin, portal, extra = '') {
  return [
    "default-src 'none'",
    `script-src 'self' ${panelOrigin} 'wasm-unsafe-eval'`,
    `style-src 'self' ${panelOrigin}`,
    `connect-src ${panelOrigin} ${portal}`,
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    extra,
  ].filter(Boolean).join('; ');
}

function hostPage({ csp, body, script = '' }) {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta http-equiv="Content-Security-Policy" content="${csp}" />
    <title>Host page</title>
    <script src="./watch.js"></script>
    <link rel="stylesheet" href="./host.css" />
    ${script}
  </head>
  <body>
${body}
  </body>
</html>
`;
}

/** Writes the host files into the served build; returns their path. */
function writeHost(fx, name, html) {
  const dir = join(fx.env.pool.dist, 'host');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'host.css'), HOSTILE_CSS);
  writeFileSync(join(dir, 'dark.css'), ':root { color-scheme: dark; }\n');
  writeFileSync(join(dir, 'watch.js'), WATCH_JS);
  writeFileSync(join(dir, 'load-panel.js'), `
const entry = new URLSearchParams(location.search).get('entry');
if (entry) {
  const s = document.createElement('script');
  s.type = 'module';
  s.src = entry;
  document.head.append(s);
}
`);
  writeFileSync(join(dir, name), html);
  return `/host/${name}`;
}

const HOST_ELEMENTS = ['html', 'body', 'h1', '#above', '#below', '#host-button', '#host-input'];

/** Every computed property of the host's own elements. */
function hostStyles(page) {
  return page.evaluate((selectors) => Object.fromEntries(selectors.map((s) => {
    const cs = getComputedStyle(document.querySelector(s));
    return [s, Object.fromEntries([...cs].map((p) => [p, cs.getPropertyValue(p)]))];
  })), HOST_ELEMENTS);
}

/** Sizes follow the content: the page grows by the panel's height. */
const LAYOUT = new Set(['height', 'block-size', 'width', 'inline-size', 'perspective-origin', 'transform-origin']);

function diffStyles(before, after) {
  const out = [];
  for (const [sel, props] of Object.entries(before)) {
    for (const [p, v] of Object.entries(props)) {
      if (LAYOUT.has(p)) continue;
      if (after[sel][p] !== v) out.push(`${sel} ${p}: ${v} → ${after[sel][p]}`);
    }
  }
  return out;
}

/**
 * Share of pixels that differ (any channel by more than 40) between two PNGs,
 * outside `masks` ({x, y, w, h} in each image's own coordinates), at the best
 * of the vertical offsets -1, 0, +1 (the host's layout may put the element at
 * a fractional position, which the renderer rounds one way or the other).
 */
async function pixelDiff(page, a, b, masks) {
  return page.evaluate(async ([x, y, m]) => {
    const load = async (b64) => createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
    const [ia, ib] = [await load(x), await load(y)];
    if (ia.width !== ib.width || Math.abs(ia.height - ib.height) > 1) {
      return { sizes: `${ia.width}×${ia.height} vs ${ib.width}×${ib.height}`, share: 1 };
    }
    const data = (img) => {
      const c = new OffscreenCanvas(img.width, img.height);
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      return g.getImageData(0, 0, img.width, img.height).data;
    };
    const [da, db] = [data(ia), data(ib)];
    const w = ia.width;
    const h = Math.min(ia.height, ib.height) - 1;
    const masked = (mask, px, py) => mask && px >= mask.x && px < mask.x + mask.w && py >= mask.y && py < mask.y + mask.h;
    let best = 1;
    for (const dy of [-1, 0, 1]) {
      let differ = 0;
      let counted = 0;
      for (let py = 1; py < h; py++) {
        const qy = py + dy;
        if (qy < 0 || qy >= ib.height) continue;
        for (let px = 0; px < w; px++) {
          if (masked(m[0], px, py) || masked(m[1], px, qy)) continue;
          counted++;
          const i = (py * w + px) * 4;
          const j = (qy * w + px) * 4;
          if (Math.abs(da[i] - db[j]) > 40 || Math.abs(da[i + 1] - db[j + 1]) > 40 || Math.abs(da[i + 2] - db[j + 2]) > 40) differ++;
        }
      }
      best = Math.min(best, differ / counted);
    }
    return { share: best, sizes: `${ia.width}×${ia.height}` };
  }, [a.toString('base64'), b.toString('base64'), masks]);
}

const TOLERANCE = 0.005; // 0.5 % of the pixels: anti-aliasing at the edges of text

test('embed: on a hostile host page from another origin, under its strict CSP, the panel completes the policy task and neither side restyles the other', async (fx) => {
  const sim = await fx.sim('seed');
  // Three origins: the host page's, the panel's (static), the portal's.
  const host = await fx.sim('seed');
  const panelOrigin = fx.staticOrigin;
  const entry = `${panelOrigin}/tfa-panel.js`;
  const path = writeHost(fx, 'embed.html', hostPage({
    csp: hostCsp(panelOrigin, sim.url),
    script: '<script src="./load-panel.js"></script>',
    body: `    <h1>Host page</h1>
    <p id="above">Content above the panel.</p>
    <docspace-tfa-panel portal="${sim.url}"></docspace-tfa-panel>
    <p id="below">Content below the panel.</p>
    <button id="host-button" type="button">Host button</button>
    <input id="host-input" value="host input" />`,
  }));

  // The host page first without the panel, then with it.
  const page = await fx.page({ width: 1000, height: 900 });
  await page.goto(`${host.url}${path}`);
  const before = await hostStyles(page);
  await page.goto(`${host.url}${path}?entry=${encodeURIComponent(entry)}`);
  await page.locator('docspace-tfa-panel [data-testid=connect]:not([disabled])').waitFor({ timeout: 60000 });
  const after = await hostStyles(page);
  assert.deepEqual(diffStyles(before, after), [], "the panel changed the host's own elements");

  // Inside: the panel's styles, not the host's.
  const inside = await page.evaluate(() => {
    const root = document.querySelector('docspace-tfa-panel').shadowRoot;
    const cs = (sel) => getComputedStyle(root.querySelector(sel));
    return {
      h1: cs('h1').fontSize,
      h1Color: cs('h1').color,
      button: cs('button[type=submit]').backgroundColor,
      input: cs('#portal').borderTopWidth,
      label: cs('label').fontStyle,
      transform: cs('.lead').textTransform,
      rootFont: cs('.tfa-root').fontSize,
      family: cs('.tfa-root').fontFamily,
      hostFamily: getComputedStyle(document.body).fontFamily,
      text: root.querySelector('#portal').value,
    };
  });
  assert.equal(inside.rootFont, '16px', 'the host font size does not reach the panel');
  assert.notEqual(inside.button, 'rgb(255, 105, 180)', "the host's button rule does not reach the panel");
  assert.notEqual(inside.input, '5px', "the host's input rule does not reach the panel");
  assert.equal(inside.label, 'normal');
  assert.equal(inside.transform, 'none');
  assert.notEqual(inside.h1Color, 'rgb(255, 0, 0)');
  assert.equal(inside.family, inside.hostFamily, 'the font family is inherited, deliberately');
  assert.equal(inside.text, sim.url, 'the portal attribute presets the portal');

  // The policy task, in token mode.
  await page.fill('#token', KEYS.owner);
  await page.click('[data-testid=connect]');
  await page.locator('[data-testid=policy-form]').waitFor();
  await waitMark(page, 'tfa-panel:form-ready');
  await page.check('[data-testid=method-app]');
  await addIp(page, '192.0.2.10');
  await page.locator('[data-testid=summary] li').first().waitFor();
  await page.click('[data-testid=policy-submit]');
  await page.locator('[data-testid=result]:not([aria-busy=true])').waitFor();
  const puts = await putsTo(sim, '/api/2.0/settings/tfaappwithlink');
  assert.equal(puts.length, 1);
  assert.deepEqual(puts[0].json.trustedIps, ['192.0.2.10']);
  // Focus management inside the shadow root: the result takes focus.
  const focused = () => page.evaluate(() => document.querySelector('docspace-tfa-panel').shadowRoot.activeElement?.id ?? null);
  await page.waitForFunction(() => document.querySelector('docspace-tfa-panel').shadowRoot.activeElement?.id === 'result-heading');
  // A modal dialog inside the shadow root: opens on top, Escape closes it, focus stays in the panel.
  await page.click('[data-testid=result-back]');
  await page.click('nav.tabs a[href="#user"]');
  await page.fill('#user-picker', 'priya');
  await page.locator('[data-testid=user-picker] .results .result-item', { hasText: 'Priya Patel' }).first().click();
  await page.check('[data-testid=user-method-none]');
  await page.click('[data-testid=user-submit]');
  await page.locator('[data-testid=confirm-dialog]').waitFor({ state: 'visible' });
  assert.equal(await page.evaluate(() => document.querySelector('docspace-tfa-panel').shadowRoot.querySelector('dialog').matches(':modal')), true);
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=confirm-dialog]').waitFor({ state: 'hidden' });
  assert.notEqual(await focused(), null, 'focus stays inside the panel after the dialog');
  // The second module ("Who is protected"), fetched from the panel's origin under the host's CSP,
  // renders inside the shadow root.
  await page.click('nav.tabs a[href="#protected"]');
  await page.locator('docspace-tfa-panel #overview-heading').waitFor();
  await page.locator('docspace-tfa-panel [data-testid=overview-counts]').waitFor();
  // The host's title and <html lang> are the host's.
  assert.equal(await page.title(), 'Host page');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.deepEqual(await page.evaluate(() => window.__violations), [], 'the host CSP reported violations');
  assert.deepEqual(diffStyles(before, await hostStyles(page)), [], "the host's elements after the task");
});

test('embed: the panel inside the host looks like the stand-alone panel (pixel diff)', async (fx) => {
  const sim = await fx.sim('seed');
  const host = await fx.sim('seed');
  const panelOrigin = fx.staticOrigin;
  const path = writeHost(fx, 'embed-pixels.html', hostPage({
    csp: hostCsp(panelOrigin, sim.url),
    script: `<script type="module" src="${panelOrigin}/tfa-panel.js"></script>`,
    body: `    <h1>Host page</h1>
    <p id="above">Content above the panel.</p>
    <docspace-tfa-panel portal="${sim.url}"></docspace-tfa-panel>
    <p id="below">Content below the panel.</p>`,
  }));
  const shots = ensureDir(join(fx.env.artifacts, 'screens'));
  // The one line that must differ: "this page is served by the portal <its origin>".
  const originLine = async (page) => {
    const app = await page.locator('.app').boundingBox();
    const line = await page.locator('label:has([data-testid=use-session])').boundingBox();
    return { x: Math.floor(line.x - app.x), y: Math.floor(line.y - app.y) - 2, w: Math.ceil(line.width) + 2, h: Math.ceil(line.height) + 4 };
  };
  const take = async (page, file) => {
    await page.evaluate(() => document.activeElement?.blur?.());
    const app = page.locator('.app');
    return app.screenshot({ path: join(shots, file), animations: 'disabled', caret: 'hide' });
  };
  // Stand-alone at the element's width, with the same portal typed.
  const alone = await fx.page({ width: 900, height: 900 });
  await alone.goto(`${panelOrigin}/?portal=${encodeURIComponent(sim.url)}`);
  await alone.locator('[data-testid=connect]:not([disabled])').waitFor({ timeout: 60000 });
  const a = await take(alone, 'embed-standalone-connect.png');
  const maskA = await originLine(alone);

  const hosted = await fx.page({ width: 1000, height: 900 });
  await hosted.goto(`${host.url}${path}`);
  await hosted.locator('docspace-tfa-panel [data-testid=connect]:not([disabled])').waitFor({ timeout: 60000 });
  const b = await take(hosted, 'embed-hosted-connect.png');
  const maskB = await originLine(hosted);
  // Compared on a blank page: the host's CSP (rightly) refuses data: URLs.
  const blank = await fx.page();
  await blank.goto('about:blank');
  const diff = await pixelDiff(blank, a, b, [maskA, maskB]);
  assert.ok(diff.share <= TOLERANCE, `${(diff.share * 100).toFixed(2)} % of the pixels differ (${diff.sizes}); tolerance ${TOLERANCE * 100} %`);
  fx.note(`connect form, embedded vs stand-alone: ${(diff.share * 100).toFixed(3)} % of ${diff.sizes} px differ`);
  assert.deepEqual(await hosted.evaluate(() => window.__violations), []);
});

test("embed: the element's lang and portal attributes work after mount; the host's color-scheme is followed", async (fx) => {
  const sim = await fx.sim('seed');
  const host = await fx.sim('seed');
  const panelOrigin = fx.staticOrigin;
  const path = writeHost(fx, 'embed-dark.html', hostPage({
    csp: hostCsp(panelOrigin, sim.url),
    script: `<link rel="stylesheet" href="./dark.css" />
    <script type="module" src="${panelOrigin}/tfa-panel.js"></script>`,
    body: `    <h1>Host page</h1>
    <p id="above">Above.</p>
    <docspace-tfa-panel portal="https://portal-one.example.com" lang="fr"></docspace-tfa-panel>`,
  }));
  const page = await fx.page({ width: 1000, height: 900, colorScheme: 'light' });
  await page.goto(`${host.url}${path}`);
  await page.locator('docspace-tfa-panel [data-testid=connect]:not([disabled])').waitFor({ timeout: 60000 });
  const state = () => page.evaluate(() => {
    const root = document.querySelector('docspace-tfa-panel').shadowRoot;
    const panel = root.querySelector('.tfa-root');
    return {
      lang: panel.getAttribute('lang'),
      dir: panel.getAttribute('dir'),
      portal: root.querySelector('#portal')?.value,
      background: getComputedStyle(panel).backgroundColor,
      htmlLang: document.documentElement.lang,
      htmlDir: document.documentElement.getAttribute('dir'),
    };
  });
  let s = await state();
  assert.equal(s.lang, 'fr');
  assert.equal(s.portal, 'https://portal-one.example.com');
  assert.equal(s.background, 'rgb(18, 21, 28)', "dark, as the host's color-scheme says (the browser prefers light)");
  await page.evaluate(() => document.querySelector('docspace-tfa-panel').setAttribute('lang', 'ar'));
  await page.waitForFunction(() => document.querySelector('docspace-tfa-panel').shadowRoot.querySelector('.tfa-root').getAttribute('lang') === 'ar');
  await page.evaluate((u) => document.querySelector('docspace-tfa-panel').setAttribute('portal', u), sim.url);
  await page.waitForFunction((u) => document.querySelector('docspace-tfa-panel').shadowRoot.querySelector('#portal').value === u, sim.url);
  s = await state();
  assert.equal(s.dir, 'rtl');
  assert.equal(s.htmlLang, 'en', "the host's <html lang> stays the host's");
  assert.equal(s.htmlDir, null);
  // Without a color-scheme of its own, the host gets the user's preference.
  const plain = writeHost(fx, 'embed-plain.html', hostPage({
    csp: hostCsp(panelOrigin, sim.url),
    script: `<script type="module" src="${panelOrigin}/tfa-panel.js"></script>`,
    body: '    <docspace-tfa-panel></docspace-tfa-panel>',
  }));
  for (const [scheme, bg] of [['dark', 'rgb(18, 21, 28)'], ['light', 'rgb(244, 246, 249)']]) {
    const p = await fx.page({ colorScheme: scheme });
    await p.goto(`${host.url}${plain}`);
    await p.locator('docspace-tfa-panel [data-testid=connect]:not([disabled])').waitFor({ timeout: 60000 });
    const got = await p.evaluate(() => getComputedStyle(document.querySelector('docspace-tfa-panel').shadowRoot.querySelector('.tfa-root')).backgroundColor);
    assert.equal(got, bg, `the user prefers ${scheme}`);
  }
  // Keyboard: the skip link moves focus into the panel's main area.
  await page.locator('docspace-tfa-panel a.skip').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('docspace-tfa-panel').shadowRoot.activeElement?.id === 'main');
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
});

test('embed: the panel\'s own page in a cross-origin iframe, token mode, completes the policy task', async (fx) => {
  const sim = await fx.sim('seed');
  const panelOrigin = fx.staticOrigin;
  const path = writeHost(fx, 'frame.html', hostPage({
    csp: `default-src 'none'; script-src 'self'; style-src 'self'; frame-src ${panelOrigin}`,
    body: `    <h1>Host page</h1>
    <p id="above">Above.</p>
    <iframe title="Two-factor authentication" src="${panelOrigin}/?portal=${encodeURIComponent(sim.url)}" width="960" height="860"></iframe>
    <p id="below">Below.</p>`,
  }));
  const page = await fx.page({ width: 1100, height: 1000 });
  await page.goto(`${sim.url}${path}`);
  const frame = page.frameLocator('iframe');
  await frame.locator('[data-testid=connect]:not([disabled])').waitFor({ timeout: 60000 });
  assert.equal(await frame.locator('#portal').inputValue(), sim.url);
  await frame.locator('#token').fill(KEYS.owner);
  await frame.locator('[data-testid=connect]').click();
  await frame.locator('[data-testid=policy-form]').waitFor();
  await frame.locator('[data-testid=method-app]').check();
  await frame.locator('#ip-new').fill('192.0.2.20');
  await frame.locator('#ip-new').press('Enter');
  await frame.locator('[data-testid=summary] li').first().waitFor();
  await frame.locator('[data-testid=policy-submit]').click();
  await frame.locator('[data-testid=result]:not([aria-busy=true])').waitFor();
  const puts = await putsTo(sim, '/api/2.0/settings/tfaappwithlink');
  assert.equal(puts.length, 1);
  assert.deepEqual(puts[0].json.trustedIps, ['192.0.2.20']);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
});
