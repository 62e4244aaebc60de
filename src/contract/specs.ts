/**
 * The contract between the constructs and the lifecycle hooks: the hook kinds and actions, the
 * names of the tables and locals they meet in, and the spec format. The specs themselves are the
 * schemas of schemas.ts (types re-exported here, so synth loads no schema), checked by decode.ts.
 */

export type {
  AssociationSpec, AttachmentSpec, BackupClientSpec, BackupClientVersionPolicyValue, PolicyClaimSpec, PolicyOperationDefinition,
  PolicyRef, PolicySpec, RemovalPolicyValue, TagSpec, VaultRef, VaultSpec,
} from './schemas';
import type { VaultRef } from './schemas';

/**
 * The format of the specs this release writes, as `spec_format` in every spec. Format 1 is the
 * format without that field (releases up to 1b83c42); format 2 only named itself; format 3 roots
 * identity in the deployment (`deployment`, schemas.ts) and points at vaults by construct path.
 * The hook decodes every format up to this one (decode.ts, schemas per format) and refuses newer ones.
 */
export const SPEC_FORMAT = 3;

/** Tag key that marks a vault as created by this library for one construct. */
export const OWNER_TAG_KEY = 'cdktf-cbr';

/** A readable name of the vault a ref points at, for messages at synth and at apply time. */
export function describeVaultRef(ref: VaultRef): string {
  if (ref.by === 'id') return `vault ${ref.value}`;
  if (ref.by === 'path' && !ref.name) return `the vault of ${ref.value}`;
  return `vault "${ref.name || ref.value}"`;
}

/**
 * The kinds of hook tables, each `terraform_data.cbr_<kind>` with its specs in the local
 * `cbr_<kind>_specs`, in API order: a kind's hooks run after the kind before it on apply
 * (src/constructs/private/hook-table.ts). `client` is the HBR backup client (hbr.BackupClient),
 * which belongs to another service and follows nothing; the name is in users' states, so it stays.
 */
export const HOOK_KINDS = ['policy', 'vault', 'attachment', 'association', 'tag', 'client'] as const;
export type HookKind = typeof HOOK_KINDS[number];
/** What a hook is asked to do. `claim` is the policy-name claim's hook (PolicyClaimSpec), for kind `policy` only. */
export const HOOK_ACTIONS = ['apply', 'delete', 'read', 'diff', 'claim'] as const;
export type HookAction = typeof HOOK_ACTIONS[number];

/** The name of the local that holds a hook table's specs; the table's for_each iterates it. */
export function specsLocalName(kind: HookKind): string {
  return `cbr_${kind}_specs`;
}

/** The stack's deployment anchor: a `terraform_data` with no triggers, whose id every entry carries. */
export const DEPLOYMENT_ANCHOR = 'cbr_deployment';
/** The table of policy-name claims, and the local its for_each iterates. */
export const POLICY_CLAIMS = 'cbr_policy_claim';

/**
 * The specs of one hook table in a synthesized stack (cdk.tf.json), keyed by construct path;
 * undefined when the stack has no such table.
 */
export function declaredSpecs(config: any, kind: HookKind): Record<string, unknown> | undefined {
  if (!config?.resource?.terraform_data?.[`cbr_${kind}`]) return undefined;
  return config.locals?.[specsLocalName(kind)] ?? {};
}
