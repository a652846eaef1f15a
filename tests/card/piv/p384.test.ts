/**
 * ECDSA P-384 keys through PivSmartCard: generated into a slot with PIV algorithm 14,
 * signing with the SHA-384 hash sent whole (48 bytes), and a challenge signed with such a key
 * verified by the Authenticator. The embedded CA certifies only P-256 keys, so the certificate
 * here is issued with pkijs by a root made for the test.
 */
import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { PivSmartCard } from '../../../src/card/index.js';
import { FACTORY_DEFAULTS } from '../../../src/card/piv/piv-constants.js';
import { sequence } from '../../../src/lib/der-write.js';
import { Authenticator } from '../../../src/server/index.js';
import { signChallenge } from '../../../src/session/index.js';
import { TEST_USERS } from '../../../src/testing/index.js';
import { upn } from '../../enrollment/support/hand-made-certificate.js';
import { ext, issue } from '../../server/path/support/issue.js';
import { FACTORY_MANAGEMENT_KEY, openPivCard } from './piv-support.js';

const PIN = FACTORY_DEFAULTS.pin;
const P384_OID = new Uint8Array([0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22]); // 1.3.132.0.34
const GENERAL_AUTHENTICATE = 0x87;
const GENERATE = 0x47;
const RP_ID = 'intranet.contoso.test';

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  for (let start = 0; start + needle.length <= haystack.length; start += 1) {
    if (needle.every((byte, offset) => haystack[start + offset] === byte)) return true;
  }
  return false;
}

async function p384Key(spki: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'spki',
    new Uint8Array(spki),
    { name: 'ECDSA', namedCurve: 'P-384' },
    true,
    ['verify'],
  );
}

describe('PivSmartCard: ECDSA-P384 keys', () => {
  it('generates a P-384 key with algorithm 14 and signs the whole SHA-384 hash', async () => {
    const { card, trace } = await openPivCard();
    await card.verifyPin(PIN);
    const key = await card.generateKeyPair({ algorithm: 'ECDSA-P384', keySpec: 'signature' });
    expect(key).toMatchObject({ algorithm: 'ECDSA-P384', keySpec: 'signature' });
    expect(contains(key.publicKey, P384_OID)).toBe(true);
    const generate = trace.find((event) => event.command[1] === GENERATE);
    // AC { 80 14 }: the algorithm P-384.
    expect(contains(generate?.command ?? new Uint8Array(), Uint8Array.of(0x80, 0x01, 0x14))).toBe(
      true,
    );

    const data = new TextEncoder().encode('challenge');
    const signature = await card.sign(key.name, data, { hash: 'SHA-384' });
    expect(signature.length).toBe(96);
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-384', data));
    const sent = trace.filter((event) => event.command[1] === GENERAL_AUTHENTICATE).at(-1);
    // 81 30 <the 48-byte hash>
    expect(contains(sent?.command ?? new Uint8Array(), Uint8Array.of(0x81, 0x30, ...digest))).toBe(
      true,
    );
    const publicKey = await p384Key(key.publicKey);
    const verify = (hash: string, bytes: Uint8Array) =>
      crypto.subtle.verify({ name: 'ECDSA', hash }, publicKey, new Uint8Array(bytes), data);
    expect(await verify('SHA-384', signature)).toBe(true);
    expect(await verify('SHA-256', await card.sign(key.name, data))).toBe(true);
    expect(await verify('SHA-512', await card.sign(key.name, data, { hash: 'SHA-512' }))).toBe(
      true,
    );
  });

  it('keeps the P-384 container in its map across a new session', async () => {
    const { card, slot } = await openPivCard();
    await card.verifyPin(PIN);
    const key = await card.generateKeyPair({ algorithm: 'ECDSA-P384', container: 'p384' });
    const again = await PivSmartCard.open(slot, { managementKey: FACTORY_MANAGEMENT_KEY });
    expect(await again.containers()).toEqual([key]);
  });

  it('signs a challenge the Authenticator verifies with a P-384 certificate', async () => {
    const alice = TEST_USERS.alice;
    const { card } = await openPivCard();
    await card.verifyPin(PIN);
    const key = await card.generateKeyPair({ algorithm: 'ECDSA-P384', keySpec: 'signature' });
    const root = await issue({ subject: 'P-384 Test Root', ca: true });
    const san = asn1js.fromBER(sequence(upn(alice.upn))).result;
    const user = await issue({
      subject: alice.upn,
      issuer: root,
      keys: { publicKey: await p384Key(key.publicKey) } as CryptoKeyPair,
      extra: [ext('2.5.29.17', san)],
    });
    await card.installCertificate(key.name, user.der);

    const authenticator = new Authenticator({ trustAnchors: [root.der], rpId: RP_ID });
    const challenge = await authenticator.challenge({ address: alice.upn });
    const response = await signChallenge(card, key.name, challenge, { rpId: RP_ID });
    const result = await authenticator.verify(response);
    expect(result).toMatchObject({ verified: true, user: { address: alice.upn, matched: 'upn' } });
  });

  it('still refuses what PIV does not generate', async () => {
    const { card } = await openPivCard();
    await card.verifyPin(PIN);
    await expect(card.generateKeyPair({ algorithm: 'RSA-3072' })).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: 'A PIV card generates RSA-2048, ECDSA-P256 and ECDSA-P384 keys.',
    });
  });
});
