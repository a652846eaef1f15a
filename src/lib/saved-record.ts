/**
 * Reading what the SDK saved (a card's state, a TPM, a PIN state, sealed data): its JSON and
 * its fields, every refusal a {@link StateCorruptError} that names what was refused. Internal:
 * never exported from the package.
 */
import { StateCorruptError } from '../errors.js';
import { fromBase64 } from './bytes.js';

/** The readers of one kind of saved record; see {@link savedRecord}. */
export interface SavedRecordReader {
  /** The error refusing the record for `why` (`The saved TPM was refused: <why>.`). */
  corrupt(why: string): StateCorruptError;
  /** The JSON value of UTF-8 `bytes`, or of the text `source` gives (called inside the guard). */
  json(source: Uint8Array | (() => string)): unknown;
  /** `value` as a plain object (not null, not an array). */
  object(value: unknown, name: string): Record<string, unknown>;
  /** `value` as an integer from `min` to `max`. */
  integer(value: unknown, name: string, min: number, max?: number): number;
  /** `value` as `true` or `false`. */
  boolean(value: unknown, name: string): boolean;
  /** `value` as a string. */
  text(value: unknown, name: string): string;
  /** `value` as canonical base64 of `length` bytes, or of at least one byte without `length`. */
  base64(value: unknown, name: string, length?: number): Uint8Array<ArrayBuffer>;
}

/** The readers of the record called `what` in messages (`'saved TPM'`, `'sealed data'`). */
export function savedRecord(what: string): SavedRecordReader {
  const corrupt = (why: string) => new StateCorruptError(`The ${what} was refused: ${why}.`);
  return {
    corrupt,
    json(source) {
      try {
        const text =
          typeof source === 'function'
            ? source()
            : new TextDecoder('utf-8', { fatal: true }).decode(source);
        return JSON.parse(text);
      } catch (cause) {
        throw new StateCorruptError(`The ${what} is not valid JSON (truncated?).`, { cause });
      }
    },
    object(value, name) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw corrupt(`${name} is missing or not an object`);
      }
      return value as Record<string, unknown>;
    },
    integer(value, name, min, max = Number.MAX_SAFE_INTEGER) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        throw corrupt(`${name} is not an integer from ${min} to ${max}`);
      }
      return value;
    },
    boolean(value, name) {
      if (typeof value !== 'boolean') throw corrupt(`${name} is not true or false`);
      return value;
    },
    text(value, name) {
      if (typeof value !== 'string') throw corrupt(`${name} is not text`);
      return value;
    },
    base64(value, name, length) {
      const bytes = typeof value === 'string' ? fromBase64(value) : undefined;
      if (length === undefined) {
        if (bytes === undefined || bytes.length === 0) throw corrupt(`${name} is not base64`);
      } else if (bytes === undefined || bytes.length !== length) {
        throw corrupt(`${name} is not ${length} bytes of base64`);
      }
      return bytes;
    },
  };
}
