// Chromium through playwright-core for the console's end-to-end test, plus
// small helpers for antd's widgets.
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Opens an antd Select (given its trigger) and clicks the option whose text contains `text`. */
export async function pick(page: Page, trigger: Locator, text: string | RegExp): Promise<void> {
  await trigger.click();
  const option = page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
    .filter({ hasText: text })
    .first();
  await option.waitFor({ state: 'visible' });
  await option.click();
}

/** The text of every [data-status] shown in the row of `rowKey`, recorded as the page renders them. */
export async function recordStatuses(page: Page, rowKey: string): Promise<void> {
  // A string, not a function: the test runner's transpiler would wrap a function's inner names in helpers the page lacks.
  await page.evaluate(`(() => {
    const key = ${JSON.stringify(rowKey)};
    window.__seen = window.__seen || {};
    const seen = (window.__seen[key] = []);
    const look = () => {
      for (const el of document.querySelectorAll('tr[data-row-key="' + key + '"] [data-status]')) {
        const s = el.getAttribute('data-status');
        if (seen[seen.length - 1] !== s) seen.push(s);
      }
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
    look();
  })()`);
}

export function statusesSeen(page: Page, rowKey: string): Promise<string[]> {
  return page.evaluate(`(window.__seen && window.__seen[${JSON.stringify(rowKey)}]) || []`) as Promise<string[]>;
}

/**
 * A fresh page whose page errors and console errors are pushed to `errors` (a test asserts it empty at the end).
 * HTTP refusals are part of the flows (the browser logs each as "Failed to load resource"); anything else is a bug.
 */
export async function openPage(
  browser: Browser,
  errors: string[],
  opts: { width?: number; height?: number; timeoutMs?: number } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1600, height: opts.height ?? 1000 },
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(opts.timeoutMs ?? 10_000);
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  return { context, page };
}
