import { IncomingMessage, ServerResponse } from 'node:http';
import { Agent } from 'undici';
import { dropConnection, Received, sendJson, startServer, TestServer } from './http-server';
import type { Vault } from '../../src/api/cbr/responses';
import { computeSignature, parseAuthorization, parseSdkDate } from '../../src/api/cbr/signer';
import { CbrClient, RequestEvent } from '../../src/runtime/cbr/client';
import { CbrConfig, loadCbrConfig } from '../../src/runtime/cbr/config';
import { ApiError, isNotFound, TransportError } from '../../src/runtime/errors';
import { closeSharedAgent, HttpTransport } from '../../src/runtime/http/transport';
import { readSettings } from '../../src/runtime/settings';

const AK = 'AKIDCLIENTTEST01';
const SK = 'client-test-secret-key-0123456789';
const PROJECT = 'f841e01fd2b14e7fa41b6ae7aa6b0594';

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'drop';
type Route = (req: Received, url: URL) => Reply | undefined;

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

/** Verifies the request as the emulator would: signature over what was received, and the date's freshness. */
function signatureProblem(req: Received, secretKey: string): string | undefined {
  const auth = parseAuthorization(req.headers.authorization ?? '');
  if (!auth) return 'missing or malformed Authorization';
  if (auth.accessKey !== AK) return 'unknown access key';
  const date = req.headers['x-sdk-date'];
  const parsed = date ? parseSdkDate(date) : undefined;
  if (!parsed || Math.abs(parsed.getTime() - Date.now()) > 15 * 60_000) return 'stale or missing X-Sdk-Date';
  for (const h of ['host', 'x-sdk-date', 'content-type']) if (!auth.signedHeaders.includes(h)) return `${h} not signed`;
  const expected = computeSignature({ method: req.method, url: `http://${req.headers.host}${req.url}`, headers: req.headers, body: req.body },
    auth.signedHeaders, date!, secretKey);
  return expected === auth.signature ? undefined : 'signature mismatch';
}

/** A CBR stand-in: checks AK/SK signatures (or X-Auth-Token), then asks the routes for a reply. */
async function cbrServer(route: Route, opts: { token?: string; secretKey?: string } = {}): Promise<TestServer> {
  return startServer((req: Received, res: ServerResponse, raw: IncomingMessage) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname !== '/v3/auth/tokens') {
      const problem = opts.token !== undefined
        ? (req.headers['x-auth-token'] === opts.token ? undefined : 'bad token')
        : signatureProblem(req, opts.secretKey ?? SK);
      if (problem) {
        return sendJson(res, 401, { error_code: 'APIGW.0301', error_msg: `Incorrect IAM authentication information: ${problem}` }, { 'X-Request-Id': 'auth-fail' });
      }
    }
    const reply = route(req, url) ?? { status: 404, body: { error_code: 'APIGW.0101', error_msg: 'The API does not exist or has not been published in the environment' } };
    if (reply === 'drop') return dropConnection(raw);
    return sendJson(res, reply.status, reply.body, reply.headers);
  });
}

function config(endpoint: string, overrides: Record<string, string> = {}): CbrConfig {
  return loadCbrConfig(readSettings({ HW_ACCESS_KEY: AK, HW_SECRET_KEY: SK, HW_REGION_NAME: 'ap-southeast-1', HW_PROJECT_ID: PROJECT, HW_CBR_ENDPOINT: endpoint, ...overrides }));
}

function client(cfg: CbrConfig, opts: { events?: RequestEvent[]; now?: () => number; listPageSize?: number } = {}) {
  const transport = new HttpTransport({ dispatcher: agent, maxAttempts: 4, sleep: async () => undefined });
  return new CbrClient(cfg, transport, { onRequest: (e) => opts.events?.push(e), now: opts.now, listPageSize: opts.listPageSize });
}

function vault(id: string, name = `vault-${id}`): Vault {
  return {
    id,
    name,
    created_at: '2020-07-24T09:12:49.492+00:00',
    billing: { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 40, status: 'available' },
    tags: [{ key: 'owner', value: 'me' }],
  };
}

const POLICY = {
  id: 'cbb3ce6f-3332-4e7c-b98e-77290d8471ff',
  name: 'policy001',
  enabled: true,
  operation_type: 'backup',
  operation_definition: { retention_duration_days: 1, timezone: 'UTC+08:00' },
  trigger: { properties: { pattern: ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=14;BYMINUTE=00'], start_time: '2019-05-08T06:57:05.000+00:00' }, type: 'time' },
};

describe('vaults', () => {
  test('creates a vault with a signed JSON request and returns the vault', async () => {
    server = await cbrServer((req, url) => (req.method === 'POST' && url.pathname === `/v3/${PROJECT}/vaults`
      ? { status: 200, body: { vault: { ...vault('v1', JSON.parse(req.body).vault.name) } } } : undefined));
    const created = await client(config(server.url)).createVault({
      vault: { name: '备份-vault', billing: { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 100 }, resources: [] },
    });
    expect(created).toMatchObject({ id: 'v1', name: '备份-vault' });
    const [req] = server.received;
    expect(req.headers['content-type']).toBe('application/json');
    expect(parseAuthorization(req.headers.authorization)!.signedHeaders).toEqual(['content-type', 'host', 'x-sdk-date']);
    expect(JSON.parse(req.body).vault.billing.size).toBe(100);
  });

  test('shows, updates and deletes a vault by id', async () => {
    server = await cbrServer((req, url) => {
      if (url.pathname !== `/v3/${PROJECT}/vaults/v%201`) return undefined;
      if (req.method === 'GET') return { status: 200, body: { vault: vault('v 1') } };
      if (req.method === 'PUT') return { status: 200, body: { vault: { ...vault('v 1'), name: JSON.parse(req.body).vault.name } } };
      if (req.method === 'DELETE') return { status: 204 };
      return undefined;
    });
    const c = client(config(server.url));
    expect((await c.showVault('v 1')).id).toBe('v 1');
    expect((await c.updateVault('v 1', { vault: { name: 'renamed', billing: { size: 200 } } })).name).toBe('renamed');
    await expect(c.deleteVault('v 1')).resolves.toBeUndefined();
    expect(server.received.map((r) => r.method)).toEqual(['GET', 'PUT', 'DELETE']);
    expect(server.received[2].body).toBe('');
  });

  test('lists one page with the documented query parameters', async () => {
    server = await cbrServer((_req, url) => (url.pathname === `/v3/${PROJECT}/vaults` ? { status: 200, body: { vaults: [vault('a')], count: 1 } } : undefined));
    const page = await client(config(server.url)).listVaults({ name: 'a b&c', object_type: 'server', limit: 10, offset: 5, resource_ids: 'r1,r2' });
    expect(page).toEqual({ vaults: [vault('a')], count: 1 });
    const url = new URL(server.received[0].url, 'http://x');
    expect(Object.fromEntries(url.searchParams)).toEqual({ name: 'a b&c', object_type: 'server', limit: '10', offset: '5', resource_ids: 'r1,r2' });
  });

  test('listAllVaults pages with limit/offset until a short page', async () => {
    const all = ['a', 'b', 'c', 'd', 'e'].map((id) => vault(id));
    server = await cbrServer((_req, url) => {
      const limit = Number(url.searchParams.get('limit'));
      const offset = Number(url.searchParams.get('offset') ?? 0);
      return { status: 200, body: { vaults: all.slice(offset, offset + limit), count: all.length } };
    });
    const events: RequestEvent[] = [];
    const vaults = await client(config(server.url), { listPageSize: 2, events }).listAllVaults({ object_type: 'server' });
    expect(vaults.map((v) => v.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(server.received.map((r) => new URL(r.url, 'http://x').search)).toEqual([
      '?object_type=server&limit=2', '?object_type=server&limit=2&offset=2', '?object_type=server&limit=2&offset=4',
    ]);
    expect(events).toHaveLength(3);
  });

  test('listAllVaults stops at count, and when a server ignores offset', async () => {
    const all = ['a', 'b', 'c', 'd'].map((id) => vault(id));
    server = await cbrServer((_req, url) => {
      const offset = Number(url.searchParams.get('offset') ?? 0);
      return { status: 200, body: { vaults: all.slice(offset, offset + 2), count: 4 } };
    });
    expect((await client(config(server.url), { listPageSize: 2 }).listAllVaults()).map((v) => v.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(server.received).toHaveLength(2);
    await server.close();

    server = await cbrServer(() => ({ status: 200, body: { vaults: all.slice(0, 2) } }));
    expect((await client(config(server.url), { listPageSize: 2 }).listAllVaults()).map((v) => v.id)).toEqual(['a', 'b']);
    expect(server.received).toHaveLength(2);
  });

  test('reports a missing vault as not found', async () => {
    server = await cbrServer(() => ({ status: 404, body: { error_code: 'BackupService.6105', error_msg: 'The vault does not exist.' }, headers: { 'X-Request-Id': 'r-404' } }));
    const err = await client(config(server.url)).showVault('gone').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(isNotFound(err)).toBe(true);
    expect(err.message).toBe(`CBR GET /v3/${PROJECT}/vaults/gone failed: 404 BackupService.6105 The vault does not exist. (request id r-404)`);
  });

  test('does not mistake a wrong endpoint (APIGW 404) for a missing vault', async () => {
    server = await cbrServer(() => undefined);
    const err = await client(config(server.url)).deleteVault('v1').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.errorCode).toBe('APIGW.0101');
    expect(isNotFound(err)).toBe(false);
  });
});

describe('policies', () => {
  test('creates, shows, lists, updates and deletes policies', async () => {
    server = await cbrServer((req, url) => {
      const base = `/v3/${PROJECT}/policies`;
      if (url.pathname === base && req.method === 'POST') return { status: 200, body: { policy: { ...POLICY, name: JSON.parse(req.body).policy.name } } };
      if (url.pathname === base && req.method === 'GET') return { status: 200, body: { policies: [POLICY], count: 1 } };
      if (url.pathname === `${base}/${POLICY.id}`) {
        if (req.method === 'GET') return { status: 200, body: { policy: POLICY } };
        if (req.method === 'PUT') return { status: 200, body: { policy: { ...POLICY, enabled: false } } };
        if (req.method === 'DELETE') return { status: 204 };
      }
      return undefined;
    });
    const c = client(config(server.url));
    const created = await c.createPolicy({ policy: { name: 'p2', operation_type: 'backup', operation_definition: { max_backups: 3 }, trigger: { properties: { pattern: ['FREQ=DAILY;INTERVAL=1;BYHOUR=6;BYMINUTE=00'] } } } });
    expect(created.name).toBe('p2');
    expect((await c.showPolicy(POLICY.id)).trigger.properties.pattern).toHaveLength(1);
    expect(await c.listPolicies({ operation_type: 'backup' })).toEqual([POLICY]);
    expect(await c.listPolicies()).toEqual([POLICY]);
    expect((await c.updatePolicy(POLICY.id, { policy: { enabled: false } })).enabled).toBe(false);
    await c.deletePolicy(POLICY.id);
    expect(server.received.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST /v3/${PROJECT}/policies`, `GET /v3/${PROJECT}/policies/${POLICY.id}`, `GET /v3/${PROJECT}/policies?operation_type=backup`,
      `GET /v3/${PROJECT}/policies`, `PUT /v3/${PROJECT}/policies/${POLICY.id}`, `DELETE /v3/${PROJECT}/policies/${POLICY.id}`,
    ]);
  });

  test('reports a missing policy as not found, whatever the status', async () => {
    server = await cbrServer(() => ({ status: 400, body: { error_code: 'BackupService.6000', error_msg: 'The policy does not exist.' } }));
    const err = await client(config(server.url)).deletePolicy('x').catch((e) => e);
    expect(isNotFound(err)).toBe(true);
  });
});

describe('errors and retries', () => {
  test('fails with an ApiError carrying the error body and request id on 400', async () => {
    server = await cbrServer(() => ({ status: 400, body: { error_code: 'BackupService.6201', error_msg: 'Invalid name' }, headers: { 'X-Request-Id': 'abc123' } }));
    const err = await client(config(server.url)).listVaults({ name: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, errorCode: 'BackupService.6201', errorMsg: 'Invalid name', requestId: 'abc123', method: 'GET', path: `/v3/${PROJECT}/vaults` });
    expect(err.message).toBe(`CBR GET /v3/${PROJECT}/vaults failed: 400 BackupService.6201 Invalid name (request id abc123)`);
  });

  test('fails without leaking the secret key or the Authorization header, even when the server echoes them', async () => {
    server = await cbrServer((req) => ({ status: 400, body: { error_code: 'X.1', error_msg: `echo ${req.headers.authorization} key=${SK}` } }));
    const err = await client(config(server.url)).showVault('v').catch((e) => e);
    const auth = server.received[0].headers.authorization;
    const signature = parseAuthorization(auth)!.signature;
    for (const text of [err.message, err.errorMsg, JSON.stringify(err), String(err.stack)]) {
      expect(text).not.toContain(SK);
      expect(text).not.toContain(signature);
    }
  });

  test('fails when the secret key is wrong, and the message does not contain it', async () => {
    server = await cbrServer(() => ({ status: 200, body: { vaults: [] } }));
    const wrong = 'wrong-secret-key-value';
    const err = await client(config(server.url, { HW_SECRET_KEY: wrong })).listVaults().catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(401);
    expect(err.message).toContain('signature mismatch');
    expect(err.message).not.toContain(wrong);
  });

  test('retries 503 and 429 with Retry-After, re-signing each attempt, and counts every attempt', async () => {
    let n = 0;
    server = await cbrServer(() => {
      n++;
      if (n === 1) return { status: 503, body: { error_code: 'APIGW.0308', error_msg: 'throttled' } };
      if (n === 2) return { status: 429, body: {}, headers: { 'Retry-After': '1' } };
      return { status: 200, body: { vaults: [vault('a')], count: 1 } };
    });
    const events: RequestEvent[] = [];
    const page = await client(config(server.url), { events }).listVaults();
    expect(page.vaults).toHaveLength(1);
    expect(events.map((e) => `${e.service} ${e.method} ${e.path} #${e.attempt}`)).toEqual([
      `CBR GET /v3/${PROJECT}/vaults #1`, `CBR GET /v3/${PROJECT}/vaults #2`, `CBR GET /v3/${PROJECT}/vaults #3`,
    ]);
  });

  test('fails with the attempts count when 503 persists', async () => {
    server = await cbrServer(() => ({ status: 503, body: { error_code: 'APIGW.0308', error_msg: 'overloaded' } }));
    const err = await client(config(server.url)).showVault('v').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.attempts).toBe(4);
    expect(err.message).toMatch(/failed: 503 APIGW.0308 overloaded \(after 4 attempts\)$/);
  });

  test('fails a create whose connection drops, without posting twice', async () => {
    server = await cbrServer(() => 'drop');
    const err = await client(config(server.url)).createPolicy({ policy: { name: 'p', operation_type: 'backup', operation_definition: {}, trigger: { properties: { pattern: [] } } } }).catch((e) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.attempts).toBe(1);
    expect(server.received).toHaveLength(1);
  });

  test('retries a read whose connection drops', async () => {
    let n = 0;
    server = await cbrServer(() => (n++ === 0 ? 'drop' : { status: 200, body: { policies: [POLICY] } }));
    expect(await client(config(server.url)).listPolicies()).toHaveLength(1);
  });

  /** A server that migrates on the first call, loses that answer, and answers a repeat with 6135. */
  function migratingServer(destinationHolds: string[]) {
    let posts = 0;
    return cbrServer((req, url) => {
      if (req.method === 'POST' && url.pathname === `/v3/${PROJECT}/vaults/src/migrateresources`) {
        return posts++ === 0 ? 'drop' : { status: 400, body: { error_code: 'BackupService.6135', error_msg: 'The resource does not exist in the vault.' } };
      }
      if (req.method === 'GET' && url.pathname === `/v3/${PROJECT}/vaults/dst`) {
        return { status: 200, body: { vault: { ...vault('dst'), resources: destinationHolds.map((id) => ({ id, type: 'OS::Nova::Server' })) } } };
      }
      return undefined;
    });
  }

  test('a retried migration answered with 6135 succeeds when the destination holds the resources', async () => {
    server = await migratingServer(['ecs-1', 'ecs-2']);
    expect(await client(config(server.url)).migrateResources('src', 'dst', ['ecs-1', 'ecs-2'])).toEqual(['ecs-1', 'ecs-2']);
    expect(server.received.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST /v3/${PROJECT}/vaults/src/migrateresources`,
      `POST /v3/${PROJECT}/vaults/src/migrateresources`,
      `GET /v3/${PROJECT}/vaults/dst`,
    ]);
  });

  test('a retried migration answered with 6135 fails when the destination lacks a resource', async () => {
    server = await migratingServer(['ecs-1']);
    const err = await client(config(server.url)).migrateResources('src', 'dst', ['ecs-1', 'ecs-2']).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect([err.errorCode, err.attempts]).toEqual(['BackupService.6135', 2]);
  });

  test('fails when a 2xx body is not JSON or lacks the documented object', async () => {
    server = await cbrServer((req) => (req.method === 'GET' ? { status: 200, body: { nothing: true } } : { status: 200, body: undefined }));
    await expect(client(config(server.url)).showVault('v')).rejects.toThrow(
      'the response of 4.5.2 Querying a Specified Vault does not have the documented shape: vault: Invalid input: expected object, received undefined');
    await server.close();
    server = await startServer((_req, res) => { res.writeHead(200); res.end('<html>oops</html>'); });
    const c = new CbrClient(config(server.url), new HttpTransport({ dispatcher: agent }));
    await expect(c.listPolicies()).rejects.toThrow(/response is not JSON: <html>oops<\/html>/);
  });

  test('fails naming the API and the field when a response field has the wrong type', async () => {
    const malformed = { id: 'v1', name: 'n', billing: { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: '100' } };
    server = await cbrServer(() => ({ status: 200, body: { vaults: [malformed], count: 1 } }));
    await expect(client(config(server.url)).listVaults()).rejects.toThrow(
      'the response of 4.5.3 Querying the Vault List does not have the documented shape: vaults.0.billing.size: Invalid input: expected number, received string');
  });

  test('passes an HTML error page through as the message', async () => {
    server = await startServer((_req, res) => { res.writeHead(502, { 'X-Request-Id': 'gw' }); res.end('<html>Bad Gateway</html>'); });
    const c = new CbrClient(config(server.url), new HttpTransport({ dispatcher: agent, maxAttempts: 1 }));
    await expect(c.listPolicies()).rejects.toThrow('CBR GET /v3/f841e01fd2b14e7fa41b6ae7aa6b0594/policies failed: 502 <html>Bad Gateway</html> (request id gw)');
  });
});

describe('token authentication', () => {
  const TOKEN = 'MIIPAgYJKoZIhvcNAQcCoIIO8zCCDu8CAQExDTALBglghkgBZQMEAgEwgg1U';

  function tokenEnv(url: string) {
    return loadCbrConfig(readSettings({
      HW_USER_NAME: 'alice',
      HW_PASSWORD: 'token-test-password',
      HW_DOMAIN_NAME: 'acme',
      HW_REGION_NAME: 'ap-southeast-1',
      HW_PROJECT_ID: PROJECT,
      HW_CBR_ENDPOINT: url,
      HW_AUTH_URL: `${url}/v3`,
    }));
  }

  function iamAndCbr(expiresAt: () => string, tokens: string[] = [TOKEN]) {
    let issued = 0;
    return (req: Received, url: URL): Reply | undefined => {
      if (url.pathname === '/v3/auth/tokens') {
        const token = tokens[Math.min(issued++, tokens.length - 1)];
        return { status: 201, body: { token: { expires_at: expiresAt(), methods: ['password'] } }, headers: { 'X-Subject-Token': token } };
      }
      return req.method === 'GET' ? { status: 200, body: { policies: [] } } : undefined;
    };
  }

  test('gets a project-scoped token by password and sends it as X-Auth-Token, once', async () => {
    server = await cbrServer(iamAndCbr(() => new Date(Date.now() + 24 * 3600_000).toISOString()), { token: TOKEN });
    const events: RequestEvent[] = [];
    const c = client(tokenEnv(server.url), { events });
    await c.listPolicies();
    await c.listPolicies();
    expect(server.received.map((r) => r.url)).toEqual(['/v3/auth/tokens', `/v3/${PROJECT}/policies`, `/v3/${PROJECT}/policies`]);
    expect(JSON.parse(server.received[0].body)).toEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'alice', password: 'token-test-password', domain: { name: 'acme' } } } },
        scope: { project: { id: PROJECT } },
      },
    });
    expect(server.received[1].headers['x-auth-token']).toBe(TOKEN);
    expect(server.received[1].headers.authorization).toBeUndefined();
    expect(events.map((e) => e.service)).toEqual(['IAM', 'CBR', 'CBR']);
  });

  test('refreshes the token 5 minutes before expires_at', async () => {
    let clock = Date.parse('2024-04-16T10:00:00Z');
    const expiry = Date.parse('2024-04-16T11:00:00Z');
    server = await cbrServer(iamAndCbr(() => new Date(expiry).toISOString().replace('Z', '000Z')), { token: TOKEN });
    const c = client(tokenEnv(server.url), { now: () => clock });
    await c.listPolicies();
    clock = expiry - 5 * 60_000 - 1;
    await c.listPolicies();
    expect(server.received.filter((r) => r.url === '/v3/auth/tokens')).toHaveLength(1);
    clock = expiry - 5 * 60_000;
    await c.listPolicies();
    expect(server.received.filter((r) => r.url === '/v3/auth/tokens')).toHaveLength(2);
  });

  test('fetches a new token once when the cached one is rejected', async () => {
    const fresh = 'fresh-token-value-0002';
    server = await cbrServer(iamAndCbr(() => new Date(Date.now() + 3600_000).toISOString(), ['revoked-token-0001', fresh]), { token: fresh });
    expect(await client(tokenEnv(server.url)).listPolicies()).toEqual([]);
    expect(server.received.map((r) => r.url.split('?')[0])).toEqual([
      '/v3/auth/tokens', `/v3/${PROJECT}/policies`, '/v3/auth/tokens', `/v3/${PROJECT}/policies`,
    ]);
  });

  test('shares one token request between concurrent calls', async () => {
    server = await cbrServer(iamAndCbr(() => new Date(Date.now() + 3600_000).toISOString()), { token: TOKEN });
    const c = client(tokenEnv(server.url));
    await Promise.all([c.listPolicies(), c.listPolicies(), c.listPolicies()]);
    expect(server.received.filter((r) => r.url === '/v3/auth/tokens')).toHaveLength(1);
  });

  test('fails with an IAM error that never contains the password or token', async () => {
    server = await cbrServer((_req, url) => (url.pathname === '/v3/auth/tokens'
      ? { status: 401, body: { error: { code: 401, title: 'Unauthorized', message: 'The username or password is wrong: token-test-password' } }, headers: { 'X-Request-Id': 'iam-1' } }
      : undefined), { token: TOKEN });
    const err = await client(tokenEnv(server.url)).listPolicies().catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe('IAM POST /v3/auth/tokens failed: 401 401 The username or password is wrong: *** (request id iam-1)');
  });

  test('fails when IAM answers without X-Subject-Token', async () => {
    server = await cbrServer((_req, url) => (url.pathname === '/v3/auth/tokens' ? { status: 201, body: { token: {} } } : undefined), { token: TOKEN });
    await expect(client(tokenEnv(server.url)).listPolicies()).rejects.toThrow('IAM POST /v3/auth/tokens failed: 201 response has no X-Subject-Token header');
  });
});

describe('CbrClient.fromSettings', () => {
  afterEach(() => closeSharedAgent());

  test('builds a working client from the settings of the environment alone', async () => {
    server = await cbrServer(() => ({ status: 200, body: { policies: [POLICY] } }));
    const c = CbrClient.fromSettings(readSettings({
      HW_ACCESS_KEY: AK,
      HW_SECRET_KEY: SK,
      HW_REGION_NAME: 'ap-southeast-1',
      HW_PROJECT_ID: PROJECT,
      HW_CBR_ENDPOINT: server.url,
      CBR_HTTP_MAX_ATTEMPTS: '2',
      CBR_HTTP_TIMEOUT_MS: '5000',
    }));
    expect(await c.listPolicies()).toEqual([POLICY]);
    expect(c.config.endpoint).toBe(server.url);
  });

  test('fails with the configuration error when a variable is missing', () => {
    expect(() => CbrClient.fromSettings(readSettings({ HW_REGION_NAME: 'r1' }))).toThrow(/no Huawei Cloud credentials/);
  });
});
