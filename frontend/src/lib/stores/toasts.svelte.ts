export type ToastKind = 'info' | 'success' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  /** Shown in monospace under the message (e.g. a demo login or a file path). */
  detail?: string;
  /** Milliseconds until it disappears by itself; 0 keeps it until dismissed. */
  timeout: number;
}

const DEFAULT_TIMEOUT: Record<ToastKind, number> = { info: 6000, success: 5000, error: 0 };

/**
 * At most this many passing (info and success) messages show at once: a quick
 * run of bookings would otherwise stack them up the screen, over the calendar
 * slots the front desk clicks next. Errors are never dropped this way.
 */
export const MAX_PASSING = 3;

export class ToastStore {
  items = $state<Toast[]>([]);
  private next = 1;
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- timer handles, not UI state
  private timers = new Map<number, ReturnType<typeof setTimeout>>();

  push(kind: ToastKind, message: string, opts: { detail?: string; timeout?: number } = {}): number {
    const id = this.next++;
    const timeout = opts.timeout ?? DEFAULT_TIMEOUT[kind];
    this.items = [...this.items, { id, kind, message, detail: opts.detail, timeout }];
    if (kind !== 'error') {
      const passing = this.items.filter((t) => t.kind !== 'error');
      for (const old of passing.slice(0, Math.max(0, passing.length - MAX_PASSING))) this.dismiss(old.id);
    }
    if (timeout > 0)
      this.timers.set(
        id,
        setTimeout(() => this.dismiss(id), timeout),
      );
    return id;
  }

  info(message: string, opts?: { detail?: string; timeout?: number }): number {
    return this.push('info', message, opts);
  }

  success(message: string, opts?: { detail?: string; timeout?: number }): number {
    return this.push('success', message, opts);
  }

  error(message: string, opts?: { detail?: string; timeout?: number }): number {
    return this.push('error', message, opts);
  }

  dismiss(id: number): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
    this.items = this.items.filter((x) => x.id !== id);
  }

  clear(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.items = [];
  }
}

export const toasts = new ToastStore();
