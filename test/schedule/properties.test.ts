import * as fc from 'fast-check';
import { render, SimPattern, simulate } from './brute-force';
import { Schedule, UtcOffset, Weekday } from '../../src/schedule';
import { parsePattern } from '../../src/schedule/rrule';
import { validateSchedulePatterns } from '../../src/schedule/schedule-rules';

/** Multiply the number of generated cases, e.g. FC_SCALE=20 for a long local run. */
const SCALE = Number(process.env.FC_SCALE ?? '1');

const WEEKDAYS = [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY, Weekday.SATURDAY, Weekday.SUNDAY];

/** Patterns drawn from small pools so that clashes (and near misses) are frequent. */
function patternArb(
  hours: number[], minutes: number[], maxHours: number, maxMinutes: number, maxInterval = 3, minHours = 1,
): fc.Arbitrary<SimPattern> {
  return fc.record({
    freq: fc.constantFrom<'DAILY' | 'WEEKLY'>('DAILY', 'WEEKLY'),
    interval: fc.integer({ min: 1, max: maxInterval }),
    days: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }), { nil: undefined }),
    hours: fc.uniqueArray(fc.constantFrom(...hours), { minLength: minHours, maxLength: maxHours }),
    minutes: fc.uniqueArray(fc.constantFrom(...minutes), { minLength: 1, maxLength: maxMinutes }),
    fallbackDay: fc.integer({ min: 0, max: 6 }),
  }).map(({ fallbackDay, ...p }) => (p.freq === 'WEEKLY' && !p.days ? { ...p, days: [fallbackDay] } : p));
}

function errorOf(patterns: string[]): string | undefined {
  try {
    validateSchedulePatterns(patterns);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return h * 60 + m;
}

/** Checks the validator's verdict and message against the minute-by-minute simulation. */
function agreesWithSimulation(ps: SimPattern[]): 'valid' | 'count' | 'spacing' | 'per-pattern' {
  const error = errorOf(ps.map(render));
  if (ps.some(p => p.hours.length * p.minutes.length > 24)) {
    expect(error).toMatch(/^pattern \d+ ".*": runs at \d+ time points a day/);
    return 'per-pattern';
  }
  const sim = simulate(ps);
  if (sim.maxPerDay > 24) {
    expect(error).toMatch(new RegExp(`^schedule runs at ${sim.maxPerDay} time points .*; at most 24 time points are allowed in a day`));
    return 'count';
  }
  if (sim.minGap < 60) {
    expect(error).toMatch(/; runs must be at least 1 hour apart \(pattern \d+ /);
    const head = error!.split(';')[0];
    const [t1, t2] = (head.match(/\d\d:\d\d/g) ?? []).map(minutesOf);
    // "at 02:00 and 02:30 UTC ..." is one day; "at 23:30 UTC ... and 00:10 UTC ..." spans midnight
    const sameDay = /^schedule runs at \d\d:\d\d and \d\d:\d\d UTC/.test(head);
    const gap = sameDay ? t2 - t1 : t2 + 1440 - t1;
    expect(gap).toBeGreaterThan(0);
    expect(gap).toBeLessThan(60);
    expect(gap).toBeGreaterThanOrEqual(sim.minGap);
    return 'spacing';
  }
  expect(error).toBeUndefined();
  return 'valid';
}

describe('exact rules agree with a minute-by-minute simulation', () => {
  test('fails exactly when two runs are less than an hour apart (clash-prone times, INTERVAL 1-3)', () => {
    const seen = new Map<string, number>();
    fc.assert(fc.property(
      fc.array(patternArb([0, 1, 2, 22, 23], [0, 10, 30, 45, 59], 2, 2), { minLength: 1, maxLength: 4 }),
      ps => {
        const verdict = agreesWithSimulation(ps);
        seen.set(verdict, (seen.get(verdict) ?? 0) + 1);
      },
    ), { numRuns: 400 * SCALE });
    expect(seen.get('valid')).toBeGreaterThan(20);
    expect(seen.get('spacing')).toBeGreaterThan(20);
  });

  test('fails exactly across week boundaries with weekly INTERVALs (SA, SU, MO late and early runs)', () => {
    const seen = new Map<string, number>();
    const weekend = fc.record({
      freq: fc.constantFrom<'DAILY' | 'WEEKLY'>('WEEKLY', 'WEEKLY', 'DAILY'),
      interval: fc.integer({ min: 1, max: 4 }),
      days: fc.uniqueArray(fc.constantFrom(5, 6, 0), { minLength: 1, maxLength: 3 }),
      hours: fc.uniqueArray(fc.constantFrom(0, 23), { minLength: 1, maxLength: 2 }),
      minutes: fc.uniqueArray(fc.constantFrom(0, 20, 40, 59), { minLength: 1, maxLength: 1 }),
    });
    fc.assert(fc.property(fc.array(weekend, { minLength: 1, maxLength: 3 }), ps => {
      const verdict = agreesWithSimulation(ps);
      seen.set(verdict, (seen.get(verdict) ?? 0) + 1);
    }), { numRuns: 300 * SCALE });
    expect(seen.get('valid')).toBeGreaterThan(20);
    expect(seen.get('spacing')).toBeGreaterThan(20);
  });

  test('counts the busiest day exactly when patterns add up to more than 24 time points', () => {
    const seen = new Map<string, number>();
    const allHours = Array.from({ length: 24 }, (_, i) => i);
    fc.assert(fc.property(
      fc.array(patternArb(allHours, [0, 30], 16, 1, 2, 8), { minLength: 2, maxLength: 4 }),
      ps => {
        const verdict = agreesWithSimulation(ps);
        seen.set(verdict, (seen.get(verdict) ?? 0) + 1);
      },
    ), { numRuns: 300 * SCALE });
    expect(seen.get('count')).toBeGreaterThan(20);
    expect((seen.get('valid') ?? 0) + (seen.get('spacing') ?? 0)).toBeGreaterThan(20);
  });

  test('computes runs per week and the most runs in D days exactly', () => {
    let checked = 0;
    fc.assert(fc.property(
      fc.array(patternArb([0, 3, 7, 12, 18, 23], [0, 30], 2, 1), { minLength: 1, maxLength: 3 }),
      fc.constantFrom(1, 2, 3, 7, 10, 15),
      (ps, days) => {
        const texts = ps.map(render);
        fc.pre(errorOf(texts) === undefined);
        const schedule = Schedule.fromPatterns(texts);
        const sim = simulate(ps, [days]);
        expect(schedule.runsPerWeek).toBeCloseTo(sim.runsPerWeek, 9);
        expect(schedule.maxRunsInDays(days)).toBe(sim.maxRunsInDays(days));
        checked++;
      },
    ), { numRuns: 200 * SCALE });
    expect(checked).toBeGreaterThan(50);
  });
});

describe('local times convert to the same instants in UTC', () => {
  const offsetArb = fc.integer({ min: -48, max: 56 }).map(q => UtcOffset.minutes(q * 15));

  /** Minutes of the week (0 = MO 00:00 UTC) at which weekly patterns run. */
  function weekMinutes(patterns: string[]): number[] {
    const out = new Set<number>();
    patterns.forEach((text, i) => {
      const p = parsePattern(text, i + 1);
      for (const d of p.days ?? [0, 1, 2, 3, 4, 5, 6]) for (const t of p.times) out.add(d * 1440 + t);
    });
    return [...out].sort((a, b) => a - b);
  }

  test('weekly runs keep their instant: local day and time minus the offset', () => {
    fc.assert(fc.property(
      fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
      fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), offsetArb,
      (days, hour, minute, offset) => {
        const s = Schedule.weekly({ days: days.map(d => WEEKDAYS[d]), hour, minute, utcOffset: offset });
        const expected = days.map(d => {
          const m = (d * 1440 + hour * 60 + minute - offset.totalMinutes) % 10080;
          return m < 0 ? m + 10080 : m;
        }).sort((a, b) => a - b);
        expect(weekMinutes(s.patterns)).toEqual(expected);
      },
    ), { numRuns: 300 * SCALE });
  });

  test('several runs a day keep their instants modulo a day', () => {
    fc.assert(fc.property(
      fc.uniqueArray(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 24 }), fc.integer({ min: 0, max: 59 }), offsetArb,
      (hours, minute, offset) => {
        const s = Schedule.timesDaily({ hours, minute, utcOffset: offset });
        const expected = hours.map(h => (((h * 60 + minute - offset.totalMinutes) % 1440) + 1440) % 1440).sort((a, b) => a - b);
        expect(parsePattern(s.patterns[0], 1).times).toEqual(expected);
        expect(s.runsPerWeek).toBe(7 * hours.length);
      },
    ), { numRuns: 300 * SCALE });
  });
});
