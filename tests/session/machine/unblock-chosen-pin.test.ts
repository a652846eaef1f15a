/**
 * The sign-in machine's unblock: the holder types the new PIN, so it is the holder's chosen PIN
 * and not must-change afterwards, whichever credential unblocked the card. An admin key alone
 * leaves the PIN must-change (an administrator chose it), so the machine has to say so.
 */
import { describe, expect, it } from 'vitest';
import { SoftwareTpm, VirtualSmartCard } from '../../../src/card/index.js';
import { Secret } from '../../../src/session/index.js';
import { waitForRoute } from '../../../src/testing/index.js';
import { TEST_PIN } from '../../support/cards.js';
import { ADDRESS, authenticatorFor, signInPki, startSignIn } from '../support/sign-in.js';

const ADMIN_KEY = Uint8Array.from({ length: 24 }, (_, i) => 0xa0 + i);
const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

describe('sign-in machine: unblock with a new PIN the holder chose', () => {
  it('an admin key unblock leaves the new PIN not must-change', async () => {
    const { ca, clock } = await signInPki();
    const card = await VirtualSmartCard.create({
      tpm: await SoftwareTpm.create(),
      pin: TEST_PIN,
      mustChange: false,
      adminKey: ADMIN_KEY,
      pinHashIterations: 1,
    });
    for (let i = 0; i < 5; i++) await card.verifyPin('wrong-pin1');
    expect((await card.pinStatus()).blocked).toBe(true);

    const actor = startSignIn({ method: 'smart-card', card, server: authenticatorFor(ca, clock) });
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    const blocked = await waitForRoute(actor, 'card-blocked');
    expect(blocked.unblockWith).toBe('admin-key');
    actor.send({ type: 'UNBLOCK' });
    await waitForRoute(actor, 'unblock');
    const next = 'Qp2mL#7k';
    actor.send({
      type: 'UNBLOCK.SUBMIT',
      credential: Secret.from(hex(ADMIN_KEY)),
      next: Secret.from(next),
      confirm: Secret.from(next),
    });
    // Not enrolled, so the sign-in itself is refused; the unblock is what this is about.
    const after = await waitForRoute(actor, 'sign-in');
    expect(after.notice?.key).toBe('card-not-enrolled');
    actor.stop();

    const status = await card.pinStatus();
    expect(status.blocked).toBe(false);
    expect(status.mustChange).toBe(false);
    expect(await card.verifyPin(next)).toEqual({ status: 'verified', mustChange: false });
  });
});
