/**
 * What a test PKI is made with and what it gives: the options of {@link createTestPki} and of
 * {@link TestPki.enroll}, an enrollment's result, and the trust an `Authenticator` needs.
 */
import type { KeyAlgorithmName } from '../card/contract/smart-card.js';
import type { Clock } from '../clock.js';
import type { WebCrypto } from '../crypto.js';
import type { CaKeyAlgorithm } from '../enrollment/ca/signing-key.js';
import type { DirectoryEntry } from '../enrollment/request/types.js';
import type { AuthenticatorOptions } from '../server/authenticator/types.js';
import type { createTestPki, TestPki } from './test-pki.js';
import type { TEST_USERS } from './test-users.js';

/**
 * Options of {@link createTestPki}. Every one has a default.
 *
 * @example
 * ```ts
 * import { createTestPki, type TestPkiOptions } from 'smartcard-2fa/testing';
 *
 * const options: TestPkiOptions = { keyAlgorithm: 'RSA-2048', rpId: 'app.example.test' };
 * const pki = await createTestPki(options);
 * pki.rpId; // 'app.example.test'
 * ```
 *
 * @category Testing
 */
export interface TestPkiOptions {
  /**
   * The CA keys: `'ECDSA-P256'` (the default: made in milliseconds) or `'RSA-2048'` (the kit's
   * fixture RSA keys, so no RSA key generation either).
   */
  readonly keyAlgorithm?: CaKeyAlgorithm;
  /** The directory's users; {@link TEST_USERS} by default. `addUser` adds more. */
  readonly users?: readonly DirectoryEntry[];
  /** The CA's clock, also the Authenticator's; the system clock by default. */
  readonly clock?: Clock;
  /** The relying party id of `authenticator()`; `'app.contoso.test'` by default. */
  readonly rpId?: string;
  /** The root's common name; `'Test Root CA'` by default. */
  readonly rootName?: string;
  /** The issuing CA's common name, or `false` for a root that issues; `'Test Issuing CA'`. */
  readonly issuingName?: string | false;
  /** The WebCrypto to use; the runtime's by default. */
  readonly crypto?: WebCrypto;
}

/**
 * Options of {@link TestPki.enroll}.
 *
 * @example
 * ```ts
 * import { createTestCard, createTestPki, type TestEnrollOptions } from 'smartcard-2fa/testing';
 *
 * const pki = await createTestPki();
 * const { card } = await createTestCard({ kind: 'physical' });
 * const options: TestEnrollOptions = { user: 'bob', template: 'SmartcardLogon' };
 * (await pki.enroll(card, options)).user.upn; // 'bob@contoso.test'
 * ```
 *
 * @category Testing
 */
export interface TestEnrollOptions {
  /** Who the certificate is for: a short name (`'alice'`), account, UPN or e-mail; Alice. */
  readonly user?: string;
  /** `'SmartcardUser'` (the default; needs an e-mail address) or `'SmartcardLogon'`. */
  readonly template?: 'SmartcardUser' | 'SmartcardLogon';
  /** The key pair generated on the card; `'RSA-2048'` (a fixture key on test cards). */
  readonly algorithm?: KeyAlgorithmName;
  /** The card's PIN, when it is not the default one. */
  readonly pin?: string;
  /** Mark the PIN must-change after installing, as an enrollment station may; `false`. */
  readonly requirePinChange?: boolean;
}

/**
 * What {@link TestPki.enroll} installed.
 *
 * @example
 * ```ts
 * import { createTestCard, createTestPki, type TestEnrollment } from 'smartcard-2fa/testing';
 *
 * const pki = await createTestPki();
 * const { card } = await createTestCard({ kind: 'virtual' });
 * const enrollment: TestEnrollment = await pki.enroll(card);
 * await card.certificate(enrollment.container); // the same bytes as enrollment.certificate
 * await pki.revoke(enrollment.serialNumber);
 * ```
 *
 * @category Testing
 */
export interface TestEnrollment {
  /** The user the certificate names. */
  readonly user: DirectoryEntry;
  /** The key container holding the key and the certificate. */
  readonly container: string;
  /** The certificate, DER. */
  readonly certificate: Uint8Array<ArrayBuffer>;
  /** Its serial number, lowercase hex (for `revoke`). */
  readonly serialNumber: string;
}

/**
 * The parts of `AuthenticatorOptions` a test PKI gives: its root as trust anchor, its issuing CA,
 * current CRLs, its clock and relying party id.
 *
 * @example
 * ```ts
 * import { createTestPki, type TestAuthenticatorOptions } from 'smartcard-2fa/testing';
 *
 * const pki = await createTestPki();
 * const trust: TestAuthenticatorOptions = await pki.authenticatorOptions();
 * trust.trustAnchors.length; // 1: the root
 * trust.crls.length; // 2: the issuing CA's and the root's
 * ```
 *
 * @category Testing
 */
export type TestAuthenticatorOptions = Required<
  Pick<AuthenticatorOptions, 'trustAnchors' | 'intermediates' | 'clock' | 'rpId'>
> & { readonly crls: readonly Uint8Array[] };
