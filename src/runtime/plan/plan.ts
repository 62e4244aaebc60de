import type { AttachmentSpec, BackupClientSpec, HookKind, PolicySpec, TagSpec, VaultSpec } from '../../contract/specs';
import { sameObject, sameRef } from '../handlers/declared';
import { sameValue, show } from '../handlers/diff';
import { POLICY_FROZEN_FIELDS } from '../handlers/policy';
import { VAULT_FIELD_UPDATABLE } from '../handlers/vault';

/**
 * What the hooks will do for each declared object, read from a saved Terraform plan
 * (`terraform show -json <planfile>`), in the words the apply output uses. Terraform shows every
 * changed entry as "must be replaced"; the hooks update in place, keep, move or delete. No API is
 * called: this runs in a CI job without credentials.
 */
export interface PlannedChange {
  readonly kind: HookKind;
  readonly key: string;
  /** create, update, delete, keep, move, unchanged, or fail (the apply will fail). */
  readonly action: 'create' | 'update' | 'delete' | 'keep' | 'move' | 'unchanged' | 'fail';
  /** The sentence after `<kind> <stack>/<key>: `. */
  readonly text: string;
  /** Deletes backups: a vault deleted, a resource dissociated. */
  readonly deletesData: boolean;
}

export interface PlanReport {
  readonly stack: string;
  readonly changes: PlannedChange[];
}

const KINDS: readonly HookKind[] = ['policy', 'vault', 'attachment', 'association', 'tag', 'client'];
/** Fields that are for reviewers or for this library, never a change in the cloud. */
const NOT_CLOUD = new Set(['spec_format', 'schedule_summary', 'retention_summary', 'runs_per_week', 'max_backups_held', 'removal_policy', 'retain_on_destroy', 'adopt', 'owner', 'legacy_owner', 'deployment', 'resource_ref']);

interface Entry {
  readonly kind: HookKind;
  readonly key: string;
  readonly actions: string[];
  readonly before?: Record<string, any>;
  readonly after?: Record<string, any>;
  /** Fields of `after` that Terraform knows only at apply. */
  readonly unknown: Record<string, unknown>;
}

function entriesOf(planJson: any): Entry[] {
  const out: Entry[] = [];
  for (const rc of planJson?.resource_changes ?? []) {
    const kind = typeof rc.name === 'string' ? rc.name.replace(/^cbr_/, '') : '';
    if (rc.type !== 'terraform_data' || rc.mode !== 'managed' || !KINDS.includes(kind as HookKind) || typeof rc.index !== 'string') continue;
    out.push({
      kind: kind as HookKind,
      key: rc.index,
      actions: rc.change?.actions ?? [],
      before: rc.change?.before?.triggers_replace ?? undefined,
      after: rc.change?.after?.triggers_replace ?? undefined,
      unknown: rc.change?.after_unknown?.triggers_replace === true ? { '*': true } : (rc.change?.after_unknown?.triggers_replace ?? {}),
    });
  }
  return out;
}

/** Terraform's after_unknown marks unknown values `true`, at any depth; known ones are false, {} or []. */
function anyUnknown(u: unknown): boolean {
  return u === true || (typeof u === 'object' && u !== null && Object.values(u).some(anyUnknown));
}

function unknown(e: Entry, field: string): boolean {
  return anyUnknown(e.unknown['*']) || anyUnknown(e.unknown[field]);
}

function value(e: Entry, field: string): string {
  return unknown(e, field) ? '(known after apply)' : show(e.after?.[field]);
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

/** What a vault's spec change does: updated fields, fields that fail, fields left alone. */
function vaultUpdate(e: Entry): { text: string; fails: boolean } {
  const b = e.before as VaultSpec;
  const a = (e.after ?? {}) as VaultSpec;
  const changed = Object.keys({ ...b, ...a }).filter((f) => !NOT_CLOUD.has(f) && (unknown(e, f) || !sameValue((b as any)[f], (a as any)[f])));
  const frozen = changed.filter((f) => VAULT_FIELD_UPDATABLE[f] === false);
  const { fails, note } = frozenChanges(e, frozen, '4.5.4');
  if (fails.length > 0) {
    return { fails: true, text: `will fail at apply: ${fails.join(', ')} cannot change in place (API 4.5.4). Revert it, or give the construct a new id and vaultName to create a new vault` };
  }
  const kept = changed.filter((f) => !(f in VAULT_FIELD_UPDATABLE));
  const updated = changed.filter((f) => !kept.includes(f) && !frozen.includes(f)).map((f) => `${f} ${show((b as any)[f])} -> ${value(e, f)}`);
  const parts = [updated.length > 0 ? `update in place: ${updated.join(', ')}` : 'unchanged in the cloud'];
  if (kept.length > 0) parts.push(`not changed by the hook: ${kept.join(', ')} (set at creation; a subscription's period and renewal change in the Billing Center)`);
  if (note) parts.push(note);
  return { fails: false, text: parts.join('; ') };
}

function policyUpdate(e: Entry): { text: string; fails: boolean } {
  const b = e.before as PolicySpec;
  const a = (e.after ?? {}) as PolicySpec;
  const frozen = POLICY_FROZEN_FIELDS.filter((f) => unknown(e, f) || !sameValue((b as any)[f], (a as any)[f]));
  const { fails, note } = frozenChanges(e, frozen, '4.8.4');
  if (fails.length > 0) return { fails: true, text: `will fail at apply: ${fails.join(', ')} cannot change in place (API 4.8.4). Declare a new Policy instead` };
  const parts: string[] = [];
  if (!sameValue(b.name, a.name)) parts.push(`name ${show(b.name)} -> ${value(e, 'name')}`);
  if (!sameValue(b.pattern, a.pattern)) parts.push(`schedule ${b.schedule_summary} -> ${unknown(e, 'pattern') ? '(known after apply)' : a.schedule_summary}`);
  if (!sameValue(b.operation_definition, a.operation_definition)) parts.push(`retention ${b.retention_summary} -> ${a.retention_summary}`);
  if (!sameValue(b.enabled, a.enabled)) parts.push(`enabled ${show(b.enabled)} -> ${value(e, 'enabled')}`);
  const text = parts.length > 0 ? `update in place: ${parts.join(', ')}` : 'unchanged in the cloud';
  return { fails: false, text: note ? `${text}; ${note}` : text };
}

function describeCreate(e: Entry): string {
  const a = (e.after ?? {}) as any;
  switch (e.kind) {
    case 'vault': return `create (${value(e, 'name')}, ${value(e, 'size')} GB${(a as VaultSpec).charging_mode === 'pre_paid' ? ', yearly/monthly: places an order' : ''})`;
    case 'policy': return `create (${value(e, 'name')}: ${(a as PolicySpec).schedule_summary}; ${(a as PolicySpec).retention_summary})`;
    case 'attachment': return `apply policy ${show((a as AttachmentSpec).policy?.value)} to ${show((a as AttachmentSpec).vault?.name || (a as AttachmentSpec).vault?.value)}`;
    case 'association': return `add ${value(e, 'resource_id')}`;
    case 'tag': return `add ${(a as TagSpec).key}=${value(e, 'value')}`;
    case 'client': return `install on ${((a as BackupClientSpec).instance_ids ?? []).join(', ')}`;
  }
}

/** Another entry, created in this plan, that takes over what `e` held (a move between constructs). */
function movedTo(e: Entry, all: Entry[]): Entry | undefined {
  return all.find((o) => o !== e && o.kind === e.kind && o.actions.includes('create') && o.after !== undefined && sameObject(e.kind, e.before, o.after));
}

function describeDelete(e: Entry, all: Entry[]): PlannedChange {
  const b = e.before as any;
  const base = { kind: e.kind, key: e.key };
  const to = movedTo(e, all);
  if (to) return { ...base, action: 'move', text: `move to ${to.key}${e.kind === 'association' ? ' with its backups' : ''}`, deletesData: false };
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
    case 'attachment': return { ...base, action: 'delete', text: `remove policy ${show(b.policy?.value)} from ${show(b.vault?.name || b.vault?.value)} (no backups are deleted)`, deletesData: false };
    case 'association': return { ...base, action: 'delete', text: `remove ${b.resource_id} (dissociating deletes its backups)`, deletesData: true };
    case 'tag': return { ...base, action: 'delete', text: `remove ${b.key}`, deletesData: false };
    case 'client': return { ...base, action: 'keep', text: `left installed on ${(b.instance_ids ?? []).join(', ')} (HBR has no uninstall call)`, deletesData: false };
  }
}

function describeReplace(e: Entry): PlannedChange {
  const base = { kind: e.kind, key: e.key };
  const b = e.before as any;
  const a = (e.after ?? {}) as any;
  // A relation's vault ref differs in form across an upgrade (by owner tag, then by path) or a move of its Vault, not in vault.
  const same = (f: string) => (f === 'vault' ? sameRef(b[f], a[f]) : sameValue(b[f], a[f]));
  const cloudChanged = Object.keys({ ...b, ...a }).some((f) => !NOT_CLOUD.has(f) && (unknown(e, f) || !same(f)));
  if (!cloudChanged) return { ...base, action: 'unchanged', text: 'unchanged in the cloud (the entry is rewritten: spec format or a setting of this library)', deletesData: false };
  switch (e.kind) {
    case 'vault':
    case 'policy': {
      const { text, fails } = e.kind === 'vault' ? vaultUpdate(e) : policyUpdate(e);
      return { ...base, action: fails ? 'fail' : 'update', text, deletesData: false };
    }
    case 'attachment':
      return { ...base, action: 'update', text: `replace policy ${show(b.policy?.value)} with ${show(a.policy?.value)} on ${show(a.vault?.name || a.vault?.value)}`, deletesData: false };
    case 'association':
      if (unknown(e, 'resource_id') || b.resource_id !== a.resource_id) {
        return { ...base, action: 'update', text: `protect ${value(e, 'resource_id')} instead of ${b.resource_id} (the old one is dissociated once the new one is in: its backups are deleted)`, deletesData: true };
      }
      if (!same('vault')) return { ...base, action: 'move', text: `move ${b.resource_id} from ${show(b.vault?.name || b.vault?.value)} to ${show(a.vault?.name || a.vault?.value)} with its backups`, deletesData: false };
      return { ...base, action: 'update', text: `update in place: exclude_volumes ${show(b.exclude_volumes)} -> ${value(e, 'exclude_volumes')}`, deletesData: false };
    case 'tag':
      if (b.key !== a.key || !same('vault')) return { ...base, action: 'update', text: `set ${a.key}=${value(e, 'value')}, then remove ${b.key}`, deletesData: false };
      return { ...base, action: 'update', text: `change ${b.key} ${show(b.value)} -> ${value(e, 'value')}`, deletesData: false };
    case 'client': {
      const dropped = (b.instance_ids ?? []).filter((i: string) => !(a.instance_ids ?? []).includes(i));
      return {
        ...base,
        action: 'update',
        deletesData: false,
        text: `update: install on ${(a.instance_ids ?? []).join(', ')}${dropped.length > 0 ? `; left installed on ${dropped.join(', ')} (HBR has no uninstall call)` : ''}`,
      };
    }
  }
}

/** Reads a plan's JSON and says, per entry, what the hooks will do. */
export function analysePlan(planJson: unknown, stack: string): PlanReport {
  const all = entriesOf(planJson);
  const changes = all.map((e): PlannedChange => {
    const a = e.actions.join(',');
    if (a === 'create') {
      // The new key of a move: the removed key's line says it ("move to ..."); nothing is created.
      const from = all.find((o) => o.actions.join(',') === 'delete' && movedTo(o, all) === e);
      if (from) return { kind: e.kind, key: e.key, action: 'unchanged', text: `moved here from ${from.key} (the same cloud object)`, deletesData: false };
      return { kind: e.kind, key: e.key, action: 'create', text: describeCreate(e), deletesData: false };
    }
    if (a === 'delete') return describeDelete(e, all);
    if (a === 'create,delete' || a === 'delete,create') return describeReplace(e);
    return { kind: e.kind, key: e.key, action: 'unchanged', text: 'unchanged', deletesData: false };
  });
  return { stack, changes: changes.sort((x, y) => KINDS.indexOf(x.kind) - KINDS.indexOf(y.kind) || x.key.localeCompare(y.key)) };
}

/** 0 nothing deletes backups, 2 something does, 3 something will fail at apply. */
export function planExitCode(report: PlanReport): number {
  if (report.changes.some((c) => c.action === 'fail')) return 3;
  return report.changes.some((c) => c.deletesData) ? 2 : 0;
}
