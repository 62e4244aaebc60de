import * as fs from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { Policy, RemovalPolicy, Retention, Schedule, Vault, VaultObjectType } from '../../src';
import { E2eWorkspace } from '../support/e2e';

jest.setTimeout(600_000);

const VAULTS = 6;
const POLICIES = 2;

function build(size: number) {
  return (scope: Construct) => {
    for (let i = 0; i < VAULTS; i++) {
      new Vault(scope, `V${i}`, { vaultName: `v-${i}`, objectType: VaultObjectType.SERVER, size: size + i, removalPolicy: RemovalPolicy.DESTROY });
    }
    for (let i = 0; i < POLICIES; i++) {
      new Policy(scope, `P${i}`, { policyName: `p-${i}`, schedule: Schedule.fromPatterns([`FREQ=DAILY;INTERVAL=1;BYHOUR=${i};BYMINUTE=0`]), retention: Retention.count(size) });
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
 * backup Terraform keeps, or, when the very first write was cut, start from no state. The re-run
 * must converge from that older state too.
 */
async function settle(stateFile: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 1500));
  try {
    JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    if (fs.existsSync(`${stateFile}.backup`)) fs.copyFileSync(`${stateFile}.backup`, stateFile);
    else fs.rmSync(stateFile);
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

  test.each(Array.from({ length: 10 }, (_, i) => i + 1))('seed %i: a re-run converges with exact counts and nothing lost', async (seed) => {
    const rnd = random(seed);
    const size = 100 + seed * 10;
    // Create (or update, from the previous seed's sizes), interrupted at a random point.
    await ws.synth(build(size));
    await ws.killedAfter('apply', 150 + Math.floor(rnd() * 2500), ['-parallelism=2']);
    await settle(path.join(ws.dir, 'terraform.tfstate'));
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
