/**
 * End to end with real Terraform: synthesized BackupClient stacks whose `client` hooks call the HBR
 * side of the emulator, running as its own process, over HTTP.
 */
import { execFileSync } from 'node:child_process';
import { Construct } from 'constructs';
import { hbr } from '../../src';
import { DEFAULT_HBR_CREDENTIALS } from '../../src/emulator/hbr';
import { hookLines, terraformBinary } from '../../src/harness/terraform';
import { E2eWorkspace } from '../support/e2e';
import { writtenFilesText } from '../support/files';

jest.setTimeout(300_000);

/** The shared end-to-end workspace, with HBR admin calls and hook output as plain lines. */
class HbrWorkspace {
  static async create(): Promise<HbrWorkspace> {
    // Only Alibaba settings: HBR hooks must not need Huawei credentials.
    return new HbrWorkspace(await E2eWorkspace.create('hbr', {
      hookEnv: (url) => ({
        ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_HBR_CREDENTIALS.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_HBR_CREDENTIALS.accessKeySecret,
        ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou',
        HBR_ENDPOINT: url,
        HBR_TASK_POLL_MS: '100',
        CBR_HTTP_MAX_ATTEMPTS: '2',
        HBR_CLIENT_AK: 'LTAIe2eclientkey',
        HBR_CLIENT_SK: 'e2e-client-secret-value',
      }),
    }));
  }

  private constructor(private readonly ws: E2eWorkspace) {}

  async synth(build: (stack: Construct) => void): Promise<void> {
    await this.ws.synth(build);
  }

  async apply(extra: string[] = []): Promise<string[]> {
    return (await this.ws.apply(extra)).hooks;
  }

  async tryApply(): Promise<{ code: number; output: string; hooks: string[] }> {
    const r = await this.ws.tryApply();
    return { code: r.code, output: `${r.stdout}\n${r.stderr}`, hooks: hookLines(r.stdout) };
  }

  async destroy(): Promise<string[]> {
    return (await this.ws.destroy()).hooks;
  }

  async admin(method: string, p: string, body?: unknown): Promise<any> {
    const res = await fetch(`${this.ws.emulator.url}/_emulator/hbr${p}`, {
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

  /** Every file Terraform and cdktf wrote: synthesized JSON, state. */
  allFilesText(): string {
    return writtenFilesText(this.ws.dir);
  }

  async dispose(): Promise<void> {
    await this.ws.dispose();
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

    // 6. An instance leaves the construct: its client stays installed (no uninstall call), and the apply says so.
    await ws.admin('DELETE', '/requests');
    await ws.synth(agents(['i-e2e1', 'i-e2e2', 'i-e2e3'], hbr.ClientVersionPolicy.UPGRADE_TO_LATEST));
    // (The hook entry finds the other three as declared, and only counts them.)
    expect(await ws.apply()).toEqual([
      'client Agents: left installed on i-e2e4, no longer declared (HBR documents no uninstall call; uninstall in the HBR console if the clients are no longer wanted)',
    ]);
    expect((await ws.admin('GET', '/requests')).map((r: any) => r.action).filter((a: string) => a !== 'DescribeBackupClients')).toEqual([]);

    // 7. Destroy: no uninstall call exists, so the clients stay and the hook says so.
    expect(await ws.destroy()).toEqual([
      'client Agents: left installed on i-e2e1, i-e2e2, i-e2e3 (HBR documents no uninstall call; uninstall in the HBR console if the clients are no longer wanted)',
    ]);
    expect(Object.keys(await ws.clients())).toHaveLength(4);
  });
});
