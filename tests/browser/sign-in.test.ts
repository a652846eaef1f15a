/**
 * The browser page of docs/browser.md in Debian's Chromium, driven by playwright-core. Alice
 * signs in with her virtual card and is made to change the default PIN (a mismatched
 * confirmation first), switches the language, closes and restores the signed-in display and
 * signs out; then five wrong PINs block her card, she unblocks it with her PUK (a wrong one
 * first), chooses a new PIN, is signed in, and exits. The page is served from 127.0.0.1 and no
 * request may go anywhere else. Screenshots of each screen go to test-artifacts/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, NEEDS_CHROMIUM } from '../support/chromium.js';
import {
  ALICE,
  box,
  notice,
  type OpenPage,
  type PageHarness,
  remoteRequests,
  screen,
  signInWithForcedChange,
  snapshot,
  startPageHarness,
} from './page-harness.js';

const ADDRESS = ALICE.address;
const CHOSEN_PIN = ALICE.chosenPin;

/**
 * Records, in the page, what each screen shows as it changes (route, status, and whether the
 * progress bar, the big spinner and Cancel are visible): busy steps may be too short to catch
 * from outside, but every change of `body[data-status]` is seen by a MutationObserver.
 */
async function recordScreens(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    const shown = (id: string) => document.getElementById(id)?.checkVisibility() === true;
    new MutationObserver(() => {
      const { route, status } = document.body.dataset;
      const parts = [`${route} ${status}`];
      if (shown('progress')) parts.push('progress');
      if (shown('busy')) parts.push('spinner');
      if (shown('busy-cancel')) parts.push('cancel');
      const line = parts.join(', ');
      if (seen.at(-1) !== line) seen.push(line);
    }).observe(document.body, { attributes: true, attributeFilter: ['data-route', 'data-status'] });
    Object.assign(window, { seenScreens: seen });
  });
}

async function recordedScreens(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { seenScreens: string[] }).seenScreens);
}

/** What the page requested, all of it from 127.0.0.1, and that it logged no error. */
function expectOnlyThePage(open: OpenPage, harness: PageHarness): void {
  const origin = new URL(harness.server.url).origin;
  expect(open.errors).toEqual([]);
  expect(remoteRequests(open, origin)).toEqual([]);
  expect(new Set(open.requests.filter((url) => !url.startsWith('data:')))).toEqual(
    new Set([`${origin}/`, `${origin}/main.js`, `${origin}/style.css`]),
  );
}

describe.skipIf(!hasChromium)(`the sign-in page in Chromium (${NEEDS_CHROMIUM})`, () => {
  let harness: PageHarness;

  beforeAll(async () => {
    harness = await startPageHarness();
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('signs Alice in, with the forced PIN change, and out again', async () => {
    const open = await harness.open();
    const { page } = open;
    await screen(page, 'sign-in');
    await expect(page.locator('#prompt').textContent()).resolves.toMatch(/sign-in address/);
    // The demo panel tells the tester the card's PIN: the default one, to be changed.
    await page.waitForSelector('#demo-card[data-pin="default"]');
    await expect(page.locator('#demo-pin').textContent()).resolves.toMatch(/^12345678/);
    await snapshot(page, 'browser-sign-in');

    // The language switch: the prompts and captions come in Korean, then English again.
    await page.locator('#locale').selectOption('ko-KR');
    await page.waitForSelector('#prompt[data-key="sign-in-address-prompt"]:lang(ko-KR)');
    await screen(page, 'sign-in');
    await expect(page.locator('#prompt').textContent()).resolves.toMatch(/로그인 주소/);
    await expect(page.locator('#sign-in').textContent()).resolves.toBe('로그인');
    await expect(page.locator('label[for="address"]').textContent()).resolves.toBe('로그인 주소');
    await page.locator('#locale').selectOption('en');
    await page.waitForSelector('#prompt:lang(en)');
    await screen(page, 'sign-in');

    await box(page, 'Sign-in address').fill(ADDRESS);
    await page.getByRole('button', { name: 'Sign In' }).click();

    // The card still has the default PIN: the machine asks for a new one before signing in.
    await screen(page, 'change-pin');
    await notice(page, 'pin-change-default');
    expect(await page.locator('#pin-form').isHidden()).toBe(true);

    await box(page, 'Current PIN').fill('12345678');
    await box(page, 'New PIN').fill(CHOSEN_PIN);
    await box(page, 'Confirm new PIN').fill('k7#Lm2pX');
    await page.getByRole('button', { name: 'Change PIN' }).click();
    await notice(page, 'pin-mismatch');
    await screen(page, 'change-pin');
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'The PINs do not match. Type the same new PIN in both boxes.',
    );
    // The PIN boxes were emptied when the PINs were taken.
    expect(await box(page, 'Current PIN').inputValue()).toBe('');
    await snapshot(page, 'browser-change-pin');

    await box(page, 'Current PIN').fill('12345678');
    await box(page, 'New PIN').fill(CHOSEN_PIN);
    await box(page, 'Confirm new PIN').fill(CHOSEN_PIN);
    await recordScreens(page);
    await page.getByRole('button', { name: 'Change PIN' }).click();

    await screen(page, 'signed-in');
    // Every busy step showed the progress bar; signing in showed its spinner and Cancel.
    const seen = await recordedScreens(page);
    expect(seen).toContain('change-pin busy, progress');
    expect(seen).toContain('signing-in busy, progress, spinner, cancel');
    expect(seen.filter((s) => s.includes('busy') && !s.includes('progress'))).toEqual([]);
    await expect(page.locator('#user').textContent()).resolves.toBe(ADDRESS);
    await expect(page.locator('#prompt').textContent()).resolves.toBe('You are signed in.');
    await notice(page, 'pin-changed');
    expect(await page.locator('#change-pin-form').isHidden()).toBe(true);
    // The demo panel no longer says the default PIN must be changed: the card has Alice's PIN.
    await page.waitForSelector('#demo-card[data-pin="chosen"]');
    await expect(page.locator('#demo-card').textContent()).resolves.not.toMatch(/12345678/);
    // Close or Restore, whichever the display's state calls for.
    expect(await page.locator('#restore').isHidden()).toBe(true);
    await snapshot(page, 'browser-signed-in');

    // Close: the session goes on in the background and counts notifications; Restore shows it.
    await page.getByRole('button', { name: 'Close' }).click();
    await page.locator('#restore').waitFor({ state: 'visible' });
    expect(await page.locator('#close').isHidden()).toBe(true);
    await expect(page.locator('#prompt').textContent()).resolves.toMatch(/display is closed/);
    await page.getByRole('button', { name: 'Send a test notification' }).click();
    await page.waitForSelector('#unread:not([hidden])');
    await expect(page.locator('#unread').textContent()).resolves.toBe('1 unread notification');
    await snapshot(page, 'browser-display-closed');
    await page.getByRole('button', { name: 'Show the display again' }).click();
    await page.locator('#close').waitFor({ state: 'visible' });
    await expect(page.locator('#prompt').textContent()).resolves.toBe('You are signed in.');
    expect(await page.locator('#unread').isHidden()).toBe(true);

    // Sign out keeps the remembered address (the box was not ticked).
    await page.getByRole('button', { name: 'Sign out' }).click();
    await screen(page, 'sign-in');
    expect(await box(page, 'Sign-in address').inputValue()).toBe(ADDRESS);
    await expect(page.locator('#user').textContent()).resolves.toBe('');

    await open.context.close();
    expectOnlyThePage(open, harness);
  }, 90_000);

  it('blocks the card after five wrong PINs, unblocks it with the PUK, and exits', async () => {
    const open = await harness.open();
    const { page } = open;
    await signInWithForcedChange(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await screen(page, 'sign-in');
    await page.getByRole('button', { name: 'Sign In' }).click();

    // Four wrong PINs count down; the fifth blocks the card.
    for (const left of [4, 3, 2, 1]) {
      await screen(page, 'pin');
      await box(page, 'PIN').fill(`wrong-pin-${left}`);
      await page.getByRole('button', { name: 'OK' }).click();
      await page.waitForSelector(`body[data-status="input"] #attempts:text("${left} attempt")`);
      expect(await box(page, 'PIN').inputValue()).toBe('');
    }
    await notice(page, 'pin-last-attempt');
    await snapshot(page, 'browser-last-attempt');
    await box(page, 'PIN').fill('wrong-pin-0');
    await page.getByRole('button', { name: 'OK' }).click();

    await screen(page, 'card-blocked');
    await expect(page.locator('#prompt').textContent()).resolves.toMatch(/smart card is blocked/);
    await page.waitForSelector('#demo-card[data-pin="blocked"]');
    // This card has a PUK, so Unblock is offered beside Back.
    await page.getByRole('button', { name: 'Unblock the smart card' }).waitFor();
    await expect(
      page.getByRole('button', { name: 'Back to the sign-in screen' }).isEnabled(),
    ).resolves.toBe(true);
    await snapshot(page, 'browser-blocked');

    await page.getByRole('button', { name: 'Unblock the smart card' }).click();
    await screen(page, 'unblock');
    await expect(page.locator('#prompt').textContent()).resolves.toMatch(/PUK/);
    const puk = (await page.locator('#demo-puk').textContent()) ?? '';
    expect(puk).toMatch(/^\d{8}$/);

    // A wrong PUK stays on the unblock screen and says so.
    await box(page, 'PUK').fill('00000000');
    await box(page, 'New PIN').fill('Nw9!pin-2');
    await box(page, 'Confirm new PIN').fill('Nw9!pin-2');
    await page.getByRole('button', { name: 'Unblock', exact: true }).click();
    await notice(page, 'unblock-failed');
    await screen(page, 'unblock');
    expect(await box(page, 'PUK').inputValue()).toBe('');
    await snapshot(page, 'browser-unblock');

    await box(page, 'PUK').fill(puk);
    await box(page, 'New PIN').fill('Nw9!pin-2');
    await box(page, 'Confirm new PIN').fill('Nw9!pin-2');
    await page.getByRole('button', { name: 'Unblock', exact: true }).click();

    await screen(page, 'signed-in');
    await notice(page, 'pin-changed');
    await expect(page.locator('#user').textContent()).resolves.toBe(ADDRESS);
    await page.waitForSelector('#demo-card[data-pin="chosen"]');

    await page.getByRole('button', { name: 'Exit' }).click();
    await page.waitForSelector('body[data-route="exited"][data-status="done"]');
    await expect(page.locator('#exited').isVisible()).resolves.toBe(true);
    await expect(page.locator('#notice').isHidden()).resolves.toBe(true);
    await expect(page.locator('#title').textContent()).resolves.toBe('Goodbye');
    await snapshot(page, 'browser-exited');
    // Nothing is left to click.
    await expect(page.locator('#screen button:visible:enabled').count()).resolves.toBe(0);

    await open.context.close();
    expectOnlyThePage(open, harness);
  }, 90_000);
});
