/**
 * What every row of the bench works on: a test PKI with RSA-2048 CA keys (root and issuing CA,
 * both with current CRLs), Alice's emulated card enrolled from it (an RSA-2048 Smartcard User
 * key), and the card's private key as a plain WebCrypto key for the floors.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import type { EmulatedSmartCard } from '../src/card/index.js';
import { EnrollmentBuilder } from '../src/enrollment/index.js';
import { createTestCard, createTestPki, fixturePkcs8, type TestPki } from '../src/testing/index.js';
import { check } from './harness.js';

export const RP_ID = 'intranet.contoso.test';
export const ALICE = 'alice@contoso.test';

export interface Fixture {
  readonly pki: TestPki;
  readonly card: EmulatedSmartCard;
  readonly pin: string;
  readonly container: string;
  readonly certificate: Uint8Array<ArrayBuffer>;
  readonly address: string;
  readonly crls: readonly Uint8Array[];
  /** The card's key, PKCS#8 DER (a fixture key: the test kit's cards use them). */
  readonly pkcs8: Uint8Array<ArrayBuffer>;
  /** The same key for WebCrypto: the floor signs with it. */
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

export async function makeFixture(): Promise<Fixture> {
  const pki = await createTestPki({ keyAlgorithm: 'RSA-2048', rpId: RP_ID });
  const test = await createTestCard({ kind: 'physical', enrolled: { pki } });
  const enrollment = test.enrollment;
  check(enrollment !== null, 'the test card is enrolled');
  const address = enrollment.user.upn ?? ALICE;
  const { crls } = await pki.authenticatorOptions();
  const spki = new X509Certificate(enrollment.certificate).publicKey.export({
    format: 'der',
    type: 'spki',
  });
  const pkcs8 = fixturePkcs8('RSA-2048').find((der) =>
    createPublicKey(createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' }))
      .export({ format: 'der', type: 'spki' })
      .equals(spki),
  );
  check(pkcs8 !== undefined, "the card's key is one of the fixture keys");
  const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, rsa, false, ['sign']);
  const publicKey = await crypto.subtle.importKey('spki', spki, rsa, true, ['verify']);
  return {
    pki,
    card: test.emulated,
    pin: test.pin,
    container: enrollment.container,
    certificate: enrollment.certificate,
    address,
    crls,
    pkcs8,
    privateKey,
    publicKey,
  };
}

/**
 * `count` distinct certificates for Alice's card key, each newly issued by the CA (a new serial
 * each), so that a verifier sees each one for the first time.
 */
export async function freshCertificates(fixture: Fixture, count: number): Promise<Uint8Array[]> {
  const { card, pin, container, pki } = fixture;
  await card.verifyPin(pin);
  const user = pki.user('alice');
  const request = await new EnrollmentBuilder()
    .template('SmartcardUser')
    .upn(user.upn ?? ALICE)
    .email(user.email ?? ALICE)
    .existingKeySet(container)
    .build(card);
  await card.logout();
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const issued = await pki.ca.issue(request, { requester: user.account });
    check(issued.status === 'issued', `the CA issues (${issued.status})`);
    out.push(issued.certificate);
  }
  return out;
}
