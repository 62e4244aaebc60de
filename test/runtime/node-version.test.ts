import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as semver from 'semver';
import { MIN_NODE_VERSION, nodeVersionProblem, SUPPORTED_NODE_RANGE } from '../../src/runtime/node-version';
import { nodeOfMajor } from '../support/node';

jest.setTimeout(300_000);

const HOOK = path.resolve(__dirname, '..', '..', 'assets', 'hook', 'hook.js');
const TOO_OLD = (v: string) => `Node.js ${v} is too old to run the cdktf-cbr hooks, which need Node.js >= ${MIN_NODE_VERSION} (22 or 24 recommended): ` +
  'install a newer Node.js as the `node` on the PATH of the machine that runs terraform.';

describe('the Node.js that runs the hooks', () => {
  test.each(['20.18.1', '20.19.0', '21.0.0', '22.12.0', '24.0.0', 'v24.11.1'])('%s is new enough', (v) => {
    expect(nodeVersionProblem(v)).toBeUndefined();
  });

  test.each(['20.18.0', '20.9.0', '18.20.8', 'v16.0.0'])('fails when it is %s, naming the version and the fix', (v) => {
    expect(nodeVersionProblem(v)).toBe(TOO_OLD(v.startsWith('v') ? v : `v${v}`));
  });

  test('package.json declares the LTS lines the package test runs on (20, 22, 24) and later ones, not odd releases', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect(pkg.engines.node).toBe(SUPPORTED_NODE_RANGE);
    for (const v of [MIN_NODE_VERSION, '20.20.2', '22.0.0', '22.19.0', '24.0.0', '26.1.0', process.versions.node]) expect([v, semver.satisfies(v, pkg.engines.node)]).toEqual([v, true]);
    for (const v of ['18.20.8', '20.18.0', '21.7.3', '23.11.0']) expect([v, semver.satisfies(v, pkg.engines.node)]).toEqual([v, false]);
  });

  test('the bundled hook run by Node.js 18 fails with that one line, exit code 1, before anything else', async () => {
    const { bin, dir } = await nodeOfMajor(18);
    try {
      const version = (await promisify(execFile)(bin, ['--version'])).stdout.trim();
      // An endpoint nobody listens on: reaching the network would fail differently.
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(bin, [HOOK, 'apply', 'vault', 'Prod'], { env: { PATH: process.env.PATH, CBR_SPEC: '{}', HW_CBR_ENDPOINT: 'http://127.0.0.1:9' } },
          (err, stdout, stderr) => resolve({ code: err ? (err as any).code : 0, stdout, stderr }));
      });
      expect(result).toEqual({ code: 1, stdout: '', stderr: `cdktf-cbr hook: ${TOO_OLD(version)}\n` });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
