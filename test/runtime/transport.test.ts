import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { dropConnection, sendJson, startServer, TestServer } from './http-server';
import { TransportError } from '../../src/runtime/errors';
import { agentOptions, HttpTransport, TransportOptions, transportOptions } from '../../src/runtime/http/transport';
import { Env, readSettings } from '../../src/runtime/settings';

let agent: Agent;
let server: TestServer | undefined;

beforeEach(() => {
  agent = new Agent({ keepAliveTimeout: 1000 });
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await agent.close();
});

/** A transport whose waits are recorded, not slept, on a clock the waits advance. */
function transport(opts: TransportOptions = {}) {
  const delays: number[] = [];
  let clock = 1_700_000_000_000;
  const t = new HttpTransport({
    dispatcher: agent,
    maxAttempts: 4,
    random: () => 0.5,
    now: () => clock,
    sleep: async (ms) => { delays.push(ms); clock += ms; },
    ...opts,
  });
  return { t, delays, now: () => clock };
}

/** Answers the n-th request (0-based) with plan[n], the last entry for every later one. */
function plan(...steps: Array<(res: import('node:http').ServerResponse, raw: import('node:http').IncomingMessage) => void>) {
  let n = 0;
  return (_req: unknown, res: import('node:http').ServerResponse, raw: import('node:http').IncomingMessage) => {
    steps[Math.min(n++, steps.length - 1)](res, raw);
  };
}

const ok = (res: import('node:http').ServerResponse) => sendJson(res, 200, { ok: true });
const status = (code: number, headers: Record<string, string> = {}) =>
  (res: import('node:http').ServerResponse) => sendJson(res, code, { error_code: 'X', error_msg: 'busy' }, headers);

describe('retries', () => {
  test('retries 503 for a GET until it succeeds, with exponential full-jitter backoff', async () => {
    server = await startServer(plan(status(503), status(503), ok));
    const { t, delays } = transport({ baseDelayMs: 100, maxDelayMs: 10_000 });
    const res = await t.send({ method: 'GET', url: `${server.url}/v3/p/vaults` });
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(3);
    expect(delays).toEqual([50, 100]); // 0.5 * 100, 0.5 * 200
    expect(server.received).toHaveLength(3);
  });

  test('honours Retry-After in seconds, even for a POST', async () => {
    server = await startServer(plan(status(429, { 'Retry-After': '2' }), ok));
    const { t, delays } = transport();
    const res = await t.send({ method: 'POST', url: `${server.url}/v3/p/vaults`, body: '{}' });
    expect(res.status).toBe(200);
    expect(delays).toEqual([2000]);
  });

  test('honours Retry-After as an HTTP date', async () => {
    const { t, delays, now } = transport();
    server = await startServer(plan(status(503, { 'Retry-After': new Date(now() + 7000).toUTCString() }), ok));
    await t.send({ method: 'GET', url: server.url });
    expect(delays).toEqual([7000]);
  });

  test('returns the last retryable response once attempts are exhausted', async () => {
    server = await startServer(plan(status(503)));
    const { t, delays } = transport({ maxAttempts: 3 });
    const res = await t.send({ method: 'GET', url: server.url });
    expect(res.status).toBe(503);
    expect(res.attempts).toBe(3);
    expect(delays).toHaveLength(2);
  });

  test('stops early when the next wait would exceed the time budget', async () => {
    server = await startServer(plan(status(503, { 'Retry-After': '30' })));
    const { t, delays } = transport({ maxAttempts: 6, budgetMs: 45_000 });
    const res = await t.send({ method: 'GET', url: server.url });
    expect(res.attempts).toBe(2);
    expect(delays).toEqual([30_000]);
  });

  test('caps the backoff ceiling at maxDelayMs', async () => {
    server = await startServer(plan(status(502)));
    const { t, delays } = transport({ maxAttempts: 6, random: () => 0.999, baseDelayMs: 1000, maxDelayMs: 3000 });
    await t.send({ method: 'GET', url: server.url });
    expect(delays).toEqual([999, 1998, 2997, 2997, 2997]);
  });

  test('retries 500/502/504 for idempotent methods but not for a POST', async () => {
    server = await startServer(plan(status(500), ok));
    const put = await transport().t.send({ method: 'PUT', url: server.url, body: '{}' });
    expect(put.status).toBe(200);
    await server.close();

    server = await startServer(plan(status(502), ok));
    const post = await transport().t.send({ method: 'POST', url: server.url, body: '{}' });
    expect(post.status).toBe(502);
    expect(server.received).toHaveLength(1);
  });

  test('retries a POST after 502 when retryUnsafe is set', async () => {
    server = await startServer(plan(status(502), ok));
    const res = await transport().t.send({ method: 'POST', url: server.url, body: '{}' }, { retryUnsafe: true });
    expect(res.status).toBe(200);
  });

  test('does not retry 400, 401, 404 or 409', async () => {
    for (const code of [400, 401, 404, 409]) {
      server = await startServer(plan(status(code), ok));
      const res = await transport().t.send({ method: 'GET', url: server.url });
      expect(res.status).toBe(code);
      expect(res.attempts).toBe(1);
      await server.close();
      server = undefined;
    }
  });

  test('calls authorize before every attempt so each retry is signed afresh', async () => {
    server = await startServer(plan(status(503), ok));
    const seen: number[] = [];
    await transport().t.send({ method: 'GET', url: server.url, headers: { 'X-A': '1' } }, {
      authorize: (_r, attempt) => { seen.push(attempt); return { 'X-Attempt': String(attempt) }; },
    });
    expect(seen).toEqual([1, 2]);
    expect(server.received.map((r) => [r.headers['x-attempt'], r.headers['x-a']])).toEqual([['1', '1'], ['2', '1']]);
  });

  test('reports each retry to onRetry', async () => {
    server = await startServer(plan(status(503), ok));
    const events: string[] = [];
    await transport({ onRetry: (e) => events.push(`${e.method} ${e.attempt} ${e.cause} ${e.delayMs}`) }).t.send({ method: 'GET', url: server.url });
    expect(events).toEqual(['GET 1 503 250']);
  });
});

describe('connection failures', () => {
  test('retries a GET after the connection is dropped', async () => {
    server = await startServer(plan((_res, raw) => dropConnection(raw), ok));
    const res = await transport().t.send({ method: 'GET', url: server.url });
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(2);
  });

  test('fails without retrying when a POST loses its connection after sending', async () => {
    server = await startServer(plan((_res, raw) => dropConnection(raw), ok));
    const err = await transport().t.send({ method: 'POST', url: `${server.url}/v3/p/vaults?x=secret`, body: '{}' }).catch((e) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.attempts).toBe(1);
    expect(err.code).toBe('UND_ERR_SOCKET');
    expect(err.message).toMatch(/^CBR POST \/v3\/p\/vaults failed after 1 attempt: .*not retried: the POST may have reached the server/);
    expect(err.message).not.toContain('secret');
    expect(server.received).toHaveLength(1);
  });

  test('retries a POST after a dropped connection when retryUnsafe is set', async () => {
    server = await startServer(plan((_res, raw) => dropConnection(raw), ok));
    const res = await transport().t.send({ method: 'POST', url: server.url, body: '{}' }, { retryUnsafe: true });
    expect(res.status).toBe(200);
  });

  test('retries a refused connection, even for a POST, and reports attempts and the last cause', async () => {
    const closed = await startServer(() => undefined);
    const url = closed.url;
    await closed.close();
    const { t, delays } = transport({ maxAttempts: 3 });
    const err = await t.send({ method: 'POST', url: `${url}/v3/p/policies`, body: '{}' }).catch((e) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.attempts).toBe(3);
    expect(err.code).toBe('ECONNREFUSED');
    expect(err.message).toMatch(/^CBR POST \/v3\/p\/policies failed after 3 attempts: .*ECONNREFUSED/);
    expect(delays).toHaveLength(2);
  });

  test('retries a GET whose response headers arrive after the timeout', async () => {
    server = await startServer(plan((res) => { setTimeout(() => ok(res), 600); }, ok));
    const res = await transport({ timeoutMs: 150 }).t.send({ method: 'GET', url: server.url });
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(2);
  });

  test('fails a POST whose response headers arrive after the timeout, with a hint', async () => {
    server = await startServer(plan((res) => { setTimeout(() => ok(res), 600); }));
    const err = await transport({ timeoutMs: 150 }).t.send({ method: 'POST', url: server.url, body: '{}' }).catch((e) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.code).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect(err.attempts).toBe(1);
    expect(err.message).toContain('no response headers within 150 ms');
    expect(err.message).toContain('not retried: the POST may have reached the server');
  });

  test('fails after the attempts when the body stalls past the timeout', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"partial":');
      setTimeout(() => res.end('1}'), 600);
    });
    const err = await transport({ timeoutMs: 150, maxAttempts: 2 }).t.send({ method: 'GET', url: server.url }).catch((e) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.code).toBe('UND_ERR_BODY_TIMEOUT');
    expect(err.message).toMatch(/failed after 2 attempts: .*raise CBR_HTTP_TIMEOUT_MS/);
  });

  test('the last attempt\'s timeout is cut to what remains of the budget', async () => {
    // The server answers after 800 ms: with the 5 s per-attempt timeout the call would succeed,
    // so a headers timeout proves the 200 ms budget cut the attempt short (no wall-clock assertion).
    server = await startServer(plan((res) => { setTimeout(() => ok(res), 800); }));
    const err = await new HttpTransport({ dispatcher: agent, timeoutMs: 5000, budgetMs: 200, maxAttempts: 1 })
      .send({ method: 'GET', url: server.url }).catch((e) => e);
    expect(err.code).toBe('UND_ERR_HEADERS_TIMEOUT');
  });
});

describe('TLS', () => {
  let dir: string;
  let tls: { key: string; cert: string };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cbr-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    tls = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('fails on an untrusted certificate without retrying, pointing at CBR_CA_FILE', async () => {
    server = await startServer(plan(ok), tls);
    const err = await transport().t.send({ method: 'GET', url: server.url }).catch((e) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.attempts).toBe(1);
    expect(err.message).toContain('set CBR_CA_FILE');
  });

  test('trusts the CA given by CBR_CA_FILE', async () => {
    server = await startServer(plan(ok), tls);
    const caAgent = new Agent(agentOptions(readSettings({ CBR_CA_FILE: join(dir, 'cert.pem') })));
    try {
      const res = await new HttpTransport({ dispatcher: caAgent }).send({ method: 'GET', url: server.url });
      expect(res.status).toBe(200);
    } finally {
      await caAgent.close();
    }
  });

  test('fails when CBR_CA_FILE cannot be read or holds no certificate', () => {
    expect(() => agentOptions(readSettings({ CBR_CA_FILE: join(dir, 'missing.pem') }))).toThrow(/CBR_CA_FILE points to ".*missing.pem", which cannot be read \(ENOENT\)/);
    writeFileSync(join(dir, 'junk.pem'), 'not a cert');
    expect(() => agentOptions(readSettings({ CBR_CA_FILE: join(dir, 'junk.pem') }))).toThrow(/holds no PEM certificate/);
  });
});

describe('settings from the environment', () => {
  const options = (env: Env) => transportOptions(readSettings(env));

  test('reads CBR_HTTP_TIMEOUT_MS, CBR_HTTP_MAX_ATTEMPTS and CBR_HTTP_BUDGET_MS', () => {
    expect(options({})).toEqual({ timeoutMs: 30_000, maxAttempts: 6, budgetMs: 120_000 });
    expect(options({ CBR_HTTP_TIMEOUT_MS: '5000', CBR_HTTP_MAX_ATTEMPTS: '2', CBR_HTTP_BUDGET_MS: '9000' }))
      .toEqual({ timeoutMs: 5000, maxAttempts: 2, budgetMs: 9000 });
    const t = HttpTransport.fromSettings(readSettings({ CBR_HTTP_MAX_ATTEMPTS: '3' }), { dispatcher: agent });
    expect(t.settings).toEqual({ timeoutMs: 30_000, maxAttempts: 3, budgetMs: 120_000, baseDelayMs: 500, maxDelayMs: 20_000 });
  });

  test.each(['abc', '0', '-5', '1.5'])('fails on CBR_HTTP_MAX_ATTEMPTS=%j, naming the variable', (v) => {
    expect(() => options({ CBR_HTTP_MAX_ATTEMPTS: v })).toThrow(`CBR_HTTP_MAX_ATTEMPTS must be a positive whole number, got "${v}"`);
  });

  test('agent options keep TLS verification on and use the timeout', () => {
    const opts = agentOptions(readSettings({ CBR_HTTP_TIMEOUT_MS: '1234' })) as { connect: { rejectUnauthorized: boolean; timeout: number; ca?: unknown }; headersTimeout: number };
    expect(opts.connect).toEqual({ timeout: 1234, rejectUnauthorized: true });
    expect(opts.headersTimeout).toBe(1234);
  });
});
