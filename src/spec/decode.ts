import { SPEC_FORMAT } from './specs';
import type { AssociationSpec, AttachmentSpec, ClientSpec, HookKind, PolicyClaimSpec, PolicySpec, TagSpec, VaultSpec } from './specs';
import { backupClientViolations } from '../constructs/private/backup-client-rules';
import { policyNameViolation } from '../constructs/private/policy-rules';
import { MAX_BIND_RULES, tagKeyViolation, tagValueViolation, vaultViolations } from '../constructs/private/vault-rules';
import { show } from '../schedule/format';
import { REPLICATION_FIELDS, RETENTION_FIELDS, validateOperationDefinition } from '../schedule/operation-definition';
import { MAX_PATTERNS, scheduleMessage, validateSchedulePatterns } from '../schedule/schedule-rules';
import { RuleViolation, violationText } from '../schedule/violation';

/**
 * Decoders of the specs that reach a hook in CBR_SPEC: each takes the parsed JSON, checks it has
 * the shape of its spec interface (specs.ts) and the bounds the API documents, and returns it typed,
 * or throws a SpecError whose one line names the field, the value received and what was expected.
 * A spec that fails never reaches a handler, so no client is built and no API call is made.
 *
 * First the shape: field types, lengths and counts. Then the rules synth checks, by the constructs'
 * own rule functions (vault props, tags, schedule, retention, HBR clients), so a value that was a
 * token at synth gets the same checks and message as a literal.
 *
 * Every field of a spec is present (specs.ts), except those marked optional there. An unknown field
 * is refused: this release would not know what it means. Specs outlive the release that wrote them
 * (a delete hook gets the spec stored in the state), so each names its format (`spec_format`) and
 * there is one decoder per format this library has written (DECODERS); a newer format is refused.
 */

/** A spec that this release cannot act on; the message names the field, the value and what was expected. */
export class SpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpecError';
  }
}

/** Strings the API receives: names, ids, descriptions, patterns (the longest the API documents is 255). */
const MAX_TEXT = 255;
/** Strings never sent to the API: summaries for reviewers, expression text. */
const MAX_NOTE = 16_384;
/** How much of a value a message shows. */
const MAX_SHOWN = 80;

/** Checks one value found at `path`: throws a SpecError when it is not what the spec says. */
type Check = (value: unknown, path: string) => void;

/** A value for a message: JSON, cut to MAX_SHOWN characters, with the size of what was cut. */
export function preview(value: unknown): string {
  const shown = [...show(value)];
  if (shown.length <= MAX_SHOWN) return shown.join('');
  const size = typeof value === 'string' ? ` (${[...value].length} characters)` : Array.isArray(value) ? ` (${value.length} items)` : '';
  return `${shown.slice(0, MAX_SHOWN - 1).join('')}…${size}`;
}

/** A string cut so that its JSON form fits in MAX_SHOWN characters. */
function clipped(value: string): string {
  if (JSON.stringify(value).length <= MAX_SHOWN) return value;
  const chars = [...value].slice(0, MAX_SHOWN - 3);
  while (JSON.stringify(chars.join('')).length > MAX_SHOWN - 3) chars.pop();
  return `${chars.join('')}…`;
}

function fail(path: string, value: unknown, expected: string): never {
  throw new SpecError(`${path} ${preview(value)} is not ${expected}`);
}

/** The path of a member: `.name` for plain names, `["odd key"]` otherwise. */
function member(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(key) ? `${path}.${key}` : `${path}[${preview(key)}]`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function has(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

const text = (max = MAX_TEXT, min = 0): Check => (value, path) => {
  if (typeof value !== 'string') fail(path, value, 'a string');
  if (value.length < min || (value.length > max && [...value].length > max)) {
    fail(path, value, min > 0 ? `a string of ${min}-${max} characters` : `a string of at most ${max} characters`);
  }
};
/** Any string: a rule function bounds it. */
const anyText = text(Number.POSITIVE_INFINITY);

const bool: Check = (value, path) => {
  if (typeof value !== 'boolean') fail(path, value, 'true or false');
};

/** Any finite number; its range is left to a rule. */
const num: Check = (value, path) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, value, 'a number');
};

const whole = (min: number, max = Number.MAX_SAFE_INTEGER): Check => (value, path) => {
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(path, value, 'a whole number');
  if (value < min || value > max) fail(path, value, `a whole number from ${min} to ${max}`);
};

const oneOf = (...allowed: string[]): Check => (value, path) => {
  if (typeof value !== 'string' || !allowed.includes(value)) fail(path, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
};

const list = (item: Check, min = 0, max = Number.MAX_SAFE_INTEGER): Check => (value, path) => {
  if (!Array.isArray(value)) fail(path, value, 'a list');
  if (value.length < min || value.length > max) {
    fail(path, value, max === Number.MAX_SAFE_INTEGER ? `a list of at least ${min} items` : `a list of ${min}-${max} items`);
  }
  value.forEach((v, i) => item(v, `${path}[${i}]`));
};

/** An object of string values (tag key to tag value). */
const stringMap = (maxEntries: number): Check => (value, path) => {
  if (!isObject(value)) fail(path, value, 'an object');
  const keys = Object.keys(value);
  if (keys.length > maxEntries) fail(path, value, `an object of at most ${maxEntries} entries`);
  for (const key of keys) {
    text()(key, `${path} key`);
    text()(value[key], member(path, key));
  }
};

/** A rule function's verdict, worded as `violationText` words it, about the value at `path`. */
function broken(path: string, v: RuleViolation): SpecError {
  return new SpecError(violationText({ ...v, field: path, value: typeof v.value === 'string' ? clipped(v.value) : v.value }));
}

/** A check followed by a rule function's verdict, which names the field as synth does. */
const ruled = (check: Check, rule: (value: any) => RuleViolation | undefined): Check => (value, path) => {
  check(value, path);
  const v = rule(value);
  if (v) throw broken(v.field, v);
};

/** An object with exactly these fields (those in `optional` may be absent). */
const record = (fields: Record<string, Check>, optional: readonly string[] = []): Check => (value, path) => {
  if (!isObject(value)) fail(path, value, 'an object');
  for (const key of Object.keys(value)) {
    if (!has(fields, key)) {
      throw new SpecError(`unknown field ${member(path, key)}: this entry may have been written by a newer cdktf-cbr; upgrade`);
    }
  }
  for (const [key, check] of Object.entries(fields)) {
    if (has(value, key)) check(value[key], member(path, key));
    else if (!optional.includes(key)) throw new SpecError(`${member(path, key)} is missing`);
  }
};

const removalPolicy = oneOf('retain', 'destroy');
/** Formats 1-2 name a vault of the stack by its ownership tag (`owner`); format 3 by construct path. */
const legacyVaultRef = record({ by: oneOf('owner', 'id', 'name'), value: text(MAX_TEXT, 1), name: text() });
const vaultRefFields = record({ by: oneOf('path', 'id', 'name'), value: text(MAX_NOTE, 1), name: text() });
/** A construct path is no API value and may be long; an id or a name is sent to the API. */
const vaultRef: Check = (value, path) => {
  vaultRefFields(value, path);
  const ref = value as { by: string; value: string };
  if (ref.by !== 'path') text(MAX_TEXT, 1)(ref.value, `${path}.value`);
};
/** The id of the stack's anchor that Terraform merges into every format-3 spec (specs.ts `Deployed`). */
const deployment = text(MAX_TEXT, 1);

/** The vault fields every format has; formats differ in how the vault is identified. */
const VAULT_COMMON: Record<string, Check> = {
  name: text(),
  description: text(),
  object_type: text(),
  protect_type: text(),
  consistent_level: text(),
  cloud_type: text(),
  charging_mode: text(),
  period_type: text(),
  period_num: whole(0),
  is_auto_renew: bool,
  is_auto_pay: bool,
  size: num,
  is_multi_az: bool,
  auto_expand: bool,
  auto_bind: bool,
  bind_rules: stringMap(MAX_BIND_RULES),
  threshold: num,
  smn_notify: bool,
  backup_name_prefix: text(),
  enterprise_project_id: text(),
  removal_policy: removalPolicy,
  adopt: bool,
};
const LEGACY_VAULT_FIELDS = record({ ...VAULT_COMMON, owner: text(MAX_TEXT, 1) });
const VAULT_FIELDS = record({ ...VAULT_COMMON, legacy_owner: text(MAX_TEXT, 1), deployment });

/**
 * Every rule synth checks on a vault's props, on the resolved values: a prop that was a token at
 * synth (a variable, another resource's attribute) gets exactly the checks and the message a
 * literal gets, before any API call. The field is named as the construct's prop, as at synth.
 */
const vault = (fields: Check): Check => (value, path) => {
  fields(value, path);
  const s = value as VaultSpec;
  const prePaid = s.charging_mode === 'pre_paid';
  const [v] = vaultViolations({
    vaultName: s.name,
    description: s.description,
    objectType: s.object_type,
    protectType: s.protect_type,
    consistentLevel: s.consistent_level,
    cloudType: s.cloud_type,
    size: s.size,
    isMultiAz: s.is_multi_az,
    autoExpand: s.auto_expand,
    autoBind: s.auto_bind,
    bindRules: s.bind_rules,
    threshold: s.threshold,
    smnNotify: s.smn_notify,
    backupNamePrefix: s.backup_name_prefix,
    enterpriseProjectId: s.enterprise_project_id,
    removalPolicy: s.removal_policy,
    billing: prePaid
      ? { chargingMode: s.charging_mode, periodType: s.period_type, periodNum: s.period_num, autoRenew: s.is_auto_renew, autoPay: s.is_auto_pay }
      : { chargingMode: s.charging_mode },
  });
  if (v) throw broken(v.field, v);
};

/** PolicyOperationDefinition: every field optional; counts whole, ranges per validateOperationDefinition. */
const OPERATION_DEFINITION = (() => {
  const kinds: Record<string, Check> = { timezone: text(), destination_region: text(), destination_project_id: text(), enable_acceleration: bool };
  const fields = Object.fromEntries([...RETENTION_FIELDS, ...REPLICATION_FIELDS].map((f) => [f, kinds[f] ?? whole(-1)]));
  return record(fields, Object.keys(fields));
})();

const POLICY_COMMON: Record<string, Check> = {
  name: text(),
  operation_type: text(),
  enabled: bool,
  pattern: list(text(MAX_TEXT, 1), 1, MAX_PATTERNS),
  operation_definition: OPERATION_DEFINITION,
  schedule_summary: text(MAX_NOTE),
  retention_summary: text(MAX_NOTE),
  runs_per_week: num,
  max_backups_held: whole(-1),
  removal_policy: removalPolicy,
};

/** The schedule and retention rules synth checks, on the resolved patterns and definition. */
const policy = (fields: Check): Check => (value, path) => {
  fields(value, path);
  const spec = value as PolicySpec;
  const name = policyNameViolation('policyName', spec.name);
  if (name) throw broken(name.field, name);
  try {
    validateSchedulePatterns([...spec.pattern]);
  } catch (err) {
    throw new SpecError(scheduleMessage((err as Error).message));
  }
  try {
    validateOperationDefinition({ ...spec.operation_definition }, spec.operation_type);
  } catch (err) {
    throw new SpecError(`${path}.operation_definition: ${(err as Error).message}`);
  }
};

const ATTACHMENT_COMMON: Record<string, Check> = {
  policy: record({ by: oneOf('name', 'id'), value: text(MAX_TEXT, 1) }),
  operation_type: text(),
  destination_vault_id: text(),
};

const ASSOCIATION_COMMON: Record<string, Check> = {
  resource_id: text(MAX_TEXT, 1),
  resource_ref: text(MAX_NOTE, 1),
  resource_type: text(),
  exclude_volumes: list(text()),
  retain_on_destroy: bool,
};

const TAG_COMMON: Record<string, Check> = {
  key: ruled(anyText, (key: string) => tagKeyViolation('key', key)),
  value: ruled(anyText, (value: string) => tagValueViolation('value', value)),
  retain_on_destroy: bool,
};

const CLIENT_COMMON: Record<string, Check> = {
  vault_id: text(MAX_TEXT, 1),
  instance_ids: list(text(MAX_TEXT, 1)),
  source_types: list(text()),
  cluster_id: text(),
  alert_setting: text(),
  use_https: bool,
  resource_group_id: text(),
  version_policy: oneOf('keep_installed', 'upgrade_to_latest'),
  access_key_id_env: text(),
  access_key_secret_env: text(),
};

/** The BackupClient rules synth checks, on the resolved spec ('' is "not set" in a spec). */
const client = (fields: Check): Check => (value, path) => {
  fields(value, path);
  const s = value as ClientSpec;
  const [v] = backupClientViolations({
    vaultId: s.vault_id,
    instanceIds: s.instance_ids,
    sourceTypes: s.source_types,
    clusterId: s.cluster_id || undefined,
    resourceGroupId: s.resource_group_id || undefined,
    accessKeyIdEnv: s.access_key_id_env || undefined,
    accessKeySecretEnv: s.access_key_secret_env || undefined,
  });
  if (v) throw broken(v.field, v);
};

/** The spec type of each kind. */
export interface SpecOf {
  vault: VaultSpec;
  policy: PolicySpec;
  attachment: AttachmentSpec;
  association: AssociationSpec;
  tag: TagSpec;
  client: ClientSpec;
}

/** Formats 1 (no `spec_format`, written up to 1b83c42) and 2 (names itself): vaults by ownership tag. */
const LEGACY: Readonly<Record<HookKind, Check>> = {
  vault: vault(LEGACY_VAULT_FIELDS),
  policy: policy(record(POLICY_COMMON)),
  attachment: record({ ...ATTACHMENT_COMMON, vault: legacyVaultRef }),
  association: record({ ...ASSOCIATION_COMMON, vault: legacyVaultRef }, ['resource_ref']),
  tag: record({ ...TAG_COMMON, vault: legacyVaultRef }),
  client: client(record(CLIENT_COMMON)),
};

/** Format 3: every spec carries its deployment; vaults of the stack are named by construct path. */
const DEPLOYED: Readonly<Record<HookKind, Check>> = {
  vault: vault(VAULT_FIELDS),
  policy: policy(record({ ...POLICY_COMMON, deployment })),
  attachment: record({ ...ATTACHMENT_COMMON, vault: vaultRef, deployment }),
  association: record({ ...ASSOCIATION_COMMON, vault: vaultRef, deployment }, ['resource_ref']),
  tag: record({ ...TAG_COMMON, vault: vaultRef, deployment }),
  client: client(record({ ...CLIENT_COMMON, deployment })),
};

/**
 * One decoder per spec format (SPEC_FORMAT): formats 1 and 2 have the same fields (2 only names
 * itself); format 3 identifies objects by deployment. A format that changes a field gets a decoder
 * of its own here, and the handlers read every shape the decoders admit (specs.ts).
 */
const DECODERS: Readonly<Record<number, Readonly<Record<HookKind, Check>>>> = {
  1: LEGACY,
  2: LEGACY,
  3: DEPLOYED,
};

/** Policy-name claims exist from format 3 on. */
const POLICY_CLAIM = record({ name: ruled(anyText, (name: string) => policyNameViolation('policyName', name)), adopt: bool, deployment });

/** The spec of a `kind` hook in any format this release reads, checked; throws a SpecError naming the first problem. */
export function decodeSpec<K extends HookKind>(kind: K, value: unknown): SpecOf[K] {
  const { version, fields } = specFormat(value);
  DECODERS[version][kind](fields, 'spec');
  return value as unknown as SpecOf[K];
}

/** The spec of a policy-name claim (format 3 on), checked like decodeSpec. */
export function decodeClaim(value: unknown): PolicyClaimSpec {
  const { version, fields } = specFormat(value);
  if (version < 3) fail('spec.spec_format', version, 'a whole number from 3 (policy-name claims exist from format 3 on)');
  POLICY_CLAIM(fields, 'spec');
  return value as unknown as PolicyClaimSpec;
}

/** The format a spec names (1 when it names none), and its other fields; refuses formats this release cannot read. */
function specFormat(value: unknown): { version: number; fields: Record<string, unknown> } {
  if (!isObject(value)) fail('spec', value, 'an object');
  const { spec_format: format, ...fields } = value;
  if (format !== undefined && !(Number.isInteger(format) && (format as number) >= 2)) fail('spec.spec_format', format, 'a whole number from 2');
  const version = (format as number | undefined) ?? 1;
  if (!DECODERS[version]) {
    throw new SpecError(`spec.spec_format ${version}: this entry was written by a newer cdktf-cbr (this one reads spec formats 1-${SPEC_FORMAT}); upgrade cdktf-cbr`);
  }
  return { version, fields };
}
