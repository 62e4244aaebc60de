import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { call, EMPTY_STATE, POLICIES, policyBody, PROJECT, TestEmulator, vaultBody, VAULTS } from './helpers';
import { DEFAULT_CREDENTIALS, DEFAULT_REGION, EmulatorRegion } from '../../src/emulator';
import { extraRegionsFromArgs, parseArgs } from '../../src/emulator/cli';
import { EmulatorProcess } from '../../src/harness/emulator-process';

/** Several regions in one emulator: `/{region}/v3/...`, each region with its own state. */

const B: EmulatorRegion = { name: 'emulator-region-2', projectId: '0123456789abcdef0123456789abcdef' };
const C: EmulatorRegion = { name: 'emulator-region-3', projectId: 'fedcba9876543210fedcba9876543210' };
const B_VAULTS = `/v3/${B.projectId}/vaults`;
const B_POLICIES = `/v3/${B.projectId}/policies`;
const FORBIDDEN = (project: string) => ({
  error_code: 'APIGW.0302',
  error_msg: `The IAM user is not authorized to access the API. The credentials are not valid for project "${project}".`,
});

function passwordBody(scope: Record<string, string>) {
  const { userName: name, password, domainName } = DEFAULT_CREDENTIALS;
  return { auth: { identity: { methods: ['password'], password: { user: { name, password, domain: { name: domainName } } } }, scope: { project: scope } } };
}

describe('regions', () => {
  let emu: TestEmulator;
  beforeEach(async () => {
    emu = await TestEmulator.start({ regions: [B, C], orderDelayMs: 10 });
  });
  afterEach(() => emu.close());

  async function create(p: string, body: unknown, region?: string): Promise<any> {
    const res = await emu.call('POST', p, { body, region });
    expect(res.status).toBe(200);
    return res.body.vault ?? res.body.policy;
  }
  async function token(scope: Record<string, string>, prefix = ''): Promise<{ status: number; token: string; body: any }> {
    const res = await fetch(`${emu.url}${prefix}/v3/auth/tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(passwordBody(scope)) });
    return { status: res.status, token: res.headers.get('x-subject-token') ?? '', body: await res.json() };
  }
  const ids = (res: { body: any }) => res.body.vaults.map((v: any) => v.id);

  test('a vault created in one region is listed there and in no other', async () => {
    const inB = await create(B_VAULTS, vaultBody('in-b'), B.name);
    const inMain = await create(VAULTS, vaultBody('in-main'));
    expect(inB.project_id).toBe(B.projectId);
    expect(ids(await emu.call('GET', B_VAULTS, { region: B.name }))).toEqual([inB.id]);
    expect(ids(await emu.call('GET', VAULTS))).toEqual([inMain.id]);
    // The main region with its prefix is the main region.
    expect(ids(await emu.call('GET', VAULTS, { region: DEFAULT_REGION }))).toEqual([inMain.id]);
    expect(ids(await emu.call('GET', `/v3/${C.projectId}/vaults`, { region: C.name }))).toEqual([]);
    expect((await emu.call('GET', `${B_VAULTS}/${inMain.id}`, { region: B.name })).body.error_code).toBe('BackupService.6105');
    expect((await emu.state(B.name)).vaults.map((v: any) => v.id)).toEqual([inB.id]);
    expect((await emu.state()).vaults.map((v: any) => v.id)).toEqual([inMain.id]);
  });

  test('accepts requests signed by the runtime signer in every region, the prefix signed with the rest', async () => {
    const runtimeSigner = true;
    expect((await emu.call('GET', B_VAULTS, { region: B.name, runtimeSigner, query: { limit: '5' } })).status).toBe(200);
    expect((await emu.call('POST', VAULTS, { region: DEFAULT_REGION, runtimeSigner, body: vaultBody('m') })).status).toBe(200);
    expect((await emu.call('GET', VAULTS, { runtimeSigner })).body.count).toBe(1);
    // Signed for /v3/... but sent to /{region}/v3/...: the signature does not cover what was received.
    const moved = await emu.call('GET', B_VAULTS, { runtimeSigner, tamper: (r) => { r.url = r.url.replace('/v3/', `/${B.name}/v3/`); } });
    expect([moved.status, moved.body.error_code]).toEqual([401, 'APIGW.0301']);
  });

  test('fails with 403 when the path names a project of another region', async () => {
    const inB = await emu.call('GET', VAULTS, { region: B.name });
    expect({ status: inB.status, body: inB.body }).toEqual({ status: 403, body: FORBIDDEN(PROJECT) });
    const inMain = await emu.call('GET', B_VAULTS);
    expect({ status: inMain.status, body: inMain.body }).toEqual({ status: 403, body: FORBIDDEN(B.projectId) });
    expect((await emu.call('GET', B_VAULTS, { region: C.name })).status).toBe(403);
  });

  test('fails as an unknown API when the prefix names no region served', async () => {
    const res = await emu.call('GET', VAULTS, { region: 'emulator-region-9' });
    expect({ status: res.status, body: res.body }).toEqual({
      status: 404,
      body: { error_code: 'APIGW.0101', error_msg: `The API does not exist or has not been published in the environment. GET /emulator-region-9${VAULTS}` },
    });
  });

  test('a token scoped to a region\'s project works in that region and fails with 403 in another', async () => {
    const issued = await token({ id: B.projectId });
    expect(issued.status).toBe(201);
    expect(issued.body.token.project).toMatchObject({ id: B.projectId, name: B.name });
    expect((await emu.call('GET', B_VAULTS, { region: B.name, token: issued.token })).status).toBe(200);
    const elsewhere = await emu.call('GET', B_VAULTS, { token: issued.token });
    expect({ status: elsewhere.status, body: elsewhere.body }).toEqual({ status: 403, body: FORBIDDEN(B.projectId) });
    expect((await emu.call('GET', VAULTS, { token: issued.token })).status).toBe(403);
    // A token of the main region's project stays in the main region.
    const main = await token({ id: PROJECT });
    expect((await emu.call('GET', VAULTS, { token: main.token })).status).toBe(200);
    expect((await emu.call('GET', B_VAULTS, { region: B.name, token: main.token })).status).toBe(403);
  });

  test('issues a token scoped by project name, which is the region name, with or without a region prefix', async () => {
    const byName = await token({ name: C.name }, `/${B.name}`);
    expect(byName.status).toBe(201);
    expect(byName.body.token.project).toMatchObject({ id: C.projectId, name: C.name });
    expect((await emu.call('GET', `/v3/${C.projectId}/vaults`, { region: C.name, token: byName.token })).status).toBe(200);
    expect((await token({ name: DEFAULT_REGION })).body.token.project).toMatchObject({ id: PROJECT, name: DEFAULT_REGION });
    const unknown = await token({ name: 'emulator-region-9' });
    expect({ status: unknown.status, body: unknown.body }).toEqual({
      status: 400,
      body: { error_code: 'IAM.0007', error_msg: `Request parameter is invalid. auth.scope.project.name is not a project of user ${DEFAULT_CREDENTIALS.userName}.` },
    });
  });

  test('logs a prefixed request with its region and the path within it; others as before', async () => {
    await emu.call('GET', B_VAULTS, { region: B.name, query: { limit: '2' } });
    await emu.call('GET', VAULTS);
    await emu.call('GET', VAULTS, { region: 'emulator-region-9' });
    const log = await emu.admin('GET', '/_emulator/requests');
    expect(log.map(({ seq: _seq, at: _at, ...e }: any) => e)).toEqual([
      { method: 'GET', path: B_VAULTS, region: B.name, query: { limit: '2' }, status: 200 },
      { method: 'GET', path: VAULTS, query: {}, status: 200 },
      { method: 'GET', path: `/emulator-region-9${VAULTS}`, query: {}, status: 404, errorCode: 'APIGW.0101' },
    ]);
  });

  test('reset empties every region', async () => {
    await create(B_VAULTS, vaultBody('b'), B.name);
    await create(VAULTS, vaultBody('m'));
    expect((await emu.adminCall('POST', '/_emulator/reset')).status).toBe(204);
    for (const region of [undefined, B.name, C.name]) expect(await emu.state(region)).toEqual(EMPTY_STATE);
  });

  test('fails with 400 when the state of a region not served is asked for', async () => {
    const res = await emu.adminCall('GET', '/_emulator/state?region=nowhere');
    expect({ status: res.status, body: res.body }).toEqual({
      status: 400,
      body: {
        error_code: 'BackupService.9900',
        error_msg: `Parameter verification failed. region "nowhere" is not served here; the regions are ${DEFAULT_REGION}, ${B.name}, ${C.name}.`,
      },
    });
  });

  test('completes yearly/monthly orders in an extra region', async () => {
    const body = vaultBody('ordered', { charging_mode: 'pre_paid', period_type: 'month', period_num: 1 });
    const res = await emu.call('POST', `/v3/${B.projectId}/vaults/order`, { body, region: B.name });
    expect(res.status).toBe(200);
    const { resourceId } = res.body.orders[0];
    for (let i = 0; i < 100 && (await emu.state(B.name)).vaults.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await emu.state(B.name)).orders).toEqual([expect.objectContaining({ resource_id: resourceId, status: 'completed' })]);
    expect((await emu.call('GET', `${B_VAULTS}/${resourceId}`, { region: B.name })).status).toBe(200);
    expect((await emu.state()).orders).toEqual([]);
  });

  describe('replication to another served region (4.5.8)', () => {
    const toB = { destination_region: B.name, destination_project_id: B.projectId, max_backups: 3 };
    const associate = (vaultId: string, policyId: string, destination: string) =>
      emu.call('POST', `${VAULTS}/${vaultId}/associatepolicy`, { body: { policy_id: policyId, destination_vault_id: destination } });
    const expectError = (res: { status: number; body: unknown }, code: string, msg: string) =>
      expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { error_code: code, error_msg: msg } });

    test('fails when the destination vault does not exist in that region (6120)', async () => {
      const src = await create(VAULTS, vaultBody('src'));
      // A replication vault of the main region is not in region B.
      const here = await create(VAULTS, vaultBody('replica-here', { protect_type: 'replication' }));
      const repl = await create(POLICIES, policyBody('repl', 'replication', toB));
      expectError(await associate(src.id, repl.id, here.id), 'BackupService.6120',
        `The destination vault does not exist. destination_vault_id "${here.id}" names no vault in region ${B.name}.`);
    });

    test('fails when the destination vault is not a replication vault of the same object type (6119)', async () => {
      const src = await create(VAULTS, vaultBody('src'));
      const backupInB = await create(B_VAULTS, vaultBody('backup-b'), B.name);
      const diskReplicaInB = await create(B_VAULTS, vaultBody('disk-replica-b', { protect_type: 'replication', object_type: 'disk' }), B.name);
      const repl = await create(POLICIES, policyBody('repl', 'replication', toB));
      expectError(await associate(src.id, repl.id, backupInB.id), 'BackupService.6119',
        `The destination vault does not support replication. destination vault ${backupInB.id} is a backup vault, not a replication vault.`);
      expectError(await associate(src.id, repl.id, diskReplicaInB.id), 'BackupService.6119',
        `The destination vault does not support replication. destination vault ${diskReplicaInB.id} holds disk replicas; vault ${src.id} is a server vault.`);
    });

    test('applies the policy with a replication vault of that region as destination', async () => {
      const src = await create(VAULTS, vaultBody('src'));
      const replicaInB = await create(B_VAULTS, vaultBody('replica-b', { protect_type: 'replication' }), B.name);
      const repl = await create(POLICIES, policyBody('repl', 'replication', toB));
      const res = await associate(src.id, repl.id, replicaInB.id);
      expect({ status: res.status, body: res.body }).toEqual({
        status: 200,
        body: { associate_policy: { vault_id: src.id, policy_id: repl.id, destination_vault_id: replicaInB.id } },
      });
      expect((await emu.call('GET', `${POLICIES}/${repl.id}`)).body.policy.associated_vaults).toEqual([{ destination_vault_id: replicaInB.id, vault_id: src.id }]);
    });

    test('replicates from an extra region into the main one, and takes a region not served on trust', async () => {
      const srcInB = await create(B_VAULTS, vaultBody('src-b'), B.name);
      const toMain = { destination_region: DEFAULT_REGION, destination_project_id: PROJECT, max_backups: 3 };
      const repl = await create(B_POLICIES, policyBody('repl', 'replication', toMain), B.name);
      const inB = (p: string, body: unknown) => emu.call('POST', p, { body, region: B.name });
      expect((await inB(`${B_VAULTS}/${srcInB.id}/associatepolicy`, { policy_id: repl.id, destination_vault_id: 'nothing' })).body.error_code)
        .toBe('BackupService.6120');
      const replica = await create(VAULTS, vaultBody('replica', { protect_type: 'replication' }));
      expect((await inB(`${B_VAULTS}/${srcInB.id}/associatepolicy`, { policy_id: repl.id, destination_vault_id: replica.id })).status).toBe(200);
      // Region B's project in a region not served: nothing to look into.
      const far = await create(POLICIES, policyBody('far', 'replication', { ...toB, destination_region: 'emulator-region-9' }));
      const src = await create(VAULTS, vaultBody('src'));
      expect((await associate(src.id, far.id, 'vault-far-away')).status).toBe(200);
    });
  });
});

describe('regions, persisted', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbr-emu-regions-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('each extra region keeps its state in its own file across a restart', async () => {
    const stateFile = path.join(dir, 'state.json');
    const first = await TestEmulator.start({ stateFile, regions: [B] });
    const inB = (await first.call('POST', B_VAULTS, { body: vaultBody('b'), region: B.name })).body.vault;
    const inMain = (await first.call('POST', VAULTS, { body: vaultBody('m') })).body.vault;
    await first.close();
    expect(fs.readdirSync(dir).sort()).toEqual(['state.json', `state.json.region-${B.name}.json`]);
    expect(JSON.parse(fs.readFileSync(`${stateFile}.region-${B.name}.json`, 'utf8')).vaults.map((v: any) => v.id)).toEqual([inB.id]);

    const second = await TestEmulator.start({ stateFile, regions: [B] });
    try {
      expect((await second.call('GET', `${B_VAULTS}/${inB.id}`, { region: B.name })).body.vault.name).toBe('b');
      expect((await second.call('GET', VAULTS)).body.vaults.map((v: any) => v.id)).toEqual([inMain.id]);
    } finally {
      await second.close();
    }
  });

  test('the command line serves --extra-region, and the harness reads each region\'s state', async () => {
    const proc = await EmulatorProcess.start({ stateFile: path.join(dir, 'cli.json'), args: ['--extra-region', `${B.name}=${B.projectId}`] });
    try {
      const created = await call(proc.url, 'POST', B_VAULTS, { body: vaultBody('b'), region: B.name });
      expect(created.status).toBe(200);
      await proc.restart();
      expect((await proc.state(B.name)).vaults.map((v) => v.id)).toEqual([created.body.vault.id]);
      expect((await proc.state()).vaults).toEqual([]);
      expect(await proc.requests()).toEqual([]);
    } finally {
      await proc.stop();
    }
  });
});

describe('regions, configured', () => {
  const ROOT = path.resolve(__dirname, '..', '..');
  const CLI = ['-r', 'ts-node/register/transpile-only', path.join('src', 'emulator', 'cli.ts')];

  test('reads --extra-region, repeated, and CBR_EMULATOR_EXTRA_REGIONS', () => {
    const args = parseArgs(['--extra-region', `${B.name}=${B.projectId}`, `--extra-region=${C.name}=${C.projectId}`], {});
    expect(extraRegionsFromArgs(args)).toEqual([B, C]);
    const fromEnv = parseArgs([], { CBR_EMULATOR_EXTRA_REGIONS: `${B.name}=${B.projectId}, ${C.name}=${C.projectId}` });
    expect(extraRegionsFromArgs(fromEnv)).toEqual([B, C]);
    // The flag wins over the environment, as for every flag.
    expect(extraRegionsFromArgs(parseArgs(['--extra-region', `${C.name}=${C.projectId}`], { CBR_EMULATOR_EXTRA_REGIONS: `${B.name}=${B.projectId}` })))
      .toEqual([C]);
    expect(extraRegionsFromArgs(parseArgs([], {}))).toEqual([]);
  });

  test.each([
    [['--extra-region', 'emulator-region-2'], '--extra-region must be NAME=PROJECT_ID, got "emulator-region-2"'],
    [['--extra-region', `${B.name}=${B.projectId},`], '--extra-region must be NAME=PROJECT_ID, got ""'],
    [['--extra-region', `${B.name}=${B.projectId}`, '--extra-region', `${B.name}=${C.projectId}`],
      `--extra-region "${B.name}=${C.projectId}": region ${B.name} is given twice`],
    [['--extra-region', `${DEFAULT_REGION}=${B.projectId}`], `--extra-region "${DEFAULT_REGION}=${B.projectId}": ${DEFAULT_REGION} is the main region`],
    [['--region', 'ap-x', '--extra-region', `ap-x=${B.projectId}`], `--extra-region "ap-x=${B.projectId}": ap-x is the main region`],
    [['--extra-region', `${B.name}=not-hex`], `--extra-region "${B.name}=not-hex": the project id must be 32 hex characters`],
    [['--extra-region', `a/b=${B.projectId}`], `--extra-region "a/b=${B.projectId}": the region name must be 1 to 255 letters, digits, underscores or hyphens`],
  ])('fails when %j', (argv, message) => {
    expect(() => extraRegionsFromArgs(parseArgs(argv, {}))).toThrow(message);
  });

  test('fails with exit code 2 on a bad CBR_EMULATOR_EXTRA_REGIONS', () => {
    const res = spawnSync(process.execPath, CLI, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CBR_EMULATOR_EXTRA_REGIONS: `${B.name}=123` } });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain(`cbr-emulator: --extra-region "${B.name}=123": the project id must be 32 hex characters`);
  });

  test('fails to start when the regions option repeats a region', async () => {
    await expect(TestEmulator.start({ regions: [B, { ...B, projectId: C.projectId }] })).rejects
      .toThrow(`regions "${B.name}=${C.projectId}": region ${B.name} is given twice`);
  });
});
