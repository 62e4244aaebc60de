import { declaredSpecs } from '../../src/contract/entries';
import { HOOK_KINDS, HookKind } from '../../src/contract/specs';

/**
 * The specs a synthesized stack declares for `kind`, by key: each entry's two parts joined, every
 * default filled in, values known only at apply as their expression (`${var.size}`).
 */
export function specsOf(synthesized: any, kind: HookKind): Record<string, any> {
  return declaredSpecs(synthesized, kind) ?? {};
}

/** The specs of every kind of a synthesized stack, as `cbr_<kind>_specs` (the locals spec format 3 wrote). */
export function specLocals(synthesized: any): Record<string, Record<string, any>> {
  return Object.fromEntries(HOOK_KINDS.map((kind) => [`cbr_${kind}_specs`, specsOf(synthesized, kind)]));
}
