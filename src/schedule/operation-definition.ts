import { show } from './format';
import { checkOffsetText } from './offset-text';
import { checkReplicationFields } from './replication';

/** The retention fields of API 4.8.1 `operation_definition` (PolicyODCreate). */
export const RETENTION_FIELDS = [
  'max_backups', 'retention_duration_days', 'day_backups', 'week_backups', 'month_backups', 'year_backups',
  'timezone', 'full_backup_interval',
];
export const LONG_TERM: readonly [string, string][] = [
  ['day_backups', 'daily'], ['week_backups', 'weekly'], ['month_backups', 'monthly'], ['year_backups', 'yearly'],
];
export const REPLICATION_FIELDS = ['destination_region', 'destination_project_id', 'enable_acceleration'];

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/**
 * Checks an `operation_definition` (PolicyODCreate, API 4.8.1 and 4.8.4) as the API would receive
 * it: known fields, types, ranges, exclusive fields, timezone with long-term counts, and, when
 * `operationType` is given, the replication fields. Throws an Error naming the field, the value
 * received and the rule.
 */
export function validateOperationDefinition(od: Record<string, unknown>, operationType?: string): void {
  if (typeof od !== 'object' || od === null || Array.isArray(od)) {
    throw new Error(`operation_definition must be an object, got ${show(od)}`);
  }
  for (const key of Object.keys(od)) {
    if (!RETENTION_FIELDS.includes(key) && !REPLICATION_FIELDS.includes(key)) {
      throw new Error(`operation_definition has an unknown field ${show(key)}; the API accepts ${[...RETENTION_FIELDS, ...REPLICATION_FIELDS].join(', ')}`);
    }
  }
  const has = (f: string): boolean => od[f] !== undefined;
  for (const f of ['max_backups', 'retention_duration_days']) {
    const v = od[f];
    // The text says "-1 or 0 to 99999" but Minimum is 1: 0 would keep nothing, so 1 is the floor.
    if (has(f) && !(isInt(v) && (v === -1 || (v >= 1 && v <= 99999)))) {
      throw new Error(`retention ${f} must be -1 (no limit) or an integer from 1 to 99999, got ${show(v)}`);
    }
  }
  for (const [f] of LONG_TERM) {
    const v = od[f];
    if (has(f) && !(isInt(v) && v >= 0 && v <= 100)) {
      throw new Error(`retention ${f} must be an integer from 0 to 100, got ${show(v)}`);
    }
  }
  if (has('timezone')) {
    const why = checkOffsetText(od.timezone);
    if (why) throw new Error(`retention timezone ${why}`);
  }
  const full = od.full_backup_interval;
  if (has('full_backup_interval') && !(isInt(full) && full >= -1 && full <= 100)) {
    throw new Error(`retention full_backup_interval must be -1 (no full backups) or an integer from 0 to 100, got ${show(full)}`);
  }
  if (has('max_backups') && has('retention_duration_days')) {
    throw new Error(`retention sets both max_backups (${show(od.max_backups)}) and retention_duration_days (${show(od.retention_duration_days)}); the API accepts only one of them: keep a number of backups (Retention.count) or keep backups for some days (Retention.days)`);
  }
  // A count of 0 is tolerated next to retention_duration_days: the API reference's own 4.8.1 example sends that.
  const longTerm = LONG_TERM.map(([f]) => f).filter(f => has(f) && od[f] !== 0);
  if (has('retention_duration_days') && longTerm.length > 0) {
    throw new Error(`retention sets retention_duration_days (${show(od.retention_duration_days)}) with ${longTerm.map(f => `${f} (${show(od[f])})`).join(', ')}; long-term retention (day_backups, week_backups, month_backups, year_backups) cannot be combined with retention_duration_days, use max_backups instead`);
  }
  const anyLongTerm = LONG_TERM.map(([f]) => f).filter(has);
  if (anyLongTerm.length > 0 && !has('timezone')) {
    throw new Error(`retention sets ${anyLongTerm.map(f => `${f} (${show(od[f])})`).join(', ')} without a timezone; long-term retention needs timezone, e.g. "UTC+08:00"`);
  }
  if (operationType !== undefined) {
    checkReplicationFields({
      operationType,
      destinationRegion: od.destination_region,
      destinationProjectId: od.destination_project_id,
      enableAcceleration: od.enable_acceleration,
    });
  }
}
