import { expect, test } from '@playwright/test';
import { DEMO_OWNER, openDemoPractice } from './demo';

// The idle lock is the backend's: with the sync indicator polling
// Devices.Status every few seconds, the window still locks after the
// practice's lock time without input, and a bound call made after that is
// refused by the backend itself. scripts/e2e.sh runs this suite on a backend
// built with -tags e2e and QUIETDESK_E2E_LOCK_UNIT=1s, so the demo's lock time
// of 15 "minutes" passes in 15 seconds.
const shotDir = process.env.E2E_ARTIFACTS ?? 'test-results';
const LOCK_AFTER_MS = 15_000; // the demo practice's LockMinutes (15) × the test unit (1 s)
const REPORT_EVERY_MS = 10_000; // frontend/src/lib/stores/idle.ts ACTIVITY_REPORT_MS

test('the backend locks an idle session while the sync indicator polls', async ({ page }) => {
  test.setTimeout(150_000);
  await openDemoPractice(page);
  // The indicator has polled Devices.Status successfully.
  const indicator = page.getByRole('link', { name: /This computer only|Sync off|Working offline|In sync/ });
  await expect(indicator).toBeVisible();
  const lastInput = Date.now();
  await page.mouse.move(200, 200); // the last input of the test
  const lockTitle = page.getByText('Locked', { exact: true });

  // Still open after a few polls: the lock time has not passed.
  await page.waitForTimeout(LOCK_AFTER_MS - REPORT_EVERY_MS - 1_000);
  await expect(lockTitle).toBeHidden();
  await expect(indicator).toBeVisible();

  // Locked on the backend's clock, the window following by itself.
  await expect(lockTitle).toBeVisible({ timeout: LOCK_AFTER_MS + 10_000 });
  const lockedAfter = Date.now() - lastInput;
  console.log(`lock screen after ${lockedAfter} ms without input (lock time ${LOCK_AFTER_MS} ms)`);
  expect(lockedAfter).toBeLessThan(LOCK_AFTER_MS + 5_000);
  await page.screenshot({ path: `${shotDir}/40-idle-lock.png`, fullPage: true });

  // A bound call after the lock is refused by the backend, whatever the window shows.
  const refused = await page.evaluate(async () => {
    const w = window as unknown as { go: { app: { Practice: { Settings: () => Promise<unknown> } } } };
    try {
      await w.go.app.Practice.Settings();
      return 'answered';
    } catch (e) {
      return String(e);
    }
  });
  expect(JSON.parse(refused)).toMatchObject({ code: 'locked' });

  // The password opens it again.
  await page.getByLabel('Password', { exact: true }).fill(DEMO_OWNER.password);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
});
