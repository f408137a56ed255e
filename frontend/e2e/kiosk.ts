// What the intake and tablet suites both do on the patient's screens:
// draw a signature as a finger would, and check a screen is fit for a
// stressed patient (axe-core clean, every target at least 44×44 px).

import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

/** Draws a signature on a pad with the mouse, as a finger would. */
export async function drawSignature(page: Page, pad: Locator) {
  const box = await pad.boundingBox();
  if (!box) throw new Error('no signature pad');
  await page.mouse.move(box.x + 30, box.y + 90);
  await page.mouse.down();
  for (const [dx, dy] of [
    [80, 40],
    [140, 100],
    [220, 50],
    [300, 95],
  ])
    await page.mouse.move(box.x + dx, box.y + dy, { steps: 5 });
  await page.mouse.up();
}

/** axe-core on the page (or the part include selects): no serious or critical violation. */
export async function expectAxeClean(page: Page, name: string, include?: string) {
  const builder = new AxeBuilder({ page });
  const result = await (include ? builder.include(include) : builder).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    name,
  ).toEqual([]);
}

/** A patient's screen (the kiosk): axe-core clean, and every target at least 44×44 px. */
export async function checkKioskScreen(page: Page, name: string) {
  await expectAxeClean(page, name, '[data-testid="kiosk"]');
  const small = await page
    .getByTestId('kiosk')
    .locator('button, .option, input.big-input, textarea')
    .evaluateAll((els) =>
      els
        .map((el) => ({ el, r: el.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 0 && (r.width < 44 || r.height < 44))
        .map(({ el, r }) => `${el.tagName} "${el.textContent?.trim()}" ${Math.round(r.width)}×${Math.round(r.height)}`),
    );
  expect(small, `${name}: targets under 44×44 px`).toEqual([]);
}

/** The kiosk's words the suites press and look for, in each language (src/lib/screens/intake/kiosk.ts). */
export const WORDS_EN = {
  review: 'Check your answers, then send them.',
  next: 'Next',
  typedName: 'Your full name',
  submit: 'Send my answers',
};
export const WORDS_ES = {
  review: 'Revise sus respuestas y luego envíelas.',
  next: 'Siguiente',
  typedName: 'Su nombre completo',
  submit: 'Enviar mis respuestas',
};
export type KioskWords = typeof WORDS_EN;

/**
 * Answers what the kiosk's current screen asks: each choice the first option (PHQ-9 item 9 the
 * choice item9), each empty text a value of its kind (free text: text; a street: street), every
 * signer signed with a drawn signature, every typed name signer. Returns the screen's heading.
 */
export async function fillScreen(
  page: Page,
  words: KioskWords,
  a: { item9: number; signer: string; text: string; street: string },
): Promise<string> {
  const kiosk = page.getByTestId('kiosk');
  const title = (await kiosk.getByRole('heading', { level: 1 }).textContent()) ?? '';
  const groups = kiosk.locator('fieldset.question');
  for (let i = 0; i < (await groups.count()); i++) {
    const radios = groups.nth(i).getByRole('radio');
    if ((await radios.count()) === 0) continue;
    await radios.nth(title.includes('PHQ-9') && i === 8 ? a.item9 : 0).check();
  }
  for (const input of await kiosk.locator('input.big-input:not([type="date"]), textarea').all()) {
    if ((await input.inputValue()) !== '') continue;
    const id = (await input.getAttribute('id')) ?? '';
    if (/phone/i.test(id)) await input.fill('(503) 555-0123');
    else if (/zip|postal/i.test(id)) await input.fill('97201');
    else if (/state/i.test(id)) await input.fill('OR');
    else if (/email/i.test(id)) await input.fill('someone@example.org');
    else if (/street|address/i.test(id)) await input.fill(a.street);
    else await input.fill(a.text);
  }
  for (const pad of await kiosk.locator('canvas').all()) await drawSignature(page, pad);
  for (const typed of await kiosk.getByLabel(words.typedName).all())
    if ((await typed.inputValue()) === '') await typed.fill(a.signer);
  return title;
}
