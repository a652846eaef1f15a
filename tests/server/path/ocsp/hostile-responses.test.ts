/**
 * Hostile OCSP responses never throw out of validation and never pass: mutations of a good
 * answer (signed by the CA, and by a delegated responder it sends along), every element of it
 * emptied, deleted or given a bad time, and random bytes. In hard-fail mode each is a result,
 * never a throw, and none validates unless it is still the good answer's meaning, signed.
 */
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sameBytes } from '../../../../src/lib/der-values.js';
import { explicit, octetString, oid, sequence, tlv } from '../../../../src/lib/der-write.js';
import { validateCertificatePath } from '../../../../src/server/index.js';
import { everyElementEdited } from '../../../fuzz/support/der-tree.js';
import { mutate, Outcomes, Random } from '../../../fuzz/support/mutate.js';
import { NOW } from '../support/issue.js';
import { ocspPki, ocspResponse, type Pki, responder } from './support.js';

let pki: Pki;
let byIssuer: Uint8Array;
let byDelegate: Uint8Array;
beforeAll(async () => {
  pki = await ocspPki();
  byIssuer = await ocspResponse({ cert: pki.leaf, issuer: pki.ca });
  const delegate = await responder(pki.ca, { nocheck: true });
  byDelegate = await ocspResponse({
    cert: pki.leaf,
    issuer: pki.ca,
    signer: delegate,
    certs: [delegate.der],
  });
});

/** The BasicOCSPResponse inside a successful OCSPResponse, as pkijs reads it. */
function basicOf(response: Uint8Array): Uint8Array {
  const read = pkijs.OCSPResponse.fromBER(response.slice());
  return new Uint8Array(read.responseBytes?.response.valueBlock.valueHexView ?? []);
}

/** A successful OCSPResponse around `basic`. */
const successful = (basic: Uint8Array) =>
  sequence(
    tlv(0x0a, new Uint8Array([0])),
    explicit(0, sequence(oid('1.3.6.1.5.5.7.48.1.1'), octetString(basic))),
  );

/** Validates with `bytes` as the responder's answer; the verdict, or a throw. */
async function verdictFor(bytes: Uint8Array): Promise<string> {
  const result = await validateCertificatePath({
    leaf: pki.leaf.der,
    intermediates: [pki.ca.der],
    trustAnchors: [pki.root.der],
    time: NOW,
    ocsp: { fetch: async () => bytes, mode: 'hard-fail', nonce: false },
  });
  return result.valid ? 'valid' : result.reason;
}

describe('hostile OCSP responses', () => {
  it('the unmutated answers validate, also taken apart and put together again', async () => {
    expect(await verdictFor(byIssuer)).toBe('valid');
    expect(await verdictFor(byDelegate)).toBe('valid');
    expect(await verdictFor(successful(basicOf(byDelegate)))).toBe('valid');
  });

  it('mutated answers and random bytes are results, and are refused', async () => {
    const random = new Random(0x0c5b_0001);
    const outcomes = new Outcomes();
    const passed: string[] = [];
    for (let i = 0; i < 300; i++) {
      const original = i % 2 === 0 ? byIssuer : byDelegate;
      const { bytes, how } =
        i % 10 === 9
          ? { bytes: random.bytes(random.below(300)), how: 'random bytes' }
          : mutate(original, random);
      await outcomes.run(`#${i} (${how})`, async () => {
        const changed = !sameBytes(bytes, original);
        if (changed && (await verdictFor(bytes)) === 'valid') passed.push(`#${i} ${how}`);
      });
    }
    expect(outcomes.untyped).toEqual([]);
    expect(outcomes.answered).toBe(300);
    expect(passed).toEqual([]);
  });

  it('every element emptied, deleted or given a bad time is a result, and is refused', async () => {
    const outcomes = new Outcomes();
    const passed: string[] = [];
    for (const original of [byIssuer, byDelegate]) {
      // The envelope, then the BasicOCSPResponse inside its OCTET STRING.
      // An emptied NULL is the same bytes: only changed answers must be refused.
      for (const { bytes, how } of everyElementEdited(original)) {
        await outcomes.run(how, async () => {
          const changed = !sameBytes(bytes, original);
          if (changed && (await verdictFor(bytes)) === 'valid') passed.push(how);
        });
      }
      const basic = basicOf(original);
      for (const { bytes, how } of everyElementEdited(basic)) {
        await outcomes.run(`basic ${how}`, async () => {
          const changed = !sameBytes(bytes, basic);
          const verdict = await verdictFor(successful(bytes));
          if (changed && verdict === 'valid') passed.push(`basic ${how}`);
        });
      }
    }
    expect(outcomes.untyped).toEqual([]);
    expect(outcomes.typed).toBe(0);
    expect(passed).toEqual([]);
  });
});
