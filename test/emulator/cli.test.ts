import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { call, PROJECT } from './helpers';
import { parseArgs } from '../../src/emulator/cli';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = ['-r', 'ts-node/register/transpile-only', path.join('src', 'emulator', 'cli.ts')];

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly firstLine: string;
}

function startCli(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no listening line in 30 s: ${out}${err}`)), 30_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        clearTimeout(timer);
        const m = /^cbr-emulator listening on (https?:\/\/127\.0\.0\.1:\d+)$/.exec(line);
        if (m) resolve({ child, url: m[1], firstLine: line }); else reject(new Error(`unexpected output: ${out}`));
      }
    });
    child.stderr!.on('data', (c: Buffer) => { err += c.toString('utf8'); });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${out}${err}`));
    });
  });
}

function exitOf(child: ChildProcess, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    child.once('exit', (code, sig) => resolve({ code, signal: sig }));
    child.kill(signal);
  });
}

describe('cbr-emulator command line', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbr-emu-cli-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('prints one listening line, answers health, and exits 0 on SIGTERM', async () => {
    const { child, url, firstLine } = await startCli(['--port', '0']);
    try {
      expect(firstLine).toMatch(/^cbr-emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${url}/_emulator/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
    } finally {
      expect(await exitOf(child, 'SIGTERM')).toEqual({ code: 0, signal: null });
    }
  });

  test('keeps every acknowledged write across a crash (SIGKILL) and restart, with credentials from the environment', async () => {
    const stateFile = path.join(dir, 'state.json');
    const env = { CBR_EMULATOR_ACCESS_KEY: 'CLIACCESSKEY', CBR_EMULATOR_SECRET_KEY: 'cli-secret' };
    const creds = { accessKey: 'CLIACCESSKEY', secretKey: 'cli-secret' };
    const first = await startCli([`--state-file=${stateFile}`], env);
    const body = { vault: { name: 'survivor', billing: { consistent_level: 'crash_consistent', object_type: 'disk', protect_type: 'backup', size: 10 }, resources: [] } };
    const created = await call(first.url, 'POST', `/v3/${PROJECT}/vaults`, { body, ...creds });
    expect(created.status).toBe(200);
    // The default key is not accepted when another one is configured.
    expect((await call(first.url, 'GET', `/v3/${PROJECT}/vaults`)).status).toBe(401);
    expect((await exitOf(first.child, 'SIGKILL')).signal).toBe('SIGKILL');

    const port = new URL(first.url).port;
    const second = await startCli(['--state-file', stateFile, '--port', port], env);
    try {
      expect(second.url).toBe(first.url);
      const shown = await call(second.url, 'GET', `/v3/${PROJECT}/vaults/${created.body.vault.id}`, creds);
      expect(shown.status).toBe(200);
      expect(shown.body.vault.name).toBe('survivor');
    } finally {
      await exitOf(second.child, 'SIGINT');
    }
  });

  test('fails with exit code 2 and the usage on an unknown flag', () => {
    const res = spawnSync(process.execPath, [...CLI, '--prot', '1'], { cwd: ROOT, encoding: 'utf8' });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('cbr-emulator: unknown argument "--prot"');
    expect(res.stderr).toContain('Usage: cbr-emulator');
    expect(res.stdout).toBe('');
  });

  test('reads flags in both forms and falls back to the environment', () => {
    expect(parseArgs(['--port', '8080', '--region=ap-x'], { CBR_EMULATOR_PROJECT_ID: 'p1', CBR_EMULATOR_REGION: 'ignored' }))
      .toEqual({ 'port': '8080', 'region': 'ap-x', 'project-id': 'p1' });
    expect(() => parseArgs(['--port'], {})).toThrow('--port needs a value');
  });
  test('serves HTTPS with --tls, writes the CA for clients, and applies the fault, resources and order flags', async () => {
    const caFile = path.join(dir, 'ca.pem');
    const resources = path.join(dir, 'resources.json');
    fs.writeFileSync(resources, JSON.stringify([{ id: 'ecs-1', type: 'OS::Nova::Server', name: 'web', size: 40 }]));
    const started = await startCli(['--tls', '--tls-cert-out', caFile, '--resources-file', resources, '--order-delay-ms', '10',
      '--fault-latency-ms', '5', '--fault-seed', 'cli']);
    try {
      expect(started.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const ca = fs.readFileSync(caFile, 'utf8');
      const get = (p: string) => new Promise<any>((resolve, reject) => {
        https.get(`${started.url}${p}`, { ca }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => { body += c.toString('utf8'); });
          res.on('end', () => resolve(JSON.parse(body)));
        }).on('error', reject);
      });
      expect(await get('/_emulator/health')).toEqual({ status: 'ok' });
      expect(await get('/_emulator/faults')).toMatchObject({ latencyMs: 5, seed: 'cli' });
      expect((await get('/_emulator/resources')).map((r: any) => r.id)).toEqual(['ecs-1']);
    } finally {
      expect(await exitOf(started.child, 'SIGTERM')).toEqual({ code: 0, signal: null });
    }
  });

  test.each([
    [['--fault-error-rate', '1.5'], '--fault-error-rate must be a number from 0 to 1, got "1.5"'],
    [['--tls-cert-out', 'x.pem'], '--tls-cert-out needs --tls'],
    [['--tls=maybe'], '--tls is on or off (true/false), got "maybe"'],
    [['--order-delay-ms', 'soon'], '--order-delay-ms must be a whole number, got "soon"'],
  ])('fails with exit code 2 on %j', (args, message) => {
    const res = spawnSync(process.execPath, [...CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain(`cbr-emulator: ${message}`);
  });
});
