import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing, TerraformStack, TerraformVariable } from 'cdktf';
import {
  hbr, Policy, PolicyType, Retention, ResourceAssociation, Schedule, UtcOffset, Vault, VaultBilling, VaultObjectType, VaultResource, VaultTag,
} from '../../src';
import { decodeSpec } from '../../src/contract/decode';
import { splitSpec } from '../../src/contract/layout';
import { HookKind } from '../../src/contract/specs';
import { DEFAULT_HBR_CREDENTIALS } from '../../src/emulator/hbr';
import { emulatorHookEnv } from '../../src/harness/env';
import { executeHook, HookClients } from '../../src/runtime/hook';
import { TestEmulator } from '../emulator/helpers';
import { runHookProcess } from '../support/hook-process';
import { specLocals } from '../support/specs';

/**
 * A hook trusts nothing it is given: unknown actions and kinds, a spec that is not an object, of
 * the wrong shape or out of range all fail with one line naming the problem, exit code 1, and no
 * API call. Each case runs the bundled hook as Terraform runs it, against the emulator, and
 * executeHook in this process with clients that must never be built.
 */

/** Valid specs of every kind, as the constructs synthesize them: one table entry each, by kind. */
const SYNTHESIZED: Record<string, Record<string, any>> = (() => {
  const stack = new TerraformStack(Testing.app(), 'input');
  const vault = new Vault(stack, 'V', { vaultName: 'input-v', objectType: VaultObjectType.SERVER, size: 100, bindRules: { env: 'prod' } });
  new Vault(stack, 'Yearly', { vaultName: 'input-y', objectType: VaultObjectType.DISK, size: 200, billing: VaultBilling.yearly(1, { autoPay: true }) });
  const daily = Schedule.fromPatterns(['FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0']);
  vault.attachPolicy(new Policy(stack, 'P', { policyName: 'input-p', schedule: daily, retention: Retention.count(7) }));
  new Policy(stack, 'LongTerm', {
    policyName: 'input-lt', schedule: daily, retention: Retention.longTerm({ daily: 7, weekly: 4, timezone: UtcOffset.hours(8) }),
  });
  new Policy(stack, 'Rep', {
    policyName: 'input-rep', schedule: daily, policyType: PolicyType.REPLICATION, destinationRegion: 'cn-north-4', destinationProjectId: 'p-dest',
  });
  new ResourceAssociation(stack, 'A', { vault, resources: [VaultResource.server('srv-1', { excludeVolumes: ['vol-1'] })] });
  new VaultTag(stack, 'T', { vault, key: 'team', value: 'platform' });
  new hbr.BackupClient(stack, 'C', { vaultId: 'v-0001ufe000000kgm', instanceIds: ['i-1'] });
  const locals = specLocals(JSON.parse(Testing.synth(stack)));
  return Object.fromEntries(['vault', 'policy', 'attachment', 'association', 'tag', 'client'].map((k) => [k, locals[`cbr_${k}_specs`]]));
})();

/** The id of the stack's terraform_data.cbr_deployment, which Terraform merges into every spec a hook receives. */
const DEPLOYMENT = '5f0c8a3e-2b7d-4c1a-9e6f-0d4b8a7c3e21';

/**
 * The first synthesized spec of a kind as the hook receives it (with the deployment merged in),
 * with some fields changed (undefined removes one).
 */
function spec(kind: HookKind, changes: Record<string, unknown> = {}): string {
  const base = { ...Object.values(SYNTHESIZED[kind])[0], deployment: DEPLOYMENT, ...changes };
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete base[k];
  return JSON.stringify(base);
}

/**
 * The same spec as an entry's delete hook receives it: `[input, [deployment, identity]]`, the two
 * parts as JSON text (src/contract/layout.ts).
 */
function stored(kind: HookKind, changes: Record<string, unknown> = {}): string {
  const { deployment, spec_format: format, ...rest } = JSON.parse(spec(kind, changes));
  const parts = splitSpec(kind, rest, format);
  return JSON.stringify([JSON.stringify(parts.input), [deployment, JSON.stringify(parts.identity)]]);
}

const KINDS = 'policy, vault, attachment, association, tag, client';
const ACTIONS = 'apply, delete, read, diff, claim, order';
/** A policy-name claim as terraform_data.cbr_policy_claim passes it. */
const claim = (changes: Record<string, unknown> = {}) => JSON.stringify({ spec_format: 3, name: 'input-p', adopt: false, deployment: DEPLOYMENT, ...changes });
const notJson = (() => {
  try {
    JSON.parse('not json');
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('unreachable');
})();
const SIZE_RULE = 'is invalid: size is a whole number of GB from 10 to 10485760 (API 4.5.1). Use a size in that range.';
const THRESHOLD_RULE = 'is invalid: threshold is a whole percentage from 1 to 100 (API 4.5.1). Use a value in that range, or omit it for 80.';
const NEWER = 'this entry may have been written by a newer cdktf-cbr; upgrade';
const PATTERN = 'FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0';
const LONG_VALUE = 'a'.repeat(100 * 1024);

/** [what, argv, CBR_SPEC (undefined: unset), the one stderr line]. */
const CASES: Array<[string, string[], string | undefined, string]> = [
  ['action toString', ['toString', 'vault', 'K'], spec('vault'), `vault K: FAILED: unknown action "toString": expected one of ${ACTIONS}`],
  ['action constructor', ['constructor', 'vault', 'K'], spec('vault'), `vault K: FAILED: unknown action "constructor": expected one of ${ACTIONS}`],
  ['action __proto__', ['__proto__', 'vault', 'K'], spec('vault'), `vault K: FAILED: unknown action "__proto__": expected one of ${ACTIONS}`],
  ['action hasOwnProperty', ['hasOwnProperty', 'vault', 'K'], spec('vault'), `vault K: FAILED: unknown action "hasOwnProperty": expected one of ${ACTIONS}`],
  ['unknown action', ['create', 'vault', 'K'], spec('vault'), `vault K: FAILED: unknown action "create": expected one of ${ACTIONS}`],
  ['no arguments', [], spec('vault'), `hook (unknown construct): FAILED: unknown action "": expected one of ${ACTIONS}`],
  ['kind toString', ['diff', 'toString', 'K'], spec('vault'), `toString K: FAILED: unknown kind "toString": expected one of ${KINDS}`],
  ['kind constructor', ['diff', 'constructor', 'K'], spec('vault'), `constructor K: FAILED: unknown kind "constructor": expected one of ${KINDS}`],
  ['kind __proto__', ['delete', '__proto__', 'K'], stored('vault'), `__proto__ K: FAILED: unknown kind "__proto__": expected one of ${KINDS}`],
  ['kind hasOwnProperty', ['read', 'hasOwnProperty', 'K'], spec('vault'), `hasOwnProperty K: FAILED: unknown kind "hasOwnProperty": expected one of ${KINDS}`],
  ['unknown kind', ['diff', 'bucket', 'K'], spec('vault'), `bucket K: FAILED: unknown kind "bucket": expected one of ${KINDS}`],
  ['CBR_SPEC unset', ['diff', 'vault', 'K'], undefined, 'vault K: FAILED: CBR_SPEC is not set: the provisioner passes the entry as jsonencode([self.input, self.triggers_replace])'],
  ['CBR_SPEC not JSON', ['diff', 'vault', 'K'], 'not json', `vault K: FAILED: CBR_SPEC is not valid JSON (${notJson})`],
  ['spec null', ['diff', 'vault', 'K'], 'null', 'vault K: FAILED: spec null is not an object'],
  ['spec []', ['diff', 'vault', 'K'], '[]', 'vault K: FAILED: spec [] is not an object'],
  ['spec "x"', ['diff', 'tag', 'K'], '"x"', 'tag K: FAILED: spec "x" is not an object'],
  ['spec 42', ['diff', 'client', 'K'], '42', 'client K: FAILED: spec 42 is not an object'],
  ['spec {} on delete', ['delete', 'vault', 'K'], '{}', 'vault K: FAILED: spec {} is not the pair [input, triggers_replace] of an entry'],
  ['spec null on an offline delete', ['delete', 'client', 'K'], 'null', 'client K: FAILED: spec null is not the pair [input, triggers_replace] of an entry'],
  ['an earlier release\'s entry without its name', ['delete', 'vault', 'K'], '[null,{}]', 'vault K: FAILED: spec.name is missing'],
  ['entry input not JSON text', ['delete', 'tag', 'K'], JSON.stringify(['{', ['d', '{}']]), 'tag K: FAILED: spec.input "{" is not JSON text of an object'],
  ['entry input a list', ['delete', 'tag', 'K'], JSON.stringify(['[]', ['d', '{}']]), 'tag K: FAILED: spec.input [] is not an object'],
  ['entry triggers without the identity', ['delete', 'tag', 'K'], JSON.stringify(['{}', ['d']]), 'tag K: FAILED: spec.triggers_replace ["d"] is not the pair [deployment, identity JSON]'],
  ['entry identity not an object', ['order', 'vault', 'K'], JSON.stringify(['{}', ['d', '7']]), 'vault K: FAILED: spec.triggers_replace[1] 7 is not an object'],
  ['order for kind policy', ['order', 'policy', 'K'], stored('policy'), 'policy K: FAILED: the order action is for kind vault, not "policy"'],
  ['vault size "10; rm -rf /"', ['diff', 'vault', 'K'], spec('vault', { size: '10; rm -rf /' }), 'vault K: FAILED: spec.size "10; rm -rf /" is not a number'],
  ['vault size -5', ['diff', 'vault', 'K'], spec('vault', { size: -5 }), `vault K: FAILED: size -5 ${SIZE_RULE}`],
  ['vault size 1e308', ['diff', 'vault', 'K'], spec('vault', { size: 1e308 }), `vault K: FAILED: size 1e+308 ${SIZE_RULE}`],
  ['vault size 1e999 (Infinity)', ['diff', 'vault', 'K'], spec('vault').replace(/"size":100/, '"size":1e999'), 'vault K: FAILED: spec.size Infinity is not a number'],
  ['vault size 10.5', ['diff', 'vault', 'K'], spec('vault', { size: 10.5 }), `vault K: FAILED: size 10.5 ${SIZE_RULE}`],
  ['vault threshold 0', ['diff', 'vault', 'K'], spec('vault', { threshold: 0 }), `vault K: FAILED: threshold 0 ${THRESHOLD_RULE}`],
  ['vault threshold 101', ['diff', 'vault', 'K'], spec('vault', { threshold: 101 }), `vault K: FAILED: threshold 101 ${THRESHOLD_RULE}`],
  ['vault name of 65 characters (the synth rule, same message)', ['diff', 'vault', 'K'], spec('vault', { name: 'n'.repeat(65) }),
    `vault K: FAILED: vaultName "${'n'.repeat(65)}" is invalid: a vault name has 1-64 characters (API 4.5.1 table 4-153, 4.5.4 table 4-202). Use a string of at most 64 characters.`],
  ['policy pattern two runs 30 minutes apart (the synth rule)', ['diff', 'policy', 'K'], spec('policy', { pattern: ['FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0,30'] }),
    'policy K: FAILED: schedule runs at 02:00 and 02:30 UTC every day; runs must be at least 1 hour apart (pattern 1 "FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0,30")'],
  ['vault name of 300 characters', ['diff', 'vault', 'K'], spec('vault', { name: 'n'.repeat(300) }),
    `vault K: FAILED: spec.name "${'n'.repeat(78)}… (300 characters) is not a string of at most 255 characters`],
  ['vault removal_policy', ['delete', 'vault', 'K'], stored('vault', { removal_policy: 'DESTROY' }), 'vault K: FAILED: spec.removal_policy "DESTROY" is not one of "retain", "destroy"'],
  ['vault bind_rules value', ['diff', 'vault', 'K'], spec('vault', { bind_rules: { env: 1 } }), 'vault K: FAILED: spec.bind_rules.env 1 is not a string'],
  ['vault unknown field', ['diff', 'vault', 'K'], spec('vault', { encrypted: true }), `vault K: FAILED: unknown field spec.encrypted: ${NEWER}`],
  ['vault unknown field __proto__', ['diff', 'vault', 'K'], spec('vault').replace(/^\{/, '{"__proto__":{"size":5},'), `vault K: FAILED: unknown field spec.__proto__: ${NEWER}`],
  ['vault unknown field with a line break', ['diff', 'vault', 'K'], spec('vault', { 'a\nb': 1 }), `vault K: FAILED: unknown field spec["a\\nb"]: ${NEWER}`],
  ['policy with 1,000 patterns', ['diff', 'policy', 'K'], spec('policy', { pattern: Array(1000).fill(PATTERN) }),
    `policy K: FAILED: spec.pattern ${JSON.stringify(Array(1000).fill(PATTERN)).slice(0, 79)}… (1000 items) is not a list of 1-24 items`],
  ['policy with no pattern', ['diff', 'policy', 'K'], spec('policy', { pattern: [] }), 'policy K: FAILED: spec.pattern [] is not a list of 1-24 items'],
  ['policy pattern not a string', ['diff', 'policy', 'K'], spec('policy', { pattern: [PATTERN, 7] }), 'policy K: FAILED: spec.pattern[1] 7 is not a string'],
  ['policy max_backups out of range', ['diff', 'policy', 'K'], spec('policy', { operation_definition: { max_backups: 1e6 } }),
    'policy K: FAILED: spec.operation_definition: retention max_backups must be -1 (no limit) or an integer from 1 to 99999, got 1000000'],
  ['policy unknown operation_definition field', ['diff', 'policy', 'K'], spec('policy', { operation_definition: { max_backups: 7, keep: 1 } }),
    `policy K: FAILED: unknown field spec.operation_definition.keep: ${NEWER}`],
  ['tag value of 100 KB', ['diff', 'tag', 'K'], spec('tag', { value: LONG_VALUE }),
    `tag K: FAILED: value "${'a'.repeat(75)}…" is invalid: a tag value has 0-43 letters, digits, hyphens (-), underscores (_) and periods (.) (API 4.7.3). Remove the other characters or shorten the value.`],
  ['tag key of 37 characters', ['diff', 'tag', 'K'], spec('tag', { key: 'k'.repeat(37) }),
    `tag K: FAILED: key "${'k'.repeat(37)}" is invalid: a tag key has 1-36 letters, digits, hyphens (-) and underscores (_) (API 4.7.3). Remove the other characters or shorten the key.`],
  ['association without vault ref', ['diff', 'association', 'K'], spec('association', { vault: undefined }), 'association K: FAILED: spec.vault is missing'],
  ['association vault ref by toString', ['delete', 'association', 'K'], stored('association', { vault: { by: 'toString', value: 'x', name: '' } }),
    'association K: FAILED: spec.vault.by "toString" is not one of "path", "id", "name"'],
  ['association vault ref by owner (formats 1-2 only)', ['diff', 'association', 'K'], spec('association', { vault: { by: 'owner', value: 'o-1', name: '' } }),
    'association K: FAILED: spec.vault.by "owner" is not one of "path", "id", "name"'],
  ['spec without deployment, as synthesized (Terraform merges it in)', ['diff', 'vault', 'K'], spec('vault', { deployment: undefined }),
    'vault K: FAILED: spec.deployment is missing'],
  ['empty deployment on delete', ['delete', 'tag', 'K'], stored('tag', { deployment: '' }), 'tag K: FAILED: spec.deployment "" is not a string of 1-255 characters'],
  ['vault size 5 on an order', ['order', 'vault', 'K'], stored('vault', { size: 5 }), `vault K: FAILED: size 5 ${SIZE_RULE}`],
  ['empty deployment', ['diff', 'policy', 'K'], spec('policy', { deployment: '' }), 'policy K: FAILED: spec.deployment "" is not a string of 1-255 characters'],
  ['vault with the format-2 owner field in format 3', ['diff', 'vault', 'K'], spec('vault', { owner: 'o-1' }), `vault K: FAILED: unknown field spec.owner: ${NEWER}`],
  ['format 2 spec with a deployment', ['diff', 'client', 'K'], spec('client', { spec_format: 2, region: undefined }), `client K: FAILED: unknown field spec.deployment: ${NEWER}`],
  ['format 3 spec with a region', ['diff', 'client', 'K'], spec('client', { spec_format: 3 }), `client K: FAILED: unknown field spec.region: ${NEWER}`],
  ['claim for kind vault', ['claim', 'vault', 'K'], spec('vault'), 'vault K: FAILED: the claim action is for kind policy, not "vault"'],
  ['claim for kind toString', ['claim', 'toString', 'K'], claim(), `toString K: FAILED: unknown kind "toString": expected one of ${KINDS}`],
  ['claim in format 2', ['claim', 'policy', 'input-p'], claim({ spec_format: 2, deployment: undefined }),
    'policy input-p: FAILED: spec.spec_format 2 is not a whole number from 3 (policy-name claims exist from format 3 on)'],
  ['claim without deployment', ['claim', 'policy', 'input-p'], claim({ deployment: undefined }), 'policy input-p: FAILED: spec.deployment is missing'],
  ['claim with a policy spec', ['claim', 'policy', 'P'], spec('policy'), `policy P: FAILED: unknown field spec.enabled: ${NEWER}`],
  ['claim of a name the API refuses (the synth rule)', ['claim', 'policy', 'path:P'], claim({ name: 'bad name!' }),
    'policy path:P: FAILED: policyName "bad name!" is invalid: a policy name has 1-64 letters, digits, underscores (_) and hyphens (-) (API 4.8.1). Remove the other characters or shorten the name.'],
  ['claim adopt not a boolean', ['claim', 'policy', 'input-p'], claim({ adopt: 'yes' }), 'policy input-p: FAILED: spec.adopt "yes" is not true or false'],
  ['association resource_ref not a string', ['diff', 'association', 'K'], spec('association', { resource_ref: 42 }),
    'association K: FAILED: spec.resource_ref 42 is not a string'],
  ['attachment policy ref without value', ['diff', 'attachment', 'K'], spec('attachment', { policy: { by: 'name', value: '' } }),
    'attachment K: FAILED: spec.policy.value "" is not a string of 1-255 characters'],
  ['client instance id of the wrong form (the synth rule)', ['diff', 'client', 'K'], spec('client', { instance_ids: ['i-1', 'web-1'] }),
    'client K: FAILED: instanceIds "web-1" is invalid: an ECS instance id looks like "i-bp116lr...". Use the instance ids shown in the ECS console.'],
  ['client instance_ids not a list', ['diff', 'client', 'K'], spec('client', { instance_ids: 'i-1,i-2' }), 'client K: FAILED: spec.instance_ids "i-1,i-2" is not a list'],
];

describe('hook input', () => {
  let emu: TestEmulator;
  let env: NodeJS.ProcessEnv;
  const requests = async () => [...await emu.admin('GET', '/_emulator/requests'), ...await emu.admin('GET', '/_emulator/hbr/requests')];

  beforeAll(async () => {
    emu = await TestEmulator.start();
    env = {
      PATH: process.env.PATH,
      ...emulatorHookEnv(emu.url),
      ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_HBR_CREDENTIALS.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_HBR_CREDENTIALS.accessKeySecret,
      ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou',
      HBR_ENDPOINT: emu.url,
      // Each case in its own process, as with no warm runner: nothing is carried between cases.
      CBR_HOOK_RUNNER: 'off',
    };
  });
  afterAll(async () => { await emu?.close(); });

  test.each(CASES)('%s: the bundled hook fails with one line, exit code 1, and no API call', async (_what, argv, raw, line) => {
    const run = await runHookProcess(raw === undefined ? env : { ...env, CBR_SPEC: raw }, argv);
    expect(run).toEqual({ code: 1, stdout: '', stderr: `${line}\n` });
    expect(await requests()).toEqual([]);
  });

  test.each(CASES)('%s: executeHook builds no client', async (_what, argv, raw, line) => {
    const built: string[] = [];
    const clients: HookClients = {
      cbr: () => { built.push('cbr'); throw new Error('no CBR client may be built'); },
      hbr: () => { built.push('hbr'); throw new Error('no HBR client may be built'); },
    };
    const out: string[] = [];
    const err: string[] = [];
    const hookEnv = raw === undefined ? {} : { CBR_SPEC: raw };
    const code = await executeHook(argv, { env: hookEnv, clients }, { out: (l) => out.push(l), err: (l) => err.push(l) });
    expect({ code, out, err, built }).toEqual({ code: 1, out: [], err: [line], built: [] });
  });

  test('the same hook with a valid spec does call the API (the cases above would see its requests)', async () => {
    const run = await runHookProcess({ ...env, CBR_SPEC: spec('vault') }, ['diff', 'vault', 'V']);
    expect(run).toEqual({ code: 2, stdout: 'vault V: missing\n', stderr: '' });
    expect((await requests()).length).toBeGreaterThan(0);
    await emu.admin('DELETE', '/_emulator/requests');
    const deleted = await runHookProcess({ ...env, CBR_SPEC: stored('tag', { retain_on_destroy: false }) }, ['delete', 'tag', 'T']);
    expect(deleted).toEqual({ code: 0, stdout: 'tag T: already gone (team)\n', stderr: '' });
    expect((await requests()).length).toBeGreaterThan(0);
    await emu.admin('DELETE', '/_emulator/requests');
  });
});

describe('decodeSpec', () => {
  test.each(Object.keys(SYNTHESIZED))('accepts every %s spec the constructs synthesize, as is once Terraform merged in the deployment', (kind) => {
    const specs = Object.values(SYNTHESIZED[kind]);
    expect(specs.length).toBeGreaterThan(0);
    for (const s of specs) {
      const deployed = { ...s, deployment: DEPLOYMENT };
      expect(decodeSpec(kind as HookKind, deployed)).toBe(deployed);
      // The synthesized spec alone is not what a hook receives: it lacks the deployment.
      expect(() => decodeSpec(kind as HookKind, s)).toThrow(/^spec\.deployment is missing$/);
    }
  });

  test('accepts an association whose resource id was an expression at synth (resource_ref)', () => {
    const s = JSON.parse(spec('association', { resource_ref: 'terraform_data.server.id' }));
    expect(decodeSpec('association', s)).toBe(s);
  });

  test('shows at most 80 characters of a value, with the size of what was cut', () => {
    const failure = (kind: HookKind, changes: Record<string, unknown>) => {
      try {
        decodeSpec(kind, JSON.parse(spec(kind, changes)));
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('decoded');
    };
    expect(failure('vault', { description: { nested: 'x'.repeat(500) } })).toBe(`spec.description {"nested":"${'x'.repeat(68)}… is not a string`);
    expect(failure('vault', { bind_rules: { ['k'.repeat(200)]: 7 } })).toBe(`spec.bind_rules["${'k'.repeat(78)}… (200 characters)] 7 is not a string`);
    const huge = 'z'.repeat(100_000);
    for (const [kind, field] of [['vault', 'legacy_owner'], ['policy', 'schedule_summary'], ['tag', 'key'], ['client', 'vault_id'], ['attachment', 'deployment']] as const) {
      expect(failure(kind, { [field]: huge }).length).toBeLessThan(250);
    }
  });
});

describe('the hook entry checks what it is given before any API call', () => {
  let emu: TestEmulator;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const requests = () => emu.admin('GET', '/_emulator/requests');

  /** A stack of one vault whose size is a variable, synthesized into cdk.tf.json, and the hook entry's environment for it. */
  function synthesized(): { configFile: string; digest: string; resolved: (size: unknown) => string } {
    const stack = new TerraformStack(Testing.app(), 'input');
    const size = new TerraformVariable(stack, 'size', { type: 'number' });
    new Vault(stack, 'V', { vaultName: 'input-v', objectType: VaultObjectType.SERVER, size: size.numberValue });
    const json = JSON.parse(Testing.synth(stack));
    const configFile = path.join(dir, 'cdk.tf.json');
    fs.writeFileSync(configFile, JSON.stringify(json));
    const identity = json.locals.cbr_vault_identities.V;
    return {
      configFile,
      digest: json.resource.terraform_data.cbr_hooks.provisioner[0]['local-exec'].environment.CBR_DIGEST,
      resolved: (value) => JSON.stringify({ vault: { V: [JSON.stringify({ spec_format: 4, name: 'input-v', size: value }), identity] } }),
    };
  }

  beforeAll(async () => {
    emu = await TestEmulator.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbr-hook-entry-'));
    env = { PATH: process.env.PATH, ...emulatorHookEnv(emu.url), CBR_HOOK_RUNNER: 'off', CBR_DEPLOYMENT: DEPLOYMENT };
  });
  afterAll(async () => {
    await emu?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('fails when it cannot read the configuration', async () => {
    const run = await runHookProcess(env, ['apply', 'stack', 'input']);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'stack input: FAILED: the synthesized configuration (CBR_CONFIG_FILE is not set) cannot be read; the hook entry runs from terraform apply in the stack\'s folder\n',
    });
    expect(await requests()).toEqual([]);
  });

  test('fails when cdk.tf.json is not the configuration Terraform applies (synthesized again after the plan)', async () => {
    const { configFile, resolved } = synthesized();
    const run = await runHookProcess({ ...env, CBR_CONFIG_FILE: configFile, CBR_DIGEST: '0'.repeat(32), CBR_RESOLVED: resolved(100) }, ['apply', 'stack', 'input']);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `stack input: FAILED: ${configFile} is not the configuration Terraform is applying (it was synthesized again after the plan): ` +
        'synthesize, plan and apply from one cdktf.out, then apply again\n',
    });
    expect(await requests()).toEqual([]);
  });

  test('fails an object whose value known only at apply breaks a synth rule, with the synth rule\'s message', async () => {
    const { configFile, digest, resolved } = synthesized();
    const run = await runHookProcess({ ...env, CBR_CONFIG_FILE: configFile, CBR_DIGEST: digest, CBR_RESOLVED: resolved(5) }, ['apply', 'stack', 'input']);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `vault V: FAILED: size 5 ${SIZE_RULE}\n` +
        'cdktf-cbr: 1 object cannot be applied as declared (vault V); nothing was applied. Fix the values and apply again.\n',
    });
    expect(await requests()).toEqual([]);
  });

  test('fails an object whose values from expressions did not reach it', async () => {
    const { configFile, digest } = synthesized();
    const run = await runHookProcess({ ...env, CBR_CONFIG_FILE: configFile, CBR_DIGEST: digest }, ['apply', 'stack', 'input']);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe('vault V: FAILED: its values from Terraform expressions were not passed to the hook (CBR_RESOLVED)');
    expect(await requests()).toEqual([]);
  });

  test('with a valid entry it creates the vault, and says what it did', async () => {
    const { configFile, digest, resolved } = synthesized();
    const run = await runHookProcess({ ...env, CBR_CONFIG_FILE: configFile, CBR_DIGEST: digest, CBR_RESOLVED: resolved(100) }, ['apply', 'stack', 'input']);
    expect(run).toEqual({
      code: 0,
      stdout: expect.stringMatching(/^vault V: created [0-9a-f-]{36} \(input-v, 100 GB\)\ncdktf-cbr: 1 object: 1 changed, 0 unchanged\n$/),
      stderr: '',
    });
    expect((await requests()).length).toBeGreaterThan(0);
  });
});
