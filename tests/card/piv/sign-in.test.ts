/**
 * End to end with a PIV card over APDUs: Alice enrolled on the PIV test card (her key pair
 * generated in slot 9A by GENERATE, the request signed by GENERAL AUTHENTICATE, her certificate
 * written to 9A's certificate object), then a sign-in through the sign-in machine against an
 * Authenticator, a wrong PIN counted by the card itself (63Cx) on the way.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { FACTORY_DEFAULTS } from '../../../src/card/piv/piv-constants.js';
import { EnrollmentBuilder, enrollCard } from '../../../src/enrollment/index.js';
import { createSignInMachine, Secret, viewSignIn } from '../../../src/session/index.js';
import {
  createTestPki,
  TEST_USERS,
  type TestPki,
  waitForRoute,
} from '../../../src/testing/index.js';
import { openPivCard } from './piv-support.js';

const ALICE = TEST_USERS.alice;
let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

describe('PivSmartCard: enroll, then sign in through the machine', () => {
  it('enrolls Alice into slot 9A and signs her in, the card counting a wrong PIN', async () => {
    const { card, emulated } = await openPivCard();
    const result = await enrollCard({
      card,
      pin: FACTORY_DEFAULTS.pin,
      request: new EnrollmentBuilder()
        .template('SmartcardUser')
        .algorithm('RSA-2048')
        .keySpec('exchange')
        .upn(ALICE.upn)
        .email(ALICE.email),
      submit: (built) => pki.ca.issue(built, { requester: ALICE.account }),
    });
    expect(result.status).toBe('installed');
    if (result.status !== 'installed') return;
    expect(await card.certificate(result.container)).toEqual(result.certificate);
    expect(emulated.serial).toBeGreaterThan(0);

    const machine = createSignInMachine({
      method: 'smart-card',
      server: await pki.authenticator(),
      rpId: pki.rpId,
      card,
    });
    const actor = createActor(machine).start();
    try {
      await waitForRoute(actor, 'sign-in');
      actor.send({ type: 'SIGN_IN', address: ALICE.upn });
      const first = await waitFor(actor, (s) =>
        ['card-detected', 'pin'].includes(viewSignIn(s).route),
      );
      if (viewSignIn(first).route === 'card-detected') actor.send({ type: 'OK' });
      await waitForRoute(actor, 'pin');
      actor.send({ type: 'PIN.SUBMIT', pin: Secret.from('654321') });
      await waitFor(actor, (s) => viewSignIn(s).notice?.key === 'pin-wrong');
      expect(viewSignIn(actor.getSnapshot()).attemptsRemaining).toBe(FACTORY_DEFAULTS.tries - 1);
      actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(FACTORY_DEFAULTS.pin) });
      const view = await waitForRoute(actor, 'signed-in');
      expect(view.user?.address).toBe(ALICE.upn);
      expect((await card.pinStatus()).attemptsRemaining).toBe(FACTORY_DEFAULTS.tries);
    } finally {
      actor.stop();
    }
  }, 30_000);
});
