import * as fs from 'node:fs';
import * as net from 'node:net';
import { PER_HOOK_ENV, RunnerAddress } from './address';
import { LineReader, RunnerRequest, RunnerResponse } from './protocol';
import type { Env } from '../settings';

/**
 * Asks the apply's warm runner to run this hook. Resolves with its response, or undefined when no
 * runner answered completely (none yet, or it went away mid-hook): the caller then runs the hook
 * itself, which is safe because every hook is an idempotent ensure.
 */
function callRunner(address: RunnerAddress, argv: readonly string[], env: Env): Promise<RunnerResponse | undefined> {
  return new Promise((resolve) => {
    const request: RunnerRequest = {
      argv,
      env: Object.fromEntries(PER_HOOK_ENV.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]!]]))),
    };
    let response: RunnerResponse | undefined;
    const reader = new LineReader();
    const socket = net.connect(address.socket);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      for (const line of reader.push(chunk)) {
        try {
          response = JSON.parse(line) as RunnerResponse;
        } catch {
          response = undefined;
        }
      }
    });
    socket.on('error', () => { /* no runner, or it died: handled on close */ });
    socket.on('close', () => resolve(isResponse(response) ? response : undefined));
  });
}

function isResponse(r: unknown): r is RunnerResponse {
  const x = r as RunnerResponse | undefined;
  return typeof x?.code === 'number' && Array.isArray(x.out) && Array.isArray(x.err);
}

/**
 * Starts the runner for later hooks of this apply, unless another hook process already did (the
 * lock file is created exclusively). The runner gets this environment without the per-hook
 * variables, so it computes the same address; it holds no terminal and no pipe of Terraform's.
 */
function startRunner(address: RunnerAddress, bundle: string, env: Env): boolean {
  try {
    fs.writeFileSync(address.lock, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
  } catch {
    return false;
  }
  const runnerEnv: Record<string, string | undefined> = { ...env };
  for (const name of PER_HOOK_ENV) delete runnerEnv[name];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { spawn } = require('node:child_process') as typeof import('node:child_process');
    const child = spawn(process.execPath, [bundle, '--runner', String(address.parentPid)], { env: runnerEnv, stdio: 'ignore' });
    child.on('error', () => fs.rmSync(address.lock, { force: true }));
    child.unref();
    return true;
  } catch {
    fs.rmSync(address.lock, { force: true });
    return false;
  }
}

/**
 * Runs the hook through the apply's runner: asks the one that listens (once: if it dies mid-hook,
 * the caller runs the hook itself), or starts one, or waits for the one another hook just started.
 * Undefined when the hook must run in this process; a lock that is not fresh belongs to a runner
 * that never listened, and is not waited for.
 */
export async function runThroughRunner(
  address: RunnerAddress, bundle: string, argv: readonly string[], env: Env,
): Promise<RunnerResponse | undefined> {
  if (fs.existsSync(address.socket)) return callRunner(address, argv, env);
  if (!startRunner(address, bundle, env) && !runnerStarting(address)) return undefined;
  return callStartingRunner(address, argv, env);
}

/** A runner was started moments ago (its lock is fresh) and may not be listening yet. */
function runnerStarting(address: RunnerAddress): boolean {
  try {
    return Date.now() - fs.statSync(address.lock).mtimeMs < STARTING_MS;
  } catch {
    return false;
  }
}

/** A runner takes ~0.3 s to listen; a lock older than this belongs to one that never did. */
const STARTING_MS = 10_000;

/**
 * Waits up to `timeoutMs` for a starting runner to listen, then asks it once. Waiting costs no CPU,
 * while running the hook here would load the whole runtime: on a busy machine the first hooks of
 * an apply are better off queueing for the runner.
 */
async function callStartingRunner(
  address: RunnerAddress, argv: readonly string[], env: Env, timeoutMs = 3000,
): Promise<RunnerResponse | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(address.socket)) {
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return callRunner(address, argv, env);
}
