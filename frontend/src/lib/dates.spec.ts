import { describe, expect, it } from 'vitest';
import { caretAfterDigits, datePattern, daysInMonth, formatIso, maskDate, parseDate, spokenPattern } from './dates';

/** Types `keys` one at a time, as the field does on each input event. */
function typeInto(keys: string, order: 'MDY' | 'DMY' | 'YMD' = 'MDY'): string {
  let text = '';
  for (const k of keys) text = maskDate(text + k, order);
  return text;
}

describe('datePattern', () => {
  it('names the order', () => {
    expect(datePattern('MDY')).toBe('MM/DD/YYYY');
    expect(datePattern('DMY')).toBe('DD/MM/YYYY');
    expect(datePattern('YMD')).toBe('YYYY-MM-DD');
  });
});

describe('daysInMonth', () => {
  it('knows month ends and leap years', () => {
    expect(daysInMonth(2027, 1)).toBe(31);
    expect(daysInMonth(2027, 2)).toBe(28);
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28); // divisible by 100, not by 400
    expect(daysInMonth(2000, 2)).toBe(29); // divisible by 400
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(daysInMonth(2026, 6)).toBe(30);
    expect(daysInMonth(2026, 9)).toBe(30);
    expect(daysInMonth(2026, 11)).toBe(30);
    expect(daysInMonth(2026, 12)).toBe(31);
  });
});

describe('maskDate while typing', () => {
  it('puts the separators in as digits are typed', () => {
    expect(typeInto('0')).toBe('0');
    expect(typeInto('03')).toBe('03/');
    expect(typeInto('030')).toBe('03/0');
    expect(typeInto('0309')).toBe('03/09/');
    expect(typeInto('030920')).toBe('03/09/20');
    expect(typeInto('03092026')).toBe('03/09/2026');
  });

  it('pads a month or day whose first digit allows no second', () => {
    expect(typeInto('3')).toBe('03/');
    expect(typeInto('39')).toBe('03/09/');
    expect(typeInto('394')).toBe('03/09/4');
    expect(typeInto('1')).toBe('1');
    expect(typeInto('12')).toBe('12/');
    expect(typeInto('123')).toBe('12/3');
    expect(typeInto('1231')).toBe('12/31/');
  });

  it('takes the separators a person types, without doubling them', () => {
    expect(typeInto('3/9/2026')).toBe('03/09/2026');
    expect(typeInto('1/')).toBe('01/');
    expect(typeInto('12/1/2026')).toBe('12/01/2026');
    expect(typeInto('1-15-2026')).toBe('01/15/2026');
    expect(typeInto('12//')).toBe('12/');
  });

  it('ignores letters and anything past the year', () => {
    expect(typeInto('03a')).toBe('03/');
    expect(typeInto('030920261')).toBe('03/09/2026');
  });

  it('leaves the trailing separator off when deleting', () => {
    expect(maskDate('03', 'MDY', true)).toBe('03');
    expect(maskDate('03/09', 'MDY', true)).toBe('03/09');
    expect(maskDate('03/0', 'MDY', true)).toBe('03/0');
  });

  it('follows a day-first practice', () => {
    expect(typeInto('9032026', 'DMY')).toBe('09/03/2026');
    expect(typeInto('31122026', 'DMY')).toBe('31/12/2026');
  });
});

describe('maskDate on a paste or fill', () => {
  it('reads an ISO date year first and shows it in the practice order', () => {
    expect(maskDate('2026-03-09')).toBe('03/09/2026');
    expect(maskDate('2026-3-9')).toBe('03/09/2026');
    expect(maskDate(' 2026-12-07 ')).toBe('12/07/2026');
    expect(maskDate('20260309')).toBe('03/09/2026');
    expect(maskDate('2026-03-09', 'DMY')).toBe('09/03/2026');
  });

  it('reads a US date', () => {
    expect(maskDate('3/9/2026')).toBe('03/09/2026');
    expect(maskDate('03/09/2026')).toBe('03/09/2026');
    expect(maskDate('03092026')).toBe('03/09/2026');
  });

  it('leaves a year-first date still being typed as it is', () => {
    expect(maskDate('2026-03')).toBe('2026-03');
  });
});

describe('parseDate', () => {
  it('is empty for nothing typed', () => {
    expect(parseDate('')).toEqual({ iso: '', problem: '', complete: false });
    expect(parseDate('   ')).toEqual({ iso: '', problem: '', complete: false });
  });

  it('reads whole dates', () => {
    expect(parseDate('03/09/2026')).toEqual({ iso: '2026-03-09', problem: '', complete: true });
    expect(parseDate('3/9/2026')).toEqual({ iso: '2026-03-09', problem: '', complete: true });
    expect(parseDate('2026-03-09')).toEqual({ iso: '2026-03-09', problem: '', complete: true });
    expect(parseDate('12/31/1999')).toEqual({ iso: '1999-12-31', problem: '', complete: true });
    expect(parseDate('09/03/2026', 'DMY')).toEqual({ iso: '2026-03-09', problem: '', complete: true });
  });

  it('gives no date for partial input, and says what is missing', () => {
    for (const partial of ['0', '03/', '03/09/', '03/09/20', '03/09/202', '2026-03']) {
      expect(parseDate(partial)).toEqual({ iso: '', problem: 'Type the whole date: MM/DD/YYYY.', complete: false });
    }
  });

  it('knows leap days', () => {
    expect(parseDate('02/29/2028')).toEqual({ iso: '2028-02-29', problem: '', complete: true });
    expect(parseDate('02/29/2000')).toEqual({ iso: '2000-02-29', problem: '', complete: true });
    expect(parseDate('02/29/2027')).toEqual({
      iso: '2027-02-29',
      problem: 'There is no 29 February 2027.',
      complete: true,
    });
    expect(parseDate('02/29/1900').problem).toBe('There is no 29 February 1900.');
  });

  it('words impossible dates as the backend does', () => {
    expect(parseDate('02/30/2001').problem).toBe('There is no 30 February 2001.');
    expect(parseDate('2001-02-30').problem).toBe('There is no 30 February 2001.');
    expect(parseDate('04/31/2026').problem).toBe('There is no 31 April 2026.');
    expect(parseDate('04/30/2026').problem).toBe('');
    expect(parseDate('01/31/2026').problem).toBe('');
    expect(parseDate('06/00/2026').problem).toBe('There is no 0 June 2026.');
    expect(parseDate('13/01/2026').problem).toBe('There is no month 13; months run from 01 to 12.');
    expect(parseDate('00/10/2026').problem).toBe('There is no month 00; months run from 01 to 12.');
  });
});

describe('formatIso', () => {
  it('shows a stored date in the practice order', () => {
    expect(formatIso('1988-04-12')).toBe('04/12/1988');
    expect(formatIso('1988-04-12', 'DMY')).toBe('12/04/1988');
    expect(formatIso('')).toBe('');
  });
});

describe('caretAfterDigits', () => {
  it('keeps the caret after the same digit once separators move', () => {
    expect(caretAfterDigits('03/09/2026', 0)).toBe(0);
    expect(caretAfterDigits('03/09/2026', 1)).toBe(1);
    expect(caretAfterDigits('03/09/2026', 3)).toBe(4);
    expect(caretAfterDigits('03/', 2)).toBe(3);
    expect(caretAfterDigits('03/09/2026', 8)).toBe(10);
  });
});

describe('spokenPattern', () => {
  it('says the order in words', () => {
    expect(spokenPattern('MDY')).toBe('Digits: month, day, four-digit year');
  });
});
