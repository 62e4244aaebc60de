import type * as z from 'zod/mini';
import { entrySpec } from './entries';
import { DEPLOYED, KEY_PROBLEM, LEGACY, POLICY_CLAIM, SPLIT } from './schemas';
import type { AssociationSpec, AttachmentSpec, BackupClientSpec, PolicyClaimSpec, PolicySpec, TagSpec, VaultSpec } from './schemas';
import { SPEC_FORMAT } from './specs';
import type { HookKind } from './specs';
import { isPlainObject } from '../api/table';
import { backupClientViolations } from '../rules/backup-client';
import { HBR_HOME, locationViolation } from '../rules/location';
import { policyNameViolation } from '../rules/policy';
import { tagKeyViolation, tagValueViolation, vaultViolations } from '../rules/vault';
import { RuleViolation, violationText } from '../rules/violation';
import { show } from '../schedule/format';
import { validateOperationDefinition } from '../schedule/operation-definition';
import { scheduleMessage, validateSchedulePatterns } from '../schedule/schedule-rules';

/**
 * The decoder the hook runs on the spec it gets in CBR_SPEC before acting: it parses the JSON with
 * the schema of its kind and format (schemas.ts) and returns it typed, or throws a SpecError whose
 * one line names the field, the value received and what was expected. A spec that fails never
 * reaches a handler, so no client is built and no API call is made.
 *
 * First the shape: field types, lengths and counts. Then the rules synth checks, by the constructs'
 * own rule functions (vault props, tags, schedule, retention, HBR clients), so a value that was a
 * token at synth gets the same checks and message as a literal.
 *
 * Specs outlive the release that wrote them (a delete hook gets the spec stored in the state), so
 * each names its format (`spec_format`) and there are schemas for every format this library has
 * written (FORMATS); a newer format is refused.
 */

/** A spec that this release cannot act on; the message names the field, the value and what was expected. */
export class SpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpecError';
  }
}

/** How much of a value a message shows. */
const MAX_SHOWN = 80;

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

/** `spec.vault.by`, `spec.pattern[2]`: a path as messages name it. */
function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : member(text, String(key))), 'spec');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, k) => (isPlainObject(v) || Array.isArray(v) ? (v as Record<PropertyKey, unknown>)[k] : undefined), root);
}

/**
 * The problem the hook reports, worded as `<field> <value> is not <what the schema expects>`. zod
 * finds every problem, children before their parent's own (a list's length, an object's unknown
 * fields); the first one reported is the first zod found, or the problem of an object or list
 * that holds it, so that a spec is read top-down, as a reader reads it.
 */
function problem(issues: readonly z.core.$ZodIssue[], root: unknown): SpecError {
  const first = issues[0];
  const holders = issues.filter((i) => i.path.length < first.path.length && i.path.every((k, n) => k === first.path[n]));
  const issue = holders.reduce((a, b) => (b.path.length < a.path.length ? b : a), first);
  if (issue.code === 'unrecognized_keys') {
    return new SpecError(`unknown field ${member(pathText(issue.path), issue.keys[0])}: this entry may have been written by a newer cdktf-cbr; upgrade`);
  }
  const parent = valueAt(root, issue.path.slice(0, -1));
  const key = issue.path[issue.path.length - 1];
  if ((issue as { params?: Record<string, unknown> }).params?.[KEY_PROBLEM]) {
    return new SpecError(`${pathText(issue.path.slice(0, -1))} key ${preview(key)} is not ${issue.message}`);
  }
  if (issue.path.length > 0 && isPlainObject(parent) && !Object.prototype.hasOwnProperty.call(parent, key)) {
    return new SpecError(`${pathText(issue.path)} is missing`);
  }
  return new SpecError(`${pathText(issue.path)} ${preview(valueAt(root, issue.path))} is not ${issue.message}`);
}

/** Parses `value` with `schema`, or throws the problem the hook reports. */
function parse<S extends z.ZodMiniType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw problem(parsed.error.issues, value);
  return parsed.data;
}

/** A rule function's verdict, worded as `violationText` words it, about the value at `path`. */
function broken(path: string, v: RuleViolation): SpecError {
  return new SpecError(violationText({ ...v, field: path, value: typeof v.value === 'string' ? clipped(v.value) : v.value }));
}

/** Every rule synth checks on a vault's props, on the resolved values, the field named as the construct's prop. */
function vaultRules(s: VaultSpec): void {
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
}

/** The schedule and retention rules synth checks, on the resolved patterns and definition. */
function policyRules(spec: PolicySpec): void {
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
    throw new SpecError(`spec.operation_definition: ${(err as Error).message}`);
  }
}

function tagRules(spec: TagSpec): void {
  const v = tagKeyViolation('key', spec.key) ?? tagValueViolation('value', spec.value);
  if (v) throw broken(v.field, v);
}

/** The BackupClient rules synth checks, on the resolved spec ('' is "not set" in a spec). */
function backupClientRules(s: BackupClientSpec): void {
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
}

/** The spec type of each kind. */
export interface SpecOf {
  vault: VaultSpec;
  policy: PolicySpec;
  attachment: AttachmentSpec;
  association: AssociationSpec;
  tag: TagSpec;
  client: BackupClientSpec;
}

/** The rules each kind's spec must keep once its shape is right; relations have none beyond the shape. */
const RULES: { readonly [K in HookKind]?: (spec: SpecOf[K]) => void } = {
  vault: vaultRules,
  policy: policyRules,
  tag: tagRules,
  client: backupClientRules,
};

/**
 * One set of schemas per spec format (SPEC_FORMAT): formats 1 and 2 have the same fields (2 only
 * names itself); format 3 identifies objects by deployment; format 4 is format 3 split over an
 * entry's two parts, joined again before it is parsed (decodeStored). A format that changes a field gets
 * schemas of its own (schemas.ts), and the handlers read every shape the schemas admit.
 */
const FORMATS: Readonly<Record<number, Readonly<Record<HookKind, z.ZodMiniType>>>> = {
  1: LEGACY,
  2: LEGACY,
  3: DEPLOYED,
  4: SPLIT,
};

/**
 * The spec of a `kind` hook in any format this release reads, checked; throws a SpecError naming
 * the first problem. `rules: false` checks the shape only (see ruleProblem).
 */
export function decodeSpec<K extends HookKind>(kind: K, value: unknown, opts: { rules?: boolean } = {}): SpecOf[K] {
  const { version, fields } = specFormat(value);
  parse(FORMATS[version][kind], fields);
  if (opts.rules ?? true) checkRules(kind, fields as SpecOf[K]);
  // Before format 4 every object was where the terraform run was: '' as a format-4 spec says it.
  if (version < 4) return { ...(value as object), region: '', ...(kind === 'client' ? {} : { project_id: '' }) } as unknown as SpecOf[K];
  return value as unknown as SpecOf[K];
}

function checkRules<K extends HookKind>(kind: K, spec: SpecOf[K]): void {
  (RULES[kind] as ((s: SpecOf[K]) => void) | undefined)?.(spec);
  locationRule(spec as Located, kind === 'client' ? HBR_HOME : undefined);
}

type Located = { readonly region?: string; readonly project_id?: string };

/** A region or project from a Terraform variable meets, at apply, the rule a literal meets at synth ('' is the terraform run's). */
function locationRule(spec: Located, home?: string): void {
  const where = locationViolation({ region: spec.region, projectId: spec.project_id }, { region: 'region', projectId: 'project_id' }, [undefined, ''], home);
  if (where) throw broken(where.field, where);
}

/**
 * The rule a decoded spec breaks, or undefined. A delete hook reads its entry with the shape
 * checked only, then asks this: the hook entry applies no spec that breaks a rule, so such an
 * entry's object was never made by it (its value came from a variable), and nothing is deleted.
 */
export function ruleProblem<K extends HookKind>(kind: K, spec: SpecOf[K]): string | undefined {
  const { spec_format: _format, ...fields } = spec as Record<string, unknown>;
  try {
    checkRules(kind, fields as SpecOf[K]);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The spec of a policy-name claim (format 3 on), checked like decodeSpec. */
export function decodeClaim(value: unknown): PolicyClaimSpec {
  const { version, fields } = specFormat(value);
  if (version < 3) fail('spec.spec_format', version, 'a whole number from 3 (policy-name claims exist from format 3 on)');
  const claim = parse(POLICY_CLAIM, fields);
  const name = policyNameViolation('policyName', claim.name);
  if (name) throw broken(name.field, name);
  locationRule(claim);
  return value as unknown as PolicyClaimSpec;
}

/** The format a spec names (1 when it names none), and its other fields; refuses formats this release cannot read. */
function specFormat(value: unknown): { version: number; fields: Record<string, unknown> } {
  if (!isPlainObject(value)) fail('spec', value, 'an object');
  const { spec_format: format, ...fields } = value;
  if (format !== undefined && !(Number.isInteger(format) && (format as number) >= 2)) fail('spec.spec_format', format, 'a whole number from 2');
  const version = (format as number | undefined) ?? 1;
  if (!FORMATS[version]) {
    throw new SpecError(`spec.spec_format ${version}: this entry was written by a newer cdktf-cbr (this one reads spec formats 1-${SPEC_FORMAT}); upgrade cdktf-cbr`);
  }
  return { version, fields };
}

/** JSON text that must hold an object, for decodeStored. */
function objectIn(text: unknown, path: string): Record<string, unknown> {
  if (typeof text !== 'string') fail(path, text, 'JSON text of an object');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    fail(path, text, 'JSON text of an object');
  }
  if (!isPlainObject(value)) fail(path, value, 'an object');
  return value;
}

/**
 * The spec of one entry as a provisioner passes it, `jsonencode([self.input, self.triggers_replace])`:
 * from format 4 on `["<input JSON>", ["<deployment>", "<identity JSON>"]]` (layout.ts); an entry
 * written by an earlier release is `[null, <spec>]`, its spec whole in `triggers_replace`. `extra`
 * adds what only the hook entry knows (the stack name, for a vault's legacy tag). Checked like decodeSpec.
 */
export function decodeStored<K extends HookKind>(
  kind: K, key: string, value: unknown, extra: { stack?: string } = {}, opts: { rules?: boolean } = {},
): SpecOf[K] {
  if (!Array.isArray(value) || value.length !== 2) fail('spec', value, 'the pair [input, triggers_replace] of an entry');
  const [input, triggers] = value;
  if (input === null && isPlainObject(triggers)) return decodeSpec(kind, triggers, opts);
  if (!Array.isArray(triggers) || triggers.length !== 2 || typeof triggers[0] !== 'string') {
    fail('spec.triggers_replace', triggers, 'the pair [deployment, identity JSON]');
  }
  const spec = entrySpec(kind, key, objectIn(input, 'spec.input'), objectIn(triggers[1], 'spec.triggers_replace[1]'), { deployment: triggers[0], ...extra });
  return decodeSpec(kind, spec, opts);
}
