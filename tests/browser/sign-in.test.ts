/**
 * The browser page of docs/browser.md in Debian's Chromium, driven by playwright-core: Alice
 * signs in with her virtual card, is made to change the default PIN (a mismatched confirmation
 * first), closes and restores the signed-in display and signs out. The page is served from
 * 127.0.0.1 and no request may go anywhere else. A screenshot of the signed-in page is saved to
 * test-artifacts/browser-sign-in.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPage, type PageServer, servePage } from '../../examples/browser/build.js';
import { CHROMIUM_PATH, hasChromium, NEEDS_CHROMIUM } from '../support/chromium.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/** Waits until the page shows `route` and waits for the user. */
async function screen(page: Page, route: string): Promise<void> {
  await page.waitForSelector(`body[data-route="${route}"][data-status="input"]`);
}

describe.skipIf(!hasChromium)(`the sign-in page in Chromium (${NEEDS_CHROMIUM})`, () => {
  let dir: string;
  let server: PageServer;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sc2fa-browser-'));
    await buildPage(dir);
    server = await servePage(dir);
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      // Playwright already passes --no-sandbox (its chromiumSandbox option is off by default),
      // which running as root needs; containers often have a small /dev/shm.
      args: ['--disable-dev-shm-usage'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('signs Alice in, with the forced PIN change, and out again', async () => {
    const context = await browser.newContext({ viewport: { width: 640, height: 720 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);

    const origin = new URL(server.url).origin;
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    // Anything bound elsewhere is recorded above and never sent.
    await context.route(
      (url) => url.origin !== origin,
      (route) => route.abort('blockedbyclient'),
    );
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });

    await page.goto(server.url);
    // The page makes its CA and enrolls Alice's card with the browser's WebCrypto first.
    await page.waitForSelector('body[data-ready="true"]');
    await screen(page, 'sign-in');
    await expect(page.locator('#prompt').textContent()).resolves.toMatch(/sign-in address/);

    await page.getByLabel('Sign-in address', { exact: true }).fill('alice@contoso.com');
    await page.getByRole('button', { name: 'Sign In' }).click();

    // The card still has the default PIN: the machine asks for a new one before signing in.
    await screen(page, 'change-pin');
    await expect(page.locator('#notice').textContent()).resolves.toMatch(/default PIN/);
    expect(await page.locator('#pin-form').isHidden()).toBe(true);

    await page.getByLabel('Current PIN', { exact: true }).fill('12345678');
    await page.getByLabel('New PIN', { exact: true }).fill('k7#Lm2pQ');
    await page.getByLabel('Confirm new PIN', { exact: true }).fill('k7#Lm2pX');
    await page.getByRole('button', { name: 'Change PIN' }).click();
    await page.waitForSelector('#notice[data-key="pin-mismatch"]');
    await screen(page, 'change-pin');
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'The PINs do not match. Type the same new PIN in both boxes.',
    );
    // The PIN boxes were emptied when the PINs were taken.
    expect(await page.getByLabel('Current PIN', { exact: true }).inputValue()).toBe('');

    await page.getByLabel('Current PIN', { exact: true }).fill('12345678');
    await page.getByLabel('New PIN', { exact: true }).fill('k7#Lm2pQ');
    await page.getByLabel('Confirm new PIN', { exact: true }).fill('k7#Lm2pQ');
    await page.getByRole('button', { name: 'Change PIN' }).click();

    await screen(page, 'signed-in');
    await expect(page.locator('#user').textContent()).resolves.toBe('alice@contoso.com');
    await expect(page.locator('#prompt').textContent()).resolves.toBe('You are signed in.');
    expect(await page.locator('#change-pin-form').isHidden()).toBe(true);
    // Close or Restore, whichever the display's state calls for.
    expect(await page.locator('#restore').isHidden()).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'browser-sign-in.png'), fullPage: true });

    // Close: the session goes on in the background and counts notifications; Restore shows it.
    await page.getByRole('button', { name: 'Close' }).click();
    await page.locator('#restore').waitFor({ state: 'visible' });
    expect(await page.locator('#close').isHidden()).toBe(true);
    await expect(page.locator('#prompt').textContent()).resolves.toMatch(/display is closed/);
    await page.getByRole('button', { name: 'Send a notification' }).click();
    await expect(page.locator('#unread').textContent()).resolves.toBe('1 unread notification');
    await page.getByRole('button', { name: 'Restore' }).click();
    await page.locator('#close').waitFor({ state: 'visible' });
    await expect(page.locator('#prompt').textContent()).resolves.toBe('You are signed in.');
    expect(await page.locator('#unread').isHidden()).toBe(true);

    // Sign out keeps the remembered address (the box was not ticked).
    await page.getByRole('button', { name: 'Sign out' }).click();
    await screen(page, 'sign-in');
    expect(await page.getByLabel('Sign-in address', { exact: true }).inputValue()).toBe(
      'alice@contoso.com',
    );
    await expect(page.locator('#user').textContent()).resolves.toBe('');

    await context.close();
    expect(errors).toEqual([]);
    // Only the page's own three files, all from 127.0.0.1: nothing left the machine.
    const remote = requests.filter(
      (url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'),
    );
    expect(remote).toEqual([]);
    expect(new Set(requests.filter((url) => !url.startsWith('data:')))).toEqual(
      new Set([server.url, `${origin}/main.js`, `${origin}/style.css`]),
    );
  }, 60_000);
});
