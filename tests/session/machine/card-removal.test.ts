import { describe, expect, it } from 'vitest';
import { createActor, fromPromise } from 'xstate';
import type { CardPinVerifyResult } from '../../../src/card/index.js';
import {
  createSignInMachine,
  type RemovalPolicy,
  Secret,
  type SignInActorInput,
  viewSignIn,
} from '../../../src/session/index.js';
import { waitForRoute } from '../../../src/testing/index.js';
import { TEST_PIN } from '../../support/cards.js';
import { signInPkiBeforeAll } from '../support/file-pki.js';
import { ADDRESS, authenticatorFor, enrolledCard, RP_ID, startSignIn } from '../support/sign-in.js';

/**
 * A physical card pulled from its reader: the signed-in session under the three removal policies,
 * a locked session and its unlock (by our card and PIN only); during PIN entry, back to insert it.
 */
const pki = signInPkiBeforeAll();

async function signedInWithPhysicalCard(removal: RemovalPolicy) {
  const { card, physical, reader } = await enrolledCard(pki.ca, 'physical', { pin: TEST_PIN });
  if (physical === null || reader === null) throw new Error('no reader');
  const actor = startSignIn({
    method: 'smart-card',
    reader,
    server: authenticatorFor(pki.ca, pki.clock),
    removal,
  });
  actor.send({ type: 'SIGN_IN', address: ADDRESS });
  await waitForRoute(actor, 'card-detected');
  actor.send({ type: 'OK' });
  await waitForRoute(actor, 'pin');
  actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
  await waitForRoute(actor, 'signed-in');
  return { actor, card, physical, reader };
}

describe('card removal while signed in', () => {
  it("'no-action': the session goes on and says the card was removed", async () => {
    const { actor, physical, reader } = await signedInWithPhysicalCard('no-action');
    reader.remove();
    let view = viewSignIn(actor.getSnapshot());
    expect(view).toMatchObject({ route: 'signed-in', status: 'input' });
    expect(view.notice?.key).toBe('card-removed');
    reader.insert(physical);
    view = viewSignIn(actor.getSnapshot());
    expect(view.notice).toBeNull();
    actor.stop();
  });

  it("'lock': the session locks; another card is refused; the PIN unlocks it", async () => {
    const { actor, physical, reader } = await signedInWithPhysicalCard('lock');
    reader.remove();
    let view = viewSignIn(actor.getSnapshot());
    expect(view).toMatchObject({ route: 'locked', status: 'input' });
    expect(view.prompt.key).toBe('card-removed-locked');
    expect(view.can({ type: 'PIN.SUBMIT', pin: Secret.from('x') })).toBe(false);
    expect(view.can({ type: 'SIGN_OUT' })).toBe(true);
    const { physical: other, reader: its } = await enrolledCard(pki.ca, 'physical', {
      pin: TEST_PIN,
    });
    if (other === null) throw new Error('no card');
    its?.remove();
    reader.insert(other);
    expect(viewSignIn(actor.getSnapshot()).notice?.key).toBe('wrong-card');
    reader.remove();
    reader.insert(physical);
    view = viewSignIn(actor.getSnapshot());
    expect(view).toMatchObject({ route: 'locked' });
    expect(view.prompt.key).toBe('pin-prompt');
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from('wrong-pin1') });
    view = await waitForRoute(actor, 'locked');
    expect(view.notice?.key).toBe('pin-wrong');
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
    view = await waitForRoute(actor, 'signed-in');
    expect(view.user?.address).toBe(ADDRESS);
    actor.stop();
  });

  it("'lock': a PIN check that passes after the card was pulled does not unlock", async () => {
    // A token that does not notice its removal mid-check (as PKCS#11 tokens may not) answers
    // "verified" after the card is out: the machine must stay locked.
    const { physical, reader } = await enrolledCard(pki.ca, 'physical', { pin: TEST_PIN });
    if (physical === null || reader === null) throw new Error('no reader');
    let release: () => void = () => undefined;
    const checked = new Promise<void>((resolve) => {
      release = resolve;
    });
    let unlocking = false;
    const machine = createSignInMachine({
      method: 'smart-card',
      reader,
      server: authenticatorFor(pki.ca, pki.clock),
      rpId: RP_ID,
      removal: 'lock',
    }).provide({
      actors: {
        verifyPin: fromPromise<CardPinVerifyResult, SignInActorInput<'verifyPin'>>(
          async ({ input }) => {
            if (!unlocking) return input.card?.verifyPin(TEST_PIN) ?? { status: 'blocked' };
            await checked;
            return { status: 'verified', mustChange: false };
          },
        ),
      },
    });
    const actor = createActor(machine).start();
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'card-detected');
    actor.send({ type: 'OK' });
    await waitForRoute(actor, 'pin');
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
    await waitForRoute(actor, 'signed-in');
    reader.remove();
    reader.insert(physical);
    unlocking = true;
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
    expect(viewSignIn(actor.getSnapshot())).toMatchObject({ route: 'locked', status: 'busy' });
    reader.remove();
    release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const view = viewSignIn(actor.getSnapshot());
    expect(view).toMatchObject({ route: 'locked', status: 'input' });
    expect(view.prompt.key).toBe('card-removed-locked');
    actor.stop();
  });

  it("'sign-out': the session ends and the sign-in screen says why", async () => {
    const { actor, card, reader } = await signedInWithPhysicalCard('sign-out');
    reader.remove();
    const view = await waitForRoute(actor, 'sign-in');
    expect(view.notice?.key).toBe('card-removed-signed-out');
    expect(view.user).toBeNull();
    expect(view.address).toBe(ADDRESS);
    expect((await card.info().catch(() => null))?.pinVerified ?? false).toBe(false);
    actor.stop();
  });

  it('a card removed during PIN entry sends the user back to insert it', async () => {
    const { physical, reader } = await enrolledCard(pki.ca, 'physical', { pin: TEST_PIN });
    if (physical === null || reader === null) throw new Error('no reader');
    const actor = startSignIn({
      method: 'smart-card',
      reader,
      server: authenticatorFor(pki.ca, pki.clock),
    });
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'card-detected');
    actor.send({ type: 'OK' });
    await waitForRoute(actor, 'pin');
    reader.remove();
    expect(viewSignIn(actor.getSnapshot()).route).toBe('insert-card');
    reader.insert(physical);
    expect(viewSignIn(actor.getSnapshot()).route).toBe('card-detected');
    actor.stop();
  });
});
