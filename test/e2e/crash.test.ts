import * as fs from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { Policy, RemovalPolicy, Retention, Schedule, Vault, VaultObjectType } from '../../src';
import { E2eWorkspace } from '../support/e2e';

jest.setTimeout(600_000);

const VAULTS = 6;
const POLICIES = 2;

function build(size: number, adopt = false) {
  return (scope: Construct) => {
    for (let i = 0; i < VAULTS; i++) {
      new Vault(scope, `V${i}`, { vaultName: `v-${i}`, objectType: VaultObjectType.SERVER, size: size + i, removalPolicy: RemovalPolicy.DESTROY, adopt });
    }
    for (let i = 0; i < POLICIES; i++) {
      new Policy(scope, `P${i}`, {
        policyName: `p-${i}`, schedule: Schedule.fromPatterns([`FREQ=DAILY;INTERVAL=1;BYHOUR=${i};BYMINUTE=0`]), retention: Retention.count(size), adopt,
      });
    }
  };
}

/** A small deterministic generator, so a failing seed can be replayed. */
function random(seed: number): () => number {
  let x = seed * 2654435761 % 4294967296;
  return () => {
    x = (x * 1664525 + 1013904223) % 4294967296;
    return x / 4294967296;
  };
}

/**
 * Waits for orphaned hook processes, then does what a user does when the kill landed while Terraform
 * was writing its local state (it writes in place, so the file can end mid-way): restore the
 * backup Terraform keeps, or, when the very first write was cut, start from no state. Returns
 * whether the state was lost that way: what was created since the backup is then unknown to the
 * state, so it is another deployment's or an unclaimed policy name to the hooks (README, "Which
 * objects are yours"), and the re-run needs adopt.
 */
async function settle(stateFile: string): Promise<boolean> {
  await new Promise((r) => setTimeout(r, 1500));
  try {
    JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    return false;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    if (fs.existsSync(`${stateFile}.backup`)) fs.copyFileSync(`${stateFile}.backup`, stateFile);
    else fs.rmSync(stateFile);
    return true;
  }
}

describe('terraform killed with SIGKILL during apply or destroy', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => { ws = await E2eWorkspace.create('sigkill'); });
  afterAll(async () => { await ws?.dispose(); });

  const counts = async () => {
    const s = await ws.emulator.state();
    return { vaults: s.vaults.map((v) => `${v.name}:${v.billing.size}`).sort(), policies: s.policies.map((p) => p.name).sort() };
  };
  const expected = (size: number) => ({
    vaults: Array.from({ length: VAULTS }, (_, i) => `v-${i}:${size + i}`).sort(),
    policies: Array.from({ length: POLICIES }, (_, i) => `p-${i}`),
  });

  test('a lost state file: the re-run writes nothing and names adopt; with adopt it converges with exact counts', async () => {
    await ws.synth(build(500));
    await ws.apply();
    fs.rmSync(path.join(ws.dir, 'terraform.tfstate'));
    await ws.emulator.clearRequests();
    const refused = await ws.tryApply();
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.replace(/\s*\n[\s│]*/g, ' ')).toContain('set adopt: true on this Policy');
    expect((await ws.emulator.requests()).filter((r) => r.method !== 'GET')).toEqual([]);
    await ws.synth(build(500, true));
    await ws.apply();
    expect(await counts()).toEqual(expected(500));
    await ws.destroy();
    expect(await counts()).toEqual({ vaults: [], policies: [] });
  });

  test.each(Array.from({ length: 10 }, (_, i) => i + 1))('seed %i: a re-run converges with exact counts and nothing lost', async (seed) => {
    const rnd = random(seed);
    const size = 100 + seed * 10;
    // Create (or update, from the previous seed's sizes), interrupted at a random point.
    await ws.synth(build(size));
    await ws.killedAfter('apply', 150 + Math.floor(rnd() * 2500), ['-parallelism=2']);
    if (await settle(path.join(ws.dir, 'terraform.tfstate'))) {
      // A lost state: a plain re-run refuses what it cannot prove its own, naming adopt, and writes nothing; adopt converges.
      const refused = await ws.tryApply();
      if (refused.code !== 0) expect(refused.stderr.replace(/\s*\n[\s│]*/g, ' ')).toContain('set adopt: true');
      await ws.synth(build(size, true));
    }
    await ws.apply();
    expect(await counts()).toEqual(expected(size));

    // Every third seed also interrupts a destroy, then finishes it and starts over.
    if (seed % 3 === 0) {
      await ws.killedAfter('destroy', 150 + Math.floor(rnd() * 1500), ['-parallelism=2']);
      await settle(path.join(ws.dir, 'terraform.tfstate'));
      await ws.destroy();
      expect(await counts()).toEqual({ vaults: [], policies: [] });
    }
  });
});
