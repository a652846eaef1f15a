import { constants, createPublicKey, createVerify, publicEncrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SmartCard } from '../../src/card/contract/smart-card.js';
import { certificateFor } from '../support/certificate.js';
import { codeOf } from '../support/errors.js';

/**
 * The SmartCard contract, as tests every implementation must pass unchanged: emulated physical
 * and virtual cards, and PKCS#11 tokens (tests/pkcs11/contract.test.ts). A subject is a fresh card whose PIN is known
 * and not marked must-change, with no key container.
 */
export interface ContractSubject {
  readonly card: SmartCard;
  /** The card's current PIN. */
  readonly pin: string;
  /** A new PIN the card's policy accepts. */
  readonly newPin: string;
  /** The card's PUK, when it has one. */
  readonly puk?: string;
  /** Consecutive wrong PINs that block the PIN. */
  readonly maxAttempts: number;
  /** Whether the token reports exact attempts left (PKCS#11 tokens may not). */
  readonly countsAttempts: boolean;
  /** Which algorithms the card can generate, for the key tests. */
  readonly algorithms: readonly ('RSA-2048' | 'ECDSA-P256')[];
  /** Takes the card out and puts it back, for cards that can be removed. */
  readonly removal?: { remove(): void; insert(): void };
}

const data = new TextEncoder().encode('the server challenge');

function verifies(spki: Uint8Array, signature: Uint8Array, hash: string, ec: boolean): boolean {
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  const verify = createVerify(hash);
  verify.update(data);
  return verify.verify(ec ? { key, dsaEncoding: 'ieee-p1363' } : key, signature);
}

/** What a card looks like from outside: everything readable without a PIN. */
async function snapshot(card: SmartCard) {
  const containers = await card.containers();
  return {
    pin: await card.pinStatus(),
    containers,
    certificates: await Promise.all(containers.map((c) => card.certificate(c.name))),
  };
}

export function describeSmartCardContract(label: string, make: () => Promise<ContractSubject>) {
  describe(`SmartCard contract: ${label}`, () => {
    it('describes itself, blank, without spending an attempt', async () => {
      const { card, maxAttempts } = await make();
      const info = await card.info();
      expect(info).toMatchObject({ id: card.id, kind: card.kind, blank: true, pinVerified: false });
      expect(info.pin).toMatchObject({ blocked: false, mustChange: false });
      if (maxAttempts > 0) expect((await card.pinStatus()).attemptsRemaining).toBe(maxAttempts);
      expect(await card.containers()).toEqual([]);
    });

    it('verifies the PIN, counts wrong ones, and blocks at the limit', async () => {
      const s = await make();
      expect(await s.card.verifyPin(s.newPin)).toMatchObject({ status: 'incorrect' });
      if (s.countsAttempts) {
        expect((await s.card.pinStatus()).attemptsRemaining).toBe(s.maxAttempts - 1);
      }
      expect(await s.card.verifyPin(s.pin)).toMatchObject({ status: 'verified' });
      expect((await s.card.info()).pinVerified).toBe(true);
      for (let i = 0; i < s.maxAttempts; i++) await s.card.verifyPin(s.newPin);
      expect(await s.card.verifyPin(s.pin)).toEqual({ status: 'blocked' });
      expect((await s.card.pinStatus()).blocked).toBe(true);
      expect((await s.card.info()).pinVerified).toBe(false);
    });

    it('unblocks with the PUK', async () => {
      const s = await make();
      if (s.puk === undefined) return;
      for (let i = 0; i < s.maxAttempts; i++) await s.card.verifyPin(s.newPin);
      expect(await s.card.unblockPin(s.puk, s.newPin)).toEqual({ status: 'unblocked' });
      expect(await s.card.verifyPin(s.newPin)).toMatchObject({ status: 'verified' });
    });

    it('changes the PIN after checking the policy', async () => {
      const s = await make();
      expect(await codeOf(s.card.changePin(s.pin, '1'))).toBe('ERR_PIN_POLICY');
      expect(await s.card.changePin(s.pin, s.newPin)).toEqual({ status: 'changed' });
      expect(await s.card.verifyPin(s.pin)).toMatchObject({ status: 'incorrect' });
      expect(await s.card.verifyPin(s.newPin)).toMatchObject({ status: 'verified' });
    });

    it('refuses key operations without a verified PIN, and after logout or reset', async () => {
      const { card, pin } = await make();
      expect(await codeOf(card.generateKeyPair())).toBe('ERR_PIN_REQUIRED');
      await card.verifyPin(pin);
      const key = await card.generateKeyPair();
      await card.logout();
      expect(await codeOf(card.sign(key.name, data))).toBe('ERR_PIN_REQUIRED');
      await card.verifyPin(pin);
      await card.sign(key.name, data);
      await card.reset();
      expect(await codeOf(card.sign(key.name, data))).toBe('ERR_PIN_REQUIRED');
      expect(await codeOf(card.deleteContainer(key.name))).toBe('ERR_PIN_REQUIRED');
    });

    it('generates an RSA-2048 exchange key by default, with an automatic unique name', async () => {
      const { card, pin } = await make();
      await card.verifyPin(pin);
      const first = await card.generateKeyPair({ friendlyName: 'Smartcard Certificate' });
      const second = await card.generateKeyPair({ container: 'named', keySpec: 'signature' });
      expect(first).toMatchObject({
        algorithm: 'RSA-2048',
        keySpec: 'exchange',
        friendlyName: 'Smartcard Certificate',
        hasCertificate: false,
      });
      expect(second).toMatchObject({ name: 'named', keySpec: 'signature' });
      expect(first.name).not.toBe(second.name);
      expect(Object.keys(first).sort()).toEqual(
        ['algorithm', 'friendlyName', 'hasCertificate', 'keySpec', 'name', 'publicKey'].sort(),
      );
      expect((await card.containers()).map((c) => c.name)).toEqual([first.name, 'named']);
      expect((await card.info()).blank).toBe(false);
      expect(await codeOf(card.generateKeyPair({ container: 'named' }))).toBe('ERR_INVALID_INPUT');
    });

    it('signs with every hash; an independent implementation verifies', async () => {
      const { card, pin, algorithms } = await make();
      await card.verifyPin(pin);
      for (const algorithm of algorithms) {
        const key = await card.generateKeyPair({ algorithm });
        const ec = algorithm.startsWith('ECDSA');
        for (const [hash, node] of [
          ['SHA-1', 'sha1'],
          ['SHA-256', 'sha256'],
          ['SHA-384', 'sha384'],
          ['SHA-512', 'sha512'],
        ] as const) {
          const signature = await card.sign(key.name, data, { hash });
          expect(verifies(key.publicKey, signature, node, ec), `${algorithm} ${hash}`).toBe(true);
        }
        const sha256 = await card.sign(key.name, data);
        expect(verifies(key.publicKey, sha256, 'sha256', ec)).toBe(true);
      }
    });

    it('decrypts RSA-OAEP with an exchange key only', async () => {
      const { card, pin, algorithms } = await make();
      await card.verifyPin(pin);
      const exchange = await card.generateKeyPair();
      const signOnly = await card.generateKeyPair({ keySpec: 'signature' });
      const key = createPublicKey({
        key: Buffer.from(exchange.publicKey),
        format: 'der',
        type: 'spki',
      });
      for (const [hash, node] of [
        ['SHA-256', 'sha256'],
        ['SHA-1', 'sha1'],
      ] as const) {
        const secret = Buffer.from(`session key ${hash}`);
        const ciphertext = publicEncrypt(
          { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: node },
          secret,
        );
        const plain = await card.decrypt(exchange.name, new Uint8Array(ciphertext), { hash });
        expect(Buffer.from(plain).equals(secret)).toBe(true);
      }
      const ciphertext = new Uint8Array(256);
      expect(await codeOf(card.decrypt(signOnly.name, ciphertext))).toBe('ERR_KEY_USAGE');
      expect(await codeOf(card.decrypt(exchange.name, new Uint8Array(10)))).toBe(
        'ERR_INVALID_INPUT',
      );
      expect(await codeOf(card.decrypt(exchange.name, ciphertext))).toBe('ERR_INVALID_INPUT');
      if (algorithms.includes('ECDSA-P256')) {
        const ec = await card.generateKeyPair({ algorithm: 'ECDSA-P256' });
        expect(await codeOf(card.decrypt(ec.name, ciphertext))).toBe('ERR_KEY_USAGE');
      }
    });

    it("stores a certificate beside its key, and refuses another key's", async () => {
      const { card, pin } = await make();
      await card.verifyPin(pin);
      const a = await card.generateKeyPair();
      const b = await card.generateKeyPair();
      const certA = await certificateFor(a.publicKey);
      expect(await codeOf(card.installCertificate(b.name, certA))).toBe('ERR_CERTIFICATE_MISMATCH');
      expect(await codeOf(card.installCertificate(a.name, certA.slice(0, 100)))).toBe(
        'ERR_CERTIFICATE_INVALID',
      );
      const pem = new TextEncoder().encode('-----BEGIN CERTIFICATE-----\nMIIB\n');
      expect(await codeOf(card.installCertificate(a.name, pem))).toBe('ERR_CERTIFICATE_INVALID');
      expect(await codeOf(card.installCertificate('missing', certA))).toBe('ERR_KEY_NOT_FOUND');
      expect(await card.certificate(a.name)).toBeNull();
      await card.installCertificate(a.name, certA, { friendlyName: 'Smartcard Certificate' });
      expect(await card.certificate(a.name)).toEqual(certA);
      expect((await card.containers()).find((c) => c.name === a.name)?.hasCertificate).toBe(true);
      expect(await card.certificate(b.name)).toBeNull();
    });

    it('deletes a container with its certificate', async () => {
      const { card, pin } = await make();
      await card.verifyPin(pin);
      const a = await card.generateKeyPair();
      await card.installCertificate(a.name, await certificateFor(a.publicKey));
      await card.deleteContainer(a.name);
      expect(await card.containers()).toEqual([]);
      expect(await codeOf(card.certificate(a.name))).toBe('ERR_KEY_NOT_FOUND');
      expect(await codeOf(card.sign(a.name, data))).toBe('ERR_KEY_NOT_FOUND');
    });

    it('runs callers one at a time, in call order', async () => {
      const { card, pin } = await make();
      await card.verifyPin(pin);
      const key = await card.generateKeyPair();
      await card.logout();
      const early = card.sign(key.name, data);
      const verify = card.verifyPin(pin);
      const late = card.sign(key.name, data);
      expect(await codeOf(early)).toBe('ERR_PIN_REQUIRED');
      expect(await verify).toMatchObject({ status: 'verified' });
      expect(await late).toBeInstanceOf(Uint8Array);
    });

    it('answers bad input with a typed error and changes nothing', async () => {
      const { card, pin } = await make();
      await card.verifyPin(pin);
      const key = await card.generateKeyPair();
      const before = await snapshot(card);
      const info = await card.info();
      const bad: [string, string, () => Promise<unknown>][] = [
        [
          'verify a number',
          'ERR_INVALID_INPUT',
          () => card.verifyPin(12345678 as unknown as string),
        ],
        ['verify an empty PIN', 'ERR_PIN_POLICY', () => card.verifyPin('')],
        [
          'change to null',
          'ERR_INVALID_INPUT',
          () => card.changePin(pin, null as unknown as string),
        ],
        ['change to a trivial PIN', 'ERR_PIN_POLICY', () => card.changePin(pin, '1111')],
        [
          'unblock with an object',
          'ERR_INVALID_INPUT',
          () => card.unblockPin({} as never, 'k7#Lm2pQ'),
        ],
        [
          'unblock, options null',
          'ERR_INVALID_INPUT',
          () => card.unblockPin('27182818', 'Zx9!vB3n', null as never),
        ],
        [
          'unknown algorithm',
          'ERR_INVALID_INPUT',
          () => card.generateKeyPair({ algorithm: 'RSA-1024' as never }),
        ],
        [
          'unknown key spec',
          'ERR_INVALID_INPUT',
          () => card.generateKeyPair({ keySpec: 'both' as never }),
        ],
        [
          'empty container name',
          'ERR_INVALID_INPUT',
          () => card.generateKeyPair({ container: '' }),
        ],
        [
          'control characters',
          'ERR_INVALID_INPUT',
          () => card.generateKeyPair({ friendlyName: 'a\u0000b' }),
        ],
        [
          'options not an object',
          'ERR_INVALID_INPUT',
          () => card.generateKeyPair('RSA-2048' as never),
        ],
        ['options null', 'ERR_INVALID_INPUT', () => card.generateKeyPair(null as never)],
        ['sign a string', 'ERR_INVALID_INPUT', () => card.sign(key.name, 'data' as never)],
        ['sign 2 MiB', 'ERR_INVALID_INPUT', () => card.sign(key.name, new Uint8Array(2 << 20))],
        [
          'sign with MD5',
          'ERR_INVALID_INPUT',
          () => card.sign(key.name, data, { hash: 'MD5' as never }),
        ],
        ['sign, options null', 'ERR_INVALID_INPUT', () => card.sign(key.name, data, null as never)],
        ['sign in an unknown container', 'ERR_KEY_NOT_FOUND', () => card.sign('nope', data)],
        ['decrypt an array', 'ERR_INVALID_INPUT', () => card.decrypt(key.name, [1, 2] as never)],
        [
          'certificate as text',
          'ERR_INVALID_INPUT',
          () => card.installCertificate(key.name, 'MIIB' as never),
        ],
        [
          'certificate of 64 KiB',
          'ERR_INVALID_INPUT',
          () => card.installCertificate(key.name, new Uint8Array(1 << 16)),
        ],
        [
          'certificate of zeros',
          'ERR_CERTIFICATE_INVALID',
          () => card.installCertificate(key.name, new Uint8Array(64)),
        ],
        ['delete an unknown container', 'ERR_KEY_NOT_FOUND', () => card.deleteContainer('nope')],
      ];
      for (const [what, expected, call] of bad) {
        expect(await codeOf(call()), what).toBe(expected);
      }
      const { pin: pinAfter, ...infoAfter } = await card.info();
      const { pin: pinBefore, ...infoBefore } = info;
      expect(infoAfter).toEqual(infoBefore);
      expect(await snapshot(card)).toEqual(before);
    });

    it('lets exactly one of two racing writers have a container name', async () => {
      const { card, pin } = await make();
      await card.verifyPin(pin);
      const results = await Promise.allSettled([
        card.generateKeyPair({ container: 'same' }),
        card.generateKeyPair({ container: 'same' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect((await card.containers()).map((c) => c.name)).toEqual(['same']);
    });

    it('spends one attempt per wrong PIN, however many callers race', async () => {
      const s = await make();
      const results = await Promise.all([
        s.card.verifyPin(s.newPin),
        s.card.verifyPin(s.newPin),
        s.card.verifyPin(s.newPin),
      ]);
      expect(results.every((r) => r.status === 'incorrect')).toBe(true);
      if (s.countsAttempts) {
        expect((await s.card.pinStatus()).attemptsRemaining).toBe(s.maxAttempts - 3);
      }
    });

    it('ends the card session when removed, and refuses every operation while out', async () => {
      const s = await make();
      if (s.removal === undefined) return;
      await s.card.verifyPin(s.pin);
      const key = await s.card.generateKeyPair();
      s.removal.remove();
      for (const call of [
        () => s.card.info(),
        () => s.card.verifyPin(s.pin),
        () => s.card.containers(),
        () => s.card.sign(key.name, data),
      ]) {
        expect(await codeOf(call())).toBe('ERR_CARD_REMOVED');
      }
      s.removal.insert();
      expect(await codeOf(s.card.sign(key.name, data))).toBe('ERR_PIN_REQUIRED');
    });
  });
}
