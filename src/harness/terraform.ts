import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The Terraform binary: TERRAFORM_BIN, else `terraform` on PATH. */
export function terraformBinary(): string {
  return process.env.TERRAFORM_BIN ?? 'terraform';
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface TerraformRunOptions {
  /** The synthesized stack directory (cdktf.out/stacks/NAME). */
  readonly dir: string;
  /** Extra environment: credentials and endpoints for the hooks. */
  readonly env?: Record<string, string>;
  /** Called with each line Terraform prints, as it prints it. */
  readonly onLine?: (line: string) => void;
  /** Kill Terraform with SIGKILL after this many milliseconds: what a crashed CI runner looks like. */
  readonly killAfterMs?: number;
}

/**
 * A Terraform environment isolated from the user's: no CLI config, no checkpoint calls, no colour,
 * and only the variables the hooks need.
 */
export function terraformEnv(extra: Record<string, string> = {}): Record<string, string> {
  const cliConfig = path.join(os.tmpdir(), 'cdktf-cbr-empty.tfrc');
  if (!fs.existsSync(cliConfig)) fs.writeFileSync(cliConfig, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env.HOME ?? os.tmpdir(),
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    NO_COLOR: '1',
  };
  return { ...env, ...extra };
}

/** Runs `terraform <args>` in the stack directory and collects its output. */
export function terraform(args: string[], opts: TerraformRunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(terraformBinary(), args, { cwd: opts.dir, env: terraformEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    const killer = opts.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs);
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      stdout += text;
      if (opts.onLine) {
        pending += text;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        lines.forEach(opts.onLine);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    child.on('error', (err) => reject(new Error(`cannot run ${terraformBinary()}: ${err.message}. Install Terraform >= 1.4 or set TERRAFORM_BIN.`)));
    child.on('close', (code, signal) => {
      if (killer) clearTimeout(killer);
      if (pending && opts.onLine) opts.onLine(pending);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** Like `terraform`, but throws with Terraform's own output when it fails. */
export async function terraformOk(args: string[], opts: TerraformRunOptions): Promise<RunResult> {
  const result = await terraform(args, opts);
  if (result.code !== 0) {
    throw new Error(`terraform ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** The lines the lifecycle hooks printed, without Terraform's own prefixes. */
export function hookLines(output: string): string[] {
  const lines: string[] = [];
  for (const raw of output.split('\n')) {
    const m = /\(local-exec\): (.*)$/.exec(raw);
    if (m && /^(vault|policy|attachment|association|tag|client) /.test(m[1])) lines.push(m[1]);
  }
  return lines;
}
