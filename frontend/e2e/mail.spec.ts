import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openDemoPractice } from './demo';

// Settings → E-mail against a real SMTP relay on loopback (internal/mail/
// mailtest/relay: STARTTLS, AUTH, its own certificate): a wrong password is
// named as an AUTH failure, the right one delivers a test message the relay
// receives; the reminder wording is edited with its live preview; the
// outbox shows the demo's queued and sent reminders.
test.describe.configure({ mode: 'serial' });

const relayBin = process.env.QUIETDESK_TEST_RELAY ?? '';
const shotDir = process.env.E2E_ARTIFACTS ?? 'test-results';
const PHI = {
  relayPassword: 'relay-secret',
  testRecipient: 'frontdesk.quillon@example.org',
  subject: 'Looking forward to Thursday Pemberwick',
  ownerEmail: 'owner.brackenridge@example.org',
};

let page: Page;
let relay: ChildProcess | undefined;
let relayOut = '';
let port = '';
let cert = '';
let dir = '';

test.beforeAll(async ({ browser }) => {
  test.skip(!relayBin, 'QUIETDESK_TEST_RELAY names the loopback relay (scripts/e2e.sh builds it)');
  dir = mkdtempSync(join(tmpdir(), 'quietdesk-relay-'));
  const certFile = join(dir, 'relay.pem');
  relay = spawn(relayBin, ['--cert-out', certFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  relay.stdout?.on('data', (b: Buffer) => (relayOut += b.toString()));
  await expect.poll(() => relayOut, { timeout: 30_000 }).toMatch(/^port \d+/);
  port = /^port (\d+)/.exec(relayOut)?.[1] ?? '';
  cert = readFileSync(certFile, 'utf8');
  page = await browser.newPage();
  await openDemoPractice(page);
});

test.afterAll(async () => {
  relay?.kill('SIGTERM');
  await page?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  writeFileSync(`${shotDir}/phi-markers-mail.txt`, Object.values(PHI).join('\n') + '\n');
});

test('the relay is set up, and the test message names what failed, then arrives', async () => {
  await page.goto('/#/settings/email');
  const form = page.getByRole('form', { name: 'Mail relay' });
  await expect(form).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('sender-status')).toContainText('No computer is chosen to send e-mail');
  await form.getByLabel('Relay host').fill('localhost');
  await form.getByLabel('Port').fill(port);
  await form.getByLabel('Security').selectOption('starttls');
  await form.getByLabel('User name').fill('practice');
  await form.getByLabel('Password').fill('not-the-password');
  await form.getByLabel('From').fill('Cedar Grove Counseling <office@cedargrove.example.com>');
  await form.getByLabel(/Relay certificate/).fill(cert);
  await form.getByLabel('Send to').fill(PHI.testRecipient);

  await form.getByRole('button', { name: 'Send a test message' }).click();
  await expect(page.getByTestId('test-result')).toContainText('The relay refused the user name or password (535 5.7.8');
  await page.getByTestId('test-result').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shotDir}/60-mail-auth-failed.png`, fullPage: true });

  await form.getByLabel('Password').fill(PHI.relayPassword);
  await form.getByRole('button', { name: 'Send a test message' }).click();
  await expect(page.getByTestId('test-result')).toContainText('The relay accepted the test message');
  await expect.poll(() => relayOut, { timeout: 30_000 }).toContain(`received ${PHI.testRecipient}`);
  await page.getByTestId('test-result').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shotDir}/61-mail-test-sent.png`, fullPage: true });

  await form.getByRole('button', { name: 'Save e-mail settings' }).click();
  await expect(page.getByText('E-mail settings saved.')).toBeVisible();
  // Saved, the password is not sent back; empty keeps it.
  await expect(form.getByLabel('Password')).toHaveValue('');
  await expect(page.getByText('A password is saved; leave empty to keep it.')).toBeVisible();
});

test('the reminder wording is edited with a live preview in both languages', async () => {
  await page.goto('/#/settings/reminders');
  const form = page.getByRole('form', { name: 'Reminders' });
  await expect(form).toBeVisible();
  const preview = page.getByTestId('reminder-preview');
  await expect(preview).toContainText('Hi Alex,');
  await form.getByLabel('Subject').fill(PHI.subject + ' {date}');
  await expect(preview).toContainText(PHI.subject);
  await form.getByLabel('Message').fill('Hi {firstName}, see you {date} at {time}. {place} Call {phone}. {clinician}');
  await expect(preview).toContainText('{clinician} is not a placeholder Quietdesk knows');
  await preview.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shotDir}/62-reminders-preview-problem.png`, fullPage: true });
  await form.getByLabel('Message').fill('Hi {firstName}, see you {date} at {time}.\n{place}\nCall {phone} any time.');
  await expect(preview).toContainText('Hi Alex, see you');
  await form.getByRole('button', { name: 'Spanish' }).click();
  await expect(preview).toContainText('Hola, Alex');
  await page.screenshot({ path: `${shotDir}/63-reminders-spanish.png`, fullPage: true });
  await form.getByRole('button', { name: 'Save reminders' }).click();
  await expect(page.getByText('Reminder settings saved.')).toBeVisible();
});

test('the outbox lists queued and sent reminders, without their text', async () => {
  await page.goto('/#/settings/outbox');
  const table = page.getByRole('table', { name: 'Outbox' });
  await expect(table).toBeVisible({ timeout: 30_000 });
  await expect(table.locator('tr[data-state="queued"]').first()).toBeVisible();
  await expect(table.locator('tr[data-state="sent"]').first()).toBeVisible();
  await expect(table).not.toContainText('Hi ');
  await page.screenshot({ path: `${shotDir}/64-outbox.png`, fullPage: true });
});

test('each person chooses their own staff e-mail: a bad address is named, a good one kept', async () => {
  await page.goto('/#/settings/mymail');
  const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'My e-mail' }) });
  const address = form.getByLabel('My e-mail address');
  await expect(address).toBeVisible({ timeout: 30_000 });
  await expect(form.getByLabel('E-mail me each alert that needs my action this week')).toBeChecked();
  await expect(form.getByLabel('E-mail me a summary every Monday morning')).toBeChecked(); // the owner's default
  await address.fill('owner at the practice');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText('Not an e-mail address, e.g. name@example.com.')).toBeVisible();
  await address.fill(PHI.ownerEmail);
  await form.getByLabel('E-mail me a summary every Monday morning').uncheck();
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Your e-mail choices are saved.')).toBeVisible();
  await page.screenshot({ path: `${shotDir}/65-my-email.png`, fullPage: true });
  // Read back from the backend, not from the form: another tab and back.
  await page.goto('/#/settings/password');
  await page.goto('/#/settings/mymail');
  await expect(address).toHaveValue(PHI.ownerEmail);
  await expect(form.getByLabel('E-mail me a summary every Monday morning')).not.toBeChecked();
});
