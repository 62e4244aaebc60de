import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { Policy, RemovalPolicy, Retention, Schedule, Vault, VaultObjectType } from '../../src';
import { EmulatorProcess } from '../../src/harness/emulator-process';
import { E2eWorkspace } from '../support/e2e';
import { writtenFilesText } from '../support/files';

jest.setTimeout(300_000);

// Known fake credentials, distinct from every default, so a search for them cannot match by accident.
const CREDENTIALS = { accessKey: 'SECRETTESTAK7F3Q9Z2W', secretKey: 'sk-SECRET-9d1c7a0b5e3f4a2b8c6d', projectId: '0123456789abcdef0123456789abcdef' };


describe('secrets', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => {
    ws = await E2eWorkspace.create('secrets', {
      credentials: CREDENTIALS,
      emulatorArgs: ['--access-key', CREDENTIALS.accessKey, '--secret-key', CREDENTIALS.secretKey, '--project-id', CREDENTIALS.projectId],
    });
  });
  afterAll(async () => { await ws?.dispose(); });

  test('no credential appears in cdk.tf.json, state, plan output, hook output or error messages', async () => {
    const build = (size: number, description = '') => (scope: Construct) => {
      new Vault(scope, 'A', { vaultName: 'vault-a', description, objectType: VaultObjectType.SERVER, size });
      new Policy(scope, 'P', { policyName: 'p', schedule: Schedule.fromPatterns(['FREQ=DAILY;INTERVAL=1;BYHOUR=1;BYMINUTE=0']), retention: Retention.count(3) });
    };
    const outputs: string[] = [];
    await ws.synth(build(100));
    const applied = await ws.apply();
    outputs.push(applied.stdout, applied.stderr);
    await ws.synth(build(200));
    const plan = await ws.plan();
    outputs.push(plan.stdout, plan.stderr);
    const updated = await ws.apply();
    outputs.push(updated.stdout, updated.stderr);
    // A failing hook: the description cannot change in place.
    await ws.synth(build(300, 'changed'));
    const failed = await ws.tryApply();
    expect(failed.stdout + failed.stderr).toContain('cannot change description');
    outputs.push(failed.stdout, failed.stderr);

    const texts = [writtenFilesText(ws.dir), ...outputs];
    expect(texts.join('').length).toBeGreaterThan(1000);
    for (const secret of [CREDENTIALS.secretKey, CREDENTIALS.accessKey]) {
      const leaks = texts.filter((t) => t.includes(secret));
      expect(leaks).toEqual([]);
    }
  });

  test('a 401 caused by a wrong secret names the problem without the secret', async () => {
    await ws.synth((scope) => { new Vault(scope, 'B', { vaultName: 'vault-b', objectType: VaultObjectType.DISK, size: 40 }); });
    const res = await ws.tryApplyWithEnv({ HW_SECRET_KEY: 'sk-WRONG-0000000000000000' });
    expect(res.code).not.toBe(0);
    const text = res.stdout + res.stderr;
    // The first hook to call the API fails: a delete hook of the first test's constructs (gone from this stack) or the hook entry.
    const failed = '(vault A|policy P|vault B): FAILED: CBR GET \\/v3\\/0123456789abcdef0123456789abcdef\\/(vaults|policies) failed: 401 APIGW\\.0301';
    expect(text).toMatch(new RegExp(failed));
    expect(text).not.toContain('sk-WRONG-0000000000000000');
    expect(text).not.toContain(CREDENTIALS.accessKey);
    // The failure names the API's error code and its request id, and the stack stays re-runnable.
    expect(text).toMatch(new RegExp(`${failed} .*\\(request id [0-9a-f]+\\)`));
    const fixed = await ws.apply();
    // (The first test's constructs are gone from this stack, so their delete hooks may run too.)
    expect(fixed.hooks).toEqual(expect.arrayContaining([expect.stringMatching(/^vault B: created /)]));
    expect((await ws.emulator.state()).vaults.filter((v) => v.name === 'vault-b')).toHaveLength(1);
  });
});

describe('hostile values', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => { ws = await E2eWorkspace.create('hostile'); });
  afterAll(async () => { await ws?.dispose(); });

  test('names, descriptions and construct ids reach the API verbatim and never run anything', async () => {
    const marker = path.join(ws.dir, 'pwned');
    const name = `a"b'c $(touch ${marker}) \`touch ${marker}\`; x`.slice(0, 64);
    const description = 'line1\nline2 $HOME ; | & ünïcødé ✓ \\ "q"';
    await ws.synth((scope) => {
      new Vault(scope, `Id$(touch ${marker});\`x\``, { vaultName: name, description, objectType: VaultObjectType.SERVER, size: 100 });
    });
    const res = await ws.apply();
    const vault = (await ws.emulator.state()).vaults[0];
    expect(vault.name).toBe(name);
    expect(vault.description).toBe(description);
    expect(fs.existsSync(marker)).toBe(false);
    // Construct ids cannot hold "/" (constructs turns it into "--"); everything else is kept.
    const key = `Id$(touch ${marker.replace(/\//g, '--')});\`x\``;
    expect(res.hooks).toEqual([expect.stringContaining(`vault ${key}: created ${vault.id}`)]);
  });
});

describe('two stacks at once', () => {
  let emulator: EmulatorProcess;
  let a: E2eWorkspace;
  let b: E2eWorkspace;
  beforeAll(async () => {
    a = await E2eWorkspace.create('team-a');
    emulator = a.emulator;
    b = await E2eWorkspace.create('team-b', { emulator });
  });
  afterAll(async () => { await b?.dispose(); await a?.dispose(); });

  test('stacks applied at the same time against one project never touch each other\'s objects', async () => {
    // Same construct paths in both stacks: the ownership tag differs because the stack names differ.
    const build = (prefix: string) => (scope: Construct) => {
      for (let i = 0; i < 4; i++) {
        new Vault(scope, `V${i}`, { vaultName: `${prefix}-${i}`, objectType: VaultObjectType.SERVER, size: 100 + i, removalPolicy: RemovalPolicy.DESTROY });
      }
    };
    await Promise.all([a.synth(build('a')), b.synth(build('b'))]);
    await Promise.all([a.apply(), b.apply()]);
    let names = (await emulator.state()).vaults.map((v) => v.name).sort();
    expect(names).toEqual(['a-0', 'a-1', 'a-2', 'a-3', 'b-0', 'b-1', 'b-2', 'b-3']);
    const bIds = (await emulator.state()).vaults.filter((v) => v.name.startsWith('b-')).map((v) => v.id).sort();

    await a.destroy();
    const after = (await emulator.state()).vaults;
    names = after.map((v) => v.name).sort();
    expect(names).toEqual(['b-0', 'b-1', 'b-2', 'b-3']);
    expect(after.map((v) => v.id).sort()).toEqual(bIds);
  });
});

describe('TLS', () => {
  let ws: E2eWorkspace;
  let caFile: string;
  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-cbr-ca-'));
    caFile = path.join(dir, 'ca.pem');
    ws = await E2eWorkspace.create('tls', { emulatorArgs: ['--tls', '--tls-cert-out', caFile] });
  });
  afterAll(async () => { await ws?.dispose(); });

  test('hooks verify the certificate: an unknown CA fails clearly, CBR_CA_FILE makes it trusted', async () => {
    expect(ws.emulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await ws.synth((scope) => { new Vault(scope, 'T', { vaultName: 'tls-vault', objectType: VaultObjectType.SERVER, size: 100 }); });
    const untrusted = await ws.tryApply();
    expect(untrusted.code).not.toBe(0);
    expect(untrusted.stdout + untrusted.stderr).toMatch(/vault T: FAILED: .*(certificate|CBR_CA_FILE)/);
    expect((await ws.emulator.state()).vaults).toEqual([]);

    const trusted = await ws.apply([], { CBR_CA_FILE: caFile });
    expect(trusted.hooks).toEqual([expect.stringMatching(/^vault T: created /)]);
    expect((await ws.emulator.state()).vaults.map((v) => v.name)).toEqual(['tls-vault']);
  });
});
