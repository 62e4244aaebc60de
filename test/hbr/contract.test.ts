/**
 * Contract tests of the HBR emulator against the source documents: 000 CreateClients, 001
 * DescribeBackupClients, 002 UpgradeBackupClients (request parameters, response fields, the
 * examples), plus DescribeTask, the signature checks and the admin endpoints.
 */
import * as fs from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeClock, HbrTestEnv, rawCall, startHbr } from './support';
import { HbrEmulator } from '../../src/emulator/hbr';

// ---- the documents' examples, verbatim ------------------------------------------------------------

/** 000 CreateClients, request example values. */
const CREATE_EXAMPLE_REQUEST = {
  VaultId: 'v-0001ufe******kgm',
  AlertSetting: 'INHERITED',
  ClientInfo: '[ { "instanceId": "i-bp116lr******te9q2", "accessKeyId": "", "accessKeySecret": "", "clusterId": "cl-000csy09q******9rfz9", "sourceTypes": [ "HANA" ] }, { "instanceId": "i-bp116lrux******hte9q4", "accessKeyId": "", "accessKeySecret": "", "clusterId": "cl-000csy09q5094vw9rfz9", "sourceTypes": [ "HANA" ] }]',
  UseHttps: 'false',
  ResourceGroupId: 'rg-aekzvx7d3c4kpny',
};

/** 000 CreateClients, sample success response. */
const CREATE_EXAMPLE_RESPONSE = {
  Code: '200',
  Message: 'successful',
  RequestId: '4A8A9AE4-F798-5E6D-853E-10F9F5A1BD4E',
  TaskId: 't-000h9x5t02vhyksf1x7k',
  Success: true,
  InstanceStatuses: { InstanceStatus: [{ ValidInstance: true, InstanceId: 'i-2zegp3cdu******uj9i' }] },
};

/** 001 DescribeBackupClients, sample success response. */
const DESCRIBE_EXAMPLE_RESPONSE = {
  RequestId: '473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E',
  Success: true,
  Code: '200',
  Message: 'successful',
  PageNumber: 1,
  PageSize: 10,
  TotalCount: 8,
  Clients: [{
    Status: 'ACTIVATED',
    BackupStatus: 'PROTECTED',
    ArchType: 'amd64',
    ClientId: 'c-*********************',
    MaxClientVersion: '2.4.5',
    PrivateIpV4: '192.168.1.1',
    InstanceName: 'instancename',
    CreatedTime: 1554347313,
    LastHeartBeatTime: 1554347313,
    ClientType: 'ECS_CLIENT',
    Hostname: 'hostname',
    InstanceId: 'i-*********************',
    Appliance: false,
    UpdatedTime: 1554347313,
    OsType: 'linux',
    ZoneId: 'cn-hangzhou-f',
    ClientVersion: '2.4.5',
    Tags: [{ Key: 'TestKey', Value: 'TestValue' }],
    Settings: {
      ProxyHost: '192.168.11.100',
      MaxCpuCore: '1',
      ProxyPort: 3128,
      UseHttps: 'false',
      ProxyPassword: '******',
      ProxyUser: 'user',
      DataProxySetting: 'USE_CONTROL_PROXY',
      DataNetworkType: 'VPC',
      MaxWorker: '1',
    },
  }],
};

/** 002 UpgradeBackupClients, sample success response. */
const UPGRADE_EXAMPLE_RESPONSE = {
  Code: '200',
  Message: 'successful',
  RequestId: '473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E',
  TaskId: 't-*********************',
  Success: true,
  InstanceStatuses: [{ ValidInstance: true, InstanceId: 'i-0xi5w***v3j3bh2gj5', ErrorCode: 'InstanceNotExists' }],
};

/** The JSON types of a value, recursively; arrays by their first element. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, shapeOf(v)]));
  }
  return typeof value;
}

const T0 = Date.parse('2024-03-03T12:00:00Z');

describe('HBR emulator contract', () => {
  let env: HbrTestEnv;
  let clock: FakeClock;
  const call = (action: string, params: Record<string, string>, opts: Parameters<typeof rawCall>[3] = {}) =>
    rawCall(env.url, action, params, { now: clock.ms, ...opts });
  const tick = (ms = 400) => { clock.ms += ms; };

  beforeEach(async () => {
    clock = new FakeClock(T0);
    env = await startHbr({}, clock);
  });
  afterEach(async () => { await env.close(); });

  describe('000 CreateClients', () => {
    beforeEach(async () => {
      await env.admin('POST', '/instances', [{ instanceId: 'i-bp116lr******te9q2' }, { instanceId: 'i-bp116lrux******hte9q4' }]);
    });

    test('the documented request gets a response shaped like the documented example', async () => {
      const res = await call('CreateClients', CREATE_EXAMPLE_REQUEST);
      expect(res.status).toBe(200);
      expect(shapeOf(res.body)).toEqual(shapeOf(CREATE_EXAMPLE_RESPONSE));
      expect(res.body).toMatchObject({ Code: '200', Message: 'successful', Success: true });
      expect(res.body.RequestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
      expect(res.body.TaskId).toMatch(/^t-[0-9a-z]{20}$/);
      expect(res.body.InstanceStatuses.InstanceStatus).toEqual([
        { ValidInstance: true, InstanceId: 'i-bp116lr******te9q2' },
        { ValidInstance: true, InstanceId: 'i-bp116lrux******hte9q4' },
      ]);
      // Every request parameter is kept on the client.
      const state = await env.admin('GET', '/state');
      expect(state.clients.map((c: any) => [
        c.InstanceId, c.VaultId, c.ClusterId, c.SourceTypes, c.AlertSetting, c.ResourceGroupId, c.Settings.UseHttps, c.Status,
      ]))
        .toEqual([
          ['i-bp116lr******te9q2', 'v-0001ufe******kgm', 'cl-000csy09q******9rfz9', ['HANA'], 'INHERITED', 'rg-aekzvx7d3c4kpny', 'false', 'INSTALLING'],
          ['i-bp116lrux******hte9q4', 'v-0001ufe******kgm', 'cl-000csy09q5094vw9rfz9', ['HANA'], 'INHERITED', 'rg-aekzvx7d3c4kpny', 'false', 'INSTALLING'],
        ]);
    });

    test('INSTALLING -> ACTIVATED at MaxClientVersion after the transition time; the job completes', async () => {
      const { body } = await call('CreateClients', CREATE_EXAMPLE_REQUEST);
      let task = (await call('DescribeTask', { TaskId: body.TaskId })).body;
      expect(task).toMatchObject({ Success: true, Code: '200', Name: 'CreateClientsTask', Description: 'created', Progress: 0, CreatedTime: T0 / 1000 });
      expect(task.CompletedTime).toBeUndefined();
      tick(299);
      expect((await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT' })).body.Clients.map((c: any) => c.Status)).toEqual(['INSTALLING', 'INSTALLING']);
      tick(1);
      const clients = (await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT' })).body.Clients;
      expect(clients.map((c: any) => [c.Status, c.ClientVersion, c.MaxClientVersion])).toEqual([['ACTIVATED', '2.4.5', '2.4.5'], ['ACTIVATED', '2.4.5', '2.4.5']]);
      task = (await call('DescribeTask', { TaskId: body.TaskId })).body;
      expect(task).toMatchObject({ Description: 'completed', Progress: 100, CompletedTime: Math.floor((T0 + 300) / 1000) });
      expect(JSON.parse(task.Result).instances.map((i: any) => i.status)).toEqual(['ACTIVATED', 'ACTIVATED']);
    });

    test('INSTALLING -> INSTALL_FAILED when the installation fails on the instance', async () => {
      await env.admin('POST', '/instances', { instanceId: 'i-bp116lr******te9q2', installOutcome: 'fail' });
      const { body } = await call('CreateClients', CREATE_EXAMPLE_REQUEST);
      tick();
      const clients = (await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT' })).body.Clients;
      expect(clients.map((c: any) => c.Status)).toEqual(['INSTALL_FAILED', 'ACTIVATED']);
      const task = (await call('DescribeTask', { TaskId: body.TaskId })).body;
      expect(task).toMatchObject({ Description: 'completed', Progress: 100 });
    });

    test('InstanceStatuses: ValidInstance false with the ErrorCode of each instance that cannot take a client', async () => {
      await env.admin('POST', '/instances', [{ instanceId: 'i-stopped', status: 'Stopped' }, { instanceId: 'i-noassist', cloudAssistant: false }]);
      const info = ['i-bp116lr******te9q2', 'i-stopped', 'i-missing', 'i-noassist'].map((instanceId) => ({ instanceId }));
      const res = await call('CreateClients', { VaultId: 'v-0001', ClientInfo: JSON.stringify(info) });
      expect(res.status).toBe(200);
      expect(res.body.InstanceStatuses.InstanceStatus).toEqual([
        { ValidInstance: true, InstanceId: 'i-bp116lr******te9q2' },
        { ValidInstance: false, InstanceId: 'i-stopped', ErrorCode: 'InstanceNotRunning' },
        { ValidInstance: false, InstanceId: 'i-missing', ErrorCode: 'InstanceNotExists' },
        { ValidInstance: false, InstanceId: 'i-noassist', ErrorCode: 'CloudAssistNotRunningOnInstance' },
      ]);
      // Only the valid instance gets a client.
      expect((await env.admin('GET', '/state')).clients.map((c: any) => c.InstanceId)).toEqual(['i-bp116lr******te9q2']);
    });

    test('with one instance that cannot take a client, the call itself fails with its ErrorCode', async () => {
      await env.admin('POST', '/instances', { instanceId: 'i-stopped', status: 'Stopped' });
      const res = await call('CreateClients', { VaultId: 'v-0001', ClientInfo: '[{"instanceId":"i-stopped"}]' });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ Code: 'InstanceNotRunning', Success: false, InstanceStatuses: { InstanceStatus: [{ ValidInstance: false, InstanceId: 'i-stopped', ErrorCode: 'InstanceNotRunning' }] } });
      expect(res.body.Message).toContain('i-stopped');
    });

    test.each([
      [{ AlertSetting: 'INHERITED' }, 'MissingVaultId', 'VaultId is mandatory'],
      [{ VaultId: 'vault-1' }, 'InvalidParameter', 'VaultId'],
      [{ VaultId: 'v-1', AlertSetting: 'EMAIL' }, 'InvalidParameter', 'AlertSetting must be INHERITED'],
      [{ VaultId: 'v-1', UseHttps: 'yes' }, 'InvalidParameter', 'UseHttps must be true or false'],
      [{ VaultId: 'v-1', ClientInfo: '{"instanceId":' }, 'InvalidParameter', 'ClientInfo is not valid JSON'],
      [{ VaultId: 'v-1', ClientInfo: '[{"sourceTypes":["HANA"]}]' }, 'InvalidParameter', 'non-empty instanceId'],
      [{ VaultId: 'v-1', ClientInfo: '[{"instanceId":"i-1","sourceTypes":"HANA"}]' }, 'InvalidParameter', 'sourceTypes must be an array'],
      [{ VaultId: 'v-1', ResourceGroupId: 'group' }, 'InvalidParameter', 'ResourceGroupId'],
    ])('rejects %j with %s', async (params, code, message) => {
      const res = await call('CreateClients', params as Record<string, string>);
      expect(res.status).toBe(400);
      expect(res.body.Code).toBe(code);
      expect(res.body.Message).toContain(message);
      expect(res.body).toEqual(expect.objectContaining({ RequestId: expect.any(String), HostId: expect.any(String), Recommend: expect.any(String) }));
    });

    test('a VaultId not among the configured vaults is rejected once vaults are configured', async () => {
      await env.admin('POST', '/vaults', { vaultIds: ['v-known'] });
      expect((await call('CreateClients', { VaultId: 'v-other', ClientInfo: '[]' })).body.Code).toBe('InvalidVaultId');
      expect((await call('CreateClients', { VaultId: 'v-known', ClientInfo: '[]' })).status).toBe(200);
    });
  });

  describe('001 DescribeBackupClients', () => {
    async function installEight(): Promise<void> {
      const ids = Array.from({ length: 8 }, (_, i) => `i-doc${i}`);
      await env.admin('POST', '/instances', ids.map((instanceId) => ({
        instanceId, instanceName: 'instancename', hostname: 'hostname', privateIpV4: '192.168.1.1', zoneId: 'cn-hangzhou-f',
      })));
      await call('CreateClients', { VaultId: 'v-0001', ClientInfo: JSON.stringify(ids.map((instanceId) => ({ instanceId }))) });
      tick();
    }

    test('the documented example: every field, with the documented values', async () => {
      await installEight();
      const state = await env.admin('GET', '/state');
      await env.admin('POST', `/clients/${state.clients[0].ClientId}`, {
        backupStatus: 'PROTECTED',
        tags: [{ Key: 'TestKey', Value: 'TestValue' }],
        settings: {
          ProxyHost: '192.168.11.100', MaxCpuCore: '1', ProxyPort: 3128, ProxyPassword: 'the-real-password', ProxyUser: 'user', MaxWorker: '1',
        },
      });
      const res = await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT', PageNumber: '1', PageSize: '10' });
      expect(res.status).toBe(200);
      expect(shapeOf(res.body)).toEqual(shapeOf(DESCRIBE_EXAMPLE_RESPONSE));
      const { RequestId: _r, Clients: docClients, ...docTop } = DESCRIBE_EXAMPLE_RESPONSE;
      expect(res.body).toMatchObject(docTop);
      const { ClientId: _c, InstanceId: _i, CreatedTime: _ct, LastHeartBeatTime: _h, UpdatedTime: _u, ...docClient } = docClients[0];
      expect(res.body.Clients[0]).toMatchObject(docClient);
      expect(res.body.Clients[0].ClientId).toMatch(/^c-[0-9a-z]{21}$/);
      // The proxy password never leaves the service in clear.
      expect(JSON.stringify(res.body)).not.toContain('the-real-password');
      expect(JSON.stringify(await env.admin('GET', '/state'))).not.toContain('the-real-password');
    });

    test('paging: PageSize 1 to 99 (default 10), PageNumber from 1 (default 1), TotalCount', async () => {
      await installEight();
      let res = await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT' });
      expect(res.body).toMatchObject({ PageNumber: 1, PageSize: 10, TotalCount: 8 });
      expect(res.body.Clients).toHaveLength(8);
      res = await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT', PageSize: '3', PageNumber: '3' });
      expect(res.body).toMatchObject({ PageNumber: 3, PageSize: 3, TotalCount: 8 });
      expect(res.body.Clients.map((c: any) => c.InstanceId)).toEqual(['i-doc6', 'i-doc7']);
      res = await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT', PageSize: '99' });
      expect(res.body.Clients).toHaveLength(8);
      for (const bad of [{ PageSize: '0' }, { PageSize: '100' }, { PageSize: 'ten' }, { PageNumber: '0' }] as Array<Record<string, string>>) {
        res = await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT', ...bad });
        expect([res.status, res.body.Code]).toEqual([400, 'InvalidParameter']);
      }
    });

    test('ClientType is required and is ECS_CLIENT or CONTAINER_CLIENT', async () => {
      await installEight();
      expect((await call('DescribeBackupClients', {})).body).toMatchObject({ Code: 'MissingClientType', Message: 'ClientType is mandatory for this action.' });
      expect((await call('DescribeBackupClients', { ClientType: 'HANA_CLIENT' })).body.Code).toBe('InvalidParameter');
      expect((await call('DescribeBackupClients', { ClientType: 'CONTAINER_CLIENT' })).body).toMatchObject({ TotalCount: 0, Clients: [] });
    });

    test('filters: ClientIds, InstanceIds (JSON or repeat list), ClusterId, Tag, cross-account', async () => {
      await installEight();
      const all = (await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT' })).body.Clients;
      await env.admin('POST', `/clients/${all[2].ClientId}`, { tags: [{ Key: 'env', Value: 'prod' }] });
      const ids = (body: any) => body.Clients.map((c: any) => c.InstanceId);
      expect(ids((await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT', ClientIds: JSON.stringify([all[1].ClientId]) })).body)).toEqual(['i-doc1']);
      expect(ids((await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT', InstanceIds: '["i-doc4","i-doc5"]' })).body)).toEqual(['i-doc4', 'i-doc5']);
      expect(ids((await call('DescribeBackupClients', { 'ClientType': 'ECS_CLIENT', 'InstanceIds.1': 'i-doc7', 'InstanceIds.2': 'i-doc0' })).body)).toEqual(['i-doc0', 'i-doc7']);
      expect(ids((await call('DescribeBackupClients', { 'ClientType': 'ECS_CLIENT', 'Tag.1.Key': 'env', 'Tag.1.Value': 'prod' })).body)).toEqual(['i-doc2']);
      expect((await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT', ClusterId: 'cl-none' })).body.TotalCount).toBe(0);
      expect((await call('DescribeBackupClients', {
        ClientType: 'ECS_CLIENT', CrossAccountType: 'CROSS_ACCOUNT', CrossAccountUserId: '129374672382', CrossAccountRoleName: 'hbrcrossrole',
      })).body.TotalCount).toBe(0);
      for (const bad of [
        { 'Tag.1.Key': 'aliyun-key' }, { 'Tag.1.Key': 'acs:key' }, { 'Tag.1.Key': 'see https://x' }, { 'Tag.1.Key': '' },
        { 'Tag.21.Key': 'k' }, { 'Tag.1.Key': 'k', 'Tag.1.Value': 'http://v' }, { CrossAccountType: 'OTHER' }, { CrossAccountUserId: 'abc' },
        { ClientIds: '{"a":1}' },
      ] as Array<Record<string, string>>) {
        const res = await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT', ...bad });
        expect([JSON.stringify(bad), res.body.Code]).toEqual([JSON.stringify(bad), 'InvalidParameter']);
      }
    });
  });

  describe('002 UpgradeBackupClients', () => {
    async function installed(ids: string[]): Promise<Record<string, string>> {
      await env.admin('POST', '/instances', ids.map((instanceId) => ({ instanceId })));
      await call('CreateClients', { VaultId: 'v-0001', ClientInfo: JSON.stringify(ids.map((instanceId) => ({ instanceId }))) });
      tick();
      const clients = (await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT' })).body.Clients;
      return Object.fromEntries(clients.map((c: any) => [c.InstanceId, c.ClientId]));
    }

    test('the response is shaped like the documented example; UPGRADING -> ACTIVATED at the new MaxClientVersion', async () => {
      const byInstance = await installed(['i-0xi5w000v3j3bh2gj5']);
      await env.admin('POST', '/max-client-version', { version: '2.5.0' });
      expect((await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT' })).body.Clients[0])
        .toMatchObject({ ClientVersion: '2.4.5', MaxClientVersion: '2.5.0' });
      const res = await call('UpgradeBackupClients', { InstanceIds: '["i-0xi5w000v3j3bh2gj5"]', ClientIds: JSON.stringify([byInstance['i-0xi5w000v3j3bh2gj5']]) });
      expect(res.status).toBe(200);
      expect(shapeOf(res.body)).toEqual(shapeOf(UPGRADE_EXAMPLE_RESPONSE));
      // "If the value is empty, the call is successful."
      expect(res.body.InstanceStatuses).toEqual([{ ValidInstance: true, InstanceId: 'i-0xi5w000v3j3bh2gj5', ErrorCode: '' }]);
      expect((await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT' })).body.Clients[0].Status).toBe('UPGRADING');
      tick();
      expect((await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT' })).body.Clients[0]).toMatchObject({ Status: 'ACTIVATED', ClientVersion: '2.5.0' });
      expect((await call('DescribeTask', { TaskId: res.body.TaskId })).body).toMatchObject({ Name: 'UpgradeBackupClientsTask', Description: 'completed', Progress: 100 });
    });

    test('InstanceStatuses carry InstanceNotExists, InstanceNotRunning and CloudAssistNotRunningOnInstance', async () => {
      await installed(['i-ok', 'i-stopped', 'i-noassist']);
      await env.admin('POST', '/instances', [{ instanceId: 'i-stopped', status: 'Stopped' }, { instanceId: 'i-noassist', cloudAssistant: false }]);
      const res = await call('UpgradeBackupClients', { InstanceIds: '["i-ok","i-stopped","i-gone","i-noassist"]' });
      expect(res.body.InstanceStatuses).toEqual([
        { ValidInstance: true, InstanceId: 'i-ok', ErrorCode: '' },
        { ValidInstance: false, InstanceId: 'i-stopped', ErrorCode: 'InstanceNotRunning' },
        { ValidInstance: false, InstanceId: 'i-gone', ErrorCode: 'InstanceNotExists' },
        { ValidInstance: false, InstanceId: 'i-noassist', ErrorCode: 'CloudAssistNotRunningOnInstance' },
      ]);
      const statuses = Object.fromEntries((await env.admin('GET', '/state')).clients.map((c: any) => [c.InstanceId, c.Status]));
      expect(statuses).toEqual({ 'i-ok': 'UPGRADING', 'i-stopped': 'ACTIVATED', 'i-noassist': 'ACTIVATED' });
    });

    test('one invalid instance fails the call with its ErrorCode; ClientIds alone work too', async () => {
      const byInstance = await installed(['i-a', 'i-b']);
      await env.admin('DELETE', '/instances/i-a');
      const res = await call('UpgradeBackupClients', { ClientIds: JSON.stringify([byInstance['i-a']]) });
      expect([res.status, res.body.Code]).toEqual([400, 'InstanceNotExists']);
      const ok = await call('UpgradeBackupClients', { ClientIds: JSON.stringify([byInstance['i-b']]) });
      expect(ok.body.InstanceStatuses).toEqual([{ ValidInstance: true, InstanceId: 'i-b', ErrorCode: '' }]);
    });

    test('UPGRADING -> UPGRADE_FAILED; a hung job expires after the 15-minute job timeout', async () => {
      await installed(['i-fail', 'i-hang']);
      await env.admin('POST', '/instances', [{ instanceId: 'i-fail', upgradeOutcome: 'fail' }, { instanceId: 'i-hang', upgradeOutcome: 'hang' }]);
      const fail = await call('UpgradeBackupClients', { InstanceIds: '["i-fail"]' });
      const hang = await call('UpgradeBackupClients', { InstanceIds: '["i-hang"]' });
      tick();
      const status = async () => Object.fromEntries((await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT' })).body.Clients.map((c: any) => [c.InstanceId, c.Status]));
      expect(await status()).toEqual({ 'i-fail': 'UPGRADE_FAILED', 'i-hang': 'UPGRADING' });
      expect((await call('DescribeTask', { TaskId: fail.body.TaskId })).body).toMatchObject({ Description: 'completed', Progress: -1 });
      expect((await call('DescribeTask', { TaskId: hang.body.TaskId })).body).toMatchObject({ Description: 'created', Progress: 0 });
      tick(15 * 60_000);
      expect(await status()).toEqual({ 'i-fail': 'UPGRADE_FAILED', 'i-hang': 'UPGRADE_FAILED' });
      expect((await call('DescribeTask', { TaskId: hang.body.TaskId })).body).toMatchObject({ Description: 'expired', Progress: -1 });
    });

    test('validation: at least one list, at most 100 ids in total, upgradable statuses only', async () => {
      await installed(['i-a']);
      expect((await call('UpgradeBackupClients', {})).body.Code).toBe('MissingInstanceIds');
      const many = JSON.stringify(Array.from({ length: 51 }, (_, i) => `i-${i}`));
      expect((await call('UpgradeBackupClients', { InstanceIds: many, ClientIds: JSON.stringify(Array.from({ length: 50 }, (_, i) => `c-${i}`)) })).body.Message)
        .toMatch(/cannot exceed 100/);
      expect((await call('UpgradeBackupClients', { ClientIds: '["c-unknown"]' })).body).toMatchObject({ Code: 'InvalidParameter' });
      await call('UpgradeBackupClients', { InstanceIds: '["i-a"]' });
      expect((await call('UpgradeBackupClients', { InstanceIds: '["i-a"]' })).body.Message).toMatch(/UPGRADING; only ACTIVATED or UPGRADE_FAILED/);
      expect((await call('UpgradeBackupClients', { InstanceIds: '["i-a"]', CrossAccountType: 'SOMEONE' })).body.Code).toBe('InvalidParameter');
    });
  });

  describe('DescribeTask', () => {
    test('requires a known TaskId', async () => {
      expect((await call('DescribeTask', {})).body.Code).toBe('MissingTaskId');
      expect((await call('DescribeTask', { TaskId: 't-nope' })).body.Code).toBe('TaskNotExist');
    });
  });

  describe('authentication (signature 1.0)', () => {
    test.each([
      ['a wrong secret', { secret: 'wrong' }, 400, 'SignatureDoesNotMatch'],
      ['an unknown AccessKeyId', { accessKeyId: 'LTAInobody' }, 404, 'InvalidAccessKeyId.NotFound'],
      ['a timestamp 16 minutes old', { now: T0 - 16 * 60_000 }, 400, 'InvalidTimeStamp.Expired'],
      ['a malformed timestamp', { tamper: (c: Record<string, string>) => { c.Timestamp = '2024-03-03 12:00:00'; } }, 400, 'InvalidTimeStamp.Format'],
      ['no Signature', { tamper: (c: Record<string, string>) => { delete c.Signature; } }, 400, 'MissingSignature'],
      ['no SignatureNonce', { tamper: (c: Record<string, string>) => { delete c.SignatureNonce; } }, 400, 'MissingSignatureNonce'],
      ['HMAC-SHA256 as SignatureMethod', { tamper: (c: Record<string, string>) => { c.SignatureMethod = 'HMAC-SHA256'; } }, 400, 'InvalidSignatureMethod'],
      ['a parameter changed after signing', { tamper: (c: Record<string, string>) => { c.Format = 'XML'; } }, 400, 'SignatureDoesNotMatch'],
      ['another API version', { version: '2016-01-01' }, 400, 'InvalidVersion'],
    ])('rejects %s', async (_label, opts, status, code) => {
      const res = await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT' }, opts as never);
      expect([res.status, res.body.Code]).toEqual([status, code]);
    });

    test('the SignatureDoesNotMatch message shows the server string to sign (never the secret)', async () => {
      const res = await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT' }, { secret: 'wrong' });
      expect(res.body.Message).toMatch(/^Specified signature is not matched with our calculation\. server string to sign is:POST&%2F&AccessKeyId%3D/);
      expect(res.body.Message).not.toContain('emulator-hbr-access-key-secret');
    });

    test('a nonce is accepted once', async () => {
      expect((await call('DescribeTask', { TaskId: 't-x' }, { nonce: 'nonce-1' })).body.Code).toBe('TaskNotExist');
      expect((await call('DescribeTask', { TaskId: 't-x' }, { nonce: 'nonce-1' })).body.Code).toBe('SignatureNonceUsed');
    });

    test('GET with every parameter in the query works as well; unknown actions are 404', async () => {
      expect((await call('DescribeBackupClients', { ClientType: 'ECS_CLIENT' }, { method: 'GET' })).body).toMatchObject({ Success: true, TotalCount: 0 });
      expect(await call('DeleteVault', { VaultId: 'v-1' })).toMatchObject({ status: 404, body: { Code: 'InvalidAction.NotFound' } });
    });
  });

  describe('admin endpoints and the request log', () => {
    test('state, instances, max client version, settings, reset; the log masks secrets', async () => {
      await env.admin('POST', '/instances', { instanceId: 'i-1', status: 'Stopped' });
      await env.admin('POST', '/instances', { instanceId: 'i-1', status: 'Running' });
      await env.admin('POST', '/settings', { transitionMs: 1000 });
      await env.admin('POST', '/max-client-version', { version: '2.11.0' });
      await call('CreateClients', { VaultId: 'v-1', ClientInfo: '[{"instanceId":"i-1","accessKeyId":"AKID","accessKeySecret":"super-secret-value"}]' });
      tick(999);
      let state = await env.admin('GET', '/state');
      expect(state).toMatchObject({ maxClientVersion: '2.11.0', settings: { transitionMs: 1000 }, instances: [{ instanceId: 'i-1', status: 'Running' }] });
      expect(state.clients[0]).toMatchObject({ Status: 'INSTALLING', pending: { kind: 'install', outcome: 'success' } });
      tick(1);
      state = await env.admin('GET', '/state');
      expect(state.clients[0]).toMatchObject({ Status: 'ACTIVATED', ClientVersion: '2.11.0' });
      const log = await env.admin('GET', '/requests');
      expect(log).toEqual([expect.objectContaining({ action: 'CreateClients', status: 200, scheme: 'v1' })]);
      expect(JSON.stringify(log)).not.toContain('super-secret-value');
      expect(JSON.stringify(state)).not.toContain('super-secret-value');
      await env.admin('DELETE', '/instances/i-1');
      await expect(env.admin('DELETE', '/instances/i-1')).rejects.toThrow(/404/);
      await expect(env.admin('POST', '/instances', { instanceId: 'bad' })).rejects.toThrow(/400/);
      await expect(env.admin('POST', '/max-client-version', { version: 'latest' })).rejects.toThrow(/400/);
      await expect(env.admin('GET', '/nothing')).rejects.toThrow(/404/);
      await env.admin('POST', '/reset');
      state = await env.admin('GET', '/state');
      expect(state).toMatchObject({ maxClientVersion: '2.4.5', instances: [], clients: [], tasks: [] });
    });
  });
});

describe('configuration and persistence', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hbr-emulator-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  test('a JSON config file seeds the world; the state file survives a restart, transitions included', async () => {
    const configFile = path.join(dir, 'hbr.json');
    const stateFile = path.join(dir, 'state.hbr.json');
    fs.writeFileSync(configFile, JSON.stringify({ maxClientVersion: '2.10.0', transitionMs: 500, instances: [{ instanceId: 'i-1' }, { instanceId: 'i-2', status: 'Stopped' }] }));
    const clock = new FakeClock(T0);
    let env = await startHbr({ configFile, stateFile }, clock);
    const res = await rawCall(env.url, 'CreateClients', { VaultId: 'v-1', ClientInfo: '[{"instanceId":"i-1"},{"instanceId":"i-2"}]' }, { now: clock.ms });
    expect(res.body.InstanceStatuses.InstanceStatus.map((s: any) => s.ErrorCode ?? '')).toEqual(['', 'InstanceNotRunning']);
    await env.close();

    // Restart mid-installation: the state file wins over the config file.
    clock.ms += 500;
    env = await startHbr({ configFile, stateFile }, clock);
    const state = await env.admin('GET', '/state');
    expect(state.clients.map((c: any) => [c.InstanceId, c.Status, c.ClientVersion])).toEqual([['i-1', 'ACTIVATED', '2.10.0']]);
    expect(state.tasks[0]).toMatchObject({ TaskId: res.body.TaskId, Description: 'completed' });
    await env.close();
  });

  test('HbrEmulator.handle serves HBR calls and leaves every other request alone', async () => {
    const hbrEmulator = new HbrEmulator({ config: { instances: [{ instanceId: 'i-1' }] } });
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void hbrEmulator.handle(req, res, Buffer.concat(chunks).toString('utf8')).then((served) => {
          if (!served) {
            res.writeHead(418);
            res.end('not hbr');
          }
        });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${url}/v3/project/vaults`)).status).toBe(418);
      expect((await fetch(`${url}/_emulator/state`)).status).toBe(418);
      expect((await fetch(`${url}/`)).status).toBe(418);
      expect(((await (await fetch(`${url}/_emulator/hbr/state`)).json()) as any).instances[0].instanceId).toBe('i-1');
      expect((await rawCall(url, 'DescribeBackupClients', { ClientType: 'ECS_CLIENT' })).body).toMatchObject({ Success: true });
      expect(HbrEmulator.isHbrRequest({ url: '/', headers: { 'x-acs-action': 'DescribeTask' } } as never)).toBe(true);
      expect(HbrEmulator.isHbrRequest({ url: '/', headers: {} } as never, 'Action=DescribeTask')).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
