/**
 * The browser page's variants in Chromium, for the routes and choices a virtual card with a PUK
 * never shows. With `?card=reader` Alice's card is a physical card the demo panel inserts into a
 * simulated reader and removes: the page asks for the card (`insert-card`), says it was
 * detected (`card-detected`), and locks the session when the card is removed (`locked`) until
 * it is back and its PIN typed. With `?unblock=admin-key` the blocked card is unblocked with its
 * administrator key in hex. With `?method=password` the page signs in with a password
 * (`password`). Every screen has its buttons, and nothing leaves 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, NEEDS_CHROMIUM } from '../support/chromium.js';
import {
  ALICE,
  box,
  notice,
  type PageHarness,
  remoteRequests,
  screen,
  signInWithForcedChange,
  snapshot,
  startPageHarness,
} from './page-harness.js';

const ADDRESS = ALICE.address;
const CHOSEN_PIN = ALICE.chosenPin;

describe.skipIf(!hasChromium)(
  `the sign-in page's reader and password routes (${NEEDS_CHROMIUM})`,
  () => {
    let harness: PageHarness;

    beforeAll(async () => {
      harness = await startPageHarness();
    }, 60_000);

    afterAll(async () => {
      await harness?.close();
    });

    it('asks for the card, waits for OK, and locks the session while the card is out', async () => {
      const open = await harness.open('?card=reader');
      const { page } = open;
      await screen(page, 'sign-in');
      await page.waitForSelector('#demo-reader[data-card="out"]');

      // Cancel while waiting for the card goes back to the sign-in screen.
      await box(page, 'Sign-in address').fill(ADDRESS);
      await page.getByRole('button', { name: 'Sign In' }).click();
      await screen(page, 'insert-card');
      await page.getByRole('button', { name: 'Cancel' }).click();
      await screen(page, 'sign-in');
      await notice(page, 'cancelled');

      await page.getByRole('button', { name: 'Sign In' }).click();
      await screen(page, 'insert-card');
      await expect(page.locator('#prompt').textContent()).resolves.toMatch(
        /Insert your smart card/,
      );
      await snapshot(page, 'browser-insert-card');
      await page.getByRole('button', { name: 'Insert the card' }).click();
      await screen(page, 'card-detected');
      await page.getByRole('button', { name: 'OK' }).click();

      await screen(page, 'change-pin');
      await box(page, 'Current PIN').fill('12345678');
      await box(page, 'New PIN').fill(CHOSEN_PIN);
      await box(page, 'Confirm new PIN').fill(CHOSEN_PIN);
      await page.getByRole('button', { name: 'Change PIN' }).click();
      await screen(page, 'signed-in');

      // The card leaves the reader: the session locks, and only Sign out and Exit are taken.
      await page.getByRole('button', { name: 'Remove the card' }).click();
      await screen(page, 'locked');
      await expect(page.locator('#prompt').textContent()).resolves.toMatch(/session is locked/);
      await expect(page.getByRole('button', { name: 'OK' }).isDisabled()).resolves.toBe(true);
      await expect(page.getByRole('button', { name: 'Sign out' }).isEnabled()).resolves.toBe(true);
      await snapshot(page, 'browser-locked');

      // Back in the reader, the PIN unlocks it.
      await page.getByRole('button', { name: 'Insert the card' }).click();
      await page.waitForSelector('body[data-route="locked"] #pin-ok:enabled');
      await box(page, 'PIN').fill(CHOSEN_PIN);
      await page.getByRole('button', { name: 'OK' }).click();
      await screen(page, 'signed-in');
      await expect(page.locator('#user').textContent()).resolves.toBe(ADDRESS);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await screen(page, 'sign-in');

      await open.context.close();
      expect(open.errors).toEqual([]);
      expect(remoteRequests(open, new URL(harness.server.url).origin)).toEqual([]);
    }, 90_000);

    it('unblocks with the administrator key where the card has no PUK', async () => {
      const open = await harness.open('?unblock=admin-key');
      const { page } = open;
      await signInWithForcedChange(page);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await screen(page, 'sign-in');
      await page.getByRole('button', { name: 'Sign In' }).click();
      for (let wrong = 0; wrong < 5; wrong += 1) {
        await screen(page, 'pin');
        await box(page, 'PIN').fill(`wrong-pin-${wrong}`);
        await page.getByRole('button', { name: 'OK' }).click();
        // Each wrong PIN empties the box once it is checked; the fifth blocks the card.
        await page.waitForSelector(
          'body[data-status="input"]:is([data-route="pin"], [data-route="card-blocked"])',
        );
      }
      await screen(page, 'card-blocked');
      await page.getByRole('button', { name: 'Unblock the smart card' }).click();
      await screen(page, 'unblock');
      await expect(page.locator('#prompt').textContent()).resolves.toMatch(/administrator key/);
      await expect(page.locator('#demo-puk-name').textContent()).resolves.toBe('Administrator key');
      const adminKey = (await page.locator('#demo-puk').textContent()) ?? '';
      expect(adminKey).toMatch(/^[0-9a-f]{8}( [0-9a-f]{8}){5}$/);

      await box(page, 'Administrator key (hex)').fill(adminKey);
      await box(page, 'New PIN').fill('Nw9!pin-3');
      await box(page, 'Confirm new PIN').fill('Nw9!pin-3');
      await page.getByRole('button', { name: 'Unblock', exact: true }).click();
      await screen(page, 'signed-in');
      await notice(page, 'pin-changed');
      await page.waitForSelector('#demo-card[data-pin="chosen"]');

      await open.context.close();
      expect(open.errors).toEqual([]);
      expect(remoteRequests(open, new URL(harness.server.url).origin)).toEqual([]);
    }, 90_000);

    it('signs in with a password where the page is set up for it', async () => {
      const open = await harness.open('?method=password');
      const { page } = open;
      await screen(page, 'sign-in');
      await box(page, 'Sign-in address').fill(ADDRESS);
      await page.getByRole('button', { name: 'Sign In' }).click();

      await screen(page, 'password');
      await box(page, 'Password').fill('not the password');
      await page.getByRole('button', { name: 'OK' }).click();
      await notice(page, 'password-wrong');
      await screen(page, 'password');
      expect(await box(page, 'Password').inputValue()).toBe('');

      const password = (await page.locator('#demo-pin').textContent()) ?? '';
      await box(page, 'Password').fill(password);
      await page.getByRole('button', { name: 'OK' }).click();
      await screen(page, 'signed-in');
      await expect(page.locator('#user').textContent()).resolves.toBe(ADDRESS);

      await page.getByRole('button', { name: 'Exit' }).click();
      await page.waitForSelector('body[data-route="exited"][data-status="done"]');

      await open.context.close();
      expect(open.errors).toEqual([]);
      expect(remoteRequests(open, new URL(harness.server.url).origin)).toEqual([]);
    }, 90_000);
  },
);
