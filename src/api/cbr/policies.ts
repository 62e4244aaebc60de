import * as z from 'zod/mini';
import { OPERATION_TYPES } from './catalog';
import { validateSchedule } from './rrule';
import { CBR_ERRORS, invalidParameter } from '../errors';
import { array, body, boolean, integer, isAbsent, matches, object, required, Rule, string } from '../table';

/** Policies: creating (4.8.1), showing (4.8.2), listing (4.8.3), updating (4.8.4) and deleting (4.8.5). */

const LONG_TERM_FIELDS = ['day_backups', 'week_backups', 'month_backups', 'year_backups'] as const;

/**
 * "Configured" in the document's exclusivity rules means set to a value that does something:
 * the document's own 4.8.1 example sends retention_duration_days 1 together with day_backups 0
 * etc., so 0 cannot count as configured for the long-term counts, nor -1 ("not cleared") for
 * max_backups and retention_duration_days.
 */
function configured(v: unknown, neutral: number): boolean {
  return !isAbsent(v) && v !== neutral;
}

/** "This parameter and retention_duration_days cannot be configured at the same time." */
const retentionExclusive: Rule = (od, path) => {
  if (!configured(od.retention_duration_days, -1)) return;
  for (const field of ['max_backups', ...LONG_TERM_FIELDS]) {
    const neutral = field === 'max_backups' ? -1 : 0;
    if (configured(od[field], neutral)) {
      throw invalidParameter(`${path}.${field} and ${path}.retention_duration_days cannot be configured at the same time.`);
    }
  }
};

/** "If this parameter is configured, timezone is mandatory." (day/week/month/year_backups) */
const longTermNeedsTimezone: Rule = (od, path) => {
  const field = LONG_TERM_FIELDS.find((f) => configured(od[f], 0));
  if (field && isAbsent(od.timezone)) throw invalidParameter(`${path}.timezone is mandatory when ${path}.${field} is configured.`);
};

const NAME_CHARS = 'can contain only letters, digits, underscores (_), and hyphens (-)';

/** Table 4-351 PolicyODCreate (also 4-381 for updates): scheduling and retention. */
export const OPERATION_DEFINITION = object({
  day_backups: integer({ min: 0, max: 100 }),
  destination_project_id: string(),
  destination_region: string({ min: 0, max: 255, check: matches(/^[A-Za-z0-9_-]*$/, NAME_CHARS) }),
  enable_acceleration: boolean(),
  // The description says "-1 or from 0 to 99999", the table "Minimum: 1": 0 is refused (the stricter reading).
  max_backups: integer({ min: 1, max: 99999, also: [-1] }),
  month_backups: integer({ min: 0, max: 100 }),
  retention_duration_days: integer({ min: 1, max: 99999, also: [-1] }),
  timezone: string({ check: matches(/^UTC[+-](0\d|1[0-4]):[0-5]\d$/, 'must be a time zone like UTC+08:00') }),
  week_backups: integer({ min: 0, max: 100 }),
  year_backups: integer({ min: 0, max: 100 }),
  full_backup_interval: integer({ min: -1, max: 100 }),
}, { rules: [retentionExclusive, longTermNeedsTimezone] });
export type PolicyOperationDefinition = z.input<typeof OPERATION_DEFINITION>;

const schedule: Rule = (properties, path) => validateSchedule(properties.pattern as string[], `${path}.pattern`);

/** Tables 4-352 PolicyTriggerReq and 4-353 PolicyTriggerPropertiesReq (RFC 2445 rules, at most 24). */
export const TRIGGER = object({
  properties: required(object({
    pattern: required(array(string(), { min: 1, max: 24 })),
  }, { rules: [schedule] })),
});

const POLICY_NAME = matches(/^[A-Za-z0-9_-]*$/, NAME_CHARS);

/** destination_region/_project_id: "mandatory for cross-region replication", which is what replication policies do. */
export function checkReplicationTarget(operationType: string, od: Record<string, unknown>): void {
  if (operationType !== 'replication') return;
  for (const field of ['destination_region', 'destination_project_id']) {
    if (isAbsent(od[field]) || od[field] === '') throw invalidParameter(`policy.operation_definition.${field} is mandatory for a replication policy.`);
  }
}

const replicationNeedsTarget: Rule = (policy) =>
  checkReplicationTarget(policy.operation_type as string, policy.operation_definition as Record<string, unknown>);

/** Table 4-350 PolicyCreate. */
export const POLICY_CREATE = object({
  enabled: boolean(),
  name: required(string({ min: 1, max: 64, check: POLICY_NAME })),
  operation_definition: required(OPERATION_DEFINITION),
  operation_type: required(string({ enum: OPERATION_TYPES, code: CBR_ERRORS.POLICY_TYPE })),
  trigger: required(TRIGGER),
}, { rules: [replicationNeedsTarget] });
/** Request body of 4.8.1 (4-349). */
export const CREATE_POLICY = body('policy', POLICY_CREATE);
export type CreatePolicyRequest = z.input<typeof CREATE_POLICY>;

/**
 * Table 4-380 PolicyUpdate. Its name row lists only the length; the character rule of 4-350 is
 * applied too, since it is the same name. operation_type cannot be changed.
 */
export const POLICY_UPDATE = object({
  enabled: boolean(),
  name: string({ min: 1, max: 64, check: POLICY_NAME }),
  operation_definition: OPERATION_DEFINITION,
  trigger: TRIGGER,
});
/** Request body of 4.8.4 (4-379). */
export const UPDATE_POLICY = body('policy', POLICY_UPDATE);
export type UpdatePolicyRequest = z.input<typeof UPDATE_POLICY>;
