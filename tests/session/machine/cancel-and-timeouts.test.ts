import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import { SimulatedReader } from '../../../src/card/index.js';
import { createSignInMachine, Secret, viewSignIn } from '../../../src/session/index.js';
import { waitForRoute } from '../../../src/testing/index.js';
import { TEST_PIN } from '../../support/cards.js';
import { signInPkiBeforeAll } from '../support/file-pki.js';
import { ADDRESS, authenticatorFor, enrolledCard, RP_ID, startSignIn } from '../support/sign-in.js';

/**
 * Cancel and timeouts leave no state hanging: the card wait and the operation timeout run on the
 * machine's clock, a step stopped by either aborts its work and logs the card out.
 */
const pki = signInPkiBeforeAll();

describe('cancel and timeouts', () => {
  it('waiting for a card times out on the machine clock', async () => {
    const reader = new SimulatedReader();
    const simulated = new SimulatedClock();
    const actor = createActor(
      createSignInMachine({
        method: 'smart-card',
        reader,
        server: authenticatorFor(pki.ca, pki.clock),
        cardWaitTimeoutMs: 30_000,
      }),
      { clock: simulated },
    ).start();
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    expect(viewSignIn(actor.getSnapshot()).route).toBe('insert-card');
    simulated.increment(29_999);
    expect(viewSignIn(actor.getSnapshot()).route).toBe('insert-card');
    simulated.increment(1);
    const view = viewSignIn(actor.getSnapshot());
    expect(view.route).toBe('sign-in');
    expect(view.notice?.key).toBe('card-wait-timed-out');
    actor.stop();
  });

  it('a server that never answers is stopped by the operation timeout, and its signal aborted', async () => {
    const { card } = await enrolledCard(pki.ca, 'virtual', { pin: TEST_PIN });
    let aborted = false;
    const simulated = new SimulatedClock();
    const actor = createActor(
      createSignInMachine({
        method: 'smart-card',
        card,
        rpId: RP_ID,
        operationTimeoutMs: 10_000,
        server: {
          challenge: (_request, options) =>
            new Promise((_resolve, reject) => {
              options?.signal?.addEventListener('abort', () => {
                aborted = true;
                reject(new Error('aborted'));
              });
            }),
          verify: async () => ({ verified: false, reason: 'never' }),
        },
      }),
      { clock: simulated },
    ).start();
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'pin');
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
    await expect.poll(() => viewSignIn(actor.getSnapshot()).route).toBe('signing-in');
    expect(viewSignIn(actor.getSnapshot()).status).toBe('busy');
    simulated.increment(10_000);
    const view = viewSignIn(actor.getSnapshot());
    expect(view.route).toBe('sign-in');
    expect(view.notice?.key).toBe('timed-out');
    expect(aborted).toBe(true);
    await expect.poll(async () => (await card.info()).pinVerified).toBe(false);
    actor.stop();
  });

  it('CANCEL while signing in stops the step and logs the card out', async () => {
    const { card } = await enrolledCard(pki.ca, 'virtual', { pin: TEST_PIN });
    const actor = startSignIn({
      method: 'smart-card',
      card,
      server: {
        challenge: () => new Promise(() => undefined),
        verify: async () => ({ verified: false, reason: 'never' }),
      },
    });
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'pin');
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
    await expect.poll(() => viewSignIn(actor.getSnapshot()).route).toBe('signing-in');
    expect(viewSignIn(actor.getSnapshot()).can({ type: 'CANCEL' })).toBe(true);
    actor.send({ type: 'CANCEL' });
    const view = viewSignIn(actor.getSnapshot());
    expect(view.route).toBe('sign-in');
    expect(view.notice?.key).toBe('cancelled');
    await expect.poll(async () => (await card.info()).pinVerified).toBe(false);
    actor.stop();
  });
});
