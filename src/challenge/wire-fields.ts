/**
 * Reading the fields of a JSON wire message: each reader returns the value or throws
 * `InvalidInputError` naming the field, and nothing else. Internal.
 */
import { InvalidInputError } from '../errors.js';
import { fromBase64Url } from '../lib/bytes.js';

/** The one wire version this SDK writes and reads. */
export const WIRE_VERSION = 1;

/** A JSON object, else `InvalidInputError` (`what` names the message). */
export function wireObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(what, 'is not a JSON object');
  }
  return value as Record<string, unknown>;
}

/** Refuses a message with another version or with fields other than `known`. */
export function checkEnvelope(
  message: Record<string, unknown>,
  what: string,
  known: readonly string[],
): void {
  if (message.v !== WIRE_VERSION) {
    // Only a number is shown: String() of a hostile object may throw.
    const version = typeof message.v === 'number' ? `version ${message.v}` : 'no version number';
    throw malformed(what, `has ${version}; this SDK reads version 1 ("v": 1)`);
  }
  for (const key of Object.keys(message)) {
    if (key !== 'v' && !known.includes(key)) throw malformed(what, `has an unknown field "${key}"`);
  }
}

/** A string field of at most `maxLength` UTF-16 units, without NUL. */
export function stringField(
  message: Record<string, unknown>,
  what: string,
  field: string,
  maxLength: number,
): string {
  const value = message[field];
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw malformed(
      what,
      `needs "${field}", a non-empty string of at most ${maxLength} characters`,
    );
  }
  if (value.includes('\0')) throw malformed(what, `has a NUL in "${field}"`);
  return value;
}

/** Bytes carried as canonical base64url without padding, at most `maxBytes` of them. */
export function bytesField(
  value: unknown,
  what: string,
  field: string,
  maxBytes: number,
): Uint8Array {
  // Four characters carry three bytes: refuse the text before decoding what could be huge.
  if (typeof value !== 'string' || value.length > Math.ceil((maxBytes * 4) / 3)) {
    throw malformed(what, `needs "${field}", base64url of at most ${maxBytes} bytes`);
  }
  const bytes = fromBase64Url(value);
  if (bytes === undefined || bytes.length === 0 || bytes.length > maxBytes) {
    throw malformed(
      what,
      `has "${field}" that is not canonical base64url (no padding) of 1 to ${maxBytes} bytes`,
    );
  }
  return bytes;
}

/** A time in ms since 1970: a non-negative safe integer. */
export function timeField(message: Record<string, unknown>, what: string, field: string): number {
  const value = message[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw malformed(what, `needs "${field}", a time in ms since 1970 (a non-negative integer)`);
  }
  return value;
}

/** The typed error of a malformed wire message. */
export function malformed(what: string, problem: string): InvalidInputError {
  return new InvalidInputError(`Malformed ${what}: it ${problem}.`);
}
