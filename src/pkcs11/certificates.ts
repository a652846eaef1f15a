import * as input from '../card/contract/input.js';
import { assertCertificateMatches, readCertificate } from '../card/contract/request-checks.js';
import { certificateSpki } from '../lib/der.js';
import { canonicalSpki, certificateSubject } from './key-encodings.js';
import type { TokenObjects } from './objects.js';
import type { TokenSession } from './token.js';

/**
 * The containers' certificates: certificate objects (`CKO_CERTIFICATE`, `CKC_X_509`) with the
 * container's `CKA_ID` and label.
 *
 * @example
 * ```ts
 * import { TokenCertificates } from './certificates.js';
 * import type { TokenObjects } from './objects.js';
 * import type { TokenSession } from './token.js';
 *
 * declare const session: TokenSession;
 * declare const objects: TokenObjects;
 * const certificates = new TokenCertificates(session, objects);
 * const der = await certificates.read('my-container');
 * ```
 *
 * @category Cards
 */
export class TokenCertificates {
  readonly #session: TokenSession;
  readonly #objects: TokenObjects;

  constructor(session: TokenSession, objects: TokenObjects) {
    this.#session = session;
    this.#objects = objects;
  }

  /** Stores a DER X.509 certificate with the container, replacing the one stored before. */
  async install(
    container: string,
    der: Uint8Array,
    options?: { friendlyName?: string },
  ): Promise<void> {
    const checked = input.options<{ friendlyName: string }>(options, 'installCertificate options');
    input.friendlyName(checked.friendlyName);
    const cert = input.bytes(der, 'certificate', input.MAX_CERTIFICATE_BYTES);
    const { spki, subject } = readCertificate(cert, (c) => ({
      spki: certificateSpki(c),
      subject: certificateSubject(c),
    }));
    const session = this.#session.requirePin();
    const keyContainer = this.#objects.named(container);
    const theirs = canonicalSpki(spki);
    assertCertificateMatches(theirs?.equals(Buffer.from(keyContainer.spki)) === true, container);
    const { pk, lib } = this.#session;
    const old = this.#objects.certificates(session, keyContainer);
    lib.C_CreateObject(session, [
      { type: pk.CKA_CLASS, value: pk.CKO_CERTIFICATE },
      { type: pk.CKA_CERTIFICATE_TYPE, value: pk.CKC_X_509 },
      { type: pk.CKA_TOKEN, value: true },
      { type: pk.CKA_PRIVATE, value: false },
      { type: pk.CKA_ID, value: keyContainer.id },
      { type: pk.CKA_LABEL, value: keyContainer.name },
      { type: pk.CKA_SUBJECT, value: subject },
      { type: pk.CKA_VALUE, value: Buffer.from(cert) },
    ]);
    this.#objects.destroy(session, old);
  }

  /** The DER certificate stored with the container, or `null`; no PIN needed. */
  async read(container: string): Promise<Uint8Array<ArrayBuffer> | null> {
    const session = this.#session.open();
    const keyContainer = this.#objects.named(container);
    const [cert] = this.#objects.certificates(session, keyContainer);
    if (cert === undefined) return null;
    const value = this.#objects.attribute(session, cert, this.#session.pk.CKA_VALUE);
    return value === undefined ? null : new Uint8Array(value);
  }
}
