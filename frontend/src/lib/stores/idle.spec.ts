import { afterEach, describe, expect, it, vi } from 'vitest';
import { startIdleTimer } from './idle';

describe('startIdleTimer', () => {
  afterEach(() => vi.useRealTimers());

  it('fires after the idle time and activity resets it', () => {
    vi.useFakeTimers();
    const target = new EventTarget();
    const onIdle = vi.fn();
    const stop = startIdleTimer(target, 2, onIdle);
    vi.advanceTimersByTime(90_000);
    target.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(90_000);
    expect(onIdle).not.toHaveBeenCalled();
    target.dispatchEvent(new Event('mousemove'));
    vi.advanceTimersByTime(120_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
    stop();
  });

  it('stops listening when stopped', () => {
    vi.useFakeTimers();
    const target = new EventTarget();
    const onIdle = vi.fn();
    startIdleTimer(target, 1, onIdle)();
    target.dispatchEvent(new Event('wheel'));
    vi.advanceTimersByTime(120_000);
    expect(onIdle).not.toHaveBeenCalled();
  });

  it('is off for zero minutes', () => {
    vi.useFakeTimers();
    const onIdle = vi.fn();
    startIdleTimer(new EventTarget(), 0, onIdle);
    vi.advanceTimersByTime(10 * 60_000);
    expect(onIdle).not.toHaveBeenCalled();
  });
});
