import { RemovalPolicy, Vault, VaultBilling, VaultObjectType } from '../../src';
import { E2eWorkspace } from '../support/e2e';

jest.setTimeout(240_000);

describe('yearly/monthly vaults under real terraform', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => { ws = await E2eWorkspace.create('prepaid'); });
  afterAll(async () => { await ws?.dispose(); });

  test('ordered through 4.5.14, updated in place, and deleted with the order named in the output', async () => {
    const build = (size: number) => (scope: any) => {
      new Vault(scope, 'Paid', {
        vaultName: 'paid', objectType: VaultObjectType.SERVER, size, billing: VaultBilling.monthly(2, { autoPay: true }), removalPolicy: RemovalPolicy.DESTROY,
      });
    };
    await ws.synth(build(80));
    const created = await ws.apply([], { CBR_ORDER_POLL_MS: '50' });
    const vault = (await ws.emulator.state()).vaults[0];
    expect(vault).toMatchObject({ name: 'paid', billing: { charging_mode: 'pre_paid', size: 80 } });
    expect((await ws.emulator.requests()).some((r) => r.method === 'POST' && r.path.endsWith('/vaults/order'))).toBe(true);
    expect(created.hooks).toEqual([expect.stringMatching(new RegExp(`^vault Paid: created ${vault.id} \\(paid, 80 GB, 2 months, order \\S+\\)$`))]);

    await ws.synth(build(120));
    const grown = await ws.apply();
    expect((await ws.emulator.state()).vaults[0]).toMatchObject({ id: vault.id, billing: { size: 120 } });
    expect(grown.hooks).toEqual([`vault Paid: updated size 80 -> 120 (${vault.id})`]);

    const destroyed = await ws.destroy();
    expect(destroyed.hooks[0]).toMatch(/^vault Paid: deleted \S+ \(yearly\/monthly vault, order \S+: deleting the vault does not settle the subscription; check the remaining term in the Billing Center\)$/);
  });
});
