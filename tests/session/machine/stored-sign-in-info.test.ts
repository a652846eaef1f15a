import { describe, expect, it } from 'vitest';
import { StorageError } from '../../../src/errors.js';
import { Secret, viewSignIn } from '../../../src/session/index.js';
import { waitForRoute } from '../../../src/testing/index.js';
import { TEST_PIN } from '../../support/cards.js';
import { signInPkiBeforeAll } from '../support/file-pki.js';
import { ADDRESS, authenticatorFor, enrolledCard, startSignIn } from '../support/sign-in.js';

/**
 * The stored sign-in address around a session: a slow save cannot undo Sign out's delete, and a
 * store that cannot save does not end the session.
 */
const pki = signInPkiBeforeAll();

describe('stored sign-in information', () => {
  it('a slow save of the address cannot land after Sign out deleted it', async () => {
    const { card } = await enrolledCard(pki.ca, 'virtual', { pin: TEST_PIN });
    const saved: string[] = [];
    let stored: string | undefined;
    const signInInfo = {
      load: async () => (stored === undefined ? undefined : { address: stored }),
      save: async (info: { address: string }) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        stored = info.address;
        saved.push(info.address);
      },
      delete: async () => {
        stored = undefined;
      },
    };
    const actor = startSignIn({
      method: 'smart-card',
      card,
      server: authenticatorFor(pki.ca, pki.clock),
      signInInfo,
    });
    await waitForRoute(actor, 'sign-in');
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'pin');
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
    await waitForRoute(actor, 'signed-in');
    actor.send({ type: 'SIGN_OUT', deleteSignInInfo: true });
    await waitForRoute(actor, 'sign-in');
    await expect.poll(() => saved).toEqual([ADDRESS]);
    expect(stored).toBeUndefined();
    actor.stop();
  });
});

describe('failures that do not end a session', () => {
  it('a store that cannot save the address leaves the user signed in, with the error shown', async () => {
    const { card } = await enrolledCard(pki.ca, 'virtual', { pin: TEST_PIN });
    const actor = startSignIn({
      method: 'smart-card',
      card,
      server: authenticatorFor(pki.ca, pki.clock),
      signInInfo: {
        load: async () => undefined,
        save: async () => {
          throw new StorageError('The disk is full.');
        },
        delete: async () => undefined,
      },
    });
    await waitForRoute(actor, 'sign-in');
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'pin');
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
    await waitForRoute(actor, 'signed-in');
    await expect.poll(() => viewSignIn(actor.getSnapshot()).error?.code).toBe('ERR_STORAGE');
    expect(actor.getSnapshot().status).toBe('active');
    expect(viewSignIn(actor.getSnapshot()).route).toBe('signed-in');
    actor.stop();
  });
});
