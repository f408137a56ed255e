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
