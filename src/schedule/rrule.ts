import { DAY_CODES, dayIndex } from './days';
import { clock, dayList, show } from './format';

/**
 * The RRULE subset of API 4.8.1/4.8.4 `trigger.properties.pattern`: RFC 2445 recurrence rules with
 * only FREQ (WEEKLY or DAILY), INTERVAL, BYDAY (MO-SU), BYHOUR (0-23) and BYMINUTE (0-59).
 */

export type Frequency = 'DAILY' | 'WEEKLY';

/** One parsed pattern. Lists are sorted and free of duplicates. */
export interface ParsedPattern {
  /** 1-based position in the policy's pattern list (for messages). */
  readonly index: number;
  /** The pattern exactly as given. */
  readonly text: string;
  readonly freq: Frequency;
  /** INTERVAL, 1 when absent. */
  readonly interval: number;
  /** BYDAY as day indices (0 = MO); undefined when absent. */
  readonly days?: number[];
  readonly hours: number[];
  readonly minutes: number[];
  /** Every BYHOUR x BYMINUTE combination as minutes of the day, sorted. */
  readonly times: number[];
}

/** At most this many time points in one day (API 4.8.1). */
export const MAX_TIMES_PER_DAY = 24;

const KEYS = ['FREQ', 'INTERVAL', 'BYDAY', 'BYHOUR', 'BYMINUTE'];
const DIGITS = /^\d+$/;

/**
 * Parses and checks one pattern on its own. Throws an Error naming the pattern, the part,
 * the value received and the rule.
 * @param index 1-based position in the pattern list
 */
export function parsePattern(text: unknown, index: number): ParsedPattern {
  if (typeof text !== 'string') {
    throw new Error(`pattern ${index} must be a string such as "FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=00", got ${show(text)}`);
  }
  const fail = (why: string): never => {
    throw new Error(`pattern ${index} ${show(text)}: ${why}`);
  };
  if (text === '') fail('the pattern is empty; write a rule such as "FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=00"');
  if (/\s/.test(text)) fail('remove the whitespace; write KEY=VALUE parts joined by ";" with no spaces');
  if (/^RRULE:/i.test(text)) fail(`remove the "${text.slice(0, 6)}" prefix; the API takes only the rule value, e.g. "FREQ=DAILY;BYHOUR=2;BYMINUTE=00"`);

  const values = new Map<string, string>();
  text.split(';').forEach((part, i) => {
    if (part === '') fail(`part ${i + 1} is empty; separate KEY=VALUE parts with a single ";" and do not end with ";"`);
    const eq = part.indexOf('=');
    if (eq < 0) fail(`part ${show(part)} is not KEY=VALUE`);
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (key === '') fail(`part ${show(part)} has no key`);
    if (!KEYS.includes(key)) {
      if (KEYS.includes(key.toUpperCase())) fail(`write the key ${show(key)} in upper case: ${key.toUpperCase()}`);
      fail(`${key} is not supported; the API accepts only FREQ, INTERVAL, BYDAY, BYHOUR and BYMINUTE`);
    }
    if (values.has(key)) fail(`${key} is given twice; give each key once`);
    if (value === '') fail(`${key} has no value`);
    values.set(key, value);
  });

  const freqText = values.get('FREQ');
  if (freqText === undefined) fail('FREQ is missing; start the rule with FREQ=DAILY or FREQ=WEEKLY');
  let freq: Frequency;
  if (freqText === 'DAILY' || freqText === 'WEEKLY') {
    freq = freqText;
  } else if (freqText!.toUpperCase() === 'DAILY' || freqText!.toUpperCase() === 'WEEKLY') {
    return fail(`write FREQ in upper case: FREQ=${freqText!.toUpperCase()}`);
  } else if (freqText === 'HOURLY' || freqText === 'MINUTELY') {
    return fail(`FREQ must be WEEKLY or DAILY, got ${show(freqText)}; for several runs a day use FREQ=DAILY with several BYHOUR values`);
  } else {
    return fail(`FREQ must be WEEKLY or DAILY, got ${show(freqText)}`);
  }

  let interval = 1;
  const intervalText = values.get('INTERVAL');
  if (intervalText !== undefined) {
    interval = DIGITS.test(intervalText) ? Number(intervalText) : NaN;
    if (!(interval >= 1)) fail(`INTERVAL must be a whole number of at least 1, got ${show(intervalText)}`);
    if (!Number.isSafeInteger(interval)) fail(`INTERVAL ${intervalText} is too large`);
  }

  let days: number[] | undefined;
  const dayText = values.get('BYDAY');
  if (dayText !== undefined) {
    days = [];
    for (const item of dayText.split(',')) {
      if (item === '') fail('BYDAY has an empty item; separate days with single commas, e.g. BYDAY=MO,WE,FR');
      const d = dayIndex(item);
      if (d < 0) {
        const hint = dayIndex(item.toUpperCase()) >= 0 ? ` (write it in upper case: ${item.toUpperCase()})` : '';
        fail(`BYDAY accepts only ${DAY_CODES.join(', ')}, got ${show(item)}${hint}`);
      }
      if (days.includes(d)) fail(`BYDAY lists ${item} twice`);
      days.push(d);
    }
    days.sort((a, b) => a - b);
  }

  const hours = parseNumberList('BYHOUR', values.get('BYHOUR'), 23, fail);
  const minutes = parseNumberList('BYMINUTE', values.get('BYMINUTE'), 59, fail);
  if (hours === undefined) fail('BYHOUR is missing; without it the run time depends on when the policy is created, add e.g. BYHOUR=2');
  if (minutes === undefined) fail('BYMINUTE is missing; without it the run time depends on when the policy is created, add e.g. BYMINUTE=00');
  if (freq === 'WEEKLY' && days === undefined) {
    fail('FREQ=WEEKLY needs BYDAY; without it the run day depends on when the policy is created, add e.g. BYDAY=MO');
  }
  const count = hours!.length * minutes!.length;
  if (count > MAX_TIMES_PER_DAY) {
    fail(`runs at ${count} time points a day (${hours!.length} BYHOUR x ${minutes!.length} BYMINUTE values); at most ${MAX_TIMES_PER_DAY} time points are allowed in a day`);
  }
  const times: number[] = [];
  for (const h of hours!) for (const m of minutes!) times.push(h * 60 + m);
  times.sort((a, b) => a - b);
  return { index, text, freq, interval, days, hours: hours!, minutes: minutes!, times };
}

function parseNumberList(key: string, text: string | undefined, max: number, fail: (why: string) => never): number[] | undefined {
  if (text === undefined) return undefined;
  const out: number[] = [];
  for (const item of text.split(',')) {
    if (item === '') fail(`${key} has an empty item; separate values with single commas`);
    const n = DIGITS.test(item) ? Number(item) : NaN;
    if (!(n >= 0 && n <= max)) fail(`${key} accepts whole numbers from 0 to ${max}, got ${show(item)}`);
    if (out.includes(n)) fail(`${key} lists ${n} twice`);
    out.push(n);
  }
  return out.sort((a, b) => a - b);
}

/** What a pattern renders from; lists need not be sorted. */
export interface PatternParts {
  readonly freq: Frequency;
  /** Omitted from the text when undefined. */
  readonly interval?: number;
  readonly days?: readonly number[];
  readonly hours: readonly number[];
  readonly minutes: readonly number[];
}

/**
 * Renders a pattern in the API reference's style (4.8.1 examples): keys in the order
 * FREQ, INTERVAL, BYDAY, BYHOUR, BYMINUTE; days in week order; BYMINUTE with two digits.
 */
export function renderPattern(p: PatternParts): string {
  const parts = [`FREQ=${p.freq}`];
  if (p.interval !== undefined) parts.push(`INTERVAL=${p.interval}`);
  if (p.days !== undefined) parts.push(`BYDAY=${sorted(p.days).map(d => DAY_CODES[d]).join(',')}`);
  parts.push(`BYHOUR=${sorted(p.hours).join(',')}`);
  parts.push(`BYMINUTE=${sorted(p.minutes).map(m => (m < 10 ? `0${m}` : `${m}`)).join(',')}`);
  return parts.join(';');
}

function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** A short English description, e.g. "weekly on MO, WE at 02:00 UTC". */
export function describePattern(p: ParsedPattern): string {
  const subset = p.days !== undefined && p.days.length < 7 ? dayList(p.days) : undefined;
  let when: string;
  if (p.freq === 'DAILY') {
    if (subset === undefined) when = p.interval === 1 ? 'daily' : `every ${p.interval} days`;
    else when = p.interval === 1 ? `weekly on ${subset}` : `every ${p.interval} days (only on ${subset})`;
  } else if (p.interval === 1) {
    when = subset === undefined ? 'daily' : `weekly on ${subset}`;
  } else {
    when = `every ${p.interval} weeks on ${dayList(p.days!)}`;
  }
  return `${when} ${describeTimes(p.hours, p.minutes)}`;
}

/** "at 02:00, 14:00 UTC" or, for all 24 hours with one minute, "every hour at minute 30 (UTC)". */
export function describeTimes(hours: readonly number[], minutes: readonly number[]): string {
  if (hours.length === 24 && minutes.length === 1) return `every hour at minute ${clock(minutes[0]).slice(3)}`;
  const times: number[] = [];
  for (const h of hours) for (const m of minutes) times.push(h * 60 + m);
  return `at ${times.sort((a, b) => a - b).map(clock).join(', ')} UTC`;
}
