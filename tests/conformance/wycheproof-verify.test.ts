import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bitString, integer, nullValue, oid, sequence } from '../../src/lib/der-write.js';
import { verifyCardSignature } from '../../src/server/authenticator/signature.js';
import { keyFacts, SignatureChecker } from '../../src/server/path/signature.js';

/**
 * Wycheproof's RSASSA-PKCS1-v1_5 verification vectors (tests/conformance/data/, 259 cases:
 * malformed and BER-encoded padding, wrong hashes, signatures of the wrong size, small public
 * keys) through the two signature checks of sign-in: the `SignatureChecker` path validation
 * uses for certificates and CRLs (sha256WithRSAEncryption), and `verifyCardSignature`, the
 * Authenticator's check of a card's answer (RSA with SHA-256). Valid cases must verify, invalid
 * ones must be refused, by both.
 *
 * Decision on the one "acceptable" case (tcId 8, MissingNull: a DigestInfo without the NULL
 * parameters of the hash algorithm): refused. PKCS#1 v2.2 §9.2 gives one encoding with NULL;
 * no card or CA of this SDK signs without it, and accepting a second encoding only widens what
 * passes. The test fixes the decision: if the verifier ever accepted it, this test says so.
 */
interface Case {
  tcId: number;
  comment: string;
  flags: string[];
  msg: string;
  sig: string;
  result: 'valid' | 'invalid' | 'acceptable';
}

interface Group {
  publicKeyDer: string;
  sha: string;
  tests: Case[];
}

const path = new URL('./data/wycheproof-rsa-signature-2048-sha256.json', import.meta.url);
const suite = JSON.parse(readFileSync(path, 'utf8')) as {
  numberOfTests: number;
  testGroups: Group[];
};
const hex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

/** AlgorithmIdentifier { sha256WithRSAEncryption, NULL }, DER. */
const SHA256_WITH_RSA = hex('300d06092a864886f70d01010b0500');

/** A decision this SDK takes on a case Wycheproof calls acceptable: accepted or not. */
const ACCEPTABLE: Readonly<Record<number, boolean>> = { 8: false };

describe('Wycheproof rsa_signature_2048_sha256 through the sign-in verifiers', () => {
  it('verifies the valid cases and refuses the invalid ones, all 259', async () => {
    const results = { valid: 0, invalid: 0, acceptable: 0 };
    const disagreements: string[] = [];
    for (const group of suite.testGroups) {
      expect(group.sha).toBe('SHA-256');
      const spki = hex(group.publicKeyDer);
      const key = keyFacts(spki);
      if (typeof key === 'string') throw new Error(`a Wycheproof key is refused: ${key}`);
      for (const test of group.tests) {
        const message = hex(test.msg);
        const signature = hex(test.sig);
        const checker = new SignatureChecker(globalThis.crypto);
        const path = await checker.verify(spki, key, SHA256_WITH_RSA, message, signature);
        const card = await verifyCardSignature(globalThis.crypto, spki, message, signature);
        const expected =
          test.result === 'acceptable' ? ACCEPTABLE[test.tcId] : test.result === 'valid';
        if (expected === undefined) throw new Error(`no decision for acceptable tcId ${test.tcId}`);
        for (const [who, answer] of [
          ['path', path],
          ['card', card],
        ] as const) {
          if ((answer === true) !== expected) {
            disagreements.push(`tcId ${test.tcId} (${test.comment}, ${who}): ${String(answer)}`);
          }
        }
        if ((path === true) === expected && (card === true) === expected) {
          results[test.result] += 1;
        }
      }
    }
    expect(disagreements).toEqual([]);
    expect(results).toEqual({ valid: 9, invalid: 249, acceptable: 1 });
    expect(results.valid + results.invalid + results.acceptable).toBe(suite.numberOfTests);
  });

  it('refuses keys that make each check costly: an exponent above 2^32, a modulus above 4096 bits', async () => {
    // The valid case 1 under the same modulus with e = 2^32 + 1: refused as a key, so no
    // signature under it is checked (each check costs as many multiplications as e has bits).
    const group = suite.testGroups[0] as Group;
    const spki = hex(group.publicKeyDer);
    const rsaKey = (modulus: Uint8Array, exponent: Uint8Array) =>
      sequence(
        sequence(oid('1.2.840.113549.1.1.1'), nullValue()),
        bitString(sequence(integer(modulus), integer(exponent))),
      );
    const modulus = spki.subarray(spki.length - 5 - 256, spki.length - 5);
    expect(rsaKey(modulus, new Uint8Array([1, 0, 1]))).toEqual(spki);
    const test = group.tests[0] as Case;
    const bigE = rsaKey(modulus, new Uint8Array([1, 0, 0, 0, 1]));
    expect(keyFacts(bigE)).toMatch(/exponent/);
    const answer = await verifyCardSignature(globalThis.crypto, bigE, hex(test.msg), hex(test.sig));
    expect(answer).toMatch(/exponent/);
    // 2^32 - 1 is still accepted (an odd exponent of 32 bits).
    expect(keyFacts(rsaKey(modulus, new Uint8Array([0xff, 0xff, 0xff, 0xff])))).toEqual({
      kind: 'rsa',
      bits: 2048,
    });
    // RSA-4104 (what 8192 was allowed before): refused; RSA-4096 accepted.
    const modulusOf = (bytes: number) => new Uint8Array(bytes).fill(0x35).fill(0xc1, 0, 1);
    const e = new Uint8Array([1, 0, 1]);
    expect(keyFacts(rsaKey(modulusOf(513), e))).toBe('an RSA key of 4104 bits');
    expect(keyFacts(rsaKey(modulusOf(512), e))).toEqual({ kind: 'rsa', bits: 4096 });
  });
});
