/**
 * Whose certificates the entries of a CRL revoke (RFC 5280 §5.3.3): the CRL issuer's, until a
 * certificateIssuer entry extension names another issuer for that entry and those after it, up to
 * the next one. An indirect CRL (§5.2.5) lists the revocations of several CAs that way. Internal.
 */
import { children, readSingle } from '../../lib/der.js';
import { expect } from './asn1.js';
import type { PathCrl } from './crl.js';
import { readGeneralName } from './general-names.js';

/**
 * The certificate issuers an indirect CRL's entries name, by where they start: the serial
 * offset of the entry carrying each certificateIssuer, in the CRL's order.
 *
 * @category Server
 */
export class EntryIssuers {
  readonly #starts: readonly number[];
  readonly #names: readonly ReadonlySet<string>[];

  /** `starts[i]` is the serial offset of the entry that names the issuers `names[i]`. */
  constructor(starts: readonly number[], names: readonly ReadonlySet<string>[]) {
    this.#starts = starts;
    this.#names = names;
  }

  /**
   * The issuers (Name keys, see `nameKey`) of the entry whose serial starts at `start`, or
   * `undefined` when no certificateIssuer comes before it: then it is the CRL issuer's.
   */
  issuersAt(start: number): ReadonlySet<string> | undefined {
    let low = 0;
    let high = this.#starts.length - 1;
    let found: ReadonlySet<string> | undefined;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if ((this.#starts[middle] as number) <= start) {
        found = this.#names[middle];
        low = middle + 1;
      } else high = middle - 1;
    }
    return found;
  }
}

/**
 * The issuers a certificateIssuer extension value names (GeneralNames, at least one): the
 * keys of its directory names (other forms are read, and never match a certificate's issuer).
 * Throws `DerError` when the value is not GeneralNames.
 */
export function readCertificateIssuer(value: Uint8Array): ReadonlySet<string> {
  const top = readSingle(value);
  expect(top.tag === 0x30 && top.end === value.length, 'a certificateIssuer is GeneralNames');
  const names = children(value, top);
  expect(names.length > 0, 'an empty certificateIssuer');
  const keys = new Set<string>();
  for (const name of names) {
    const general = readGeneralName(value, name);
    if (general.form === 'directory') keys.add(general.rdns.join(','));
  }
  return keys;
}

/**
 * The reason `crl` lists `serial` with as a certificate of the issuer `issuerKey` (see
 * `SerialSet.reasonOf`), or -1: only an entry that belongs to that issuer counts.
 */
export function listedReason(crl: PathCrl, serial: Uint8Array, issuerKey: string): number {
  const owners = crl.entryIssuers;
  if (owners === undefined) return crl.issuerKey === issuerKey ? crl.revoked.reasonOf(serial) : -1;
  const own = crl.issuerKey === issuerKey;
  return crl.revoked.reasonOf(serial, (start) => owners.issuersAt(start)?.has(issuerKey) ?? own);
}
