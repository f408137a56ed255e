import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportActivity } from './idle';

describe('reportActivity', () => {
  afterEach(() => vi.useRealTimers());

  it('reports input at once, then at most once per interval', () => {
    vi.useFakeTimers();
    const target = new EventTarget();
    const report = vi.fn();
    const stop = reportActivity(target, 10_000, report);
    expect(report).not.toHaveBeenCalled(); // no input, no report
    target.dispatchEvent(new Event('keydown'));
    expect(report).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(4_000);
    target.dispatchEvent(new Event('mousemove'));
    target.dispatchEvent(new Event('pointerdown'));
    expect(report).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(6_000);
    target.dispatchEvent(new Event('wheel'));
    expect(report).toHaveBeenCalledTimes(2);
    stop();
  });

  it('never reports on its own: time passing is not activity', () => {
    vi.useFakeTimers();
    const report = vi.fn();
    reportActivity(new EventTarget(), 10_000, report);
    vi.advanceTimersByTime(60 * 60_000);
    expect(report).not.toHaveBeenCalled();
  });

  it('stops listening when stopped', () => {
    vi.useFakeTimers();
    const target = new EventTarget();
    const report = vi.fn();
    reportActivity(target, 10_000, report)();
    target.dispatchEvent(new Event('touchstart'));
    expect(report).not.toHaveBeenCalled();
  });
});
