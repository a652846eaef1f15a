/**
 * The contract's key cases: key operations need the PIN, key pairs are RSA-2048 exchange keys
 * by default with unique names, signatures verify elsewhere with every hash, and exchange keys
 * (only they) decrypt RSA-OAEP.
 */
import { utf8 } from '../../lib/bytes.js';
import { type CaseDefinition, CHALLENGE } from './contract-case.js';
import {
  OAEP_HASHES,
  oaepEncrypt,
  SIGNATURE_HASHES,
  signatureVerifies,
} from './independent-crypto.js';

const CONTAINER_FIELDS = [
  'algorithm',
  'friendlyName',
  'hasCertificate',
  'keySpec',
  'name',
  'publicKey',
];

export const KEY_CASES: readonly CaseDefinition[] = [
  {
    name: 'refuses key operations without a verified PIN, and after logout or reset',
    async body({ card, pin, expect }) {
      await expect.rejects(
        'generateKeyPair before the PIN',
        card.generateKeyPair(),
        'ERR_PIN_REQUIRED',
      );
      await card.verifyPin(pin);
      const key = await card.generateKeyPair();
      await card.logout();
      await expect.rejects('sign after logout', card.sign(key.name, CHALLENGE), 'ERR_PIN_REQUIRED');
      await card.verifyPin(pin);
      await card.sign(key.name, CHALLENGE);
      await card.reset();
      await expect.rejects('sign after reset', card.sign(key.name, CHALLENGE), 'ERR_PIN_REQUIRED');
      await expect.rejects(
        'deleteContainer after reset',
        card.deleteContainer(key.name),
        'ERR_PIN_REQUIRED',
      );
    },
  },
  {
    name: 'generates an RSA-2048 exchange key by default, with an automatic unique name',
    async body({ card, pin, expect }) {
      await card.verifyPin(pin);
      const first = await card.generateKeyPair({ friendlyName: 'Smartcard Certificate' });
      const second = await card.generateKeyPair({ container: 'named', keySpec: 'signature' });
      expect.matches('the default key pair', first, {
        algorithm: 'RSA-2048',
        keySpec: 'exchange',
        friendlyName: 'Smartcard Certificate',
        hasCertificate: false,
      });
      expect.matches('a named signature key pair', second, { name: 'named', keySpec: 'signature' });
      expect.holds('automatic names', first.name !== second.name, 'a name of its own', first.name);
      expect.equal(
        'the fields of a container',
        Object.keys(first).sort(),
        [...CONTAINER_FIELDS].sort(),
      );
      expect.equal(
        'containers() in order of creation',
        (await card.containers()).map((c) => c.name),
        [first.name, 'named'],
      );
      expect.equal('info().blank with keys', (await card.info()).blank, false);
      await expect.rejects(
        'a second container of the same name',
        card.generateKeyPair({ container: 'named' }),
        'ERR_INVALID_INPUT',
      );
    },
  },
  {
    name: 'signs with every hash; an independent implementation verifies',
    async body({ card, pin, options, crypto, expect }) {
      await card.verifyPin(pin);
      for (const algorithm of options.algorithms) {
        const key = await card.generateKeyPair({ algorithm });
        for (const hash of SIGNATURE_HASHES) {
          const signature = await card.sign(key.name, CHALLENGE, { hash });
          const check = { spki: key.publicKey, algorithm, hash, data: CHALLENGE, signature };
          const valid = await signatureVerifies(crypto, check);
          expect.holds(
            `${algorithm} ${hash} signature`,
            valid,
            'one WebCrypto verifies',
            signature,
          );
        }
        const signature = await card.sign(key.name, CHALLENGE);
        const check = { spki: key.publicKey, algorithm, hash: 'SHA-256' as const, data: CHALLENGE };
        const valid = await signatureVerifies(crypto, { ...check, signature });
        expect.holds(
          `${algorithm} signature, default hash`,
          valid,
          'SHA-256, verifying',
          signature,
        );
      }
    },
  },
  {
    name: 'decrypts RSA-OAEP with an exchange key only',
    appliesTo: (options) => options.decrypts,
    async body({ card, pin, options, crypto, expect }) {
      await card.verifyPin(pin);
      const exchange = await card.generateKeyPair();
      const signOnly = await card.generateKeyPair({ keySpec: 'signature' });
      for (const hash of OAEP_HASHES) {
        const secret = utf8(`session key ${hash}`);
        const ciphertext = await oaepEncrypt(crypto, exchange.publicKey, hash, secret);
        const plain = await card.decrypt(exchange.name, ciphertext, { hash });
        expect.equal(`RSA-OAEP ${hash} decrypted`, plain, secret);
      }
      const ciphertext = new Uint8Array(256);
      await expect.rejects(
        'decrypt with a signature key',
        card.decrypt(signOnly.name, ciphertext),
        'ERR_KEY_USAGE',
      );
      await expect.rejects(
        'decrypt 10 bytes',
        card.decrypt(exchange.name, new Uint8Array(10)),
        'ERR_INVALID_INPUT',
      );
      await expect.rejects(
        'decrypt 256 zero bytes',
        card.decrypt(exchange.name, ciphertext),
        'ERR_INVALID_INPUT',
      );
      if (options.algorithms.includes('ECDSA-P256')) {
        const ec = await card.generateKeyPair({ algorithm: 'ECDSA-P256' });
        await expect.rejects(
          'decrypt with an ECDSA key',
          card.decrypt(ec.name, ciphertext),
          'ERR_KEY_USAGE',
        );
      }
    },
  },
];
