import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { createSignInMachine, Secret } from '../../../src/session/index.js';
import { waitForRoute } from '../../../src/testing/index.js';
import { TEST_PIN } from '../../support/cards.js';
import { signInPkiBeforeAll } from '../support/file-pki.js';
import { ADDRESS, authenticatorFor, enrolledCard, RP_ID, startSignIn } from '../support/sign-in.js';

/**
 * PINs never show: no PIN, new PIN or PUK in a snapshot, a persisted snapshot or an inspection
 * event; a Secret is read once and prints as [Secret].
 */
const pki = signInPkiBeforeAll();

/**
 * Every string reachable from `root` through own properties, arrays, maps and sets: what an
 * inspector or a logger walking the object could print.
 */
function reachableStrings(root: unknown, found = new Set<string>()): Set<string> {
  const visited = new WeakSet<object>();
  const queue: unknown[] = [root];
  while (queue.length > 0) {
    const value = queue.pop();
    if (typeof value === 'string') {
      found.add(value);
    } else if (typeof value === 'object' && value !== null) {
      if (visited.has(value)) continue;
      visited.add(value);
      if (value instanceof Map) queue.push(...value.keys(), ...value.values());
      else if (value instanceof Set) queue.push(...value);
      else {
        for (const key of Reflect.ownKeys(value)) {
          // The machine definition and the actor system are the same objects everywhere.
          if (key === 'machine' || key === 'logic' || key === 'system') continue;
          const descriptor = Object.getOwnPropertyDescriptor(value, key);
          if (descriptor !== undefined && 'value' in descriptor) queue.push(descriptor.value);
        }
      }
    }
  }
  return found;
}

describe('secrets', () => {
  it('no PIN, new PIN or PUK appears in snapshots, persisted snapshots or inspection events', async () => {
    const { card } = await enrolledCard(pki.ca, 'virtual', { pin: 'Cur#9876' });
    await card.verifyPin('Cur#9876');
    await card.requirePinChange();
    await card.logout();
    const secrets = ['Cur#9876', 'Zq8#wPin', 'Zq8#wPiX'];
    const seen = new Set<string>();
    const actor = createActor(
      createSignInMachine({
        method: 'smart-card',
        card,
        rpId: RP_ID,
        server: authenticatorFor(pki.ca, pki.clock),
      }),
      { inspect: (event) => reachableStrings(event, seen) },
    );
    actor.subscribe((s) => {
      reachableStrings(s, seen);
      seen.add(JSON.stringify(s.context, (k, v) => (k === 'card' ? undefined : v)));
    });
    actor.start();
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'change-pin');
    actor.send({
      type: 'PIN.CHANGE',
      current: Secret.from('Cur#9876'),
      next: Secret.from('Zq8#wPin'),
      confirm: Secret.from('Zq8#wPiX'),
    });
    await waitForRoute(actor, 'change-pin');
    actor.send({
      type: 'PIN.CHANGE',
      current: Secret.from('Cur#9876'),
      next: Secret.from('Zq8#wPin'),
      confirm: Secret.from('Zq8#wPin'),
    });
    await waitForRoute(actor, 'signed-in');
    reachableStrings(actor.getPersistedSnapshot(), seen);
    actor.stop();
    const texts = [...seen];
    expect(texts).toContain('PIN.CHANGE');
    for (const secret of secrets) {
      expect(texts.filter((text) => text.includes(secret))).toEqual([]);
    }
  });

  it('a Secret is read once: replaying the same event cannot spend another attempt', async () => {
    const { card } = await enrolledCard(pki.ca, 'virtual', { pin: TEST_PIN });
    const actor = startSignIn({
      method: 'smart-card',
      card,
      server: authenticatorFor(pki.ca, pki.clock),
    });
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'pin');
    const wrong = { type: 'PIN.SUBMIT', pin: Secret.from('wrong-pin1') } as const;
    actor.send(wrong);
    await waitForRoute(actor, 'pin');
    const before = (await card.pinStatus()).attemptsRemaining;
    actor.send(wrong);
    const view = await waitForRoute(actor, 'sign-in');
    expect(view.error?.code).toBe('ERR_INVALID_INPUT');
    expect((await card.pinStatus()).attemptsRemaining).toBe(before);
    actor.stop();
  });

  it('Secret prints, serialises and inspects as [Secret]', () => {
    const secret = Secret.from('hunter22');
    expect(String(secret)).toBe('[Secret]');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[Secret]"}');
    expect(inspect({ secret })).not.toContain('hunter22');
    expect(Object.keys(secret)).toEqual([]);
    expect(structuredClone(secret)).toEqual({});
    expect(() => Secret.from(1234 as unknown as string)).toThrow(/string/);
  });
});
