import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openDemoPractice } from './demo';

// Settings → Backups, nightly part, against the real backend (same machine,
// so the folder the test makes is a folder on the backend's computer): a
// relative path and a file are refused on the field and nothing is chosen;
// a real folder is chosen and "Back up now" writes a checked, dated backup
// into it, shown as the last result; with the folder gone (a disk
// unplugged) the failure is shown in words and reaches Needs action.
test.describe.configure({ mode: 'serial' });

const shotDir = process.env.E2E_ARTIFACTS ?? 'test-results';

let page: Page;
let dir = '';

test.beforeAll(async ({ browser }) => {
  dir = mkdtempSync(join(tmpdir(), 'quietdesk-e2e-backups-'));
  page = await browser.newPage();
  await openDemoPractice(page);
});

test.afterAll(async () => {
  await page?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a bad folder is refused on its field, a real one is chosen and backed up into now', async () => {
  await page.goto('/#/settings/backups');
  const section = page.getByTestId('nightly-backups');
  await expect(section).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('retention')).toContainText('the last 7 days, 4 weeks and 12 months');
  const form = section.getByRole('form', { name: 'Backup folder' });
  const folder = form.getByLabel('Folder');

  await folder.fill('backups/quietdesk');
  await form.getByRole('button', { name: 'Use this folder' }).click();
  await expect(form.getByText('"backups/quietdesk" is relative')).toBeVisible();

  const file = join(dir, 'notes.txt');
  writeFileSync(file, 'not a folder');
  await folder.fill(file);
  await form.getByRole('button', { name: 'Use this folder' }).click();
  await expect(form.getByText('is a file, not a folder')).toBeVisible();
  await expect(section.getByTestId('last-backup')).toHaveCount(0); // nothing was chosen

  const target = join(dir, 'nas');
  await folder.fill(target);
  await form.getByRole('button', { name: 'Use this folder' }).click();
  await expect(form.getByText('does not exist on this computer')).toBeVisible();
  expect(existsSync(target)).toBe(false); // refused without making it
  await page.screenshot({ path: `${shotDir}/69-backups-folder-refused.png`, fullPage: true });

  const real = mkdtempSync(join(dir, 'nas-'));
  await folder.fill(real);
  await form.getByRole('button', { name: 'Use this folder' }).click();
  await expect(section.getByTestId('last-backup')).toContainText('No backup has been made yet');

  await section.getByRole('button', { name: 'Back up now' }).click();
  await expect(section.getByTestId('last-backup')).toContainText('Backed up and checked: quietdesk-backup-', {
    timeout: 60_000,
  });
  const files = readdirSync(real);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^quietdesk-backup-\d{4}-\d{2}-\d{2}\.qdbackup$/);
  await section.getByText('1 backup in the folder').click();
  await expect(section.getByText(files[0], { exact: true })).toBeVisible();
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shotDir}/70-backups-nightly.png`, fullPage: true });
});

test('a backup into a folder that is gone fails in words and reaches Needs action', async () => {
  const section = page.getByTestId('nightly-backups');
  const real = readdirSync(dir).find((n) => n.startsWith('nas-')) ?? '';
  rmSync(join(dir, real), { recursive: true, force: true });
  await section.getByRole('button', { name: 'Back up now' }).click();
  await expect(section.getByTestId('last-backup')).toContainText('The backup failed: The folder');
  await expect(section.getByTestId('last-backup')).toContainText('does not exist on this computer');
  await expect(section.getByTestId('last-backup')).toContainText('The last good backup was made');
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shotDir}/71-backups-failed.png`, fullPage: true });

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Needs action' }).click();
  const alert = page
    .getByRole('list', { name: 'Alerts' })
    .getByRole('listitem')
    .filter({ hasText: 'The nightly backup failed' });
  await expect(alert).toContainText('does not exist on this computer');
  await page.screenshot({ path: `${shotDir}/72-backups-alert.png`, fullPage: true });
  await alert.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('nightly-backups')).toBeVisible();
});
