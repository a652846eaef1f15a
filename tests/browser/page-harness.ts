/**
 * Opens the browser page of docs/browser.md in Debian's Chromium (playwright-core): builds it
 * into a temporary directory, serves it on 127.0.0.1, and records every request a page makes
 * (anything bound elsewhere is aborted) and every error it logs.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
} from 'playwright-core';
import { buildPage, type PageServer, servePage } from '../../examples/browser/build.js';
import { CHROMIUM_PATH } from '../support/chromium.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/** The built page, its server and a Chromium. */
export interface PageHarness {
  readonly server: PageServer;
  open(query?: string): Promise<OpenPage>;
  close(): Promise<void>;
}

/** One page in its own browser context, with what it requested and logged. */
export interface OpenPage {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly requests: string[];
  readonly errors: string[];
}

export async function startPageHarness(): Promise<PageHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'sc2fa-browser-'));
  let server: PageServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await buildPage(dir);
    server = await servePage(dir);
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      // Playwright already passes --no-sandbox (its chromiumSandbox option is off by default),
      // which running as root needs; containers often have a small /dev/shm.
      args: ['--disable-dev-shm-usage'],
    });
  } catch (error) {
    await close();
    throw error;
  }
  const started = { server, browser };
  return {
    server,
    close,
    async open(query = '') {
      const context = await started.browser.newContext({
        viewport: { width: 1000, height: 780 },
        locale: 'en-US',
      });
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      const origin = new URL(started.server.url).origin;
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      // Anything bound elsewhere is recorded above and never sent.
      await context.route(
        (url) => url.origin !== origin,
        (route) => route.abort('blockedbyclient'),
      );
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console: ${message.text()}`);
      });
      await page.goto(`${started.server.url}${query}`);
      // The page makes its CA and enrolls Alice's card with the browser's WebCrypto first.
      await page.waitForSelector('body[data-ready="true"]');
      return { page, context, requests, errors };
    },
  };
}

/** Waits until the page shows `route` and waits for the user (or is done). */
export async function screen(page: Page, route: string, status = 'input'): Promise<void> {
  await page.waitForSelector(`body[data-route="${route}"][data-status="${status}"]`);
}

/** Waits until the notice is the message `key`. */
export async function notice(page: Page, key: string): Promise<void> {
  await page.waitForSelector(`#notice[data-key="${key}"]:not([hidden])`);
}

/** The box labelled `label` on the screen shown (each screen has its own New PIN box). */
export function box(page: Page, label: string): Locator {
  return page.locator('form:not([hidden])').getByLabel(label, { exact: true });
}

/** Alice's address, and the PIN she chooses when the page makes her change the default one. */
export const ALICE = { address: 'alice@contoso.com', chosenPin: 'k7#Lm2pQ' } as const;

/** Signs in for the first time: the card's default PIN must be changed first. */
export async function signInWithForcedChange(page: Page): Promise<void> {
  await screen(page, 'sign-in');
  await box(page, 'Sign-in address').fill(ALICE.address);
  await page.getByRole('button', { name: 'Sign In' }).click();
  await screen(page, 'change-pin');
  await box(page, 'Current PIN').fill('12345678');
  await box(page, 'New PIN').fill(ALICE.chosenPin);
  await box(page, 'Confirm new PIN').fill(ALICE.chosenPin);
  await page.getByRole('button', { name: 'Change PIN' }).click();
  await screen(page, 'signed-in');
}

/** Saves a screenshot of the whole page to test-artifacts/<name>.png (git-ignored). */
export async function snapshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The requests that left 127.0.0.1 (data: URLs stay in the page). */
export function remoteRequests(open: OpenPage, origin: string): string[] {
  return open.requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'));
}
