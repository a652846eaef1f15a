/**
 * The numbers of PIV (NIST SP 800-73-4 part 2, and what YubiKeys add) that both the PIV card
 * client and the PIV test card use: the application identifier, instructions, key references,
 * algorithm identifiers, data object tags and the factory defaults. Internal.
 */

/** The PIV application's AID (the truncated form cards accept in SELECT). */
export const PIV_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00);

/** Instruction bytes. */
export const INS = {
  SELECT: 0xa4,
  VERIFY: 0x20,
  CHANGE_REFERENCE_DATA: 0x24,
  RESET_RETRY_COUNTER: 0x2c,
  GENERAL_AUTHENTICATE: 0x87,
  GENERATE_ASYMMETRIC_KEY_PAIR: 0x47,
  GET_DATA: 0xcb,
  PUT_DATA: 0xdb,
  GET_RESPONSE: 0xc0,
} as const;

/** Key references: the PIN and PUK (VERIFY, CHANGE, RESET), the management key, the key slots. */
export const KEY_REFERENCE = {
  PIN: 0x80,
  PUK: 0x81,
  MANAGEMENT: 0x9b,
  AUTHENTICATION: 0x9a,
  SIGNATURE: 0x9c,
  KEY_MANAGEMENT: 0x9d,
  CARD_AUTHENTICATION: 0x9e,
} as const;

/** Algorithm identifiers (SP 800-78-4 table 6-2). */
export const PIV_ALGORITHM = {
  TDES: 0x03,
  RSA_2048: 0x07,
  AES_128: 0x08,
  AES_192: 0x0a,
  AES_256: 0x0c,
  ECC_P256: 0x11,
  ECC_P384: 0x14,
} as const;

/** Data object tags (the 3-byte BER-TLV tags in GET DATA / PUT DATA's 5C). */
export const OBJECT_TAG = {
  CHUID: 0x5fc102,
  CERT_AUTHENTICATION: 0x5fc105,
  CERT_SIGNATURE: 0x5fc10a,
  CERT_KEY_MANAGEMENT: 0x5fc10b,
  CERT_CARD_AUTHENTICATION: 0x5fc101,
  DISCOVERY: 0x7e,
  /**
   * The SDK's container map (names, key specs, friendly names, public keys of the slots it
   * uses): outside the ranges PIV (5FC1xx) and Yubico (5FFFxx) define; YubiKeys store any
   * 5Fxxxx object.
   */
  SDK_CONTAINERS: 0x5fa000,
} as const;

/** The tags inside GET DATA / PUT DATA: the tag list (5C), the data (53) and its parts. */
export const DATA_TAG = {
  TAG_LIST: 0x5c,
  DATA: 0x53,
  /** A certificate object's certificate. */
  CERTIFICATE: 0x70,
  /** A certificate object's CertInfo: 01 when the certificate is gzip-compressed. */
  CERT_INFO: 0x71,
  /** The error detection code, empty. */
  ERROR_DETECTION: 0xfe,
} as const;

/** The tags of GENERATE ASYMMETRIC KEY PAIR: its control template and the public key's parts. */
export const KEY_TAG = {
  CONTROL_TEMPLATE: 0xac,
  ALGORITHM: 0x80,
  PUBLIC_KEY: 0x7f49,
  MODULUS: 0x81,
  EXPONENT: 0x82,
  POINT: 0x86,
} as const;

/** The certificate object of each key slot. */
export const CERTIFICATE_OBJECT_OF_SLOT: Readonly<Record<number, number>> = {
  [KEY_REFERENCE.AUTHENTICATION]: OBJECT_TAG.CERT_AUTHENTICATION,
  [KEY_REFERENCE.SIGNATURE]: OBJECT_TAG.CERT_SIGNATURE,
  [KEY_REFERENCE.KEY_MANAGEMENT]: OBJECT_TAG.CERT_KEY_MANAGEMENT,
  [KEY_REFERENCE.CARD_AUTHENTICATION]: OBJECT_TAG.CERT_CARD_AUTHENTICATION,
};

/** A PIN or PUK is 6 to 8 characters, sent padded with FF to 8 bytes. */
export const PIV_PIN_LENGTH = { min: 6, max: 8, padded: 8 } as const;

/** A factory-fresh YubiKey's references: PIN 123456, PUK 12345678, 3 tries each. */
export const FACTORY_DEFAULTS = {
  pin: '123456',
  puk: '12345678',
  tries: 3,
  /** 01 02 … 08 three times: 3DES before firmware 5.7, AES-192 since. */
  managementKey: Uint8Array.of(
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
  ),
} as const;

/** Instructions YubiKeys add to PIV (Yubico's PIV extensions). */
export const YUBIKEY_INS = {
  /** SET MANAGEMENT KEY: `00 FF FF FF 1B <alg> 9B <length> <key>` (P2 FE: touch required). */
  SET_MANAGEMENT_KEY: 0xff,
  /** GET METADATA of a key reference (P2): algorithm, policy, origin, default value, retries. */
  GET_METADATA: 0xf7,
  /** GET SERIAL: 4 bytes, big-endian. */
  GET_SERIAL: 0xf8,
  /** GET VERSION: the firmware version, 3 bytes. */
  GET_VERSION: 0xfd,
  /** RESET of the PIV application: `00 FB 00 00`, only once the PIN and the PUK are blocked. */
  RESET: 0xfb,
} as const;

/** The tags of GENERAL AUTHENTICATE's dynamic authentication template (SP 800-73-4 table 7). */
export const AUTH_TAG = {
  TEMPLATE: 0x7c,
  WITNESS: 0x80,
  CHALLENGE: 0x81,
  RESPONSE: 0x82,
  EXPONENTIATION: 0x85,
} as const;
