import { writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_OWNER, openDemoPractice, callGo, patientMatch } from './demo';

// Authorizations on the small demo practice: an EAP patient with three
// sessions left is booked a weekly series of twelve; the dialog shows the
// count and says sessions 4–12 are outside; with the EAP set to refuse the
// booking needs a reason; a no-show counts when the EAP says so; the biller
// reaches "needs action this week" in two interactions. (The utilization
// report PDF is read back with pdftotext in internal/authorizations'
// TestUtilizationReport: the browser's save dialog is a native one.)
test.describe.configure({ mode: 'serial' });

const shotDir = process.env.E2E_ARTIFACTS ?? 'test-results';
const PHI = {
  first: 'Quillon',
  last: 'Marrowfield',
  overrideReason: 'EAP extension asked Thimbleby',
  caseNumber: 'CASE-77Q41',
};

let page: Page;
let patientId = '';
let payerId = '';
const shot = (name: string) => page.screenshot({ path: `${shotDir}/${name}.png` });
const dialog = () => page.getByRole('dialog');

/** Calls a bound Go method as the window does. */
const goCall = <T>(facade: string, method: string, ...args: unknown[]) => callGo<T>(page, facade, method, ...args);

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The next Monday at least a week ahead (no one books Mondays at 07:00 in the demo). */
function nextMonday(): string {
  let d = addDays(new Date().toISOString().slice(0, 10), 7);
  while (new Date(`${d}T12:00:00Z`).getUTCDay() !== 1) d = addDays(d, 1);
  return d;
}

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
});

test.afterAll(async () => {
  await page.close();
  writeFileSync(`${shotDir}/phi-markers-authorizations.txt`, Object.values(PHI).join('\n') + '\n');
});

test('an EAP patient with three sessions left', async () => {
  await openDemoPractice(page);
  const payers = await goCall<{ id: string; name: string; kind: string }[]>('Practice', 'Payers');
  payerId = payers.find((p) => p.name.startsWith('BrightPath'))!.id;
  const rec = await goCall<{ patient: { id: string } }>('Patients', 'Create', {
    identity: { firstName: PHI.first, lastName: PHI.last, dob: '1984-06-02' },
    active: true,
  });
  patientId = rec.patient.id;
  await goCall('Patients', 'SavePolicy', { patientId, payerId, rank: 'primary', memberId: 'BP-E2E-1' });
  await goCall('Authorizations', 'SavePayerRules', {
    payerId,
    enforcement: 'warn',
    countMissed: true,
    countUpcoming: true,
  });
  const today = new Date().toISOString().slice(0, 10);
  await goCall('Authorizations', 'Save', {
    patientId,
    payerId,
    kind: 'eap',
    status: 'authorized',
    unit: 'sessions',
    requested: 3,
    authorized: 3,
    // From two days back: the practice's date (Pacific) may be behind UTC's.
    start: addDays(today, -2),
    end: addDays(today, 180),
    warnRemaining: 1,
    warnDays: 14,
    eapCaseNumber: PHI.caseNumber,
    eapMemberId: 'EM-E2E-9',
    benefitYear: today.slice(0, 4),
  });
  await page.getByRole('link', { name: 'Patients' }).click();
  await page.goto(`/#/patients/${patientId}`);
  const auths = page.getByRole('region', { name: 'Authorizations' }).or(page.locator('section.auths'));
  await expect(auths.getByText('BrightPath Employee Assistance')).toBeVisible();
  await expect(auths.getByText(/0 used · 0 booked · 3 left of 3/)).toBeVisible();
  await shot('authorizations-patient');
});

/** Unfolds the conflicts past the first few (a series lists one per week). */
async function showAllConflicts() {
  const more = dialog().locator('summary').filter({ hasText: /more$/ });
  await expect(more).toBeVisible();
  await more.click();
}

async function openSeriesDialog(day: string) {
  await page.getByRole('link', { name: 'Calendar' }).click();
  await expect(page.locator('.ec-col-head').first()).toBeVisible();
  await page.keyboard.press('n');
  await expect(dialog()).toBeVisible();
  const box = dialog().getByRole('combobox', { name: /Patient/ });
  await box.fill(`${PHI.first} ${PHI.last}`);
  await expect(patientMatch(dialog())).toBeVisible();
  await page.keyboard.press('Enter');
  await dialog().getByLabel('Clinician').selectOption({ index: 1 });
  await dialog().getByLabel('Date').fill(day);
  await dialog().getByLabel('Start time').fill('07:00');
  await dialog().getByLabel('Weekly').check();
  await dialog().getByLabel('After').check();
  await dialog().getByLabel('Number of sessions').fill('12');
}

test('the booking dialog shows the count and warns that sessions 4–12 are outside', async () => {
  const day = nextMonday();
  await openSeriesDialog(day);
  await expect(dialog().getByTestId('authorization-line')).toHaveText(
    /BrightPath Employee Assistance: session 1 of 3, expires/,
  );
  await showAllConflicts();
  await expect(
    dialog().getByText(
      /Sessions 4–12 are outside the BrightPath Employee Assistance authorization: 3 sessions left of 3/,
    ),
  ).toBeVisible();
  await shot('authorizations-booking-warning');
  await dialog().getByRole('button', { name: 'Cancel' }).click();
});

test('with the EAP set to refuse, the series needs a reason', async () => {
  // The owner sets the EAP's rules on Settings → Payers.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Payers' }).click();
  await page.getByRole('button', { name: 'Authorization rules of BrightPath Employee Assistance' }).click();
  await expect(dialog().getByLabel('No-shows and late cancellations use up sessions')).toBeChecked();
  await dialog().getByLabel('When a booking goes past the authorized sessions or the end date').selectOption('hard');
  await shot('authorizations-payer-rules');
  await dialog().getByRole('button', { name: 'Save rules' }).click();
  await expect(page.getByText('Authorization rules saved.')).toBeVisible();
  const saved = await goCall<{ enforcement: string; countMissed: boolean }>('Authorizations', 'PayerRules', payerId);
  expect(saved).toMatchObject({ enforcement: 'hard', countMissed: true });
  await openSeriesDialog(nextMonday());
  await showAllConflicts();
  await expect(dialog().getByText(/Sessions 4–12 are outside/)).toBeVisible();
  const reason = dialog().getByLabel('Reason to book anyway');
  await expect(reason).toBeVisible();
  await expect(dialog().getByRole('button', { name: 'Book series' })).toBeDisabled();
  await reason.fill(PHI.overrideReason);
  await shot('authorizations-booking-hard');
  await dialog().getByRole('button', { name: 'Book series' }).click();
  await expect(dialog()).toHaveCount(0);
  const views = await goCall<{ usage: { scheduled: number; over: number } }[]>('Authorizations', 'List', patientId);
  expect(views[0].usage.scheduled).toBe(12);
  expect(views[0].usage.over).toBe(9);
});

test('a no-show counts when the EAP says so', async () => {
  const views = await goCall<{ usage: { sessions: { appointmentId: string }[] } }[]>(
    'Authorizations',
    'List',
    patientId,
  );
  const series = await goCall<{ appointment: { clinicianId: string; locationId: string; typeId: string } }>(
    'Calendar',
    'Appointment',
    views[0].usage.sessions[0].appointmentId,
  );
  // A session this morning (past the count: the reason is asked for), then marked a no-show.
  const start = new Date();
  start.setUTCHours(start.getUTCHours() - 2, 0, 0, 0);
  const booked = await goCall<{ appointments: { id: string }[] }>('Calendar', 'Book', {
    appointment: {
      patientId,
      clinicianId: series.appointment.clinicianId,
      typeId: series.appointment.typeId,
      locationId: series.appointment.locationId,
      start: start.toISOString(),
      end: new Date(start.getTime() + 50 * 60_000).toISOString(),
      overrideReason: PHI.overrideReason,
    },
  });
  await goCall('Calendar', 'SetStatus', {
    id: booked.appointments[0].id,
    change: { to: 'no_show', reason: 'No call' },
    scope: 'this',
  });
  let after = await goCall<{ usage: { noShows: number; used: number } }[]>('Authorizations', 'List', patientId);
  expect(after[0].usage.noShows).toBe(1);
  expect(after[0].usage.used).toBe(1);
  // An EAP that does not count missed sessions: the same no-show uses nothing.
  await goCall('Authorizations', 'SavePayerRules', {
    payerId,
    enforcement: 'hard',
    countMissed: false,
    countUpcoming: true,
  });
  after = await goCall<{ usage: { noShows: number; used: number } }[]>('Authorizations', 'List', patientId);
  expect(after[0].usage.noShows).toBe(0);
  expect(after[0].usage.used).toBe(0);
  await goCall('Authorizations', 'SavePayerRules', {
    payerId,
    enforcement: 'hard',
    countMissed: true,
    countUpcoming: true,
  });
});

test('the biller opens "needs action this week" in two interactions', async () => {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('Username').fill('demo.biller');
  await page.getByLabel('Password', { exact: true }).fill(DEMO_OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  let interactions = 0;
  await page.getByRole('link', { name: 'Authorizations' }).click();
  interactions++;
  await expect(page.getByRole('heading', { name: 'Authorizations' })).toBeVisible();
  await expect(page.getByRole('cell', { name: /Quillon M\./ })).toBeVisible();
  await expect(page.getByText("Sessions are booked past an authorization's limit").first()).toBeVisible();
  expect(interactions).toBeLessThanOrEqual(2);
  await shot('authorizations-needs-action');
  await page.getByRole('link', { name: 'Needs action' }).click();
  await expect(page.getByRole('heading', { name: 'Needs action' })).toBeVisible();
  await expect(page.getByText(/Quillon M\. — BrightPath Employee Assistance/)).toBeVisible();
  await shot('alerts-needs-action');
});

test("the biller keeps the EAP's letter with the authorization, sealed; a file that is not a PDF or image is refused", async () => {
  await page.goto(`/#/patients/${patientId}`);
  const auth = page.getByTestId('authorization').first();
  await auth.locator('summary', { hasText: 'Letters' }).click();
  const letters = auth.getByRole('group', { name: 'Letters' });
  await expect(letters.getByText('No letters attached.')).toBeVisible();
  const input = letters.getByLabel('Attach a file to letters (PDF, PNG or JPEG)');
  await input.setInputFiles({
    name: 'notes.docx',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('PK\x03\x04word'),
  });
  await expect(letters.getByRole('alert')).toHaveText(/Only PDF, PNG and JPEG files can be kept/);
  const pdf = Buffer.from('%PDF-1.4\n% BrightPath approves 3 sessions\n%%EOF\n');
  await input.setInputFiles({ name: 'brightpath-approval.pdf', mimeType: 'application/pdf', buffer: pdf });
  await expect(letters.getByText('brightpath-approval.pdf')).toBeVisible();
  await expect(letters.getByText(`PDF · ${pdf.length} bytes`)).toBeVisible();
  await expect(letters.getByRole('alert')).toHaveCount(0);
  await shot('authorizations-letter');
  // Kept in the practice's database, listed for whoever reads the authorization.
  const views = await goCall<{ authorization: { id: string } }[]>('Authorizations', 'List', patientId);
  const kept = await goCall<{ name: string; size: number; contentType: string }[]>(
    'Authorizations',
    'Letters',
    views[0].authorization.id,
  );
  expect(kept).toEqual([
    expect.objectContaining({ name: 'brightpath-approval.pdf', size: pdf.length, contentType: 'application/pdf' }),
  ]);
});
