import * as z from 'zod/mini';
import { MAX_BIND_RULES, MAX_VAULT_TAGS, TAG_KEY_CHARS, TAG_KEY_MAX_LENGTH, TAG_VALUE_CHARS, TAG_VALUE_MAX_LENGTH } from './catalog';
import { CBR_ERRORS } from '../errors';
import { array, boolean, charLength, Check, object, required, string } from '../table';

/**
 * Vault tags (4.7): the tag of a vault (4-157), the bind rules of auto-binding (4-158, 4-159) and
 * the requests of the tag APIs 4.7.1-4.7.5. Each tag API bounds its fields in its own words:
 * 4.7.2 "The character set of the tags will not be verified. A key and a value can individually
 * consist of up to 127 and 255 characters"; 4.7.3 applies the lengths and character sets of 4-157.
 */

const tagKeyCheck: Check = (raw) => {
  const v = raw.trim();
  if (v === '') return 'cannot be an empty string';
  if (charLength(v) > TAG_KEY_MAX_LENGTH) return `can contain a maximum of ${TAG_KEY_MAX_LENGTH} characters`;
  if (!TAG_KEY_CHARS.test(v)) return 'can contain only letters, digits, hyphens (-), and underscores (_)';
  return undefined;
};

const tagValueCheck: Check = (raw) => {
  const v = raw.trim();
  if (charLength(v) > TAG_VALUE_MAX_LENGTH) return `can contain a maximum of ${TAG_VALUE_MAX_LENGTH} characters`;
  if (!TAG_VALUE_CHARS.test(v)) return 'can contain only letters, digits, hyphens (-), underscores (_), and periods (.)';
  return undefined;
};

/** Table 4-159 BindRulesTags: same character sets as tags, no length limits stated. */
const bindRuleKeyCheck: Check = (v) =>
  (v === '' || !TAG_KEY_CHARS.test(v) ? 'can contain only letters, digits, hyphens (-), and underscores (_)' : undefined);
const bindRuleValueCheck: Check = (v) =>
  (!TAG_VALUE_CHARS.test(v) ? 'can contain only letters, digits, periods (.), hyphens (-), and underscores (_)' : undefined);

/** Table 4-157 Tag. */
export const TAG = object({
  key: required(string({ check: tagKeyCheck })),
  value: required(string({ check: tagValueCheck })),
});
export type Tag = z.input<typeof TAG>;

/** Table 4-159 BindRulesTags. */
const BIND_RULES_TAG = object({
  key: required(string({ check: bindRuleKeyCheck })),
  value: required(string({ check: bindRuleValueCheck })),
});

/** Table 4-158 VaultBindRules. */
export const VAULT_BIND_RULES = object({
  tags: array(BIND_RULES_TAG, { min: 0, max: MAX_BIND_RULES }),
});

/** Vault tags in a list of tags (10 at most, keys unique), as 4.5.1 and 4.5.14 take them. */
export const VAULT_TAGS = array(TAG, { min: 1, max: MAX_VAULT_TAGS, code: CBR_ERRORS.MAX_TAGS });

// ---- 4.7.2 -------------------------------------------------------------------------------

const trimmed = (max: number, allowEmpty: boolean): Check => (raw) => {
  const v = raw.trim();
  if (!allowEmpty && v === '') return 'cannot be left blank or be an empty string';
  if (charLength(v) > max) return `can contain a maximum of ${max} characters`;
  return undefined;
};

const SYS_TAGS = array(object({ key: required(string()), value: required(string()) }));

/** Table 4-328 with 4-329 as 4.7.2's own text bounds it: lengths 127/255, no character set. */
export const BATCH_TAGS_CREATE = object({
  tags: array(object({
    key: required(string({ check: trimmed(127, false) })),
    value: required(string({ check: trimmed(255, true) })),
  }), { min: 1, max: MAX_VAULT_TAGS, code: CBR_ERRORS.MAX_TAGS }),
  sys_tags: SYS_TAGS,
  action: required(string({ enum: ['create', 'delete'] })),
});
/** Table 4-328 for action delete: a tag's value may be left out. */
export const BATCH_TAGS_DELETE = object({
  tags: array(object({
    key: required(string({ check: trimmed(127, false) })),
    value: string({ check: trimmed(255, true) }),
  }), { min: 1, max: MAX_VAULT_TAGS }),
  sys_tags: SYS_TAGS,
  action: required(string({ enum: ['create', 'delete'] })),
});

// ---- 4.7.3 -------------------------------------------------------------------------------

/** Table 4-333/4-334 (the "tag" row is marked optional, but there is nothing to add without it). */
export const ADD_TAG = object({ tag: required(TAG) });

// ---- 4.7.1 -------------------------------------------------------------------------------

/** Table 4-312 TagsReq: key up to 127 characters; up to 10 unique values of up to 255. */
const TAGS_REQ = object({
  key: required(string({ check: trimmed(127, false) })),
  values: required(array(string({
    check: (v) => {
      const t = v.trim();
      if (charLength(t) > 255) return 'can contain a maximum of 255 characters';
      if (t !== '' && /^\*+$/.test(t)) return 'cannot contain only asterisks';
      return undefined;
    },
  }), { min: 0, max: 10 })),
});
const TAG_FILTER = array(TAGS_REQ, { min: 1, max: 10 });

/** A numeric string (limit and offset are Strings in Table 4-311). */
const digits = (min: number, max?: number): Check => (v) =>
  (/^\d+$/.test(v) && Number(v) >= min && (max === undefined || Number(v) <= max)
    ? undefined : `must be a whole number ${max === undefined ? `of at least ${min}` : `from ${min} to ${max}`}`);

/** Table 4-311. */
export const RESOURCE_INSTANCES = object({
  without_any_tag: boolean(),
  tags: TAG_FILTER,
  tags_any: TAG_FILTER,
  not_tags: TAG_FILTER,
  not_tags_any: TAG_FILTER,
  sys_tags: array(object({ key: required(string()), values: required(array(string())) }), { min: 1 }),
  limit: string({ check: digits(1, 1000) }),
  offset: string({ check: digits(0) }),
  action: required(string({ enum: ['filter', 'count'] })),
  matches: array(object({
    key: required(string({ enum: ['resource_name'] })),
    value: required(string({ max: 255 })),
  }), { min: 0, max: 1 }),
  cloud_type: string({ enum: ['public', 'hybrid'] }),
  object_type: string({ enum: ['server', 'disk'] }),
});
