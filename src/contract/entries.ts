import { createHash } from 'node:crypto';
import { joinSpec } from './layout';
import { HOOK_KINDS, HookKind, identitiesLocal, inputsLocal, tableName } from './specs';
import { parseTemplatedJson } from './templated-json';

/**
 * The entries of a synthesized stack (its cdk.tf.json), as the hooks and the `cdktf-cbr` command
 * read them: each kind's two locals of JSON text (layout.ts), keyed by construct path.
 */

/** An entry's two parts as the configuration holds them: `input` and the identity half of `triggers_replace`. */
export type EntryTexts = readonly [input: string, identity: string];

/** The entries of `kind` in a synthesized configuration; undefined when the stack has no such table. */
export function entryTexts(config: any, kind: HookKind): Record<string, EntryTexts> | undefined {
  if (!config?.resource?.terraform_data?.[tableName(kind)]) return undefined;
  const inputs: Record<string, string> = config.locals?.[inputsLocal(kind)] ?? {};
  const identities: Record<string, string> = config.locals?.[identitiesLocal(kind)] ?? {};
  return Object.fromEntries(Object.entries(inputs).map(([key, input]) => [key, [input, identities[key] ?? '{}'] as const]));
}

/** The stack's name, which cdktf writes into the configuration's metadata. */
export function stackNameOf(config: any): string | undefined {
  const name = config?.['//']?.metadata?.stackName;
  return typeof name === 'string' ? name : undefined;
}

/**
 * The ownership tag value releases up to spec format 2 gave the vault declared at `key` in stack
 * `stack`: a hash of both. The first apply after such an upgrade recognises the vault by it.
 */
export function legacyOwnerTag(stack: string, key: string): string {
  return `o-${createHash('sha256').update(`${stack}\0${key}`).digest('hex').slice(0, 40)}`;
}

/**
 * The spec of one entry from its parts (JSON text, as Terraform resolved it or as declared), with
 * the extras only the hooks add: the deployment, and a vault's legacy ownership tag.
 */
export function entrySpec(
  kind: HookKind, key: string, input: Readonly<Record<string, unknown>>, identity: Readonly<Record<string, unknown>>,
  extra: { deployment?: string; stack?: string },
): Record<string, unknown> {
  const spec = joinSpec(kind, input, identity);
  if (extra.deployment !== undefined) spec.deployment = extra.deployment;
  if (kind === 'vault' && extra.stack !== undefined) spec.legacy_owner = legacyOwnerTag(extra.stack, key);
  return spec;
}

/**
 * The spec an entry holds in the state: from format 4 on, its `input` and `triggers_replace`
 * joined (src/contract/layout.ts); whole in `triggers_replace` when an earlier release wrote it.
 */
export function storedSpec(kind: HookKind, key: string, values: { input?: unknown; triggers_replace?: unknown } | undefined): unknown {
  const [input, triggers] = [values?.input, values?.triggers_replace];
  if (typeof input !== 'string' || !Array.isArray(triggers) || typeof triggers[1] !== 'string') return triggers;
  return entrySpec(kind, key, JSON.parse(input), JSON.parse(triggers[1]), { deployment: triggers[0] });
}

/**
 * The specs of `kind` as the configuration declares them, values known only at apply as strings
 * of their expression (`${aws_instance.web.id}`), as stored (no deployment, no legacy tag);
 * undefined when the stack has no such table.
 */
export function declaredSpecs(config: any, kind: HookKind): Record<string, Record<string, unknown>> | undefined {
  const texts = entryTexts(config, kind);
  if (!texts) return undefined;
  return Object.fromEntries(Object.entries(texts).map(([key, [input, identity]]) =>
    [key, entrySpec(kind, key, parseTemplatedJson(input) as Record<string, unknown>, parseTemplatedJson(identity) as Record<string, unknown>, {})]));
}

/**
 * A digest of every entry of the configuration, as synth wrote them. The hook entry receives the
 * one synth computed, and compares it with the configuration file it reads: a cdk.tf.json
 * synthesized again after `terraform plan -out` is not the configuration Terraform applies.
 */
export function entriesDigest(config: any): string {
  const hash = createHash('sha256');
  // By key, whatever order cdktf writes the keys of the locals in.
  const sorted = (texts: Record<string, string> | undefined) =>
    JSON.stringify(Object.entries(texts ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  for (const kind of HOOK_KINDS) {
    hash.update(`${kind}\0${sorted(config?.locals?.[inputsLocal(kind)])}\0${sorted(config?.locals?.[identitiesLocal(kind)])}\0`);
  }
  return hash.digest('hex').slice(0, 32);
}
