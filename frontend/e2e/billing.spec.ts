import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_OWNER, DEMO_ZONE, openDemoPractice, callGo } from './demo';

// Billing on the small demo practice, as its biller: a batch of claims from
// last week's completed sessions; the Medicaid claim the scrubber stops
// (its authorization number was never entered) fixed by typing the number
// on the claim; the 837P file exported and read back (ISA, CLM, REF*G1 with
// the typed number, SE counts); a partial payment and a denial posted on
// claim lines; the A/R aging table read before and after; a superbill PDF
// read back field by field with pdftotext. The backend is built with -tags
// e2e: QUIETDESK_E2E_SAVE_DIR answers the save dialog (scripts/e2e.sh).
test.describe.configure({ mode: 'serial' });

const shotDir = process.env.E2E_ARTIFACTS ?? 'test-results';
const saveDir = process.env.QUIETDESK_E2E_SAVE_DIR ?? '';
const MEDICAID = 'Columbia Community Care (Medicaid)';
const PHI = { authNumber: 'PA-E2E-40417', note: 'Remit checked by Wrenfield' };

let page: Page;
// The app scrolls its main panel, not the page: shots are of the window, or of one element.
const shot = (name: string) => page.screenshot({ path: `${shotDir}/${name}.png` });

/** Calls a bound Go method as the window does (to find which claim to work on, never to act). */
const goCall = <T>(facade: string, method: string, ...args: unknown[]) => callGo<T>(page, facade, method, ...args);

interface Line {
  code: string;
  serviceOn: string;
  chargeCents: number;
  modifiers: string[];
  units: number;
}
interface ClaimView {
  claim: {
    id: string;
    number: string;
    patientId: string;
    status: string;
    content: { lines: Line[]; authNumber: string };
  };
  patientName: string;
  payerName: string;
  totalCents: number;
  findings: { field: string; severity: string; message: string }[];
  errors: number;
}

/** The claim the batch made whose only error is the missing authorization number. */
let claim: ClaimView;
let before: number[] = [];
let afterExport: number[] = [];

const detail = () => page.getByTestId('claim-detail');
const dollars = (cents: number) =>
  '$' + (cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The A/R aging table's row for a payer: the five buckets and the total, in dollars (zeros when absent); each cell reads "$1,234.50". */
async function agingRow(name: string): Promise<number[]> {
  const card = page.getByRole('region', { name: 'A/R aging by payer' });
  const details = card.locator('details');
  if ((await details.count()) === 0) return [0, 0, 0, 0, 0, 0];
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  const row = card.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
  if ((await row.count()) === 0) return [0, 0, 0, 0, 0, 0];
  const cells = await row.getByRole('cell').allTextContents();
  for (const c of cells.slice(1)) expect(c, 'an amount as staff read it').toMatch(/^-?\$\d{1,3}(,\d{3})*\.\d{2}$/);
  return cells.slice(1).map((c) => Number(c.replace(/[$,]/g, '')));
}

function cents(n: number): number {
  return Math.round(n * 100);
}

test.beforeAll(async ({ browser }) => {
  expect(saveDir, 'QUIETDESK_E2E_SAVE_DIR (scripts/e2e.sh sets it)').not.toBe('');
  // The Billing screen's "last week" is the office computer's: here, the practice's zone.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: DEMO_ZONE });
  page = await context.newPage();
});

test.afterAll(async () => {
  await page.context().close();
  writeFileSync(`${shotDir}/phi-markers-billing.txt`, Object.values(PHI).join('\n') + '\n');
});

test('the biller makes claims of last week’s sessions', async () => {
  // Making the demo and a batch of ~160 claims: minutes on a loaded 2-core machine.
  test.setTimeout(240_000);
  await openDemoPractice(page);
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('Username').fill('demo.biller');
  await page.getByLabel('Password', { exact: true }).fill(DEMO_OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.getByRole('link', { name: 'Billing' }).click();
  await expect(page.getByRole('heading', { name: 'Billing', level: 1 })).toBeVisible();
  await expect(page.getByTestId('ar-total')).toBeVisible();
  const create = page.getByTestId('create-batch');
  await expect(create).toBeEnabled();
  const waiting = Number((await create.textContent())!.match(/\((\d+)\)/)![1]);
  expect(waiting).toBeGreaterThan(0);
  before = await agingRow(MEDICAID);
  await page.getByRole('heading', { name: 'Sessions to bill' }).scrollIntoViewIfNeeded(); // the aging row scrolled away
  await shot('billing-unbilled');

  await create.click();
  await expect(detail()).toBeVisible({ timeout: 60_000 });
  // What is left is what the batch could not bill, each with its reason (self-pay
  // sessions are listed but never counted: they get a superbill).
  await expect(create).not.toHaveText(`Create claims (${waiting})`, { timeout: 30_000 });
  const leftOut = await page.getByText(/^Left out: /).count();
  await expect(create).toHaveText(`Create claims (${leftOut})`);
  await expect(page.getByRole('row').filter({ hasText: 'self-pay' }).first()).toBeVisible();

  // Which of the new drafts is the Medicaid claim lacking only its number.
  const drafts = await goCall<{ id: string; payerName: string }[]>('Billing', 'Claims', {
    status: ['draft'],
    payerId: '',
  });
  const views = await Promise.all(
    drafts.filter((d) => d.payerName === MEDICAID).map((d) => goCall<ClaimView>('Billing', 'Claim', d.id)),
  );
  const lacking = views.filter(
    (v) =>
      v.findings.filter((f) => f.severity === 'error').length === 1 && v.findings.some((f) => f.field === 'authNumber'),
  );
  expect(lacking, 'the demo leaves one Medicaid claim lacking only its authorization number').toHaveLength(1);
  claim = lacking[0];
});

test('the scrubber stops the Medicaid claim until its authorization number is typed', async () => {
  await page.getByTestId('claims').getByRole('button', { name: claim.claim.number, exact: true }).click();
  await expect(detail().getByRole('heading', { name: `Claim ${claim.claim.number}` })).toBeVisible();
  const errors = detail().getByTestId('finding-error');
  await expect(errors).toHaveCount(1);
  await expect(errors).toContainText(`${MEDICAID} requires an authorization number on the claim, and it is missing.`);
  await expect(errors).toContainText('Enter the authorization number on the claim');
  await expect(page.getByTestId('export-claim')).toBeDisabled();
  await detail().scrollIntoViewIfNeeded();
  await shot('billing-scrubber-error');

  await page.getByTestId('auth-number').fill(PHI.authNumber);
  await page.getByTestId('save-claim').click();
  await expect(detail().getByText('The scrubber found no error: this claim can be exported.')).toBeVisible();
  await expect(errors).toHaveCount(0);
  await expect(page.getByTestId('export-claim')).toBeEnabled();
  await expect(page.getByTestId('auth-number')).toHaveValue(PHI.authNumber);
});

test('the 837P file carries the claim and the typed authorization number', async () => {
  const file = join(saveDir, 'claims.837');
  await page.getByTestId('export-claim').click();
  await expect(detail().locator('.badge').first()).toHaveText('Exported', { timeout: 30_000 });
  await expect(page.getByTestId('claim-balance')).toContainText(`Payer owes ${dollars(claim.totalCents)}`);
  expect(existsSync(file)).toBe(true);
  const x12 = readFileSync(file, 'utf8');
  const isa = x12.slice(0, 106);
  expect(isa.startsWith('ISA*')).toBe(true);
  const term = isa[105];
  const segs = x12
    .split(term)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => s.split('*'));
  const ids = segs.map((s) => s[0]);
  expect(ids[0]).toBe('ISA');
  expect(ids[1]).toBe('GS');
  expect(ids.at(-1)).toBe('IEA');
  expect(ids.at(-2)).toBe('GE');
  // Control numbers: ISA13 = IEA02, GS06 = GE02, ST02 = SE02; SE01 counts ST to SE.
  expect(segs.at(-1)![2]).toBe(segs[0][13]);
  expect(segs.at(-2)![2]).toBe(segs[1][6]);
  const st = ids.indexOf('ST');
  const se = ids.indexOf('SE');
  expect(segs[st][1]).toBe('837');
  expect(segs[st][3]).toBe('005010X222A1');
  expect(segs[se][2]).toBe(segs[st][2]);
  expect(Number(segs[se][1])).toBe(se - st + 1);
  // One claim: its number, CLM02 the sum of the lines, the typed number in REF*G1.
  const clms = segs.filter((s) => s[0] === 'CLM');
  expect(clms).toHaveLength(1);
  expect(clms[0][1]).toBe(claim.claim.number);
  expect(cents(Number(clms[0][2]))).toBe(claim.totalCents);
  const sv1 = segs.filter((s) => s[0] === 'SV1');
  expect(sv1.map((s) => s[1].split(':')[1])).toEqual(claim.claim.content.lines.map((l) => l.code));
  expect(sv1.reduce((sum, s) => sum + cents(Number(s[2])), 0)).toBe(claim.totalCents);
  expect(segs.some((s) => s[0] === 'REF' && s[1] === 'G1' && s[2] === PHI.authNumber)).toBe(true);
  await detail().scrollIntoViewIfNeeded();
  await shot('billing-exported');
});

test('the A/R aging shows the exported charge', async () => {
  await expect.poll(async () => cents((await agingRow(MEDICAID))[5])).toBe(cents(before[5]) + claim.totalCents);
  afterExport = await agingRow(MEDICAID);
  // Last week's service is in the 0–30 days column.
  expect(cents(afterExport[0])).toBe(cents(before[0]) + claim.totalCents);
});

async function post(kind: string, line: number, amount: string, reason = '') {
  const rows = detail().locator('tbody').last().getByRole('row');
  const n = await rows.count();
  await page.getByTestId('entry-kind').selectOption(kind);
  await page.getByTestId('entry-line').fill(String(line));
  await page.getByTestId('entry-amount').fill(amount);
  if (reason) await page.getByTestId('entry-reason').fill(reason);
  await page.getByTestId('post-entry').click();
  await expect(rows).toHaveCount(n + 1);
  await expect(page.getByTestId('entry-amount')).toHaveValue('');
}

test('a partial payment and a denial on the claim’s lines', async () => {
  const lines = claim.claim.content.lines;
  const first = lines[0];
  const paid = Math.round(first.chargeCents * 0.6);
  const last = lines.length;
  // The payer pays 60% of line 1 …
  await post('payment', 1, (paid / 100).toFixed(2));
  await expect(detail().locator('.badge').first()).toHaveText('Partly paid');
  const ledger = detail().locator('tbody').last();
  await expect(ledger.getByRole('row').filter({ hasText: 'payment (insurance)' })).toContainText(dollars(paid));
  await expect(page.getByTestId('claim-balance')).toContainText(`Payer owes ${dollars(claim.totalCents - paid)}`);
  await expect(page.getByTestId('claim-balance')).toContainText(`paid ${dollars(paid)}`);
  // … and denies the rest of the last line (no authorization on file for that code: CO-197).
  const deniedCents = last === 1 ? first.chargeCents - paid : lines[last - 1].chargeCents;
  const deniedBefore = await page.getByTestId('billing-totals').textContent();
  await post('denial', last, (deniedCents / 100).toFixed(2), '197');
  const denial = ledger.getByRole('row').filter({ hasText: 'denial (insurance)' });
  await expect(denial).toContainText('CO-197');
  await expect(denial).toContainText(dollars(deniedCents));
  await expect(page.getByTestId('billing-totals')).not.toHaveText(deniedBefore!);
  await detail().scrollIntoViewIfNeeded();
  await shot('billing-posted');

  // The A/R aging: the payment leaves the 0–30 column; a denial moves no money.
  await expect.poll(async () => cents((await agingRow(MEDICAID))[5])).toBe(cents(afterExport[5]) - paid);
  const now = await agingRow(MEDICAID);
  expect(cents(now[0])).toBe(cents(afterExport[0]) - paid);
  const denials = page.getByRole('region', { name: 'Denials by reason and payer' });
  await denials.locator('summary').click();
  await expect(
    denials
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: MEDICAID, exact: true }) })
      .filter({
        has: page.getByRole('cell', { name: '197', exact: true }),
      }),
  ).toBeVisible();
  await page.getByRole('region', { name: 'A/R aging by payer' }).scrollIntoViewIfNeeded();
  await shot('billing-aging');
  // The chart itself (the card is taller than the window with its table open).
  await denials.locator('canvas').scrollIntoViewIfNeeded();
  await shot('billing-denials');
});

test('the superbill PDF reads back field by field', async () => {
  const setup = await goCall<{
    practice: { name: string; npi: string; taxId: string };
    clinicians: { id: string; npi: string; firstName: string; lastName: string }[];
  }>('Billing', 'Setup');
  const view = await goCall<ClaimView & { claim: { clinicianId: string } }>('Billing', 'Claim', claim.claim.id);
  const clinician = setup.clinicians.find((c) => c.id === view.claim.clinicianId)!;
  const old = new Set(readdirSync(saveDir));
  await detail().getByRole('button', { name: 'Superbill' }).click();
  let name = '';
  await expect
    .poll(() => {
      name = readdirSync(saveDir).find((f) => /^superbill-.*\.pdf$/.test(f) && !old.has(f)) ?? '';
      return name;
    })
    .not.toBe('');
  await expect(page.getByTestId('billing-problem')).toHaveCount(0);
  const [, from, to] = name.match(/^superbill-(\d{4}-\d\d-\d\d)-(\d{4}-\d\d-\d\d)\.pdf$/)!;
  const text = execFileSync('pdftotext', ['-layout', join(saveDir, name), '-'], { encoding: 'utf8' });
  // Its first page as a picture beside the screenshots, to look at.
  execFileSync('pdftoppm', ['-png', '-r', '80', '-singlefile', join(saveDir, name), `${shotDir}/billing-superbill`]);
  const us = (d: string) => `${d.slice(5, 7)}/${d.slice(8, 10)}/${d.slice(0, 4)}`;
  /** The value printed after "Label:" (the first such line). */
  const field = (label: string) => {
    const l = text.split('\n').find((x) => x.trimStart().startsWith(label + ':'));
    return l?.slice(l.indexOf(':') + 1).trim();
  };
  const [last, first] = claim.patientName.split(', ');
  expect(text).toContain('Superbill');
  expect(field('Practice')).toBe(setup.practice.name);
  expect(field('NPI')).toBe(setup.practice.npi);
  expect(field('Tax ID')).toBe(setup.practice.taxId);
  expect(field('Name')).toBe(`${first} ${last}`);
  expect(field('Period')).toBe(`${us(from)} to ${us(to)}`);
  // The claim's sessions, each on its own row: date, CPT, modifiers, rendering NPI, charge.
  const rows = text.split('\n').filter((l) => /^\s*\d\d\/\d\d\/\d{4}\s+\S+/.test(l));
  for (const l of claim.claim.content.lines) {
    const row = rows.find((r) => r.includes(us(l.serviceOn)) && r.split(/\s+/).includes(l.code));
    expect(row, `a row for ${l.code} on ${l.serviceOn}`).toBeDefined();
    const cols = row!.trim().split(/\s{2,}|\s(?=\$)/);
    expect(cols[0]).toBe(us(l.serviceOn));
    expect(cols[1]).toBe(l.code);
    expect(row).toContain(clinician.npi);
    expect(row).toContain(dollars(l.chargeCents));
    for (const m of l.modifiers) expect(row!.split(/\s+/)).toContain(m);
  }
  const total = rows.reduce((sum, r) => sum + cents(Number(r.match(/\$([\d,]+\.\d\d)/)![1].replace(/,/g, ''))), 0);
  expect(field('Total charges')).toBe(dollars(total));
  expect(text).toContain(`${clinician.firstName} ${clinician.lastName}`);
  expect(text).toContain(`NPI ${clinician.npi}`);
});
