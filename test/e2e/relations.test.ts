import { Construct } from 'constructs';
import {
  Policy, PolicyAttachment, RemovalPolicy, Retention, Schedule, Vault, VaultObjectType, VaultResource, VaultTag,
} from '../../src';
import { E2eWorkspace } from '../support/e2e';

jest.setTimeout(300_000);

interface Shape {
  readonly attach?: boolean;
  readonly servers?: string[];
  readonly excluded?: Record<string, string[]>;
  readonly tags?: Record<string, string>;
  readonly ownerTag?: string;
}

function build(shape: Shape) {
  return (scope: Construct) => {
    const prod = new Vault(scope, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100, tags: shape.tags });
    const scratch = new Vault(scope, 'Scratch', { vaultName: 'scratch', objectType: VaultObjectType.SERVER, size: 50, removalPolicy: RemovalPolicy.DESTROY });
    const nightly = new Policy(scope, 'Nightly', { policyName: 'nightly', schedule: Schedule.fromPatterns(['FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0']), retention: Retention.count(7) });
    if (shape.attach ?? true) new PolicyAttachment(scope, 'ProdNightly', { vault: prod, policy: nightly });
    scratch.attachPolicy(nightly);
    const servers = shape.servers ?? [];
    if (servers.length > 0) {
      prod.addResources('Web', servers.map((id) => VaultResource.server(id, { excludeVolumes: shape.excluded?.[id] })));
    }
    if (shape.ownerTag) new VaultTag(scope, 'Owner', { vault: scratch, key: 'owner', value: shape.ownerTag });
  };
}

describe('attachments, associations and tags under real terraform', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => { ws = await E2eWorkspace.create('relations'); });
  afterAll(async () => { await ws?.dispose(); });

  const writes = async () => (await ws.emulator.requests())
    .filter((r) => r.method !== 'GET')
    .map((r) => `${r.method} ${r.path.replace(/^\/v3\/[0-9a-f]+\//, '')}`);
  const vaultByName = async (name: string) => (await ws.emulator.state()).vaults.find((v) => v.name === name)!;
  const policy = async () => (await ws.emulator.state()).policies.find((p) => p.name === 'nightly')!;

  test('attach, detach, associate, change the list, tag, destroy', async () => {
    // Attach the policy to both vaults, associate two servers, tag both vaults.
    await ws.synth(build({ servers: ['srv-a', 'srv-b'], tags: { team: 'platform' }, ownerTag: 'ops' }));
    await ws.apply();
    const prod = await vaultByName('prod');
    const scratch = await vaultByName('scratch');
    expect((await policy()).associated_vaults.map((a: any) => a.vault_id).sort()).toEqual([prod.id, scratch.id].sort());
    expect(prod.resources.map((r: any) => r.id).sort()).toEqual(['srv-a', 'srv-b']);
    expect(prod.tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'platform' }]));
    expect(scratch.tags).toEqual(expect.arrayContaining([{ key: 'owner', value: 'ops' }]));

    // Remove the attachment construct: the policy is removed from prod only.
    await ws.emulator.clearRequests();
    await ws.synth(build({ attach: false, servers: ['srv-a', 'srv-b'], tags: { team: 'platform' }, ownerTag: 'ops' }));
    await ws.apply();
    expect((await policy()).associated_vaults.map((a: any) => a.vault_id)).toEqual([scratch.id]);
    expect(await writes()).toEqual([`POST vaults/${prod.id}/dissociatepolicy`]);

    // Change the resource list: exactly one removal and one addition; srv-a untouched.
    await ws.emulator.clearRequests();
    await ws.synth(build({ attach: false, servers: ['srv-a', 'srv-c'], tags: { team: 'platform' }, ownerTag: 'ops' }));
    await ws.apply();
    expect((await vaultByName('prod')).resources.map((r: any) => r.id).sort()).toEqual(['srv-a', 'srv-c']);
    expect((await writes()).sort()).toEqual([`POST vaults/${prod.id}/addresources`, `POST vaults/${prod.id}/removeresources`]);

    // Exclude a volume of srv-a: updated in place, never removed and re-added.
    await ws.emulator.clearRequests();
    await ws.synth(build({ attach: false, servers: ['srv-a', 'srv-c'], excluded: { 'srv-a': ['vol-1'] }, tags: { team: 'platform' }, ownerTag: 'ops' }));
    await ws.apply();
    expect(await writes()).toEqual([`POST vaults/${prod.id}/addresources`]);
    expect((await vaultByName('prod')).resources.find((r: any) => r.id === 'srv-a').extra_info.exclude_volumes).toEqual(['vol-1']);

    // Tags: change one value, remove another, add one.
    await ws.emulator.clearRequests();
    await ws.synth(build({ attach: false, servers: ['srv-a', 'srv-c'], excluded: { 'srv-a': ['vol-1'] }, tags: { team: 'security', env: 'prod' } }));
    await ws.apply();
    const tags = (await vaultByName('prod')).tags.filter((t: any) => t.key !== 'cdktf-cbr');
    expect(tags.sort((a: any, b: any) => a.key.localeCompare(b.key))).toEqual([{ key: 'env', value: 'prod' }, { key: 'team', value: 'security' }]);
    expect((await vaultByName('scratch')).tags.map((t: any) => t.key)).toEqual(['cdktf-cbr']);
    expect((await writes()).sort()).toEqual([
      `DELETE vault/${scratch.id}/tags/owner`,
      `POST vault/${prod.id}/tags`,
      `POST vault/${prod.id}/tags`,
    ]);

    // Destroy: the retained prod vault keeps its resources and tags; nothing else of ours remains.
    await ws.destroy();
    const state = await ws.emulator.state();
    expect(state.vaults.map((v) => v.name)).toEqual(['prod']);
    expect(state.policies).toEqual([]);
    expect(state.vaults[0].resources.map((r: any) => r.id).sort()).toEqual(['srv-a', 'srv-c']);
    expect(state.vaults[0].tags.map((t: any) => t.key).sort()).toEqual(['cdktf-cbr', 'env', 'team']);
  });
});
