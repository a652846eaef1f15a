import type { SmartCard } from '../card/contract/smart-card.js';
import { type Clock, systemClock } from '../clock.js';
import { getCrypto } from '../crypto.js';
import { CertificateAuthority } from '../enrollment/ca/authority.js';
import { EnrollmentBuilder } from '../enrollment/request/builder.js';
import type { DirectoryEntry } from '../enrollment/request/types.js';
import { describeCertificate } from '../enrollment/station/certificate-info.js';
import { enrollCard } from '../enrollment/station/enroll-card.js';
import { InvalidInputError } from '../errors.js';
import { constantTimeEqual } from '../lib/bytes.js';
import { Authenticator } from '../server/authenticator/authenticator.js';
import type { AuthenticatorOptions } from '../server/authenticator/types.js';
import { fixtureCaCrypto } from './key-source.js';
import type {
  TestAuthenticatorOptions,
  TestEnrollment,
  TestEnrollOptions,
  TestPkiOptions,
} from './test-pki-options.js';
import { TEST_USERS } from './test-users.js';

/**
 * A root CA, an issuing CA and a directory of users, for tests: issue users' certificates onto
 * cards, revoke them, and get what an `Authenticator` needs to trust them. Made by
 * {@link createTestPki}.
 *
 * @example
 * ```ts
 * import { createTestCard, createTestPki } from 'smartcard-2fa/testing';
 *
 * const pki = await createTestPki();
 * const { card } = await createTestCard({ kind: 'virtual' });
 * const { certificate } = await pki.enroll(card, { user: 'alice' });
 * const server = await pki.authenticator();
 * ```
 *
 * @category Testing
 */
export class TestPki {
  /** The embedded CA itself. */
  readonly ca: CertificateAuthority;
  /** The clock of the CA and of `authenticator()`. */
  readonly clock: Clock;
  /** The relying party id of `authenticator()`. */
  readonly rpId: string;
  readonly #users: Map<string, DirectoryEntry>;

  /** @internal Use {@link createTestPki}. */
  constructor(parts: {
    ca: CertificateAuthority;
    clock: Clock;
    rpId: string;
    users: Map<string, DirectoryEntry>;
  }) {
    this.ca = parts.ca;
    this.clock = parts.clock;
    this.rpId = parts.rpId;
    this.#users = parts.users;
  }

  /** The root CA's certificate (DER): the trust anchor. */
  get root(): Uint8Array<ArrayBuffer> {
    return this.ca.root;
  }

  /** The issuing CA's certificate (DER); the root's when the root issues. */
  get issuer(): Uint8Array<ArrayBuffer> {
    return this.ca.issuer;
  }

  /** Every user of the directory. */
  get users(): readonly DirectoryEntry[] {
    return [...this.#users.values()];
  }

  /**
   * The directory entry of `who`: a short name (`'alice'`), an account (`'CONTOSO\\alice'`), a
   * UPN or an e-mail address, compared without regard to ASCII case.
   *
   * @throws `InvalidInputError` when no user matches.
   */
  user(who: string): DirectoryEntry {
    const key = typeof who === 'string' ? who.toLowerCase() : '';
    for (const entry of this.#users.values()) {
      const names = [entry.account, entry.account.split('\\')[1], entry.upn, entry.email];
      if (names.some((name) => name?.toLowerCase() === key)) return entry;
    }
    throw new InvalidInputError(`The test directory has no user ${String(who)}.`);
  }

  /**
   * Adds a user to the directory (or replaces the one with the same account).
   *
   * @throws `InvalidInputError` for an entry without an account and common name.
   */
  addUser(entry: DirectoryEntry): void {
    if (typeof entry?.account !== 'string' || typeof entry.commonName !== 'string') {
      throw new InvalidInputError('A directory entry has an account and a commonName.');
    }
    this.#users.set(entry.account.toUpperCase(), entry);
  }

  /**
   * Enrolls `card` for a user, as an enrollment station does (`enrollCard`): a new key pair on
   * the card, a request signed with it, the certificate issued and installed beside it. The card
   * is logged out afterwards.
   *
   * @throws `InvalidInputError` for an unknown user, or when the enrollment does not end
   * installed (the CA's reason in the message); whatever the card throws.
   */
  async enroll(card: SmartCard, options: TestEnrollOptions = {}): Promise<TestEnrollment> {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidInputError('enroll takes an options object.');
    }
    const user = this.user(options.user ?? 'alice');
    const template = options.template ?? 'SmartcardUser';
    let request = new EnrollmentBuilder()
      .template(template)
      .algorithm(options.algorithm ?? 'RSA-2048')
      .keySpec(options.algorithm === 'ECDSA-P256' ? 'signature' : 'exchange');
    if (user.upn !== undefined) request = request.upn(user.upn);
    if (user.email !== undefined) request = request.email(user.email);
    const result = await enrollCard({
      card,
      request,
      submit: (built) => this.ca.issue(built, { requester: user.account }),
      requirePinChange: options.requirePinChange ?? false,
      ...(options.pin === undefined ? {} : { pin: options.pin }),
    });
    if (result.status !== 'installed') {
      const why = 'reason' in result ? `: ${result.reason}` : '';
      throw new InvalidInputError(`The test enrollment ended ${result.status}${why}.`);
    }
    const { serialNumber } = describeCertificate(result.certificate);
    return { user, container: result.container, certificate: result.certificate, serialNumber };
  }

  /** Revokes a certificate the CA issued (DER, or its serial number in hex). */
  async revoke(certificate: Uint8Array | string): Promise<void> {
    const serial =
      typeof certificate === 'string' ? certificate : describeCertificate(certificate).serialNumber;
    await this.ca.revoke(serial);
  }

  /** What an `Authenticator` needs to trust this PKI, with CRLs made now. */
  async authenticatorOptions(): Promise<TestAuthenticatorOptions> {
    const issuing = !constantTimeEqual(this.root, this.issuer);
    const crls = [await this.ca.crl()];
    if (issuing) crls.push(await this.ca.rootCrl());
    return {
      trustAnchors: [this.root],
      intermediates: issuing ? [this.issuer] : [],
      crls,
      clock: this.clock,
      rpId: this.rpId,
    };
  }

  /** An `Authenticator` trusting this PKI (its CRLs made as each verification asks). */
  async authenticator(options: Partial<AuthenticatorOptions> = {}): Promise<Authenticator> {
    const { crls: _now, ...trust } = await this.authenticatorOptions();
    return new Authenticator({ ...trust, crls: () => this.#crls(), ...options });
  }

  async #crls(): Promise<readonly Uint8Array[]> {
    return (await this.authenticatorOptions()).crls;
  }
}

/**
 * A test PKI: an embedded CA with a root and an issuing CA (ECDSA P-256 keys by default, or the
 * kit's fixture RSA keys), and a directory of test users ({@link TEST_USERS}).
 *
 * @throws `InvalidInputError` for bad options.
 * @example
 * ```ts
 * import { createTestPki } from 'smartcard-2fa/testing';
 *
 * const pki = await createTestPki({ keyAlgorithm: 'RSA-2048' });
 * const { trustAnchors, intermediates, crls } = await pki.authenticatorOptions();
 * ```
 *
 * @category Testing
 */
export async function createTestPki(options: TestPkiOptions = {}): Promise<TestPki> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('createTestPki takes an options object.');
  }
  const users = new Map<string, DirectoryEntry>();
  const pki = (ca: CertificateAuthority, clock: Clock) =>
    new TestPki({ ca, clock, rpId: options.rpId ?? 'app.contoso.test', users });
  const keyAlgorithm = options.keyAlgorithm ?? 'ECDSA-P256';
  const base = await getCrypto(options.crypto === undefined ? {} : { crypto: options.crypto });
  const clock = options.clock ?? systemClock;
  const ca = await CertificateAuthority.create({
    name: options.rootName ?? 'Test Root CA',
    issuing:
      options.issuingName === false ? false : { name: options.issuingName ?? 'Test Issuing CA' },
    keyAlgorithm,
    clock,
    crypto: keyAlgorithm === 'RSA-2048' ? fixtureCaCrypto(base) : base,
    directory: { lookup: (account) => users.get(account.toUpperCase()) },
  });
  const made = pki(ca, clock);
  for (const entry of options.users ?? Object.values(TEST_USERS)) made.addUser(entry);
  return made;
}
