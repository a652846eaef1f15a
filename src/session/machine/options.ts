import { checkAddress } from '../../challenge/address.js';
import { checkRpId } from '../../challenge/signed-message.js';
import { InvalidInputError } from '../../errors.js';
import { isLocale } from '../messages/locale.js';
import type { RemovalPolicy, SignInMachineOptions } from './option-types.js';
import type { SignInContext } from './types.js';

const REMOVAL_POLICIES: readonly RemovalPolicy[] = ['no-action', 'lock', 'sign-out'];
const DEFAULT_CARD_WAIT_MS = 120_000;
const DEFAULT_OPERATION_MS = 60_000;

/**
 * Whether `address` is acceptable as a sign-in address: the same rule the `Authenticator` applies
 * (an e-mail-like `name@domain` in ASCII, local part of at most 64 characters, at most 254 in all;
 * surrounding spaces are ignored), so the machine never asks for a PIN for an address the server
 * would refuse to issue a challenge for.
 *
 * @example
 * ```ts
 * import { isSignInAddress } from 'smartcard-2fa/session';
 *
 * isSignInAddress('alice@example.com'); // true
 * isSignInAddress('alice'); // false
 * ```
 *
 * @category Client
 */
export function isSignInAddress(address: unknown): address is string {
  try {
    checkAddress(address);
    return true;
  } catch {
    return false;
  }
}

function positiveMs(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidInputError(`createSignInMachine: ${name} must be a positive integer (ms).`);
  }
  return value;
}

/**
 * Refuses options that do not fit the method, before a machine is made of them.
 *
 * @throws `InvalidInputError` for options that do not fit the method.
 *
 * @category Client
 */
export function checkOptions(options: SignInMachineOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('createSignInMachine takes an options object.');
  }
  if (options.method === 'password') {
    if (typeof options.verifyPassword !== 'function') {
      throw new InvalidInputError('createSignInMachine: password sign-in needs verifyPassword.');
    }
  } else if (options.method === 'smart-card') {
    if ((options.reader === undefined) === (options.card === undefined)) {
      throw new InvalidInputError(
        'createSignInMachine: smart card sign-in needs exactly one of reader (physical cards) or card (a card that is always present, such as a virtual card).',
      );
    }
    if (
      typeof options.server?.challenge !== 'function' ||
      typeof options.server.verify !== 'function'
    ) {
      throw new InvalidInputError(
        'createSignInMachine: smart card sign-in needs server ({ challenge, verify }).',
      );
    }
  } else {
    throw new InvalidInputError("createSignInMachine: method must be 'password' or 'smart-card'.");
  }
  if (options.rpId !== undefined) checkRpId(options.rpId, 'createSignInMachine');
  if (options.locale !== undefined && !isLocale(options.locale)) {
    throw new InvalidInputError("createSignInMachine: locale must be 'en', 'ko-KR' or 'zh-TW'.");
  }
  if (options.removal !== undefined && !REMOVAL_POLICIES.includes(options.removal)) {
    throw new InvalidInputError(
      "createSignInMachine: removal must be 'no-action', 'lock' or 'sign-out'.",
    );
  }
}

/**
 * The part of the machine's context the options set: the method, removal policy, locale and
 * timeouts, all plain values. Nothing else of the options (the server, the card, the store, the
 * app's callbacks) ever enters the context.
 *
 * @category Client
 */
export type SignInSettings = Pick<
  SignInContext,
  'method' | 'removal' | 'locale' | 'cardWaitTimeoutMs' | 'operationTimeoutMs'
>;

/**
 * The settings of checked options, defaults filled in.
 *
 * @throws `InvalidInputError` for a timeout that is not a positive integer.
 *
 * @category Client
 */
export function settingsOf(options: SignInMachineOptions): SignInSettings {
  return {
    method: options.method,
    removal: options.removal ?? 'no-action',
    locale: options.locale ?? 'en',
    cardWaitTimeoutMs: positiveMs(
      options.cardWaitTimeoutMs,
      DEFAULT_CARD_WAIT_MS,
      'cardWaitTimeoutMs',
    ),
    operationTimeoutMs: positiveMs(
      options.operationTimeoutMs,
      DEFAULT_OPERATION_MS,
      'operationTimeoutMs',
    ),
  };
}
