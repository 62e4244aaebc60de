import { isToken } from './tokens';
import type { RuleViolation } from './violation';

/** The props of an hbr.BackupClient as the rules see them (the construct's prop names). */
export interface BackupClientRuleInput {
  readonly vaultId: unknown;
  readonly instanceIds: readonly unknown[];
  readonly sourceTypes?: readonly unknown[];
  readonly clusterId?: unknown;
  readonly resourceGroupId?: unknown;
  readonly accessKeyIdEnv?: unknown;
  readonly accessKeySecretEnv?: unknown;
}

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

const matches = (pattern: RegExp, value: unknown) => typeof value === 'string' && pattern.test(value);

/**
 * Every rule of CreateClients (000) and ClientInfo that applies to a BackupClient's props, in a
 * stable order: synth throws the first with the construct path, and the hook checks the resolved
 * spec with the same function before any call. Tokens are skipped (the hook sees their values).
 */
export function backupClientViolations(p: BackupClientRuleInput): RuleViolation[] {
  const found: RuleViolation[] = [];
  const check = (field: string, value: unknown, ok: boolean, rule: string, fix: string) => {
    if (!ok && !isToken(value)) found.push({ field, value, rule, fix });
  };
  check('vaultId', p.vaultId, matches(/^v-[A-Za-z0-9]+$/, p.vaultId),
    'a backup vault id looks like "v-0001ufe..." (CreateClients VaultId)', 'Use the id of an HBR backup vault.');
  check('instanceIds', p.instanceIds, p.instanceIds.length > 0,
    'at least one ECS instance is needed', 'List the instances that should get a client.');
  for (const instanceId of p.instanceIds) {
    check('instanceIds', instanceId, matches(/^i-[A-Za-z0-9]+$/, instanceId),
      'an ECS instance id looks like "i-bp116lr..."', 'Use the instance ids shown in the ECS console.');
  }
  const dup = p.instanceIds.find((x, i) => p.instanceIds.indexOf(x) !== i);
  check('instanceIds', dup, dup === undefined, 'an instance is listed twice', 'List each instance once.');
  for (const t of p.sourceTypes ?? []) {
    check('sourceTypes', t, matches(/^[A-Z][A-Z0-9_]*$/, t),
      'a source type is an upper-case HBR constant such as "HANA"', 'Use SourceType.HANA or SourceType.of("...") with the HBR value.');
  }
  if (p.clusterId !== undefined) {
    check('clusterId', p.clusterId, matches(/^cl-[A-Za-z0-9]+$/, p.clusterId),
      'a cluster id looks like "cl-000csy09q..." (ClientInfo clusterId)', 'Use the id of the HBR cluster, or omit it.');
  }
  if (p.resourceGroupId !== undefined) {
    check('resourceGroupId', p.resourceGroupId, matches(/^rg-[A-Za-z0-9]+$/, p.resourceGroupId),
      'a resource group id looks like "rg-aekzvx7d3c4kpny"', 'Use the id of the resource group, or omit it.');
  }
  for (const field of ['accessKeyIdEnv', 'accessKeySecretEnv'] as const) {
    const name = p[field];
    if (name === undefined) continue;
    // A value that is not a variable name may be the key itself: never echo it.
    check(field, matches(ENV_NAME, name) ? name : '(hidden: not an environment variable name)', matches(ENV_NAME, name),
      'it is the NAME of an environment variable (upper-case letters, digits and _), never the key itself',
      'Export the key in an environment variable, e.g. HBR_CLIENT_ACCESS_KEY_SECRET, and give its name here.');
  }
  check('accessKeySecretEnv', p.accessKeySecretEnv ?? '', (p.accessKeyIdEnv === undefined) === (p.accessKeySecretEnv === undefined),
    'accessKeyIdEnv and accessKeySecretEnv go together', 'Set both, or neither.');
  return found;
}
