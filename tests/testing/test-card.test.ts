import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryStore, PhysicalSmartCard, VirtualSmartCard } from '../../src/card/index.js';
import {
  createTestCard,
  createTestPki,
  FaultyCard,
  fixturePkcs8,
  TEST_USERS,
  TestReader,
} from '../../src/testing/index.js';
import { codeOf } from '../support/errors.js';

describe('createTestCard', () => {
  it('makes a blank physical card in a reader, default PIN, no change needed', async () => {
    const { card, reader, emulated, tpm, pin, pki, enrollment } = await createTestCard({
      kind: 'physical',
    });
    expect(card).toBeInstanceOf(FaultyCard);
    expect(emulated).toBeInstanceOf(PhysicalSmartCard);
    expect(reader).toBeInstanceOf(TestReader);
    expect(reader?.card).toBe(card);
    expect([tpm, pki, enrollment]).toEqual([null, null, null]);
    expect(pin).toBe('12345678');
    const info = await card.info();
    expect(info).toMatchObject({ kind: 'physical', blank: true });
    expect(info.serial).toMatch(/^TEST-P-\d+$/);
    expect(await card.verifyPin(pin)).toEqual({ status: 'verified', mustChange: false });
  });

  it('makes an enrolled virtual card with its own PIN, marked must-change', async () => {
    const { card, tpm, pin, pki, enrollment } = await createTestCard({
      kind: 'virtual',
      pin: 'k7#Lm2pQ',
      mustChange: true,
      enrolled: true,
    });
    expect(card.kind).toBe('virtual');
    expect(tpm).not.toBeNull();
    expect(pki).not.toBeNull();
    expect(enrollment?.user).toEqual(TEST_USERS.alice);
    expect(await card.verifyPin(pin)).toEqual({ status: 'verified', mustChange: true });
    const [container] = await card.containers();
    expect(container).toMatchObject({ hasCertificate: true, algorithm: 'RSA-2048' });
    expect(await card.certificate(container?.name ?? '')).toEqual(enrollment?.certificate);
    // The enrollment is not in the trace: it holds only what the test did.
    expect(card.trace.map((t) => `${t.operation} ${t.outcome}`)).toEqual([
      'verifyPin verified',
      'containers ok',
      'certificate ok',
    ]);
  });

  it('takes the PUK, the attempts, a reader, a store, and may start out of its reader', async () => {
    const reader = new TestReader('Reader 7');
    const store = new MemoryStore();
    const { card } = await createTestCard({
      kind: 'physical',
      puk: '27182818',
      maxAttempts: 3,
      reader,
      store,
      inserted: false,
      serial: 'MY-CARD',
    });
    expect(reader.card).toBeNull();
    expect(await codeOf(card.pinStatus())).toBe('ERR_CARD_REMOVED');
    reader.insert(card);
    const status = await card.pinStatus();
    expect(status).toMatchObject({ maxAttempts: 3, attemptsRemaining: 3 });
    expect(status.unblock.map((u) => u.kind)).toEqual(['puk']);
    expect(await store.names()).toEqual(['card-MY-CARD']);
  });

  it('enrolls with a PKI given, for another user and template, ECDSA keys', async () => {
    const pki = await createTestPki();
    const { card, enrollment } = await createTestCard({
      kind: 'physical',
      enrolled: { pki, user: 'bob', template: 'SmartcardLogon', algorithm: 'ECDSA-P256' },
    });
    expect(enrollment?.user.upn).toBe('bob@contoso.test');
    expect((await card.containers())[0]).toMatchObject({ algorithm: 'ECDSA-P256' });
    const cert = new X509Certificate(enrollment?.certificate ?? new Uint8Array());
    expect(cert.checkIssued(new X509Certificate(pki.issuer))).toBe(true);
  });

  it('refuses bad options with InvalidInputError', async () => {
    const bad: unknown[] = [
      null,
      {},
      { kind: 'usb' },
      { kind: 'physical', pin: 1234 },
      { kind: 'physical', reader: {} },
      { kind: 'virtual', enrolled: 'yes' },
    ];
    for (const options of bad) {
      expect(await codeOf(createTestCard(options as never)), JSON.stringify(options)).toBe(
        'ERR_INVALID_INPUT',
      );
    }
  });

  it('hands out fixture keys: no RSA generation, consecutive keys differ', async () => {
    const { card, pin } = await createTestCard({ kind: 'physical' });
    await card.verifyPin(pin);
    const started = performance.now();
    const a = await card.generateKeyPair();
    const b = await card.generateKeyPair();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(a.publicKey).not.toEqual(b.publicKey);
    expect(fixturePkcs8('RSA-2048')).toHaveLength(8);
    expect(fixturePkcs8('RSA-4096')).toEqual([]);
  });
});

describe('createTestPki', () => {
  it('has a root, an issuing CA and the test users; RSA CA keys come from fixtures', async () => {
    const started = performance.now();
    const pki = await createTestPki({ keyAlgorithm: 'RSA-2048', rpId: 'rp.example.test' });
    expect(performance.now() - started).toBeLessThan(3000);
    const root = new X509Certificate(pki.root);
    const issuer = new X509Certificate(pki.issuer);
    expect(root.subject).toBe('CN=Test Root CA');
    expect(issuer.subject).toBe('CN=Test Issuing CA');
    expect(issuer.checkIssued(root)).toBe(true);
    expect(root.publicKey.asymmetricKeyType).toBe('rsa');
    expect(issuer.verify(root.publicKey)).toBe(true);
    expect(pki.user('ALICE')).toEqual(TEST_USERS.alice);
    expect(pki.user('bob@contoso.test')).toEqual(TEST_USERS.bob);
    expect(pki.user('CONTOSO\\bob')).toEqual(TEST_USERS.bob);
    const options = await pki.authenticatorOptions();
    expect(options).toMatchObject({
      trustAnchors: [pki.root],
      intermediates: [pki.issuer],
      rpId: 'rp.example.test',
    });
    expect(options.crls).toHaveLength(2);
  });

  it('adds users, enrolls them, and revokes', async () => {
    const pki = await createTestPki({ issuingName: false });
    pki.addUser({ account: 'CONTOSO\\carol', commonName: 'Carol', upn: 'carol@contoso.test' });
    expect(pki.issuer).toEqual(pki.root);
    expect((await pki.authenticatorOptions()).intermediates).toEqual([]);
    const { emulated } = await createTestCard({ kind: 'virtual' });
    const enrollment = await pki.enroll(emulated, { user: 'carol', template: 'SmartcardLogon' });
    expect(enrollment.user.commonName).toBe('Carol');
    await pki.revoke(enrollment.certificate);
    expect(await codeOf(pki.revoke(enrollment.serialNumber))).toBe('ERR_INVALID_INPUT');
  });

  it('says why an enrollment failed, and refuses unknown users', async () => {
    const pki = await createTestPki();
    const { emulated } = await createTestCard({ kind: 'virtual' });
    // Bob has no e-mail address: no Smartcard User certificate for him.
    await expect(pki.enroll(emulated, { user: 'bob' })).rejects.toThrow(/denied/);
    expect(await codeOf(pki.enroll(emulated, { user: 'mallory' }))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(createTestPki(null as never))).toBe('ERR_INVALID_INPUT');
    expect(VirtualSmartCard).toBeDefined();
  });
});
