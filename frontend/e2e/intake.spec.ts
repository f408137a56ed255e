import { writeFileSync } from 'node:fs';
import { checkKioskScreen, drawSignature } from './kiosk';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { DEMO_OWNER, openDemoPractice } from './demo';

// Intake on one office computer, as a practice without a tablet does it:
// the front desk hands the computer to a returning patient, who answers
// the yearly update in Spanish (a new phone, an address, an emergency
// contact, PHQ-9 item 9 above 0) and signs; every tablet screen is scanned
// with axe-core and its targets measured. Staff then see the safety flag,
// acknowledge it, and take the record changes field by field: the phone
// accepted (search finds the patient by it), the address declined. Then a
// patient checks in with a code from today's list: a wrong date of birth is
// refused, the fifth wrong try locks the code (the right date is refused
// after it), and the front desk's new code starts the patient's packet.
test.describe.configure({ mode: 'serial' });

const shotDir = process.env.E2E_ARTIFACTS ?? 'test-results';
const OWN_QUESTION = { en: 'May we call them if we cannot reach you?', es: '¿Podemos llamarles si no le localizamos?' };
const PHI = { phone: '(503) 555-0177', street: '88 Quillon Avenue', emergency: 'Rosalind Featherby' };

let page: Page;
let patientName = '';

let context: BrowserContext;

test.beforeAll(async ({ browser }) => {
  // A context of its own: axe-core's scan needs one (not browser.newPage).
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
});

test.afterAll(async () => {
  await context.close();
  // Typed on the tablet and kept sealed: scripts/e2e.sh checks neither reaches the log or the database files.
  writeFileSync(`${shotDir}/phi-markers-intake.txt`, `${PHI.street}\n${PHI.emergency}\n`);
});

const shot = (name: string) => page.screenshot({ path: `${shotDir}/${name}.png` });
const kiosk = () => page.getByTestId('kiosk');

/** The tablet screen as shown: axe-core clean, every target at least 44×44 px. */
const checkTabletScreen = (name: string) => checkKioskScreen(page, name);

async function next() {
  await kiosk().getByRole('button', { name: 'Siguiente' }).click();
}

test('the owner adds a question to the emergency contact form: a new version', async () => {
  await openDemoPractice(page);
  await page.goto('/#/settings/forms');
  const row = page.getByRole('row', { name: /Emergency contact/ });
  await expect(row).toContainText("Quietdesk's text");
  await expect(page.getByRole('row', { name: /PHQ-9/ })).toContainText('Published wording, not editable');
  await row.getByRole('button', { name: 'Edit Emergency contact' }).click();
  await expect(page.getByRole('heading', { name: 'Emergency contact: version 2' })).toBeVisible();
  await page.getByRole('button', { name: 'Add a question' }).click();
  const q = page.getByRole('group', { name: 'Question 1' });
  await q.getByLabel('Answer', { exact: true }).selectOption('yesno');
  await q.getByLabel('An answer is required').check();
  await q.getByLabel('Question in English').fill(OWN_QUESTION.en);
  await page.getByRole('button', { name: 'Save as a new version' }).click();
  // Not worded in Spanish: named on its field, nothing saved.
  await expect(q.getByText('This field is required.')).toBeVisible();
  await q.getByLabel('Question in Spanish').fill(OWN_QUESTION.es);
  // Every other kind a practice question takes, as the tablet shows them.
  await page.getByRole('button', { name: 'Add a question' }).click();
  const times = page.getByRole('group', { name: 'Question 2' });
  await times.getByLabel('Answer', { exact: true }).selectOption('multi');
  await times.getByLabel('Question in English').fill('When can they be reached?');
  await times.getByLabel('Question in Spanish').fill('¿Cuándo se les puede localizar?');
  await times.getByLabel('Answers in English, one per line').fill('Mornings\nEvenings\nWeekends');
  await times.getByLabel('Answers in Spanish, one per line').fill('Mañanas\nTardes\nFines de semana');
  await page.getByRole('button', { name: 'Add a question' }).click();
  const since = page.getByRole('group', { name: 'Question 3' });
  await since.getByLabel('Answer', { exact: true }).selectOption('date');
  await since.getByLabel('Question in English').fill('Since when have they been your contact?');
  await since.getByLabel('Question in Spanish').fill('¿Desde cuándo es su contacto?');
  await page.getByRole('button', { name: 'Add a question' }).click();
  const notes = page.getByRole('group', { name: 'Question 4' });
  await notes.getByLabel('Answer', { exact: true }).selectOption('long');
  await notes.getByLabel('Question in English').fill('Anything we should know when we call them?');
  await notes.getByLabel('Question in Spanish').fill('¿Algo que debamos saber al llamarles?');
  await shot('intake-form-editor');
  await page.getByRole('button', { name: 'Save as a new version' }).click();
  await expect(page.getByText('Emergency contact: version 2 saved.')).toBeVisible();
  await expect(row.getByRole('cell').nth(1)).toHaveText('2');
  await expect(row).toContainText('Demo Owner');
});

test('the front desk hands the computer to a returning patient', async () => {
  await page.getByRole('link', { name: 'Intake', exact: true }).click();
  await page.getByLabel('Patient', { exact: true }).fill('Ke');
  await page.getByRole('button', { name: 'Find' }).click();
  const found = page.getByLabel('Patient found');
  await expect(found).toBeVisible();
  patientName = ((await found.locator('option:checked').textContent()) ?? '').replace(/ \(.*$/, '');
  expect(patientName.length).toBeGreaterThan(3);
  await page.getByLabel('Packet', { exact: true }).selectOption({ label: 'Returning patient, yearly update' });
  await page.getByRole('button', { name: 'Hand this computer to the patient' }).click();
  await expect(kiosk()).toBeVisible();
  await expect(kiosk().getByRole('heading', { level: 1 })).toContainText(patientName.split(' ')[0]);
  await checkTabletScreen('welcome');
  await shot('intake-tablet-welcome');
});

test('the patient answers in Spanish, flags PHQ-9 item 9 and signs', async () => {
  await kiosk().getByRole('button', { name: 'Español' }).click();
  await expect(kiosk().getByRole('heading', { name: 'Sobre usted' })).toBeVisible();
  await kiosk().getByLabel('Número de teléfono').fill(PHI.phone);
  await kiosk().getByLabel('Dirección').fill(PHI.street);
  await kiosk().getByLabel('Ciudad').fill('Portland');
  await kiosk().getByLabel('Estado').fill('or');
  await kiosk().getByLabel('Código postal').fill('97201');
  await checkTabletScreen('demographics');
  await shot('intake-tablet-demographics');
  await next();

  await expect(kiosk().getByRole('heading', { name: 'Seguro médico' })).toBeVisible();
  await next(); // a required question left out: named, not passed
  await expect(kiosk().getByText('Por favor conteste esta pregunta.')).toBeVisible();
  await kiosk().getByRole('radio', { name: 'No' }).check();
  await next();

  await expect(kiosk().getByRole('heading', { name: 'Contacto de emergencia' })).toBeVisible();
  await kiosk().getByLabel('Nombre').fill(PHI.emergency);
  await kiosk().getByLabel('Número de teléfono').fill('(503) 555-0142');
  // The practice's own question, as the owner wrote it in Spanish.
  await kiosk().getByRole('group', { name: OWN_QUESTION.es }).getByRole('radio', { name: 'Sí' }).check();
  const reach = kiosk().getByRole('group', { name: '¿Cuándo se les puede localizar?' });
  await reach.getByRole('checkbox', { name: 'Mañanas' }).check();
  await reach.getByRole('checkbox', { name: 'Fines de semana' }).check();
  const since = kiosk().getByLabel('¿Desde cuándo es su contacto?');
  await since.fill('06/30'); // half a date is not passed over as no answer
  await next();
  await expect(kiosk().getByText('Esta fecha no está completa.', { exact: false })).toBeVisible();
  await since.fill('2019-06-30');
  await kiosk().getByLabel('¿Algo que debamos saber al llamarles?').fill('Trabaja de noche.\nMejor después de las 10.');
  await checkTabletScreen('practice questions');
  await shot('intake-tablet-practice-questions');
  await next();

  // The privacy notice, signed with the finger (here the mouse).
  await expect(kiosk().getByRole('heading', { name: 'Aviso de prácticas de privacidad' })).toBeVisible();
  await drawSignature(page, kiosk().locator('canvas').first());
  await expect(kiosk().getByText('Firmado ✓')).toBeVisible();
  const typed = kiosk().getByLabel('Su nombre completo');
  if ((await typed.inputValue()) === '') await typed.fill(patientName);
  await checkTabletScreen('consent');
  await shot('intake-tablet-consent');
  await next();

  // PHQ-9: "Ningún día" everywhere but item 9, "Varios días" (1).
  await expect(kiosk().getByRole('heading', { level: 1 })).toContainText('PHQ-9');
  const groups = kiosk().locator('fieldset.question');
  const n = await groups.count();
  for (let i = 0; i < n; i++)
    await groups
      .nth(i)
      .getByRole('radio')
      .nth(i === 8 ? 1 : 0)
      .check();
  await checkTabletScreen('phq9');
  await next();
  await expect(kiosk().getByRole('heading', { level: 1 })).toContainText('GAD-7');
  const gad = kiosk().locator('fieldset.question');
  for (let i = 0; i < (await gad.count()); i++) await gad.nth(i).getByRole('radio').first().check();
  await next();

  await expect(kiosk().getByRole('heading', { name: 'Revise sus respuestas y luego envíelas.' })).toBeVisible();
  await checkTabletScreen('review');
  await kiosk().getByRole('button', { name: 'Enviar mis respuestas' }).click();
  await expect(kiosk().getByTestId('crisis-line')).toContainText('988', { timeout: 30_000 }); // the packet PDF is made on arrival
  await expect(kiosk()).not.toContainText(/PHQ|puntuaci|score/i); // a calm message, never a score
  await checkTabletScreen('someone will come');
  await shot('intake-tablet-someone-will-come');
  await kiosk().getByRole('button', { name: 'Listo' }).click();
});

test('staff acknowledge the flag and take the record changes field by field', async () => {
  // Leaving tablet mode locks the window: the staff password opens it.
  await page.getByLabel('Password', { exact: true }).fill(DEMO_OWNER.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Intake', level: 1 })).toBeVisible();

  const row = page
    .getByTestId('intake-list')
    .getByRole('row')
    .filter({ hasText: patientName.split(' ')[0] })
    .first();
  await expect(row).toContainText('Completed, needs review');
  await row.getByRole('button', { name: 'Review changes' }).click();
  const changes = page.getByTestId('record-changes');
  await expect(changes.getByRole('row')).toHaveCount(8); // a header and seven changes
  await expect(changes.getByRole('row', { name: /About you: Phone number/ })).toContainText(PHI.phone);
  await expect(changes.getByRole('row', { name: /About you: State/ })).toContainText('OR'); // as the record keeps it
  await expect(changes).toContainText('7 changes to the record to accept or decline.');
  await shot('intake-review-changes');

  await changes.getByRole('button', { name: 'Accept About you: Phone number' }).click();
  await expect(changes.getByRole('row', { name: /About you: Phone number/ })).toContainText('Accepted: now on file');
  for (const f of ['Street address', 'City', 'State', 'ZIP code'])
    await changes.getByRole('button', { name: `Decline About you: ${f}` }).click();
  await changes.getByRole('button', { name: 'Accept Emergency contact: Name' }).click();
  await changes.getByRole('button', { name: 'Accept Emergency contact: Phone number' }).click();
  await expect(changes).toContainText('The safety flag is not acknowledged yet.');

  await row.getByRole('button', { name: 'Open' }).click();
  const flag = page.getByTestId('safety-flag');
  await expect(flag).toBeVisible();
  await flag.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(flag).toContainText('Acknowledged');
  // The answers in words, beside the questions as the patient was shown them (version 2).
  const emergency = page.getByTestId('submission').locator('details', { hasText: 'Emergency contact, version 2' });
  await emergency.locator('summary').click();
  const asked = emergency.getByRole('term');
  const told = emergency.getByRole('definition');
  await expect(asked.nth(3)).toHaveText(OWN_QUESTION.en);
  await expect(told.nth(3)).toHaveText('Yes');
  await expect(told.nth(4)).toHaveText('Mornings; Weekends'); // the owner's words, not the stored values
  await expect(told.nth(5)).toHaveText('2019-06-30');
  await expect(told.nth(6)).toHaveText('Trabaja de noche.\nMejor después de las 10.');
  await emergency.scrollIntoViewIfNeeded();
  await shot('intake-submission-in-words');
  await expect(changes).toContainText('Reviewed.');
  await shot('intake-reviewed');

  // The accepted phone is on the record: search finds the patient by it.
  await page.getByRole('link', { name: 'Patients' }).click();
  await page.getByRole('searchbox').first().fill('5035550177');
  await expect(page.getByRole('main')).toContainText(patientName.split(' ')[1]);

  // The owner sees the patient's questionnaire scores over time on the record, the newest the
  // packet just sent, with its flag.
  await page
    .getByRole('main')
    .getByRole('link', { name: new RegExp(patientName.split(' ')[1]) })
    .first()
    .click();
  const scores = page.getByRole('region', { name: 'PHQ-9 and GAD-7 over time' });
  await expect(scores.locator('canvas')).toBeVisible();
  await expect(scores.getByRole('button', { name: 'Export CSV' })).toHaveCount(0); // a patient's data leaves only audited
  await scores.getByText(/^Table/).click();
  await expect(scores.getByRole('row').last()).toContainText('item 9 above 0');
  await scores.scrollIntoViewIfNeeded();
  await shot('intake-scores-trend');
});

test('a check-in code with a wrong date of birth is refused, and the fifth wrong try locks it', async () => {
  const REFUSED =
    'The code and date of birth do not match a check-in for today. Please check both, or ask at the front desk.';
  await page.getByRole('link', { name: 'Intake', exact: true }).click();
  const codes = page.getByTestId('checkin-codes');
  const first = codes.getByRole('row').nth(1);
  await expect(first).toBeVisible();
  const name = ((await first.getByRole('rowheader').textContent()) ?? '').trim();
  const code = ((await first.locator('.code').textContent()) ?? '').trim();
  expect(code).toMatch(/^\d{6}$/);
  await shot('intake-checkin-codes');

  // The patient's date of birth, as the front desk's search shows it.
  await page.getByLabel('Patient', { exact: true }).fill(name.split(' ').at(-1) ?? name);
  await page.getByRole('button', { name: 'Find' }).click();
  const option = page.getByLabel('Patient found').locator('option').filter({ hasText: name }).first();
  const dob = /\((\d{4}-\d{2}-\d{2})\)/.exec((await option.textContent()) ?? '')?.[1] ?? '';
  expect(dob).not.toBe('');
  const wrong = dob === '1950-01-01' ? '1951-01-01' : '1950-01-01';

  const row = codes.getByRole('row').filter({ hasText: name });
  await page.getByRole('button', { name: 'Let a patient check in with a code' }).click();
  const form = kiosk().getByTestId('checkin-form');
  await expect(form).toBeVisible();
  await checkTabletScreen('check-in code');
  await shot('intake-tablet-checkin-code');

  const codeInput = kiosk().getByLabel('Check-in code');
  const dobInput = kiosk().getByLabel('Date of birth');
  /** One try; a refusal clears the date of birth, which is how the test knows the answer came. */
  async function tryCode(c: string, d: string) {
    await codeInput.fill(c);
    await dobInput.fill(d);
    await kiosk()
      .getByRole('button', { name: /^Start/ })
      .click();
    await expect(dobInput).toHaveValue('');
    await expect(kiosk().getByTestId('checkin-refused')).toHaveText(REFUSED);
  }

  // Not shaped like a code: named, and not counted as a try.
  await codeInput.fill('12ab56');
  await dobInput.fill(dob);
  await kiosk()
    .getByRole('button', { name: /^Start/ })
    .click();
  await expect(kiosk().getByText('A check-in code has only digits.')).toBeVisible();

  await tryCode(code, wrong);
  await checkTabletScreen('check-in refused');
  await shot('intake-tablet-checkin-refused');
  for (let i = 2; i <= 5; i++) await tryCode(code, wrong);
  await tryCode(code, dob); // the code is locked now: the right date is refused too
  await expect(kiosk()).not.toContainText(name.split(' ')[0]);

  // Staff take the computer back with their password and see the code locked.
  await kiosk()
    .getByRole('button', { name: /^Staff only/ })
    .click();
  await page.getByLabel('Password', { exact: true }).fill(DEMO_OWNER.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Intake', level: 1 })).toBeVisible();
  await expect(row).toContainText('Locked');
  await shot('intake-checkin-code-locked');
  await row.getByRole('button', { name: `New code for ${name}` }).click();
  const fresh = row.locator('.code');
  await expect(fresh).toHaveText(/^\d{6}$/);
  const newCode = ((await fresh.textContent()) ?? '').trim();
  expect(newCode).not.toBe(code);
  await shot('intake-checkin-new-code');

  // The new code and the right date start the patient's packet.
  await page.getByRole('button', { name: 'Let a patient check in with a code' }).click();
  await codeInput.fill(newCode);
  await dobInput.fill(dob);
  await kiosk()
    .getByRole('button', { name: /^Start/ })
    .click();
  await expect(kiosk().getByRole('heading', { level: 1 })).toContainText(name.split(' ')[0]);
  await expect(kiosk().getByRole('button', { name: 'English' })).toBeVisible();
  await shot('intake-tablet-checked-in');
});
