import { show } from './format';

export const MIN_OFFSET = -12 * 60;
export const MAX_OFFSET = 14 * 60;
const OFFSET_TEXT = /^UTC([+-])(\d{2}):(\d{2})$/;

/** Why `text` is not a valid `UTC+HH:MM` offset, or undefined when it is. */
export function checkOffsetText(text: unknown): string | undefined {
  const m = typeof text === 'string' ? OFFSET_TEXT.exec(text) : null;
  if (!m) {
    const spaced = typeof text === 'string' ? text.replace(/\s+/g, '') : '';
    const hint = spaced !== text && OFFSET_TEXT.test(spaced) ? `; did you mean "${spaced}"?` : '';
    return `${show(text)} is not a UTC offset: write UTC, a sign, two-digit hours, a colon and two-digit minutes, e.g. "UTC+08:00"${hint}`;
  }
  const minutes = Number(m[3]);
  if (minutes > 59) return `${show(text)} has ${m[3]} minutes; minutes go from 00 to 59`;
  const total = offsetMinutes(text as string);
  if (total < MIN_OFFSET || total > MAX_OFFSET) return `${show(text)} is outside UTC-12:00 to UTC+14:00`;
  return undefined;
}

export function offsetMinutes(text: string): number {
  const m = OFFSET_TEXT.exec(text)!;
  const abs = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -abs : abs;
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}
