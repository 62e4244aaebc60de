import { inspect } from 'node:util';
import { FakeClock, startHbr, HbrTestEnv } from './support';
import { rpcSignature } from '../../src/api/hbr/signer';
import { DEFAULT_HBR_CREDENTIALS } from '../../src/emulator/hbr';
import { ApiError, TransportError } from '../../src/runtime/errors';
import { flattenParams, HbrClient, isTaskFinished, TaskTimeoutError } from '../../src/runtime/hbr/client';
import { DEFAULT_TASK_POLL_MS, DEFAULT_TASK_TIMEOUT_MS, loadHbrConfig as loadConfig } from '../../src/runtime/hbr/config';
import { compareVersions } from '../../src/runtime/hbr/versions';
import { HttpTransport } from '../../src/runtime/http/transport';
import { Env, readSettings } from '../../src/runtime/settings';
import { startServer, TestServer } from '../runtime/http-server';

const CREDS = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIexample', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'example-secret-value' };
/** The config of an environment, read as a hook reads it: the settings first. */
const loadHbrConfig = (env: Env) => loadConfig(readSettings(env));

describe('loadHbrConfig', () => {
  test('credentials, region and the default endpoint; task timeout 15 min and poll 5 s by default', () => {
    const c = loadHbrConfig({ ...CREDS, ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou' });
    expect(c).toMatchObject({ region: 'cn-hangzhou', endpoint: 'https://hbr.cn-hangzhou.aliyuncs.com', accessKeyId: 'LTAIexample', taskTimeoutMs: 15 * 60_000, taskPollMs: 5000 });
    expect(DEFAULT_TASK_TIMEOUT_MS).toBe(900_000);
    expect(DEFAULT_TASK_POLL_MS).toBe(5000);
  });

  test('a client\'s own region: its public endpoint, or HBR_ENDPOINT with {region}; fails with an endpoint of one region', () => {
    const at = (env: Env, region: string) => loadConfig(readSettings(env), { region });
    expect(at({ ...CREDS, ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou' }, 'cn-beijing')).toMatchObject({ region: 'cn-beijing', endpoint: 'https://hbr.cn-beijing.aliyuncs.com' });
    expect(at({ ...CREDS, ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou', HBR_ENDPOINT: 'https://hbr-vpc.{region}.example.com' }, 'cn-beijing').endpoint)
      .toBe('https://hbr-vpc.cn-beijing.example.com');
    expect(() => at({ ...CREDS, ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou', HBR_ENDPOINT: 'http://127.0.0.1:8080' }, 'cn-beijing')).toThrow(
      'HBR_ENDPOINT (http://127.0.0.1:8080) is the endpoint of the terraform run\'s region only, and a client is in region "cn-beijing"; ' +
      'put {region} where the region goes, e.g. HBR_ENDPOINT=https://hbr.{region}.example.com.');
  });

  test('HBR_REGION_ID wins over ALIBABA_CLOUD_REGION_ID; HBR_ENDPOINT overrides the endpoint (trailing slash dropped)', () => {
    expect(loadHbrConfig({ ...CREDS, ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou', HBR_REGION_ID: 'cn-shanghai' }).endpoint).toBe('https://hbr.cn-shanghai.aliyuncs.com');
    const c = loadHbrConfig({ ...CREDS, HBR_ENDPOINT: 'http://127.0.0.1:8080/', HBR_TASK_TIMEOUT_MS: '2000', HBR_TASK_POLL_MS: '50' });
    expect(c).toMatchObject({ endpoint: 'http://127.0.0.1:8080', taskTimeoutMs: 2000, taskPollMs: 50 });
    expect(c.region).toBeUndefined();
  });

  test.each([
    [{}, /no Alibaba Cloud credentials.*ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET/],
    [{ ALIBABA_CLOUD_ACCESS_KEY_ID: 'x' }, /ALIBABA_CLOUD_ACCESS_KEY_SECRET is not set/],
    [{ ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'x' }, /ALIBABA_CLOUD_ACCESS_KEY_ID is not set/],
    [CREDS, /ALIBABA_CLOUD_REGION_ID \(or HBR_REGION_ID\) is not set/],
    [{ ...CREDS, ALIBABA_CLOUD_REGION_ID: 'cn hangzhou' }, /must be a region id/],
    [{ ...CREDS, HBR_ENDPOINT: 'hbr.example' }, /HBR_ENDPOINT must be an absolute http\(s\) URL/],
    [{ ...CREDS, HBR_ENDPOINT: 'ftp://x' }, /must use https:\/\//],
    [{ ...CREDS, HBR_ENDPOINT: 'https://u:p@x' }, /must not contain credentials/],
    [{ ...CREDS, HBR_REGION_ID: 'r1', HBR_TASK_TIMEOUT_MS: '15m' }, /HBR_TASK_TIMEOUT_MS must be a positive whole number/],
    [{ ...CREDS, HBR_REGION_ID: 'r1', HBR_TASK_POLL_MS: '0' }, /HBR_TASK_POLL_MS must be a positive whole number/],
  ])('rejects %j', (env, message) => {
    expect(() => loadHbrConfig(env)).toThrow(message);
  });

  test('the secret is hidden from JSON, inspect and enumeration', () => {
    const c = loadHbrConfig({ ...CREDS, HBR_REGION_ID: 'r1', ALIBABA_CLOUD_SECURITY_TOKEN: 'sts-token-value' });
    for (const text of [JSON.stringify(c), inspect(c), String(c), JSON.stringify({ ...c })]) {
      expect(text).not.toContain('example-secret-value');
      expect(text).not.toContain('sts-token-value');
    }
    expect(c.accessKeySecret).toBe('example-secret-value');
    expect(c.securityToken).toBe('sts-token-value');
  });
});

describe('HbrClient over HTTP', () => {
  let server: TestServer | undefined;
  afterEach(async () => { await server?.close(); server = undefined; });

  function clientFor(url: string, transport = new HttpTransport({ maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 })): HbrClient {
    return new HbrClient(loadHbrConfig({ ...CREDS, HBR_ENDPOINT: url }), transport);
  }

  test('POST / with the common parameters signed in the query and the action parameters in the form body', async () => {
    server = await startServer((_req, res) => { res.end('{"RequestId":"r","Success":true,"Code":"200","Message":"successful","TaskId":"t-1"}'); });
    await clientFor(server.url).createClients({ VaultId: 'v-1', ClientInfo: [{ instanceId: 'i-1', sourceTypes: ['HANA'] }], UseHttps: false, AlertSetting: 'INHERITED' });
    const [req] = server.received;
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const url = new URL(req.url, server.url);
    expect(url.pathname).toBe('/');
    const query = Object.fromEntries(url.searchParams);
    expect(query).toMatchObject({ Action: 'CreateClients', Version: '2017-09-08', Format: 'JSON', AccessKeyId: 'LTAIexample', SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0' });
    const body = Object.fromEntries(new URLSearchParams(req.body));
    expect(body).toEqual({ VaultId: 'v-1', AlertSetting: 'INHERITED', ClientInfo: '[{"instanceId":"i-1","sourceTypes":["HANA"]}]', UseHttps: 'false' });
    const { Signature, ...signed } = query;
    expect(Signature).toBe(rpcSignature('POST', { ...signed, ...body }, 'example-secret-value'));
    expect(req.body).toContain('%5B%7B%22instanceId%22'); // RFC 3986 encoding, no '+' for spaces
  });

  test('each retry is signed afresh: a new SignatureNonce, still a valid signature', async () => {
    let n = 0;
    server = await startServer((_req, res) => {
      n += 1;
      if (n === 1) {
        res.statusCode = 503;
        res.end('{"Code":"ServiceUnavailable","Message":"busy"}');
      } else {
        res.end('{"Success":true,"Code":"200","TaskId":"t-1","Progress":100}');
      }
    });
    const events: string[] = [];
    const transport = new HttpTransport({ maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 });
    const client = new HbrClient(loadHbrConfig({ ...CREDS, HBR_ENDPOINT: server.url }), transport,
      { onRequest: (e) => events.push(`${e.action}#${e.attempt}`) });
    await client.describeTask('t-1');
    expect(events).toEqual(['DescribeTask#1', 'DescribeTask#2']);
    const nonces = server.received.map((r) => new URL(r.url, server!.url).searchParams.get('SignatureNonce'));
    expect(new Set(nonces).size).toBe(2);
    for (const r of server.received) {
      const { Signature, ...rest } = Object.fromEntries(new URL(r.url, server.url).searchParams);
      expect(Signature).toBe(rpcSignature('POST', { ...rest, ...Object.fromEntries(new URLSearchParams(r.body)) }, 'example-secret-value'));
    }
  });

  test('reads are retried after a 500; CreateClients and UpgradeBackupClients are not (they may have been applied)', async () => {
    server = await startServer((_req, res) => { res.statusCode = 500; res.end('{"Code":"InternalError","Message":"oops"}'); });
    const client = clientFor(server.url);
    await expect(client.describeBackupClients({ ClientType: 'ECS_CLIENT' })).rejects.toThrow(/HBR POST DescribeBackupClients failed: 500 InternalError oops \(after 3 attempts/);
    const before = server.received.length;
    await expect(client.upgradeBackupClients({ InstanceIds: ['i-1'] })).rejects.toThrow(/500 InternalError/);
    await expect(client.createClients({ VaultId: 'v-1' })).rejects.toThrow(/500 InternalError/);
    expect(server.received.length - before).toBe(2);
  });

  test('errors carry Code, Message and RequestId; secrets echoed by the server are scrubbed', async () => {
    server = await startServer((req, res) => {
      const action = new URL(req.url, 'http://x').searchParams.get('Action');
      if (action === 'DescribeTask') {
        res.statusCode = 400;
        res.end(JSON.stringify({ RequestId: 'REQ-1', Code: 'InstanceNotRunning', Message: 'bad example-secret-value and client-secret-1234' }));
      } else if (action === 'UpgradeBackupClients') {
        res.end(JSON.stringify({ RequestId: 'REQ-2', Success: false, Code: 'InvalidParameter', Message: 'nope' }));
      } else {
        res.end('<html>not json</html>');
      }
    });
    const client = clientFor(server.url);
    const err = await client.describeTask('t-1').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, errorCode: 'InstanceNotRunning', requestId: 'REQ-1', service: 'HBR' });
    expect(err.message).not.toContain('example-secret-value');
    const created = await client.createClients({ VaultId: 'v-1', ClientInfo: [{ instanceId: 'i-1', accessKeySecret: 'client-secret-1234' }] }).catch((e) => e);
    expect(created.message).toMatch(/response is not JSON/);
    const upgrade = await client.upgradeBackupClients({ InstanceIds: ['i-1'] }).catch((e) => e);
    expect(upgrade).toMatchObject({ status: 200, errorCode: 'InvalidParameter', requestId: 'REQ-2' });
  });

  test('fails naming the action and the field when a response field has the wrong type', async () => {
    server = await startServer((_req, res) => { res.end(JSON.stringify({ RequestId: 'REQ-3', TaskId: 't-1', Progress: '50' })); });
    const err = await clientFor(server.url).describeTask('t-1').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe('HBR POST DescribeTask failed: 200 the response of DescribeTask does not have the documented shape: Progress: Invalid input: expected number, received string');
  });

  test('no answer at all is a TransportError naming HBR and the action', async () => {
    const client = clientFor('http://127.0.0.1:1', new HttpTransport({ maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 }));
    await expect(client.describeTask('t-1')).rejects.toThrow(TransportError);
    await expect(client.describeTask('t-1')).rejects.toThrow(/^HBR POST DescribeTask failed after 2 attempts: .*ECONNREFUSED/);
  });
});

describe('HbrClient against the emulator', () => {
  let env: HbrTestEnv;
  beforeEach(async () => { env = await startHbr({}, new FakeClock()); });
  afterEach(async () => { await env.close(); });

  test('listAllBackupClients pages with PageSize 99 until TotalCount', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `i-p${String(i).padStart(3, '0')}`);
    await env.admin('POST', '/instances', ids.map((instanceId) => ({ instanceId })));
    const calls: string[] = [];
    const client = env.client({}, { onRequest: (e) => calls.push(e.action) });
    await client.createClients({ VaultId: 'v-1', ClientInfo: ids.map((instanceId) => ({ instanceId })) });
    const all = await client.listAllBackupClients({ ClientType: 'ECS_CLIENT' });
    expect(all).toHaveLength(150);
    expect(new Set(all.map((c) => c.InstanceId)).size).toBe(150);
    expect(calls).toEqual(['CreateClients', 'DescribeBackupClients', 'DescribeBackupClients']);
    const log = await env.admin('GET', '/requests');
    expect(log.slice(1).map((e: any) => [e.params.PageNumber, e.params.PageSize])).toEqual([['1', '99'], ['2', '99']]);
  });

  test('waitForTask polls DescribeTask until the job is done', async () => {
    await env.admin('POST', '/instances', { instanceId: 'i-1' });
    const client = env.client();
    const { TaskId } = await client.createClients({ VaultId: 'v-1', ClientInfo: [{ instanceId: 'i-1' }] });
    const seen: number[] = [];
    const task = await client.waitForTask(TaskId!, { onPoll: (t) => seen.push(t.Progress ?? NaN) });
    expect(task).toMatchObject({ Description: 'completed', Progress: 100 });
    expect(seen).toEqual([0, 0, 0, 100]); // polled every 100 ms, done at 300 ms
  });

  test('waitForTask gives up after the timeout with the last progress', async () => {
    await env.admin('POST', '/instances', { instanceId: 'i-1', installOutcome: 'hang' });
    const client = env.client({ HBR_TASK_TIMEOUT_MS: '60000', HBR_TASK_POLL_MS: '5000' });
    const { TaskId } = await client.createClients({ VaultId: 'v-1', ClientInfo: [{ instanceId: 'i-1' }] });
    const err = await client.waitForTask(TaskId!).catch((e) => e);
    expect(err).toBeInstanceOf(TaskTimeoutError);
    expect(err.message).toBe(`HBR task ${TaskId} did not finish within 1 min (last progress 0%, created)`);
  });
});

describe('helpers', () => {
  test('flattenParams: JSON for lists, Tag.N.Key/Value for tags, strings for scalars, nothing for undefined', () => {
    expect(flattenParams({ InstanceIds: ['i-1', 'i-2'], Tag: [{ Key: 'a', Value: 'b' }, { Key: 'c' }], PageSize: 99, UseHttps: true, X: undefined }))
      .toEqual({ 'InstanceIds': '["i-1","i-2"]', 'Tag.1.Key': 'a', 'Tag.1.Value': 'b', 'Tag.2.Key': 'c', 'PageSize': '99', 'UseHttps': 'true' });
  });

  test('compareVersions compares numerically', () => {
    expect(compareVersions('2.10.0', '2.9.5')).toBeGreaterThan(0);
    expect(compareVersions('2.4.5', '2.4.5')).toBe(0);
    expect(compareVersions('2.4', '2.4.1')).toBeLessThan(0);
    expect(compareVersions('2.4.5-beta', '2.4.5-rc')).toBeLessThan(0);
  });

  test('isTaskFinished', () => {
    expect(isTaskFinished({ Description: 'created', Progress: 40 })).toBe(false);
    expect(isTaskFinished({ Description: 'completed' })).toBe(true);
    expect(isTaskFinished({ Description: 'expired' })).toBe(true);
    expect(isTaskFinished({ Progress: -1 })).toBe(true);
    expect(isTaskFinished({ CompletedTime: 1615607706 })).toBe(true);
  });

  test('the emulator default credentials are fake ones', () => {
    expect(DEFAULT_HBR_CREDENTIALS.accessKeyId).toMatch(/EMULATOR/);
  });
});
