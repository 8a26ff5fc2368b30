import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PRINT_SPY } from './villageUi';

export interface Client {
  context: BrowserContext;
  page: Page;
  errors: string[];
  deviceId(): Promise<string>;
}

/** One desktop client = one browser context (its own IndexedDB, localStorage, network switch). */
export async function openClient(browser: Browser, rendererUrl: string): Promise<Client> {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  await context.addInitScript(PRINT_SPY);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(rendererUrl);
  return {
    context,
    page,
    errors,
    deviceId: () =>
      page.evaluate(
        () =>
          (JSON.parse(localStorage.getItem('sibantong.device') ?? '{}') as { deviceId: string })
            .deviceId,
      ),
  };
}

export async function enrol(page: Page, hubUrl: string, code: string, name: string): Promise<void> {
  await page.waitForSelector('[data-testid=enrol-page]');
  await page.fill('#hubAddress', hubUrl);
  await page.fill('#code', code);
  await page.fill('#deviceName', name);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=login-page]', { timeout: 20_000 });
}

export async function login(page: Page, username: string, password: string): Promise<void> {
  await page.waitForSelector('[data-testid=login-page]');
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=current-user]', { timeout: 30_000 });
}

export async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForSelector('[data-testid=login-page]');
}

/** Opens a case from any list by its provisional number. */
export async function openCase(page: Page, provisionalNo: string, timeout = 20_000): Promise<void> {
  await page.click('[data-testid=nav-cases]');
  await page.locator(`[data-testid="open-${provisionalNo}"]`).first().click({ timeout });
  await page.waitForSelector('[data-testid=case-detail]');
}

/**
 * Waits for the open dialog to finish its opening animation (Ant Design's CSS motion), so that
 * clicks land where they aim and screenshots show it settled. Animations are read from the page
 * (Web Animations API) rather than waited out with a fixed pause.
 */
export async function dialogSettled(page: Page): Promise<void> {
  const modal = page.locator('.ant-modal:visible').last();
  await modal.waitFor();
  await modal.evaluate(async (el) => {
    // The motion classes are added on the next frames; collect the animations after them.
    for (let i = 0; i < 2; i += 1) await new Promise((r) => requestAnimationFrame(r));
    const root = el.closest('.ant-modal-root') ?? el;
    // Endless ones (a spinner) never finish: only the finite motions count.
    const finite = root
      .getAnimations({ subtree: true })
      .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity);
    await Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
    await Promise.all(
      Array.from(root.querySelectorAll('img')).map((img) => img.decode().catch(() => undefined)),
    );
  });
}

/** Clicks an action button on the case detail and confirms its form. */
export async function act(
  page: Page,
  action: string,
  fill?: (p: Page) => Promise<void>,
): Promise<void> {
  await page.click(`[data-testid=action-${action}]`);
  await dialogSettled(page);
  if (fill) await fill(page);
  await page.locator('.ant-modal:visible [data-testid=action-ok]').click();
  try {
    await page.locator('.ant-modal:visible').waitFor({ state: 'detached', timeout: 8_000 });
  } catch {
    const problems = await page
      .locator(
        '.ant-modal:visible .ant-form-item-explain-error, .ant-modal:visible [data-testid=form-error]',
      )
      .allTextContents();
    await page.screenshot({ path: `/tmp/sbt-e2e-${action}-failed.png` });
    throw new Error(`操作“${action}”的表单未能提交：${problems.join('；') || '（无提示）'}`);
  }
}

/** Closes an open select dropdown (multi-selects stay open after a pick) by clicking the dialog title. */
export async function closeDropdown(page: Page): Promise<void> {
  await page.locator('.ant-modal:visible .ant-modal-title').click();
  await page
    .locator('.ant-select-dropdown:visible')
    .waitFor({ state: 'hidden', timeout: 5_000 })
    .catch(() => undefined);
}
