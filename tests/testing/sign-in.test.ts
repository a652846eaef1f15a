import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { createSignInMachine, Secret } from '../../src/session/index.js';
import { createTestCard, createTestPki, runSignIn, waitForRoute } from '../../src/testing/index.js';

const ALICE = 'alice@contoso.test';

describe('runSignIn and waitForRoute', () => {
  it('signs in with an enrolled virtual card against an Authenticator', async () => {
    const pki = await createTestPki();
    const { card, pin } = await createTestCard({ kind: 'virtual', enrolled: { pki } });
    const machine = createSignInMachine({
      method: 'smart-card',
      card,
      server: await pki.authenticator(),
      rpId: pki.rpId,
    });
    const { view, routes, actor } = await runSignIn(machine, [
      { type: 'SIGN_IN', address: ALICE },
      { expect: 'pin' },
      { type: 'PIN.SUBMIT', pin: Secret.from(pin) },
      { expect: 'signed-in' },
    ]);
    expect(view).toMatchObject({ route: 'signed-in', status: 'input', user: { address: ALICE } });
    expect(routes).toEqual(['sign-in', 'pin', 'signing-in', 'signed-in']);
    const operations = card.trace.map((t) => `${t.operation} ${t.outcome}`);
    expect(operations).toContain('verifyPin verified');
    expect(operations).toContain('sign ok');
    actor.stop();
  });

  it('survives a card pulled out mid-sign: back to insert-card, then signed in', async () => {
    const pki = await createTestPki();
    const { card, reader, pin } = await createTestCard({ kind: 'physical', enrolled: { pki } });
    const machine = createSignInMachine({
      method: 'smart-card',
      reader,
      server: await pki.authenticator(),
      rpId: pki.rpId,
    });
    card.removeDuring('sign');
    const { view, routes } = await runSignIn(machine, [
      { type: 'SIGN_IN', address: ALICE },
      { expect: 'card-detected' },
      { type: 'OK' },
      { type: 'PIN.SUBMIT', pin: Secret.from(pin) },
      { expect: 'insert-card' },
      { run: () => reader.insert(card) },
      { expect: 'card-detected' },
      { type: 'OK' },
      { type: 'PIN.SUBMIT', pin: Secret.from(pin) },
      { expect: 'signed-in' },
    ]);
    expect(view.user?.address).toBe(ALICE);
    // The removal during signing sent the machine back to the insert prompt.
    expect(routes[routes.indexOf('signing-in') + 1]).toBe('insert-card');
    expect(card.trace).toContainEqual({
      operation: 'sign',
      outcome: 'ERR_CARD_REMOVED',
      injected: 'remove',
    });
  });

  it('takes a must-change card through change-pin, and a blocked one to card-blocked', async () => {
    const pki = await createTestPki();
    const changing = await createTestCard({ kind: 'virtual', mustChange: true, enrolled: { pki } });
    const server = await pki.authenticator();
    const first = await runSignIn(
      createSignInMachine({ method: 'smart-card', card: changing.card, server, rpId: pki.rpId }),
      [
        { type: 'SIGN_IN', address: ALICE },
        { expect: 'change-pin' },
        {
          type: 'PIN.CHANGE',
          current: Secret.from(changing.pin),
          next: Secret.from('k7#Lm2pQ'),
          confirm: Secret.from('k7#Lm2pQ'),
        },
        { expect: 'signed-in' },
      ],
    );
    expect(first.view.user?.address).toBe(ALICE);

    const blocked = await createTestCard({ kind: 'virtual', enrolled: { pki } });
    await blocked.card.blockPin();
    const second = await runSignIn(
      createSignInMachine({ method: 'smart-card', card: blocked.card, server, rpId: pki.rpId }),
      [{ type: 'SIGN_IN', address: ALICE }, { expect: 'card-blocked' }],
    );
    expect(second.view.unblockWith).toBe('admin-key');
  });

  it('says where the machine got stuck', async () => {
    const pki = await createTestPki();
    const { card } = await createTestCard({ kind: 'virtual', enrolled: { pki } });
    const machine = createSignInMachine({
      method: 'smart-card',
      card,
      server: await pki.authenticator(),
      rpId: pki.rpId,
    });
    const actor = createActor(machine).start();
    await expect(waitForRoute(actor, 'signed-in', { timeout: 50 })).rejects.toThrow(
      'Expected the sign-in at signed-in; it is at sign-in (input; notice none, error none).',
    );
    await expect(runSignIn(actor, [{ type: 'OK' }])).rejects.toThrow(
      'Sign-in script step 1: OK is not taken at sign-in (input; notice none, error none).',
    );
    await expect(
      runSignIn(actor, [
        { type: 'SIGN_IN', address: ALICE },
        { type: 'PIN.SUBMIT', pin: Secret.from('Wrong-PIN-1') },
        { expect: 'signed-in', timeout: 100 },
      ]),
    ).rejects.toThrow(/step 3: .* it is at pin \(input; notice pin-wrong, error none\)/);
    expect((await waitForRoute(actor, 'pin')).attemptsRemaining).toBe(4);
    actor.stop();
  });

  it('refuses a malformed script or target with InvalidInputError', async () => {
    const code = (promise: Promise<unknown>) =>
      promise.then(
        () => 'resolved',
        (e: { code?: string }) => e.code,
      );
    expect(await code(runSignIn({} as never, []))).toBe('ERR_INVALID_INPUT');
    expect(await code(runSignIn({ send() {} } as never, [{ nope: 1 } as never]))).toBe(
      'ERR_INVALID_INPUT',
    );
    expect(await code(waitForRoute(null as never, 'pin'))).toBe('ERR_INVALID_INPUT');
  });
});
