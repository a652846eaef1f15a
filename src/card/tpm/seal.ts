/**
 * The cryptography of `SoftwareTpm`: the device id and storage key derived from the seed, and the
 * sealed-blob format. Internal.
 *
 * A sealed blob is
 * `magic "STPM" (4) | version 1 (1) | device id (16) | check (4) | IV (12) | AES-GCM output`.
 * The device id is in clear so that a blob of another device can be told from a damaged one;
 * `check` (the first 4 bytes of SHA-256 over the bytes before it) makes a damaged id read as
 * damage, not as another device. The additional data of AES-GCM is the 25-byte header followed
 * by the context in UTF-8, so the header and the context are authenticated too.
 *
 * @module
 */
import {
  DeviceMismatchError,
  InvalidInputError,
  StateCorruptError,
  UnsupportedEnvironmentError,
} from '../../errors.js';
import { concatBytes, constantTimeEqual, fromHex, toHex, utf8 } from '../../lib/bytes.js';
import { savedRecord } from '../../lib/saved-record.js';

/** Bytes of a TPM's seed. @internal */
export const SEED_BYTES = 32;
/** Bytes of a device id (shown as 32 lowercase hex digits). @internal */
export const DEVICE_ID_BYTES = 16;

const MAGIC = utf8('STPM');
const VERSION = 1;
const CHECK_BYTES = 4;
const HEADER_BYTES = MAGIC.length + 1 + DEVICE_ID_BYTES + CHECK_BYTES;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAX_CONTEXT = 256;
const DEVICE_ID_LABEL = utf8('smartcard-2fa/software-tpm/device-id/v1');
const HKDF_SALT = utf8('smartcard-2fa/software-tpm');
const HKDF_INFO = {
  storage: utf8('storage-key/AES-GCM-256/v1'),
  'card-state': utf8('card-state-key/AES-GCM-256/v1'),
} as const;
const LONE_SURROGATE = /\p{Cs}/u;
const { corrupt } = savedRecord('sealed data');

/** A device id as it is written: 32 lowercase hex digits. @internal */
export const DEVICE_ID = /^[0-9a-f]{32}$/;

/** The device id of a seed: the first 16 bytes of SHA-256(label || seed), in hex. @internal */
export async function deriveDeviceId(crypto: Crypto, seed: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', concatBytes(DEVICE_ID_LABEL, seed)),
  );
  return toHex(digest.subarray(0, DEVICE_ID_BYTES));
}

/**
 * The storage key of a seed: HKDF-SHA-256 to a non-extractable AES-GCM-256 key that can only
 * encrypt and decrypt.
 *
 * @internal
 */
export async function deriveStorageKey(
  crypto: Crypto,
  seed: Uint8Array,
  purpose: keyof typeof HKDF_INFO = 'storage',
): Promise<CryptoKey> {
  const subtle = crypto.subtle as Partial<SubtleCrypto>;
  if (typeof subtle.encrypt !== 'function' || typeof subtle.decrypt !== 'function') {
    throw new UnsupportedEnvironmentError(
      'The WebCrypto in use cannot encrypt or decrypt (subtle.encrypt/decrypt are missing); ' +
        'pass a complete WebCrypto implementation as the `crypto` option.',
    );
  }
  const base = await crypto.subtle.importKey('raw', seed.slice(), 'HKDF', false, ['deriveBits']);
  const bits = new Uint8Array(
    await crypto.subtle.deriveBits(
      { name: 'HKDF', hash: 'SHA-256', salt: HKDF_SALT, info: HKDF_INFO[purpose] },
      base,
      256,
    ),
  );
  try {
    return await crypto.subtle.importKey('raw', bits, 'AES-GCM', false, ['encrypt', 'decrypt']);
  } finally {
    bits.fill(0);
  }
}

/** Throws `InvalidInputError` unless `context` is a usable sealing context. @internal */
export function assertContext(context: unknown): asserts context is string {
  if (
    typeof context !== 'string' ||
    context.length === 0 ||
    context.length > MAX_CONTEXT ||
    LONE_SURROGATE.test(context)
  ) {
    throw new InvalidInputError(
      `A sealing context must be a string of 1 to ${MAX_CONTEXT} characters (well-formed Unicode).`,
    );
  }
}

/** Encrypts `data` for the device `deviceId` under `key`, bound to `context`. @internal */
export async function sealBlob(
  crypto: Crypto,
  key: CryptoKey,
  deviceId: string,
  data: Uint8Array<ArrayBuffer>,
  context: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const header = await headerFor(crypto, fromHex(deviceId) ?? new Uint8Array(DEVICE_ID_BYTES));
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const additionalData = concatBytes(header, utf8(context));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData, tagLength: TAG_BYTES * 8 },
    key,
    data,
  );
  return concatBytes(header, iv, new Uint8Array(sealed));
}

/**
 * Decrypts a blob made by {@link sealBlob}. Throws `DeviceMismatchError` for an intact
 * blob of another device and `StateCorruptError` for anything else that does not open.
 *
 * @internal
 */
export async function unsealBlob(
  crypto: Crypto,
  key: CryptoKey,
  deviceId: string,
  bytes: Uint8Array<ArrayBuffer>,
  context: string,
): Promise<Uint8Array<ArrayBuffer>> {
  if (bytes.length < HEADER_BYTES + IV_BYTES + TAG_BYTES) {
    throw corrupt('it is too short to be a sealed blob (truncated?)');
  }
  const header = bytes.subarray(0, HEADER_BYTES);
  if (!constantTimeEqual(header.subarray(0, MAGIC.length), MAGIC)) {
    throw corrupt('it is not a sealed blob of a smartcard-2fa software TPM');
  }
  if (header[MAGIC.length] !== VERSION) throw corrupt('its format version is not supported');
  const owner = header.slice(MAGIC.length + 1, MAGIC.length + 1 + DEVICE_ID_BYTES);
  if (!constantTimeEqual(header, await headerFor(crypto, owner))) {
    throw corrupt('its header is damaged');
  }
  if (toHex(owner) !== deviceId) {
    throw new DeviceMismatchError(
      `This data was sealed by the TPM of another device (${toHex(owner)}) and cannot be opened ` +
        `on this one (${deviceId}). Enroll a separate virtual smart card on each device.`,
    );
  }
  const iv = bytes.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  try {
    const data = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv,
        additionalData: concatBytes(header, utf8(context)),
        tagLength: TAG_BYTES * 8,
      },
      key,
      bytes.subarray(HEADER_BYTES + IV_BYTES),
    );
    return new Uint8Array(data);
  } catch (cause) {
    throw new StateCorruptError(
      'The sealed data was refused: it fails its integrity check (damaged, edited, or sealed ' +
        'for another purpose).',
      { cause },
    );
  }
}

async function headerFor(crypto: Crypto, owner: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const body = concatBytes(MAGIC, Uint8Array.of(VERSION), owner);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body));
  return concatBytes(body, digest.subarray(0, CHECK_BYTES));
}
