// The bulk reset (owner only): select, review, confirm by typing the count,
// per-person results with reasons, "retry failed", cancel mid-run, a
// session that ends mid-run, and, checked in the simulator's request log,
// nobody reset twice.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { docShot, test } from '../lib/harness.mjs';
import { IDS, KEYS, openOtherOrigin } from '../lib/panel.mjs';

const RESET = '/api/2.0/settings/tfaappnewapp';

/** Everyone with an app linked, as the owner sees them, but the owner. */
async function linkedPeople(sim) {
  const people = [];
  for (let start = 0; ; start += 100) {
    const res = await sim.api(`people/filter?startIndex=${start}&count=100`);
    people.push(...res.body.response);
    if (res.body.response.length < 100) break;
  }
  return people.filter((p) => p.tfaAppEnabled === true && p.id !== IDS.owner);
}

/** The reset calls in the request log, per person id: the statuses in order. */
async function resetsPerPerson(sim) {
  const per = new Map();
  for (const r of await sim.requests()) {
    if (r.method !== 'PUT' || r.path !== RESET) continue;
    const id = JSON.parse(r.body).id.toLowerCase();
    per.set(id, [...(per.get(id) ?? []), r.status]);
  }
  return per;
}

async function appTfaOn(sim) {
  assert.equal((await sim.api('settings/tfaapp', { method: 'PUT', body: { type: 'App', id: IDS.owner } })).status, 200);
}

/** Opens the overview as the owner, selects everyone linked, opens the review. */
async function reviewAllLinked(fx, sim, expected) {
  const page = await openOtherOrigin(fx, sim, KEYS.owner);
  await page.click('nav.tabs a[href="#protected"]');
  await page.waitForFunction(() => performance.getEntriesByName('tfa-panel:overview-read', 'mark').length > 0, null, { timeout: 60_000 });
  await page.selectOption('[data-testid=overview-state]', 'linked');
  await page.locator('[data-testid=bulk-select-all]', { hasText: `${expected.toLocaleString('en-US')} matching` }).waitFor();
  await page.click('[data-testid=bulk-select-all]');
  await page.locator('[data-testid=bulk-selected]', { hasText: `${expected.toLocaleString('en-US')} people selected` }).waitFor();
  await page.click('[data-testid=bulk-review]');
  await page.locator('#bulk-review-heading').waitFor();
  return page;
}

async function waitUntil(f, what, ms = 10_000) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    if (f()) return;
  }
  assert.fail(`timed out waiting for ${what}`);
}

const idle = (page, n = 1) => page.waitForFunction(
  (k) => performance.getEntriesByName('tfa-panel:bulk-idle', 'mark').length >= k, n, { timeout: 90_000 },
);

test('bulk reset: 200 people with three injected failures end 197 done and 3 failed with reasons; Retry failed finishes them, each person reset exactly once', async (fx) => {
  // 588 generated people (every third linked: 196) and four of the demo people.
  const sim = await fx.sim('docspace-3.7+users=588');
  await appTfaOn(sim);
  const linked = await linkedPeople(sim);
  assert.equal(linked.length, 200);
  // A 500 on the 37th reset, and two people whose reset fails once.
  await sim.fault({ method: 'PUT', path: RESET, skip: 36, kind: 500 });
  await sim.fault({ method: 'PUT', path: RESET, user: linked[120].id, kind: { status: 500, message: 'Database timeout' } });
  await sim.fault({ method: 'PUT', path: RESET, user: linked[180].id, kind: 503 });

  const page = await reviewAllLinked(fx, sim, 200);
  // The review says what happens, and only the typed count starts it.
  const review = await page.textContent('[data-testid=bulk-review-step]');
  assert.match(review, /The authenticator apps of 200 people will be reset\./);
  assert.match(review, /signs them out of every session/);
  assert.match(review, /e-mails them/);
  assert.match(review, /and 190 more/);
  assert.ok(await page.locator('[data-testid=bulk-start]').isDisabled());
  await page.fill('[data-testid=bulk-typed]', '199');
  assert.match(await page.textContent('[data-testid=bulk-typed-error]'), /Type the number of people to reset: 200\./);
  assert.ok(await page.locator('[data-testid=bulk-start]').isDisabled());
  assert.equal((await resetsPerPerson(sim)).size, 0, 'nothing is sent before the confirmation');
  await page.fill('[data-testid=bulk-typed]', '200');
  await page.click('[data-testid=bulk-start]');

  await idle(page);
  assert.match(await page.textContent('[data-testid=bulk-progress]'), /^200 of 200 people answered\./);
  const tally = await page.textContent('[data-testid=bulk-tally]');
  assert.match(tally, /197 reset/);
  assert.match(tally, /3 failed/);
  assert.match(await page.textContent('[data-testid=bulk-state]'), /Finished, but 3 resets failed/);
  assert.equal((await page.textContent('[data-testid=bulk-next]')).trim(), 'Next');
  await page.check('[data-testid=bulk-failed-only]');
  const failed = page.locator('[data-testid=bulk-row][data-status=failed]');
  assert.equal(await failed.count(), 3);
  const reasons = await failed.allTextContents();
  assert.ok(reasons.some((r) => /internal error \(500\).*Database timeout/.test(r)), reasons.join('\n'));
  assert.ok(reasons.some((r) => /503/.test(r)), reasons.join('\n'));
  assert.ok(reasons.some((r) => r.includes(linked[120].displayName)), 'the failed person is named');

  // Nobody who succeeded is sent again; the three failed are sent once more.
  await page.click('[data-testid=bulk-retry]');
  await idle(page, 2);
  assert.match(await page.textContent('[data-testid=bulk-tally]'), /200 reset/);
  assert.doesNotMatch(await page.textContent('[data-testid=bulk-tally]'), /failed/);
  const per = await resetsPerPerson(sim);
  assert.equal(per.size, 200);
  let twice = 0;
  for (const p of linked) {
    const statuses = per.get(p.id.toLowerCase());
    assert.equal(statuses.filter((s) => s === 200).length, 1, `${p.displayName} reset exactly once`);
    if (statuses.length === 2) twice += 1;
    else assert.equal(statuses.length, 1);
  }
  assert.equal(twice, 3);
  assert.equal((await linkedPeople(sim)).length, 0, 'the simulator shows nobody linked any more');
  // Each reset person was e-mailed once.
  const mails = (await sim.outbox()).filter((m) => /reset/i.test(m.body ?? m.text ?? ''));
  assert.ok(mails.length >= 200, `${mails.length} notices`);

  // The results export: one line per person, with the result.
  await page.uncheck('[data-testid=bulk-failed-only]');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=bulk-export]')]);
  const csv = readFileSync(await download.path(), 'utf8');
  const lines = csv.slice(1).trim().split('\r\n');
  assert.equal(lines[0], 'Name,E-mail,Result,Reason');
  assert.equal(lines.length, 201);
  // Closing the results: the list shows them unlinked.
  await page.click('[data-testid=bulk-close]');
  await page.locator('[data-testid=overview-shown]', { hasText: 'Nobody matches these filters.' }).waitFor();
  assert.deepEqual(fx.pageErrors, []);
  // With the run over, the tab closes without a question.
  const closed = new Promise((r) => page.once('close', r));
  await page.close({ runBeforeUnload: true });
  await closed;
  assert.deepEqual(fx.dialogs.filter((d) => d.type === 'beforeunload'), []);
}, { timeout: 180_000 });

test('bulk reset: Cancel stops at once, says what was and was not done, and an answer already on its way is still reported', async (fx) => {
  const sim = await fx.sim('docspace-3.7+users=300');
  await appTfaOn(sim);
  const linked = await linkedPeople(sim);
  // Every reset answers slowly, and the 10th never answers (the panel gives up after 15 s).
  // (The hang first: the first fault that matches a call answers it.)
  await sim.fault({ method: 'PUT', path: RESET, skip: 9, kind: 'hang' });
  await sim.fault({ method: 'PUT', path: RESET, kind: { delayMs: 150 }, times: 1000 });
  const page = await reviewAllLinked(fx, sim, linked.length);
  await page.fill('[data-testid=bulk-typed]', String(linked.length));
  await page.click('[data-testid=bulk-start]');
  await page.waitForFunction(() => /^(1[5-9]|[2-9]\d) of/.test(document.querySelector('[data-testid=bulk-progress]')?.textContent ?? ''), null, { timeout: 30_000 });
  await docShot(fx, page, 'bulk-run-light.png');
  // Closing the tab mid-run asks first (the harness dismisses the question: the tab stays).
  await page.close({ runBeforeUnload: true });
  await waitUntil(() => fx.dialogs.some((d) => d.type === 'beforeunload'), 'the leave-page question');
  assert.equal(page.isClosed(), false);
  await page.click('[data-testid=bulk-cancel]');
  const sentAtCancel = [...(await resetsPerPerson(sim)).values()].flat().length;
  await page.locator('[data-testid=bulk-state]', { hasText: /Cancelled\./ }).waitFor();
  // Nothing new is sent after Cancel.
  await new Promise((r) => setTimeout(r, 1500));
  const per = await resetsPerPerson(sim);
  const sent = [...per.values()].flat().length;
  assert.ok(sent <= sentAtCancel + 3, `${sent} sent, ${sentAtCancel} when cancelled`);
  // The hung call ends with the time limit and is reported as in doubt.
  await idle(page);
  const state = await page.textContent('[data-testid=bulk-state]');
  const notSent = Number(state.match(/Cancelled\. (\d+) people were not sent/)[1]);
  const tally = await page.textContent('[data-testid=bulk-tally]');
  const done = Number(tally.match(/(\d+) reset/)[1]);
  assert.match(tally, /1 failed/);
  assert.equal(done + 1 + notSent, linked.length);
  // What the panel says was done is what the simulator did.
  assert.equal([...per.values()].filter((s) => s.includes(200)).length, done);
  assert.equal((await linkedPeople(sim)).length, linked.length - done + 0 /* the hung one was never reset */);
  await page.check('[data-testid=bulk-failed-only]');
  assert.match(await page.textContent('[data-testid=bulk-row][data-status=failed]'), /did not answer within 15 seconds.*may have reset them anyway/);
  // The rest can still be sent; nobody done is sent again.
  await sim.clearFaults();
  await page.click('[data-testid=bulk-send-rest]');
  await idle(page, 2);
  await page.click('[data-testid=bulk-retry]');
  await idle(page, 3);
  assert.match(await page.textContent('[data-testid=bulk-tally]'), new RegExp(`${linked.length} reset`));
  for (const statuses of (await resetsPerPerson(sim)).values()) {
    assert.equal(statuses.filter((s) => s === 200).length, 1);
  }
  assert.deepEqual(fx.pageErrors, []);
}, { timeout: 120_000 });

test('bulk reset: when DocSpace ends the owner\'s session mid-run the run pauses, says so, and Resume finishes without resetting anyone twice', async (fx) => {
  const sim = await fx.sim('docspace-3.7+users=150');
  await appTfaOn(sim);
  const linked = await linkedPeople(sim);
  await sim.fault({ method: 'PUT', path: RESET, skip: 20, kind: 'sessionEnded', times: 1 });
  const page = await reviewAllLinked(fx, sim, linked.length);
  await page.fill('[data-testid=bulk-typed]', String(linked.length));
  await page.click('[data-testid=bulk-start]');
  await page.locator('[data-testid=bulk-state]', { hasText: 'DocSpace ended your session (401)' }).waitFor({ timeout: 30_000 });
  await page.locator('[data-testid=bulk-resume]').waitFor();
  // Signed in again (the simulator accepts the key again).
  await sim.clearFaults();
  await page.click('[data-testid=bulk-resume]');
  await page.locator('[data-testid=bulk-state]', { hasText: /^Finished\.$/ }).waitFor({ timeout: 30_000 });
  assert.match(await page.textContent('[data-testid=bulk-tally]'), new RegExp(`${linked.length} reset`));
  const per = await resetsPerPerson(sim);
  for (const p of linked) {
    assert.equal(per.get(p.id.toLowerCase()).filter((s) => s === 200).length, 1, p.displayName);
  }
  assert.deepEqual(fx.pageErrors, []);
}, { timeout: 90_000 });

test('bulk reset: only the owner gets checkboxes, never for their own row; an admin is told why', async (fx) => {
  const sim = await fx.sim('docspace-3.7');
  await appTfaOn(sim);
  await sim.control('link-app', 'POST', { user: IDS.owner });
  const admin = await openOtherOrigin(fx, sim, KEYS.admin);
  await admin.click('nav.tabs a[href="#protected"]');
  await admin.locator('[data-testid=bulk-owner-only]').waitFor();
  assert.equal(await admin.locator('[data-testid=bulk-check]').count(), 0);

  const owner = await openOtherOrigin(fx, sim, KEYS.owner);
  await owner.click('nav.tabs a[href="#protected"]');
  await owner.waitForFunction(() => performance.getEntriesByName('tfa-panel:overview-read', 'mark').length > 0);
  const { email } = (await sim.api('people/@self')).body.response;
  const me = owner.locator('[data-testid=overview-row]', { hasText: email }).locator('[data-testid=bulk-check]');
  assert.ok(await me.isDisabled(), 'the owner cannot select their own account');
  await owner.click('[data-testid=bulk-select-all]');
  assert.equal(await me.isChecked(), false);
  assert.deepEqual(fx.pageErrors, []);
});
