import { parseRule, validateSchedule } from '../../src/api/cbr/rrule';
import { ApiError } from '../../src/api/errors';

function problem(patterns: string[]): string | undefined {
  try {
    validateSchedule(patterns, 'pattern');
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return (e as ApiError).message.replace('Parameter verification failed. ', '');
  }
}

const ALL_HOURS = Array.from({ length: 24 }, (_, h) => h).join(',');

describe('schedule patterns (Table 4-353)', () => {
  test.each([
    ['the document\'s weekly example', ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=14;BYMINUTE=00']],
    ['the document\'s daily example', ['FREQ=DAILY;INTERVAL=1;BYHOUR=6;BYMINUTE=00']],
    ['24 hourly runs a day', [`FREQ=DAILY;BYHOUR=${ALL_HOURS};BYMINUTE=0`]],
    ['two rules exactly one hour apart', ['FREQ=DAILY;BYHOUR=1;BYMINUTE=0', 'FREQ=DAILY;BYHOUR=2;BYMINUTE=0']],
    ['the same time point from two rules', ['FREQ=DAILY;BYHOUR=1;BYMINUTE=0', 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=1;BYMINUTE=0']],
    ['a rule every third day', ['FREQ=DAILY;INTERVAL=3;BYHOUR=0,12;BYMINUTE=5']],
  ])('accepts %s', (_, patterns) => {
    expect(problem(patterns)).toBeUndefined();
  });

  test.each([
    ['more than 24 time points in a day', [`FREQ=DAILY;BYHOUR=${ALL_HOURS};BYMINUTE=0,30`],
      'pattern allows a maximum of 24 time points in a day; MO has 48.'],
    ['runs less than an hour apart across midnight of the week', ['FREQ=WEEKLY;BYDAY=SU;BYHOUR=23;BYMINUTE=30', 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=0;BYMINUTE=10'],
      'pattern scheduling interval cannot be less than 1 hour; SU 23:30 and MO 00:10 (UTC) are 40 minutes apart.'],
    ['two minutes in one rule', ['FREQ=DAILY;BYHOUR=5;BYMINUTE=0,59'],
      'pattern scheduling interval cannot be less than 1 hour; MO 05:00 and MO 05:59 (UTC) are 59 minutes apart.'],
    ['WEEKLY without BYDAY', ['FREQ=WEEKLY;BYHOUR=5;BYMINUTE=0'], 'pattern[0] needs BYDAY when FREQ=WEEKLY.'],
    ['no BYMINUTE', ['FREQ=DAILY;BYHOUR=5'], 'pattern[0] needs BYMINUTE.'],
    ['BYMINUTE=60', ['FREQ=DAILY;BYHOUR=5;BYMINUTE=60'], 'pattern[0] BYMINUTE values must be integers from 0 to 59; got "60".'],
    ['INTERVAL=0', ['FREQ=DAILY;INTERVAL=0;BYHOUR=5;BYMINUTE=0'], 'pattern[0] INTERVAL must be a positive integer; got "0".'],
    ['a repeated part', ['FREQ=DAILY;FREQ=WEEKLY;BYHOUR=5;BYMINUTE=0'], 'pattern[0] gives FREQ more than once.'],
    ['lower-case names', ['freq=daily;byhour=5;byminute=0'], 'pattern[0] must be NAME=VALUE pairs separated by ";"; got "freq=daily;byhour=5;byminute=0".'],
  ])('fails when %s', (_, patterns, message) => {
    expect(problem(patterns)).toBe(message);
  });

  test('parses lists and defaults INTERVAL to 1', () => {
    expect(parseRule('FREQ=WEEKLY;BYDAY=MO,FR;BYHOUR=2,14;BYMINUTE=00', 'p')).toEqual({
      freq: 'WEEKLY', days: [0, 4], hours: [2, 14], minutes: [0], interval: 1,
    });
  });
});
