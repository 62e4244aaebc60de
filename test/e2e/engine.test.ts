import * as fs from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { hbr, Policy, RemovalPolicy, Retention, Schedule, Vault, VaultObjectType, VaultResource, Weekday } from '../../src';
import { terraformOk } from '../../src/harness/terraform';
import { CbrClient } from '../../src/runtime/cbr/client';
import { readSettings } from '../../src/runtime/settings';
import { cbrAndHbrWorkspace, E2eWorkspace } from '../support/e2e';

jest.setTimeout(600_000);

/** What `terraform show -json` of a saved plan says Terraform will do, by address: the actions policy tools read. */
async function planned(ws: E2eWorkspace): Promise<{ text: string; actions: Record<string, string[]> }> {
  const { stdout: text } = await terraformOk(['plan', '-input=false', '-no-color', '-out=review.tfplan'], { dir: ws.stackDir, env: ws.hookEnv });
  const { stdout } = await terraformOk(['show', '-json', 'review.tfplan'], { dir: ws.stackDir, env: ws.hookEnv });
  const actions: Record<string, string[]> = {};
  for (const rc of JSON.parse(stdout).resource_changes ?? []) {
    if (rc.change.actions.join() !== 'no-op') actions[rc.address] = rc.change.actions;
  }
  return { text, actions };
}

/** The plan text of one entry: from its `# address ...` line to the next entry's. */
function block(text: string, address: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim().startsWith(`# ${address} `));
  if (start < 0) throw new Error(`no ${address} in the plan:\n${text}`);
  const end = lines.findIndex((l, i) => i > start && /^\s+# terraform_data\./.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

interface Shape {
  readonly size?: number;
  readonly vaultName?: string;
  readonly description?: string;
  readonly keep?: number;
  readonly policyName?: string;
  readonly weekly?: boolean;
  readonly resource?: string;
  readonly exclude?: string[];
  readonly tagKey?: string;
  readonly tagValue?: string;
  readonly instances?: string[];
  readonly useHttps?: boolean;
  readonly scratch?: boolean;
  /** The weekly policy, on the vault when `weekly`, and the HBR client are declared. @default true */
  readonly relations?: boolean;
}

/** One object of every kind, and a vault that can be removed. */
function everyKind(s: Shape = {}) {
  return (scope: Construct) => {
    const vault = new Vault(scope, 'A', {
      vaultName: s.vaultName ?? 'eng-a', objectType: VaultObjectType.SERVER, description: s.description, size: s.size ?? 100, removalPolicy: RemovalPolicy.DESTROY,
    });
    const nightly = new Policy(scope, 'Nightly', {
      policyName: s.policyName ?? 'eng-nightly', schedule: Schedule.daily({ hour: 2 }), retention: Retention.count(s.keep ?? 7),
    });
    if (s.relations ?? true) {
      const weekly = new Policy(scope, 'Weekly', { policyName: 'eng-weekly', schedule: Schedule.weekly({ days: [Weekday.SATURDAY], hour: 3 }), retention: Retention.count(4) });
      vault.attachPolicy(s.weekly ? weekly : nightly);
      new hbr.BackupClient(scope, 'Agents', { vaultId: 'v-0001ufe000000kgm', instanceIds: s.instances ?? ['i-eng1'], useHttps: s.useHttps });
    }
    vault.addResources('Web', [VaultResource.server(s.resource ?? 'srv-1', { excludeVolumes: s.exclude ?? [] })]);
    vault.addTag(s.tagKey ?? 'team', s.tagValue ?? 'platform');
    if (s.scratch ?? true) new Vault(scope, 'Scratch', { vaultName: 'eng-scratch', objectType: VaultObjectType.DISK, size: 40, removalPolicy: RemovalPolicy.DESTROY });
  };
}

const ENTRIES = {
  vault: 'terraform_data.cbr_vault["A"]',
  policy: 'terraform_data.cbr_policy["Nightly"]',
  attachment: 'terraform_data.cbr_attachment["A/BackupPolicy"]',
  association: 'terraform_data.cbr_association["A/Web/srv-1"]',
  tag: 'terraform_data.cbr_tag["A/Tag-team"]',
  client: 'terraform_data.cbr_client["Agents"]',
};

describe('Terraform\'s own plan reads like a provider\'s, for every kind', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => {
    ws = await cbrAndHbrWorkspace('engine', ['i-eng1', 'i-eng2']);
  });
  afterAll(async () => { await ws?.dispose(); });
  const state = () => ws.emulator.state();

  test('a create, an in-place update, an identity change and a delete of each kind', async () => {
    // 1. Create: every entry is a create; the hook entry is created with them and runs once.
    await ws.synth(everyKind());
    let plan = await planned(ws);
    for (const address of [...Object.values(ENTRIES), 'terraform_data.cbr_vault["Scratch"]']) {
      expect([address, plan.actions[address]]).toEqual([address, ['create']]);
      expect(block(plan.text, address)).toContain(`# ${address} will be created`);
    }
    expect(plan.actions['terraform_data.cbr_hooks']).toEqual(['create']);
    expect(block(plan.text, ENTRIES.vault)).toMatch(/\+ input\s+= jsonencode\(\s+\{\s+\+ name\s+= "eng-a"\s+\+ removal_policy = "destroy"\s+\+ size\s+= 100/);
    await ws.apply();
    const vault = (await state()).vaults.find((v) => v.name === 'eng-a')!;
    const policy = (await state()).policies.find((p) => p.name === 'eng-nightly')!;

    // 2. In-place updates: each entry shows the changed field; the hook entry is replaced to apply them.
    await ws.synth(everyKind({ size: 200, vaultName: 'eng-a2', keep: 14, exclude: ['vol-1'], tagValue: 'security', useHttps: true }));
    plan = await planned(ws);
    for (const address of Object.values(ENTRIES)) expect([address, plan.actions[address]]).toEqual([address, ['update']]);
    expect(plan.actions['terraform_data.cbr_hooks']).toEqual(['delete', 'create']);
    expect(Object.keys(plan.actions).sort()).toEqual([...Object.values(ENTRIES), 'terraform_data.cbr_hooks'].sort());
    const updated = (address: string) => block(plan.text, address);
    expect(updated(ENTRIES.vault)).toContain(`# ${ENTRIES.vault} will be updated in-place`);
    expect(updated(ENTRIES.vault)).toMatch(/~ name\s+= "eng-a" -> "eng-a2"/);
    expect(updated(ENTRIES.vault)).toMatch(/~ size\s+= 100 -> 200/);
    expect(updated(ENTRIES.policy)).toMatch(/~ max_backups = 7 -> 14/);
    expect(updated(ENTRIES.policy)).toMatch(/~ retention_summary\s+= "keep the latest 7 backups" -> "keep the latest 14 backups"/);
    expect(updated(ENTRIES.attachment)).toMatch(/~ vault_name\s+= "eng-a" -> "eng-a2"/);
    expect(updated(ENTRIES.association)).toMatch(/\+ exclude_volumes = \[\s+\+ "vol-1",/);
    expect(updated(ENTRIES.tag)).toMatch(/~ value\s+= "platform" -> "security"/);
    expect(updated(ENTRIES.client)).toMatch(/\+ use_https\s+= true/);
    expect(plan.text).toContain('Plan: 1 to add, 6 to change, 1 to destroy.');
    const result = await ws.apply();
    expect(result.hooks).toEqual(expect.arrayContaining([
      `vault A: updated name "eng-a" -> "eng-a2", size 100 -> 200 (${vault.id})`,
      expect.stringMatching(new RegExp(`^policy Nightly: updated operation_definition .* \\(${policy.id}\\)$`)),
      expect.stringMatching(/^association A\/Web\/srv-1: updated exclude_volumes of srv-1 /),
      expect.stringMatching(/^tag A\/Tag-team: changed team "platform" -> "security" /),
    ]));
    let now = await state();
    expect(now.vaults.find((v) => v.id === vault.id)).toMatchObject({ name: 'eng-a2', billing: { size: 200 } });
    expect(now.policies.find((p) => p.id === policy.id)!.operation_definition.max_backups).toBe(14);

    // 3. What identifies an object, or what the API cannot change in place, replaces its entry: a vault's description (the apply would refuse it)...
    await ws.synth(everyKind({ size: 200, vaultName: 'eng-a2', keep: 14, exclude: ['vol-1'], tagValue: 'security', useHttps: true, description: 'moved' }));
    plan = await planned(ws);
    expect(plan.actions[ENTRIES.vault]).toEqual(['delete', 'create']);
    expect(block(plan.text, ENTRIES.vault)).toContain(`# ${ENTRIES.vault} must be replaced`);
    expect(block(plan.text, ENTRIES.vault)).toMatch(/\+ description = "moved"/);

    // ... and, applied, a policy's name (renamed in place), another policy on the vault, a resource, a tag's key, the instances of a client.
    const shape = { size: 200, vaultName: 'eng-a2', keep: 14, exclude: ['vol-1'], tagValue: 'security', useHttps: true };
    await ws.synth(everyKind({ ...shape, policyName: 'eng-nightly2', weekly: true, resource: 'srv-2', tagKey: 'owner', instances: ['i-eng1', 'i-eng2'] }));
    plan = await planned(ws);
    const replaced = {
      policy: ENTRIES.policy,
      attachment: ENTRIES.attachment,
      association: 'terraform_data.cbr_association["A/Web/srv-2"]',
      tag: 'terraform_data.cbr_tag["A/Tag-owner"]',
      client: ENTRIES.client,
    };
    expect(plan.actions[replaced.policy]).toEqual(['delete', 'create']);
    expect(block(plan.text, replaced.policy)).toMatch(/~ name = "eng-nightly" -> "eng-nightly2"/);
    expect(plan.actions[replaced.attachment]).toEqual(['delete', 'create']);
    expect(block(plan.text, replaced.attachment)).toMatch(/~ value = "eng-nightly" -> "eng-weekly"/);
    expect(plan.actions[replaced.client]).toEqual(['delete', 'create']);
    expect(block(plan.text, replaced.client)).toMatch(/\+ "i-eng2",/);
    // A resource or a tag key is part of its entry's key: a new entry, and the old one goes.
    expect(plan.actions[replaced.association]).toEqual(['create']);
    expect(plan.actions[ENTRIES.association]).toEqual(['delete']);
    expect(plan.actions[replaced.tag]).toEqual(['create']);
    expect(plan.actions[ENTRIES.tag]).toEqual(['delete']);
    await ws.apply();
    now = await state();
    expect(now.policies.find((p) => p.id === policy.id)!.name).toBe('eng-nightly2');
    const weekly = now.policies.find((p) => p.name === 'eng-weekly')!;
    expect(weekly.associated_vaults).toEqual([{ vault_id: vault.id }]);
    expect(now.policies.find((p) => p.id === policy.id)!.associated_vaults ?? []).toEqual([]);
    const a2 = now.vaults.find((v) => v.id === vault.id)!;
    expect(a2.resources.map((r: any) => r.id)).toEqual(['srv-2']);
    expect(a2.tags.filter((t: any) => t.key !== 'cdktf-cbr')).toEqual([{ key: 'owner', value: 'security' }]);
    const clients = await (await fetch(`${ws.emulator.url}/_emulator/hbr/state`)).json() as any;
    expect(JSON.stringify(clients)).toContain('i-eng2');

    // 4. A delete: the entry of a removed vault is destroyed, and its delete hook deletes it (removalPolicy DESTROY).
    await ws.synth(everyKind({ ...shape, policyName: 'eng-nightly2', weekly: true, resource: 'srv-2', tagKey: 'owner', instances: ['i-eng1', 'i-eng2'], scratch: false }));
    plan = await planned(ws);
    expect(plan.actions['terraform_data.cbr_vault["Scratch"]']).toEqual(['delete']);
    expect(block(plan.text, 'terraform_data.cbr_vault["Scratch"]')).toContain('will be destroyed');
    const removed = await ws.apply();
    expect(removed.hooks).toEqual([expect.stringMatching(/^vault Scratch: deleted /)]);
    expect((await state()).vaults.map((v) => v.name).sort()).toEqual(['eng-a2']);

    // 5. Deletes of a policy, an attachment and an HBR client, each alone: destroys of their entries, nothing else.
    await ws.synth(everyKind({ ...shape, policyName: 'eng-nightly2', resource: 'srv-2', tagKey: 'owner', scratch: false, relations: false }));
    plan = await planned(ws);
    const gone = { policy: 'terraform_data.cbr_policy["Weekly"]', attachment: ENTRIES.attachment, client: ENTRIES.client };
    // Beside them go the policy's name claim, and the hook entry is replaced (the tables' keys changed): both only run hooks.
    expect(plan.actions).toEqual({
      [gone.policy]: ['delete'],
      [gone.attachment]: ['delete'],
      [gone.client]: ['delete'],
      'terraform_data.cbr_policy_claim["eng-weekly"]': ['delete'],
      'terraform_data.cbr_hooks': ['delete', 'create'],
    });
    for (const address of Object.values(gone)) expect(block(plan.text, address)).toContain(`# ${address} will be destroyed`);
    expect(plan.text).toContain('Plan: 1 to add, 0 to change, 5 to destroy.');
    const dropped = await ws.apply();
    expect(dropped.hooks).toEqual(expect.arrayContaining([
      expect.stringMatching(/^attachment A\/BackupPolicy: /),
      expect.stringMatching(new RegExp(`^policy Weekly: deleted ${weekly.id}`)),
      expect.stringMatching(/^client Agents: left installed on i-eng1, i-eng2/),
    ]));
    now = await state();
    expect(now.policies.map((p) => p.name)).toEqual(['eng-nightly2']);
    expect(now.vaults.find((v) => v.id === vault.id)).toMatchObject({ name: 'eng-a2' });
  });
});

describe('one process serves many objects', () => {
  let ws: E2eWorkspace;
  let log: string;
  beforeAll(async () => {
    ws = await E2eWorkspace.create('processes');
    log = path.join(ws.dir, 'hooks.log');
  });
  afterAll(async () => { await ws?.dispose(); });

  /** The hook processes Terraform started for one apply (each appends `<pid> <argv>` to CBR_HOOK_LOG). */
  async function processes(extra: string[] = []): Promise<string[]> {
    fs.rmSync(log, { force: true });
    await ws.apply(extra, { CBR_HOOK_LOG: log });
    return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => l.replace(/^\d+ /, '')) : [];
  }
  const vaults = (n: number, size: (i: number) => number) => (scope: Construct) => {
    for (let i = 0; i < n; i++) {
      new Vault(scope, `V${i}`, { vaultName: `proc-${i}`, objectType: VaultObjectType.SERVER, size: size(i), removalPolicy: RemovalPolicy.DESTROY });
    }
  };

  test('200 creates, 64 changes and 1 change take one process each; a removal one more', async () => {
    await ws.synth(vaults(200, () => 100));
    expect(await processes()).toEqual(['apply stack processes']);
    expect((await ws.emulator.state()).vaults).toHaveLength(200);

    await ws.synth(vaults(200, (i) => (i < 64 ? 150 : 100)));
    expect(await processes()).toEqual(['apply stack processes']);
    expect((await ws.emulator.state()).vaults.filter((v) => v.billing.size === 150)).toHaveLength(64);

    await ws.synth(vaults(200, (i) => (i < 64 ? 150 : i === 100 ? 300 : 100)));
    expect(await processes()).toEqual(['apply stack processes']);

    await ws.synth(vaults(199, (i) => (i < 64 ? 150 : i === 100 ? 300 : 100)));
    expect((await processes()).sort()).toEqual(['apply stack processes', 'delete vault V199']);
    expect((await ws.emulator.state()).vaults).toHaveLength(199);

    // Nothing changed: no process at all.
    expect(await processes()).toEqual([]);
  });
});

describe('a batch that fails in part', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => { ws = await E2eWorkspace.create('partial'); });
  afterAll(async () => { await ws?.dispose(); });

  test('64 objects of which the API refuses 3: the apply names those 3, the other 61 are done, and the next apply writes for the 3 only', async () => {
    // Three of the servers are already protected by a vault of no stack: the API refuses them (BackupService.6103).
    const operator = CbrClient.fromSettings(readSettings(ws.hookEnv));
    const foreign = await operator.createVault({
      vault: { name: 'someone-elses', billing: { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 100 }, resources: [] },
    });
    const taken = ['srv-7', 'srv-31', 'srv-60'];
    await operator.addResources(foreign.id, taken.map((id) => ({ id, type: 'OS::Nova::Server' })));
    await ws.synth((scope) => {
      const vault = new Vault(scope, 'Big', { vaultName: 'partial-big', objectType: VaultObjectType.SERVER, size: 1000, removalPolicy: RemovalPolicy.DESTROY });
      vault.addResources('Servers', Array.from({ length: 63 }, (_, i) => VaultResource.server(`srv-${i}`)));
    });
    const failed = await ws.tryApply();
    expect(failed.code).not.toBe(0);
    const output = `${failed.stdout}\n${failed.stderr}`.replace(/\s*\n[\s│]*/g, ' ');
    for (const id of taken) {
      expect(output).toContain(`association Big/Servers/${id}: FAILED: `);
      expect(output).toContain(`${id} is protected by vault someone-elses (${foreign.id}), which this stack does not manage`);
    }
    expect(output).toContain('cdktf-cbr: 3 of 64 objects failed (association Big/Servers/srv-31, association Big/Servers/srv-60, association Big/Servers/srv-7); ' +
      'the 61 others are done.');
    const big = () => ws.emulator.state().then((s) => s.vaults.find((v) => v.name === 'partial-big')!);
    expect((await big()).resources).toHaveLength(60);

    // The operator frees the three servers; the next apply writes for them only.
    await operator.removeResources(foreign.id, taken);
    await ws.emulator.clearRequests();
    await ws.apply();
    const writes = (await ws.emulator.requests()).filter((r) => r.method !== 'GET');
    expect(writes.map((r) => r.path.replace(/^\/v3\/[0-9a-f]+/, ''))).toEqual(Array(3).fill(`/vaults/${(await big()).id}/addresources`));
    expect((await big()).resources.map((r: any) => r.id).sort()).toEqual(Array.from({ length: 63 }, (_, i) => `srv-${i}`).sort());
  });
});
