import { describePattern, parsePattern, renderPattern } from '../../src/schedule/rrule';
import { validateSchedulePatterns } from '../../src/schedule/schedule-rules';

const ALL_HOURS = Array.from({ length: 24 }, (_, h) => h).join(',');

/** [behaviour, pattern, exact message]. Each pattern is validated alone, as pattern 1. */
const INVALID: [string, unknown, string][] = [
  ['fails when the pattern is not a string', 5,
    'pattern 1 must be a string such as "FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=00", got 5'],
  ['fails when the pattern is null', null,
    'pattern 1 must be a string such as "FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=00", got null'],
  ['fails when the pattern is empty', '',
    'pattern 1 "": the pattern is empty; write a rule such as "FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=00"'],
  ['fails when the pattern contains a space', 'FREQ=DAILY; BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY; BYHOUR=2;BYMINUTE=0": remove the whitespace; write KEY=VALUE parts joined by ";" with no spaces'],
  ['fails when the pattern ends with a newline', 'FREQ=DAILY;BYHOUR=2;BYMINUTE=0\n',
    'pattern 1 "FREQ=DAILY;BYHOUR=2;BYMINUTE=0\\n": remove the whitespace; write KEY=VALUE parts joined by ";" with no spaces'],
  ['fails when the pattern has the RRULE: prefix', 'RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=0": remove the "RRULE:" prefix; the API takes only the rule value, e.g. "FREQ=DAILY;BYHOUR=2;BYMINUTE=00"'],
  ['fails when the pattern has a lower-case rrule: prefix', 'rrule:FREQ=DAILY;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "rrule:FREQ=DAILY;BYHOUR=2;BYMINUTE=0": remove the "rrule:" prefix; the API takes only the rule value, e.g. "FREQ=DAILY;BYHOUR=2;BYMINUTE=00"'],
  ['fails when the pattern ends with a semicolon', 'FREQ=DAILY;BYHOUR=2;BYMINUTE=0;',
    'pattern 1 "FREQ=DAILY;BYHOUR=2;BYMINUTE=0;": part 4 is empty; separate KEY=VALUE parts with a single ";" and do not end with ";"'],
  ['fails when parts are separated by two semicolons', 'FREQ=DAILY;;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;;BYHOUR=2;BYMINUTE=0": part 2 is empty; separate KEY=VALUE parts with a single ";" and do not end with ";"'],
  ['fails when the pattern starts with a semicolon', ';FREQ=DAILY;BYHOUR=2;BYMINUTE=0',
    'pattern 1 ";FREQ=DAILY;BYHOUR=2;BYMINUTE=0": part 1 is empty; separate KEY=VALUE parts with a single ";" and do not end with ";"'],
  ['fails when a part has no equals sign', 'FREQ=DAILY;BYHOUR;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;BYHOUR;BYMINUTE=0": part "BYHOUR" is not KEY=VALUE'],
  ['fails when the pattern is a bare word', 'DAILY',
    'pattern 1 "DAILY": part "DAILY" is not KEY=VALUE'],
  ['fails when a part has no key', 'FREQ=DAILY;=2;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;=2;BYMINUTE=0": part "=2" has no key'],
  ['fails when a key is lower case', 'freq=DAILY;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "freq=DAILY;BYHOUR=2;BYMINUTE=0": write the key "freq" in upper case: FREQ'],
  ['fails when a key is mixed case', 'FREQ=DAILY;ByHour=2;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;ByHour=2;BYMINUTE=0": write the key "ByHour" in upper case: BYHOUR'],
  ['fails when BYMONTH is used', 'FREQ=DAILY;BYMONTH=1;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;BYMONTH=1;BYHOUR=2;BYMINUTE=0": BYMONTH is not supported; the API accepts only FREQ, INTERVAL, BYDAY, BYHOUR and BYMINUTE'],
  ['fails when BYSECOND is used', 'FREQ=DAILY;BYHOUR=2;BYMINUTE=0;BYSECOND=0',
    'pattern 1 "FREQ=DAILY;BYHOUR=2;BYMINUTE=0;BYSECOND=0": BYSECOND is not supported; the API accepts only FREQ, INTERVAL, BYDAY, BYHOUR and BYMINUTE'],
  ['fails when COUNT is used', 'FREQ=DAILY;COUNT=3;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;COUNT=3;BYHOUR=2;BYMINUTE=0": COUNT is not supported; the API accepts only FREQ, INTERVAL, BYDAY, BYHOUR and BYMINUTE'],
  ['fails when UNTIL is used', 'FREQ=DAILY;UNTIL=20300101T000000Z;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;UNTIL=20300101T000000Z;BYHOUR=2;BYMINUTE=0": UNTIL is not supported; the API accepts only FREQ, INTERVAL, BYDAY, BYHOUR and BYMINUTE'],
  ['fails when WKST is used', 'FREQ=WEEKLY;WKST=SU;BYDAY=MO;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=WEEKLY;WKST=SU;BYDAY=MO;BYHOUR=2;BYMINUTE=0": WKST is not supported; the API accepts only FREQ, INTERVAL, BYDAY, BYHOUR and BYMINUTE'],
  ['fails when BYSETPOS is used', 'FREQ=WEEKLY;BYDAY=MO;BYSETPOS=1;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=1;BYHOUR=2;BYMINUTE=0": BYSETPOS is not supported; the API accepts only FREQ, INTERVAL, BYDAY, BYHOUR and BYMINUTE'],
  ['fails when FREQ is given twice', 'FREQ=DAILY;FREQ=WEEKLY;BYDAY=MO;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;FREQ=WEEKLY;BYDAY=MO;BYHOUR=2;BYMINUTE=0": FREQ is given twice; give each key once'],
  ['fails when BYHOUR is given twice', 'FREQ=DAILY;BYHOUR=2;BYHOUR=3;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;BYHOUR=2;BYHOUR=3;BYMINUTE=0": BYHOUR is given twice; give each key once'],
  ['fails when BYMINUTE is given twice', 'FREQ=DAILY;BYHOUR=2;BYMINUTE=0;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;BYHOUR=2;BYMINUTE=0;BYMINUTE=0": BYMINUTE is given twice; give each key once'],
  ['fails when INTERVAL is given twice', 'FREQ=DAILY;INTERVAL=1;INTERVAL=2;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;INTERVAL=1;INTERVAL=2;BYHOUR=2;BYMINUTE=0": INTERVAL is given twice; give each key once'],
  ['fails when BYDAY is given twice', 'FREQ=WEEKLY;BYDAY=MO;BYDAY=TU;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=WEEKLY;BYDAY=MO;BYDAY=TU;BYHOUR=2;BYMINUTE=0": BYDAY is given twice; give each key once'],
  ['fails when a key has no value', 'FREQ=;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=;BYHOUR=2;BYMINUTE=0": FREQ has no value'],
  ['fails when BYHOUR has no value', 'FREQ=DAILY;BYHOUR=;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;BYHOUR=;BYMINUTE=0": BYHOUR has no value'],
  ['fails when FREQ is missing', 'BYHOUR=2;BYMINUTE=0',
    'pattern 1 "BYHOUR=2;BYMINUTE=0": FREQ is missing; start the rule with FREQ=DAILY or FREQ=WEEKLY'],
  ['fails when FREQ is MONTHLY', 'FREQ=MONTHLY;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=MONTHLY;BYHOUR=2;BYMINUTE=0": FREQ must be WEEKLY or DAILY, got "MONTHLY"'],
  ['fails when FREQ is YEARLY', 'FREQ=YEARLY;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=YEARLY;BYHOUR=2;BYMINUTE=0": FREQ must be WEEKLY or DAILY, got "YEARLY"'],
  ['fails when FREQ is HOURLY, suggesting several BYHOUR values', 'FREQ=HOURLY;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=HOURLY;BYHOUR=2;BYMINUTE=0": FREQ must be WEEKLY or DAILY, got "HOURLY"; for several runs a day use FREQ=DAILY with several BYHOUR values'],
  ['fails when FREQ is MINUTELY', 'FREQ=MINUTELY;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=MINUTELY;BYHOUR=2;BYMINUTE=0": FREQ must be WEEKLY or DAILY, got "MINUTELY"; for several runs a day use FREQ=DAILY with several BYHOUR values'],
  ['fails when FREQ is lower case', 'FREQ=daily;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=daily;BYHOUR=2;BYMINUTE=0": write FREQ in upper case: FREQ=DAILY'],
  ['fails when FREQ is misspelt', 'FREQ=WEEK;BYDAY=MO;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=WEEK;BYDAY=MO;BYHOUR=2;BYMINUTE=0": FREQ must be WEEKLY or DAILY, got "WEEK"'],
  ['fails when INTERVAL is 0', 'FREQ=DAILY;INTERVAL=0;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;INTERVAL=0;BYHOUR=2;BYMINUTE=0": INTERVAL must be a whole number of at least 1, got "0"'],
  ['fails when INTERVAL is negative', 'FREQ=DAILY;INTERVAL=-1;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;INTERVAL=-1;BYHOUR=2;BYMINUTE=0": INTERVAL must be a whole number of at least 1, got "-1"'],
  ['fails when INTERVAL has a plus sign', 'FREQ=DAILY;INTERVAL=+2;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;INTERVAL=+2;BYHOUR=2;BYMINUTE=0": INTERVAL must be a whole number of at least 1, got "+2"'],
  ['fails when INTERVAL is fractional', 'FREQ=DAILY;INTERVAL=1.5;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;INTERVAL=1.5;BYHOUR=2;BYMINUTE=0": INTERVAL must be a whole number of at least 1, got "1.5"'],
  ['fails when INTERVAL is a word', 'FREQ=DAILY;INTERVAL=two;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;INTERVAL=two;BYHOUR=2;BYMINUTE=0": INTERVAL must be a whole number of at least 1, got "two"'],
  ['fails when INTERVAL cannot be represented exactly', 'FREQ=DAILY;INTERVAL=99999999999999999999;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;INTERVAL=99999999999999999999;BYHOUR=2;BYMINUTE=0": INTERVAL 99999999999999999999 is too large'],
  ['fails when BYDAY has an ordinal (1MO)', 'FREQ=WEEKLY;BYDAY=1MO;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=WEEKLY;BYDAY=1MO;BYHOUR=2;BYMINUTE=0": BYDAY accepts only MO, TU, WE, TH, FR, SA, SU, got "1MO"'],
  ['fails when BYDAY has a negative ordinal (-1FR)', 'FREQ=WEEKLY;BYDAY=-1FR;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=WEEKLY;BYDAY=-1FR;BYHOUR=2;BYMINUTE=0": BYDAY accepts only MO, TU, WE, TH, FR, SA, SU, got "-1FR"'],
  ['fails when BYDAY uses three-letter names', 'FREQ=WEEKLY;BYDAY=MON;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=WEEKLY;BYDAY=MON;BYHOUR=2;BYMINUTE=0": BYDAY accepts only MO, TU, WE, TH, FR, SA, SU, got "MON"'],
  ['fails when BYDAY is lower case', 'FREQ=WEEKLY;BYDAY=mo;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=WEEKLY;BYDAY=mo;BYHOUR=2;BYMINUTE=0": BYDAY accepts only MO, TU, WE, TH, FR, SA, SU, got "mo" (write it in upper case: MO)'],
  ['fails when BYDAY has an empty item', 'FREQ=WEEKLY;BYDAY=MO,,TU;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=WEEKLY;BYDAY=MO,,TU;BYHOUR=2;BYMINUTE=0": BYDAY has an empty item; separate days with single commas, e.g. BYDAY=MO,WE,FR'],
  ['fails when BYDAY ends with a comma', 'FREQ=WEEKLY;BYDAY=MO,;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=WEEKLY;BYDAY=MO,;BYHOUR=2;BYMINUTE=0": BYDAY has an empty item; separate days with single commas, e.g. BYDAY=MO,WE,FR'],
  ['fails when BYDAY lists a day twice', 'FREQ=WEEKLY;BYDAY=MO,TU,MO;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=WEEKLY;BYDAY=MO,TU,MO;BYHOUR=2;BYMINUTE=0": BYDAY lists MO twice'],
  ['fails when BYHOUR is 24', 'FREQ=DAILY;BYHOUR=24;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;BYHOUR=24;BYMINUTE=0": BYHOUR accepts whole numbers from 0 to 23, got "24"'],
  ['fails when BYHOUR is negative', 'FREQ=DAILY;BYHOUR=-1;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;BYHOUR=-1;BYMINUTE=0": BYHOUR accepts whole numbers from 0 to 23, got "-1"'],
  ['fails when BYHOUR is fractional', 'FREQ=DAILY;BYHOUR=2.5;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;BYHOUR=2.5;BYMINUTE=0": BYHOUR accepts whole numbers from 0 to 23, got "2.5"'],
  ['fails when BYHOUR is a range', 'FREQ=DAILY;BYHOUR=1-3;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;BYHOUR=1-3;BYMINUTE=0": BYHOUR accepts whole numbers from 0 to 23, got "1-3"'],
  ['fails when one BYHOUR item of a list is out of range', 'FREQ=DAILY;BYHOUR=2,12,30;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;BYHOUR=2,12,30;BYMINUTE=0": BYHOUR accepts whole numbers from 0 to 23, got "30"'],
  ['fails when BYHOUR has an empty item', 'FREQ=DAILY;BYHOUR=2,,4;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;BYHOUR=2,,4;BYMINUTE=0": BYHOUR has an empty item; separate values with single commas'],
  ['fails when BYHOUR lists an hour twice, even written differently', 'FREQ=DAILY;BYHOUR=2,02;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;BYHOUR=2,02;BYMINUTE=0": BYHOUR lists 2 twice'],
  ['fails when BYMINUTE is 60', 'FREQ=DAILY;BYHOUR=2;BYMINUTE=60',
    'pattern 1 "FREQ=DAILY;BYHOUR=2;BYMINUTE=60": BYMINUTE accepts whole numbers from 0 to 59, got "60"'],
  ['fails when BYMINUTE is negative', 'FREQ=DAILY;BYHOUR=2;BYMINUTE=-5',
    'pattern 1 "FREQ=DAILY;BYHOUR=2;BYMINUTE=-5": BYMINUTE accepts whole numbers from 0 to 59, got "-5"'],
  ['fails when BYMINUTE lists a minute twice', 'FREQ=DAILY;BYHOUR=2;BYMINUTE=0,00',
    'pattern 1 "FREQ=DAILY;BYHOUR=2;BYMINUTE=0,00": BYMINUTE lists 0 twice'],
  ['fails when BYMINUTE has an empty item', 'FREQ=DAILY;BYHOUR=2;BYMINUTE=,0',
    'pattern 1 "FREQ=DAILY;BYHOUR=2;BYMINUTE=,0": BYMINUTE has an empty item; separate values with single commas'],
  ['fails when BYHOUR is missing', 'FREQ=DAILY;BYMINUTE=0',
    'pattern 1 "FREQ=DAILY;BYMINUTE=0": BYHOUR is missing; without it the run time depends on when the policy is created, add e.g. BYHOUR=2'],
  ['fails when BYMINUTE is missing', 'FREQ=DAILY;BYHOUR=2',
    'pattern 1 "FREQ=DAILY;BYHOUR=2": BYMINUTE is missing; without it the run time depends on when the policy is created, add e.g. BYMINUTE=00'],
  ['fails when only FREQ is given', 'FREQ=DAILY',
    'pattern 1 "FREQ=DAILY": BYHOUR is missing; without it the run time depends on when the policy is created, add e.g. BYHOUR=2'],
  ['fails when FREQ=WEEKLY has no BYDAY', 'FREQ=WEEKLY;BYHOUR=2;BYMINUTE=0',
    'pattern 1 "FREQ=WEEKLY;BYHOUR=2;BYMINUTE=0": FREQ=WEEKLY needs BYDAY; without it the run day depends on when the policy is created, add e.g. BYDAY=MO'],
  ['fails when one pattern has 48 time points a day', `FREQ=DAILY;BYHOUR=${ALL_HOURS};BYMINUTE=0,30`,
    `pattern 1 "FREQ=DAILY;BYHOUR=${ALL_HOURS};BYMINUTE=0,30": runs at 48 time points a day (24 BYHOUR x 2 BYMINUTE values); at most 24 time points are allowed in a day`],
  ['fails when one pattern has 25 time points a day', 'FREQ=DAILY;BYHOUR=0,1,2,3,4;BYMINUTE=0,1,2,3,4',
    'pattern 1 "FREQ=DAILY;BYHOUR=0,1,2,3,4;BYMINUTE=0,1,2,3,4": runs at 25 time points a day (5 BYHOUR x 5 BYMINUTE values); at most 24 time points are allowed in a day'],
  ['reports the first broken part from the left', 'FREQ=DAILY;BYMONTH=2;FREQ=DAILY',
    'pattern 1 "FREQ=DAILY;BYMONTH=2;FREQ=DAILY": BYMONTH is not supported; the API accepts only FREQ, INTERVAL, BYDAY, BYHOUR and BYMINUTE'],
];

/** [behaviour, pattern]: valid on their own. */
const VALID: [string, string][] = [
  ['accepts the 4.8.1 weekly example', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=14;BYMINUTE=00'],
  ['accepts the 4.8.1 daily example (14:00 UTC+8)', 'FREQ=DAILY;INTERVAL=1;BYHOUR=6;BYMINUTE=00'],
  ['accepts the example with days starting on Sunday', 'FREQ=WEEKLY;BYDAY=SU,MO,TU,WE,TH,FR,SA;BYHOUR=23;BYMINUTE=00'],
  ['accepts keys in any order', 'BYMINUTE=5;BYHOUR=3;INTERVAL=2;FREQ=DAILY'],
  ['accepts leading zeros', 'FREQ=DAILY;INTERVAL=01;BYHOUR=07;BYMINUTE=05'],
  ['accepts BYHOUR 0 and 23 and BYMINUTE 59', 'FREQ=DAILY;BYHOUR=0,23;BYMINUTE=59'],
  ['accepts every hour of the day (24 time points)', `FREQ=DAILY;BYHOUR=${ALL_HOURS};BYMINUTE=0`],
  ['accepts a large INTERVAL (the reference sets no upper bound)', 'FREQ=WEEKLY;INTERVAL=520;BYDAY=MO;BYHOUR=1;BYMINUTE=0'],
  ['accepts BYDAY with FREQ=DAILY (a filter, as in RFC 2445)', 'FREQ=DAILY;BYDAY=MO,FR;BYHOUR=1;BYMINUTE=0'],
  ['accepts 12 hours x 2 minutes one hour apart', 'FREQ=DAILY;BYHOUR=0,2,4,6,8,10,12,14,16,18,20,22;BYMINUTE=0'],
];

describe('RRULE patterns on their own', () => {
  test.each(INVALID)('%s', (_name, pattern, message) => {
    expect(() => validateSchedulePatterns([pattern as string])).toThrow(new Error(message));
  });

  test.each(VALID)('%s', (_name, pattern) => {
    expect(() => validateSchedulePatterns([pattern])).not.toThrow();
  });

  test('numbers the pattern by its position in the list', () => {
    expect(() => validateSchedulePatterns(['FREQ=DAILY;BYHOUR=2;BYMINUTE=0', 'FREQ=DAILY;BYHOUR=25;BYMINUTE=0']))
      .toThrow(new Error('pattern 2 "FREQ=DAILY;BYHOUR=25;BYMINUTE=0": BYHOUR accepts whole numbers from 0 to 23, got "25"'));
  });

  test('parses lists sorted and without duplicates into time points', () => {
    const p = parsePattern('FREQ=WEEKLY;INTERVAL=2;BYDAY=FR,MO;BYHOUR=14,2;BYMINUTE=30,5', 1);
    expect(p).toEqual({
      index: 1,
      text: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=FR,MO;BYHOUR=14,2;BYMINUTE=30,5',
      freq: 'WEEKLY',
      interval: 2,
      days: [0, 4],
      hours: [2, 14],
      minutes: [5, 30],
      times: [125, 150, 845, 870],
    });
  });

  test('renders in the reference style: key order, week order, two-digit minutes', () => {
    expect(renderPattern({ freq: 'WEEKLY', days: [6, 0, 2], hours: [14], minutes: [0] }))
      .toBe('FREQ=WEEKLY;BYDAY=MO,WE,SU;BYHOUR=14;BYMINUTE=00');
    expect(renderPattern({ freq: 'DAILY', interval: 1, hours: [6], minutes: [0] }))
      .toBe('FREQ=DAILY;INTERVAL=1;BYHOUR=6;BYMINUTE=00');
    expect(renderPattern({ freq: 'DAILY', interval: 3, hours: [22, 4], minutes: [45, 5] }))
      .toBe('FREQ=DAILY;INTERVAL=3;BYHOUR=4,22;BYMINUTE=05,45');
  });

  test.each([
    ['FREQ=DAILY;INTERVAL=1;BYHOUR=6;BYMINUTE=00', 'daily at 06:00 UTC'],
    ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=14;BYMINUTE=00', 'daily at 14:00 UTC'],
    ['FREQ=WEEKLY;BYDAY=FR,MO;BYHOUR=2;BYMINUTE=30', 'weekly on MO, FR at 02:30 UTC'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;BYHOUR=2,14;BYMINUTE=0', 'every 2 weeks on SA at 02:00, 14:00 UTC'],
    ['FREQ=DAILY;INTERVAL=3;BYHOUR=1;BYMINUTE=5', 'every 3 days at 01:05 UTC'],
    ['FREQ=DAILY;BYDAY=MO,TU;BYHOUR=1;BYMINUTE=5', 'weekly on MO, TU at 01:05 UTC'],
    ['FREQ=DAILY;INTERVAL=2;BYDAY=SU;BYHOUR=1;BYMINUTE=5', 'every 2 days (only on SU) at 01:05 UTC'],
    [`FREQ=DAILY;BYHOUR=${ALL_HOURS};BYMINUTE=15`, 'daily every hour at minute 15'],
  ])('describes %s as "%s"', (pattern, summary) => {
    expect(describePattern(parsePattern(pattern, 1))).toBe(summary);
  });
});
