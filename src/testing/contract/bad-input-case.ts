/**
 * The contract's bad-input case: every operation answers input it cannot take with a typed
 * error (`ERR_INVALID_INPUT`, or the more precise code the contract names) and changes nothing.
 */
import type { SmartCard } from '../../card/contract/smart-card.js';
import { type CaseDefinition, CHALLENGE, outsideView } from './contract-case.js';

/** One bad call: what it is, the code it must fail with, and the call. */
type BadCall = readonly [what: string, code: string, call: () => Promise<unknown>];

/** The bad calls, on a card whose PIN is `pin` and that has the container `container`. */
function badCalls(card: SmartCard, pin: string, container: string): readonly BadCall[] {
  const invalid = 'ERR_INVALID_INPUT';
  return [
    ['verify a number', invalid, () => card.verifyPin(12345678 as unknown as string)],
    ['verify an empty PIN', 'ERR_PIN_POLICY', () => card.verifyPin('')],
    ['change to null', invalid, () => card.changePin(pin, null as unknown as string)],
    ['change to a trivial PIN', 'ERR_PIN_POLICY', () => card.changePin(pin, '1111')],
    ['unblock with an object', invalid, () => card.unblockPin({} as never, 'k7#Lm2pQ')],
    [
      'unblock, options null',
      invalid,
      () => card.unblockPin('27182818', 'Zx9!vB3n', null as never),
    ],
    ['unknown algorithm', invalid, () => card.generateKeyPair({ algorithm: 'RSA-1024' as never })],
    ['unknown key spec', invalid, () => card.generateKeyPair({ keySpec: 'both' as never })],
    ['empty container name', invalid, () => card.generateKeyPair({ container: '' })],
    ['control characters', invalid, () => card.generateKeyPair({ friendlyName: 'a\u0000b' })],
    ['options not an object', invalid, () => card.generateKeyPair('RSA-2048' as never)],
    ['options null', invalid, () => card.generateKeyPair(null as never)],
    ['sign a string', invalid, () => card.sign(container, 'data' as never)],
    ['sign 2 MiB', invalid, () => card.sign(container, new Uint8Array(2 << 20))],
    ['sign with MD5', invalid, () => card.sign(container, CHALLENGE, { hash: 'MD5' as never })],
    ['sign, options null', invalid, () => card.sign(container, CHALLENGE, null as never)],
    ['sign in an unknown container', 'ERR_KEY_NOT_FOUND', () => card.sign('nope', CHALLENGE)],
    ['decrypt an array', invalid, () => card.decrypt(container, [1, 2] as never)],
    ['certificate as text', invalid, () => card.installCertificate(container, 'MIIB' as never)],
    [
      'certificate of 64 KiB',
      invalid,
      () => card.installCertificate(container, new Uint8Array(1 << 16)),
    ],
    [
      'certificate of zeros',
      'ERR_CERTIFICATE_INVALID',
      () => card.installCertificate(container, new Uint8Array(64)),
    ],
    ['delete an unknown container', 'ERR_KEY_NOT_FOUND', () => card.deleteContainer('nope')],
  ];
}

export const BAD_INPUT_CASE: CaseDefinition = {
  name: 'answers bad input with a typed error and changes nothing',
  async body({ card, pin, expect }) {
    await card.verifyPin(pin);
    const key = await card.generateKeyPair();
    const before = await outsideView(card);
    const { pin: _pinBefore, ...infoBefore } = await card.info();
    for (const [what, code, call] of badCalls(card, pin, key.name)) {
      await expect.rejects(what, call(), code);
    }
    const { pin: _pinAfter, ...infoAfter } = await card.info();
    expect.equal('info() after the bad calls (but its PIN status)', infoAfter, infoBefore);
    expect.equal('what the card shows after the bad calls', await outsideView(card), before);
  },
};
