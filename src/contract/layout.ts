import type { HookKind } from './specs';

/**
 * How a spec is laid out in its `terraform_data` entry from spec format 4 on. An entry is what a
 * provider's resource is to its cloud object, so that `terraform plan` reads like a provider's:
 *
 * - `input` holds the fields the API changes in place (and this library's own settings, such as
 *   the removal policy): a change there is an in-place update of the entry, shown field by field.
 * - `triggers_replace` holds `[deployment, identity]`: the deployment's id, and the fields that
 *   identify the object or that the API cannot change in place (what a Go provider marks
 *   ForceNew): a change there replaces the entry.
 *
 * Both parts are JSON text, not Terraform objects: Terraform renders a JSON string's change field
 * by field (`jsonencode({ ~ size = 100 -> 200 })`), and an object costs it far more per entry (its
 * type is stored beside every value, and a for_each over a map of objects is unified per instance:
 * a plan of 1,000 vaults took 25 s as objects, 4 s as JSON text). A field at its default is left
 * out, so an entry keeps in state only what was chosen; the decoder puts the defaults back.
 *
 * Every field of every kind is listed once here: synth (hook-table.ts) splits specs with it, the
 * hooks' decoder (decode.ts) and the plan reader (runtime/plan) join them again.
 */
export interface EntryField {
  /** The field identifies the object or cannot change in place: it is in `triggers_replace`. */
  readonly identity?: boolean;
  /** The value an entry leaves out. @default none: the field is always written */
  readonly default?: unknown;
  /**
   * A member of this (object) field that goes to `input` as field `as`, left out when it is
   * `default`: a vault ref's `name` is for lookups and messages, and a vault renamed in place
   * must update its relations' entries, not replace them.
   */
  readonly inputMember?: { readonly member: string; readonly as: string; readonly default: unknown };
}

const input = (value?: unknown): EntryField => (value === undefined ? {} : { default: value });
const identity = (value?: unknown): EntryField => (value === undefined ? { identity: true } : { identity: true, default: value });
/** A relation's vault ref: what it points at is its identity; the vault's name is updated in place. */
const vaultRef = (): EntryField => ({ identity: true, inputMember: { member: 'name', as: 'vault_name', default: '' } });

/** Per kind, every field of its spec (src/contract/schemas.ts), in the order entries write them. */
export const ENTRY_FIELDS: Readonly<Record<HookKind, Readonly<Record<string, EntryField>>>> = {
  // 4.5.4 updates name, size, consistent_level, auto_expand, auto_bind, bind_rules, threshold and
  // smn_notify; everything else is set when the vault is created (or ordered, 4.5.14).
  vault: {
    name: input(),
    size: input(),
    consistent_level: input('crash_consistent'),
    auto_expand: input(false),
    auto_bind: input(false),
    bind_rules: input({}),
    threshold: input(80),
    smn_notify: input(true),
    removal_policy: input('retain'),
    adopt: input(false),
    object_type: identity(),
    description: identity(''),
    protect_type: identity('backup'),
    cloud_type: identity('public'),
    charging_mode: identity('post_paid'),
    period_type: identity(''),
    period_num: identity(0),
    is_auto_renew: identity(false),
    is_auto_pay: identity(false),
    is_multi_az: identity(false),
    backup_name_prefix: identity(''),
    enterprise_project_id: identity('0'),
    region: identity(''),
    project_id: identity(''),
  },
  // 4.8.4 updates enabled, name, operation_definition and trigger; the name is the policy's
  // identity (policies take no tags), so a new name replaces the entry, and the hook renames the
  // policy in place.
  policy: {
    enabled: input(true),
    pattern: input(),
    operation_definition: input(),
    schedule_summary: input(),
    retention_summary: input(),
    runs_per_week: input(),
    max_backups_held: input(),
    removal_policy: input('destroy'),
    name: identity(),
    operation_type: identity('backup'),
    region: identity(''),
    project_id: identity(''),
  },
  // 4.5.8 applies a policy to a vault, again with another destination vault.
  attachment: {
    destination_vault_id: input(''),
    destination_vault: input(),
    vault: vaultRef(),
    policy: identity(),
    operation_type: identity('backup'),
    region: identity(''),
    project_id: identity(''),
  },
  // 4.5.7 adds a resource again with other excluded volumes.
  association: {
    exclude_volumes: input([]),
    retain_on_destroy: input(false),
    vault: vaultRef(),
    resource_id: identity(),
    resource_ref: identity(),
    resource_type: identity(),
    region: identity(''),
    project_id: identity(''),
  },
  // 4.7.3 overwrites a key's value.
  tag: {
    value: input(),
    retain_on_destroy: input(false),
    vault: vaultRef(),
    key: identity(),
    region: identity(''),
    project_id: identity(''),
  },
  // CreateClients installs on new instances with these settings; the instances are the object.
  client: {
    source_types: input([]),
    cluster_id: input(''),
    alert_setting: input(''),
    use_https: input(false),
    resource_group_id: input(''),
    version_policy: input('keep_installed'),
    access_key_id_env: input(''),
    access_key_secret_env: input(''),
    vault_id: identity(),
    instance_ids: identity(),
    region: identity(''),
  },
};

/** Whether two JSON values are equal, whatever the order of object keys. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson((a as any)[k], (b as any)[k]));
}

/** A spec split into its entry's two parts, each without the fields at their defaults. */
export interface EntryParts {
  readonly input: Record<string, unknown>;
  readonly identity: Record<string, unknown>;
}

/**
 * Splits a spec (every field present, as constructs write it) into its entry's parts. A field this
 * table does not list is a bug of this library, and fails synth.
 */
export function splitSpec(kind: HookKind, spec: Readonly<Record<string, unknown>>, specFormat: number): EntryParts {
  const fields = ENTRY_FIELDS[kind];
  const parts: EntryParts = { input: { spec_format: specFormat }, identity: {} };
  for (const [name, whole] of Object.entries(spec)) {
    const field = fields[name];
    if (!field) throw new Error(`cdktf-cbr: the ${kind} spec field ${name} has no place in an entry (src/contract/layout.ts)`);
    let value = whole;
    const split = field.inputMember;
    if (split && typeof whole === 'object' && whole !== null) {
      const { [split.member]: member, ...rest } = whole as Record<string, unknown>;
      if (member !== undefined && !sameJson(member, split.default)) parts.input[split.as] = member;
      value = rest;
    }
    if (value === undefined || ('default' in field && sameJson(value, field.default))) continue;
    (field.identity ? parts.identity : parts.input)[name] = value;
  }
  return parts;
}

/**
 * A spec again from its entry's parts: every field the table gives a default is present. Fields
 * the table does not know are kept, for the schema to refuse (an entry of a newer release).
 */
export function joinSpec(
  kind: HookKind, inputPart: Readonly<Record<string, unknown>>, identityPart: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  const fields = ENTRY_FIELDS[kind];
  for (const [name, field] of Object.entries(fields)) {
    // A copy: a default is shared by every spec, and handlers may not change it for all of them.
    if ('default' in field) spec[name] = structuredClone(field.default);
  }
  const rest = { ...inputPart };
  Object.assign(spec, identityPart);
  for (const [name, field] of Object.entries(fields)) {
    const split = field.inputMember;
    if (!split) continue;
    const member = split.as in rest ? rest[split.as] : structuredClone(split.default);
    delete rest[split.as];
    if (typeof spec[name] === 'object' && spec[name] !== null) spec[name] = { ...(spec[name] as object), [split.member]: member };
  }
  return Object.assign(spec, rest);
}

/** The fields of a kind that identify its objects or cannot change in place (its entries' `triggers_replace`). */
export function identityFields(kind: HookKind): string[] {
  return Object.entries(ENTRY_FIELDS[kind]).filter(([, f]) => f.identity).map(([name]) => name);
}
