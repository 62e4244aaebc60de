import { invalidParameter } from '../errors';

/**
 * Table 4-353 PolicyTriggerPropertiesReq.pattern: iCalendar RFC 2445 rules restricted to FREQ
 * (WEEKLY or DAILY), BYDAY (MO..SU), BYHOUR (0-23), BYMINUTE (0-59) and INTERVAL; at most 24
 * rules; the scheduling interval cannot be less than 1 hour; at most 24 time points a day.
 *
 * Where the document is silent: BYHOUR and BYMINUTE are required (there is no DTSTART to take
 * them from), BYDAY is required for WEEKLY, INTERVAL is a positive integer, and the same time
 * point produced by two rules counts once. The one-hour check treats every rule as able to fire on
 * every day it names (a DAILY rule with INTERVAL=n eventually lands on every weekday).
 */

const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

export interface ParsedRule {
  readonly freq: 'WEEKLY' | 'DAILY';
  readonly days: readonly number[];
  readonly hours: readonly number[];
  readonly minutes: readonly number[];
  readonly interval: number;
}

function numberList(value: string, name: string, max: number, path: string): number[] {
  return value.split(',').map((part) => {
    if (!/^\d{1,2}$/.test(part) || Number(part) > max) {
      throw invalidParameter(`${path} ${name} values must be integers from 0 to ${max}; got ${JSON.stringify(part)}.`);
    }
    return Number(part);
  });
}

/** Parses one rule; throws BackupService.9900 naming `path` when it breaks the documented grammar. */
export function parseRule(rule: string, path: string): ParsedRule {
  const parts = new Map<string, string>();
  for (const part of rule.split(';')) {
    const m = /^([A-Z]+)=(.+)$/.exec(part);
    if (!m) throw invalidParameter(`${path} must be NAME=VALUE pairs separated by ";"; got ${JSON.stringify(rule)}.`);
    if (!['FREQ', 'BYDAY', 'BYHOUR', 'BYMINUTE', 'INTERVAL'].includes(m[1])) {
      throw invalidParameter(`${path} supports only FREQ, BYDAY, BYHOUR, BYMINUTE and INTERVAL; got ${m[1]}.`);
    }
    if (parts.has(m[1])) throw invalidParameter(`${path} gives ${m[1]} more than once.`);
    parts.set(m[1], m[2]);
  }
  const freq = parts.get('FREQ');
  if (freq !== 'WEEKLY' && freq !== 'DAILY') {
    throw invalidParameter(`${path} FREQ can be set only to WEEKLY or DAILY; got ${JSON.stringify(freq ?? '')}.`);
  }
  const byDay = parts.get('BYDAY');
  if (freq === 'WEEKLY' && byDay === undefined) throw invalidParameter(`${path} needs BYDAY when FREQ=WEEKLY.`);
  const days = byDay === undefined ? [0, 1, 2, 3, 4, 5, 6] : byDay.split(',').map((d) => {
    const i = (DAYS as readonly string[]).indexOf(d);
    if (i < 0) throw invalidParameter(`${path} BYDAY can be set to MO, TU, WE, TH, FR, SA and SU; got ${JSON.stringify(d)}.`);
    return i;
  });
  const byHour = parts.get('BYHOUR');
  const byMinute = parts.get('BYMINUTE');
  if (byHour === undefined) throw invalidParameter(`${path} needs BYHOUR.`);
  if (byMinute === undefined) throw invalidParameter(`${path} needs BYMINUTE.`);
  const hours = numberList(byHour, 'BYHOUR', 23, path);
  const minutes = numberList(byMinute, 'BYMINUTE', 59, path);
  const intervalText = parts.get('INTERVAL') ?? '1';
  if (!/^[1-9]\d{0,3}$/.test(intervalText)) throw invalidParameter(`${path} INTERVAL must be a positive integer; got ${JSON.stringify(intervalText)}.`);
  return { freq, days: [...new Set(days)], hours: [...new Set(hours)], minutes: [...new Set(minutes)], interval: Number(intervalText) };
}

function hhmm(minuteOfWeek: number): string {
  const m = minuteOfWeek % MINUTES_PER_DAY;
  return `${DAYS[Math.floor(minuteOfWeek / MINUTES_PER_DAY) % 7]} ${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Validates the whole pattern list (already known to be 1-24 strings) as one schedule. */
export function validateSchedule(patterns: readonly string[], path: string): void {
  const points = new Set<number>();
  patterns.forEach((p, i) => {
    const rule = parseRule(p, `${path}[${i}]`);
    for (const d of rule.days) for (const h of rule.hours) for (const m of rule.minutes) points.add(d * MINUTES_PER_DAY + h * 60 + m);
  });
  const sorted = [...points].sort((a, b) => a - b);
  for (let d = 0; d < 7; d++) {
    const count = sorted.filter((p) => Math.floor(p / MINUTES_PER_DAY) === d).length;
    if (count > 24) throw invalidParameter(`${path} allows a maximum of 24 time points in a day; ${DAYS[d]} has ${count}.`);
  }
  for (let i = 0; i < sorted.length && sorted.length > 1; i++) {
    const a = sorted[i];
    const b = i + 1 < sorted.length ? sorted[i + 1] : sorted[0] + MINUTES_PER_WEEK;
    if (b - a < 60) {
      throw invalidParameter(`${path} scheduling interval cannot be less than 1 hour; ${hhmm(a)} and ${hhmm(b % MINUTES_PER_WEEK)} (UTC) are ${b - a} minutes apart.`);
    }
  }
}
