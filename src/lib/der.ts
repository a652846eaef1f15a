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
const BIT_STRING = 0x03;
const MAX_DEPTH = 32;

/**
 * Walks every element inside `tlv`, checking DER lengths all the way down and the unused-bits
 * byte of every BIT STRING. Throws {@link DerError}.
 */
export function checkTree(bytes: Uint8Array, tlv: Tlv, depth = 0): void {
  if (depth > MAX_DEPTH) throw new DerError('nested too deeply');
  if (tlv.tag === BIT_STRING) {
    const unused = bytes[tlv.valueStart];
    const length = tlv.end - tlv.valueStart;
    if (length === 0 || unused === undefined || unused > 7 || (length === 1 && unused !== 0)) {
      throw new DerError('a BIT STRING has an invalid unused-bits count');
    }
  }
  if (tlv.tag === 0x10 || tlv.tag === 0x11) {
    throw new DerError('a SEQUENCE or SET must be constructed');
  }
  if (tlv.tag === 0x02) {
    const first = bytes[tlv.valueStart];
    const second = bytes[tlv.valueStart + 1] ?? 0;
    const length = tlv.end - tlv.valueStart;
    if (length === 0) throw new DerError('an empty INTEGER');
    if (length > 1 && ((first === 0 && second < 0x80) || (first === 0xff && second >= 0x80))) {
      throw new DerError('an INTEGER is not minimally encoded');
    }
  }
  if ((tlv.tag & 0x20) === 0) return;
  for (const child of children(bytes, tlv)) checkTree(bytes, child, depth + 1);
}

/** The tbsCertificate fields a reader of an X.509 certificate looks up, as elements of its DER. */
export interface CertificateFields {
  readonly serialNumber: Tlv;
  readonly issuer: Tlv;
  readonly subject: Tlv;
  readonly subjectPublicKeyInfo: Tlv;
  /** The `[3]` extensions field, when the certificate has one. */
  readonly extensions: Tlv | undefined;
}

/**
 * The DER of the subjectPublicKeyInfo of an X.509 certificate. Throws {@link DerError} unless
 * `der` is one well-formed Certificate SEQUENCE { tbsCertificate, signatureAlgorithm,
 * signatureValue }.
 */
export function certificateSpki(der: Uint8Array): Uint8Array {
  const { subjectPublicKeyInfo: spki } = certificateFields(der);
  return der.slice(spki.start, spki.end);
}

/**
 * The tbsCertificate fields of an X.509 certificate, after the checks of
 * {@link certificateSpki}: its shape, the X.509 field order and DER lengths throughout.
 */
export function certificateFields(der: Uint8Array): CertificateFields {
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
  if (skip === 1) {
    const version = children(der, fields[0] as Tlv);
    if (version.length !== 1 || version[0]?.tag !== 0x02) throw new DerError('a bad version');
  }
  // After the key: issuerUniqueID [1], subjectUniqueID [2], extensions [3], each optional.
  let last = 0;
  for (const field of fields.slice(skip + 6)) {
    const order = [0x81, 0x82, 0xa3].indexOf(field.tag) + 1;
    if (order <= last) throw new DerError('unexpected fields after the public key');
    last = order;
  }
  checkTree(der, cert);
  const [serialNumber, , issuer, , subject] = fields.slice(skip) as Tlv[];
  const extensions = fields.find((field) => field.tag === 0xa3);
  return {
    serialNumber: serialNumber as Tlv,
    issuer: issuer as Tlv,
    subject: subject as Tlv,
    subjectPublicKeyInfo: spki,
    extensions,
  };
}

/**
 * The reason a parse failed. Hostile input may also trip a runtime error in the readers (an
 * absent field read as present); that is a malformed input too, never a throw to the caller.
 * Anything else is thrown again.
 */
export function unreadable(error: unknown): string {
  if (error instanceof DerError) return error.message;
  if (error instanceof TypeError || error instanceof RangeError) return 'unreadable structure';
  throw error;
}
