import type { HookContext } from './context';
import type { HookKind } from '../specs';

/**
 * Questions about the configuration Terraform is applying (cdk.tf.json), asked by delete hooks:
 * the entry being deleted may be moving to another key (a construct moved or renamed, a tag moved
 * from Vault.tags to a VaultTag), and Terraform runs the new key's apply hook before or after this
 * one in no set order (DESIGN.md fact 10).
 */

/** A Terraform expression in the synthesized configuration: its value is known only to Terraform. */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && /(^|[^$])\$\{/.test(value);
}

/** Whether any part of a declared spec is a Terraform expression. */
export function hasExpression(declared: unknown): boolean {
  if (isExpression(declared)) return true;
  if (Array.isArray(declared)) return declared.some(hasExpression);
  if (typeof declared === 'object' && declared !== null) return Object.values(declared).some(hasExpression);
  return false;
}

/**
 * Whether a declared spec (from cdk.tf.json) may equal a resolved one: every literal part equal,
 * any expression matching anything.
 */
export function mayEqual(declared: unknown, resolved: unknown): boolean {
  if (isExpression(declared)) return true;
  if (Array.isArray(declared)) {
    return Array.isArray(resolved) && declared.length === resolved.length && declared.every((d, i) => mayEqual(d, resolved[i]));
  }
  if (typeof declared === 'object' && declared !== null) {
    if (typeof resolved !== 'object' || resolved === null || Array.isArray(resolved)) return false;
    const keys = new Set([...Object.keys(declared), ...Object.keys(resolved)]);
    return [...keys].every((k) => mayEqual((declared as Record<string, unknown>)[k], (resolved as Record<string, unknown>)[k]));
  }
  return declared === resolved;
}

/** The declared spec of this hook's own entry; undefined when its key is gone from the configuration. */
export function ownDeclaration(ctx: HookContext, kind: HookKind, fallback: unknown): unknown {
  const all = ctx.declared(kind);
  if (all === undefined) return fallback;
  return Object.prototype.hasOwnProperty.call(all, ctx.key) ? all[ctx.key] : undefined;
}

/** Another entry of `kind` than this hook's own for which `same` holds: where the object is moving. */
export function otherEntry<S>(ctx: HookContext, kind: HookKind, same: (declared: S) => boolean): string | undefined {
  return Object.entries(ctx.declared(kind) ?? {}).find(([key, d]) => key !== ctx.key && same(d as S))?.[0];
}

/** The same vault or policy reference, compared as written. */
export function sameRef(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
