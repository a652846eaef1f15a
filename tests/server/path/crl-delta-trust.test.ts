import { beforeAll, describe, expect, it } from 'vitest';
import { TrustState } from '../../../src/server/authenticator/trust.js';
import { readPathOptions } from '../../../src/server/path/options.js';
import { deltaIndicator } from './support/crl-pki.js';
import { crl, type Issued, issue, NOW } from './support/issue.js';

/**
 * Delta CRLs through an Authenticator's trust state: each CRL is parsed once and remembered,
 * the newest of each kind (complete, delta) per issuer key is kept, and a delta applies only
 * to a complete CRL it is newer than, also when that complete CRL was seen in an earlier call.
 */
const HOLD = 6;
const REMOVE_FROM_CRL = 8;
const SERIAL = 5150;

let root: Issued;
let leaf: Issued;

beforeAll(async () => {
  root = await issue({ subject: 'Trust Delta Root', ca: true });
  leaf = await issue({ subject: 'Alice', issuer: root, serial: SERIAL });
});

const complete = (number: number, reason?: number) =>
  crl(root, reason === undefined ? [] : [SERIAL], undefined, root.keys, undefined, {
    number,
    reasons: reason === undefined ? {} : { [SERIAL]: reason },
  });
const delta = (number: number, base: number, reason: number) =>
  crl(root, [SERIAL], undefined, root.keys, undefined, {
    number,
    reasons: { [SERIAL]: reason },
    extra: [deltaIndicator(base)],
  });

async function check(state: TrustState, crls: Uint8Array[]) {
  const fetched = await state.readCrls(crypto, crls);
  if (typeof fetched === 'string') throw new Error(fetched);
  const result = await state.validate(crypto, leaf.der, [], NOW.getTime(), fetched);
  return 'leaf' in result ? 'valid' : result.reason;
}

describe('delta CRLs in an Authenticator', () => {
  it('a released hold stays released, and a newer complete CRL replaces an older delta', async () => {
    const state = new TrustState({
      anchors: [root.der],
      intermediates: [],
      settings: readPathOptions({ leaf: new Uint8Array(0), trustAnchors: [root.der] }),
      requireRevocation: true,
    });
    const held = await complete(10, HOLD);
    expect(await check(state, [held])).toBe('revoked');
    const release = await delta(11, 10, REMOVE_FROM_CRL);
    expect(await check(state, [held, release])).toBe('valid');
    // The same delta again, alone: a delta decides nothing without its complete CRL.
    expect(await check(state, [release])).toBe('crl-invalid');
    // A newer complete CRL that holds it again: the older delta no longer applies to it.
    const heldAgain = await complete(12, HOLD);
    expect(await check(state, [heldAgain, release])).toBe('revoked');
    // Served the old complete CRL with the delta, the newest complete CRL seen (12) is used.
    expect(await check(state, [held, release])).toBe('revoked');
  });
});
