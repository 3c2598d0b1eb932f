// Simulator processes for the suite: a pool of API simulators per profile
// (each test leases one for itself and it is reset before use), plus one
// static server that serves the panel from a second origin.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const children = new Set();

function killAll() {
  for (const child of children) {
    try { child.kill('SIGTERM'); } catch { /* already gone */ }
  }
  children.clear();
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => { killAll(); process.exit(130); });
}

/** Starts `docspace-sim` and resolves with its URL once it listens. */
export function spawnSim(bin, args, { host = '127.0.0.1' } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['--addr', '127.0.0.1:0', '--quiet', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => reject(new Error(`simulator did not start: ${stderr}`)), 10_000);
    child.on('exit', (code) => {
      children.delete(child);
      clearTimeout(timer);
      reject(new Error(`simulator exited with ${code}: ${stderr}`));
    });
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = /^listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
      if (!m) return reject(new Error(`unexpected first line from the simulator: ${line}`));
      lines.on('line', () => {});
      resolve({ child, url: `http://${host}:${m[1]}`, port: Number(m[1]) });
    });
  });
}

/** One running API simulator with its test-control helpers. */
export class Sim {
  constructor(child, url, profile) {
    this.child = child;
    this.url = url;
    this.profile = profile;
    this.busy = false;
  }

  /** A handle for one test: it stops working once the test has ended. */
  lease() {
    const handle = Object.create(this);
    handle.revoked = false;
    return handle;
  }

  guard() {
    if (this.revoked) throw new Error('this test no longer holds the simulator');
  }

  async control(path, method = 'GET', body) {
    this.guard();
    const res = await fetch(`${this.url}/sim/control/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  reset() { return this.control('reset', 'POST'); }

  /** Injects a fault: `{ path, method, kind, times }` (see the simulator's control API). */
  fault(fault) { return this.control('fault', 'POST', { times: 1, ...fault }); }

  clearFaults() { return this.control('fault', 'DELETE'); }

  requests() { return this.control('requests'); }

  outbox() { return this.control('outbox'); }

  /** A fresh session token (the value of the portal's auth cookie) for a role or user id. */
  async sessionToken(as) { return (await this.control('session', 'POST', { as })).token; }

  /** Calls the DocSpace API with an API key; returns { status, body }. */
  async api(path, { method = 'GET', key = 'sk-demo-owner', body } = {}) {
    this.guard();
    const headers = { authorization: `Bearer ${key}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.url}/api/2.0/${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, body: json, text };
  }

  /** Pretends another release of the profile's family (`null`: the portal does not say). */
  version(version) { return this.control('version', 'POST', { version }); }

  /** The request IP for trusted-IP matching when a request does not name one (`null` clears). */
  clientIp(ip) { return this.control('client-ip', 'POST', { ip }); }

  /**
   * Signs in as `login` with the demo password, from `ip` (the
   * `request-x-real-ip` query parameter, which the real profiles honour).
   * Returns { status, outcome: 'token' | 'tfa' | 'error', body }: a token when
   * TFA is not required of that user from that address, a TFA step when it is.
   */
  async signIn(login, ip) {
    this.guard();
    const query = ip === undefined ? '' : `?request-x-real-ip=${encodeURIComponent(ip)}`;
    const res = await fetch(`${this.url}/api/2.0/authentication${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ userName: login, password: 'demo-password' }),
    });
    const text = await res.text();
    let body = null;
    try { body = JSON.parse(text); } catch { /* not JSON */ }
    const r = body?.response;
    const outcome = res.status !== 200 ? 'error' : r?.token ? 'token' : r?.tfa || r?.sms ? 'tfa' : 'error';
    return { status: res.status, outcome, body, text };
  }

  /** A person as the owner's API key sees them in `people/filter` (by e-mail). */
  async person(email) {
    const { status, body } = await this.api(`people/filter?filterValue=${encodeURIComponent(email)}`);
    if (status !== 200) throw new Error(`GET people/filter gave ${status}`);
    return body.response.find((p) => p.email === email) ?? null;
  }

  /** Status of `GET people/@self` with a session cookie: 200 while the session lives, 401 once signed out. */
  async sessionStatus(token) {
    this.guard();
    const res = await fetch(`${this.url}/api/2.0/people/@self`, { headers: { cookie: `asc_auth_key=${token}` } });
    await res.text();
    return res.status;
  }

  /** The portal's TFA settings as the owner's API key sees them, by method id. */
  async tfaSettings() {
    const { status, body } = await this.api('settings/tfaapp');
    if (status !== 200) throw new Error(`GET settings/tfaapp gave ${status}`);
    return Object.fromEntries(body.response.map((m) => [m.id, m]));
  }
}

/** Simulators by profile, started on demand and leased one test at a time. */
export class SimPool {
  constructor({ bin, dist }) {
    this.bin = bin;
    this.dist = dist;
    this.sims = [];
    this.staticOrigin = null;
  }

  /** The second origin that serves only the panel (the API lives elsewhere). */
  async startStatic() {
    // Served as "localhost" while the API is "127.0.0.1": another site, not only another port.
    const { url } = await spawnSim(this.bin, ['--static-dir', this.dist], { host: 'localhost' });
    this.staticOrigin = url;
    return url;
  }

  /**
   * A simulator of `profile`; extra flags ride along after a `+`:
   * `docspace-3.7+users=50000` is `--profile docspace-3.7 --users 50000`.
   */
  async acquire(profile = 'seed') {
    let sim = this.sims.find((s) => s.profile === profile && !s.busy);
    if (!sim) {
      const [name, ...extras] = profile.split('+');
      const args = ['--test-control', '--static-dir', this.dist, '--profile', name];
      for (const e of extras) {
        const [flag, value] = e.split('=');
        args.push(`--${flag}`, ...(value === undefined ? [] : [value]));
      }
      const { child, url } = await spawnSim(this.bin, args);
      sim = new Sim(child, url, profile);
      this.sims.push(sim);
    }
    sim.busy = true;
    await sim.reset();
    return sim;
  }

  release(sim) {
    sim.busy = false;
  }

  stop() { killAll(); }
}
