import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeSpec } from '../../src/runtime/decode';
import { HookKind, SPEC_FORMAT } from '../../src/runtime/specs';

/** The specs an earlier release stored in Terraform state (format 1: no spec_format field). */
function fixtureSpecs(): Array<[HookKind, string, Record<string, unknown>]> {
  const state = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'upgrade-from-1b83c42', 'terraform.tfstate.json'), 'utf8'));
  return state.resources.flatMap((r: any) => r.instances.map((i: any) =>
    [r.name.replace(/^cbr_/, ''), i.index_key, i.attributes.triggers_replace.value]));
}

describe('spec formats', () => {
  test('this release writes format 2', () => {
    expect(SPEC_FORMAT).toBe(2);
  });

  test.each(fixtureSpecs())('decodes the format 1 %s spec %s that the release before spec formats stored in state', (kind, _key, spec) => {
    expect(spec.spec_format).toBeUndefined();
    expect(decodeSpec(kind, spec)).toEqual(spec);
  });

  test('decodes the same specs in format 2', () => {
    for (const [kind, , spec] of fixtureSpecs()) expect(decodeSpec(kind, { spec_format: 2, ...spec })).toEqual({ spec_format: 2, ...spec });
  });

  test('fails when an entry was written in a newer format, naming the fix', () => {
    const [kind, , spec] = fixtureSpecs()[0];
    expect(() => decodeSpec(kind, { spec_format: 3, ...spec })).toThrow(
      'spec.spec_format 3: this entry was written by a newer cdktf-cbr (this one reads spec formats 1-2); upgrade cdktf-cbr');
  });

  test.each([[1], ['2'], [2.5], [null]])('fails when spec_format is %j', (format) => {
    const [kind, , spec] = fixtureSpecs()[0];
    expect(() => decodeSpec(kind, { spec_format: format, ...spec })).toThrow(`spec.spec_format ${JSON.stringify(format)} is not a whole number from 2`);
  });
});
