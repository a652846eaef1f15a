import { beforeAll, describe, expect, it } from 'vitest';
import type { EmulatedSmartCard } from '../../src/card/index.js';
import type { CertificateAuthority } from '../../src/enrollment/ca/index.js';
import { validateCertificatePath } from '../../src/server/index.js';
import { signChallenge } from '../../src/session/sign-challenge.js';
import {
  ADDRESS,
  authenticatorFor,
  enrolledCard,
  RP_ID,
  signInPki,
} from '../session/support/sign-in.js';
import { everyElementEdited } from './support/der-tree.js';
import { mutate, Outcomes, Random } from './support/mutate.js';

/**
 * The sign-in side takes bytes from the network: `validateCertificatePath` (leaf,
 * intermediates, anchors, CRLs) and `Authenticator.verify` (certificate, intermediates,
 * signature) answer a result for any bytes, or throw only `SmartCardError`s. Mutations of a
 * valid sign-in and random bytes, from fixed seeds; a fixed number of cases.
 */
let ca: CertificateAuthority;
let clock: Awaited<ReturnType<typeof signInPki>>['clock'];
let card: EmulatedSmartCard;
let container: string;
let leaf: Uint8Array;
let crls: Uint8Array[];

beforeAll(async () => {
  ({ ca, clock } = await signInPki());
  ({ card } = await enrolledCard(ca, 'physical'));
  await card.verifyPin('12345678');
  const [first] = await card.containers();
  if (first === undefined) throw new Error('no container');
  container = first.name;
  leaf = (await card.certificate(container)) as Uint8Array;
  crls = [await ca.crl(), await ca.rootCrl()];
});

describe('fuzz: sign-in entries throw only SmartCardErrors', () => {
  it('validateCertificatePath with a mutated leaf, intermediate, anchor or CRL', async () => {
    const random = new Random(0x5eed_0101);
    const outcomes = new Outcomes();
    const valid = { leaf, intermediates: [ca.issuer], trustAnchors: [ca.root], crls };
    expect(await validateCertificatePath({ ...valid, clock })).toMatchObject({ valid: true });
    for (let i = 0; i < 200; i++) {
      const part = random.pick(['leaf', 'intermediate', 'anchor', 'crl', 'issuing crl'] as const);
      const options = {
        ...valid,
        clock,
        revocation: random.pick(['if-available', 'require'] as const),
      };
      let how: string;
      if (part === 'leaf') ({ bytes: options.leaf, how } = mutate(leaf, random));
      else if (part === 'intermediate') {
        const { bytes, how: h } = mutate(ca.issuer, random);
        options.intermediates = [bytes];
        how = h;
      } else if (part === 'anchor') {
        const { bytes, how: h } = mutate(ca.root, random);
        options.trustAnchors = [bytes];
        how = h;
      } else {
        const index = part === 'crl' ? 1 : 0;
        const { bytes, how: h } = mutate(crls[index] as Uint8Array, random);
        options.crls =
          index === 0 ? [bytes, crls[1] as Uint8Array] : [crls[0] as Uint8Array, bytes];
        how = h;
      }
      await outcomes.run(`#${i} ${part} (${how})`, () => validateCertificatePath(options));
    }
    expect(outcomes.untyped).toEqual([]);
    expect(outcomes.answered).toBe(200);
  });

  it('validateCertificatePath with every element of the leaf or a CRL emptied, deleted or a bad time', async () => {
    const outcomes = new Outcomes();
    const valid = { leaf, intermediates: [ca.issuer], trustAnchors: [ca.root], crls, clock };
    for (const { bytes, how } of everyElementEdited(leaf)) {
      await outcomes.run(`leaf ${how}`, () => validateCertificatePath({ ...valid, leaf: bytes }));
    }
    for (const { bytes, how } of everyElementEdited(crls[0] as Uint8Array)) {
      await outcomes.run(`CRL ${how}`, () =>
        validateCertificatePath({ ...valid, crls: [bytes, crls[1] as Uint8Array] }),
      );
    }
    expect(outcomes.untyped).toEqual([]);
    expect(outcomes.typed).toBe(0);
  });

  it('Authenticator.verify with a mutated certificate, intermediates or signature', async () => {
    const random = new Random(0x5eed_0102);
    const outcomes = new Outcomes();
    const auth = authenticatorFor(ca, clock, { crls });
    for (let i = 0; i < 120; i++) {
      const challenge = await auth.challenge({ address: ADDRESS });
      const response = await signChallenge(card, container, challenge, { rpId: RP_ID });
      const part = random.pick([
        'certificate',
        'intermediates',
        'signature',
        'random',
        'crl',
      ] as const);
      let how = '';
      let answer = { ...response, intermediates: [ca.issuer] };
      if (part === 'certificate') {
        ({ bytes: answer.certificate, how } = mutate(response.certificate, random));
      } else if (part === 'intermediates') {
        const { bytes, how: h } = mutate(ca.issuer, random);
        answer = { ...answer, intermediates: [bytes, random.bytes(random.below(64))] };
        how = h;
      } else if (part === 'signature') {
        ({ bytes: answer.signature, how } = mutate(response.signature, random));
      } else {
        answer = { ...answer, certificate: random.bytes(random.below(2000)) };
      }
      if (part === 'crl') {
        // The CRLs an Authenticator is given (by a function: fetched, so untrusted too).
        const { bytes, how: h } = mutate(crls[random.below(2)] as Uint8Array, random);
        how = h;
        const other = authenticatorFor(ca, clock, { crls: async () => [bytes] });
        const own = await other.challenge({ address: ADDRESS });
        const signed = await signChallenge(card, container, own, { rpId: RP_ID });
        await outcomes.run(`#${i} ${part} (${how})`, () =>
          other.verify({ ...signed, intermediates: [ca.issuer] }),
        );
        continue;
      }
      await outcomes.run(`#${i} ${part} (${how})`, () => auth.verify(answer));
    }
    expect(outcomes.untyped).toEqual([]);
    expect(outcomes.answered).toBeGreaterThan(90);
  });
});
