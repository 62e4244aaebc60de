import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiResponse, PROJECT, TestEmulator, vaultBody, VAULTS } from './helpers';
import { DEFAULT_CREDENTIALS, EmulatorOptions, ProtectableResourceInput } from '../../src/emulator';
import { CbrClient } from '../../src/runtime/cbr/client';
import { HttpRequest, HttpTransport, SendOptions } from '../../src/runtime/http/transport';

/** 4.5.11 Migrating Resources and 4.5.13 Setting Auto Backup for a Vault. */

const P9900 = 'Parameter verification failed.';
const MISSING = '00000000-0000-4000-8000-000000000000';

/** A server with two disks; the vaults below exclude the second, so 40 GB is allocated. */
const INVENTORY: ProtectableResourceInput[] = [
  { id: 'ecs-1', type: 'OS::Nova::Server', name: 'web', volumes: [{ id: 'evs-1', size: 40 }, { id: 'evs-2', size: 60 }] },
  { id: 'ecs-2', type: 'OS::Nova::Server', name: 'db', size: 20 },
  { id: 'ecs-3', type: 'OS::Nova::Server', name: 'cache', size: 10 },
  { id: 'evs-9', type: 'OS::Cinder::Volume', name: 'data', size: 5 },
];
const WEB = { id: 'ecs-1', type: 'OS::Nova::Server', extra_info: { exclude_volumes: ['evs-2'] } };

function expectError(res: ApiResponse, status: number, code: string, msg: string): void {
  expect({ status: res.status, body: res.body }).toEqual({ status, body: { error_code: code, error_msg: msg } });
}

describe('migrating resources and suspending their auto backup', () => {
  let dir: string;
  let stateFile: string;
  let emu: TestEmulator;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbr-emu-migrate-'));
    stateFile = path.join(dir, 'state.json');
    emu = await TestEmulator.start({ stateFile, resources: INVENTORY });
  });
  afterEach(async () => {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function vault(name: string, billing: Record<string, unknown> = {}, resources: unknown[] = []): Promise<any> {
    const res = await emu.call('POST', VAULTS, { body: vaultBody(name, billing, { resources }) });
    expect(res.status).toBe(200);
    return res.body.vault;
  }
  const migrate = (vaultId: string, body: unknown) => emu.call('POST', `${VAULTS}/${vaultId}/migrateresources`, { body });
  const setResources = (vaultId: string, body: unknown) => emu.call('PUT', `${VAULTS}/${vaultId}/set-resources`, { body });
  const show = async (vaultId: string) => (await emu.call('GET', `${VAULTS}/${vaultId}`)).body.vault;

  /** The emulator keeps backups as counters of the resource; the API makes none, so they are written into the state file. */
  async function giveBackups(vaultId: string, resourceId: string, count: number, size: number, opts: EmulatorOptions = {}): Promise<void> {
    await emu.close();
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    const record = state.vaults.find((v: any) => v.id === vaultId).resources.find((r: any) => r.id === resourceId);
    Object.assign(record, { backup_count: count, backup_size: size });
    fs.writeFileSync(stateFile, JSON.stringify(state));
    emu = await TestEmulator.start({ stateFile, resources: INVENTORY, ...opts });
  }

  describe('4.5.11 migrating resources', () => {
    test('moves a resource with its backups and extra_info: 200 with the migrated resource ids, gone from the source', async () => {
      const src = await vault('src', {}, [WEB, { id: 'ecs-2', type: 'OS::Nova::Server' }]);
      const dst = await vault('dst');
      await giveBackups(src.id, 'ecs-1', 3, 120);
      const res = await migrate(src.id, { resource_ids: ['ecs-1'], destination_vault_id: dst.id });
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { migrated_resources: ['ecs-1'] } });

      const source = await show(src.id);
      const destination = await show(dst.id);
      expect(source.resources.map((r: any) => r.id)).toEqual(['ecs-2']);
      expect(destination.resources).toEqual([{
        extra_info: { exclude_volumes: ['evs-2'] },
        id: 'ecs-1',
        name: 'web',
        protect_status: 'available',
        size: 40,
        type: 'OS::Nova::Server',
        backup_size: 120,
        backup_count: 3,
      }]);
      expect([source.billing.allocated, destination.billing.allocated]).toEqual([20, 40]);
      const holders = (await emu.call('GET', VAULTS, { query: { resource_ids: 'ecs-1' } })).body.vaults.map((v: any) => v.id);
      expect(holders).toEqual([dst.id]);
    });

    test('a repeated migration answers the same and changes nothing; resources already moved count as migrated', async () => {
      const src = await vault('src', {}, [WEB, { id: 'ecs-2', type: 'OS::Nova::Server' }]);
      const dst = await vault('dst');
      const body = { resource_ids: ['ecs-1'], destination_vault_id: dst.id };
      expect((await migrate(src.id, body)).body).toEqual({ migrated_resources: ['ecs-1'] });
      const state = await emu.admin('GET', '/_emulator/state');
      const again = await migrate(src.id, body);
      expect({ status: again.status, body: again.body }).toEqual({ status: 200, body: { migrated_resources: ['ecs-1'] } });
      expect(await emu.admin('GET', '/_emulator/state')).toEqual(state);
      // One already moved and one still in the source: the second moves, both are reported.
      const mixed = await migrate(src.id, { resource_ids: ['ecs-1', 'ecs-2'], destination_vault_id: dst.id });
      expect(mixed.body).toEqual({ migrated_resources: ['ecs-1', 'ecs-2'] });
      expect((await show(dst.id)).resources.map((r: any) => r.id)).toEqual(['ecs-1', 'ecs-2']);
      expect((await show(src.id)).resources).toEqual([]);
    });

    test('refuses an unknown, the same, a replication or another kind of destination vault', async () => {
      const src = await vault('src', {}, [WEB]);
      const disks = await vault('disks', { object_type: 'disk' });
      const replica = await vault('replica', { protect_type: 'replication' });
      expectError(await migrate(src.id, { resource_ids: ['ecs-1'], destination_vault_id: MISSING }), 400, 'BackupService.6120',
        `The destination vault does not exist. destination_vault_id "${MISSING}" names no vault of project ${PROJECT}.`);
      expectError(await migrate(src.id, { resource_ids: ['ecs-1'], destination_vault_id: src.id }), 400, 'BackupService.9900',
        `${P9900} destination_vault_id "${src.id}" is the vault itself.`);
      expectError(await migrate(src.id, { resource_ids: ['ecs-1'], destination_vault_id: disks.id }), 400, 'BackupService.6102',
        `The vault does not support this resource type. destination vault ${disks.id} holds disk resources; vault ${src.id} holds server resources.`);
      expectError(await migrate(src.id, { resource_ids: ['ecs-1'], destination_vault_id: replica.id }), 400, 'BackupService.6124',
        `Backup is not allowed for the current type of vaults. destination vault ${replica.id} is a replication vault; resources can only be migrated to a backup vault.`);
      expectError(await migrate(MISSING, { resource_ids: ['ecs-1'], destination_vault_id: src.id }), 404, 'BackupService.6105',
        `The vault does not exist. No vault has the id "${MISSING}".`);
      expect((await show(src.id)).resources.map((r: any) => r.id)).toEqual(['ecs-1']);
    });

    test('refuses resources the source vault does not hold (6135) or lists twice (6104), moving none of them', async () => {
      const src = await vault('src', {}, [WEB]);
      const other = await vault('other', {}, [{ id: 'ecs-2', type: 'OS::Nova::Server' }]);
      const dst = await vault('dst');
      expectError(await migrate(src.id, { resource_ids: ['ecs-1', 'ecs-2'], destination_vault_id: dst.id }), 400, 'BackupService.6135',
        `The resource does not exist in the vault. resource_ids[1] "ecs-2" is not in vault ${src.id}.`);
      expectError(await migrate(src.id, { resource_ids: ['ecs-3'], destination_vault_id: dst.id }), 400, 'BackupService.6135',
        `The resource does not exist in the vault. resource_ids[0] "ecs-3" is not in vault ${src.id}.`);
      expectError(await migrate(src.id, { resource_ids: ['ecs-1', 'ecs-1'], destination_vault_id: dst.id }), 400, 'BackupService.6104',
        'Duplicate vault resources. resource_ids[1] "ecs-1" is given more than once.');
      expect((await show(src.id)).resources.map((r: any) => r.id)).toEqual(['ecs-1']);
      expect((await show(other.id)).resources.map((r: any) => r.id)).toEqual(['ecs-2']);
      expect((await show(dst.id)).resources).toEqual([]);
    });

    test('refuses a malformed body with 9900', async () => {
      const src = await vault('src', {}, [WEB]);
      const dst = await vault('dst');
      expectError(await migrate(src.id, ['ecs-1']), 400, 'BackupService.9900',
        `${P9900} The request body must be a JSON object, got an array.`);
      expectError(await migrate(src.id, { resource_ids: ['ecs-1'] }), 400, 'BackupService.9900',
        `${P9900} destination_vault_id is mandatory.`);
      expectError(await migrate(src.id, { destination_vault_id: dst.id }), 400, 'BackupService.9900',
        `${P9900} resource_ids is mandatory.`);
      expectError(await migrate(src.id, { resource_ids: [], destination_vault_id: dst.id }), 400, 'BackupService.9900',
        `${P9900} resource_ids must contain from 1 to 256 items, got 0.`);
      expectError(await migrate(src.id, { resource_ids: 'ecs-1', destination_vault_id: dst.id }), 400, 'BackupService.9900',
        `${P9900} resource_ids must be an array, got "ecs-1".`);
      expectError(await migrate(src.id, { resource_ids: ['ecs-1'], destination_vault_id: dst.id, keep_backups: true }), 400, 'BackupService.9900',
        `${P9900} keep_backups is not a parameter of this API.`);
      expect((await show(src.id)).resources.map((r: any) => r.id)).toEqual(['ecs-1']);
    });

    test('refuses to fill the destination beyond 256 resources (6100)', async () => {
      await emu.close();
      emu = await TestEmulator.start();
      const full = await vault('full', {}, Array.from({ length: 255 }, (_, i) => ({ id: `ecs-f${i}`, type: 'OS::Nova::Server' })));
      expect((await emu.call('POST', `${VAULTS}/${full.id}/addresources`, { body: { resources: [{ id: 'ecs-f255', type: 'OS::Nova::Server' }] } })).status).toBe(200);
      const src = await vault('src', {}, [{ id: 'ecs-x', type: 'OS::Nova::Server' }]);
      expectError(await migrate(src.id, { resource_ids: ['ecs-x'], destination_vault_id: full.id }), 400, 'BackupService.6100',
        `The maximum number of vault resources has been reached. Vault ${full.id} holds 256 resources; 1 more would exceed 256.`);
    });
  });

  describe('4.5.13 setting auto backup', () => {
    test('suspend and unsuspend show in the resources\' protect_status: 200 with set_resource_ids', async () => {
      const v = await vault('v', {}, [WEB, { id: 'ecs-2', type: 'OS::Nova::Server' }, { id: 'ecs-3', type: 'OS::Nova::Server' }]);
      const res = await setResources(v.id, { resource_ids: ['ecs-1', 'ecs-3'], action: 'suspend' });
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { set_resource_ids: ['ecs-1', 'ecs-3'] } });
      const statuses = async () => (await show(v.id)).resources.map((r: any) => [r.id, r.protect_status]);
      expect(await statuses()).toEqual([['ecs-1', 'suspended'], ['ecs-2', 'available'], ['ecs-3', 'suspended']]);
      // Again: not an error.
      expect((await setResources(v.id, { resource_ids: ['ecs-1'], action: 'suspend' })).body).toEqual({ set_resource_ids: ['ecs-1'] });
      expect((await setResources(v.id, { resource_ids: ['ecs-3'], action: 'unsuspend' })).body).toEqual({ set_resource_ids: ['ecs-3'] });
      expect(await statuses()).toEqual([['ecs-1', 'suspended'], ['ecs-2', 'available'], ['ecs-3', 'available']]);
    });

    test('a suspended resource stays suspended when it is migrated', async () => {
      const src = await vault('src', {}, [WEB]);
      const dst = await vault('dst');
      await setResources(src.id, { resource_ids: ['ecs-1'], action: 'suspend' });
      await migrate(src.id, { resource_ids: ['ecs-1'], destination_vault_id: dst.id });
      expect((await show(dst.id)).resources[0].protect_status).toBe('suspended');
    });

    test('refuses resources not in the vault, duplicates, a bad action and an unknown vault', async () => {
      const v = await vault('v', {}, [WEB]);
      await vault('other', {}, [{ id: 'ecs-2', type: 'OS::Nova::Server' }]);
      expectError(await setResources(v.id, { resource_ids: ['ecs-1', 'ecs-2'], action: 'suspend' }), 400, 'BackupService.6135',
        `The resource does not exist in the vault. resource_ids[1] "ecs-2" is not in vault ${v.id}.`);
      expectError(await setResources(v.id, { resource_ids: ['ecs-1', 'ecs-1'], action: 'suspend' }), 400, 'BackupService.6104',
        'Duplicate vault resources. resource_ids[1] "ecs-1" is given more than once.');
      expectError(await setResources(v.id, { resource_ids: ['ecs-1'], action: 'pause' }), 400, 'BackupService.9900',
        `${P9900} action must be one of "suspend", "unsuspend"; got "pause".`);
      expectError(await setResources(v.id, { resource_ids: ['ecs-1'] }), 400, 'BackupService.9900', `${P9900} action is mandatory.`);
      expectError(await setResources(v.id, { resource_ids: [], action: 'suspend' }), 400, 'BackupService.9900',
        `${P9900} resource_ids must contain from 1 to 256 items, got 0.`);
      expectError(await setResources(MISSING, { resource_ids: ['ecs-1'], action: 'suspend' }), 404, 'BackupService.6105',
        `The vault does not exist. No vault has the id "${MISSING}".`);
      expect((await show(v.id)).resources[0].protect_status).toBe('available');
    });
  });
});

/** A transport that records what the client sends. */
class RecordingTransport extends HttpTransport {
  public readonly sent: Array<{ method: string; path: string; body: unknown }> = [];

  public async send(req: HttpRequest, opts?: SendOptions) {
    const url = new URL(req.url);
    this.sent.push({ method: req.method, path: url.pathname + url.search, body: req.body ? JSON.parse(req.body) : undefined });
    return super.send(req, opts);
  }
}

describe('the runtime CbrClient: migrateResources, setResources and findVaultsByResource', () => {
  let emu: TestEmulator;
  let transport: RecordingTransport;
  let client: CbrClient;
  const billing = { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 40 } as const;
  beforeEach(async () => {
    emu = await TestEmulator.start();
    transport = new RecordingTransport({ maxAttempts: 30, sleep: async () => undefined });
    client = new CbrClient({
      region: 'emulator-region-1',
      projectId: DEFAULT_CREDENTIALS.projectId,
      endpoint: emu.url,
      auth: { kind: 'aksk', accessKey: DEFAULT_CREDENTIALS.accessKey, secretKey: DEFAULT_CREDENTIALS.secretKey },
    }, transport);
  });
  afterEach(() => emu.close());

  test('send the documented requests and return the documented lists', async () => {
    const src = await client.createVault({ vault: { name: 'src', billing, resources: [{ id: 'ecs-1', type: 'OS::Nova::Server' }, { id: 'ecs-2', type: 'OS::Nova::Server' }] } });
    const dst = await client.createVault({ vault: { name: 'dst', billing, resources: [] } });
    transport.sent.length = 0;

    expect((await client.findVaultsByResource('ecs-1')).map((v) => v.id)).toEqual([src.id]);
    expect(await client.setResources(src.id, ['ecs-1'], 'suspend')).toEqual(['ecs-1']);
    expect(await client.migrateResources(src.id, dst.id, ['ecs-1'])).toEqual(['ecs-1']);
    expect((await client.findVaultsByResource('ecs-1')).map((v) => v.id)).toEqual([dst.id]);
    expect(await client.setResources(dst.id, ['ecs-1'], 'unsuspend')).toEqual(['ecs-1']);
    expect(await client.findVaultsByResource('ecs-9')).toEqual([]);

    const P = `/v3/${DEFAULT_CREDENTIALS.projectId}`;
    expect(transport.sent).toEqual([
      { method: 'GET', path: `${P}/vaults?resource_ids=ecs-1&limit=1000`, body: undefined },
      { method: 'PUT', path: `${P}/vaults/${src.id}/set-resources`, body: { resource_ids: ['ecs-1'], action: 'suspend' } },
      { method: 'POST', path: `${P}/vaults/${src.id}/migrateresources`, body: { destination_vault_id: dst.id, resource_ids: ['ecs-1'] } },
      { method: 'GET', path: `${P}/vaults?resource_ids=ecs-1&limit=1000`, body: undefined },
      { method: 'PUT', path: `${P}/vaults/${dst.id}/set-resources`, body: { resource_ids: ['ecs-1'], action: 'unsuspend' } },
      { method: 'GET', path: `${P}/vaults?resource_ids=ecs-9&limit=1000`, body: undefined },
    ]);
    expect((await client.showVault(dst.id)).resources?.map((r) => [r.id, r.protect_status])).toEqual([['ecs-1', 'available']]);
    // A first answer of 6135 is the API's refusal, not a lost migration: no look at the destination.
    transport.sent.length = 0;
    await expect(client.migrateResources(src.id, dst.id, ['ecs-9'])).rejects.toMatchObject({ errorCode: 'BackupService.6135', attempts: 1 });
    expect(transport.sent.map((r) => r.method)).toEqual(['POST']);
  });

  test('a migration whose answers are lost is retried and succeeds', async () => {
    const src = await client.createVault({ vault: { name: 'src', billing, resources: [{ id: 'ecs-1', type: 'OS::Nova::Server' }] } });
    const dst = await client.createVault({ vault: { name: 'dst', billing, resources: [] } });
    // Every other answer is lost after the change was made: the retry meets an already migrated resource.
    await emu.adminCall('POST', '/_emulator/faults', { lostResponseRate: 0.5, seed: 3 });
    for (let i = 0; i < 4; i++) {
      const [from, to] = i % 2 === 0 ? [src.id, dst.id] : [dst.id, src.id];
      expect(await client.migrateResources(from, to, ['ecs-1'])).toEqual(['ecs-1']);
    }
    await emu.adminCall('DELETE', '/_emulator/faults');
    const log: Array<{ path: string; fault?: string }> = await emu.admin('GET', '/_emulator/requests');
    expect(log.some((e) => e.path.endsWith('/migrateresources') && e.fault === 'lost-response')).toBe(true);
    expect((await client.showVault(src.id)).resources?.map((r) => r.id)).toEqual(['ecs-1']);
  });
});
