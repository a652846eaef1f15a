import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority } from '../../../src/enrollment/ca/index.js';
import { SmartCardError } from '../../../src/errors.js';
import { children, readSingle } from '../../../src/lib/der.js';
import { codeOf } from '../../support/errors.js';
import { AGENT, ALICE, testCa } from '../support/ca.js';
import { cmc, skiOf } from '../support/cmc.js';
import { ecKey, pkcs10, rsaKey } from '../support/requests.js';

let ca: CertificateAuthority;
const samples: Record<string, Uint8Array<ArrayBuffer>> = {};

beforeAll(async () => {
  ca = await testCa({ issuing: true });
  const key = await ecKey();
  const options = {
    template: 'SmartcardUser',
    nameValueTemplate: 'SmartcardUser',
    keySpec: 1,
    san: { upn: 'alice@contoso.test', email: 'alice@contoso.test' },
  };
  samples.pkcs10 = await pkcs10(key, options);
  samples.rsa = await pkcs10(await rsaKey(8), options);
  samples.cmc = await cmc({
    requests: [samples.pkcs10],
    signer: { key, ski: await skiOf(key.spki) },
  });
  const agentKey = await ecKey();
  const agent = await ca.issue(await pkcs10(agentKey, { template: 'EnrollmentAgent' }), {
    requester: AGENT.account,
  });
  if (agent.status !== 'issued') throw new Error(agent.reason);
  samples.agent = await cmc({
    requests: [await pkcs10(await ecKey(), { template: 'SmartcardUser' })],
    signer: { key: agentKey, certificate: agent.certificate },
    regInfo: ['requestername=CONTOSO%5Calice'],
  });
});

/** What `issue` did with the bytes: a disposition status, an SDK error code, or a crash. */
async function outcome(bytes: Uint8Array, requester = ALICE.account): Promise<string> {
  try {
    return (await ca.issue(bytes, { requester })).status;
  } catch (error) {
    return SmartCardError.is(error) ? error.code : `crash: ${String(error)}`;
  }
}

const NAMES = ['pkcs10', 'rsa', 'cmc', 'agent'] as const;

describe('malformed requests', () => {
  it('the samples themselves are issued', async () => {
    for (const name of NAMES) {
      const requester = name === 'agent' ? AGENT.account : ALICE.account;
      expect(await outcome(samples[name] as Uint8Array, requester), name).toBe('issued');
    }
  });

  it.each(NAMES)('%s truncated at every byte is refused with ERR_REQUEST_INVALID', async (name) => {
    const der = samples[name] as Uint8Array;
    const outcomes = new Set<string>();
    for (let length = 0; length < der.length; length++) {
      outcomes.add(await outcome(der.subarray(0, length)));
    }
    expect([...outcomes]).toEqual(['ERR_REQUEST_INVALID']);
  });

  it.each(NAMES)('%s with bits flipped is refused or answered, never a crash', async (name) => {
    const der = samples[name] as Uint8Array;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat(der.length - 1), bit: fc.nat(7) }), {
          minLength: 1,
          maxLength: 3,
        }),
        async (flips) => {
          const bytes = der.slice();
          for (const { at, bit } of flips) bytes[at] = (bytes[at] ?? 0) ^ (1 << bit);
          // The same bit flipped twice is no change: that request is rightly issued.
          fc.pre(bytes.some((b, i) => b !== der[i]));
          const result = await outcome(bytes);
          expect(result).toMatch(/^(ERR_[A-Z_]+|issued|denied|pending)$/);
          // Everything in a PKCS#10 request but its signature is signed: no flip gets through.
          if (name === 'pkcs10' || name === 'rsa') expect(result).toBe('ERR_REQUEST_INVALID');
        },
      ),
      { numRuns: 250 },
    );
  });

  it('random bytes and BER oddities are refused', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        expect(await outcome(bytes)).toBe('ERR_REQUEST_INVALID');
      }),
      { numRuns: 300 },
    );
    const odd = [
      [0x30, 0x80, 0x30, 0x00, 0x00, 0x00], // indefinite length
      [0x30, 0x84, 0xff, 0xff, 0xff, 0xff], // a length past the end
      [0x30, 0x81, 0x02, 0x30, 0x00], // a length that is not minimal
      [
        ...Array(40)
          .fill(0x30)
          .flatMap((t, i) => [t, 2 * (39 - i)]),
      ], // deep nesting
    ];
    for (const bytes of odd)
      expect(await outcome(new Uint8Array(bytes))).toBe('ERR_REQUEST_INVALID');
  });

  it('wrong content types are refused', async () => {
    const replace = (der: Uint8Array, from: number[], to: number[]) => {
      const hex = Buffer.from(der).toString('hex');
      const swapped = hex.replace(
        Buffer.from(from).toString('hex'),
        Buffer.from(to).toString('hex'),
      );
      expect(swapped).not.toBe(hex);
      return new Uint8Array(Buffer.from(swapped, 'hex'));
    };
    const pkiData = [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x0c, 0x02];
    const pkiResponse = [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x0c, 0x03];
    const signedData = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
    const envelopedData = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03];
    const cmcDer = samples.cmc as Uint8Array;
    expect(
      await codeOf(ca.issue(replace(cmcDer, pkiData, pkiResponse), { requester: ALICE.account })),
    ).toBe('ERR_REQUEST_INVALID');
    expect(
      await codeOf(
        ca.issue(replace(cmcDer, signedData, envelopedData), { requester: ALICE.account }),
      ),
    ).toBe('ERR_REQUEST_INVALID');
  });
});

describe('what the CA does not read is still well-formed', () => {
  it.each<[string, number[]]>([
    ['a BMPString cut inside a character', [0x1e, 0x03]],
    ['a constructed INTEGER', [0x22, 0x03]],
  ])('a subject name holding %s is refused as malformed DER', async (_, header) => {
    const request = await pkcs10(await ecKey(), { template: 'SmartcardLogon', commonName: 'abc' });
    // The subject's common name, a UTF8String "abc", retagged in place.
    const at = Buffer.from(request).indexOf(Buffer.from([0x0c, 0x03, 0x61, 0x62, 0x63]));
    expect(at).toBeGreaterThan(0);
    const damaged = request.slice();
    damaged.set(header, at);
    if (header[0] === 0x22) damaged.set([0x02, 0x01, 0x05], at + 2); // holding INTEGER 5
    const error = await ca.issue(damaged, { requester: ALICE.account }).catch((e: unknown) => e);
    expect(SmartCardError.is(error, 'ERR_REQUEST_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/not well-formed DER/);
  });
});

describe('ECDSA signatures are read strictly (found by the bit-flip property)', () => {
  /** The offset of the signature BIT STRING's value in a PKCS#10 request. */
  function signatureValue(der: Uint8Array): number {
    const top = readSingle(der);
    const [, , signature] = children(der, top);
    return (signature?.valueStart ?? 0) + 1; // past the unused-bits byte
  }

  it.each<[string, (bytes: Uint8Array, at: number) => void]>([
    ['Ecdsa-Sig-Value as a primitive SEQUENCE', (b, at) => b.set([0x10], at)],
    ['r as ENUMERATED', (b, at) => b.set([0x0a], at + 2)],
    [
      'a signatureAlgorithm SEQUENCE made primitive',
      (b) => {
        const [, algorithm] = children(b, readSingle(b));
        b.set([0x10], algorithm?.start ?? 0);
      },
    ],
  ])('refuses %s', async (_, edit) => {
    const bytes = (samples.pkcs10 as Uint8Array).slice();
    edit(bytes, signatureValue(bytes));
    expect(await outcome(bytes)).toBe('ERR_REQUEST_INVALID');
  });
});
