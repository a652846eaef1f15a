import { describe, expect, it } from 'vitest';
import { PhysicalSmartCard, SimulatedReader } from '../../../src/card/index.js';
import { pem } from '../../../src/enrollment/algorithms.js';
import {
  type Disposition,
  EnrollmentBuilder,
  type EnrollmentRequest,
  type EnrollmentStep,
  enrollCard,
} from '../../../src/enrollment/index.js';
import { CaUnavailableError } from '../../../src/index.js';
import { certificateFor } from '../../support/certificate.js';
import { fixtureKeySource } from '../../support/fixture-keys.js';

/**
 * The enrollment-station procedure, with a stand-in CA that issues a certificate for whatever
 * key the request carries (the embedded CA's own tests cover issuing; here the procedure is under
 * test: its steps, its outcomes, and that the card is left as it was whenever it does not finish).
 */
async function blankCard() {
  const card = await PhysicalSmartCard.create({
    pinHashIterations: 1,
    keySource: fixtureKeySource,
  });
  new SimulatedReader().insert(card);
  return card;
}

const builder = () =>
  EnrollmentBuilder.smartcardUserLegacySha1().upn('alice@contoso.com').email('alice@contoso.com');

/** Issues a certificate for the request's key: the key is read back from the card. */
function issuingFor(card: PhysicalSmartCard) {
  return async (request: EnrollmentRequest): Promise<Disposition> => {
    const key = (await card.containers()).find((c) => c.name === request.container);
    const certificate = new Uint8Array(await certificateFor(key?.publicKey as Uint8Array, 'Alice'));
    return {
      status: 'issued',
      requestId: 7,
      certificate,
      pem: pem('CERTIFICATE', certificate),
      serialNumber: '01',
    };
  };
}

async function snapshot(card: PhysicalSmartCard) {
  const { pinVerified } = await card.info();
  return { containers: await card.containers(), pin: await card.pinStatus(), pinVerified };
}

describe('enrollCard', () => {
  it('walks the enrollment station procedure and installs the certificate', async () => {
    const card = await blankCard();
    const steps: EnrollmentStep[] = [];
    const result = await enrollCard({
      card,
      request: builder(),
      submit: issuingFor(card),
      onProgress: ({ step }) => steps.push(step),
    });
    expect(steps).toEqual([
      'check-card',
      'verify-pin',
      'build-request',
      'submit',
      'confirm',
      'install',
      'require-pin-change',
      'done',
    ]);
    expect(result).toMatchObject({ status: 'installed', requestId: 7, pinChangeRequired: true });
    if (result.status !== 'installed') throw new Error('not installed');
    expect(result.summary.subject).toBe('CN=Alice');
    const [container] = await card.containers();
    expect(container).toMatchObject({ name: result.container, hasCertificate: true });
    expect(await card.certificate(result.container)).toEqual(result.certificate);
    expect(await card.verifyPin('12345678')).toEqual({ status: 'verified', mustChange: true });
  });

  it('leaves the card as it was when the CA denies the request', async () => {
    const card = await blankCard();
    const before = await snapshot(card);
    const result = await enrollCard({
      card,
      request: builder(),
      submit: async () => ({ status: 'denied', requestId: 9, reason: 'Denied by Policy Module' }),
    });
    expect(result).toEqual({ status: 'denied', requestId: 9, reason: 'Denied by Policy Module' });
    expect(await snapshot(card)).toEqual(before);
  });

  it('keeps the new key set while the request is pending', async () => {
    const card = await blankCard();
    const result = await enrollCard({
      card,
      request: builder(),
      submit: async () => ({ status: 'pending', requestId: 8, reason: 'Taken Under Submission' }),
    });
    expect(result).toMatchObject({ status: 'pending', requestId: 8 });
    expect((await card.containers()).map((c) => c.name)).toEqual([
      (result as { container: string }).container,
    ]);
  });

  it('leaves the card as it was when the holder does not confirm, or submitting fails', async () => {
    const card = await blankCard();
    const before = await snapshot(card);
    const declined = await enrollCard({
      card,
      request: builder(),
      submit: issuingFor(card),
      confirm: (summary) => summary.upn === 'someone.else@contoso.com',
    });
    expect(declined).toEqual({ status: 'cancelled', step: 'confirm' });
    expect(await snapshot(card)).toEqual(before);
    await expect(
      enrollCard({ card, request: builder(), submit: () => Promise.reject(new Error('CA down')) }),
    ).rejects.toThrow('CA down');
    expect(await snapshot(card)).toEqual(before);
  });

  it('answers a wrong or blocked PIN as outcomes, generating nothing', async () => {
    const card = await blankCard();
    const wrong = await enrollCard({
      card,
      request: builder(),
      submit: issuingFor(card),
      pin: '87654321',
    });
    expect(wrong).toEqual({ status: 'pin-incorrect', attemptsRemaining: 4 });
    for (let i = 0; i < 4; i++) await card.verifyPin('87654321');
    expect(await enrollCard({ card, request: builder(), submit: issuingFor(card) })).toEqual({
      status: 'pin-blocked',
    });
    expect(await card.containers()).toEqual([]);
  });

  it('leaves a card that is not blank alone, unless overwriting is confirmed', async () => {
    const card = await blankCard();
    await card.verifyPin('12345678');
    const old = await card.generateKeyPair({ container: 'old' });
    expect(await enrollCard({ card, request: builder(), submit: issuingFor(card) })).toEqual({
      status: 'cancelled',
      step: 'check-card',
    });
    expect(await card.containers()).toEqual([old]);
    const result = await enrollCard({
      card,
      request: builder(),
      submit: issuingFor(card),
      confirmOverwrite: (info) => info.containers.used === 1,
      requirePinChange: false,
    });
    expect(result).toMatchObject({ status: 'installed', pinChangeRequired: false });
    expect((await card.containers()).map((c) => c.name)).toEqual([
      (result as { container: string }).container,
    ]);
  });

  it('never guesses the default PIN on a card whose PIN was assigned', async () => {
    const card = await PhysicalSmartCard.create({
      pin: 'k7#Lm2pQ',
      pinHashIterations: 1,
      keySource: fixtureKeySource,
    });
    new SimulatedReader().insert(card);
    const before = await snapshot(card);
    expect(await enrollCard({ card, request: builder(), submit: issuingFor(card) })).toEqual({
      status: 'pin-required',
    });
    expect(await snapshot(card)).toEqual(before);
    const result = await enrollCard({
      card,
      request: builder(),
      submit: issuingFor(card),
      pin: 'k7#Lm2pQ',
    });
    expect(result.status).toBe('installed');
  });

  it('logs the card out when it ends, whatever the ending', async () => {
    const card = await blankCard();
    await enrollCard({ card, request: builder(), submit: issuingFor(card) });
    expect((await card.info()).pinVerified).toBe(false);
    await enrollCard({
      card,
      request: builder(),
      submit: () => Promise.reject(new Error('CA down')),
      confirmOverwrite: () => true,
    }).catch(() => undefined);
    expect((await card.info()).pinVerified).toBe(false);
  });

  it('names a key set it could not delete, when the card was removed meanwhile', async () => {
    const card = await PhysicalSmartCard.create({
      pinHashIterations: 1,
      keySource: fixtureKeySource,
    });
    const reader = new SimulatedReader('second');
    reader.insert(card);
    const result = await enrollCard({
      card,
      request: builder(),
      submit: async () => {
        reader.remove(); // the card leaves its reader while the CA thinks
        return { status: 'denied', requestId: 3, reason: 'Denied by Policy Module' };
      },
    });
    reader.insert(card);
    const [left] = await card.containers();
    expect(result).toEqual({
      status: 'denied',
      requestId: 3,
      reason: 'Denied by Policy Module',
      leftover: left?.name,
    });
  });

  it('keeps the key set it reused when overwriting, and the one a lost download needs', async () => {
    const card = await blankCard();
    await card.verifyPin('12345678');
    await card.generateKeyPair({ container: 'reused' });
    await card.generateKeyPair({ container: 'old' });
    const reused = await enrollCard({
      card,
      request: new EnrollmentBuilder().template('SmartcardUser').existingKeySet('reused'),
      submit: issuingFor(card),
      confirmOverwrite: () => true,
    });
    expect(reused).toMatchObject({ status: 'installed', container: 'reused', notDeleted: [] });
    expect(await card.containers()).toMatchObject([{ name: 'reused', hasCertificate: true }]);

    const fresh = await blankCard();
    const lost = new CaUnavailableError('issued, but the download failed', { requestId: 12 });
    await expect(
      enrollCard({ card: fresh, request: builder(), submit: () => Promise.reject(lost) }),
    ).rejects.toBe(lost);
    expect(await fresh.containers()).toHaveLength(1);
  });

  it('refuses to run without a card, a request or a way to submit', async () => {
    await expect(enrollCard({} as never)).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
  });
});

describe('describeCertificate', () => {
  it('escapes names, so a value cannot pass for another attribute (RFC 4514)', async () => {
    const { describeCertificate } = await import('../../../src/enrollment/index.js');
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
    const summary = describeCertificate(await certificateFor(spki, 'Alice, OU=Admins'));
    expect(summary.subject).toBe('CN=Alice\\, OU\\=Admins');
  });
});
