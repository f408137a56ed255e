import { expect, type Locator, type Page } from '@playwright/test';

export const DEMO_OWNER = { username: 'demo.owner', password: 'quietdesk-demo-2026' };

/** The demo practice's time zone. */
export const DEMO_ZONE = 'America/Los_Angeles';

/** The demo practice's wall clock at an instant: "YYYY-MM-DD" and "HH:MM". */
export function practiceWall(at: Date): { date: string; time: string } {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: DEMO_ZONE,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

/**
 * Opens the demo practice: from the Welcome screen on a fresh data folder
 * (the small demo), or by logging in where a demo already exists (a large
 * demo made with `quietdesk demo --size large`, or a rerun), and leaves the
 * app showing with the demo banner dismissed.
 */
export async function openDemoPractice(page: Page): Promise<void> {
  await page.goto('/');
  const openDemo = page.getByRole('button', { name: 'Open the demo practice' });
  const login = page.getByLabel('Username');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(openDemo.or(login).or(nav)).toBeVisible();
  if (await openDemo.isVisible()) {
    await openDemo.click();
    await expect(nav).toBeVisible({ timeout: 90_000 });
    await page.getByRole('button', { name: 'Dismiss' }).click();
  } else if (await login.isVisible()) {
    await login.fill(DEMO_OWNER.username);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(nav).toBeVisible({ timeout: 30_000 });
  }
}

type Go = Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;

/** Calls a bound Go method in the page as the window's api layer does (window.go.app). */
export function callGo<T>(page: Page, facade: string, method: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(([f, m, a]) => (window as unknown as { go: { app: Go } }).go.app[f][m](...a), [
    facade,
    method,
    args,
  ] as const) as Promise<T>;
}

/**
 * The first option of a select (or of every select in `within`) whose text starts with prefix,
 * e.g. a clinician's full label ("Ana Ruiz, LCSW"). A screen's options arrive with its first
 * call, so this waits for them instead of reading too early.
 */
export async function optionStartingWith(within: Locator, prefix: string): Promise<string> {
  let found: string | undefined;
  await expect
    .poll(
      async () => {
        found = (await within.locator('option').allTextContents()).find((o) => o.startsWith(prefix));
        return found;
      },
      { message: `no option starting with ${prefix}` },
    )
    .toBeDefined();
  return found!;
}

/**
 * The patient picker's first real match in scope. "Add new patient" is an option from the first
 * keystroke, before the search answers: waiting for it and pressing Enter could add a new patient.
 */
export function patientMatch(scope: Locator): Locator {
  return scope
    .getByRole('listbox', { name: 'Matching patients' })
    .getByRole('option')
    .filter({ hasNotText: 'Add new patient' })
    .first();
}
