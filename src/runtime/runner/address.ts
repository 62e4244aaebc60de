import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Env, Settings, SETTINGS } from '../settings';

/**
 * Where the warm runner of one `terraform apply` listens. Loaded by every hook process before
 * anything heavy: node builtins and the settings table only.
 */
export interface RunnerAddress {
  /** The user's private directory (0700) that holds the socket. */
  readonly dir: string;
  readonly socket: string;
  /** Created exclusively by the one hook process that starts the runner. */
  readonly lock: string;
  /** The Terraform process whose hooks the runner serves; it exits when that process is gone. */
  readonly parentPid: number;
}

/**
 * Variables that differ between the hooks of one apply, or that only restate the parent pid the
 * address already holds (CBR_TERRAFORM_PID, which a hook sets itself); everything else must match the runner's.
 */
export const PER_HOOK_ENV: readonly string[] = [SETTINGS.spec.env, SETTINGS.key.env, SETTINGS.terraformPid.env];

/**
 * The variables a hook reads (credentials, endpoints, HTTP and TLS settings, node's own). Only these
 * decide which runner a hook may use: a shell's `_` or a changed PWD must not split one apply.
 */
const RELEVANT_ENV = /^(HW_|CBR_|HBR_|ALIBABA_CLOUD_|NODE_|SSL_CERT_)|^(https?_proxy|no_proxy)$/i;

/** Unix socket paths are limited to 104 bytes on macOS (108 on Linux). */
const MAX_SOCKET_PATH = 100;

/**
 * The runner for hooks started by `parentPid` (Terraform) from `bundle` with these settings, read
 * from `env`, or undefined when hooks must run in their own process: disabled (CBR_HOOK_RUNNER=off),
 * on Windows, or when the private directory cannot be made safe.
 *
 * The name hashes the parent, the bundle, the working directory and every variable of `env` a hook
 * may read but the per-hook ones, so a runner only serves hooks that would have run with exactly its
 * credentials and settings.
 */
export function runnerAddress(settings: Pick<Settings, 'hookRunner'>, env: Env, parentPid: number, bundle: string): RunnerAddress | undefined {
  if (!settings.hookRunner || process.platform === 'win32' || typeof process.getuid !== 'function') return undefined;
  let key = `${parentPid}\0${bundle}\0${process.cwd()}\0`;
  for (const name of Object.keys(env).sort()) {
    if (RELEVANT_ENV.test(name) && !PER_HOOK_ENV.includes(name)) key += `${name}=${env[name]}\0`;
  }
  const id = `${parentPid}-${fnv1a(key, 0x811c9dc5)}${fnv1a(key, 0x050c5d1f)}`;
  const dir = path.join(os.tmpdir(), `cdktf-cbr-${process.getuid()}`);
  const socket = path.join(dir, `${id}.sock`);
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH || !privateDir(dir)) return undefined;
  return { dir, socket, lock: path.join(dir, `${id}.lock`), parentPid };
}

/**
 * 32-bit FNV-1a as 8 hex digits. Two lanes with different seeds name a runner: the name only has to
 * keep different settings apart (the directory is private to the user), and node:crypto would cost
 * every hook process ~10 ms to load.
 */
/* eslint-disable no-bitwise */
function fnv1a(text: string, seed: number): string {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}
/* eslint-enable no-bitwise */

/** Creates `dir` (0700) if needed; true only if it is a real directory that only this user can open. */
function privateDir(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return false;
  }
  try {
    const st = fs.lstatSync(dir);
    return st.isDirectory() && st.uid === process.getuid!() && st.mode % 0o100 === 0;
  } catch {
    return false;
  }
}
