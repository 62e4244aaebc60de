import { Lazy } from 'cdktf';
import { Schedule, UtcOffset, Weekday } from '../../src/schedule';

/** A string known only at apply time (like a Terraform variable). */
const token = (value: string): string => Lazy.stringValue({ produce: () => value });

const { MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY } = Weekday;
const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** [behaviour, build, patterns, summary]. */
const PRESETS: [string, () => Schedule, string[], string][] = [
  ['renders a daily run in UTC', () => Schedule.daily({ hour: 2 }),
    ['FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=00'], 'daily at 02:00 UTC'],
  ['renders the 4.8.1 example: 14:00 at UTC+8 daily is BYHOUR=6', () => Schedule.daily({ hour: 14, utcOffset: UtcOffset.hours(8) }),
    ['FREQ=DAILY;INTERVAL=1;BYHOUR=6;BYMINUTE=00'], 'daily at 06:00 UTC (14:00 UTC+08:00)'],
  ['moves an early local time to the previous UTC day', () => Schedule.daily({ hour: 1, minute: 30, utcOffset: UtcOffset.hours(8) }),
    ['FREQ=DAILY;INTERVAL=1;BYHOUR=17;BYMINUTE=30'], 'daily at 17:30 UTC (01:30 UTC+08:00)'],
  ['moves a late local time west of UTC to the next UTC day', () => Schedule.daily({ hour: 22, utcOffset: UtcOffset.hours(-5) }),
    ['FREQ=DAILY;INTERVAL=1;BYHOUR=3;BYMINUTE=00'], 'daily at 03:00 UTC (22:00 UTC-05:00)'],
  ['converts half-hour offsets', () => Schedule.daily({ hour: 5, utcOffset: UtcOffset.minutes(330) }),
    ['FREQ=DAILY;INTERVAL=1;BYHOUR=23;BYMINUTE=30'], 'daily at 23:30 UTC (05:00 UTC+05:30)'],
  ['shows no local form for UTC itself', () => Schedule.daily({ hour: 7, minute: 5, utcOffset: UtcOffset.UTC }),
    ['FREQ=DAILY;INTERVAL=1;BYHOUR=7;BYMINUTE=05'], 'daily at 07:05 UTC'],
  ['renders weekly days in week order', () => Schedule.weekly({ days: [FRIDAY, MONDAY, WEDNESDAY], hour: 2 }),
    ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=2;BYMINUTE=00'], 'weekly on MO, WE, FR at 02:00 UTC'],
  ['renders the 4.8.1 weekly example for all seven days', () => Schedule.weekly({
    days: [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY], hour: 14,
  }), ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=14;BYMINUTE=00'], 'daily at 14:00 UTC'],
  ['moves weekly days back with the time (MO 01:00 at UTC+8 is SU 17:00 UTC)',
    () => Schedule.weekly({ days: [MONDAY, WEDNESDAY], hour: 1, utcOffset: UtcOffset.hours(8) }),
    ['FREQ=WEEKLY;BYDAY=TU,SU;BYHOUR=17;BYMINUTE=00'], 'weekly on TU, SU at 17:00 UTC (on MO, WE at 01:00 UTC+08:00)'],
  ['moves weekly days forward across the week boundary (SU 23:00 at UTC-2 is MO 01:00 UTC)',
    () => Schedule.weekly({ days: [SUNDAY], hour: 23, utcOffset: UtcOffset.hours(-2) }),
    ['FREQ=WEEKLY;BYDAY=MO;BYHOUR=1;BYMINUTE=00'], 'weekly on MO at 01:00 UTC (on SU at 23:00 UTC-02:00)'],
  ['keeps weekly days when the offset does not cross midnight', () => Schedule.weekly({ days: [SATURDAY], hour: 12, minute: 15, utcOffset: UtcOffset.hours(2) }),
    ['FREQ=WEEKLY;BYDAY=SA;BYHOUR=10;BYMINUTE=15'], 'weekly on SA at 10:15 UTC (on SA at 12:15 UTC+02:00)'],
  ['renders a weekly INTERVAL', () => Schedule.weekly({ days: [SATURDAY], hour: 3, interval: 2 }),
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;BYHOUR=3;BYMINUTE=00'], 'every 2 weeks on SA at 03:00 UTC'],
  ['allows a weekly INTERVAL with an offset when days stay in the same UTC week',
    () => Schedule.weekly({ days: [TUESDAY], hour: 1, interval: 2, utcOffset: UtcOffset.hours(8) }),
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=17;BYMINUTE=00'], 'every 2 weeks on MO at 17:00 UTC (on TU at 01:00 UTC+08:00)'],
  ['renders every N days', () => Schedule.everyNDays({ interval: 3, hour: 2 }),
    ['FREQ=DAILY;INTERVAL=3;BYHOUR=2;BYMINUTE=00'], 'every 3 days at 02:00 UTC'],
  ['converts every N days from local time', () => Schedule.everyNDays({ interval: 2, hour: 3, utcOffset: UtcOffset.hours(8) }),
    ['FREQ=DAILY;INTERVAL=2;BYHOUR=19;BYMINUTE=00'], 'every 2 days at 19:00 UTC (03:00 UTC+08:00)'],
  ['renders several times a day in one pattern', () => Schedule.timesDaily({ hours: [14, 2] }),
    ['FREQ=DAILY;INTERVAL=1;BYHOUR=2,14;BYMINUTE=00'], 'daily at 02:00, 14:00 UTC'],
  ['converts several local times a day', () => Schedule.timesDaily({ hours: [6, 18], minute: 30, utcOffset: UtcOffset.hours(8) }),
    ['FREQ=DAILY;INTERVAL=1;BYHOUR=10,22;BYMINUTE=30'], 'daily at 10:30, 22:30 UTC (06:30, 18:30 UTC+08:00)'],
  ['summarises every hour of the day briefly', () => Schedule.timesDaily({ hours: HOURS }),
    [`FREQ=DAILY;INTERVAL=1;BYHOUR=${HOURS.join(',')};BYMINUTE=00`], 'daily every hour at minute 00'],
  ['keeps raw patterns exactly as given', () => Schedule.fromPatterns(['FREQ=WEEKLY;BYDAY=SU,MO;BYHOUR=23;BYMINUTE=0', 'FREQ=DAILY;INTERVAL=3;BYHOUR=12;BYMINUTE=0']),
    ['FREQ=WEEKLY;BYDAY=SU,MO;BYHOUR=23;BYMINUTE=0', 'FREQ=DAILY;INTERVAL=3;BYHOUR=12;BYMINUTE=0'],
    'weekly on MO, SU at 23:00 UTC; every 3 days at 12:00 UTC'],
  ['combines schedules in order', () => Schedule.combine([Schedule.daily({ hour: 2 }), Schedule.weekly({ days: [SATURDAY], hour: 12, utcOffset: UtcOffset.hours(8) })]),
    ['FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=00', 'FREQ=WEEKLY;BYDAY=SA;BYHOUR=4;BYMINUTE=00'],
    'daily at 02:00 UTC; weekly on SA at 04:00 UTC (on SA at 12:00 UTC+08:00)'],
  ['combines with plus', () => Schedule.daily({ hour: 2 }).plus(Schedule.everyNDays({ interval: 7, hour: 12 })),
    ['FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=00', 'FREQ=DAILY;INTERVAL=7;BYHOUR=12;BYMINUTE=00'],
    'daily at 02:00 UTC; every 7 days at 12:00 UTC'],
];

/** [behaviour, build, exact message]: building does not throw, using the schedule does. */
const ERRORS: [string, () => Schedule, string][] = [
  ['fails when the daily hour is 24', () => Schedule.daily({ hour: 24 }), 'Schedule.daily: hour must be an integer from 0 to 23, got 24'],
  ['fails when the daily hour is negative', () => Schedule.daily({ hour: -1 }), 'Schedule.daily: hour must be an integer from 0 to 23, got -1'],
  ['fails when the daily hour is fractional', () => Schedule.daily({ hour: 1.5 }), 'Schedule.daily: hour must be an integer from 0 to 23, got 1.5'],
  ['fails when the daily hour is NaN', () => Schedule.daily({ hour: NaN }), 'Schedule.daily: hour must be an integer from 0 to 23, got NaN'],
  ['fails when the daily hour is a string', () => Schedule.daily({ hour: '2' as unknown as number }), 'Schedule.daily: hour must be an integer from 0 to 23, got "2"'],
  ['fails when the minute is 60', () => Schedule.daily({ hour: 1, minute: 60 }), 'Schedule.daily: minute must be an integer from 0 to 59, got 60'],
  ['fails when the utcOffset is not a UtcOffset', () => Schedule.daily({ hour: 1, utcOffset: { totalMinutes: 60 } as unknown as UtcOffset }),
    'Schedule.daily: utcOffset must be a UtcOffset (e.g. UtcOffset.hours(8)), got {"totalMinutes":60}'],
  ['fails when weekly days are empty', () => Schedule.weekly({ days: [], hour: 1 }), 'Schedule.weekly: days must list at least one Weekday, got []'],
  ['fails when weekly days repeat', () => Schedule.weekly({ days: [MONDAY, TUESDAY, MONDAY], hour: 1 }), 'Schedule.weekly: days lists MO twice'],
  ['fails when a weekly day is not a Weekday', () => Schedule.weekly({ days: ['MON' as Weekday], hour: 1 }),
    'Schedule.weekly: days accepts Weekday values (MO, TU, WE, TH, FR, SA, SU), got "MON"'],
  ['fails when the weekly hour is out of range', () => Schedule.weekly({ days: [MONDAY], hour: 25 }), 'Schedule.weekly: hour must be an integer from 0 to 23, got 25'],
  ['fails when the weekly interval is 0', () => Schedule.weekly({ days: [MONDAY], hour: 1, interval: 0 }),
    'Schedule.weekly: interval must be a whole number of at least 1, got 0'],
  ['fails when a weekly interval run would move into the previous UTC week', () => Schedule.weekly({ days: [MONDAY], hour: 1, interval: 2, utcOffset: UtcOffset.hours(8) }),
    'Schedule.weekly: MO 01:00 UTC+08:00 is SU 17:00 UTC of the previous week; with interval 2 the API counts weeks from Monday in UTC, so this run would land in the wrong weeks. Give the time in UTC, or pick days that stay in the same UTC week'],
  ['fails when a weekly interval run would move into the next UTC week', () => Schedule.weekly({ days: [SATURDAY, SUNDAY], hour: 22, interval: 3, utcOffset: UtcOffset.hours(-3) }),
    'Schedule.weekly: SU 22:00 UTC-03:00 is MO 01:00 UTC of the next week; with interval 3 the API counts weeks from Monday in UTC, so this run would land in the wrong weeks. Give the time in UTC, or pick days that stay in the same UTC week'],
  ['fails when every N days has interval 0', () => Schedule.everyNDays({ interval: 0, hour: 1 }),
    'Schedule.everyNDays: interval must be a whole number of at least 1, got 0'],
  ['fails when every N days has a fractional interval', () => Schedule.everyNDays({ interval: 1.5, hour: 1 }),
    'Schedule.everyNDays: interval must be a whole number of at least 1, got 1.5'],
  ['fails when every N days has a bad minute', () => Schedule.everyNDays({ interval: 2, hour: 1, minute: -1 }),
    'Schedule.everyNDays: minute must be an integer from 0 to 59, got -1'],
  ['fails when times a day lists no hour', () => Schedule.timesDaily({ hours: [] }), 'Schedule.timesDaily: hours must list at least one hour from 0 to 23, got []'],
  ['fails when times a day lists an hour twice', () => Schedule.timesDaily({ hours: [2, 14, 2] }), 'Schedule.timesDaily: hours lists 2 twice'],
  ['fails when times a day has hour 24', () => Schedule.timesDaily({ hours: [2, 24] }), 'Schedule.timesDaily: hours must be an integer from 0 to 23, got 24'],
  ['fails when raw patterns break a rule', () => Schedule.fromPatterns(['FREQ=MONTHLY;BYHOUR=1;BYMINUTE=0']),
    'schedule pattern 1 "FREQ=MONTHLY;BYHOUR=1;BYMINUTE=0": FREQ must be WEEKLY or DAILY, got "MONTHLY"'],
  ['fails when combined schedules run less than an hour apart', () => Schedule.combine([Schedule.daily({ hour: 2 }), Schedule.daily({ hour: 2, minute: 30 })]),
    'schedule runs at 02:00 and 02:30 UTC every day; runs must be at least 1 hour apart (pattern 1 "FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=00" and pattern 2 "FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=30")'],
  ['fails when a local daily run meets a UTC one', () => Schedule.daily({ hour: 10, utcOffset: UtcOffset.hours(8) }).plus(Schedule.weekly({ days: [MONDAY], hour: 2, minute: 20 })),
    'schedule runs at 02:00 and 02:20 UTC on MO; runs must be at least 1 hour apart (pattern 1 "FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=00" and pattern 2 "FREQ=WEEKLY;BYDAY=MO;BYHOUR=2;BYMINUTE=20")'],
  ['fails when combining makes 25 patterns', () => Schedule.combine(HOURS.map(h => Schedule.daily({ hour: h })).concat([Schedule.weekly({ days: [MONDAY], hour: 0 })])),
    'schedule has 25 patterns; at most 24 patterns are allowed, merge patterns that share FREQ, INTERVAL and BYDAY (list several BYHOUR values in one pattern)'],
  ['fails when combining nothing', () => Schedule.combine([]), 'Schedule.combine: give at least one schedule'],
  ['fails when combining something that is not a Schedule', () => Schedule.combine([Schedule.daily({ hour: 1 }), 'daily' as unknown as Schedule]),
    'Schedule.combine: every item must be a Schedule, got "daily"'],
  ['fails when combining a schedule built from bad arguments', () => Schedule.daily({ hour: 1 }).plus(Schedule.weekly({ days: [], hour: 3 })),
    'Schedule.weekly: days must list at least one Weekday, got []'],
  ['fails when raw patterns are not a list', () => Schedule.fromPatterns('FREQ=DAILY;BYHOUR=1;BYMINUTE=0' as unknown as string[]),
    'schedule patterns must be a list of strings, got "FREQ=DAILY;BYHOUR=1;BYMINUTE=0"'],
  ['fails when a raw pattern is known and the other is a token', () => Schedule.fromPatterns([token('x'), 'FREQ=DAILY;BYHOUR=1']),
    'schedule pattern 2 "FREQ=DAILY;BYHOUR=1": BYMINUTE is missing; without it the run time depends on when the policy is created, add e.g. BYMINUTE=00'],
];

/** [behaviour, call, exact message]: calls that throw at once. */
const IMMEDIATE: [string, () => unknown, string][] = [
  ['fails when asking runs in 0 days', () => Schedule.daily({ hour: 1 }).maxRunsInDays(0), 'Schedule.maxRunsInDays: days must be a whole number of at least 1, got 0'],
  ['fails when validating raw patterns statically', () => Schedule.validatePatterns(['FREQ=DAILY;BYHOUR=1']),
    'pattern 1 "FREQ=DAILY;BYHOUR=1": BYMINUTE is missing; without it the run time depends on when the policy is created, add e.g. BYMINUTE=00'],
  ['fails when asking runs per week of a schedule that breaks a rule', () => Schedule.daily({ hour: 24 }).runsPerWeek,
    'Schedule.daily: hour must be an integer from 0 to 23, got 24'],
  ['fails when asking runs in days of a schedule that breaks a rule', () => Schedule.fromPatterns(['FREQ=DAILY;BYHOUR=1,2;BYMINUTE=0,30']).maxRunsInDays(1),
    'schedule runs at 01:00 and 01:30 UTC every day; runs must be at least 1 hour apart (pattern 1 "FREQ=DAILY;BYHOUR=1,2;BYMINUTE=0,30")'],
];

/** [behaviour, schedule, runs per week]. */
const RATES: [string, () => Schedule, number][] = [
  ['counts 7 runs a week for a daily run', () => Schedule.daily({ hour: 1 }), 7],
  ['counts 14 runs a week for two runs a day', () => Schedule.timesDaily({ hours: [1, 13] }), 14],
  ['counts 2 runs a week for MO and WE', () => Schedule.weekly({ days: [MONDAY, WEDNESDAY], hour: 1 }), 2],
  ['counts 7/3 runs a week for every 3 days', () => Schedule.everyNDays({ interval: 3, hour: 1 }), 7 / 3],
  ['counts half a run a week for every 2 weeks', () => Schedule.weekly({ days: [SATURDAY], hour: 1, interval: 2 }), 0.5],
  ['counts runs at the same minute once', () => Schedule.daily({ hour: 1 }).plus(Schedule.weekly({ days: [MONDAY], hour: 1 })), 7],
  ['counts the busiest start day when runs may coincide', () => Schedule.fromPatterns([
    'FREQ=DAILY;INTERVAL=7;BYHOUR=1;BYMINUTE=0', 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=1;BYMINUTE=0',
  ]), 2],
  ['sums pattern rates when the period is longer than 20,000 days', () => Schedule.fromPatterns([
    'FREQ=DAILY;INTERVAL=20011;BYHOUR=1,13;BYMINUTE=0', 'FREQ=WEEKLY;INTERVAL=3000;BYDAY=MO,TU;BYHOUR=5;BYMINUTE=0',
    'FREQ=DAILY;INTERVAL=14;BYDAY=FR;BYHOUR=7;BYMINUTE=0', 'FREQ=DAILY;INTERVAL=3;BYDAY=SA;BYHOUR=9;BYMINUTE=0',
  ]),
  (2 * 7) / 20011 + 2 / 3000 + 7 / 14 + 1 / 3],
];

/** [behaviour, schedule, days, most runs]. */
const WINDOWS: [string, () => Schedule, number, number][] = [
  ['holds 7 daily runs in 7 days', () => Schedule.daily({ hour: 1 }), 7, 7],
  ['holds 2 runs in 1 day for two runs a day', () => Schedule.timesDaily({ hours: [1, 13] }), 1, 2],
  ['holds 3 every-3-days runs in 7 days', () => Schedule.everyNDays({ interval: 3, hour: 1 }), 7, 3],
  ['holds 2 runs in 2 days for MO and TU', () => Schedule.weekly({ days: [MONDAY, TUESDAY], hour: 1 }), 2, 2],
  ['holds 1 run in 1 day for MO and TU', () => Schedule.weekly({ days: [MONDAY, TUESDAY], hour: 1 }), 1, 1],
  ['holds 1 run in 14 days for every 2 weeks', () => Schedule.weekly({ days: [SATURDAY], hour: 1, interval: 2 }), 14, 1],
  ['holds 2 runs in 15 days for every 2 weeks', () => Schedule.weekly({ days: [SATURDAY], hour: 1, interval: 2 }), 15, 2],
  ['holds 30 daily runs in 30 days', () => Schedule.daily({ hour: 23 }), 30, 30],
  ['holds 25 runs in 35 days for MO to FR', () => Schedule.weekly({ days: [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY], hour: 3 }), 35, 25],
  ['holds 99999 days of daily runs', () => Schedule.daily({ hour: 3 }), 99999, 99999],
  ['holds 1 run in 7 days for a period longer than 20,000 days (every 20011 days)', () => Schedule.everyNDays({ interval: 20011, hour: 3 }), 7, 1],
  ['bounds runs in 2 days from above for a period longer than 20,000 days (3 for MO, TU every 3000 weeks)',
    () => Schedule.weekly({ days: [MONDAY, TUESDAY], hour: 3, interval: 3000 }), 2, 3],
];

describe('Schedule', () => {
  test.each(PRESETS)('%s', (_name, build, patterns, summary) => {
    const s = build();
    expect(s.patterns).toEqual(patterns);
    expect(s.summary).toBe(summary);
  });

  test.each(ERRORS)('%s', (_name, build, message) => {
    const s = build();
    expect(s.patterns).toBeDefined();
    expect(() => s.summary).toThrow(new Error(message));
    expect(s._violation()).toBe(message);
  });

  test.each(IMMEDIATE)('%s', (_name, call, message) => {
    expect(call).toThrow(new Error(message));
  });

  test('leaves patterns given as tokens to the API', () => {
    const s = Schedule.fromPatterns([token('pattern'), 'FREQ=DAILY;BYHOUR=2;BYMINUTE=0']);
    expect(s._violation()).toBeUndefined();
    expect(s._isKnown()).toBe(false);
    expect(s.summary).toBe('patterns known at apply time');
    expect(s.runsPerWeek).toBe(-1);
    expect(s.maxRunsInDays(7)).toBe(-1);
    expect(Schedule.daily({ hour: 2 }).plus(Schedule.fromPatterns(Lazy.listValue({ produce: () => ['FREQ=DAILY;BYHOUR=9;BYMINUTE=0'] }))).summary).toBe('patterns known at apply time');
  });

  test.each(RATES)('%s', (_name, build, rate) => {
    expect(build().runsPerWeek).toBeCloseTo(rate, 10);
  });

  test.each(WINDOWS)('%s', (_name, build, days, runs) => {
    expect(build().maxRunsInDays(days)).toBe(runs);
  });

  test('returns a copy of its patterns', () => {
    const s = Schedule.daily({ hour: 2 });
    s.patterns.push('FREQ=DAILY;BYHOUR=2;BYMINUTE=30');
    expect(s.patterns).toEqual(['FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=00']);
  });

  test('is not affected by later changes to the array it was built from', () => {
    const raw = ['FREQ=DAILY;BYHOUR=2;BYMINUTE=0'];
    const s = Schedule.fromPatterns(raw);
    raw.push('FREQ=DAILY;BYHOUR=2;BYMINUTE=30');
    expect(s.patterns).toEqual(['FREQ=DAILY;BYHOUR=2;BYMINUTE=0']);
  });

  test('gives the same summary every time (stable for plans)', () => {
    const build = (): Schedule => Schedule.weekly({ days: [WEDNESDAY, MONDAY], hour: 1, utcOffset: UtcOffset.hours(8) });
    expect(build().summary).toBe(build().summary);
    expect(build().patterns).toEqual(build().patterns);
  });
});

/** [behaviour, build, text, total minutes]. */
const OFFSETS: [string, () => UtcOffset, string, number][] = [
  ['writes whole hours east of UTC', () => UtcOffset.hours(8), 'UTC+08:00', 480],
  ['writes whole hours west of UTC', () => UtcOffset.hours(-5), 'UTC-05:00', -300],
  ['writes UTC as +00:00', () => UtcOffset.UTC, 'UTC+00:00', 0],
  ['writes half hours', () => UtcOffset.minutes(330), 'UTC+05:30', 330],
  ['writes negative half hours', () => UtcOffset.minutes(-570), 'UTC-09:30', -570],
  ['parses the API notation', () => UtcOffset.parse('UTC+05:45'), 'UTC+05:45', 345],
  ['parses a negative offset under an hour', () => UtcOffset.parse('UTC-00:30'), 'UTC-00:30', -30],
  ['accepts the extremes', () => UtcOffset.parse('UTC+14:00'), 'UTC+14:00', 840],
];

const OFFSET_ERRORS: [string, () => unknown, string][] = [
  ['fails when whole hours are above 14', () => UtcOffset.hours(15), 'UtcOffset.hours: hours must be an integer from -12 to 14, got 15'],
  ['fails when hours are fractional', () => UtcOffset.hours(5.5), 'UtcOffset.hours: hours must be an integer from -12 to 14, got 5.5'],
  ['fails when minutes are outside -720..840', () => UtcOffset.minutes(900), 'UtcOffset.minutes: minutes must be an integer from -720 to 840 (UTC-12:00 to UTC+14:00), got 900'],
  ['fails on the spaced form of the reference and suggests the fix', () => UtcOffset.parse('UTC +08:00'),
    'UtcOffset.parse: "UTC +08:00" is not a UTC offset: write UTC, a sign, two-digit hours, a colon and two-digit minutes, e.g. "UTC+08:00"; did you mean "UTC+08:00"?'],
  ['fails on GMT notation', () => UtcOffset.parse('GMT+8'),
    'UtcOffset.parse: "GMT+8" is not a UTC offset: write UTC, a sign, two-digit hours, a colon and two-digit minutes, e.g. "UTC+08:00"'],
  ['fails on one-digit hours', () => UtcOffset.parse('UTC+8:00'),
    'UtcOffset.parse: "UTC+8:00" is not a UTC offset: write UTC, a sign, two-digit hours, a colon and two-digit minutes, e.g. "UTC+08:00"'],
  ['fails on 60 minutes', () => UtcOffset.parse('UTC+08:60'), 'UtcOffset.parse: "UTC+08:60" has 60 minutes; minutes go from 00 to 59'],
  ['fails beyond UTC+14:00', () => UtcOffset.parse('UTC+15:00'), 'UtcOffset.parse: "UTC+15:00" is outside UTC-12:00 to UTC+14:00'],
  ['fails beyond UTC-12:00', () => UtcOffset.parse('UTC-12:30'), 'UtcOffset.parse: "UTC-12:30" is outside UTC-12:00 to UTC+14:00'],
];

describe('UtcOffset', () => {
  test.each(OFFSETS)('%s', (_name, build, text, minutes) => {
    expect(build().toString()).toBe(text);
    expect(build().totalMinutes).toBe(minutes);
  });

  test.each(OFFSET_ERRORS)('%s', (_name, build, message) => {
    expect(build).toThrow(new Error(message));
  });
});
