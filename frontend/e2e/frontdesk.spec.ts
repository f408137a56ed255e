import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_OWNER, openDayFrom, openDemoPractice, optionStartingWith, patientMatch, shownDate } from './demo';

// The front desk's day on the small demo practice (its own backend and
// fresh data folder, scripts/e2e.sh suite "frontdesk"): the patient record
// answering the phone, privacy at the counter, the booking dialog from the
// keyboard.
test.describe.configure({ mode: 'serial' });

const shotDir = process.env.E2E_ARTIFACTS ?? 'test-results';
// The backend is built with -tags e2e: the save dialog answers with this folder (scripts/e2e.sh).
const saveDir = process.env.QUIETDESK_E2E_SAVE_DIR ?? '';

let page: Page;
/** Patient names this suite saw on screen: scripts/e2e.sh checks none reaches the log or the files unsealed. */
const seen: string[] = [];

const shot = (name: string) => page.screenshot({ path: `${shotDir}/${name}.png` });
const dialog = () => page.getByRole('dialog');

async function logout() {
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByLabel('Username')).toBeVisible();
}

async function signIn(username: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
});

test.afterAll(async () => {
  await page.close();
  writeFileSync(`${shotDir}/phi-markers-frontdesk.txt`, seen.filter((w) => w.length > 3).join('\n') + '\n');
});

test('signing in lands on the calendar', async () => {
  await openDemoPractice(page);
  await logout();
  await signIn('demo.frontdesk');
  await expect(page).toHaveURL(/#\/calendar$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Calendar' })).toBeVisible();
});

let patientName = '';
let patientUrl = '';

test('the patient list shows names only once searched; search shows the next appointment', async () => {
  await page.getByRole('link', { name: 'Patients' }).click();
  await expect(page.getByText(/^\s*\d+ patients/)).toBeVisible();
  await expect(page.locator('main table')).toHaveCount(0); // no names face the waiting room
  await shot('frontdesk-patients-unsearched');

  await page.getByLabel('Search patients').fill('Ma');
  const rows = page.locator('main table tbody tr');
  // Wait for this search's answer, not rows left from an earlier one: the
  // top row's name holds what was typed.
  await expect(rows.first().getByRole('link')).toHaveText(/ma/i);
  await expect(page.getByRole('columnheader', { name: 'Next appointment' })).toBeVisible();
  // A patient with a next appointment: the demo books most of them weeks ahead.
  const booked = rows.filter({ has: page.locator('td:last-child', { hasText: /\d{1,2}:\d{2}/ }) }).first();
  await expect(booked).toBeVisible();
  const next = (await booked.locator('td:last-child').innerText()).trim();
  const link = booked.getByRole('link');
  const listed = (await link.innerText()).trim(); // "Last, First"
  const [last, first] = listed.split(',').map((w) => w.trim());
  patientName = `${first} ${last}`;
  seen.push(first, last);
  await shot('frontdesk-patients-search');
  await link.click();
  patientUrl = page.url();

  // The record answers the phone: the same next appointment, upcoming and past lists with status.
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(patientName) })).toBeVisible();
  await expect(page.getByTestId('next-appointment')).toContainText(next);
  const upcoming = page.getByRole('table', { name: 'Upcoming appointments' });
  await expect(upcoming.locator('tbody tr').first()).toBeVisible();
  await expect(upcoming.locator('tbody tr').first()).toContainText(/Scheduled|Confirmed|Cancelled/);
  const past = page.getByRole('table', { name: 'Past appointments' });
  await expect(past.or(page.getByText('No past appointments.'))).toBeVisible();
  await expect(page.getByText('Fees charged')).toBeVisible();
  await shot('frontdesk-patient-record');
});

test('Book on the record opens New appointment with the patient chosen', async () => {
  await page.getByRole('button', { name: 'Book appointment' }).click();
  await expect(page).toHaveURL(/#\/calendar$/);
  await expect(dialog().getByRole('heading', { name: 'New appointment' })).toBeVisible();
  await expect(dialog().getByRole('combobox', { name: /Patient/ })).toHaveValue(patientName);
  await shot('frontdesk-book-from-record');
  await dialog().getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(dialog()).toHaveCount(0);
});

test('a date of birth typed digit by digit is saved', async () => {
  await page.goto(patientUrl);
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const dob = page.getByLabel(/^Date of birth/);
  await expect(dob).toHaveAttribute('placeholder', 'MM/DD/YYYY');
  await dob.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Backspace');
  // An impossible day is said on the field, in words, before anything is sent.
  await page.keyboard.type('02302001');
  await expect(dob).toHaveValue('02/30/2001');
  await expect(page.getByText('There is no 30 February 2001.')).toBeVisible();
  for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace');
  await expect(dob).toHaveValue('02/30');
  // A person types the digits only: the separators come by themselves.
  for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type('3', { delay: 30 });
  await expect(dob).toHaveValue('03/');
  await page.keyboard.type('91987', { delay: 30 });
  await expect(dob).toHaveValue('03/09/1987');
  await expect(page.getByText('There is no 30 February 2001.')).toHaveCount(0);
  await shot('frontdesk-dob-typed');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(patientName) })).toBeVisible();
  await expect(page.getByText('Born Mar 9, 1987')).toBeVisible();
  // And it is what the edit form reads back.
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await expect(page.getByLabel(/^Date of birth/)).toHaveValue('03/09/1987');
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
});

test("logging out leaves nothing of the last person's screens", async () => {
  await page.goto(patientUrl);
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(patientName) })).toBeVisible();
  await logout();
  await signIn('demo.biller');
  // The biller starts on the calendar, not on the patient the front desk had open.
  await expect(page).toHaveURL(/#\/calendar$/);
  // (The calendar may show the patient's name on a session of today's: the record is what must be gone.)
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(patientName) })).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'Calendar' })).toBeVisible();
  await page.getByRole('link', { name: 'Patients' }).click();
  await expect(page.getByLabel('Search patients')).toHaveValue('');
  await expect(page.locator('main table')).toHaveCount(0);
  await logout();
  await signIn('demo.frontdesk');
});

/** A day the demo practice is open, some days ahead, "YYYY-MM-DD" (its schedule is full then). */
function weekdayAhead(days: number): string {
  return openDayFrom(new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10));
}

async function goToDate(date: string) {
  const input = page.getByLabel('Go to date');
  await input.fill(date);
  await input.blur(); // keyboard shortcuts wait until focus leaves the field
}

const BOOK_DAY = weekdayAhead(9);
let booked = '';

test('the booking dialog works from the keyboard and starts clean the next time', async () => {
  await page.getByRole('link', { name: 'Calendar' }).click();
  await goToDate(BOOK_DAY);
  await page.keyboard.press('d');
  await page.keyboard.press('n');
  const box = dialog().getByRole('combobox', { name: /Patient/ });
  await expect(box).toBeFocused(); // the first field, not ✕
  const book = dialog().getByRole('button', { name: 'Book', exact: true });
  await expect(book).toBeDisabled();
  await expect(dialog().getByText('Still needed: a patient, a clinician.')).toBeVisible();
  // The practice's default type (the demo's: individual therapy), not the first alphabetically.
  await expect(dialog().getByLabel('Type').locator('option:checked')).toHaveText('Individual therapy 53 min');

  await page.keyboard.type('Ke');
  await expect(patientMatch(dialog())).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(box).not.toHaveValue('Ke'); // the pick shows the whole name (a loaded machine renders it late)
  booked = await box.inputValue();
  seen.push(...booked.split(' '));
  // The form's order: patient, then when.
  await page.keyboard.press('Tab');
  await expect(dialog().getByLabel('Date')).toBeFocused();
  await dialog().getByLabel('Start time').fill('07:00'); // before working hours: free, a warning only
  const clinician = dialog().getByLabel('Clinician');
  await clinician.focus();
  await page.keyboard.press('ArrowDown'); // the first clinician, chosen by keyboard
  await expect(clinician).not.toHaveValue('');
  await expect(clinician).toBeFocused(); // focus stays where the person is
  await expect(dialog().getByText('Checking the calendar…')).toHaveCount(0);
  await expect(dialog().getByText(/Still needed/)).toHaveCount(0);
  await expect(book).toBeEnabled();
  await shot('frontdesk-booking-keyboard');
  await dialog().getByLabel('Minutes').focus();
  await page.keyboard.press('Enter'); // Enter books
  await expect(dialog()).toHaveCount(0);
  await expect(page.locator('.ec-event.appt').filter({ hasText: booked }).first()).toBeVisible();

  // The next New appointment starts empty: no name left over, nothing appended to.
  await page.keyboard.press('n');
  await expect(box).toBeFocused();
  await expect(box).toHaveValue('');
  await expect(dialog().getByText('Still needed: a patient, a clinician.')).toBeVisible();
  await page.keyboard.type('Zz');
  await expect(box).toHaveValue('Zz');
  await dialog().getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(dialog()).toHaveCount(0);
});

test('Enter opens a focused appointment, and it stays open', async () => {
  const block = page.locator('.ec-event.appt').filter({ hasText: booked }).first();
  await block.focus();
  await page.keyboard.press('Enter');
  await expect(dialog().getByText('Clinician')).toBeVisible();
  await page.waitForTimeout(500);
  await expect(dialog()).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(dialog()).toHaveCount(0);
});

test('a cancelled session frees its slot to clicks; a booking made in error is removed', async () => {
  const block = page.locator('.ec-event.appt').filter({ hasText: booked }).first();
  await block.click();
  await dialog().getByRole('button', { name: 'Cancel session' }).click();
  await dialog().getByLabel('The practice').check();
  await dialog().getByLabel('Reason').fill('Clinician unwell');
  await dialog().getByRole('button', { name: 'Cancel session' }).click();
  await expect(dialog().locator('.badge.status-cancelled')).toBeVisible();
  await page.waitForTimeout(1000); // a waitlist offer may follow; it is not this test's business
  const offers = dialog().getByRole('button', { name: 'Not now' });
  if (await offers.isVisible()) await offers.click();
  else await page.keyboard.press('Escape');
  await expect(dialog()).toHaveCount(0);
  await expect(block).toContainText('Cancelled');

  // A click on the struck-through block books the time under it.
  const box = await block.boundingBox();
  if (!box) throw new Error('no block');
  await page.mouse.click(box.x + box.width / 2, box.y + 2);
  await expect(dialog().getByRole('heading', { name: 'New appointment' })).toBeVisible();
  await expect(dialog().getByLabel('Start time')).toHaveValue(/^7:0\d AM$/); // the time clicked, inside the freed slot
  await page.keyboard.press('Escape');
  await expect(dialog()).toHaveCount(0);

  // Its status label still opens it; a booking made in error is removed, with a reason.
  await block.locator('.ev-status').click();
  await dialog().getByRole('button', { name: 'Remove booking' }).click();
  await dialog().getByRole('button', { name: 'Remove booking' }).click(); // no reason chosen
  await expect(dialog().getByText(/Say why the booking is removed/)).toBeVisible();
  await dialog().getByLabel('Booked twice').check();
  await shot('frontdesk-remove-booking');
  await dialog().getByRole('button', { name: 'Remove booking' }).click();
  await expect(dialog()).toHaveCount(0);
  await expect(page.locator('.ec-event.appt').filter({ hasText: booked })).toHaveCount(0);
});

test("a clinician sees a colleague's booked time as busy, with no names", async () => {
  await logout();
  await signIn('omar.clark');
  await goToDate(BOOK_DAY);
  await page.keyboard.press('c');
  await expect(page.locator('.ec-event.appt').first()).toBeVisible(); // their own week, in full
  const one = page.getByLabel('Clinician', { exact: true });
  const colleague = (await one.locator('option').allTextContents()).find((o) => !o.startsWith('Omar Clark'));
  if (!colleague) throw new Error('no colleague');
  await one.selectOption({ label: colleague });
  await expect(page.locator('.ec-event.busy').first()).toBeVisible();
  await expect(page.locator('.ec-event.appt')).toHaveCount(0);
  await expect(page.locator('.ec-event.busy').first()).toHaveText(/Busy/);
  await shot('frontdesk-clinician-colleague-busy');
  await page.locator('.ec-event.busy').first().click();
  await expect(dialog()).toHaveCount(0); // nothing to open
  await page.keyboard.press('d');
  await expect(page.locator('.ec-event.busy').first()).toBeVisible(); // colleagues' columns are not empty
  await shot('frontdesk-clinician-day');
  await logout();
  await signIn('demo.frontdesk');
});

test('the owner chooses the default type and the time zone from lists; clinicians see own records only by default', async () => {
  await logout();
  await signIn(DEMO_OWNER.username);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Appointment types' }).click();
  const choice = page.getByLabel('New appointments start with');
  await expect(choice.locator('option:checked')).toHaveText('Individual therapy 53 min');
  await choice.selectOption({ label: 'Individual therapy 45 min' });
  await page.getByRole('button', { name: 'Save default' }).click();
  await expect(page.getByText('Default appointment type saved.')).toBeVisible();
  await page.getByRole('link', { name: 'Calendar' }).click();
  await expect(page.locator('.ec-col-head').first()).toBeVisible(); // N is heard once the schedule is there
  await page.keyboard.press('n');
  await expect(dialog().getByLabel('Type').locator('option:checked')).toHaveText('Individual therapy 45 min');
  await expect(dialog().getByLabel('Minutes')).toHaveValue('45');
  await dialog().getByRole('button', { name: 'Cancel', exact: true }).click();

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Practice', exact: true }).click();
  const zone = page.getByLabel('Time zone');
  await expect(zone.locator('option:checked')).toHaveText('America/Los Angeles');
  await expect(page.getByLabel("Clinicians may open every patient's record")).not.toBeChecked();
  await shot('frontdesk-settings-practice');
});

test('the owner switches to 24-hour times: the calendar and the printed practice day follow', async () => {
  expect(saveDir, 'QUIETDESK_E2E_SAVE_DIR (scripts/e2e.sh sets it)').not.toBe('');
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Practice', exact: true }).click();
  const clock = page.getByLabel('Times of day');
  await expect(clock.locator('option:checked')).toHaveText('12-hour (9:00 AM)');
  await clock.selectOption({ label: '24-hour (09:00)' });
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Practice settings saved.')).toBeVisible();

  await page.getByRole('link', { name: 'Calendar' }).click();
  await goToDate(BOOK_DAY);
  await page.keyboard.press('d');
  await expect(page.locator('.ec-event.appt').first()).toBeVisible();
  await expect(page.locator('.ec-sidebar time[datetime$="T13:00:00"]').first()).toHaveText('13:00');
  await expect(page.locator('.ec-event.appt').first()).toContainText(/\b\d{2}:\d{2} – \d{2}:\d{2}\b/);
  await shot('frontdesk-24-hour-day');

  // The day view shows every clinician: Print day starts on the whole practice.
  await page.getByRole('button', { name: 'Export…' }).click();
  await expect(dialog().getByLabel('Clinician').locator('option:checked')).toHaveText(
    'Whole practice (print day only)',
  );
  await expect(dialog().getByRole('button', { name: 'Calendar feed (.ics)' })).toBeDisabled();
  await shot('frontdesk-print-practice-day');
  await dialog().getByRole('button', { name: 'Print day' }).click();
  await expect(page.getByText('Day schedule saved.')).toBeVisible();
  const text = execFileSync('pdftotext', ['-layout', join(saveDir, `quietdesk-day-${BOOK_DAY}.pdf`), '-'], {
    encoding: 'utf8',
  });
  const pages = text.split('\f').filter((p) => p.trim() !== '');
  expect(pages.length, 'a page (at least) for each clinician with sessions').toBeGreaterThan(1);
  expect(text).toContain('Omar Clark');
  expect(text).toMatch(/\b\d{2}:\d{2} – \d{2}:\d{2}\b/);
  expect(text).not.toMatch(/\d [AP]M\b/);
  for (const p of pages) expect(p).toContain('Confidential — contains patient information');
});

test('time off over booked sessions warns with the list, then leads to them on the calendar', async () => {
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Time off' }).click();
  await page.getByRole('button', { name: 'Add time off' }).click();
  const who = dialog().getByLabel('Who');
  const omar = await optionStartingWith(who, 'Omar Clark');
  await who.selectOption({ label: omar });
  await dialog().getByLabel('From date').fill(BOOK_DAY);
  await dialog().getByLabel('To date').fill(BOOK_DAY);
  await expect(dialog().getByText(/booked sessions? falls? in this time/)).toBeVisible();
  const listed = dialog().locator('.under li');
  await expect(listed.first()).toContainText('with Omar Clark');
  const n = await listed.count();
  await shot('frontdesk-time-off-warning');
  await dialog().getByRole('button', { name: 'Save anyway' }).click();
  await expect(dialog()).toHaveCount(0);
  const left = page.locator('main .under li');
  await expect(left).toHaveCount(n);
  await left.first().getByRole('button', { name: 'Show on calendar' }).click();
  await expect(page).toHaveURL(/#\/calendar$/);
  await expect(page.getByLabel('Go to date')).toHaveValue(shownDate(BOOK_DAY));
  await expect(page.locator('.ec-bg-event.time-off').first()).toBeVisible();
});

test('1280×720 shows a working day and keeps the dialog buttons in view; 1920×1080 too, light and dark', async () => {
  for (const [w, h] of [
    [1280, 720],
    [1920, 1080],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    await page.getByRole('link', { name: 'Calendar' }).click();
    await goToDate(BOOK_DAY);
    await page.keyboard.press('d');
    await expect(page.locator('.ec-event.appt').first()).toBeVisible();
    // 7:00 to 17:00 without scrolling: the working day at a glance.
    await expect(page.locator('.ec-sidebar time[datetime$="T07:00:00"]').first()).toBeInViewport();
    await expect(page.locator('.ec-sidebar time[datetime$="T17:00:00"]').first()).toBeInViewport();
    await shot(`frontdesk-${w}x${h}-day-light`);
    await page.keyboard.press('n');
    await dialog().getByLabel('Weekly').check();
    await expect(dialog().getByRole('button', { name: 'Book series' })).toBeInViewport();
    await shot(`frontdesk-${w}x${h}-series-light`);
    await dialog().getByRole('button', { name: 'Cancel', exact: true }).click();
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await shot(`frontdesk-${w}x${h}-day-dark`);
    await page.goto(patientUrl);
    await expect(page.getByRole('table', { name: 'Upcoming appointments' })).toBeVisible();
    await shot(`frontdesk-${w}x${h}-record-dark`);
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    await shot(`frontdesk-${w}x${h}-record-light`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
});
