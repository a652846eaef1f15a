/**
 * Deterministic mutation of valid inputs for the fuzz tests: a seeded PRNG and the edits an
 * attacker makes to DER and to saved records (bit flips, truncation, length-byte edits, bytes
 * inserted, deleted or repeated, nested garbage, random bytes), and a check that a call throws
 * nothing but `SmartCardError`s.
 */
import { SmartCardError } from '../../../src/errors.js';
import { mutateTree } from './der-tree.js';

/** A small seeded PRNG (mulberry32): the same seed gives the same cases on every run. */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }

  bytes(length: number): Uint8Array<ArrayBuffer> {
    return Uint8Array.from({ length }, () => this.below(256));
  }
}

const join = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/** Values a length byte is set to: off by one, long forms, indefinite, huge. */
const LENGTH_BYTES = [0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x89, 0xff];
/** Tags spliced in: universal types a parser may not expect, constructed and not. */
const TAGS = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x17, 0x18, 0x1e, 0x30, 0x31, 0xa0];

type Mutation = (input: Uint8Array, random: Random) => Uint8Array;

const MUTATIONS: Readonly<Record<string, Mutation>> = {
  'flip a bit': (b, r) => {
    const out = b.slice();
    const at = r.below(out.length);
    out[at] = (out[at] ?? 0) ^ (1 << r.below(8));
    return out;
  },
  'set a byte': (b, r) => {
    const out = b.slice();
    out[r.below(out.length)] = r.below(256);
    return out;
  },
  truncate: (b, r) => b.slice(0, r.below(b.length)),
  'edit a length byte': (b, r) => {
    const out = b.slice();
    // A byte after a tag-like byte is likely a length.
    const at = 1 + r.below(Math.max(1, out.length - 1));
    const current = out[at] ?? 0;
    out[at] = r.pick([...LENGTH_BYTES, (current + 1) & 0xff, (current - 1) & 0xff]);
    return out;
  },
  'change a tag': (b, r) => {
    const out = b.slice();
    out[r.below(out.length)] = r.pick(TAGS);
    return out;
  },
  'delete bytes': (b, r) => {
    const at = r.below(b.length);
    return join(b.subarray(0, at), b.subarray(at + 1 + r.below(16)));
  },
  'insert bytes': (b, r) => {
    const at = r.below(b.length + 1);
    return join(b.subarray(0, at), r.bytes(1 + r.below(8)), b.subarray(at));
  },
  'repeat a range': (b, r) => {
    const at = r.below(b.length);
    const end = Math.min(b.length, at + 1 + r.below(64));
    return join(b.subarray(0, end), b.subarray(at, end), b.subarray(end));
  },
  'nested garbage': (b, r) => {
    // An element replaced by deep nesting: SEQUENCE { SEQUENCE { ... } } or SETs.
    const depth = 1 + r.below(64);
    const tag = r.pick([0x30, 0x31, 0xa0, 0x24]);
    let inner: Uint8Array = r.bytes(r.below(4));
    for (let i = 0; i < depth && inner.length < 120; i++) {
      inner = join(new Uint8Array([tag, inner.length]), inner);
    }
    const at = r.below(b.length);
    return join(b.subarray(0, at), inner, b.subarray(at + r.below(8)));
  },
  'random bytes': (_b, r) => r.bytes(r.below(300)),
  'random DER-like': (_b, r) =>
    join(new Uint8Array([r.pick(TAGS), 0x82, 0x01, 0x00]), r.bytes(r.below(300))),
};

const NAMES = Object.keys(MUTATIONS);

/**
 * `input` changed: three times in four one element of its DER tree (lengths kept right, see
 * {@link mutateTree}), otherwise one to three byte mutations; `how` names them. Always changed:
 * an edit that happens to give the same bytes back (a byte set to the value it had, two flips of
 * one bit) is followed by another, so "refused" never has to mean "refused the input itself".
 */
export function mutate(
  input: Uint8Array,
  random: Random,
): { bytes: Uint8Array<ArrayBuffer>; how: string } {
  const first = mutateOnce(input, random);
  if (!sameBytes(first.bytes, input)) return first;
  const again = mutate(input, random);
  return { bytes: again.bytes, how: `${first.how} (no change), then ${again.how}` };
}

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((byte, i) => byte === b[i]);

function mutateOnce(
  input: Uint8Array,
  random: Random,
): { bytes: Uint8Array<ArrayBuffer>; how: string } {
  if (random.below(4) !== 0) {
    const tree = mutateTree(input, random);
    if (tree !== undefined) return tree;
  }
  let bytes: Uint8Array = input;
  const how: string[] = [];
  const count = 1 + random.below(3);
  for (let i = 0; i < count; i++) {
    const name = random.pick(NAMES);
    how.push(name);
    bytes = (MUTATIONS[name] as Mutation)(bytes.length === 0 ? new Uint8Array(1) : bytes, random);
  }
  return { bytes: new Uint8Array(bytes), how: how.join(', ') };
}

/** What a fuzz run saw: untyped throws, by case, and how many threw typed errors or did not. */
export class Outcomes {
  readonly untyped: string[] = [];
  typed = 0;
  answered = 0;

  /** Runs `call`; records anything it throws that is not a `SmartCardError`. */
  async run(label: string, call: () => unknown): Promise<void> {
    try {
      await call();
      this.answered += 1;
    } catch (error) {
      if (SmartCardError.is(error)) {
        this.typed += 1;
        return;
      }
      const name = error instanceof Error ? error.name : typeof error;
      const message = error instanceof Error ? error.message : String(error);
      this.untyped.push(`${label}: ${name}: ${message.slice(0, 160)}`);
    }
  }
}
