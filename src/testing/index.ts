/**
 * The kit for testing an app that uses this SDK, without real cards: test cards (physical in a
 * reader, or virtual; blank or enrolled; PIN and must-change chosen) that skip PBKDF2 and RSA key
 * generation, a test PKI, faults on demand (fail the next operation, remove the card during one,
 * tear the next write, block the PIN) with a trace of what the card did, helpers that drive
 * the sign-in machine through a script, and the SmartCard contract suite (`smartCardContract`)
 * that proves a card of your own behaves as the SDK's do, under any test runner. Tests only: its
 * fixture keys are public.
 *
 * @example
 * ```ts
 * import { createSignInMachine, Secret } from 'smartcard-2fa/session';
 * import { createTestCard, createTestPki, runSignIn } from 'smartcard-2fa/testing';
 *
 * const pki = await createTestPki();
 * const { card, pin } = await createTestCard({ kind: 'virtual', enrolled: { pki } });
 * const machine = createSignInMachine({
 *   method: 'smart-card',
 *   card,
 *   server: await pki.authenticator(),
 *   rpId: pki.rpId,
 * });
 * const { view } = await runSignIn(machine, [
 *   { type: 'SIGN_IN', address: 'alice@contoso.test' },
 *   { type: 'PIN.SUBMIT', pin: Secret.from(pin) },
 *   { expect: 'signed-in' },
 * ]);
 * card.trace.map((t) => t.operation); // [..., 'verifyPin', ..., 'sign', ...]
 * ```
 *
 * @module smartcard-2fa/testing
 */

export {
  type ChallengeStoreContractOptions,
  challengeStoreContract,
} from './challenge-store-contract.js';
export type { ContractCard, SmartCardContractOptions } from './contract/options.js';
export type { ContractCase } from './contract/suite.js';
export { smartCardContract } from './contract/suite.js';
export { ContractViolation } from './contract/violation.js';
export { FaultyCard } from './faulty-card.js';
export { fixturePkcs8 } from './key-source.js';
export type {
  EmulatedPivCardOptions,
  PivCardPreset,
  PivKeyAlgorithm,
  PivKeySource,
} from './piv/emulated-piv-card.js';
export { EmulatedPivCard } from './piv/emulated-piv-card.js';
export type { RunSignInOptions, SignInActor, SignInRun, SignInStep } from './sign-in.js';
export { runSignIn } from './sign-in.js';
export type { TestCard, TestCardEnrollment, TestCardOptions } from './test-card.js';
export { createTestCard } from './test-card.js';
export { createTestPki, TestPki } from './test-pki.js';
export type {
  TestAuthenticatorOptions,
  TestEnrollment,
  TestEnrollOptions,
  TestPkiOptions,
} from './test-pki-options.js';
export { TestReader } from './test-reader.js';
export { TEST_USERS } from './test-users.js';
export type { CardOperation, CardTraceEntry, InjectedFault } from './trace.js';
export type { WaitForRouteOptions } from './wait-for-route.js';
export { waitForRoute } from './wait-for-route.js';
export { withFaults } from './with-faults.js';
