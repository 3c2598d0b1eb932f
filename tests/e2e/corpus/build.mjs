// Writes the bad-input corpus (trusted-ips.json, bad-guids.json,
// pasted-1000.json) next to this file. Deterministic: run it again after
// editing the lists below and commit the JSON it writes.
//
//   node tests/e2e/corpus/build.mjs
//
// Each trusted-IP entry: { value, valid, canonical?, why }. `canonical` is
// what the panel must send for a valid entry (DocSpace compares single
// addresses as text, so one spelling matters). Valid entries are distinct
// after canonicalisation, so none of them is flagged as a repeat.
// The verdicts are the seed contract's (specs/corpus.mjs runs on the seed
// profile): there a CIDR block is compared as written, so IPv6 blocks and /0
// are good; on a real release the panel blocks those (specs/trusted-ips.mjs).

import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const good = [];
const bad = [];
const ok = (value, canonical, why) => good.push({ value, valid: true, canonical: canonical ?? value.trim(), why });
const no = (value, why) => bad.push({ value, valid: false, why });

// ---------------------------------------------------------------- valid
ok('192.0.2.10', null, 'IPv4 address');
ok(' 192.0.2.11 ', '192.0.2.11', 'spaces at the ends are trimmed');
ok('\t192.0.2.12\r\n', '192.0.2.12', 'tab and line break at the ends are trimmed');
ok('0.0.0.0', null, 'lowest IPv4 address');
ok('255.255.255.255', null, 'highest IPv4 address');
ok('10.0.0.1', null, 'private IPv4');
ok('172.16.5.4', null, 'private IPv4');
ok('100.64.0.1', null, 'shared address space');
ok('::1', null, 'IPv6 loopback');
ok('::', null, 'IPv6 unspecified');
ok('2001:DB8::1', '2001:db8::1', 'IPv6 is sent lowercase');
ok('2001:0db8:0000:0000:0000:0000:0000:0002', '2001:db8::2', 'IPv6 written in full is shortened');
ok('2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1', 'the first longest zero run is compressed');
ok('::ffff:192.0.2.1', null, 'IPv4-mapped IPv6');
ok('fe80::1', null, 'link-local IPv6 without a zone');
ok('2001:db8:85a3::8a2e:370:7334', null, 'IPv6 documentation example');
ok('10.0.0.0/8', null, 'CIDR block');
ok('0.0.0.0/0', null, 'CIDR matching everything (allowed, with a note)');
ok('203.0.113.0/24', null, 'CIDR block');
ok('192.0.2.1/32', null, 'one-address CIDR block');
ok('10.200.2.3/16', '10.200.0.0/16', 'CIDR with host bits set: sent as its network (the server reads it so)');
ok('172.16.0.0/012', '172.16.0.0/12', 'leading zero in the prefix is dropped');
ok('2001:db8::/32', null, 'IPv6 CIDR (allowed, with a note)');
ok('2001:DB8:1::/128', '2001:db8:1::/128', 'IPv6 CIDR lowercased');
ok('::/0', null, 'IPv6 CIDR matching everything');
ok('198.51.100.1-198.51.100.20', null, 'IPv4 range');
ok('192.0.2.5-192.0.2.5', null, 'one-address range');
ok('2001:db8::10-2001:db8::ff', null, 'IPv6 range');
ok('2001:DB8::100-2001:db8:0::1FF', '2001:db8::100-2001:db8::1ff', 'IPv6 range canonicalised');
ok('9.255.255.255-10.0.0.0', null, 'range across an octet boundary');
for (let i = 100; i < 160; i++) ok(`192.0.2.${i}`, null, 'IPv4 address');
for (let i = 1; i <= 32; i++) ok(`10.${i}.0.0/16`, null, 'CIDR block');
for (let i = 1; i <= 20; i++) ok(`198.51.${i}.1-198.51.${i}.${i + 1}`, null, 'IPv4 range');
for (let i = 1; i <= 16; i++) ok(`2001:db8:${i.toString(16)}::1`, null, 'IPv6 address');
for (let i = 1; i <= 10; i++) ok(`  203.0.${i}.0/24  `, `203.0.${i}.0/24`, 'CIDR with spaces at the ends');
// A single address is compared as text: leading zeros are dropped and the
// row says so (inside ranges and blocks they are octal: see the bad list).
ok('01.2.3.4', '1.2.3.4', 'leading zero in a single address is dropped');
ok('1.2.3.05', '1.2.3.5', 'leading zero in the last octet of a single address is dropped');
ok('0.0.0.01', '0.0.0.1', 'zero-padded octet in a single address');
ok('010.000.000.011', '10.0.0.11', 'zero-padded single address is read as decimal');
ok('192.000.002.001', '192.0.2.1', 'zero-padded single address is read as decimal');

// -------------------------------------------------------------- invalid
no('', 'empty');
no('   ', 'only spaces');
no('\t', 'only a tab');
no('\n\r', 'only line breaks');
no('1.2.3.4 /24', 'space before the slash');
no('1.2.3.4/ 24', 'space after the slash');
no('1.2.3.4 - 1.2.3.9', 'spaces around the dash');
no('1.2.3.4 1.2.3.5', 'two addresses in one entry');
no('\u00a01.2.3.4', 'no-break space in front');
no('1.2.3.4\u3000', 'ideographic space at the end');
no('1.2.3.4\u2003', 'em space at the end');
no('1.2.3.4\u0085', 'next-line character at the end');
no('\u200b1.2.3.4', 'zero-width space in front');
no('\ufeff1.2.3.4', 'byte order mark in front');
no('1'.repeat(500), '500 characters');
no('a'.repeat(101), '101 characters');
no('0'.repeat(99) + '1', '100 characters, not an address');
no('192.0.2.1'.repeat(12), 'addresses run together');
no('1'.repeat(10_000), '10,000 characters');
no('999.999.999.999', 'octets above 255');
no('256.0.0.1', 'octet 256');
no('1.2.3.256', 'last octet 256');
no('300.1.1.1', 'octet 300');
no('1.2.3', 'three octets');
no('1.2.3.4.5', 'five octets');
no('1..2.3', 'empty octet');
no('.1.2.3', 'leading dot');
no('1.2.3.4.', 'trailing dot');
no('1.2.3.4:80', 'with a port');
no('[::1]', 'IPv6 in brackets');
no('[::1]:443', 'IPv6 in brackets with a port');
no('fe80::1%eth0', 'IPv6 with a zone name');
no('fe80::1%2', 'IPv6 with a zone number');
no('fe80::1%', 'IPv6 with an empty zone');
no('１.２.３.４', 'fullwidth digits');
no('１９２.168.0.1', 'fullwidth digits in one octet');
no('١٢٣.1.1.1', 'Arabic-Indic digits');
no('١.١.١.١', 'Arabic-Indic digits everywhere');
no('१.२.३.४', 'Devanagari digits');
no('১.২.৩.৪', 'Bengali digits');
no('¹.2.3.4', 'superscript digit');
no('𝟏.2.3.4', 'mathematical bold digit');
no('1。2。3。4', 'ideographic full stops');
no('1٫2٫3٫4', 'Arabic decimal separators');
no('localhost', 'host name');
no('example.com', 'domain name');
no('http://1.2.3.4', 'URL');
no('*', 'wildcard');
no('1.2.3.*', 'wildcard octet');
no('0x7f.0.0.1', 'hexadecimal octet');
// .NET reads a leading zero as octal and fills in shorthand inside ranges and
// blocks (API notes §10.3): refused, never sent.
no('010.0.0.1-010.0.0.9', 'leading zeros in a range (octal to DocSpace)');
no('1.2.3.04-1.2.3.9', 'leading zero at the start of a range');
no('192.168.1.1-192.168.1.010', 'leading zero at the end of a range');
no('010.0.0.0/8', 'leading zero in a CIDR block (octal to DocSpace)');
no('10.1-10.9', 'shorthand addresses in a range');
no('10.1/16', 'shorthand address in a CIDR block');
no('192.168.1-192.168.9', 'three-part shorthand in a range');
no('2130706433-2130706434', 'addresses as single numbers in a range');
no('2130706433', 'IPv4 as one number');
no('%31.2.3.4', 'percent-encoded digit');
no('1.2.3.4%', 'trailing percent sign');
no('1:2:3:4:5:6:7:8:9', 'nine IPv6 groups');
no('2001:db8:0:0:0:0:0:0:1', 'nine IPv6 groups written out');
no('2001:db8:::1', 'triple colon');
no(':::', 'only colons');
no('1::2::3', 'two double colons');
no('12345::', 'IPv6 group too long');
no('gggg::1', 'non-hex IPv6 group');
no('2001:db8::g', 'non-hex IPv6 digit');
no('::ffff:999.1.1.1', 'IPv4-mapped with a bad octet');
no('1.2.3.4\u0000', 'NUL at the end');
no('a.b.c.d/24', 'letters before the slash');
no('1.2.3/24', 'three octets before the slash');
no('1.2.3.4-1.2.3.x', 'letter in the range end');
no('[::1]-[::2]', 'bracketed range');
no('/24', 'prefix without an address');
no('/', 'only a slash');
no('1.2.3.4-', 'range without an end');
no('-1.2.3.4', 'range without a start');
no('-', 'only a dash');
no('::1-', 'IPv6 range without an end');
no('::1/', 'IPv6 CIDR without a prefix');
no('1.2.3.4-1.2.3.1', 'reversed range');
no('10.0.0.10-10.0.0.1', 'reversed range');
no('255.255.255.255-0.0.0.0', 'reversed full range');
no('2001:db8::ff-2001:db8::1', 'reversed IPv6 range');
no('1.2.3.4-::1', 'IPv4 to IPv6 range');
no('::1-1.2.3.4', 'IPv6 to IPv4 range');
no('::ffff:1.2.3.4-1.2.3.5', 'IPv4-mapped to IPv4 range');
no('1.2.3.4/33', 'IPv4 prefix 33');
no('1.2.3.4/99999999999', 'huge prefix');
no('2001:db8::/129', 'IPv6 prefix 129');
no('2001:db8::/-1', 'negative IPv6 prefix');
no('1.2.3.4/-1', 'negative prefix');
no('1.2.3.4/', 'nothing after the slash');
no('1.2.3.4/0x10', 'hexadecimal prefix');
no('1.2.3.4/+8', 'signed prefix');
no('1.2.3.4/２４', 'fullwidth prefix');
no('1.2.3.4/24.0', 'fractional prefix');
no('1.2.3.4/24/8', 'two slashes');
no('1.2.3.4-5.6.7.8-9.9.9.9', 'two dashes');
no('not-an-ip', 'the text from DocSpace bug 82994');
no('1.2.3.4-1.2.3.9/24', 'range and CIDR together');
no('1.2.3.0/24-1.2.4.0', 'CIDR then range');
no('-1.2.3.4/24', 'dash and slash');
no('1,2,3,4', 'commas instead of dots');
no('1.2.3.4;', 'trailing semicolon');
no('<script>alert(1)</script>', 'markup');
no("' OR 1=1 --", 'SQL-looking text');
no('${jndi:ldap://x}', 'template injection text');
no('192.0.2.1\n192.0.2.2', 'two lines in one entry');
for (let i = 1; i <= 12; i++) no(`10.0.${i}.9-10.0.${i}.1`, 'reversed range');
for (let p = 33; p <= 40; p++) no(`192.0.2.0/${p}`, 'IPv4 prefix too large');
for (let o = 256; o <= 265; o++) no(`192.0.2.${o}`, 'octet too large');

// Interleave so that good and bad entries sit next to each other in the form.
const mixed = [];
for (let i = 0; i < Math.max(good.length, bad.length); i++) {
  if (good[i]) mixed.push(good[i]);
  if (bad[i]) mixed.push(bad[i]);
}
const seen = new Set();
for (const e of good) {
  if (seen.has(e.canonical)) throw new Error(`duplicate valid entry ${e.canonical}`);
  seen.add(e.canonical);
}

// ---------------------------------------------------------------- GUIDs
const PRIYA = '8f2c1a9e-0005-4a6e-9c1d-5e7f00000005';
const guids = [];
const g = (value, valid, why, id) => guids.push(valid ? { value, valid, id, why } : { value, valid, why });
g('', false, 'empty');
g('   ', false, 'only spaces');
g('abc', false, 'not an ID');
g('{}', false, 'empty braces');
g(PRIYA.replace(/-/g, ''), false, 'no hyphens');
g(PRIYA.slice(0, 35), false, '35 characters');
g(`${PRIYA}a`, false, 'hex character glued to the end');
g(`a${PRIYA}`, false, 'hex character glued to the front');
g(`${PRIYA}_x`, false, 'underscore glued to the end');
g(`${PRIYA}-1`, false, 'extra hyphenated group');
g(PRIYA.replace('4a6e', '4a6g'), false, 'g is not hex');
g(PRIYA.replace(/-/g, '_'), false, 'underscores instead of hyphens');
g('8f2c1a9e0-005-4a6e-9c1d-5e7f00000005', false, 'hyphen in the wrong place');
g('8f2c1a9e-0005-4a6e-9c1d5-e7f00000005', false, 'hyphen in the wrong place');
g(PRIYA.replace(/5$/, '５'), false, 'fullwidth digit');
g(PRIYA.replace('8f2c', '８f2c'), false, 'fullwidth digit at the start');
g(PRIYA.replace('-', ' '), false, 'space instead of a hyphen');
g(PRIYA.replace('-', '\u2011'), false, 'non-breaking hyphen');
g(PRIYA.replace('-', '\u2013'), false, 'en dash');
g('zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', false, 'right shape, not hex');
g('xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx', false, 'a template');
g('<img src=x onerror=alert(1)>', false, 'markup');
g('00000000-0000-0000-0000-000000000000', false, 'the nil ID names no user');
g('g'.repeat(5000), false, 'a long paste without an ID');
// Controls: these must be accepted, each as exactly one ID.
g(PRIYA, true, 'an ID', PRIYA);
g(PRIYA.toUpperCase(), true, 'uppercase is accepted and lowercased', PRIYA);
g(`  {${PRIYA}}  `, true, 'braces and spaces are accepted', PRIYA);
g(`https://portal.example.com/accounts/people?user=${PRIYA}`, true, 'an ID inside a link', PRIYA);
g(`{${PRIYA}`, true, 'an ID after a stray brace is pulled out', PRIYA);
g(`(${PRIYA})`, true, 'an ID in parentheses is pulled out', PRIYA);

// ------------------------------------------------ a pasted list of 1,000
// Entries without separators (the paste splits on line breaks, commas,
// semicolons, tabs and spaces), joined with a mix of those separators.
let seed = 20240601;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const badTokens = bad.map((b) => b.value).filter((v) => v && !/[\s,;]/.test(v) && v.length <= 200);
const rows = [];
for (let i = 0; i < 1000; i++) {
  if (rand() < 0.3) {
    rows.push({ value: badTokens[Math.floor(rand() * badTokens.length)], valid: false });
  } else {
    const n = i + 1;
    const kind = n % 3;
    const value = kind === 0 ? `10.${n >> 8}.${n & 255}.1`
      : kind === 1 ? `172.${16 + (n >> 8)}.${n & 255}.0/24`
        : `192.168.${n >> 8}.${n & 255}-192.168.${n >> 8}.${n & 255}`;
    rows.push({ value, valid: true });
  }
}
const seps = ['\n', '\n', '\r\n', ', ', ';', '\t', ' '];
const text = rows.map((r, i) => r.value + (i < rows.length - 1 ? seps[i % seps.length] : '\n')).join('');

const write = (name, data) => writeFileSync(join(here, name), `${JSON.stringify(data, null, 1)}\n`);
write('trusted-ips.json', mixed);
write('bad-guids.json', guids);
write('pasted-1000.json', { text, rows });
console.log(`trusted-ips.json: ${mixed.length} entries (${good.length} valid, ${bad.length} invalid)`);
console.log(`bad-guids.json: ${guids.length} entries (${guids.filter((x) => !x.valid).length} invalid)`);
console.log(`pasted-1000.json: ${rows.length} entries (${rows.filter((r) => !r.valid).length} invalid)`);
