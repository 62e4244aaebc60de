import { ENTRY_FIELDS } from '../../src/contract/layout';
import { POLICY_FROZEN_FIELDS } from '../../src/runtime/handlers/policy';
import { VAULT_FIELD_UPDATABLE } from '../../src/runtime/handlers/vault';

/**
 * The entry layout (src/contract/layout.ts) decides what Terraform plans as an in-place update and
 * what as a replacement; the handlers decide what the hook entry updates through the API. The two
 * must say the same, or a plan would show as an update a change the apply refuses, or as a
 * replacement one the API makes in place.
 */
/** Where an object lives: another region or project is another object. */
const LOCATION = ['region', 'project_id'];
const identity = (kind: keyof typeof ENTRY_FIELDS) => Object.keys(ENTRY_FIELDS[kind]).filter((f) => ENTRY_FIELDS[kind][f].identity).sort();

describe('the entry layout and the handlers agree', () => {
  test('a vault field is in the entry\'s input exactly when 4.5.4 updates it, or it is this library\'s own setting', () => {
    const own = ['removal_policy', 'adopt'];
    const updatable = Object.keys(VAULT_FIELD_UPDATABLE).filter((f) => VAULT_FIELD_UPDATABLE[f]);
    const inputs = Object.keys(ENTRY_FIELDS.vault).filter((f) => !ENTRY_FIELDS.vault[f].identity);
    expect(inputs.sort()).toEqual([...updatable, ...own].sort());
    // Every field the hook compares is in the layout, and what it cannot update replaces the entry.
    for (const field of Object.keys(VAULT_FIELD_UPDATABLE)) expect([field, field in ENTRY_FIELDS.vault]).toEqual([field, true]);
    expect(identity('vault')).toEqual(expect.arrayContaining(Object.keys(VAULT_FIELD_UPDATABLE).filter((f) => !VAULT_FIELD_UPDATABLE[f])));
  });

  test('a policy field 4.8.4 cannot update replaces its entry; the name does too, and the hook entry renames the policy in place', () => {
    expect(identity('policy')).toEqual([...POLICY_FROZEN_FIELDS, 'name', ...LOCATION].sort());
  });

  test('every CBR object is identified by its region and project, an HBR client by its region', () => {
    for (const kind of ['vault', 'policy', 'attachment', 'association', 'tag'] as const) expect([kind, identity(kind)]).toEqual([kind, expect.arrayContaining(LOCATION)]);
    expect(identity('client')).toContain('region');
    expect(identity('client')).not.toContain('project_id');
  });
});
