// Part 1: the three tasks in each simulator profile, in both modes:
// same-origin (the portal serves the panel; its session cookie signs in) and
// another origin (a static host serves the panel; an API key over CORS).

import assert from 'node:assert/strict';

import { test } from '../lib/harness.mjs';
import {
  IDS, KEYS, ROLE_LABELS, addIp, gotoTab, open, pickBySearch, policyDraft, policyReady, putsTo,
  resultHeading, addPastedId, loadOtherOrigin, fillConnect,
} from '../lib/panel.mjs';

export const PROFILES = ['seed', 'docspace-3.6', 'docspace-3.7'];
export const MODES = [
  ['same', 'same origin, session cookie'],
  ['other', 'another origin, API key'],
];

const IPS = ['192.0.2.10', '198.51.100.1-198.51.100.20'];

/** Clicks the result view's "Open" link and returns the page it opened. */
async function openResultLink(page) {
  const open = page.locator('[data-testid=result-open]');
  assert.equal(await open.count(), 1, 'the returned link should be clickable (same portal origin)');
  const [popup] = await Promise.all([page.context().waitForEvent('page'), open.click()]);
  await popup.waitForLoadState('domcontentloaded');
  return popup;
}

for (const profile of PROFILES) {
  const seed = profile === 'seed';
  for (const [mode, modeLabel] of MODES) {
    const where = `${profile}, ${modeLabel}`;

    test(`tasks [${where}]: connect, change the policy, "Check your email", open the link, settings in force`, async (fx) => {
      const sim = await fx.sim(profile);
      const page = await open(fx, sim, mode, 'owner');
      assert.equal(await page.textContent('[data-testid=me-name]'), 'Alex Morgan');
      assert.equal(await page.textContent('[data-testid=me-role]'), ROLE_LABELS.owner);
      await policyReady(page);

      await page.check('[data-testid=method-app]');
      for (const ip of IPS) await addIp(page, ip);
      await pickBySearch(page, 'mandatory-users', 'marta', 'Marta Kowalski');
      await pickBySearch(page, 'mandatory-groups', 'fin', 'Finance');
      assert.deepEqual(await policyDraft(page), {
        method: 'App', ips: IPS, users: [IDS.marta], groups: [IDS.finance],
      });
      const summary = await page.textContent('[data-testid=summary]');
      for (const words of ['Authenticator app', `Trusted IP added: ${IPS[0]}`, `Trusted IP added: ${IPS[1]}`,
        'Mandatory user added: Marta Kowalski', 'Mandatory group added: Finance']) {
        assert.ok(summary.includes(words), `summary should say "${words}": ${summary}`);
      }
      assert.equal(await page.isEnabled('[data-testid=policy-submit]'), true,
        `send should be enabled; blocker: ${await page.textContent('[data-testid=policy-blocker]')}`);
      await page.click('[data-testid=policy-submit]');

      assert.equal(await resultHeading(page), 'Check your email');
      const focused = await page.evaluate(() => document.activeElement?.id);
      assert.equal(focused, 'result-heading', 'the result heading takes focus');
      const link = await page.inputValue('[data-testid=result-link]');
      const lead = await page.textContent('[data-testid=result] [role=status]');

      const [put] = await putsTo(sim, '/api/2.0/settings/tfaappwithlink');
      assert.deepEqual(put.json, {
        type: 'App', id: IDS.owner, trustedIps: IPS, mandatoryUsers: [IDS.marta], mandatoryGroups: [IDS.finance],
      });

      if (seed) {
        // The seed contract: nothing changes until the e-mailed link is opened.
        assert.match(lead, /waits for confirmation/);
        assert.match(lead, /alex\.morgan@example\.com/);
        assert.equal((await sim.tfaSettings()).app.enabled, false, 'not in force before the link is opened');
        const mails = await sim.outbox();
        assert.equal(mails.length, 1);
        assert.equal(mails[0].to, 'alex.morgan@example.com');
        assert.equal(mails[0].link, link, 'the panel shows the link the e-mail carries');
        const confirm = await openResultLink(page);
        assert.match(await confirm.textContent('body'), /settings applied/i);
      } else {
        assert.match(link, new RegExp(`/confirm/TfaActivation\\?type=TfaActivation&uid=${IDS.owner}$`));
        assert.equal((await sim.outbox()).length, 0, 'DocSpace sends no e-mail when TFA is switched on');
        if (mode === 'other') {
          assert.match(lead, /already in force/, `the panel should say the policy is in force: ${lead}`);
        } else {
          // Switching TFA on signed every session out, the panel's cookie too:
          // the panel cannot read the settings back, so it must not claim to know.
          const note = await page.textContent('[data-testid=result]');
          assert.match(note, /signed out/);
          assert.doesNotMatch(lead, /sent to your e-mail|was sent to/,
            `DocSpace ${profile} applied the change at once and sent no e-mail, but the panel says: ${lead}`);
        }
        const confirm = await openResultLink(page);
        const text = await confirm.textContent('body');
        assert.match(text, /TfaActivation/);
        if (mode === 'same') {
          assert.match(text, /asc_confirm_key_TfaActivation: present/,
            'same origin: the browser kept the confirmation cookie the portal set with the link');
        }
      }
      const app = (await sim.tfaSettings()).app;
      assert.equal(app.enabled, true, 'the new policy is in force');
      assert.deepEqual(app.trustedIps, IPS);
      assert.deepEqual(app.mandatoryUsers, [IDS.marta]);
      assert.deepEqual(app.mandatoryGroups, [IDS.finance]);
    });

    test(`tasks [${where}]: retrieve my confirmation URL`, async (fx) => {
      const sim = await fx.sim(profile);
      const enable = () => sim.api('settings/tfaapp', { method: 'PUT', body: { type: 'App', id: IDS.owner } });
      let page;
      if (mode === 'other') {
        page = await open(fx, sim, mode, 'owner');
        await gotoTab(page, 'confirm');
        await page.click('[data-testid=confirm-fetch]');
        assert.equal(await resultHeading(page), 'Nothing to confirm', 'TFA is off: nothing to confirm');
        assert.equal((await enable()).status, 200);
        await page.click('[data-testid=result] button:has-text("Back")');
      } else {
        // Switching TFA on signs sessions out: switch it on, then sign in.
        assert.equal((await enable()).status, 200);
        page = await open(fx, sim, mode, 'owner');
        await gotoTab(page, 'confirm');
      }
      await page.click('[data-testid=confirm-fetch]');
      assert.equal(await resultHeading(page), 'Your confirmation link');
      const link = await page.inputValue('[data-testid=result-link]');
      assert.equal(link, `${sim.url}/confirm/TfaActivation?type=TfaActivation&uid=${IDS.owner}`);
      const result = await page.textContent('[data-testid=result]');
      if (profile === 'docspace-3.7') {
        assert.match(result, /confirmation cookie/, '3.7 names the cookie that goes with the link');
      }
      const popup = await openResultLink(page);
      if (mode === 'same') {
        assert.match(await popup.textContent('body'), /asc_confirm_key_TfaActivation: present/);
      }
    });

    test(`tasks [${where}]: change a user's method (None with the dialog, Sms, App)`, async (fx) => {
      const sim = await fx.sim(profile);
      const page = await open(fx, sim, mode, 'owner');
      await gotoTab(page, 'user');
      await pickBySearch(page, 'user-picker', 'priya', 'Priya Patel');
      const submit = async () => page.click('[data-testid=user-submit]');

      // None asks first; Cancel sends nothing.
      await page.check('[data-testid=user-method-none]');
      await submit();
      const dialog = page.locator('[data-testid=confirm-dialog]');
      await dialog.waitFor({ state: 'visible' });
      assert.match(await dialog.textContent(), /Priya Patel/);
      await dialog.locator('button:has-text("Cancel")').click();
      await dialog.waitFor({ state: 'hidden' });
      assert.equal((await putsTo(sim, '/api/2.0/settings/tfaappnewapp')).length, 0, 'Cancel sends nothing');
      await submit();
      await dialog.waitFor({ state: 'visible' });
      await page.click('[data-testid=dialog-confirm]');
      const heading = await resultHeading(page);
      const back = () => page.click('[data-testid=result] button:has-text("Back")');

      if (seed) {
        assert.equal(heading, 'Done');
        assert.equal(await page.inputValue('[data-testid=result-link]'), `${sim.url}/login?uid=${IDS.priya}`);
        for (const method of ['sms', 'app']) {
          await back();
          await page.check(`[data-testid=user-method-${method}]`);
          await submit();
          assert.equal(await resultHeading(page), 'Done');
        }
        const bodies = (await putsTo(sim, '/api/2.0/settings/tfaappnewapp')).map((r) => r.json);
        assert.deepEqual(bodies, ['None', 'Sms', 'App'].map((type) => ({ type, id: IDS.priya })));
        const mails = (await sim.outbox()).filter((m) => m.kind === 'tfa-reset');
        assert.equal(mails.length, 3);
        assert.ok(mails.every((m) => m.to === 'priya.patel@example.com'));
      } else {
        // DocSpace 3.x only unlinks an app, needs a linked user, and has no SMS here.
        assert.equal(heading, 'Done: the user was notified');
        const mails = await sim.outbox();
        assert.equal(mails.length, 1);
        assert.equal(mails[0].to, 'priya.patel@example.com');
        assert.match(mails[0].subject, /Security notification/);
        await back();
        assert.equal(await page.isDisabled('[data-testid=user-method-sms]'), true, 'SMS is not offered: not available');
        // Priya is unlinked now: the portal refuses, and the panel says why.
        await page.check('[data-testid=user-method-app]');
        await submit();
        const banner = page.locator('[data-testid=user-form] [data-testid=error]');
        await banner.waitFor();
        assert.match(await banner.textContent(), /no authenticator app linked/);
        assert.match(await banner.locator('[data-testid=server-message]').textContent(),
          /TFA application settings are not available/);
        // Marta is linked: App (reset the app) works.
        await pickBySearch(page, 'user-picker', 'marta', 'Marta Kowalski');
        await submit();
        assert.equal(await resultHeading(page), 'Done: the user was notified');
        const bodies = (await putsTo(sim, '/api/2.0/settings/tfaappnewapp')).map((r) => r.json);
        assert.deepEqual(bodies, [
          { type: 'None', id: IDS.priya }, { type: 'App', id: IDS.priya }, { type: 'App', id: IDS.marta },
        ]);
      }
    });

    test(`tasks [${where}]: a room admin and a user are refused (notice first; the server's 403 explained)`, async (fx) => {
      const sim = await fx.sim(profile);
      for (const role of ['roomadmin', 'user']) {
        const page = await open(fx, sim, mode, role);
        assert.equal(await page.textContent('[data-testid=me-role]'), ROLE_LABELS[role]);
        await policyReady(page);
        const notice = page.locator('[data-testid=role-notice]');
        assert.match(await notice.textContent(), new RegExp(`signed in as ${ROLE_LABELS[role]}.*only the portal owner or a DocSpace administrator`));
        assert.equal(await page.isDisabled('[data-testid=policy-submit]'), true, 'send is disabled');
        assert.match(await page.textContent('[data-testid=policy-blocker]'), /cannot change the policy/);
        assert.equal(await page.isDisabled('[data-testid=method-app]'), true, 'the method cannot be changed');
        await gotoTab(page, 'user');
        assert.match(await page.locator('[data-testid=role-notice]').textContent(), /only the portal owner/);
        assert.equal(await page.locator('#user-picker').count(), 0, 'no picker: only their own method');
        // Their own account is the target: the dialog names them.
        await page.check('[data-testid=user-method-none]');
        await page.click('[data-testid=user-submit]');
        const dialog = page.locator('[data-testid=confirm-dialog]');
        await dialog.waitFor({ state: 'visible' });
        assert.match(await dialog.textContent(), role === 'user' ? /Priya Patel/ : /Sam Rivera/);
        await dialog.locator('button:has-text("Cancel")').click();
      }
      assert.equal((await sim.requests()).filter((r) => r.method === 'PUT').length, 0, 'nothing was sent');

      // "If they try": the panel believes a role the portal does not grant (as if
      // the account was demoted after connecting). The server refuses; the panel explains.
      const page = await fakedRole(fx, sim, mode, 'roomadmin', { isAdmin: true });
      await policyReady(page);
      await page.check('[data-testid=method-app]');
      await addIp(page, '192.0.2.10');
      await page.click('[data-testid=policy-submit]');
      const banner = page.locator('[data-testid=policy-form] > [data-testid=error]');
      await banner.waitFor();
      assert.match(await banner.textContent(), /access denied \(403\)/);
      assert.match(await banner.textContent(), /needs the portal owner or a DocSpace administrator/);
      assert.equal(await banner.locator('[data-testid=server-message]').textContent(), 'Access denied');

      const page2 = await fakedRole(fx, sim, mode, 'user', { isOwner: true });
      await gotoTab(page2, 'user');
      await addPastedId(page2, 'user-picker', IDS.marta);
      await page2.check('[data-testid=user-method-app]');
      await page2.click('[data-testid=user-submit]');
      const banner2 = page2.locator('[data-testid=user-form] > [data-testid=error]');
      await banner2.waitFor();
      assert.match(await banner2.textContent(), /not allowed to do this \(403\)/);
      assert.match(await banner2.textContent(), /Only the portal owner can change another user/);
      assert.equal((await sim.tfaSettings()).app.enabled, false, 'the refused change did not happen');
    }, { timeout: 90_000 });
  }
}

/** Opens the panel as `role` while rewriting people/@self to claim more rights. */
async function fakedRole(fx, sim, mode, role, claims) {
  const page = await fx.page();
  await page.route(`${sim.url}/api/2.0/people/@self`, async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    if (body.response) Object.assign(body.response, claims);
    await route.fulfill({ response, json: body });
  });
  if (mode === 'same') {
    await page.goto(`${sim.url}/sim/signin?as=${role}&next=/`);
  } else {
    await loadOtherOrigin(page, fx.staticOrigin);
    await fillConnect(page, sim.url, KEYS[role]);
    await page.click('[data-testid=connect]');
  }
  await page.locator('[data-testid=me-name]').waitFor();
  return page;
}

test('tasks [seed, same origin]: typed trusted IPs survive leaving the policy page (tab switch, result and Back)', async (fx) => {
  const sim = await fx.sim('seed');
  const page = await open(fx, sim, 'same', 'owner');
  await policyReady(page);
  await page.check('[data-testid=method-app]');
  await addIp(page, '192.0.2.10');
  await gotoTab(page, 'confirm');
  await page.click('nav.tabs a[href="#policy"]');
  await page.locator('#policy-heading').waitFor({ timeout: 3000 }).catch(() => {});
  const panic = () => fx.console.find((m) => m.text.includes('panicked'))?.text.split('\n').slice(0, 2).join(' ');
  assert.deepEqual(fx.pageErrors, [],
    `the panel crashed when the policy page came back after typing a trusted IP: ${panic()}`);
  assert.deepEqual((await policyDraft(page)).ips, ['192.0.2.10']);

  await page.click('[data-testid=policy-submit]');
  assert.equal(await resultHeading(page), 'Check your email');
  await page.click('[data-testid=result] button:has-text("Back to the policy")');
  await page.locator('#policy-heading').waitFor({ timeout: 3000 }).catch(() => {});
  assert.deepEqual(fx.pageErrors, [], `the panel crashed on "Back to the policy": ${panic()}`);
  assert.deepEqual((await policyDraft(page)).ips, ['192.0.2.10']);
});

for (const profile of ['docspace-3.6', 'docspace-3.7']) {
  test(`tasks [${profile}, another origin, API key]: the admin's own address is a trusted IP`, async (fx) => {
    const sim = await fx.sim(profile);
    const page = await open(fx, sim, 'other', 'owner');
    await policyReady(page);
    await page.check('[data-testid=method-app]');
    await addIp(page, '127.0.0.1');
    await page.click('[data-testid=policy-submit]');
    if (profile === 'docspace-3.7') {
      // 3.7 saves, then fails with 500 (null confirm data): the panel must say
      // the change was probably applied rather than invite a blind resend.
      const banner = page.locator('[data-testid=policy-form] > [data-testid=error]');
      await banner.waitFor();
      const text = await banner.textContent();
      assert.match(text, /internal error \(500\)/);
      assert.match(text, /probably applied/);
      assert.match(text, /Reload the settings/);
    } else {
      assert.equal(await resultHeading(page), 'Policy saved');
      assert.match(await page.textContent('[data-testid=result]'), /trusted IP/);
    }
    const app = (await sim.tfaSettings()).app;
    assert.equal(app.enabled, true);
    assert.deepEqual(app.trustedIps, ['127.0.0.1']);
  });
}

test('tasks [seed, same origin]: a search still pending when the picker goes away does not crash the panel', async (fx) => {
  const sim = await fx.sim('seed');
  const variants = [
    ['typed, then another tab at once (search not started yet)', async (page) => {
      await page.evaluate(() => {
        const input = document.querySelector('#mandatory-users');
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, 'mar');
        input.dispatchEvent(new Event('input', { bubbles: true }));
        document.querySelector('nav.tabs a[href="#confirm"]').click();
      });
    }],
    ['typed, then another tab while the search is under way', async (page) => {
      await sim.fault({ path: '/api/2.0/people/filter', method: 'GET', kind: { delayMs: 1500 } });
      await page.fill('#mandatory-users', 'mar');
      await page.waitForTimeout(500);
      await page.click('nav.tabs a[href="#confirm"]');
    }],
    ['typed, then the method Off (which hides the pickers)', async (page) => {
      await page.fill('#mandatory-users', 'mar');
      await page.check('[data-testid=method-none]');
    }],
  ];
  const crashed = [];
  for (const [what, act] of variants) {
    const page = await open(fx, sim, 'same', 'owner');
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e).split('\n')[0]));
    await policyReady(page);
    await page.check('[data-testid=method-app]');
    await act(page);
    await page.waitForTimeout(2200);
    if (errors.length) crashed.push(`${what}: ${errors[0]}`);
  }
  fx.pageErrors.length = 0; // reported below, one line per variant
  const panic = fx.console.find((m) => m.text.includes('panicked'))?.text.split('\n').slice(0, 2).join(' ');
  assert.deepEqual(crashed, [], `the panel crashed (${panic}):\n${crashed.join('\n')}`);
});

test('tasks [seed, same origin]: the result view shows the link at once, then says whether the change is in force', async (fx) => {
  const sim = await fx.sim('seed');
  const page = await open(fx, sim, 'same', 'owner');
  await policyReady(page);
  await page.check('[data-testid=method-app]');
  // The re-read of the settings after the save takes 1.5 s.
  await sim.fault({ path: '/api/2.0/settings/tfaapp', method: 'GET', kind: { delayMs: 1500 } });
  await page.click('[data-testid=policy-submit]');
  const result = page.locator('[data-testid=result]');
  await result.waitFor({ timeout: 1000 });
  assert.equal(await result.getAttribute('aria-busy'), 'true', 'the result says it is still checking');
  assert.equal((await page.textContent('#result-heading')).trim(), 'Check your email');
  const link = await page.inputValue('[data-testid=result-link]');
  assert.equal(link, (await sim.outbox())[0].link, 'the link is there before the settings are re-read');
  assert.match(await page.textContent('[data-testid=result] [role=status]'), /Checking whether the new policy is already in force/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'result-heading');

  await page.locator('[data-testid=result]:not([aria-busy=true])').waitFor({ timeout: 5000 });
  assert.match(await page.textContent('[data-testid=result] [role=status]'), /waits for confirmation/);
  assert.equal(await page.inputValue('[data-testid=result-link]'), link, 'the link stays as it was');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'result-heading', 'focus stays on the result');
});

test('tasks [seed, same origin]: the loader\'s early session check and settings read are used, not sent again', async (fx) => {
  const sim = await fx.sim('seed');
  const page = await open(fx, sim, 'same', 'owner');
  await policyReady(page);
  const gets = (await sim.requests())
    .filter((r) => r.method === 'GET' && r.path.startsWith('/api/2.0/'))
    .map((r) => r.path)
    .sort();
  assert.deepEqual(gets, ['/api/2.0/people/@self', '/api/2.0/settings/tfaapp']);
  // A later read goes to the network: the early answers served start-up only.
  // Listen before clicking: on loopback the answer can beat a listener added after.
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/2.0/settings/tfaapp')),
    page.click('button:has-text("Reload current settings")'),
  ]);
  const after = (await sim.requests()).filter((r) => r.path === '/api/2.0/settings/tfaapp');
  assert.equal(after.length, 2);
});
