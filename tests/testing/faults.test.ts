import { describe, expect, it } from 'vitest';
import { SoftwareTpm, VirtualSmartCard } from '../../src/card/index.js';
import { CardRemovedError, TpmUnavailableError } from '../../src/errors.js';
import {
  type CardOperation,
  createTestCard,
  type FaultyCard,
  withFaults,
} from '../../src/testing/index.js';
import { certificateFor } from '../support/certificate.js';
import { codeOf } from '../support/errors.js';

const PIN = 'k7#Lm2pQ';
const PUK = '27182818';
const data = new Uint8Array([1, 2, 3]);

/** A physical test card with its PIN verified and one key container. */
async function ready() {
  const test = await createTestCard({ kind: 'physical', pin: PIN, puk: PUK });
  await test.card.verifyPin(PIN);
  const key = (await test.card.generateKeyPair()).name;
  test.card.clearTrace();
  return { ...test, key };
}

/** What the card holds and its PIN state, to compare before and after a fault. */
async function state(card: FaultyCard) {
  const containers = await card.card.containers();
  return {
    containers,
    certificates: await Promise.all(containers.map((c) => card.card.certificate(c.name))),
    pin: await card.card.pinStatus(),
  };
}

describe('failNext', () => {
  it('fails the next call with the error given, without reaching the card, once', async () => {
    const { card } = await ready();
    const before = await state(card);
    const error = new CardRemovedError('pulled out by the test');
    card.failNext('verifyPin', error);
    await expect(card.verifyPin('wrong-PIN')).rejects.toBe(error);
    expect(await state(card)).toEqual(before); // no attempt spent: the card never saw it
    expect(await card.verifyPin(PIN)).toEqual({ status: 'verified', mustChange: false });
    expect(card.trace).toEqual([
      { operation: 'verifyPin', outcome: 'ERR_CARD_REMOVED', injected: 'fail' },
      { operation: 'verifyPin', outcome: 'verified' },
    ]);
  });

  it('queues failures per operation, in order; a foreign error is traced as error', async () => {
    const { card, key } = await ready();
    const first = new TpmUnavailableError('one');
    const second = new Error('two');
    card.failNext('sign', first).failNext('sign', second);
    await expect(card.sign(key, data)).rejects.toBe(first);
    expect(await card.containers()).toHaveLength(1); // other operations are untouched
    await expect(card.sign(key, data)).rejects.toBe(second);
    expect(await card.sign(key, data)).toBeInstanceOf(Uint8Array);
    expect(card.trace.map((t) => t.outcome)).toEqual(['ERR_TPM_UNAVAILABLE', 'ok', 'error', 'ok']);
  });

  it('refuses an unknown operation or a non-Error', async () => {
    const { card } = await ready();
    expect(() => card.failNext('explode' as CardOperation, new Error('x'))).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
    expect(() => card.failNext('sign', 'boom' as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
  });
});

describe('removeDuring', () => {
  it('pulls the card out mid-sign: ERR_CARD_REMOVED, card out, session over', async () => {
    const { card, reader, key } = await ready();
    card.removeDuring('sign');
    expect(await codeOf(card.sign(key, data))).toBe('ERR_CARD_REMOVED');
    expect(reader?.card).toBeNull();
    reader.insert(card);
    expect(await codeOf(card.sign(key, data))).toBe('ERR_PIN_REQUIRED');
    expect(card.trace[0]).toEqual({
      operation: 'sign',
      outcome: 'ERR_CARD_REMOVED',
      injected: 'remove',
    });
  });

  it('leaves the card as it was for each writing operation', async () => {
    const writes: [CardOperation, (t: Awaited<ReturnType<typeof ready>>) => Promise<unknown>][] = [
      ['verifyPin', (t) => t.card.verifyPin('wrong-PIN')],
      ['changePin', (t) => t.card.changePin(PIN, 'Zx9!vB3n')],
      ['unblockPin', (t) => t.card.unblockPin(PUK, 'Zx9!vB3n')],
      ['generateKeyPair', (t) => t.card.generateKeyPair()],
      [
        'installCertificate',
        async (t) => {
          const spki = (await t.card.card.containers())[0]?.publicKey ?? new Uint8Array();
          return t.card.installCertificate(t.key, await certificateFor(spki));
        },
      ],
      ['deleteContainer', (t) => t.card.deleteContainer(t.key)],
    ];
    for (const [operation, run] of writes) {
      const test = await ready();
      // Only a blocked PIN can be unblocked.
      if (operation === 'unblockPin') {
        while (!(await test.card.pinStatus()).blocked) await test.card.verifyPin('wrong-PIN');
      }
      const before = await state(test.card);
      test.card.removeDuring(operation);
      expect(await codeOf(run(test)), operation).toBe('ERR_CARD_REMOVED');
      expect(test.reader?.card, operation).toBeNull();
      test.reader.insert(test.card);
      expect(await state(test.card), operation).toEqual(before);
    }
  });

  it('removes the card during operations that only read, and at a chosen step', async () => {
    for (const operation of ['info', 'pinStatus', 'containers', 'logout', 'reset'] as const) {
      const { card, reader } = await ready();
      card.removeDuring(operation);
      expect(await codeOf(card[operation]()), operation).toBe('ERR_CARD_REMOVED');
      expect(reader?.card).toBeNull();
    }
    const { card, reader, key } = await ready();
    card.removeDuring('sign', { step: 'signed' }); // after the signature is made
    expect(await codeOf(card.sign(key, data))).toBe('ERR_CARD_REMOVED');
    expect(reader?.card).toBeNull();
  });

  it('pulls the card out as the operation ends when it fails before the step', async () => {
    const { card, reader } = await ready();
    card.removeDuring('sign');
    expect(await codeOf(card.sign('no-such-container', data))).toBe('ERR_KEY_NOT_FOUND');
    expect(reader?.card).toBeNull();
  });

  it('needs a physical test card', async () => {
    const { card } = await createTestCard({ kind: 'virtual' });
    expect(() => card.removeDuring('sign')).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
    const own = withFaults(await VirtualSmartCard.create({ tpm: await SoftwareTpm.create() }));
    expect(() => own.removeDuring('sign')).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
    expect(() => own.tearNextWrite()).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
  });
});

describe('tearNextWrite', () => {
  it('tears the attempt write of a wrong PIN: ERR_STORAGE, nothing spent', async () => {
    for (const kind of ['physical', 'virtual'] as const) {
      const { card } = await createTestCard({ kind, pin: PIN });
      const before = (await card.pinStatus()).attemptsRemaining;
      card.tearNextWrite();
      expect(await codeOf(card.verifyPin('wrong-PIN')), kind).toBe('ERR_STORAGE');
      expect((await card.pinStatus()).attemptsRemaining, kind).toBe(before);
      // Only the next write: the one after lands.
      expect(await card.verifyPin('wrong-PIN'), kind).toMatchObject({ status: 'incorrect' });
      expect(card.trace[1], kind).toEqual({
        operation: 'verifyPin',
        outcome: 'ERR_STORAGE',
        injected: 'tear',
      });
    }
  });

  it('tears a key generation: the card holds what it held', async () => {
    const { card } = await ready();
    const before = await state(card);
    card.tearNextWrite();
    expect(await codeOf(card.generateKeyPair())).toBe('ERR_STORAGE');
    expect(await state(card)).toEqual(before);
    expect(await card.generateKeyPair()).toMatchObject({ algorithm: 'RSA-2048' });
  });
});

describe('blockPin', () => {
  it('blocks a physical card with wrong PINs; its PUK unblocks it', async () => {
    const { card } = await ready();
    await card.blockPin();
    expect(await card.pinStatus()).toMatchObject({ blocked: true, attemptsRemaining: 0 });
    expect(await card.verifyPin(PIN)).toEqual({ status: 'blocked' });
    const blocking = card.trace.filter((t) => t.injected === 'block-pin');
    expect(blocking.map((t) => t.outcome)).toEqual([
      'incorrect',
      'incorrect',
      'incorrect',
      'incorrect',
      'blocked',
    ]);
    expect(await card.unblockPin(PUK, 'Zx9!vB3n')).toMatchObject({ status: 'unblocked' });
  });

  it('blocks a virtual card past the TPM lockout threshold, and any SmartCard', async () => {
    const { card, tpm } = await createTestCard({ kind: 'virtual', maxAttempts: 12 });
    await card.blockPin();
    expect((await card.pinStatus()).blocked).toBe(true);
    expect(tpm?.lockout().lockedOut).toBe(false);
    const own = withFaults(
      await VirtualSmartCard.create({ tpm: await SoftwareTpm.create(), pinHashIterations: 1 }),
    );
    await own.blockPin();
    expect((await own.pinStatus()).blocked).toBe(true);
  });
});

describe('the trace', () => {
  it('never holds a PIN, PUK or wrong guess, whatever happened', async () => {
    const { card, reader, key } = await ready();
    await card.verifyPin('wrong-PIN');
    await card.changePin(PIN, 'Zx9!vB3n');
    card.failNext('verifyPin', new CardRemovedError('x'));
    await card.verifyPin('Zx9!vB3n').catch(() => undefined);
    await card.blockPin();
    await card.unblockPin(PUK, 'Qw3$rT5y');
    card.tearNextWrite();
    await card.verifyPin('Qw3$rT5y').catch(() => undefined);
    await card.verifyPin('Qw3$rT5y');
    card.removeDuring('sign');
    await card.sign(key, data).catch(() => undefined);
    reader.insert(card);
    const text = JSON.stringify(card.trace);
    for (const secret of [PIN, PUK, 'wrong-PIN', 'Zx9!vB3n', 'Qw3$rT5y', '90817263', '17263549']) {
      expect(text).not.toContain(secret);
    }
    for (const entry of card.trace) {
      expect(
        Object.keys(entry).every((k) => ['operation', 'outcome', 'injected'].includes(k)),
      ).toBe(true);
    }
    expect(card.trace.length).toBeGreaterThan(8);
    card.clearTrace();
    expect(card.trace).toEqual([]);
  });

  it('is one FaultyCard per card; withFaults refuses what is not a card', async () => {
    const { card, emulated } = await createTestCard({ kind: 'physical' });
    expect(withFaults(emulated)).toBe(card);
    expect(withFaults(card)).toBe(card);
    expect(() => withFaults(null as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
    expect(String(card)).toBe(`faulty physical smart card ${card.id}`);
  });
});
