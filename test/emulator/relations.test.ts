import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { POLICIES, policyBody, TestEmulator, vaultBody, VAULTS } from './helpers';

/** Vaults and policies together: references, filters, cascades. */


const REPLICATION_OD = { destination_region: 'emulator-region-2', destination_project_id: '0123456789abcdef0123456789abcdef', max_backups: 3 };

describe('vaults and policies together', () => {
  let emu: TestEmulator;
  beforeEach(async () => {
    emu = await TestEmulator.start();
  });
  afterEach(() => emu.close());

  async function create(p: string, body: unknown): Promise<any> {
    const res = await emu.call('POST', p, { body });
    expect(res.status).toBe(200);
    return res.body.vault ?? res.body.policy;
  }

  test('fails when a resource is already protected by another vault', async () => {
    const resource = { id: 'ecs-1', type: 'OS::Nova::Server' };
    const first = await create(VAULTS, vaultBody('first', {}, { resources: [resource] }));
    const res = await emu.call('POST', VAULTS, { body: vaultBody('second', {}, { resources: [resource] }) });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error_code: 'BackupService.6103',
      error_msg: `The resource has been associated with a vault. vault.resources[0].id "ecs-1" is in vault ${first.id}.`,
    });
  });

  test('fails when backup_policy_id names a replication policy', async () => {
    const replication = await create(POLICIES, policyBody('repl', 'replication', REPLICATION_OD));
    const res = await emu.call('POST', VAULTS, { body: vaultBody('v', {}, { backup_policy_id: replication.id }) });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error_code: 'BackupService.6127',
      error_msg: 'This policy cannot be applied to this vault. vault.backup_policy_id names a replication policy, not a backup policy.',
    });
  });

  test('fails when a backup policy is given to a replication vault', async () => {
    const backup = await create(POLICIES, policyBody('daily'));
    const res = await emu.call('POST', VAULTS, { body: vaultBody('v', { protect_type: 'replication' }, { backup_policy_id: backup.id }) });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('BackupService.6127');
  });

  test('fails when a backup policy is given to a hybrid cloud vault', async () => {
    const backup = await create(POLICIES, policyBody('daily'));
    const res = await emu.call('POST', VAULTS, { body: vaultBody('v', { cloud_type: 'hybrid' }, { backup_policy_id: backup.id }) });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error_code: 'BackupService.6136',
      error_msg: 'Backup policies cannot be applied with hybrid cloud backup vaults. vault.billing.cloud_type is hybrid.',
    });
  });

  test('creates a yearly/monthly vault with an order id', async () => {
    const v = await create(VAULTS, vaultBody('prepaid', { charging_mode: 'pre_paid', period_type: 'month', period_num: 1 }, { demand_billing: true }));
    expect(v.billing.charging_mode).toBe('pre_paid');
    expect(v.billing.order_id).toMatch(/^CS\d{10}[0-9A-F]{5}$/);
    expect(v.demand_billing).toBe(true);
  });

  test('stores tags with surrounding spaces discarded', async () => {
    const v = await create(VAULTS, vaultBody('t', {}, { tags: [{ key: ' env ', value: ' prod ' }, { key: '项目', value: '' }] }));
    expect(v.tags).toEqual([{ key: 'env', value: 'prod' }, { key: '项目', value: '' }]);
  });

  test('lists vaults by the documented filters, paged, with the total count', async () => {
    const policy = await create(POLICIES, policyBody('daily'));
    const a = await create(VAULTS, vaultBody('app-backup', {}, { backup_policy_id: policy.id, resources: [{ id: 'ecs-a', type: 'OS::Nova::Server' }] }));
    const b = await create(VAULTS, vaultBody('app-disks', { object_type: 'disk' }, { resources: [{ id: 'evs-b', type: 'OS::Cinder::Volume' }] }));
    const c = await create(VAULTS, vaultBody('db', { protect_type: 'replication' }, { enterprise_project_id: 'ep-1' }));
    const names = async (query: Record<string, string>) => {
      const res = await emu.call('GET', VAULTS, { query });
      expect(res.status).toBe(200);
      return { names: res.body.vaults.map((v: any) => v.name), count: res.body.count };
    };
    expect(await names({})).toEqual({ names: ['app-backup', 'app-disks', 'db'], count: 3 });
    expect(await names({ name: 'app' })).toEqual({ names: ['app-backup', 'app-disks'], count: 2 });
    expect(await names({ object_type: 'disk' })).toEqual({ names: ['app-disks'], count: 1 });
    expect(await names({ protect_type: 'replication' })).toEqual({ names: ['db'], count: 1 });
    expect(await names({ id: c.id })).toEqual({ names: ['db'], count: 1 });
    expect(await names({ policy_id: policy.id })).toEqual({ names: ['app-backup'], count: 1 });
    expect(await names({ resource_ids: 'nothing,evs-b' })).toEqual({ names: ['app-disks'], count: 1 });
    expect(await names({ enterprise_project_id: 'ep-1' })).toEqual({ names: ['db'], count: 1 });
    expect(await names({ enterprise_project_id: 'all_granted_eps' })).toEqual({ names: ['app-backup', 'app-disks', 'db'], count: 3 });
    expect(await names({ status: 'available', cloud_type: 'public' })).toEqual({ names: ['app-backup', 'app-disks', 'db'], count: 3 });
    expect(await names({ limit: '1', offset: '1' })).toEqual({ names: ['app-disks'], count: 3 });
    expect(await names({ offset: '5' })).toEqual({ names: [], count: 3 });
    expect([a.id, b.id]).toHaveLength(2);
  });

  test('lists policies by operation type and by vault', async () => {
    const backup = await create(POLICIES, policyBody('daily'));
    await create(POLICIES, policyBody('repl', 'replication', REPLICATION_OD));
    const v = await create(VAULTS, vaultBody('v', {}, { backup_policy_id: backup.id }));
    const names = async (query: Record<string, string>) =>
      (await emu.call('GET', POLICIES, { query })).body.policies.map((p: any) => p.name);
    expect(await names({})).toEqual(['daily', 'repl']);
    expect(await names({ operation_type: 'replication' })).toEqual(['repl']);
    expect(await names({ vault_id: v.id })).toEqual(['daily']);
  });

  test('deleting a vault removes it from its policy', async () => {
    const policy = await create(POLICIES, policyBody('daily'));
    const v = await create(VAULTS, vaultBody('v', {}, { backup_policy_id: policy.id, resources: [{ id: 'ecs-1', type: 'OS::Nova::Server' }] }));
    expect((await emu.call('DELETE', `${VAULTS}/${v.id}`)).status).toBe(204);
    expect((await emu.call('GET', `${POLICIES}/${policy.id}`)).body.policy.associated_vaults).toEqual([]);
    // Its resources are free again.
    await create(VAULTS, vaultBody('again', {}, { resources: [{ id: 'ecs-1', type: 'OS::Nova::Server' }] }));
  });

  test('deleting an applied policy leaves the vault without it', async () => {
    const policy = await create(POLICIES, policyBody('daily'));
    const v = await create(VAULTS, vaultBody('v', {}, { backup_policy_id: policy.id }));
    expect((await emu.call('DELETE', `${POLICIES}/${policy.id}`)).status).toBe(204);
    expect((await emu.call('GET', `${VAULTS}/${v.id}`)).status).toBe(200);
    expect((await emu.call('GET', VAULTS, { query: { policy_id: policy.id } })).body.count).toBe(0);
  });

  test('fails to delete what does not exist', async () => {
    const vault = await emu.call('DELETE', `${VAULTS}/00000000-0000-4000-8000-000000000000`);
    expect([vault.status, vault.body.error_code]).toEqual([404, 'BackupService.6105']);
    const policy = await emu.call('DELETE', `${POLICIES}/00000000-0000-4000-8000-000000000000`);
    expect([policy.status, policy.body.error_code]).toEqual([404, 'BackupService.6000']);
  });

  test('updates only the fields given and keeps the rest', async () => {
    const v = await create(VAULTS, vaultBody('v', {}, { threshold: 70, tags: [{ key: 'a', value: 'b' }] }));
    const res = await emu.call('PUT', `${VAULTS}/${v.id}`, { body: { vault: { smn_notify: false, bind_rules: { tags: [{ key: 'k', value: 'v' }] } } } });
    expect(res.status).toBe(200);
    expect(res.body.vault).toMatchObject({ name: 'v', threshold: 70, smn_notify: false, tags: [{ key: 'a', value: 'b' }], bind_rules: { tags: [{ key: 'k', value: 'v' }] } });
    const p = await create(POLICIES, policyBody('daily'));
    const upd = await emu.call('PUT', `${POLICIES}/${p.id}`, { body: { policy: { enabled: false } } });
    expect(upd.body.policy).toMatchObject({ enabled: false, name: 'daily', operation_definition: { max_backups: 5 } });
  });

  test('fails to move a policy to another destination region while it replicates to a vault, also after a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbr-emu-rel-'));
    const stateFile = path.join(dir, 'state.json');
    const first = await TestEmulator.start({ stateFile });
    const src = (await first.call('POST', VAULTS, { body: vaultBody('src') })).body.vault;
    const dst = (await first.call('POST', VAULTS, { body: vaultBody('dst', { protect_type: 'replication' }) })).body.vault;
    const repl = (await first.call('POST', POLICIES, { body: policyBody('repl', 'replication', REPLICATION_OD) })).body.policy;
    const applied = await first.call('POST', `${VAULTS}/${src.id}/associatepolicy`, { body: { policy_id: repl.id, destination_vault_id: dst.id } });
    expect(applied.status).toBe(200);
    await first.close();
    const second = await TestEmulator.start({ stateFile });
    try {
      const moved = await second.call('PUT', `${POLICIES}/${repl.id}`, {
        body: { policy: { operation_definition: { ...REPLICATION_OD, destination_region: 'emulator-region-3' } } },
      });
      expect(moved.status).toBe(400);
      expect(moved.body.error_code).toBe('BackupService.6003');
      const shown = await second.call('GET', `${POLICIES}/${repl.id}`);
      expect(shown.body.policy.associated_vaults).toEqual([{ destination_vault_id: dst.id, vault_id: src.id }]);
      const same = await second.call('PUT', `${POLICIES}/${repl.id}`, { body: { policy: { operation_definition: { ...REPLICATION_OD, max_backups: 9 } } } });
      expect(same.status).toBe(200);
    } finally {
      await second.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
