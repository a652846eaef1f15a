import { afterEach, describe, expect, it, vi } from 'vitest';
import { PhysicalSmartCard, SimulatedReader } from '../../../src/card/index.js';
import { codeOf } from '../../support/errors.js';

const newCard = () => PhysicalSmartCard.create({ pinHashIterations: 1 });

afterEach(() => {
  vi.useRealTimers();
});

describe('SimulatedReader', () => {
  it('holds one card, reports inserted and removed, and hands the card back', async () => {
    const reader = new SimulatedReader('Reader A');
    const card = await newCard();
    const seen: string[] = [];
    const stopInserted = reader.on('inserted', (c) => seen.push(`in ${c.id}`));
    reader.on('removed', (c) => seen.push(`out ${c.id}`));
    expect(reader.card).toBeNull();
    reader.insert(card);
    expect(reader.card).toBe(card);
    expect(reader.remove()).toBe(card);
    expect(reader.remove()).toBeNull();
    stopInserted();
    reader.insert(card);
    expect(seen).toEqual([`in ${card.id}`, `out ${card.id}`]);
  });

  it('dispatches DOM-style events too', async () => {
    const reader = new SimulatedReader();
    const card = await newCard();
    const listener = vi.fn();
    reader.addEventListener('inserted', listener);
    reader.insert(card);
    const event = listener.mock.calls[0]?.[0] as CustomEvent<{ card: PhysicalSmartCard }>;
    expect(event.detail.card).toBe(card);
  });

  it('works side by side with other readers; a card is in one reader at a time', async () => {
    const [a, b] = [new SimulatedReader('A'), new SimulatedReader('B')];
    const [one, two] = [await newCard(), await newCard()];
    a.insert(one);
    b.insert(two);
    expect(() => b.insert(one)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_INPUT' }));
    expect(() => a.insert(two)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_INPUT' }));
    a.remove();
    expect(await codeOf(one.info())).toBe('ERR_CARD_REMOVED');
    expect((await two.info()).id).toBe(two.id);
    b.remove();
    b.insert(one);
    expect((await one.info()).id).toBe(one.id);
  });

  it('refuses what is not an emulated physical card, and bad names', () => {
    const reader = new SimulatedReader();
    expect(() => reader.insert({} as PhysicalSmartCard)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
    expect(() => new SimulatedReader('')).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
  });

  describe('waitForCard', () => {
    it('resolves at once with a card already in the reader', async () => {
      const reader = new SimulatedReader();
      const card = await newCard();
      reader.insert(card);
      expect(await reader.waitForCard()).toBe(card);
    });

    it('resolves when a card is inserted', async () => {
      const reader = new SimulatedReader();
      const card = await newCard();
      const waiting = reader.waitForCard({ timeout: 60_000 });
      reader.insert(card);
      expect(await waiting).toBe(card);
    });

    it('resolves null when the timeout passes first, and stops listening', async () => {
      vi.useFakeTimers();
      const reader = new SimulatedReader();
      const waiting = reader.waitForCard({ timeout: 30_000 });
      await vi.advanceTimersByTimeAsync(30_000);
      expect(await waiting).toBeNull();
      expect(vi.getTimerCount()).toBe(0);
    });

    it('rejects with the signal reason when aborted, before or while waiting', async () => {
      const reader = new SimulatedReader();
      const controller = new AbortController();
      const waiting = reader.waitForCard({ signal: controller.signal, timeout: 60_000 });
      controller.abort(new Error('user cancelled'));
      await expect(waiting).rejects.toThrow('user cancelled');
      await expect(reader.waitForCard({ signal: controller.signal })).rejects.toThrow(
        'user cancelled',
      );
      reader.insert(await newCard()); // no listener left behind to resolve
    });

    it('refuses a bad timeout', async () => {
      const reader = new SimulatedReader();
      expect(await codeOf(reader.waitForCard({ timeout: -1 }))).toBe('ERR_INVALID_INPUT');
      expect(await codeOf(reader.waitForCard({ timeout: Number.NaN }))).toBe('ERR_INVALID_INPUT');
    });
  });
});
