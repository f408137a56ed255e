import { ApiError, toApiError } from '../api';
import { toasts } from './toasts.svelte';

/**
 * Turns a caught value into an ApiError and shows it the usual way: errors
 * with per-field problems are left to the form; "locked" is handled by the
 * session store (the lock screen appears); everything else becomes a toast.
 * Codes listed in `inline` are returned without a toast, for forms that show
 * them next to the fields (e.g. wrong_password on the login form).
 */
export function reportError(reason: unknown, inline: readonly string[] = []): ApiError {
  const err = toApiError(reason);
  if (err.code === 'locked') return err;
  if (err.hasFields || inline.includes(err.code)) return err;
  toasts.error(err.message);
  return err;
}

export { ApiError };
