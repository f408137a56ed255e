import { writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { Page } from './page';
import { Key, Session } from './webdriver';

// The booking and patient-form flows in WebKitGTK, the engine the Linux app
// ships with, on the small demo practice (scripts/e2e-webkit.sh: a real
// backend under `wails dev` on a fresh data folder, WebKitWebDriver driving
// MiniBrowser). Typing goes in as key presses, as a person's would: the
// dates are typed digit by digit, where a native date picker once
// swallowed the keys in WebKitGTK.

const BASE = process.env.E2E_BASE_URL ?? 'http://localhost:34115';
const DRIVER = process.env.E2E_WEBDRIVER_URL ?? 'http://localhost:28815';
const OUT = process.env.E2E_ARTIFACTS ?? 'test-results';

let s: Session;
let p: Page;
/** Patient names this suite saw: scripts/e2e-webkit.sh checks none reaches the log or the files unsealed. */
const seen: string[] = [];

const shot = (name: string) => s.screenshot(`${OUT}/webkit-${name}.png`);

beforeAll(async () => {
  s = await Session.start(DRIVER);
  p = new Page(s);
  await s.setWindowSize(1440, 900);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await shot(`failed-${ctx.task.name.replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await s?.end();
  writeFileSync(`${OUT}/phi-markers-webkit.txt`, seen.filter((w) => w.length > 3).join('\n') + '\n');
});

test('WebKitGTK opens the small demo practice from the Welcome screen', async () => {
  expect(s.capabilities.browserName).toBe('MiniBrowser');
  await s.go(`${BASE}/`);
  const agent = await p.eval<string>('navigator.userAgent');
  expect(agent).toContain('AppleWebKit');
  expect(agent).not.toMatch(/Chrome|Chromium/);

  const open = await p.button('Open the demo practice', 60_000);
  await shot('welcome');
  await s.click(open);
  // Creating the demo (a year of schedules) takes a while on a loaded machine.
  await p.find('the main navigation', `document.querySelector('nav[aria-label="Main"]')`, [], 120_000);
  await p.click(p.button('Dismiss'));
  expect(await p.eval<string>(`document.querySelector('header')?.innerText ?? ''`)).toContain('(Demo)');
});

let patientName = '';

test('a date of birth typed digit by digit: an impossible one is named, a real one is saved', async () => {
  await p.click(p.button('Patients'));
  await s.type(await p.field('Search patients'), 'Ma');
  // This search's answer, not rows left from another: the top name holds what was typed.
  const link = await p.find(
    'a patient named Ma…',
    `[...document.querySelectorAll('main table tbody tr a')].find((a) => /ma/i.test(words(a))) ?? null`,
  );
  const [last, first] = (await s.property<string>(link, 'innerText')).split(',').map((w) => w.trim());
  patientName = `${first} ${last}`;
  seen.push(first, last);
  await s.click(link);
  await p.withText('h1', patientName);
  await p.click(p.button('Edit'));
  await p.withText('h1', `Edit ${patientName}`);

  const dob = await p.field('Date of birth');
  // A text field the app masks, not WebKit's date control.
  expect(await s.property(dob, 'type')).toBe('text');
  expect(await s.property(dob, 'placeholder')).toBe('MM/DD/YYYY');
  const before = await p.value(dob);
  expect(before).toMatch(/^\d\d\/\d\d\/\d{4}$/);
  expect(before).not.toBe('03/09/1987'); // else saving it would prove nothing

  await s.click(dob);
  await s.selectAll(dob);
  await s.type(dob, Key.backspace);
  await expect.poll(() => p.value(dob)).toBe('');
  // The separators come by themselves; an impossible day is said on the field.
  await s.type(dob, '02302001');
  await expect.poll(() => p.value(dob)).toBe('02/30/2001');
  await expect.poll(() => p.shows('.field .error', 'There is no 30 February 2001.')).toBe(true);
  expect(await s.property(dob, 'ariaInvalid')).toBe('true');
  await shot('dob-impossible');

  await s.type(dob, Key.backspace.repeat(8));
  await expect.poll(() => p.value(dob)).toBe('');
  await s.type(dob, '03091987');
  await expect.poll(() => p.value(dob)).toBe('03/09/1987');
  await expect.poll(() => p.shows('.field .error', 'There is no 30 February')).toBe(false);
  await shot('dob-typed');

  await p.click(p.button('Save changes'));
  await p.withText('h1', patientName);
  await p.withText('main *', 'Born Mar 9, 1987');
  // And it is what the edit form reads back.
  await p.click(p.button('Edit'));
  await expect.poll(() => p.value(p.field('Date of birth'))).toBe('03/09/1987');
  await p.click(p.button('Cancel'));
  await p.withText('main *', 'Born Mar 9, 1987');
});

/** YYYY-MM-DD plus n days (calendar dates, no time zone involved). */
function addDays(iso: string, n: number): string {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

let today = '';
/** A weekday some days ahead of the practice's today, "YYYY-MM-DD": 7:00 there is free. */
let bookDay = '';

/** Opens New appointment with N, once the schedule (and its key handler) is on screen. */
async function newAppointment() {
  await p.find('the schedule', `document.querySelector('.ec-col-head')`);
  await s.press('n');
  await p.withText('dialog[open] h2', 'New appointment');
}

/** Types a date into the dialog's Date field as a person would: MM/DD/YYYY digits over what is there. */
async function typeDate(iso: string) {
  const date = await p.field('Date');
  const [y, m, d] = iso.split('-');
  await s.selectAll(date);
  await s.type(date, `${Key.backspace}${m}${d}${y}`);
  await expect.poll(() => p.value(date)).toBe(`${m}/${d}/${y}`);
}

/**
 * Types a start time as digits only, the way a person does: WebKitGTK's own
 * time control read "0700" as 00:00 without a word; the app's field reads
 * it as 7:00 AM and says so once the field is left.
 */
async function typeTime(digits: string, shown: string) {
  const time = await p.field('Start time');
  await s.click(time);
  await s.selectAll(time);
  await s.type(time, `${Key.backspace}${digits}`);
  await expect.poll(() => p.value(time)).toBe(digits);
  await s.press(Key.tab);
  await expect.poll(() => p.value(time)).toBe(shown);
}

/** Chooses a clinician by clicking the option, and returns its label. */
async function chooseClinician(index: number): Promise<string> {
  const option = await p.find(
    `clinician ${index}`,
    `[...byLabel('Clinician').options].filter((o) => o.value !== '')[args[0]] ?? null`,
    [index],
  );
  await s.click(option);
  await expect.poll(() => p.value(p.field('Clinician'))).not.toBe('');
  return s.property<string>(option, 'text');
}

/** Books what the dialog holds and waits for it to close. */
async function book() {
  await expect.poll(() => p.eval<boolean>(`!!button('Book') && !button('Book').disabled`)).toBe(true);
  // The live clash check has answered: its banner, when it comes, moves the button down, and a
  // click aimed a moment before lands beside it (seen once: the dialog stayed open).
  await expect
    .poll(() =>
      p.eval<boolean>(
        `!(document.querySelector('dialog[open] .conflicts')?.textContent ?? '').includes('Checking the calendar')`,
      ),
    )
    .toBe(true);
  await p.click(p.button('Book'));
  await expect.poll(() => p.dialogOpen()).toBe(false);
  await p.withText('.toast[role="status"]', 'Appointment booked.');
  // Dismissed, so that the next booking's message is its own.
  await p.click(
    p.find(
      'the ✕ of "Appointment booked."',
      `[...document.querySelectorAll('.toast')].find((t) => words(t).includes('Appointment booked.'))?.querySelector('button') ?? null`,
    ),
  );
  await expect.poll(() => p.shows('.toast', 'Appointment booked.')).toBe(false);
}

/** The booking is on the calendar at 7:00 and, opened, is this patient's with this clinician. */
async function expectBooked(patient: string, clinician: string, picture: string) {
  const event = await p.withText('.ec-event.appt', patient);
  expect(await s.property<string>(event, 'innerText')).toMatch(/^7:00\b/);
  await shot(picture);
  await s.click(event);
  await p.withText('dialog[open] dd', clinician);
  expect(await p.eval<string>(`words(top())`)).toContain(patient);
  await s.press(Key.escape);
  await expect.poll(() => p.dialogOpen()).toBe(false);
}

test('New appointment: a patient found by part of the name, a typed date and time, booked', async () => {
  await p.click(p.button('Calendar'));
  await p.find('the schedule', `document.querySelector('.ec-col-head')`);
  const [m, d, y] = (await p.value(p.field('Go to date'))).split('/'); // the field shows MM/DD/YYYY
  today = `${y}-${m}-${d}`;
  bookDay = addDays(today, 9);
  while ([0, 6].includes(new Date(`${bookDay}T12:00:00Z`).getUTCDay())) bookDay = addDays(bookDay, 1);
  await s.press('d');
  await newAppointment();

  const box = await p.field('Patient');
  expect(await p.focused(box)).toBe(true); // N puts the cursor where typing starts
  await p.withText('dialog[open] .missing', 'Still needed: a patient, a clinician.');
  const type = await p.eval<string>(`byLabel('Type').selectedOptions[0]?.text ?? ''`);
  expect(type).not.toBe('Choose…'); // the practice's default type is already chosen

  await s.type(box, 'Ke');
  // The first real match, not "Add new patient", which is there from the first key.
  const match = await p.find(
    'a patient matching Ke',
    `[...document.querySelectorAll('[role="listbox"][aria-label="Matching patients"] [role="option"]:not(.add)')].find(shown) ?? null`,
  );
  const matchName = await p.eval<string>(`arguments[0].querySelector('.name').innerText`, match);
  expect(matchName).toMatch(/ke/i);
  await s.click(match);
  await expect.poll(() => p.value(box)).toBe(matchName);
  seen.push(...matchName.split(' '));

  await typeDate(bookDay);
  await typeTime('0700', '7:00 AM'); // before working hours: free, a warning only
  const clinician = await chooseClinician(0);
  await expect.poll(() => p.shows('dialog[open] .missing', 'Still needed')).toBe(false);
  await shot('booking-filled');
  await book();

  // The calendar goes to the booked day one day at a time (] is the next day).
  for (let d = today; d < bookDay; d = addDays(d, 1)) await s.press(']');
  await expect
    .poll(() => p.value(p.field('Go to date')))
    .toBe(bookDay.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$2/$3/$1'));
  await expectBooked(matchName, clinician, 'booked');
});

test('a new caller is added from the patient picker and booked', async () => {
  const NEW = { first: 'Wrenna', last: 'Quillfeather' };
  seen.push(NEW.first, NEW.last);
  await newAppointment();
  const box = await p.field('Patient');
  await s.type(box, `${NEW.first} ${NEW.last}`);
  const add = await p.withText('[role="listbox"] [role="option"].add', `Add new patient “${NEW.first} ${NEW.last}”`);
  await p.withText('[role="listbox"] li', 'No patient matches.');
  await s.click(add);

  await expect.poll(() => p.value(p.field('First name'))).toBe(NEW.first);
  await expect.poll(() => p.value(p.field('Last name'))).toBe(NEW.last);
  const dob = await p.field('Date of birth');
  expect(await p.focused(dob)).toBe(true);
  await s.type(dob, '02301990');
  await expect.poll(() => p.value(dob)).toBe('02/30/1990');
  await expect.poll(() => p.shows('dialog[open] .field .error', 'There is no 30 February 1990.')).toBe(true);
  await s.type(dob, Key.backspace.repeat(8) + '02031990');
  await expect.poll(() => p.value(dob)).toBe('02/03/1990');
  const phone = await p.field('Phone');
  await s.type(phone, '5415550142');
  await expect.poll(() => p.value(phone)).toBe('5415550142');
  await shot('new-caller');
  await p.click(p.button('Add patient'));
  await expect.poll(() => p.value(p.field('Patient'))).toBe(`${NEW.first} ${NEW.last}`);

  // The dialog opened on the booked day; 7:00 with another clinician is free.
  await expect.poll(() => p.value(p.field('Date'))).toBe(bookDay.replace(/(\d+)-(\d+)-(\d+)/, '$2/$3/$1'));
  await typeTime('0700', '7:00 AM');
  const clinician = await chooseClinician(1);
  await book();
  await expectBooked(`${NEW.first} ${NEW.last}`, clinician, 'new-caller-booked');
});
