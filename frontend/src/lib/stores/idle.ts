/** Events that count as the user being present. */
export const ACTIVITY_EVENTS = ['mousemove', 'keydown', 'pointerdown', 'wheel', 'touchstart'] as const;

/**
 * Calls onIdle once after `minutes` without activity on target. Returns a
 * stop function. minutes <= 0 disables the timer.
 */
export function startIdleTimer(target: EventTarget, minutes: number, onIdle: () => void): () => void {
  if (!(minutes > 0)) return () => undefined;
  const ms = minutes * 60_000;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      onIdle();
    }, ms);
  };
  for (const ev of ACTIVITY_EVENTS) target.addEventListener(ev, arm, { passive: true });
  arm();
  return () => {
    if (timer) clearTimeout(timer);
    for (const ev of ACTIVITY_EVENTS) target.removeEventListener(ev, arm);
  };
}
