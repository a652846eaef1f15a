/**
 * The golden trace: the command APDUs the SDK sends for SELECT, VERIFY, GENERATE and SIGN, byte
 * for byte, as the trace hook sees them (secrets masked), against the PIV test card.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FACTORY_DEFAULTS } from '../../../src/card/piv/piv-constants.js';
import { toHex, utf8 } from '../../../src/lib/bytes.js';
import { openPivCard } from './piv-support.js';

const CHALLENGE = utf8('challenge');

describe('the golden trace', () => {
  it('pins SELECT, VERIFY, GENERATE and SIGN, and masks the PIN and the management key', async () => {
    const { card, trace } = await openPivCard();
    await card.verifyPin(FACTORY_DEFAULTS.pin);
    const key = await card.generateKeyPair({ algorithm: 'ECDSA-P256', container: 'golden' });
    await card.sign(key.name, CHALLENGE);
    const commands = trace.map((event) => toHex(event.command));
    const statusWords = trace.map((event) => toHex(event.response.subarray(-2)));
    const digest = createHash('sha256').update(CHALLENGE).digest('hex');
    const mapTag = '5fa000'; // the SDK's container map
    expect(commands.map((command, i) => (i === 12 ? command.slice(0, 22) : command))).toEqual([
      // open: SELECT the PIV application, GET DATA of the CHUID (the card's id)
      '00a4040009a00000030800001000',
      '00cb3fff055c035fc102',
      // verifyPin: VERIFY with the PIN padded with FF to 8 bytes, masked
      '00200080082a2a2a2a2a2a2a2a',
      // generateKeyPair: the status-only VERIFY (is the PIN verified?), the container map, the
      // certificate objects of 9A, 9D, 9E, 9C (a slot with a certificate is in use),
      '00200080',
      `00cb3fff055c03${mapTag}`,
      '00cb3fff055c035fc105',
      '00cb3fff055c035fc10b',
      '00cb3fff055c035fc101',
      '00cb3fff055c035fc10a',
      // the management key (AES-192) in two steps, masked: 7C 02 80 00, then witness + challenge,
      '00870a9b042a2a2a2a',
      `00870a9b26${'2a'.repeat(0x26)}`,
      // GENERATE ASYMMETRIC KEY PAIR in 9A: AC 03 80 01 11 (P-256),
      '0047009a05ac03800111',
      // the container map written,
      `00db3fff${commands[12]?.slice(8, 10) ?? ''}5c03${mapTag}53`,
      // sign: the PIN checked, the map read, GENERAL AUTHENTICATE 11/9A with 7C { 82 00, 81 hash }
      '00200080',
      `00cb3fff055c03${mapTag}`,
      `0087119a267c2482008120${digest}`,
    ]);
    // No map yet, no certificates: GET DATA answers 6A82 (not found) five times.
    expect(statusWords.filter((sw) => sw !== '9000')).toEqual(Array(5).fill('6a82'));
    expect(trace.filter((event) => event.masked).length).toBe(3);
    const pinHex = toHex(utf8(FACTORY_DEFAULTS.pin));
    const keyHex = toHex(FACTORY_DEFAULTS.managementKey.subarray(0, 8));
    for (const command of commands) {
      expect(command).not.toContain(pinHex);
      expect(command).not.toContain(keyHex);
    }
  });

  it('pins an RSA-2048 SIGN: the PKCS#1 v1.5 block built on the host, sent in a chain', async () => {
    const { card, trace } = await openPivCard();
    await card.verifyPin(FACTORY_DEFAULTS.pin);
    const key = await card.generateKeyPair({ container: 'rsa' });
    const from = trace.length;
    await card.sign(key.name, CHALLENGE);
    const sent = trace.slice(from).map((event) => toHex(event.command));
    const digestInfo = `3031300d060960864801650304020105000420${createHash('sha256').update(CHALLENGE).digest('hex')}`;
    const block = `0001${'ff'.repeat(256 - 3 - digestInfo.length / 2)}00${digestInfo}`;
    const data = `7c820106820081820100${block}`;
    // Long answers (the container map, the signature) come in parts, fetched with GET RESPONSE.
    const getResponses = sent.filter((command) => command.startsWith('00c00000'));
    expect(getResponses.length).toBe(2);
    expect(sent.filter((command) => !command.startsWith('00c00000'))).toEqual([
      '00200080',
      '00cb3fff055c035fa000',
      `1087079aff${data.slice(0, 510)}`,
      `0087079a${(data.length / 2 - 255).toString(16).padStart(2, '0')}${data.slice(510)}`,
    ]);
  });
});
