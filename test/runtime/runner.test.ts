import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { Testing, TerraformStack } from 'cdktf';
import { Vault, VaultBilling, VaultObjectType } from '../../src';
import { DEFAULT_CREDENTIALS, DEFAULT_REGION } from '../../src/emulator';
import { runnerAddress as addressOf, RunnerAddress } from '../../src/runtime/runner/address';
import { Env, readSettings } from '../../src/runtime/settings';
import { TestEmulator } from '../emulator/helpers';
import { HOOK_BUNDLE as BUNDLE, runHookProcess as runHook } from '../support/hook-process';

/**
 * The warm runner, driven as Terraform drives it: hook processes spawned by one parent (here the
 * test process) with the same environment, against the emulator over HTTP.
 */

/** The id of the stack's terraform_data.cbr_deployment, which Terraform merges into every spec. */
const DEPLOYMENT = '5f0c8a3e-2b7d-4c1a-9e6f-0d4b8a7c3e21';

/**
 * Four yearly vaults, as their order entries pass them to the order hook (one process each, which
 * the runner serves): `[input, [deployment, identity]]` of each vault's entry.
 */
const ENTRIES: Record<string, string> = (() => {
  const stack = new TerraformStack(Testing.app(), 'runner');
  for (let i = 1; i <= 4; i++) {
    new Vault(stack, `V${i}`, { vaultName: `runner-${i}`, objectType: VaultObjectType.SERVER, size: 100, billing: VaultBilling.yearly(1, { autoPay: true }) });
  }
  const locals = JSON.parse(Testing.synth(stack)).locals;
  return Object.fromEntries(Object.keys(locals.cbr_vault_inputs).map((key) =>
    [key, JSON.stringify([locals.cbr_vault_inputs[key], [DEPLOYMENT, locals.cbr_vault_identities[key]]])]));
})();

/** The runner address of an environment, as a hook computes it: its settings read first. */
const runnerAddress = (env: Env, parentPid: number, bundle: string) => addressOf(readSettings(env), env, parentPid, bundle);

const orderVault = (env: NodeJS.ProcessEnv, key: string) => runHook({ ...env, CBR_SPEC: ENTRIES[key] }, ['order', 'vault', key]);
const ordered = (key: string) => new RegExp(`^vault ${key}: created [0-9a-f-]{36} \\(runner-${key.slice(1)}, 100 GB, 1 year, order [^)]+\\)\\n$`);

async function waitFor(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the warm hook runner', () => {
  let emu: TestEmulator;
  let env: NodeJS.ProcessEnv;
  let address: RunnerAddress;

  beforeEach(async () => {
    emu = await TestEmulator.start();
    // Token authentication makes the runner visible: each process that runs hooks asks IAM for one token.
    env = {
      PATH: process.env.PATH,
      HW_USER_NAME: DEFAULT_CREDENTIALS.userName,
      HW_PASSWORD: DEFAULT_CREDENTIALS.password,
      HW_DOMAIN_NAME: DEFAULT_CREDENTIALS.domainName,
      HW_PROJECT_ID: DEFAULT_CREDENTIALS.projectId,
      HW_REGION_NAME: DEFAULT_REGION,
      HW_CBR_ENDPOINT: emu.url,
      HW_AUTH_URL: `${emu.url}/v3`,
      CBR_HOOK_RUNNER_IDLE_MS: '1500',
      CBR_ORDER_POLL_MS: '50',
    };
    // The hook processes are this process's children, so the runner serves this process's hooks.
    address = runnerAddress(env, process.pid, BUNDLE)!;
    expect(address).toBeDefined();
  });

  afterEach(async () => {
    // Let the runner idle out, so it holds no connection to the emulator being closed.
    await waitFor('the runner to exit', () => !fs.existsSync(address.socket) && !fs.existsSync(address.lock));
    await emu.close();
  });

  const requests = async () => (await emu.admin('GET', '/_emulator/requests') as Array<{ method: string; path: string }>);
  const tokenRequests = async () => (await requests()).filter((r) => r.method === 'POST' && r.path === '/v3/auth/tokens').length;
  const vaultNames = async () => (await emu.admin('GET', '/_emulator/state')).vaults.map((v: { name: string }) => v.name).sort();

  test('the first hook starts a runner and hands its own work to it; later hooks of the same parent use it too: one IAM token', async () => {
    const first = await orderVault(env, 'V1');
    expect(first).toEqual({ code: 0, stdout: expect.stringMatching(ordered('V1')), stderr: '' });
    await waitFor('the runner socket', () => fs.existsSync(address.socket));
    expect((fs.statSync(address.dir).mode % 0o1000).toString(8)).toBe('700');

    for (const key of ['V2', 'V3', 'V4']) {
      const run = await orderVault(env, key);
      expect(run).toEqual({ code: 0, stdout: expect.stringMatching(ordered(key)), stderr: '' });
    }
    expect(await orderVault(env, 'V2')).toEqual({ code: 0, stdout: expect.stringMatching(/^vault V2: not ordered: the vault exists /), stderr: '' });
    expect(await vaultNames()).toEqual(['runner-1', 'runner-2', 'runner-3', 'runner-4']);
    // The runner ran all five hooks: one token. Hooks that ran themselves would each have asked for one.
    expect(await tokenRequests()).toBe(1);
  });

  test('a hook served by the runner fails exactly as it would in its own process', async () => {
    await orderVault(env, 'V1');
    await waitFor('the runner socket', () => fs.existsSync(address.socket));
    const viaRunner = await runHook({ ...env, CBR_SPEC: '{"name":' }, ['delete', 'vault', 'V9']);
    const alone = await runHook({ ...env, CBR_HOOK_RUNNER: 'off', CBR_SPEC: '{"name":' }, ['delete', 'vault', 'V9']);
    expect(viaRunner).toEqual({ code: 1, stdout: '', stderr: expect.stringMatching(/^vault V9: FAILED: CBR_SPEC is not valid JSON \(.+\)\n$/) });
    expect(viaRunner).toEqual(alone);
  });

  test('CBR_HOOK_RUNNER=off runs every hook in its own process', async () => {
    const off = { ...env, CBR_HOOK_RUNNER: 'off' };
    for (const key of ['V1', 'V2', 'V3']) expect((await orderVault(off, key)).code).toBe(0);
    expect(fs.existsSync(address.lock)).toBe(false);
    expect(await tokenRequests()).toBe(3);
  });

  test('a hook runs itself when the runner takes its request and dies without answering', async () => {
    // A stand-in "runner" that reads the request and closes: what a crashed runner looks like.
    fs.writeFileSync(address.lock, 'test\n');
    const fake = net.createServer((conn) => conn.once('data', () => conn.destroy())).listen(address.socket);
    await new Promise((r) => fake.once('listening', r));
    try {
      const run = await orderVault(env, 'V1');
      expect(run).toEqual({ code: 0, stdout: expect.stringMatching(ordered('V1')), stderr: '' });
      expect(await vaultNames()).toEqual(['runner-1']);
    } finally {
      await new Promise((r) => fake.close(r));
      fs.rmSync(address.lock, { force: true });
    }
  });

  test('a hook runs itself when a runner was started long ago and never listened', async () => {
    fs.writeFileSync(address.lock, 'stale\n');
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(address.lock, past, past);
    try {
      expect((await orderVault(env, 'V1')).code).toBe(0);
      expect(await vaultNames()).toEqual(['runner-1']);
      expect(await tokenRequests()).toBe(1);
      // No second runner was started over the stale lock.
      expect(fs.readFileSync(address.lock, 'utf8')).toBe('stale\n');
      expect(fs.existsSync(address.socket)).toBe(false);
    } finally {
      fs.rmSync(address.lock, { force: true });
    }
  });

  test('the runner stops when its Terraform process is gone', async () => {
    const parent = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const runnerEnv = { ...env, CBR_HOOK_RUNNER_IDLE_MS: '600000' };
    const own = runnerAddress(runnerEnv, parent.pid!, BUNDLE)!;
    const runner = spawn(process.execPath, [BUNDLE, '--runner', String(parent.pid)], { env: runnerEnv, stdio: 'ignore' });
    const exited = new Promise((r) => runner.once('exit', r));
    try {
      await waitFor('the runner socket', () => fs.existsSync(own.socket));
    } finally {
      parent.kill('SIGKILL');
    }
    // Without this, the runner would wait for its 10-minute idle timeout and the test would time out.
    await exited;
    expect(fs.existsSync(own.socket)).toBe(false);
  });
});

describe('runnerAddress', () => {
  const base = { HW_ACCESS_KEY: 'AK', HW_SECRET_KEY: 'SK', HW_REGION_NAME: 'r1', PATH: '/bin' };

  test('is the same for every hook of one apply, whatever the per-hook and unrelated variables', () => {
    const a = runnerAddress({ ...base, CBR_SPEC: '{"a":1}', _: '/usr/bin/node', PWD: '/x' }, 42, '/b/hook.js');
    const b = runnerAddress({ ...base, CBR_SPEC: '{"b":2}', CBR_KEY: 'K', _: '/usr/bin/time', PWD: '/y' }, 42, '/b/hook.js');
    expect(a).toEqual(b);
  });

  test('differs by Terraform process, bundle, credentials, endpoint and HTTP settings', () => {
    const a = runnerAddress(base, 42, '/b/hook.js')!.socket;
    const others = [
      runnerAddress(base, 43, '/b/hook.js'),
      runnerAddress(base, 42, '/c/hook.js'),
      runnerAddress({ ...base, HW_SECRET_KEY: 'SK2' }, 42, '/b/hook.js'),
      runnerAddress({ ...base, HW_CBR_ENDPOINT: 'https://cbr.example' }, 42, '/b/hook.js'),
      runnerAddress({ ...base, CBR_CA_FILE: '/ca.pem' }, 42, '/b/hook.js'),
      runnerAddress({ ...base, HTTPS_PROXY: 'http://proxy:3128' }, 42, '/b/hook.js'),
    ].map((x) => x!.socket);
    expect(new Set([a, ...others]).size).toBe(others.length + 1);
  });

  test('is undefined when CBR_HOOK_RUNNER=off', () => {
    expect(runnerAddress({ ...base, CBR_HOOK_RUNNER: 'off' }, 42, '/b/hook.js')).toBeUndefined();
    expect(runnerAddress({ ...base, CBR_HOOK_RUNNER: 'OFF' }, 42, '/b/hook.js')).toBeUndefined();
  });
});
