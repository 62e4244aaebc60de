import { storedSpec } from '../../contract/entries';
import { ENTRY_FIELDS } from '../../contract/layout';
import type { AttachmentSpec, BackupClientSpec, PolicySpec, VaultSpec } from '../../contract/specs';
import { HOOK_ENTRY, HOOK_KINDS, HookKind, tableName } from '../../contract/specs';
import { sameObject, sameRef } from '../handlers/declared';
import { sameValue, show } from '../handlers/diff';
import { POLICY_FROZEN_FIELDS } from '../handlers/policy';
import { VAULT_FIELD_UPDATABLE } from '../handlers/vault';

/**
 * What the hooks will do for each declared object, read from a saved Terraform plan
 * (`terraform show -json <planfile>`), in the words the apply output uses. Each object has an
 * entry (src/contract/layout.ts) that Terraform updates in place when a field the API updates
 * changes, and replaces when a field that identifies the object changes; the hooks then update,
 * rename, move, keep or delete. No API is called: this runs in a CI job without credentials.
 */
export interface ObjectChange {
  readonly kind: HookKind;
  /** The construct path: the entry's key. */
  readonly key: string;
  /** create, update, delete, keep, move, unchanged, or fail (the apply will fail). */
  readonly action: 'create' | 'update' | 'delete' | 'keep' | 'move' | 'unchanged' | 'fail';
  /** The sentence after `<kind> <stack>/<key>: `. */
  readonly text: string;
  /** Deletes backups: a vault deleted, a resource dissociated. */
  readonly deletesData: boolean;
}

/**
 * The hook entry runs again while no object's entry changes (it is tainted after a failed apply, or
 * `-replace` names it, as `cdktf-cbr drift` advises): it re-applies every object of the stack.
 * Not an object: `kind` is `stack`, `key` the hook entry's address, and it deletes no data.
 */
export interface StackChange {
  readonly kind: 'stack';
  readonly key: string;
  readonly action: 'reapply';
  /** The sentence after `stack <stack>: `. */
  readonly text: string;
  readonly deletesData: false;
}

export type PlannedChange = ObjectChange | StackChange;

export interface PlanReport {
  readonly stack: string;
  readonly changes: PlannedChange[];
}

/** Fields that are for reviewers or for this library, never a change in the cloud (owner and legacy_owner: formats 1-3). */
const NOT_CLOUD = new Set(['spec_format', 'schedule_summary', 'retention_summary', 'runs_per_week', 'max_backups_held', 'removal_policy', 'retain_on_destroy', 'adopt', 'owner', 'legacy_owner', 'deployment', 'resource_ref']);
const UNKNOWN = '(known after apply)';
/** An object lives in one region and project: another is another object, which the hook refuses to make of this one. */
const LOCATION_FIELDS: readonly string[] = ['region', 'project_id'];
const ANOTHER_IF_MOVED = (kind: string) => `another ${kind} is created if region or project_id change (known only at apply)`;
/** What a value known only at apply is in the configuration: an expression, which the delete hooks take to match anything (declared.ts mayEqual). */
const EXPRESSION = '${(known after apply)}';

interface Entry {
  readonly kind: HookKind;
  readonly key: string;
  readonly actions: string;
  readonly before?: Record<string, any>;
  /** The planned spec; a part known only at apply holds the defaults. */
  readonly after?: Record<string, any>;
  /** Fields of `after` that Terraform knows only at apply. */
  readonly unknown: ReadonlySet<string>;
  /** The entry's `input` before and after, as stored: the fields an in-place update rewrites. */
  readonly inputs: readonly [before: unknown, after: unknown];
}

/** Terraform's after_unknown marks unknown values `true`, at any depth; known ones are false, {} or []. */
function anyUnknown(u: unknown): boolean {
  return u === true || (typeof u === 'object' && u !== null && Object.values(u).some(anyUnknown));
}

function parsed(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function asSpec(spec: unknown): Record<string, any> | undefined {
  return typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? spec as Record<string, any> : undefined;
}

/**
 * The planned spec of an entry, joined as the hooks join it (storedSpec). Both parts are JSON text,
 * so a value known only at apply makes its whole part unknown (`after_unknown.input`, or the second
 * element of `after_unknown.triggers_replace`; the first is the deployment, unknown on creation).
 */
function plannedSpec(kind: HookKind, key: string, after: any, afterUnknown: any): Pick<Entry, 'after' | 'unknown'> {
  if (!after) return { unknown: new Set() };
  const triggers = afterUnknown?.triggers_replace;
  const inputUnknown = anyUnknown(afterUnknown?.input);
  const identityUnknown = triggers === true || (Array.isArray(triggers) && anyUnknown(triggers[1]));
  const deployment = Array.isArray(after.triggers_replace) ? after.triggers_replace[0] : undefined;
  const input = inputUnknown ? '{}' : after.input;
  const identity = identityUnknown ? '{}' : (Array.isArray(after.triggers_replace) ? after.triggers_replace[1] : undefined);
  const unknownFields = Object.entries(ENTRY_FIELDS[kind]).filter(([, f]) => (f.identity ? identityUnknown : inputUnknown)).map(([name]) => name);
  return { after: asSpec(storedSpec(kind, key, { input, triggers_replace: [deployment, identity] })), unknown: new Set(unknownFields) };
}

function entriesOf(planJson: any): { entries: Entry[]; hookEntry?: any } {
  const entries: Entry[] = [];
  let hookEntry: any;
  for (const rc of planJson?.resource_changes ?? []) {
    // A deposed object is the old half of a create-first replacement (earlier releases' tables) that
    // an apply left unfinished: the current entry of its key, still declared, holds the same object.
    if (rc.type !== 'terraform_data' || rc.mode !== 'managed' || rc.deposed) continue;
    if (rc.name === HOOK_ENTRY && rc.index === undefined) hookEntry = rc;
    const kind = HOOK_KINDS.find((k) => tableName(k) === rc.name);
    if (!kind || typeof rc.index !== 'string') continue;
    const change = rc.change ?? {};
    entries.push({
      kind,
      key: rc.index,
      actions: (change.actions ?? []).join(','),
      before: asSpec(storedSpec(kind, rc.index, change.before ?? undefined)),
      ...plannedSpec(kind, rc.index, change.after, change.after_unknown),
      inputs: [parsed(change.before?.input), parsed(change.after?.input)],
    });
  }
  return { entries, hookEntry };
}

function unknown(e: Entry, field: string): boolean {
  return e.unknown.has(field);
}

/** A field's planned value, as the apply output shows values. */
function value(e: Entry, field: string): string {
  return unknown(e, field) ? UNKNOWN : show(e.after?.[field]);
}

/** A field's planned value as plain text (summaries, keys, ids). */
function plainValue(e: Entry, field: string): string {
  return unknown(e, field) ? UNKNOWN : String(e.after?.[field]);
}

function vaultName(ref: any): string {
  return show(ref?.name || ref?.value);
}

/** The planned vault of a relation, by name. */
function afterVault(e: Entry): string {
  return unknown(e, 'vault') ? UNKNOWN : vaultName(e.after?.vault);
}

/** The same vault whatever name the refs carry: a vault renamed in place updates its relations' entries. */
function sameVault(a: any, b: any): boolean {
  const unnamed = (r: any) => (typeof r === 'object' && r !== null ? { ...r, name: undefined } : r);
  return sameRef(a, b) || sameRef(unnamed(a), unnamed(b));
}

function same(e: Entry, field: string): boolean {
  // Entries written before format 4 have no location: they are where the terraform run is ('').
  const unset = LOCATION_FIELDS.includes(field) ? '' : undefined;
  const [b, a] = [e.before?.[field] ?? unset, e.after?.[field] ?? unset];
  return !unknown(e, field) && (field === 'vault' ? sameVault(b, a) : sameValue(b, a));
}

/** The fields that change something in the cloud, known or not, sorted as Terraform sorts an object's. */
function cloudChanges(e: Entry): string[] {
  return Object.keys({ ...e.before, ...e.after }).filter((f) => !NOT_CLOUD.has(f) && !same(e, f)).sort();
}

/**
 * Of the fields the API cannot change in place (`frozen`, each changed or unknown here): those
 * that fail the apply, and those known only at apply, which fail it only if they do change.
 * `note` says the second kind in the plan's words, or '' when there are none.
 */
function frozenChanges(e: Entry, frozen: readonly string[], api: string): { fails: string[]; note: string } {
  const mayFail = frozen.filter((f) => unknown(e, f));
  const fields = mayFail.length === 1 ? `${mayFail[0]} changes` : `${mayFail.slice(0, -1).join(', ')} or ${mayFail[mayFail.length - 1]} change`;
  return {
    fails: frozen.filter((f) => !mayFail.includes(f)),
    note: mayFail.length > 0 ? `fails at apply if ${fields} (known only at apply; API ${api} cannot change it in place)` : '',
  };
}

/** What a spec change does in the cloud: an update, nothing (`keep`: the changed fields are left alone; `unchanged`), or a failed apply. */
interface Update {
  readonly text: string;
  readonly action: 'update' | 'keep' | 'unchanged' | 'fail';
}

/** What a vault's spec change does: updated fields, fields that fail, fields left alone. */
function vaultUpdate(e: Entry, changed: readonly string[]): Update {
  const b = (e.before ?? {}) as VaultSpec;
  const frozen = changed.filter((f) => VAULT_FIELD_UPDATABLE[f] === false);
  const { fails, note } = frozenChanges(e, frozen, '4.5.4');
  if (fails.length > 0) {
    return { action: 'fail', text: `will fail at apply: ${fails.join(', ')} cannot change in place (API 4.5.4). Revert it, or give the construct a new id and vaultName to create a new vault` };
  }
  const kept = changed.filter((f) => !(f in VAULT_FIELD_UPDATABLE) && !LOCATION_FIELDS.includes(f));
  const updated = changed.filter((f) => !kept.includes(f) && !frozen.includes(f) && !LOCATION_FIELDS.includes(f)).map((f) => `${f} ${show((b as any)[f])} -> ${value(e, f)}`);
  const parts = [updated.length > 0 ? `update in place: ${updated.join(', ')}` : 'unchanged in the cloud'];
  if (kept.length > 0) parts.push(`not changed by the hook: ${kept.join(', ')} (set at creation; a subscription's period and renewal change in the Billing Center)`);
  if (note) parts.push(note);
  if (LOCATION_FIELDS.some((f) => unknown(e, f))) parts.push(ANOTHER_IF_MOVED('vault'));
  // Only fields the hook leaves alone: nothing changes in the cloud, and the line says why.
  return { action: updated.length > 0 || note ? 'update' : 'keep', text: parts.join('; ') };
}

/** A new name replaces a policy's entry; the hook entry renames the policy in place (4.8.4), its other fields updated alike. */
function policyUpdate(e: Entry, changed: readonly string[]): Update {
  const b = (e.before ?? {}) as PolicySpec;
  const a = (e.after ?? {}) as PolicySpec;
  const { fails, note } = frozenChanges(e, POLICY_FROZEN_FIELDS.filter((f) => changed.includes(f)), '4.8.4');
  if (fails.length > 0) return { action: 'fail', text: `will fail at apply: ${fails.join(', ')} cannot change in place (API 4.8.4). Declare a new Policy instead` };
  const updates: string[] = [];
  if (changed.includes('pattern')) updates.push(`schedule ${b.schedule_summary} -> ${plainValue(e, 'schedule_summary')}`);
  if (changed.includes('operation_definition')) updates.push(`retention ${b.retention_summary} -> ${plainValue(e, 'retention_summary')}`);
  if (changed.includes('enabled')) updates.push(`enabled ${show(b.enabled)} -> ${value(e, 'enabled')}`);
  const parts: string[] = [];
  if (changed.includes('name')) parts.push(`rename in place: ${show(b.name)} -> ${unknown(e, 'name') ? UNKNOWN : show(a.name)}`);
  if (updates.length > 0) parts.push(`update in place: ${updates.join(', ')}`);
  const action = parts.length > 0 || note ? 'update' : 'unchanged';
  if (parts.length === 0) parts.push('unchanged in the cloud');
  if (note) parts.push(note);
  if (LOCATION_FIELDS.some((f) => unknown(e, f))) parts.push(ANOTHER_IF_MOVED('policy'));
  return { action, text: parts.join('; ') };
}

/** `, replicating to "<vault>"`, for an attachment with a destination vault of the stack. */
function replicatingTo(e: Entry): string {
  if (unknown(e, 'destination_vault')) return `, replicating to ${UNKNOWN}`;
  const to = e.after?.destination_vault;
  return to ? `, replicating to ${vaultName(to)}` : '';
}

function describeCreate(e: Entry): string {
  const a = (e.after ?? {}) as any;
  switch (e.kind) {
    case 'vault': return `create (${value(e, 'name')}, ${value(e, 'size')} GB${(a as VaultSpec).charging_mode === 'pre_paid' ? ', yearly/monthly: places an order' : ''})`;
    case 'policy': return `create (${value(e, 'name')}: ${plainValue(e, 'schedule_summary')}; ${plainValue(e, 'retention_summary')})`;
    case 'attachment': return `apply policy ${unknown(e, 'policy') ? UNKNOWN : show((a as AttachmentSpec).policy?.value)} to ${afterVault(e)}${replicatingTo(e)}`;
    case 'association': return `add ${value(e, 'resource_id')}`;
    case 'tag': return `add ${plainValue(e, 'key')}=${value(e, 'value')}`;
    case 'client': return `install on ${unknown(e, 'instance_ids') ? UNKNOWN : ((a as BackupClientSpec).instance_ids ?? []).join(', ')}`;
  }
}

/**
 * The planned spec as the delete hooks read it in the configuration: a value known only at apply
 * is an expression there, which may be the same object as anything.
 */
function declaredView(e: Entry): Record<string, unknown> | undefined {
  if (!e.after) return undefined;
  return { ...e.after, ...Object.fromEntries([...e.unknown].map((f) => [f, EXPRESSION])) };
}

interface Move {
  readonly to: Entry;
  readonly maybe: boolean;
}

/**
 * The entry still declared after this plan that takes over what the removed entry `e` held, as its
 * delete hook will find it (handlers/declared.ts movedTo); `maybe` when only a value known at apply
 * can make it the same object.
 */
function movedTo(e: Entry, all: readonly Entry[]): Move | undefined {
  if (!e.before) return undefined;
  const others = all.filter((o) => o !== e && o.kind === e.kind && o.after !== undefined);
  const to = others.find((o) => sameObject(e.kind, e.before, o.after));
  if (to) return { to, maybe: false };
  const maybe = others.find((o) => sameObject(e.kind, e.before, declaredView(o)));
  return maybe && { to: maybe, maybe: true };
}

/**
 * Whether the plan is `terraform plan -destroy`: the hook entry goes while the configuration still
 * declares it (when a stack drops its last object, the configuration declares it no longer). Its
 * delete hooks then keep what `retain_on_destroy` keeps, as `terraform destroy` does (declared.ts).
 */
function destroysStack(planJson: any, hookEntry: any): boolean {
  const actions: string[] = hookEntry?.change?.actions ?? [];
  const declared = (planJson?.configuration?.root_module?.resources ?? []).some((r: any) => r.address === `terraform_data.${HOOK_ENTRY}`);
  return declared && actions.length === 1 && actions[0] === 'delete';
}

function describeDelete(e: Entry, move: Move | undefined, destroying: boolean): ObjectChange {
  const b = (e.before ?? {}) as any;
  const base = { kind: e.kind, key: e.key };
  if (move) {
    const where = `move to ${move.to.key}${e.kind === 'association' ? ' with its backups' : ''}`;
    // The delete hook cannot tell either: it leaves the object in place, whatever the values turn out to be.
    const text = move.maybe ? `${where} if the values known only at apply name the same ${e.kind} (it is left in place if not)` : where;
    return { ...base, action: 'move', text, deletesData: false };
  }
  switch (e.kind) {
    case 'vault':
      if (b.removal_policy !== 'destroy') return { ...base, action: 'keep', text: 'keep (removalPolicy RETAIN: the vault and its backups stay)', deletesData: false };
      return {
        ...base,
        action: 'delete',
        deletesData: true,
        text: `delete (removalPolicy DESTROY, its backups are deleted${b.charging_mode === 'pre_paid' ? '; the yearly/monthly order is not settled by deleting the vault' : ''})`,
      };
    case 'policy':
      return b.removal_policy === 'destroy'
        ? { ...base, action: 'delete', text: `delete ${show(b.name)} (a policy holds no backups)`, deletesData: false }
        : { ...base, action: 'keep', text: `keep ${show(b.name)} (removalPolicy RETAIN)`, deletesData: false };
    case 'attachment': return { ...base, action: 'delete', text: `remove policy ${show(b.policy?.value)} from ${vaultName(b.vault)} (no backups are deleted)`, deletesData: false };
    case 'association':
      if (destroying && b.retain_on_destroy) return { ...base, action: 'keep', text: `keep ${b.resource_id} in ${vaultName(b.vault)} (the vault is retained; dissociating would delete its backups)`, deletesData: false };
      return { ...base, action: 'delete', text: `remove ${b.resource_id} (dissociating deletes its backups)`, deletesData: true };
    case 'tag':
      if (destroying && b.retain_on_destroy) return { ...base, action: 'keep', text: `keep ${b.key} on ${vaultName(b.vault)} (the vault is retained)`, deletesData: false };
      return { ...base, action: 'delete', text: `remove ${b.key}`, deletesData: false };
    case 'client': return { ...base, action: 'keep', text: `left installed on ${(b.instance_ids ?? []).join(', ')} (HBR has no uninstall call)`, deletesData: false };
  }
}

/** An HBR client's change: new instances get a client; an installed one is never uninstalled, nor given new settings. */
function clientUpdate(e: Entry, changed: readonly string[]): string {
  const b = (e.before ?? {}) as BackupClientSpec;
  const a = (e.after ?? {}) as BackupClientSpec;
  const parts: string[] = [];
  if (changed.includes('instance_ids')) {
    const known = !unknown(e, 'instance_ids');
    const dropped = known ? (b.instance_ids ?? []).filter((i) => !(a.instance_ids ?? []).includes(i)) : [];
    parts.push(`install on ${known ? (a.instance_ids ?? []).join(', ') : UNKNOWN}` +
      (dropped.length > 0 ? `; left installed on ${dropped.join(', ')} (HBR has no uninstall call)` : '') +
      (known ? '' : '; instances no longer declared keep their clients (HBR has no uninstall call)'));
  }
  if (changed.includes('version_policy')) {
    const upgrades = !unknown(e, 'version_policy') && a.version_policy === 'upgrade_to_latest';
    parts.push(`version_policy ${show(b.version_policy)} -> ${value(e, 'version_policy')} (${upgrades ? 'outdated clients are upgraded' : 'installed clients keep their version'})`);
  }
  const settings = changed.filter((f) => f !== 'instance_ids' && f !== 'version_policy').map((f) => `${f} ${show((b as any)[f])} -> ${value(e, f)}`);
  if (settings.length > 0) parts.push(`${settings.join(', ')} for the clients installed from now on (an installed client keeps its settings)`);
  return `update: ${parts.join('; ')}`;
}

/**
 * What the hooks do for an entry still declared whose spec changes: updated in place (a field the
 * API updates), or replaced (a field that identifies the object, a spec format upgrade, `-replace`).
 * `entryChange` says what happens to the entry when nothing happens in the cloud.
 */
function describeChange(e: Entry, entryChange: string, all: readonly Entry[]): ObjectChange {
  const base = { kind: e.kind, key: e.key };
  const b = (e.before ?? {}) as any;
  const a = (e.after ?? {}) as any;
  const changed = cloudChanges(e);
  if (changed.length === 0) return { ...base, action: 'unchanged', text: `unchanged in the cloud (${entryChange})`, deletesData: false };
  const has = (...fields: string[]) => fields.some((f) => changed.includes(f));
  const moved = (e.kind === 'vault' || e.kind === 'policy') && relocated(e, changed);
  if (moved) return { ...base, action: 'create', text: moved, deletesData: false };
  switch (e.kind) {
    case 'vault':
    case 'policy': {
      // The hook entry renames the policy only if no other entry declares the old name (applyPolicy).
      if (e.kind === 'policy' && has('name') && all.some((o) => o !== e && o.kind === 'policy' && o.after !== undefined && sameObject('policy', b, declaredView(o)))) {
        return { ...base, action: 'create', text: describeCreate(e), deletesData: false };
      }
      return { ...base, ...(e.kind === 'vault' ? vaultUpdate(e, changed) : policyUpdate(e, changed)), deletesData: false };
    }
    case 'attachment': {
      const policy = unknown(e, 'policy') ? UNKNOWN : show(a.policy?.value);
      if (changed.length === 1 && has('policy') && renamedPolicy(b.policy, a.policy, all)) {
        return { ...base, action: 'unchanged', text: `unchanged in the cloud (the entry follows the rename of policy ${show(b.policy.value)} to ${policy})`, deletesData: false };
      }
      if (has('policy', 'operation_type')) return { ...base, action: 'update', text: `replace policy ${show(b.policy?.value)} with ${policy} on ${afterVault(e)}`, deletesData: false };
      if (has('vault')) return { ...base, action: 'update', text: `apply policy ${policy} to ${afterVault(e)} instead of ${vaultName(b.vault)}`, deletesData: false };
      if (has('destination_vault')) return { ...base, action: 'update', text: `apply policy ${policy} to ${afterVault(e)}${replicatingTo(e)} instead of to ${vaultName(b.destination_vault) || show(b.destination_vault_id)}`, deletesData: false };
      return { ...base, action: 'update', text: `update in place: destination_vault_id ${show(b.destination_vault_id)} -> ${value(e, 'destination_vault_id')}`, deletesData: false };
    }
    case 'association':
      if (has('resource_id', 'resource_type')) {
        return { ...base, action: 'update', text: `protect ${value(e, 'resource_id')} instead of ${b.resource_id} (the old one is dissociated once the new one is in: its backups are deleted)`, deletesData: true };
      }
      if (has('vault')) return { ...base, action: 'move', text: `move ${b.resource_id} from ${vaultName(b.vault)} to ${afterVault(e)} with its backups`, deletesData: false };
      return { ...base, action: 'update', text: `update in place: exclude_volumes ${show(b.exclude_volumes)} -> ${value(e, 'exclude_volumes')}`, deletesData: false };
    case 'tag':
      if (has('key', 'vault')) return { ...base, action: 'update', text: `set ${plainValue(e, 'key')}=${value(e, 'value')}${has('vault') ? ` on ${afterVault(e)}` : ''}, then remove ${b.key}`, deletesData: false };
      return { ...base, action: 'update', text: `change ${b.key} ${show(b.value)} -> ${value(e, 'value')}`, deletesData: false };
    case 'client':
      return { ...base, action: 'update', text: clientUpdate(e, changed), deletesData: false };
  }
}

/**
 * What a vault or policy whose region or project changes becomes: another object, created where it
 * is declared now; the one it was stays where it is, with its backups (an object does not move
 * between regions, and the replaced entry's delete hook keeps it). '' when neither changes.
 */
function relocated(e: Entry, changed: readonly string[]): string {
  if (!changed.some((f) => LOCATION_FIELDS.includes(f) && !unknown(e, f))) return '';
  const where = (spec: any, after: boolean) => {
    const [region, project] = [after && unknown(e, 'region') ? UNKNOWN : spec?.region, after && unknown(e, 'project_id') ? UNKNOWN : spec?.project_id];
    if (!region && !project) return 'the region and project of the terraform run';
    return `${region ? (region === UNKNOWN ? region : `region "${region}"`) : 'the region of the terraform run'}, ` +
      `${project ? (project === UNKNOWN ? project : `project "${project}"`) : 'the project of HW_PROJECT_ID'}`;
  };
  const what = e.kind === 'vault' ? 'vault' : 'policy';
  const named = show(e.before?.name);
  return `create ${value(e, 'name')} in ${where(e.after, true)}: a ${what} does not move between regions or projects, and ${named} ` +
    `in ${where(e.before, false)} is kept${what === 'vault' ? ' with its backups' : ''} (delete it in the console if it should go)`;
}

/** Whether a policy entry renames the policy `from` names to the one `to` names: an attachment's ref by name follows it. */
function renamedPolicy(from: any, to: any, all: readonly Entry[]): boolean {
  if (from?.by !== 'name' || to?.by !== 'name') return false;
  return all.some((o) => o.kind === 'policy' && !unknown(o, 'name') && o.before?.name === from.value && o.after?.name === to.value);
}

/** The fields of the entry's `input` an in-place update rewrites. */
function rewrittenInput(e: Entry): string {
  const [b, a] = e.inputs.map((i) => asSpec(i) ?? {});
  const fields = Object.keys({ ...b, ...a }).filter((f) => !sameValue(b[f], a[f])).sort();
  return `the entry is updated: ${fields.join(', ') || 'a setting of this library'}`;
}

const REPLACED = 'the entry is rewritten: spec format or a setting of this library';

/** The entries of a plan, and the moves of the removed ones: from removed entry to taker, and back. */
interface Planned {
  readonly all: readonly Entry[];
  readonly moves: ReadonlyMap<Entry, Move>;
  readonly movedFrom: ReadonlyMap<Entry, Entry>;
  /** `terraform plan -destroy` (destroysStack). */
  readonly destroying: boolean;
}

function describe(e: Entry, plan: Planned): ObjectChange {
  const base = { kind: e.kind, key: e.key };
  switch (e.actions) {
    case 'create': {
      // The new key of a move: the removed key's line says it ("move to ..."); this one says what else changes.
      const from = plan.movedFrom.get(e);
      if (!from) return { ...base, action: 'create', text: describeCreate(e), deletesData: false };
      if (plan.moves.get(from)!.maybe) {
        return { ...base, action: 'create', text: `${describeCreate(e)}, or take over the ${e.kind} of ${from.key} if the values known only at apply name it`, deletesData: false };
      }
      const change = describeChange({ ...e, before: from.before }, REPLACED, plan.all);
      return change.action === 'unchanged'
        ? { ...base, action: 'unchanged', text: `moved here from ${from.key} (the same cloud object)`, deletesData: false }
        : { ...change, text: `moved here from ${from.key}; ${change.text}` };
    }
    case 'delete': return describeDelete(e, plan.moves.get(e), plan.destroying);
    case 'update': return describeChange(e, rewrittenInput(e), plan.all);
    case 'create,delete':
    case 'delete,create': return describeChange(e, REPLACED, plan.all);
    default: return { ...base, action: 'unchanged', text: 'unchanged', deletesData: false };
  }
}

/** Why Terraform runs the hook entry again (its `action_reason`, which older Terraform releases leave out). */
const REAPPLY_REASONS: Readonly<Record<string, string>> = {
  replace_because_tainted: 'the last apply failed',
  replace_by_request: '-replace asked for it',
};

/** The hook entry created or replaced while no object's entry changes: it re-applies every object. */
function reapplied(hookEntry: any, entries: readonly Entry[]): StackChange | undefined {
  const actions: string[] = hookEntry?.change?.actions ?? [];
  if (!actions.includes('create') || entries.length === 0 || entries.some((e) => e.actions !== 'no-op')) return undefined;
  const why = REAPPLY_REASONS[hookEntry.action_reason] ?? (actions.length === 1 ? 'the state holds no hook entry' : 'its entry is replaced');
  return {
    kind: 'stack',
    key: `terraform_data.${HOOK_ENTRY}`,
    action: 'reapply',
    text: `re-applies every object of the stack (${why}): each is compared with the cloud, and created or updated where it differs`,
    deletesData: false,
  };
}

/** Reads a plan's JSON and says, per object, what the hooks will do; a stack-level change first. */
export function analysePlan(planJson: unknown, stack: string): PlanReport {
  const { entries, hookEntry } = entriesOf(planJson);
  const moves = new Map<Entry, Move>();
  const movedFrom = new Map<Entry, Entry>();
  for (const e of entries.filter((x) => x.actions === 'delete')) {
    const move = movedTo(e, entries);
    if (!move) continue;
    moves.set(e, move);
    if (!movedFrom.has(move.to)) movedFrom.set(move.to, e);
  }
  const destroying = destroysStack(planJson, hookEntry);
  const changes = entries.map((e) => describe(e, { all: entries, moves, movedFrom, destroying }))
    .sort((x, y) => HOOK_KINDS.indexOf(x.kind) - HOOK_KINDS.indexOf(y.kind) || x.key.localeCompare(y.key));
  const stackChange = reapplied(hookEntry, entries);
  return { stack, changes: stackChange ? [stackChange, ...changes] : changes };
}

/** 0 nothing deletes backups, 2 something does, 3 something will fail at apply. */
export function planExitCode(report: PlanReport): number {
  if (report.changes.some((c) => c.action === 'fail')) return 3;
  return report.changes.some((c) => c.deletesData) ? 2 : 0;
}
