import { PROJECT, TestEmulator } from './helpers';
import { computeSignature, formatSdkDate } from '../../src/api/cbr/signer';
import { DEFAULT_CREDENTIALS, EmulatorCredentials } from '../../src/emulator';

const VAULTS = `/v3/${PROJECT}/vaults`;
const AUTH_PREFIX = 'Incorrect IAM authentication information:';

const OTHER: EmulatorCredentials = {
  accessKey: 'EMULATOROTHERKEY0001',
  secretKey: 'other-secret',
  projectId: '0123456789abcdef0123456789abcdef',
  userName: 'other-user',
  password: 'other-password',
  domainName: 'other-domain',
};

function passwordBody(scope: Record<string, string>, password = DEFAULT_CREDENTIALS.password) {
  return {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: DEFAULT_CREDENTIALS.userName, password, domain: { name: DEFAULT_CREDENTIALS.domainName } } },
      },
      scope: { project: scope },
    },
  };
}

async function postJson(url: string, body: unknown) {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: await res.json() as any };
}

describe('authentication', () => {
  let emu: TestEmulator;
  let clock: Date;
  beforeEach(async () => {
    clock = new Date(Date.UTC(2024, 3, 16, 9, 53, 41));
    emu = await TestEmulator.start({ now: () => clock, credentials: [DEFAULT_CREDENTIALS, OTHER] });
  });
  afterEach(() => emu.close());

  async function expect401(res: { status: number; body: any }, reason: string): Promise<void> {
    expect({ status: res.status, body: res.body }).toEqual({ status: 401, body: { error_code: 'APIGW.0301', error_msg: `${AUTH_PREFIX} ${reason}` } });
  }

  test('accepts a request signed by the official SDK signer', async () => {
    const res = await emu.call('GET', VAULTS, { date: clock, query: { name: 'x y', limit: '5' } });
    expect(res.status).toBe(200);
  });

  test('fails when the signature is made with the wrong secret key', async () => {
    await expect401(await emu.call('GET', VAULTS, { date: clock, secretKey: 'not-the-secret' }), 'verify aksk signature fail');
  });

  test('fails when the body is changed after signing', async () => {
    const body = { vault: { name: 'v', billing: { consistent_level: 'crash_consistent', object_type: 'disk', protect_type: 'backup', size: 10 }, resources: [] } };
    const res = await emu.call('POST', VAULTS, { date: clock, body, tamper: (r) => { r.body = r.body!.replace('"size":10', '"size":99'); } });
    await expect401(res, 'verify aksk signature fail');
  });

  test('fails when the query is changed after signing', async () => {
    await expect401(await emu.call('GET', VAULTS, { date: clock, query: { limit: '5' }, tamper: (r) => { r.url = r.url.replace('limit=5', 'limit=6'); } }),
      'verify aksk signature fail');
  });

  test('fails when the date is more than 15 minutes behind or ahead', async () => {
    const minutes = (m: number) => new Date(clock.getTime() + m * 60_000);
    await expect401(await emu.call('GET', VAULTS, { date: minutes(-16) }), 'X-Sdk-Date differs from the server time by more than 15 minutes');
    await expect401(await emu.call('GET', VAULTS, { date: minutes(16) }), 'X-Sdk-Date differs from the server time by more than 15 minutes');
    expect((await emu.call('GET', VAULTS, { date: minutes(-14) })).status).toBe(200);
    expect((await emu.call('GET', VAULTS, { date: minutes(14) })).status).toBe(200);
  });

  test('fails when the access key is unknown', async () => {
    await expect401(await emu.call('GET', VAULTS, { date: clock, accessKey: 'NOSUCHKEY' }), 'Get secretKey failed, ak:NOSUCHKEY, err:ak not exist');
  });

  test('fails when the Authorization header is missing', async () => {
    await expect401(await emu.call('GET', VAULTS, { date: clock, tamper: (r) => { delete r.headers.Authorization; } }),
      'no X-Auth-Token and no Authorization header');
  });

  test('fails when the X-Sdk-Date header is missing', async () => {
    await expect401(await emu.call('GET', VAULTS, { date: clock, tamper: (r) => { delete r.headers['X-Sdk-Date']; } }), 'no X-Sdk-Date header');
  });

  test('fails when the Authorization header is not SDK-HMAC-SHA256', async () => {
    await expect401(await emu.call('GET', VAULTS, { date: clock, tamper: (r) => { r.headers.Authorization = 'Bearer abc'; } }),
      'Authorization must be "SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=..."');
  });

  test('fails when host is not among the signed headers', async () => {
    const date = formatSdkDate(clock);
    const signature = computeSignature({ method: 'GET', url: emu.url + VAULTS, headers: { 'x-sdk-date': date }, body: '' },
      ['x-sdk-date'], date, DEFAULT_CREDENTIALS.secretKey);
    const res = await fetch(emu.url + VAULTS, {
      headers: { 'X-Sdk-Date': date, 'Authorization': `SDK-HMAC-SHA256 Access=${DEFAULT_CREDENTIALS.accessKey}, SignedHeaders=x-sdk-date, Signature=${signature}` },
    });
    await expect401({ status: res.status, body: await res.json() }, 'SignedHeaders must include host');
  });

  test('fails with 403 when the path names another project than the credentials', async () => {
    const res = await emu.call('GET', `/v3/${OTHER.projectId}/vaults`, { date: clock });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error_code: 'APIGW.0302',
      error_msg: `The IAM user is not authorized to access the API. The credentials are not valid for project "${OTHER.projectId}".`,
    });
    // The other account reaches its own project.
    const own = await emu.call('GET', `/v3/${OTHER.projectId}/vaults`, { date: clock, accessKey: OTHER.accessKey, secretKey: OTHER.secretKey });
    expect(own.status).toBe(200);
  });

  test('fails with 403 when X-Project-Id disagrees with the path', async () => {
    const res = await emu.call('GET', VAULTS, { date: clock, headers: { 'X-Project-Id': OTHER.projectId } });
    expect([res.status, res.body.error_code]).toEqual([403, 'APIGW.0302']);
    expect((await emu.call('GET', VAULTS, { date: clock, headers: { 'X-Project-Id': PROJECT } })).status).toBe(200);
  });

  test('keeps each project\'s vaults apart', async () => {
    const body = { vault: { name: 'mine', billing: { consistent_level: 'crash_consistent', object_type: 'disk', protect_type: 'backup', size: 10 }, resources: [] } };
    const created = (await emu.call('POST', VAULTS, { date: clock, body })).body.vault;
    const other = { date: clock, accessKey: OTHER.accessKey, secretKey: OTHER.secretKey };
    expect((await emu.call('GET', `/v3/${OTHER.projectId}/vaults`, other)).body.count).toBe(0);
    expect((await emu.call('GET', `/v3/${OTHER.projectId}/vaults/${created.id}`, other)).status).toBe(404);
  });

  test('issues a 24-hour token for the password method scoped by project id, and accepts it', async () => {
    const res = await postJson(`${emu.url}/v3/auth/tokens`, passwordBody({ id: PROJECT }));
    expect(res.status).toBe(201);
    const token = res.headers.get('x-subject-token');
    expect(token).toMatch(/^MII/);
    expect(res.body.token.expires_at).toBe('2024-04-17T09:53:41.000000Z');
    expect(res.body.token.project).toMatchObject({ id: PROJECT });
    expect(res.body.token.methods).toEqual(['password']);
    expect((await emu.call('GET', VAULTS, { token: token! })).status).toBe(200);
  });

  test('issues a token scoped by project name, which is the region', async () => {
    const res = await postJson(`${emu.url}/v3/auth/tokens`, passwordBody({ name: 'emulator-region-1' }));
    expect(res.status).toBe(201);
    expect(res.body.token.project).toMatchObject({ id: PROJECT, name: 'emulator-region-1' });
  });

  test('fails to issue a token for a wrong password', async () => {
    const res = await postJson(`${emu.url}/v3/auth/tokens`, passwordBody({ id: PROJECT }, 'wrong'));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error_code: 'IAM.0004', error_msg: 'The username or password is wrong.' });
  });

  test('fails to issue a token without a project scope', async () => {
    const body = passwordBody({ id: PROJECT });
    delete (body.auth as any).scope;
    const res = await postJson(`${emu.url}/v3/auth/tokens`, body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error_code: 'IAM.0007', error_msg: 'Request parameter is invalid. auth.scope.project is mandatory (CBR is a project-level service).' });
  });

  test('fails when the token is unknown', async () => {
    await expect401(await emu.call('GET', VAULTS, { token: 'MIInot-a-token' }), 'decrypt token fail');
  });

  test('fails when the token has expired', async () => {
    const token = (await postJson(`${emu.url}/v3/auth/tokens`, passwordBody({ id: PROJECT }))).headers.get('x-subject-token')!;
    clock = new Date(clock.getTime() + 24 * 3600_000 - 1000);
    expect((await emu.call('GET', VAULTS, { token })).status).toBe(200);
    clock = new Date(clock.getTime() + 1000);
    await expect401(await emu.call('GET', VAULTS, { token }), 'the token has expired');
  });

  test('fails with 403 when a token is used on another project', async () => {
    const token = (await postJson(`${emu.url}/v3/auth/tokens`, passwordBody({ id: PROJECT }))).headers.get('x-subject-token')!;
    const res = await emu.call('GET', `/v3/${OTHER.projectId}/vaults`, { token });
    expect([res.status, res.body.error_code]).toEqual([403, 'APIGW.0302']);
  });

  test('logs every API request with its status and error code, but not admin requests', async () => {
    await emu.call('GET', VAULTS, { date: clock, query: { limit: '2' } });
    await emu.call('GET', VAULTS, { date: clock, accessKey: 'NOSUCHKEY' });
    await emu.admin('GET', '/_emulator/health');
    const log = await emu.admin('GET', '/_emulator/requests');
    expect(log).toEqual([
      { seq: 1, method: 'GET', path: VAULTS, query: { limit: '2' }, status: 200, at: clock.toISOString() },
      { seq: 2, method: 'GET', path: VAULTS, query: {}, status: 401, errorCode: 'APIGW.0301', at: clock.toISOString() },
    ]);
    await emu.admin('DELETE', '/_emulator/requests');
    expect(await emu.admin('GET', '/_emulator/requests')).toEqual([]);
  });
});
