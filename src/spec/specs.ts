/**
 * The specs that travel from a construct, through `terraform_data.input`, to a lifecycle hook.
 *
 * Field names are the CBR API's own (snake_case) so that a reviewer reading `terraform plan`
 * sees the words of the API reference. Every field is always present (no `undefined`):
 * a field that comes and goes would make plans noisy and diffs ambiguous.
 */

/**
 * The format of the specs this release writes, as `spec_format` in every spec. Format 1 is the
 * format without that field (releases up to 1b83c42); format 2 only named itself; format 3 roots
 * identity in the deployment (see `deployment` below) and points at vaults by construct path.
 * The hook decodes every format up to this one (src/runtime/decode.ts, one decoder per format)
 * and refuses newer ones.
 */
export const SPEC_FORMAT = 3;

/**
 * Every entry's spec in state carries, besides what its construct declared, `deployment`: the id of
 * the stack's anchor (`terraform_data.cbr_deployment`), which Terraform merges in. It is random,
 * kept for the life of the state, and differs between two states of the same app, so it tells this
 * deployment's objects from another's. Absent in formats 1-2 and in the synthesized configuration.
 */
export interface Deployed {
  readonly deployment?: string;
}

/** What happens to the cloud object when its construct is removed or the stack destroyed. */
export type RemovalPolicyValue = 'retain' | 'destroy';

/** Tag key that marks a vault as created by this library for one construct. */
export const OWNER_TAG_KEY = 'cdktf-cbr';

export interface VaultSpec extends Deployed {
  /**
   * Formats 1-2: the value of the OWNER_TAG_KEY tag, a hash of the stack name and construct path.
   * Format 3 finds the vault by a tag derived from the deployment and the entry's key instead.
   */
  readonly owner?: string;
  /**
   * Format 3: the tag value formats 1-2 gave this construct's vault, so that the first apply after
   * an upgrade recognises it (together with its name) and tags it for this deployment.
   */
  readonly legacy_owner?: string;
  readonly name: string;
  readonly description: string;
  readonly object_type: string;
  readonly protect_type: string;
  readonly consistent_level: string;
  readonly cloud_type: string;
  readonly charging_mode: string;
  /** Yearly/monthly vaults: year or month; '' for pay-per-use. */
  readonly period_type: string;
  /** Yearly/monthly vaults: number of periods; 0 for pay-per-use. */
  readonly period_num: number;
  readonly is_auto_renew: boolean;
  readonly is_auto_pay: boolean;
  readonly size: number;
  readonly is_multi_az: boolean;
  readonly auto_expand: boolean;
  readonly auto_bind: boolean;
  readonly bind_rules: Record<string, string>;
  readonly threshold: number;
  readonly smn_notify: boolean;
  readonly backup_name_prefix: string;
  readonly enterprise_project_id: string;
  readonly removal_policy: RemovalPolicyValue;
  /** Take over a vault of this name that this deployment does not own, and tag it for this deployment. */
  readonly adopt: boolean;
}

export interface PolicyOperationDefinition {
  readonly max_backups?: number;
  readonly retention_duration_days?: number;
  readonly day_backups?: number;
  readonly week_backups?: number;
  readonly month_backups?: number;
  readonly year_backups?: number;
  readonly timezone?: string;
  readonly full_backup_interval?: number;
  readonly destination_region?: string;
  readonly destination_project_id?: string;
  readonly enable_acceleration?: boolean;
}

export interface PolicySpec extends Deployed {
  /** Policies take no tags: the unique policy name is the identity, claimed once per deployment (PolicyClaimSpec). */
  readonly name: string;
  readonly operation_type: string;
  readonly enabled: boolean;
  readonly pattern: string[];
  readonly operation_definition: PolicyOperationDefinition;
  /** Plain-language summaries for reviewers; never sent to the API. */
  readonly schedule_summary: string;
  readonly retention_summary: string;
  /**
   * For reviewers; never sent to the API. Average runs per week over the schedule's whole period,
   * rounded to two decimals (the busiest start weekday when it matters); -1 when the patterns are
   * tokens, known only at apply time.
   */
  readonly runs_per_week: number;
  /**
   * For reviewers; never sent to the API. The most backups the retention can hold at once with
   * this schedule (an upper bound with long-term counts); -1 when unbounded (backups are kept
   * forever) or not known at synth (a token).
   */
  readonly max_backups_held: number;
  readonly removal_policy: RemovalPolicyValue;
}

/**
 * A deployment's claim on a policy name (table `cbr_policy_claim`, one entry per name): made once,
 * when the name first appears in the deployment, and refused when a policy of that name already
 * exists and is not provably this deployment's. Policies take no tags, so the claim in the state is
 * what makes a policy "ours" on every later apply.
 */
export interface PolicyClaimSpec extends Deployed {
  readonly name: string;
  /** Take over a policy of this name that this deployment did not create. */
  readonly adopt: boolean;
}

/**
 * How a hook finds a vault: `path` (a Vault of this stack: its construct path, from which the hook
 * derives the ownership tag of this deployment), `owner` (formats 1-2: the ownership tag value),
 * `id` (imported by id) or `name` (imported by name, which must match exactly one vault).
 */
export interface VaultRef {
  readonly by: 'path' | 'owner' | 'id' | 'name';
  readonly value: string;
  /** The vault name when known at synth, for messages; '' otherwise. */
  readonly name: string;
}

/** A readable name of the vault a ref points at, for messages at synth and at apply time. */
export function describeVaultRef(ref: VaultRef): string {
  if (ref.by === 'id') return `vault ${ref.value}`;
  if (ref.by === 'path' && !ref.name) return `the vault of ${ref.value}`;
  return `vault "${ref.name || ref.value}"`;
}

/** How a hook finds a policy: by its unique name (declared or imported by name) or by id. */
export interface PolicyRef {
  readonly by: 'name' | 'id';
  readonly value: string;
}

/** A policy applied to a vault (4.5.8/4.5.9). */
export interface AttachmentSpec extends Deployed {
  readonly vault: VaultRef;
  readonly policy: PolicyRef;
  readonly operation_type: string;
  /** Replication destination vault id (in the destination region); '' for backup policies. */
  readonly destination_vault_id: string;
}

/** One resource protected by a vault (4.5.6/4.5.7): one hook-table entry per resource. */
export interface AssociationSpec extends Deployed {
  readonly vault: VaultRef;
  readonly resource_id: string;
  /**
   * Present only when resource_id is a Terraform expression at synth (another resource's id): the
   * expression's text, which also keys the entry. Absent otherwise, so that entries written before
   * this field existed keep their spec.
   */
  readonly resource_ref?: string;
  readonly resource_type: string;
  readonly exclude_volumes: string[];
  /** Keep the association when the whole stack is destroyed (dissociating deletes the resource's backups). */
  readonly retain_on_destroy: boolean;
}

/** One tag of a vault (4.7.3/4.7.4). */
export interface TagSpec extends Deployed {
  readonly vault: VaultRef;
  readonly key: string;
  readonly value: string;
  /** Keep the tag when the whole stack is destroyed (the vault it labels is retained). */
  readonly retain_on_destroy: boolean;
}

/** What the `client` hook does about installed HBR clients older than the service's MaxClientVersion. */
export type ClientVersionPolicyValue = 'keep_installed' | 'upgrade_to_latest';

/**
 * An Alibaba Cloud HBR backup client on a set of ECS instances (hbr.BackupClient). Field names are
 * snake_case forms of the HBR parameters (CreateClients: VaultId, AlertSetting, UseHttps,
 * ResourceGroupId, ClientInfo's clusterId and sourceTypes). Secrets never appear here: access keys
 * for ClientInfo are named by environment variable and read by the hook at apply time.
 */
export interface ClientSpec extends Deployed {
  readonly vault_id: string;
  /** ECS instance ids, sorted and without duplicates. */
  readonly instance_ids: string[];
  /** ClientInfo sourceTypes; empty: not sent. */
  readonly source_types: string[];
  /** ClientInfo clusterId; empty: not sent. */
  readonly cluster_id: string;
  /** CreateClients AlertSetting; empty: not sent. */
  readonly alert_setting: string;
  readonly use_https: boolean;
  /** CreateClients ResourceGroupId; empty: not sent. */
  readonly resource_group_id: string;
  readonly version_policy: ClientVersionPolicyValue;
  /** Name of the environment variable holding ClientInfo accessKeyId; empty: "" is sent, as in the example. */
  readonly access_key_id_env: string;
  /** Name of the environment variable holding ClientInfo accessKeySecret; empty: "" is sent. */
  readonly access_key_secret_env: string;
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
