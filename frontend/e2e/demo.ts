import { expect, type Page } from '@playwright/test';

export const DEMO_OWNER = { username: 'demo.owner', password: 'quietdesk-demo-2026' };

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
