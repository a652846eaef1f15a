/**
 * Strong certificate mapping at sign-in (KB5014754): with `securityIdentifier`, a card whose
 * certificate carries the account's SID signs in (and the result names it); another account's
 * SID, no SID where one is required, or a directory without the account's SID is `wrong-user`;
 * in `if-present` mode a certificate without a SID passes on its UPN.
 */
import { describe, expect, it } from 'vitest';
import type { CertificateAuthority } from '../../../src/enrollment/index.js';
import type { SecurityIdentifierOptions } from '../../../src/server/index.js';
import { signChallenge } from '../../../src/session/index.js';
import { ALICE, testCa, testClock } from '../../enrollment/support/ca.js';
import { ADDRESS, authenticatorFor, enrolledCard, RP_ID } from '../../session/support/sign-in.js';

const SID = 'S-1-5-21-3623811015-3361044348-30300820-1013';
const BOBS_SID = 'S-1-5-21-3623811015-3361044348-30300820-1014';

async function cardOf(sid: string | undefined) {
  const clock = testClock();
  const entry = sid === undefined ? ALICE : { ...ALICE, sid };
  const ca: CertificateAuthority = await testCa({ issuing: true, clock, directory: [entry] });
  const { card } = await enrolledCard(ca, 'virtual');
  await card.verifyPin('12345678');
  const container = (await card.containers())[0]?.name ?? '';
  const signIn = async (securityIdentifier?: SecurityIdentifierOptions) => {
    const authenticator = authenticatorFor(
      ca,
      clock,
      securityIdentifier ? { securityIdentifier } : {},
    );
    const challenge = await authenticator.challenge({ address: ADDRESS });
    return authenticator.verify(await signChallenge(card, container, challenge, { rpId: RP_ID }));
  };
  return { signIn };
}

describe('the Authenticator and the SID (strong certificate mapping)', () => {
  it("signs in a card carrying the account's SID, and names it", async () => {
    const { signIn } = await cardOf(SID);
    const seen: string[] = [];
    const result = await signIn({
      lookup: (user) => {
        seen.push(user.name);
        return user.name === ALICE.upn ? SID : undefined;
      },
    });
    expect(result).toMatchObject({ verified: true, user: { name: ALICE.upn, sid: SID } });
    expect(seen).toEqual([ALICE.upn]);
    // Without the option the SID is read, not checked.
    expect(await signIn()).toMatchObject({ verified: true, user: { sid: SID } });
  });

  it("refuses another account's SID, and a SID the directory lacks", async () => {
    const { signIn } = await cardOf(SID);
    expect(await signIn({ lookup: async () => BOBS_SID })).toMatchObject({
      verified: false,
      reason: 'wrong-user',
      detail: expect.stringContaining(`SID ${SID} is not the account's`),
    });
    expect(await signIn({ lookup: () => undefined })).toMatchObject({
      verified: false,
      reason: 'wrong-user',
    });
    expect(await signIn({ lookup: () => 'not-a-sid' })).toMatchObject({
      verified: false,
      reason: 'wrong-user',
    });
  });

  it('requires a SID by default (Full Enforcement); if-present lets a card without one pass', async () => {
    const { signIn } = await cardOf(undefined);
    expect(await signIn({ lookup: () => SID })).toMatchObject({
      verified: false,
      reason: 'wrong-user',
      detail: expect.stringContaining('no SID'),
    });
    const result = await signIn({ lookup: () => SID, mode: 'if-present' });
    expect(result).toMatchObject({ verified: true });
    expect(result.verified ? result.user.sid : 'refused').toBeUndefined();
  });

  it('refuses a misconfigured option at construction', async () => {
    const clock = testClock();
    const ca = await testCa({ clock });
    for (const bad of [{}, { lookup: 'x' }, { lookup: () => SID, mode: 'strict' }]) {
      expect(() =>
        authenticatorFor(ca, clock, {
          securityIdentifier: bad as unknown as SecurityIdentifierOptions,
        }),
      ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_INPUT' }));
    }
  });
});
