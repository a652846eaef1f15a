/**
 * VERIFY, CHANGE REFERENCE DATA and RESET RETRY COUNTER (SP 800-73-4 §3.2.1-3.2.3) on the PIV
 * test card. A try is spent and saved before the value is compared, so a card that loses power
 * mid-check has not given a free try; a wrong value answers 63Cx, a blocked one 6983. Malformed
 * input (a wrong length or padding) spends nothing.
 */
import { KEY_REFERENCE, PIV_PIN_LENGTH } from '../../card/piv/piv-constants.js';
import { type ResponseApdu, SW } from '../../lib/apdu.js';
import {
  type PivCommandHandler,
  type PivContext,
  status,
  success,
  triesLeftStatus,
} from './piv-context.js';
import { matchesReference, referenceDigest } from './piv-state.js';

type Reference = 'pin' | 'puk';

/** Whether `padded` is 6 to 8 characters (not FF) then FF up to 8 bytes. */
function wellPadded(padded: Uint8Array): boolean {
  const length = padded.indexOf(0xff) === -1 ? padded.length : padded.indexOf(0xff);
  return (
    padded.length === PIV_PIN_LENGTH.padded &&
    length >= PIV_PIN_LENGTH.min &&
    padded.subarray(length).every((byte) => byte === 0xff)
  );
}

/**
 * Spends a try of `reference`, saves it, then compares `padded`: `undefined` when it matches (the
 * tries are restored and saved), otherwise the answer to give (63Cx, or 6983 when blocked).
 */
async function spendAndCompare(
  context: PivContext,
  reference: Reference,
  padded: Uint8Array,
): Promise<ResponseApdu | undefined> {
  const before = context.state();
  const data = before[reference];
  if (data.triesLeft === 0) return status(SW.BLOCKED);
  const spent = { ...data, triesLeft: data.triesLeft - 1 };
  await context.commit({ ...before, [reference]: spent });
  if (!(await matchesReference(context.crypto, before.salt, data, padded))) {
    return triesLeftStatus(spent.triesLeft);
  }
  await context.commit({ ...context.state(), [reference]: { ...data, triesLeft: data.tries } });
  return undefined;
}

/** VERIFY: the PIN (P2 80), its status (no data), or log out (P1 FF). */
export const verify: PivCommandHandler = async (context, command) => {
  const { session } = context;
  if (command.p2 !== KEY_REFERENCE.PIN || (command.p1 !== 0 && command.p1 !== 0xff)) {
    return status(SW.WRONG_P1P2);
  }
  if (command.p1 === 0xff) {
    if (command.data.length > 0) return status(SW.WRONG_LENGTH);
    session.pinVerified = false;
    session.pinFreshForSignature = false;
    return success();
  }
  if (command.data.length === 0) {
    const { triesLeft } = context.state().pin;
    if (triesLeft === 0) return status(SW.BLOCKED);
    return session.pinVerified ? success() : triesLeftStatus(triesLeft);
  }
  if (command.data.length !== PIV_PIN_LENGTH.padded) return status(SW.WRONG_LENGTH);
  if (!wellPadded(command.data)) return status(SW.WRONG_DATA);
  session.pinVerified = false;
  session.pinFreshForSignature = false;
  const refused = await spendAndCompare(context, 'pin', command.data);
  if (refused !== undefined) return refused;
  session.pinVerified = true;
  session.pinFreshForSignature = true;
  return success();
};

/** The old and new values of CHANGE REFERENCE DATA and RESET RETRY COUNTER, checked. */
function twoValues(data: Uint8Array): [Uint8Array, Uint8Array] | ResponseApdu {
  if (data.length !== 2 * PIV_PIN_LENGTH.padded) return status(SW.WRONG_LENGTH);
  const first = data.subarray(0, PIV_PIN_LENGTH.padded);
  const second = data.subarray(PIV_PIN_LENGTH.padded);
  if (!wellPadded(first) || !wellPadded(second)) return status(SW.WRONG_DATA);
  return [first, second];
}

/** Saves `padded` as the new value of `reference`, its tries full, no longer the default. */
async function replace(
  context: PivContext,
  reference: Reference,
  padded: Uint8Array,
): Promise<void> {
  const state = context.state();
  const digest = await referenceDigest(context.crypto, state.salt, padded);
  const data = state[reference];
  await context.commit({
    ...state,
    [reference]: { ...data, digest, triesLeft: data.tries, isDefault: false },
  });
}

/** CHANGE REFERENCE DATA of the PIN (P2 80) or the PUK (81): old value, then new. */
export const changeReferenceData: PivCommandHandler = async (context, command) => {
  const reference: Reference | undefined =
    command.p2 === KEY_REFERENCE.PIN ? 'pin' : command.p2 === KEY_REFERENCE.PUK ? 'puk' : undefined;
  if (command.p1 !== 0 || reference === undefined) return status(SW.WRONG_P1P2);
  const values = twoValues(command.data);
  if (!Array.isArray(values)) return values;
  const refused = await spendAndCompare(context, reference, values[0]);
  if (refused !== undefined) return refused;
  await replace(context, reference, values[1]);
  return success();
};

/** RESET RETRY COUNTER of the PIN (P2 80): the PUK, then the new PIN. */
export const resetRetryCounter: PivCommandHandler = async (context, command) => {
  if (command.p1 !== 0 || command.p2 !== KEY_REFERENCE.PIN) return status(SW.WRONG_P1P2);
  const values = twoValues(command.data);
  if (!Array.isArray(values)) return values;
  const refused = await spendAndCompare(context, 'puk', values[0]);
  if (refused !== undefined) return refused;
  await replace(context, 'pin', values[1]);
  return success();
};
