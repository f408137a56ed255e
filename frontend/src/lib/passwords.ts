import type { FieldErrors, PasswordStrength } from './api';

export const PASSWORDS_DIFFER = 'The two passwords are not the same.';

/** The problem to show on the confirm field when the two passwords differ, or null. */
export function confirmProblem(password: string, confirm: string): FieldErrors | null {
  return password === confirm ? null : { confirm: PASSWORDS_DIFFER };
}

/** Whether the policy has judged the password too weak (null: not judged yet, so not blocked). */
export function tooWeak(strength: PasswordStrength | null): boolean {
  return strength !== null && !strength.acceptable;
}
