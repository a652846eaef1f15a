import { describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { SimulatedReader } from '../../../src/card/index.js';
import { createSignInMachine, type RemovalPolicy, Secret } from '../../../src/session/index.js';
import { waitForRoute } from '../../../src/testing/index.js';
import { TEST_PIN } from '../../support/cards.js';
import { signInPkiBeforeAll } from '../support/file-pki.js';
import { ADDRESS, authenticatorFor, enrolledCard, startSignIn } from '../support/sign-in.js';

/**
 * createSignInMachine's options: each machine keeps its own, options that do not fit the method
 * are refused, smart card sign-in outside a browser needs rpId, the locale is spoken.
 */
const pki = signInPkiBeforeAll();

describe('many machines, each with its options', () => {
  it('each machine keeps its own options, also through provide()', async () => {
    const make = (who: string) =>
      createSignInMachine({
        method: 'password',
        locale: who === 'alice' ? 'en' : 'zh-TW',
        verifyPassword: async ({ address }) => ({ verified: true, user: { address, name: who } }),
      });
    const alice = make('alice');
    const bob = make('bob');
    const carol = bob.provide({});
    const run = async (machine: ReturnType<typeof make>, address: string) => {
      const actor = createActor(machine).start();
      await waitForRoute(actor, 'sign-in');
      actor.send({ type: 'SIGN_IN', address });
      await waitForRoute(actor, 'password');
      actor.send({ type: 'PASSWORD.SUBMIT', password: Secret.from('pw') });
      const view = await waitForRoute(actor, 'signed-in');
      actor.stop();
      return view;
    };
    const [a, b, c] = await Promise.all([
      run(alice, 'alice@contoso.com'),
      run(bob, 'bob@contoso.com'),
      run(carol, 'carol@contoso.com'),
    ]);
    expect([a.user?.name, a.locale]).toEqual(['alice', 'en']);
    expect([b.user?.name, b.locale]).toEqual(['bob', 'zh-TW']);
    expect([c.user?.name, c.locale]).toEqual(['bob', 'zh-TW']);
  });
});

describe('options', () => {
  it('refuses options that do not fit the method', () => {
    const server = authenticatorFor(pki.ca, pki.clock);
    expect(() => createSignInMachine({ method: 'password' })).toThrow(/verifyPassword/);
    expect(() => createSignInMachine({ method: 'smart-card', server })).toThrow(/reader/);
    expect(() =>
      createSignInMachine({ method: 'smart-card', reader: new SimulatedReader() }),
    ).toThrow(/server/);
    expect(() =>
      createSignInMachine({
        method: 'smart-card',
        reader: new SimulatedReader(),
        server,
        removal: 'eject' as RemovalPolicy,
      }),
    ).toThrow(/removal/);
    expect(() =>
      createSignInMachine({
        method: 'smart-card',
        reader: new SimulatedReader(),
        server,
        cardWaitTimeoutMs: 0,
      }),
    ).toThrow(/cardWaitTimeoutMs/);
    for (const rpId of ['', 'a\0b', 7]) {
      expect(() =>
        createSignInMachine({
          method: 'smart-card',
          reader: new SimulatedReader(),
          server,
          rpId: rpId as string,
        }),
      ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_INPUT' }));
    }
  });

  it('outside a browser, smart card sign-in without rpId fails before the card signs', async () => {
    const { card } = await enrolledCard(pki.ca, 'virtual', { pin: TEST_PIN });
    const sign = vi.spyOn(card, 'sign');
    const actor = createActor(
      createSignInMachine({
        method: 'smart-card',
        card,
        server: authenticatorFor(pki.ca, pki.clock),
      }),
    ).start();
    try {
      actor.send({ type: 'SIGN_IN', address: ADDRESS });
      await waitForRoute(actor, 'pin');
      actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
      const view = await waitForRoute(actor, 'sign-in');
      expect(view.error?.code).toBe('ERR_INVALID_INPUT');
      expect(view.error?.message).toMatch(/rpId/);
      expect(sign).not.toHaveBeenCalled();
    } finally {
      sign.mockRestore();
      actor.stop();
    }
  });

  it('speaks the locale it was given', async () => {
    const actor = startSignIn({
      method: 'password',
      locale: 'ko-KR',
      verifyPassword: async () => ({ verified: false }),
    });
    const view = await waitForRoute(actor, 'sign-in');
    expect(view.locale).toBe('ko-KR');
    expect(view.prompt.text).toMatch(/로그인 주소/);
    actor.stop();
  });
});
