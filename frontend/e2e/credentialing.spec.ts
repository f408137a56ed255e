import { writeFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { DEMO_OWNER, openDemoPractice, callGo, optionStartingWith, practiceWall, patientMatch } from './demo';

// Credentialing on the small demo practice: the manager's dashboard, the
// booking guard on a session with the newly hired clinician (whose
// applications are all in process), recording an approval, the "hard"
// setting, and a clinician's own view. Bookings are checked and made
// through the bound Calendar methods the booking dialog calls.
test.describe.configure({ mode: 'serial' });

const shotDir = process.env.E2E_ARTIFACTS ?? 'test-results';

// What this suite types that is kept sealed; scripts/e2e.sh checks none of
// it reaches the backend log or the database files in plain text.
const PHI = {
  approvalNote: 'Approved by phone with Quillbrook relations',
  providerId: 'PRV-QX-77413',
  overrideReason: 'Patient accepts out of network Zephyrhall',
};

let page: Page;

interface Enrollment {
  clinicianId: string;
  payerId: string;
  status: string;
}
interface Overview {
  today: string;
  clinicians: { id: string; firstName: string; lastName: string }[];
  payers: { id: string; name: string }[];
  enrollments: Enrollment[];
  lapses: { clinicianId: string; payerId: string; sessions: number; costCents: number }[];
}
interface Conflict {
  kind: string;
  hard: boolean;
  message: string;
}
interface Slot {
  patientId: string;
  clinicianId: string;
  typeId: string;
  start: string;
  end: string;
}

// The bound Go methods, as the api layer calls them.
const bound = <T>(facade: string, method: string, ...args: unknown[]) => callGo<T>(page, facade, method, ...args);

let hire: { id: string; name: string };
let payer: { id: string; name: string };
let slot: Slot;

async function shot(name: string) {
  await page.screenshot({ path: `${shotDir}/${name}.png`, fullPage: true });
}

async function loginAs(username: string) {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

async function credentialConflicts(): Promise<Conflict[]> {
  const found = await bound<Conflict[] | null>('Calendar', 'CheckBooking', {
    appointment: { ...slot, telehealth: true },
  });
  return (found ?? []).filter((c) => c.kind === 'credential');
}

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
});

test.afterAll(async () => {
  await page.close();
  writeFileSync(`${shotDir}/phi-markers-credentialing.txt`, Object.values(PHI).join('\n') + '\n');
});

test('the manager opens the dashboard', async () => {
  await openDemoPractice(page);
  await page.getByRole('link', { name: 'Credentialing' }).click();
  await expect(page.getByRole('heading', { name: 'Credentialing', level: 1 })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Enrollments by clinician and payer' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Deadlines, next 120 days' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Lapse estimate' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Follow-ups due or overdue' })).toBeVisible();
  await shot('credentialing-dashboard');
  await page.getByRole('heading', { name: 'Follow-ups due or overdue' }).scrollIntoViewIfNeeded();
  await shot('credentialing-charts');

  // The newly hired clinician: every enrollment in process.
  const o = await bound<Overview>('Credentialing', 'Overview');
  const c = o.clinicians.find((x) => {
    const mine = o.enrollments.filter((e) => e.clinicianId === x.id);
    return mine.length === o.payers.length && mine.every((e) => e.status === 'in_process');
  });
  expect(c, 'a clinician with every application in process').toBeTruthy();
  hire = { id: c!.id, name: `${c!.firstName} ${c!.lastName}` };
  // A payer with sessions already booked with them: the lapse estimate counts them.
  const lapse = o.lapses.find((l) => l.clinicianId === hire.id && l.sessions > 0);
  expect(lapse, 'booked sessions of the new hire outside the network').toBeTruthy();
  payer = { id: lapse!.payerId, name: o.payers.find((y) => y.id === lapse!.payerId)!.name };
  await expect(page.getByTestId('lapse-total')).toBeVisible();
});

/** Opens New appointment on the calendar for the slot's patient, clinician and time, as the front desk would. */
async function openBookingDialog(): Promise<Locator> {
  const rec = await bound<{ patient: { identity: { firstName: string; lastName: string } } }>(
    'Patients',
    'Get',
    slot.patientId,
  );
  const wall = practiceWall(new Date(slot.start));
  await page.getByRole('link', { name: 'Calendar' }).click();
  await expect(page.locator('.ec-col-head').first()).toBeVisible();
  await page.keyboard.press('n');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  const name = `${rec.patient.identity.firstName} ${rec.patient.identity.lastName}`;
  const box = dialog.getByRole('combobox', { name: /Patient/ });
  await box.fill(name);
  await expect(patientMatch(dialog)).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('group', { name: 'Add new patient' })).toHaveCount(0);
  const clinician = dialog.getByLabel('Clinician');
  await clinician.selectOption({ label: await optionStartingWith(clinician, hire.name) });
  await dialog.getByLabel('Date').fill(wall.date);
  await dialog.getByLabel('Start time').fill(wall.time);
  await expect(dialog.getByText('Checking the calendar…')).toHaveCount(0);
  return dialog;
}

/** Cancels the booking dialog and goes back to Credentialing. */
async function closeBookingDialog(dialog: Locator) {
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await page.getByRole('link', { name: 'Credentialing' }).click();
  await expect(page.getByRole('button', { name: 'Rules and rates' })).toBeVisible();
}

test('a future booking outside the network shows a warning naming why', async () => {
  // A patient of the new hire's with this payer: one of their booked sessions.
  const from = new Date();
  const to = new Date(Date.now() + 60 * 86_400_000);
  const range = await bound<{ events: { patientId: string; typeId: string; start: string }[] | null }>(
    'Calendar',
    'Range',
    {
      from: from.toISOString(),
      to: to.toISOString(),
      clinicianIds: [hire.id],
      locationId: '',
      roomId: '',
    },
  );
  let found: Slot | undefined;
  for (const ev of range.events ?? []) {
    const rec = await bound<{ policies: { payerId: string; rank: string }[] | null }>('Patients', 'Get', ev.patientId);
    if ((rec.policies ?? []).some((p) => p.rank === 'primary' && p.payerId === payer.id)) {
      // The same patient on a Saturday morning three weeks on (the demo keeps Saturdays free).
      const start = new Date(Date.now() + 21 * 86_400_000);
      start.setUTCDate(start.getUTCDate() + ((6 - start.getUTCDay() + 7) % 7));
      start.setUTCHours(17, 0, 0, 0);
      found = {
        patientId: ev.patientId,
        clinicianId: hire.id,
        typeId: ev.typeId,
        start: start.toISOString(),
        end: new Date(start.getTime() + 53 * 60_000).toISOString(),
      };
      break;
    }
  }
  expect(found, "a patient of the new hire's insured by the payer").toBeTruthy();
  slot = found!;
  const warned = await credentialConflicts();
  expect(warned).toHaveLength(1);
  expect(warned[0].hard).toBe(false);
  expect(warned[0].message).toMatch(
    new RegExp(
      `^${hire.name} is not in network with ${payer.name.replace(/[()]/g, '\\$&')}( until .+)?; application in process\\.$`,
    ),
  );

  // The booking dialog says the same, as a note: no reason is asked for.
  const dialog = await openBookingDialog();
  await expect(dialog.getByText(`${hire.name} is not in network with ${payer.name}`)).toBeVisible();
  await expect(dialog.getByLabel('Reason to book anyway')).toHaveCount(0);
  await shot('credentialing-booking-warning');
  await closeBookingDialog(dialog);
});

test('with the practice setting "hard", booking needs an override reason, which is audited', async () => {
  await page.getByRole('button', { name: 'Rules and rates' }).click();
  await page.getByLabel('Booking outside the network needs an override reason').check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Credentialing rules saved.')).toBeVisible();

  const hard = await credentialConflicts();
  expect(hard).toHaveLength(1);
  expect(hard[0].hard).toBe(true);
  // In the dialog: the same clash, and Book waits for a reason.
  const dialog = await openBookingDialog();
  await expect(dialog.getByText(`${hire.name} is not in network with ${payer.name}`)).toBeVisible();
  await expect(dialog.getByLabel('Reason to book anyway')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Book', exact: true })).toBeDisabled();
  await shot('credentialing-booking-hard');
  await closeBookingDialog(dialog);
  const refused = await bound('Calendar', 'Book', { appointment: { ...slot, telehealth: true } }).then(
    () => null,
    (e: unknown) => String(e),
  );
  expect(refused).toContain('overrideReason');
  const booked = await bound<{ appointments: { id: string }[] }>('Calendar', 'Book', {
    appointment: { ...slot, telehealth: true, overrideReason: PHI.overrideReason },
  });
  const audit = await bound<{ action: string }[]>('Audit', 'Query', {
    from: '',
    to: '',
    accountId: '',
    action: 'appointment.override',
    recordId: booked.appointments[0].id,
    limit: 10,
  });
  expect(audit.map((a) => a.action)).toContain('appointment.override');

  // Back to warnings for the rest of the suite.
  await page.getByRole('button', { name: 'Rules and rates' }).click();
  await page.getByLabel('Booking outside the network needs an override reason').uncheck();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Credentialing rules saved.').first()).toBeVisible();
});

test('recording the approval changes the matrix, clears the warning and the lapse estimate', async () => {
  const before = await page.getByTestId('lapse-total').textContent();
  const cell = page.getByRole('button', { name: `${hire.name} with ${payer.name}: In process` });
  await cell.click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Status').selectOption('approved');
  const o = await bound<Overview>('Credentialing', 'Overview');
  await dialog.getByLabel('Effective date').fill(o.today);
  await dialog.getByLabel('Provider ID').fill(PHI.providerId);
  await dialog.getByLabel('Note for the history').fill(PHI.approvalNote);
  await shot('credentialing-enrollment-dialog');
  await dialog.getByRole('button', { name: 'Save enrollment' }).click();
  await expect(page.getByText('Enrollment saved.')).toBeVisible();

  await expect(page.getByRole('button', { name: `${hire.name} with ${payer.name}: Approved` })).toBeVisible();
  expect(await credentialConflicts()).toHaveLength(0);
  const after = page.getByTestId('lapse-total');
  if (await after.count()) await expect(after).not.toHaveText(before ?? '');
  await shot('credentialing-after-approval');

  // The history keeps the note, with who and when.
  await page.getByRole('button', { name: `${hire.name} with ${payer.name}: Approved` }).click();
  await expect(page.getByRole('dialog').getByText(PHI.approvalNote)).toBeVisible();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
});

test("the manager keeps a scan of the new hire's licence with it", async () => {
  const table = page.getByRole('table', { name: 'Credentials' });
  await table
    .getByRole('button', { name: new RegExp(`^Edit .*licence.* of ${hire.name}$`) })
    .first()
    .click();
  const dialog = page.getByRole('dialog');
  const scans = dialog.getByRole('group', { name: 'Scans' });
  await expect(scans.getByText('No scans attached.')).toBeVisible();
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('licence scan')]);
  await scans
    .getByLabel('Attach a file to scans (PDF, PNG or JPEG)')
    .setInputFiles({ name: 'licence.png', mimeType: 'image/png', buffer: png });
  await expect(scans.getByText('licence.png')).toBeVisible();
  await expect(scans.getByText(`PNG image · ${png.length} bytes`)).toBeVisible();
  await shot('credentialing-scan');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});

test('a clinician sees their own credentials and deadlines, not the others', async () => {
  const o = await bound<Overview>('Credentialing', 'Overview');
  const accounts = await bound<{ username: string; clinicianId: string }[]>('Staff', 'Accounts');
  const own = accounts.find((a) => a.clinicianId === hire.id)!;
  const others = o.clinicians.filter((c) => c.id !== hire.id).map((c) => `${c.firstName} ${c.lastName}`);
  await loginAs(own.username);
  await page.getByRole('link', { name: 'Credentialing' }).click();
  await expect(page.getByRole('heading', { name: 'My credentials', level: 1 })).toBeVisible();
  await expect(page.getByRole('table', { name: 'My deadlines' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Credentials' }).getByText('licence').first()).toBeVisible();
  await expect(page.getByRole('table', { name: 'Enrollments by clinician and payer' })).toHaveCount(0);
  const text = (await page.locator('main').textContent()) ?? '';
  for (const name of others) expect(text).not.toContain(name);
  const mine = await bound<Overview>('Credentialing', 'Overview');
  expect(mine.clinicians.map((c) => c.id)).toEqual([hire.id]);
  // Their licence's scan, to read, not to replace.
  await page
    .getByRole('table', { name: 'Credentials' })
    .getByRole('button', { name: /^Scans of .*licence/ })
    .first()
    .click();
  await expect(page.getByRole('dialog').getByRole('group', { name: 'Scans' }).getByText('licence.png')).toBeVisible();
  await expect(page.getByRole('dialog').getByText('Attach a file')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await shot('credentialing-clinician');
});
