import { validateSchedulePatterns } from '../../src/schedule/schedule-rules';

const CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/**
 * 24 valid patterns that stress the exact checks: many pairs clash by time of day but never run
 * on the same day, weekly INTERVALs 1-3, and DAILY INTERVAL=2 with BYDAY, which makes the outcome
 * depend on the start weekday (all seven are checked).
 */
function hardPolicy(seed: number): string[] {
  return Array.from({ length: 24 }, (_, i) => {
    const day = CODES[i % 7];
    const hour = 6 * Math.floor(i / 7) + ((i % 7) % 3);
    const minute = (i * 13 + seed) % 60;
    return i % 5 === 0
      ? `FREQ=DAILY;INTERVAL=2;BYDAY=${day};BYHOUR=${hour};BYMINUTE=${minute}`
      : `FREQ=WEEKLY;INTERVAL=${1 + (i % 3)};BYDAY=${day};BYHOUR=${hour};BYMINUTE=${minute}`;
  });
}

/** 24 daily patterns, one per hour: the common "hourly" shape. */
function hourlyPolicy(seed: number): string[] {
  return Array.from({ length: 24 }, (_, h) => `FREQ=DAILY;INTERVAL=1;BYHOUR=${h};BYMINUTE=${seed % 60}`);
}

describe('validation speed', () => {
  test.each([
    ['time-clashing patterns on different days, start-dependent', hardPolicy],
    ['24 hourly daily patterns', hourlyPolicy],
  ])('validates 1,000 policies of 24 patterns (%s) in well under a second', (_name, build) => {
    const policies = Array.from({ length: 1000 }, (_, i) => build(i));
    for (const p of policies.slice(0, 5)) validateSchedulePatterns(p); // warm up the JIT
    const start = process.hrtime.bigint();
    for (const p of policies) validateSchedulePatterns(p);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    expect(ms).toBeLessThan(1000);
  });
});
