/**
 * Smart cards: the {@link SmartCard} contract every card implements, emulated physical cards in
 * simulated readers, TPM-bound virtual cards, and where they keep their state.
 *
 * @example
 * ```ts
 * import { PhysicalSmartCard, SimulatedReader } from 'smartcard-2fa/card';
 *
 * const reader = new SimulatedReader();
 * const card = await PhysicalSmartCard.create();
 * reader.insert(card);
 * await card.verifyPin('12345678');
 * const key = await card.generateKeyPair();
 * const signature = await card.sign(key.name, new TextEncoder().encode('challenge'));
 * ```
 *
 * @module smartcard-2fa/card
 */
export { EmulatedSmartCard } from './emulated-card.js';
export type { OpenCardOptions, PhysicalSmartCardOptions } from './physical-card.js';
export { PhysicalSmartCard } from './physical-card.js';
export type {
  CardPinChangeResult,
  CardPinStatus,
  CardPinUnblockResult,
  CardPinVerifyResult,
  UncountedIncorrect,
} from './pin-results.js';
export type { ReaderEventType, WaitForCardOptions } from './reader.js';
export { SimulatedReader } from './reader.js';
export type { CardStore } from './store.js';
export { assertStoreName, MemoryStore } from './store.js';
export { SoftwareTpm } from './tpm.js';
export type { AntiHammeringPolicy, TpmAttemptResult, TpmLockoutStatus } from './tpm-lockout.js';
export type { OpenSoftwareTpmOptions, SoftwareTpmOptions } from './tpm-options.js';
export { DEFAULT_ANTI_HAMMERING } from './tpm-options.js';
export type {
  CardInfo,
  CardKind,
  CardReader,
  GenerateKeyPairOptions,
  HashName,
  KeyAlgorithmName,
  KeyContainerInfo,
  KeySpec,
  SmartCard,
} from './types.js';
export type { VirtualSmartCardOptions } from './virtual-card.js';
export { defaultAdminKey, VirtualSmartCard } from './virtual-card.js';
