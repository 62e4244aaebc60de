import * as fs from 'node:fs';

/**
 * The command line of the Terraform process running a hook (its pid is CBR_TERRAFORM_PID), read
 * from /proc, or from `ps` where there is none (macOS, the BSDs: its words, split at spaces);
 * undefined on Windows or when the process is gone.
 */
export function terraformArgs(pid: string | undefined): string[] | undefined {
  if (!pid || !/^\d+$/.test(pid)) return undefined;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
  } catch {
    if (process.platform === 'linux' || process.platform === 'win32') return undefined;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
    const line = execFileSync('ps', ['-ww', '-o', 'args=', '-p', pid], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return line ? line.split(/\s+/) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the command asked to replace exactly `address` (`-replace=ADDR` or `-replace ADDR`).
 * A delete hook cannot otherwise tell `terraform apply -replace=...` of an unchanged entry, which
 * only re-runs its hooks, from `terraform destroy`; false when the command line is unknown.
 */
export function replaces(args: readonly string[] | undefined, address: string): boolean {
  if (!args) return false;
  return args.some((a, i) => a === `-replace=${address}` || a === `--replace=${address}` ||
    ((a === '-replace' || a === '--replace') && args[i + 1] === address));
}

/**
 * Whether the command destroys (`terraform destroy`, `terraform apply -destroy`); undefined when
 * the command line is unknown. A delete hook of an entry whose values come from expressions cannot
 * otherwise tell a destroy from the first half of a replacement (a changed value).
 */
export function destroys(args: readonly string[] | undefined): boolean | undefined {
  if (!args) return undefined;
  // Global options (-chdir=...) come before the subcommand.
  const command = args.slice(1).find((a) => !a.startsWith('-'));
  return command === 'destroy' || args.some((a) => a === '-destroy' || a === '--destroy');
}
