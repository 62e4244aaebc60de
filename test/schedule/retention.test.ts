import { Lazy } from 'cdktf';
import { Retention, Schedule, UtcOffset, Weekday } from '../../src/schedule';
import { validateOperationDefinition } from '../../src/schedule/operation-definition';
import { replicationOperationDefinition } from '../../src/schedule/replication';

/** A string known only at apply time (like a Terraform variable). */
const token = (value: string): string => Lazy.stringValue({ produce: () => value });

const CST = UtcOffset.hours(8);

/** [behaviour, build, operation_definition, summary]. */
const VALID: [string, () => Retention, Record<string, unknown>, string][] = [
  ['keeps a number of backups', () => Retention.count(30), { max_backups: 30 }, 'keep the latest 30 backups'],
  ['keeps the latest backup only', () => Retention.count(1), { max_backups: 1 }, 'keep the latest backup'],
  ['keeps up to 99999 backups', () => Retention.count(99999), { max_backups: 99999 }, 'keep the latest 99999 backups'],
  ['accepts max_backups -1 as no limit', () => Retention.count(-1), { max_backups: -1 }, 'keep all backups forever'],
  ['keeps backups for some days', () => Retention.days(35), { retention_duration_days: 35 }, 'keep backups for 35 days'],
  ['keeps backups for one day', () => Retention.days(1), { retention_duration_days: 1 }, 'keep backups for 1 day'],
  ['keeps backups for 99999 days', () => Retention.days(99999), { retention_duration_days: 99999 }, 'keep backups for 99999 days'],
  ['accepts retention_duration_days -1 as no limit', () => Retention.days(-1), { retention_duration_days: -1 }, 'keep all backups forever'],
  ['keeps everything forever by sending neither field', () => Retention.forever(), {}, 'keep all backups forever'],
  ['keeps long-term backups plus recent ones (the issue example)',
    () => Retention.longTerm({ daily: 7, weekly: 4, monthly: 12, timezone: CST, maxBackups: 30 }),
    { max_backups: 30, day_backups: 7, week_backups: 4, month_backups: 12, timezone: 'UTC+08:00' },
    'keep 7 daily, 4 weekly, 12 monthly backups (UTC+08:00); at most 30 recent'],
  ['keeps one yearly backup', () => Retention.longTerm({ yearly: 1, timezone: UtcOffset.hours(-5), maxBackups: 10 }),
    { max_backups: 10, year_backups: 1, timezone: 'UTC-05:00' }, 'keep 1 yearly backup (UTC-05:00); at most 10 recent'],
  ['says that other backups are kept forever without maxBackups', () => Retention.longTerm({ daily: 100, yearly: 100, timezone: UtcOffset.UTC }),
    { day_backups: 100, year_backups: 100, timezone: 'UTC+00:00' }, 'keep 100 daily, 100 yearly backups (UTC+00:00); all other backups kept forever'],
  ['sends zero counts but leaves them out of the summary', () => Retention.longTerm({ daily: 0, weekly: 2, timezone: CST, maxBackups: 5 }),
    { max_backups: 5, day_backups: 0, week_backups: 2, timezone: 'UTC+08:00' }, 'keep 2 weekly backups (UTC+08:00); at most 5 recent'],
  ['adds a full backup interval', () => Retention.days(7).withFullBackupInterval(10),
    { retention_duration_days: 7, full_backup_interval: 10 }, 'keep backups for 7 days; a full backup after every 10 incremental backups'],
  ['adds a full backup after every incremental backup', () => Retention.count(3).withFullBackupInterval(1),
    { max_backups: 3, full_backup_interval: 1 }, 'keep the latest 3 backups; a full backup after every 1 incremental backup'],
  ['turns periodic full backups off with -1', () => Retention.forever().withFullBackupInterval(-1),
    { full_backup_interval: -1 }, 'keep all backups forever; no periodic full backups'],
  ['makes every backup full with 0', () => Retention.count(5).withFullBackupInterval(0),
    { max_backups: 5, full_backup_interval: 0 }, 'keep the latest 5 backups; every backup is a full backup'],
  ['accepts a full backup interval of 100', () => Retention.count(5).withFullBackupInterval(100),
    { max_backups: 5, full_backup_interval: 100 }, 'keep the latest 5 backups; a full backup after every 100 incremental backups'],
  ['maps every custom field to the API name', () => Retention.custom({
    maxBackups: 20, dailyBackups: 1, weeklyBackups: 2, monthlyBackups: 3, yearlyBackups: 4, timezone: CST, fullBackupInterval: 5,
  }), {
    max_backups: 20, day_backups: 1, week_backups: 2, month_backups: 3, year_backups: 4, timezone: 'UTC+08:00', full_backup_interval: 5,
  }, 'keep 1 daily, 2 weekly, 3 monthly, 4 yearly backups (UTC+08:00); at most 20 recent; a full backup after every 5 incremental backups'],
  ['accepts a timezone without long-term counts', () => Retention.custom({ retentionDays: 3, timezone: CST }),
    { retention_duration_days: 3, timezone: 'UTC+08:00' }, 'keep backups for 3 days'],
  ['accepts the 4.8.1 example: zero long-term counts with retention_duration_days', () => Retention.custom({
    dailyBackups: 0, weeklyBackups: 0, monthlyBackups: 0, yearlyBackups: 0, retentionDays: 1, timezone: CST,
  }), { retention_duration_days: 1, day_backups: 0, week_backups: 0, month_backups: 0, year_backups: 0, timezone: 'UTC+08:00' },
  'keep backups for 1 day'],
  ['accepts the 4.8.4 example: max_backups with zero long-term counts', () => Retention.custom({
    dailyBackups: 0, weeklyBackups: 0, monthlyBackups: 0, yearlyBackups: 0, maxBackups: 1, timezone: CST,
  }), { max_backups: 1, day_backups: 0, week_backups: 0, month_backups: 0, year_backups: 0, timezone: 'UTC+08:00' },
  'keep the latest backup'],
  ['keeps an empty custom retention forever', () => Retention.custom({}), {}, 'keep all backups forever'],
];

/** [behaviour, build, exact message]: building does not throw, using the retention does. */
const INVALID: [string, () => Retention, string][] = [
  ['fails when max_backups is 0', () => Retention.count(0), 'retention max_backups must be -1 (no limit) or an integer from 1 to 99999, got 0'],
  ['fails when max_backups is -2', () => Retention.count(-2), 'retention max_backups must be -1 (no limit) or an integer from 1 to 99999, got -2'],
  ['fails when max_backups is 100000', () => Retention.count(100000), 'retention max_backups must be -1 (no limit) or an integer from 1 to 99999, got 100000'],
  ['fails when max_backups is fractional', () => Retention.count(2.5), 'retention max_backups must be -1 (no limit) or an integer from 1 to 99999, got 2.5'],
  ['fails when max_backups is NaN', () => Retention.count(NaN), 'retention max_backups must be -1 (no limit) or an integer from 1 to 99999, got NaN'],
  ['fails when max_backups is a string', () => Retention.count('7' as unknown as number), 'retention max_backups must be -1 (no limit) or an integer from 1 to 99999, got "7"'],
  ['fails when retention_duration_days is 0', () => Retention.days(0), 'retention retention_duration_days must be -1 (no limit) or an integer from 1 to 99999, got 0'],
  ['fails when retention_duration_days is 100000', () => Retention.days(100000), 'retention retention_duration_days must be -1 (no limit) or an integer from 1 to 99999, got 100000'],
  ['fails when retention_duration_days is Infinity', () => Retention.days(Infinity), 'retention retention_duration_days must be -1 (no limit) or an integer from 1 to 99999, got Infinity'],
  ['fails when day_backups is 101', () => Retention.longTerm({ daily: 101, timezone: CST }), 'retention day_backups must be an integer from 0 to 100, got 101'],
  ['fails when week_backups is negative', () => Retention.longTerm({ daily: 1, weekly: -1, timezone: CST }), 'retention week_backups must be an integer from 0 to 100, got -1'],
  ['fails when month_backups is fractional', () => Retention.longTerm({ monthly: 1.5, timezone: CST }), 'retention month_backups must be an integer from 0 to 100, got 1.5'],
  ['fails when year_backups is 1000', () => Retention.longTerm({ yearly: 1000, timezone: CST }), 'retention year_backups must be an integer from 0 to 100, got 1000'],
  ['fails when long-term retention has no count above 0', () => Retention.longTerm({ daily: 0, timezone: CST }),
    'Retention.longTerm: give at least one of daily, weekly, monthly or yearly above 0, got {"daily":0}'],
  ['fails when long-term retention has no count at all', () => Retention.longTerm({ timezone: CST }),
    'Retention.longTerm: give at least one of daily, weekly, monthly or yearly above 0, got {}'],
  ['fails when long-term retention has no timezone', () => Retention.longTerm({ daily: 7 } as never),
    'Retention.longTerm: timezone must be a UtcOffset (e.g. UtcOffset.hours(8) for UTC+08:00), got undefined'],
  ['fails when the timezone is a string', () => Retention.longTerm({ daily: 7, timezone: 'UTC+08:00' as unknown as UtcOffset }),
    'Retention.longTerm: timezone must be a UtcOffset (e.g. UtcOffset.hours(8) for UTC+08:00), got "UTC+08:00"'],
  ['fails when long-term maxBackups is 0', () => Retention.longTerm({ daily: 7, timezone: CST, maxBackups: 0 }),
    'retention max_backups must be -1 (no limit) or an integer from 1 to 99999, got 0'],
  ['fails when max_backups and retention_duration_days are both set', () => Retention.custom({ maxBackups: 30, retentionDays: 7 }),
    'retention sets both max_backups (30) and retention_duration_days (7); the API accepts only one of them: keep a number of backups (Retention.count) or keep backups for some days (Retention.days)'],
  ['fails when max_backups -1 and retention_duration_days are both set', () => Retention.custom({ maxBackups: -1, retentionDays: 7 }),
    'retention sets both max_backups (-1) and retention_duration_days (7); the API accepts only one of them: keep a number of backups (Retention.count) or keep backups for some days (Retention.days)'],
  ['fails when day_backups comes with retention_duration_days', () => Retention.custom({ retentionDays: 7, dailyBackups: 7, timezone: CST }),
    'retention sets retention_duration_days (7) with day_backups (7); long-term retention (day_backups, week_backups, month_backups, year_backups) cannot be combined with retention_duration_days, use max_backups instead'],
  ['fails when several long-term counts come with retention_duration_days', () => Retention.custom({ retentionDays: -1, weeklyBackups: 4, yearlyBackups: 1, monthlyBackups: 0, timezone: CST }),
    'retention sets retention_duration_days (-1) with week_backups (4), year_backups (1); long-term retention (day_backups, week_backups, month_backups, year_backups) cannot be combined with retention_duration_days, use max_backups instead'],
  ['fails when long-term counts have no timezone', () => Retention.custom({ maxBackups: 5, dailyBackups: 7, monthlyBackups: 2 }),
    'retention sets day_backups (7), month_backups (2) without a timezone; long-term retention needs timezone, e.g. "UTC+08:00"'],
  ['fails when a zero long-term count has no timezone', () => Retention.custom({ maxBackups: 5, weeklyBackups: 0 }),
    'retention sets week_backups (0) without a timezone; long-term retention needs timezone, e.g. "UTC+08:00"'],
  ['fails when full_backup_interval is 101', () => Retention.count(3).withFullBackupInterval(101),
    'retention full_backup_interval must be -1 (no full backups) or an integer from 0 to 100, got 101'],
  ['fails when full_backup_interval is -2', () => Retention.custom({ fullBackupInterval: -2 }),
    'retention full_backup_interval must be -1 (no full backups) or an integer from 0 to 100, got -2'],
  ['fails when the custom timezone is not a UtcOffset', () => Retention.custom({ timezone: 8 as unknown as UtcOffset }),
    'Retention.custom: timezone must be a UtcOffset (e.g. UtcOffset.hours(8) for UTC+08:00), got 8'],
];

/** [behaviour, raw operation_definition, operation type, exact message or undefined when valid]. */
const RAW: [string, Record<string, unknown>, string | undefined, string | undefined][] = [
  ['accepts the 4.8.1 request example', {
    day_backups: 0, month_backups: 0, retention_duration_days: 1, timezone: 'UTC+08:00', week_backups: 0, year_backups: 0,
  }, 'backup', undefined],
  ['accepts the 4.8.4 request example', {
    day_backups: 0, month_backups: 0, max_backups: 1, timezone: 'UTC+08:00', week_backups: 0, year_backups: 0,
  }, 'backup', undefined],
  ['accepts an empty definition (backups kept forever)', {}, undefined, undefined],
  ['fails on an unknown field', { max_backup: 3 }, undefined,
    'operation_definition has an unknown field "max_backup"; the API accepts max_backups, retention_duration_days, day_backups, week_backups, month_backups, year_backups, timezone, full_backup_interval, destination_region, destination_project_id, enable_acceleration'],
  ['fails on the spaced timezone of the reference tables', { max_backups: 3, day_backups: 1, timezone: 'UTC +08:00' }, undefined,
    'retention timezone "UTC +08:00" is not a UTC offset: write UTC, a sign, two-digit hours, a colon and two-digit minutes, e.g. "UTC+08:00"; did you mean "UTC+08:00"?'],
  ['fails on a timezone name', { max_backups: 3, day_backups: 1, timezone: 'Asia/Shanghai' }, undefined,
    'retention timezone "Asia/Shanghai" is not a UTC offset: write UTC, a sign, two-digit hours, a colon and two-digit minutes, e.g. "UTC+08:00"'],
  ['fails on a numeric timezone', { timezone: 8 }, undefined,
    'retention timezone 8 is not a UTC offset: write UTC, a sign, two-digit hours, a colon and two-digit minutes, e.g. "UTC+08:00"'],
  ['fails on a string count', { day_backups: '7', timezone: 'UTC+08:00' }, undefined,
    'retention day_backups must be an integer from 0 to 100, got "7"'],
  ['fails on a BigInt max_backups', { max_backups: 10n }, undefined,
    'retention max_backups must be -1 (no limit) or an integer from 1 to 99999, got 10'],
  ['fails on a null max_backups', { max_backups: null }, undefined,
    'retention max_backups must be -1 (no limit) or an integer from 1 to 99999, got null'],
  ['fails when a replication field is set on a backup policy', { max_backups: 3, destination_region: 'cn-north-4' }, 'backup',
    'destination_region "cn-north-4" is invalid: a backup policy takes no destination_region: it only applies to replication policies (API 4.8.1). Remove destination_region, or set operation_type to "replication".'],
  ['fails when a replication policy has no destination region', { max_backups: 3 }, 'replication',
    'destination_region undefined is invalid: a replication policy needs destination_region, which is mandatory for cross-region replication (API 4.8.1). Set destination_region to the ID of the destination region, e.g. "cn-north-4".'],
  ['accepts a replication policy with region and project', {
    max_backups: 3, destination_region: 'cn-north-4', destination_project_id: '0605767a0d00d5762fb3c01a5b7d3d85', enable_acceleration: true,
  }, 'replication', undefined],
];

/** [behaviour, settings, exact message or the fields returned]. */
const REPLICATION: [string, Record<string, unknown>, string | Record<string, unknown>][] = [
  ['returns nothing for a backup policy', { operationType: 'backup' }, {}],
  ['returns the three fields for a replication policy',
    { operationType: 'replication', destinationRegion: 'cn-north-4', destinationProjectId: 'p1', enableAcceleration: false },
    { destination_region: 'cn-north-4', destination_project_id: 'p1', enable_acceleration: false }],
  ['leaves enable_acceleration out when not set', { operationType: 'replication', destinationRegion: 'ap_southeast-1', destinationProjectId: 'p1' },
    { destination_region: 'ap_southeast-1', destination_project_id: 'p1' }],
  ['accepts a 255-character region', { operationType: 'replication', destinationRegion: 'r'.repeat(255), destinationProjectId: 'p1' },
    { destination_region: 'r'.repeat(255), destination_project_id: 'p1' }],
  ['fails on an unknown operation type', { operationType: 'archive' }, 'operation_type "archive" is invalid: a policy is either a backup or a replication policy (operation_type, API 4.8.1). Use "backup" or "replication".'],
  ['fails when a backup policy sets a destination project', { operationType: 'backup', destinationProjectId: 'p1' },
    'destination_project_id "p1" is invalid: a backup policy takes no destination_project_id: it only applies to replication policies (API 4.8.1). Remove destination_project_id, or set operation_type to "replication".'],
  ['fails when a backup policy sets acceleration', { operationType: 'backup', enableAcceleration: true },
    'enable_acceleration true is invalid: a backup policy takes no enable_acceleration: it only applies to replication policies (API 4.8.1). Remove enable_acceleration, or set operation_type to "replication".'],
  ['fails when a replication policy has no region', { operationType: 'replication', destinationProjectId: 'p1' },
    'destination_region undefined is invalid: a replication policy needs destination_region, which is mandatory for cross-region replication (API 4.8.1). Set destination_region to the ID of the destination region, e.g. "cn-north-4".'],
  ['fails when the region has a space', { operationType: 'replication', destinationRegion: 'cn north 4', destinationProjectId: 'p1' },
    'destination_region "cn north 4" is invalid: a region ID has 1-255 letters, digits, underscores (_) and hyphens (-) (destination_region, API 4.8.1). Use the ID of the destination region, e.g. "cn-north-4".'],
  ['fails when the region is empty', { operationType: 'replication', destinationRegion: '', destinationProjectId: 'p1' },
    'destination_region "" is invalid: a region ID has 1-255 letters, digits, underscores (_) and hyphens (-) (destination_region, API 4.8.1). Use the ID of the destination region, e.g. "cn-north-4".'],
  ['fails when the region has 256 characters', { operationType: 'replication', destinationRegion: 'r'.repeat(256), destinationProjectId: 'p1' },
    `destination_region "${'r'.repeat(256)}" is invalid: a region ID has 1-255 letters, digits, underscores (_) and hyphens (-) (destination_region, API 4.8.1). Use the ID of the destination region, e.g. "cn-north-4".`],
  ['fails when a replication policy has no project', { operationType: 'replication', destinationRegion: 'cn-north-4' },
    'destination_project_id undefined is invalid: a replication policy needs destination_project_id, which is mandatory for cross-region replication (API 4.8.1). Set destination_project_id to the ID of your project in the destination region.'],
  ['fails when the project is empty', { operationType: 'replication', destinationRegion: 'cn-north-4', destinationProjectId: '' },
    'destination_project_id "" is invalid: a project ID is a non-empty string (destination_project_id, API 4.8.1). Set destination_project_id to the ID of your project in the destination region.'],
  ['fails when acceleration is not a boolean', { operationType: 'replication', destinationRegion: 'cn-north-4', destinationProjectId: 'p1', enableAcceleration: 'yes' },
    'enable_acceleration "yes" is invalid: enable_acceleration is true or false (API 4.8.1). Use true or false, or leave enable_acceleration out (no acceleration).'],
];

/** [behaviour, retention, schedule, most backups held or undefined when unbounded]. */
const HELD: [string, () => Retention, () => Schedule, number | undefined][] = [
  ['holds max_backups for a count', () => Retention.count(30), () => Schedule.daily({ hour: 1 }), 30],
  ['holds the recent ones plus every long-term count', () => Retention.longTerm({ daily: 7, weekly: 4, monthly: 12, yearly: 2, timezone: CST, maxBackups: 30 }),
    () => Schedule.daily({ hour: 1 }), 55],
  ['holds 7 daily backups kept 7 days', () => Retention.days(7), () => Schedule.daily({ hour: 1 }), 7],
  ['holds 14 backups kept 7 days at two a day', () => Retention.days(7), () => Schedule.timesDaily({ hours: [1, 13] }), 14],
  ['holds 2 backups kept 7 days at MO and TH', () => Retention.days(7), () => Schedule.weekly({ days: [Weekday.MONDAY, Weekday.THURSDAY], hour: 1 }), 2],
  ['holds 3 backups kept 5 days at MO, TU, WE', () => Retention.days(5), () => Schedule.weekly({ days: [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY], hour: 1 }), 3],
  ['holds 1 backup kept 1 day at MO, TU', () => Retention.days(1), () => Schedule.weekly({ days: [Weekday.MONDAY, Weekday.TUESDAY], hour: 1 }), 1],
  ['holds 10 backups kept 30 days every 3 days', () => Retention.days(30), () => Schedule.everyNDays({ interval: 3, hour: 1 }), 10],
  ['is unbounded forever', () => Retention.forever(), () => Schedule.daily({ hour: 1 }), undefined],
  ['is unbounded with max_backups -1', () => Retention.count(-1), () => Schedule.daily({ hour: 1 }), undefined],
  ['is unbounded with retention_duration_days -1', () => Retention.days(-1), () => Schedule.daily({ hour: 1 }), undefined],
  ['is unbounded with long-term counts and no max_backups', () => Retention.longTerm({ daily: 7, timezone: CST }), () => Schedule.daily({ hour: 1 }), undefined],
];

describe('Retention', () => {
  test.each(VALID)('%s', (_name, build, od, summary) => {
    const r = build();
    expect(r._toOperationDefinition()).toEqual(od);
    expect(r.summary).toBe(summary);
  });

  test.each(INVALID)('%s', (_name, build, message) => {
    const r = build();
    expect(() => r.summary).toThrow(new Error(message));
    expect(() => r.maxBackupsHeld(Schedule.daily({ hour: 1 }))).toThrow(new Error(message));
    expect(r._violation()).toBe(message);
  });

  test('keeps the first failure when a full backup interval is added to a broken retention', () => {
    expect(Retention.longTerm({ timezone: CST }).withFullBackupInterval(3)._violation())
      .toBe('Retention.longTerm: give at least one of daily, weekly, monthly or yearly above 0, got {}');
    expect(Retention.count(0).withFullBackupInterval(3)._violation())
      .toBe('retention max_backups must be -1 (no limit) or an integer from 1 to 99999, got 0');
  });

  test('leaves counts given as tokens to the API but still checks which fields are set', () => {
    const n = Lazy.numberValue({ produce: () => 30 });
    const r = Retention.count(n);
    expect(r._violation()).toBeUndefined();
    expect(r.summary).toBe('retention known at apply time (max_backups from a Terraform value)');
    expect(r.maxBackupsHeld(Schedule.daily({ hour: 1 }))).toBeUndefined();
    expect(Retention.longTerm({ daily: n, weekly: n, timezone: CST }).summary)
      .toBe('retention known at apply time (day_backups, week_backups from Terraform values)');
    expect(Retention.custom({ maxBackups: n, retentionDays: 7 })._violation()).toMatch(/^retention sets both max_backups \(/);
  });

  test('does not know how many backups a days-based retention holds with token patterns', () => {
    expect(Retention.days(7).maxBackupsHeld(Schedule.fromPatterns([token('p')]))).toBeUndefined();
    expect(Retention.count(7).maxBackupsHeld(Schedule.fromPatterns([token('p')]))).toBe(7);
  });

  test.each(HELD)('%s', (_name, retention, schedule, held) => {
    expect(retention().maxBackupsHeld(schedule())).toBe(held);
  });

  test('does not change the retention it derives from', () => {
    const base = Retention.count(3);
    base.withFullBackupInterval(5);
    expect(base._toOperationDefinition()).toEqual({ max_backups: 3 });
  });
});

describe('raw operation_definition', () => {
  test.each(RAW)('%s', (_name, od, type, message) => {
    const run = (): void => validateOperationDefinition(od, type);
    if (message === undefined) expect(run).not.toThrow();
    else expect(run).toThrow(new Error(message));
  });
});

describe('replication fields', () => {
  test.each(REPLICATION)('%s', (_name, settings, expected) => {
    const run = (): Record<string, unknown> => replicationOperationDefinition(settings as never);
    if (typeof expected === 'string') expect(run).toThrow(new Error(expected));
    else expect(run()).toEqual(expected);
  });
});
