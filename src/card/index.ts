/**
 * Smart cards: the {@link SmartCard} contract every card implements, emulated physical cards in
 * simulated readers, TPM-bound virtual cards, PIV cards spoken to in APDUs over any transport
 * ({@link PivSmartCard}), and where they keep their state.
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
export { EmulatedSmartCard } from './chip/emulated-card.js';
export type {
  GenerateKeyPairOptions,
  HashName,
  KeyAlgorithmName,
  KeyContainerInfo,
  KeySpec,
} from './contract/key-containers.js';
export type {
  CardPinChangeResult,
  CardPinStatus,
  CardPinUnblockResult,
  CardPinVerifyResult,
  UncountedIncorrect,
} from './contract/pin-results.js';
export type { CardInfo, CardKind, CardReader, SmartCard } from './contract/smart-card.js';
export type { OpenCardOptions, PhysicalSmartCardOptions } from './physical/physical-card.js';
export { PhysicalSmartCard } from './physical/physical-card.js';
export type { ReaderEventType, WaitForCardOptions } from './physical/simulated-reader.js';
export { SimulatedReader } from './physical/simulated-reader.js';
export type { PivManagementKey } from './piv/management-key.js';
export type { PivCardOptions } from './piv/options.js';
export { PivSmartCard } from './piv/piv-card.js';
export type { ApduEvent, ApduTransport } from './piv/transport.js';
export type { CardStore } from './storage/card-store.js';
export { assertStoreName, MemoryStore } from './storage/card-store.js';
export type { AntiHammeringPolicy, TpmAttemptResult, TpmLockoutStatus } from './tpm/lockout.js';
export type { OpenSoftwareTpmOptions, SoftwareTpmOptions } from './tpm/options.js';
export { DEFAULT_ANTI_HAMMERING } from './tpm/options.js';
export { SoftwareTpm } from './tpm/software-tpm.js';
export type { VirtualSmartCardOptions } from './virtual/options.js';
export { defaultAdminKey } from './virtual/options.js';
export { VirtualSmartCard } from './virtual/virtual-card.js';
