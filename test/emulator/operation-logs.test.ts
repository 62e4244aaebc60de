import { PROJECT, TestEmulator } from './helpers';
import { ListOperationLogsResponse } from '../../src/api/cbr/tasks';
import { parseResponse } from '../../src/api/response';

/** 4.1 Tasks: the remove_resource and vault_delete tasks of 4.5.6 and 4.5.5. */

const VAULTS = `/v3/${PROJECT}/vaults`;
const LOGS = `/v3/${PROJECT}/operation-logs`;
const P9900 = 'Parameter verification failed.';

// Table 4-4 OperationLog.
const LOG_FIELDS = [
  'checkpoint_id', 'created_at', 'ended_at', 'error_info', 'extra_info', 'id', 'operation_type', 'policy_id', 'project_id', 'provider_id',
  'started_at', 'status', 'updated_at', 'vault_id', 'vault_name',
];

function vaultBody(name: string, resources: unknown[] = []) {
  return {
    vault: {
      name,
      billing: { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 100 },
      resources,
    },
  };
}

describe('tasks (operation logs)', () => {
  let emu: TestEmulator;
  let clock: Date;
  beforeEach(async () => {
    clock = new Date('2024-04-16T09:00:00.000Z');
    emu = await TestEmulator.start({ now: () => clock });
  });
  afterEach(() => emu.close());

  const call = (method: string, path: string, opts: { body?: unknown; query?: Record<string, string> } = {}) =>
    emu.call(method, path, { ...opts, date: clock });

  async function scenario() {
    const a = (await call('POST', VAULTS, { body: vaultBody('a', [{ id: 'ecs-1', type: 'OS::Nova::Server', name: 'web-1' }, { id: 'ecs-2', type: 'OS::Nova::Server' }]) })).body.vault;
    const b = (await call('POST', VAULTS, { body: vaultBody('b') })).body.vault;
    expect((await call('POST', `${VAULTS}/${a.id}/removeresources`, { body: { resource_ids: ['ecs-1'] } })).status).toBe(200);
    clock = new Date('2024-04-16T10:00:00.000Z');
    expect((await call('DELETE', `${VAULTS}/${b.id}`)).status).toBe(204);
    return { a, b };
  }

  test('4.1.2 lists the tasks, newest first, with count, limit and offset', async () => {
    const { a, b } = await scenario();
    const res = await call('GET', LOGS);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['count', 'limit', 'offset', 'operation_logs']);
    expect(parseResponse(ListOperationLogsResponse, res.body, '4.1.2 Querying the Task List')).toEqual({ data: res.body });
    expect(res.body).toMatchObject({ count: 2, limit: 1000, offset: 0 });
    const [deleted, removed] = res.body.operation_logs;
    for (const log of [deleted, removed]) {
      expect(Object.keys(log).sort()).toEqual([...LOG_FIELDS].sort());
      expect(log).toMatchObject({ status: 'success', project_id: PROJECT, provider_id: '0daac4c5-6707-4851-97ba-169e36266b66', error_info: { code: '', message: '' } });
      expect(log.extra_info.common).toEqual({ progress: 100, request_id: expect.stringMatching(/^[0-9a-f]{32}$/), task_id: '' });
    }
    expect(deleted).toMatchObject({
      operation_type: 'vault_delete',
      vault_id: b.id,
      vault_name: 'b',
      started_at: '2024-04-16T10:00:00.000+00:00',
      extra_info: { vault_delete: { fail_count: 0, total_count: 0 } },
    });
    expect(removed).toMatchObject({
      operation_type: 'remove_resource',
      vault_id: a.id,
      vault_name: 'a',
      created_at: '2024-04-16T09:00:00.000+00:00',
      extra_info: { remove_resources: { fail_count: 0, total_count: 0, resources: [{ extra_info: { exclude_volumes: [] }, id: 'ecs-1', name: 'web-1', type: 'OS::Nova::Server' }] } },
    });
  });

  test('4.1.2 filters by the documented query parameters', async () => {
    const { a, b } = await scenario();
    const types = async (query: Record<string, string>) => {
      const res = await call('GET', LOGS, { query });
      expect(res.status).toBe(200);
      return res.body.operation_logs.map((l: any) => l.operation_type);
    };
    expect(await types({ operation_type: 'vault_delete' })).toEqual(['vault_delete']);
    expect(await types({ vault_id: a.id })).toEqual(['remove_resource']);
    expect(await types({ vault_name: 'b' })).toEqual(['vault_delete']);
    expect(await types({ resource_id: 'ecs-1' })).toEqual(['remove_resource']);
    expect(await types({ resource_name: 'web-1' })).toEqual(['remove_resource']);
    expect(await types({ resource_id: 'ecs-2' })).toEqual([]);
    expect(await types({ status: 'failed' })).toEqual([]);
    expect(await types({ start_time: '2024-04-16T09:30:00Z' })).toEqual(['vault_delete']);
    expect(await types({ end_time: '2024-04-16T09:30:00Z' })).toEqual(['remove_resource']);
    expect(await types({ enterprise_project_id: '0' })).toEqual(['vault_delete', 'remove_resource']);
    expect(await types({ enterprise_project_id: 'ep-1' })).toEqual([]);
    expect(await types({ limit: '1', offset: '1' })).toEqual(['remove_resource']);
    expect(b.id).toBeDefined();
  });

  test('4.1.1 shows one task; an unknown id answers 404 BackupService.6500', async () => {
    await scenario();
    const [log] = (await call('GET', LOGS)).body.operation_logs;
    const res = await call('GET', `${LOGS}/${log.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ operation_log: log });
    const missing = await call('GET', `${LOGS}/4827f2da-b008-4507-ab7d-42d0df5ed912`);
    expect({ status: missing.status, body: missing.body }).toEqual({
      status: 404,
      body: { error_code: 'BackupService.6500', error_msg: 'The operation log does not exist. No task has the id "4827f2da-b008-4507-ab7d-42d0df5ed912".' },
    });
  });

  test('4.1.2 fails on query parameters out of range', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ start_time: '2024-04-16 09:00:00' }, `${P9900} query parameter start_time must be a time like 2018-02-01T12:00:00Z; got "2024-04-16 09:00:00".`],
      [{ end_time: '2024-13-01T00:00:00Z' }, `${P9900} query parameter end_time must be a time like 2018-02-01T12:00:00Z; got "2024-13-01T00:00:00Z".`],
      [{ limit: '0' }, `${P9900} query parameter limit must be an integer from 1 to 1000; got "0".`],
      [{ status: 'done' }, `${P9900} query parameter status must be one of "success", "skipped", "failed", "running", "timeout", "waiting"; got "done".`],
      [{ operation_type: 'vault_create' }, `${P9900} query parameter operation_type must be one of "backup", "copy", "replication", "restore", "delete", "sync", "vault_delete", "remove_resource"; got "vault_create".`],
    ];
    for (const [query, msg] of cases) {
      const res = await call('GET', LOGS, { query });
      expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { error_code: 'BackupService.9900', error_msg: msg } });
    }
  });

  test('an empty log lists nothing', async () => {
    expect((await call('GET', LOGS)).body).toEqual({ operation_logs: [], count: 0, limit: 1000, offset: 0 });
  });
});
