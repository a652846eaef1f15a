/// <reference types="node" />
/**
 * The frame around every file a `FileStore` writes. Internal: not exported from the package.
 *
 * ```
 * offset  size  field
 *      0     8  magic: 89 53 43 32 46 41 0D 0A ("\x89SC2FA\r\n")
 *      8     4  format version, unsigned big-endian (1)
 *     12     4  payload length in bytes, unsigned big-endian
 *     16    32  SHA-256 of the payload
 *     48     n  payload
 * ```
 *
 * The magic starts with a byte above 0x7F and ends with CR LF, as PNG's does, so that a file
 * passed through a text-mode or 7-bit transfer no longer matches. The digest detects damage (a
 * torn write, a bit flip, a truncated copy), not malice: anyone who can write the file can
 * compute a new digest. Protecting state from deliberate edits is the job of whoever saves it.
 */

import { createHash } from 'node:crypto';
import { InvalidInputError, StateCorruptError } from '../errors.js';

const MAGIC = Uint8Array.of(0x89, 0x53, 0x43, 0x32, 0x46, 0x41, 0x0d, 0x0a);
const VERSION = 1;
const DIGEST_LENGTH = 32;
/** Bytes before the payload.
 *
 * @category Stores
 */
export const HEADER_LENGTH = MAGIC.length + 4 + 4 + DIGEST_LENGTH;
/** The largest payload a frame can hold (its length field is 32 bits).
 *
 * @category Stores
 */
export const MAX_PAYLOAD_LENGTH = 0xffff_ffff;

function sha256(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}

/** A new buffer holding `payload` in a frame; `payload` is copied, never kept.
 *
 * @category Stores
 */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_PAYLOAD_LENGTH) {
    throw new InvalidInputError(`A store can keep at most ${MAX_PAYLOAD_LENGTH} bytes per name.`);
  }
  const frame = new Uint8Array(HEADER_LENGTH + payload.length);
  const view = new DataView(frame.buffer);
  frame.set(MAGIC, 0);
  view.setUint32(MAGIC.length, VERSION);
  view.setUint32(MAGIC.length + 4, payload.length);
  frame.set(sha256(payload), MAGIC.length + 8);
  frame.set(payload, HEADER_LENGTH);
  return frame;
}

/**
 * The payload of a frame, as a new `Uint8Array`. Throws {@link StateCorruptError} for anything
 * that is not exactly one intact frame of a version this code reads; `where` names the file in
 * the message.
 *
 * @category Stores
 */
export function decodeFrame(file: Uint8Array, where: string): Uint8Array {
  const refuse = (why: string) =>
    new StateCorruptError(
      `${where} ${why}. It was left as it is; restore it from a backup, or save over it to replace it.`,
    );
  if (file.length < MAGIC.length || MAGIC.some((byte, i) => file[i] !== byte)) {
    throw refuse('is not a smartcard-2fa store file');
  }
  if (file.length < HEADER_LENGTH) throw refuse('is truncated');
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const version = view.getUint32(MAGIC.length);
  if (version !== VERSION) {
    throw refuse(
      version > VERSION
        ? `was written in format ${version} by a newer version of smartcard-2fa (this one reads ${VERSION})`
        : `has an unknown format version (${version})`,
    );
  }
  const length = view.getUint32(MAGIC.length + 4);
  if (file.length !== HEADER_LENGTH + length) {
    throw refuse(
      `should hold ${length} bytes of data but holds ${file.length - HEADER_LENGTH} (truncated or extended)`,
    );
  }
  // A copy, and a plain Uint8Array even when `file` is a Node Buffer (whose slice() is a view).
  const payload = new Uint8Array(file.subarray(HEADER_LENGTH));
  const expected = file.subarray(MAGIC.length + 8, HEADER_LENGTH);
  const actual = sha256(payload);
  if (!actual.every((byte, i) => byte === expected[i])) {
    throw refuse('failed its SHA-256 check (the data was damaged)');
  }
  return payload;
}
