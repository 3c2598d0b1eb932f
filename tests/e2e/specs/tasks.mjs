// Part 1: the three tasks in each simulator profile, in both modes:
// same-origin (the portal serves the panel; its session cookie signs in) and
// another origin (a static host serves the panel; an API key over CORS).

import assert from 'node:assert/strict';

import { test } from '../lib/harness.mjs';
import {
  IDS, KEYS, ROLE_LABELS, addIp, gotoTab, markCount, open, pickBySearch, policyDraft, policyReady, putsTo,
  resultHeading, resultParts, addPastedId, loadOtherOrigin, fillConnect, waitMark,
} from '../lib/panel.mjs';

export const PROFILES = ['seed', 'docspace-3.6', 'docspace-3.7', 'docspace-next'];
export const MODES = [
  ['same', 'same origin, session cookie'],
  ['other', 'another origin, API key'],
];

/** What the header says of each profile's default release. */
export const RELEASES = {
  seed: { family: 'Seed', label: 'seed contract' },
  'docspace-3.6': { family: 'V36', label: 'DocSpace 3.6.1.1000' },
  'docspace-3.7': { family: 'V37', label: 'DocSpace 3.7.2.1000' },
  'docspace-next': { family: 'Next', label: 'DocSpace 3.9.0.1000' },
};

const IPS = ['192.0.2.10', '198.51.100.1-198.51.100.20'];

/**
 * Words no screen may use on a real release, where DocSpace applies a policy
 * at once, e-mails nobody about it, and only ever unlinks a user's app (API
 * notes §10.4, §10.5).
 */
const POLICY_CLAIMS_NEVER_TRUE = /Check your email|e-mailed|sent to|waits for confirmation|takes effect once/i;
const USER_CLAIMS_NEVER_TRUE = /now uses SMS|TFA is off|turned off for|will link an authenticator app at the next sign-in\./i;

/** Clicks the result view's "Open" link and returns the page it opened. */
async function openResultLink(page) {
  const open = page.locator('[data-testid=result-open]');
  assert.equal(await open.count(), 1, 'the returned link should be clickable (same portal origin)');
  const [popup] = await Promise.all([page.context().waitForEvent('page'), open.click()]);
  await popup.waitForLoadState('domcontentloaded');
  return popup;
}

/** Switches app TFA on through the API, as another administrator would. */
async function appOn(sim) {
  const on = await sim.api('settings/tfaapp', { method: 'PUT', body: { type: 'App', id: IDS.owner } });
  assert.equal(on.status, 200, `switching app TFA on: ${on.text}`);
}

for (const profile of PROFILES) {
  const seed = profile === 'seed';
  // Up to 3.7.0 a list with a range or CIDR entry breaks sign-in for IPv6
  // visitors (§10.16): the panel asks for an explicit acknowledgement.
  const needsIpv6Ack = profile === 'docspace-3.6';
  for (const [mode, modeLabel] of MODES) {
    const where = `${profile}, ${modeLabel}`;
    const token = mode === 'other';

    test(`tasks [${where}]: connect, change the policy; the result says what the portal did (${seed ? '"Check your email", the link applies it' : 'in force at once, no e-mail'})`, async (fx) => {
      const sim = await fx.sim(profile);
      const page = await open(fx, sim, mode, 'owner');
      assert.equal(await page.textContent('[data-testid=me-name]'), 'Alex Morgan');
      assert.equal(await page.textContent('[data-testid=me-role]'), ROLE_LABELS.owner);
      const version = page.locator('[data-testid=server-version]');
      assert.equal(await version.getAttribute('data-family'), RELEASES[profile].family);
      assert.equal((await version.textContent()).trim(), RELEASES[profile].label);
      await policyReady(page);
      const pageLead = await page.textContent('[data-testid=policy-lead]');
      if (seed) assert.match(pageLead, /e-mailed to you for confirmation/);
      else {
        assert.match(pageLead, /applies the change as soon as you save it and e-mails nobody/);
        assert.doesNotMatch(pageLead, POLICY_CLAIMS_NEVER_TRUE);
      }

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
      const ack = page.locator('[data-testid=ipv6-ack]');
      if (needsIpv6Ack) {
        // The list holds a range: on 3.6 IPv6 visitors then fail to sign in.
        assert.equal(await page.isDisabled('[data-testid=policy-submit]'), true, 'blocked until acknowledged');
        assert.match(await page.textContent('[data-testid=policy-blocker]'), /Confirm the warning about IPv6 visitors above first/);
        assert.match(await page.locator('[data-testid=warning]', { has: ack }).textContent(), /IPv6 address/);
        await ack.check();
      } else {
        assert.equal(await ack.count(), 0, 'no IPv6 acknowledgement on this release');
      }
      assert.equal(await page.isEnabled('[data-testid=policy-submit]'), true,
        `send should be enabled; blocker: ${await page.textContent('[data-testid=policy-blocker]')}`);
      assert.equal((await page.textContent('[data-testid=policy-submit]')).trim(),
        seed ? 'Send for confirmation' : 'Save the policy');
      // A session of someone else, to check the claim that every session was signed out.
      const otherSession = await sim.sessionToken('admin');
      assert.equal(await sim.sessionStatus(otherSession), 200);
      await page.click('[data-testid=policy-submit]');

      const result = await resultParts(page);
      const focused = await page.evaluate(() => document.activeElement?.id);
      assert.equal(focused, 'result-heading', 'the result heading takes focus');
      const link = await page.inputValue('[data-testid=result-link]');

      const [put] = await putsTo(sim, '/api/2.0/settings/tfaappwithlink');
      assert.deepEqual(put.json, {
        type: 'App', id: IDS.owner, trustedIps: IPS, mandatoryUsers: [IDS.marta], mandatoryGroups: [IDS.finance],
      });

      if (seed) {
        // The seed contract: nothing changes until the e-mailed link is opened.
        assert.equal(result.heading, 'Check your email');
        assert.match(result.lead, /waits for confirmation/);
        assert.match(result.lead, /alex\.morgan@example\.com/);
        assert.equal((await sim.tfaSettings()).app.enabled, false, 'not in force before the link is opened');
        const mails = await sim.outbox();
        assert.equal(mails.length, 1);
        assert.equal(mails[0].to, 'alex.morgan@example.com');
        assert.equal(mails[0].link, link, 'the panel shows the link the e-mail carries');
        const confirm = await openResultLink(page);
        assert.match(await confirm.textContent('body'), /settings applied/i);
      } else {
        // What the portal did, read back from it: in force at once, no mail,
        // every session signed out.
        const app = (await sim.tfaSettings()).app;
        assert.equal(app.enabled, true, 'DocSpace applied the policy at once');
        assert.deepEqual(await sim.outbox(), [], 'DocSpace sent no e-mail');
        assert.equal(await sim.sessionStatus(otherSession), 401, 'DocSpace signed the other sessions out');
        const panelSession = token
          ? (await sim.api('people/@self')).status
          : (await page.request.get(`${sim.url}/api/2.0/people/@self`)).status();
        assert.equal(panelSession, token ? 200 : 401, token ? 'the API key keeps working' : "the panel's own session was signed out");

        assert.equal(result.heading, 'The new policy is in force');
        assert.match(result.lead, /DocSpace applied the change at once; it sends no e-mail and waits for no link\./);
        assert.match(result.lead, /The link below sets up two-factor authentication for your own account\./);
        assert.match(result.note, token ? /Every session on the portal was signed out.*this panel's API key keeps working/
          : /Every session on the portal was signed out, this panel's too/);
        assert.match(result.note, token ? /completes only in a browser signed in to the portal/ : /Open it in this browser/);
        assert.doesNotMatch(result.all, POLICY_CLAIMS_NEVER_TRUE,
          `DocSpace ${profile} applied the change at once and sent no e-mail, but the result says: ${result.all}`);
        assert.match(link, new RegExp(`/confirm/TfaActivation\\?type=TfaActivation&uid=${IDS.owner}$`));
        const confirm = await openResultLink(page);
        const text = await confirm.textContent('body');
        assert.match(text, /TfaActivation/);
        // The panel's note on where the link completes is what happens.
        assert.match(text, token ? /asc_confirm_key_TfaActivation: absent/ : /asc_confirm_key_TfaActivation: present/,
          token ? 'another origin: the browser never stored the confirmation cookie' : 'same origin: the browser kept the confirmation cookie');
      }
      const app = (await sim.tfaSettings()).app;
      assert.equal(app.enabled, true, 'the new policy is in force');
      assert.deepEqual(app.trustedIps, IPS);
      assert.deepEqual(app.mandatoryUsers, [IDS.marta]);
      assert.deepEqual(app.mandatoryGroups, [IDS.finance]);

      if (!seed && token) {
        // The API key survives: switch TFA off again and read what the portal did.
        await page.bringToFront();
        await page.click('[data-testid=result] button:has-text("Back to the policy")');
        await page.check('[data-testid=method-none]');
        await page.click('[data-testid=policy-submit]');
        const off = await resultParts(page);
        const after = (await sim.tfaSettings()).app;
        assert.equal(after.enabled, false, 'DocSpace switched TFA off');
        assert.equal(after.trustedIps?.length ?? 0, 0, 'and deleted the trusted IPs');
        assert.equal(off.heading, 'Two-factor authentication is off');
        assert.match(off.lead, /TFA is off, and its trusted IPs and mandatory lists were deleted/);
        assert.doesNotMatch(off.all, POLICY_CLAIMS_NEVER_TRUE);
        assert.deepEqual(await sim.outbox(), [], 'still no e-mail');
      }
    });

    test(`tasks [${where}]: retrieve my confirmation URL`, async (fx) => {
      const sim = await fx.sim(profile);
      let page;
      if (mode === 'other') {
        page = await open(fx, sim, mode, 'owner');
        await gotoTab(page, 'confirm');
        await page.click('[data-testid=confirm-fetch]');
        assert.equal(await resultHeading(page), 'Nothing to confirm', 'TFA is off: nothing to confirm');
        await appOn(sim);
        await page.click('[data-testid=result] button:has-text("Back")');
      } else {
        // Switching TFA on signs sessions out: switch it on, then sign in.
        await appOn(sim);
        page = await open(fx, sim, mode, 'owner');
        await gotoTab(page, 'confirm');
      }
      await page.click('[data-testid=confirm-fetch]');
      const result = await resultParts(page);
      assert.equal(result.heading, 'Your confirmation link');
      const link = await page.inputValue('[data-testid=result-link]');
      assert.equal(link, `${sim.url}/confirm/TfaActivation?type=TfaActivation&uid=${IDS.owner}`);
      // The key that goes with the link is a cookie on the portal's own answer (§10.6).
      assert.match(result.note, token ? /completes only in a browser signed in to the portal/ : /Open it in this browser/);
      const popup = await openResultLink(page);
      assert.match(await popup.textContent('body'),
        token ? /asc_confirm_key_TfaActivation: absent/ : /asc_confirm_key_TfaActivation: present/);
    });

    if (seed) {
      test(`tasks [${where}]: change a user's method (None with the dialog, Sms, App)`, async (fx) => {
        const sim = await fx.sim(profile);
        const page = await open(fx, sim, mode, 'owner');
        await gotoTab(page, 'user');
        assert.equal((await page.textContent('#user-heading')).trim(), "A user's TFA method");
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
        const back = () => page.click('[data-testid=result] button:has-text("Back")');
        // The seed contract honours the method: the result names it.
        const said = {
          none: /TFA is off and the authenticator app is unlinked for Priya Patel\./,
          sms: /Priya Patel now uses SMS codes\./,
          app: /Priya Patel will link an authenticator app at the next sign-in\./,
        };
        let result = await resultParts(page);
        assert.equal(result.heading, 'Done');
        assert.match(result.lead, said.none);
        assert.equal(await page.inputValue('[data-testid=result-link]'), `${sim.url}/login?uid=${IDS.priya}`);
        for (const method of ['sms', 'app']) {
          await back();
          await page.check(`[data-testid=user-method-${method}]`);
          await submit();
          result = await resultParts(page);
          assert.equal(result.heading, 'Done');
          assert.match(result.lead, said[method]);
        }
        const bodies = (await putsTo(sim, '/api/2.0/settings/tfaappnewapp')).map((r) => r.json);
        assert.deepEqual(bodies, ['None', 'Sms', 'App'].map((type) => ({ type, id: IDS.priya })));
        const mails = (await sim.outbox()).filter((m) => m.kind === 'tfa-reset');
        assert.equal(mails.length, 3);
        assert.ok(mails.every((m) => m.to === 'priya.patel@example.com'));
      });
    } else {
      test(`tasks [${where}]: reset a user's authenticator app (only for someone with an app linked; the result says what DocSpace did)`, async (fx) => {
        const sim = await fx.sim(profile);
        // Switching app TFA on signs sessions out: on first, then sign in.
        await appOn(sim);
        assert.equal((await sim.person('priya.patel@example.com')).tfaAppEnabled, true, 'Priya starts with an app linked');
        const page = await open(fx, sim, mode, 'owner');
        await gotoTab(page, 'user');
        assert.equal((await page.textContent('nav.tabs a[href="#user"]')).trim(), "Reset a user's app");
        assert.equal((await page.textContent('#user-heading')).trim(), "Reset a user's authenticator app");
        const lead = await page.textContent('[data-testid=user-lead]');
        assert.match(lead, /unlinks the person's app/);
        assert.match(lead, /does not turn TFA off/);
        assert.equal(await page.locator('input[name=user-method]').count(), 0, 'no method to choose: DocSpace ignores it');
        const submit = page.locator('[data-testid=user-submit]');
        const blocker = page.locator('[data-testid=user-blocker]');
        const chipDetail = () => page.textContent('[data-testid=user-picker] [data-testid=chip]');

        // Zoë has no app linked: nothing to reset, and the panel says why.
        await page.fill('#user-picker', 'zoe');
        const zoe = page.locator('[data-testid=user-picker] .results .result-item', { hasText: 'Zoë' }).first();
        assert.match(await zoe.textContent(), /no app linked/);
        await zoe.click();
        assert.match(await chipDetail(), /no app linked/);
        assert.equal(await submit.isDisabled(), true, 'no reset for someone without an app');
        assert.match(await blocker.textContent(), /Zoë Łukasz-Ægir has not linked an authenticator app: there is nothing to reset/);

        await page.fill('#user-picker', 'priya');
        const priya = page.locator('[data-testid=user-picker] .results .result-item', { hasText: 'Priya Patel' }).first();
        assert.match(await priya.textContent(), /· app linked/);
        await priya.click();
        assert.match(await chipDetail(), /· app linked/);
        assert.equal((await blocker.textContent()).trim(), '');
        assert.equal((await submit.textContent()).trim(), 'Reset the app…');

        // The reset always asks first; Cancel sends nothing.
        const dialog = page.locator('[data-testid=confirm-dialog]');
        await submit.click();
        await dialog.waitFor({ state: 'visible' });
        const asked = await dialog.textContent();
        assert.match(asked, /DocSpace unlinks Priya Patel's authenticator app/);
        assert.match(asked, /e-mails them a security notification/);
        assert.doesNotMatch(asked, USER_CLAIMS_NEVER_TRUE);
        await dialog.locator('button:has-text("Cancel")').click();
        await dialog.waitFor({ state: 'hidden' });
        assert.equal((await putsTo(sim, '/api/2.0/settings/tfaappnewapp')).length, 0, 'Cancel sends nothing');
        await submit.click();
        await dialog.waitFor({ state: 'visible' });
        await page.click('[data-testid=dialog-confirm]');
        const result = await resultParts(page);

        // What DocSpace did, read back from it.
        const bodies = (await putsTo(sim, '/api/2.0/settings/tfaappnewapp')).map((r) => r.json);
        assert.deepEqual(bodies, [{ id: IDS.priya }], 'only the id: DocSpace reads nothing else');
        const mails = await sim.outbox();
        assert.deepEqual(mails.map((m) => [m.kind, m.to]), [['tfa-reset', 'priya.patel@example.com']], 'one security notification');
        assert.match(mails[0].subject, /Security notification/);
        assert.equal((await sim.person('priya.patel@example.com')).tfaAppEnabled, false, 'her app is unlinked');
        assert.equal((await sim.tfaSettings()).app.enabled, true, 'the portal policy is untouched');

        assert.equal(result.heading, 'Authenticator app reset');
        assert.match(result.lead, /DocSpace unlinked Priya Patel's authenticator app/);
        assert.match(result.lead, /signed them out everywhere, and e-mailed them a security notification\./);
        assert.match(result.lead, /The user list now shows no app linked\./);
        assert.match(result.lead, /the portal's TFA policy still applies to them/);
        assert.doesNotMatch(result.all, USER_CLAIMS_NEVER_TRUE, `the result claims a change DocSpace did not make: ${result.all}`);

        // She has nothing left to reset: the panel says so.
        await page.click('[data-testid=result] button:has-text("Back")');
        assert.equal(await submit.isDisabled(), true, 'no second reset');
        assert.match(await blocker.textContent(), /Priya Patel has not linked an authenticator app: there is nothing to reset/);
        assert.equal((await putsTo(sim, '/api/2.0/settings/tfaappnewapp')).length, 1);
      });
    }

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
        if (seed) {
          // Their own account is the target: the dialog names them.
          await page.check('[data-testid=user-method-none]');
          await page.click('[data-testid=user-submit]');
          const dialog = page.locator('[data-testid=confirm-dialog]');
          await dialog.waitFor({ state: 'visible' });
          assert.match(await dialog.textContent(), role === 'user' ? /Priya Patel/ : /Sam Rivera/);
          await dialog.locator('button:has-text("Cancel")').click();
        } else {
          // App TFA is off on the portal: there is no app of theirs to reset.
          assert.equal(await page.isDisabled('[data-testid=user-submit]'), true);
          assert.match(await page.textContent('[data-testid=user-blocker]'), /authenticator app method is off on this portal/);
        }
      }
      assert.equal((await sim.requests()).filter((r) => r.method === 'PUT').length, 0, 'nothing was sent');
      const before = await sim.tfaSettings();

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
      assert.deepEqual(await sim.tfaSettings(), before, 'the refused policy change did not happen');

      // Someone who believes they are the owner resets another person's app: a
      // user on the seed contract; on a real release an administrator (who can
      // search people and sees who has an app linked, once app TFA is on).
      if (!seed) await appOn(sim);
      const page2 = await fakedRole(fx, sim, mode, seed ? 'user' : 'admin', { isOwner: true });
      await gotoTab(page2, 'user');
      if (seed) {
        await addPastedId(page2, 'user-picker', IDS.marta);
        await page2.check('[data-testid=user-method-app]');
        await page2.click('[data-testid=user-submit]');
      } else {
        await pickBySearch(page2, 'user-picker', 'marta', 'Marta Kowalski');
        await page2.click('[data-testid=user-submit]');
        await page2.click('[data-testid=dialog-confirm]');
      }
      const banner2 = page2.locator('[data-testid=user-form] > [data-testid=error]');
      await banner2.waitFor();
      assert.match(await banner2.textContent(), /not allowed to do this \(403\)/);
      assert.match(await banner2.textContent(), /Only the portal owner can/);
      assert.deepEqual((await sim.outbox()).filter((m) => m.kind === 'tfa-reset'), [], 'nobody was notified');
      if (!seed) assert.equal((await sim.person('marta.kowalski@example.com')).tfaAppEnabled, true, "Marta's app is still linked");
      else assert.equal((await sim.tfaSettings()).app.enabled, false, 'the refused change did not happen');
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

for (const profile of ['docspace-3.6', 'docspace-3.7', 'docspace-next']) {
  test(`tasks [${profile}, another origin, API key]: the admin's own address is a trusted IP`, async (fx) => {
    const sim = await fx.sim(profile);
    const page = await open(fx, sim, 'other', 'owner');
    await policyReady(page);
    await page.check('[data-testid=method-app]');
    await addIp(page, '127.0.0.1');
    await page.click('[data-testid=policy-submit]');
    const result = await resultParts(page);
    const [put] = await putsTo(sim, '/api/2.0/settings/tfaappwithlink');
    assert.equal(await page.locator('[data-testid=error]').count(), 0, 'no error banner: the change was saved');
    const app = (await sim.tfaSettings()).app;
    assert.equal(app.enabled, true, 'the portal saved the policy');
    assert.deepEqual(app.trustedIps, ['127.0.0.1']);
    if (profile === 'docspace-3.7') {
      // 3.7 saves, signs everyone out, then fails with 500 (null confirm data):
      // the panel re-reads the settings and says the change is in force.
      assert.equal(put.status, 500);
      assert.equal(result.heading, 'Saved, but the portal then failed');
      assert.match(result.lead, /DocSpace saved the new policy and signed every session out, then failed with an internal error \(500\)/);
      assert.match(result.lead, /show the new policy in force/);
    } else {
      assert.equal(put.status, 200);
      assert.equal(result.heading, 'The new policy is in force');
      assert.match(result.lead, /returned no link: TFA is not required of you from this address/);
    }
    assert.equal(await page.locator('[data-testid=result-link]').count(), 0, 'no link: none is needed');
    assert.doesNotMatch(result.all, POLICY_CLAIMS_NEVER_TRUE);
  });
}

test('tasks [docspace-3.7, same origin, session cookie]: after a reset, the chosen person and a new search say "no app linked", and choosing her again is blocked', async (fx) => {
  const sim = await fx.sim('docspace-3.7');
  await appOn(sim);
  const page = await open(fx, sim, 'same', 'owner');
  await gotoTab(page, 'user');
  await pickBySearch(page, 'user-picker', 'priya', 'Priya Patel');
  await page.click('[data-testid=user-submit]');
  await page.click('[data-testid=dialog-confirm]');
  assert.equal(await resultHeading(page), 'Authenticator app reset');
  assert.equal((await sim.person('priya.patel@example.com')).tfaAppEnabled, false, 'the portal unlinked her app');
  await page.click('[data-testid=result] button:has-text("Back")');
  const chip = page.locator('[data-testid=user-picker] [data-testid=chip]');
  const stale = [];
  const chipText = await chip.textContent();
  if (!/no app linked/.test(chipText)) stale.push(`the chosen person still reads "${chipText.trim()}"`);
  // Choose her again, as someone would: remove her, search, pick her.
  await chip.locator('button').click();
  const searches = await markCount(page, 'tfa-panel:picker-results');
  await page.fill('#user-picker', 'priya');
  await waitMark(page, 'tfa-panel:picker-results', searches);
  const item = page.locator('[data-testid=user-picker] .results .result-item', { hasText: 'Priya Patel' }).first();
  const itemText = await item.textContent();
  if (!/no app linked/.test(itemText)) stale.push(`the search result reads "${itemText.trim()}"`);
  await item.click();
  const blocker = (await page.textContent('[data-testid=user-blocker]')).trim();
  if (!/Priya Patel has not linked an authenticator app/.test(blocker)) {
    stale.push(`choosing her again offers another reset (blocker: "${blocker}", submit ${await page.isDisabled('[data-testid=user-submit]') ? 'disabled' : 'enabled'})`);
  }
  assert.deepEqual(stale, [], `the portal says Priya has no app linked, but ${stale.join('; ')}`);
});

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
  assert.match(await page.textContent('[data-testid=result] [role=status]'), /Checking whether the change waits for it/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'result-heading');

  await page.locator('[data-testid=result]:not([aria-busy=true])').waitFor({ timeout: 5000 });
  assert.match(await page.textContent('[data-testid=result] [role=status]'), /waits for confirmation/);
  assert.equal(await page.inputValue('[data-testid=result-link]'), link, 'the link stays as it was');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'result-heading', 'focus stays on the result');
});

test('tasks [seed, same origin]: the early session check and settings read are preloaded by the page and used, not sent again', async (fx) => {
  const sim = await fx.sim('seed');
  const page = await open(fx, sim, 'same', 'owner');
  await policyReady(page);
  const gets = (await sim.requests())
    .filter((r) => r.method === 'GET' && r.path.startsWith('/api/2.0/'))
    .map((r) => r.path)
    .sort();
  assert.deepEqual(gets, ['/api/2.0/people/@self', '/api/2.0/settings/tfaapp', '/api/2.0/settings/version/build']);
  // The page preloads the same three, and the loader takes the preloaded
  // answers: still one request each (above).
  const preloaded = await page.evaluate(() =>
    [...document.querySelectorAll('link[rel=preload][as=fetch]')].map((l) => new URL(l.href).pathname).filter((p) => p.startsWith('/api/')).sort());
  assert.deepEqual(preloaded, gets, 'index.html preloads the early requests');
  // A later read goes to the network: the early answers served start-up only.
  // Listen before clicking: on loopback the answer can beat a listener added after.
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/2.0/settings/tfaapp')),
    page.click('button:has-text("Reload current settings")'),
  ]);
  const after = (await sim.requests()).filter((r) => r.path === '/api/2.0/settings/tfaapp');
  assert.equal(after.length, 2);
});

/**
 * Records, in the page, whether "Connecting…" was ever in the document and
 * whether any animation frame began while it was (a frame that begins with it
 * in the document paints it).
 */
function watchStarting() {
  window.__starting = { seen: false, painted: 0 };
  new MutationObserver(() => {
    if (document.querySelector('[data-testid=starting]')) window.__starting.seen = true;
  }).observe(document, { childList: true, subtree: true });
  const frame = () => {
    if (document.querySelector('[data-testid=starting]')) window.__starting.painted += 1;
    if (!performance.getEntriesByName('tfa-panel:form-ready').length) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

test('tasks [seed, same origin]: with the early answers in, the policy form is the first thing the panel paints', async (fx) => {
  const sim = await fx.sim('seed');
  const page = await fx.page();
  await page.addInitScript(watchStarting);
  // The loader waits for its early answers at most 250 ms once the code has
  // compiled. Hold the code back a little, so that on a busy machine too the
  // answers are in when the panel starts: that is the case under test.
  await page.route('**/tfa-panel-*_bg.wasm', async (route) => {
    await new Promise((r) => setTimeout(r, 300));
    await route.continue();
  });
  await page.goto(`${sim.url}/sim/signin?as=owner&next=/`, { timeout: 60000 });
  await policyReady(page);
  const starting = await page.evaluate(() => window.__starting);
  // "Connecting…" is built and replaced within the task the panel starts in.
  assert.equal(starting.seen, true, 'the panel shows "Connecting…" until its check is done');
  assert.equal(starting.painted, 0, 'no frame of "Connecting…" before the form');
});

test('tasks [seed, same origin]: a slow session check does not hold the panel back: "Connecting…" shows until it answers', async (fx) => {
  const sim = await fx.sim('seed');
  await sim.fault({ method: 'GET', path: '/api/2.0/people/@self', kind: { delayMs: 2500 } });
  const page = await fx.page();
  await page.addInitScript(watchStarting);
  await page.goto(`${sim.url}/sim/signin?as=owner&next=/`, { timeout: 60000 });
  await page.locator('[data-testid=starting]').waitFor();
  assert.equal(await markCount(page, 'tfa-panel:connected'), 0, '"Connecting…" shows while the check is out');
  await policyReady(page);
  assert.ok((await page.evaluate(() => window.__starting)).painted > 0, '"Connecting…" was painted while waiting');
  // Still the loader's one check: the panel waited for it rather than asking again.
  const selfChecks = (await sim.requests()).filter((r) => r.path === '/api/2.0/people/@self');
  assert.equal(selfChecks.length, 1);
});
