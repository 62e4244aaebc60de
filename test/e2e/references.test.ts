import { TerraformOutput, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { Policy, PolicyAttachment, RemovalPolicy, ResourceAssociation, Retention, Schedule, Vault, VaultObjectType, VaultResource, VaultTag } from '../../src';
import { terraformOk } from '../../src/harness/terraform';
import { E2eWorkspace } from '../support/e2e';

jest.setTimeout(600_000);

/**
 * Servers modelled by terraform_data: like a compute instance, their ids are known only after apply.
 * web1 is protected by a retained vault, the others by a vault destroyed with the stack.
 */
function serverStack(servers: string[]) {
  return (scope: Construct) => {
    const prod = new Vault(scope, 'Prod', { vaultName: 'ref-prod', objectType: VaultObjectType.SERVER, size: 100 });
    const scratch = new Vault(scope, 'Scratch', { vaultName: 'ref-scratch', objectType: VaultObjectType.SERVER, size: 100, removalPolicy: RemovalPolicy.DESTROY });
    const resource = (name: string) => {
      const server = new TerraformResource(scope, name, { terraformResourceType: 'terraform_data' });
      new TerraformOutput(scope, `${name}_id`, { value: server.getStringAttribute('id') });
      return VaultResource.server(server.getStringAttribute('id'));
    };
    prod.addResources('Web', [resource('web1')]);
    const others = servers.filter((s) => s !== 'web1');
    if (others.length > 0) scratch.addResources('Web', others.map(resource));
  };
}

/** Two servers that swap vaults: srv-1 in vault a and srv-2 in vault b, or the other way round. */
function moveStack(into: 'a' | 'b') {
  return (scope: Construct) => {
    const a = new Vault(scope, 'A', { vaultName: 'move-a', objectType: VaultObjectType.SERVER, size: 100, removalPolicy: RemovalPolicy.DESTROY });
    const b = new Vault(scope, 'B', { vaultName: 'move-b', objectType: VaultObjectType.SERVER, size: 100, removalPolicy: RemovalPolicy.DESTROY });
    (into === 'a' ? a : b).addResources('Web', [VaultResource.server('srv-1', { excludeVolumes: ['vol-1'] })]);
    (into === 'a' ? b : a).addResources('Db', [VaultResource.server('srv-2')]);
  };
}

/**
 * Policies and a tag that change places: in state 0, P is vault a's backup policy and Q vault b's,
 * and a's tag `team` comes from Vault.tags; in state 1, P moves to b and Q to a (through other
 * attachment constructs), and `team` comes from a VaultTag with another value.
 */
function swapStack(state: 0 | 1) {
  return (scope: Construct) => {
    const a = new Vault(scope, 'A', {
      vaultName: 'swap-a', objectType: VaultObjectType.SERVER, size: 100, removalPolicy: RemovalPolicy.DESTROY, tags: state === 0 ? { team: 'x' } : undefined,
    });
    const b = new Vault(scope, 'B', { vaultName: 'swap-b', objectType: VaultObjectType.SERVER, size: 100, removalPolicy: RemovalPolicy.DESTROY });
    const schedule = Schedule.fromPatterns(['FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0']);
    const p = new Policy(scope, 'P', { policyName: 'swap-p', schedule, retention: Retention.count(7) });
    const q = new Policy(scope, 'Q', { policyName: 'swap-q', schedule, retention: Retention.count(7) });
    if (state === 0) {
      new PolicyAttachment(scope, 'PonA', { vault: a, policy: p });
      new PolicyAttachment(scope, 'QonB', { vault: b, policy: q });
    } else {
      new PolicyAttachment(scope, 'PonB', { vault: b, policy: p });
      new PolicyAttachment(scope, 'QonA', { vault: a, policy: q });
      new VaultTag(scope, 'Team', { vault: a, key: 'team', value: 'y' });
    }
  };
}

describe('associations that reference other resources, and moves between vaults', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => { ws = await E2eWorkspace.create('references'); });
  afterAll(async () => { await ws?.dispose(); });

  const vault = async (name: string) => (await ws.emulator.state()).vaults.find((v) => v.name === name)!;
  const ids = async (name: string) => (await vault(name)).resources.map((r: any) => r.id).sort();
  const outputs = async (): Promise<Record<string, string>> => {
    const { stdout } = await terraformOk(['output', '-json'], { dir: ws.stackDir, env: ws.hookEnv });
    return Object.fromEntries(Object.entries(JSON.parse(stdout)).map(([k, v]: [string, any]) => [k.replace(/_id$/, ''), v.value]));
  };
  const writes = async () => (await ws.emulator.requests()).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.replace(/^\/v3\/[0-9a-f]+\//, '')}`);

  test('servers created in the same stack are protected by their real ids; a replaced server moves the protection; a removed one is dissociated', async () => {
    await ws.synth(serverStack(['web1', 'web2', 'web3']));
    const first = await ws.apply();
    const created = await outputs();
    expect(await ids('ref-prod')).toEqual([created.web1]);
    expect(await ids('ref-scratch')).toEqual([created.web2, created.web3].sort());
    expect(first.hooks).toEqual(expect.arrayContaining([
      `association Prod/Web/terraform_data.web1.id: added OS::Nova::Server ${created.web1} in vault ref-prod (${(await vault('ref-prod')).id})`,
    ]));

    // Each entry keeps its key; the old id goes once the new one is in, in a retained vault and in one destroyed with the stack.
    const replaced = await ws.apply(['-replace=terraform_data.web1', '-replace=terraform_data.web2']);
    const now = await outputs();
    expect(now.web1).not.toBe(created.web1);
    expect(now.web2).not.toBe(created.web2);
    expect(now.web3).toBe(created.web3);
    expect(await ids('ref-prod')).toEqual([now.web1]);
    expect(await ids('ref-scratch')).toEqual([now.web2, now.web3].sort());
    expect(replaced.hooks).toEqual(expect.arrayContaining([
      expect.stringMatching(new RegExp(`^association Prod/Web/terraform_data.web1.id: removed ${created.web1}, which this entry named before, from vault ref-prod`)),
      expect.stringMatching(new RegExp(`^association Scratch/Web/terraform_data.web2.id: removed ${created.web2}, which this entry named before, from vault ref-scratch`)),
    ]));

    await ws.synth(serverStack(['web1', 'web2']));
    await ws.apply();
    expect(await ids('ref-scratch')).toEqual([now.web2]);
    await ws.destroy();
  });

  test('a server moved between two vaults in one apply is migrated with its backups, whichever hook runs first (20 moves)', async () => {
    await ws.synth(moveStack('a'));
    await ws.apply();
    const a = (await vault('move-a')).id;
    const b = (await vault('move-b')).id;
    let where: 'a' | 'b' = 'a';
    for (let i = 0; i < 20; i++) {
      const to: 'a' | 'b' = where === 'a' ? 'b' : 'a';
      // Terraform runs the removed entry's delete hook and the added entry's apply hook concurrently:
      // hold one of them back so both orders are exercised, each 10 times.
      const delay = i % 2 === 0 ? 'delete:association:1000' : 'apply:association:1000';
      await ws.synth(moveStack(to));
      await ws.emulator.clearRequests();
      const result = await ws.apply([], { CBR_TEST_DELAY: delay });
      const [from, dest] = to === 'b' ? [a, b] : [b, a];
      expect({ i, a: await ids('move-a'), b: await ids('move-b') }).toEqual({ i, ...(to === 'b' ? { a: ['srv-2'], b: ['srv-1'] } : { a: ['srv-1'], b: ['srv-2'] }) });
      const moved = (await vault(`move-${to}`)).resources.find((r: any) => r.id === 'srv-1');
      expect(moved.extra_info.exclude_volumes).toEqual(['vol-1']);
      // Each add is refused (6103: the other vault holds it), then the resource moves: never removed.
      expect((await writes()).sort()).toEqual([
        `POST vaults/${a}/addresources`, `POST vaults/${a}/migrateresources`, `POST vaults/${b}/addresources`, `POST vaults/${b}/migrateresources`,
      ].sort());
      expect(dest).not.toBe(from);
      expect(result.hooks).toEqual(expect.arrayContaining([
        `association ${to === 'b' ? 'B' : 'A'}/Web/srv-1: moved srv-1 from vault move-${where} to vault move-${to} with its backups`,
        `association ${to === 'b' ? 'A' : 'B'}/Db/srv-2: moved srv-2 from vault move-${to} to vault move-${where} with its backups`,
      ]));
      where = to;
    }
    await ws.destroy();
  });

  test('policies that swap vaults and a tag that moves to a VaultTag converge in one apply, whichever hook runs first (20 swaps)', async () => {
    await ws.synth(swapStack(0));
    await ws.apply();
    const live = async () => {
      const state = await ws.emulator.state();
      const a = state.vaults.find((v) => v.name === 'swap-a')!;
      const b = state.vaults.find((v) => v.name === 'swap-b')!;
      const policyOf = (vaultId: string) => state.policies
        .filter((p) => p.associated_vaults.some((x: any) => x.vault_id === vaultId)).map((p) => p.name);
      return { a: policyOf(a.id), b: policyOf(b.id), team: a.tags.find((t: any) => t.key === 'team')?.value };
    };
    expect(await live()).toEqual({ a: ['swap-p'], b: ['swap-q'], team: 'x' });
    for (let i = 0; i < 20; i++) {
      const state = (i % 2 === 0 ? 1 : 0) as 0 | 1;
      // Both orders, each 10 times: the removed entries' delete hooks first, or the added entries' apply hooks first.
      const delay = i % 4 < 2 ? 'delete:attachment:1000,delete:tag:1000' : 'apply:attachment:1000,apply:tag:1000';
      await ws.synth(swapStack(state));
      const result = await ws.apply([], { CBR_TEST_DELAY: delay });
      expect({ i, ...(await live()) }).toEqual(state === 1 ? { i, a: ['swap-q'], b: ['swap-p'], team: 'y' } : { i, a: ['swap-p'], b: ['swap-q'], team: 'x' });
      expect(result.hooks).toEqual(expect.arrayContaining([
        expect.stringMatching(state === 1 ? /^tag A\/Tag-team: left team on vault "swap-a" for Team$/ : /^tag Team: left team on vault "swap-a" for A\/Tag-team$/),
      ]));
    }
    await ws.destroy();
  });

  test('a VaultTag whose key changes removes the old key once the new one is set', async () => {
    const tagged = (key: string) => (scope: Construct) => {
      const v = new Vault(scope, 'T', { vaultName: 'tag-key', objectType: VaultObjectType.SERVER, size: 100, removalPolicy: RemovalPolicy.DESTROY });
      new VaultTag(scope, 'Cost', { vault: v, key, value: 'cc-1' });
    };
    await ws.synth(tagged('cost'));
    await ws.apply();
    await ws.synth(tagged('cost-center'));
    const result = await ws.apply();
    const v = await vault('tag-key');
    expect(v.tags.filter((t: any) => t.key !== 'cdktf-cbr')).toEqual([{ key: 'cost-center', value: 'cc-1' }]);
    expect(result.hooks).toEqual([
      'tag Cost: kept cost (declared with another spec now: the hook entry takes it over)',
      `tag Cost: added cost-center=cc-1 on vault tag-key (${v.id})`,
      `tag Cost: removed cost, which this entry set before, from vault tag-key (${v.id})`,
    ]);
    await ws.destroy();
  });

  test('an association, an attachment and a tag moved into another scope keep their objects: one apply, no removal', async () => {
    const build = (nested: boolean) => (scope: Construct) => {
      const v = new Vault(scope, 'V', { vaultName: 'scope-v', objectType: VaultObjectType.SERVER, size: 100, removalPolicy: RemovalPolicy.DESTROY });
      const p = new Policy(scope, 'P', { policyName: 'scope-p', schedule: Schedule.fromPatterns(['FREQ=DAILY;INTERVAL=1;BYHOUR=5;BYMINUTE=0']), retention: Retention.count(3) });
      const where = nested ? new Construct(scope, 'Team') : scope;
      new ResourceAssociation(where, 'Web', { vault: v, resources: [VaultResource.server('srv-scope')] });
      new PolicyAttachment(where, 'Backup', { vault: v, policy: p });
      new VaultTag(where, 'Owner', { vault: v, key: 'owner', value: 'ops' });
    };
    await ws.synth(build(false));
    await ws.apply();
    const before = await vault('scope-v');
    for (const [i, delay] of ['delete:association:1000,delete:attachment:1000,delete:tag:1000', 'apply:association:1000,apply:attachment:1000,apply:tag:1000'].entries()) {
      await ws.synth(build(i === 0));
      await ws.emulator.clearRequests();
      await ws.apply([], { CBR_TEST_DELAY: delay });
      const after = await vault('scope-v');
      expect(after.id).toBe(before.id);
      expect(after.resources.map((r: any) => r.id)).toEqual(['srv-scope']);
      expect(after.tags).toEqual(expect.arrayContaining([{ key: 'owner', value: 'ops' }]));
      expect((await ws.emulator.state()).policies.find((p) => p.name === 'scope-p')!.associated_vaults.map((a: any) => a.vault_id)).toEqual([before.id]);
      expect((await writes()).filter((w) => /removeresources|dissociatepolicy|DELETE|migrate/.test(w))).toEqual([]);
    }
    await ws.destroy();
  });

  test('a second Terraform state with the same stack name never moves a resource out of the first one\'s vault', async () => {
    // Different vault construct ids: with the same ids, the second state takes over the first's vault
    // itself, the identity problem of issue 13, which this change does not solve.
    const team = (vaultName: string) => (scope: Construct) => {
      new Vault(scope, vaultName === 'team-one' ? 'One' : 'Two', { vaultName, objectType: VaultObjectType.SERVER, size: 100, removalPolicy: RemovalPolicy.DESTROY })
        .addResources('Web', [VaultResource.server('srv-shared')]);
    };
    const other = await E2eWorkspace.create('references', { emulator: ws.emulator });
    try {
      await ws.synth(team('team-one'));
      await ws.apply();
      await other.synth(team('team-two'));
      await ws.emulator.clearRequests();
      const result = await other.tryApply();
      expect(result.code).not.toBe(0);
      const one = await vault('team-one');
      expect(result.stderr.replace(/\s*\n[\s│]*/g, ' ')).toContain(
        `srv-shared is protected by vault team-one (${one.id}), which this stack does not manage: remove it there first`);
      expect(one.resources.map((r: any) => r.id)).toEqual(['srv-shared']);
      expect((await writes()).filter((w) => w.includes('migrate') || w.includes('removeresources'))).toEqual([]);
      await other.destroy();
    } finally {
      await other.dispose();
    }
    await ws.destroy();
  });
});
