import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

// First run on a new office computer: another computer (a headless hub
// holding the small demo practice) opens a pairing window, and this one
// joins from the Welcome screen, copies the practice and asks staff to log
// in with their usual passwords. Runs on a fresh backend (scripts/e2e.sh).
const bin = process.env.QUIETDESK_BIN ?? '';
const shotDir = process.env.E2E_ARTIFACTS ?? 'test-results';

let hub: ChildProcess | undefined;
let dataDir = '';

test.beforeAll(() => {
  test.skip(!bin, 'QUIETDESK_BIN names the quietdesk binary (scripts/e2e.sh builds it)');
  dataDir = mkdtempSync(join(tmpdir(), 'quietdesk-hub-'));
});

test.afterAll(() => {
  hub?.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Starts a hub on dir and resolves once it holds the folder and listens.
 * Until then `pair open` would open the folder itself (and wait for a
 * joiner), racing the hub for it.
 */
function startHub(dir: string): Promise<ChildProcess> {
  const proc = spawn(bin, ['hub', '--data-dir', dir, '--listen', '127.0.0.1:0', '--beacon', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the hub did not start in 60 s:\n${log}`)), 60_000);
    proc.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('hub running')) {
        clearTimeout(timer);
        resolve(proc);
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the hub exited (${code}):\n${log}`));
    });
  });
}

/** Asks the running hub for a pairing code and the address it listens on. */
function pairingWindow(dir: string): { code: string; address: string } {
  const out = execFileSync(bin, ['pair', 'open', '--data-dir', dir], { timeout: 20_000, stdio: 'pipe' }).toString();
  const code = /^code: (.+)$/m.exec(out)?.[1]?.trim() ?? '';
  const address = /^address: (.+)$/m.exec(out)?.[1]?.trim() ?? '';
  if (!code || !address) throw new Error(`pair open printed: ${out}`);
  return { code, address };
}

test('a new computer joins the practice from the Welcome screen', async ({ page }) => {
  test.setTimeout(240_000);
  const hubDir = join(dataDir, 'hub');
  execFileSync(bin, ['demo', '--data-dir', hubDir, '--size', 'small'], { timeout: 120_000, stdio: 'pipe' });
  hub = await startHub(hubDir);
  const { code, address } = pairingWindow(hubDir);

  await page.goto('/');
  await page.getByRole('button', { name: 'Join a practice' }).click();
  await expect(page.getByRole('heading', { name: 'Join a practice on this network' })).toBeVisible();
  await page.getByLabel('Address').fill(address);
  await page.getByLabel('Pairing code').fill('WRONG-CODE0-00000');
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByRole('alert')).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: `${shotDir}/30-join-wrong-code.png`, fullPage: true });

  await page.getByLabel('Pairing code').fill(code.toLowerCase().replaceAll('-', ' '));
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 120_000 });
  await page.screenshot({ path: `${shotDir}/31-joined-sign-in.png`, fullPage: true });

  // Staff log in here with the password they use on the other computer.
  await page.getByLabel('Username').fill('demo.owner');
  await page.getByLabel('Password').fill('quietdesk-demo-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('banner')).toContainText('Cedar Grove Counseling');
  // The practice's patients arrived sealed: scripts/e2e.sh checks that the
  // names shown here appear nowhere in plain text on this computer.
  await page.goto('/#/patients');
  await page.getByRole('button', { name: 'Show all patients' }).click({ timeout: 30_000 });
  const names = page.locator('table tbody tr td:first-child');
  await expect(names.first()).toBeVisible({ timeout: 30_000 });
  const shown = (await names.allInnerTexts()).slice(0, 5).flatMap((n) => n.split(',').map((w) => w.trim()));
  expect(shown.length).toBeGreaterThan(4);
  writeFileSync(`${shotDir}/phi-markers-join.txt`, shown.filter((w) => w.length > 3).join('\n') + '\n');

  await page.goto('/#/settings/devices');
  await expect(page.getByRole('row', { name: /Connected/ })).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: `${shotDir}/32-joined-devices.png`, fullPage: true });
});
