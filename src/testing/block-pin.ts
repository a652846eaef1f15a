/**
 * Blocking a card's PIN as a person would: wrong PINs, of a shape the card's policy takes, until
 * the card answers `blocked`.
 */
import type { CardPinVerifyResult } from '../card/contract/pin-results.js';
import { InvalidInputError, SmartCardError } from '../errors.js';
import type { FaultControls } from './controls.js';
import { wrongPins } from './wrong-pins.js';

/**
 * Types wrong PINs through `verifyPin` until it answers `blocked`: a candidate the policy refuses
 * (`ERR_PIN_POLICY`) or that turns out to be the PIN is swapped for the next shape, and a TPM
 * lockout of a kit-made virtual card is cleared. Internal to {@link FaultyCard.blockPin}.
 *
 * @throws what `verifyPin` throws otherwise; `InvalidInputError` when no candidate fits.
 * @example
 * ```ts
 * import { createTestCard } from 'smartcard-2fa/testing';
 * import { typeWrongPinsUntilBlocked } from './block-pin.js';
 *
 * const { card } = await createTestCard({ kind: 'physical' });
 * await typeWrongPinsUntilBlocked((pin) => card.card.verifyPin(pin), undefined);
 * (await card.pinStatus()).blocked; // true
 * ```
 */
export async function typeWrongPinsUntilBlocked(
  verifyPin: (pin: string) => Promise<CardPinVerifyResult>,
  controls: FaultControls | undefined,
): Promise<void> {
  const candidates = wrongPins(controls?.pinPolicy);
  let index = 0;
  for (let tries = 0; tries < 1000; tries++) {
    const pin = candidates[index];
    if (pin === undefined) break;
    let result: CardPinVerifyResult;
    try {
      result = await verifyPin(pin);
    } catch (error) {
      const tpm = controls?.tpm;
      if (SmartCardError.is(error, 'ERR_TPM_LOCKOUT') && tpm != null) {
        await tpm.clearLockout();
        continue;
      }
      if (!SmartCardError.is(error, 'ERR_PIN_POLICY')) throw error;
      index += 1; // not this card's PIN format: try the next shape
      continue;
    }
    if (result.status === 'blocked') return;
    if (result.status === 'verified') index += 1; // it was the PIN: use another
  }
  throw new InvalidInputError('blockPin found no wrong PIN this card accepts the format of.');
}
