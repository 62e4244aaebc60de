import * as path from 'node:path';
import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { Policy, RemovalPolicy, Retention, Schedule, Vault, VaultObjectType, VaultResource, VaultTag } from '../../src';
import { terraformOk } from '../../src/harness/terraform';
import { main } from '../../src/runtime/cli';
import { E2eWorkspace } from '../support/e2e';

jest.setTimeout(300_000);

/** Terraform folds long error lines into a box; this joins them back. */
const unfolded = (text: string) => text.replace(/\s*\n[\s│]*/g, ' ');

async function drift(ws: E2eWorkspace) {
  let out = '';
  const code = await main(['drift', '--app-dir', path.dirname(path.dirname(ws.stackDir)), '--format', 'json'],
    { out: (s) => { out += s; }, err: () => undefined, env: ws.cliEnv });
  return { code, report: JSON.parse(out) };
}

/** The README's stack: a vault with a policy, a server and a tag, all under construct id Prod. */
function team(vaultName: string, opts: { adoptVault?: boolean; adoptPolicy?: boolean; size?: number; hour?: number } = {}) {
  return (scope: Construct) => {
    const vault = new Vault(scope, 'Prod', {
      vaultName, objectType: VaultObjectType.SERVER, size: opts.size ?? 50, removalPolicy: RemovalPolicy.RETAIN, adopt: opts.adoptVault,
    });
    // The generated policy name, the same in both teams' apps: `<stack>-<id>-<hash of path>`.
    const nightly = new Policy(scope, 'Nightly', {
      schedule: Schedule.fromPatterns([`FREQ=DAILY;INTERVAL=1;BYHOUR=${opts.hour ?? 2};BYMINUTE=0`]), retention: Retention.days(7), adopt: opts.adoptPolicy,
    });
    vault.attachPolicy(nightly);
    vault.addResources('Web', [VaultResource.server(`${vaultName}-srv`)]);
  };
}

describe('identity rooted in the Terraform state', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => { ws = await E2eWorkspace.create('backup'); });
  afterAll(async () => { await ws?.dispose(); });

  const state = () => ws.emulator.state();

  test('a second state with the same stack name and construct ids fails with the fix and leaves the first deployment untouched; adopt takes over and says so', async () => {
    const other = await E2eWorkspace.create('backup', { emulator: ws.emulator });
    try {
      await ws.synth(team('s9-team1'));
      await ws.apply();
      const before = await state();
      const one = before.vaults.find((v) => v.name === 's9-team1')!;
      const policy = before.policies[0];

      await other.synth(team('s9-team2', { size: 70, hour: 5 }));
      await ws.emulator.clearRequests();
      const refused = await other.tryApply();
      expect(refused.code).not.toBe(0);
      expect(unfolded(refused.stderr)).toContain(`policy ${policy.name}: FAILED: a policy named "${policy.name}" already exists (${policy.id}) and this deployment did not create it`);
      expect(unfolded(refused.stderr)).toContain('Choose another policyName, set adopt: true on this Policy to take it over');
      // Nothing was written: no vault of team 2 either (its table waits for the policies), and team 1's objects are as they were.
      expect((await ws.emulator.requests()).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)).toEqual([]);
      expect(await state()).toEqual(before);

      // A vault of the same name as team 1's is another deployment's too: refused with the fix.
      await other.synth(team('s9-team1', { size: 70, hour: 5, adoptPolicy: true }));
      const sameName = await other.tryApply();
      expect(sameName.code).not.toBe(0);
      // The policy claim is made once, with adopt: from now on the policy is the second deployment's.
      expect(sameName.stdout).toContain(`policy ${policy.name}: adopted ${policy.id} (${policy.name}); its schedule and retention are now this construct's`);
      expect(unfolded(sameName.stderr)).toContain(`vault Prod: FAILED: a vault named "s9-team1" already exists (${one.id}) and belongs to another cdktf-cbr deployment`);
      expect(unfolded(sameName.stderr)).toContain('set adopt: true on this Vault to take it over');
      expect((await state()).vaults).toEqual(before.vaults);

      // With adopt, the second deployment takes both over, and says so.
      await other.synth(team('s9-team1', { size: 70, hour: 5, adoptPolicy: true, adoptVault: true }));
      const adopted = await other.apply();
      expect(adopted.hooks).toEqual(expect.arrayContaining([
        expect.stringMatching(new RegExp(`^vault Prod: adopted ${one.id} \\(its "cdktf-cbr" tag was "[0-9a-f]{16}-[0-9a-f]{24}"\\); updated size 50 -> 70 \\(${one.id}\\)$`)),
      ]));
      // Team 1 no longer finds its vault by its tag, and its next apply says whose it is now instead of touching it.
      const taken = await ws.tryApply(['-replace=terraform_data.cbr_vault["Prod"]']);
      expect(taken.code).not.toBe(0);
      expect(unfolded(taken.stderr)).toContain(`a vault named "s9-team1" already exists (${one.id}) and belongs to another cdktf-cbr deployment`);
      await other.destroy();
    } finally {
      await other.dispose();
    }
  });

  test('a vault with its policy, server and tags moved into a nested scope keeps every cloud object in one apply', async () => {
    const reset = await E2eWorkspace.create('moves', { emulator: ws.emulator });
    try {
      const build = (nested: boolean) => (stack: Construct) => {
        const scope = nested ? new Construct(stack, 'Team') : stack;
        const vault = new Vault(scope, 'Prod', { vaultName: 's3-prod', objectType: VaultObjectType.SERVER, size: 100, tags: { team: 'platform' }, removalPolicy: RemovalPolicy.DESTROY });
        const nightly = new Policy(scope, 'Nightly', { policyName: 's3-nightly', schedule: Schedule.fromPatterns(['FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0']), retention: Retention.days(7) });
        vault.attachPolicy(nightly);
        vault.addResources('Web', [VaultResource.server('srv-m1', { excludeVolumes: ['vol-9'] })]);
        new VaultTag(scope, 'Owner', { vault, key: 'owner', value: 'ops' });
      };
      await reset.synth(build(false));
      await reset.apply();
      const before = (await state()).vaults.find((v) => v.name === 's3-prod')!;
      const policy = (await state()).policies.find((p) => p.name === 's3-nightly')!;

      for (const [nested, from, to] of [[true, 'Prod', 'Team/Prod'], [false, 'Team/Prod', 'Prod']] as const) {
        await reset.synth(build(nested));
        // The reviewer's view of the refactor: moves, nothing deleted (exit 0), and no API call.
        await terraformOk(['plan', '-input=false', '-no-color', '-out=move.tfplan'], { dir: reset.stackDir, env: reset.hookEnv });
        await ws.emulator.clearRequests();
        let review = '';
        const planCode = await main(['plan', '--plan', path.join(reset.stackDir, 'move.tfplan')], { out: (t) => { review += t; }, err: (t) => { review += t; }, env: reset.cliEnv });
        expect(review).toContain(`vault moves/${from}: move to ${to}`);
        expect(review).toContain(`policy moves/${from.replace('Prod', 'Nightly')}: move to ${to.replace('Prod', 'Nightly')}`);
        expect(review).toContain('0 deletions of data');
        expect(planCode).toBe(0);
        expect(await ws.emulator.requests()).toEqual([]);
        const moved = await reset.apply();
        expect(moved.hooks).toContain(`vault ${from}: moved from ${from} to ${to} (the vault "s3-prod" and its backups are kept for it)`);
        expect(moved.hooks).toContain(`vault ${to}: moved ${before.id} here from a construct of this deployment that is no longer declared; unchanged (${before.id})`);
        const after = await state();
        const vault = after.vaults.find((v) => v.name === 's3-prod')!;
        expect(vault.id).toBe(before.id);
        expect(vault.resources).toEqual(before.resources);
        expect(vault.tags.filter((t: any) => t.key !== 'cdktf-cbr')).toEqual(before.tags.filter((t: any) => t.key !== 'cdktf-cbr'));
        expect(after.policies.find((p) => p.name === 's3-nightly')).toEqual(policy);
        // No delete, no dissociation, no creation: the only write is the ownership tag of the new path.
        // (4.7.1's tag query is a POST that reads.)
        const requests = (await ws.emulator.requests()).filter((r) => r.method !== 'GET' && !r.path.endsWith('/resource_instances/action'));
        expect(requests.map((r) => `${r.method} ${r.path.replace(/^\/v3\/[0-9a-f]+/, '')}`)).toEqual([`POST /vault/${before.id}/tags`]);
      }
      await reset.destroy();
      expect((await state()).vaults.filter((v) => v.name === 's3-prod')).toEqual([]);
    } finally {
      await reset.dispose();
    }
  });

  test('destroy then apply with RETAIN: the retained vault and policy are the old deployment\'s; the apply fails naming adopt, which takes them back', async () => {
    const cycle = await E2eWorkspace.create('cycle', { emulator: ws.emulator });
    try {
      const build = (adopt: boolean) => (scope: Construct) => {
        new Vault(scope, 'Keep', { vaultName: 'keep-me', objectType: VaultObjectType.SERVER, size: 40, adopt });
        new Policy(scope, 'Daily', { policyName: 'keep-daily', schedule: Schedule.daily({ hour: 1 }), retention: Retention.count(3), removalPolicy: RemovalPolicy.RETAIN, adopt });
      };
      await cycle.synth(build(false));
      await cycle.apply();
      const kept = (await state()).vaults.find((v) => v.name === 'keep-me')!;
      const destroyed = await cycle.destroy();
      expect(destroyed.hooks).toContain(`vault Keep: retained ${kept.id} (removalPolicy RETAIN keeps the vault and its backups)`);

      const again = await cycle.tryApply();
      expect(again.code).not.toBe(0);
      expect(unfolded(again.stderr)).toContain('a policy named "keep-daily" already exists');
      expect(unfolded(again.stderr)).toContain('set adopt: true on this Policy');

      await cycle.synth(build(true));
      const adopted = await cycle.apply();
      expect(adopted.hooks).toEqual(expect.arrayContaining([
        expect.stringMatching(/^policy keep-daily: adopted /),
        expect.stringMatching(new RegExp(`^vault Keep: adopted ${kept.id} \\(its "cdktf-cbr" tag was "[0-9a-f]{16}-[0-9a-f]{24}"\\); unchanged \\(${kept.id}\\)$`)),
      ]));
      expect((await state()).vaults.filter((v) => v.name === 'keep-me').map((v) => v.id)).toEqual([kept.id]);
      await cycle.destroy();
    } finally {
      await cycle.dispose();
    }
  });

  test('names from another resource, unknown at plan: the policy name is claimed under its construct path, the vault found by its tag', async () => {
    const tokens = await E2eWorkspace.create('tokens', { emulator: ws.emulator });
    try {
      const build = (suffix: string) => (scope: Construct) => {
        // Like a random suffix: its output is known only after apply.
        const name = new TerraformResource(scope, 'Suffix', { terraformResourceType: 'terraform_data' });
        name.addOverride('input', suffix);
        const vault = new Vault(scope, 'Prod', { vaultName: `tok-vault-${name.getStringAttribute('output')}`, objectType: VaultObjectType.SERVER, size: 40, removalPolicy: RemovalPolicy.DESTROY });
        vault.attachPolicy(new Policy(scope, 'Nightly', { policyName: `tok-policy-${name.getStringAttribute('output')}`, schedule: Schedule.daily({ hour: 1 }), retention: Retention.count(3) }));
      };
      await tokens.synth(build('a'));
      const first = await tokens.apply();
      expect(first.hooks).toEqual(expect.arrayContaining([
        'policy path:Nightly: claimed the name tok-policy-a for this deployment',
        expect.stringMatching(/^vault Prod: created \S+ \(tok-vault-a, 40 GB\)$/),
      ]));
      const vault = (await state()).vaults.find((v) => v.name === 'tok-vault-a')!;
      // A new value renames both in place: the vault keeps its id (found by its tag), the claim is made again for the new name.
      await tokens.synth(build('b'));
      const renamed = await tokens.apply();
      expect(renamed.hooks).toEqual(expect.arrayContaining([
        'policy path:Nightly: claimed the name tok-policy-b for this deployment',
        `vault Prod: updated name "tok-vault-a" -> "tok-vault-b" (${vault.id})`,
      ]));
      expect((await state()).vaults.filter((v) => v.name.startsWith('tok-vault-')).map((v) => v.id)).toEqual([vault.id]);
      await tokens.destroy();
    } finally {
      await tokens.dispose();
    }
  });

  test('drift reports as undeclared only the vaults of this deployment, not another app\'s in the same project', async () => {
    const mine = await E2eWorkspace.create('drift-mine', { emulator: ws.emulator });
    const theirs = await E2eWorkspace.create('drift-mine', { emulator: ws.emulator });
    try {
      await theirs.synth((scope) => { new Vault(scope, 'Other', { vaultName: 'their-vault', objectType: VaultObjectType.SERVER, size: 40, removalPolicy: RemovalPolicy.DESTROY }); });
      await theirs.apply();
      const build = (withOld: boolean) => (scope: Construct) => {
        new Vault(scope, 'Main', { vaultName: 'my-vault', objectType: VaultObjectType.SERVER, size: 40, removalPolicy: RemovalPolicy.DESTROY });
        if (withOld) new Vault(scope, 'Old', { vaultName: 'my-old', objectType: VaultObjectType.SERVER, size: 40 });
      };
      await mine.synth(build(true));
      await mine.apply();
      const clean = await drift(mine);
      expect(clean.report.entries.filter((e: any) => e.status !== 'in_sync')).toEqual([]);
      expect(clean.report.undeclared).toEqual([]);
      expect(clean.code).toBe(0);

      // A Vault removed with RETAIN is still this deployment's: undeclared.
      await mine.synth(build(false));
      await mine.apply();
      const old = (await state()).vaults.find((v) => v.name === 'my-old')!;
      const after = await drift(mine);
      expect(after.report.undeclared.map((u: any) => `${u.name} ${u.id}`)).toEqual([`my-old ${old.id}`]);
      expect(after.code).toBe(2);
      await ws.emulator.clearRequests();
    } finally {
      await theirs.destroy().catch(() => undefined);
      await mine.destroy().catch(() => undefined);
      await mine.dispose();
      await theirs.dispose();
    }
  });
});
