import { type CreatePinStateOptions, PinState, type PinStateRecord } from '../../src/index.js';

/** Cheap hashing for tests; production defaults to 100,000 iterations. */
export const FAST = { iterations: 1 } as const;

export const GOOD_PIN = 'k7#Lm2pQ';
export const OTHER_PIN = 'Zx9!vB3n';
export const PUK = '87654321';

/** A card's storage: every record `persist` receives, newest last. */
export class Disk {
  readonly records: PinStateRecord[] = [];
  failNext = false;
  readonly persist = (record: PinStateRecord): void => {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    this.records.push(structuredClone(record));
  };
  get last(): PinStateRecord {
    const last = this.records.at(-1);
    if (last === undefined) throw new Error('nothing was persisted');
    return last;
  }
}

export async function newState(options: CreatePinStateOptions = {}): Promise<PinState> {
  return PinState.create({ ...FAST, ...options });
}

/**
 * A WebCrypto that records the order of PBKDF2 derivations, and can fail them (a card losing
 * power in the middle of a PIN check).
 */
export function tracingCrypto(events: string[]): { crypto: Crypto; failDerive: () => void } {
  const real = globalThis.crypto;
  let fail = false;
  const subtle = new Proxy(real.subtle, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      if (name !== 'deriveBits') return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: Parameters<SubtleCrypto['deriveBits']>) => {
        events.push('derive');
        if (fail) throw new Error('power lost');
        return target.deriveBits(...args);
      };
    },
  });
  const crypto = {
    subtle,
    getRandomValues: real.getRandomValues.bind(real),
    randomUUID: real.randomUUID.bind(real),
  } as Crypto;
  return {
    crypto,
    failDerive: () => {
      fail = true;
    },
  };
}
