import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** The bundled hook entry point (`npx projen bundle:hook` builds it), as Terraform runs it. */
export const HOOK_BUNDLE = path.resolve(__dirname, '..', '..', 'assets', 'hook', 'hook.js');

export interface HookRun { code: number | null; stdout: string; stderr: string }

/** Runs `node hook.js <argv>` with exactly `env` (the spec in CBR_SPEC) and collects its output. */
export function runHookProcess(env: NodeJS.ProcessEnv, argv: string[]): Promise<HookRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HOOK_BUNDLE, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
