import { TestEmulator } from './helpers';
import { OWNER_TAG_KEY } from '../../src/contract/specs';
import { DEFAULT_CREDENTIALS } from '../../src/emulator';
import { CbrClient } from '../../src/runtime/cbr/client';
import { isNotFound } from '../../src/runtime/errors';
import { findOwnedVault } from '../../src/runtime/handlers/refs';

/** The hook runtime's own client against the emulator, for the calls of issue 3. */

describe('the runtime CbrClient against the emulator', () => {
  let emu: TestEmulator;
  let client: CbrClient;
  beforeEach(async () => {
    emu = await TestEmulator.start({ orderDelayMs: 20 });
    client = new CbrClient({
      region: 'emulator-region-1',
      projectId: DEFAULT_CREDENTIALS.projectId,
      endpoint: emu.url,
      auth: { kind: 'aksk', accessKey: DEFAULT_CREDENTIALS.accessKey, secretKey: DEFAULT_CREDENTIALS.secretKey },
    });
  });
  afterEach(() => emu.close());

  const billing = { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 40 } as const;

  test('policies, resources and tags round-trip', async () => {
    const vault = await client.createVault({ vault: { name: 'v', billing, resources: [] } });
    const policy = await client.createPolicy({
      policy: { name: 'p', operation_type: 'backup', operation_definition: { max_backups: 3 }, trigger: { properties: { pattern: ['FREQ=DAILY;BYHOUR=1;BYMINUTE=0'] } } },
    });
    expect(await client.associatePolicy(vault.id, { policy_id: policy.id })).toEqual({ vault_id: vault.id, policy_id: policy.id });
    expect((await client.showPolicy(policy.id)).associated_vaults).toEqual([{ vault_id: vault.id }]);
    await client.dissociatePolicy(vault.id, policy.id);
    const again = await client.dissociatePolicy(vault.id, policy.id).catch((e) => e);
    expect(isNotFound(again)).toBe(true);

    expect(await client.addResources(vault.id, [{ id: 'ecs-1', type: 'OS::Nova::Server', extra_info: { exclude_volumes: ['evs-1'] } }])).toEqual(['ecs-1']);
    expect(await client.addResources(vault.id, [{ id: 'ecs-1', type: 'OS::Nova::Server' }])).toEqual(['ecs-1']);
    expect((await client.showVault(vault.id)).resources).toMatchObject([{ id: 'ecs-1', extra_info: { exclude_volumes: [] } }]);
    expect(await client.removeResources(vault.id, ['ecs-1'])).toEqual(['ecs-1']);

    await client.batchVaultTags(vault.id, 'create', [{ key: 'a', value: '1' }, { key: 'b', value: '2' }]);
    await client.createVaultTag(vault.id, { key: 'a', value: '3' });
    await client.deleteVaultTag(vault.id, 'b');
    expect(await client.listVaultTags(vault.id)).toEqual([{ key: 'a', value: '3' }]);
    const missing = await client.deleteVaultTag(vault.id, 'b').catch((e) => e);
    expect(isNotFound(missing)).toBe(true);
    await client.batchVaultTags(vault.id, 'delete', [{ key: 'a' }]);
    expect(await client.listVaultTags(vault.id)).toEqual([]);
  });

  test('finds a renamed vault by its ownership tag with one tag query, never a full listing', async () => {
    const owner = { key: OWNER_TAG_KEY, value: 'o-1111111111111111111111111111111111111111' };
    for (const name of ['a', 'b', 'c']) await client.createVault({ vault: { name, billing, resources: [], tags: [{ key: 'team', value: name }] } });
    const ours = await client.createVault({ vault: { name: 'before', billing, resources: [], tags: [owner, { key: 'team', value: 'x' }] } });
    await client.updateVault(ours.id, { vault: { name: 'after' } });
    expect((await client.listVaultsByTag(OWNER_TAG_KEY, owner.value)).map((v) => [v.id, v.name, v.tags])).toEqual([[ours.id, 'after', [owner, { key: 'team', value: 'x' }]]]);
    expect(await client.listVaultsByTag(OWNER_TAG_KEY, 'o-2222222222222222222222222222222222222222')).toEqual([]);

    await emu.admin('DELETE', '/_emulator/requests');
    const found = await findOwnedVault(client, { by: 'owner', value: owner.value, name: 'before' });
    expect(found.ours?.id).toBe(ours.id);
    expect(found.named).toEqual([]);
    const log: Array<{ method: string; path: string; query: Record<string, string> }> = await emu.admin('GET', '/_emulator/requests');
    expect(log.map((r) => `${r.method} ${r.path.replace(DEFAULT_CREDENTIALS.projectId, 'P')} ${JSON.stringify(r.query)}`)).toEqual([
      'GET /v3/P/vaults {"name":"before","limit":"1000"}',
      'POST /v3/P/vault/resource_instances/action {}',
    ]);
  });

  test('orders a yearly/monthly vault, which appears once the order completes', async () => {
    const res = await client.orderVault({ vault: { name: 'prepaid', billing: { ...billing, charging_mode: 'pre_paid', period_type: 'month', period_num: 1 }, resources: [] } });
    expect(res).toMatchObject({ retCode: 0, errText: 'success', error_code: '0' });
    const id = res.orders![0].resourceId!;
    await new Promise((r) => setTimeout(r, 100));
    expect((await client.showVault(id)).billing.charging_mode).toBe('pre_paid');
  });
});
