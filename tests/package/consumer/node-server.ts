// A Node server that uses the SDK, type-checked against the package's published types
// (tests/package/consumer-types.test.ts): with and without the DOM library.
import { readFileSync } from 'node:fs';
import { DEFAULT_PIN, derFromPem, getCrypto, SmartCardError, type WebCrypto } from 'smartcard-2fa';
import { MemoryStore, SoftwareTpm, VirtualSmartCard } from 'smartcard-2fa/card';
import { CertificateAuthority, EnrollmentBuilder, enrollCard } from 'smartcard-2fa/enrollment';
import { FileStore } from 'smartcard-2fa/node';
import { PinPolicy, PinState } from 'smartcard-2fa/pin';
import { Pkcs11SmartCard } from 'smartcard-2fa/pkcs11';
import {
  Authenticator,
  MemoryChallengeStore,
  type VerifyResult,
  validateCertificatePath,
} from 'smartcard-2fa/server';
import { createTestCard, createTestPki } from 'smartcard-2fa/testing';

export async function serve(): Promise<VerifyResult | undefined> {
  const crypto: WebCrypto = await getCrypto();
  const store = await FileStore.open('/var/lib/app/cards');
  const tpm = await SoftwareTpm.create({ store, crypto });
  const card = await VirtualSmartCard.create({ tpm, pin: 'default', store: new MemoryStore() });
  const state = await PinState.create({ policy: PinPolicy.preset('skypeForBusiness') });
  await state.verify(DEFAULT_PIN);
  const ca = await CertificateAuthority.create({ name: 'Root', directory: [] });
  await enrollCard({
    card,
    request: EnrollmentBuilder.smartcardUser().upn('alice@contoso.com'),
    submit: (request) => ca.issue(request, { requester: 'CONTOSO\\alice' }),
  });
  const roots = derFromPem(readFileSync('/etc/app/root.pem', 'utf8'), { label: 'CERTIFICATE' });
  const server = new Authenticator({
    trustAnchors: roots,
    rpId: 'intranet.contoso.com',
    store: new MemoryChallengeStore({ capacity: 1_000 }),
  });
  const path = await validateCertificatePath({ leaf: new Uint8Array(), trustAnchors: roots });
  const test = await createTestCard({ kind: 'virtual', enrolled: { pki: await createTestPki() } });
  void [path, test, Pkcs11SmartCard];
  try {
    const challenge = await server.challenge({ address: 'alice@contoso.com' });
    void challenge;
  } catch (error) {
    if (SmartCardError.is(error, 'ERR_INVALID_INPUT')) return undefined;
    throw error;
  }
  return undefined;
}
