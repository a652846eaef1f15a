/**
 * The public key a request asks a certificate for: from a PKCS#10 request, or from the one
 * inside a CMC request. Internal.
 */
import { children, readSingle, readTlv, type Tlv } from '../../lib/der.js';

/** The DER SubjectPublicKeyInfo of a PKCS#10 or CMC request, or `undefined` if unreadable.
 *
 * @category Enrollment
 */
export function requestSpki(der: Uint8Array): Uint8Array | undefined {
  try {
    const top = readSingle(der);
    const [first, second] = children(der, top);
    if (first?.tag === 0x30) return pkcs10Spki(der, top);
    // ContentInfo { signedData, [0] SignedData { version, digests, encapContentInfo, ... } }
    if (first?.tag !== 0x06 || second?.tag !== 0xa0) return undefined;
    const [signedData] = children(der, second);
    const encap = signedData === undefined ? undefined : children(der, signedData)[2];
    const wrapper = encap === undefined ? undefined : children(der, encap)[1];
    const octets = wrapper === undefined ? undefined : children(der, wrapper)[0];
    if (octets?.tag !== 0x04) return undefined;
    const pkiData = readTlv(der, octets.valueStart, octets.end);
    const requests = children(der, pkiData)[1];
    const tagged = requests === undefined ? undefined : children(der, requests)[0];
    const pkcs10 = tagged === undefined ? undefined : children(der, tagged)[1];
    return pkcs10 === undefined ? undefined : pkcs10Spki(der, pkcs10);
  } catch {
    return undefined;
  }
}

function pkcs10Spki(der: Uint8Array, request: Tlv): Uint8Array | undefined {
  const [info] = children(der, request);
  const spki = info === undefined ? undefined : children(der, info)[2];
  return spki === undefined ? undefined : der.slice(spki.start, spki.end);
}
