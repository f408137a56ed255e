/** Events that count as the user being present. */
export const ACTIVITY_EVENTS = ['mousemove', 'keydown', 'pointerdown', 'wheel', 'touchstart'] as const;

/** How often at most the window tells the backend a person is there. */
export const ACTIVITY_REPORT_MS = 10_000;

/**
 * Calls report when a person uses the window (a key, the pointer, a touch),
 * at most once every `everyMs`: the backend counts only these reports as
 * activity and locks on its own clock without them. Returns a stop function.
 */
export function reportActivity(target: EventTarget, everyMs: number, report: () => void): () => void {
  let last = -Infinity;
  const onActivity = () => {
    const now = Date.now();
    if (now - last < everyMs) return;
    last = now;
    report();
  };
  for (const ev of ACTIVITY_EVENTS) target.addEventListener(ev, onActivity, { passive: true });
  return () => {
    for (const ev of ACTIVITY_EVENTS) target.removeEventListener(ev, onActivity);
  };
}
