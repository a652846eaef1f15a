/**
 * The contract's cases about callers and the card session: one caller at a time in call order,
 * one winner of a race for a container name, one attempt spent per wrong PIN however callers
 * race, and a removed card that ends its session and refuses everything while out.
 */
import { type CaseDefinition, CHALLENGE } from './contract-case.js';

export const SESSION_CASES: readonly CaseDefinition[] = [
  {
    name: 'runs callers one at a time, in call order',
    async body({ card, pin, expect }) {
      await card.verifyPin(pin);
      const key = await card.generateKeyPair();
      await card.logout();
      const early = card.sign(key.name, CHALLENGE);
      const verify = card.verifyPin(pin);
      const late = card.sign(key.name, CHALLENGE);
      await expect.rejects('a sign called before verifyPin', early, 'ERR_PIN_REQUIRED');
      expect.matches('the verifyPin called between', await verify, { status: 'verified' });
      const signature = await late;
      expect.holds(
        'a sign called after',
        signature instanceof Uint8Array,
        'a signature',
        signature,
      );
    },
  },
  {
    name: 'lets exactly one of two racing writers have a container name',
    async body({ card, pin, expect }) {
      await card.verifyPin(pin);
      const results = await Promise.allSettled([
        card.generateKeyPair({ container: 'same' }),
        card.generateKeyPair({ container: 'same' }),
      ]);
      expect.equal(
        'two racing generateKeyPair({ container: "same" })',
        results.map((r) => r.status).sort(),
        ['fulfilled', 'rejected'],
      );
      expect.equal(
        'containers() after',
        (await card.containers()).map((c) => c.name),
        ['same'],
      );
    },
  },
  {
    name: 'spends one attempt per wrong PIN, however many callers race',
    async body({ card, newPin, options, expect }) {
      // Three racers, or fewer where the third would block the card.
      const racers = Math.max(1, Math.min(3, options.maxAttempts - 1));
      const results = await Promise.all(
        Array.from({ length: racers }, () => card.verifyPin(newPin)),
      );
      const statuses = results.map((r) => r.status);
      expect.equal(
        `${racers} racing wrong PINs`,
        statuses,
        statuses.map(() => 'incorrect'),
      );
      if (options.countsAttempts) {
        const { attemptsRemaining } = await card.pinStatus();
        expect.equal('attempts left after them', attemptsRemaining, options.maxAttempts - racers);
      }
    },
  },
  {
    name: 'ends the card session when removed, and refuses every operation while out',
    appliesTo: (options) => options.removable,
    async body({ card, pin, removal, expect }) {
      await card.verifyPin(pin);
      const key = await card.generateKeyPair();
      removal.remove();
      const whileOut: readonly [string, () => Promise<unknown>][] = [
        ['info()', () => card.info()],
        ['verifyPin()', () => card.verifyPin(pin)],
        ['containers()', () => card.containers()],
        ['sign()', () => card.sign(key.name, CHALLENGE)],
      ];
      for (const [what, call] of whileOut) {
        await expect.rejects(`${what} while out of the reader`, call(), 'ERR_CARD_REMOVED');
      }
      removal.insert();
      await expect.rejects(
        'sign() once back, before the PIN',
        card.sign(key.name, CHALLENGE),
        'ERR_PIN_REQUIRED',
      );
    },
  },
];
