import { DAY_CODES } from './days';
import { clock, show } from './format';
import { bigLcm, compatible, Congruence, crt, gcd, mod, modInverse, mulMod } from './math';
import { MAX_TIMES_PER_DAY, ParsedPattern, parsePattern } from './rrule';

/**
 * Checks that need every pattern of a policy at once (API 4.8.1 `trigger.properties.pattern`):
 * at most 24 patterns, at most 24 time points in any day, at least one hour between any two runs.
 *
 * Model. All patterns of a policy share one start (the trigger's `start_time`, set by the service
 * when the policy is created, so unknown at synth). Day u counts from the Monday of the start week;
 * the start day is u = s (its weekday, 0 = MO). Weeks start on Monday (RFC 2445 WKST default).
 * - DAILY;INTERVAL=n runs on days u ≡ s (mod n); WEEKLY;INTERVAL=n runs in weeks k ≡ 0 (mod n),
 *   week 0 holding the start; BYDAY keeps only the listed weekdays.
 * - Runs at the same minute from several patterns are one run (an RRULE set has no duplicates).
 * Writing u = 7k + w, each pattern is active on weekday w of week k iff k satisfies one congruence
 * (or never). Two runs less than an hour apart fall on one day or on two consecutive days, so a
 * violation exists iff, for some s and w, a pair of patterns with clashing times has compatible
 * congruences (Chinese remainder theorem). This is exact over the schedule's whole period (the LCM
 * of every pattern's period, in whole weeks) without enumerating it, whatever the INTERVALs.
 * When a DAILY pattern has INTERVAL > 1 and some pattern depends on the weekday, the outcome depends
 * on the start weekday s, which is unknown: every s is checked.
 */

/** At most this many patterns per policy (API 4.8.1). */
export const MAX_PATTERNS = 24;
/** Minimum minutes between two runs (API 4.8.1: "The scheduling interval cannot be less than 1 hour"). */
export const MIN_GAP_MINUTES = 60;
const DAY_MINUTES = 1440;

/**
 * Validates raw patterns as the API would receive them. Throws an Error whose message names the
 * pattern, the value, the rule and the fix; returns normally when every rule holds.
 */
export function validateSchedulePatterns(patterns: string[]): void {
  parseSchedule(patterns);
}

/** Per-pattern messages name the pattern ("pattern 2 ..."); in a policy they read "schedule pattern 2 ...". */
export function scheduleMessage(message: string): string {
  return message.startsWith('pattern ') ? `schedule ${message}` : message;
}

/** Parses and validates a whole pattern list (per-pattern and cross-pattern rules). */
export function parseSchedule(patterns: unknown): ParsedPattern[] {
  if (!Array.isArray(patterns)) {
    throw new Error(`schedule patterns must be a list of strings, got ${show(patterns)}`);
  }
  if (patterns.length === 0) {
    throw new Error('schedule has no patterns; give at least one, e.g. "FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=00"');
  }
  if (patterns.length > MAX_PATTERNS) {
    throw new Error(`schedule has ${patterns.length} patterns; at most ${MAX_PATTERNS} patterns are allowed, merge patterns that share FREQ, INTERVAL and BYDAY (list several BYHOUR values in one pattern)`);
  }
  const parsed = patterns.map((p, i) => parsePattern(p, i + 1));
  checkCrossPatternRules(parsed);
  return parsed;
}

/** Cross-pattern rules; each pattern must already be valid on its own. */
export function checkCrossPatternRules(patterns: readonly ParsedPattern[]): void {
  const model = new Model(patterns);
  const crowded = findCrowdedDay(model);
  if (crowded) throw new Error(crowded);
  const clash = findClash(model);
  if (clash) throw new Error(clash);
}

class Model {
  readonly weekdayDependent: boolean;
  /** Whether the start weekday changes which runs meet. */
  readonly startDependent: boolean;
  readonly starts: readonly number[];
  private readonly daySets: readonly (readonly boolean[] | undefined)[];
  private readonly inverses: readonly number[];
  private readonly table = new Map<number, (Congruence | undefined)[][]>();

  constructor(readonly patterns: readonly ParsedPattern[]) {
    this.weekdayDependent = patterns.some(p => p.freq === 'WEEKLY' || p.days !== undefined);
    this.startDependent = this.weekdayDependent && patterns.some(p => p.freq === 'DAILY' && p.interval > 1);
    this.starts = this.startDependent ? [0, 1, 2, 3, 4, 5, 6] : [0];
    this.daySets = patterns.map(p => p.days && DAY_CODES.map((_, d) => p.days!.includes(d)));
    this.inverses = patterns.map(p => (p.interval % 7 === 0 ? 0 : modInverse(7 % p.interval, p.interval)));
  }

  /** For start weekday s and weekday w: per pattern, the weeks k in which it runs on w. */
  congruences(s: number, w: number): (Congruence | undefined)[] {
    let rows = this.table.get(s);
    if (!rows) {
      rows = DAY_CODES.map((_, day) => this.patterns.map((_p, i) => this.congruence(i, s, day)));
      this.table.set(s, rows);
    }
    return rows[w];
  }

  /** Length of the schedule's cycle in weeks (weekday-dependent schedules). */
  cycleWeeks(): bigint {
    return bigLcm(this.patterns.map(p => (p.freq === 'WEEKLY' ? p.interval : p.interval / gcd(7, p.interval))));
  }

  /** Length of the schedule's cycle in days (weekday-independent schedules). */
  cycleDays(): bigint {
    return bigLcm(this.patterns.map(p => p.interval));
  }

  private congruence(i: number, s: number, w: number): Congruence | undefined {
    const p = this.patterns[i];
    const days = this.daySets[i];
    if (days && !days[w]) return undefined;
    const n = p.interval;
    if (p.freq === 'WEEKLY') return { r: 0, m: n };
    // DAILY: 7k + w ≡ s (mod n)
    if (n % 7 === 0) return w === s ? { r: 0, m: n / 7 } : undefined;
    return { r: mulMod(mod(s - w, n), this.inverses[i], n), m: n };
  }
}

// ---------------------------------------------------------------- at most 24 time points a day

const stamp = new Uint32Array(DAY_MINUTES);
let stampValue = 0;

function unionSize(patterns: readonly ParsedPattern[], members: readonly number[]): number {
  stampValue++;
  if (stampValue === 0xffffffff) {
    stamp.fill(0);
    stampValue = 1;
  }
  let n = 0;
  for (const i of members) {
    for (const t of patterns[i].times) {
      if (stamp[t] !== stampValue) {
        stamp[t] = stampValue;
        n++;
      }
    }
  }
  return n;
}

/** The busiest day when it has more than 24 time points, as a message. */
function findCrowdedDay(model: Model): string | undefined {
  const ps = model.patterns;
  let best: { count: number; s: number; w: number; members: number[] } | undefined;
  for (const s of model.starts) {
    for (let w = 0; w < 7; w++) {
      const cs = model.congruences(s, w);
      const active = ps.map((_, i) => i).filter(i => cs[i] !== undefined);
      if (unionSize(ps, active) <= MAX_TIMES_PER_DAY) continue;
      // Patterns can run on the same day iff their congruences are pairwise compatible.
      maximalCliques(active, (a, b) => compatible(cs[a]!, cs[b]!), clique => {
        const count = unionSize(ps, clique);
        if (count > MAX_TIMES_PER_DAY && (!best || count > best.count)) best = { count, s, w, members: [...clique] };
      });
    }
  }
  if (!best) return undefined;
  const cs = model.congruences(best.s, best.w);
  const k = crt(best.members.map(i => cs[i]!))!;
  const refs = best.members.map(i => ps[i].index);
  const which = refs.length === 1 ? `pattern ${refs[0]}` : `patterns ${refs.slice(0, -1).join(', ')} and ${refs[refs.length - 1]}`;
  return `schedule runs at ${best.count} time points ${sameDayLabel(model, k, best.w, best.s)}; at most ${MAX_TIMES_PER_DAY} time points are allowed in a day (${which})`;
}

/** Bron-Kerbosch with pivoting; calls visit with each maximal clique (sorted). */
function maximalCliques(nodes: number[], adjacent: (a: number, b: number) => boolean, visit: (clique: number[]) => void): void {
  const expand = (r: number[], p: number[], x: number[]): void => {
    if (p.length === 0 && x.length === 0) {
      visit([...r].sort((a, b) => a - b));
      return;
    }
    let pivot = -1;
    let pivotDegree = -1;
    for (const u of [...p, ...x]) {
      const degree = p.filter(v => v !== u && adjacent(u, v)).length;
      if (degree > pivotDegree) {
        pivot = u;
        pivotDegree = degree;
      }
    }
    for (const v of p.filter(c => c === pivot || !adjacent(pivot, c))) {
      expand([...r, v], p.filter(c => c !== v && adjacent(v, c)), x.filter(c => c !== v && adjacent(v, c)));
      p = p.filter(c => c !== v);
      x = [...x, v];
    }
  };
  expand([], nodes, []);
}

// ---------------------------------------------------------------- at least one hour apart

interface SameDayClash {
  readonly p: number;
  readonly q: number;
  readonly t1: number;
  readonly t2: number;
  /** Pattern positions (0-based) holding t1 and t2. */
  readonly at1: number;
  readonly at2: number;
}

interface Candidate {
  readonly k: bigint;
  readonly w: number;
  readonly t1: number;
  readonly t2: number;
  readonly at1: number;
  readonly at2: number;
  readonly nextDay: boolean;
}

/** Earliest pair x in a, y in b with 0 < |x - y| < 60, as [earlier, later, earlier is from a]. */
function earliestClash(a: readonly number[], b: readonly number[]): [number, number, boolean] | undefined {
  let best: [number, number, boolean] | undefined;
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j] <= x - MIN_GAP_MINUTES) j++;
    for (let i = j; i < b.length && b[i] < x + MIN_GAP_MINUTES; i++) {
      const y = b[i];
      if (y === x) continue;
      const t1 = Math.min(x, y);
      const t2 = Math.max(x, y);
      if (!best || t1 < best[0] || (t1 === best[0] && t2 < best[1])) best = [t1, t2, x < y];
    }
  }
  return best;
}

function sameDayClashes(ps: readonly ParsedPattern[]): SameDayClash[] {
  const out: SameDayClash[] = [];
  ps.forEach((p, i) => {
    for (let j = 1; j < p.times.length; j++) {
      if (p.times[j] - p.times[j - 1] < MIN_GAP_MINUTES) {
        out.push({ p: i, q: i, t1: p.times[j - 1], t2: p.times[j], at1: i, at2: i });
        break;
      }
    }
    for (let q = i + 1; q < ps.length; q++) {
      const c = earliestClash(p.times, ps[q].times);
      if (c) out.push({ p: i, q, t1: c[0], t2: c[1], at1: c[2] ? i : q, at2: c[2] ? q : i });
    }
  });
  return out;
}

function before(a: Candidate, b: Candidate): boolean {
  if (a.k !== b.k) return a.k < b.k;
  if (a.w !== b.w) return a.w < b.w;
  if (a.t1 !== b.t1) return a.t1 < b.t1;
  if (a.t2 !== b.t2) return a.t2 < b.t2;
  // prefer blaming one pattern when a pattern clashes with itself at the same moment
  const sa = a.at1 === a.at2 ? 0 : 1;
  const sb = b.at1 === b.at2 ? 0 : 1;
  if (sa !== sb) return sa < sb;
  if (a.at1 !== b.at1) return a.at1 < b.at1;
  return a.at2 < b.at2;
}

/** The earliest pair of runs less than an hour apart, as a message. */
function findClash(model: Model): string | undefined {
  const ps = model.patterns;
  const same = sameDayClashes(ps);
  const cross: { p: number; q: number; late: number; early: number }[] = [];
  ps.forEach((p, i) => {
    const late = p.times[p.times.length - 1];
    ps.forEach((q, j) => {
      const early = q.times[0];
      if (early + DAY_MINUTES - late < MIN_GAP_MINUTES) cross.push({ p: i, q: j, late, early });
    });
  });
  if (same.length === 0 && cross.length === 0) return undefined;

  for (const s of model.starts) {
    let best: Candidate | undefined;
    const consider = (c: Candidate): void => {
      if (!best || before(c, best)) best = c;
    };
    for (let w = 0; w < 7; w++) {
      const cs = model.congruences(s, w);
      for (const c of same) {
        const a = cs[c.p];
        const b = cs[c.q];
        if (a && b && compatible(a, b)) {
          consider({ k: crt([a, b])!, w, t1: c.t1, t2: c.t2, at1: c.at1, at2: c.at2, nextDay: false });
        }
      }
      if (cross.length === 0) continue;
      const next = model.congruences(s, (w + 1) % 7);
      for (const c of cross) {
        const a = cs[c.p];
        const n = next[c.q];
        if (!a || !n) continue;
        // Sunday's next day is Monday of week k + 1: k + 1 ≡ r  =>  k ≡ r - 1
        const b = w === 6 ? { r: mod(n.r - 1, n.m), m: n.m } : n;
        if (compatible(a, b)) consider({ k: crt([a, b])!, w, t1: c.late, t2: c.early, at1: c.p, at2: c.q, nextDay: true });
      }
    }
    if (best) return clashMessage(model, best, s);
  }
  return undefined;
}

function clashMessage(model: Model, c: Candidate, s: number): string {
  const ps = model.patterns;
  const refs = (c.at1 === c.at2 ? [c.at1] : [c.at1, c.at2].sort((a, b) => a - b))
    .map(i => `pattern ${ps[i].index} ${show(ps[i].text)}`)
    .join(' and ');
  const when = c.nextDay
    ? nextDayLabel(model, c.k, c.w, s, c.t1, c.t2)
    : `at ${clock(c.t1)} and ${clock(c.t2)} UTC ${sameDayLabel(model, c.k, c.w, s)}`;
  return `schedule runs ${when}; runs must be at least 1 hour apart (${refs})`;
}

// ---------------------------------------------------------------- day labels

function startSuffix(model: Model, s: number): string {
  return model.startDependent ? ` if the policy starts on a ${DAY_CODES[s]}` : '';
}

function sameDayLabel(model: Model, k: bigint, w: number, s: number): string {
  if (!model.weekdayDependent) {
    const days = model.cycleDays();
    if (days === 1n) return 'every day';
    return `on day ${((7n * k + BigInt(w)) % days) + 1n} of every ${days} days`;
  }
  const weeks = model.cycleWeeks();
  const cycle = weeks > 1n ? ` of week ${(k % weeks) + 1n} of every ${weeks} weeks` : '';
  return `on ${DAY_CODES[w]}${cycle}${startSuffix(model, s)}`;
}

function nextDayLabel(model: Model, k: bigint, w: number, s: number, t1: number, t2: number): string {
  if (!model.weekdayDependent) {
    const days = model.cycleDays();
    if (days === 1n) return `at ${clock(t1)} UTC and ${clock(t2)} UTC the next day`;
    const d = 7n * k + BigInt(w);
    return `at ${clock(t1)} UTC on day ${(d % days) + 1n} and ${clock(t2)} UTC on day ${((d + 1n) % days) + 1n} of every ${days} days`;
  }
  const weeks = model.cycleWeeks();
  const w2 = (w + 1) % 7;
  const k2 = w === 6 ? k + 1n : k;
  if (weeks === 1n) {
    return `at ${clock(t1)} UTC on ${DAY_CODES[w]} and ${clock(t2)} UTC on ${DAY_CODES[w2]}${startSuffix(model, s)}`;
  }
  return `at ${clock(t1)} UTC on ${DAY_CODES[w]} of week ${(k % weeks) + 1n} and ${clock(t2)} UTC on ${DAY_CODES[w2]} of week ${(k2 % weeks) + 1n} of every ${weeks} weeks${startSuffix(model, s)}`;
}

// ---------------------------------------------------------------- statistics

/** Enumerate at most this many days of a schedule's period; longer periods get upper bounds. */
const MAX_ENUMERATED_DAYS = 20000;

/** Run times of a schedule over its period, per possible start weekday. */
export interface PeriodRuns {
  /** The period in minutes. */
  readonly periodMinutes: number;
  /** Per start weekday: run times in minutes from the start day's midnight, sorted. */
  readonly runs: readonly (readonly number[])[];
}

/** The schedule's runs over one period, or undefined when the period is too long to list. */
export function periodRuns(patterns: readonly ParsedPattern[]): PeriodRuns | undefined {
  const model = new Model(patterns);
  const periods = patterns.map(p => (p.freq === 'WEEKLY' ? 7 * p.interval : p.interval));
  const days = bigLcm(model.weekdayDependent ? [7, ...periods] : periods);
  if (days > BigInt(MAX_ENUMERATED_DAYS)) return undefined;
  const length = Number(days);
  const runs = model.starts.map(s => {
    const out: number[] = [];
    for (let d = 0; d < length; d++) {
      const u = s + d;
      const w = u % 7;
      const k = Math.floor(u / 7);
      const active = patterns.map((_, i) => i).filter(i => {
        const p = patterns[i];
        if (p.days && !p.days.includes(w)) return false;
        return p.freq === 'DAILY' ? d % p.interval === 0 : k % p.interval === 0;
      });
      const times = new Set<number>();
      for (const i of active) for (const t of patterns[i].times) times.add(t);
      for (const t of [...times].sort((a, b) => a - b)) out.push(d * DAY_MINUTES + t);
    }
    return out;
  });
  return { periodMinutes: length * DAY_MINUTES, runs };
}

/**
 * Average runs per week over the schedule's period (the largest over possible start weekdays).
 * Periods longer than 20,000 days give the sum of the patterns' own rates, an upper bound.
 */
export function runsPerWeek(patterns: readonly ParsedPattern[], period = periodRuns(patterns)): number {
  if (period) {
    const most = Math.max(...period.runs.map(r => r.length));
    return (most * 7 * DAY_MINUTES) / period.periodMinutes;
  }
  let sum = 0;
  for (const p of patterns) {
    const n = p.interval;
    let daysPerWeek: number;
    if (p.freq === 'WEEKLY') daysPerWeek = p.days!.length / n;
    else if (p.days === undefined || gcd(n, 7) === 7) daysPerWeek = 7 / n;
    else daysPerWeek = p.days.length / n;
    sum += p.times.length * daysPerWeek;
  }
  return sum;
}

/**
 * The largest number of runs in any window of `minutes` (start included, end excluded).
 * Periods longer than 20,000 days give an upper bound.
 */
export function maxRunsWithin(patterns: readonly ParsedPattern[], minutes: number, period = periodRuns(patterns)): number {
  if (period) {
    let most = 0;
    for (const runs of period.runs) {
      const r = runs.length;
      if (r === 0) continue;
      const full = Math.floor(minutes / period.periodMinutes) * r;
      const rest = minutes % period.periodMinutes;
      let widest = 0;
      let j = 0;
      for (let i = 0; i < r; i++) {
        if (j < i) j = i;
        while (j < i + r && at(runs, j, period.periodMinutes) < runs[i] + rest) j++;
        widest = Math.max(widest, j - i);
      }
      most = Math.max(most, full + widest);
    }
    return most;
  }
  // Upper bound: a window touches at most this many calendar days.
  const touched = Math.ceil(minutes / DAY_MINUTES) + 1;
  let sum = 0;
  for (const p of patterns) {
    const n = p.interval;
    const activeDays = p.freq === 'DAILY'
      ? Math.ceil(touched / n)
      : Math.min(touched, p.days!.length * (Math.ceil(touched / (7 * n)) + 1));
    sum += p.times.length * activeDays;
  }
  return sum;
}

/** The j-th run of a periodic sequence (j may run past one period). */
function at(runs: readonly number[], j: number, period: number): number {
  return j < runs.length ? runs[j] : runs[j - runs.length] + period;
}
