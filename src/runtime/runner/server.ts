import * as fs from 'node:fs';
import * as net from 'node:net';
import type { RunnerAddress } from './address';
import { LineReader, RunnerRequest, RunnerResponse } from './protocol';
import type { HookOutput } from '../hook';

export interface RunnerOptions {
  /**
   * Runs one hook, given the request's per-hook variables (PER_HOOK_ENV): the caller lays them over
   * the environment the runner started with.
   */
  readonly execute: (argv: readonly string[], hookEnv: Readonly<Record<string, string>>, output: HookOutput) => Promise<number>;
  /** Exit after this long without a hook. @default 5000 */
  readonly idleMs?: number;
  /** How often to check that Terraform still runs. @default 250 */
  readonly parentPollMs?: number;
}

/**
 * Serves hooks on the address until Terraform is gone or no hook arrived for `idleMs`, then
 * removes its socket and lock. Resolves when it stops; returns at once if another runner already
 * serves the address.
 */
export async function serveHooks(address: RunnerAddress, opts: RunnerOptions): Promise<void> {
  const idleMs = opts.idleMs ?? 5000;
  let active = 0;
  let idle: NodeJS.Timeout | undefined;
  // A connection lasts from the hook process's request to the runner's answer, so open
  // connections are the hooks in progress.
  const server = net.createServer((conn) => {
    active++;
    clearTimeout(idle);
    const reader = new LineReader();
    let started = false;
    conn.setEncoding('utf8');
    conn.on('error', () => { /* the hook process went away */ });
    conn.on('close', () => {
      active--;
      if (active === 0) armIdle();
    });
    conn.on('data', (chunk: string) => {
      const line = reader.push(chunk)[0];
      if (line === undefined || started) return;
      started = true;
      // An unexpected error drops the connection without an answer: the hook process then runs the
      // hook itself and reports whatever happens there, as it would without a runner.
      void handle(line, opts).then((res) => { if (!conn.destroyed) conn.end(`${JSON.stringify(res)}\n`); }, () => conn.destroy());
    });
  });
  let stopped!: () => void;
  const done = new Promise<void>((resolve) => { stopped = resolve; });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    clearTimeout(idle);
    clearInterval(watch);
    server.close(() => {
      fs.rmSync(address.socket, { force: true });
      fs.rmSync(address.lock, { force: true });
      stopped();
    });
  };
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(stop, idleMs);
  };
  const watch = setInterval(() => {
    if (!alive(address.parentPid)) stop();
  }, opts.parentPollMs ?? 250);
  watch.unref();

  if (!(await listen(server, address))) {
    clearInterval(watch);
    return;
  }
  armIdle();
  await done;
}

async function handle(line: string, opts: RunnerOptions): Promise<RunnerResponse> {
  const out: string[] = [];
  const err: string[] = [];
  let request: RunnerRequest;
  try {
    request = JSON.parse(line) as RunnerRequest;
  } catch {
    return { code: 1, out, err: ['hook runner: the request is not JSON'] };
  }
  const code = await opts.execute(request.argv, request.env ?? {}, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** Listens on the socket; false when a live runner already answers there. A dead one's socket is replaced. */
async function listen(server: net.Server, address: RunnerAddress): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      server.once('error', resolve);
      server.listen(address.socket, () => {
        server.off('error', resolve);
        resolve(undefined);
      });
    });
    if (!error) return true;
    if (error.code !== 'EADDRINUSE' || await answers(address.socket)) return false;
    fs.rmSync(address.socket, { force: true });
  }
  return false;
}

function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(socket);
    probe.on('connect', () => { probe.destroy(); resolve(true); });
    probe.on('error', () => resolve(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
