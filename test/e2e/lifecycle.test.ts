import { execFileSync } from 'node:child_process';
import { Construct } from 'constructs';
import { Policy, RemovalPolicy, Retention, Schedule, Vault, VaultObjectType } from '../../src';
import { emulatorHookEnv } from '../../src/harness/env';
import { terraformBinary } from '../../src/harness/terraform';
import { CbrClient } from '../../src/runtime/cbr/client';
import { readSettings } from '../../src/runtime/settings';
import { E2eWorkspace } from '../support/e2e';

// End to end: real Terraform applies synthesized stacks whose hooks call the emulator process over HTTP.
jest.setTimeout(240_000);

beforeAll(() => {
  // A missing Terraform must fail the suite loudly, never skip it.
  const version = execFileSync(terraformBinary(), ['version'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  expect(version).toMatch(/Terraform v1\.(\d+)/);
});

interface StackShape {
  readonly size?: number;
  readonly withPolicy?: boolean;
  readonly pattern?: string;
  readonly vaultRemoval?: RemovalPolicy;
  readonly extraVaults?: number;
}

function buildStack(shape: StackShape) {
  return (stack: Construct) => {
    new Vault(stack, 'Prod', {
      vaultName: 'prod-servers',
      objectType: VaultObjectType.SERVER,
      size: shape.size ?? 100,
      description: 'production servers',
      tags: { team: 'platform' },
      removalPolicy: shape.vaultRemoval,
    });
    for (let i = 0; i < (shape.extraVaults ?? 0); i++) {
      new Vault(stack, `Extra${i}`, { vaultName: `extra-${i}`, objectType: VaultObjectType.DISK, size: 40, removalPolicy: RemovalPolicy.DESTROY });
    }
    if (shape.withPolicy ?? true) {
      new Policy(stack, 'Nightly', {
        policyName: 'nightly',
        schedule: Schedule.fromPatterns([shape.pattern ?? 'FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0']),
        retention: Retention.days(30),
      });
    }
  };
}

describe('vault and policy lifecycle under real terraform', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => { ws = await E2eWorkspace.create('lifecycle'); });
  afterAll(async () => { await ws?.dispose(); });

  test('creates, updates in place, deletes a removed policy and retains the vault on destroy', async () => {
    // 1. create vault + policy
    await ws.synth(buildStack({}));
    const created = await ws.apply();
    let state = await ws.emulator.state();
    expect(state.vaults).toHaveLength(1);
    expect(state.policies).toHaveLength(1);
    const vault = state.vaults[0];
    const policy = state.policies[0];
    expect(vault).toMatchObject({ name: 'prod-servers', description: 'production servers', billing: { size: 100, object_type: 'server' } });
    expect(vault.tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'platform' }]));
    expect(policy).toMatchObject({ name: 'nightly', enabled: true, operation_type: 'backup' });
    expect(policy.trigger.properties.pattern).toEqual(['FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0']);
    expect(policy.operation_definition.retention_duration_days).toBe(30);
    expect(created.hooks).toEqual(expect.arrayContaining([
      expect.stringMatching(/^vault Prod: created /),
      expect.stringMatching(/^policy Nightly: created /),
    ]));

    // A second apply with nothing changed runs no hook and calls no API.
    await ws.emulator.clearRequests();
    const again = await ws.apply();
    expect(again.hooks).toEqual([]);
    expect(await ws.emulator.requests()).toEqual([]);

    // 2. change the vault size: same vault, new size, nothing deleted
    await ws.emulator.clearRequests();
    await ws.synth(buildStack({ size: 200 }));
    const resized = await ws.apply();
    state = await ws.emulator.state();
    expect(state.vaults).toHaveLength(1);
    expect(state.vaults[0].id).toBe(vault.id);
    expect(state.vaults[0].billing.size).toBe(200);
    expect(resized.hooks).toEqual([`vault Prod: updated size 100 -> 200 (${vault.id})`]);
    const writes = (await ws.emulator.requests()).filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /v3/${vault.project_id}/vaults/${vault.id}`]);

    // 3. change the policy pattern: same policy, new pattern
    await ws.synth(buildStack({ size: 200, pattern: 'FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=3;BYMINUTE=30' }));
    await ws.apply();
    state = await ws.emulator.state();
    expect(state.policies).toHaveLength(1);
    expect(state.policies[0].id).toBe(policy.id);
    expect(state.policies[0].trigger.properties.pattern).toEqual(['FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=3;BYMINUTE=30']);

    // 4. remove the Policy construct: the policy is deleted, the vault untouched
    await ws.synth(buildStack({ size: 200, withPolicy: false }));
    const removed = await ws.apply();
    state = await ws.emulator.state();
    expect(state.policies).toEqual([]);
    expect(state.vaults.map((v) => v.id)).toEqual([vault.id]);
    expect(removed.hooks).toEqual([`policy Nightly: deleted ${policy.id}`]);

    // 5. destroy: the vault is retained by default
    const destroyed = await ws.destroy();
    state = await ws.emulator.state();
    expect(state.vaults.map((v) => v.id)).toEqual([vault.id]);
    expect(destroyed.hooks).toEqual([
      'tag Prod/Tag-team: retained team on vault "prod-servers" (the vault is retained)',
      `vault Prod: retained ${vault.id} (removalPolicy RETAIN keeps the vault and its backups)`,
    ]);
    expect(state.vaults[0].tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'platform' }]));
  });
});

// Also with every hook in its own process: the path a hook takes when no warm runner answers.
describe.each([['with the warm runner', {}], ['with CBR_HOOK_RUNNER=off', { CBR_HOOK_RUNNER: 'off' }]])('removalPolicy DESTROY, %s', (_label, extraEnv) => {
  let ws: E2eWorkspace;
  beforeAll(async () => { ws = await E2eWorkspace.create('destroy', { hookEnv: (url) => ({ ...emulatorHookEnv(url), ...extraEnv }) }); });
  afterAll(async () => { await ws?.dispose(); });

  test('terraform destroy deletes the vault and the policy', async () => {
    await ws.synth(buildStack({ vaultRemoval: RemovalPolicy.DESTROY }));
    const applied = await ws.apply();
    expect(applied.hooks).toEqual(expect.arrayContaining([
      expect.stringMatching(/^vault Prod: created /),
      expect.stringMatching(/^policy Nightly: created /),
    ]));
    expect((await ws.emulator.state()).vaults).toHaveLength(1);
    const destroyed = await ws.destroy();
    const state = await ws.emulator.state();
    expect(state.vaults).toEqual([]);
    expect(state.policies).toEqual([]);
    expect(destroyed.hooks).toEqual(expect.arrayContaining([
      expect.stringMatching(/^vault Prod: deleted /),
      expect.stringMatching(/^policy Nightly: deleted /),
    ]));
  });
});

describe('emulator crash during apply', () => {
  let ws: E2eWorkspace;
  // Each call takes a while, so the crash lands between two of them.
  beforeAll(async () => { ws = await E2eWorkspace.create('crash', { emulatorArgs: ['--fault-latency-ms', '100'] }); });
  afterAll(async () => { await ws?.dispose(); });

  test('a re-apply after the emulator restarts converges to exactly the declared objects', async () => {
    await ws.synth(buildStack({ extraVaults: 4 }));
    // One object at a time, so the crash lands between objects; stop the emulator as soon as the first vault exists.
    const apply = ws.tryApplyWithEnv({ CBR_HOOK_CONCURRENCY: '1' });
    for (let i = 0; i < 600; i++) {
      if ((await ws.emulator.state()).vaults.length > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await ws.emulator.kill();
    const failed = await apply;
    expect(failed.code).not.toBe(0);
    expect(failed.stdout + failed.stderr).toMatch(/FAILED: .*(ECONNREFUSED|connect|connection)/i);

    await ws.emulator.restart();
    const before = (await ws.emulator.state()).vaults.length;
    expect(before).toBeGreaterThanOrEqual(1);
    expect(before).toBeLessThan(5);

    await ws.apply();
    const state = await ws.emulator.state();
    expect(state.vaults.map((v) => v.name).sort()).toEqual(['extra-0', 'extra-1', 'extra-2', 'extra-3', 'prod-servers']);
    expect(state.policies.map((p) => p.name)).toEqual(['nightly']);
  });
});

describe('adopting a vault made in the console', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => { ws = await E2eWorkspace.create('adopt'); });
  afterAll(async () => { await ws?.dispose(); });

  test('fails without adopt, takes the vault over with adopt: true, and never creates a second one', async () => {
    const legacy = await CbrClient.fromSettings(readSettings(ws.hookEnv)).createVault({
      vault: { name: 'legacy', billing: { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 60 }, resources: [] },
    });
    const build = (adopt: boolean) => (scope: Construct) => {
      new Vault(scope, 'Legacy', { vaultName: 'legacy', objectType: VaultObjectType.SERVER, size: 80, adopt });
    };
    await ws.synth(build(false));
    const refused = await ws.tryApply();
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain(`vault Legacy: FAILED: a vault named "legacy" already exists (${legacy.id}) and was not created by cdktf-cbr. Choose another vaultName, set adopt: true on this Vault to take it over`);

    await ws.synth(build(true));
    const adopted = await ws.apply();
    expect(adopted.hooks).toEqual([`vault Legacy: adopted ${legacy.id} (it had no "cdktf-cbr" tag); updated size 60 -> 80 (${legacy.id})`]);
    const vaults = (await ws.emulator.state()).vaults;
    expect(vaults.map((v) => v.id)).toEqual([legacy.id]);
    expect(vaults[0].tags.map((t: any) => t.key)).toEqual(['cdktf-cbr']);
  });
});
