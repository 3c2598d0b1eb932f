// Driving the panel: connecting in both modes, filling the policy form,
// reading back what is typed, and waiting for the panel's own marks.

import assert from 'node:assert/strict';

/** Seed portal ids (the simulator's fixed seed data). */
export const IDS = {
  owner: '8f2c1a9e-0001-4a6e-9c1d-5e7f00000001',
  jane: '8f2c1a9e-0002-4a6e-9c1d-5e7f00000002',
  ravi: '8f2c1a9e-0003-4a6e-9c1d-5e7f00000003',
  sam: '8f2c1a9e-0004-4a6e-9c1d-5e7f00000004',
  priya: '8f2c1a9e-0005-4a6e-9c1d-5e7f00000005',
  zoe: '8f2c1a9e-0006-4a6e-9c1d-5e7f00000006',
  bob: '8f2c1a9e-0007-4a6e-9c1d-5e7f00000007',
  xss: '8f2c1a9e-0008-4a6e-9c1d-5e7f00000008',
  marta: '8f2c1a9e-0009-4a6e-9c1d-5e7f00000009',
  chen: '8f2c1a9e-000a-4a6e-9c1d-5e7f0000000a',
  gina: '8f2c1a9e-000b-4a6e-9c1d-5e7f0000000b',
  finance: '3d9b7c10-0001-4f2a-8b6e-2c4d00000001',
  rnd: '3d9b7c10-0002-4f2a-8b6e-2c4d00000002',
  sales: '3d9b7c10-0003-4f2a-8b6e-2c4d00000003',
};

export const KEYS = {
  owner: 'sk-demo-owner',
  admin: 'sk-demo-admin',
  roomadmin: 'sk-demo-roomadmin',
  user: 'sk-demo-user',
  guest: 'sk-demo-guest',
};

export const ROLE_LABELS = {
  owner: 'Portal owner',
  admin: 'DocSpace administrator',
  roomadmin: 'Room administrator',
  user: 'User',
  guest: 'Guest',
};

/** How many performance marks of this name the page has set so far. */
export function markCount(page, name) {
  return page.evaluate((n) => performance.getEntriesByName(n, 'mark').length, name);
}

/** Waits until the page has set the mark `name` more than `after` times. */
export async function waitMark(page, name, after = 0, timeout) {
  await page.waitForFunction(
    ([n, a]) => performance.getEntriesByName(n, 'mark').length > a,
    [name, after],
    timeout === undefined ? {} : { timeout },
  );
}

/**
 * Same-origin mode: the portal's sign-in hands the browser a session cookie,
 * then the panel (served by the portal) connects with it by itself.
 */
export async function openSameOrigin(fx, sim, as = 'owner', pageOptions = {}) {
  const page = await fx.page(pageOptions);
  // Generous, as in loadOtherOrigin: a cold load on a loaded machine.
  await page.goto(`${sim.url}/sim/signin?as=${encodeURIComponent(as)}&next=/`, { timeout: 60000 });
  await page.locator('[data-testid=me-name]').waitFor();
  return page;
}

/** Loads the panel from the second origin and waits for its own-origin probe to settle. */
export async function openOtherOriginForm(fx, pageOptions = {}) {
  const page = await fx.page(pageOptions);
  await loadOtherOrigin(page, fx.staticOrigin);
  return page;
}

/** Loads the panel from `origin` into `page`; resolves once the connect form is idle. */
export async function loadOtherOrigin(page, origin) {
  // Generous: on a loaded machine a cold page load (wasm compile included) can
  // take longer than the default while the timeout cells run in parallel.
  const probe = page.waitForResponse(
    (r) => r.url().startsWith(origin) && r.url().includes('/people/@self'),
    { timeout: 60000 },
  );
  // Should the load fail first, the test fails with its error; the probe's own
  // rejection (when the test's context closes) must not crash the whole run.
  probe.catch(() => {});
  await page.goto(`${origin}/`, { timeout: 60000 });
  await probe;
  await page.locator('[data-testid=connect]:not([disabled])').waitFor();
  await page.locator('#portal').waitFor();
}

/** Fills the connect form with the API's address and a key or token. */
export async function fillConnect(page, portal, token) {
  await page.fill('#portal', portal);
  await page.fill('#token', token);
}

/**
 * Another-origin mode: the panel is served by a static host and connects to
 * the portal's API with an API key (CORS `*`, no cookies).
 */
export async function openOtherOrigin(fx, sim, key = KEYS.owner, pageOptions = {}) {
  const page = await openOtherOriginForm(fx, pageOptions);
  await fillConnect(page, sim.url, key);
  await page.click('[data-testid=connect]');
  await page.locator('[data-testid=me-name]').waitFor();
  return page;
}

/** Opens the panel in `mode` ('same' or 'other') signed in as `role`. */
export async function open(fx, sim, mode, role = 'owner', pageOptions = {}) {
  return mode === 'same'
    ? openSameOrigin(fx, sim, role, pageOptions)
    : openOtherOrigin(fx, sim, KEYS[role], pageOptions);
}

/** Waits until the policy page has loaded the portal's settings. */
export async function policyReady(page) {
  await page.locator('[data-testid=policy-form]').waitFor();
  await waitMark(page, 'tfa-panel:form-ready');
}

const TAB_HEADINGS = { policy: '#policy-heading', confirm: '#confirm-heading', user: '#user-heading' };

/** Switches task tab and waits until that task's page (or its result) is shown. */
export async function gotoTab(page, slug) {
  await page.click(`nav.tabs a[href="#${slug}"]`);
  await page.locator(`nav.tabs a[href="#${slug}"][aria-current=page]`).waitFor();
  await page.locator(`main :is(${TAB_HEADINGS[slug]}, #result-heading)`).waitFor();
  // Let the page's own effects settle (one animation frame).
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
}

/** Types an entry into the "Add an entry" box and presses Enter. */
export async function addIp(page, text) {
  await page.fill('#ip-new', text);
  await page.press('#ip-new', 'Enter');
}

/** The trusted-IP row whose input holds `text` (a locator). */
export async function ipRow(page, text) {
  const values = await page.$$eval('[data-testid=ip-row] input', (els) => els.map((e) => e.value));
  const i = values.indexOf(text);
  if (i < 0) throw new Error(`no trusted-IP row holds ${text} (rows: ${values.join(', ')})`);
  return page.locator('[data-testid=ip-row]').nth(i);
}

/** Pastes an id into a picker and adds it with the "Add the pasted ID" button. */
export async function addPastedId(page, pickerId, id) {
  await page.fill(`#${pickerId}`, id);
  await page.click(`[data-testid=${pickerId}-add-ids]`);
}

/** Searches a picker and chooses the result whose text contains `name`. */
export async function pickBySearch(page, pickerId, query, name) {
  await page.fill(`#${pickerId}`, query);
  const item = page.locator(`[data-testid=${pickerId}] .results .result-item`, { hasText: name }).first();
  await item.click();
}

/** What is typed in the policy form right now. */
export function policyDraft(page) {
  return page.evaluate(() => {
    const chips = (id) =>
      [...document.querySelectorAll(`[data-testid=${id}] [data-testid=chip] .chip-name`)].map((e) => e.title);
    return {
      method: document.querySelector('input[name=tfa-method]:checked')?.value ?? null,
      ips: [...document.querySelectorAll('[data-testid=ip-row] input')].map((i) => i.value),
      users: chips('mandatory-users'),
      groups: chips('mandatory-groups'),
    };
  });
}

/** Fills the policy form with a small, valid draft and returns it. */
export async function typeSmallDraft(page, { ips = true } = {}) {
  await page.check('[data-testid=method-app]');
  if (ips) await addIp(page, '192.0.2.10');
  await addPastedId(page, 'mandatory-users', IDS.priya);
  await addPastedId(page, 'mandatory-groups', IDS.finance);
  const draft = await policyDraft(page);
  assert.deepEqual(draft, {
    method: 'App',
    ips: ips ? ['192.0.2.10'] : [],
    users: [IDS.priya],
    groups: [IDS.finance],
  });
  return draft;
}

/** The result view's heading, once it is shown. */
export async function resultHeading(page) {
  const h = page.locator('#result-heading');
  await h.waitFor();
  // The policy page refines the result once it has re-read the settings.
  await page.locator('[data-testid=result]:not([aria-busy=true])').waitFor();
  return (await h.textContent()).trim();
}

/** The result view's parts: heading, lead, note and all its text. */
export async function resultParts(page) {
  const heading = await resultHeading(page);
  const text = async (sel) => ((await page.locator(sel).count()) ? (await page.textContent(sel)).trim() : null);
  return {
    heading,
    lead: await text('[data-testid=result] [role=status]'),
    note: await text('[data-testid=result-note]'),
    all: (await page.textContent('[data-testid=result]')).replace(/\s+/g, ' '),
  };
}

/** Every PUT the simulator received on `path` (bodies parsed). */
export async function putsTo(sim, path) {
  const log = await sim.requests();
  return log
    .filter((r) => r.method === 'PUT' && r.path.toLowerCase() === path.toLowerCase())
    .map((r) => ({ ...r, json: safeJson(r.body) }));
}

function safeJson(text) {
  try { return JSON.parse(text); } catch { return null; }
}
