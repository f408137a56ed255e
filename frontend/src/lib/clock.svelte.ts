// How the practice writes times of day (Settings → Practice): "12h" (9:00 AM,
// the default) or "24h" (09:00). One setting for every screen, the printed
// day and the calendar's messages (the backend reads the same setting). It
// is state, so a screen showing times redraws when the practice changes it.

export type Clock = '12h' | '24h';

let current = $state<Clock>('12h');

/** The practice's clock; "" or anything unknown reads as 12-hour. */
export function practiceClock(): Clock {
  return current;
}

export function setPracticeClock(clock: string): void {
  current = clock === '24h' ? '24h' : '12h';
}

/** The Intl options that write the hour as the practice reads it. */
export function hourOptions(): Pick<Intl.DateTimeFormatOptions, 'hourCycle'> {
  return { hourCycle: current === '24h' ? 'h23' : 'h12' };
}
