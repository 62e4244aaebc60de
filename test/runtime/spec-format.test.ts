import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import {
  hbr, Policy, ResourceAssociation, Retention, Schedule, Vault, VaultObjectType, VaultResource, VaultTag,
} from '../../src';
import { decodeClaim, decodeSpec, decodeStored } from '../../src/contract/decode';
import { legacyOwnerTag } from '../../src/contract/entries';
import { HookKind, SPEC_FORMAT } from '../../src/contract/specs';
import { specLocals } from '../support/specs';

/** The specs an earlier release stored in Terraform state (format 1: no spec_format field). */
function fixtureSpecs(): Array<[HookKind, string, Record<string, unknown>]> {
  const state = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'upgrade-from-1b83c42', 'terraform.tfstate.json'), 'utf8'));
  return state.resources.flatMap((r: any) => r.instances.map((i: any) =>
    [r.name.replace(/^cbr_/, ''), i.index_key, i.attributes.triggers_replace.value]));
}

/** The id of terraform_data.cbr_deployment, which Terraform merges into every format-3 spec. */
const DEPLOYMENT = '5f0c8a3e-2b7d-4c1a-9e6f-0d4b8a7c3e21';
const KINDS: readonly HookKind[] = ['vault', 'policy', 'attachment', 'association', 'tag', 'client'];
const NEWER_FIELD = 'this entry may have been written by a newer cdktf-cbr; upgrade';

/** A stack with one object of every kind. */
const STACK = (() => {
  const stack = new TerraformStack(Testing.app(), 'formats');
  const vault = new Vault(stack, 'Prod', { vaultName: 'formats-prod', objectType: VaultObjectType.SERVER, size: 100 });
  vault.attachPolicy(new Policy(stack, 'Nightly', {
    policyName: 'formats-nightly', schedule: Schedule.fromPatterns(['FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0']), retention: Retention.count(7),
  }));
  new ResourceAssociation(stack, 'Web', { vault, resources: [VaultResource.server('srv-1')] });
  new VaultTag(stack, 'Team', { vault, key: 'team', value: 'platform' });
  new hbr.BackupClient(stack, 'Agents', { vaultId: 'v-0001ufe000000kgm', instanceIds: ['i-1'] });
  return stack;
})();

/** One spec of every kind as this release synthesizes it (format 4, its entry's parts joined, without the deployment Terraform gives the entry). */
const SYNTHESIZED: Record<HookKind, Record<string, unknown>> = (() => {
  const locals = specLocals(JSON.parse(Testing.synth(STACK)));
  return Object.fromEntries(KINDS.map((kind) => {
    const specs = Object.values(locals[`cbr_${kind}_specs`]) as Array<Record<string, unknown>>;
    expect(specs).toHaveLength(1);
    return [kind, specs[0]];
  })) as Record<HookKind, Record<string, unknown>>;
})();

/** The entry of each kind as its delete hook receives it: `[input, [deployment, identity]]`, the parts as synthesized. */
const STORED: Record<HookKind, string> = (() => {
  const json = JSON.parse(Testing.synth(STACK));
  return Object.fromEntries(KINDS.map((kind) => {
    const [key] = Object.keys(json.locals[`cbr_${kind}_inputs`]);
    return [kind, JSON.stringify([json.locals[`cbr_${kind}_inputs`][key], [DEPLOYMENT, json.locals[`cbr_${kind}_identities`][key]]])];
  })) as Record<HookKind, string>;
})();

/** A kind's spec as the hooks decode it (its entry's parts joined, with the deployment), with some fields changed (undefined removes one). */
function deployed(kind: HookKind, changes: Record<string, unknown> = {}): Record<string, unknown> {
  const spec: Record<string, unknown> = { ...SYNTHESIZED[kind], deployment: DEPLOYMENT, ...changes };
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete spec[k];
  return spec;
}

describe('spec formats', () => {
  test('this release writes format 4', () => {
    expect(SPEC_FORMAT).toBe(4);
    for (const kind of KINDS) expect([kind, SYNTHESIZED[kind].spec_format]).toEqual([kind, 4]);
  });

  test.each(fixtureSpecs())('decodes the format 1 %s spec %s that the release before spec formats stored in state', (kind, _key, spec) => {
    expect(spec.spec_format).toBeUndefined();
    // Every object of an earlier release is where the terraform run is.
    expect(decodeSpec(kind, spec)).toEqual(kind === 'client' ? spec : { ...spec, region: '', project_id: '' });
  });

  test('decodes the same specs in format 2', () => {
    for (const [kind, , spec] of fixtureSpecs()) expect(decodeSpec(kind, { spec_format: 2, ...spec })).toMatchObject({ spec_format: 2, ...spec });
  });

  test('fails when an entry was written in a newer format, naming the fix', () => {
    const [kind, , spec] = fixtureSpecs()[0];
    const message = 'spec.spec_format 5: this entry was written by a newer cdktf-cbr (this one reads spec formats 1-4); upgrade cdktf-cbr';
    expect(() => decodeSpec(kind, { spec_format: 5, ...spec })).toThrow(message);
    expect(() => decodeSpec('vault', { ...deployed('vault'), spec_format: 5 })).toThrow(message);
    const [input, triggers] = JSON.parse(STORED.vault);
    expect(() => decodeStored('vault', 'Prod', [JSON.stringify({ ...JSON.parse(input), spec_format: 5 }), triggers])).toThrow(message);
  });

  test.each([[1], ['2'], [2.5], [null]])('fails when spec_format is %j', (format) => {
    const [kind, , spec] = fixtureSpecs()[0];
    expect(() => decodeSpec(kind, { spec_format: format, ...spec })).toThrow(`spec.spec_format ${JSON.stringify(format)} is not a whole number from 2`);
  });
});

describe('format 4', () => {
  test.each(KINDS)('decodes the %s spec this release synthesizes, with the deployment Terraform gives its entry', (kind) => {
    const spec = deployed(kind);
    expect(decodeSpec(kind, spec)).toBe(spec);
  });

  test.each(KINDS)('decodes the %s entry a delete hook receives, [input, [deployment, identity]], into that same spec', (kind) => {
    expect(decodeStored(kind, 'K', JSON.parse(STORED[kind]))).toEqual(deployed(kind));
  });

  test('decodes an entry an earlier release wrote, [null, spec], as that release\'s spec', () => {
    for (const [kind, , spec] of fixtureSpecs()) expect(decodeStored(kind, 'K', [null, spec])).toEqual({ ...spec, region: '', project_id: '' });
  });

  test('vaults of the stack are named by construct path; a vault stores neither owner nor legacy_owner', () => {
    expect(SYNTHESIZED.attachment.vault).toEqual({ by: 'path', value: 'Prod', name: 'formats-prod' });
    expect(SYNTHESIZED.association.vault).toEqual({ by: 'path', value: 'Prod', name: 'formats-prod' });
    expect(SYNTHESIZED.tag.vault).toEqual({ by: 'path', value: 'Prod', name: 'formats-prod' });
    expect(SYNTHESIZED.vault).not.toHaveProperty('legacy_owner');
    expect(SYNTHESIZED.vault).not.toHaveProperty('owner');
    // The hook entry derives it (the stack name and the key), and it decodes.
    const withLegacy = deployed('vault', { legacy_owner: legacyOwnerTag('formats', 'Prod') });
    expect(decodeSpec('vault', withLegacy)).toBe(withLegacy);
  });

  test('decodes the format 1 specs of the fixture rewritten in format 3 (legacy_owner, refs by path, deployment)', () => {
    const fixtures = fixtureSpecs();
    // The construct path of each fixture vault, by its ownership tag value.
    const pathOf = new Map(fixtures.filter(([kind]) => kind === 'vault').map(([, key, spec]) => [spec.owner, key]));
    expect(pathOf.size).toBe(2);
    for (const [kind, key, spec] of fixtures) {
      const { owner, vault, ...rest } = spec as Record<string, any>;
      const rewritten: Record<string, unknown> = { spec_format: 3, ...rest, deployment: DEPLOYMENT };
      if (kind === 'vault') rewritten.legacy_owner = owner;
      if (vault) {
        expect(vault.by).toBe('owner');
        rewritten.vault = { by: 'path', value: pathOf.get(vault.value), name: vault.name };
      }
      expect([kind, key, decodeSpec(kind, rewritten)]).toEqual([kind, key, { ...rewritten, region: '', project_id: '' }]);
      // Format 3 still requires the legacy tag of a vault: it stored it.
      if (kind === 'vault') {
        const { legacy_owner: _l, ...without } = rewritten;
        expect(() => decodeSpec(kind, without)).toThrow(/^spec\.legacy_owner is missing$/);
      }
    }
  });

  test.each(KINDS)('fails when the %s spec has no deployment', (kind) => {
    expect(() => decodeSpec(kind, deployed(kind, { deployment: undefined }))).toThrow(/^spec\.deployment is missing$/);
  });

  test.each([[''], [42], [null]])('fails when deployment is %j', (value) => {
    expect(() => decodeSpec('policy', deployed('policy', { deployment: value })))
      .toThrow(`spec.deployment ${JSON.stringify(value)} is not ${value === '' ? 'a string of 1-255 characters' : 'a string'}`);
  });

  test('fails when a vault spec has owner (formats 1-2 only)', () => {
    expect(() => decodeSpec('vault', deployed('vault', { owner: 'o-c867df78491e5468853b7c393f6494809b704ab8' })))
      .toThrow(`unknown field spec.owner: ${NEWER_FIELD}`);
  });

  test('fails when an entry holds a field no release wrote, in either part', () => {
    const [input, [deployment, identity]] = JSON.parse(STORED.tag);
    expect(() => decodeStored('tag', 'K', [JSON.stringify({ ...JSON.parse(input), colour: 'red' }), [deployment, identity]]))
      .toThrow(`unknown field spec.colour: ${NEWER_FIELD}`);
    expect(() => decodeStored('tag', 'K', [input, [deployment, JSON.stringify({ ...JSON.parse(identity), colour: 'red' })]]))
      .toThrow(`unknown field spec.colour: ${NEWER_FIELD}`);
  });

  test.each(['attachment', 'association', 'tag'] as const)('fails when the %s spec names its vault by owner (formats 1-2 only)', (kind) => {
    expect(() => decodeSpec(kind, deployed(kind, { vault: { by: 'owner', value: 'o-1', name: 'formats-prod' } })))
      .toThrow('spec.vault.by "owner" is not one of "path", "id", "name"');
  });
});

describe('format 3 vault refs', () => {
  test('fails when an imported vault id or name is longer than the API takes; a construct path may be longer', () => {
    const long = 'v'.repeat(256);
    for (const by of ['id', 'name']) {
      expect(() => decodeSpec('tag', deployed('tag', { vault: { by, value: long, name: '' } })))
        .toThrow(`spec.vault.value "${'v'.repeat(78)}… (256 characters) is not a string of 1-255 characters`);
    }
    const deep = `${'Team/'.repeat(60)}Prod`;
    expect(decodeSpec('tag', deployed('tag', { vault: { by: 'path', value: deep, name: 'prod' } })).vault.value).toBe(deep);
  });
});

describe('formats 1-2 keep their own fields', () => {
  const [vaultSpec] = fixtureSpecs().filter(([kind]) => kind === 'vault').map(([, , spec]) => spec);
  const [tagSpec] = fixtureSpecs().filter(([kind]) => kind === 'tag').map(([, , spec]) => spec);

  test.each([['1 (no spec_format)', {}], ['2', { spec_format: 2 }]])('format %s: a spec with a deployment is refused', (_format, named) => {
    expect(() => decodeSpec('vault', { ...named, ...vaultSpec, deployment: DEPLOYMENT })).toThrow(`unknown field spec.deployment: ${NEWER_FIELD}`);
    expect(() => decodeSpec('tag', { ...named, ...tagSpec, deployment: DEPLOYMENT })).toThrow(`unknown field spec.deployment: ${NEWER_FIELD}`);
  });

  test('format 2: legacy_owner is refused and owner is required', () => {
    expect(() => decodeSpec('vault', { spec_format: 2, ...vaultSpec, legacy_owner: 'o-1' })).toThrow(`unknown field spec.legacy_owner: ${NEWER_FIELD}`);
    const { owner: _owner, ...withoutOwner } = vaultSpec;
    expect(() => decodeSpec('vault', { spec_format: 2, ...withoutOwner })).toThrow(/^spec\.owner is missing$/);
  });

  test('format 2: a vault ref by path is refused', () => {
    expect(() => decodeSpec('tag', { spec_format: 2, ...tagSpec, vault: { by: 'path', value: 'Scratch', name: 'up-scratch' } }))
      .toThrow('spec.vault.by "path" is not one of "owner", "id", "name"');
  });
});

describe('decodeClaim', () => {
  const claim = { spec_format: 3, name: 'nightly', adopt: false, deployment: 'd' };
  const RULE = 'is invalid: a policy name has 1-64 letters, digits, underscores (_) and hyphens (-) (API 4.8.1). Remove the other characters or shorten the name.';

  test('accepts a format-3 claim as the claim table passes it', () => {
    expect(decodeClaim(claim)).toBe(claim);
    const adopting = { ...claim, adopt: true, deployment: DEPLOYMENT };
    expect(decodeClaim(adopting)).toBe(adopting);
  });

  test('refuses formats before 3, which had no claims', () => {
    const message = 'spec.spec_format 2 is not a whole number from 3 (policy-name claims exist from format 3 on)';
    expect(() => decodeClaim({ ...claim, spec_format: 2 })).toThrow(message);
    const { deployment: _d, ...format2 } = claim;
    expect(() => decodeClaim({ ...format2, spec_format: 2 })).toThrow(message);
    expect(() => decodeClaim({ name: 'nightly', adopt: false })).toThrow('spec.spec_format 1 is not a whole number from 3 (policy-name claims exist from format 3 on)');
  });

  test('refuses a newer format, naming the fix', () => {
    expect(decodeClaim({ ...claim, spec_format: 4 })).toEqual({ ...claim, spec_format: 4 });
    expect(() => decodeClaim({ ...claim, spec_format: 5 }))
      .toThrow('spec.spec_format 5: this entry was written by a newer cdktf-cbr (this one reads spec formats 1-4); upgrade cdktf-cbr');
  });

  test.each([['bad name!'], ['n'.repeat(65)], [''], ['path:Team/Weekly']])('refuses the policy name %j with the synth rule', (name) => {
    expect(() => decodeClaim({ ...claim, name })).toThrow(`policyName ${JSON.stringify(name)} ${RULE}`);
  });

  test('refuses a claim without deployment, with adopt that is not a boolean, or with another field', () => {
    const { deployment: _d, ...undeployed } = claim;
    expect(() => decodeClaim(undeployed)).toThrow(/^spec\.deployment is missing$/);
    expect(() => decodeClaim({ ...claim, adopt: 'true' })).toThrow('spec.adopt "true" is not true or false');
    expect(() => decodeClaim({ ...claim, removal_policy: 'destroy' })).toThrow(`unknown field spec.removal_policy: ${NEWER_FIELD}`);
    expect(() => decodeClaim([claim])).toThrow('is not an object');
  });
});
