import { show } from './format';
import { checkOffsetText, MAX_OFFSET, MIN_OFFSET, offsetMinutes, pad2 } from './offset-text';

/**
 * A fixed offset from UTC, such as `UTC+08:00`.
 *
 * Used to give schedule times in local time (the API's patterns are in UTC) and as the
 * `timezone` of long-term retention. Offsets range from UTC-12:00 to UTC+14:00.
 */
export class UtcOffset {
  /** UTC itself (`UTC+00:00`). */
  public static readonly UTC = new UtcOffset(0);

  /**
   * A whole-hour offset, e.g. `UtcOffset.hours(8)` for UTC+08:00.
   * @param hours -12 to 14
   */
  public static hours(hours: number): UtcOffset {
    if (!Number.isInteger(hours) || hours < -12 || hours > 14) {
      throw new Error(`UtcOffset.hours: hours must be an integer from -12 to 14, got ${show(hours)}`);
    }
    return new UtcOffset(hours * 60);
  }

  /**
   * An offset in minutes, e.g. `UtcOffset.minutes(330)` for UTC+05:30.
   * @param minutes -720 to 840
   */
  public static minutes(minutes: number): UtcOffset {
    if (!Number.isInteger(minutes) || minutes < MIN_OFFSET || minutes > MAX_OFFSET) {
      throw new Error(`UtcOffset.minutes: minutes must be an integer from ${MIN_OFFSET} to ${MAX_OFFSET} (UTC-12:00 to UTC+14:00), got ${show(minutes)}`);
    }
    return new UtcOffset(minutes);
  }

  /**
   * Parses the API's time zone notation, e.g. `UTC+08:00` or `UTC-03:30`.
   */
  public static parse(text: string): UtcOffset {
    const error = checkOffsetText(text);
    if (error) throw new Error(`UtcOffset.parse: ${error}`);
    return new UtcOffset(offsetMinutes(text));
  }

  /** Minutes east of UTC (negative west of UTC). */
  public readonly totalMinutes: number;

  private constructor(totalMinutes: number) {
    this.totalMinutes = totalMinutes;
  }

  /** The API notation, e.g. `UTC+08:00`. */
  public toString(): string {
    const sign = this.totalMinutes < 0 ? '-' : '+';
    const abs = Math.abs(this.totalMinutes);
    return `UTC${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
  }
}
