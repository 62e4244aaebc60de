import { HookError } from './context';

/** One field whose desired value (from the spec) differs from the live value (from the API). */
export interface FieldChange {
  readonly field: string;
  readonly desired: unknown;
  readonly live: unknown;
  /** False when the API offers no way to change the field on an existing object. */
  readonly updatable: boolean;
}

/** Describes how one spec field maps to the live object and whether the API can update it. */
export interface FieldRule<S, L> {
  readonly field: string;
  readonly desired: (spec: S) => unknown;
  readonly live: (live: L) => unknown;
  readonly updatable: boolean;
}

/** Compares JSON-like values structurally; key order of objects does not matter. */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * One field of a spec and where it sits in the API's object: `api` is its dotted path in the create
 * and update bodies, the same in the object the API answers. One table of these per kind drives the
 * create body, the update body and the comparison with the live object (the convention every kind
 * with updatable fields follows).
 */
export interface ApiField<S, L> {
  readonly field: keyof S & string;
  readonly api: string;
  /** The update API can change it in place. */
  readonly updatable: boolean;
  /** Compared with the live object. @default true (false: the read API does not return it, so it is set at creation only) */
  readonly compared?: boolean;
  /** What the API means when the answer leaves the field out (its documented default). */
  readonly absent?: unknown;
  /** Sent at creation only when this holds. @default always */
  readonly sent?: (spec: S) => boolean;
  /** The value on the wire, when it is not the spec's own. */
  readonly wire?: (spec: S) => unknown;
  /** The live value, when the answer's shape is not the spec's. */
  readonly live?: (live: L) => unknown;
}

/** Sets `value` at a dotted path of `target`, creating the objects on the way. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  let at = target;
  for (const k of keys) at = (at[k] ??= {}) as Record<string, unknown>;
  at[last] = value;
}

function wireValue<S, L>(f: ApiField<S, L>, spec: S): unknown {
  return f.wire ? f.wire(spec) : spec[f.field];
}

/** The object of a create body: every field the table sends. */
export function createObject<S, L>(fields: readonly ApiField<S, L>[], spec: S): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f.sent?.(spec) ?? true) setPath(out, f.api, wireValue(f, spec));
  return out;
}

/** The object of an update body: the changed fields, at their places. */
export function updateObject<S, L>(fields: readonly ApiField<S, L>[], changes: readonly FieldChange[], spec: S): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of changes) {
    const f = fields.find((x) => x.field === c.field);
    if (f) setPath(out, f.api, wireValue(f, spec));
  }
  return out;
}

/** The comparison rules of the fields a table compares. */
export function compareRules<S, L>(fields: readonly ApiField<S, L>[]): FieldRule<S, L>[] {
  return fields.filter((f) => f.compared !== false).map((f) => ({
    field: f.field,
    desired: (s) => s[f.field],
    live: (l) => (f.live ? f.live(l) : f.api.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], l) ?? f.absent),
    updatable: f.updatable,
  }));
}

export function diffFields<S, L>(rules: readonly FieldRule<S, L>[], spec: S, live: L): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const rule of rules) {
    const desired = rule.desired(spec);
    const current = rule.live(live);
    if (!sameValue(desired, current)) {
      changes.push({ field: rule.field, desired, live: current, updatable: rule.updatable });
    }
  }
  return changes;
}

/** Renders a value for one-line hook output: short, stable, and unambiguous. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return '(unset)';
  return canonicalJson(value);
}

export function describeChanges(changes: readonly FieldChange[]): string {
  return changes.map((c) => `${c.field} ${show(c.live)} -> ${show(c.desired)}`).join(', ');
}

/**
 * Fails when a change touches fields the API cannot update in place: nothing is deleted and
 * recreated behind the user's back. `what` is e.g. `vault <id>`, `section` the update API's number.
 */
export function refuseFrozenChanges(what: string, changes: readonly FieldChange[], section: string, fix: string): void {
  const frozen = changes.filter((c) => !c.updatable);
  if (frozen.length === 0) return;
  throw new HookError(`${what} cannot change ${describeChanges(frozen)} in place: the CBR API (${section}) does not update ` +
    `${frozen.map((c) => c.field).join(', ')}. ${fix}`);
}
