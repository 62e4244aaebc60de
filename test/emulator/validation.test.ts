import { PROJECT, TestEmulator } from './helpers';

/** Bad requests answer the documented status, the 7.2 error code and a message naming the field. */

const P9900 = 'Parameter verification failed.';

function vault(overrides: Record<string, unknown> = {}, billing: Record<string, unknown> = {}) {
  return {
    vault: {
      billing: { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 100, ...billing },
      name: 'vault-a',
      resources: [],
      ...overrides,
    },
  };
}

function policy(overrides: Record<string, unknown> = {}, od: Record<string, unknown> = { retention_duration_days: 7 }, pattern?: string[]) {
  return {
    policy: {
      name: 'policy-a',
      operation_type: 'backup',
      operation_definition: od,
      trigger: { properties: { pattern: pattern ?? ['FREQ=DAILY;INTERVAL=1;BYHOUR=6;BYMINUTE=00'] } },
      ...overrides,
    },
  };
}

const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
const servers = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `server-${i}`, type: 'OS::Nova::Server' }));

interface Case {
  readonly name: string;
  readonly method?: string;
  readonly path?: string;
  readonly body: unknown;
  readonly status: number;
  readonly code: string;
  readonly msg: string;
}

const VAULTS = `/v3/${PROJECT}/vaults`;
const POLICIES = `/v3/${PROJECT}/policies`;

/** One row: what is wrong, the body sent, and the documented answer (POST to the vaults URI unless `at` says otherwise). */
function bad(name: string, body: unknown, status: number, code: string, msg: string, at: { method?: string; path?: string } = {}): Case {
  return { name, body, status, code, msg, ...at };
}

const CASES: Case[] = [
  // ---- 4.5.1 Creating a Vault (Tables 4-152 to 4-159) ----
  bad('the vault object is missing', {}, 400, 'BackupService.9900', `${P9900} vault is mandatory.`),
  bad('the name is missing', vault({ name: undefined }), 400, 'BackupService.9900', `${P9900} vault.name is mandatory.`),
  bad('the name is empty', vault({ name: '' }), 400, 'BackupService.9900', `${P9900} vault.name must be from 1 to 64 characters long, got 0.`),
  bad('the name is longer than 64 characters', vault({ name: 'n'.repeat(65) }),
    400, 'BackupService.9900', `${P9900} vault.name must be from 1 to 64 characters long, got 65.`),
  bad('the description is longer than 64 characters', vault({ description: 'd'.repeat(65) }),
    400, 'BackupService.9900', `${P9900} vault.description must be from 0 to 64 characters long, got 65.`),
  bad('the size is below 10 GB', vault({}, { size: 5 }),
    400, 'BackupService.6101', 'Invalid vault capacity. vault.billing.size must be from 10 to 10485760, got 5.'),
  bad('the size is above 10485760 GB', vault({}, { size: 10485761 }),
    400, 'BackupService.6101', 'Invalid vault capacity. vault.billing.size must be from 10 to 10485760, got 10485761.'),
  bad('the size is a string', vault({}, { size: '100' }), 400, 'BackupService.9900', `${P9900} vault.billing.size must be an integer, got "100".`),
  bad('the size is fractional', vault({}, { size: 10.5 }), 400, 'BackupService.9900', `${P9900} vault.billing.size must be an integer, got 10.5.`),
  bad('the object type is not one of the enumeration', vault({}, { object_type: 'tape' }),
    400, 'BackupService.9900', `${P9900} vault.billing.object_type must be one of "server", "disk", "turbo", "workspace", "vmware", "rds", "file"; got "tape".`),
  bad('the protect type is not backup or replication', vault({}, { protect_type: 'archive' }),
    400, 'BackupService.6116', 'Unsupported resource type. vault.billing.protect_type must be one of "backup", "replication"; got "archive".'),
  bad('the consistent level is missing', vault({}, { consistent_level: undefined }),
    400, 'BackupService.9900', `${P9900} vault.billing.consistent_level is mandatory.`),
  bad('a pre_paid vault has no period_type', vault({}, { charging_mode: 'pre_paid', period_num: 1 }),
    400, 'BackupService.9900', `${P9900} vault.billing.period_type is mandatory when charging_mode is pre_paid.`),
  bad('demand_billing is set on a pay-per-use vault', vault({ demand_billing: true }),
    400, 'BackupService.9900', `${P9900} vault.demand_billing can be true only for a yearly/monthly (pre_paid) vault.`),
  bad('auto_expand is set on a yearly/monthly vault', vault({ auto_expand: true }, { charging_mode: 'pre_paid', period_type: 'month', period_num: 1 }),
    400, 'BackupService.9900', `${P9900} vault.auto_expand can be true only for a pay-per-use (post_paid) vault.`),
  bad('the threshold is 0', vault({ threshold: 0 }), 400, 'BackupService.9900', `${P9900} vault.threshold must be from 1 to 100, got 0.`),
  bad('sys_lock_source_service is neither SMB nor empty', vault({ sys_lock_source_service: 'NFS' }),
    400, 'BackupService.9900', `${P9900} vault.sys_lock_source_service must be one of "SMB", ""; got "NFS".`),
  bad('the backup name prefix is longer than 32 characters', vault({ backup_name_prefix: 'p'.repeat(33) }),
    400, 'BackupService.9900', `${P9900} vault.backup_name_prefix must be from 0 to 32 characters long, got 33.`),
  bad('a parameter is not in the table', vault({ colour: 'blue' }),
    400, 'BackupService.9900', `${P9900} vault.colour is not a parameter of this API.`),
  bad('a tag key contains "="', vault({ tags: [{ key: 'a=b', value: 'v' }] }),
    400, 'BackupService.9900', `${P9900} vault.tags[0].key can contain only letters, digits, hyphens (-), and underscores (_); got "a=b".`),
  bad('a tag key is longer than 36 characters', vault({ tags: [{ key: 'k'.repeat(37), value: 'v' }] }),
    400, 'BackupService.9900', `${P9900} vault.tags[0].key can contain a maximum of 36 characters; got "${'k'.repeat(37)}".`),
  bad('a tag key is only spaces', vault({ tags: [{ key: '   ', value: 'v' }] }),
    400, 'BackupService.9900', `${P9900} vault.tags[0].key cannot be an empty string; got "   ".`),
  bad('a tag value contains "/"', vault({ tags: [{ key: 'k', value: 'a/b' }] }),
    400, 'BackupService.9900', `${P9900} vault.tags[0].value can contain only letters, digits, hyphens (-), underscores (_), and periods (.); got "a/b".`),
  bad('a tag value is longer than 43 characters', vault({ tags: [{ key: 'k', value: 'v'.repeat(44) }] }),
    400, 'BackupService.9900', `${P9900} vault.tags[0].value can contain a maximum of 43 characters; got "${'v'.repeat(44)}".`),
  bad('a tag has no value', vault({ tags: [{ key: 'k' }] }), 400, 'BackupService.9900', `${P9900} vault.tags[0].value is mandatory.`),
  bad('the tag list is empty', vault({ tags: [] }), 400, 'BackupService.9900', `${P9900} vault.tags must contain from 1 to 10 items, got 0.`),
  bad('there are more than 10 tags', vault({ tags: tags(11) }),
    400, 'BackupService.6600', 'The maximum number of tags has been reached for the resource. vault.tags must contain from 1 to 10 items, got 11.'),
  bad('two tags have the same key once trimmed', vault({ tags: [{ key: 'env', value: 'a' }, { key: ' env ', value: 'b' }] }),
    400, 'BackupService.9900', `${P9900} vault.tags[1].key "env" is given more than once.`),
  bad('the resources list is missing', vault({ resources: undefined }), 400, 'BackupService.9900', `${P9900} vault.resources is mandatory.`),
  bad('a resource type is not in the enumeration', vault({ resources: [{ id: 'r1', type: 'OS::Nova::Thing' }] }),
    400, 'BackupService.9900', `${P9900} vault.resources[0].type must be one of "OS::Nova::Server", "OS::Cinder::Volume", "OS::Ironic::BareMetalServer", "OS::Native::Server", "OS::Sfs::Turbo", "OS::Workspace::DesktopV2"; got "OS::Nova::Thing".`),
  bad('a resource is listed twice', vault({ resources: [...servers(1), ...servers(1)] }),
    400, 'BackupService.6104', 'Duplicate vault resources. vault.resources[1].id "server-0" is given more than once.'),
  bad('a disk is added to a server vault', vault({ resources: [{ id: 'd1', type: 'OS::Cinder::Volume' }] }),
    400, 'BackupService.6102', 'The vault does not support this resource type. vault.resources[0].type "OS::Cinder::Volume" cannot be held by a vault of object_type "server".'),
  bad('there are more than 255 resources', vault({ resources: servers(256) }),
    400, 'BackupService.6100', 'The maximum number of vault resources has been reached. vault.resources must contain from 0 to 255 items, got 256.'),
  bad('bind_rules has more than 5 tags', vault({ bind_rules: { tags: tags(6) } }),
    400, 'BackupService.9900', `${P9900} vault.bind_rules.tags must contain from 0 to 5 items, got 6.`),
  bad('a bind rule value contains "*"', vault({ bind_rules: { tags: [{ key: 'k', value: 'a*' }] } }),
    400, 'BackupService.9900', `${P9900} vault.bind_rules.tags[0].value can contain only letters, digits, periods (.), hyphens (-), and underscores (_); got "a*".`),
  bad('the backup policy does not exist', vault({ backup_policy_id: '6dd81d7d-a4cb-443e-b8ed-1af0bd3a261b' }),
    404, 'BackupService.6000', 'The policy does not exist. vault.backup_policy_id "6dd81d7d-a4cb-443e-b8ed-1af0bd3a261b" names no policy.'),
  // ---- 4.5.4 Modifying a Vault ----
  bad('the vault to modify does not exist', { vault: { name: 'x' } },
    404, 'BackupService.6105', 'The vault does not exist. No vault has the id "00000000-0000-4000-8000-000000000000".', { method: 'PUT', path: `${VAULTS}/00000000-0000-4000-8000-000000000000` }),
  // ---- 4.8.1 Creating a Policy (Tables 4-349 to 4-353) ----
  bad('the policy name contains a space', policy({ name: 'my policy' }),
    400, 'BackupService.9900', `${P9900} policy.name can contain only letters, digits, underscores (_), and hyphens (-); got "my policy".`, { path: POLICIES }),
  bad('the operation type is unknown', policy({ operation_type: 'archive' }),
    400, 'BackupService.6117', 'Unknown policy type. policy.operation_type must be one of "backup", "replication"; got "archive".', { path: POLICIES }),
  bad('max_backups is 0', policy({}, { max_backups: 0 }),
    400, 'BackupService.9900', `${P9900} policy.operation_definition.max_backups must be -1 or from 1 to 99999, got 0.`, { path: POLICIES }),
  bad('retention_duration_days is above 99999', policy({}, { retention_duration_days: 100000 }),
    400, 'BackupService.9900', `${P9900} policy.operation_definition.retention_duration_days must be -1 or from 1 to 99999, got 100000.`, { path: POLICIES }),
  bad('max_backups and retention_duration_days are both configured', policy({}, { max_backups: 5, retention_duration_days: 7 }),
    400, 'BackupService.9900', `${P9900} policy.operation_definition.max_backups and policy.operation_definition.retention_duration_days cannot be configured at the same time.`, { path: POLICIES }),
  bad('weekly backups are kept together with a retention duration', policy({}, { retention_duration_days: 7, week_backups: 4, timezone: 'UTC+08:00' }),
    400, 'BackupService.9900', `${P9900} policy.operation_definition.week_backups and policy.operation_definition.retention_duration_days cannot be configured at the same time.`, { path: POLICIES }),
  bad('daily backups are kept without a timezone', policy({}, { max_backups: 10, day_backups: 5 }),
    400, 'BackupService.9900', `${P9900} policy.operation_definition.timezone is mandatory when policy.operation_definition.day_backups is configured.`, { path: POLICIES }),
  bad('year_backups is above 100', policy({}, { year_backups: 101, timezone: 'UTC+08:00' }),
    400, 'BackupService.9900', `${P9900} policy.operation_definition.year_backups must be from 0 to 100, got 101.`, { path: POLICIES }),
  bad('full_backup_interval is below -1', policy({}, { full_backup_interval: -2 }),
    400, 'BackupService.9900', `${P9900} policy.operation_definition.full_backup_interval must be from -1 to 100, got -2.`, { path: POLICIES }),
  bad('the timezone is an IANA name', policy({}, { max_backups: 3, day_backups: 1, timezone: 'Asia/Shanghai' }),
    400, 'BackupService.9900', `${P9900} policy.operation_definition.timezone must be a time zone like UTC+08:00; got "Asia/Shanghai".`, { path: POLICIES }),
  bad('a replication policy has no destination region', policy({ operation_type: 'replication' }, { destination_project_id: 'p2', max_backups: 3 }),
    400, 'BackupService.9900', `${P9900} policy.operation_definition.destination_region is mandatory for a replication policy.`, { path: POLICIES }),
  bad('the destination region contains a period', policy({ operation_type: 'replication' }, { destination_region: 'ap.southeast', destination_project_id: 'p2' }),
    400, 'BackupService.9900', `${P9900} policy.operation_definition.destination_region can contain only letters, digits, underscores (_), and hyphens (-); got "ap.southeast".`, { path: POLICIES }),
  bad('the pattern list is empty', policy({}, undefined, []),
    400, 'BackupService.9900', `${P9900} policy.trigger.properties.pattern must contain from 1 to 24 items, got 0.`, { path: POLICIES }),
  bad('there are more than 24 patterns', policy({}, undefined, Array.from({ length: 25 }, (_, i) => `FREQ=WEEKLY;BYDAY=MO;BYHOUR=${i % 24};BYMINUTE=${i < 24 ? '00' : '30'}`)),
    400, 'BackupService.9900', `${P9900} policy.trigger.properties.pattern must contain from 1 to 24 items, got 25.`, { path: POLICIES }),
  bad('a pattern is MONTHLY', policy({}, undefined, ['FREQ=MONTHLY;BYHOUR=1;BYMINUTE=0']),
    400, 'BackupService.9900', `${P9900} policy.trigger.properties.pattern[0] FREQ can be set only to WEEKLY or DAILY; got "MONTHLY".`, { path: POLICIES }),
  bad('a pattern has BYHOUR=24', policy({}, undefined, ['FREQ=DAILY;BYHOUR=24;BYMINUTE=0']),
    400, 'BackupService.9900', `${P9900} policy.trigger.properties.pattern[0] BYHOUR values must be integers from 0 to 23; got "24".`, { path: POLICIES }),
  bad('a pattern names an unknown day', policy({}, undefined, ['FREQ=WEEKLY;BYDAY=MO,XX;BYHOUR=1;BYMINUTE=0']),
    400, 'BackupService.9900', `${P9900} policy.trigger.properties.pattern[0] BYDAY can be set to MO, TU, WE, TH, FR, SA and SU; got "XX".`, { path: POLICIES }),
  bad('a pattern uses BYSECOND', policy({}, undefined, ['FREQ=DAILY;BYHOUR=1;BYMINUTE=0;BYSECOND=5']),
    400, 'BackupService.9900', `${P9900} policy.trigger.properties.pattern[0] supports only FREQ, BYDAY, BYHOUR, BYMINUTE and INTERVAL; got BYSECOND.`, { path: POLICIES }),
  bad('two patterns run 30 minutes apart', policy({}, undefined, ['FREQ=DAILY;BYHOUR=1;BYMINUTE=0', 'FREQ=WEEKLY;BYDAY=WE;BYHOUR=1;BYMINUTE=30']),
    400, 'BackupService.9900', `${P9900} policy.trigger.properties.pattern scheduling interval cannot be less than 1 hour; WE 01:00 and WE 01:30 (UTC) are 30 minutes apart.`, { path: POLICIES }),
  bad('the policy type is changed on update', { policy: { operation_type: 'replication' } },
    400, 'BackupService.9900', `${P9900} policy.operation_type is not a parameter of this API.`, { method: 'PUT', path: `${POLICIES}/{policy}` }),
  bad('the policy to modify does not exist', { policy: { enabled: false } },
    404, 'BackupService.6000', 'The policy does not exist. No policy has the id "00000000-0000-4000-8000-000000000000".', { method: 'PUT', path: `${POLICIES}/00000000-0000-4000-8000-000000000000` }),
  bad('a vault description is sent to the update API, which has none', { vault: { description: 'new' } },
    400, 'BackupService.9900', `${P9900} vault.description is not a parameter of this API.`, { method: 'PUT', path: `${VAULTS}/{vault}` }),
  bad('a vault is shrunk to 0 GB', { vault: { billing: { size: 0 } } },
    400, 'BackupService.6101', 'Invalid vault capacity. vault.billing.size must be from 1 to 10485760, got 0.', { method: 'PUT', path: `${VAULTS}/{vault}` }),
];

describe('request validation', () => {
  let emu: TestEmulator;
  let ids: { vault: string; policy: string };
  beforeAll(async () => {
    emu = await TestEmulator.start();
    const v = await emu.call('POST', VAULTS, { body: vault({ name: 'existing' }) });
    const p = await emu.call('POST', POLICIES, { body: policy({ name: 'existing' }) });
    ids = { vault: v.body.vault.id, policy: p.body.policy.id };
  });
  afterAll(() => emu.close());

  test.each(CASES)('fails when $name', async (c) => {
    const path = (c.path ?? VAULTS).replace('{vault}', ids.vault).replace('{policy}', ids.policy);
    const res = await emu.call(c.method ?? 'POST', path, { body: c.body });
    expect({ status: res.status, body: res.body }).toEqual({ status: c.status, body: { error_code: c.code, error_msg: c.msg } });
  });

  test('nothing was created or changed by the failed requests', async () => {
    const state = await emu.admin('GET', '/_emulator/state');
    expect(state.vaults.map((v: any) => v.name)).toEqual(['existing']);
    expect(state.policies.map((p: any) => p.name)).toEqual(['existing']);
    expect(state.vaults[0].billing.size).toBe(100);
  });
});

describe('request validation outside the body', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await TestEmulator.start();
  });
  afterAll(() => emu.close());

  test.each([
    ['limit is 0', { limit: '0' }, 'BackupService.9900', `${P9900} query parameter limit must be an integer from 1 to 1000; got "0".`],
    ['limit is above 1000', { limit: '1001' }, 'BackupService.9900', `${P9900} query parameter limit must be an integer from 1 to 1000; got "1001".`],
    ['offset is negative', { offset: '-1' }, 'BackupService.9900', `${P9900} query parameter offset must be an integer at least 0; got "-1".`],
    ['offset is not a number', { offset: 'ten' }, 'BackupService.9900', `${P9900} query parameter offset must be an integer at least 0; got "ten".`],
    ['object_type is unknown', { object_type: 'tape' }, 'BackupService.9900',
      `${P9900} query parameter object_type must be one of "server", "disk", "turbo", "workspace", "vmware", "rds", "file"; got "tape".`],
  ])('fails to list vaults when %s', async (_, query, code, msg) => {
    const res = await emu.call('GET', VAULTS, { query });
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { error_code: code, error_msg: msg } });
  });

  test('fails to list policies of an unknown operation type', async () => {
    const res = await emu.call('GET', POLICIES, { query: { operation_type: 'archive' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error_code: 'BackupService.6117', error_msg: 'Unknown policy type. query parameter operation_type must be one of "backup", "replication"; got "archive".' });
  });

  test('fails when the body is not JSON', async () => {
    // The signature covers the body, so a body changed after signing is first of all a signature failure...
    const tampered = await emu.call('POST', VAULTS, { body: { vault: {} }, tamper: (r) => { r.body = '{"vault": '; } });
    expect(tampered.status).toBe(401);
    // ...unless the payload is declared unsigned, which the signing scheme allows.
    const unsigned = await emu.call('POST', VAULTS, {
      body: { vault: {} },
      headers: { 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' },
      tamper: (r) => { r.body = '{"vault": '; },
    });
    expect(unsigned.status).toBe(400);
    expect(unsigned.body.error_code).toBe('BackupService.9900');
    expect(unsigned.body.error_msg).toMatch(/^Parameter verification failed\. The request body is not valid JSON: /);
  });

  test('fails when the body is JSON but not an object', async () => {
    const res = await emu.call('POST', VAULTS, { body: 'not an object' as unknown });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error_code: 'BackupService.9900', error_msg: `${P9900} The request body must be a JSON object, got "not an object".` });
  });

  test('fails when Content-Type is not JSON', async () => {
    const res = await emu.call('POST', VAULTS, { body: vault(), headers: { 'Content-Type': 'text/plain' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error_code: 'BackupService.9900', error_msg: `${P9900} Content-Type must be application/json; got "text/plain".` });
  });

  test('fails with APIGW.0101 on a path the API does not have', async () => {
    const res = await emu.call('GET', `/v3/${PROJECT}/vaultz`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error_code: 'APIGW.0101',
      error_msg: `The API does not exist or has not been published in the environment. GET /v3/${PROJECT}/vaultz`,
    });
  });
});
