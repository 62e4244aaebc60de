import * as path from 'node:path';
import { TerraformResource, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { CbrDefaults, Policy, PolicyType, ProtectType, RemovalPolicy, Retention, Schedule, Vault, VaultObjectType, VaultResource } from '../../src';
import { DEFAULT_CREDENTIALS, DEFAULT_REGION } from '../../src/emulator';
import { emulatorHookEnv } from '../../src/harness/env';
import { main } from '../../src/runtime/cli';
import { E2eWorkspace } from '../support/e2e';

jest.setTimeout(300_000);

const DR = 'eu-west-101';
const DR_PROJECT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
/** One emulator, two regions; the hooks reach each through HW_CBR_ENDPOINT's `{region}`. */
const REGIONS = ['--extra-region', `${DR}=${DR_PROJECT}`];
const perRegion = (url: string) => ({ ...emulatorHookEnv(url), HW_CBR_ENDPOINT: `${url}/{region}` });

interface Shape {
  /** The DR vault's backup policy is applied. @default true */
  readonly drPolicy?: boolean;
  /** The id of the scope the DR site's constructs are declared in. @default 'DrSite' */
  readonly site?: string;
}

/** A vault in the region of the terraform run, and a disaster-recovery site in another region with its own project. */
function twoRegions(s: Shape = {}) {
  return (scope: Construct) => {
    const home = new Vault(scope, 'Home', { vaultName: 'rg-home', objectType: VaultObjectType.SERVER, size: 100 });
    home.attachPolicy(new Policy(scope, 'HomeNightly', { policyName: 'rg-home-nightly', schedule: Schedule.daily({ hour: 2 }), retention: Retention.count(7) }));
    home.addResources('Web', [VaultResource.server('srv-home')]);
    const site = new Construct(scope, s.site ?? 'DrSite');
    CbrDefaults.set(site, { region: DR, projectId: DR_PROJECT });
    const dr = new Vault(site, 'Vault', { vaultName: 'rg-dr', objectType: VaultObjectType.SERVER, size: 200, removalPolicy: RemovalPolicy.DESTROY, tags: { site: 'dr' } });
    const nightly = new Policy(site, 'Nightly', { policyName: 'rg-dr-nightly', schedule: Schedule.daily({ hour: 4 }), retention: Retention.days(14) });
    if (s.drPolicy ?? true) dr.attachPolicy(nightly);
    dr.addResources('Db', [VaultResource.server('srv-dr')]);
  };
}

describe('several regions in one stack', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => {
    ws = await E2eWorkspace.create('regions', { emulatorArgs: REGIONS, hookEnv: perRegion });
  });
  afterAll(async () => { await ws?.dispose(); });

  test('one apply puts each object in its region and project; a removed relation goes from its region; destroy follows the removal policies', async () => {
    await ws.synth(twoRegions());
    await ws.emulator.clearRequests();
    const applied = await ws.apply();
    expect(applied.stdout).toContain('cdktf-cbr: 9 objects: 9 changed, 0 unchanged');
    const home = await ws.emulator.state();
    const dr = await ws.emulator.state(DR);
    expect(home.vaults.map((v) => v.name)).toEqual(['rg-home']);
    expect(dr.vaults.map((v) => v.name)).toEqual(['rg-dr']);
    expect(dr.vaults[0]).toMatchObject({ project_id: DR_PROJECT, resources: [expect.objectContaining({ id: 'srv-dr' })] });
    expect(dr.vaults[0].tags).toContainEqual({ key: 'site', value: 'dr' });
    expect(home.policies.map((p) => p.name)).toEqual(['rg-home-nightly']);
    expect(dr.policies.map((p) => p.name)).toEqual(['rg-dr-nightly']);
    expect(dr.policies[0].associated_vaults).toEqual([{ vault_id: dr.vaults[0].id }]);
    // Every call of the DR objects went to the DR region's endpoint, and none of the home objects' did.
    const requests = await ws.emulator.requests();
    const drCalls = requests.filter((r) => r.region === DR);
    expect(drCalls.length).toBeGreaterThan(0);
    expect(drCalls.every((r) => r.path.startsWith(`/v3/${DR_PROJECT}/`))).toBe(true);
    const homeCalls = requests.filter((r) => r.region === DEFAULT_REGION && r.path !== '/v3/auth/tokens');
    expect(homeCalls.length).toBeGreaterThan(0);
    expect(homeCalls.every((r) => r.path.startsWith(`/v3/${DEFAULT_CREDENTIALS.projectId}/`))).toBe(true);
    expect(requests.filter((r) => r.region === undefined)).toEqual([]);
    expect((await ws.plan()).stdout).toContain('No changes.');

    // Drift reads each region and project once: one listing of vaults each, and one of policies each.
    await ws.emulator.clearRequests();
    let out = '';
    const code = await main(['drift', '--app-dir', path.dirname(path.dirname(ws.stackDir)), '--format', 'json'], { out: (t) => { out += t; }, err: (t) => { out += t; }, env: ws.cliEnv });
    expect(code).toBe(0);
    expect(JSON.parse(out).entries.every((e: any) => e.status === 'in_sync')).toBe(true);
    const listings = (await ws.emulator.requests()).filter((r) => r.method === 'GET').map((r) => `${r.region} ${r.path.replace(/^\/v3\/[0-9a-f]+\//, '')}`);
    expect(listings.sort()).toEqual([`${DEFAULT_REGION} policies`, `${DEFAULT_REGION} vaults`, `${DR} policies`, `${DR} vaults`]);

    // The DR site moved into another scope: its objects stay where they are, nothing is created or deleted in either region.
    await ws.synth(twoRegions({ site: 'Recovery' }));
    await ws.emulator.clearRequests();
    await ws.apply();
    const moveWrites = (await ws.emulator.requests()).filter((r) => r.method !== 'GET' && r.path !== '/v3/auth/tokens')
      .map((r) => `${r.region} ${r.method} ${r.path.replace(/^\/v3\/[0-9a-f]+\//, '').replace(/[0-9a-f-]{36}/, '<id>')}`);
    // The vault's ownership tag follows its new construct path; no vault, policy or association is written.
    expect(moveWrites).toEqual([`${DR} POST vault/<id>/tags`]);
    expect((await ws.emulator.state(DR)).vaults.map((v) => v.id)).toEqual(dr.vaults.map((v) => v.id));
    expect((await ws.plan()).stdout).toContain('No changes.');

    // The DR vault's policy attachment removed: the policy is taken off the vault in its region.
    await ws.synth(twoRegions({ drPolicy: false, site: 'Recovery' }));
    const detached = await ws.apply();
    expect(detached.hooks).toEqual(expect.arrayContaining([expect.stringMatching(/^attachment Recovery\/Vault\/BackupPolicy: removed policy rg-dr-nightly from /)]));
    expect((await ws.emulator.state(DR)).policies[0].associated_vaults ?? []).toEqual([]);

    // Destroy: the DR vault (DESTROY) goes with its backups; the home vault (RETAIN) stays.
    await ws.destroy();
    expect((await ws.emulator.state(DR)).vaults).toEqual([]);
    expect((await ws.emulator.state()).vaults.map((v) => v.name)).toEqual(['rg-home']);
  });
});

describe('a region from a Terraform variable', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => {
    ws = await E2eWorkspace.create('regions-var', { emulatorArgs: REGIONS, hookEnv: perRegion });
  });
  afterAll(async () => { await ws?.dispose(); });

  const stack = (scope: Construct) => {
    const region = new TerraformVariable(scope, 'dr_region', { type: 'string' });
    new Vault(scope, 'Dr', { vaultName: 'rg-var', objectType: VaultObjectType.SERVER, size: 100, region: region.stringValue, projectId: DR_PROJECT, removalPolicy: RemovalPolicy.DESTROY });
  };

  test('fails at apply, before any API call, when the variable is no region ID; applies in that region when it is one', async () => {
    await ws.synth(stack);
    await ws.emulator.clearRequests();
    const bad = await ws.tryApply(['-var', 'dr_region=eu west']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.replace(/\s*\n[\s│]*/g, ' ')).toContain('vault Dr: FAILED: region "eu west" is invalid: a region ID has 1-255 letters, digits, underscores (_) and hyphens (-).');
    expect((await ws.emulator.requests()).filter((r) => r.path.startsWith('/v3/'))).toEqual([]);
    await ws.apply(['-var', `dr_region=${DR}`]);
    expect((await ws.emulator.state(DR)).vaults.map((v) => v.name)).toEqual(['rg-var']);
    expect((await ws.emulator.state()).vaults).toEqual([]);
  });
});

describe('a region known only at apply (another resource\'s output)', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => {
    ws = await E2eWorkspace.create('regions-unknown', { emulatorArgs: REGIONS, hookEnv: perRegion });
  });
  afterAll(async () => { await ws?.dispose(); });

  test('the vault and its relations are created in that region, once Terraform knows it', async () => {
    await ws.synth((scope: Construct) => {
      const where = new TerraformResource(scope, 'where', { terraformResourceType: 'terraform_data' });
      where.addOverride('input', { region: DR, project: DR_PROJECT });
      const dr = new Vault(scope, 'Dr', {
        vaultName: 'ru-dr',
        objectType: VaultObjectType.SERVER,
        size: 100,
        removalPolicy: RemovalPolicy.DESTROY,
        region: where.getStringAttribute('output.region'),
        projectId: where.getStringAttribute('output.project'),
      });
      dr.addTag('site', 'dr');
    });
    const plan = await ws.plan();
    expect(plan.stdout).toContain('(known after apply)');
    await ws.apply();
    const dr = await ws.emulator.state(DR);
    expect(dr.vaults.map((v) => v.name)).toEqual(['ru-dr']);
    expect(dr.vaults[0].tags).toContainEqual({ key: 'site', value: 'dr' });
    expect((await ws.emulator.state()).vaults).toEqual([]);
    expect((await ws.plan()).stdout).toContain('No changes.');
    await ws.destroy();
    expect((await ws.emulator.state(DR)).vaults).toEqual([]);
  });
});

describe('a policy whose region comes from a Terraform variable', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => {
    ws = await E2eWorkspace.create('regions-policy-var', { emulatorArgs: REGIONS, hookEnv: perRegion });
  });
  afterAll(async () => { await ws?.dispose(); });

  test('fails at apply, before any write, when it is not its vault\'s region, as a literal fails synth', async () => {
    await ws.synth((scope: Construct) => {
      const region = new TerraformVariable(scope, 'policy_region', { type: 'string' });
      const project = new TerraformVariable(scope, 'policy_project', { type: 'string' });
      const dr = new Vault(scope, 'Dr', { vaultName: 'pv-dr', objectType: VaultObjectType.SERVER, size: 100, region: DR, projectId: DR_PROJECT, removalPolicy: RemovalPolicy.DESTROY });
      dr.attachPolicy(new Policy(scope, 'Nightly', { policyName: 'pv-nightly', schedule: Schedule.daily({ hour: 2 }), region: region.stringValue, projectId: project.stringValue }));
    });
    await ws.emulator.clearRequests();
    // The name claim looks in the policy's region (it is free there); the hook entry refuses the attachment before any write.
    const bad = await ws.tryApply(['-var', `policy_region=${DEFAULT_REGION}`, '-var', `policy_project=${DEFAULT_CREDENTIALS.projectId}`]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.replace(/\s*\n[\s│]*/g, ' ')).toContain('attachment Dr/BackupPolicy: FAILED: policy "pv-nightly" is invalid: a policy applies to the vaults of its own region ' +
      `and project (API 4.5.8), and it is in region "${DEFAULT_REGION}", project "${DEFAULT_CREDENTIALS.projectId}", vault "pv-dr" in region "${DR}", project "${DR_PROJECT}".`);
    expect((await ws.emulator.requests()).filter((r) => r.method !== 'GET' && r.path !== '/v3/auth/tokens')).toEqual([]);
    await ws.apply(['-var', `policy_region=${DR}`, '-var', `policy_project=${DR_PROJECT}`]);
    const dr = await ws.emulator.state(DR);
    expect(dr.policies.find((p) => p.name === 'pv-nightly')!.associated_vaults).toEqual([{ vault_id: dr.vaults[0].id }]);
  });
});

describe('token authentication across two projects', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => {
    ws = await E2eWorkspace.create('regions-token', {
      emulatorArgs: REGIONS,
      hookEnv: (url) => ({
        HW_USER_NAME: DEFAULT_CREDENTIALS.userName!,
        HW_PASSWORD: DEFAULT_CREDENTIALS.password!,
        HW_DOMAIN_NAME: DEFAULT_CREDENTIALS.domainName!,
        HW_AUTH_URL: `${url}/v3`,
        HW_PROJECT_ID: DEFAULT_CREDENTIALS.projectId,
        HW_REGION_NAME: emulatorHookEnv(url).HW_REGION_NAME,
        HW_CBR_ENDPOINT: `${url}/{region}`,
      }),
    });
  });
  afterAll(async () => { await ws?.dispose(); });

  const tokens = async () => (await ws.emulator.requests()).filter((r) => r.method === 'POST' && r.path === '/v3/auth/tokens').length;

  test('each hook process gets one IAM token per project it calls', async () => {
    await ws.synth(twoRegions());
    await ws.emulator.clearRequests();
    await ws.apply();
    // Two processes: the warm runner, which serves the two policies' name claims (one per project), and the hook entry (both projects).
    expect(await tokens()).toBe(4);
    expect((await ws.emulator.state(DR)).vaults.map((v) => v.name)).toEqual(['rg-dr']);
    expect((await ws.emulator.state()).vaults.map((v) => v.name)).toEqual(['rg-home']);
    // An attachment removed: its delete hook (the DR project), and the hook entry, which compares every object of both projects.
    await ws.synth(twoRegions({ drPolicy: false }));
    await ws.emulator.clearRequests();
    await ws.apply();
    expect(await tokens()).toBe(3);
  });
});

describe('cross-region replication declared once', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => {
    ws = await E2eWorkspace.create('replication', { emulatorArgs: REGIONS, hookEnv: perRegion });
  });
  afterAll(async () => { await ws?.dispose(); });

  /** A source vault with a backup and a replication policy; the replicas' vault in the DR region. */
  const replicated = (replicating: boolean) => (scope: Construct) => {
    const source = new Vault(scope, 'Source', { vaultName: 'rp-source', objectType: VaultObjectType.SERVER, size: 100, removalPolicy: RemovalPolicy.DESTROY });
    source.attachPolicy(new Policy(scope, 'Nightly', { policyName: 'rp-nightly', schedule: Schedule.daily({ hour: 1 }), retention: Retention.days(7) }));
    const replicas = new Vault(scope, 'Replicas', {
      vaultName: 'rp-replicas', objectType: VaultObjectType.SERVER, protectType: ProtectType.REPLICATION, size: 100, region: DR, projectId: DR_PROJECT,
    });
    // Without a destination a replication policy fails synth: replication is removed with its policy.
    if (!replicating) return;
    const replicate = new Policy(scope, 'Replicate', { policyName: 'rp-replicate', policyType: PolicyType.REPLICATION, schedule: Schedule.daily({ hour: 3 }), retention: Retention.count(30) });
    source.attachPolicy(replicate, { destinationVault: replicas });
  };

  test('one apply: the replication policy names the DR region and project and is applied with the DR vault\'s id; removed, it is taken off the vault and deleted; destroy keeps the retained', async () => {
    await ws.synth(replicated(true));
    const applied = await ws.apply();
    const home = await ws.emulator.state();
    const dr = await ws.emulator.state(DR);
    const source = home.vaults.find((v) => v.name === 'rp-source')!;
    const replicas = dr.vaults.find((v) => v.name === 'rp-replicas')!;
    expect(replicas).toMatchObject({ project_id: DR_PROJECT, billing: expect.objectContaining({ protect_type: 'replication', object_type: 'server' }) });
    expect(home.vaults.map((v) => v.name)).toEqual(['rp-source']);
    const replicate = home.policies.find((p) => p.name === 'rp-replicate')!;
    expect(replicate).toMatchObject({ operation_type: 'replication', operation_definition: { destination_region: DR, destination_project_id: DR_PROJECT, max_backups: 30 } });
    expect(replicate.associated_vaults).toEqual([{ vault_id: source.id, destination_vault_id: replicas.id }]);
    // A backup and a replication policy side by side on one vault.
    expect(home.policies.find((p) => p.name === 'rp-nightly')!.associated_vaults).toEqual([{ vault_id: source.id }]);
    expect(applied.hooks).toEqual(expect.arrayContaining([
      `attachment Source/ReplicationPolicy: applied policy rp-replicate (destination vault ${replicas.id} in ${DR}) on vault rp-source (${source.id})`,
    ]));
    expect((await ws.plan()).stdout).toContain('No changes.');

    await ws.synth(replicated(false));
    const detached = await ws.apply();
    expect(detached.hooks).toEqual(expect.arrayContaining([
      expect.stringMatching(/^attachment Source\/ReplicationPolicy: removed policy rp-replicate from /),
      expect.stringMatching(/^policy Replicate: deleted /),
    ]));
    expect((await ws.emulator.state()).policies.map((p) => p.name)).toEqual(['rp-nightly']);
    expect((await ws.emulator.state(DR)).vaults.map((v) => v.name)).toEqual(['rp-replicas']);

    // The source (DESTROY) goes, the replicas' vault (RETAIN, the default) stays in its region.
    await ws.destroy();
    expect((await ws.emulator.state()).vaults).toEqual([]);
    expect((await ws.emulator.state(DR)).vaults.map((v) => v.name)).toEqual(['rp-replicas']);
  });

  test('a destination imported by id, with its region and project, is found there at apply (after the test above)', async () => {
    const replicas = (await ws.emulator.state(DR)).vaults.find((v) => v.name === 'rp-replicas')!;
    await ws.synth((scope: Construct) => {
      const source = new Vault(scope, 'Source', { vaultName: 'rp-source2', objectType: VaultObjectType.SERVER, size: 100, removalPolicy: RemovalPolicy.DESTROY });
      const far = Vault.fromVaultId(scope, 'Far', replicas.id, { region: DR, projectId: DR_PROJECT, protectType: ProtectType.REPLICATION, objectType: VaultObjectType.SERVER });
      const replicate = new Policy(scope, 'Replicate', { policyName: 'rp-replicate2', policyType: PolicyType.REPLICATION, schedule: Schedule.daily({ hour: 3 }) });
      source.attachPolicy(replicate, { destinationVault: far });
    });
    await ws.apply();
    const home = await ws.emulator.state();
    const source = home.vaults.find((v) => v.name === 'rp-source2')!;
    expect(home.policies.find((p) => p.name === 'rp-replicate2')).toMatchObject({
      operation_definition: { destination_region: DR, destination_project_id: DR_PROJECT },
      associated_vaults: [{ vault_id: source.id, destination_vault_id: replicas.id }],
    });
    await ws.destroy();
    // An imported vault is never deleted.
    expect((await ws.emulator.state(DR)).vaults.map((v) => v.id)).toEqual([replicas.id]);
  });
});
