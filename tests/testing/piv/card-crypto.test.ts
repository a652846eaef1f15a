import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PIV_ALGORITHM } from '../../../src/card/piv/piv-constants.js';
import { encryptBlock } from '../../../src/lib/block-cipher.js';
import { concatBytes, fromHex, toHex } from '../../../src/lib/bytes.js';
import { ecdsaP1363 } from '../../../src/lib/ecdsa.js';
import { encodeFascn } from '../../../src/testing/piv/chuid.js';
import { onCurve, P256, P384 } from '../../../src/testing/piv/ec-curves.js';
import { managementCipher } from '../../../src/testing/piv/management-cipher.js';
import {
  fixturePivKeySource,
  type PivKeyAlgorithm,
  privateKeyOperation,
} from '../../../src/testing/piv/slot-keys.js';

const crypto = webcrypto as unknown as Crypto;
const hex = (text: string) => fromHex(text.replaceAll(' ', '')) ?? new Uint8Array(0);

/** DigestInfo prefix of SHA-256 (RFC 8017 §9.2 note 1). */
const SHA256_PREFIX = hex('3031300d060960864801650304020105000420');

/** The EMSA-PKCS1-v1_5 block of a SHA-256 hash for a 256-byte modulus. */
function pkcs1Block(hash: Uint8Array): Uint8Array<ArrayBuffer> {
  const info = concatBytes(SHA256_PREFIX, hash);
  const padding = new Uint8Array(256 - 3 - info.length).fill(0xff);
  return concatBytes(Uint8Array.of(0, 1), padding, Uint8Array.of(0), info);
}

async function publicKey(
  pkcs8: Uint8Array<ArrayBuffer>,
  params: EcKeyImportParams | RsaHashedImportParams,
) {
  const key = await crypto.subtle.importKey('pkcs8', pkcs8, params, true, ['sign']);
  const jwk = await crypto.subtle.exportKey('jwk', key);
  const { kty, n, e, crv, x, y } = jwk;
  const pub = { kty, n, e, crv, x, y } as JsonWebKey;
  return crypto.subtle.importKey('jwk', pub, params, false, ['verify']);
}

describe('the PIV test card crypto, checked by WebCrypto', () => {
  const message = new TextEncoder().encode('sign me');

  it('raw RSA on a host-built PKCS#1 block is an RSASSA-PKCS1-v1_5 signature', async () => {
    const algorithm = PIV_ALGORITHM.RSA_2048;
    const pkcs8 = await fixturePivKeySource(algorithm, crypto);
    const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', message));
    const signature = await privateKeyOperation(crypto, { algorithm, pkcs8 }, pkcs1Block(hash));
    const params = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    expect(signature).toHaveLength(256);
    const verified = await crypto.subtle.verify(
      params,
      await publicKey(pkcs8, params),
      signature ?? new Uint8Array(0),
      message,
    );
    expect(verified).toBe(true);
    expect(
      await privateKeyOperation(crypto, { algorithm, pkcs8 }, new Uint8Array(255)),
    ).toBeUndefined();
    const tooBig = new Uint8Array(256).fill(0xff);
    expect(await privateKeyOperation(crypto, { algorithm, pkcs8 }, tooBig)).toBeUndefined();
  });

  it.each([
    [PIV_ALGORITHM.ECC_P256, 'P-256', 'SHA-256', 32],
    [PIV_ALGORITHM.ECC_P384, 'P-384', 'SHA-384', 48],
  ] as const)(
    'ECDSA on the hash (alg %d, %s) verifies',
    async (algorithm, curve, hashName, size) => {
      const pkcs8 = await fixturePivKeySource(algorithm as PivKeyAlgorithm, crypto);
      const hash = new Uint8Array(await crypto.subtle.digest(hashName, message));
      const der = await privateKeyOperation(crypto, { algorithm, pkcs8 }, hash);
      const params = { name: 'ECDSA', namedCurve: curve };
      const raw = ecdsaP1363(der ?? new Uint8Array(0), size);
      expect(raw).toBeDefined();
      const key = await publicKey(pkcs8, params);
      const ok = await crypto.subtle.verify(
        { name: 'ECDSA', hash: hashName },
        key,
        raw ?? new Uint8Array(0),
        message,
      );
      expect(ok).toBe(true);
    },
  );

  it('a P-256 key signs a SHA-384 hash by its leftmost 256 bits (FIPS 186-4 §6.4)', async () => {
    const algorithm = PIV_ALGORITHM.ECC_P256;
    const pkcs8 = await fixturePivKeySource(algorithm, crypto);
    const hash = new Uint8Array(await crypto.subtle.digest('SHA-384', message));
    const der = await privateKeyOperation(crypto, { algorithm, pkcs8 }, hash);
    const key = await publicKey(pkcs8, { name: 'ECDSA', namedCurve: 'P-256' });
    const raw = ecdsaP1363(der ?? new Uint8Array(0), 32) ?? new Uint8Array(0);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-384' }, key, raw, message)).toBe(
      true,
    );
  });

  it('the curves’ base points are on their curves', () => {
    expect(onCurve(P256, P256.generator)).toBe(true);
    expect(onCurve(P384, P384.generator)).toBe(true);
    expect(onCurve(P256, { x: P256.generator.x, y: P256.generator.y + 1n })).toBe(false);
  });

  it('AES management blocks match FIPS-197 appendix C, through lib/block-cipher', async () => {
    const plain = hex('00112233445566778899aabbccddeeff');
    const cases = [
      [
        PIV_ALGORITHM.AES_128,
        '000102030405060708090a0b0c0d0e0f',
        '69c4e0d86a7b0430d8cdb78070b4c55a',
      ],
      [
        PIV_ALGORITHM.AES_192,
        '000102030405060708090a0b0c0d0e0f1011121314151617',
        'dda97ca4864cdfe06eaf70a0ec0d7191',
      ],
      [
        PIV_ALGORITHM.AES_256,
        '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
        '8ea2b7ca516745bfeafc49904b496089',
      ],
    ] as const;
    for (const [algorithm, key, cipher] of cases) {
      const encrypted = await encryptBlock(
        crypto.subtle,
        managementCipher(algorithm),
        hex(key),
        plain,
      );
      expect(toHex(encrypted)).toBe(cipher);
    }
    const tdes = await encryptBlock(
      crypto.subtle,
      managementCipher(PIV_ALGORITHM.TDES),
      hex('0123456789abcdef23456789abcdef01456789abcdef0123'),
      hex('5468652071756663'),
    );
    expect(toHex(tdes)).toBe('a826fd8ce53b855f');
  });

  it('encodes the FASC-N test cards carry (agency 9999, system 9999, credential 999999)', () => {
    const fascn = encodeFascn({
      agencyCode: '9999',
      systemCode: '9999',
      credentialNumber: '999999',
      credentialSeries: '0',
      individualCredentialIssue: '1',
      personIdentifier: '0000000000',
      organizationalCategory: '3',
      organizationalIdentifier: '0000',
      personAssociation: '1',
    });
    expect(toHex(fascn)).toBe('d4e739da739ced39ce739d836858210842108421c84210c3eb');
  });
});
