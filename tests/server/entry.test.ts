import * as server from 'smartcard-2fa/server';
import * as session from 'smartcard-2fa/session';
import { createTestCard, createTestPki } from 'smartcard-2fa/testing';
import { describe, expect, it } from 'vitest';

describe('smartcard-2fa/server', () => {
  it('exports the server side, and smartcard-2fa/session (the client) none of it', () => {
    expect(Object.keys(server).sort()).toEqual([
      'Authenticator',
      'ChallengeRateLimiter',
      'ClientCertificateVerifier',
      'DEFAULT_SIGN_IN_EKU',
      'MemoryChallengeStore',
      'OcspCache',
      'RedisChallengeStore',
      'WIRE_LIMITS',
      'certificateFacts',
      'certificateMappingsOf',
      'createSignInHandlers',
      'decodeResponse',
      'encodeChallenge',
      'toExpressHandler',
      'toFastifyPlugin',
      'toNodeHandler',
      'validateCertificatePath',
    ]);
    for (const name of Object.keys(server)) expect(Object.keys(session)).not.toContain(name);
  });

  it('verifies a card that the client signs with', async () => {
    const pki = await createTestPki();
    const { card, pin, enrollment } = await createTestCard({ kind: 'virtual', enrolled: { pki } });
    if (enrollment === null) throw new Error('the test card was not enrolled');
    const authenticator = new server.Authenticator({
      trustAnchors: [pki.root],
      intermediates: [pki.issuer],
      rpId: pki.rpId,
    });
    const challenge = await authenticator.challenge({ address: enrollment.user.upn as string });
    await card.verifyPin(pin);
    const response = await session.signChallenge(card, enrollment.container, challenge, {
      rpId: pki.rpId,
    });
    const result = await authenticator.verify(response);
    expect(result.verified, result.verified ? '' : result.detail).toBe(true);
  });
});
