/**
 * Reference simulator for the schedule rules, deliberately naive: it marks every minute of a long
 * enough horizon (two full periods of the schedule, for every start weekday) and scans them.
 * Same model as the production code (shared start, weeks from Monday, DAILY INTERVAL counted from
 * the start day, WEEKLY INTERVAL from the start week), different algorithm.
 */
export interface SimPattern {
  readonly freq: 'DAILY' | 'WEEKLY';
  readonly interval: number;
  /** 0 = MO; undefined = no BYDAY. */
  readonly days?: readonly number[];
  readonly hours: readonly number[];
  readonly minutes: readonly number[];
}

export interface Simulation {
  /** Most runs in one UTC day, over every start weekday. */
  readonly maxPerDay: number;
  /** Smallest gap in minutes between two distinct runs (Infinity when fewer than two). */
  readonly minGap: number;
  /** Average runs per week, largest over start weekdays. */
  readonly runsPerWeek: number;
  /** Most runs in a half-open window of `days` days, largest over start weekdays. */
  maxRunsInDays(days: number): number;
}

const DAY = 1440;
const CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function lcm(values: number[]): number {
  return values.reduce((a, b) => (a / gcd(a, b)) * b, 1);
}

export function render(p: SimPattern): string {
  const parts = [`FREQ=${p.freq}`];
  if (p.interval !== 1) parts.push(`INTERVAL=${p.interval}`);
  if (p.days) parts.push(`BYDAY=${p.days.map(d => CODES[d]).join(',')}`);
  parts.push(`BYHOUR=${p.hours.join(',')}`, `BYMINUTE=${p.minutes.join(',')}`);
  return parts.join(';');
}

export function simulate(ps: readonly SimPattern[], windowDays: number[] = []): Simulation {
  const period = lcm([7, ...ps.map(p => (p.freq === 'WEEKLY' ? 7 * p.interval : p.interval))]);
  const maxWindow = Math.max(0, ...windowDays);
  const horizon = 2 * period + maxWindow + 2;
  let maxPerDay = 0;
  let minGap = Infinity;
  let runsPerWeek = 0;
  const windows = new Map<number, number>();
  for (let s = 0; s < 7; s++) {
    const marks = new Uint8Array(horizon * DAY);
    for (let d = 0; d < horizon; d++) {
      const u = s + d;
      const w = u % 7;
      const k = Math.floor(u / 7);
      for (const p of ps) {
        if (p.days && !p.days.includes(w)) continue;
        if (p.freq === 'DAILY' ? d % p.interval !== 0 : k % p.interval !== 0) continue;
        for (const h of p.hours) for (const m of p.minutes) marks[d * DAY + h * 60 + m] = 1;
      }
    }
    const runs: number[] = [];
    let last = -Infinity;
    for (let t = 0; t < marks.length; t++) {
      if (!marks[t]) continue;
      runs.push(t);
      minGap = Math.min(minGap, t - last);
      last = t;
    }
    for (let d = 0; d < horizon; d++) {
      let n = 0;
      for (let t = d * DAY; t < (d + 1) * DAY; t++) n += marks[t];
      maxPerDay = Math.max(maxPerDay, n);
    }
    const inPeriod = runs.filter(t => t < period * DAY).length;
    runsPerWeek = Math.max(runsPerWeek, (inPeriod * 7) / period);
    for (const days of windowDays) {
      let best = 0;
      for (let i = 0; i < runs.length && runs[i] < (period + 1) * DAY; i++) {
        let n = 0;
        for (let j = i; j < runs.length && runs[j] < runs[i] + days * DAY; j++) n++;
        best = Math.max(best, n);
      }
      windows.set(days, Math.max(windows.get(days) ?? 0, best));
    }
  }
  return {
    maxPerDay,
    minGap,
    runsPerWeek,
    maxRunsInDays: (days: number) => {
      const v = windows.get(days);
      if (v === undefined) throw new Error(`window ${days} not simulated`);
      return v;
    },
  };
}
