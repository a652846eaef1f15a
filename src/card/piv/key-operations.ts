/**
 * Signing and decrypting with a PIV key: GENERAL AUTHENTICATE (SP 800-73-4 part 2 §3.2.4) with
 * `7C { 82 (empty: the answer wanted), 81 <data> }`, answered `7C { 82 <result> }`. The card
 * does only the private-key operation, so the host does the rest (SP 800-73-4 part 1 §4.4):
 * for RSA it sends the whole EMSA-PKCS1-v1_5 block (and decodes OAEP from a raw decryption);
 * for ECDSA it sends the hash and turns the DER signature the card answers into r‖s.
 */
import {
  DeviceMismatchError,
  InvalidInputError,
  KeyNotFoundError,
  PinRequiredError,
} from '../../errors.js';
import { decodeObjects, encodeObject, objectValue, SW } from '../../lib/apdu.js';
import { concatBytes } from '../../lib/bytes.js';
import { ecdsaP1363 } from '../../lib/ecdsa.js';
import { oaepDecode, pkcs1v15SignatureBlock } from '../../lib/rsa-padding.js';
import type { HashName } from '../contract/key-containers.js';
import type { MappedContainer } from './container-map.js';
import { coordinateBytes, PIV_KEY_ALGORITHMS } from './key-slots.js';
import { answered, type PivLink } from './link.js';
import { AUTH_TAG, INS } from './piv-constants.js';

/** The RSA-2048 modulus length in bytes. */
const RSA_BYTES = 256;

/** The private-key operation of `container`'s slot on `input`: the 82 the card answers. */
async function privateOperation(
  link: PivLink,
  container: MappedContainer,
  input: Uint8Array,
  secretAnswer = false,
): Promise<Uint8Array<ArrayBuffer>> {
  const template = concatBytes(
    encodeObject(AUTH_TAG.RESPONSE, new Uint8Array(0)),
    encodeObject(AUTH_TAG.CHALLENGE, input),
  );
  const response = await link.send(
    {
      cla: 0,
      ins: INS.GENERAL_AUTHENTICATE,
      p1: PIV_KEY_ALGORITHMS[container.algorithm] as number,
      p2: container.slot,
      data: encodeObject(AUTH_TAG.TEMPLATE, template),
    },
    { secretAnswer },
  );
  if (response.sw === SW.SECURITY_STATUS) {
    throw new PinRequiredError('The card wants the PIN verified before using this key.');
  }
  if (response.sw === SW.NOT_FOUND || response.sw === SW.REFERENCE_NOT_FOUND) {
    throw new KeyNotFoundError(`The card has no key in the slot of "${container.name}".`);
  }
  if (response.sw === SW.WRONG_DATA) {
    throw new InvalidInputError('The card refused the data for this key.');
  }
  if (response.sw !== SW.OK) {
    throw new DeviceMismatchError(answered(response.sw, 'GENERAL AUTHENTICATE'));
  }
  const inner = objectValue(decodeObjects(response.data), AUTH_TAG.TEMPLATE);
  const result =
    inner === undefined ? undefined : objectValue(decodeObjects(inner), AUTH_TAG.RESPONSE);
  if (result === undefined) throw new DeviceMismatchError('The card answered no result (7C 82).');
  return result;
}

/** Signs `data`: RSASSA-PKCS1-v1_5 or ECDSA (r‖s), the hash computed on the host. */
export async function signWith(
  link: PivLink,
  subtle: SubtleCrypto,
  container: MappedContainer,
  data: Uint8Array<ArrayBuffer>,
  hash: HashName,
): Promise<Uint8Array<ArrayBuffer>> {
  const digest = new Uint8Array(await subtle.digest(hash, data));
  const size = coordinateBytes(container.algorithm);
  if (size !== undefined) {
    // SP 800-73-4: the card takes the hash cut to the curve's size (FIPS 186-4 §6.4): all 48
    // bytes of a SHA-384 hash for P-384, a SHA-256 hash whole.
    const der = await privateOperation(link, container, digest.subarray(0, size));
    const signature = ecdsaP1363(der, size);
    if (signature === undefined)
      throw new DeviceMismatchError('The card answered no ECDSA signature.');
    return signature;
  }
  const block = pkcs1v15SignatureBlock(hash, digest, RSA_BYTES);
  const signature = await privateOperation(link, container, block);
  if (signature.length !== RSA_BYTES) {
    throw new DeviceMismatchError('The card answered an RSA signature of the wrong length.');
  }
  return signature;
}

/** Decrypts RSA-OAEP: the raw RSA operation on the card, the OAEP decoding here. */
export async function decryptWith(
  link: PivLink,
  subtle: SubtleCrypto,
  container: MappedContainer,
  ciphertext: Uint8Array,
  hash: 'SHA-1' | 'SHA-256',
): Promise<Uint8Array<ArrayBuffer>> {
  // The raw result holds the plaintext (OAEP decoding is public): masked in the trace.
  const raw = await privateOperation(link, container, ciphertext, true);
  const padded = new Uint8Array(RSA_BYTES);
  if (raw.length > RSA_BYTES) throw new DeviceMismatchError('The card answered too many bytes.');
  padded.set(raw, RSA_BYTES - raw.length);
  const plain = await oaepDecode(subtle, hash, padded);
  if (plain === undefined) {
    throw new InvalidInputError('The ciphertext does not decrypt with this key.');
  }
  return plain;
}
