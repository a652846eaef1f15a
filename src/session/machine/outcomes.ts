import type { CardPinStatus } from '../../card/contract/pin-results.js';
import type { NewPinOutcome, Notice, SignInContext } from './types.js';

/**
 * The output a finished step's event carries (`xstate.done.actor.*`). Named guards and actions
 * see every event as a {@link SignInEvent}; the transition they sit on says which step finished,
 * so the output's type is the step's.
 *
 * @category Client
 */
export function outputOf<T>(event: { readonly type: string }): T {
  return (event as { readonly output?: unknown }).output as T;
}

/**
 * The error a failed step's event carries (`xstate.error.actor.*`); other events carry none.
 *
 * @category Client
 */
export function failureOf(event: { readonly type: string }): unknown {
  return (event as { readonly error?: unknown }).error;
}

/**
 * The notice of a wrong PIN, with the attempts left when the card says.
 *
 * @category Client
 */
export function wrongPin(attemptsRemaining: number | null): Notice {
  if (attemptsRemaining === null) return { key: 'pin-wrong-unknown-attempts' };
  if (attemptsRemaining === 1) return { key: 'pin-last-attempt' };
  return { key: 'pin-wrong', params: { attemptsRemaining } };
}

/**
 * The first unblock credential of a blocked card that is not blocked itself.
 *
 * @category Client
 */
export function unblockWith(status: CardPinStatus): SignInContext['unblockWith'] {
  return status.unblock.find((u) => !u.blocked)?.kind ?? null;
}

/**
 * What a refused new PIN shows: the confirmation did not match, or the rules it broke, or (the
 * credential was wrong) what `wrongCredential` says, given the attempts left when the card said.
 *
 * @category Client
 */
export function refusedNewPin(
  outcome: NewPinOutcome,
  wrongCredential: (attemptsRemaining: number | null) => Partial<SignInContext>,
): Partial<SignInContext> {
  if (outcome.status === 'mismatch') return { notice: { key: 'pin-mismatch' } };
  if (outcome.status === 'policy') {
    return { notice: outcome.violations[0] ?? { key: 'error' }, violations: outcome.violations };
  }
  return wrongCredential(outcome.status === 'incorrect' ? outcome.attemptsRemaining : null);
}
