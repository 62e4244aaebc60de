import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT, TestEmulator } from './helpers';

/** 4.5.7 Associating Resources, 4.5.6 Dissociating Resources, 4.2.1 / 4.2.3 protectable resources. */

const VAULTS = `/v3/${PROJECT}/vaults`;
const P9900 = 'Parameter verification failed.';
const SERVER_ID = '97595625-198e-4e4d-879b-9d53f68ba551';
const VAULT_ID_IN_EXAMPLES = '79bd9daa-884f-4f84-b8fe-235d58cd927d';

function vaultBody(name: string, billing: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    vault: {
      name,
      billing: { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 100, ...billing },
      resources: [],
      ...extra,
    },
  };
}

// 4.5.7 example request.
const ADD_EXAMPLE = {
  resources: [{
    extra_info: { exclude_volumes: ['bdef09bb-293f-446a-88a4-86e9f14408c4'] },
    id: SERVER_ID,
    type: 'OS::Nova::Server',
  }],
};
// 4.5.6 example request.
const REMOVE_EXAMPLE = { resource_ids: [SERVER_ID] };

const INVENTORY = [
  {
    id: 'ecs-1',
    type: 'OS::Nova::Server',
    name: 'web-1',
    volumes: [{ id: 'evs-sys', name: 'web-1-sys', size: 40 }, 'evs-data'],
    detail: { flavor: { id: 's3.small.1' } },
  },
  { id: 'evs-data', type: 'OS::Cinder::Volume', name: 'web-1-data', size: 100 },
  { id: 'evs-loose', type: 'OS::Cinder::Volume', name: 'spare', size: 20 },
  { id: 'evs-gone', type: 'OS::Cinder::Volume', name: 'gone', size: 5, status: 'deleted' },
  { id: 'sfs-1', type: 'OS::Sfs::Turbo', name: 'share', size: 500 },
];

type Res = { status: number; body: unknown };
const expectError = (res: Res, status: number, code: string, msg: string) =>
  expect({ status: res.status, body: res.body }).toEqual({ status, body: { error_code: code, error_msg: msg } });

describe('associating and dissociating resources', () => {
  let emu: TestEmulator;
  beforeEach(async () => {
    emu = await TestEmulator.start();
  });
  afterEach(() => emu.close());

  async function vault(name: string, billing: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<any> {
    const res = await emu.call('POST', VAULTS, { body: vaultBody(name, billing, extra) });
    expect(res.status).toBe(200);
    return res.body.vault;
  }
  const add = (vaultId: string, body: unknown) => emu.call('POST', `${VAULTS}/${vaultId}/addresources`, { body });
  const remove = (vaultId: string, body: unknown) => emu.call('POST', `${VAULTS}/${vaultId}/removeresources`, { body });
  const show = async (vaultId: string) => (await emu.call('GET', `${VAULTS}/${vaultId}`)).body.vault;

  test('4.5.7 example associates a server with excluded disks: 200 with add_resource_ids', async () => {
    const v = await vault('v');
    const res = await add(v.id, ADD_EXAMPLE);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ add_resource_ids: [SERVER_ID] });
    expect((await show(v.id)).resources).toEqual([{
      extra_info: { exclude_volumes: ['bdef09bb-293f-446a-88a4-86e9f14408c4'] },
      id: SERVER_ID,
      name: '',
      protect_status: 'available',
      size: 0,
      type: 'OS::Nova::Server',
      backup_size: 0,
      backup_count: 0,
    }]);
    expect((await emu.call('GET', VAULTS, { query: { resource_ids: SERVER_ID } })).body.count).toBe(1);
  });

  test('adding a server again updates its excluded disks instead of failing', async () => {
    const v = await vault('v');
    await add(v.id, ADD_EXAMPLE);
    const res = await add(v.id, { resources: [{ id: SERVER_ID, type: 'OS::Nova::Server', name: 'web', extra_info: { exclude_volumes: ['d1', 'd2'] } }] });
    expect(res.body).toEqual({ add_resource_ids: [SERVER_ID] });
    const resources = (await show(v.id)).resources;
    expect(resources).toHaveLength(1);
    expect(resources[0]).toMatchObject({ id: SERVER_ID, name: 'web', extra_info: { exclude_volumes: ['d1', 'd2'] } });
    // Without extra_info, nothing is excluded any more; the name stays.
    await add(v.id, { resources: [{ id: SERVER_ID, type: 'OS::Nova::Server' }] });
    expect((await show(v.id)).resources[0]).toMatchObject({ name: 'web', extra_info: { exclude_volumes: [] } });
  });

  test('4.5.6 example dissociates the server: 200 with remove_resource_ids, and a remove_resource task', async () => {
    const v = await vault('v');
    await add(v.id, ADD_EXAMPLE);
    const res = await remove(v.id, REMOVE_EXAMPLE);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ remove_resource_ids: [SERVER_ID] });
    expect((await show(v.id)).resources).toEqual([]);
    const logs = (await emu.call('GET', `/v3/${PROJECT}/operation-logs`, { query: { operation_type: 'remove_resource' } })).body;
    expect(logs.count).toBe(1);
    expect(logs.operation_logs[0]).toMatchObject({
      operation_type: 'remove_resource',
      status: 'success',
      vault_id: v.id,
      vault_name: 'v',
      extra_info: { remove_resources: { fail_count: 0, total_count: 0, resources: [{ id: SERVER_ID, type: 'OS::Nova::Server' }] }, common: { progress: 100 } },
    });
    // It is free for another vault now.
    expect((await add((await vault('w')).id, ADD_EXAMPLE)).status).toBe(200);
  });

  test('fails to dissociate a resource that is not in the vault (6135)', async () => {
    const v = await vault('v');
    const other = await vault('other');
    await add(other.id, ADD_EXAMPLE);
    expectError(await remove(v.id, REMOVE_EXAMPLE), 400, 'BackupService.6135',
      `The resource does not exist in the vault. resource_ids[0] "${SERVER_ID}" is not in vault ${v.id}.`);
    expect((await show(other.id)).resources).toHaveLength(1);
  });

  test('fails to associate a resource of the wrong type (6102) or one held by another vault (6103)', async () => {
    const servers = await vault('servers');
    const other = await vault('other');
    await add(other.id, ADD_EXAMPLE);
    expectError(await add(servers.id, { resources: [{ id: 'evs-1', type: 'OS::Cinder::Volume' }] }), 400, 'BackupService.6102',
      'The vault does not support this resource type. resources[0].type "OS::Cinder::Volume" cannot be held by a vault of object_type "server".');
    expectError(await add(servers.id, ADD_EXAMPLE), 400, 'BackupService.6103',
      `The resource has been associated with a vault. resources[0].id "${SERVER_ID}" is in vault ${other.id}.`);
    const disks = await vault('disks', { object_type: 'disk' });
    expect((await add(disks.id, { resources: [{ id: 'evs-1', type: 'OS::Cinder::Volume' }] })).status).toBe(200);
  });

  test('holds at most 256 resources (6100)', async () => {
    const servers = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ id: `ecs-${from + i}`, type: 'OS::Nova::Server' }));
    const v = await vault('full', {}, { resources: servers(255) });
    expectError(await add(v.id, { resources: servers(2, 255) }), 400, 'BackupService.6100',
      `The maximum number of vault resources has been reached. Vault ${v.id} holds 255 resources; 2 more would exceed 256.`);
    // Re-adding held resources does not count.
    expect((await add(v.id, { resources: [...servers(3), ...servers(1, 255)] })).status).toBe(200);
    expect((await show(v.id)).resources).toHaveLength(256);
    expectError(await add(v.id, { resources: servers(257, 1000) }), 400, 'BackupService.6100',
      'The maximum number of vault resources has been reached. resources must contain from 1 to 256 items, got 257.');
  });

  test('fails on bad request bodies with the documented codes', async () => {
    const v = await vault('v');
    const addCases: Array<[unknown, number, string, string]> = [
      [{}, 400, 'BackupService.9900', `${P9900} resources is mandatory.`],
      [{ resources: [] }, 400, 'BackupService.9900', `${P9900} resources must contain from 1 to 256 items, got 0.`],
      [{ resources: [{ id: 'x' }] }, 400, 'BackupService.9900', `${P9900} resources[0].type is mandatory.`],
      [{ resources: [{ id: 'x', type: 'OS::Nova::Server', name: 'n'.repeat(256) }] }, 400, 'BackupService.9900',
        `${P9900} resources[0].name must be from 0 to 255 characters long, got 256.`],
      [{ resources: [{ id: 'x', type: 'OS::Tape::Drive' }] }, 400, 'BackupService.9900',
        `${P9900} resources[0].type must be one of "OS::Nova::Server", "OS::Cinder::Volume", "OS::Ironic::BareMetalServer", "OS::Native::Server", "OS::Sfs::Turbo", "OS::Workspace::DesktopV2"; got "OS::Tape::Drive".`],
      [{ resources: [{ id: 'x', type: 'OS::Nova::Server' }, { id: 'x', type: 'OS::Nova::Server' }] }, 400, 'BackupService.6104',
        'Duplicate vault resources. resources[1].id "x" is given more than once.'],
      [{ resources: [{ id: 'x', type: 'OS::Nova::Server', extra_info: { exclude_volumes: 'd1' } }] }, 400, 'BackupService.9900',
        `${P9900} resources[0].extra_info.exclude_volumes must be an array, got "d1".`],
      [[], 400, 'BackupService.9900', `${P9900} The request body must be a JSON object, got an array.`],
    ];
    for (const [body, status, code, msg] of addCases) expectError(await add(v.id, body), status, code, msg);
    const removeCases: Array<[unknown, number, string, string]> = [
      [{}, 400, 'BackupService.9900', `${P9900} resource_ids is mandatory.`],
      [{ resource_ids: [] }, 400, 'BackupService.9900', `${P9900} resource_ids must contain from 1 to 256 items, got 0.`],
      [{ resource_ids: ['a', 'a'] }, 400, 'BackupService.6104', 'Duplicate vault resources. resource_ids[1] "a" is given more than once.'],
    ];
    for (const [body, status, code, msg] of removeCases) expectError(await remove(v.id, body), status, code, msg);
    expectError(await add(VAULT_ID_IN_EXAMPLES, ADD_EXAMPLE), 404, 'BackupService.6105', `The vault does not exist. No vault has the id "${VAULT_ID_IN_EXAMPLES}".`);
    expectError(await remove(VAULT_ID_IN_EXAMPLES, REMOVE_EXAMPLE), 404, 'BackupService.6105', `The vault does not exist. No vault has the id "${VAULT_ID_IN_EXAMPLES}".`);
    expect((await show(v.id)).resources).toEqual([]);
  });
});

describe('protectable resources', () => {
  let emu: TestEmulator;
  beforeEach(async () => {
    emu = await TestEmulator.start({ resources: INVENTORY });
  });
  afterEach(() => emu.close());

  const add = (vaultId: string, body: unknown) => emu.call('POST', `${VAULTS}/${vaultId}/addresources`, { body });
  const protectables = (type: string, query?: Record<string, string>) => emu.call('GET', `/v3/${PROJECT}/protectables/${type}/instances`, { query });
  async function vault(name: string, billing: Record<string, unknown> = {}): Promise<any> {
    return (await emu.call('POST', VAULTS, { body: vaultBody(name, billing) })).body.vault;
  }

  test('associates only configured resources (6302), taking their names and sizes', async () => {
    const v = await vault('v');
    expectError(await add(v.id, ADD_EXAMPLE), 404, 'BackupService.6302', `The resource does not exist. resources[0].id "${SERVER_ID}" names no known resource.`);
    const res = await add(v.id, { resources: [{ id: 'ecs-1', type: 'OS::Nova::Server', extra_info: { exclude_volumes: ['evs-sys'] } }] });
    expect(res.body).toEqual({ add_resource_ids: ['ecs-1'] });
    const shown = (await emu.call('GET', `${VAULTS}/${v.id}`)).body.vault;
    // The system disk (40 GB) is excluded: 100 GB of the data disk are protected.
    expect(shown.resources[0]).toMatchObject({ id: 'ecs-1', name: 'web-1', size: 100 });
    expect(shown.billing.allocated).toBe(100);
    await add(v.id, { resources: [{ id: 'ecs-1', type: 'OS::Nova::Server' }] });
    expect((await emu.call('GET', `${VAULTS}/${v.id}`)).body.vault.billing.allocated).toBe(140);
  });

  test('fails when the type, an excluded disk or the status does not match the configured resource', async () => {
    const servers = await vault('servers');
    const disks = await vault('disks', { object_type: 'disk' });
    expectError(await add(servers.id, { resources: [{ id: 'ecs-1', type: 'OS::Ironic::BareMetalServer' }] }), 400, 'BackupService.9900',
      `${P9900} resources[0].type "OS::Ironic::BareMetalServer" does not match resource "ecs-1", which is a OS::Nova::Server.`);
    expectError(await add(servers.id, { resources: [{ id: 'ecs-1', type: 'OS::Nova::Server', extra_info: { exclude_volumes: ['evs-other'] } }] }), 400, 'BackupService.9900',
      `${P9900} resources[0].extra_info.exclude_volumes[0] "evs-other" is not a disk of OS::Nova::Server "ecs-1".`);
    expectError(await add(disks.id, { resources: [{ id: 'evs-gone', type: 'OS::Cinder::Volume' }] }), 404, 'BackupService.6302',
      'The resource does not exist. resources[0].id "evs-gone" names no existing (it was deleted) resource.');
    expectError(await emu.call('POST', VAULTS, { body: vaultBody('new', {}, { resources: [{ id: 'ecs-9', type: 'OS::Nova::Server' }] }) }), 404, 'BackupService.6302',
      'The resource does not exist. vault.resources[0].id "ecs-9" names no known resource.');
  });

  test('4.2.1 lists servers with their disks as children, and the vault protecting them', async () => {
    const v = await vault('v');
    await add(v.id, { resources: [{ id: 'ecs-1', type: 'OS::Nova::Server' }] });
    const res = await protectables('server');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['instances']);
    const [server] = res.body.instances;
    expect(Object.keys(server).sort()).toEqual(['children', 'detail', 'id', 'name', 'protectable', 'size', 'status', 'type']);
    expect(server).toMatchObject({ id: 'ecs-1', name: 'web-1', size: 140, status: 'active', type: 'OS::Nova::Server', detail: { flavor: { id: 's3.small.1' } } });
    expect(server.children.map((c: any) => [c.id, c.type, c.size])).toEqual([['evs-sys', 'OS::Cinder::Volume', 40], ['evs-data', 'OS::Cinder::Volume', 100]]);
    expect(server.protectable).toMatchObject({ code: '', reason: '', result: true, vault: { id: v.id, name: 'v', updated_at: expect.any(String), version: '' } });
    expect(res.body.instances).toHaveLength(1);
  });

  test('4.2.1 lists disks by the documented filters', async () => {
    const ids = async (query?: Record<string, string>) => (await protectables('disk', query)).body.instances.map((i: any) => i.id);
    expect(await ids()).toEqual(['evs-data', 'evs-loose', 'evs-gone']);
    expect(await ids({ server_id: 'ecs-1' })).toEqual(['evs-data']);
    expect(await ids({ status: 'deleted' })).toEqual(['evs-gone']);
    expect(await ids({ name: 'spa' })).toEqual(['evs-loose']);
    expect(await ids({ id: 'evs-data' })).toEqual(['evs-data']);
    expect(await ids({ limit: '1', offset: '1' })).toEqual(['evs-loose']);
    expect(await ids({ marker: 'evs-data' })).toEqual(['evs-loose', 'evs-gone']);
    const gone = (await protectables('disk', { id: 'evs-gone' })).body.instances[0];
    expect(gone.protectable).toEqual({
      code: 'BackupService.6215', reason: 'Backup is not allowed in the current resource status.', result: false, message: 'The resource is deleted.',
    });
  });

  test('4.2.1 fails on a protectable_type or query parameter out of range', async () => {
    expectError(await protectables('turbo'), 400, 'BackupService.9900', `${P9900} protectable_type must be one of "server", "disk"; got "turbo".`);
    expectError(await protectables('disk', { limit: '51' }), 400, 'BackupService.9900', `${P9900} query parameter limit must be an integer from 1 to 50; got "51".`);
    expectError(await protectables('disk', { marker: 'nope' }), 400, 'BackupService.9900', `${P9900} query parameter marker "nope" names no record of this list.`);
    expectError(await protectables('disk', { status: 'ACTIVE' }), 400, 'BackupService.9900',
      `${P9900} query parameter status must be one of "active", "deleted", "error"; got "ACTIVE".`);
  });

  test('4.2.3 shows one resource, and answers 6302 for an unknown id or another type', async () => {
    const res = await emu.call('GET', `/v3/${PROJECT}/protectables/disk/instances/evs-loose`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      instance: { children: [], detail: {}, id: 'evs-loose', name: 'spare', protectable: { code: '', reason: '', result: true }, size: 20, status: 'active', type: 'OS::Cinder::Volume' },
    });
    expectError(await emu.call('GET', `/v3/${PROJECT}/protectables/server/instances/evs-loose`), 404, 'BackupService.6302',
      'The resource does not exist. No server has the id "evs-loose".');
    expectError(await emu.call('GET', `/v3/${PROJECT}/protectables/disk/instances/nope`), 404, 'BackupService.6302',
      'The resource does not exist. No disk has the id "nope".');
  });

  test('file systems are configured for turbo vaults', async () => {
    const turbo = await vault('files', { object_type: 'turbo' });
    const res = await add(turbo.id, { resources: [{ id: 'sfs-1', type: 'OS::Sfs::Turbo' }] });
    expect(res.status).toBe(200);
    expect((await emu.call('GET', `${VAULTS}/${turbo.id}`)).body.vault.billing.allocated).toBe(500);
  });

  test('the admin endpoints list, add and clear resources; with none, any id is accepted again', async () => {
    const listed = await emu.admin('GET', '/_emulator/resources');
    expect(listed.map((r: any) => r.id)).toEqual(['ecs-1', 'evs-data', 'evs-loose', 'evs-gone', 'sfs-1']);
    expect(listed[0].volumes).toEqual([{ id: 'evs-sys', name: 'web-1-sys', size: 40 }, { id: 'evs-data', name: 'web-1-data', size: 100 }]);
    const added = await emu.adminCall('POST', '/_emulator/resources', [{ id: 'ecs-2', type: 'OS::Nova::Server', name: 'web-2', size: 60 }]);
    expect(added.status).toBe(200);
    expect(added.body.map((r: any) => r.id)).toContain('ecs-2');
    const v = await vault('v');
    expect((await add(v.id, { resources: [{ id: 'ecs-2', type: 'OS::Nova::Server' }] })).status).toBe(200);
    const bad = await emu.adminCall('POST', '/_emulator/resources', [{ id: 'x', type: 'server', name: 'x' }]);
    expect(bad).toMatchObject({
      status: 400,
      body: { error_code: 'BackupService.9900', error_msg: expect.stringContaining('resources[0].type must be one of OS::Nova::Server') },
    });
    expect((await emu.adminCall('DELETE', '/_emulator/resources')).status).toBe(204);
    expect((await emu.admin('GET', '/_emulator/state')).resources).toEqual([]);
    expect((await add(v.id, ADD_EXAMPLE)).status).toBe(200);
  });

  test('reset returns to the configured inventory', async () => {
    await emu.adminCall('DELETE', '/_emulator/resources');
    expect((await emu.adminCall('POST', '/_emulator/reset')).status).toBe(204);
    expect((await emu.admin('GET', '/_emulator/resources')).map((r: any) => r.id)).toEqual(['ecs-1', 'evs-data', 'evs-loose', 'evs-gone', 'sfs-1']);
  });
});

describe('the resources file', () => {
  test('is read at start, and a bad one stops the start', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbr-emu-res-'));
    try {
      const file = path.join(dir, 'resources.json');
      fs.writeFileSync(file, JSON.stringify(INVENTORY));
      const emu = await TestEmulator.start({ resourcesFile: file });
      try {
        expect((await emu.admin('GET', '/_emulator/resources')).map((r: any) => r.id)).toContain('sfs-1');
      } finally {
        await emu.close();
      }
      fs.writeFileSync(file, JSON.stringify([{ id: 'a', type: 'OS::Cinder::Volume' }]));
      await expect(TestEmulator.start({ resourcesFile: file })).rejects.toThrow(`resources file: ${file}[0].name must be a string.`);
      fs.writeFileSync(file, '{');
      await expect(TestEmulator.start({ resourcesFile: file })).rejects.toThrow(/resources file .* cannot be read/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
