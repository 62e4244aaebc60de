import * as fs from 'node:fs';
import type * as Runtime from './hook-runtime';
import { nodeVersionProblem } from './node-version';
import { RunnerAddress, runnerAddress } from './runner/address';
import { runThroughRunner } from './runner/client';
import { Env, readSettings, Settings } from './settings';

// The bundled entry point that terraform_data provisioners run: `node hook.js <action> <kind> <key>`.
declare const HOOK_VERSION: string | undefined;

/**
 * The hook runtime, loaded only when this process runs hooks itself: `--version` and a hook that
 * the warm runner serves should not pay for parsing undici and the handlers (a second bundle,
 * kept out of this one by esbuild's --external).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
function loadRuntime(): typeof Runtime {
  // undici parses HTTP with llhttp compiled to WebAssembly. By default V8 also recompiles that module
  // with TurboFan on background threads, and the process cannot exit until they finish: ~250 ms of
  // CPU per hook for a parser that reads a few small responses. Liftoff's baseline code is enough.
  (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--liftoff-only');
  return require('./hook-runtime.js') as typeof Runtime;
}
/* eslint-enable @typescript-eslint/no-require-imports */

const stdout = (line: string) => process.stdout.write(`${line}\n`);
const stderr = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Every object is one provisioner, so one apply starts a node process per object. The first hook
 * of an apply starts a warm runner (see ./runner); every hook hands its work to it over a private
 * Unix socket, which halves its CPU time, and runs the hook itself when no runner answers.
 */
async function main(argv: string[]): Promise<number> {
  // Before anything that an older Node.js could fail on in an obscure way (undici, the runner).
  const tooOld = nodeVersionProblem(process.versions.node);
  if (tooOld) {
    stderr(`cdktf-cbr hook: ${tooOld}`);
    return 1;
  }
  if (argv[0] === '--version') {
    process.stdout.write(`${typeof HOOK_VERSION === 'string' ? HOOK_VERSION : 'dev'}\n`);
    return 0;
  }
  const bundle = process.argv[1];
  // The one read of the environment. Terraform runs provisioners as its own children: its pid names
  // this run (see handlers/handoff.ts).
  const env: Env = { ...process.env, CBR_TERRAFORM_PID: process.env.CBR_TERRAFORM_PID ?? String(process.ppid) };
  let settings: Settings | undefined;
  try {
    settings = readSettings(env);
  } catch {
    // A bad value: no runner. The hook runs here, and executeHook reports it the way every hook fails.
  }
  if (argv[0] === '--runner') {
    const address = settings && runnerAddress(settings, env, Number(argv[1]), bundle);
    if (address) await serveRunner(address, settings!, env);
    return settings ? 0 : 1;
  }
  if (settings?.hookLog) logProcess(settings.hookLog, argv);
  // The hook entry is one process per apply: nothing to share with a runner.
  const address = settings && argv[0] !== 'apply' ? runnerAddress(settings, env, process.ppid, bundle) : undefined;
  const served = address && await runThroughRunner(address, bundle, argv, env);
  if (served) {
    served.out.forEach(stdout);
    served.err.forEach(stderr);
    return served.code;
  }
  const runtime = loadRuntime();
  try {
    // Clients are built on first use: a CBR hook needs no Alibaba credentials, an HBR hook no Huawei ones.
    return await runtime.executeHook(argv, { env, settings }, { out: stdout, err: stderr });
  } finally {
    // Keep-alive sockets would hold the process open for their idle timeout.
    await runtime.closeSharedAgent();
  }
}

/** Appends `<pid> <action> <kind> <key>` to CBR_HOOK_LOG: tests and benchmarks count the hook processes of an apply. */
function logProcess(file: string, argv: readonly string[]): void {
  try {
    fs.appendFileSync(file, `${process.pid} ${argv.join(' ')}\n`);
  } catch {
    // A log that cannot be written must not fail the hook.
  }
}

/** `env` is the runner's environment, without per-hook variables; each hook's own are laid over it. */
async function serveRunner(address: RunnerAddress, settings: Settings, env: Env): Promise<void> {
  const runtime = loadRuntime();
  // One set of clients for the whole apply: one keep-alive agent, and one IAM token when token auth is used.
  const clients = runtime.hookClients(settings);
  try {
    await runtime.serveHooks(address, {
      idleMs: settings.hookRunnerIdleMs,
      execute: (argv, hookEnv, output) => runtime.executeHook(argv, { env: { ...env, ...hookEnv }, clients }, output),
    });
  } finally {
    await runtime.closeSharedAgent();
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
  process.stderr.write(`hook crashed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
