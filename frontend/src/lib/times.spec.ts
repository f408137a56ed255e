import { describe, expect, it } from 'vitest';
import { parseTime, showTime } from './times';

describe('parseTime', () => {
  it.each([
    // typed, 12-hour clock, 24-hour clock
    ['7', '07:00', '07:00'],
    ['700', '07:00', '07:00'],
    ['0700', '07:00', '07:00'],
    ['07:00', '07:00', '07:00'],
    ['9:30', '09:30', '09:30'],
    ['930a', '09:30', '09:30'],
    ['9:30 PM', '21:30', '21:30'],
    ['9:30 p.m.', '21:30', '21:30'],
    ['930pm', '21:30', '21:30'],
    ['12am', '00:00', '00:00'],
    ['12 PM', '12:00', '12:00'],
    ['12:15', '12:15', '12:15'],
    ['3', '15:00', '03:00'], // a single-digit afternoon hour on the 12-hour clock
    ['3:30', '15:30', '03:30'],
    ['03:30', '03:30', '03:30'], // two digits: as typed
    ['6', '18:00', '06:00'],
    ['1930', '19:30', '19:30'],
    ['0', '00:00', '00:00'],
    ['23:59', '23:59', '23:59'],
  ])('%s', (typed, twelve, twentyFour) => {
    expect(parseTime(typed, '12h')).toEqual({ hhmm: twelve, problem: '' });
    expect(parseTime(typed, '24h')).toEqual({ hhmm: twentyFour, problem: '' });
  });

  it('says what is wrong, and gives no time', () => {
    expect(parseTime('25:00', '24h')).toEqual({ hhmm: '', problem: 'There is no 25:00; the day has hours 0 to 23.' });
    expect(parseTime('9:75', '12h')).toEqual({ hhmm: '', problem: 'An hour has 60 minutes: 75 is not a minute.' });
    expect(parseTime('13 pm', '12h').problem).toBe(
      'With AM or PM the hour is 1 to 12; type a time like 9:30 AM or 2:00 PM.',
    );
    expect(parseTime('noonish', '24h').problem).toBe('Type a time like 09:30 or 14:00.');
    expect(parseTime('  ', '12h')).toEqual({ hhmm: '', problem: '' });
  });
});

describe('showTime', () => {
  it('writes a stored time on the practice clock', () => {
    expect(showTime('00:05', '12h')).toBe('12:05 AM');
    expect(showTime('09:30', '12h')).toBe('9:30 AM');
    expect(showTime('12:00', '12h')).toBe('12:00 PM');
    expect(showTime('21:30', '12h')).toBe('9:30 PM');
    expect(showTime('21:30', '24h')).toBe('21:30');
    expect(showTime('', '12h')).toBe('');
  });
});
