/** A day of the week, as written in an RRULE `BYDAY` list. */
export enum Weekday {
  /** Monday (`MO`). */
  MONDAY = 'MO',
  /** Tuesday (`TU`). */
  TUESDAY = 'TU',
  /** Wednesday (`WE`). */
  WEDNESDAY = 'WE',
  /** Thursday (`TH`). */
  THURSDAY = 'TH',
  /** Friday (`FR`). */
  FRIDAY = 'FR',
  /** Saturday (`SA`). */
  SATURDAY = 'SA',
  /** Sunday (`SU`). */
  SUNDAY = 'SU',
}
