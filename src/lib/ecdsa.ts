/**
 * ECDSA signature encodings. X.509 and CMS carry Ecdsa-Sig-Value as DER; WebCrypto takes the
 * fixed-size r‖s form (IEEE P1363). Internal: never exported from the package.
 */
import { checkTree, children, readSingle } from './der.js';

/**
 * Ecdsa-Sig-Value `SEQUENCE { r INTEGER, s INTEGER }` to r‖s of `size` bytes each, read with the
 * strict DER reader: exactly a SEQUENCE of two minimal positive INTEGERs below 2^(8·size).
 * Returns `undefined` for anything else (a malformed signature does not verify).
 */
export function ecdsaP1363(der: Uint8Array, size: number): Uint8Array<ArrayBuffer> | undefined {
  try {
    const seq = readSingle(der);
    if (seq.tag !== 0x30) return undefined;
    const parts = children(der, seq);
    if (parts.length !== 2) return undefined;
    const out = new Uint8Array(size * 2);
    for (const [index, part] of parts.entries()) {
      if (part.tag !== 0x02) return undefined;
      checkTree(der, part);
      let value = der.subarray(part.valueStart, part.end);
      if ((value[0] ?? 0) & 0x80) return undefined; // negative
      if (value[0] === 0) value = value.subarray(1);
      if (value.length === 0 || value.length > size || value.every((b) => b === 0))
        return undefined;
      out.set(value, index * size + size - value.length);
    }
    return out;
  } catch {
    return undefined;
  }
}
