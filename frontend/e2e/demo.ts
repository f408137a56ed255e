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

/**
 * Whether the demo practice books nothing on a "YYYY-MM-DD" day: weekends,
 * and the US holidays it closes for (New Year's Day, Memorial Day,
 * Independence Day, Labor Day, Thanksgiving, Christmas), a Saturday one
 * observed the Friday before and a Sunday one the Monday after. Written
 * apart from the demo's own rule, as the tests' expectation of it.
 */
export function demoClosed(day: string): boolean {
  const d = new Date(`${day}T12:00:00Z`);
  if ([0, 6].includes(d.getUTCDay())) return true;
  const y = d.getUTCFullYear();
  const at = (year: number, month: number, date: number) => new Date(Date.UTC(year, month, date, 12));
  const observed = (t: Date) => {
    const shift = t.getUTCDay() === 6 ? -1 : t.getUTCDay() === 0 ? 1 : 0;
    return at(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() + shift);
  };
  const nthWeekday = (month: number, weekday: number, n: number) => {
    const first = at(y, month, 1);
    return at(y, month, 1 + ((weekday - first.getUTCDay() + 7) % 7) + 7 * (n - 1));
  };
  const lastMonday = (month: number) => {
    const last = at(y, month + 1, 0);
    return at(y, month, last.getUTCDate() - ((last.getUTCDay() + 6) % 7));
  };
  const closures = [
    observed(at(y, 0, 1)),
    observed(at(y + 1, 0, 1)), // may fall on 31 December
    lastMonday(4),
    observed(at(y, 6, 4)),
    nthWeekday(8, 1, 1),
    nthWeekday(10, 4, 4),
    observed(at(y, 11, 25)),
  ];
  return closures.some((c) => c.toISOString().slice(0, 10) === day);
}

/** The first day on or after `day` ("YYYY-MM-DD") when the demo practice is open. */
export function openDayFrom(day: string): string {
  let d = day;
  while (demoClosed(d)) {
    const next = new Date(`${d}T12:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    d = next.toISOString().slice(0, 10);
  }
  return d;
}

/** "2026-12-11" as a date field shows it: "12/11/2026". */
export function shownDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${m}/${d}/${y}`;
}

/** What a date field shows ("12/11/2026") as "2026-12-11". */
export function isoDate(shown: string): string {
  const [m, d, y] = shown.split('/');
  return `${y}-${m}-${d}`;
}
