import * as path from 'node:path';
import { upgradeStack } from '../fixtures/upgrade-stack';
import { E2eWorkspace } from '../support/e2e';

jest.setTimeout(300_000);

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'upgrade-from-1b83c42');

/** A state written by the release before spec formats, applied and changed by this one. */
describe('entries written by an earlier release', () => {
  let ws: E2eWorkspace;
  afterEach(async () => { await ws?.dispose(); });

  const writes = async () => (await ws.emulator.requests())
    .filter((r) => r.method !== 'GET' && !r.path.endsWith('/resource_instances/action'))
    .map((r) => `${r.method} ${r.path.replace(/^\/v3\/[0-9a-f]+\//, '')}`);

  test('are rewritten in the current format by the next apply, which changes nothing in the cloud', async () => {
    ws = await E2eWorkspace.create('upgrade', { seed: FIXTURE });
    const before = await ws.emulator.state();
    await ws.synth(upgradeStack());
    const result = await ws.apply();
    expect(await writes()).toEqual([]);
    expect(await ws.emulator.state()).toEqual(before);
    // Every entry's spec changed (it names its format now): each apply hook finds its object as declared.
    expect(result.hooks.filter((l) => !/: (unchanged \(|kept \S+ \(declared with another spec now: the replacing entry takes it over\)$)/.test(l))).toEqual([]);
    expect(result.hooks.filter((l) => l.includes('unchanged'))).toHaveLength(9);
    expect((await ws.plan()).stdout).toContain('No changes.');
  });

  test('are destroyed by the current release from the specs the earlier one stored', async () => {
    ws = await E2eWorkspace.create('upgrade', { seed: FIXTURE });
    const id = (name: string) => before.vaults.find((v) => v.name === name)!.id;
    const before = await ws.emulator.state();
    // Straight from the old state: every delete hook decodes a format 1 spec stored there.
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
