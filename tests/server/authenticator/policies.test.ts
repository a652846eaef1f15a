/**
 * The Authenticator takes the certificate policy inputs of path validation: a deployment that
 * requires a policy refuses a card whose path keeps none of it, before any signature counts.
 */
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/errors.js';
import { Authenticator } from '../../../src/server/index.js';
import { signChallenge } from '../../../src/session/index.js';
import { createTestCard, createTestPki } from '../../../src/testing/index.js';

const PIV_AUTHENTICATION = '2.16.840.1.101.3.2.1.3.13';

describe('Authenticator: certificate policies', () => {
  it('refuses a card whose path keeps none of the required policies', async () => {
    const pki = await createTestPki();
    const { card, pin, enrollment } = await createTestCard({ kind: 'virtual', enrolled: { pki } });
    if (enrollment === null) throw new Error('the test card was not enrolled');
    const verifyWith = async (options: object) => {
      const authenticator = new Authenticator({
        trustAnchors: [pki.root],
        intermediates: [pki.issuer],
        rpId: pki.rpId,
        ...options,
      });
      const challenge = await authenticator.challenge({ address: enrollment.user.upn as string });
      await card.verifyPin(pin);
      const response = await signChallenge(card, enrollment.container, challenge, {
        rpId: pki.rpId,
      });
      return authenticator.verify(response);
    };
    const required = await verifyWith({
      initialPolicySet: [PIV_AUTHENTICATION],
      initialExplicitPolicy: true,
    });
    const refusal = required.verified ? 'verified' : required;
    expect(refusal).toMatchObject({ reason: 'certificate-invalid', pathReason: 'policy' });
    const accepted = await verifyWith({ initialPolicySet: [PIV_AUTHENTICATION] });
    expect(accepted.verified, accepted.verified ? '' : accepted.detail).toBe(true);
  });

  it('refuses policy options of the wrong type when it is made', () => {
    const base = { trustAnchors: [new Uint8Array([1])], rpId: 'intranet.contoso.com' };
    expect(() => new Authenticator({ ...base, initialPolicySet: ['not an oid'] })).toThrow(
      InvalidInputError,
    );
    const flag = 1 as unknown as boolean;
    expect(() => new Authenticator({ ...base, initialAnyPolicyInhibit: flag })).toThrow(
      InvalidInputError,
    );
  });
});
