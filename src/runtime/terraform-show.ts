import { execFileSync } from 'node:child_process';

/**
 * `terraform show -json [file]` run in `dir`: the stack's state, or a saved plan. The commands
 * that read what Terraform knows (drift, plan) call it; a failure is Terraform's last error line.
 */
export function terraformShowJson(terraform: string, env: Record<string, string | undefined>, dir: string, file?: string): any {
  let text: string;
  try {
    text = execFileSync(terraform, ['show', '-json', '-no-color', ...(file ? [file] : [])],
      { cwd: dir, env: { ...env, TF_IN_AUTOMATION: '1' }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error((e.stderr || e.message).trim().split('\n').filter(Boolean).slice(-1)[0] ?? 'terraform show failed');
  }
  return JSON.parse(text);
}
