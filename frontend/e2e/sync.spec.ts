import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { OWNER } from './practice-owner';

// A second office computer, run as a headless `quietdesk hub`, pairs with
// the practice practice.spec.ts created (the backend under test listens for
// sync on its default port) and shows up on Settings → Devices.
test.describe.configure({ mode: 'serial' });

const bin = process.env.QUIETDESK_BIN ?? '';
const shotDir = process.env.E2E_ARTIFACTS ?? 'test-results';
const SYNC_ADDRESS = process.env.E2E_SYNC_ADDRESS ?? '127.0.0.1:28810';
const PEER_NAME = 'Back office';

let page: Page;
let hub: ChildProcess | undefined;
let dataDir = '';

test.beforeAll(async ({ browser }) => {
  test.skip(!bin, 'QUIETDESK_BIN names the quietdesk binary (scripts/e2e.sh builds it)');
  dataDir = mkdtempSync(join(tmpdir(), 'quietdesk-peer-'));
  page = await browser.newPage();
});

test.afterAll(async () => {
  hub?.kill('SIGTERM');
  await page?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('a second computer pairs, and the Devices screen shows it connected', async () => {
  await page.goto('/#/settings/devices');
  await expect(page.getByRole('heading', { name: 'This computer' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('No other computer is paired yet.')).toBeVisible();

  await page.getByRole('button', { name: 'Pair a new computer' }).click();
  const codeEl = page.getByLabel(/^Pairing code /);
  await expect(codeEl).toBeVisible();
  const code = ((await codeEl.getAttribute('aria-label')) ?? '').replace('Pairing code ', '').replaceAll(' ', '-');
  expect(code.length).toBeGreaterThan(10);
  await page.screenshot({ path: `${shotDir}/20-pairing-code.png`, fullPage: true });

  // The new computer joins with the code, then runs sync headless.
  const codeFile = join(dataDir, '..', `code-${Date.now()}`);
  writeFileSync(codeFile, code + '\n', { mode: 0o600 });
  const peerDir = join(dataDir, 'data');
  try {
    execFileSync(
      bin,
      ['join', '--data-dir', peerDir, '--address', SYNC_ADDRESS, '--code-file', codeFile, '--name', PEER_NAME],
      {
        timeout: 60_000,
        stdio: 'pipe',
      },
    );
  } finally {
    rmSync(codeFile, { force: true });
  }
  hub = spawn(bin, ['hub', '--data-dir', peerDir, '--listen', '127.0.0.1:0', '--beacon', '0', '--peer', SYNC_ADDRESS], {
    stdio: 'ignore',
  });

  const row = page.getByRole('row', { name: new RegExp(PEER_NAME) });
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row.getByText('Connected')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('link', { name: /In sync · 1 of 1 connected/ })).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: `${shotDir}/21-devices-peer-connected.png`, fullPage: true });

  // The hub holds no key after it starts: the owner unlocks it from here.
  await expect(row.getByText('Hub', { exact: true })).toBeVisible();
  await expect(row.getByText('Locked: e-mail waits')).toBeVisible();
  await row.getByRole('button', { name: `Unlock ${PEER_NAME}` }).click();
  const dialog = page.getByRole('dialog', { name: `Unlock ${PEER_NAME}` });
  const password = dialog.getByLabel(/Your password/);
  await password.fill('not my password');
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await expect(password).toHaveAccessibleDescription(/not right/, { timeout: 30_000 });
  await page.screenshot({ path: `${shotDir}/21b-unlock-hub-wrong-password.png`, fullPage: true });
  await password.fill(OWNER.password);
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
  await expect(row.getByText('Locked: e-mail waits')).toBeHidden();
  await page.screenshot({ path: `${shotDir}/21c-hub-unlocked.png`, fullPage: true });

  // Stopped, it shows as not connected, and the indicator says so.
  hub.kill('SIGTERM');
  await expect(row.getByText('Not connected')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('link', { name: /Working offline/ })).toBeVisible();
  await page.screenshot({ path: `${shotDir}/22-devices-peer-offline.png`, fullPage: true });
});
