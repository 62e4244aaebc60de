import * as path from 'node:path';
import { TerraformVariable, Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Policy, RemovalPolicy, Retention, Schedule, Vault, VaultObjectType } from '../../src';
import { CbrClient } from '../../src/runtime/cbr/client';
import { main } from '../../src/runtime/cli';
import { closeSharedAgent } from '../../src/runtime/http/transport';
import { readSettings } from '../../src/runtime/settings';
import { E2eWorkspace } from '../support/e2e';

jest.setTimeout(300_000);

interface Values {
  readonly size: number;
  readonly threshold: number;
  readonly name: string;
  readonly team: string;
  readonly pattern: string;
  readonly policy: string;
}

const GOOD: Values = { size: 50, threshold: 80, name: 'vars-prod', team: 'platform', pattern: 'FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0', policy: 'vars-nightly' };

/** The stack, with every checked value either a Terraform variable (known at apply) or a literal. */
function build(scope: Construct, literal?: Values): void {
  const v = (name: keyof Values, type: 'number' | 'string') => new TerraformVariable(scope, name, { type, default: GOOD[name] });
  const size = literal ? literal.size : v('size', 'number').numberValue;
  const threshold = literal ? literal.threshold : v('threshold', 'number').numberValue;
  const name = literal ? literal.name : v('name', 'string').stringValue;
  const team = literal ? literal.team : v('team', 'string').stringValue;
  const pattern = literal ? literal.pattern : v('pattern', 'string').stringValue;
  const policyName = literal ? literal.policy : v('policy', 'string').stringValue;
  const prod = new Vault(scope, 'Prod', {
    vaultName: name, objectType: VaultObjectType.SERVER, size, threshold, tags: { team }, removalPolicy: RemovalPolicy.DESTROY,
  });
  prod.attachPolicy(new Policy(scope, 'Nightly', { policyName, schedule: Schedule.fromPatterns([pattern]), retention: Retention.count(7) }));
}

/** What synth says of the same value given as a literal, without the stack's name. */
function synthMessage(values: Values): string {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'backup');
  try {
    build(stack, values);
    Testing.synth(stack);
  } catch (err) {
    return (err as Error).message.replace(/^backup\//, '');
  }
  throw new Error(`synth accepted ${JSON.stringify(values)}`);
}

describe('values known only at apply get the synth rules in the hook, before any API call', () => {
  let ws: E2eWorkspace;
  beforeAll(async () => {
    ws = await E2eWorkspace.create('vars');
    await ws.synth((stack) => build(stack));
    await ws.apply();
  });
  afterAll(async () => {
    await ws?.destroy();
    await ws?.dispose();
  });

  const cases: Array<[string, Partial<Values>, string]> = [
    ['size 5', { size: 5 }, 'vault'],
    ['threshold 0', { threshold: 0 }, 'vault'],
    ['a vault name of 65 characters', { name: 'n'.repeat(65) }, 'vault'],
    ['a tag value with a space', { team: 'plat form' }, 'tag'],
    ['a schedule with runs 30 minutes apart', { pattern: 'FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0,30' }, 'policy'],
    ['a schedule with an unknown FREQ', { pattern: 'FREQ=HOURLY;INTERVAL=1' }, 'policy'],
    ['a policy name with a space', { policy: 'nightly backup' }, 'policy'],
  ];

  test.each(cases)('fails when -var gives %s: the synth message, and no request reaches the API', async (_what, bad, kind) => {
    const [name, value] = Object.entries(bad)[0];
    const expected = synthMessage({ ...GOOD, ...bad });
    const [at, ...rest] = expected.split(': ');
    // A policy name from a token is claimed under its construct path (cbr_policy_claim), which checks it before the policy hook.
    const where = name === 'policy' ? `path:${at}` : at;
    await ws.emulator.clearRequests();
    const before = await ws.emulator.state();
    const result = await ws.tryApply(['-var', `${name}=${value}`]);
    expect(result.code).not.toBe(0);
    // The hook prints `<kind> <key>: FAILED: <message>`; Terraform may wrap long lines, so compare without line breaks.
    expect(result.stderr.replace(/\s*\n\s*│?\s*/g, ' ')).toContain(`${kind} ${where}: FAILED: ${rest.join(': ')}`);
    expect(await ws.emulator.requests()).toEqual([]);
    expect(await ws.emulator.state()).toEqual(before);
    // The failed entry is tainted; the next apply with valid values converges (nothing was half-done).
    await ws.apply();
    expect((await ws.emulator.state()).vaults.map((x) => x.name)).toEqual(['vars-prod']);
  });

  test('the same variables with valid values are applied', async () => {
    const result = await ws.apply(['-var', 'size=70', '-var', 'team=security']);
    expect(result.hooks).toEqual(expect.arrayContaining([
      expect.stringMatching(/^vault Prod: updated size 50 -> 70/),
      expect.stringMatching(/^tag Prod\/Tag-team: changed team "platform" -> "security"/),
    ]));
    const vault = (await ws.emulator.state()).vaults.find((x) => x.name === 'vars-prod')!;
    expect(vault.billing.size).toBe(70);
  });

  test('drift compares the values as applied, read from the state, not the expressions', async () => {
    let out = '';
    const drift = () => main(['drift', '--app-dir', path.dirname(path.dirname(ws.stackDir))],
      { out: (s) => { out += s; }, err: (s) => { out += s; }, env: { ...process.env, ...ws.hookEnv } });
    expect(await drift()).toBe(0);
    expect(out).toContain('4 declared: 4 in sync, 0 drifted, 0 missing');
    // An operator grows the vault in the console: drift names the applied size, 70, not "${var.size}".
    const vault = (await ws.emulator.state()).vaults.find((x) => x.name === 'vars-prod')!;
    const operator = CbrClient.fromSettings(readSettings(ws.hookEnv));
    await operator.updateVault(vault.id, { vault: { billing: { size: 90 } } });
    await closeSharedAgent();
    out = '';
    expect(await drift()).toBe(2);
    expect(out).toMatch(/size: declared 70, live 90/);
  });
});
