import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * `terraform show -json [file]` run in `dir`: the stack's state, or a saved plan. The commands
 * that read what Terraform knows (drift, plan) call it; a failure is Terraform's last error line.
 */
export function terraformShowJson(terraform: string, env: Record<string, string | undefined>, dir: string, file?: string): any {
  return JSON.parse(run(terraform, env, dir, ['show', '-json', '-no-color', ...(file ? [file] : [])]));
}

/**
 * Runs `terraform plan` in the stack folder `dir` (where `terraform init` has run) into a
 * temporary plan file, and returns that plan's JSON. The plan runs no hook: no API is called.
 */
export function terraformPlanJson(terraform: string, env: Record<string, string | undefined>, dir: string): any {
  const file = `.cdktf-cbr-${process.pid}.tfplan`;
  try {
    run(terraform, env, dir, ['plan', '-input=false', '-no-color', `-out=${file}`]);
    return terraformShowJson(terraform, env, dir, file);
  } finally {
    fs.rmSync(path.join(dir, file), { force: true });
  }
}

/** Terraform's standard output; a failure is its last error line. */
function run(terraform: string, env: Record<string, string | undefined>, dir: string, args: string[]): string {
  try {
    return execFileSync(terraform, args,
      { cwd: dir, env: { ...env, TF_IN_AUTOMATION: '1' }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error((e.stderr || e.message).trim().split('\n').filter(Boolean).slice(-1)[0] ?? `terraform ${args[0]} failed`);
  }
}
