import type { HookContext } from './context';
import type { AssociationSpec, AttachmentSpec, HookKind, TagSpec, VaultRef } from '../../contract/specs';

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

/**
 * Where the object of a removed entry moves: its key is gone from the configuration and another
 * entry declares the same object (sameObject); undefined when the entry is still declared or
 * nothing takes its object over. Every delete hook asks this first.
 */
export function movedTo(ctx: HookContext, kind: HookKind, spec: unknown): string | undefined {
  if (ownDeclaration(ctx, kind, spec) !== undefined) return undefined;
  return otherEntry(ctx, kind, (other) => sameObject(kind, spec, other));
}

/**
 * The same vault or policy reference. Two Vault constructs of a stack never share a literal name
 * (synth refuses it), so two refs to a Vault of the stack with the same vault name are the same
 * vault: moved to another path, or named by formats 1-2 (`owner`) and 3 (`path`) across an upgrade.
 */
export function sameRef(a: unknown, b: unknown): boolean {
  if (JSON.stringify(a) === JSON.stringify(b)) return true;
  const [x, y] = [a as Partial<VaultRef> | undefined, b as Partial<VaultRef> | undefined];
  const declaredVault = (r: Partial<VaultRef> | undefined) => r?.by === 'path' || r?.by === 'owner';
  return declaredVault(x) && declaredVault(y) && !!x!.name && x!.name === y!.name;
}

/** A spec as its construct declared it: without the deployment Terraform merges in (`deployment`, src/contract/schemas.ts). */
function asDeclared(spec: unknown): unknown {
  if (typeof spec !== 'object' || spec === null || !('deployment' in spec)) return spec;
  const { deployment: _, ...declared } = spec as Record<string, unknown>;
  return declared;
}

/**
 * Whether two entries of `kind` manage the same cloud object, so one can take it over from the
 * other (a move): the vault or policy of the same name (a name from an expression may be the same),
 * the same resource (by expression when it has one), the same tag of the same vault, the same policy
 * on the same vault. HBR clients are never moved between entries. `b` may be a declared spec.
 */
export function sameObject(kind: HookKind, a: unknown, b: unknown): boolean {
  switch (kind) {
    case 'vault':
    case 'policy': return mayEqual((b as { name?: unknown }).name, (a as { name?: unknown }).name);
    case 'association': {
      const [x, y] = [a as Partial<AssociationSpec>, b as Partial<AssociationSpec>];
      return x.resource_ref ? x.resource_ref === y.resource_ref : x.resource_id === y.resource_id;
    }
    case 'tag': return sameRef((a as TagSpec).vault, (b as TagSpec).vault) && (a as TagSpec).key === (b as TagSpec).key;
    case 'attachment': return sameRef((a as AttachmentSpec).vault, (b as AttachmentSpec).vault) && sameRef((a as AttachmentSpec).policy, (b as AttachmentSpec).policy);
    default: return false;
  }
}

/** What a delete hook of a kind replaced delete-first (association, tag) is to do with its object. */
export type DeleteVerdict =
  /** Still declared with another spec: the first half of a replacement, whose apply hook takes the object over. */
  | { readonly keep: 'replaced' }
  /** Still declared as is, and `terraform apply -replace` names it: the hook entry applies it again next. */
  | { readonly keep: 'requested' }
  /** Still declared as is and kept on destroy: `terraform destroy` under a retained vault. */
  | { readonly keep: 'retained' }
  /**
   * Still declared with values from expressions: a changed value looks like a destroy from here,
   * unless the command line says it is `terraform destroy` (Linux, /proc).
   */
  | { readonly keep: 'expressions' }
  /** Gone from the configuration, and another entry declares the object: it moves there. */
  | { readonly keep: 'moved'; readonly to: string }
  | { readonly keep?: undefined };

/**
 * Decides a delete hook of a kind that Terraform replaces delete-first, and hands the old spec to
 * the replacing entry when the key is still declared (see handoff.ts). Both orders of a move's two
 * hooks (DESIGN.md fact 10) and both halves of a replacement (fact 2) end as declared.
 */
export function deleteVerdict(ctx: HookContext, kind: HookKind, spec: unknown, retainOnDestroy: boolean): DeleteVerdict {
  const declared = ownDeclaration(ctx, kind, spec);
  if (declared === undefined) {
    const to = movedTo(ctx, kind, spec);
    return to ? { keep: 'moved', to } : {};
  }
  // `terraform destroy` removes what the state holds, whatever the configuration declares now.
  if (ctx.destroying() === true) return retainOnDestroy ? { keep: 'retained' } : {};
  ctx.handoff.put(spec);
  if (!mayEqual(asDeclared(declared), asDeclared(spec))) return { keep: 'replaced' };
  if (ctx.replacedOnRequest()) return { keep: 'requested' };
  if (retainOnDestroy) return { keep: 'retained' };
  if (hasExpression(declared) && ctx.destroying() !== true) return { keep: 'expressions' };
  return {};
}
