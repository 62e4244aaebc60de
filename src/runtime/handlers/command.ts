import * as fs from 'node:fs';

/**
 * The command line of the Terraform process running a hook (its pid is CBR_TERRAFORM_PID), read
 * from /proc; undefined where there is no /proc (macOS, Windows) or the process is gone.
 */
export function terraformArgs(pid: string | undefined): string[] | undefined {
  if (!pid || !/^\d+$/.test(pid)) return undefined;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
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
