import type * as Hook from './hook';
import type * as Http from './http';
import { runnerAddress, runnerIdleMs } from './runner/address';
import { callRunner, startRunner } from './runner/client';

// The bundled entry point that terraform_data provisioners run: `node hook.js <action> <kind> <key>`.
declare const HOOK_VERSION: string | undefined;

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The hook runtime, loaded only when this process runs hooks itself: `--version` and a hook that
 * the warm runner serves should not pay for undici's start-up.
 */
function loadRuntime(): { hook: typeof Hook; http: typeof Http } {
  // undici parses HTTP with llhttp compiled to WebAssembly. By default V8 also recompiles that module
  // with TurboFan on background threads, and the process cannot exit until they finish: ~250 ms of
  // CPU per hook for a parser that reads a few small responses. Liftoff's baseline code is enough.
  (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--liftoff-only');
  return { hook: require('./hook') as typeof Hook, http: require('./http') as typeof Http };
}
/* eslint-enable @typescript-eslint/no-require-imports */

const stdout = (line: string) => process.stdout.write(`${line}\n`);
const stderr = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Every object is one provisioner, so one apply starts a node process per object. The first hook
 * of an apply starts a warm runner (see ./runner); later hooks hand their work to it over a
 * private Unix socket, which halves their CPU time, and fall back to running it themselves.
 */
async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--version') {
    process.stdout.write(`${typeof HOOK_VERSION === 'string' ? HOOK_VERSION : 'dev'}\n`);
    return 0;
  }
  const bundle = process.argv[1];
  if (argv[0] === '--runner') {
    const address = runnerAddress(process.env, Number(argv[1]), bundle);
    if (address) await serveRunner(address);
    return 0;
  }
  const address = runnerAddress(process.env, process.ppid, bundle);
  if (address) {
    const served = await callRunner(address, argv, process.env);
    if (served) {
      served.out.forEach(stdout);
      served.err.forEach(stderr);
      return served.code;
    }
    startRunner(address, bundle, process.env);
  }
  const { hook, http } = loadRuntime();
  try {
    // Clients are built on first use: a CBR hook needs no Alibaba credentials, an HBR hook no Huawei ones.
    return await hook.executeHook(argv, process.env, hook.envClients(process.env), { out: stdout, err: stderr });
  } finally {
    // Keep-alive sockets would hold the process open for their idle timeout.
    await http.closeSharedAgent();
  }
}

async function serveRunner(address: NonNullable<ReturnType<typeof runnerAddress>>): Promise<void> {
  const { hook, http } = loadRuntime();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { serveHooks } = require('./runner/server') as typeof import('./runner/server');
  // One set of clients for the whole apply: one keep-alive agent, and one IAM token when token auth is used.
  const clients = hook.envClients(process.env);
  try {
    await serveHooks(address, { idleMs: runnerIdleMs(process.env), execute: (argv, env, output) => hook.executeHook(argv, env, clients, output) });
  } finally {
    await http.closeSharedAgent();
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
  process.stderr.write(`hook crashed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
