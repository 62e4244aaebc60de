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
 * identity in the deployment (`deployment`, schemas.ts) and points at vaults by construct path;
 * format 4 splits each spec into the fields the API updates in place and those that identify the
 * object (layout.ts), leaves out fields at their defaults, and keeps both as JSON text in state.
 * The hook decodes every format up to this one (decode.ts, schemas per format) and refuses newer ones.
 */
export const SPEC_FORMAT = 4;

/** Tag key that marks a vault as created by this library for one construct. */
export const OWNER_TAG_KEY = 'cdktf-cbr';

/** A readable name of the vault a ref points at, for messages at synth and at apply time. */
export function describeVaultRef(ref: VaultRef): string {
  if (ref.by === 'id') return `vault ${ref.value}`;
  if (ref.by === 'path' && !ref.name) return `the vault of ${ref.value}`;
  return `vault "${ref.name || ref.value}"`;
}

/**
 * The kinds of cloud objects, each a table `terraform_data.cbr_<kind>` with one entry per object
 * (tableName), in API order: the hook entry applies them in this order and their delete hooks run
 * in the reverse (src/constructs/private/hook-table.ts). `client` is the HBR backup client
 * (hbr.BackupClient), which belongs to another service; the name is in users' states, so it stays.
 */
export const HOOK_KINDS = ['policy', 'vault', 'attachment', 'association', 'tag', 'client'] as const;
export type HookKind = typeof HOOK_KINDS[number];
/**
 * What a hook is asked to do: `apply` (the hook entry: every object of the stack), `delete` (one
 * removed object), `claim` (a policy name, PolicyClaimSpec), `order` (a yearly/monthly vault), and
 * `read` / `diff` (one object, for people and tests).
 */
export const HOOK_ACTIONS = ['apply', 'delete', 'read', 'diff', 'claim', 'order'] as const;
export type HookAction = typeof HOOK_ACTIONS[number];

/** The table of a kind's objects: one entry per object, keyed by construct path. */
export function tableName(kind: HookKind): string {
  return `cbr_${kind}`;
}

/** The local holding a kind's entries' updatable fields, as JSON text by key; the table's for_each iterates it. */
export function inputsLocal(kind: HookKind): string {
  return `cbr_${kind}_inputs`;
}

/** The local holding a kind's entries' identifying fields, as JSON text by key. */
export function identitiesLocal(kind: HookKind): string {
  return `cbr_${kind}_identities`;
}

/** The stack's deployment anchor: a `terraform_data` with no triggers, whose id every entry carries. */
export const DEPLOYMENT_ANCHOR = 'cbr_deployment';
/** The table of policy-name claims, and the local its for_each iterates. */
export const POLICY_CLAIMS = 'cbr_policy_claim';
/** The orders of yearly/monthly vaults (one entry per vault, placed once), and the local its for_each iterates. */
export const VAULT_ORDERS = 'cbr_vault_order';
/** The hook entry: one per stack, replaced whenever an object is added or changed, its provisioner applies every object. */
export const HOOK_ENTRY = 'cbr_hooks';

/** The `terraform_data` resources that stand for no cloud object: they only run hooks or hold the deployment. */
export const BOOKKEEPING_TABLES: readonly string[] = [DEPLOYMENT_ANCHOR, POLICY_CLAIMS, VAULT_ORDERS, HOOK_ENTRY];
