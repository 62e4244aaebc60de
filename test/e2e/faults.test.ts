import { Construct } from 'constructs';
import { Policy, RemovalPolicy, Retention, Schedule, Vault, VaultObjectType, VaultResource } from '../../src';
import { E2eWorkspace } from '../support/e2e';

jest.setTimeout(600_000);

const VAULTS = 10;

/** 10 vaults, 5 policies, 10 attachments, 10 associated servers, 10 tags: 45 objects. */
function build(size: number) {
  return (scope: Construct) => {
    const policies = Array.from({ length: 5 }, (_, i) => new Policy(scope, `P${i}`, {
      policyName: `p-${i}`, schedule: Schedule.fromPatterns([`FREQ=DAILY;INTERVAL=1;BYHOUR=${i};BYMINUTE=0`]), retention: Retention.count(7),
    }));
    for (let i = 0; i < VAULTS; i++) {
      const v = new Vault(scope, `V${i}`, {
        vaultName: `v-${i}`, objectType: VaultObjectType.SERVER, size: size + i, tags: { idx: String(i) }, removalPolicy: RemovalPolicy.DESTROY,
      });
      v.attachPolicy(policies[i % 5]);
      v.addResources('Srv', [VaultResource.server(`srv-${i}`)]);
    }
  };
}

describe('20% injected faults of every kind', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => {
    ws = await E2eWorkspace.create('faults', {
      emulatorArgs: [
        '--fault-seed', '7',
        '--fault-error-rate', '0.05',
        '--fault-throttle-rate', '0.05', '--fault-retry-after', '1',
        '--fault-reset-rate', '0.05',
        '--fault-lost-response-rate', '0.05',
        '--fault-latency-ms', '5', '--fault-latency-jitter-ms', '20',
      ],
    });
  });
  afterAll(async () => { await ws?.dispose(); });

  const retries = { CBR_HTTP_MAX_ATTEMPTS: '10', CBR_HTTP_BUDGET_MS: '60000' };

  test('create, update and destroy each converge in one run with exactly the declared objects', async () => {
    await ws.synth(build(100));
    await ws.apply([], retries);
    let state = await ws.emulator.state();
    expect(state.vaults.map((v) => `${v.name}:${v.billing.size}`).sort()).toEqual(Array.from({ length: VAULTS }, (_, i) => `v-${i}:${100 + i}`).sort());
    expect(state.policies.map((p) => p.name).sort()).toEqual(['p-0', 'p-1', 'p-2', 'p-3', 'p-4']);
    for (const v of state.vaults) {
      const i = Number(v.name.slice(2));
      expect(v.resources.map((r: any) => r.id)).toEqual([`srv-${i}`]);
      expect(v.tags.filter((t: any) => t.key === 'idx')).toEqual([{ key: 'idx', value: String(i) }]);
      const attached = state.policies.filter((p) => (p.associated_vaults ?? []).some((a: any) => a.vault_id === v.id)).map((p) => p.name);
      expect(attached).toEqual([`p-${i % 5}`]);
    }
    const faulted = (await ws.emulator.requests()).filter((r: any) => r.fault);
    expect(faulted.length).toBeGreaterThan(5);

    await ws.synth(build(200));
    await ws.apply([], retries);
    state = await ws.emulator.state();
    expect(state.vaults.map((v) => `${v.name}:${v.billing.size}`).sort()).toEqual(Array.from({ length: VAULTS }, (_, i) => `v-${i}:${200 + i}`).sort());

    const destroy = await ws.destroyWithEnv(retries);
    expect(destroy.code).toBe(0);
    state = await ws.emulator.state();
    expect(state.vaults).toEqual([]);
    expect(state.policies).toEqual([]);
  });
});
