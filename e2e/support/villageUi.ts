import type { Page } from 'playwright-core';

export interface ApplicantInput {
  matterQuery: string;
  name: string;
  idNumber: string;
  phone: string;
  deferMaterialId?: string;
  commitmentDate?: string;
}

/** Fills the 收件受理 form the way a helper would, keyboard first. */
export async function fillAcceptForm(page: Page, a: ApplicantInput): Promise<void> {
  await page.click('[data-testid=nav-accept]');
  await page.waitForSelector('[data-testid=accept-form]');
  const select = page.locator('[data-testid=matter-select]');
  await select.click();
  await page.keyboard.type(a.matterQuery);
  await page.waitForSelector('.ant-select-item-option');
  await page.keyboard.press('Enter');
  await page.fill('[data-testid=applicant-name]', a.name);
  await page.fill('[data-testid=applicant-id]', a.idNumber);
  await page.fill('[data-testid=applicant-phone]', a.phone);
  if (a.deferMaterialId) {
    await page
      .locator(`[data-testid=mat-state-${a.deferMaterialId}]`)
      .getByText('容缺后补')
      .click();
    await page.locator('[data-testid=commitment-date] input').click();
    await page.keyboard.type(a.commitmentDate ?? '');
    await page.keyboard.press('Enter');
    await page.click('[data-testid=commitment-signed]');
  }
}

/** Records what window.print() was asked to print (the `.print-area` text), instead of a dialog. */
export const PRINT_SPY = `
  window.__printed = [];
  window.print = () => { window.__printed.push(document.querySelector('.print-area')?.textContent ?? ''); };
`;

export async function printedTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __printed: string[] }).__printed);
}

/** Accepts a complete 高龄津贴 application (forwarded to the town) and returns its provisional number. */
export async function acceptSimpleCase(
  page: Page,
  name: string,
  idNumber = '11010519491231002X',
): Promise<string> {
  await fillAcceptForm(page, { matterQuery: '高龄津贴', name, idNumber, phone: '13912345678' });
  await page.click('[data-testid=submit-accept]');
  await page.waitForSelector('[data-testid=accept-done]');
  const no = (await page.locator('[data-testid=saved-no]').textContent()) ?? '';
  await page.click('[data-testid=accept-next]');
  return no;
}

/**
 * Picks a document from the case's 打印文书 menu. The menu opens on hover (antd's Dropdown);
 * right after a preview closes, the menu of the previous pick can still be fading out under
 * the pointer and this one close as the pointer leaves the button. A person moves the mouse
 * back over 打印文书; so does this, up to three times.
 */
export async function pickDocument(page: Page, id: string): Promise<void> {
  const item = page.locator(`[data-testid=doc-menu-${id}]`);
  for (let attempt = 1; ; attempt += 1) {
    await page.mouse.move(0, 0);
    await page.hover('[data-testid=detail-documents]');
    try {
      await item.click({ timeout: 5_000 });
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}
