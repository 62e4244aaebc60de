/**
 * RRULE day codes in week order. Weeks start on Monday (RFC 2445 default WKST=MO),
 * so index 0 is MO and index 6 is SU.
 */
export const DAY_CODES: readonly string[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** Index 0-6 (MO-SU) of a day code, or -1. */
export function dayIndex(code: string): number {
  return DAY_CODES.indexOf(code);
}
