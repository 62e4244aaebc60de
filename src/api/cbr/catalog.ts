/**
 * Enumerations and limits of the CBR tables, as plain values: the request tables of src/api, the
 * constructs' synth-time rules and the hook's spec decoder all read them from here.
 */

/** billing.object_type (4-154). */
export const OBJECT_TYPES: readonly string[] = ['server', 'disk', 'turbo', 'workspace', 'vmware', 'rds', 'file'];
/** billing.protect_type (4-154). */
export const PROTECT_TYPES: readonly string[] = ['backup', 'replication'];
/** ResourceCreate.type (4-155). */
export const RESOURCE_TYPES: readonly string[] = [
  'OS::Nova::Server', 'OS::Cinder::Volume', 'OS::Ironic::BareMetalServer', 'OS::Native::Server', 'OS::Sfs::Turbo', 'OS::Workspace::DesktopV2',
];
/** billing.cloud_type (4-154). */
export const CLOUD_TYPES: readonly string[] = ['public', 'hybrid'];
/** billing.consistent_level (4-154, 4-203). */
export const CONSISTENT_LEVELS: readonly string[] = ['crash_consistent', 'app_consistent'];
/** billing.charging_mode (4-154): post_paid (pay-per-use, the default) or pre_paid (yearly/monthly). */
export const CHARGING_MODES: readonly string[] = ['post_paid', 'pre_paid'];
/** billing.period_type (4-262). */
export const PERIOD_TYPES: readonly string[] = ['year', 'month'];
/** billing.status (4-162). */
export const VAULT_STATUSES: readonly string[] = ['available', 'lock', 'frozen', 'deleting', 'error'];
/** A task's operation_type (4.1, Table 4-4). */
export const TASK_OPERATION_TYPES = ['backup', 'copy', 'replication', 'restore', 'delete', 'sync', 'vault_delete', 'remove_resource'] as const;
export type TaskOperationType = typeof TASK_OPERATION_TYPES[number];
/** A task's status (4.1). */
export const TASK_STATUSES: readonly string[] = ['success', 'skipped', 'failed', 'running', 'timeout', 'waiting'];
/** A policy's operation_type (4-350). */
export const OPERATION_TYPES: readonly string[] = ['backup', 'replication'];

/**
 * Resource types each object type holds. The document never states the mapping; these are the
 * pairs its names make evident. Object types not listed (vmware, rds, file) are not checked.
 */
export const RESOURCE_TYPES_BY_OBJECT_TYPE: Readonly<Record<string, readonly string[]>> = {
  server: ['OS::Nova::Server', 'OS::Ironic::BareMetalServer', 'OS::Native::Server'],
  disk: ['OS::Cinder::Volume'],
  turbo: ['OS::Sfs::Turbo'],
  workspace: ['OS::Workspace::DesktopV2'],
};

/** billing.size: the capacity of a vault in GB (4-154 at creation; 4-203 lowers the minimum to 1 for updates). */
export const VAULT_SIZE_GB = { min: 10, max: 10485760 } as const;
/** threshold: the used share of the capacity, in percent, at which SMN notifies (4-153). */
export const THRESHOLD_PERCENT = { min: 1, max: 100 } as const;
/** The most tags a vault carries (4.5.1, 4.7.2, 4.7.3; BackupService.6600 beyond). */
export const MAX_VAULT_TAGS = 10;
/** bind_rules.tags: "Array Length: 0 - 5" (4-158). */
export const MAX_BIND_RULES = 5;

/**
 * Table 4-157 Tag key/value: the length limits and character sets ("letters, digits, hyphens (-),
 * and underscores (_)" for keys, plus periods for values), after spaces before and after are
 * discarded. "Letters" and "digits" are read as Unicode letters and digits; the forbidden
 * characters (=*<>,|/ and ASCII 0-31) are all outside that set anyway.
 */
export const TAG_KEY_MAX_LENGTH = 36;
export const TAG_VALUE_MAX_LENGTH = 43;
export const TAG_KEY_CHARS = /^[\p{L}\p{N}_-]+$/u;
export const TAG_VALUE_CHARS = /^[\p{L}\p{N}_.-]*$/u;
