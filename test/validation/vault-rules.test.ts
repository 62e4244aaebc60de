import { Lazy } from 'cdktf';
import { CloudType, ConsistentLevel, ProtectType, VaultObjectType } from '../../src';
import {
  billingViolations, BillingRuleInput, CLOUD_TYPES, CONSISTENT_LEVELS, OBJECT_TYPES, PROTECT_TYPES,
  tagCountViolation, tagKeyViolation, tagValueViolation, VaultRuleInput, vaultViolations,
} from '../../src/rules/vault';
import { RuleViolation, violationText } from '../../src/rules/violation';

const POST_PAID: BillingRuleInput = { chargingMode: 'post_paid' };
const PRE_PAID: BillingRuleInput = { chargingMode: 'pre_paid', periodType: 'month', periodNum: 1 };
const BASE: VaultRuleInput = { vaultName: 'prod', objectType: 'server', size: 100, billing: POST_PAID };

const texts = (found: readonly RuleViolation[]): string[] => found.map(violationText);

/** [behaviour, billing, exact messages]. */
const BILLING: [string, BillingRuleInput, string[]][] = [
  ['accepts pay-per-use billing alone', POST_PAID, []],
  ['accepts the 4.5.14 example: pre_paid, month, 1', PRE_PAID, []],
  ['accepts a yearly vault with auto renew and auto pay', {
    chargingMode: 'pre_paid', periodType: 'year', periodNum: 3, autoRenew: true, autoPay: false,
  }, []],
  ['fails when the billing mode is unknown', { chargingMode: 'monthly' }, [
    'chargingMode "monthly" is invalid: the billing mode is post_paid (pay-per-use) or pre_paid (yearly/monthly) (billing.charging_mode, API 4.5.1 table 4-154). Use "post_paid" or "pre_paid".',
  ]],
  ['fails when a pre-paid vault has neither period type nor number', { chargingMode: 'pre_paid' }, [
    'periodType undefined is invalid: a yearly/monthly vault needs period_type, which is mandatory when charging_mode is pre_paid (API 4.5.14 table 4-262). Set periodType to year or month.',
    'periodNum undefined is invalid: a yearly/monthly vault needs period_num, which is mandatory when charging_mode is pre_paid (API 4.5.14 table 4-262). Set periodNum to the number of years or months to buy.',
  ]],
  ['fails when a pre-paid vault has no period number', { chargingMode: 'pre_paid', periodType: 'year' }, [
    'periodNum undefined is invalid: a yearly/monthly vault needs period_num, which is mandatory when charging_mode is pre_paid (API 4.5.14 table 4-262). Set periodNum to the number of years or months to buy.',
  ]],
  ['fails when the period type is a week', { ...PRE_PAID, periodType: 'week' }, [
    'periodType "week" is invalid: period_type is year or month (API 4.5.14 table 4-262). Use "year" or "month".',
  ]],
  ['fails when the period number is 0', { ...PRE_PAID, periodNum: 0 }, [
    'periodNum 0 is invalid: period_num is a whole number of years or months, at least 1 (API 4.5.14 table 4-262). Use a whole number such as 1.',
  ]],
  ['fails when the period number is fractional', { ...PRE_PAID, periodNum: 1.5 }, [
    'periodNum 1.5 is invalid: period_num is a whole number of years or months, at least 1 (API 4.5.14 table 4-262). Use a whole number such as 1.',
  ]],
  ['fails when auto renew is a string', { ...PRE_PAID, autoRenew: 'yes' }, [
    'autoRenew "yes" is invalid: billing.is_auto_renew is true or false (API 4.5.14 table 4-262). Use true or false, or leave autoRenew out.',
  ]],
  ['fails when auto pay is a number', { ...PRE_PAID, autoPay: 1 }, [
    'autoPay 1 is invalid: billing.is_auto_pay is true or false (API 4.5.14 table 4-262). Use true or false, or leave autoPay out.',
  ]],
  ['skips a period number given as a token', { ...PRE_PAID, periodNum: Lazy.numberValue({ produce: () => 0 }) }, []],
];

/** [behaviour, vault props, exact messages]: rules that depend on the billing mode. */
const BY_BILLING: [string, Partial<VaultRuleInput>, string[]][] = [
  ['accepts auto expansion on a pay-per-use vault', { autoExpand: true }, []],
  ['fails when a yearly/monthly vault auto-expands', { autoExpand: true, billing: PRE_PAID }, [
    'autoExpand true is invalid: only pay-per-use vaults support auto capacity expansion (auto_expand, API 4.5.1 table 4-153, 4.5.14 table 4-261). Remove autoExpand, or use pay-per-use billing.',
  ]],
  ['accepts a 255-character description on a yearly/monthly vault (4.5.14)', { description: 'd'.repeat(255), billing: PRE_PAID }, []],
  ['fails when a yearly/monthly description has 256 characters', { description: 'd'.repeat(256), billing: PRE_PAID }, [
    `description "${'d'.repeat(256)}" is invalid: a yearly/monthly vault description has at most 255 characters (API 4.5.14 table 4-261). Shorten it by 1 character.`,
  ]],
  ['fails when a pay-per-use description has 65 characters (4.5.1)', { description: 'd'.repeat(65) }, [
    `description "${'d'.repeat(65)}" is invalid: a vault description has at most 64 characters (API 4.5.1 table 4-153). Shorten it by 1 character.`,
  ]],
  ['reports billing rules after the vault rules', { size: 5, billing: { chargingMode: 'pre_paid', periodType: 'year' } }, [
    'size 5 is invalid: size is a whole number of GB from 10 to 10485760 (API 4.5.1). Use a size in that range.',
    'periodNum undefined is invalid: a yearly/monthly vault needs period_num, which is mandatory when charging_mode is pre_paid (API 4.5.14 table 4-262). Set periodNum to the number of years or months to buy.',
  ]],
];

describe('billing rules (pay-per-use and yearly/monthly)', () => {
  test.each(BILLING)('%s', (_name, billing, messages) => {
    expect(texts(billingViolations(billing))).toEqual(messages);
  });

  test.each(BY_BILLING)('%s', (_name, props, messages) => {
    expect(texts(vaultViolations({ ...BASE, ...props }))).toEqual(messages);
  });
});

describe('vault rules as pure functions', () => {
  test('accept the 4.5.1 example vault', () => {
    expect(vaultViolations({
      vaultName: 'vault_name',
      description: 'vault_description',
      objectType: 'server',
      protectType: 'backup',
      consistentLevel: 'crash_consistent',
      cloudType: 'public',
      size: 100,
      enterpriseProjectId: '0',
      tags: { key01: 'value01' },
      billing: POST_PAID,
    })).toEqual([]);
  });

  test('list every broken rule in a stable order', () => {
    expect(vaultViolations({ ...BASE, vaultName: '', size: 0, threshold: 0, backupNamePrefix: 'p'.repeat(40) }).map(v => v.field))
      .toEqual(['vaultName', 'size', 'threshold', 'backupNamePrefix']);
  });

  test('skip every value given as a token', () => {
    const n = Lazy.numberValue({ produce: () => 0 });
    const s = Lazy.stringValue({ produce: () => '' });
    expect(vaultViolations({
      ...BASE, vaultName: s, size: n, threshold: n, description: s, backupNamePrefix: s, enterpriseProjectId: s, objectType: s,
    })).toEqual([]);
  });

  test('name the enumeration values of the public enums', () => {
    expect(OBJECT_TYPES).toEqual(Object.values(VaultObjectType));
    expect(PROTECT_TYPES).toEqual(Object.values(ProtectType));
    expect(CONSISTENT_LEVELS).toEqual(Object.values(ConsistentLevel));
    expect(CLOUD_TYPES).toEqual(Object.values(CloudType));
  });

  test('enforce no combination of object type with protection type, cloud type or consistency (the reference states none)', () => {
    for (const objectType of OBJECT_TYPES) {
      for (const protectType of PROTECT_TYPES) {
        for (const cloudType of CLOUD_TYPES) {
          for (const consistentLevel of CONSISTENT_LEVELS) {
            expect(vaultViolations({ ...BASE, objectType, protectType, cloudType, consistentLevel })).toEqual([]);
          }
        }
      }
    }
  });
});

describe('tag rules as pure functions', () => {
  test.each([
    ['a key with a space', () => tagKeyViolation('key', 'a b'), 'key "a b" is invalid: a tag key has 1-36 letters, digits, hyphens (-) and underscores (_) (API 4.7.3). Remove the other characters or shorten the key.'],
    ['a key with 37 non-ASCII letters', () => tagKeyViolation('key', '键'.repeat(37)), `key "${'键'.repeat(37)}" is invalid: a tag key has 1-36 letters, digits, hyphens (-) and underscores (_) (API 4.7.3). Remove the other characters or shorten the key.`],
    ['a value with a tab', () => tagValueViolation('value', 'a\tb'), 'value "a\\tb" is invalid: a tag value has 0-43 letters, digits, hyphens (-), underscores (_) and periods (.) (API 4.7.3). Remove the other characters or shorten the value.'],
    ['a 10th user tag on a vault this app created', () => tagCountViolation('key', 'x', Array.from({ length: 9 }, (_, i) => `k${i}`), true, 'vault "prod"'),
      'key "x" is invalid: a vault has at most 10 tags (API 4.7.3, BackupService.6600) and vault "prod" already has 9 besides the ownership tag "cdktf-cbr": k0, k1, k2, k3, k4, k5, k6, k7, k8. Remove a tag from Vault.tags or a VaultTag of this vault.'],
  ])('fails on %s', (_name, check, message) => {
    expect(violationText(check()!)).toBe(message);
  });

  test.each([
    ['36 non-ASCII letters', () => tagKeyViolation('key', '键'.repeat(36))],
    ['a 9th user tag', () => tagCountViolation('key', 'x', Array.from({ length: 8 }, (_, i) => `k${i}`), true, 'vault "prod"')],
    ['a 10th tag on an imported vault', () => tagCountViolation('key', 'x', Array.from({ length: 9 }, (_, i) => `k${i}`), false, 'vault v-1')],
    ['a token key', () => tagKeyViolation('key', Lazy.stringValue({ produce: () => 'a b' }))],
  ])('accepts %s', (_name, check) => {
    expect(check()).toBeUndefined();
  });
});
