import * as fs from 'node:fs';
import * as path from 'node:path';
import { terraform, terraformOk } from '../../src/harness/terraform';
import { main } from '../../src/runtime/cli';
import { upgradeStack } from '../fixtures/upgrade-stack';
import { E2eWorkspace } from '../support/e2e';

jest.setTimeout(300_000);

/** The upgrade as a reviewer reads it: `cdktf-cbr plan --format json` of a saved Terraform plan. */
async function reviewPlan(ws: E2eWorkspace): Promise<{ planned: any; code: number }> {
  await terraformOk(['plan', '-input=false', '-no-color', '-out=upgrade.tfplan'], { dir: ws.stackDir, env: ws.hookEnv });
  let review = '';
  const code = await main(['plan', '--plan', path.join(ws.stackDir, 'upgrade.tfplan'), '--format', 'json'], { out: (t) => { review += t; }, env: ws.cliEnv });
  return { planned: JSON.parse(review), code };
}

/**
 * The first apply of this release on an earlier release's state: Terraform replaces every one of
 * the 9 entries (delete-first), so each delete hook runs and keeps its object; then the hook entry
 * finds every object as declared, and changes `changed` of them (the vaults it tags for the deployment).
 */
function expectRewritten(result: { hooks: string[]; stdout: string }, changed: number): void {
  const kept = result.hooks.filter((l) => / kept /.test(l));
  expect(kept).toHaveLength(9);
  for (const line of kept) {
    expect(line).toMatch(/^(vault \S+: kept "[^"]+" and its backups \(its entry is replaced: the hook entry applies the new spec to it\)|\w+ \S+: kept .* \(declared with another spec now: the hook entry takes it over\))$/);
  }
  expect(result.hooks.filter((l) => !kept.includes(l) && !/: (tagged |claimed )/.test(l))).toEqual([]);
  expect(result.stdout).toContain(`cdktf-cbr: 9 objects: ${changed} changed, ${9 - changed} unchanged`);
}

/**
 * States written by earlier releases, applied and changed by this one: 1b83c42, the release before
 * spec formats (format 1), and bc04612, the last release (format 2).
 */
describe.each([
  ['1b83c42', 1],
  ['bc04612', 2],
])('entries written by an earlier release (%s, spec format %d)', (commit, format) => {
  const FIXTURE = path.join(__dirname, '..', 'fixtures', `upgrade-from-${commit}`);
  let ws: E2eWorkspace;
  afterEach(async () => { await ws?.dispose(); });

  const writes = async () => (await ws.emulator.requests())
    .filter((r) => r.method !== 'GET' && !r.path.endsWith('/resource_instances/action'))
    .map((r) => `${r.method} ${r.path.replace(/^\/v3\/[0-9a-f]+\//, '')}`);

  test('are rewritten in the current format by the next apply, which changes nothing in the cloud but the vaults\' ownership tags', async () => {
    ws = await E2eWorkspace.create('upgrade', { seed: FIXTURE });
    const before = await ws.emulator.state();
    const id = (name: string) => before.vaults.find((v) => v.name === name)!.id;
    await ws.synth(upgradeStack());
    // The reviewer's view of the upgrade: every entry is rewritten, nothing changes in the cloud.
    const { planned, code: reviewCode } = await reviewPlan(ws);
    expect(planned.summary).toBe('0 updates in place, 0 additions, 0 moves, 0 deletions of data');
    expect(planned.changes.map((c: any) => c.text)).toEqual(Array(9).fill('unchanged in the cloud (the entry is rewritten: spec format or a setting of this library)'));
    expect(reviewCode).toBe(0);
    const result = await ws.apply();
    // The vaults are tagged for this deployment (spec format 3); nothing else is written.
    expect((await writes()).sort()).toEqual([`POST vault/${id('up-prod')}/tags`, `POST vault/${id('up-scratch')}/tags`].sort());
    const after = await ws.emulator.state();
    const owner = (v: any) => v.tags.find((t: any) => t.key === 'cdktf-cbr')?.value;
    expect(before.vaults.map(owner)).toEqual([expect.stringMatching(/^o-[0-9a-f]{40}$/), expect.stringMatching(/^o-[0-9a-f]{40}$/)]);
    expect(after.vaults.map(owner)).toEqual([expect.stringMatching(/^[0-9a-f]{16}-[0-9a-f]{24}$/), expect.stringMatching(/^[0-9a-f]{16}-[0-9a-f]{24}$/)]);
    const withoutOwner = (s: any) => ({ ...s, vaults: s.vaults.map((v: any) => ({ ...v, tags: v.tags.filter((t: any) => t.key !== 'cdktf-cbr') })) });
    expect(withoutOwner(after)).toEqual(withoutOwner(before));
    const policy = before.policies[0];
    expect(result.hooks).toEqual(expect.arrayContaining([
      `vault Prod: tagged ${id('up-prod')} for this deployment (an earlier cdktf-cbr release created it for this construct); unchanged (${id('up-prod')})`,
      `vault Scratch: tagged ${id('up-scratch')} for this deployment (an earlier cdktf-cbr release created it for this construct); unchanged (${id('up-scratch')})`,
      // The policy's name is claimed: it is applied to a vault an earlier release tagged for this stack.
      `policy up-nightly: claimed ${policy.id} (up-nightly) for this deployment: it is applied to vault up-prod (${id('up-prod')}), which this deployment manages`,
    ]));
    expectRewritten(result, 2);
    expect((await ws.plan()).stdout).toContain('No changes.');
  });

  test('are destroyed by the current release from the specs the earlier one stored', async () => {
    ws = await E2eWorkspace.create('upgrade', { seed: FIXTURE });
    const id = (name: string) => before.vaults.find((v) => v.name === name)!.id;
    const before = await ws.emulator.state();
    // Straight from the old state: every delete hook decodes a spec of the fixture's format stored there.
    const stored = JSON.parse(fs.readFileSync(path.join(ws.dir, 'terraform.tfstate'), 'utf8')).resources
      .filter((r: any) => r.name.startsWith('cbr_')).flatMap((r: any) => r.instances.map((i: any) => i.attributes.triggers_replace.value.spec_format));
    // Format 1 has no spec_format field.
    expect(stored).toEqual(Array(9).fill(format === 1 ? undefined : format));
    await ws.synth(upgradeStack());
    const result = await ws.destroy();
    expect(result.hooks).toEqual(expect.arrayContaining([
      `vault Scratch: deleted ${id('up-scratch')}`,
      expect.stringMatching(/^vault Prod: retained /),
      expect.stringMatching(/^policy Nightly: deleted /),
      `attachment Prod/BackupPolicy: removed policy up-nightly from vault up-prod (${id('up-prod')})`,
    ]));
    const after = await ws.emulator.state();
    expect(after.policies).toEqual([]);
    expect(after.vaults.map((v) => v.name)).toEqual(['up-prod']);
    expect(after.vaults[0].resources.map((r: any) => r.id).sort()).toEqual(['srv-1', 'srv-2']);
    expect(after.vaults[0].tags.map((t: any) => t.key).sort()).toEqual(['cdktf-cbr', 'team']);
  });

  test('are rewritten by the first apply, after which constructs are removed as usual', async () => {
    ws = await E2eWorkspace.create('upgrade', { seed: FIXTURE });
    const id = (name: string) => before.vaults.find((v) => v.name === name)!.id;
    const before = await ws.emulator.state();
    await ws.synth(upgradeStack());
    await ws.apply();
    await ws.emulator.clearRequests();
    await ws.synth(upgradeStack({ without: true }));
    const result = await ws.apply();
    expect(result.hooks).toEqual(expect.arrayContaining([
      `association Prod/Web/srv-2: removed srv-2 from vault up-prod (${id('up-prod')})`,
      `association Scratch/Db/srv-3: removed srv-3 from vault up-scratch (${id('up-scratch')})`,
      `tag Owner: removed owner from vault up-scratch (${id('up-scratch')})`,
    ]));
    expect((await writes()).sort()).toEqual([
      `DELETE vault/${id('up-scratch')}/tags/owner`,
      `POST vaults/${id('up-prod')}/removeresources`,
      `POST vaults/${id('up-scratch')}/removeresources`,
    ].sort());
    await ws.destroy();
    expect((await ws.emulator.state()).vaults.map((v) => v.name)).toEqual(['up-prod']);
  });
});

/**
 * Releases that wrote spec format 3: 9e12ac5, the release before the API and spec schemas, and
 * e188d31, the last release, before this engine of spec format 4. Their state must read as no
 * change at all in the cloud.
 */
describe.each(['9e12ac5', 'e188d31'])('entries written by the previous release (%s, spec format 3)', (commit) => {
  const FIXTURE = path.join(__dirname, '..', 'fixtures', `upgrade-from-${commit}`);
  let ws: E2eWorkspace;
  afterEach(async () => { await ws?.dispose(); });

  test('every entry is rewritten: cdktf-cbr plan says nothing changes in the cloud, the apply writes nothing and no delete hook acts', async () => {
    ws = await E2eWorkspace.create('upgrade', { seed: FIXTURE });
    const before = await ws.emulator.state();
    await ws.synth(upgradeStack());
    // Terraform replaces every entry (spec format 4 keeps a spec in two parts); the review says what that does in the cloud.
    const { planned, code: reviewCode } = await reviewPlan(ws);
    expect(planned.summary).toBe('0 updates in place, 0 additions, 0 moves, 0 deletions of data');
    expect(planned.changes.map((c: any) => c.text)).toEqual(Array(9).fill('unchanged in the cloud (the entry is rewritten: spec format or a setting of this library)'));
    expect(reviewCode).toBe(0);
    await ws.emulator.clearRequests();
    const result = await ws.apply();
    expect((await ws.emulator.requests()).filter((r) => r.method !== 'GET' && !r.path.endsWith('/resource_instances/action'))).toEqual([]);
    expect(await ws.emulator.state()).toEqual(before);
    expectRewritten(result, 0);
    // -detailed-exitcode: 0 is an empty plan.
    const again = await terraform(['plan', '-input=false', '-no-color', '-detailed-exitcode'], { dir: ws.stackDir, env: ws.hookEnv });
    expect(again.stdout).toContain('No changes.');
    expect(again.code).toBe(0);
  });

  test('are destroyed by this release from the specs the previous one stored', async () => {
    ws = await E2eWorkspace.create('upgrade', { seed: FIXTURE });
    const before = await ws.emulator.state();
    const id = (name: string) => before.vaults.find((v) => v.name === name)!.id;
    await ws.synth(upgradeStack());
    const result = await ws.destroy();
    expect(result.hooks).toEqual(expect.arrayContaining([
      `vault Scratch: deleted ${id('up-scratch')}`,
      `attachment Prod/BackupPolicy: removed policy up-nightly from vault up-prod (${id('up-prod')})`,
    ]));
    const after = await ws.emulator.state();
    expect(after.policies).toEqual([]);
    expect(after.vaults.map((v) => v.name)).toEqual(['up-prod']);
  });
});
