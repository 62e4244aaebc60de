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

  test('an order still being fulfilled when the hook stops waiting is not placed again by the next apply', async () => {
    const slow = await E2eWorkspace.create('prepaid-slow', { emulatorArgs: ['--order-delay-ms', '4000'] });
    try {
      const env = { CBR_ORDER_TIMEOUT_MS: '300', CBR_ORDER_POLL_MS: '50' };
      const orders = async () => (await slow.emulator.requests()).filter((r) => r.method === 'POST' && r.path.endsWith('/vaults/order')).length;
      await slow.synth((scope: any) => {
        const v = new Vault(scope, 'Slow', {
          vaultName: 'slow', objectType: VaultObjectType.SERVER, size: 80, billing: VaultBilling.monthly(1, { autoPay: true }), removalPolicy: RemovalPolicy.DESTROY,
        });
        v.addTag('team', 'platform');
      });
      // The order entry is done; the hook entry fails the vault, and its tag, until the vault exists.
      const first = await slow.tryApplyWithEnv(env);
      expect(first.code).not.toBe(0);
      expect(first.stdout.replace(/\s*\n\s*/g, ' ')).toMatch(/vault Slow: ordered slow \(1 month, order \S+\); the vault has not appeared within 0 s, the order is still being fulfilled\./);
      const failed = first.stderr.replace(/\s*\n[\s│]*/g, ' ');
      expect(failed).toContain('vault Slow: FAILED: the yearly/monthly vault "slow" has not appeared: its order (terraform_data.cbr_vault_order["Slow"]) ' +
        'is still being fulfilled, or it failed.');
      expect(failed).toContain('tag Slow/Tag-team: FAILED: vault Slow failed above; this waits for it');
      expect(await orders()).toBe(1);
      // Before the order completes, a second apply orders nothing; after it, the tag is set.
      expect((await slow.tryApplyWithEnv(env)).code).not.toBe(0);
      await new Promise((r) => setTimeout(r, 4500));
      await slow.apply([], env);
      expect(await orders()).toBe(1);
      const state = await slow.emulator.state();
      expect(state.vaults.map((v) => v.name)).toEqual(['slow']);
      expect(state.vaults[0].tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'platform' }]));
      await slow.destroy();
    } finally {
      await slow.dispose();
    }
  });
});
