/**
 * Opens an HTML report in Debian's headless Chromium (installed by scripts/test-deps.sh) through
 * playwright-core, optionally clicks a site's drill-down open, takes a screenshot and returns
 * what a reader sees: the summary rows, which site drill-downs are open, the rendered text, and
 * every request the page made that was not the file itself (a self-contained report makes none).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM = '/usr/bin/chromium';

export function chromiumSkipReason(): string | null {
  return existsSync(CHROMIUM) ? null : `browser test skipped: ${CHROMIUM} not installed (scripts/test-deps.sh installs it, as root)`;
}

export interface SeenReport {
  readonly summaryRows: number;
  readonly openSites: string[];
  readonly visibleText: string;
  readonly externalRequests: string[];
  readonly title: string;
}

export async function openReport(file: string, opts: { clickSummaryOf?: string; screenshot?: string } = {}): Promise<SeenReport> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(path.join(tmpdir(), 'k3play-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const url = pathToFileURL(file).href;
    const externalRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url() !== url) externalRequests.push(r.url());
    });
    await page.goto(url);
    if (opts.clickSummaryOf) await page.locator('details.site > summary', { has: page.locator(`b:text-is("${opts.clickSummaryOf}")`) }).click();
    if (opts.screenshot) {
      mkdirSync(path.dirname(opts.screenshot), { recursive: true });
      await page.screenshot({ path: opts.screenshot, fullPage: true });
    }
    return {
      summaryRows: await page.locator('#summary tbody tr').count(),
      openSites: await page.$$eval('details.site[open] > summary b', (els) => els.map((e) => e.textContent ?? '')),
      visibleText: await page.innerText('body'),
      externalRequests,
      title: await page.title(),
    };
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
