import { TerraformStack, Testing } from 'cdktf';
import { IVault, Vault, VaultObjectType, VaultTag } from '../../src';

const KEY_RULE = 'a tag key has 1-36 letters, digits, hyphens (-) and underscores (_) (API 4.7.3). Remove the other characters or shorten the key.';
const VALUE_RULE = 'a tag value has 0-43 letters, digits, hyphens (-), underscores (_) and periods (.) (API 4.7.3). Remove the other characters or shorten the value.';
const COUNT_FIX = 'Remove a tag from Vault.tags or a VaultTag of this vault.';

function setup(tags?: Record<string, string>): { stack: TerraformStack; vault: Vault } {
  const stack = new TerraformStack(Testing.app(), 'backup');
  const vault = new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100, tags });
  return { stack, vault };
}

const tags = (n: number, prefix = 'k'): Record<string, string> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i + 1}`, 'x']));

/** [behaviour, key, value, exact message]: one VaultTag on a declared vault. */
const FAILURES: [string, unknown, unknown, string][] = [
  ['fails when the key has a space', 'cost center', 'x', `backup/Tag: key "cost center" is invalid: ${KEY_RULE}`],
  ['fails when the key has 37 characters', 'k'.repeat(37), 'x', `backup/Tag: key "${'k'.repeat(37)}" is invalid: ${KEY_RULE}`],
  ['fails when the key has a forbidden character', 'team/a', 'x', `backup/Tag: key "team/a" is invalid: ${KEY_RULE}`],
  ['fails when the key has a period (values only)', 'team.a', 'x', `backup/Tag: key "team.a" is invalid: ${KEY_RULE}`],
  ['fails when the key is not a string', 7, 'x', `backup/Tag: key 7 is invalid: ${KEY_RULE}`],
  ['fails when the key is empty', '', 'x', 'backup/Tag: key "" is invalid: a tag key cannot be empty (API 4.7.3 table 4-334). Give the tag a key.'],
  ['fails when the key has spaces around it (the API would store "env")', ' env ', 'x',
    'backup/Tag: key " env " is invalid: the API discards spaces before and after a tag key (API 4.7.3 table 4-334), so this tag would be stored as "env" and never match this declaration. Remove the spaces.'],
  ['fails when the key is the ownership tag', 'cdktf-cbr', 'x',
    'backup/Tag: key "cdktf-cbr" is invalid: the key "cdktf-cbr" marks the vaults this library created. Use another key.'],
  ['fails when the value has 44 characters', 'team', 'v'.repeat(44), `backup/Tag: value "${'v'.repeat(44)}" is invalid: ${VALUE_RULE}`],
  ['fails when the value has a slash', 'team', 'a/b', `backup/Tag: value "a/b" is invalid: ${VALUE_RULE}`],
  ['fails when the value has a comma', 'team', 'a,b', `backup/Tag: value "a,b" is invalid: ${VALUE_RULE}`],
  ['fails when the value is not a string', 'team', 5, `backup/Tag: value 5 is invalid: ${VALUE_RULE}`],
  ['fails when the value has spaces around it', 'team', ' platform', 'backup/Tag: value " platform" is invalid: the API discards spaces before and after a tag value (API 4.7.3 table 4-334), so this tag would be stored as "platform" and never match this declaration. Remove the spaces.'],
];

/** [behaviour, key, value]: valid. */
const VALID: [string, string, string][] = [
  ['accepts a 36-character key and a 43-character value', 'k'.repeat(36), 'v'.repeat(43)],
  ['accepts an empty value', 'team', ''],
  ['accepts non-ASCII letters', '环境', '生产'],
  ['accepts periods, hyphens and underscores in values', 'version', 'v1.2-rc_3'],
];

describe('VaultTag validation', () => {
  test.each(FAILURES)('%s', (_name, key, value, message) => {
    const { stack, vault } = setup();
    expect(() => new VaultTag(stack, 'Tag', { vault, key: key as string, value: value as string })).toThrow(new Error(message));
  });

  test.each(VALID)('%s', (_name, key, value) => {
    const { stack, vault } = setup();
    expect(() => new VaultTag(stack, 'Tag', { vault, key, value })).not.toThrow();
  });

  test('fails at the tag\'s path when Vault.tags has a bad key', () => {
    expect(() => setup({ 'team': 'a', 'cost center': 'x' })).toThrow(new Error(`backup/Prod/Tag-cost center: key "cost center" is invalid: ${KEY_RULE}`));
  });

  test('fails when Vault.tags has a bad value', () => {
    expect(() => setup({ team: 'a*b' })).toThrow(new Error(`backup/Prod/Tag-team: value "a*b" is invalid: ${VALUE_RULE}`));
  });
});

describe('tags per vault', () => {
  test('fails when addTag() adds a 10th tag to a vault with 9 in Vault.tags', () => {
    const { vault } = setup(tags(9));
    expect(() => vault.addTag('extra', 'x')).toThrow(new Error(
      'backup/Prod/Tag-extra: key "extra" is invalid: a vault has at most 10 tags (API 4.7.3, BackupService.6600) and vault "prod" already has 9 besides the ownership tag "cdktf-cbr": k1, k2, k3, k4, k5, k6, k7, k8, k9. '
      + COUNT_FIX));
  });

  test('fails when VaultTag constructs and Vault.tags together exceed 9', () => {
    const { stack, vault } = setup(tags(5));
    for (const key of ['a', 'b', 'c', 'd']) new VaultTag(stack, `Tag-${key}`, { vault, key, value: 'x' });
    expect(() => new VaultTag(stack, 'Tag-e', { vault, key: 'e', value: 'x' })).toThrow(new Error(
      'backup/Tag-e: key "e" is invalid: a vault has at most 10 tags (API 4.7.3, BackupService.6600) and vault "prod" already has 9 besides the ownership tag "cdktf-cbr": k1, k2, k3, k4, k5, a, b, c, d. '
      + COUNT_FIX));
  });

  test('counts tags per vault, not per app', () => {
    const { stack } = setup(tags(9));
    const other = new Vault(stack, 'Other', { vaultName: 'other', objectType: VaultObjectType.DISK, size: 40, tags: tags(9) });
    expect(other.node.findAll().filter(c => c instanceof VaultTag)).toHaveLength(9);
  });

  test('lets an imported vault take 10 tags from this app (it has no ownership tag)', () => {
    const { stack } = setup();
    const legacy: IVault = Vault.fromVaultId(stack, 'Legacy', 'a8b2c0d4-0000-4000-8000-000000000001');
    for (let i = 1; i <= 10; i++) new VaultTag(stack, `T${i}`, { vault: legacy, key: `k${i}`, value: 'x' });
    expect(() => new VaultTag(stack, 'T11', { vault: legacy, key: 'k11', value: 'x' })).toThrow(new Error(
      'backup/T11: key "k11" is invalid: a vault has at most 10 tags (API 4.7.3, BackupService.6600) and this app already sets 10 on vault a8b2c0d4-0000-4000-8000-000000000001: k1, k2, k3, k4, k5, k6, k7, k8, k9, k10. '
      + COUNT_FIX));
  });

  test('counts the same imported vault once however often it is imported', () => {
    const { stack } = setup();
    const a = Vault.fromVaultName(stack, 'A', 'legacy');
    const b = Vault.fromVaultName(stack, 'B', 'legacy');
    for (let i = 1; i <= 10; i++) new VaultTag(stack, `T${i}`, { vault: i % 2 ? a : b, key: `k${i}`, value: 'x' });
    expect(() => new VaultTag(stack, 'T11', { vault: a, key: 'k11', value: 'x' })).toThrow(/this app already sets 10 on vault "legacy"/);
  });

  test('fails on a duplicate key before counting it', () => {
    const { stack, vault } = setup(tags(9));
    expect(() => new VaultTag(stack, 'Again', { vault, key: 'k1', value: 'y' })).toThrow(new Error(
      'backup/Again: key "k1" is invalid: tag "k1" of vault "prod" is already managed by backup/Prod/Tag-k1, and two constructs cannot manage one cloud object. Declare each tag key once: either in Vault.tags or as a VaultTag.'));
  });
});
