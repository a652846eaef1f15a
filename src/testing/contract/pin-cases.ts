/**
 * The contract's PIN cases: a fresh card describes itself without spending an attempt, counts
 * wrong PINs and blocks at the limit, unblocks with its PUK, and changes its PIN only to one its
 * policy accepts.
 */
import type { CaseDefinition } from './contract-case.js';
import { wrongPins } from './contract-case.js';

export const PIN_CASES: readonly CaseDefinition[] = [
  {
    name: 'describes itself, blank, without spending an attempt',
    async body({ card, options, expect }) {
      const info = await card.info();
      expect.matches('info()', info, {
        id: card.id,
        kind: card.kind,
        blank: true,
        pinVerified: false,
      });
      expect.holds(
        'kind',
        ['physical', 'virtual'].includes(card.kind),
        "'physical' or 'virtual'",
        card.kind,
      );
      if (options.kind !== undefined) expect.equal('kind', card.kind, options.kind);
      expect.matches('info().pin', info.pin, { blocked: false, mustChange: false });
      if (options.countsAttempts) {
        const { attemptsRemaining } = await card.pinStatus();
        expect.equal('attempts left on a fresh card', attemptsRemaining, options.maxAttempts);
      }
      expect.equal('containers() of a fresh card', await card.containers(), []);
    },
  },
  {
    name: 'verifies the PIN, counts wrong ones, and blocks at the limit',
    async body(context) {
      const { card, pin, newPin, options, expect } = context;
      expect.matches('a wrong PIN', await card.verifyPin(newPin), { status: 'incorrect' });
      if (options.countsAttempts) {
        const { attemptsRemaining } = await card.pinStatus();
        expect.equal('attempts left after a wrong PIN', attemptsRemaining, options.maxAttempts - 1);
      }
      expect.matches('the right PIN', await card.verifyPin(pin), { status: 'verified' });
      expect.equal('pinVerified after it', (await card.info()).pinVerified, true);
      await wrongPins(context, options.maxAttempts);
      expect.equal('the right PIN after the limit', await card.verifyPin(pin), {
        status: 'blocked',
      });
      expect.equal('pinStatus().blocked', (await card.pinStatus()).blocked, true);
      expect.equal('pinVerified once blocked', (await card.info()).pinVerified, false);
    },
  },
  {
    name: 'unblocks with the PUK',
    appliesTo: (options) => options.unblocks,
    async body(context) {
      const { card, puk, newPin, options, expect } = context;
      await wrongPins(context, options.maxAttempts);
      expect.equal('unblockPin(puk, newPin)', await card.unblockPin(puk, newPin), {
        status: 'unblocked',
      });
      expect.matches('the new PIN', await card.verifyPin(newPin), { status: 'verified' });
    },
  },
  {
    name: 'changes the PIN after checking the policy',
    async body({ card, pin, newPin, expect }) {
      await expect.rejects('changePin to "1"', card.changePin(pin, '1'), 'ERR_PIN_POLICY');
      expect.equal('changePin', await card.changePin(pin, newPin), { status: 'changed' });
      expect.matches('the old PIN', await card.verifyPin(pin), { status: 'incorrect' });
      expect.matches('the new PIN', await card.verifyPin(newPin), { status: 'verified' });
    },
  },
];
