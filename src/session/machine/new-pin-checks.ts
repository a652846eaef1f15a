import type {
  CardPinChangeResult,
  CardPinUnblockResult,
  CardPinVerifyResult,
} from '../../card/contract/pin-results.js';
import { PinPolicyError } from '../../errors.js';
import { DEFAULT_PIN } from '../../pin/rules.js';
import { policyNotices } from './failure-notices.js';
import type { SignInMachineOptions } from './option-types.js';
import { type Secret, takeSecret } from './secret.js';
import type { NewPinOutcome } from './types.js';

/**
 * Reads every secret of an event at once, so none is left readable after a failure.
 *
 * @category Client
 */
export function takeAll<K extends string>(
  secrets: { readonly [P in K]: Secret | undefined },
  what: string,
): { [P in K]: string } {
  const values = {} as { [P in K]: string };
  let failure: unknown;
  for (const key of Object.keys(secrets) as K[]) {
    try {
      values[key] = takeSecret(secrets[key], `${what}: ${key}`);
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
  return values;
}

/**
 * An unblock credential typed by the user: a PUK as typed, an admin key as hex.
 *
 * @category Client
 */
export function credentialBytes(
  kind: 'puk' | 'admin-key',
  typed: string,
): string | Uint8Array<ArrayBuffer> {
  if (kind === 'puk') return typed;
  const hex = typed.replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(hex)) return new Uint8Array(0);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/**
 * A new PIN's violations as notices, or `null` when it passes: the `pinPolicy` option's rules, and
 * always the two a forced change exists for: not the default PIN, not the current PIN.
 *
 * @category Client
 */
export function checkNewPin(
  options: SignInMachineOptions,
  next: string,
  current: string | undefined,
): NewPinOutcome | null {
  const found: { code: string; limit?: number }[] = [
    ...(options.pinPolicy?.validate(next, current === undefined ? {} : { currentPin: current }) ??
      []),
  ];
  const add = (code: 'default-pin' | 'same-as-current') => {
    if (!found.some((v) => v.code === code)) found.push({ code });
  };
  if (next === DEFAULT_PIN) add('default-pin');
  if (current !== undefined && next === current) add('same-as-current');
  return found.length === 0 ? null : { status: 'policy', violations: policyNotices(found) };
}

/**
 * A card's PIN answer for a new PIN, as the machine's outcome.
 *
 * @category Client
 */
export function newPinOutcome(
  result: CardPinVerifyResult | CardPinChangeResult | CardPinUnblockResult,
): NewPinOutcome | null {
  if (result.status === 'incorrect') {
    return { status: 'incorrect', attemptsRemaining: result.attemptsRemaining };
  }
  if (result.status === 'blocked') return { status: 'blocked' };
  return null;
}

/**
 * Runs a card call that may refuse a new PIN with the card's own policy.
 *
 * @category Client
 */
export async function withCardPolicy(run: () => Promise<NewPinOutcome>): Promise<NewPinOutcome> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof PinPolicyError) {
      return { status: 'policy', violations: policyNotices(error.violations) };
    }
    throw error;
  }
}
