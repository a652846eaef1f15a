import { describe, expect, it } from 'vitest';
import { Secret } from '../../../src/session/index.js';
import { waitForRoute } from '../../../src/testing/index.js';
import { TEST_PIN } from '../../support/cards.js';
import { signInPkiBeforeAll } from '../support/file-pki.js';
import { ADDRESS, authenticatorFor, enrolledCard, startSignIn } from '../support/sign-in.js';

/** Stopping a signed-in actor (an app that closes) logs the card out, physical or virtual. */
const pki = signInPkiBeforeAll();

describe('stopping the actor', () => {
  it.each(['physical', 'virtual'] as const)(
    '%s card: actor.stop() while signed in logs the card out',
    async (kind) => {
      const { card, reader } = await enrolledCard(pki.ca, kind, { pin: TEST_PIN });
      const actor = startSignIn(
        reader === null
          ? { method: 'smart-card', card, server: authenticatorFor(pki.ca, pki.clock) }
          : { method: 'smart-card', reader, server: authenticatorFor(pki.ca, pki.clock) },
      );
      actor.send({ type: 'SIGN_IN', address: ADDRESS });
      if (reader !== null) {
        await waitForRoute(actor, 'card-detected');
        actor.send({ type: 'OK' });
      }
      await waitForRoute(actor, 'pin');
      actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
      await waitForRoute(actor, 'signed-in');
      expect((await card.info()).pinVerified).toBe(true);
      actor.stop();
      await expect.poll(async () => (await card.info()).pinVerified).toBe(false);
    },
  );
});
