import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A Node.js of another major version, from the npm registry package that carries its binary
 * (node-<platform>-<arch>), installed into a new temporary folder: the machines here have Node 20,
 * users run 22 and 24 (and some still an older one). Returns the binary and the folder to remove.
 */
export async function nodeOfMajor(major: number): Promise<{ bin: string; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `node${major}-`));
  const name = `node-${process.platform}-${process.arch}`;
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--prefix', dir, `${name}@${major}`], { maxBuffer: 64 * 1024 * 1024 });
  const bin = path.join(dir, 'node_modules', name, 'bin', 'node');
  const { stdout } = await run(bin, ['--version']);
  if (!stdout.startsWith(`v${major}.`)) throw new Error(`${bin} is ${stdout.trim()}, not Node.js ${major}`);
  return { bin, dir };
}
