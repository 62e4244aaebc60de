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
