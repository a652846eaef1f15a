import type { SmartCard } from '../card/contract/smart-card.js';

/**
 * The operations of the {@link SmartCard} contract, by method name: what a {@link FaultyCard}
 * can fail, interrupt and trace.
 *
 * @example
 * ```ts
 * import { CardRemovedError } from 'smartcard-2fa';
 * import { type CardOperation, createTestCard } from 'smartcard-2fa/testing';
 *
 * const { card } = await createTestCard({ kind: 'physical' });
 * const operation: CardOperation = 'pinStatus';
 * card.failNext(operation, new CardRemovedError('pulled out'));
 * await card.pinStatus().catch((e) => e.code); // 'ERR_CARD_REMOVED'
 * ```
 *
 * @category Testing
 */
export type CardOperation = Exclude<keyof SmartCard, 'id' | 'kind'>;

/** Every {@link CardOperation}, in the contract's order. @internal */
export const CARD_OPERATIONS: readonly CardOperation[] = [
  'info',
  'pinStatus',
  'verifyPin',
  'changePin',
  'unblockPin',
  'logout',
  'generateKeyPair',
  'containers',
  'sign',
  'decrypt',
  'installCertificate',
  'certificate',
  'deleteContainer',
  'reset',
];

/**
 * What the kit did to an operation: failed it with the error given to `failNext` (`'fail'`; the
 * card was not called), took the card out of its reader during it (`'remove'`), tore its write
 * (`'tear'`), or made the call itself to block the PIN (`'block-pin'`).
 *
 * @example
 * ```ts
 * import { createTestCard, type InjectedFault } from 'smartcard-2fa/testing';
 *
 * const { card } = await createTestCard({ kind: 'virtual' });
 * await card.blockPin();
 * const fault: InjectedFault = 'block-pin';
 * card.trace.every((entry) => entry.injected === fault); // true: every wrong PIN was the kit's
 * ```
 *
 * @category Testing
 */
export type InjectedFault = 'fail' | 'remove' | 'tear' | 'block-pin';

/**
 * One operation a {@link FaultyCard} performed, and how it ended: the PIN operations' `status`
 * (`'verified'`, `'incorrect'`, `'blocked'`, `'changed'`, `'unblocked'`), `'ok'` for any other
 * success, or the `code` of the `SmartCardError` it threw (`'error'` for any other error).
 * Nothing else of the call is kept: never a PIN, PUK, key or data.
 *
 * @example
 * ```ts
 * import { type CardTraceEntry, createTestCard } from 'smartcard-2fa/testing';
 *
 * const { card } = await createTestCard({ kind: 'physical', pin: 'k7#Lm2pQ' });
 * await card.verifyPin('Zx9!vB3n');
 * const [entry]: readonly CardTraceEntry[] = card.trace;
 * entry; // { operation: 'verifyPin', outcome: 'incorrect' }
 * ```
 *
 * @category Testing
 */
export interface CardTraceEntry {
  /** The method called. */
  readonly operation: CardOperation;
  /** How it ended. */
  readonly outcome: string;
  /** What the kit did to it, if anything. */
  readonly injected?: InjectedFault;
}

/** The outcome of a settled operation, as the trace keeps it. @internal */
export function outcomeOf(settled: { value: unknown } | { error: unknown }): string {
  if ('error' in settled) {
    const code = (settled.error as { code?: unknown } | null)?.code;
    return settled.error instanceof Error && typeof code === 'string' && code.startsWith('ERR_')
      ? code
      : 'error';
  }
  const status = (settled.value as { status?: unknown } | null)?.status;
  return typeof status === 'string' ? status : 'ok';
}
