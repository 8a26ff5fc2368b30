/**
 * The citizen rates on their own window (issue 16): the clerk opens the rating screen, a
 * second browser window appears, the citizen picks a level (and, for a 差评, ticks reasons
 * and writes a few words) and submits. Returns the rating window for further checks.
 */
import type { Page } from 'playwright-core';

export interface CitizenChoice {
  /** The label on the big button: 非常满意 … 非常不满意. */
  level: '非常满意' | '满意' | '基本满意' | '不满意' | '非常不满意';
  reasons?: string[];
  text?: string;
}

export async function rateAsCitizen(clerk: Page, choice: CitizenChoice): Promise<Page> {
  const [ratingWindow] = await Promise.all([
    clerk.context().waitForEvent('page'),
    clerk.click('[data-testid=open-citizen-rating]'),
  ]);
  await ratingWindow.locator('[data-testid=rating-screen]').waitFor({ timeout: 20_000 });
  await ratingWindow.getByRole('button', { name: choice.level, exact: true }).click();
  for (const r of choice.reasons ?? [])
    await ratingWindow
      .locator('[data-testid=rating-reasons]')
      .getByText(r, { exact: true })
      .click();
  if (choice.text) await ratingWindow.locator('[data-testid=rating-text]').fill(choice.text);
  await ratingWindow.click('[data-testid=rating-submit]');
  await ratingWindow.locator('[data-testid=rating-thanks]').waitFor();
  return ratingWindow;
}
