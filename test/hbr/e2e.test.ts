/**
 * End to end with real Terraform: synthesized BackupClient stacks whose `client` hooks call the HBR
 * emulator, running as its own process, over HTTP.
 *
 * By default the emulator is the main one (src/emulator/cli.ts, through EmulatorProcess), which
 * serves HBR once src/emulator/server.ts mounts `handleHbrRequest`. Set HBR_E2E_EMULATOR=standalone
 * to run the same test against the stand-alone HBR emulator (src/emulator/hbr/cli.ts).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { hbr } from '../../src';
import { DEFAULT_HBR_CREDENTIALS } from '../../src/emulator/hbr';
import { EmulatorProcess } from '../../src/harness/emulator-process';
import { synthStack } from '../../src/harness/synth';
import { hookLines, terraform, terraformBinary, terraformOk } from '../../src/harness/terraform';

jest.setTimeout(300_000);

/** The stand-alone HBR emulator as a process. */
class StandaloneHbr {
  static async start(stateFile: string): Promise<StandaloneHbr> {
    const source = path.resolve(__dirname, '..', '..', 'src', 'emulator', 'hbr', 'cli.ts');
    const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), source, '--port', '0', '--state-file', stateFile],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`hbr emulator did not start:\n${output}`)), 30_000);
      child.stdout!.on('data', (c: Buffer) => {
        output += c.toString('utf8');
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.stderr!.on('data', (c: Buffer) => { output += c.toString('utf8'); });
      child.on('exit', (code) => reject(new Error(`hbr emulator exited with ${code}:\n${output}`)));
    });
    return new StandaloneHbr(child, url);
  }

  private constructor(private readonly child: ChildProcess, readonly url: string) {}

  stop(): Promise<void> {
    if (this.child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}

class HbrWorkspace {
  static async create(): Promise<HbrWorkspace> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-cbr-hbr-e2e-'));
    const stateFile = path.join(dir, 'emulator-state.json');
    const emulator = process.env.HBR_E2E_EMULATOR === 'standalone'
      ? await StandaloneHbr.start(stateFile)
      : await EmulatorProcess.start({ stateFile });
    const ws = new HbrWorkspace(dir, emulator);
    const probe = await fetch(`${emulator.url}/_emulator/hbr/state`);
    if (probe.status !== 200) {
      await ws.dispose();
      throw new Error(`the emulator at ${emulator.url} does not serve HBR (GET /_emulator/hbr/state: ${probe.status}): ` +
        'mount handleHbrRequest from src/emulator/hbr in src/emulator/server.ts, or run with HBR_E2E_EMULATOR=standalone');
    }
    return ws;
  }

  private step = 0;
  private stackDir?: string;

  private constructor(readonly dir: string, readonly emulator: { url: string; stop(): Promise<void> }) {}

  /** Only Alibaba settings: HBR hooks must not need Huawei credentials. */
  get hookEnv(): Record<string, string> {
    return {
      ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_HBR_CREDENTIALS.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_HBR_CREDENTIALS.accessKeySecret,
      ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou',
      HBR_ENDPOINT: this.emulator.url,
      HBR_TASK_POLL_MS: '100',
      CBR_HTTP_MAX_ATTEMPTS: '2',
      HBR_CLIENT_AK: 'LTAIe2eclientkey',
      HBR_CLIENT_SK: 'e2e-client-secret-value',
    };
  }

  async synth(build: (stack: Construct) => void): Promise<void> {
    this.step += 1;
    this.stackDir = synthStack({ outdir: path.join(this.dir, `out-${this.step}`), stackName: 'hbr', stateFile: path.join(this.dir, 'terraform.tfstate') }, build);
    await terraformOk(['init', '-input=false', '-no-color'], { dir: this.stackDir });
  }

  async apply(extra: string[] = []): Promise<string[]> {
    const r = await terraformOk(['apply', '-auto-approve', '-input=false', '-no-color', ...extra], { dir: this.stackDir!, env: this.hookEnv });
    return hookLines(r.stdout);
  }

  async tryApply(): Promise<{ code: number; output: string; hooks: string[] }> {
    const r = await terraform(['apply', '-auto-approve', '-input=false', '-no-color'], { dir: this.stackDir!, env: this.hookEnv });
    return { code: r.code, output: `${r.stdout}\n${r.stderr}`, hooks: hookLines(r.stdout) };
  }

  async destroy(): Promise<string[]> {
    const r = await terraformOk(['destroy', '-auto-approve', '-input=false', '-no-color'], { dir: this.stackDir!, env: this.hookEnv });
    return hookLines(r.stdout);
  }

  async admin(method: string, p: string, body?: unknown): Promise<any> {
    const res = await fetch(`${this.emulator.url}/_emulator/hbr${p}`, {
      method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`admin ${method} ${p}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  async clients(): Promise<Record<string, string>> {
    const state = await this.admin('GET', '/state');
    return Object.fromEntries(state.clients.map((c: any) => [c.InstanceId, `${c.Status} ${c.ClientVersion}`]));
  }

  /** Every file Terraform and cdktf wrote: synthesized JSON, plans, state. */
  allFilesText(): string {
    const out: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) {
          if (e.name !== '.terraform') walk(p);
        } else if (/\.(json|tfstate|backup)$/.test(e.name) && !e.name.startsWith('emulator-state')) {
          out.push(fs.readFileSync(p, 'utf8'));
        }
      }
    };
    walk(this.dir);
    return out.join('\n');
  }

  async dispose(): Promise<void> {
    await this.emulator.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

beforeAll(() => {
  const version = execFileSync(terraformBinary(), ['version'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  expect(version).toMatch(/Terraform v1\.(\d+)/);
});

describe('hbr.BackupClient under real terraform', () => {
  let ws: HbrWorkspace;
  beforeAll(async () => { ws = await HbrWorkspace.create(); });
  afterAll(async () => { await ws?.dispose(); });

  const agents = (instanceIds: string[], versionPolicy?: hbr.ClientVersionPolicy) => (stack: Construct) => {
    new hbr.BackupClient(stack, 'Agents', {
      vaultId: 'v-0001ufe000000kgm',
      instanceIds,
      versionPolicy,
      accessKeyIdEnv: 'HBR_CLIENT_AK',
      accessKeySecretEnv: 'HBR_CLIENT_SK',
    });
  };

  test('install on 3 instances with one stopped, fix and re-apply, then upgrades of exactly the outdated clients', async () => {
    await ws.admin('POST', '/instances', [
      { instanceId: 'i-e2e1' }, { instanceId: 'i-e2e2' }, { instanceId: 'i-e2e3', status: 'Stopped' }, { instanceId: 'i-e2e4' },
    ]);

    // 1. One instance is stopped: the apply fails naming it and its ErrorCode; the other two are installed.
    await ws.synth(agents(['i-e2e1', 'i-e2e2', 'i-e2e3']));
    const failed = await ws.tryApply();
    expect(failed.code).not.toBe(0);
    expect(failed.hooks).toEqual([
      'client Agents: installed on i-e2e1, i-e2e2; failed i-e2e3',
      'client Agents: FAILED: the HBR client is not working on 1 of 3 instances: i-e2e3: InstanceNotRunning ' +
      '(the ECS instance is not running: start it, then apply again). The other instances are done; fix these and apply again.',
    ]);
    expect(failed.output).toMatch(/Error: local-exec provisioner error/);
    expect(await ws.clients()).toEqual({ 'i-e2e1': 'ACTIVATED 2.4.5', 'i-e2e2': 'ACTIVATED 2.4.5' });

    // 2. Start it and apply again (the failed instance is tainted, so the hook runs again): only i-e2e3 is installed.
    await ws.admin('POST', '/instances', { instanceId: 'i-e2e3', status: 'Running' });
    await ws.admin('DELETE', '/requests');
    expect(await ws.apply()).toEqual(['client Agents: installed on i-e2e3; unchanged i-e2e1, i-e2e2']);
    expect((await ws.admin('GET', '/requests')).filter((r: any) => r.action === 'CreateClients').map((r: any) => JSON.parse(r.params.ClientInfo).map((i: any) => i.instanceId)))
      .toEqual([['i-e2e3']]);
    expect(await ws.clients()).toEqual({ 'i-e2e1': 'ACTIVATED 2.4.5', 'i-e2e2': 'ACTIVATED 2.4.5', 'i-e2e3': 'ACTIVATED 2.4.5' });

    // Nothing changed: Terraform runs no hook.
    expect(await ws.apply()).toEqual([]);

    // 3. HBR releases 2.5.0; a fourth instance joins under KEEP_INSTALLED: installed at 2.5.0, the others kept.
    await ws.admin('POST', '/max-client-version', { version: '2.5.0' });
    await ws.synth(agents(['i-e2e1', 'i-e2e2', 'i-e2e3', 'i-e2e4']));
    expect(await ws.apply()).toEqual([
      'client Agents: installed on i-e2e4; kept i-e2e1 at 2.4.5 (2.5.0 available; versionPolicy KEEP_INSTALLED), ' +
      'i-e2e2 at 2.4.5 (2.5.0 available; versionPolicy KEEP_INSTALLED), i-e2e3 at 2.4.5 (2.5.0 available; versionPolicy KEEP_INSTALLED)',
    ]);

    // 4. UPGRADE_TO_LATEST: exactly the three outdated clients are upgraded.
    await ws.admin('DELETE', '/requests');
    await ws.synth(agents(['i-e2e1', 'i-e2e2', 'i-e2e3', 'i-e2e4'], hbr.ClientVersionPolicy.UPGRADE_TO_LATEST));
    expect(await ws.apply()).toEqual(['client Agents: upgraded i-e2e1 2.4.5 -> 2.5.0, i-e2e2 2.4.5 -> 2.5.0, i-e2e3 2.4.5 -> 2.5.0; unchanged i-e2e4']);
    const upgrades = (await ws.admin('GET', '/requests')).filter((r: any) => r.action === 'UpgradeBackupClients');
    expect(upgrades.map((r: any) => JSON.parse(r.params.InstanceIds))).toEqual([['i-e2e1', 'i-e2e2', 'i-e2e3']]);
    expect(await ws.clients()).toEqual({ 'i-e2e1': 'ACTIVATED 2.5.0', 'i-e2e2': 'ACTIVATED 2.5.0', 'i-e2e3': 'ACTIVATED 2.5.0', 'i-e2e4': 'ACTIVATED 2.5.0' });

    // 5. Bump MaxClientVersion again; the spec is unchanged, so the rollout is an explicit -replace.
    await ws.admin('POST', '/max-client-version', { version: '2.6.0' });
    expect(await ws.apply()).toEqual([]);
    expect(await ws.apply(['-replace=terraform_data.cbr_client["Agents"]'])).toEqual([
      'client Agents: upgraded i-e2e1 2.5.0 -> 2.6.0, i-e2e2 2.5.0 -> 2.6.0, i-e2e3 2.5.0 -> 2.6.0, i-e2e4 2.5.0 -> 2.6.0',
    ]);

    // The ClientInfo key went to HBR, but neither key nor secret is in the synthesized JSON or the state.
    const sent = (await ws.admin('GET', '/requests'));
    expect(JSON.stringify(sent)).not.toContain('e2e-client-secret-value');
    const files = ws.allFilesText();
    expect(files).toContain('HBR_CLIENT_SK');
    expect(files).not.toContain('e2e-client-secret-value');
    expect(files).not.toContain('LTAIe2eclientkey');
    expect(files).not.toContain(DEFAULT_HBR_CREDENTIALS.accessKeySecret);

    // 6. Destroy: no uninstall call exists, so the clients stay and the hook says so.
    expect(await ws.destroy()).toEqual([
      'client Agents: left installed on i-e2e1, i-e2e2, i-e2e3, i-e2e4 (HBR documents no uninstall call; uninstall in the HBR console if the clients are no longer wanted)',
    ]);
    expect(Object.keys(await ws.clients())).toHaveLength(4);
  });
});
