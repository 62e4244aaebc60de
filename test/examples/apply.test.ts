import { execFileSync } from 'node:child_process';
import { Construct } from 'constructs';
import { buildCrossRegionReplication } from '../../examples/cross-region-replication/stack';
import { buildDailyVault } from '../../examples/daily-vault/stack';
import { buildHbrClients, HANA_ACCESS_KEY_ID_ENV, HANA_ACCESS_KEY_SECRET_ENV } from '../../examples/hbr-clients/stack';
import { buildImportedVaults } from '../../examples/imported-vaults/stack';
import { buildLongTermRetention } from '../../examples/long-term-retention/stack';
import { Policy, Retention, Schedule, Vault, VaultObjectType } from '../../src';
import { DEFAULT_HBR_CREDENTIALS } from '../../src/emulator/hbr';
import { emulatorHookEnv } from '../../src/harness/env';
import { hookLines, terraformBinary, terraformOk } from '../../src/harness/terraform';
import { E2eWorkspace } from '../support/e2e';
import { writtenFilesText } from '../support/files';

// The examples applied with real Terraform: each example's build function is instantiated into the
// workspace's stack, and its hooks call the emulator process over HTTP.
jest.setTimeout(300_000);

beforeAll(() => {
  // A missing Terraform must fail the suite loudly, never skip it.
  const version = execFileSync(terraformBinary(), ['version'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  expect(version).toMatch(/Terraform v1\.(\d+)/);
});

type Rec = Record<string, any>;
const tagsOf = (vault: Rec) => Object.fromEntries((vault.tags as Rec[]).filter((t) => t.key !== 'cdktf-cbr').map((t) => [t.key, t.value]));
const resourcesOf = (vault: Rec) => (vault.resources as Rec[]).map((r) => r.id).sort();
const attachedTo = (policy: Rec) => (policy.associated_vaults as Rec[]).map((a) => a.vault_id).sort();

describe('daily-vault', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => { ws = await E2eWorkspace.create('daily-vault'); });
  afterAll(async () => { await ws?.dispose(); });

  test('apply creates the vault, the daily policy, the attachment, servers and tags; destroy keeps the vault', async () => {
    await ws.synth((scope: Construct) => { buildDailyVault(scope, { serverIds: ['srv-app-1', 'srv-app-2'] }); });
    const applied = await ws.apply();
    let state = await ws.emulator.state();
    expect(state.vaults).toHaveLength(1);
    expect(state.policies).toHaveLength(1);
    const [vault] = state.vaults;
    const [policy] = state.policies;
    expect(vault).toMatchObject({
      name: 'daily-servers',
      description: 'application servers, backed up nightly',
      billing: { object_type: 'server', protect_type: 'backup', size: 100 },
    });
    expect(tagsOf(vault)).toEqual({ team: 'platform', env: 'prod' });
    expect(resourcesOf(vault)).toEqual(['srv-app-1', 'srv-app-2']);
    expect(policy).toMatchObject({ name: 'daily-0200', operation_type: 'backup', enabled: true });
    expect(policy.trigger.properties.pattern).toEqual(['FREQ=DAILY;INTERVAL=1;BYHOUR=18;BYMINUTE=00']);
    expect(policy.operation_definition).toMatchObject({ retention_duration_days: 30 });
    expect(attachedTo(policy)).toEqual([vault.id]);
    expect(applied.hooks).toEqual(expect.arrayContaining([
      expect.stringMatching(/^vault Servers: created /),
      expect.stringMatching(/^policy Daily: created /),
      expect.stringMatching(/^attachment Servers\/BackupPolicy: applied policy daily-0200 on vault daily-servers/),
    ]));

    // Nothing changed: Terraform runs no hook and no API is called.
    await ws.emulator.clearRequests();
    expect((await ws.apply()).hooks).toEqual([]);
    expect(await ws.emulator.requests()).toEqual([]);

    // Destroy: the policy (DESTROY by default) is removed from the vault and deleted; the vault
    // (RETAIN by default) stays with its backups, servers and tags.
    const destroyed = await ws.destroy();
    state = await ws.emulator.state();
    expect(state.policies).toEqual([]);
    expect(state.vaults.map((v) => v.id)).toEqual([vault.id]);
    expect(resourcesOf(state.vaults[0])).toEqual(['srv-app-1', 'srv-app-2']);
    expect(tagsOf(state.vaults[0])).toEqual({ team: 'platform', env: 'prod' });
    expect(destroyed.hooks).toEqual(expect.arrayContaining([
      expect.stringMatching(/^vault Servers: retained /),
      expect.stringMatching(/^policy Daily: deleted /),
    ]));
  });
});

describe('long-term-retention and cross-region-replication', () => {
  const DR = 'cn-north-4';
  const DR_PROJECT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
  let longTerm: E2eWorkspace;
  let replication: E2eWorkspace;
  beforeAll(async () => {
    // One emulator for both, serving the destination region too; the hooks reach each region by HW_CBR_ENDPOINT's {region}.
    const perRegion = (url: string) => ({ ...emulatorHookEnv(url), HW_CBR_ENDPOINT: `${url}/{region}` });
    longTerm = await E2eWorkspace.create('long-term-retention', { emulatorArgs: ['--extra-region', `${DR}=${DR_PROJECT}`], hookEnv: perRegion });
    replication = await E2eWorkspace.create('cross-region-replication', { emulator: longTerm.emulator, hookEnv: perRegion });
  });
  afterAll(async () => {
    await replication?.dispose();
    await longTerm?.dispose();
  });

  test('the policies reach the API with their long-term counts, timezone and replication destination, created in one apply', async () => {
    await longTerm.synth((scope: Construct) => buildLongTermRetention(scope));
    await longTerm.apply();
    await replication.synth((scope: Construct) => buildCrossRegionReplication(scope, { destinationRegion: DR, destinationProjectId: DR_PROJECT }));
    await replication.apply();

    const state = await longTerm.emulator.state();
    const vault = (name: string) => state.vaults.find((v) => v.name === name)!;
    const policy = (name: string) => state.policies.find((p) => p.name === name)!;
    expect(state.vaults.map((v) => v.name).sort()).toEqual(['archive-disks', 'db-servers', 'primary-servers']);
    expect(state.policies.map((p) => p.name).sort()).toEqual(['archive-weekly', 'db-long-term', 'primary-nightly', 'primary-replicate']);
    const replicas = (await longTerm.emulator.state(DR)).vaults;
    expect(replicas).toEqual([expect.objectContaining({ name: 'primary-replicas', project_id: DR_PROJECT, billing: expect.objectContaining({ protect_type: 'replication' }) })]);

    expect(policy('db-long-term').operation_definition).toMatchObject({
      max_backups: 14, day_backups: 7, week_backups: 4, month_backups: 12, year_backups: 3, timezone: 'UTC+08:00', full_backup_interval: 6,
    });
    expect(policy('archive-weekly').operation_definition).toMatchObject({ week_backups: 52, year_backups: 7, timezone: 'UTC-05:00' });
    expect(policy('archive-weekly').trigger.properties.pattern).toEqual(['FREQ=WEEKLY;BYDAY=SU;BYHOUR=4;BYMINUTE=00']);
    expect(attachedTo(policy('db-long-term'))).toEqual([vault('db-servers').id]);
    expect(attachedTo(policy('archive-weekly'))).toEqual([vault('archive-disks').id]);

    expect(policy('primary-replicate')).toMatchObject({
      operation_type: 'replication',
      operation_definition: { destination_region: DR, destination_project_id: DR_PROJECT, max_backups: 30 },
    });
    expect(policy('primary-replicate').associated_vaults).toEqual([
      expect.objectContaining({ vault_id: vault('primary-servers').id, destination_vault_id: replicas[0].id }),
    ]);
    expect(attachedTo(policy('primary-nightly'))).toEqual([vault('primary-servers').id]);

    // Destroy both: the policies go, the vaults (RETAIN) stay.
    await replication.destroy();
    await longTerm.destroy();
    const after = await longTerm.emulator.state();
    expect(after.policies).toEqual([]);
    expect(after.vaults.map((v) => v.name).sort()).toEqual(['archive-disks', 'db-servers', 'primary-servers']);
    expect((await longTerm.emulator.state(DR)).vaults.map((v) => v.name)).toEqual(['primary-replicas']);
  });
});

describe('imported-vaults', () => {
  let seed: E2eWorkspace;
  let imported: E2eWorkspace;
  beforeAll(async () => {
    seed = await E2eWorkspace.create('seed');
    imported = await E2eWorkspace.create('imported-vaults', { emulator: seed.emulator });
  });
  afterAll(async () => {
    await imported?.dispose();
    await seed?.dispose();
  });

  test('relations on imported vaults are added on apply and removed on destroy; the imports are untouched', async () => {
    // Objects someone else owns (here: another stack) that the example imports.
    await seed.synth((scope: Construct) => {
      new Vault(scope, 'Legacy', { vaultName: 'legacy-app', objectType: VaultObjectType.SERVER, size: 50 });
      new Vault(scope, 'Shared', { vaultName: 'shared-backups', objectType: VaultObjectType.DISK, size: 40 });
      new Policy(scope, 'Standard', { policyName: 'standard-daily', schedule: Schedule.daily({ hour: 3 }), retention: Retention.days(7) });
    });
    await seed.apply();
    const before = await seed.emulator.state();
    const legacyId = before.vaults.find((v) => v.name === 'legacy-app')!.id;
    const shared = () => seed.emulator.state().then((s) => s.vaults.find((v) => v.name === 'shared-backups')!);
    const legacy = () => seed.emulator.state().then((s) => s.vaults.find((v) => v.id === legacyId)!);
    const standard = () => seed.emulator.state().then((s) => s.policies.find((p) => p.name === 'standard-daily')!);

    await imported.synth((scope: Construct) => buildImportedVaults(scope, {
      legacyVaultId: legacyId, sharedVaultName: 'shared-backups', standardPolicyName: 'standard-daily', serverIds: ['srv-legacy-1', 'srv-legacy-2'],
    }));
    const applied = await imported.apply();
    expect(attachedTo(await standard())).toEqual([legacyId]);
    expect(resourcesOf(await legacy())).toEqual(['srv-legacy-1', 'srv-legacy-2']);
    expect(tagsOf(await shared())).toEqual({ 'cost-center': 'cc-4711', 'owner': 'data-team' });
    // Imports are never created or changed: no vault or policy hook runs.
    expect(applied.hooks.filter((l) => /^(vault|policy) /.test(l))).toEqual([]);
    expect(applied.hooks).toEqual(expect.arrayContaining([expect.stringMatching(/^attachment LegacyStandard: applied policy standard-daily on vault legacy-app/)]));

    // Destroy: the attachment and the tags go, the associations stay (dissociating deletes backups),
    // and the imported vaults and policy are still there, unchanged.
    await imported.destroy();
    const after = await seed.emulator.state();
    expect(after.vaults.map((v) => v.name).sort()).toEqual(['legacy-app', 'shared-backups']);
    expect(after.policies.map((p) => p.name)).toEqual(['standard-daily']);
    expect(attachedTo(await standard())).toEqual([]);
    expect(resourcesOf(await legacy())).toEqual(['srv-legacy-1', 'srv-legacy-2']);
    expect(tagsOf(await shared())).toEqual({});
    expect((await shared()).tags.map((t: Rec) => t.key)).toEqual(['cdktf-cbr']);
  });
});

describe('hbr-clients', () => {
  const CLIENT_KEY_ID = 'LTAIexampleclientkey';
  const CLIENT_KEY_SECRET = 'example-client-secret-value';
  let ws: E2eWorkspace;
  beforeAll(async () => { ws = await E2eWorkspace.create('hbr-clients'); });
  afterAll(async () => { await ws?.dispose(); });

  const hbrEnv = () => ({
    ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_HBR_CREDENTIALS.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_HBR_CREDENTIALS.accessKeySecret,
    ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou',
    HBR_ENDPOINT: ws.emulator.url,
    HBR_TASK_POLL_MS: '100',
    [HANA_ACCESS_KEY_ID_ENV]: CLIENT_KEY_ID,
    [HANA_ACCESS_KEY_SECRET_ENV]: CLIENT_KEY_SECRET,
  });
  const admin = async (method: string, p: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${ws.emulator.url}/_emulator/hbr${p}`, {
      method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`admin ${method} ${p}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const clients = async (): Promise<Record<string, string>> =>
    Object.fromEntries((await admin('GET', '/state')).clients.map((c: Rec) => [c.InstanceId, c.ClientVersion]));

  test('installs missing clients, upgrades only the HANA ones, and sends the AccessKey read from the named env vars', async () => {
    // Four running instances; i-files1 and i-hana1 already run an old client.
    await admin('POST', '/instances', [{ instanceId: 'i-files1' }, { instanceId: 'i-files2' }, { instanceId: 'i-hana1' }, { instanceId: 'i-hana2' }]);
    await admin('POST', '/clients', { instanceId: 'i-files1', clientVersion: '2.3.0' });
    await admin('POST', '/clients', { instanceId: 'i-hana1', clientVersion: '2.3.0' });
    const latest: string = (await admin('GET', '/state')).maxClientVersion;
    expect(latest).toMatch(/^\d+\.\d+/);
    await admin('DELETE', '/requests');

    await ws.synth((scope: Construct) => buildHbrClients(scope, {
      vaultId: 'v-0001ufe000000kgm', fileServerIds: ['i-files1', 'i-files2'], hanaInstanceIds: ['i-hana1', 'i-hana2'], hanaClusterId: 'cl-000csy09q7bd2b1ix4pj',
    }));
    const applied = await ws.apply([], hbrEnv());
    expect(applied.hooks).toEqual(expect.arrayContaining([
      expect.stringMatching(/^client FileServers: installed on i-files2; kept i-files1 at 2\.3\.0 /),
      expect.stringMatching(/^client Hana: .*upgraded i-hana1 2\.3\.0 -> /),
    ]));
    expect(await clients()).toEqual({ 'i-files1': '2.3.0', 'i-files2': latest, 'i-hana1': latest, 'i-hana2': latest });

    // The HANA clients were installed with the key from HBR_CLIENT_ACCESS_KEY_ID; the file servers with none.
    const installs = (await admin('GET', '/requests')).filter((r: Rec) => r.action === 'CreateClients').flatMap((r: Rec) => JSON.parse(r.params.ClientInfo));
    expect(Object.fromEntries(installs.map((i: Rec) => [i.instanceId, i.accessKeyId ?? '']))).toEqual({ 'i-files2': '', 'i-hana2': CLIENT_KEY_ID });

    // Neither key reached the synthesized JSON, the plan or the Terraform state; the env var names did.
    const files = writtenFilesText(ws.dir);
    expect(files).toContain(HANA_ACCESS_KEY_SECRET_ENV);
    expect(files).not.toContain(CLIENT_KEY_SECRET);
    expect(files).not.toContain(CLIENT_KEY_ID);

    // Destroy: HBR has no uninstall call; the clients stay and the hook says so.
    const destroyed = await terraformOk(['destroy', '-auto-approve', '-input=false', '-no-color'], { dir: ws.stackDir, env: { ...ws.hookEnv, ...hbrEnv() } });
    expect(hookLines(destroyed.stdout)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^client FileServers: left installed on i-files1, i-files2 /),
      expect.stringMatching(/^client Hana: left installed on i-hana1, i-hana2 /),
    ]));
    expect(Object.keys(await clients()).sort()).toEqual(['i-files1', 'i-files2', 'i-hana1', 'i-hana2']);
  });
});

