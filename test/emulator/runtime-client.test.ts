import { TestEmulator } from './helpers';
import { DEFAULT_CREDENTIALS } from '../../src/emulator';
import { CbrClient } from '../../src/runtime/cbr/client';
import { isNotFound } from '../../src/runtime/errors';

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

  test('orders a yearly/monthly vault, which appears once the order completes', async () => {
    const res = await client.orderVault({ vault: { name: 'prepaid', billing: { ...billing, charging_mode: 'pre_paid', period_type: 'month', period_num: 1 }, resources: [] } });
    expect(res).toMatchObject({ retCode: 0, errText: 'success', error_code: '0' });
    const id = res.orders![0].resourceId!;
    await new Promise((r) => setTimeout(r, 100));
    expect((await client.showVault(id)).billing.charging_mode).toBe('pre_paid');
  });
});
