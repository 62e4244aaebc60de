import { DAY_CODES, dayIndex } from './days';
import { clock, dayList, show } from './format';
import { mod } from './math';
import { describePattern, ParsedPattern, parsePattern, renderPattern } from './rrule';
import { maxRunsWithin, parseSchedule, PeriodRuns, periodRuns, runsPerWeek, scheduleMessage, validateSchedulePatterns } from './schedule-rules';
import { UtcOffset } from './utc-offset';
import { Weekday } from './weekday';
import { isToken } from '../rules/tokens';

/** A run once a day. */
export interface DailyScheduleOptions {
  /** Hour of the run, 0-23, in `utcOffset`. */
  readonly hour: number;
  /**
   * Minute of the run, 0-59.
   * @default 0
   */
  readonly minute?: number;
  /**
   * The offset `hour` and `minute` are given in. The API's patterns are in UTC: the time
   * (and, for weekly schedules, the day) is converted, e.g. 14:00 at UTC+08:00 is 06:00 UTC.
   * @default UtcOffset.UTC
   */
  readonly utcOffset?: UtcOffset;
}

/** A run on some days of the week. */
export interface WeeklyScheduleOptions extends DailyScheduleOptions {
  /** Days of the run, in `utcOffset`. */
  readonly days: Weekday[];
  /**
   * Run every this many weeks (RRULE INTERVAL), counting from the week the policy starts.
   * @default 1
   */
  readonly interval?: number;
}

/** A run every N days. */
export interface IntervalScheduleOptions extends DailyScheduleOptions {
  /** Run every this many days (RRULE INTERVAL), counting from the day the policy starts. */
  readonly interval: number;
}

/** Several runs a day, at the same minute of different hours. */
export interface TimesDailyScheduleOptions {
  /** Hours of the runs, 0-23, in `utcOffset`. At least one, no duplicates. */
  readonly hours: number[];
  /**
   * Minute of every run, 0-59.
   * @default 0
   */
  readonly minute?: number;
  /**
   * The offset `hours` and `minute` are given in; converted to UTC for the API.
   * @default UtcOffset.UTC
   */
  readonly utcOffset?: UtcOffset;
}

const DAY_MINUTES = 1440;

/**
 * When a CBR policy runs: the `trigger.properties.pattern` list of API 4.8.1, in UTC.
 *
 * Every schedule is checked with the API's rules: FREQ only WEEKLY or DAILY, BYDAY MO-SU,
 * BYHOUR 0-23, BYMINUTE 0-59, INTERVAL; at most 24 patterns; at most 24 time points in any day;
 * runs at least one hour apart, across midnight, across weeks and across patterns.
 *
 * Building a schedule never throws. A schedule that breaks a rule (or was built from invalid
 * arguments) fails the synth of the `Policy` that uses it, with the policy's construct path, e.g.
 * `backup/Nightly: schedule runs at 02:00 and 02:30 UTC on MO; runs must be at least 1 hour apart (...)`.
 * To check a schedule on its own, read its `summary` (it throws the same message without a path)
 * or call `Schedule.validatePatterns()`.
 *
 * Patterns given as unresolved tokens (e.g. a Terraform variable, through `fromPatterns`) are not
 * checked at synth: the CBR API checks them when the policy hook creates or updates the policy.
 * Such a schedule summarises as `patterns known at apply time`.
 *
 * @example
 * Schedule.daily({ hour: 14, utcOffset: UtcOffset.hours(8) }) // FREQ=DAILY;INTERVAL=1;BYHOUR=6;BYMINUTE=00
 */
export class Schedule {
  /** Once a day, e.g. `Schedule.daily({ hour: 2 })`. */
  public static daily(options: DailyScheduleOptions): Schedule {
    return Schedule.attempt(() => Schedule.dailyOf(options));
  }

  /**
   * On some days of the week, e.g. `Schedule.weekly({ days: [Weekday.MONDAY], hour: 2 })`.
   * With a UTC offset, days move with the time across midnight (01:00 MO at UTC+08:00 is 17:00 SU UTC).
   */
  public static weekly(options: WeeklyScheduleOptions): Schedule {
    return Schedule.attempt(() => Schedule.weeklyOf(options));
  }

  /** Every N days, e.g. `Schedule.everyNDays({ interval: 3, hour: 2 })`, counting from the day the policy starts. */
  public static everyNDays(options: IntervalScheduleOptions): Schedule {
    return Schedule.attempt(() => Schedule.everyNDaysOf(options));
  }

  /** Several times a day at the same minute, e.g. `Schedule.timesDaily({ hours: [2, 14] })`. */
  public static timesDaily(options: TimesDailyScheduleOptions): Schedule {
    return Schedule.attempt(() => Schedule.timesDailyOf(options));
  }

  /**
   * Raw RRULE patterns, sent to the API as given (in UTC), e.g.
   * `Schedule.fromPatterns(['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=14;BYMINUTE=00'])`.
   * Patterns may be tokens (e.g. from a Terraform variable); those are checked by the API at apply time.
   */
  public static fromPatterns(patterns: string[]): Schedule {
    return new Schedule(Array.isArray(patterns) ? [...patterns] : patterns, '');
  }

  /**
   * All runs of several schedules in one policy. The result is checked as a whole
   * (at most 24 patterns, runs at least one hour apart across all of them).
   */
  public static combine(schedules: Schedule[]): Schedule {
    if (!Array.isArray(schedules) || schedules.length === 0) {
      return Schedule.broken('Schedule.combine: give at least one schedule');
    }
    const notSchedule = schedules.find(s => !(s instanceof Schedule));
    if (notSchedule !== undefined) {
      return Schedule.broken(`Schedule.combine: every item must be a Schedule, got ${show(notSchedule)}`);
    }
    const failed = schedules.find(s => s.failure !== undefined);
    if (failed) return Schedule.broken(failed.failure!);
    return new Schedule(schedules.flatMap(s => s._patterns), schedules);
  }

  /**
   * Validates raw patterns with every rule of API 4.8.1; throws an Error whose message names
   * the pattern, the value received, the rule and the fix.
   */
  public static validatePatterns(patterns: string[]): void {
    validateSchedulePatterns(patterns);
  }

  /** Runs a factory; an argument error becomes a schedule that fails the policy using it. */
  private static attempt(make: () => Schedule): Schedule {
    try {
      return make();
    } catch (e) {
      return Schedule.broken((e as Error).message);
    }
  }

  private static broken(message: string): Schedule {
    return new Schedule([], '', message);
  }

  private static dailyOf(options: DailyScheduleOptions): Schedule {
    const t = runTime('Schedule.daily', options.hour, options.minute, options.utcOffset);
    const pattern = renderPattern({ freq: 'DAILY', interval: 1, hours: [t.hour], minutes: [t.minute] });
    return new Schedule([pattern], t.local ? ` (${clock(t.local)} ${t.offset})` : '');
  }

  private static weeklyOf(options: WeeklyScheduleOptions): Schedule {
    const where = 'Schedule.weekly';
    const t = runTime(where, options.hour, options.minute, options.utcOffset);
    const interval = options.interval ?? 1;
    checkInterval(where, interval);
    const days = checkDays(where, options.days);
    const utcDays = days.map(d => d + t.dayShift);
    const moved = utcDays.findIndex(d => d < 0 || d > 6);
    if (interval > 1 && moved >= 0) {
      const from = DAY_CODES[days[moved]];
      const to = DAY_CODES[mod(utcDays[moved], 7)];
      throw new Error(`${where}: ${from} ${clock(t.local!)} ${t.offset} is ${to} ${clock(t.hour * 60 + t.minute)} UTC of the ${utcDays[moved] < 0 ? 'previous' : 'next'} week; with interval ${interval} the API counts weeks from Monday in UTC, so this run would land in the wrong weeks. Give the time in UTC, or pick days that stay in the same UTC week`);
    }
    const pattern = renderPattern({
      freq: 'WEEKLY',
      interval: interval === 1 ? undefined : interval,
      days: utcDays.map(d => mod(d, 7)),
      hours: [t.hour],
      minutes: [t.minute],
    });
    return new Schedule([pattern], t.local ? ` (on ${dayList(days)} at ${clock(t.local)} ${t.offset})` : '');
  }

  private static everyNDaysOf(options: IntervalScheduleOptions): Schedule {
    const where = 'Schedule.everyNDays';
    const t = runTime(where, options.hour, options.minute, options.utcOffset);
    checkInterval(where, options.interval);
    // Moving the run across midnight only moves which days it falls on; the cadence is unchanged.
    const pattern = renderPattern({ freq: 'DAILY', interval: options.interval, hours: [t.hour], minutes: [t.minute] });
    return new Schedule([pattern], t.local ? ` (${clock(t.local)} ${t.offset})` : '');
  }

  private static timesDailyOf(options: TimesDailyScheduleOptions): Schedule {
    const where = 'Schedule.timesDaily';
    if (!Array.isArray(options.hours) || options.hours.length === 0) {
      throw new Error(`${where}: hours must list at least one hour from 0 to 23, got ${show(options.hours)}`);
    }
    const seen = new Set<number>();
    const times = options.hours.map(h => {
      if (seen.has(h)) throw new Error(`${where}: hours lists ${h} twice`);
      seen.add(h);
      return runTime(where, h, options.minute, options.utcOffset, 'hours');
    });
    const pattern = renderPattern({ freq: 'DAILY', interval: 1, hours: times.map(t => t.hour), minutes: [times[0].minute] });
    const local = times[0].local === undefined ? ''
      : ` (${times.map(t => t.local!).sort((a, b) => a - b).map(clock).join(', ')} ${times[0].offset})`;
    return new Schedule([pattern], local);
  }

  private readonly raw: unknown;
  private readonly _patterns: readonly string[];
  /** How the summary is made: a suffix after the patterns' descriptions, or the parts of a combination. */
  private readonly summaryFrom: string | readonly Schedule[];
  /** Why the factory could not build the patterns, if it could not. */
  private readonly failure?: string;
  private analysis?: Analysis;
  private period?: PeriodRuns | null;

  private constructor(patterns: unknown, summaryFrom: string | readonly Schedule[], failure?: string) {
    this.raw = patterns;
    this._patterns = Object.freeze(Array.isArray(patterns) ? [...patterns] : []);
    this.summaryFrom = summaryFrom;
    this.failure = failure;
  }

  /** The API's `trigger.properties.pattern` list (RRULEs in UTC); empty when the schedule could not be built. */
  public get patterns(): string[] {
    return [...this._patterns];
  }

  /**
   * A stable plain-language summary, e.g. `daily at 06:00 UTC (14:00 UTC+08:00)`;
   * the local form is shown when the schedule was built from a local time.
   * `patterns known at apply time` when a pattern is a token.
   * Throws when the schedule breaks a rule.
   */
  public get summary(): string {
    const a = this.analyse();
    if (a.state === 'deferred') return 'patterns known at apply time';
    if (typeof this.summaryFrom !== 'string') return this.summaryFrom.map(s => s.summary).join('; ');
    return a.parsed.map(describePattern).join('; ') + this.summaryFrom;
  }

  /**
   * Average number of runs per week over the schedule's whole period (its patterns' common cycle).
   * May be fractional (every 3 days: 2.33). When the result depends on the weekday the policy
   * starts on, the largest value is given. -1 when a pattern is a token (known at apply time).
   * Throws when the schedule breaks a rule.
   */
  public get runsPerWeek(): number {
    const a = this.analyse();
    if (a.state === 'deferred') return -1;
    return runsPerWeek(a.parsed, this.periodRuns(a.parsed));
  }

  /** This schedule's runs plus another's (see `Schedule.combine`). */
  public plus(other: Schedule): Schedule {
    return Schedule.combine([this, other]);
  }

  /**
   * The largest number of runs within any `days` consecutive days (a window that includes its
   * start and excludes its end), computed exactly over the schedule's period.
   * -1 when a pattern is a token (known at apply time). Throws when the schedule breaks a rule.
   * @param days 1 or more
   */
  public maxRunsInDays(days: number): number {
    if (!Number.isInteger(days) || days < 1) {
      throw new Error(`Schedule.maxRunsInDays: days must be a whole number of at least 1, got ${show(days)}`);
    }
    const a = this.analyse();
    if (a.state === 'deferred') return -1;
    return maxRunsWithin(a.parsed, days * DAY_MINUTES, this.periodRuns(a.parsed));
  }

  /**
   * The first rule this schedule breaks, as a message that starts with the word "schedule" (or
   * the factory's name), ready for a construct path prefix; undefined when it keeps every rule
   * that can be checked at synth.
   * @internal
   */
  public _violation(): string | undefined {
    const a = this.analysis ?? this.analyseOnce();
    return a.state === 'invalid' ? a.message : undefined;
  }

  /**
   * Whether every pattern is known at synth (no token).
   * @internal
   */
  public _isKnown(): boolean {
    return (this.analysis ?? this.analyseOnce()).state !== 'deferred';
  }

  /** The analysis of a schedule that is valid or deferred; throws the violation otherwise. */
  private analyse(): Exclude<Analysis, { state: 'invalid' }> {
    const a = this.analysis ?? this.analyseOnce();
    if (a.state === 'invalid') throw new Error(a.message);
    return a;
  }

  private analyseOnce(): Analysis {
    this.analysis = analysePatterns(this.raw, this.failure);
    return this.analysis;
  }

  private periodRuns(parsed: readonly ParsedPattern[]): PeriodRuns | undefined {
    if (this.period === undefined) this.period = periodRuns(parsed) ?? null;
    return this.period ?? undefined;
  }
}

type Analysis =
  | { readonly state: 'valid'; readonly parsed: readonly ParsedPattern[] }
  | { readonly state: 'deferred' }
  | { readonly state: 'invalid'; readonly message: string };

function analysePatterns(raw: unknown, failure: string | undefined): Analysis {
  if (failure !== undefined) return { state: 'invalid', message: scheduleMessage(failure) };
  try {
    if (Array.isArray(raw) && raw.some(isToken)) {
      // Patterns known now are checked one by one; the rules across patterns wait for the API.
      raw.forEach((p, i) => {
        if (!isToken(p)) parsePattern(p, i + 1);
      });
      return { state: 'deferred' };
    }
    return { state: 'valid', parsed: parseSchedule(raw) };
  } catch (e) {
    return { state: 'invalid', message: scheduleMessage((e as Error).message) };
  }
}

interface RunTime {
  /** UTC hour and minute. */
  readonly hour: number;
  readonly minute: number;
  /** Days the UTC time is before (-1) or after (+1) the local day. */
  readonly dayShift: number;
  /** Local minute of day, when given in a non-zero offset. */
  readonly local?: number;
  readonly offset: string;
}

function runTime(where: string, hour: number, minute: number | undefined, offset: UtcOffset | undefined, hourName = 'hour'): RunTime {
  checkInt(where, hourName, hour, 0, 23);
  const m = minute ?? 0;
  checkInt(where, 'minute', m, 0, 59);
  if (offset !== undefined && !(offset instanceof UtcOffset)) {
    throw new Error(`${where}: utcOffset must be a UtcOffset (e.g. UtcOffset.hours(8)), got ${show(offset)}`);
  }
  const shift = offset?.totalMinutes ?? 0;
  const local = hour * 60 + m;
  const utc = local - shift;
  const minuteOfDay = mod(utc, DAY_MINUTES);
  return {
    hour: Math.floor(minuteOfDay / 60),
    minute: minuteOfDay % 60,
    dayShift: Math.floor(utc / DAY_MINUTES),
    local: shift === 0 ? undefined : local,
    offset: offset ? offset.toString() : 'UTC',
  };
}

function checkInt(where: string, name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${where}: ${name} must be an integer from ${min} to ${max}, got ${show(value)}`);
  }
}

function checkInterval(where: string, interval: unknown): void {
  if (typeof interval !== 'number' || !Number.isSafeInteger(interval) || interval < 1) {
    throw new Error(`${where}: interval must be a whole number of at least 1, got ${show(interval)}`);
  }
}

function checkDays(where: string, days: unknown): number[] {
  if (!Array.isArray(days) || days.length === 0) {
    throw new Error(`${where}: days must list at least one Weekday, got ${show(days)}`);
  }
  const out: number[] = [];
  for (const day of days) {
    const d = typeof day === 'string' ? dayIndex(day) : -1;
    if (d < 0) throw new Error(`${where}: days accepts Weekday values (${DAY_CODES.join(', ')}), got ${show(day)}`);
    if (out.includes(d)) throw new Error(`${where}: days lists ${DAY_CODES[d]} twice`);
    out.push(d);
  }
  return out.sort((a, b) => a - b);
}

