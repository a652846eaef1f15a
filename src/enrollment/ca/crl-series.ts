/**
 * The CRLs an issuing CA publishes, one number after another: complete CRLs, and delta CRLs of
 * the latest complete one (RFC 5280 §5.2.4), each optionally scoped by an issuing distribution
 * point (§5.2.5). Internal, except for the option type.
 */
import { InvalidInputError } from '../../errors.js';
import type { CrlParams, Revocation } from './crl.js';

/**
 * Options of `CertificateAuthority.crl`.
 *
 * @example
 * ```ts
 * import { CertificateAuthority, type CrlOptions } from 'smartcard-2fa/enrollment';
 *
 * declare const ca: CertificateAuthority;
 * const base = await ca.crl(); // a complete CRL, number 1 on a new CA
 * await ca.revoke('1a2b3c', 'keyCompromise');
 * const options: CrlOptions = { deltaOf: 1 }; // what changed since CRL 1
 * const delta = await ca.crl(options);
 * console.log(base.length, delta.length);
 * ```
 *
 * @category Certificate authority
 */
export interface CrlOptions {
  /**
   * Makes a delta CRL of the latest complete CRL, which must be the one numbered `deltaOf`: it
   * lists only what was revoked, or revoked for another reason, since that CRL.
   */
  readonly deltaOf?: number;
  /**
   * The URL the CRL is published at, as the certificates' CRL distribution points name it:
   * written as a critical issuing distribution point, so the CRL covers only the certificates
   * that name it.
   */
  readonly distributionPoint?: string;
  /** With `distributionPoint`: the CRL lists end-entity certificates only. */
  readonly onlyUserCerts?: boolean;
  /**
   * After a key rollover (`rollOverKey()`), whose CRL: the index of a key of the issuing CA (0
   * the first), signing a CRL of the certificates it issued, published at that key's CRL URL
   * (`issuing(1).crl` for key 1); or `'all'`, one CRL of every key's certificates signed by the
   * newest key (RFC 5280 §6.3.3 (f)). The newest key's own CRL by default. Once the CA has
   * several keys, a key's own CRL carries an issuing distribution point naming its CRL URL
   * (unless `distributionPoint` is given), so that no relying party takes it for another key's
   * certificates. Each choice is a series of its own for `deltaOf`. With `crlSigningKey`, the
   * CRL-signing key signs them all.
   */
  readonly key?: number | 'all';
}

/** What changes from CRL to CRL: the number, and what the latest complete CRL listed. */
export class CrlSeries {
  #latestComplete: { readonly number: number; readonly listed: Map<string, string> } | undefined;

  /**
   * The CRL parameters for `options`, given the revocations now and the next CRL number, and
   * remembers a complete CRL as the base of later deltas. Throws `InvalidInputError` for options
   * of the wrong type or a `deltaOf` that is not the latest complete CRL.
   */
  next(
    options: CrlOptions,
    revocations: readonly Revocation[],
    crlNumber: number,
  ): Pick<CrlParams, 'revoked' | 'crlNumber' | 'deltaOf' | 'distributionPoint' | 'onlyUserCerts'> {
    const checked = checkCrlOptions(options);
    const scope = {
      ...(checked.distributionPoint === undefined
        ? {}
        : { distributionPoint: checked.distributionPoint }),
      ...(checked.onlyUserCerts === undefined ? {} : { onlyUserCerts: checked.onlyUserCerts }),
    };
    if (checked.deltaOf === undefined) {
      const listed = new Map(revocations.map((entry) => [entry.serialNumber, entry.reason]));
      this.#latestComplete = { number: crlNumber, listed };
      return { revoked: revocations, crlNumber, ...scope };
    }
    const base = this.#latestComplete;
    if (base === undefined || base.number !== checked.deltaOf) {
      throw new InvalidInputError(
        `crl({ deltaOf: ${checked.deltaOf} }): a delta CRL is made of this CA's latest complete CRL${base === undefined ? ', and it has made none yet' : ` (number ${base.number})`}.`,
      );
    }
    const changed = revocations.filter(
      (entry) => base.listed.get(entry.serialNumber) !== entry.reason,
    );
    return { revoked: changed, crlNumber, deltaOf: base.number, ...scope };
  }
}

/** Refuses `crl()` options of the wrong type with `InvalidInputError`. */
export function checkCrlOptions(options: unknown): CrlOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('crl() options must be an object.');
  }
  const { deltaOf, distributionPoint, onlyUserCerts, key } = options as Record<string, unknown>;
  if (key !== undefined && key !== 'all' && (!Number.isSafeInteger(key) || (key as number) < 0)) {
    throw new InvalidInputError("crl(): key is the index of a key of the CA, or 'all'.");
  }
  if (deltaOf !== undefined && (!Number.isSafeInteger(deltaOf) || (deltaOf as number) < 1)) {
    throw new InvalidInputError('crl(): deltaOf must be the number of a complete CRL.');
  }
  if (
    distributionPoint !== undefined &&
    (typeof distributionPoint !== 'string' || !/^[a-z][a-z0-9+.-]*:\S+$/i.test(distributionPoint))
  ) {
    throw new InvalidInputError('crl(): distributionPoint must be a URL.');
  }
  if (onlyUserCerts !== undefined && typeof onlyUserCerts !== 'boolean') {
    throw new InvalidInputError('crl(): onlyUserCerts must be true or false.');
  }
  if (onlyUserCerts !== undefined && distributionPoint === undefined) {
    throw new InvalidInputError('crl(): onlyUserCerts goes with a distributionPoint.');
  }
  return options as CrlOptions;
}
