import { writeFileSync } from 'node:fs';
import { checkKioskScreen, expectAxeClean, fillScreen, WORDS_EN, WORDS_ES, type KioskWords } from './kiosk';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { DEMO_OWNER, openDemoPractice } from './demo';

// A check-in tablet beside an office computer: two real backends, each on
// its own data folder (scripts/e2e.sh runs the tablet as `quietdesk
// --tablet`). The owner opens a pairing window on the office computer and
// the tablet pairs with its code; the front desk sends a patient to the
// tablet, whose idle screen picks the visit up; the patient answers the new
// adult packet in Spanish (PHQ-9 item 9 above 0), signs, and sends; the
// tablet says calmly that someone will come, and the office computer has
// the submission. With check-in on arrival turned on, a patient types the
// check-in code the front desk reads out and their date of birth, answers
// in English, and their appointment shows checked in at the office. Staff then leave the tablet's full-screen window with a
// login the office computer checks: a wrong password is refused, the right
// one closes it. scripts/e2e.sh then checks that the tablet's folder holds
// no practice and nothing the patient typed.
test.describe.configure({ mode: 'serial' });

const shotDir = process.env.E2E_ARTIFACTS ?? 'test-results';
const TABLET_URL = process.env.E2E_TABLET_URL ?? 'http://localhost:34116';
const OFFICE_SYNC = process.env.E2E_SYNC_ADDRESS ?? '127.0.0.1:28810';
// Typed on the tablet: sealed there, sealed at the office, never in a log.
const PHI = { text: 'Larkspur Quillfeather', street: '47 Wrenfield Terrace' };

let context: BrowserContext;
let office: Page;
let tablet: Page;
let patientName = '';

test.beforeAll(async ({ browser }) => {
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  office = await context.newPage();
  tablet = await context.newPage();
});

test.afterAll(async () => {
  await context.close();
  writeFileSync(`${shotDir}/phi-markers-tablet.txt`, `${PHI.text}\n${PHI.street}\n`);
});

const kiosk = () => tablet.getByTestId('kiosk');

/** A non-patient screen of the tablet window: axe-core clean. */
const scan = (name: string) => expectAxeClean(tablet, name);

/**
 * Answers every form on the tablet until the review, and sends: each
 * question answered (the first choice; PHQ-9 item 9 the choice item9),
 * every text filled, every signer signed with a drawn signature.
 */
async function answerEverything(words: KioskWords, item9: number, signer: string) {
  const review = kiosk().getByRole('heading', { name: words.review });
  for (let screen = 0; screen < 20 && !(await review.isVisible()); screen++) {
    const title = await fillScreen(tablet, words, { item9, signer, text: PHI.text, street: PHI.street });
    if (screen === 0) await checkKioskScreen(tablet, 'first form');
    await kiosk().getByRole('button', { name: words.next }).click();
    const problem = kiosk().locator('.k-error').first();
    if (await problem.isVisible()) throw new Error(`"${title}" was refused: ${await problem.textContent()}`);
  }
  await expect(review).toBeVisible();
  await kiosk().getByRole('button', { name: words.submit }).click();
}

test('the tablet pairs with the office computer by its code', async () => {
  await openDemoPractice(office);
  await office.goto('/#/settings/devices');
  await office.getByRole('button', { name: 'Pair a new computer' }).click();
  const codeEl = office.getByLabel(/^Pairing code /);
  await expect(codeEl).toBeVisible();
  const code = ((await codeEl.getAttribute('aria-label')) ?? '').replace('Pairing code ', '').replaceAll(' ', '-');

  await tablet.goto(TABLET_URL);
  await expect(tablet.getByRole('heading', { name: 'Pair this check-in tablet' })).toBeVisible({ timeout: 30_000 });
  await tablet.getByLabel("Office computer's address").fill(OFFICE_SYNC);
  await tablet.getByLabel('Pairing code').fill('AAAAA-BBBBB-CCCCC');
  await tablet.getByRole('button', { name: 'Pair' }).click();
  await expect(tablet.getByRole('alert')).toBeVisible(); // a wrong code is refused, the tablet stays unpaired
  await tablet.screenshot({ path: `${shotDir}/tablet-pairing-refused.png` });

  // Three wrong tries close a window: one wrong try leaves it open.
  await tablet.getByLabel('Pairing code').fill(code);
  await tablet.getByRole('button', { name: 'Pair' }).click();
  await expect(kiosk().getByTestId('checkin-form')).toBeVisible({ timeout: 30_000 });
  await scan('check-in screen');
  await tablet.screenshot({ path: `${shotDir}/tablet-checkin.png` });
});

test('the front desk sends a patient, who answers in Spanish on the tablet and sends', async () => {
  await office.getByRole('link', { name: 'Intake', exact: true }).click();
  await office.getByLabel('Patient', { exact: true }).fill('Ma');
  await office.getByRole('button', { name: 'Find' }).click();
  const found = office.getByLabel('Patient found');
  await expect(found).toBeVisible();
  patientName = ((await found.locator('option:checked').textContent()) ?? '').replace(/ \(.*$/, '');
  await office.getByLabel('Packet', { exact: true }).selectOption({ label: 'New adult patient' });
  await office.getByRole('button', { name: 'Send to tablet' }).click();
  await expect(office.getByRole('status').filter({ hasText: 'Sent to the check-in tablet.' })).toBeVisible();

  // The idle tablet asks every two seconds.
  await expect(kiosk().getByRole('heading', { level: 1 })).toContainText(patientName.split(' ')[0], {
    timeout: 15_000,
  });
  await kiosk().getByRole('button', { name: 'Español' }).click();

  // Every form until the review, item 9 of the PHQ-9 "Varios días" (1).
  await answerEverything(WORDS_ES, 1, patientName);
  await expect(kiosk().getByTestId('crisis-line')).toContainText('988', { timeout: 30_000 });
  await expect(kiosk()).not.toContainText(/PHQ|puntuaci|score/i);
  await checkKioskScreen(tablet, 'someone will come');
  await tablet.screenshot({ path: `${shotDir}/tablet-someone-will-come.png` });
  await kiosk().getByRole('button', { name: 'Listo' }).click();
  await expect(kiosk().getByTestId('checkin-form')).toBeVisible();

  // The office computer filed it: the front desk's list shows it.
  await office.getByRole('link', { name: 'Patients' }).click();
  await office.getByRole('link', { name: 'Intake', exact: true }).click();
  const row = office
    .getByTestId('intake-list')
    .getByRole('row')
    .filter({ hasText: patientName.split(' ')[0] })
    .first();
  await expect(row).toContainText('Completed, needs review');
  await office.screenshot({ path: `${shotDir}/tablet-office-received.png` });
});

test('a patient checks in on the tablet with their code, and the practice checks them in on arrival', async () => {
  // The owner asks for check-in on arrival.
  await office.getByRole('link', { name: 'Settings' }).click();
  await office.getByRole('link', { name: 'Practice', exact: true }).click();
  const onArrival = office.getByLabel('Check the patient in when their intake packet arrives');
  await expect(onArrival).not.toBeChecked();
  await onArrival.check();
  await office.getByRole('button', { name: 'Save settings' }).click();
  await expect(office.getByText('Practice settings saved.')).toBeVisible();

  // The front desk reads out today's first code; the patient knows their
  // date of birth (the test reads it where the front desk's search shows it).
  await office.getByRole('link', { name: 'Intake', exact: true }).click();
  const first = office.getByTestId('checkin-codes').getByRole('row').nth(1);
  await expect(first).toBeVisible();
  const name = ((await first.getByRole('rowheader').textContent()) ?? '').trim();
  const code = ((await first.locator('.code').textContent()) ?? '').trim();
  expect(code).toMatch(/^\d{6}$/);
  await office.getByLabel('Patient', { exact: true }).fill(name.split(' ').at(-1) ?? name);
  await office.getByRole('button', { name: 'Find' }).click();
  const option = office.getByLabel('Patient found').locator('option').filter({ hasText: name }).first();
  const dob = /\((\d{4}-\d{2}-\d{2})\)/.exec((await option.textContent()) ?? '')?.[1] ?? '';
  expect(dob).not.toBe('');

  await kiosk().getByLabel('Check-in code').fill(code);
  await kiosk().getByLabel('Date of birth').fill(dob);
  await kiosk()
    .getByRole('button', { name: /^Start/ })
    .click();
  await expect(kiosk().getByRole('heading', { level: 1 })).toContainText(name.split(' ')[0]);
  await kiosk().getByRole('button', { name: 'English' }).click();
  await answerEverything(WORDS_EN, 0, name);
  await expect(kiosk().getByRole('heading', { name: 'Thank you. Your answers are with our team.' })).toBeVisible({
    timeout: 30_000,
  });
  await expect(kiosk().getByTestId('crisis-line')).toHaveCount(0);
  await kiosk().getByRole('button', { name: 'Done' }).click();
  await expect(kiosk().getByTestId('checkin-form')).toBeVisible();

  // The office filed the packet and checked the appointment in: the code
  // is gone from today's list and the patient's record says checked in.
  await office.getByRole('link', { name: 'Patients' }).click();
  await office.getByRole('link', { name: 'Intake', exact: true }).click();
  await expect(office.getByTestId('checkin-codes').getByRole('row').nth(1)).toBeVisible();
  await expect(office.getByTestId('checkin-codes').getByRole('row').filter({ hasText: name })).toHaveCount(0);
  const [firstName, ...rest] = name.split(' ');
  await office.getByRole('link', { name: 'Patients' }).click();
  await office.getByLabel('Search patients').fill(rest.join(' '));
  await office
    .locator('main table tbody tr')
    .getByRole('link', { name: `${rest.join(' ')}, ${firstName}` })
    .first()
    .click();
  const upcoming = office.getByRole('table', { name: 'Upcoming appointments' });
  await expect(upcoming.getByRole('row').filter({ hasText: 'Checked in' })).toHaveCount(1);
  await office.screenshot({ path: `${shotDir}/tablet-checked-in-on-arrival.png` });
});

test('staff leave the tablet with a login the office computer checks', async () => {
  await kiosk()
    .getByRole('button', { name: /^Staff only/ })
    .click();
  await expect(tablet.getByRole('heading', { name: 'Staff only' })).toBeVisible();
  await tablet.getByLabel('Username').fill(DEMO_OWNER.username);
  await tablet.getByLabel('Password').fill('not the password');
  await tablet.getByRole('button', { name: 'Close the check-in screen' }).click();
  await expect(tablet.getByRole('alert')).toContainText('The username or password is not right.', { timeout: 30_000 });
  await scan('staff only');
  await tablet.screenshot({ path: `${shotDir}/tablet-staff-only.png` });

  await tablet.getByLabel('Password').fill(DEMO_OWNER.password);
  await tablet.getByRole('button', { name: 'Close the check-in screen' }).click();
  // The window closes: the tablet's program ends and nothing answers any more.
  await expect
    .poll(
      async () => {
        try {
          await fetch(`${TABLET_URL}/wails/ipc.js`);
          return 'answering';
        } catch {
          return 'closed';
        }
      },
      { timeout: 30_000 },
    )
    .toBe('closed');
});
