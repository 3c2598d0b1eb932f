// Part 6: trusted IPs on real DocSpace releases (API notes §10.1–§10.3,
// §10.16, §10.17). For each release the panel may meet, one page: entries
// that lock a portal out or trust other addresses than written cannot be
// sent as typed (the save is blocked, or the body carries the rewritten
// text); every fix button gives an entry the simulator stores as it is and
// that trusts exactly the addresses meant, checked by signing in from just
// inside and just outside them.

import assert from 'node:assert/strict';

import { test } from '../lib/harness.mjs';
import { IDS, ipRow, open, policyReady, putsTo, resultParts } from '../lib/panel.mjs';

/**
 * The releases. `panel`: what the panel must assume (from the reported
 * version; unknown is the most dangerous real behaviour). `sim`: what the
 * simulator then really does.
 */
const RELEASES = [
  { name: 'docspace-3.6', profile: 'docspace-3.6', family: 'V36',
    panel: { hostBitsBlock: false, ipv6Warning: true },
    sim: { truncatesIpv6: true, hostBitsThrow: false, failsWhenCallerTrusted: false } },
  { name: 'docspace-3.7', profile: 'docspace-3.7', family: 'V37',
    panel: { hostBitsBlock: false, ipv6Warning: false },
    sim: { truncatesIpv6: false, hostBitsThrow: false, failsWhenCallerTrusted: true } },
  { name: 'docspace-next', profile: 'docspace-next', family: 'Next',
    panel: { hostBitsBlock: false, ipv6Warning: false },
    sim: { truncatesIpv6: false, hostBitsThrow: false, failsWhenCallerTrusted: false } },
  { name: 'docspace-3.6 pretending 3.5.2', profile: 'docspace-3.6', version: '3.5.2', family: 'UpTo35',
    panel: { hostBitsBlock: true, ipv6Warning: true },
    sim: { truncatesIpv6: true, hostBitsThrow: true, failsWhenCallerTrusted: false } },
  // An old build answers settings/version/build without `docSpace`; the
  // simulator then behaves as its profile's release (3.7.2).
  { name: 'docspace-3.7 not saying its version', profile: 'docspace-3.7', version: null, family: 'Unknown',
    panel: { hostBitsBlock: true, ipv6Warning: true },
    sim: { truncatesIpv6: false, hostBitsThrow: false, failsWhenCallerTrusted: true } },
];

/**
 * The entries, as an administrator types them. `fixed`: the text of the fix
 * button (and what the panel sends, for the ones it rewrites by itself);
 * `blocks(panel)`: whether the row stops the save; `inside`/`outside`: the
 * addresses the administrator meant and the ones next to them; `asTyped`:
 * what the server does with the typed text (why it must not be sent).
 */
const ALL_ENTRIES = [
  { typed: '192.0.2.10/24', fixed: '192.0.2.0/24', ipv6: false,
    blocks: (p) => p.hostBitsBlock,
    says: (p) => (p.hostBitsBlock
      ? /cannot read such a block: every sign-in would fail with an error, locking everyone out\. Use the network form 192\.0\.2\.0\/24 \(192\.0\.2\.0 to 192\.0\.2\.255, 256 addresses\)/
      : /DocSpace trusts the whole network 192\.0\.2\.0\/24: 192\.0\.2\.0 to 192\.0\.2\.255, 256 addresses\. It is saved in that form\./),
    inside: ['192.0.2.0', '192.0.2.10', '192.0.2.255'], outside: ['192.0.1.255', '192.0.3.0'],
    asTyped: (s) => (s.hostBitsThrow ? [['192.0.2.10', 'error'], ['203.0.113.9', 'error']] : [['192.0.2.200', 'token']]) },
  { typed: '2001:db8:abcd::/48', fixed: '2001:db8:abcd::-2001:db8:abcd:ffff:ffff:ffff:ffff:ffff', ipv6: true,
    blocks: () => true,
    says: () => /compares this block wrongly and would trust the much larger network 2001::\/16 instead/,
    inside: ['2001:db8:abcd::', '2001:db8:abcd:1234::1', '2001:db8:abcd:ffff:ffff:ffff:ffff:ffff'],
    outside: ['2001:db8:abcc:ffff:ffff:ffff:ffff:ffff', '2001:db8:abce::', '2001:1::1'],
    asTyped: (s) => (s.truncatesIpv6 ? [] : [['2001:1::1', 'token']]) },
  { typed: '::1/128', fixed: '::1-::1', ipv6: true,
    blocks: () => true,
    says: () => /compares this block wrongly and would trust the much larger network ::\/32 instead/,
    inside: ['::1'], outside: ['::2', '::ffff:192.0.2.1'],
    asTyped: () => [['::ffff:192.0.2.1', 'token']] },
  // Up to 3.7.0 the fix starts at 1.0.0.0: a cut IPv6 visitor ("2001")
  // reads as 0.0.7.209, and no real visitor comes from 0.0.0.0/8.
  { typed: '0.0.0.0/0', fixed: (p) => (p.ipv6Warning ? '1.0.0.0-255.255.255.255' : '0.0.0.0-255.255.255.255'), ipv6: false,
    blocks: () => true,
    says: () => /would trust only the address 0\.0\.0\.0 instead[^]*covers every address of its kind/,
    inside: ['1.0.0.0', '192.0.2.1', '255.255.255.255'], outside: ['2001:db8::5'],
    asTyped: () => [['0.0.0.0', 'token'], ['192.0.2.1', 'tfa']] },
  { typed: '010.0.0.1-010.0.0.9', fixed: '10.0.0.1-10.0.0.9', ipv6: false,
    blocks: () => true,
    says: () => /reads a number that starts with 0 as octal, so “010\.0\.0\.1” would mean 8\.0\.0\.1/,
    inside: ['10.0.0.1', '10.0.0.9'], outside: ['10.0.0.0', '10.0.0.10', '8.0.0.1'],
    asTyped: () => [['8.0.0.1', 'token'], ['10.0.0.1', 'tfa']] },
  { typed: '010.0.0.0/8', fixed: '10.0.0.0/8', ipv6: false,
    blocks: () => true,
    says: () => /reads a number that starts with 0 as octal, so “010\.0\.0\.0” would mean 8\.0\.0\.0/,
    inside: ['10.0.0.0', '10.128.0.1', '10.255.255.255'], outside: ['9.255.255.255', '11.0.0.0', '8.0.0.1'],
    asTyped: () => [['8.1.2.3', 'token'], ['10.1.2.3', 'tfa']] },
  { typed: '10.1-10.9', fixed: null, ipv6: false,
    blocks: () => true,
    says: () => /“10\.1” has fewer than four numbers, and DocSpace would read it as 10\.0\.0\.1/,
    asTyped: () => [['10.0.0.5', 'token'], ['10.1.0.0', 'tfa']] },
  { typed: '2001:0DB8::1', fixed: '2001:db8::1', ipv6: true,
    blocks: () => false,
    says: () => /^Saved as 2001:db8::1: DocSpace compares a single address with the visitor's address as text/,
    inside: ['2001:db8::1'], outside: ['2001:db8::2'],
    asTyped: (s) => (s.truncatesIpv6 ? [] : [['2001:db8::1', 'tfa']]) },
  { typed: '010.0.0.1', fixed: '10.0.0.1', ipv6: false,
    blocks: () => false,
    says: () => /^Saved as 10\.0\.0\.1: DocSpace compares a single address/,
    inside: ['10.0.0.1'], outside: ['10.0.0.2', '8.0.0.1'],
    asTyped: () => [['10.0.0.1', 'tfa']] },
];

/** The entries as judged for one release: a fix that depends on the release is resolved. */
function entriesFor(panel) {
  return ALL_ENTRIES.map((e) => ({ ...e, fixed: typeof e.fixed === 'function' ? e.fixed(panel) : e.fixed }));
}

/** Zoë is an ordinary user on no mandatory list: trusted IPs decide for her. */
const ZOE = 'zoe.lukasz@example.com';

/** Up to 3.7.0 the visitor's address is cut at its first colon (§10.16). */
function cutAtFirstColon(ip) {
  const i = ip.indexOf(':');
  return i > 0 ? ip.slice(0, i) : ip;
}

/**
 * What a sign-in from `ip` should get with the fixed entry as the only
 * trusted IP: a token inside, the TFA step outside; `null` where the
 * release's own behaviour, not the entry, decides (see below).
 */
function expected(entry, ip, inside, sim) {
  if (sim.truncatesIpv6 && cutAtFirstColon(ip) !== ip) {
    // The visitor's address is cut to its first group: an IPv6 entry then
    // never matches (the row says so). An IPv4 entry would compare the group
    // as an IPv4 number (2001 is 0.0.7.209): not the entry's doing.
    return entry.ipv6 ? 'tfa' : null;
  }
  return inside ? 'token' : 'tfa';
}

/** Every row as shown: value, invalid, message, fix button text. */
function rows(page) {
  return page.$$eval('[data-testid=ip-row]', (els) => els.map((row) => ({
    value: row.querySelector('input').value,
    invalid: row.querySelector('input').getAttribute('aria-invalid') === 'true',
    message: row.querySelector('[data-testid=ip-message]').textContent.trim(),
    fix: row.querySelector('[data-testid=ip-fix]')?.textContent.trim() ?? null,
  })));
}

for (const release of RELEASES) {
  const { panel, sim: server } = release;
  const ENTRIES = entriesFor(panel);
  test(`trusted IPs [${release.name}]: dangerous entries cannot be sent as typed; each fix is stored as shown and trusts exactly the addresses meant`, async (fx) => {
    const sim = await fx.sim(release.profile);
    if ('version' in release) await sim.version(release.version);
    const page = await open(fx, sim, 'other', 'owner');
    assert.equal(await page.getAttribute('[data-testid=server-version]', 'data-family'), release.family);
    await policyReady(page);
    await page.check('[data-testid=method-app]');

    // The proxy note, and what it warns about is real: the sign-in checks
    // below choose their address with that very query parameter.
    const proxy = page.locator('details[data-testid=proxy-note]');
    assert.match(await proxy.textContent(), /request-x-real-ip[^]*anyone can claim a trusted address/);

    // Everything typed in one paste.
    fx.step('typing the entries');
    await page.click('details.paste > summary');
    await page.fill('#ip-paste', ENTRIES.map((e) => e.typed).join('\n'));
    await page.click('details.paste button:has-text("Add all")');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=ip-row]').length === n, ENTRIES.length);

    const wrong = [];
    const shown = await rows(page);
    const panelTruncates = ['V36', 'UpTo35', 'Unknown'].includes(release.family);
    ENTRIES.forEach((e, i) => {
      const row = shown[i];
      if (row.value !== e.typed) wrong.push(`row ${i + 1} holds ${row.value}, typed ${e.typed}`);
      if (row.invalid !== e.blocks(panel)) wrong.push(`${e.typed}: ${row.invalid ? 'blocks the save' : 'does not block the save'}: ${row.message}`);
      if (!e.says(panel).test(row.message)) wrong.push(`${e.typed} says: ${row.message}`);
      const fix = e.fixed && `Use ${e.fixed}`;
      if (row.fix !== fix) wrong.push(`${e.typed}: fix button ${JSON.stringify(row.fix)}, want ${JSON.stringify(fix)}`);
      const never = /IPv6 entries match almost nobody/.test(row.message);
      if (e.ipv6 && never !== panelTruncates) wrong.push(`${e.typed}: ${never ? 'says' : 'does not say'} that IPv6 entries never match: ${row.message}`);
    });
    assert.deepEqual(wrong, [], `rows judged wrongly on ${release.name}:\n${wrong.join('\n')}`);

    // Nothing can be sent as typed: the button is off, and forcing a submit sends nothing.
    assert.equal(await page.isDisabled('[data-testid=policy-submit]'), true);
    assert.match(await page.textContent('[data-testid=policy-blocker]'), /Fix the marked trusted IP entries first/);
    await page.evaluate(() => document.querySelector('[data-testid=policy-form]').requestSubmit());
    await page.press('[data-testid=ip-row] input >> nth=0', 'Enter');
    await page.waitForTimeout(300);
    assert.equal((await putsTo(sim, '/api/2.0/settings/tfaappwithlink')).length, 0, 'nothing was sent');

    // Fix what blocks with its own button; leave the rest as typed (the panel
    // rewrites it on sending); remove the one without a fix.
    fx.step('applying the fixes');
    for (const e of ENTRIES.filter((x) => x.fixed && x.blocks(panel))) {
      const row = await ipRow(page, e.typed);
      await row.locator('[data-testid=ip-fix]').click();
      await page.waitForFunction((t) => [...document.querySelectorAll('[data-testid=ip-row] input')].some((i) => i.value === t), e.fixed);
    }
    for (const e of ENTRIES.filter((x) => !x.fixed)) {
      await (await ipRow(page, e.typed)).locator('button:has-text("Remove")').click();
    }
    const kept = ENTRIES.filter((e) => e.fixed);
    const after = await rows(page);
    assert.deepEqual(after.map((r) => r.value), kept.map((e) => (e.blocks(panel) ? e.fixed : e.typed)));
    assert.deepEqual(after.filter((r) => r.invalid), [], 'no row blocks the save any more');
    for (const e of kept.filter((x) => !x.blocks(panel))) {
      // Left as typed: the row says what is sent, and the fix says the same.
      const row = after.find((r) => r.value === e.typed);
      assert.equal(row.fix, `Use ${e.fixed}`);
      assert.match(row.message, new RegExp(`(Saved as|whole network) ${e.fixed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }

    // Up to 3.7.0 (and when the version is unknown) ranges and blocks break
    // sign-in for IPv6 visitors: the save waits for an explicit yes.
    const ack = page.locator('[data-testid=ipv6-ack]');
    if (panel.ipv6Warning) {
      assert.equal(await page.isDisabled('[data-testid=policy-submit]'), true, 'blocked until the IPv6 warning is acknowledged');
      assert.match(await page.textContent('[data-testid=policy-blocker]'), /Confirm the warning about IPv6 visitors above first/);
      assert.match(await page.locator('[data-testid=warning]', { has: ack }).textContent(),
        /every sign-in from an IPv6 address whose first group contains a letter \(such as 2a02:… or fd00:…\) fails with a server error/);
      await ack.check();
    } else {
      assert.equal(await ack.count(), 0, 'no IPv6 warning on this release');
    }
    assert.equal(await page.isEnabled('[data-testid=policy-submit]'), true,
      `the fixed list can be saved; blocker: ${await page.textContent('[data-testid=policy-blocker]')}`);
    fx.step('saving');
    await page.click('[data-testid=policy-submit]');
    const result = await resultParts(page);

    // The body carries only the fixed texts, and the portal stored them as sent.
    const sent = kept.map((e) => e.fixed);
    const puts = await putsTo(sim, '/api/2.0/settings/tfaappwithlink');
    assert.equal(puts.length, 1);
    assert.deepEqual(puts[0].json.trustedIps, sent);
    const app = (await sim.tfaSettings()).app;
    assert.equal(app.enabled, true);
    assert.deepEqual(app.trustedIps, sent, 'the settings, read again, hold exactly the fixed entries');
    for (const r of await sim.requests()) {
      let body;
      try { body = JSON.parse(r.body); } catch { continue; }
      for (const ip of body?.trustedIps ?? []) {
        assert.ok(sent.includes(ip), `${r.method} ${r.path} carried ${ip}, which is not a fixed entry`);
      }
    }
    // This browser's own address (127.0.0.1) is now trusted: the owner needs no link.
    if (server.failsWhenCallerTrusted) {
      assert.equal(puts[0].status, 500);
      assert.equal(result.heading, 'Saved, but the portal then failed');
    } else {
      assert.equal(puts[0].status, 200);
      assert.equal(result.heading, 'The new policy is in force');
      assert.match(result.lead, /returned no link/);
    }

    // The saved list, as a whole, from the request IP of test control.
    fx.step('signing in against the saved list');
    const whole = [];
    const fromControl = async (ip) => {
      await sim.clientIp(ip);
      const r = await sim.signIn(ZOE);
      return r.status === 200 ? r.outcome : r.status;
    };
    if (await fromControl('192.0.2.77') !== 'token') whole.push('192.0.2.77 is not trusted');
    // (Up to 3.7.0 an IPv6 visitor is cut to its first group, and 2001 then
    // reads as the IPv4 address 0.0.7.209, inside 0.0.0.0-255.255.255.255.)
    if (!server.truncatesIpv6 && await fromControl('2001:db8:abcd::77') !== 'token') whole.push('2001:db8:abcd::77 is not trusted');
    // The warning the administrator acknowledged is true, and only where the panel gives it.
    const letterGroup = await fromControl('2a02:6b8::1');
    if (server.truncatesIpv6 ? letterGroup !== 500 : letterGroup !== 'tfa') whole.push(`a visitor from 2a02:6b8::1 got ${letterGroup}`);
    if (server.truncatesIpv6 && !panel.ipv6Warning) whole.push('the panel gave no IPv6 warning on a release that fails such sign-ins');
    await sim.clientIp(null);
    assert.deepEqual(whole, [], `sign-ins against the saved list:\n${whole.join('\n')}`);

    // Each fixed entry alone: inside trusted, outside not, never a 500.
    fx.step('signing in against each fixed entry');
    const misses = [];
    const only = async (entryText) => {
      const put = await sim.api('settings/tfaapp', { method: 'PUT', body: { type: 'App', id: IDS.owner, trustedIps: [entryText] } });
      assert.equal(put.status, 200, `the simulator accepts ${entryText}: ${put.text}`);
    };
    for (const e of kept) {
      await only(e.fixed);
      for (const [ip, inside] of [...e.inside.map((a) => [a, true]), ...e.outside.map((a) => [a, false])]) {
        const want = expected(e, ip, inside, server);
        if (want === null) continue;
        const got = await sim.signIn(ZOE, ip);
        if (got.status !== 200) misses.push(`${e.fixed} from ${ip}: ${got.status} ${got.text.slice(0, 120)}`);
        else if (got.outcome !== want) misses.push(`${e.fixed} from ${ip}: ${got.outcome === 'token' ? 'trusted' : 'TFA asked'}, want ${want === 'token' ? 'trusted' : 'TFA asked'}`);
      }
    }
    assert.deepEqual(misses, [], `fixed entries on ${release.name} that do not trust exactly what was meant:\n${misses.join('\n')}`);

    // And why none is sent as typed: what the server does with the typed text.
    fx.step('signing in against the entries as typed');
    const typedWrong = [];
    for (const e of ENTRIES) {
      const cases = e.asTyped(server);
      if (!cases.length) continue;
      await only(e.typed);
      for (const [ip, want] of cases) {
        const got = await sim.signIn(ZOE, ip);
        const outcome = got.status === 200 ? got.outcome : 'error';
        if (outcome !== want) typedWrong.push(`${e.typed} from ${ip}: ${outcome} (${got.status}), the panel's reason expects ${want}`);
      }
    }
    assert.deepEqual(typedWrong, [], `the panel's reasons do not match the server:\n${typedWrong.join('\n')}`);
  }, { timeout: 90_000 });
}

// Entries already on the portal (saved by an older panel, or by hand) are
// judged when the settings load, before anything else is changed: the
// danger is stated, the fix offered, and the list cannot be saved back as it is.
for (const release of RELEASES.filter((r) => ['docspace-3.7', 'docspace-3.6 pretending 3.5.2'].includes(r.name))) {
  const { panel } = release;
  const ENTRIES = entriesFor(panel);
  test(`trusted IPs [${release.name}]: dangerous entries already on the portal are flagged when the settings load, with their fixes`, async (fx) => {
    const sim = await fx.sim(release.profile);
    if ('version' in release) await sim.version(release.version);
    const stored = ENTRIES.filter((e) => e.fixed).map((e) => e.typed);
    const put = await sim.api('settings/tfaapp', { method: 'PUT', body: { type: 'App', id: IDS.owner, trustedIps: stored } });
    assert.equal(put.status, 200, put.text);
    await sim.control('requests', 'DELETE');
    const page = await open(fx, sim, 'other', 'owner');
    await policyReady(page);

    const shown = await rows(page);
    assert.deepEqual(shown.map((r) => r.value), stored, 'the form shows the portal\'s entries as stored');
    const wrong = [];
    ENTRIES.filter((e) => e.fixed).forEach((e, i) => {
      const row = shown[i];
      if (row.invalid !== e.blocks(panel)) wrong.push(`${e.typed}: ${row.invalid ? 'blocks' : 'does not block'}: ${row.message}`);
      if (!e.says(panel).test(row.message)) wrong.push(`${e.typed} says: ${row.message}`);
      if (row.fix !== `Use ${e.fixed}`) wrong.push(`${e.typed}: fix button ${JSON.stringify(row.fix)}`);
    });
    assert.deepEqual(wrong, [], `stored entries judged wrongly:\n${wrong.join('\n')}`);
    assert.equal(await page.isDisabled('[data-testid=policy-submit]'), true, 'the stored list cannot be saved back as it is');
    assert.match(await page.textContent('[data-testid=policy-blocker]'), /Fix the marked trusted IP entries first/);

    // Every fix, then save: the portal holds the fixed list.
    for (const e of ENTRIES.filter((x) => x.fixed)) {
      const fix = (await ipRow(page, e.typed)).locator('[data-testid=ip-fix]');
      await fix.click();
      await page.waitForFunction((t) => [...document.querySelectorAll('[data-testid=ip-row] input')].some((i) => i.value === t), e.fixed);
    }
    const ack = page.locator('[data-testid=ipv6-ack]');
    if (panel.ipv6Warning) await ack.check();
    await page.click('[data-testid=policy-submit]');
    await resultParts(page);
    const fixed = ENTRIES.filter((e) => e.fixed).map((e) => e.fixed);
    assert.deepEqual((await sim.tfaSettings()).app.trustedIps, fixed);
    for (const r of await sim.requests()) {
      let body;
      try { body = JSON.parse(r.body); } catch { continue; }
      for (const ip of body?.trustedIps ?? []) assert.ok(fixed.includes(ip), `${r.method} ${r.path} carried ${ip}`);
    }
  });
}

// Up to 3.7.0 an IPv6 visitor's address is cut at its first colon, and a
// first group of digits only (2001, 2600, 2800: most of the IPv6 internet)
// is then read as an IPv4 number: 2001 is 0.0.7.209. An IPv4 entry that
// covers 0.0.0.0-0.0.39.15 therefore trusts those IPv6 visitors too, and the
// fix offered for 0.0.0.0/0 does.
test('trusted IPs [docspace-3.6]: the fix for 0.0.0.0/0 trusts every IPv4 visitor and no IPv6 one', async (fx) => {
  const sim = await fx.sim('docspace-3.6');
  const page = await open(fx, sim, 'other', 'owner');
  await policyReady(page);
  await page.check('[data-testid=method-app]');
  await page.fill('#ip-new', '0.0.0.0/0');
  await page.press('#ip-new', 'Enter');
  const fix = (await page.textContent('[data-testid=ip-fix]')).trim().replace(/^Use /, '');
  const put = await sim.api('settings/tfaapp', { method: 'PUT', body: { type: 'App', id: IDS.owner, trustedIps: [fix] } });
  assert.equal(put.status, 200, put.text);
  const wrong = [];
  for (const [ip, want] of [['192.0.2.1', 'token'], ['255.255.255.255', 'token'], ['2001:db8::5', 'tfa'], ['2600:1f18::1', 'tfa']]) {
    const got = await sim.signIn(ZOE, ip);
    const outcome = got.status === 200 ? got.outcome : `${got.status}`;
    if (outcome !== want) wrong.push(`from ${ip}: ${outcome === 'token' ? 'trusted' : outcome}, want ${want === 'token' ? 'trusted' : 'the TFA step'}`);
  }
  assert.deepEqual(wrong, [], `with the fix ${fix} alone on DocSpace 3.6:\n${wrong.join('\n')}`);
});
