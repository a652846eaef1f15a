/**
 * What a PIV test card says about itself: its ATR, the application property template SELECT
 * answers, the discovery object, its firmware version. Modelled on a YubiKey 5.7, as clients
 * (OpenSC, yubico-piv-tool, the SDK's own) expect to see one.
 */
import { PIV_AID, PIV_ALGORITHM } from '../../card/piv/piv-constants.js';
import { encodeObject } from '../../lib/apdu.js';
import { concatBytes } from '../../lib/bytes.js';

/** The full PIV AID: the truncated one and the version 01 00. */
export const PIV_AID_FULL = concatBytes(PIV_AID, Uint8Array.of(0x01, 0x00));

/**
 * A YubiKey 5's ATR: T=1, "Yubikey" in the historical bytes, its check byte last.
 */
export const YUBIKEY_ATR = Uint8Array.of(
  0x3b,
  0xfd,
  0x13,
  0x00,
  0x00,
  0x81,
  0x31,
  0xfe,
  0x15,
  0x80,
  0x73,
  0xc0,
  0x21,
  0xc0,
  0x57,
  0x59,
  0x75,
  0x62,
  0x69,
  0x4b,
  0x65,
  0x79,
  0x40,
);

/** The firmware version GET VERSION answers: 5.7.1. */
export const FIRMWARE_VERSION = Uint8Array.of(5, 7, 1);

/** The shortest name SELECT takes for PIV: NIST's RID, A0 00 00 03 08 (what ykman sends). */
const SHORTEST_NAME = 5;

/**
 * Whether SELECT's data names the PIV application: the full AID or a truncation of it down to
 * NIST's RID (ISO 7816-4 selection by a partial name, as YubiKeys accept it).
 */
export function selectsPiv(name: Uint8Array): boolean {
  return (
    name.length >= SHORTEST_NAME &&
    name.length <= PIV_AID_FULL.length &&
    name.every((byte, index) => byte === PIV_AID_FULL[index])
  );
}

/** The algorithms the card lists in its property template, in the order SP 800-73-4 uses. */
const ALGORITHMS = [
  PIV_ALGORITHM.TDES,
  PIV_ALGORITHM.AES_128,
  PIV_ALGORITHM.AES_192,
  PIV_ALGORITHM.AES_256,
  PIV_ALGORITHM.RSA_2048,
  PIV_ALGORITHM.ECC_P256,
  PIV_ALGORITHM.ECC_P384,
];

/**
 * The application property template (61): the AID's PIX with its version (4F), the coexistent
 * tag allocation authority, NIST's RID (79 { 4F }), and the algorithms (AC { 80 … 06 00 }).
 */
export function applicationPropertyTemplate(): Uint8Array<ArrayBuffer> {
  return encodeObject(
    0x61,
    concatBytes(
      encodeObject(0x4f, PIV_AID_FULL.subarray(5)),
      encodeObject(0x79, encodeObject(0x4f, PIV_AID_FULL.subarray(0, 5))),
      encodeObject(
        0xac,
        concatBytes(
          ...ALGORITHMS.map((algorithm) => encodeObject(0x80, Uint8Array.of(algorithm))),
          encodeObject(0x06, Uint8Array.of(0x00)),
        ),
      ),
    ),
  );
}

/**
 * The discovery object (7E): the PIV AID (4F) and the PIN usage policy (5F2F 40 00: the PIV
 * PIN alone satisfies the card's access rules; no global PIN).
 */
export function discoveryObject(): Uint8Array<ArrayBuffer> {
  return encodeObject(
    0x7e,
    concatBytes(encodeObject(0x4f, PIV_AID_FULL), encodeObject(0x5f2f, Uint8Array.of(0x40, 0x00))),
  );
}
