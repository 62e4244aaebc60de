/* eslint-disable no-console */
// `npm run bench`: performance figures, each printed with its method and compared with its target;
// it exits non-zero when a target is missed, so that a regression cannot pass unnoticed. Not a test:
// a shared machine's timings do not belong in the suite.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { App, DataResource, TerraformLocal, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { countTypeLines } from './type-lines';
import { Policy, RemovalPolicy, Schedule, Vault, VaultObjectType } from '../../src';
import { OWNER_TAG_KEY } from '../../src/contract/specs';
import { startEmulator } from '../../src/emulator';
import { EmulatorProcess } from '../../src/harness/emulator-process';
import { emulatorHookEnv } from '../../src/harness/env';
import { synthStack } from '../../src/harness/synth';
import { terraformOk } from '../../src/harness/terraform';
import { CbrClient } from '../../src/runtime/cbr/client';
import { detectDrift, driftExitCode } from '../../src/runtime/drift';
import { ownerTag } from '../../src/runtime/handlers/ownership';
import { hookClients, withListings } from '../../src/runtime/hook';
import { readSettings } from '../../src/runtime/settings';
import { consumerApp } from '../support/consumer-app';

const ROOT = path.resolve(__dirname, '..', '..');
/** Terraform's default -parallelism, which the apply runs use. */
const TF_PARALLELISM = 10;
const HOOK = path.join(ROOT, 'assets', 'hook', 'hook.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-cbr-bench-'));
const only = process.argv.slice(2);
const wanted = (name: string) => only.length === 0 || only.includes(name);

/** The targets this run missed, named with their figure. */
const missed: string[] = [];

/** `label`'s figure against its target (at most `limit`); a miss is remembered for the exit code. */
function target(label: string, figure: number, limit: number, unit = 'x'): string {
  const text = `${unit === 'x' ? figure.toFixed(2) : figure}${unit} (target <= ${limit}${unit}`;
  if (figure > limit) {
    missed.push(`${label}: ${text})`);
    return `${text}, MISSED)`;
  }
  return `${text}, met)`;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void, runs: number): number {
  return median(Array.from({ length: runs }, () => {
    const t = performance.now();
    fn();
    return performance.now() - t;
  }));
}

const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
const row = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(46) : i === 3 ? `  ${c}` : c.padStart(16))).join(''));

function synthOurs(n: number, dir: string): void {
  const app = new App({ outdir: dir, skipValidation: true });
  const stack = new TerraformStack(app, 's');
  for (let i = 0; i < n; i++) new Vault(stack, `V${i}`, { vaultName: `vault-${i}`, objectType: VaultObjectType.SERVER, size: 100 });
  app.synth();
}

function synthPlain(n: number, dir: string): void {
  const app = new App({ outdir: dir, skipValidation: true });
  const stack = new TerraformStack(app, 's');
  for (let i = 0; i < n; i++) {
    new DataResource(stack, `V${i}`, { input: { name: `vault-${i}`, object_type: 'server', size: 100, owner: `o-${i}` } });
  }
  app.synth();
}

function benchSynth(): void {
  console.log('\n## synth (App.synth() into a temp dir, validation skipped for both; 3 warm-up runs each, then the median of 9 runs, alternating)');
  row(['constructs', 'cdktf-cbr', 'plain cdktf', 'ratio']);
  for (const n of [10, 100, 1000]) {
    const runs = n === 1000 ? 5 : 9;
    const ours: number[] = [];
    const plain: number[] = [];
    for (let i = 0; i < 3 + runs; i++) {
      const a = time(() => synthOurs(n, path.join(tmp, `synth-ours-${n}`)), 1);
      const b = time(() => synthPlain(n, path.join(tmp, `synth-plain-${n}`)), 1);
      if (i >= 3) { ours.push(a); plain.push(b); }
    }
    const [o, p] = [median(ours), median(plain)];
    row([`${n} vaults vs ${n} terraform_data`, ms(o), ms(p), target(`synth of ${n}`, o / p, 1.5)]);
  }
}

function benchValidation(): void {
  console.log('\n## validation (1,000 policies of 24 patterns each: parse, per-pattern and cross-pattern rules; median of 5)');
  const patterns = Array.from({ length: 24 }, (_, h) => `FREQ=DAILY;INTERVAL=1;BYHOUR=${h};BYMINUTE=0`);
  const t = time(() => {
    const app = new App({ outdir: path.join(tmp, 'validate'), skipValidation: true });
    const stack = new TerraformStack(app, 's');
    const scope = new Construct(stack, 'P');
    for (let i = 0; i < 1000; i++) new Policy(scope, `P${i}`, { policyName: `p-${i}`, schedule: Schedule.fromPatterns(patterns) });
  }, 5);
  row(['1,000 Policy constructs x 24 patterns', ms(t), `${ms(t / 1000)} each`, '']);
  // The hardest shape for the exact spacing check: runs that clash by time of day on different days,
  // weekly INTERVALs 1-3, and DAILY INTERVAL=2 with BYDAY, whose outcome depends on the start weekday.
  const codes = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
  const hard = (seed: number) => Array.from({ length: 24 }, (_, i) => {
    const day = codes[i % 7];
    const hour = 6 * Math.floor(i / 7) + ((i % 7) % 3);
    const minute = (i * 13 + seed) % 60;
    return i % 5 === 0
      ? `FREQ=DAILY;INTERVAL=2;BYDAY=${day};BYHOUR=${hour};BYMINUTE=${minute}`
      : `FREQ=WEEKLY;INTERVAL=${1 + (i % 3)};BYDAY=${day};BYHOUR=${hour};BYMINUTE=${minute}`;
  });
  const policies = Array.from({ length: 1000 }, (_, i) => hard(i));
  const th = time(() => { for (const p of policies) Schedule.validatePatterns(p); }, 5);
  row(['1,000 start-day-dependent sets x 24 patterns', ms(th), `${ms(th / 1000)} each`, '']);
}

function benchLines(): void {
  console.log('\n## hand-written types and validation (test/bench/type-lines.ts: lines of code in type declarations, schemas and checking functions)');
  const r = countTypeLines(path.join(ROOT, 'src'));
  row(['types and schemas', `${r.types} lines`, '', '']);
  row(['validation functions', `${r.validation} lines`, '', '']);
}

function benchColdStart(): void {
  console.log('\n## hook cold start (median of 30 spawns each)');
  if (!fs.existsSync(HOOK)) throw new Error(`${HOOK} is missing: run npx projen bundle:hook`);
  const spawnTime = (args: string[]) => time(() => { spawnSync(process.execPath, args, { stdio: 'ignore' }); }, 30);
  const base = spawnTime(['-e', '0']);
  const hook = spawnTime([HOOK, '--version']);
  row(['node -e 0', ms(base), '', '']);
  row(['node hook.js --version', ms(hook), '', target('hook cold start', hook / base, 1.3)]);
  const runtime = path.join(path.dirname(HOOK), 'hook-runtime.js');
  // What a hook that runs itself (no warm runner) adds before its first API call: loading the runtime.
  const load = spawnTime(['-e', `require(${JSON.stringify(runtime)})`]);
  row(['node -e require(hook-runtime.js)', ms(load), '', `${(load / base).toFixed(2)}x`]);
  console.log(`   entry point hook.js: ${(fs.statSync(HOOK).size / 1024).toFixed(1)} KiB; hook-runtime.js, loaded only by a process that runs hooks itself: ${(fs.statSync(runtime).size / 1024).toFixed(0)} KiB`);
}

async function benchApiCalls(): Promise<void> {
  console.log('\n## API calls per object (counted in the emulator request log; one vault, real terraform)');
  const emu = await EmulatorProcess.start({ stateFile: path.join(tmp, 'calls-state.json') });
  const env = emulatorHookEnv(emu.url);
  const state = path.join(tmp, 'calls.tfstate');
  const step = async (label: string, build: (s: Construct) => void, cmd: string[]) => {
    const dir = synthStack({ outdir: path.join(tmp, `calls-${label}`), stackName: 'calls', stateFile: state }, build);
    await terraformOk(['init', '-input=false'], { dir });
    await emu.clearRequests();
    await terraformOk([...cmd, '-auto-approve', '-input=false'], { dir, env });
    const reqs = await emu.requests();
    row([label, `${reqs.length} calls`, reqs.map((r) => r.method).join(' '), '']);
  };
  const vault = (size: number) => (s: Construct) => { new Vault(s, 'V', { vaultName: 'v', objectType: VaultObjectType.SERVER, size, removalPolicy: RemovalPolicy.DESTROY }); };
  try {
    await step('create', vault(100), ['apply']);
    await step('update (size)', vault(200), ['apply']);
    await step('unchanged', vault(200), ['apply']);
    await step('delete (terraform destroy)', vault(200), ['destroy']);
  } finally {
    await emu.stop();
  }
}

async function benchDrift(n: number): Promise<void> {
  const DEPLOYMENT = 'bench-deployment';
  console.log(`\n## drift over ${n} vaults (declared in cdktf.out, live in the in-process emulator; one run)`);
  const emu = await startEmulator({ port: 0 });
  try {
    const out = path.join(tmp, `drift-${n}`);
    const app = new App({ outdir: out, skipValidation: true });
    const stack = new TerraformStack(app, 'd');
    const vaults = Array.from({ length: n }, (_, i) => new Vault(stack, `V${i}`, { vaultName: `vault-${i}`, objectType: VaultObjectType.SERVER, size: 100 }));
    app.synth();
    const client = CbrClient.fromSettings(readSettings(emulatorHookEnv(emu.url)));
    for (const v of vaults) {
      await client.createVault({
        vault: {
          name: v.vaultName,
          billing: { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 100 },
          resources: [],
          tags: [{ key: OWNER_TAG_KEY, value: ownerTag(DEPLOYMENT, v.node.id) }],
        },
      });
    }
    // The drift command's own work; the state it reads with `terraform show -json` (one call) is given here.
    // The clients the command builds: one per place, whose listings serve every object.
    let calls = 0;
    const t = performance.now();
    const report = await detectDrift({
      appDir: out,
      clients: withListings(hookClients(readSettings(emulatorHookEnv(emu.url)), { onRequest: () => { calls += 1; } })),
      calls: () => calls,
      applied: () => ({ deployment: DEPLOYMENT, tables: {} }),
    });
    const elapsed = performance.now() - t;
    const code = driftExitCode(report);
    row([`${n} declared vaults (exit ${code})`, ms(elapsed), `${report.apiCalls} API calls`, 'page size 1000']);
    if (n === 1000) {
      row(['   calls', '', '', target(`drift of ${n} vaults, API calls`, report.apiCalls, 3, ' calls')]);
      row(['   time', '', '', target(`drift of ${n} vaults, time`, Math.round(elapsed), 2000, ' ms')]);
    }
  } finally {
    await emu.close();
  }
}

/** Runs a command to completion; its output is returned, and shown only if it fails. */
function check(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

interface PackageFigures { tarball: number; unpacked: number; files: number; install: number; synth: number; cdkInstall: number }

/**
 * One package as users get it: its size as npm reports it, `npm install` of it with its CDK library into an
 * empty project (warm npm cache: one warm-up, then the median of 3, each into a fresh folder), and the
 * consumer app's first synth in each of those folders (median of 3). Also the install of the CDK library alone.
 */
function measurePackage(tgz: string, cdk: string, lib: string, cdkDeps: string[]): PackageFigures {
  const [packed] = JSON.parse(check('npm', ['pack', '--dry-run', '--json', tgz], tmp));
  const install = (deps: string[], name: string): { dir: string; ms: number } => {
    const dir = fs.mkdtempSync(path.join(tmp, `${name}-`));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    const t = performance.now();
    check('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...deps], dir);
    return { dir, ms: performance.now() - t };
  };
  install([tgz, ...cdkDeps], lib);
  const installs: number[] = [];
  const synths: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { dir, ms: took } = install([tgz, ...cdkDeps], lib);
    installs.push(took);
    fs.writeFileSync(path.join(dir, 'app.js'), consumerApp(cdk, lib));
    // Run from the consumer's folder with its node_modules only, as the package test does.
    const t = performance.now();
    check(process.execPath, ['app.js'], dir, { ...process.env, NODE_PATH: '' });
    synths.push(performance.now() - t);
    if (fs.readdirSync(path.join(dir, 'cdktf.out', 'stacks', 'backup', 'assets', 'cbr_hook')).length !== 1) throw new Error(`${lib}: no hook asset synthesized`);
  }
  install(cdkDeps, cdk);
  const cdkInstalls = [0, 1, 2].map(() => install(cdkDeps, cdk).ms);
  const sizes = { tarball: fs.statSync(tgz).size, unpacked: packed.unpackedSize, files: packed.entryCount };
  return { ...sizes, install: median(installs), synth: median(synths), cdkInstall: median(cdkInstalls) };
}

function benchPackage(): void {
  console.log('\n## package (built as test/package/package.test.ts builds it: compile, jsii-pacmak, check-package, package-cdktn)');
  const tgzIn = (dir: string) => path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
  check('npx', ['projen', 'compile'], ROOT);
  check('npx', ['jsii-pacmak', '--target', 'js'], ROOT);
  check('npx', ['ts-node', '--transpile-only', 'projenrc/check-package.ts'], ROOT);
  check('npx', ['ts-node', '--transpile-only', 'projenrc/package-cdktn.ts'], ROOT);
  const devDeps = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).devDependencies;
  // The CDK library versions the package test installs with each package.
  const cdktf = measurePackage(tgzIn(path.join(ROOT, 'dist', 'js')), 'cdktf', 'cdktf-cbr', [`cdktf@${devDeps.cdktf}`, `constructs@${devDeps.constructs}`]);
  const cdktn = measurePackage(tgzIn(path.join(ROOT, 'dist', 'cdktn')), 'cdktn', 'cdktn-cbr', ['cdktn@0.24.0', 'constructs@>=10.6.0 <10.8.0']);
  const bytes = (n: number) => `${n.toLocaleString('en-US')} B`;
  row(['', 'cdktf-cbr', 'cdktn-cbr', '']);
  row(['tarball', bytes(cdktf.tarball), bytes(cdktn.tarball), '']);
  row(['unpacked (npm pack --dry-run --json)', bytes(cdktf.unpacked), bytes(cdktn.unpacked), '']);
  row(['files', String(cdktf.files), String(cdktn.files), '']);
  row(['npm install with the CDK library, median of 3', ms(cdktf.install), ms(cdktn.install), 'warm cache, fresh folder each']);
  row(['   the CDK library alone', ms(cdktf.cdkInstall), ms(cdktn.cdkInstall), '']);
  row(['first synth, `node app.js`, median of 3', ms(cdktf.synth), ms(cdktn.synth), 'one Vault, Policy, attachment, resource']);
}

/** A synthesized stack without provisioners: the same entries, applied by Terraform alone. */
function withoutProvisioners(dir: string): void {
  const file = path.join(dir, 'cdk.tf.json');
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const table of Object.values<any>(config.resource.terraform_data)) delete table.provisioner;
  fs.writeFileSync(file, JSON.stringify(config));
}

const vaultStack = (n: number) => (s: Construct) => {
  for (let i = 0; i < n; i++) new Vault(s, `V${i}`, { vaultName: `v-${i}`, objectType: VaultObjectType.SERVER, size: 100, removalPolicy: RemovalPolicy.DESTROY });
};

/**
 * Applying n new vaults against the floor: the same entries applied by Terraform with no
 * provisioner, plus the API calls the apply made x the latency / 10 (Terraform's parallelism,
 * and the hook entry's concurrency). A run of 200 takes ~2 s and one run varies by a third on
 * this machine, so small sizes take the median of several runs, interleaved, each on a fresh
 * emulator and fresh states.
 */
async function benchApply(n: number, latencyMs: number, runs: number): Promise<void> {
  const timed = async (dir: string, env: NodeJS.ProcessEnv) => {
    const t = performance.now();
    await terraformOk(['apply', '-auto-approve', '-input=false'], { dir, env });
    return performance.now() - t;
  };
  const [reals, bares]: [number[], number[]] = [[], []];
  let calls = 0;
  for (let i = 0; i < runs; i++) {
    const emu = await EmulatorProcess.start({ stateFile: path.join(tmp, `apply-${n}-${i}-state.json`), args: ['--fault-latency-ms', String(latencyMs)] });
    try {
      const env = emulatorHookEnv(emu.url);
      const dir = synthStack({ outdir: path.join(tmp, `apply-${n}-${i}`), stackName: 'apply', stateFile: path.join(tmp, `apply-${n}-${i}.tfstate`) }, vaultStack(n));
      await terraformOk(['init', '-input=false'], { dir });
      await emu.clearRequests();
      reals.push(await timed(dir, env));
      calls = (await emu.requests()).length;

      const bareDir = synthStack({ outdir: path.join(tmp, `apply-bare-${n}-${i}`), stackName: 'apply', stateFile: path.join(tmp, `apply-bare-${n}-${i}.tfstate`) }, vaultStack(n));
      withoutProvisioners(bareDir);
      await terraformOk(['init', '-input=false'], { dir: bareDir });
      bares.push(await timed(bareDir, env));
    } finally {
      await emu.stop();
    }
  }
  const [real, bare] = [median(reals), median(bares)];
  const latency = (calls * latencyMs) / TF_PARALLELISM;
  const floor = bare + latency;
  const of = runs > 1 ? `, median of ${runs}` : '';
  row([`${n} new vaults, ${calls} API calls${of}`, ms(real), `floor ${ms(floor)}`, target(`apply of ${n} new vaults`, real / floor, 1.3)]);
  if (runs > 1) row(['   each run', reals.map(ms).join(' '), '', '']);
  row([`   the same entries, no provisioner${of}`, ms(bare), '', '']);
  row(['   API calls x latency / 10', ms(latency), '', '']);
}

/** An unchanged `terraform plan` of n objects against one of n plain entries of one field; median of 3, interleaved. */
async function benchPlan(n: number): Promise<void> {
  const ours = synthStack({ outdir: path.join(tmp, `plan-${n}`), stackName: 'plan', stateFile: path.join(tmp, `plan-${n}.tfstate`) }, vaultStack(n));
  // The state as an apply leaves it, made without the hooks (the entries' attributes are the same).
  const config = fs.readFileSync(path.join(ours, 'cdk.tf.json'), 'utf8');
  withoutProvisioners(ours);
  await terraformOk(['init', '-input=false'], { dir: ours });
  await terraformOk(['apply', '-auto-approve', '-input=false'], { dir: ours });
  fs.writeFileSync(path.join(ours, 'cdk.tf.json'), config);
  const plain = synthStack({ outdir: path.join(tmp, `plan-plain-${n}`), stackName: 'plan', stateFile: path.join(tmp, `plan-plain-${n}.tfstate`) }, (s) => {
    new TerraformLocal(s, 'values', Object.fromEntries(Array.from({ length: n }, (_, i) => [`V${i}`, i])));
    const entries = new DataResource(s, 'plain', {});
    entries.addOverride('for_each', '${local.values}');
    entries.addOverride('input', '${each.value}');
  });
  await terraformOk(['init', '-input=false'], { dir: plain });
  await terraformOk(['apply', '-auto-approve', '-input=false'], { dir: plain });
  const planTime = async (dir: string) => {
    const t = performance.now();
    const { stdout } = await terraformOk(['plan', '-input=false', '-no-color'], { dir });
    if (!stdout.includes('No changes.')) throw new Error(`the plan of ${dir} is not empty:\n${stdout}`);
    return performance.now() - t;
  };
  const [o, p]: [number[], number[]] = [[], []];
  for (let i = 0; i < 3; i++) {
    o.push(await planTime(ours));
    p.push(await planTime(plain));
  }
  row([`${n} vaults vs ${n} one-field entries`, ms(median(o)), ms(median(p)), target(`unchanged plan of ${n} objects`, median(o) / median(p), 2)]);
}

async function run(): Promise<void> {
  console.log(`cdktf-cbr bench on ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
  if (wanted('synth')) benchSynth();
  if (wanted('validation')) benchValidation();
  if (wanted('coldstart')) benchColdStart();
  if (wanted('calls')) await benchApiCalls();
  if (wanted('apply')) {
    console.log('\n## apply wall time (emulator with 20 ms added latency per call; terraform parallelism 10)');
    console.log('   floor = the same entries applied by Terraform with no provisioner + API calls x 20 ms / 10');
    await benchApply(200, 20, 5);
    await benchApply(1000, 20, 1);
  }
  if (wanted('plan')) {
    console.log('\n## unchanged terraform plan (median of 3, interleaved)');
    await benchPlan(1000);
  }
  if (wanted('drift')) {
    await benchDrift(100);
    await benchDrift(1000);
  }
  if (wanted('package')) benchPackage();
  if (wanted('lines')) benchLines();
}

run().then(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  if (missed.length > 0) {
    console.error(`\n${missed.length} target${missed.length === 1 ? '' : 's'} missed:\n${missed.map((m) => `- ${m}`).join('\n')}`);
    process.exitCode = 1;
  }
}, (err) => {
  console.error(`bench failed: ${(err as Error).stack}`);
  process.exitCode = 1;
});
