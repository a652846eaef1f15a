/**
 * Certificate revocation lists (RFC 5280 §5): parsing with the strict DER reader, and the
 * revocation check of one certificate against the CRLs of its issuer. Internal.
 */
import type { Tlv } from '../../lib/der.js';
import { contentOf, encodingOf, expect, sameBytes, sequence, timeOf, topSequence } from './asn1.js';
import type { PathCertificate } from './certificate.js';
import { unreadable } from './certificate.js';
import type { Problem } from './checks.js';
import { readExtensions } from './extensions.js';
import type { KeyFacts, SignatureChecker } from './signature.js';

/** A parsed CRL. */
export interface PathCrl {
  readonly issuer: Uint8Array;
  readonly thisUpdate: number;
  readonly nextUpdate?: number;
  readonly revoked: readonly Uint8Array[];
  readonly tbs: Uint8Array;
  readonly algorithm: Uint8Array;
  readonly signature: Uint8Array;
  /** Why the CRL cannot be relied on even when its signature verifies, if it cannot. */
  readonly flaw?: string;
}

const CRL_NUMBER = '2.5.29.20';
const KNOWN_CRL_EXTENSIONS = new Set(['2.5.29.20', '2.5.29.35']);
const KNOWN_ENTRY_EXTENSIONS = new Set(['2.5.29.21', '2.5.29.24']);

/** Parses a DER CRL, or returns why it is not one. */
export function parseCrl(der: Uint8Array): PathCrl | string {
  try {
    const [tbsTlv, outer, signatureTlv] = topSequence(der) as [Tlv, Tlv, Tlv | undefined];
    expect(signatureTlv?.tag === 0x03, 'the CRL signature is a BIT STRING');
    const fields = sequence(der, tbsTlv);
    const hasVersion = fields[0]?.tag === 0x02;
    const [inner, issuer, thisUpdate, ...rest] = fields.slice(hasVersion ? 1 : 0);
    expect(inner !== undefined && issuer !== undefined, 'a CRL without an issuer');
    const algorithm = encodingOf(der, outer);
    expect(sameBytes(algorithm, encodingOf(der, inner)), 'the CRL algorithms differ');
    const hasNext = rest[0]?.tag === 0x17 || rest[0]?.tag === 0x18;
    const nextUpdate = hasNext ? timeOf(der, rest[0]) : undefined;
    const after = rest.slice(hasNext ? 1 : 0);
    const list = after[0]?.tag === 0x30 ? sequence(der, after[0]) : [];
    const revoked: Uint8Array[] = [];
    let flaw: string | undefined;
    for (const entry of list) {
      const [serial, , entryExtensions] = sequence(der, entry);
      expect(serial?.tag === 0x02, 'a CRL entry has no serial number');
      revoked.push(contentOf(der, serial));
      if (entryExtensions !== undefined) {
        for (const [oid, ext] of readExtensions(der, entryExtensions)) {
          if (ext.critical && !KNOWN_ENTRY_EXTENSIONS.has(oid))
            flaw ??= `a critical entry extension ${oid}`;
        }
      }
    }
    const extensionsTlv = after.find((tlv) => tlv.tag === 0xa0);
    const extensions = extensionsTlv
      ? readExtensions(der, sequence(der, extensionsTlv, 0xa0)[0] as Tlv)
      : new Map();
    const crlNumber = extensions.get(CRL_NUMBER);
    if (crlNumber === undefined) flaw ??= 'it has no CRL number';
    else if (crlNumber.critical) flaw ??= 'its CRL number is marked critical';
    for (const [oid, ext] of extensions) {
      if (ext.critical && !KNOWN_CRL_EXTENSIONS.has(oid)) flaw ??= `a critical extension ${oid}`;
    }
    const signature = contentOf(der, signatureTlv);
    expect(signature[0] === 0, 'the CRL signature has unused bits');
    return {
      issuer: encodingOf(der, issuer),
      thisUpdate: timeOf(der, thisUpdate),
      ...(nextUpdate === undefined ? {} : { nextUpdate }),
      revoked,
      tbs: encodingOf(der, tbsTlv),
      algorithm,
      signature: signature.subarray(1),
      ...(flaw === undefined ? {} : { flaw }),
    };
  } catch (error) {
    return unreadable(error);
  }
}

/** Signature checks of CRLs already made, by CRL and issuer key (both parsed per validation). */
const verifiedCrls = new WeakMap<PathCrl, WeakMap<Uint8Array, boolean | string>>();

/**
 * Checks `cert` against the CRLs naming its issuer and signed by `issuer`'s key (CRLs of
 * another CA with the same name are ignored). A usable CRL listing the serial revokes it; a CRL
 * of the issuer that is stale, not yet valid, flawed, or signed by a key not allowed to sign
 * CRLs makes the status undecidable (`crl-invalid`).
 */
export async function checkRevocation(
  cert: PathCertificate,
  issuer: PathCertificate,
  issuerKey: KeyFacts,
  crls: readonly PathCrl[],
  checker: SignatureChecker,
  time: number,
  require = false,
): Promise<Problem | undefined> {
  let covered = false;
  for (const crl of crls) {
    if (!sameBytes(crl.issuer, cert.issuer)) continue;
    // Each CRL is verified once per issuer key, however many paths the search tries.
    let byKey = verifiedCrls.get(crl);
    if (byKey === undefined) {
      byKey = new WeakMap();
      verifiedCrls.set(crl, byKey);
    }
    let verified = byKey.get(issuer.spki);
    if (verified === undefined) {
      verified = await checker.verify(
        issuer.spki,
        issuerKey,
        crl.algorithm,
        crl.tbs,
        crl.signature,
      );
      byKey.set(issuer.spki, verified);
    }
    if (verified !== true) continue;
    const invalid = (why: string): Problem => ({
      reason: 'crl-invalid',
      detail: `The CRL of the certificate's issuer cannot be used: ${why}.`,
    });
    if (crl.flaw !== undefined) return invalid(crl.flaw);
    if (issuer.keyUsage !== undefined && !issuer.keyUsage.has('cRLSign')) {
      return invalid('its issuer is not allowed to sign CRLs');
    }
    if (time < crl.thisUpdate) return invalid('it is not yet valid');
    // Without nextUpdate a CRL would never go stale: an old one could hide a later revocation.
    if (crl.nextUpdate === undefined) return invalid('it has no nextUpdate');
    if (time > crl.nextUpdate) return invalid('it is out of date');
    if (crl.revoked.some((serial) => sameBytes(serial, cert.serial))) {
      return { reason: 'revoked', detail: 'The certificate is listed on its issuer’s CRL.' };
    }
    covered = true;
  }
  if (require && !covered) {
    return {
      reason: 'crl-invalid',
      detail: 'No current CRL of the certificate’s issuer was given, and revocation is required.',
    };
  }
  return undefined;
}
