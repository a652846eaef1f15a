/**
 * The SmartCard contract under node:test, no vitest in sight: `node --import tsx --test` runs
 * this file (tests/testing/contract.test.ts spawns it). With CONTRACT_BROKEN_CARD=1 the card is
 * one whose wrong PINs are never counted, and the run must fail.
 */
import { test } from 'node:test';
import { smartCardContract } from '../../../src/testing/index.js';
import {
  BROKEN_CARD_VARIABLE,
  contractOptions,
  goodCard,
  uncountedPinCard,
} from './contract-cards.js';

const broken = process.env[BROKEN_CARD_VARIABLE] === '1';
for (const c of smartCardContract(contractOptions(broken ? uncountedPinCard : goodCard))) {
  test(c.name, c.run);
}
