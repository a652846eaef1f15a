import { InvalidInputError } from '../errors.js';

/** Checks what both kinds of emulated card are made with. */
export function assertSerial(serial: unknown): asserts serial is string {
  if (typeof serial !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(serial)) {
    throw new InvalidInputError('A serial is 1 to 64 characters of A-Z, a-z, 0-9 and "-".');
  }
}

/** 16 random hex digits. */
export function randomSerial(crypto: Crypto): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
}

export function maxContainers(value: unknown): number {
  const max = value ?? 15;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 64) {
    throw new InvalidInputError('maxContainers must be an integer from 1 to 64.');
  }
  return max;
}

/** A short label (1 to 64 characters), or `fallback` when left out. */
export function shortText(value: unknown, name: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) {
    throw new InvalidInputError(`${name} must be 1 to 64 characters.`);
  }
  return value;
}
