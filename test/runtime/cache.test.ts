import { DEFAULT_CREDENTIALS } from '../../src/emulator';
import { CachedCbrClient } from '../../src/runtime/cbr/cache';
import { CbrClient, RequestEvent } from '../../src/runtime/cbr/client';
import { isNotFound } from '../../src/runtime/errors';
import { TestEmulator } from '../emulator/helpers';

/** The client the hook entry and drift read the project through: one listing per collection, writes read again. */
describe('CachedCbrClient', () => {
  let emu: TestEmulator;
  let base: CbrClient;
  let calls: RequestEvent[];
  const billing = { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 40 } as const;
  const policyBody = (name: string) => ({
    policy: { name, operation_type: 'backup', operation_definition: { max_backups: 3 }, trigger: { properties: { pattern: ['FREQ=DAILY;BYHOUR=1;BYMINUTE=0'] } } },
  });
  const seen = () => calls.map((c) => `${c.method} ${c.path.replace(/^\/v3\/[0-9a-f]+/, '')}`);

  beforeEach(async () => {
    emu = await TestEmulator.start();
    calls = [];
    base = new CbrClient({
      region: 'emulator-region-1',
      projectId: DEFAULT_CREDENTIALS.projectId,
      endpoint: emu.url,
      auth: { kind: 'aksk', accessKey: DEFAULT_CREDENTIALS.accessKey, secretKey: DEFAULT_CREDENTIALS.secretKey },
    }, undefined, { onRequest: (e) => calls.push(e) });
  });
  afterEach(() => emu.close());

  test('serves every read of vaults and policies from one listing of each', async () => {
    const [a, b] = [await base.createVault({ vault: { name: 'a', billing, resources: [] } }), await base.createVault({ vault: { name: 'b', billing, resources: [] } })];
    await base.createVaultTag(a.id, { key: 'team', value: 'x' });
    await base.addResources(b.id, [{ id: 'srv-1', type: 'OS::Nova::Server' }]);
    const p = await base.createPolicy(policyBody('p'));
    calls = [];
    const cached = new CachedCbrClient(base);
    expect((await cached.listAllVaults({ name: 'a' })).map((v) => v.id)).toEqual([a.id]);
    expect((await cached.showVault(b.id)).name).toBe('b');
    expect((await cached.listVaultsByTag('team', 'x')).map((v) => v.id)).toEqual([a.id]);
    expect((await cached.findVaultsByResource('srv-1')).map((v) => v.id)).toEqual([b.id]);
    expect((await cached.listAllVaults({ resource_ids: 'srv-1' })).map((v) => v.id)).toEqual([b.id]);
    expect((await cached.listPolicies({})).map((x) => x.id)).toEqual([p.id]);
    expect((await cached.showPolicy(p.id)).name).toBe('p');
    const missing = await cached.showVault('00000000-0000-0000-0000-000000000000').catch((e) => e);
    expect(isNotFound(missing)).toBe(true);
    expect(seen()).toEqual(['GET /vaults', 'GET /policies']);
  });

  test('a vault written is read again, once, the next time it is looked at, and shows the write', async () => {
    const v = await base.createVault({ vault: { name: 'v', billing, resources: [] } });
    const cached = new CachedCbrClient(base);
    await cached.listAllVaults({});
    calls = [];
    await cached.createVaultTag(v.id, { key: 'cdktf-cbr', value: 'owner-2' });
    const [x, y] = await Promise.all([cached.listVaultsByTag('cdktf-cbr', 'owner-2'), cached.listAllVaults({ name: 'v' })]);
    expect(x.map((z) => z.id)).toEqual([v.id]);
    expect(y[0].tags).toEqual([{ key: 'cdktf-cbr', value: 'owner-2' }]);
    expect(seen()).toEqual([`POST /vault/${v.id}/tags`, `GET /vaults/${v.id}`]);
  });

  test('a vault created is listed at once; one deleted is gone', async () => {
    const cached = new CachedCbrClient(base);
    expect(await cached.listAllVaults({})).toEqual([]);
    const created = await cached.createVault({ vault: { name: 'new', billing, resources: [] } });
    expect((await cached.listAllVaults({ name: 'new' })).map((v) => v.id)).toEqual([created.id]);
    await cached.deleteVault(created.id);
    expect(await cached.listAllVaults({})).toEqual([]);
  });

  test('applying or removing a policy shows on the policy and on the vault', async () => {
    const v = await base.createVault({ vault: { name: 'v', billing, resources: [] } });
    const cached = new CachedCbrClient(base);
    const p = await cached.createPolicy(policyBody('p'));
    expect(await cached.listPolicies({ vault_id: v.id })).toEqual([]);
    await cached.associatePolicy(v.id, { policy_id: p.id });
    expect((await cached.listPolicies({ vault_id: v.id })).map((x) => x.id)).toEqual([p.id]);
    await cached.dissociatePolicy(v.id, p.id);
    expect(await cached.listPolicies({ vault_id: v.id })).toEqual([]);
  });

  test('a failed write is read again too: it may have happened', async () => {
    const v = await base.createVault({ vault: { name: 'v', billing, resources: [] } });
    const cached = new CachedCbrClient(base);
    await cached.listAllVaults({});
    calls = [];
    const refused = await cached.deleteVaultTag(v.id, 'absent').catch((e) => e);
    expect(isNotFound(refused)).toBe(true);
    await cached.showVault(v.id);
    expect(seen()).toEqual([`DELETE /vault/${v.id}/tags/absent`, `GET /vaults/${v.id}`]);
  });
});

describe('CachedCbrClient after a create whose answer was lost', () => {
  test('lists the project again, so the lookup before a second POST finds the object the first one made', async () => {
    const emu = await TestEmulator.start({ faults: { lostResponseRate: 1, seed: 1 } });
    try {
      const base = new CbrClient({
        region: 'emulator-region-1',
        projectId: DEFAULT_CREDENTIALS.projectId,
        endpoint: emu.url,
        auth: { kind: 'aksk', accessKey: DEFAULT_CREDENTIALS.accessKey, secretKey: DEFAULT_CREDENTIALS.secretKey },
      });
      const cached = new CachedCbrClient(base);
      expect(await cached.listAllVaults({})).toEqual([]);
      const lost = await cached.createVault({ vault: { name: 'v', billing: { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 40 }, resources: [] } })
        .catch((e) => e);
      expect(lost).toBeInstanceOf(Error);
      await emu.admin('POST', '/_emulator/faults', { lostResponseRate: 0 });
      expect((await cached.listAllVaults({ name: 'v' })).map((v) => v.name)).toEqual(['v']);
    } finally {
      await emu.close();
    }
  });
});
