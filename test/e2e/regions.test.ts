import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { CbrDefaults, Policy, RemovalPolicy, Retention, Schedule, Vault, VaultObjectType, VaultResource } from '../../src';
import { DEFAULT_CREDENTIALS } from '../../src/emulator';
import { emulatorHookEnv } from '../../src/harness/env';
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
}

/** A vault in the region of the terraform run, and a disaster-recovery site in another region with its own project. */
function twoRegions(s: Shape = {}) {
  return (scope: Construct) => {
    const home = new Vault(scope, 'Home', { vaultName: 'rg-home', objectType: VaultObjectType.SERVER, size: 100 });
    home.attachPolicy(new Policy(scope, 'HomeNightly', { policyName: 'rg-home-nightly', schedule: Schedule.daily({ hour: 2 }), retention: Retention.count(7) }));
    home.addResources('Web', [VaultResource.server('srv-home')]);
    const site = new Construct(scope, 'DrSite');
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
    expect(requests.filter((r) => r.region === undefined).every((r) => !r.path.includes(DR_PROJECT))).toBe(true);
    expect((await ws.plan()).stdout).toContain('No changes.');

    // The DR vault's policy attachment removed: the policy is taken off the vault in its region.
    await ws.synth(twoRegions({ drPolicy: false }));
    const detached = await ws.apply();
    expect(detached.hooks).toEqual(expect.arrayContaining([expect.stringMatching(/^attachment DrSite\/Vault\/BackupPolicy: removed policy rg-dr-nightly from /)]));
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
