import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { EmulatorProcess } from '../../src/harness/emulator-process';
import { emulatorHookEnv } from '../../src/harness/env';
import { terraformOk } from '../../src/harness/terraform';
import { consumerApp } from '../support/consumer-app';
import { nodeOfMajor } from '../support/node';

jest.setTimeout(900_000);

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '..', '..');

const tgz = (dir: string) => path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.tgz'))!);

/**
 * The packages as users get them: built and packed the way a release is (each tarball checked),
 * installed into a project of their own outside this repository.
 */
describe('the packed tarballs', () => {
  const dirs: string[] = [];
  const emulators: EmulatorProcess[] = [];
  beforeAll(async () => {
    // npm test has bundled the hook already; bundling again here would race the other suites' syntheses.
    await run('npx', ['projen', 'compile'], { cwd: REPO, maxBuffer: 64 * 1024 * 1024 });
    await run('npx', ['jsii-pacmak', '--target', 'js'], { cwd: REPO, maxBuffer: 64 * 1024 * 1024 });
    await run('npx', ['ts-node', '--transpile-only', 'projenrc/check-package.ts'], { cwd: REPO });
    await run('npx', ['ts-node', '--transpile-only', 'projenrc/package-cdktn.ts'], { cwd: REPO });
  });
  afterAll(async () => {
    for (const e of emulators) await e.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  /** A Node.js of another major version (see test/support/node.ts). */
  async function nodeOf(major: number): Promise<string> {
    const { bin, dir } = await nodeOfMajor(major);
    dirs.push(dir);
    return bin;
  }

  /**
   * Installs `deps` into a new project, runs the app, deploys it, checks drift, destroys it; the app,
   * the hooks Terraform runs and the drift command all run on `node`.
   */
  async function deploy(cdk: string, lib: string, deps: string[], node = process.execPath): Promise<string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${lib}-consumer-`));
    dirs.push(dir);
    const nodeEnv = { ...process.env, NODE_PATH: '', PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}` };
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...deps], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
    fs.writeFileSync(path.join(dir, 'app.js'), consumerApp(cdk, lib));
    // Run from the consumer's folder with its node_modules only: nothing of this repository is reachable.
    await run(node, ['app.js'], { cwd: dir, env: nodeEnv });
    const stackDir = path.join(dir, 'cdktf.out', 'stacks', 'backup');
    expect(fs.readdirSync(path.join(stackDir, 'assets', 'cbr_hook'))).toHaveLength(1);

    const pkg = path.join(dir, 'node_modules', lib);
    const emulator = await EmulatorProcess.start({ stateFile: path.join(dir, 'emulator.json'), bin: path.join(pkg, 'bin', 'cbr-emulator.js') });
    emulators.push(emulator);
    // Provisioners run `node` from the PATH Terraform gets.
    const env = { ...emulatorHookEnv(emulator.url), PATH: nodeEnv.PATH };
    await terraformOk(['init', '-input=false', '-no-color'], { dir: stackDir, env });
    await terraformOk(['apply', '-auto-approve', '-input=false', '-no-color'], { dir: stackDir, env });
    const state = await emulator.state();
    expect(state.vaults.map((v) => [v.name, v.resources.map((r: any) => r.id)])).toEqual([['pkg-prod', ['srv-1']]]);
    expect(state.policies.map((p) => p.name)).toEqual(['pkg-nightly']);

    const drift = await run(node, [path.join(pkg, 'bin', 'cdktf-cbr.js'), 'drift', '--app-dir', 'cdktf.out'], { cwd: dir, env: { ...nodeEnv, ...env } });
    expect(drift.stdout).toMatch(/in sync/);

    await terraformOk(['destroy', '-auto-approve', '-input=false', '-no-color'], { dir: stackDir, env });
    expect((await emulator.state()).vaults).toEqual([]);
    return dir;
  }

  test('cdktf-cbr, installed in a cdktf project, synthesizes, deploys against its cbr-emulator, reports no drift, and destroys', async () => {
    const versions = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).devDependencies;
    await deploy('cdktf', 'cdktf-cbr', [tgz(path.join(REPO, 'dist', 'js')), `cdktf@${versions.cdktf}`, `constructs@${versions.constructs}`]);
  });

  test('cdktn-cbr, installed in a CDK Terrain project, does the same without cdktf installed', async () => {
    const dir = await deploy('cdktn', 'cdktn-cbr', [tgz(path.join(REPO, 'dist', 'cdktn')), 'cdktn@0.24.0', 'constructs@>=10.6.0 <10.8.0']);
    expect(fs.existsSync(path.join(dir, 'node_modules', 'cdktf'))).toBe(false);
  });

  test('cdktf-cbr with cdktf 0.20, the oldest its peer range allows', async () => {
    const dir = await deploy('cdktf', 'cdktf-cbr', [tgz(path.join(REPO, 'dist', 'js')), 'cdktf@~0.20.0', 'constructs@10.4.2']);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'cdktf', 'package.json'), 'utf8')).version).toMatch(/^0\.20\./);
  });

  test('on Node 22: cdktf-cbr deploys, hooks and drift included', async () => {
    const versions = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).devDependencies;
    await deploy('cdktf', 'cdktf-cbr', [tgz(path.join(REPO, 'dist', 'js')), `cdktf@${versions.cdktf}`, `constructs@${versions.constructs}`], await nodeOf(22));
  });

  test('on Node 24: cdktn-cbr deploys, hooks and drift included', async () => {
    await deploy('cdktn', 'cdktn-cbr', [tgz(path.join(REPO, 'dist', 'cdktn')), 'cdktn@0.24.0', 'constructs@>=10.6.0 <10.8.0'], await nodeOf(24));
  });
});
