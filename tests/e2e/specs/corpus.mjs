// Part 3: the bad-input corpus (tests/e2e/corpus/, written by build.mjs).
// The panel must reject every bad entry before sending (send disabled, a
// message on the entry), accept every good one, and no bad entry may ever
// reach the simulator (its request log is checked). Many entries are driven
// per page load: rows are created in one paste, then filled in one go.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { test } from '../lib/harness.mjs';
import { open, policyReady, putsTo, resultHeading } from '../lib/panel.mjs';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'corpus');
const load = (name) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const IPS = load('trusted-ips.json');
const GUIDS = load('bad-guids.json');
const PASTED = load('pasted-1000.json');

export function corpusSummary() {
  const bad = (list) => list.filter((e) => !e.valid).length;
  return `Corpus: ${IPS.length} trusted-IP entries (${bad(IPS)} bad), ${GUIDS.length} ID inputs (${bad(GUIDS)} bad), `
    + `a pasted list of ${PASTED.rows.length} entries (${bad(PASTED.rows)} bad).`;
}

const show = (v) => JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…(${v.length})` : v);

/** Adds `n` placeholder rows with one paste. */
async function makeRows(page, n) {
  await page.click('details.paste > summary');
  const placeholders = Array.from({ length: n }, (_, i) => `10.250.${i >> 8}.${i & 255}`).join('\n');
  await page.fill('#ip-paste', placeholders);
  await page.click('details.paste button:has-text("Add all")');
  await page.waitForFunction((k) => document.querySelectorAll('[data-testid=ip-row]').length === k, n);
}

/** Types `values` into the rows, in order, as a person editing each entry would. */
async function fillRows(page, values) {
  await page.evaluate((vals) => {
    const inputs = [...document.querySelectorAll('[data-testid=ip-row] input')];
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    vals.forEach((v, i) => {
      setter.call(inputs[i], v);
      inputs[i].dispatchEvent(new Event('input', { bubbles: true }));
    });
  }, values);
}

/** Each row's verdict as shown: invalid flag and message. */
function rowVerdicts(page) {
  return page.evaluate(() => [...document.querySelectorAll('[data-testid=ip-row]')].map((row) => ({
    invalid: row.querySelector('input').getAttribute('aria-invalid') === 'true',
    message: row.querySelector('[data-testid=ip-message]').textContent.trim(),
  })));
}

function compare(expected, verdicts) {
  const wrong = [];
  expected.forEach((e, i) => {
    const v = verdicts[i];
    if (e.valid && v.invalid) wrong.push(`good ${show(e.value)} was rejected: ${v.message}`);
    if (!e.valid && !v.invalid) wrong.push(`bad ${show(e.value)} (${e.why ?? 'bad'}) was accepted`);
    if (!e.valid && v.invalid && !v.message) wrong.push(`bad ${show(e.value)} has no message`);
  });
  return wrong;
}

/** The send button is off, and even a forced submit sends nothing. */
async function cannotSend(page, sim) {
  assert.equal(await page.isDisabled('[data-testid=policy-submit]'), true, 'send is disabled');
  assert.match(await page.textContent('[data-testid=policy-blocker]'), /Fix the marked trusted IP entries/);
  await page.evaluate(() => document.querySelector('[data-testid=policy-form]').requestSubmit());
  await page.press('[data-testid=ip-row] input >> nth=0', 'Enter');
  await page.waitForTimeout(300);
  assert.equal((await putsTo(sim, '/api/2.0/settings/tfaappwithlink')).length, 0, 'nothing was sent');
}

test(`corpus: ${IPS.length} trusted-IP entries, good accepted, bad rejected before sending`, async (fx) => {
  const sim = await fx.sim('seed');
  const page = await open(fx, sim, 'same', 'owner');
  await policyReady(page);
  await page.check('[data-testid=method-app]');
  await makeRows(page, IPS.length);
  await fillRows(page, IPS.map((e) => e.value));
  const wrong = compare(IPS, await rowVerdicts(page));
  assert.deepEqual(wrong, [], `${wrong.length} entries judged wrongly:\n${wrong.slice(0, 20).join('\n')}`);
  const badCount = IPS.filter((e) => !e.valid).length;
  assert.equal(await page.textContent('[data-testid=ip-count]'), `${IPS.length} entries, ${badCount} to fix before sending.`);
  await cannotSend(page, sim);

  // Remove every marked entry with its own Remove button; the rest is sendable.
  await page.evaluate(() => {
    for (const b of [...document.querySelectorAll('[data-testid=ip-row].invalid button')]) b.click();
  });
  const goods = IPS.filter((e) => e.valid);
  await page.waitForFunction((k) => document.querySelectorAll('[data-testid=ip-row]').length === k, goods.length);
  assert.equal(await page.textContent('[data-testid=ip-count]'), `${goods.length} entries.`);
  await page.click('[data-testid=policy-submit]');
  assert.equal(await resultHeading(page), 'Check your email');

  const puts = await putsTo(sim, '/api/2.0/settings/tfaappwithlink');
  assert.equal(puts.length, 1);
  assert.deepEqual(puts[0].json.trustedIps, goods.map((e) => e.canonical), 'the good entries, in canonical form');
  assertNoBadIpSent(await sim.requests(), goods);
});

test(`corpus: ${GUIDS.length} ID inputs, bad ones are never offered or sent`, async (fx) => {
  const sim = await fx.sim('seed');
  const page = await open(fx, sim, 'same', 'owner');
  await policyReady(page);
  await page.check('[data-testid=method-app]');
  const wrong = [];
  for (const e of GUIDS) {
    await page.fill('#mandatory-users', e.value);
    const add = page.locator('[data-testid=mandatory-users-add-ids]');
    const offered = await add.count();
    if (!e.valid && offered) wrong.push(`bad ${show(e.value)} (${e.why}) is offered: ${await add.textContent()}`);
    if (e.valid) {
      if (!offered) wrong.push(`good ${show(e.value)} is not offered`);
      else if (!(await add.textContent()).includes(e.id)) wrong.push(`good ${show(e.value)} offers ${await add.textContent()}`);
      else await add.click();
    }
  }
  await page.fill('#mandatory-users', '');
  const chips = await page.$$eval('[data-testid=mandatory-users] [data-testid=chip] .chip-name', (els) => els.map((e) => e.title));
  const ids = [...new Set(GUIDS.filter((e) => e.valid).map((e) => e.id))];
  assert.deepEqual(chips, ids, 'the good inputs became one chip each per distinct ID');
  await page.click('[data-testid=policy-submit]');
  assert.equal(await resultHeading(page), 'Check your email');
  const puts = await putsTo(sim, '/api/2.0/settings/tfaappwithlink');
  const sentIds = puts.flatMap((p) => [...(p.json.mandatoryUsers ?? []), ...(p.json.mandatoryGroups ?? [])]);
  for (const e of GUIDS.filter((x) => !x.valid)) {
    if (sentIds.some((id) => e.value.trim() && id === e.value.trim().toLowerCase())) wrong.push(`bad ${show(e.value)} was sent`);
  }
  assert.deepEqual(sentIds, ids, 'only the good IDs were sent');
  assert.deepEqual(wrong, [], `${wrong.length} ID inputs handled wrongly:\n${wrong.join('\n')}`);
});

test(`corpus: a pasted list of ${PASTED.rows.length} entries`, async (fx) => {
  const sim = await fx.sim('seed');
  const page = await open(fx, sim, 'same', 'owner');
  await policyReady(page);
  await page.check('[data-testid=method-app]');
  await page.click('details.paste > summary');
  await page.fill('#ip-paste', PASTED.text);
  await page.click('details.paste button:has-text("Add all")');
  await page.waitForFunction((k) => document.querySelectorAll('[data-testid=ip-row]').length === k, PASTED.rows.length);
  const values = await page.$$eval('[data-testid=ip-row] input', (els) => els.map((e) => e.value));
  assert.deepEqual(values, PASTED.rows.map((r) => r.value), 'the paste was split into the listed entries, in order');
  const wrong = compare(PASTED.rows, await rowVerdicts(page));
  assert.deepEqual(wrong, [], `${wrong.length} entries judged wrongly:\n${wrong.slice(0, 20).join('\n')}`);
  const badCount = PASTED.rows.filter((r) => !r.valid).length;
  // Counts are formatted by the browser's Intl for the language: "1,000" in English.
  const n = (x) => x.toLocaleString('en-US');
  assert.equal(await page.textContent('[data-testid=ip-count]'),
    `${n(PASTED.rows.length)} entries, ${n(badCount)} to fix before sending.`);
  await cannotSend(page, sim);
  assertNoBadIpSent(await sim.requests(), []);
}, { timeout: 60_000 });

/** No request body ever carried a trusted IP other than the good ones. */
function assertNoBadIpSent(requests, goods) {
  const allowed = new Set(goods.map((e) => e.canonical));
  for (const r of requests) {
    if (!r.body) continue;
    let json;
    try { json = JSON.parse(r.body); } catch { continue; }
    for (const ip of json?.trustedIps ?? []) {
      assert.ok(allowed.has(ip), `${r.method} ${r.path} carried the entry ${show(ip)}`);
    }
  }
}
