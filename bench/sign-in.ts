/**
 * Row 1: a sign-in round trip with an emulated card (challenge, PIN verify, the card's
 * signature, the Authenticator's verify of a certificate it has seen), against the floor: the
 * same cryptography as raw WebCrypto calls on the same keys (one RSA signature, one
 * verification). The test card hashes its PIN with one PBKDF2 iteration, so the round trip
 * leaves the PIN hash out; its cost at the default 100,000 iterations is timed on its own.
 */

import { signInMessage } from '../src/challenge/signed-message.js';
import { PinState } from '../src/pin/index.js';
import { Authenticator } from '../src/server/index.js';
import { signChallenge } from '../src/session/index.js';
import type { Fixture } from './fixture.js';
import { RP_ID } from './fixture.js';
import { check, type Plan, timeCases } from './harness.js';
import type { Row } from './table.js';

export async function signInRows(fixture: Fixture, plan: Plan): Promise<Row[]> {
  const { card, pin, container, address, pki } = fixture;
  const authenticator = new Authenticator({
    trustAnchors: [pki.root],
    intermediates: [pki.issuer],
    crls: fixture.crls,
    rpId: RP_ID,
    challengeTtlMs: 3_600_000,
  });
  const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const challengeBytes = crypto.getRandomValues(new Uint8Array(32));
  const message = signInMessage(RP_ID, 'x'.repeat(24), challengeBytes);

  const roundTrip = async () => {
    const challenge = await authenticator.challenge({ address });
    await card.verifyPin(pin);
    const response = await signChallenge(card, container, challenge, { rpId: RP_ID });
    const result = await authenticator.verify(response);
    await card.logout();
    check(result.verified, 'the sign-in verifies');
  };
  const floor = async () => {
    const signature = await crypto.subtle.sign(rsa, fixture.privateKey, message);
    check(await crypto.subtle.verify(rsa, fixture.publicKey, signature, message), 'floor');
  };
  await roundTrip(); // the Authenticator has now seen the certificate once
  const times = await timeCases({ roundTrip, floor }, plan);

  const state = await PinState.create();
  const pinPlan = { warmup: 1, samples: Math.max(3, Math.round(plan.samples / 4)), batch: 1 };
  const pinTimes = await timeCases(
    { pinHash: async () => check((await state.verify('12345678')).status === 'verified', 'pin') },
    pinPlan,
  );
  const ours = times.roundTrip as number;
  return [
    {
      group: '1',
      name: 'emulated card, cached path ÷ WebCrypto floor (1 sign + 1 verify)',
      ours,
      reference: times.floor as number,
      unit: 'ms',
      target: { max: 1.2 },
    },
    {
      group: '1',
      name: 'PIN hash (PBKDF2-SHA-256, 100,000 iterations) ÷ round trip without it',
      ours: pinTimes.pinHash as number,
      reference: ours,
      unit: 'ms',
    },
  ];
}
