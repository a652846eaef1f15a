/**
 * A strict DER reader, just enough to walk X.509 structures without pulling in an ASN.1 library
 * (browser bundles stay small). Internal: never exported from the package.
 */

/** One DER element: its tag byte, where its value lies, and where it ends. */
export interface Tlv {
  readonly tag: number;
  /** Offset of the first byte of the element (its tag). */
  readonly start: number;
  /** Offset of the first byte of the value. */
  readonly valueStart: number;
  /** Offset just past the element. */
  readonly end: number;
}

/** Thrown by the reader; callers turn it into their own typed error. */
export class DerError extends Error {
  override readonly name = 'DerError';
}

/** Reads the element at `offset`, which must end by `limit`. Definite, minimal lengths only. */
export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv {
  if (offset + 2 > limit) throw new DerError('truncated element');
  const tag = bytes[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not supported');
  const first = bytes[offset + 1] as number;
  let length: number;
  let valueStart: number;
  if (first < 0x80) {
    length = first;
    valueStart = offset + 2;
  } else {
    const count = first & 0x7f;
    if (count === 0) throw new DerError('indefinite length is not DER');
    if (count > 4) throw new DerError('length too large');
    if (offset + 2 + count > limit) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[offset + 2 + i] as number);
    if (bytes[offset + 2] === 0 || length < 0x80) throw new DerError('length is not minimal');
    valueStart = offset + 2 + count;
  }
  const end = valueStart + length;
  if (end > limit) throw new DerError('element runs past its container');
  return { tag, start: offset, valueStart, end };
}

/** The elements directly inside a constructed element, in order. */
export function children(bytes: Uint8Array, parent: Tlv): Tlv[] {
  if ((parent.tag & 0x20) === 0) throw new DerError('not a constructed element');
  const out: Tlv[] = [];
  let offset = parent.valueStart;
  while (offset < parent.end) {
    const child = readTlv(bytes, offset, parent.end);
    out.push(child);
    offset = child.end;
  }
  return out;
}

/** Reads a whole buffer that must be exactly one element. */
export function readSingle(bytes: Uint8Array): Tlv {
  const tlv = readTlv(bytes, 0);
  if (tlv.end !== bytes.length) throw new DerError('trailing bytes after the element');
  return tlv;
}

const SEQUENCE = 0x30;

/**
 * The DER of the subjectPublicKeyInfo of an X.509 certificate. Throws {@link DerError} unless
 * `der` is one well-formed Certificate SEQUENCE { tbsCertificate, signatureAlgorithm,
 * signatureValue }.
 */
export function certificateSpki(der: Uint8Array): Uint8Array {
  const cert = readSingle(der);
  if (cert.tag !== SEQUENCE) throw new DerError('a certificate is a SEQUENCE');
  const parts = children(der, cert);
  const [tbs, algorithm, signature] = parts;
  if (parts.length !== 3 || tbs?.tag !== SEQUENCE || algorithm?.tag !== SEQUENCE) {
    throw new DerError('a certificate has three parts: tbsCertificate, algorithm, signature');
  }
  if (signature?.tag !== 0x03) throw new DerError('the signature is a BIT STRING');
  const fields = children(der, tbs);
  // [0] version is optional; then serial, signature, issuer, validity, subject, spki.
  const skip = fields[0]?.tag === 0xa0 ? 1 : 0;
  const spki = fields[skip + 5];
  const expected = [0x02, SEQUENCE, SEQUENCE, SEQUENCE, SEQUENCE, SEQUENCE];
  for (let i = 0; i < expected.length; i++) {
    if (fields[skip + i]?.tag !== expected[i]) {
      throw new DerError('the tbsCertificate fields are not in X.509 order');
    }
  }
  if (spki === undefined) throw new DerError('no subjectPublicKeyInfo');
  children(der, spki); // it must parse as well
  return der.slice(spki.start, spki.end);
}
