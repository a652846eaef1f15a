import { SmartCardError } from '../../errors.js';
import type { PinViolationCode } from '../../pin/policy.js';
import { pinPolicyMessageKey } from '../messages/message-keys.js';
import type { Notice, SignInFault } from './types.js';

const VIOLATION_CODES: ReadonlySet<string> = new Set<PinViolationCode>([
  'not-a-string',
  'too-short',
  'too-long',
  'invalid-character',
  'default-pin',
  'repeated-character',
  'sequence',
  'same-as-current',
]);

/** PIN policy violations (ours, or a card's own) as notices; unknown codes as the generic error.
 *
 * @category Client
 */
export function policyNotices(
  violations: readonly { readonly code: string; readonly limit?: number }[],
): Notice[] {
  return violations.map((violation): Notice => {
    if (!VIOLATION_CODES.has(violation.code)) return { key: 'error' };
    const code = violation.code as PinViolationCode;
    if (code === 'too-short' || code === 'too-long') {
      return { key: pinPolicyMessageKey(code), params: { limit: violation.limit ?? 0 } };
    }
    return { key: pinPolicyMessageKey(code) };
  });
}

/** What went wrong, for the machine: where to go next and what to show.
 *
 * @category Client
 */
export interface Classified {
  /** `card-removed`: back to waiting for a card; `retry`: back to the form; `stop`: sign-in screen. */
  readonly kind: 'card-removed' | 'retry' | 'stop';
  readonly notice: Notice;
  readonly violations: readonly Notice[];
  readonly error: SignInFault;
}

/** Classifies a failed step. Messages of SDK errors never contain secrets; others are replaced.
 *
 * @category Client
 */
export function classify(error: unknown): Classified {
  if (SmartCardError.is(error)) {
    const summary = { code: error.code, message: error.message };
    switch (error.code) {
      case 'ERR_CARD_REMOVED':
        return {
          kind: 'card-removed',
          notice: { key: 'insert-card' },
          violations: [],
          error: summary,
        };
      case 'ERR_TPM_LOCKOUT': {
        // `?? 0`, `?? []`: a copy of the SDK in another bundle may predate the field.
        const ms = error.retryAfterMs ?? 0;
        const seconds = Math.max(1, Math.ceil(ms / 1000));
        return {
          kind: 'retry',
          notice: { key: 'tpm-locked-out', params: { seconds } },
          violations: [],
          error: summary,
        };
      }
      case 'ERR_PIN_POLICY': {
        const violations = policyNotices(error.violations ?? []);
        return {
          kind: 'retry',
          notice: violations[0] ?? { key: 'error' },
          violations,
          error: summary,
        };
      }
      case 'ERR_TPM_UNAVAILABLE':
      case 'ERR_DEVICE_MISMATCH':
        return { kind: 'stop', notice: { key: 'tpm-unavailable' }, violations: [], error: summary };
      case 'ERR_WRONG_SERVICE':
        return { kind: 'stop', notice: { key: 'sign-in-refused' }, violations: [], error: summary };
      case 'ERR_TOO_MANY_CHALLENGES':
        return {
          kind: 'stop',
          notice: { key: 'server-unavailable' },
          violations: [],
          error: summary,
        };
      case 'ERR_SERVER_UNAVAILABLE':
        // The machine's own wrapper of what the server threw; its code in the view predates it.
        return {
          kind: 'stop',
          notice: { key: 'server-unavailable' },
          violations: [],
          error: { code: 'SERVER_UNAVAILABLE', message: error.message },
        };
      case 'ERR_UNSUPPORTED_ENVIRONMENT':
        return {
          kind: 'stop',
          notice: { key: 'unsupported-environment' },
          violations: [],
          error: summary,
        };
      default:
        return { kind: 'stop', notice: { key: 'error' }, violations: [], error: summary };
    }
  }
  // Foreign errors: keep the name only; their messages are not ours to vouch for.
  const name = error instanceof Error ? error.name : typeof error;
  return {
    kind: 'stop',
    notice: { key: 'error' },
    violations: [],
    error: { code: 'UNKNOWN', message: `The step failed with ${name}.` },
  };
}
