/**
 * When a PIV test card's slot key may be used: its PIN policy (YubiKey's numbering: 01 never,
 * 02 once per session, 03 before every use) and touch policy (01 never, 02 always, 03 cached; the
 * test card has no button and counts every touch as given). GENERATE's `AA` and `AB` set them;
 * otherwise each slot has a YubiKey's defaults: 9A and 9D once, 9C always, 9E never.
 */
import { KEY_REFERENCE } from '../../card/piv/piv-constants.js';
import { type DataObject, objectValue } from '../../lib/apdu.js';
import type { PivSession } from './piv-context.js';

/** A PIN policy: 1 never, 2 once, 3 always. */
export type PinPolicy = 1 | 2 | 3;
/** A touch policy: 1 never, 2 always, 3 cached. */
export type TouchPolicy = 1 | 2 | 3;

const NEVER = 1;
const ONCE = 2;
const ALWAYS = 3;

/** The key slots and the PIN policy of each by default. */
export const SLOT_PIN_POLICY: ReadonlyMap<number, PinPolicy> = new Map<number, PinPolicy>([
  [KEY_REFERENCE.AUTHENTICATION, ONCE],
  [KEY_REFERENCE.SIGNATURE, ALWAYS],
  [KEY_REFERENCE.KEY_MANAGEMENT, ONCE],
  [KEY_REFERENCE.CARD_AUTHENTICATION, NEVER],
]);

/** Whether `value` is a PIN or touch policy this card keeps (1 to 3). */
export function isPolicy(value: unknown): value is PinPolicy & TouchPolicy {
  return value === 1 || value === 2 || value === 3;
}

/**
 * The policies GENERATE's template asks for (`AA`, `AB`; 00 or absent: the default), or
 * `undefined` when one is not a policy this card keeps.
 */
export function requestedPolicies(
  parts: readonly DataObject[],
  slot: number,
): { pinPolicy: PinPolicy; touchPolicy: TouchPolicy } | undefined {
  const pin = objectValue(parts, 0xaa);
  const touch = objectValue(parts, 0xab);
  const pinValue = pin === undefined || pin[0] === 0 ? SLOT_PIN_POLICY.get(slot) : pin[0];
  const touchValue = touch === undefined || touch[0] === 0 ? NEVER : touch[0];
  if ((pin !== undefined && pin.length !== 1) || (touch !== undefined && touch.length !== 1)) {
    return undefined;
  }
  if (!isPolicy(pinValue) || !isPolicy(touchValue)) return undefined;
  return { pinPolicy: pinValue, touchPolicy: touchValue };
}

/** Whether the session lets a key of `policy` be used now. */
export function pinAllows(session: PivSession, policy: PinPolicy): boolean {
  if (policy === NEVER) return true;
  if (policy === ONCE) return session.pinVerified;
  return session.pinVerified && session.pinFreshForSignature;
}

/** Spends what a use of a key of `policy` needed (a VERIFY, for "always"). */
export function spendPin(session: PivSession, policy: PinPolicy): void {
  if (policy === ALWAYS) session.pinFreshForSignature = false;
}
