/**
 * What `OcspCache.warm()` holds before a validation verifies it is bounded: a response over
 * 64 KiB is left out, at most 4 wait for one serial number (one sign-in verifies at most 4), and
 * the responses waiting in all stay within `capacity` serial numbers and 32 MiB, a response
 * answering for several serial numbers counted once and let go when the last of them is taken.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { OcspCache } from '../../../../src/server/index.js';
import {
  CachedAnswers,
  MAX_PENDING_BYTES,
  MAX_PENDING_PER_SERIAL,
  MAX_WARMED_RESPONSE_BYTES,
} from '../../../../src/server/path/ocsp/cached-answers.js';
import { ocspPki, ocspResponse, type Pki } from './support.js';

let pki: Pki;
beforeAll(async () => {
  pki = await ocspPki();
});

/** A good answer about the card with `copies` of the CA certificate sent along. */
const answerWith = (copies: number) =>
  ocspResponse({ cert: pki.leaf, issuer: pki.ca, certs: Array(copies).fill(pki.ca.der) });

const serial = (n: number) => Uint8Array.of(n);

describe('OcspCache.warm() bounds', () => {
  it('takes a response of up to 64 KiB and leaves out one just over', async () => {
    const base = (await answerWith(0)).length;
    let copies = Math.floor((MAX_WARMED_RESPONSE_BYTES - base) / pki.ca.der.length);
    let under = await answerWith(copies);
    while (under.length > MAX_WARMED_RESPONSE_BYTES) under = await answerWith(--copies);
    const over = await answerWith(copies + 1);
    expect(under.length).toBeGreaterThan(MAX_WARMED_RESPONSE_BYTES - pki.ca.der.length);
    expect(over.length).toBeGreaterThan(MAX_WARMED_RESPONSE_BYTES);
    expect(new OcspCache().warm([under])).toBe(1);
    expect(new OcspCache().warm([over])).toBe(0);
    expect(new OcspCache().warm([over, under])).toBe(1);
  });

  it('keeps at most 4 responses for one card, the first given (the most recent)', async () => {
    const six = await Promise.all(Array.from({ length: 6 }, () => answerWith(0)));
    expect(new Set(six.map((der) => der.join())).size).toBe(6);
    expect(new OcspCache().warm(six)).toBe(MAX_PENDING_PER_SERIAL);
    const answers = new CachedAnswers(100);
    for (const der of six.slice(0, 4)) expect(answers.addPending([serial(1)], der)).toBe(true);
    expect(answers.addPending([serial(1)], six[4] as Uint8Array)).toBe(false);
    // A response for a full serial number and another: kept for the other only.
    const both = six[5] as Uint8Array;
    expect(answers.addPending([serial(1), serial(2)], both)).toBe(true);
    expect(answers.takePending(serial(1))).toEqual(six.slice(0, 4));
    expect(answers.takePending(serial(2))).toEqual([both]);
    expect(answers.pendingBytes).toBe(0);
  });

  it('keeps at most 32 MiB waiting; a taken response makes room', () => {
    const answers = new CachedAnswers(1_000);
    const mib = 1024 * 1024;
    for (let i = 0; i < MAX_PENDING_BYTES / mib; i++) {
      expect(answers.addPending([serial(i)], new Uint8Array(mib))).toBe(true);
    }
    expect(answers.pendingBytes).toBe(MAX_PENDING_BYTES);
    expect(answers.addPending([serial(200)], new Uint8Array(1))).toBe(false);
    expect(answers.takePending(serial(0))).toHaveLength(1);
    expect(answers.pendingBytes).toBe(MAX_PENDING_BYTES - mib);
    expect(answers.addPending([serial(200)], new Uint8Array(1))).toBe(true);
    answers.clear();
    expect(answers.pendingBytes).toBe(0);
    expect(answers.takePending(serial(200))).toEqual([]);
  });

  it('counts a response for several serial numbers once, until the last is taken', () => {
    const answers = new CachedAnswers(10);
    const response = new Uint8Array(100);
    expect(answers.addPending([serial(1), serial(2)], response)).toBe(true);
    expect(answers.pendingBytes).toBe(100);
    expect(answers.takePending(serial(1))).toEqual([response]);
    expect(answers.pendingBytes).toBe(100);
    expect(answers.takePending(serial(2))).toEqual([response]);
    expect(answers.pendingBytes).toBe(0);
    expect(answers.takePending(serial(2))).toEqual([]);
    expect(answers.pendingBytes).toBe(0);
  });

  it('refuses a response whose serial numbers would pass the capacity, keeping nothing of it', () => {
    const answers = new CachedAnswers(2);
    expect(answers.addPending([serial(1), serial(2), serial(3)], new Uint8Array(10))).toBe(false);
    expect(answers.pendingBytes).toBe(0);
    expect(answers.takePending(serial(1))).toEqual([]);
  });
});
