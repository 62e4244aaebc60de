import * as z from 'zod/mini';
import { MAX_BIND_RULES } from '../api/cbr/catalog';
import { charLength } from '../api/table';
import { MAX_PATTERNS } from '../schedule/schedule-rules';

/**
 * The specs that travel from a construct, through `terraform_data.input`, to a lifecycle hook, as
 * zod schemas: the types the constructs write and the handlers read are inferred from them, and
 * the hook's decoder (decode.ts) parses every spec with them before acting.
 *
 * Field names are the CBR API's own (snake_case) so that a reviewer reading `terraform plan` sees
 * the words of the API reference. Every field is always present (no `undefined`), except those
 * marked optional here: a field that comes and goes would make plans noisy and diffs ambiguous. An
 * unknown field is refused: this release would not know what it means.
 *
 * Each check words what it expects (`a string of at most 255 characters`), which the decoder puts
 * after the field and the value received. The bounds the API documents are checked here; the rules
 * synth checks (vault props, tags, schedule, retention, HBR clients) run after the shape, in decode.ts.
 */

/** Strings the API receives: names, ids, descriptions, patterns (the longest the API documents is 255). */
const MAX_TEXT = 255;
/** Strings never sent to the API: summaries for reviewers, expression text. */
const MAX_NOTE = 16_384;

const text = (max = MAX_TEXT, min = 0) => z.string({ error: 'a string' }).check(z.refine((v) => charLength(v) >= min && charLength(v) <= max, {
  error: min > 0 ? `a string of ${min}-${max} characters` : `a string of at most ${max} characters`,
}));
/** Any string: a rule function bounds it. */
const anyText = () => z.string({ error: 'a string' });
const bool = () => z.boolean({ error: 'true or false' });
/** Any finite number; its range is left to a rule. */
const num = () => z.number({ error: 'a number' });
const whole = (min: number, max = Number.MAX_SAFE_INTEGER) => z.number({ error: 'a whole number' }).check(
  z.refine(Number.isInteger, { error: 'a whole number', abort: true }),
  z.refine((v) => v >= min && v <= max, { error: `a whole number from ${min} to ${max}` }),
);
const oneOf = <const T extends readonly [string, ...string[]]>(...allowed: T) =>
  z.enum(allowed, { error: `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}` });
const list = <I extends z.ZodMiniType>(item: I, min = 0, max = Number.MAX_SAFE_INTEGER) => z.array(item, { error: 'a list' }).check(
  z.refine((v) => v.length >= min && v.length <= max, {
    error: max === Number.MAX_SAFE_INTEGER ? `a list of at least ${min} items` : `a list of ${min}-${max} items`,
  }),
);
const record = <S extends z.core.$ZodLooseShape>(shape: S) => z.strictObject(shape, { error: 'an object' });

/** Where decode.ts words a problem of a map's key (`spec.bind_rules key "…"`) rather than of a value. */
export const KEY_PROBLEM = 'cbr-key';

/** An object of string values (tag key to tag value), keys and values API strings. */
const stringMap = (maxEntries: number) => z.record(z.string(), text(), { error: 'an object' }).check(
  z.refine((v) => Object.keys(v).length <= maxEntries, { error: `an object of at most ${maxEntries} entries`, abort: true }),
  z.superRefine((v, ctx) => {
    const key = Object.keys(v).find((k) => charLength(k) > MAX_TEXT);
    if (key !== undefined) ctx.issues.push({ code: 'custom', input: key, path: [key], message: `a string of at most ${MAX_TEXT} characters`, params: { [KEY_PROBLEM]: true } });
  }),
);

/** The id of the stack's anchor that Terraform merges into every format-3 spec (see `deployment` below). */
const deployment = text(MAX_TEXT, 1);

/**
 * What happens to the cloud object when its construct is removed or the stack destroyed.
 */
const removalPolicy = oneOf('retain', 'destroy');
export type RemovalPolicyValue = z.infer<typeof removalPolicy>;

/**
 * How a hook finds a vault: `path` (a Vault of this stack: its construct path, from which the hook
 * derives the ownership tag of this deployment), `owner` (formats 1-2: the ownership tag value),
 * `id` (imported by id) or `name` (imported by name, which must match exactly one vault). `name` is
 * the vault name when known at synth, for messages; '' otherwise.
 */
const LEGACY_VAULT_REF = record({ by: oneOf('owner', 'id', 'name'), value: text(MAX_TEXT, 1), name: text() });
/** A construct path is no API value and may be long; an id or a name is sent to the API. */
const VAULT_REF = record({ by: oneOf('path', 'id', 'name'), value: text(MAX_NOTE, 1), name: text() }).check(
  z.refine((ref) => ref.by === 'path' || charLength(ref.value) <= MAX_TEXT, { error: `a string of 1-${MAX_TEXT} characters`, path: ['value'] }),
);
export type VaultRef = z.infer<typeof LEGACY_VAULT_REF> | z.infer<typeof VAULT_REF>;

/** How a hook finds a policy: by its unique name (declared or imported by name) or by id. */
const POLICY_REF = record({ by: oneOf('name', 'id'), value: text(MAX_TEXT, 1) });
export type PolicyRef = z.infer<typeof POLICY_REF>;

// ---- Vaults ------------------------------------------------------------------------------------

const VAULT_COMMON = {
  name: text(),
  description: text(),
  object_type: text(),
  protect_type: text(),
  consistent_level: text(),
  cloud_type: text(),
  charging_mode: text(),
  /** Yearly/monthly vaults: year or month; '' for pay-per-use. */
  period_type: text(),
  /** Yearly/monthly vaults: number of periods; 0 for pay-per-use. */
  period_num: whole(0),
  is_auto_renew: bool(),
  is_auto_pay: bool(),
  /** GB (billing.size). */
  size: num(),
  is_multi_az: bool(),
  auto_expand: bool(),
  auto_bind: bool(),
  bind_rules: stringMap(MAX_BIND_RULES),
  /** Percent. */
  threshold: num(),
  smn_notify: bool(),
  backup_name_prefix: text(),
  enterprise_project_id: text(),
  removal_policy: removalPolicy,
  /** Take over a vault of this name that this deployment does not own, and tag it for this deployment. */
  adopt: bool(),
};
/** Formats 1-2: `owner` is the value of the ownership tag, a hash of the stack name and construct path. */
const LEGACY_VAULT = { owner: text(MAX_TEXT, 1) };
/**
 * Format 3 finds the vault by a tag derived from the deployment and the entry's key; `legacy_owner`
 * is the tag value formats 1-2 gave this construct's vault, so that the first apply after an
 * upgrade recognises it (together with its name) and tags it for this deployment.
 */
const DEPLOYED_VAULT = { legacy_owner: text(MAX_TEXT, 1), deployment };

// ---- Policies ----------------------------------------------------------------------------------

/** PolicyOperationDefinition: every field optional; counts whole, ranges per validateOperationDefinition. */
const OPERATION_DEFINITION = record({
  max_backups: z.optional(whole(-1)),
  retention_duration_days: z.optional(whole(-1)),
  day_backups: z.optional(whole(-1)),
  week_backups: z.optional(whole(-1)),
  month_backups: z.optional(whole(-1)),
  year_backups: z.optional(whole(-1)),
  timezone: z.optional(text()),
  full_backup_interval: z.optional(whole(-1)),
  destination_region: z.optional(text()),
  destination_project_id: z.optional(text()),
  enable_acceleration: z.optional(bool()),
});
export type PolicyOperationDefinition = z.infer<typeof OPERATION_DEFINITION>;

const POLICY_COMMON = {
  /** Policies take no tags: the unique policy name is the identity, claimed once per deployment (PolicyClaimSpec). */
  name: text(),
  operation_type: text(),
  enabled: bool(),
  pattern: list(text(MAX_TEXT, 1), 1, MAX_PATTERNS),
  operation_definition: OPERATION_DEFINITION,
  /** Plain-language summaries for reviewers; never sent to the API. */
  schedule_summary: text(MAX_NOTE),
  retention_summary: text(MAX_NOTE),
  /**
   * For reviewers; never sent to the API. Average runs per week over the schedule's whole period,
   * rounded to two decimals (the busiest start weekday when it matters); -1 when the patterns are
   * tokens, known only at apply time.
   */
  runs_per_week: num(),
  /**
   * For reviewers; never sent to the API. The most backups the retention can hold at once with
   * this schedule (an upper bound with long-term counts); -1 when unbounded (backups are kept
   * forever) or not known at synth (a token).
   */
  max_backups_held: whole(-1),
  removal_policy: removalPolicy,
};

/**
 * A deployment's claim on a policy name (table `cbr_policy_claim`, one entry per name, from format
 * 3 on): made once, when the name first appears in the deployment, and refused when a policy of
 * that name already exists and is not provably this deployment's. Policies take no tags, so the
 * claim in the state is what makes a policy "ours" on every later apply. `adopt` takes over a
 * policy of this name that this deployment did not create.
 */
export const POLICY_CLAIM = record({ name: anyText(), adopt: bool(), deployment, region: z.optional(text()), project_id: z.optional(text()) });
export type PolicyClaimSpec = z.infer<typeof POLICY_CLAIM>;

// ---- Relations ---------------------------------------------------------------------------------

/** A policy applied to a vault (4.5.8/4.5.9). `destination_vault_id`: the replication destination (in its region); '' for backup policies. */
const ATTACHMENT_COMMON = { policy: POLICY_REF, operation_type: text(), destination_vault_id: text() };

/** One resource protected by a vault (4.5.6/4.5.7): one hook-table entry per resource. */
const ASSOCIATION_COMMON = {
  resource_id: text(MAX_TEXT, 1),
  /**
   * Present only when resource_id is a Terraform expression at synth (another resource's id): the
   * expression's text, which also keys the entry. Absent otherwise, so that entries written before
   * this field existed keep their spec.
   */
  resource_ref: z.optional(text(MAX_NOTE, 1)),
  resource_type: text(),
  exclude_volumes: list(text()),
  /** Keep the association when the whole stack is destroyed (dissociating deletes the resource's backups). */
  retain_on_destroy: bool(),
};

/** One tag of a vault (4.7.3/4.7.4); key and value are bounded by the tag rules. */
const TAG_COMMON = {
  key: anyText(),
  value: anyText(),
  /** Keep the tag when the whole stack is destroyed (the vault it labels is retained). */
  retain_on_destroy: bool(),
};

// ---- HBR clients -------------------------------------------------------------------------------

/** What the `client` hook does about installed HBR clients older than the service's MaxClientVersion. */
const versionPolicy = oneOf('keep_installed', 'upgrade_to_latest');
export type BackupClientVersionPolicyValue = z.infer<typeof versionPolicy>;

/**
 * An Alibaba Cloud HBR backup client on a set of ECS instances (hbr.BackupClient). Field names are
 * snake_case forms of the HBR parameters (CreateClients: VaultId, AlertSetting, UseHttps,
 * ResourceGroupId, ClientInfo's clusterId and sourceTypes); '' is "not sent". Secrets never appear
 * here: access keys for ClientInfo are named by environment variable and read by the hook at apply time.
 */
const BACKUP_CLIENT_COMMON = {
  vault_id: text(MAX_TEXT, 1),
  /** ECS instance ids, sorted and without duplicates. */
  instance_ids: list(text(MAX_TEXT, 1)),
  source_types: list(text()),
  cluster_id: text(),
  alert_setting: text(),
  use_https: bool(),
  resource_group_id: text(),
  version_policy: versionPolicy,
  /** Name of the environment variable holding ClientInfo accessKeyId; empty: "" is sent, as in the example. */
  access_key_id_env: text(),
  /** Name of the environment variable holding ClientInfo accessKeySecret; empty: "" is sent. */
  access_key_secret_env: text(),
};

// ---- Formats -----------------------------------------------------------------------------------

/** Formats 1 (no `spec_format`, written up to 1b83c42) and 2 (names itself): vaults by ownership tag. */
export const LEGACY = {
  vault: record({ ...VAULT_COMMON, ...LEGACY_VAULT }),
  policy: record(POLICY_COMMON),
  attachment: record({ ...ATTACHMENT_COMMON, vault: LEGACY_VAULT_REF }),
  association: record({ ...ASSOCIATION_COMMON, vault: LEGACY_VAULT_REF }),
  tag: record({ ...TAG_COMMON, vault: LEGACY_VAULT_REF }),
  client: record(BACKUP_CLIENT_COMMON),
};

/**
 * Format 3: every spec carries `deployment`, the id of the stack's anchor
 * (`terraform_data.cbr_deployment`), which Terraform merges in. It is random, kept for the life of
 * the state, and differs between two states of the same app, so it tells this deployment's objects
 * from another's. Absent in formats 1-2 and in the synthesized configuration. Vaults of the stack
 * are named by construct path.
 */
export const DEPLOYED = {
  vault: record({ ...VAULT_COMMON, ...DEPLOYED_VAULT }),
  policy: record({ ...POLICY_COMMON, deployment }),
  attachment: record({ ...ATTACHMENT_COMMON, vault: VAULT_REF, deployment }),
  association: record({ ...ASSOCIATION_COMMON, vault: VAULT_REF, deployment }),
  tag: record({ ...TAG_COMMON, vault: VAULT_REF, deployment }),
  client: record({ ...BACKUP_CLIENT_COMMON, deployment }),
};

/**
 * Where a CBR object lives (format 4 on): its region and project, '' for those of the terraform
 * run (HW_REGION_NAME, HW_PROJECT_ID). Entries written before these fields existed have neither,
 * which the decoder reads as ''. Relations carry their vault's.
 */
const LOCATED = { region: text(), project_id: text() };

/**
 * Format 4: the fields of format 3, each in its entry's part (layout.ts), and the location. `legacy_owner` is no
 * longer stored: the hook entry derives it from the stack name and the key (legacyOwnerTag), and
 * only it needs it.
 */
export const SPLIT = {
  ...DEPLOYED,
  vault: record({ ...VAULT_COMMON, legacy_owner: z.optional(text(MAX_TEXT, 1)), deployment, ...LOCATED }),
  policy: record({ ...POLICY_COMMON, deployment, ...LOCATED }),
  /** `destination_vault`: a replication destination of this stack (or imported), whose id the hook finds at apply. */
  attachment: record({ ...ATTACHMENT_COMMON, vault: VAULT_REF, deployment, ...LOCATED, destination_vault: z.optional(VAULT_REF) }),
  association: record({ ...ASSOCIATION_COMMON, vault: VAULT_REF, deployment, ...LOCATED }),
  tag: record({ ...TAG_COMMON, vault: VAULT_REF, deployment, ...LOCATED }),
  /** An HBR client's Alibaba Cloud region ('' for the terraform run's); HBR has no projects. */
  client: record({ ...BACKUP_CLIENT_COMMON, deployment, region: text() }),
};

type Shape<S extends z.core.$ZodShape> = z.infer<z.ZodMiniObject<S, z.core.$strict>>;
/** A spec as any format writes it: the fields every format has, the deployment of format 3, and the location of format 4. */
type AnyFormat<Common extends z.core.$ZodShape> = Shape<Common> & { deployment?: string } & Partial<Shape<typeof LOCATED>>;

/** Besides the common fields, `owner` (formats 1-2) or `legacy_owner` (format 3). */
export type VaultSpec = AnyFormat<typeof VAULT_COMMON> & Partial<Shape<typeof LEGACY_VAULT & typeof DEPLOYED_VAULT>>;
export type PolicySpec = AnyFormat<typeof POLICY_COMMON>;
export type AttachmentSpec = AnyFormat<typeof ATTACHMENT_COMMON> & { vault: VaultRef; destination_vault?: VaultRef };
export type AssociationSpec = AnyFormat<typeof ASSOCIATION_COMMON> & { vault: VaultRef };
export type TagSpec = AnyFormat<typeof TAG_COMMON> & { vault: VaultRef };
export type BackupClientSpec = AnyFormat<typeof BACKUP_CLIENT_COMMON>;
