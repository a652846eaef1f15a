import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  PhysicalSmartCard,
  SimulatedReader,
  type SmartCard,
  SoftwareTpm,
  VirtualSmartCard,
} from '../../../src/card/index.js';
import { signInMessage } from '../../../src/challenge/signed-message.js';
import {
  type CertificateAuthority,
  EnrollmentBuilder,
  enrollCard,
} from '../../../src/enrollment/index.js';
import { WrongServiceError } from '../../../src/errors.js';
import type { AuthenticatorOptions } from '../../../src/server/authenticator/types.js';
import { Authenticator } from '../../../src/server/index.js';
import { signChallenge } from '../../../src/session/index.js';
import { AGENT, ALICE, BOB, testCa, testClock } from '../../enrollment/support/ca.js';
import { fixtureKeySource } from '../../support/fixture-keys.js';

/**
 * A physical and a virtual card, enrolled for Alice through enrollCard and the embedded CA,
 * answer the Authenticator's challenges; every way a sign-in can fail has its reason.
 */
const PIN = '12345678';
const clock = testClock();
let ca: CertificateAuthority;

interface Enrolled {
  readonly card: SmartCard;
  readonly container: string;
  readonly certificate: Uint8Array;
}

async function enrolled(kind: 'physical' | 'virtual', ecdsa = false): Promise<Enrolled> {
  const options = { pinHashIterations: 1, keySource: fixtureKeySource };
  const card =
    kind === 'physical'
      ? await PhysicalSmartCard.create(options)
      : await VirtualSmartCard.create({ tpm: await SoftwareTpm.create(), ...options });
  if (card instanceof PhysicalSmartCard) new SimulatedReader().insert(card);
  // Smartcard User keys are exchange keys (RSA only); Smartcard Logon takes an ECDSA key.
  const request = ecdsa
    ? new EnrollmentBuilder()
        .template('SmartcardLogon')
        .algorithm('ECDSA-P256')
        .keySpec('signature')
    : EnrollmentBuilder.smartcardUserLegacySha1().email(ALICE.email as string);
  const result = await enrollCard({
    card,
    request: request.upn(ALICE.upn as string),
    submit: (built) => ca.issue(built, { requester: ALICE.account }),
  });
  if (result.status !== 'installed') throw new Error(`not installed: ${JSON.stringify(result)}`);
  await card.verifyPin(PIN);
  return { card, container: result.container, certificate: result.certificate };
}

function authenticator(options: Partial<AuthenticatorOptions> = {}): Authenticator {
  return new Authenticator({
    trustAnchors: [ca.root],
    intermediates: [ca.issuer],
    clock,
    rpId: 'intranet.contoso.test',
    ...options,
  });
}

const RP_ID = 'intranet.contoso.test';

async function answer(auth: Authenticator, who: Enrolled, address = ALICE.upn as string) {
  const challenge = await auth.challenge({ address });
  return signChallenge(who.card, who.container, challenge, { rpId: RP_ID });
}

let physical: Enrolled;
let virtual: Enrolled;

beforeAll(async () => {
  ca = await testCa({ issuing: true, clock });
  physical = await enrolled('physical');
  virtual = await enrolled('virtual', true);
});

describe('Authenticator with enrolled cards', () => {
  it('a physical card (RSA, Smartcard User) signs in', async () => {
    const auth = authenticator();
    const result = await auth.verify(await answer(auth, physical));
    expect(result).toEqual({
      verified: true,
      user: {
        address: ALICE.upn,
        matched: 'upn',
        name: ALICE.upn,
        upn: ALICE.upn,
        email: ALICE.email,
      },
      certificate: physical.certificate,
    });
  });

  it('a virtual card (ECDSA P-256, Smartcard Logon) signs in', async () => {
    const auth = authenticator();
    const result = await auth.verify(await answer(auth, virtual));
    expect(result).toEqual({
      verified: true,
      user: {
        address: ALICE.upn,
        matched: 'upn',
        name: ALICE.upn,
        upn: ALICE.upn,
        email: ALICE.email,
      },
      certificate: virtual.certificate,
    });
  });

  it('compares the address case-insensitively, and takes intermediates from the response', async () => {
    const auth = authenticator({ intermediates: [] });
    const response = await answer(auth, physical, 'ALICE@Contoso.Test');
    const result = await auth.verify({ ...response, intermediates: [ca.issuer] });
    expect(result).toMatchObject({
      verified: true,
      user: { address: 'ALICE@Contoso.Test', matched: 'upn', name: ALICE.upn },
    });
  });

  it('accepts an ECDSA signature in DER form as well as r‖s', async () => {
    const auth = authenticator();
    const challenge = await auth.challenge({ address: ALICE.upn as string });
    const message = signInMessage('intranet.contoso.test', challenge.id, challenge.challenge);
    const raw = await virtual.card.sign(virtual.container, message, { hash: 'SHA-256' });
    const der = p1363ToDer(raw);
    const result = await auth.verify({
      id: challenge.id,
      rpId: challenge.rpId,
      signature: der,
      certificate: virtual.certificate,
    });
    expect(result.verified).toBe(true);
  });

  it('refuses a replay, sequential and concurrent', async () => {
    const auth = authenticator();
    const response = await answer(auth, physical);
    expect((await auth.verify(response)).verified).toBe(true);
    expect(await reasonOf(auth.verify(response))).toBe('challenge-used');

    const again = await answer(auth, virtual);
    const results = await Promise.all([auth.verify(again), auth.verify(again), auth.verify(again)]);
    expect(results.filter((r) => r.verified)).toHaveLength(1);
    expect(results.filter((r) => !r.verified).map((r) => (r.verified ? '' : r.reason))).toEqual([
      'challenge-used',
      'challenge-used',
    ]);
  });

  it('refuses an expired challenge', async () => {
    const auth = authenticator({ challengeTtlMs: 5_000 });
    const response = await answer(auth, physical);
    clock.advance(5_000);
    try {
      expect(await reasonOf(auth.verify(response))).toBe('challenge-expired');
    } finally {
      clock.advance(-5_000);
    }
  });

  it('refuses an unknown challenge id', async () => {
    const auth = authenticator();
    const response = await answer(authenticator(), physical);
    expect(await reasonOf(auth.verify(response))).toBe('unknown-challenge');
  });

  it('refuses a revoked certificate, with CRLs given as a function', async () => {
    const revoked = await enrolled('physical');
    const auth = authenticator({ crls: async () => [await ca.crl()] });
    expect((await auth.verify(await answer(auth, revoked))).verified).toBe(true);
    await ca.revoke(new X509Certificate(revoked.certificate).serialNumber, 'keyCompromise');
    const result = await auth.verify(await answer(auth, revoked));
    expect(result).toMatchObject({
      verified: false,
      reason: 'certificate-invalid',
      pathReason: 'revoked',
    });
    expect((await auth.verify(await answer(auth, physical))).verified).toBe(true);
  });

  it("with revocation 'require', refuses a path some issuer's CRL is missing for", async () => {
    const issuingOnly = authenticator({
      crls: async () => [await ca.crl()],
      revocation: 'require',
    });
    expect(await issuingOnly.verify(await answer(issuingOnly, physical))).toMatchObject({
      verified: false,
      pathReason: 'crl-invalid',
    });
    const both = authenticator({
      crls: async () => [await ca.crl(), await ca.rootCrl()],
      revocation: 'require',
    });
    expect((await both.verify(await answer(both, physical))).verified).toBe(true);
    expect(() => authenticator({ revocation: 'never' as never })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
  });

  it('fails closed when the CRLs cannot be fetched', async () => {
    const auth = authenticator({ crls: () => Promise.reject(new Error('offline')) });
    const result = await auth.verify(await answer(auth, physical));
    expect(result).toMatchObject({ reason: 'certificate-invalid', pathReason: 'crl-invalid' });
  });

  it('refuses an Enrollment Agent certificate (wrong EKU)', async () => {
    const agentCard = await PhysicalSmartCard.create({
      pinHashIterations: 1,
      keySource: fixtureKeySource,
    });
    new SimulatedReader().insert(agentCard);
    await agentCard.verifyPin(PIN);
    const request = await new EnrollmentBuilder().template('EnrollmentAgent').build(agentCard);
    const issued = await ca.issue(request, { requester: AGENT.account });
    if (issued.status !== 'issued') throw new Error(issued.reason);
    await agentCard.installCertificate(request.container, issued.certificate);
    const agent = {
      card: agentCard,
      container: request.container,
      certificate: issued.certificate,
    };
    const auth = authenticator();
    const result = await auth.verify(await answer(auth, agent, AGENT.upn));
    expect(result).toMatchObject({
      verified: false,
      reason: 'certificate-invalid',
      pathReason: 'eku',
    });
  });

  it("refuses Alice's card answering Bob's challenge", async () => {
    const auth = authenticator();
    expect(await reasonOf(auth.verify(await answer(auth, physical, BOB.upn)))).toBe('wrong-user');
  });

  it('refuses a signature over the raw challenge, without the domain separation', async () => {
    const auth = authenticator();
    for (const who of [physical, virtual]) {
      const challenge = await auth.challenge({ address: ALICE.upn as string });
      const signature = await who.card.sign(who.container, new Uint8Array(challenge.challenge));
      const response = { id: challenge.id, rpId: RP_ID, signature, certificate: who.certificate };
      expect(await reasonOf(auth.verify(response))).toBe('bad-signature');
    }
  });

  it('refuses an answer signed for another service (rpId): wrong-service, else bad-signature', async () => {
    const auth = authenticator();
    const challenge = await auth.challenge({ address: ALICE.upn as string });
    const message = signInMessage('mail.contoso.test', challenge.id, challenge.challenge);
    const signature = await physical.card.sign(physical.container, message, { hash: 'SHA-256' });
    const forMail = { id: challenge.id, signature, certificate: physical.certificate };
    expect(await reasonOf(auth.verify({ ...forMail, rpId: 'mail.contoso.test' }))).toBe(
      'wrong-service',
    );
    const again = await auth.challenge({ address: ALICE.upn as string });
    const relabelled = await physical.card.sign(
      physical.container,
      signInMessage('mail.contoso.test', again.id, again.challenge),
      { hash: 'SHA-256' },
    );
    const response = { ...forMail, id: again.id, rpId: RP_ID, signature: relabelled };
    expect(await reasonOf(auth.verify(response))).toBe('bad-signature');
  });

  it('refuses a tampered signature, and a certificate that is not the signer’s', async () => {
    const auth = authenticator();
    const response = await answer(auth, physical);
    const signature = response.signature.slice();
    signature[10] = (signature[10] as number) ^ 1;
    expect(await reasonOf(auth.verify({ ...response, signature }))).toBe('bad-signature');

    const other = await answer(auth, physical);
    expect(await reasonOf(auth.verify({ ...other, certificate: virtual.certificate }))).toBe(
      'bad-signature',
    );
  });
});

describe('the service binding (rpId)', () => {
  /** The card, with a count of the signatures asked of it. */
  function counted(who: Enrolled) {
    const sign = vi.spyOn(who.card, 'sign');
    return { sign, done: () => sign.mockRestore() };
  }

  it('the Authenticator requires its service name, and every challenge carries it', async () => {
    for (const rpId of [undefined, '', 'a\0b', 7]) {
      expect(() => authenticator({ rpId: rpId as string })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
      );
    }
    const challenge = await authenticator().challenge({ address: ALICE.upn as string });
    expect(challenge.rpId).toBe(RP_ID);
  });

  it('a challenge relayed from another service is refused before the card signs', async () => {
    // The real service issues a challenge; a hostile one hands it to its own users' client.
    const real = authenticator();
    const relayed = await real.challenge({ address: ALICE.upn as string });
    const { sign, done } = counted(physical);
    try {
      const error = await signChallenge(physical.card, physical.container, relayed, {
        rpId: 'hostile.example',
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongServiceError);
      expect((error as WrongServiceError).code).toBe('ERR_WRONG_SERVICE');
      // Relabelled as the hostile service's, the card's answer would not verify at the real one.
      const relabelled = { ...relayed, rpId: 'hostile.example' };
      const answer = await signChallenge(physical.card, physical.container, relabelled, {
        rpId: 'hostile.example',
      });
      expect(sign).toHaveBeenCalledTimes(1);
      expect(await reasonOf(real.verify(answer))).toBe('wrong-service');
      // A challenge that names no service is of the wrong shape.
      const { rpId: _, ...unnamed } = relayed;
      await expect(
        signChallenge(physical.card, physical.container, unnamed as never, { rpId: RP_ID }),
      ).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
      expect(sign).toHaveBeenCalledTimes(1);
    } finally {
      done();
    }
  });

  it('the client expects its rpId: given, else the page host in a browser, else it throws', async () => {
    const auth = authenticator();
    const challenge = await auth.challenge({ address: ALICE.upn as string });
    await expect(signChallenge(physical.card, physical.container, challenge)).rejects.toMatchObject(
      { code: 'ERR_INVALID_INPUT' },
    );
    try {
      vi.stubGlobal('location', { hostname: 'hostile.example' });
      await expect(
        signChallenge(physical.card, physical.container, challenge),
      ).rejects.toMatchObject({ code: 'ERR_WRONG_SERVICE' });
      vi.stubGlobal('location', { hostname: RP_ID });
      const response = await signChallenge(physical.card, physical.container, challenge);
      expect(response.rpId).toBe(RP_ID);
      expect((await auth.verify(response)).verified).toBe(true);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

async function reasonOf(result: ReturnType<Authenticator['verify']>): Promise<string> {
  const outcome = await result;
  return outcome.verified ? 'verified' : outcome.reason;
}

/** r‖s to a DER Ecdsa-Sig-Value (short lengths: P-256). */
function p1363ToDer(signature: Uint8Array): Uint8Array {
  const half = signature.length / 2;
  const integer = (bytes: Uint8Array) => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    const trimmed = bytes.subarray(i);
    const body = (trimmed[0] as number) & 0x80 ? [0, ...trimmed] : [...trimmed];
    return [0x02, body.length, ...body];
  };
  const content = [...integer(signature.subarray(0, half)), ...integer(signature.subarray(half))];
  return new Uint8Array([0x30, content.length, ...content]);
}
