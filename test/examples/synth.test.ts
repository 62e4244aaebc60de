import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { synthJson, table } from './helpers';
import { CrossRegionReplicationStack } from '../../examples/cross-region-replication/stack';
import { DailyVaultStack } from '../../examples/daily-vault/stack';
import { HANA_ACCESS_KEY_ID_ENV, HANA_ACCESS_KEY_SECRET_ENV, HbrClientsStack } from '../../examples/hbr-clients/stack';
import { ImportedVaultsStack } from '../../examples/imported-vaults/stack';
import { LongTermRetentionStack } from '../../examples/long-term-retention/stack';
import { terraformOk } from '../../src/harness/terraform';
import { specsOf } from '../support/specs';

// Every example under examples/<name>/ synthesized: its stack class in-process (content of the hook
// tables), and its main.ts the way `cdktf synth` runs it (files, stack name, valid Terraform).

const EXAMPLES_DIR = path.resolve(__dirname, '..', '..', 'examples');

/** Example folder -> the stack name its main.ts synthesizes. */
const EXAMPLES: Record<string, string> = {
  'daily-vault': 'daily-vault',
  'long-term-retention': 'long-term-retention',
  'cross-region-replication': 'cross-region-replication',
  'imported-vaults': 'imported-vaults',
  'hbr-clients': 'hbr-clients',
};

const KINDS = ['vault', 'policy', 'attachment', 'association', 'tag', 'client'] as const;

/** Entry counts per hook table, for a compact check that nothing else was declared. */
function counts(json: ReturnType<typeof synthJson>): Record<string, number> {
  return Object.fromEntries(KINDS.map((k) => [k, Object.keys(table(json, k)).length]));
}

describe('daily-vault', () => {
  const json = synthJson((app) => new DailyVaultStack(app, 'daily-vault', { serverIds: ['srv-1', 'srv-2'] }));

  test('a retained server vault with its tags', () => {
    expect(table(json, 'vault')).toEqual({
      Servers: expect.objectContaining({
        name: 'daily-servers',
        object_type: 'server',
        protect_type: 'backup',
        size: 100,
        charging_mode: 'post_paid',
        description: 'application servers, backed up nightly',
        removal_policy: 'retain',
        spec_format: 4,
      }),
    });
    // No `owner` (formats 1-2) and no deployment: Terraform adds that to triggers_replace.
    expect(table(json, 'vault').Servers).not.toHaveProperty('owner');
    expect(table(json, 'vault').Servers).not.toHaveProperty('deployment');
    const tags = Object.values(table(json, 'tag')).map((t) => [t.key, t.value, t.retain_on_destroy]);
    expect(tags.sort()).toEqual([['env', 'prod', true], ['team', 'platform', true]]);
  });

  test('a daily policy at 02:00 UTC+08:00 (18:00 UTC) keeping backups for 30 days', () => {
    expect(table(json, 'policy')).toEqual({
      Daily: {
        spec_format: 4,
        name: 'daily-0200',
        operation_type: 'backup',
        enabled: true,
        pattern: ['FREQ=DAILY;INTERVAL=1;BYHOUR=18;BYMINUTE=00'],
        operation_definition: { retention_duration_days: 30 },
        schedule_summary: 'daily at 18:00 UTC (02:00 UTC+08:00)',
        retention_summary: 'keep backups for 30 days',
        runs_per_week: 7,
        max_backups_held: 30,
        removal_policy: 'destroy',
        region: '',
        project_id: '',
      },
    });
  });

  test('the policy attached to the vault, and one association per server', () => {
    // A vault of the same stack is named by its stack-relative construct path.
    const vaultRef = { by: 'path', value: 'Servers', name: 'daily-servers' };
    expect(table(json, 'attachment')).toEqual({
      'Servers/BackupPolicy': { spec_format: 4, vault: vaultRef, policy: { by: 'name', value: 'daily-0200' }, operation_type: 'backup', destination_vault_id: '', region: '', project_id: '' },
    });
    expect(table(json, 'association')).toEqual({
      'Servers/AppServers/srv-1': { spec_format: 4, vault: vaultRef, resource_id: 'srv-1', resource_type: 'OS::Nova::Server', exclude_volumes: [], retain_on_destroy: true, region: '', project_id: '' },
      'Servers/AppServers/srv-2': { spec_format: 4, vault: vaultRef, resource_id: 'srv-2', resource_type: 'OS::Nova::Server', exclude_volumes: [], retain_on_destroy: true, region: '', project_id: '' },
    });
    expect(counts(json)).toEqual({ vault: 1, policy: 1, attachment: 1, association: 2, tag: 2, client: 0 });
  });

  test('without servers the vault starts empty', () => {
    const empty = synthJson((app) => new DailyVaultStack(app, 'daily-vault'));
    expect(table(empty, 'association')).toEqual({});
    expect(counts(empty)).toEqual({ vault: 1, policy: 1, attachment: 1, association: 0, tag: 2, client: 0 });
  });
});

describe('long-term-retention', () => {
  const json = synthJson((app) => new LongTermRetentionStack(app, 'long-term-retention'));
  const policies = table(json, 'policy');

  test('daily, weekly, monthly and yearly counts with their timezone, besides 14 recent backups', () => {
    expect(policies.DatabaseLongTerm).toMatchObject({
      name: 'db-long-term',
      pattern: ['FREQ=DAILY;INTERVAL=1;BYHOUR=17;BYMINUTE=30'],
      schedule_summary: 'daily at 17:30 UTC (01:30 UTC+08:00)',
      retention_summary: 'keep 7 daily, 4 weekly, 12 monthly, 3 yearly backups (UTC+08:00); at most 14 recent; a full backup after every 6 incremental backups',
      max_backups_held: 40,
    });
    expect(policies.DatabaseLongTerm.operation_definition).toEqual({
      max_backups: 14, day_backups: 7, week_backups: 4, month_backups: 12, year_backups: 3, timezone: 'UTC+08:00', full_backup_interval: 6,
    });
  });

  test('a weekly schedule in UTC-05:00 moves to the next UTC day; its long-term counts use the same timezone', () => {
    expect(policies.ArchiveWeekly).toMatchObject({
      name: 'archive-weekly',
      pattern: ['FREQ=WEEKLY;BYDAY=SU;BYHOUR=4;BYMINUTE=00'],
      schedule_summary: 'weekly on SU at 04:00 UTC (on SA at 23:00 UTC-05:00)',
      operation_definition: { week_backups: 52, year_backups: 7, timezone: 'UTC-05:00' },
      retention_summary: 'keep 52 weekly, 7 yearly backups (UTC-05:00); all other backups kept forever',
      max_backups_held: -1,
    });
  });

  test('each vault gets its own policy', () => {
    const vaults = table(json, 'vault');
    expect(vaults.DatabaseServers).toMatchObject({ name: 'db-servers', object_type: 'server', consistent_level: 'app_consistent', size: 500 });
    expect(vaults.ArchiveDisks).toMatchObject({ name: 'archive-disks', object_type: 'disk', size: 1000 });
    const attachments = table(json, 'attachment');
    expect(Object.fromEntries(Object.entries(attachments).map(([k, a]) => [k, `${a.vault.name} <- ${a.policy.value}`]))).toEqual({
      'ArchiveDisks/BackupPolicy': 'archive-disks <- archive-weekly',
      'DatabaseServers/BackupPolicy': 'db-servers <- db-long-term',
    });
    expect(counts(json)).toEqual({ vault: 2, policy: 2, attachment: 2, association: 0, tag: 0, client: 0 });
  });
});

describe('cross-region-replication', () => {
  const props = { destinationRegion: 'cn-north-4', destinationProjectId: 'dest-project-1' };
  const json = synthJson((app) => new CrossRegionReplicationStack(app, 'cross-region-replication', props));

  test('a replication policy naming the destination region and project', () => {
    const policies = table(json, 'policy');
    expect(policies.Replicate).toMatchObject({
      name: 'primary-replicate',
      operation_type: 'replication',
      pattern: ['FREQ=DAILY;INTERVAL=1;BYHOUR=3;BYMINUTE=00'],
      operation_definition: { max_backups: 30, destination_region: 'cn-north-4', destination_project_id: 'dest-project-1' },
    });
    expect(policies.Replicate.operation_definition).not.toHaveProperty('enable_acceleration');
    expect(policies.Nightly).toMatchObject({ operation_type: 'backup', operation_definition: { retention_duration_days: 14 } });
    expect(policies.Nightly.operation_definition).not.toHaveProperty('destination_region');
  });

  test('the vault takes both policies; only the replication attachment names the destination vault, declared in its region', () => {
    const attachments = table(json, 'attachment');
    expect(attachments['Primary/ReplicationPolicy']).toMatchObject({
      vault: { by: 'path', value: 'Primary', name: 'primary-servers' },
      policy: { by: 'name', value: 'primary-replicate' },
      operation_type: 'replication',
      destination_vault_id: '',
      destination_vault: { by: 'path', value: 'DrSite/Replicas', name: 'primary-replicas' },
      region: '',
    });
    expect(attachments['Primary/BackupPolicy']).toMatchObject({ policy: { value: 'primary-nightly' }, operation_type: 'backup', destination_vault_id: '' });
    expect(attachments['Primary/BackupPolicy']).not.toHaveProperty('destination_vault');
    expect(table(json, 'vault')['DrSite/Replicas']).toMatchObject({ protect_type: 'replication', object_type: 'server', region: 'cn-north-4', project_id: 'dest-project-1' });
    expect(counts(json)).toEqual({ vault: 2, policy: 2, attachment: 2, association: 0, tag: 0, client: 0 });
  });

  test('enableAcceleration reaches the operation definition', () => {
    const accelerated = synthJson((app) => new CrossRegionReplicationStack(app, 'cross-region-replication', { ...props, enableAcceleration: true }));
    expect(table(accelerated, 'policy').Replicate.operation_definition.enable_acceleration).toBe(true);
  });
});

describe('imported-vaults', () => {
  const props = { legacyVaultId: 'legacy-vault-id', sharedVaultName: 'shared-backups', standardPolicyName: 'standard-daily', serverIds: ['srv-9'] };
  const json = synthJson((app) => new ImportedVaultsStack(app, 'imported-vaults', props));

  test('imported vaults and policies are referenced, never managed', () => {
    expect(table(json, 'vault')).toEqual({});
    expect(table(json, 'policy')).toEqual({});
    expect(counts(json)).toEqual({ vault: 0, policy: 0, attachment: 1, association: 1, tag: 2, client: 0 });
  });

  test('the vault imported by id gets the policy imported by name, and a server', () => {
    const byId = { by: 'id', value: 'legacy-vault-id', name: '' };
    expect(table(json, 'attachment')).toEqual({
      LegacyStandard: { spec_format: 4, vault: byId, policy: { by: 'name', value: 'standard-daily' }, operation_type: 'backup', destination_vault_id: '', region: '', project_id: '' },
    });
    // Relations on an imported vault are kept by `terraform destroy`: dissociating deletes backups.
    expect(table(json, 'association')).toEqual({
      'LegacyServers/srv-9': { spec_format: 4, vault: byId, resource_id: 'srv-9', resource_type: 'OS::Nova::Server', exclude_volumes: [], retain_on_destroy: true, region: '', project_id: '' },
    });
  });

  test('the vault imported by name gets two tags, deleted again on destroy', () => {
    const byName = { by: 'name', value: 'shared-backups', name: 'shared-backups' };
    expect(table(json, 'tag')).toEqual({
      SharedCostCenter: { spec_format: 4, vault: byName, key: 'cost-center', value: 'cc-4711', retain_on_destroy: false, region: '', project_id: '' },
      SharedOwner: { spec_format: 4, vault: byName, key: 'owner', value: 'data-team', retain_on_destroy: false, region: '', project_id: '' },
    });
  });
});

describe('hbr-clients', () => {
  const SECRET_ID = 'LTAI5tExampleNotARealKey';
  const SECRET = 'example-secret-must-not-be-synthesized';
  const props = { vaultId: 'v-0001ufe000000kgm', fileServerIds: ['i-files2', 'i-files1'], hanaInstanceIds: ['i-hana1'], hanaClusterId: 'cl-000csy09q7bd2b1ix4pj' };
  let json: ReturnType<typeof synthJson>;
  let text: string;
  beforeAll(() => {
    // Even with the keys in the environment of the synth, only the variables' names are synthesized.
    process.env[HANA_ACCESS_KEY_ID_ENV] = SECRET_ID;
    process.env[HANA_ACCESS_KEY_SECRET_ENV] = SECRET;
    try {
      json = synthJson((app) => new HbrClientsStack(app, 'hbr-clients', props));
      text = JSON.stringify(json);
    } finally {
      delete process.env[HANA_ACCESS_KEY_ID_ENV];
      delete process.env[HANA_ACCESS_KEY_SECRET_ENV];
    }
  });

  test('file-backup clients keep their installed version and use the instances\' role', () => {
    expect(table(json, 'client').FileServers).toEqual({
      spec_format: 4,
      vault_id: 'v-0001ufe000000kgm',
      instance_ids: ['i-files1', 'i-files2'],
      source_types: ['ECS_FILE'],
      cluster_id: '',
      alert_setting: '',
      use_https: false,
      resource_group_id: '',
      version_policy: 'keep_installed',
      access_key_id_env: '',
      access_key_secret_env: '',
      region: '',
    });
  });

  test('SAP HANA clients are upgraded to the latest version and name the env vars that hold their AccessKey', () => {
    expect(table(json, 'client').Hana).toEqual({
      spec_format: 4,
      vault_id: 'v-0001ufe000000kgm',
      instance_ids: ['i-hana1'],
      source_types: ['HANA'],
      cluster_id: 'cl-000csy09q7bd2b1ix4pj',
      alert_setting: 'INHERITED',
      use_https: true,
      resource_group_id: '',
      version_policy: 'upgrade_to_latest',
      access_key_id_env: 'HBR_CLIENT_ACCESS_KEY_ID',
      access_key_secret_env: 'HBR_CLIENT_ACCESS_KEY_SECRET',
      region: '',
    });
    expect(counts(json)).toEqual({ vault: 0, policy: 0, attachment: 0, association: 0, tag: 0, client: 2 });
  });

  test('the key values never reach the synthesized JSON', () => {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(SECRET_ID);
  });
});

describe('each example folder', () => {
  test.each(Object.keys(EXAMPLES))('%s has main.ts, stack.ts, a README and a cdktf.json that runs main.ts', (name) => {
    const dir = path.join(EXAMPLES_DIR, name);
    for (const file of ['main.ts', 'stack.ts', 'README.md', 'cdktf.json']) expect(fs.existsSync(path.join(dir, file))).toBe(true);
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.json'), 'utf8'));
    expect(config).toMatchObject({ language: 'typescript', app: 'npx ts-node --transpile-only main.ts' });
    const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    expect(readme).toMatch(/cdktf synth/);
    expect(readme).toMatch(/terraform .*apply/);
    expect(fs.readFileSync(path.join(dir, 'stack.ts'), 'utf8')).toMatch(/from '\.\.\/\.\.\/src'/);
  });
});

describe('main.ts as `cdktf synth` runs it', () => {
  jest.setTimeout(120_000);
  const run = promisify(execFile);
  let out: string;
  beforeAll(() => { out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-cbr-examples-')); });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  test.each(Object.entries(EXAMPLES))('%s synthesizes stack "%s", self-contained and valid for terraform', async (name, stackName) => {
    // cdktf runs the app command of cdktf.json in the example folder, with CDKTF_OUTDIR set.
    const outdir = path.join(out, name);
    await run(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), 'main.ts'], {
      cwd: path.join(EXAMPLES_DIR, name),
      env: { ...process.env, CDKTF_OUTDIR: outdir },
    });
    const stackDir = path.join(outdir, 'stacks', stackName);
    const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    // Every kind has its table (an empty one keeps removals running delete hooks).
    for (const kind of KINDS) expect(json.resource.terraform_data[`cbr_${kind}`]).toBeDefined();
    const entries = KINDS.reduce((n, kind) => n + Object.keys(specsOf(json, kind)).length, 0);
    expect(entries).toBeGreaterThan(0);
    // The hook travels inside the stack directory, so cdktf.out runs without node_modules.
    const hook = json.resource.terraform_data.cbr_vault.provisioner[0]['local-exec'].interpreter[1].replace('${path.module}/', '');
    expect(fs.existsSync(path.join(stackDir, hook))).toBe(true);
    await terraformOk(['init', '-backend=false', '-input=false', '-no-color'], { dir: stackDir });
    await terraformOk(['validate', '-no-color'], { dir: stackDir });
  });
});
