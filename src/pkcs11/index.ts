/**
 * Real cards and tokens over PKCS#11 (Node only): PIV cards and YubiKeys through OpenSC,
 * hardware tokens, the TPM through tpm2-pkcs11, SoftHSM2 for development. Needs the optional
 * peer dependency `pkcs11js`. See the guide "Use a real card or token" (docs/real-tokens.md).
 *
 * @module smartcard-2fa/pkcs11
 */

export { Pkcs11SmartCard } from './card.js';
export type { Pkcs11CardOptions, Pkcs11RetryCounter } from './options.js';
export type { Pkcs11ReaderOptions, Pkcs11TokenLister } from './reader.js';
export { Pkcs11Reader } from './reader.js';
