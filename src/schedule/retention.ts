import { show } from './format';
import { LONG_TERM, validateOperationDefinition } from './operation-definition';
import { Schedule } from './schedule';
import { UtcOffset } from './utc-offset';
import { isToken } from '../rules/tokens';

/** Long-term retention: the latest backup of each day, week, month or year, kept besides the others. */
export interface LongTermRetentionOptions {
  /**
   * Keep the latest backup of each of this many days (`day_backups`, 0-100).
   * @default - not set
   */
  readonly daily?: number;
  /**
   * Keep the latest backup of each of this many weeks (`week_backups`, 0-100).
   * @default - not set
   */
  readonly weekly?: number;
  /**
   * Keep the latest backup of each of this many months (`month_backups`, 0-100).
   * @default - not set
   */
  readonly monthly?: number;
  /**
   * Keep the latest backup of each of this many years (`year_backups`, 0-100).
   * @default - not set
   */
  readonly yearly?: number;
  /** Where days, weeks, months and years begin (`timezone`, required with long-term retention). */
  readonly timezone: UtcOffset;
  /**
   * Keep at most this many recent backups besides the long-term ones (`max_backups`, 1-99999, or -1 for no limit).
   * @default - no limit: the API keeps every backup forever when neither max_backups nor retention_duration_days is set
   */
  readonly maxBackups?: number;
}

/** Every retention field of API 4.8.1 `operation_definition`, checked with the API's rules. */
export interface RetentionProps {
  /**
   * Maximum number of retained backups (`max_backups`): -1 (no limit) or 1-99999.
   * Not with `retentionDays`.
   * @default - not set
   */
  readonly maxBackups?: number;
  /**
   * Days a backup is kept (`retention_duration_days`): -1 (no limit) or 1-99999.
   * Not with `maxBackups` nor with long-term counts.
   * @default - not set
   */
  readonly retentionDays?: number;
  /**
   * Latest backup of each day kept for this many days (`day_backups`, 0-100). Needs `timezone`.
   * @default - not set
   */
  readonly dailyBackups?: number;
  /**
   * Latest backup of each week kept for this many weeks (`week_backups`, 0-100). Needs `timezone`.
   * @default - not set
   */
  readonly weeklyBackups?: number;
  /**
   * Latest backup of each month kept for this many months (`month_backups`, 0-100). Needs `timezone`.
   * @default - not set
   */
  readonly monthlyBackups?: number;
  /**
   * Latest backup of each year kept for this many years (`year_backups`, 0-100). Needs `timezone`.
   * @default - not set
   */
  readonly yearlyBackups?: number;
  /**
   * Time zone of the long-term counts (`timezone`).
   * @default - not set
   */
  readonly timezone?: UtcOffset;
  /**
   * Full backup after this many incremental backups (`full_backup_interval`): -1 (never) or 0-100.
   * @default - not set (the service decides)
   */
  readonly fullBackupInterval?: number;
}

/**
 * How long a policy keeps its backups (the retention part of API 4.8.1 `operation_definition`).
 *
 * Building a retention never throws. A retention that breaks a rule of the API (ranges, exclusive
 * fields, timezone with long-term counts) fails the synth of the `Policy` that uses it, with the
 * policy's construct path. To check one on its own, read its `summary` (it throws the same message).
 *
 * Counts given as unresolved tokens (e.g. a Terraform variable) are not range-checked at synth:
 * the CBR API checks them when the policy hook creates or updates the policy. Which fields are set
 * is still checked (e.g. `max_backups` and `retention_duration_days` together fail at synth).
 *
 * @example
 * Retention.days(35)
 * Retention.longTerm({ daily: 7, weekly: 4, monthly: 12, timezone: UtcOffset.hours(8), maxBackups: 30 })
 */
export class Retention {
  /** Keep the latest `backups` backups (`max_backups`, 1-99999; -1 keeps all). */
  public static count(backups: number): Retention {
    return new Retention({ max_backups: backups });
  }

  /** Keep each backup for `days` days (`retention_duration_days`, 1-99999; -1 keeps all). */
  public static days(days: number): Retention {
    return new Retention({ retention_duration_days: days });
  }

  /** Keep every backup (neither `max_backups` nor `retention_duration_days` is sent). */
  public static forever(): Retention {
    return new Retention({});
  }

  /**
   * Keep the latest backup of each day, week, month and year for the given counts, plus at most
   * `maxBackups` recent backups. At least one count must be above 0.
   */
  public static longTerm(options: LongTermRetentionOptions): Retention {
    return Retention.attempt(() => {
      const counts = [options.daily, options.weekly, options.monthly, options.yearly];
      if (!counts.some(c => isToken(c) || (typeof c === 'number' && c > 0))) {
        throw new Error(`Retention.longTerm: give at least one of daily, weekly, monthly or yearly above 0, got ${show({
          daily: options.daily, weekly: options.weekly, monthly: options.monthly, yearly: options.yearly,
        })}`);
      }
      return new Retention(compact({
        max_backups: options.maxBackups,
        day_backups: options.daily,
        week_backups: options.weekly,
        month_backups: options.monthly,
        year_backups: options.yearly,
        timezone: timezoneText('Retention.longTerm', options.timezone, true),
      }));
    });
  }

  /** Any combination of the API's retention fields, checked with its rules. */
  public static custom(props: RetentionProps): Retention {
    return Retention.attempt(() => new Retention(compact({
      max_backups: props.maxBackups,
      retention_duration_days: props.retentionDays,
      day_backups: props.dailyBackups,
      week_backups: props.weeklyBackups,
      month_backups: props.monthlyBackups,
      year_backups: props.yearlyBackups,
      timezone: timezoneText('Retention.custom', props.timezone, false),
      full_backup_interval: props.fullBackupInterval,
    })));
  }

  /** Runs a factory; an argument error becomes a retention that fails the policy using it. */
  private static attempt(make: () => Retention): Retention {
    try {
      return make();
    } catch (e) {
      return new Retention({}, (e as Error).message);
    }
  }

  private readonly od: Readonly<Record<string, number | string>>;
  /** Why the factory could not build the fields, if it could not. */
  private readonly factoryFailure?: string;
  /** The first rule broken: the factory's failure, or a rule of the API. */
  private readonly failure?: string;

  private constructor(od: Record<string, number | string>, factoryFailure?: string) {
    this.od = Object.freeze({ ...od });
    this.factoryFailure = factoryFailure;
    this.failure = factoryFailure ?? checkRetention(this.od);
  }

  /**
   * The same retention with a full backup after every `interval` incremental backups
   * (`full_backup_interval`: -1 never, 0-100).
   */
  public withFullBackupInterval(interval: number): Retention {
    if (this.factoryFailure !== undefined) return this;
    return new Retention({ ...this.od, full_backup_interval: interval });
  }

  /**
   * A stable plain-language summary, e.g.
   * `keep 7 daily, 4 weekly, 12 monthly backups (UTC+08:00); at most 30 recent`.
   * When a count is a token: `retention known at apply time (max_backups from a Terraform value)`.
   * Throws when the retention breaks a rule.
   */
  public get summary(): string {
    this.requireValid();
    const od = this.od;
    const tokens = Object.keys(od).filter(f => isToken(od[f]));
    if (tokens.length > 0) {
      return `retention known at apply time (${tokens.join(', ')} from ${tokens.length === 1 ? 'a Terraform value' : 'Terraform values'})`;
    }
    const parts: string[] = [];
    const longTerm = LONG_TERM.filter(([f]) => typeof od[f] === 'number' && (od[f] as number) > 0);
    if (longTerm.length > 0) {
      const single = longTerm.length === 1 && od[longTerm[0][0]] === 1;
      parts.push(`keep ${longTerm.map(([f, label]) => `${od[f]} ${label}`).join(', ')} backup${single ? '' : 's'} (${od.timezone})`);
    }
    const days = od.retention_duration_days as number | undefined;
    const max = od.max_backups as number | undefined;
    if (days !== undefined && days !== -1) {
      parts.push(`keep backups for ${days} day${days === 1 ? '' : 's'}`);
    } else if (max !== undefined && max !== -1) {
      if (longTerm.length > 0) parts.push(`at most ${max} recent`);
      else parts.push(max === 1 ? 'keep the latest backup' : `keep the latest ${max} backups`);
    } else {
      parts.push(longTerm.length > 0 ? 'all other backups kept forever' : 'keep all backups forever');
    }
    const full = od.full_backup_interval as number | undefined;
    if (full === -1) parts.push('no periodic full backups');
    else if (full === 0) parts.push('every backup is a full backup');
    else if (full !== undefined) parts.push(`a full backup after every ${full} incremental backup${full === 1 ? '' : 's'}`);
    return parts.join('; ');
  }

  /**
   * The largest number of backups this retention can hold at once with `schedule`,
   * or undefined when it is unbounded (nothing is ever deleted) or not known at synth (a token).
   *
   * - `retention_duration_days` D: the most runs of the schedule in any D consecutive days
   *   (a backup taken at t is gone at t + D days), computed exactly over the schedule's period.
   * - `max_backups` N: N plus the long-term counts (day + week + month + year backups). Long-term
   *   backups are kept besides the N recent ones; counting them separately is an upper bound
   *   (reached when none of them is also among the N recent).
   * - Otherwise (forever, or -1): undefined.
   *
   * Throws when the retention or the schedule breaks a rule.
   */
  public maxBackupsHeld(schedule: Schedule): number | undefined {
    this.requireValid();
    if (Object.values(this.od).some(isToken)) return undefined;
    const days = this.od.retention_duration_days as number | undefined;
    if (days !== undefined && days > 0) {
      const runs = schedule.maxRunsInDays(days);
      return runs < 0 ? undefined : runs;
    }
    const max = this.od.max_backups as number | undefined;
    if (max !== undefined && max > 0) {
      return LONG_TERM.reduce((sum, [f]) => sum + ((this.od[f] as number | undefined) ?? 0), max);
    }
    return undefined;
  }

  /**
   * The first rule this retention breaks, as a message that starts with "retention" (or the
   * factory's name), ready for a construct path prefix; undefined when it keeps every rule.
   * @internal
   */
  public _violation(): string | undefined {
    return this.failure;
  }

  /**
   * The API's snake_case retention fields (only those set).
   * @internal
   */
  public _toOperationDefinition(): Record<string, unknown> {
    return { ...this.od };
  }

  private requireValid(): void {
    if (this.failure !== undefined) throw new Error(this.failure);
  }
}

/** Tokens stand for a valid value of their field: which fields are set is still checked. */
const TOKEN_STAND_INS: Record<string, number> = {
  max_backups: 1, retention_duration_days: 1, day_backups: 0, week_backups: 0, month_backups: 0, year_backups: 0, full_backup_interval: 0,
};

/** The first broken rule of the operation_definition retention fields, or undefined. */
function checkRetention(od: Readonly<Record<string, number | string>>): string | undefined {
  const known: Record<string, unknown> = {};
  for (const [f, v] of Object.entries(od)) known[f] = isToken(v) ? TOKEN_STAND_INS[f] ?? v : v;
  try {
    validateOperationDefinition(known);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

function compact(o: Record<string, number | string | undefined>): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

function timezoneText(where: string, tz: unknown, required: boolean): string | undefined {
  if (tz === undefined && !required) return undefined;
  if (!(tz instanceof UtcOffset)) {
    throw new Error(`${where}: timezone must be a UtcOffset (e.g. UtcOffset.hours(8) for UTC+08:00), got ${show(tz)}`);
  }
  return tz.toString();
}
