import * as path from 'node:path';
import { Construct } from 'constructs';
import { hbr, Policy, RemovalPolicy, Retention, Schedule, Vault, VaultBilling, VaultObjectType, VaultResource, VaultTag } from '../../src';
import { terraformOk } from '../../src/harness/terraform';
import { main } from '../../src/runtime/cli';
import { cbrAndHbrWorkspace, E2eWorkspace } from '../support/e2e';

jest.setTimeout(300_000);

/** What changes between the plans; every kind has a create, an update, a removal and a move. */
interface Shape {
  readonly present?: boolean;
  readonly size?: number;
  readonly months?: number;
  readonly hour?: number;
  readonly attached?: 'daily' | 'weekly';
  readonly exclude?: string[];
  readonly team?: string;
  readonly owner?: string;
  readonly ownerKey?: string;
  readonly dailyName?: string;
  readonly instances?: string[];
  /** Every CBR construct under this scope: a refactor. */
  readonly scope?: string;
}

const ALL: Shape = { present: true };

function build(s: Shape) {
  return (stack: Construct) => {
    // The HBR client stays at the top: HBR clients are never moved between entries.
    new hbr.BackupClient(stack, 'Agents', { vaultId: 'v-matrix', instanceIds: s.instances ?? ['i-m1', 'i-m2'] });
    if (s.present === false) return;
    const scope = s.scope ? new Construct(stack, s.scope) : stack;
    const keep = new Vault(scope, 'Keep', { vaultName: 'm-keep', objectType: VaultObjectType.SERVER, size: s.size ?? 100, tags: { team: s.team ?? 'platform' } });
    const drop = new Vault(scope, 'Drop', { vaultName: 'm-drop', objectType: VaultObjectType.SERVER, size: 40, removalPolicy: RemovalPolicy.DESTROY });
    new Vault(scope, 'Paid', {
      vaultName: 'm-paid', objectType: VaultObjectType.SERVER, size: 60, billing: VaultBilling.monthly(s.months ?? 1, { autoPay: true }), removalPolicy: RemovalPolicy.DESTROY,
    });
    const daily = new Policy(scope, 'Daily', { policyName: s.dailyName ?? 'm-daily', schedule: Schedule.daily({ hour: s.hour ?? 2 }), retention: Retention.count(7) });
    const weekly = new Policy(scope, 'Weekly', {
      policyName: 'm-weekly', schedule: Schedule.fromPatterns(['FREQ=WEEKLY;BYDAY=SU;BYHOUR=4;BYMINUTE=0']), retention: Retention.days(30), removalPolicy: RemovalPolicy.RETAIN,
    });
    keep.attachPolicy(s.attached === 'weekly' ? weekly : daily);
    keep.addResources('Web', [VaultResource.server('srv-m1', { excludeVolumes: s.exclude ?? [] })]);
    drop.addResources('Db', [VaultResource.server('srv-m3')]);
    new VaultTag(scope, 'Owner', { vault: drop, key: s.ownerKey ?? 'owner', value: s.owner ?? 'ops' });
  };
}

/** What removing every CBR construct and a destroy plan alike: they differ in the retained vault's resource and tag, and the client. */
const REMOVED = [
  'policy backup/Daily: delete "m-daily" (a policy holds no backups)',
  'policy backup/Weekly: keep "m-weekly" (removalPolicy RETAIN)',
  'vault backup/Drop: delete (removalPolicy DESTROY, its backups are deleted)',
  'vault backup/Keep: keep (removalPolicy RETAIN: the vault and its backups stay)',
  'vault backup/Paid: delete (removalPolicy DESTROY, its backups are deleted; the yearly/monthly order is not settled by deleting the vault)',
  'attachment backup/Keep/BackupPolicy: remove policy "m-daily" from "m-keep" (no backups are deleted)',
  'association backup/Drop/Db/srv-m3: remove srv-m3 (dissociating deletes its backups)',
];

describe('cdktf-cbr plan, kind by kind', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => {
    ws = await cbrAndHbrWorkspace('backup', ['i-m1', 'i-m2', 'i-m3']);
  });
  afterAll(async () => { await ws?.dispose(); });

  /** Saves a plan of `shape` (with `planArgs`), runs `cdktf-cbr plan` on it in every format; the API must not be called. */
  async function review(shape: Shape, planArgs: string[] = []) {
    await ws.synth(build(shape));
    await terraformOk(['plan', '-input=false', '-no-color', '-out=review.tfplan', ...planArgs], { dir: ws.stackDir, env: ws.hookEnv });
    await ws.emulator.clearRequests();
    const run = async (format: string) => {
      let out = '';
      const code = await main(['plan', '--plan', path.join(ws.stackDir, 'review.tfplan'), '--format', format], { out: (t) => { out += t; }, err: (t) => { out += t; }, env: ws.cliEnv });
      return { code, out };
    };
    const [text, json, markdown] = [await run('text'), await run('json'), await run('markdown')];
    expect(await ws.emulator.requests()).toEqual([]);
    expect(json.code).toBe(text.code);
    expect(markdown.code).toBe(text.code);
    return { code: text.code, lines: text.out.trim().split('\n'), json: JSON.parse(json.out), markdown: markdown.out };
  }

  test('a create of every kind: additions only, exit 0', async () => {
    const plan = await review(ALL);
    expect(plan.lines).toEqual([
      'policy backup/Daily: create ("m-daily": daily at 02:00 UTC; keep the latest 7 backups)',
      'policy backup/Weekly: create ("m-weekly": weekly on SU at 04:00 UTC; keep backups for 30 days)',
      'vault backup/Drop: create ("m-drop", 40 GB)',
      'vault backup/Keep: create ("m-keep", 100 GB)',
      'vault backup/Paid: create ("m-paid", 60 GB, yearly/monthly: places an order)',
      'attachment backup/Keep/BackupPolicy: apply policy "m-daily" to "m-keep"',
      'association backup/Drop/Db/srv-m3: add "srv-m3"',
      'association backup/Keep/Web/srv-m1: add "srv-m1"',
      'tag backup/Keep/Tag-team: add team="platform"',
      'tag backup/Owner: add owner="ops"',
      'client backup/Agents: install on i-m1, i-m2',
      '0 updates in place, 11 additions, 0 moves, 0 deletions of data',
    ]);
    expect(plan.json).toMatchObject({ stack: 'backup', exitCode: 0, summary: '0 updates in place, 11 additions, 0 moves, 0 deletions of data' });
    expect(plan.json.changes.every((c: any) => c.action === 'create' && c.deletesData === false)).toBe(true);
    expect(plan.markdown).toMatch(/^\*\*cdktf-cbr plan for `backup`\*\*: 0 updates in place, 11 additions, 0 moves, 0 deletions of data\n/);
    expect(plan.code).toBe(0);
    await ws.apply();
  });

  test('no change: nothing to say, exit 0', async () => {
    const plan = await review(ALL);
    expect(plan.lines).toEqual(['0 updates in place, 0 additions, 0 moves, 0 deletions of data']);
    expect(plan.json.changes).toHaveLength(11);
    expect(plan.json.changes.every((c: any) => c.action === 'unchanged' && c.text === 'unchanged')).toBe(true);
    expect(plan.code).toBe(0);
  });

  test('an update of every kind, in place or named as one the hook does not make; exit 0', async () => {
    const plan = await review({ ...ALL, size: 200, months: 3, hour: 5, attached: 'weekly', exclude: ['vol-1'], team: 'security', owner: 'sre', instances: ['i-m1', 'i-m3'] });
    expect(plan.lines).toEqual([
      'policy backup/Daily: update in place: schedule daily at 02:00 UTC -> daily at 05:00 UTC',
      'vault backup/Keep: update in place: size 100 -> 200',
      'vault backup/Paid: unchanged in the cloud; not changed by the hook: period_num (set at creation; a subscription\'s period and renewal change in the Billing Center)',
      'attachment backup/Keep/BackupPolicy: replace policy "m-daily" with "m-weekly" on "m-keep"',
      'association backup/Keep/Web/srv-m1: update in place: exclude_volumes [] -> ["vol-1"]',
      'tag backup/Keep/Tag-team: change team "platform" -> "security"',
      'tag backup/Owner: change owner "ops" -> "sre"',
      'client backup/Agents: update: install on i-m1, i-m3; left installed on i-m2 (HBR has no uninstall call)',
      '7 updates in place, 0 additions, 0 moves, 0 deletions of data',
    ]);
    expect(plan.markdown).toContain('| vault | `backup/Keep` | update in place: size 100 -> 200 |');
    expect(plan.json.changes.filter((c: any) => c.deletesData)).toEqual([]);
    expect(plan.code).toBe(0);
    // The apply does the same: the paid vault is kept as it was ordered (its entry is replaced, its period not changed).
    const paid = (await ws.emulator.state()).vaults.find((v) => v.name === 'm-paid')!;
    const applied = await ws.apply();
    expect(applied.hooks).toEqual(expect.arrayContaining([
      'vault Paid: kept "m-paid" and its backups (its entry is replaced: the hook entry applies the new spec to it)',
      'client Agents: left installed on i-m2, no longer declared (HBR documents no uninstall call; uninstall in the HBR console if the clients are no longer wanted)',
    ]));
    // The hook entry says, once, that the new period is not applied, and where it is changed.
    expect(applied.hooks.filter((l) => l.startsWith('vault Paid:'))).toEqual([
      'vault Paid: kept "m-paid" and its backups (its entry is replaced: the hook entry applies the new spec to it)',
      `vault Paid: unchanged (${paid.id}); period_num 1 -> 3 not applied: a subscription's period and renewal are set when it is ordered, change them in the Billing Center`,
    ]);
    expect((await ws.emulator.state()).vaults.find((v) => v.name === 'm-paid')).toEqual(paid);
    await ws.synth(build(ALL));
    await ws.apply();
  });

  test('a change of what identifies an object replaces its entry: the policy is renamed in place, the tag set anew; exit 0', async () => {
    const plan = await review({ ...ALL, dailyName: 'm-daily-2', ownerKey: 'steward' });
    expect(plan.lines).toEqual([
      'policy backup/Daily: rename in place: "m-daily" -> "m-daily-2"',
      'tag backup/Owner: set steward="ops", then remove owner',
      '2 updates in place, 0 additions, 0 moves, 0 deletions of data',
    ]);
    // The attachment names the policy by name: its entry follows the rename, the vault keeps the policy.
    expect(plan.json.changes).toContainEqual({
      kind: 'attachment', key: 'Keep/BackupPolicy', action: 'unchanged', text: 'unchanged in the cloud (the entry follows the rename of policy "m-daily" to "m-daily-2")', deletesData: false,
    });
    expect(plan.code).toBe(0);
    // And so the apply does: the same policy under its new name, still on the vault; the tag under its new key only.
    const before = await ws.emulator.state();
    await ws.apply();
    const after = await ws.emulator.state();
    const daily = before.policies.find((p) => p.name === 'm-daily')!;
    expect(after.policies.find((p) => p.id === daily.id)).toMatchObject({ name: 'm-daily-2', associated_vaults: daily.associated_vaults });
    expect(after.policies).toHaveLength(before.policies.length);
    const tags = (state: typeof after) => state.vaults.find((v) => v.name === 'm-drop')!.tags.filter((t: any) => t.key !== 'cdktf-cbr');
    expect(tags(after)).toEqual([{ key: 'steward', value: 'ops' }]);
    await ws.synth(build(ALL));
    await ws.apply();
  });

  test('the hook entry replaced while no object changes (-replace, or tainted by a failed apply): one line for the stack, exit 0', async () => {
    const line = (why: string) => `stack backup: re-applies every object of the stack (${why}): each is compared with the cloud, and created or updated where it differs`;
    const summary = '0 updates in place, 0 additions, 0 moves, 0 deletions of data, every object re-applied';
    const replaced = await review(ALL, ['-replace=terraform_data.cbr_hooks']);
    expect(replaced.lines).toEqual([line('-replace asked for it'), summary]);
    expect(replaced.json.changes[0]).toEqual({ kind: 'stack', key: 'terraform_data.cbr_hooks', action: 'reapply', text: line('-replace asked for it').replace(/^stack backup: /, ''), deletesData: false });
    expect(replaced.json.changes.slice(1).every((c: any) => c.action === 'unchanged')).toBe(true);
    expect(replaced.markdown).toContain(`| stack | \`backup\` | ${line('-replace asked for it').replace(/^stack backup: /, '')} |`);
    expect(replaced.code).toBe(0);
    // Terraform taints the hook entry when its provisioner fails; the next plan replaces it.
    await terraformOk(['taint', '-no-color', 'terraform_data.cbr_hooks'], { dir: ws.stackDir, env: ws.hookEnv });
    const tainted = await review(ALL);
    expect(tainted.lines).toEqual([line('the last apply failed'), summary]);
    expect(tainted.code).toBe(0);
    // The apply compares every object with the cloud, which has not drifted: nothing is written.
    const before = await ws.emulator.state();
    await ws.emulator.clearRequests();
    await ws.apply();
    const cbrWrites = (await ws.emulator.requests()).filter((r) => r.path.startsWith('/v3/') && r.method !== 'GET' && !r.path.endsWith('/resource_instances/action'));
    expect(cbrWrites).toEqual([]);
    expect(await ws.emulator.state()).toEqual(before);
    expect((await review(ALL)).lines).toEqual(['0 updates in place, 0 additions, 0 moves, 0 deletions of data']);
  });

  test('every CBR construct moved into a scope: moves only, exit 0', async () => {
    const plan = await review({ ...ALL, scope: 'Team' });
    expect(plan.lines).toEqual([
      'policy backup/Daily: move to Team/Daily',
      'policy backup/Weekly: move to Team/Weekly',
      'vault backup/Drop: move to Team/Drop',
      'vault backup/Keep: move to Team/Keep',
      'vault backup/Paid: move to Team/Paid',
      'attachment backup/Keep/BackupPolicy: move to Team/Keep/BackupPolicy',
      'association backup/Drop/Db/srv-m3: move to Team/Drop/Db/srv-m3 with its backups',
      'association backup/Keep/Web/srv-m1: move to Team/Keep/Web/srv-m1 with its backups',
      'tag backup/Keep/Tag-team: move to Team/Keep/Tag-team',
      'tag backup/Owner: move to Team/Owner',
      '0 updates in place, 0 additions, 10 moves, 0 deletions of data',
    ]);
    // The new keys are the same objects: nothing is created (no order is placed for the paid vault).
    expect(plan.json.changes).toContainEqual({ kind: 'vault', key: 'Team/Paid', action: 'unchanged', text: 'moved here from Paid (the same cloud object)', deletesData: false });
    expect(plan.code).toBe(0);
    // And so the apply does: no vault is created or ordered, nothing is deleted or dissociated.
    await ws.apply();
    const writes = (await ws.emulator.requests()).filter((r) => r.method !== 'GET' && !r.path.endsWith('/resource_instances/action'))
      .map((r) => `${r.method} ${r.path.replace(/^\/v3\/[0-9a-f]+\//, '').replace(/[0-9a-f-]{36}/, '<id>')}`);
    expect(writes).toEqual(['POST vault/<id>/tags', 'POST vault/<id>/tags', 'POST vault/<id>/tags']);
    await ws.synth(build(ALL));
    await ws.apply();
  });

  test('removal of every kind under each removal policy: the deletions of data are named, exit 2', async () => {
    const plan = await review({ present: false, instances: ['i-m1'] });
    expect(plan.lines).toEqual([
      ...REMOVED,
      'association backup/Keep/Web/srv-m1: remove srv-m1 (dissociating deletes its backups)',
      'tag backup/Keep/Tag-team: remove team',
      'tag backup/Owner: remove owner',
      'client backup/Agents: update: install on i-m1; left installed on i-m2 (HBR has no uninstall call)',
      '1 update in place, 0 additions, 0 moves, 4 deletions of data',
    ]);
    expect(plan.markdown).toBe([
      '**cdktf-cbr plan for `backup`**: 1 update in place, 0 additions, 0 moves, 4 deletions of data',
      '',
      '| kind | object | what the hooks will do |',
      '|---|---|---|',
      '| policy | `backup/Daily` | delete "m-daily" (a policy holds no backups) |',
      '| policy | `backup/Weekly` | keep "m-weekly" (removalPolicy RETAIN) |',
      '| ⚠️ vault | `backup/Drop` | delete (removalPolicy DESTROY, its backups are deleted) |',
      '| vault | `backup/Keep` | keep (removalPolicy RETAIN: the vault and its backups stay) |',
      '| ⚠️ vault | `backup/Paid` | delete (removalPolicy DESTROY, its backups are deleted; the yearly/monthly order is not settled by deleting the vault) |',
      '| attachment | `backup/Keep/BackupPolicy` | remove policy "m-daily" from "m-keep" (no backups are deleted) |',
      '| ⚠️ association | `backup/Drop/Db/srv-m3` | remove srv-m3 (dissociating deletes its backups) |',
      '| ⚠️ association | `backup/Keep/Web/srv-m1` | remove srv-m1 (dissociating deletes its backups) |',
      '| tag | `backup/Keep/Tag-team` | remove team |',
      '| tag | `backup/Owner` | remove owner |',
      '| client | `backup/Agents` | update: install on i-m1; left installed on i-m2 (HBR has no uninstall call) |',
      '',
    ].join('\n'));
    // The JSON says the same, entry by entry.
    expect(plan.json).toEqual({
      stack: 'backup',
      exitCode: 2,
      summary: '1 update in place, 0 additions, 0 moves, 4 deletions of data',
      changes: plan.lines.slice(0, -1).map((line) => {
        const [, kind, key, text] = /^(\w+) backup\/(\S+): (.*)$/.exec(line)!;
        const action = text.startsWith('delete') ? 'delete' : text.startsWith('keep') ? 'keep' : text.startsWith('remove') ? 'delete' : 'update';
        return { kind, key, action, text, deletesData: /its backups are deleted|dissociating deletes/.test(text) };
      }),
    });
    expect(plan.markdown).toContain('| ⚠️ vault | `backup/Drop` | delete (removalPolicy DESTROY, its backups are deleted) |');
    expect(plan.json.changes.filter((c: any) => c.deletesData).map((c: any) => `${c.kind} ${c.key}`)).toEqual([
      'vault Drop', 'vault Paid', 'association Drop/Db/srv-m3', 'association Keep/Web/srv-m1',
    ]);
    expect(plan.json.exitCode).toBe(2);
    expect(plan.code).toBe(2);
  });

  test('terraform plan -destroy: what a destroy keeps is named as kept, the deletions of data are named, exit 2', async () => {
    const plan = await review(ALL, ['-destroy']);
    expect(plan.lines).toEqual([
      ...REMOVED,
      'association backup/Keep/Web/srv-m1: keep srv-m1 in "m-keep" (the vault is retained; dissociating would delete its backups)',
      'tag backup/Keep/Tag-team: keep team on "m-keep" (the vault is retained)',
      'tag backup/Owner: remove owner',
      'client backup/Agents: left installed on i-m1, i-m2 (HBR has no uninstall call)',
      '0 updates in place, 0 additions, 0 moves, 3 deletions of data',
    ]);
    expect(plan.json.changes.filter((c: any) => c.deletesData).map((c: any) => `${c.kind} ${c.key}`)).toEqual(['vault Drop', 'vault Paid', 'association Drop/Db/srv-m3']);
    expect(plan.code).toBe(2);
    // And so the destroy does: the retained vault keeps its resource and its tag.
    const destroyed = await ws.destroy();
    expect(destroyed.hooks).toEqual(expect.arrayContaining([
      expect.stringMatching(/^association Keep\/Web\/srv-m1: retained srv-m1 in /),
      expect.stringMatching(/^tag Keep\/Tag-team: retained team on /),
    ]));
    const keep = (await ws.emulator.state()).vaults.find((v) => v.name === 'm-keep')!;
    expect(keep.resources.map((r: any) => r.id)).toEqual(['srv-m1']);
    expect(keep.tags).toContainEqual({ key: 'team', value: 'platform' });
    expect((await ws.emulator.state()).vaults.map((v) => v.name)).toEqual(['m-keep']);
  });
});
