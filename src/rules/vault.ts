import { isToken } from './tokens';
import type { RuleViolation } from './violation';
import {
  CHARGING_MODES, CLOUD_TYPES, CONSISTENT_LEVELS, MAX_BIND_RULES, MAX_VAULT_TAGS, OBJECT_TYPES, PERIOD_TYPES, PROTECT_TYPES,
  TAG_KEY_CHARS, TAG_KEY_MAX_LENGTH, TAG_VALUE_CHARS, TAG_VALUE_MAX_LENGTH, THRESHOLD_PERCENT, VAULT_SIZE_GB,
} from '../api/cbr/catalog';
import { OWNER_TAG_KEY } from '../contract/specs';

/**
 * The rules the CBR API reference states for a vault and its tags, as pure functions: each takes
 * plain values and returns the rules they break (field as the construct names it, value received,
 * rule with its reference, fix), in a stable order. Constructs throw the first one with their path.
 *
 * References: 4.5.1 Creating a Vault (tables 4-153 VaultCreate, 4-154 BillingCreate, 4-157 Tag,
 * 4-158 VaultBindRules, 4-159 BindRulesTags), 4.5.4 Modifying a Vault (4-202, 4-203), 4.5.14
 * Creating a Yearly/Monthly Vault (4-261 VaultOrder, 4-262 BillingCreate), 4.7.2/4.7.3 tags
 * (4-328, 4-334), error code BackupService.6600 (too many tags).
 *
 * Values that are unresolved tokens are never checked here: the API checks them at apply time.
 *
 * Not enforced, because the reference states no such rule for creating a vault: any combination
 * of object_type with protect_type, cloud_type or consistent_level (the spec codes of 4.11.1 and
 * the error codes hint at some, e.g. BackupService.6136 "Backup policies cannot be applied with
 * hybrid cloud backup vaults", which concerns applying a policy, not the vault).
 */

// The enumerations and limits are the API's, read from src/api so that synth, the hook's decoder
// and the emulator's request tables agree.
export { CHARGING_MODES, CLOUD_TYPES, CONSISTENT_LEVELS, MAX_BIND_RULES, OBJECT_TYPES, PERIOD_TYPES, PROTECT_TYPES } from '../api/cbr/catalog';
const REMOVAL_POLICIES: readonly string[] = ['retain', 'destroy'];

/** Vault.tags takes one tag less than a vault carries: the library keeps its ownership tag on the vaults it creates. */
const MAX_USER_TAGS = MAX_VAULT_TAGS - 1;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Billing of a vault (VaultBilling). Pay-per-use vaults set only `chargingMode: 'post_paid'`. */
export interface BillingRuleInput {
  /** charging_mode: post_paid or pre_paid. */
  readonly chargingMode: unknown;
  /** period_type (pre_paid): year or month. */
  readonly periodType?: unknown;
  /** period_num (pre_paid): how many years or months. */
  readonly periodNum?: unknown;
  /** is_auto_renew. */
  readonly autoRenew?: unknown;
  /** is_auto_pay. */
  readonly autoPay?: unknown;
}

/** The props of a Vault as the rules see them (the construct's prop names). */
export interface VaultRuleInput {
  readonly vaultName: unknown;
  readonly description?: unknown;
  readonly objectType: unknown;
  readonly protectType?: unknown;
  readonly consistentLevel?: unknown;
  readonly cloudType?: unknown;
  readonly size: unknown;
  readonly isMultiAz?: unknown;
  readonly autoExpand?: unknown;
  readonly autoBind?: unknown;
  readonly bindRules?: unknown;
  readonly threshold?: unknown;
  readonly smnNotify?: unknown;
  readonly backupNamePrefix?: unknown;
  readonly enterpriseProjectId?: unknown;
  readonly tags?: unknown;
  readonly removalPolicy?: unknown;
  readonly billing: BillingRuleInput;
}

/** Characters as the API counts them (code points, not UTF-16 units). */
function chars(s: string): number {
  return [...s].length;
}

function isWhole(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Collects violations, skipping tokens. */
class Rules {
  readonly found: RuleViolation[] = [];

  /** Records a violation unless `ok` or the value is a token. */
  check(field: string, value: unknown, ok: boolean, rule: string, fix: string): void {
    if (ok || isToken(value)) return;
    this.found.push({ field, value, rule, fix });
  }

  oneOf(field: string, value: unknown, allowed: readonly string[], rule: string, fix: string): void {
    if (value === undefined) return;
    this.check(field, value, typeof value === 'string' && allowed.includes(value), rule, fix);
  }

  bool(field: string, value: unknown, rule: string): void {
    if (value === undefined) return;
    this.check(field, value, typeof value === 'boolean', rule, `Use true or false, or leave ${field} out.`);
  }

  /** A string of at most `max` characters. */
  text(field: string, value: unknown, max: number, rule: string): void {
    if (value === undefined) return;
    if (typeof value !== 'string') {
      this.check(field, value, false, rule, `Use a string of at most ${max} characters.`);
      return;
    }
    const n = chars(value);
    this.check(field, value, n <= max, rule, `Shorten it by ${n - max} character${n - max === 1 ? '' : 's'}.`);
  }
}

/** Every rule a vault's props break, in a stable order (the first is what synth reports). */
export function vaultViolations(v: VaultRuleInput): RuleViolation[] {
  const r = new Rules();
  const prePaid = v.billing.chargingMode === 'pre_paid';

  const name = v.vaultName;
  r.check('vaultName', name, typeof name === 'string' && chars(name) >= 1 && chars(name) <= 64,
    'a vault name has 1-64 characters (API 4.5.1 table 4-153, 4.5.4 table 4-202)',
    name === '' ? 'Give a name, or leave vaultName out for a generated one.' : 'Use a string of at most 64 characters.');
  if (prePaid) {
    r.text('description', v.description, 255, 'a yearly/monthly vault description has at most 255 characters (API 4.5.14 table 4-261)');
  } else {
    r.text('description', v.description, 64, 'a vault description has at most 64 characters (API 4.5.1 table 4-153)');
  }

  r.check('objectType', v.objectType, typeof v.objectType === 'string' && OBJECT_TYPES.includes(v.objectType),
    `the object type is one of ${OBJECT_TYPES.join(', ')} (billing.object_type, API 4.5.1 table 4-154)`,
    'Use a VaultObjectType value, e.g. VaultObjectType.SERVER.');
  r.oneOf('protectType', v.protectType, PROTECT_TYPES,
    'the protection type is backup or replication (billing.protect_type, API 4.5.1 table 4-154)',
    'Use ProtectType.BACKUP or ProtectType.REPLICATION.');
  r.oneOf('consistentLevel', v.consistentLevel, CONSISTENT_LEVELS,
    'the vault specification is crash_consistent or app_consistent (billing.consistent_level, API 4.5.1 table 4-154)',
    'Use ConsistentLevel.CRASH_CONSISTENT or ConsistentLevel.APP_CONSISTENT.');
  r.oneOf('cloudType', v.cloudType, CLOUD_TYPES,
    'the cloud type is public or hybrid (billing.cloud_type, API 4.5.1 table 4-154)',
    'Use CloudType.PUBLIC or CloudType.HYBRID.');

  r.check('size', v.size, isWhole(v.size) && v.size >= VAULT_SIZE_GB.min && v.size <= VAULT_SIZE_GB.max,
    `size is a whole number of GB from ${VAULT_SIZE_GB.min} to ${VAULT_SIZE_GB.max} (API 4.5.1)`, 'Use a size in that range.');
  if (v.threshold !== undefined) {
    r.check('threshold', v.threshold, isWhole(v.threshold) && v.threshold >= THRESHOLD_PERCENT.min && v.threshold <= THRESHOLD_PERCENT.max,
      `threshold is a whole percentage from ${THRESHOLD_PERCENT.min} to ${THRESHOLD_PERCENT.max} (API 4.5.1)`, 'Use a value in that range, or omit it for 80.');
  }

  r.bool('isMultiAz', v.isMultiAz, 'billing.is_multi_az is true or false (API 4.5.1 table 4-154)');
  r.bool('autoExpand', v.autoExpand, 'auto_expand is true or false (API 4.5.1 table 4-153)');
  r.bool('autoBind', v.autoBind, 'auto_bind is true or false (API 4.5.1 table 4-153)');
  r.bool('smnNotify', v.smnNotify, 'smn_notify is true or false (API 4.5.1 table 4-153)');
  if (v.autoExpand === true) {
    r.check('autoExpand', v.autoExpand, !prePaid,
      'only pay-per-use vaults support auto capacity expansion (auto_expand, API 4.5.1 table 4-153, 4.5.14 table 4-261)',
      'Remove autoExpand, or use pay-per-use billing.');
  }

  r.text('backupNamePrefix', v.backupNamePrefix, 32, 'a backup name prefix has at most 32 characters (backup_name_prefix, API 4.5.1 table 4-153)');
  bindRuleViolations(r, v.bindRules);

  const ep = v.enterpriseProjectId;
  if (ep !== undefined) {
    r.check('enterpriseProjectId', ep, typeof ep === 'string' && (ep === '0' || UUID.test(ep)),
      'an enterprise project ID is "0" (the default enterprise project) or a UUID (API 4.7.2 table 4-328)',
      'Copy the ID from the Enterprise Project Management console, or leave enterpriseProjectId out for "0".');
  }

  if (v.tags !== undefined) {
    r.check('tags', v.tags, isMap(v.tags), 'tags map keys to values (API 4.5.1 table 4-157)', 'Use an object such as { team: "platform" }.');
    if (isMap(v.tags)) {
      const keys = Object.keys(v.tags);
      r.check('tags', keys, keys.length <= MAX_USER_TAGS,
        `a vault has at most ${MAX_VAULT_TAGS} tags (API 4.5.1 table 4-153, 4.7.3) and one is the ownership tag "${OWNER_TAG_KEY}" this library adds, so Vault.tags takes at most ${MAX_USER_TAGS}, got ${keys.length}`,
        `Remove ${keys.length - MAX_USER_TAGS} of them.`);
    }
  }

  r.oneOf('removalPolicy', v.removalPolicy, REMOVAL_POLICIES, 'a removal policy is retain or destroy', 'Use RemovalPolicy.RETAIN or RemovalPolicy.DESTROY.');
  r.found.push(...billingViolations(v.billing));
  return r.found;
}

/** bind_rules: at most 5 (table 4-158); keys and values with the character sets of table 4-159. */
function bindRuleViolations(r: Rules, rules: unknown): void {
  if (rules === undefined) return;
  r.check('bindRules', rules, isMap(rules), 'bind rules map tag keys to tag values (bind_rules.tags, API 4.5.1 table 4-158)',
    'Use an object such as { backup: "daily" }.');
  if (!isMap(rules)) return;
  const keys = Object.keys(rules);
  r.check('bindRules', keys, keys.length <= MAX_BIND_RULES,
    `a vault takes at most ${MAX_BIND_RULES} bind rules, got ${keys.length} (bind_rules.tags, API 4.5.1 table 4-158)`,
    `Remove ${keys.length - MAX_BIND_RULES} of them.`);
  for (const key of keys) {
    // A rule matches resource tags, whose keys are never empty (table 4-157), and the key is mandatory (table 4-159).
    r.check('bindRules key', key, TAG_KEY_CHARS.test(key),
      'a bind rule key has at least one character, and only letters, digits, hyphens (-) and underscores (_) (API 4.5.1 table 4-159)',
      'Use the key of the resource tag to match, without other characters.');
    const value = rules[key];
    r.check(`bindRules[${JSON.stringify(key)}]`, value, typeof value === 'string' && TAG_VALUE_CHARS.test(value),
      'a bind rule value has only letters, digits, periods (.), hyphens (-) and underscores (_) (API 4.5.1 table 4-159)',
      'Remove the other characters.');
  }
}

/**
 * Billing rules: pay-per-use (post_paid, API 4.5.1) or yearly/monthly (pre_paid, API 4.5.14), which
 * needs period_type and period_num. A yearly/monthly vault also may not auto-expand and takes a
 * 255-character description (both checked in vaultViolations).
 */
export function billingViolations(b: BillingRuleInput): RuleViolation[] {
  const r = new Rules();
  r.check('chargingMode', b.chargingMode, typeof b.chargingMode === 'string' && CHARGING_MODES.includes(b.chargingMode),
    'the billing mode is post_paid (pay-per-use) or pre_paid (yearly/monthly) (billing.charging_mode, API 4.5.1 table 4-154)',
    'Use "post_paid" or "pre_paid".');
  const prePaid = b.chargingMode === 'pre_paid';
  if (prePaid) {
    r.check('periodType', b.periodType, b.periodType !== undefined,
      'a yearly/monthly vault needs period_type, which is mandatory when charging_mode is pre_paid (API 4.5.14 table 4-262)',
      'Set periodType to year or month.');
    r.check('periodNum', b.periodNum, b.periodNum !== undefined,
      'a yearly/monthly vault needs period_num, which is mandatory when charging_mode is pre_paid (API 4.5.14 table 4-262)',
      'Set periodNum to the number of years or months to buy.');
  }
  r.oneOf('periodType', b.periodType, PERIOD_TYPES, 'period_type is year or month (API 4.5.14 table 4-262)', 'Use "year" or "month".');
  if (b.periodNum !== undefined) {
    r.check('periodNum', b.periodNum, isWhole(b.periodNum) && b.periodNum >= 1,
      'period_num is a whole number of years or months, at least 1 (API 4.5.14 table 4-262)', 'Use a whole number such as 1.');
  }
  r.bool('autoRenew', b.autoRenew, 'billing.is_auto_renew is true or false (API 4.5.14 table 4-262)');
  r.bool('autoPay', b.autoPay, 'billing.is_auto_pay is true or false (API 4.5.14 table 4-262)');
  return r.found;
}

/**
 * A tag key or value that is fine once trimmed but has spaces around it: the API would store it
 * trimmed, so the declaration would never match. Reports it and returns true.
 */
function paddedTag(r: Rules, field: string, text: unknown, what: 'key' | 'value', rule: (field: string, v: unknown) => RuleViolation | undefined): boolean {
  if (typeof text !== 'string' || text === text.trim() || rule(field, text.trim()) !== undefined) return false;
  r.check(field, text, false,
    `the API discards spaces before and after a tag ${what} (API 4.7.3 table 4-334), so this tag would be stored as "${text.trim()}" and never match this declaration`,
    'Remove the spaces.');
  return true;
}

/** The rule a tag key breaks (4.7.3 table 4-334, 4.5.1 table 4-157), or undefined. */
export function tagKeyViolation(field: string, key: unknown): RuleViolation | undefined {
  const r = new Rules();
  if (paddedTag(r, field, key, 'key', tagKeyViolation)) return r.found[0];
  if (key === '') {
    r.check(field, key, false, 'a tag key cannot be empty (API 4.7.3 table 4-334)', 'Give the tag a key.');
  } else {
    r.check(field, key, typeof key === 'string' && chars(key) <= TAG_KEY_MAX_LENGTH && TAG_KEY_CHARS.test(key),
      `a tag key has 1-${TAG_KEY_MAX_LENGTH} letters, digits, hyphens (-) and underscores (_) (API 4.7.3)`, 'Remove the other characters or shorten the key.');
    r.check(field, key, key !== OWNER_TAG_KEY, `the key "${OWNER_TAG_KEY}" marks the vaults this library created`, 'Use another key.');
  }
  return r.found[0];
}

/** The rule a tag value breaks (4.7.3 table 4-334, 4.5.1 table 4-157), or undefined. */
export function tagValueViolation(field: string, value: unknown): RuleViolation | undefined {
  const r = new Rules();
  if (!paddedTag(r, field, value, 'value', tagValueViolation)) {
    r.check(field, value, typeof value === 'string' && chars(value) <= TAG_VALUE_MAX_LENGTH && TAG_VALUE_CHARS.test(value),
      `a tag value has 0-${TAG_VALUE_MAX_LENGTH} letters, digits, hyphens (-), underscores (_) and periods (.) (API 4.7.3)`, 'Remove the other characters or shorten the value.');
  }
  return r.found[0];
}

/**
 * Whether one more tag fits on a vault that already carries `keys` (declared in this app).
 * A vault this library created (`owned`) also carries the ownership tag, so it takes 9 more;
 * an imported vault takes 10 from this app (tags set outside the app are not known at synth).
 */
export function tagCountViolation(field: string, key: unknown, keys: readonly string[], owned: boolean, vault: string): RuleViolation | undefined {
  const room = owned ? MAX_USER_TAGS : MAX_VAULT_TAGS;
  if (keys.length < room) return undefined;
  const has = owned
    ? `${vault} already has ${keys.length} besides the ownership tag "${OWNER_TAG_KEY}"`
    : `this app already sets ${keys.length} on ${vault}`;
  return {
    field,
    value: key,
    rule: `a vault has at most ${MAX_VAULT_TAGS} tags (API 4.7.3, BackupService.6600) and ${has}: ${keys.join(', ')}`,
    fix: 'Remove a tag from Vault.tags or a VaultTag of this vault.',
  };
}
