import { writeFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  DEMO_OWNER,
  isoDate,
  openDayFrom,
  openDemoPractice,
  optionStartingWith,
  practiceWall,
  patientMatch,
} from './demo';
import { expectAxeClean } from './kiosk';

// The calendar on the small demo practice (opened from the Welcome screen
// on a fresh data folder by scripts/e2e.sh), walked through in order as
// the front desk would. Effort is counted as clicks and key presses, not
// counting typed names or search text.
test.describe.configure({ mode: 'serial' });

const shotDir = process.env.E2E_ARTIFACTS ?? 'test-results';

// Text this suite types that is kept sealed (reasons, a prospective
// patient's name and phone); scripts/e2e.sh checks none of it reaches the
// backend log or the database files in plain text.
const PHI = {
  cancelReason: 'Flat tyre on Quillfeather Road',
  overrideReason: 'Agreed double session Zephyrine',
  waitlistName: 'Marigold Thistlewood',
  waitlistPhone: '541-555-0199',
  noShowNote: 'Voicemail left Brackenridge',
  newCallerFirst: 'Wrenna',
  newCallerLast: 'Halloway',
};

let page: Page;
const effort: Record<string, number> = {};
const TARGETS: Record<string, number> = {
  bookWeeklySeries: 8,
  newCallerFirstAppointment: 8,
  checkIn: 2,
  findPatient: 4,
  noShowWithFee: 3,
};

/** Counts the front desk's clicks and key presses for one task. */
class Effort {
  n = 0;
  async click(l: Locator): Promise<void> {
    this.n++;
    await l.click();
  }
  async press(key: string): Promise<void> {
    this.n++;
    await page.keyboard.press(key);
  }
}

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** A time rounded down to five minutes, `minutesAgo` before now. */
function pastSlot(minutesAgo: number): { date: string; time: string } {
  const t = new Date(Date.now() - minutesAgo * 60_000);
  t.setUTCMinutes(t.getUTCMinutes() - (t.getUTCMinutes() % 5), 0, 0);
  return practiceWall(t);
}

/**
 * A session that began startAgo and ended endAgo minutes ago, both on one day of the practice's:
 * shortly after the practice's midnight it is moved back to end before that midnight (the dialog
 * takes a session's actual times on its own day).
 */
function pastSession(
  startAgo: number,
  endAgo: number,
): { start: { date: string; time: string }; end: { time: string } } {
  let shift = 0;
  const end = pastSlot(endAgo);
  if (pastSlot(startAgo).date !== end.date) {
    const [h, m] = end.time.split(':').map(Number);
    shift = h * 60 + m + 10;
  }
  return { start: pastSlot(startAgo + shift), end: pastSlot(endAgo + shift) };
}

const shot = (name: string) => page.screenshot({ path: `${shotDir}/${name}.png` });
const dialog = () => page.getByRole('dialog');
const toast = () => page.getByRole('status').filter({ hasText: /./ }).last();

async function goToDate(date: string) {
  const input = page.getByLabel('Go to date');
  await input.fill(date);
  await input.blur(); // keyboard shortcuts wait until focus leaves the field
}

/** The column header of a clinician in a resource view. */
function column(name: string): Locator {
  return page.locator('.ec-col-head').filter({ hasText: name }).first();
}

/** Clicks empty time at hh:mm in a clinician's column of the day view. */
async function clickSlot(e: Effort, clinician: string, hour: number, minute: number) {
  const head = await column(clinician).boundingBox();
  const eight = await page.locator('.ec-sidebar time[datetime$="T08:00:00"]').first().boundingBox();
  const nine = await page.locator('.ec-sidebar time[datetime$="T09:00:00"]').first().boundingBox();
  if (!head || !eight || !nine) throw new Error('calendar grid not found');
  const hourPx = nine.y - eight.y;
  const y = eight.y + eight.height / 2 + ((hour - 8) * 60 + minute + 5) * (hourPx / 60);
  e.n++;
  await page.mouse.click(head.x + head.width / 2, y);
}

/** The appointment block of a patient in the shown view. */
function appointment(name: string): Locator {
  return page.locator('.ec-event.appt').filter({ hasText: name }).first();
}

/** The patient's appointment starting at hh:mm: the demo may already have them in that day. */
function appointmentAt(name: string, hhmm: string): Locator {
  const clock = `${Number(hhmm.slice(0, 2)) % 12 || 12}:${hhmm.slice(3)}`;
  return page
    .locator('.ec-event.appt')
    .filter({ hasText: name })
    .filter({ has: page.locator('.ev-time', { hasText: new RegExp(`^${clock}`) }) })
    .first();
}

/** Picks the first patient matching text in the booking dialog's search (Enter takes the top match). */
async function pickPatient(e: Effort, text: string): Promise<string> {
  const box = dialog().getByRole('combobox', { name: /Patient/ });
  await box.fill(text);
  await expect(patientMatch(dialog())).toBeVisible();
  await e.press('Enter');
  await expect(box).not.toHaveValue(text); // the pick shows the whole name (a loaded machine renders it late)
  const name = await box.inputValue();
  expect(name.length).toBeGreaterThan(1);
  return name;
}

/** Books a one-off from the New appointment dialog, overriding clashes when there are any. */
async function bookOneOff(opts: {
  patient: string;
  clinician: string;
  date: string;
  time: string;
  room?: boolean;
}): Promise<string> {
  const e = new Effort();
  await page.keyboard.press('n');
  await expect(dialog()).toBeVisible();
  const name = await pickPatient(e, opts.patient);
  await dialog().getByLabel('Clinician').selectOption({ label: opts.clinician });
  await dialog().getByLabel('Date').fill(opts.date);
  await dialog().getByLabel('Start time').fill(opts.time);
  if (opts.room) await dialog().getByLabel('Room').selectOption({ index: 1 });
  await expect(dialog().getByText('Checking the calendar…')).toHaveCount(0);
  const reason = dialog().getByLabel('Reason to book anyway');
  await page.waitForTimeout(700);
  if (await reason.isVisible()) await reason.fill(PHI.overrideReason);
  await dialog().getByRole('button', { name: 'Book', exact: true }).click();
  await expect(dialog()).toHaveCount(0);
  return name;
}

test.beforeAll(async ({ browser }) => {
  // A context of its own: axe-core's scan needs one (not browser.newPage).
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
});

test.afterAll(async () => {
  await page.context().close();
  writeFileSync(`${shotDir}/phi-markers-calendar.txt`, Object.values(PHI).join('\n') + '\n');
  writeFileSync(`${shotDir}/effort.json`, JSON.stringify({ measured: effort, targets: TARGETS }, null, 2) + '\n');
});

/** Logs out and back in as another demo account. */
async function loginAs(username: string) {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

test('open the demo practice and its calendar, as the front desk', async () => {
  await openDemoPractice(page);
  // The front desk's day is what is measured; the owner comes back for the owner-only settings.
  await loginAs('demo.frontdesk');
  await page.getByRole('link', { name: 'Calendar' }).click();
  await expect(page.locator('.ec-col-head').first()).toBeVisible();
  await expect(page.locator('.ec-event.appt').first()).toBeVisible();
});

test('views: day, week, rooms, one clinician, month, agenda', async () => {
  // A weekday with a full schedule, a few days ahead.
  const day = openDayFrom(addDays(practiceWall(new Date()).date, 2));
  await goToDate(day);
  await page.keyboard.press('d');
  await expect(page.locator('.ec-event.appt').first()).toBeVisible();
  await shot('calendar-day');
  const key = page.getByRole('button', { name: 'What the colours and marks mean' });
  await key.focus();
  await expect(page.getByRole('tooltip').filter({ hasText: 'Checked in: a white bar at the left' })).toBeVisible();
  await shot('calendar-legend');
  await key.blur();
  await page.keyboard.press('w');
  // The practice's week: a row per clinician, a column per day.
  const week = page.getByRole('grid', { name: "The practice's week" });
  await expect(week.getByRole('columnheader')).toHaveCount(8);
  await expect(week.locator('.appt').first()).toBeVisible();
  await shot('calendar-week');
  await expectAxeClean(page, 'the practice week', '.practice-week-wrap');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await shot('calendar-week-dark');
  await expectAxeClean(page, 'the practice week, dark', '.practice-week-wrap');
  // From the keyboard: one Tab stop for the whole week, and the arrow keys move between
  // appointments (right to the next day with one, down the day's list), not the dates shown.
  await expect(week.locator('.appt[tabindex="0"]')).toHaveCount(1);
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return { id: el?.dataset.appointment ?? '', day: el?.closest<HTMLElement>('.pw-cell')?.dataset.day ?? '' };
    });
  const monday = await week.getByRole('columnheader').nth(1).textContent();
  await week.locator('.appt').first().focus();
  const from = await focused();
  await page.keyboard.press('ArrowRight');
  const right = await focused();
  expect(right.id).not.toBe('');
  expect(right.day > from.day, `${right.day} after ${from.day}`).toBe(true);
  await page.keyboard.press('ArrowDown');
  const down = await focused();
  expect(down.id).not.toBe('');
  expect(down.id).not.toBe(right.id);
  expect(down.day).toBe(right.day);
  await expect(week.getByRole('columnheader').nth(1)).toHaveText(monday ?? '');
  await expect(week.locator('.appt[tabindex="0"]')).toHaveAttribute('data-appointment', down.id);
  await page.keyboard.press('Enter');
  await expect(dialog().getByText('Clinician')).toBeVisible();
  await shot('calendar-appointment-dark');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await page.keyboard.press('r');
  await expect(page.getByLabel('Location')).toBeVisible();
  await expect(page.locator('.ec-event.appt').first()).toBeVisible();
  await shot('calendar-rooms');
  await page.keyboard.press('c');
  await expect(page.locator('.ec-event.appt').first()).toBeVisible();
  await shot('calendar-clinician');
  await page.keyboard.press('m');
  await expect(page.getByRole('button', { name: /^\+\d+ more$/ }).first()).toBeVisible();
  await shot('calendar-month');
  await page.keyboard.press('a');
  await expect(page.locator('.ec-event').first()).toBeVisible();
  await shot('calendar-agenda');
  await page.keyboard.press('d');
});

let seriesPatient = '';
let seriesDay = '';
const SERIES_CLINICIAN = 'Omar Clark';

test('book a weekly open-ended series', async () => {
  const e = new Effort();
  await e.press(']'); // tomorrow
  seriesDay = isoDate(await page.getByLabel('Go to date').inputValue());
  // 7:00 is before working hours: free for a year ahead, with a soft warning only.
  await clickSlot(e, SERIES_CLINICIAN, 7, 0);
  await expect(dialog()).toBeVisible();
  await expect(dialog().getByLabel('Start time')).toHaveValue(/^7:\d\d AM$/);
  seriesPatient = await pickPatient(e, 'Ma');
  await e.click(dialog().getByLabel('Weekly'));
  await expect(dialog().getByText('Please note:')).toBeVisible(); // outside working hours: a warning
  await shot('calendar-booking-series');
  await e.click(dialog().getByRole('button', { name: 'Book series' }));
  await expect(dialog()).toHaveCount(0);
  await expect(toast()).toContainText('Booked a series');
  effort.bookWeeklySeries = e.n;
  await expect(appointment(seriesPatient)).toBeVisible();
});

test('a new caller is added and booked in one dialog', async () => {
  const e = new Effort();
  await e.press(']'); // the day after the series' day: 7:00 is free
  await clickSlot(e, SERIES_CLINICIAN, 7, 0);
  await expect(dialog()).toBeVisible();
  const box = dialog().getByRole('combobox', { name: /Patient/ });
  await box.fill(`${PHI.newCallerFirst} ${PHI.newCallerLast}`);
  const add = dialog().getByRole('option', { name: /Add new patient/ });
  await expect(add).toBeVisible();
  await expect(dialog().getByText('No patient matches.')).toBeVisible();
  await e.press('Enter'); // the only option: add new patient
  const quick = dialog().getByRole('group', { name: 'Add new patient' });
  await expect(quick.getByLabel('First name')).toHaveValue(PHI.newCallerFirst);
  await expect(quick.getByLabel('Last name')).toHaveValue(PHI.newCallerLast);
  await expect(quick.getByLabel('Date of birth')).toBeFocused();
  // Validated like the full form: an impossible date says so.
  await page.keyboard.type('02301990'); // MM/DD/YYYY, the separators come by themselves
  await page.keyboard.press('Enter'); // a mistake the test makes on purpose: not counted
  await expect(quick.getByText('There is no 30 February 1990.')).toBeVisible();
  await expect(dialog()).toBeVisible(); // Enter added (or refused) the patient; it did not book
  await quick.getByLabel('Date of birth').fill('1990-02-03');
  await quick.getByLabel('Phone').fill('(541) 555-0142');
  await shot('calendar-new-caller');
  await e.press('Enter');
  await expect(box).toHaveValue(`${PHI.newCallerFirst} ${PHI.newCallerLast}`);
  await expect(dialog().getByText('Checking the calendar…')).toHaveCount(0);
  await e.click(dialog().getByRole('button', { name: 'Book', exact: true }));
  await expect(dialog()).toHaveCount(0);
  await expect(appointment(PHI.newCallerFirst)).toBeVisible();
  effort.newCallerFirstAppointment = e.n;
  await page.keyboard.press('['); // back to the series' day
});

test('cancel one occurrence; the rest stay intact', async () => {
  await page.getByRole('link', { name: 'Waitlist' }).click();
  await page.getByRole('button', { name: 'Add to waitlist' }).click();
  await dialog().getByLabel('Someone new').check();
  await dialog().getByLabel('Name').fill(PHI.waitlistName);
  await dialog().getByLabel('Phone').fill(PHI.waitlistPhone);
  await dialog().getByLabel('Priority').selectOption({ label: 'Urgent' });
  await dialog().getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('row').filter({ hasText: PHI.waitlistName }).first()).toBeVisible();
  await page.getByRole('link', { name: 'Schedule' }).click();

  const twoWeeks = addDays(seriesDay, 14);
  await goToDate(twoWeeks);
  await appointment(seriesPatient).click();
  await expect(dialog().getByText('Every week, no end date')).toBeVisible();
  await dialog().getByRole('button', { name: 'Cancel session' }).click();
  await dialog().getByLabel('The practice').check();
  await dialog().getByLabel('Reason').fill(PHI.cancelReason);
  await expect(dialog().getByLabel('This session only')).toBeChecked();
  await dialog().getByRole('button', { name: 'Cancel session' }).click();

  // The freed slot is offered to the matching waitlist entry.
  await expect(dialog().getByRole('heading', { name: 'A slot opened up' })).toBeVisible();
  await expect(dialog().getByText(PHI.waitlistName)).toBeVisible();
  await shot('calendar-waitlist-offer');
  await dialog()
    .getByRole('listitem')
    .filter({ hasText: PHI.waitlistName })
    .getByRole('button', { name: 'Mark booked' })
    .click();
  await expect(dialog()).toHaveCount(0);

  await expect(appointment(seriesPatient)).toContainText('Cancelled');
  for (const d of [addDays(seriesDay, 7), addDays(seriesDay, 21)]) {
    await goToDate(d);
    await expect(appointment(seriesPatient)).toBeVisible();
    await expect(appointment(seriesPatient)).not.toContainText('Cancelled');
  }
});

test('a waitlist patient is offered a freed slot and booked into it', async () => {
  await page.getByRole('link', { name: 'Waitlist' }).click();
  await page.getByRole('button', { name: 'Add to waitlist' }).click();
  // The new caller booked above: self-pay, with no authorization and no
  // demo waitlist entry, so the offer and the booking below do not depend
  // on what the demo's insurance and authorizations say on the day CI runs.
  const picker = dialog().getByRole('combobox', { name: /Patient/ });
  await picker.fill(PHI.newCallerLast);
  await expect(patientMatch(dialog())).toBeVisible();
  await page.keyboard.press('Enter');
  const waiting = `${PHI.newCallerFirst} ${PHI.newCallerLast}`;
  await expect(picker).toHaveValue(waiting);
  await dialog().getByLabel('Priority').selectOption({ label: 'Urgent' });
  await dialog().getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('row').filter({ hasText: waiting }).first()).toBeVisible();
  await shot('calendar-waitlist');
  await page.getByRole('button', { name: 'Find clinicians' }).click();
  await expect(page.getByRole('list', { name: 'Matching clinicians' }).getByRole('listitem').first()).toBeVisible();
  await shot('calendar-match');
  await page.getByRole('link', { name: 'Schedule' }).click();

  await goToDate(addDays(seriesDay, 28));
  await appointment(seriesPatient).click();
  await dialog().getByRole('button', { name: 'Cancel session' }).click();
  await dialog().getByLabel('Reason').fill(PHI.cancelReason);
  await dialog().getByRole('button', { name: 'Cancel session' }).click();
  const offer = dialog().getByRole('listitem').filter({ hasText: waiting });
  await offer.getByRole('button', { name: 'Offer this slot' }).click();

  await expect(dialog().getByRole('combobox', { name: /Patient/ })).toHaveValue(waiting);
  await expect(dialog().getByLabel('Start time')).toHaveValue('7:00 AM');
  await dialog().getByRole('button', { name: 'Book', exact: true }).click();
  await expect(dialog()).toHaveCount(0);
  await expect(appointment(waiting)).toBeVisible();
  await page.getByRole('link', { name: 'Waitlist' }).click();
  await expect(page.getByRole('heading', { name: 'Match a new patient' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: waiting })).toHaveCount(0);
  await page.getByRole('link', { name: 'Schedule' }).click();
});

let movedPatient = '';
const place = { location: '', room: '' };
const MOVE_CLINICIAN = 'Freya Popescu';

test('move an appointment by drag and by the Reschedule dialog', async () => {
  await goToDate(seriesDay);
  const e = new Effort();
  await clickSlot(e, MOVE_CLINICIAN, 7, 0);
  await expect(dialog()).toBeVisible();
  movedPatient = await pickPatient(e, 'Jo');
  // 25 minutes from 7:00: room to move within the free time before 8:00.
  await dialog().getByLabel('Minutes').fill('25');
  await dialog().getByLabel('Room').selectOption({ index: 1 });
  place.location = (await dialog().getByLabel('Location').locator('option:checked').textContent()) ?? '';
  place.room = (await dialog().getByLabel('Room').locator('option:checked').textContent()) ?? '';
  await dialog().getByRole('button', { name: 'Book', exact: true }).click();
  await expect(dialog()).toHaveCount(0);

  const block = appointment(movedPatient);
  await expect(block).toContainText('7:00');
  const box = await block.boundingBox();
  if (!box) throw new Error('no appointment block');
  const eight = await page.locator('.ec-sidebar time[datetime$="T08:00:00"]').first().boundingBox();
  const nine = await page.locator('.ec-sidebar time[datetime$="T09:00:00"]').first().boundingBox();
  const halfHour = ((nine?.y ?? 0) - (eight?.y ?? 0)) / 2;
  await page.mouse.move(box.x + box.width / 2, box.y + 8);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + 8 + halfHour / 2, { steps: 4 });
  await page.mouse.move(box.x + box.width / 2, box.y + 8 + halfHour, { steps: 4 });
  await page.mouse.up();
  await expect(toast()).toContainText('Appointment moved');
  await expect(appointment(movedPatient)).toContainText('7:30');

  await appointment(movedPatient).click();
  await dialog().getByRole('button', { name: 'Reschedule' }).click();
  await dialog().getByLabel('Start time').fill('07:10');
  await expect(dialog().getByRole('button', { name: 'Move' })).toBeEnabled();
  await dialog().getByRole('button', { name: 'Move' }).click();
  await expect(dialog()).toHaveCount(0);
  await expect(appointment(movedPatient)).toContainText('7:10');
});

test('a clinician double-booking and a room double-booking are named', async () => {
  // Same clinician, same time, another patient.
  await page.keyboard.press('n');
  await pickPatient(new Effort(), 'Li');
  await dialog()
    .getByLabel('Clinician')
    .selectOption({ label: await clinicianLabel(MOVE_CLINICIAN) });
  await dialog().getByLabel('Date').fill(seriesDay);
  await dialog().getByLabel('Start time').fill('07:10');
  // Half an hour, whatever the practice's default type lasts: 07:10–07:40 overlaps
  // the moved session and nothing else (Jun Ramírez's day starts at 08:00).
  await dialog().getByLabel('Minutes').fill('30');
  const firstName = movedPatient.split(' ')[0];
  await expect(dialog().getByRole('alert')).toContainText(firstName);
  await expect(dialog().getByRole('alert')).toContainText(/already/i);
  const book = dialog().getByRole('button', { name: 'Book', exact: true });
  await expect(book).toBeDisabled();
  await dialog().getByLabel('Reason to book anyway').fill(PHI.overrideReason);
  await expect(book).toBeEnabled();
  await shot('calendar-conflict-clinician');

  // Another clinician (free at that time) in the same room.
  await dialog()
    .getByLabel('Clinician')
    .selectOption({ label: await clinicianLabel('Jun Ramírez') });
  await dialog().getByLabel('Location').selectOption({ label: place.location });
  await dialog().getByLabel('Room').selectOption({ label: place.room });
  const alert = dialog().getByRole('alert');
  await expect(alert).toContainText(`${place.room} is already taken by Freya Popescu with ${firstName}`);
  await expect(alert).not.toContainText('Jun Ramírez already sees');
  await shot('calendar-conflict-room');
  await dialog().getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(dialog()).toHaveCount(0);
});

test('find first available fills the dialog with an opening', async () => {
  await page.keyboard.press('n');
  await pickPatient(new Effort(), 'Ro');
  await dialog().getByRole('button', { name: 'Find first available…' }).click();
  await dialog().getByRole('button', { name: 'Search openings' }).click();
  const first = dialog().getByRole('list', { name: 'Openings' }).getByRole('listitem').first();
  await expect(first).toBeVisible();
  await shot('calendar-first-available');
  await first.getByRole('button', { name: 'Use this time' }).click();
  await expect(dialog().getByRole('list', { name: 'Openings' })).toHaveCount(0);
  // An opening has no clash: only working-hours notes, if anything.
  await expect(dialog().getByText('Checking the calendar…')).toHaveCount(0);
  await expect(dialog().getByRole('button', { name: 'Book', exact: true })).toBeEnabled();
  await dialog().getByRole('button', { name: 'Cancel', exact: true }).click();
});

async function clinicianLabel(name: string): Promise<string> {
  const options = await page.locator('#cal-filter option').allTextContents();
  const found = options.find((o) => o.startsWith(name));
  if (!found) throw new Error(`no clinician ${name}`);
  return found;
}

test('check in, complete with actual times, record a no-show with its fee', async () => {
  const { start: started, end } = pastSession(90, 30);
  const checkInPatient = await bookOneOff({
    patient: 'Sa',
    clinician: await clinicianLabel('Seán Osei'),
    date: started.date,
    time: started.time,
  });
  await goToDate(started.date);

  const e = new Effort();
  await e.click(appointmentAt(checkInPatient, started.time));
  await e.click(dialog().getByRole('button', { name: 'Check in' }));
  await expect(dialog().getByText('Checked in')).toBeVisible();
  effort.checkIn = e.n;

  await dialog().getByRole('button', { name: 'Complete' }).click();
  await dialog().getByLabel('Actual start').fill(started.time);
  await dialog().getByLabel('Actual end').fill(end.time);
  await dialog().getByRole('button', { name: 'Complete session' }).click();
  await expect(dialog().getByText('Completed')).toBeVisible();
  const clock = (hhmm: string) => `${Number(hhmm.slice(0, 2)) % 12 || 12}:${hhmm.slice(3)}`;
  const actual = dialog().locator('dt:text-is("Actual") + dd');
  await expect(actual).toContainText(clock(started.time));
  await expect(actual).toContainText(clock(end.time));
  await page.keyboard.press('Escape');

  const missed = pastSlot(180);
  const noShowPatient = await bookOneOff({
    patient: 'Da',
    clinician: await clinicianLabel('Leila Anderson'),
    date: missed.date,
    time: missed.time,
  });
  await goToDate(missed.date);
  const n = new Effort();
  await n.click(appointmentAt(noShowPatient, missed.time));
  await n.click(dialog().getByRole('button', { name: 'No-show' }));
  await expect(dialog()).toContainText('$75.00');
  await n.click(dialog().getByRole('button', { name: 'Record no-show' }));
  await expect(page.getByText(/fee \$75\.00 recorded/)).toBeVisible();
  effort.noShowWithFee = n.n;
  await expect(dialog().getByText('No-show')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(appointmentAt(noShowPatient, missed.time)).toContainText('No-show');
});

test('find a patient', async () => {
  const e = new Effort();
  await e.press('/');
  await page.keyboard.type('Ma');
  const first = page.locator('main table a').first();
  await expect(first).toBeVisible();
  await e.click(first);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  effort.findPatient = e.n;
});

test('calendar settings: types, working hours, time off, cancellation policy', async () => {
  // The front desk keeps hours and time off; types and the policy are the owner's.
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('link', { name: 'Working hours' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Appointment types' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Cancellation policy' })).toHaveCount(0);
  await loginAs(DEMO_OWNER.username);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Appointment types' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Family therapy' })).toBeVisible();

  await page.getByRole('link', { name: 'Working hours' }).click();
  await page
    .getByLabel('Clinician')
    .selectOption({ label: await optionStartingWith(page.getByLabel('Clinician'), 'Freya Popescu') });
  await expect(page.getByLabel('From, block 1', { exact: true })).toHaveValue('8:00 AM');
  await shot('settings-working-hours');

  await page.getByRole('link', { name: 'Time off' }).click();
  await page.getByRole('button', { name: 'Add time off' }).click();
  await dialog()
    .getByLabel('Who')
    .selectOption({ label: await optionStartingWith(dialog().getByLabel('Who'), 'Jun Ramírez') });
  await dialog().getByLabel('What').selectOption('away');
  const day = addDays(seriesDay, 1);
  await dialog().getByLabel('From date').fill(day);
  await dialog().getByLabel('To date').fill(day);
  await dialog().getByRole('button', { name: 'Save' }).click();
  await expect(dialog()).toHaveCount(0);
  await expect(page.getByRole('row').filter({ hasText: 'Jun Ramírez' }).first()).toBeVisible();

  await page.getByRole('link', { name: 'Cancellation policy' }).click();
  await expect(page.getByLabel('No-show fee ($)')).toHaveValue('75.00');
  await page.getByLabel('Late-cancellation fee ($)').fill('fifty');
  await page.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByText('Enter an amount like 50 or 49.50.')).toBeVisible();
  await page.getByLabel('Late-cancellation fee ($)').fill('55');
  await page.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByText('Cancellation policy saved.')).toBeVisible();
  await shot('settings-policy');

  // The time off shows on the calendar as a block in that clinician's column.
  await page.getByRole('link', { name: 'Calendar' }).click();
  await goToDate(day);
  await expect(page.locator('.ec-bg-event.time-off').first()).toBeVisible();
});
