/**
 * Cards for testing the SmartCard contract kit itself: the kit's own test cards, which keep the
 * contract, and cards broken on purpose in one way each, which the contract must catch.
 */
import type { SmartCard } from '../../../src/card/contract/smart-card.js';
import {
  type ContractCard,
  createTestCard,
  type SmartCardContractOptions,
} from '../../../src/testing/index.js';

export const PIN = 'k7#Lm2pQ';
export const PUK = '27182818';

/** A fresh physical test card in its reader, as the contract wants it: PUK and removal. */
export async function goodCard(): Promise<ContractCard> {
  const { card, reader } = await createTestCard({ kind: 'physical', pin: PIN, puk: PUK });
  const removal = { remove: () => reader.remove(), insert: () => reader.insert(card) };
  return { card, pin: PIN, puk: PUK, removal };
}

/** The options of the contract for {@link goodCard}, or a broken card made from it. */
export function contractOptions(
  makeCard: () => Promise<ContractCard> = goodCard,
): SmartCardContractOptions {
  return {
    makeCard,
    kind: 'physical',
    maxAttempts: 5,
    algorithms: ['RSA-2048', 'ECDSA-P256', 'ECDSA-P384'],
    unblocks: true,
    removable: true,
  };
}

/** `card` with some operations replaced: every other one is the card's own. */
export function withOverrides(card: SmartCard, overrides: Partial<SmartCard>): SmartCard {
  return new Proxy(card, {
    get(target, property) {
      const own = (overrides as Record<PropertyKey, unknown>)[property];
      if (own !== undefined) return own;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * A card whose wrong PINs are never counted: a wrong PIN answers `incorrect` with all attempts
 * left and spends nothing (as a card that compares before it writes, and skips the write).
 */
export async function uncountedPinCard(): Promise<ContractCard> {
  const made = await goodCard();
  const { card } = made;
  const verifyPin: SmartCard['verifyPin'] = async (pin) =>
    pin === PIN ? card.verifyPin(pin) : { status: 'incorrect', attemptsRemaining: 5 };
  return { ...made, card: withOverrides(card, { verifyPin }) };
}

/** A card that signs without a verified PIN: it logs itself in for each signature. */
export async function pinlessSignCard(): Promise<ContractCard> {
  const made = await goodCard();
  const { card } = made;
  const sign: SmartCard['sign'] = async (container, data, options) => {
    await card.verifyPin(PIN);
    const signature = await card.sign(container, data, options);
    await card.logout();
    return signature;
  };
  return { ...made, card: withOverrides(card, { sign }) };
}

/** What `node --test` runs (tests/testing/support/contract.node-test.ts) is told by this. */
export const BROKEN_CARD_VARIABLE = 'CONTRACT_BROKEN_CARD';
