/**
 * The contract's certificate cases: a certificate is stored beside its own key only (not
 * another key's, not a broken or PEM one), and deleting a container deletes its certificate.
 */
import { utf8 } from '../../lib/bytes.js';
import { type CaseDefinition, CHALLENGE } from './contract-case.js';
import { certificateFor } from './test-certificate.js';

export const CERTIFICATE_CASES: readonly CaseDefinition[] = [
  {
    name: "stores a certificate beside its key, and refuses another key's",
    async body({ card, pin, crypto, expect }) {
      await card.verifyPin(pin);
      const first = await card.generateKeyPair();
      const second = await card.generateKeyPair();
      const certificate = await certificateFor(crypto, first.publicKey);
      await expect.rejects(
        "install the first key's certificate beside the second",
        card.installCertificate(second.name, certificate),
        'ERR_CERTIFICATE_MISMATCH',
      );
      await expect.rejects(
        'install a truncated certificate',
        card.installCertificate(first.name, certificate.slice(0, 100)),
        'ERR_CERTIFICATE_INVALID',
      );
      const pem = utf8('-----BEGIN CERTIFICATE-----\nMIIB\n');
      await expect.rejects(
        'install PEM text',
        card.installCertificate(first.name, pem),
        'ERR_CERTIFICATE_INVALID',
      );
      await expect.rejects(
        'install into a missing container',
        card.installCertificate('missing', certificate),
        'ERR_KEY_NOT_FOUND',
      );
      expect.equal('certificate() before the install', await card.certificate(first.name), null);
      await card.installCertificate(first.name, certificate, {
        friendlyName: 'Smartcard Certificate',
      });
      expect.equal('certificate() after it', await card.certificate(first.name), certificate);
      const listed = (await card.containers()).find((c) => c.name === first.name);
      expect.equal('hasCertificate after it', listed?.hasCertificate, true);
      expect.equal("the other key's certificate()", await card.certificate(second.name), null);
    },
  },
  {
    name: 'deletes a container with its certificate',
    async body({ card, pin, crypto, expect }) {
      await card.verifyPin(pin);
      const key = await card.generateKeyPair();
      await card.installCertificate(key.name, await certificateFor(crypto, key.publicKey));
      await card.deleteContainer(key.name);
      expect.equal('containers() after the delete', await card.containers(), []);
      await expect.rejects(
        'certificate() of the deleted container',
        card.certificate(key.name),
        'ERR_KEY_NOT_FOUND',
      );
      await expect.rejects(
        'sign with the deleted key',
        card.sign(key.name, CHALLENGE),
        'ERR_KEY_NOT_FOUND',
      );
    },
  },
];
