import { Lazy, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { Policy, PolicyProps, PolicyType, RemovalPolicy, Retention, Schedule, UtcOffset, Weekday } from '../../src';
import { specsOf } from '../support/specs';

const PATH = 'backup/Nightly';
const DAILY = 'FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=00';
const CST = UtcOffset.hours(8);
const SPACING = 'runs must be at least 1 hour apart';

/** A value known only at apply time (like a Terraform variable). */
const token = (value: string): string => Lazy.stringValue({ produce: () => value });

function stack(): TerraformStack {
  return new TerraformStack(Testing.app(), 'backup');
}

function policy(props: Partial<PolicyProps>): Policy {
  return new Policy(stack(), 'Nightly', { policyName: 'nightly', schedule: Schedule.fromPatterns([DAILY]), ...props });
}

function specOf(props: Partial<PolicyProps>): any {
  const s = stack();
  new Policy(s, 'Nightly', { policyName: 'nightly', schedule: Schedule.fromPatterns([DAILY]), ...props });
  return specsOf(JSON.parse(Testing.synth(s)), 'policy').Nightly;
}

const REPLICATION = { policyType: PolicyType.REPLICATION, destinationRegion: 'cn-north-4', destinationProjectId: '0605767a0d00d5762fb3c01a5b7d3d85' };
const TOKEN_REGION = token('cn-north-4');

/** [behaviour, props, exact message]. */
const SCHEDULE_FAILURES: [string, () => Partial<PolicyProps>, string][] = [
  ['fails when two raw patterns run 30 minutes apart on MO (the issue example)', () => ({
    schedule: Schedule.fromPatterns(['FREQ=WEEKLY;BYDAY=MO;BYHOUR=2;BYMINUTE=0', 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=2;BYMINUTE=30']),
  }), `${PATH}: schedule runs at 02:00 and 02:30 UTC on MO; ${SPACING} (pattern 1 "FREQ=WEEKLY;BYDAY=MO;BYHOUR=2;BYMINUTE=0" and pattern 2 "FREQ=WEEKLY;BYDAY=MO;BYHOUR=2;BYMINUTE=30")`],
  ['fails when one raw pattern runs twice in an hour', () => ({ schedule: Schedule.fromPatterns(['FREQ=DAILY;BYHOUR=2;BYMINUTE=0,30']) }),
    `${PATH}: schedule runs at 02:00 and 02:30 UTC every day; ${SPACING} (pattern 1 "FREQ=DAILY;BYHOUR=2;BYMINUTE=0,30")`],
  ['fails when raw patterns meet across midnight', () => ({ schedule: Schedule.fromPatterns(['FREQ=DAILY;BYHOUR=23;BYMINUTE=30', 'FREQ=DAILY;BYHOUR=0;BYMINUTE=10']) }),
    `${PATH}: schedule runs at 23:30 UTC and 00:10 UTC the next day; ${SPACING} (pattern 1 "FREQ=DAILY;BYHOUR=23;BYMINUTE=30" and pattern 2 "FREQ=DAILY;BYHOUR=0;BYMINUTE=10")`],
  ['fails when combined presets run less than an hour apart', () => ({ schedule: Schedule.daily({ hour: 2 }).plus(Schedule.weekly({ days: [Weekday.MONDAY], hour: 2, minute: 30 })) }),
    `${PATH}: schedule runs at 02:00 and 02:30 UTC on MO; ${SPACING} (pattern 1 "FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=00" and pattern 2 "FREQ=WEEKLY;BYDAY=MO;BYHOUR=2;BYMINUTE=30")`],
  ['fails when a local-time preset meets a UTC one', () => ({ schedule: Schedule.daily({ hour: 10, utcOffset: CST }).plus(Schedule.daily({ hour: 2, minute: 45 })) }),
    `${PATH}: schedule runs at 02:00 and 02:45 UTC every day; ${SPACING} (pattern 1 "FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=00" and pattern 2 "FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=45")`],
  ['fails when a raw pattern has an unsupported FREQ', () => ({ schedule: Schedule.fromPatterns(['FREQ=MONTHLY;BYHOUR=1;BYMINUTE=0']) }),
    `${PATH}: schedule pattern 1 "FREQ=MONTHLY;BYHOUR=1;BYMINUTE=0": FREQ must be WEEKLY or DAILY, got "MONTHLY"`],
  ['fails when a raw pattern asks for hourly runs', () => ({ schedule: Schedule.fromPatterns(['FREQ=HOURLY;BYHOUR=1;BYMINUTE=0']) }),
    `${PATH}: schedule pattern 1 "FREQ=HOURLY;BYHOUR=1;BYMINUTE=0": FREQ must be WEEKLY or DAILY, got "HOURLY"; for several runs a day use FREQ=DAILY with several BYHOUR values`],
  ['fails when the second raw pattern has BYHOUR 24', () => ({ schedule: Schedule.fromPatterns([DAILY, 'FREQ=DAILY;BYHOUR=24;BYMINUTE=0']) }),
    `${PATH}: schedule pattern 2 "FREQ=DAILY;BYHOUR=24;BYMINUTE=0": BYHOUR accepts whole numbers from 0 to 23, got "24"`],
  ['fails when a raw pattern has BYMINUTE 60', () => ({ schedule: Schedule.fromPatterns(['FREQ=DAILY;BYHOUR=3;BYMINUTE=60']) }),
    `${PATH}: schedule pattern 1 "FREQ=DAILY;BYHOUR=3;BYMINUTE=60": BYMINUTE accepts whole numbers from 0 to 59, got "60"`],
  ['fails when a raw pattern has no BYMINUTE', () => ({ schedule: Schedule.fromPatterns(['FREQ=DAILY;BYHOUR=3']) }),
    `${PATH}: schedule pattern 1 "FREQ=DAILY;BYHOUR=3": BYMINUTE is missing; without it the run time depends on when the policy is created, add e.g. BYMINUTE=00`],
  ['fails when a weekly raw pattern has no BYDAY', () => ({ schedule: Schedule.fromPatterns(['FREQ=WEEKLY;BYHOUR=3;BYMINUTE=0']) }),
    `${PATH}: schedule pattern 1 "FREQ=WEEKLY;BYHOUR=3;BYMINUTE=0": FREQ=WEEKLY needs BYDAY; without it the run day depends on when the policy is created, add e.g. BYDAY=MO`],
  ['fails when a raw pattern names a day in lower case', () => ({ schedule: Schedule.fromPatterns(['FREQ=WEEKLY;BYDAY=mo;BYHOUR=3;BYMINUTE=0']) }),
    `${PATH}: schedule pattern 1 "FREQ=WEEKLY;BYDAY=mo;BYHOUR=3;BYMINUTE=0": BYDAY accepts only MO, TU, WE, TH, FR, SA, SU, got "mo" (write it in upper case: MO)`],
  ['fails when a raw pattern has the RRULE: prefix', () => ({ schedule: Schedule.fromPatterns(['RRULE:FREQ=DAILY;BYHOUR=3;BYMINUTE=0']) }),
    `${PATH}: schedule pattern 1 "RRULE:FREQ=DAILY;BYHOUR=3;BYMINUTE=0": remove the "RRULE:" prefix; the API takes only the rule value, e.g. "FREQ=DAILY;BYHOUR=2;BYMINUTE=00"`],
  ['fails when the schedule has no pattern', () => ({ schedule: Schedule.fromPatterns([]) }),
    `${PATH}: schedule has no patterns; give at least one, e.g. "FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=00"`],
  ['fails when the schedule has 25 patterns', () => ({
    schedule: Schedule.fromPatterns(Array.from({ length: 25 }, (_, i) => `FREQ=WEEKLY;BYDAY=${['MO', 'TU', 'WE', 'TH', 'FR'][i % 5]};BYHOUR=${i};BYMINUTE=0`)),
  }), `${PATH}: schedule has 25 patterns; at most 24 patterns are allowed, merge patterns that share FREQ, INTERVAL and BYDAY (list several BYHOUR values in one pattern)`],
  ['fails when patterns add up to 26 time points on MO', () => ({
    schedule: Schedule.fromPatterns([`FREQ=DAILY;BYHOUR=${Array.from({ length: 24 }, (_, h) => h).join(',')};BYMINUTE=0`, 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=5,17;BYMINUTE=30']),
  }), `${PATH}: schedule runs at 26 time points on MO; at most 24 time points are allowed in a day (patterns 1 and 2)`],
  ['fails when a preset gets hour 24', () => ({ schedule: Schedule.daily({ hour: 24 }) }),
    `${PATH}: Schedule.daily: hour must be an integer from 0 to 23, got 24`],
  ['fails when a weekly preset lists no day', () => ({ schedule: Schedule.weekly({ days: [], hour: 1 }) }),
    `${PATH}: Schedule.weekly: days must list at least one Weekday, got []`],
  ['fails when a weekly interval run would move into the previous UTC week', () => ({
    schedule: Schedule.weekly({ days: [Weekday.MONDAY], hour: 1, interval: 2, utcOffset: CST }),
  }), `${PATH}: Schedule.weekly: MO 01:00 UTC+08:00 is SU 17:00 UTC of the previous week; with interval 2 the API counts weeks from Monday in UTC, so this run would land in the wrong weeks. Give the time in UTC, or pick days that stay in the same UTC week`],
  ['fails when times a day list an hour twice', () => ({ schedule: Schedule.timesDaily({ hours: [2, 2] }) }),
    `${PATH}: Schedule.timesDaily: hours lists 2 twice`],
  ['fails when the schedule is a list of patterns, not a Schedule', () => ({ schedule: [DAILY] as unknown as Schedule }),
    `${PATH}: schedule ["${DAILY}"] is invalid: a policy needs a Schedule, which becomes trigger.properties.pattern (API 4.8.1). Build one with Schedule.daily(), Schedule.weekly(), Schedule.timesDaily() or Schedule.fromPatterns().`],
  ['fails when the schedule is missing', () => ({ schedule: undefined as unknown as Schedule }),
    `${PATH}: schedule undefined is invalid: a policy needs a Schedule, which becomes trigger.properties.pattern (API 4.8.1). Build one with Schedule.daily(), Schedule.weekly(), Schedule.timesDaily() or Schedule.fromPatterns().`],
];

const RETENTION_FAILURES: [string, () => Partial<PolicyProps>, string][] = [
  ['fails when max_backups is 0', () => ({ retention: Retention.count(0) }),
    `${PATH}: retention max_backups must be -1 (no limit) or an integer from 1 to 99999, got 0`],
  ['fails when retention_duration_days is 100000', () => ({ retention: Retention.days(100000) }),
    `${PATH}: retention retention_duration_days must be -1 (no limit) or an integer from 1 to 99999, got 100000`],
  ['fails when max_backups and retention_duration_days are both set', () => ({ retention: Retention.custom({ maxBackups: 30, retentionDays: 7 }) }),
    `${PATH}: retention sets both max_backups (30) and retention_duration_days (7); the API accepts only one of them: keep a number of backups (Retention.count) or keep backups for some days (Retention.days)`],
  ['fails when long-term counts come with retention_duration_days', () => ({ retention: Retention.custom({ retentionDays: 7, weeklyBackups: 4, timezone: CST }) }),
    `${PATH}: retention sets retention_duration_days (7) with week_backups (4); long-term retention (day_backups, week_backups, month_backups, year_backups) cannot be combined with retention_duration_days, use max_backups instead`],
  ['fails when long-term counts have no timezone', () => ({ retention: Retention.custom({ maxBackups: 5, monthlyBackups: 12 }) }),
    `${PATH}: retention sets month_backups (12) without a timezone; long-term retention needs timezone, e.g. "UTC+08:00"`],
  ['fails when a long-term count is above 100', () => ({ retention: Retention.longTerm({ yearly: 101, timezone: CST }) }),
    `${PATH}: retention year_backups must be an integer from 0 to 100, got 101`],
  ['fails when long-term retention keeps nothing', () => ({ retention: Retention.longTerm({ daily: 0, timezone: CST }) }),
    `${PATH}: Retention.longTerm: give at least one of daily, weekly, monthly or yearly above 0, got {"daily":0}`],
  ['fails when full_backup_interval is 101', () => ({ retention: Retention.days(7).withFullBackupInterval(101) }),
    `${PATH}: retention full_backup_interval must be -1 (no full backups) or an integer from 0 to 100, got 101`],
  ['fails when the retention is a number of days, not a Retention', () => ({ retention: 30 as unknown as Retention }),
    `${PATH}: retention 30 is invalid: a policy keeps backups by a Retention, which becomes the retention fields of operation_definition (API 4.8.1). Use Retention.days(), Retention.count(), Retention.longTerm() or Retention.forever().`],
];

const FIELD_FAILURES: [string, () => Partial<PolicyProps>, string][] = [
  ['fails when the policy name has a space', () => ({ policyName: 'nightly backup' }),
    `${PATH}: policyName "nightly backup" is invalid: a policy name has 1-64 letters, digits, underscores (_) and hyphens (-) (API 4.8.1). Remove the other characters or shorten the name.`],
  ['fails when the policy name has 65 characters', () => ({ policyName: 'p'.repeat(65) }),
    `${PATH}: policyName "${'p'.repeat(65)}" is invalid: a policy name has 1-64 letters, digits, underscores (_) and hyphens (-) (API 4.8.1). Remove the other characters or shorten the name.`],
  ['fails when the policy name is empty', () => ({ policyName: '' }),
    `${PATH}: policyName "" is invalid: a policy name has 1-64 letters, digits, underscores (_) and hyphens (-) (API 4.8.1). Remove the other characters or shorten the name.`],
  ['fails when the policy type is unknown', () => ({ policyType: 'archive' as PolicyType }),
    `${PATH}: policyType "archive" is invalid: a policy is either a backup or a replication policy (operation_type, API 4.8.1). Use PolicyType.BACKUP or PolicyType.REPLICATION.`],
  ['fails when enabled is not a boolean', () => ({ enabled: 'yes' as unknown as boolean }),
    `${PATH}: enabled "yes" is invalid: enabled is true or false (API 4.8.1). Use true or false, or leave it out (enabled).`],
  ['fails when the removal policy is unknown', () => ({ removalPolicy: 'keep' as RemovalPolicy }),
    `${PATH}: removalPolicy "keep" is invalid: a removal policy is retain or destroy. Use RemovalPolicy.DESTROY or RemovalPolicy.RETAIN.`],
];

const REPLICATION_FAILURES: [string, () => Partial<PolicyProps>, string][] = [
  ['fails when a backup policy sets a destination region', () => ({ destinationRegion: 'cn-north-4' }),
    `${PATH}: destinationRegion "cn-north-4" is invalid: a backup policy takes no destination_region: it only applies to replication policies (API 4.8.1). Remove destinationRegion, or set policyType to PolicyType.REPLICATION.`],
  ['fails when a backup policy sets a destination project', () => ({ destinationProjectId: 'p1' }),
    `${PATH}: destinationProjectId "p1" is invalid: a backup policy takes no destination_project_id: it only applies to replication policies (API 4.8.1). Remove destinationProjectId, or set policyType to PolicyType.REPLICATION.`],
  ['fails when a backup policy sets acceleration, even off', () => ({ enableAcceleration: false }),
    `${PATH}: enableAcceleration false is invalid: a backup policy takes no enable_acceleration: it only applies to replication policies (API 4.8.1). Remove enableAcceleration, or set policyType to PolicyType.REPLICATION.`],
  ['fails when a backup policy sets a destination region from a token (its presence is known)', () => ({ destinationRegion: TOKEN_REGION }),
    `${PATH}: destinationRegion ${JSON.stringify(TOKEN_REGION)} is invalid: a backup policy takes no destination_region: it only applies to replication policies (API 4.8.1). Remove destinationRegion, or set policyType to PolicyType.REPLICATION.`],
  ['fails when a replication policy has no destination region', () => ({ policyType: PolicyType.REPLICATION, destinationProjectId: 'p1' }),
    `${PATH}: destinationRegion undefined is invalid: a replication policy needs destination_region, which is mandatory for cross-region replication (API 4.8.1). Set destinationRegion to the ID of the destination region, e.g. "cn-north-4".`],
  ['fails when a replication policy has no destination project', () => ({ policyType: PolicyType.REPLICATION, destinationRegion: 'cn-north-4' }),
    `${PATH}: destinationProjectId undefined is invalid: a replication policy needs destination_project_id, which is mandatory for cross-region replication (API 4.8.1). Set destinationProjectId to the ID of your project in the destination region.`],
  ['fails when the destination region has a space', () => ({ ...REPLICATION, destinationRegion: 'cn north 4' }),
    `${PATH}: destinationRegion "cn north 4" is invalid: a region ID has 1-255 letters, digits, underscores (_) and hyphens (-) (destination_region, API 4.8.1). Use the ID of the destination region, e.g. "cn-north-4".`],
  ['fails when the destination region is empty', () => ({ ...REPLICATION, destinationRegion: '' }),
    `${PATH}: destinationRegion "" is invalid: a region ID has 1-255 letters, digits, underscores (_) and hyphens (-) (destination_region, API 4.8.1). Use the ID of the destination region, e.g. "cn-north-4".`],
  ['fails when the destination region has 256 characters', () => ({ ...REPLICATION, destinationRegion: 'r'.repeat(256) }),
    `${PATH}: destinationRegion "${'r'.repeat(256)}" is invalid: a region ID has 1-255 letters, digits, underscores (_) and hyphens (-) (destination_region, API 4.8.1). Use the ID of the destination region, e.g. "cn-north-4".`],
  ['fails when the destination project is empty', () => ({ ...REPLICATION, destinationProjectId: '' }),
    `${PATH}: destinationProjectId "" is invalid: a project ID is a non-empty string (destination_project_id, API 4.8.1). Set destinationProjectId to the ID of your project in the destination region.`],
  ['fails when acceleration is not a boolean', () => ({ ...REPLICATION, enableAcceleration: 'yes' as unknown as boolean }),
    `${PATH}: enableAcceleration "yes" is invalid: enable_acceleration is true or false (API 4.8.1). Use true or false, or leave enableAcceleration out (no acceleration).`],
];

describe('Policy validation', () => {
  describe.each([
    ['schedule', SCHEDULE_FAILURES],
    ['retention', RETENTION_FAILURES],
    ['fields', FIELD_FAILURES],
    ['replication', REPLICATION_FAILURES],
  ])('%s', (_group, cases) => {
    test.each(cases)('%s', (_name, props, message) => {
      expect(() => policy(props())).toThrow(new Error(message));
    });
  });

  test('checks the schedule before the retention', () => {
    expect(() => policy({ schedule: Schedule.daily({ hour: 25 }), retention: Retention.count(0) }))
      .toThrow(new Error(`${PATH}: Schedule.daily: hour must be an integer from 0 to 23, got 25`));
  });

  test('names the nested construct path', () => {
    const s = stack();
    const team = new Construct(s, 'Team');
    expect(() => new Policy(team, 'Hourly', { schedule: Schedule.fromPatterns(['FREQ=DAILY;BYHOUR=1,2;BYMINUTE=0,30']) }))
      .toThrow(new Error(`backup/Team/Hourly: schedule runs at 01:00 and 01:30 UTC every day; ${SPACING} (pattern 1 "FREQ=DAILY;BYHOUR=1,2;BYMINUTE=0,30")`));
  });
});

/** [behaviour, props, runs_per_week, max_backups_held, schedule_summary, retention_summary]. */
const REVIEW: [string, () => Partial<PolicyProps>, number, number, string, string][] = [
  ['daily runs kept forever', () => ({}), 7, -1, 'daily at 02:00 UTC', 'keep all backups forever'],
  ['daily runs kept 7 days', () => ({ retention: Retention.days(7) }), 7, 7, 'daily at 02:00 UTC', 'keep backups for 7 days'],
  ['two runs a day kept 30 days', () => ({ schedule: Schedule.timesDaily({ hours: [2, 14] }), retention: Retention.days(30) }),
    14, 60, 'daily at 02:00, 14:00 UTC', 'keep backups for 30 days'],
  ['every 3 days, rounded to two decimals', () => ({ schedule: Schedule.everyNDays({ interval: 3, hour: 1 }), retention: Retention.days(30) }),
    2.33, 10, 'every 3 days at 01:00 UTC', 'keep backups for 30 days'],
  ['weekdays kept by count', () => ({
    schedule: Schedule.weekly({
      days: [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY], hour: 22, utcOffset: CST,
    }),
    retention: Retention.count(20),
  }), 5, 20, 'weekly on MO, TU, WE, TH, FR at 14:00 UTC (on MO, TU, WE, TH, FR at 22:00 UTC+08:00)', 'keep the latest 20 backups'],
  ['long-term retention adds its counts', () => ({ retention: Retention.longTerm({ daily: 7, weekly: 4, monthly: 12, timezone: CST, maxBackups: 30 }) }),
    7, 53, 'daily at 02:00 UTC', 'keep 7 daily, 4 weekly, 12 monthly backups (UTC+08:00); at most 30 recent'],
  ['long-term retention without max_backups is unbounded', () => ({ retention: Retention.longTerm({ daily: 7, timezone: CST }) }),
    7, -1, 'daily at 02:00 UTC', 'keep 7 daily backups (UTC+08:00); all other backups kept forever'],
  ['max_backups -1 is unbounded', () => ({ retention: Retention.count(-1) }), 7, -1, 'daily at 02:00 UTC', 'keep all backups forever'],
  ['every 2 weeks', () => ({ schedule: Schedule.weekly({ days: [Weekday.SATURDAY], hour: 3, interval: 2 }), retention: Retention.days(60) }),
    0.5, 5, 'every 2 weeks on SA at 03:00 UTC', 'keep backups for 60 days'],
];

describe('Policy spec for reviewers', () => {
  test.each(REVIEW)('%s', (_name, props, runs, held, scheduleSummary, retentionSummary) => {
    const spec = specOf(props());
    expect(spec.runs_per_week).toBe(runs);
    expect(spec.max_backups_held).toBe(held);
    expect(spec.schedule_summary).toBe(scheduleSummary);
    expect(spec.retention_summary).toBe(retentionSummary);
  });

  test('always carries every field (no field comes and goes)', () => {
    for (const retention of [Retention.days(7), Retention.forever()]) {
      expect(Object.keys(specOf({ retention })).sort()).toEqual([
        'enabled', 'max_backups_held', 'name', 'operation_definition', 'operation_type', 'pattern', 'project_id', 'region',
        'removal_policy', 'retention_summary', 'runs_per_week', 'schedule_summary', 'spec_format',
      ]);
    }
  });

  test('synthesizes the same spec twice', () => {
    const props = (): Partial<PolicyProps> => ({ schedule: Schedule.everyNDays({ interval: 3, hour: 1 }), retention: Retention.days(30) });
    expect(specOf(props())).toEqual(specOf(props()));
  });

  test('puts the replication fields into operation_definition', () => {
    expect(specOf({ ...REPLICATION, enableAcceleration: true, retention: Retention.count(3) }).operation_definition).toEqual({
      max_backups: 3, destination_region: 'cn-north-4', destination_project_id: '0605767a0d00d5762fb3c01a5b7d3d85', enable_acceleration: true,
    });
  });
});

describe('Policy values known only at apply time', () => {
  function synthWithVariables(build: (s: TerraformStack, vars: { pattern: string; count: number; region: string }) => void): any {
    const s = stack();
    const vars = {
      pattern: new TerraformVariable(s, 'pattern', { type: 'string' }).stringValue,
      count: new TerraformVariable(s, 'count', { type: 'number' }).numberValue,
      region: new TerraformVariable(s, 'region', { type: 'string' }).stringValue,
    };
    build(s, vars);
    return specsOf(JSON.parse(Testing.synth(s)), 'policy');
  }

  test('leaves token patterns, counts and regions to the API and says so in the spec', () => {
    const specs = synthWithVariables((s, v) => {
      new Policy(s, 'Nightly', {
        policyName: 'nightly',
        schedule: Schedule.fromPatterns([v.pattern]),
        retention: Retention.count(v.count),
        policyType: PolicyType.REPLICATION,
        destinationRegion: v.region,
        destinationProjectId: 'p1',
      });
    });
    expect(specs.Nightly).toMatchObject({
      pattern: ['${var.pattern}'],
      operation_definition: { max_backups: '${var.count}', destination_region: '${var.region}', destination_project_id: 'p1' },
      schedule_summary: 'patterns known at apply time',
      retention_summary: 'retention known at apply time (max_backups from a Terraform value)',
      runs_per_week: -1,
      max_backups_held: -1,
    });
  });

  test('still counts the backups held by max_backups when only the patterns are tokens', () => {
    const specs = synthWithVariables((s, v) => {
      new Policy(s, 'Nightly', { policyName: 'nightly', schedule: Schedule.fromPatterns([v.pattern]), retention: Retention.count(14) });
    });
    expect(specs.Nightly.max_backups_held).toBe(14);
    expect(specs.Nightly.runs_per_week).toBe(-1);
  });

  test('still checks the known patterns of a schedule with a token', () => {
    const s = stack();
    expect(() => new Policy(s, 'Nightly', { schedule: Schedule.fromPatterns([token(DAILY), 'FREQ=DAILY;BYHOUR=2']) }))
      .toThrow(new Error(`${PATH}: schedule pattern 2 "FREQ=DAILY;BYHOUR=2": BYMINUTE is missing; without it the run time depends on when the policy is created, add e.g. BYMINUTE=00`));
  });

  test('accepts boolean variables for enabled and enableAcceleration', () => {
    const specs = synthWithVariables((s) => {
      const flag = new TerraformVariable(s, 'flag', { type: 'bool' }).booleanValue as unknown as boolean;
      new Policy(s, 'Nightly', { policyName: 'nightly', schedule: Schedule.daily({ hour: 1 }), enabled: flag, ...REPLICATION, enableAcceleration: flag });
    });
    expect(specs.Nightly.enabled).toBe('${var.flag}');
    expect(specs.Nightly.operation_definition.enable_acceleration).toBe('${var.flag}');
  });

  test('accepts a token policy name', () => {
    expect(() => policy({ policyName: token('nightly') })).not.toThrow();
  });
});
