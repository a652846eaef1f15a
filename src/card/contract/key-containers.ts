/**
 * The keys a card holds, as the {@link SmartCard} contract names them: what a key may do, its
 * algorithm, the hashes a card signs with, a key container, and how one is generated.
 *
 * @module
 */
/**
 * What a key may do: `exchange` (AT_KEYEXCHANGE: sign and decrypt, the enrollment station form's
 * "Key Usage: Exchange") or `signature` (AT_SIGNATURE: sign only).
 *
 * @example
 * ```ts
 * import { type KeySpec, PhysicalSmartCard, SimulatedReader } from 'smartcard-2fa/card';
 *
 * const card = await PhysicalSmartCard.create({ pin: 'k7#Lm2pQ', mustChange: false });
 * new SimulatedReader().insert(card);
 * await card.verifyPin('k7#Lm2pQ');
 * const keySpec: KeySpec = 'signature'; // sign only: decrypt() refuses this key
 * const key = await card.generateKeyPair({ keySpec });
 * key.keySpec; // 'signature'
 * ```
 *
 * @category Cards
 */
export type KeySpec = 'exchange' | 'signature';

/**
 * The key pairs a card can generate: RSA of 2048 (the default), 3072 or 4096 bits, or ECDSA on
 * P-256 or P-384.
 *
 * @example
 * ```ts
 * import { type KeyAlgorithmName, PhysicalSmartCard, SimulatedReader } from 'smartcard-2fa/card';
 *
 * const card = await PhysicalSmartCard.create({ pin: 'k7#Lm2pQ', mustChange: false });
 * new SimulatedReader().insert(card);
 * await card.verifyPin('k7#Lm2pQ');
 * const algorithm: KeyAlgorithmName = 'ECDSA-P256';
 * const key = await card.generateKeyPair({ algorithm });
 * key.algorithm; // 'ECDSA-P256'
 * ```
 *
 * @category Cards
 */
export type KeyAlgorithmName = 'RSA-2048' | 'RSA-3072' | 'RSA-4096' | 'ECDSA-P256' | 'ECDSA-P384';

/**
 * Hash functions for signing. SHA-1 exists for old CAs that ask for it by name (the Lync / Skype
 * for Business procedure picks sha1 on the enrollment station's form); prefer SHA-256.
 *
 * @example
 * ```ts
 * import { type HashName, PhysicalSmartCard, SimulatedReader } from 'smartcard-2fa/card';
 *
 * const card = await PhysicalSmartCard.create({ pin: 'k7#Lm2pQ', mustChange: false });
 * new SimulatedReader().insert(card);
 * await card.verifyPin('k7#Lm2pQ');
 * const key = await card.generateKeyPair();
 * const hash: HashName = 'SHA-384';
 * const signature = await card.sign(key.name, new TextEncoder().encode('challenge'), { hash });
 * ```
 *
 * @category Cards
 */
export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/**
 * A key container on the card: its key pair (the private key never leaves the card), and the
 * certificate stored beside it, if any.
 *
 * @example
 * ```ts
 * import { type KeyContainerInfo, PhysicalSmartCard, SimulatedReader } from 'smartcard-2fa/card';
 *
 * const card = await PhysicalSmartCard.create({ pin: 'k7#Lm2pQ', mustChange: false });
 * new SimulatedReader().insert(card);
 * await card.verifyPin('k7#Lm2pQ');
 * await card.generateKeyPair({ friendlyName: 'Sign-in' });
 * const containers: KeyContainerInfo[] = await card.containers();
 * for (const c of containers)
 *   console.log(`${c.name} (${c.algorithm}, ${c.keySpec})`, c.hasCertificate);
 * ```
 *
 * @category Cards
 */
export interface KeyContainerInfo {
  /** The container's name, unique on the card. */
  readonly name: string;
  /** Sign and decrypt, or sign only. */
  readonly keySpec: KeySpec;
  /** The key pair's algorithm and size. */
  readonly algorithm: KeyAlgorithmName;
  /** A label for people, or `undefined`. */
  readonly friendlyName: string | undefined;
  /** The public key as DER SubjectPublicKeyInfo. */
  readonly publicKey: Uint8Array<ArrayBuffer>;
  /** Whether a certificate is stored with the key. */
  readonly hasCertificate: boolean;
}

/**
 * Options of {@link SmartCard.generateKeyPair}: the enrollment station's "Create new key set".
 *
 * @example
 * ```ts
 * import {
 *   type GenerateKeyPairOptions,
 *   PhysicalSmartCard,
 *   SimulatedReader,
 * } from 'smartcard-2fa/card';
 *
 * const card = await PhysicalSmartCard.create({ pin: 'k7#Lm2pQ', mustChange: false });
 * new SimulatedReader().insert(card);
 * await card.verifyPin('k7#Lm2pQ');
 * const options: GenerateKeyPairOptions = {
 *   algorithm: 'RSA-2048',
 *   keySpec: 'exchange',
 *   friendlyName: 'Sign-in',
 * };
 * const key = await card.generateKeyPair(options);
 * key.friendlyName; // 'Sign-in'
 * ```
 *
 * @category Cards
 */
export interface GenerateKeyPairOptions {
  /** The container's name; a new unique name when left out ("Automatic key container name"). */
  container?: string;
  /** `RSA-2048` when left out. */
  algorithm?: KeyAlgorithmName;
  /** `exchange` when left out. */
  keySpec?: KeySpec;
  /** A label for people. */
  friendlyName?: string;
}
