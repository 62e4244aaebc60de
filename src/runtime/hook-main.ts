import type * as Hook from './hook';
import type * as Http from './http';

// The bundled entry point that terraform_data provisioners run: `node hook.js <action> <kind>`.
declare const HOOK_VERSION: string | undefined;

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--version') {
    process.stdout.write(`${typeof HOOK_VERSION === 'string' ? HOOK_VERSION : 'dev'}\n`);
    return 0;
  }
  /* eslint-disable @typescript-eslint/no-require-imports */
  // undici parses HTTP with llhttp compiled to WebAssembly. By default V8 also recompiles that module
  // with TurboFan on background threads, and the process cannot exit until they finish: ~250 ms of
  // CPU per hook for a parser that reads a few small responses. Liftoff's baseline code is enough.
  (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--liftoff-only');
  // Loaded here, not at the top: `--version` (and a bad invocation) should not pay for undici's start-up.
  const { envClients, parseInvocation, runHook } = require('./hook') as typeof Hook;
  const { closeSharedAgent } = require('./http') as typeof Http;
  /* eslint-enable @typescript-eslint/no-require-imports */
  let key = argv[2] ?? process.env.CBR_KEY ?? '(unknown construct)';
  let kind = argv[1] ?? 'hook';
  try {
    const inv = parseInvocation(argv, process.env);
    key = inv.key;
    kind = inv.kind;
    // Clients are built on first use: a CBR hook needs no Alibaba credentials, an HBR hook no Huawei ones.
    return await runHook(inv, envClients(process.env), (line) => process.stdout.write(`${line}\n`));
  } catch (err) {
    process.stderr.write(`${kind} ${key}: FAILED: ${(err as Error).message}\n`);
    return 1;
  } finally {
    // Keep-alive sockets would hold the process open for their idle timeout.
    await closeSharedAgent();
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
  process.stderr.write(`hook crashed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
